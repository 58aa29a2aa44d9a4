"""The logged-in user's own choices (not cached: one primary-key read at login, one write
when they pick)."""

from __future__ import annotations

from sqlalchemy import Engine

from models import user_prefs


def language(_engine: Engine, user_id: int) -> str | None:
    return user_prefs.language(_engine, user_id)


def remember_language(_engine: Engine, user_id: int, lang: str) -> None:
    user_prefs.remember_language(_engine, user_id, lang)
