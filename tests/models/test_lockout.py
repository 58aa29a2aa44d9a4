"""Lock-out holds under parallel logins, on SQLite and PostgreSQL: the failure count and
the lock are one conditional UPDATE in the database, not a read then a write."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from sqlalchemy import Engine

from models import auth
from models.scope import Scope

PASSWORD = "the right password 1"
NOW = datetime(2026, 1, 5, 9)


def _attempts(engine: Engine, passwords: list[str]) -> list[str]:
    """Every password tried at once (one thread each, released together)."""
    start = threading.Barrier(len(passwords))

    def attempt(password: str) -> str:
        start.wait()
        return auth.authenticate(engine, "boss", password, now=NOW).outcome

    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        return list(pool.map(attempt, passwords))


def _checked(engine: Engine) -> int:
    """How many passwords were actually checked (wrong ones and successes)."""
    log = auth.audit_log(engine=engine, scope=Scope.executive(), action="login")
    wrong = log["detail"].str.startswith("wrong password")
    return int(wrong.sum() + log["success"].sum())


@pytest.mark.parametrize("wrong", [10, 30])
def test_parallel_wrong_passwords_lock_then_the_right_one_is_refused(
    engine: Engine, wrong: int
) -> None:
    auth.add_user(engine, username="boss", role="executive", password=PASSWORD, actor="t")
    outcomes = _attempts(engine, ["guess"] * wrong)
    assert "ok" not in outcomes
    assert _checked(engine) <= auth.MAX_FAILURES  # at most five guesses were checked
    assert auth.authenticate(engine, "boss", PASSWORD, now=NOW).outcome == "locked"


@pytest.mark.parametrize("wrong", [10, 29])
def test_the_right_password_among_parallel_guesses_checks_at_most_five(
    engine: Engine, wrong: int
) -> None:
    auth.add_user(engine, username="boss", role="executive", password=PASSWORD, actor="t")
    outcomes = _attempts(
        engine, ["guess"] * (wrong // 2) + [PASSWORD] + ["guess"] * (wrong - wrong // 2)
    )
    assert _checked(engine) <= auth.MAX_FAILURES
    assert outcomes.count("ok") <= 1
    assert outcomes.count("wrong_password") + outcomes.count("ok") < auth.MAX_FAILURES + 1
