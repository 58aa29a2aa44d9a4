"""What a logged-in user chose for themselves and keeps across sessions: the language."""

from __future__ import annotations

from sqlalchemy import Engine, select, update

from models.schema import table_of
from models.schema_auth import User

LANGS = ("en", "zh")


def language(engine: Engine, user_id: int) -> str | None:
    """The language `user_id` picked last ("en" / "zh"), None before they pick one."""
    users = table_of(User)
    with engine.connect() as connection:
        found = connection.execute(
            select(users.c.lang).where(users.c.user_id == user_id)
        ).scalar_one_or_none()
    return found if found in LANGS else None


def remember_language(engine: Engine, user_id: int, lang: str) -> None:
    """Keep `lang` as `user_id`'s language (the sidebar's pick)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    users = table_of(User)
    with engine.begin() as connection:
        connection.execute(update(users).where(users.c.user_id == user_id).values(lang=lang))
