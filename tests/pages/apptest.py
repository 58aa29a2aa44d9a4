"""Running the app under AppTest the way `streamlit run` would, on a given database, as a
logged-in user.

Logging in is done the way the login form leaves a session: the user's id in the
session state key that no widget has (tests/pages/test_auth_page.py drives the form
itself). The user is created in the database once, with the given role and scope; on the
session's demo database every one-scope account exists before the first test
(`seed_users`), so logging in there writes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from streamlit.testing.v1 import AppTest

from models import auth
from models.db import make_engine, upgrade
from models.schema import Cohort, Merchant
from models.schema_auth import User
from models.scope import Role
from ui.auth import AUTH_USER_KEY, LAST_SEEN_KEY

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
TIMEOUT = 60


def user_name(
    role: Role, cohorts: Sequence[str] = (), merchant: str | None = None, lang: str | None = None
) -> str:
    """The test account of this role, scope and remembered language: `test-coach-c2019a`,
    `test-merchant-m006-zh`."""
    parts = ["test", role, *cohorts, *([merchant] if merchant else []), *([lang] if lang else [])]
    return "-".join(parts).lower()


SEEDED_LANGS = (None, "en", "zh")  # no remembered language, or English or Chinese picked


def seed_users(engine: Engine) -> None:
    """Every one-scope test account of a programme (the executive, a coach a cohort, a
    merchant account a merchant), each with no remembered language and with each language
    remembered, made before the session's demo database is shared: the tests that log in
    there only read it (tests/conftest.py fails a test that writes there)."""
    with engine.connect() as connection:
        cohorts = connection.execute(select(Cohort.cohort_id)).scalars().all()
        merchants = connection.execute(select(Merchant.merchant_id)).scalars().all()
    scopes: list[tuple[Role, list[str], list[str]]] = [("executive", [], [])]
    scopes += [("coach", [c], []) for c in cohorts]
    scopes += [("merchant", [], [m]) for m in merchants]
    with engine.begin() as connection:
        for role, in_cohorts, in_merchants in scopes:
            for lang in SEEDED_LANGS:
                name = user_name(role, in_cohorts, in_merchants[0] if in_merchants else None, lang)
                auth.insert_user(
                    connection,
                    username=name,
                    role=role,
                    password=None,
                    actor="tests",
                    cohorts=in_cohorts,
                    merchants=in_merchants,
                )
                if lang:
                    connection.execute(update(User).where(User.username == name).values(lang=lang))


def ensure_user(
    db_url: str,
    role: Role = "executive",
    cohorts: Sequence[str] = (),
    merchant: str | None = None,
    keep_language: bool = False,
    lang: str | None = None,
) -> int:
    """The id of a test user with this role and scope (created the first time, unless
    `seed_users` made it) whose remembered language is `lang` (none by default; as it is,
    with `keep_language`). Nothing is written when the account is already so."""
    name = user_name(role, cohorts, merchant, lang)
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            found = connection.execute(
                select(User.user_id, User.lang).where(User.username == name)
            ).one_or_none()
        if found is None:
            auth.add_user(
                engine,
                username=name,
                role=role,
                password=None,
                actor="tests",
                cohorts=cohorts,
                merchants=[merchant] if merchant else [],
            )
            with engine.connect() as connection:
                found = connection.execute(
                    select(User.user_id, User.lang).where(User.username == name)
                ).one()
        user_id, remembered = found
        if remembered != lang and not keep_language:
            with engine.begin() as connection:
                connection.execute(update(User).where(User.user_id == user_id).values(lang=lang))
        return int(user_id)
    finally:
        engine.dispose()


def app_as(
    monkeypatch: pytest.MonkeyPatch,
    db_url: str,
    role: Role = "executive",
    cohorts: Sequence[str] = (),
    merchant: str | None = None,
    keep_language: bool = False,
    lang: str | None = None,
) -> AppTest:
    """The app on `db_url` (demo mode off), logged in, not yet run (`keep_language`: the
    user's remembered language is kept, as at a real next login; `lang`: an account that
    remembers that language, so the app opens in it without a pick being written)."""
    monkeypatch.setenv("GROWTH_DB_URL", db_url)
    monkeypatch.setenv("GROWTH_DEMO", "0")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state[AUTH_USER_KEY] = ensure_user(
        db_url, role, cohorts, merchant, keep_language, lang
    )
    at.session_state[LAST_SEEN_KEY] = time.time()
    return at


def open_app(
    monkeypatch: pytest.MonkeyPatch,
    db_url: str,
    role: Role = "executive",
    cohorts: Sequence[str] = (),
    merchant: str | None = None,
) -> AppTest:
    """`app_as(...)` after its first run, with no exception."""
    at = app_as(monkeypatch, db_url, role, cohorts, merchant).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
