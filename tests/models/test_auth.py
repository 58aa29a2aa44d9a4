"""Accounts, logging in with lock-out, scopes from the database, audit, and demo mode."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from models import auth, grants
from models.personas import demo_personas
from models.scope import Scope
from pipelines.load import load_delivery

NOW = datetime(2026, 1, 5, 9, 0)
PASSWORD = "correct horse battery"


@pytest.fixture
def loaded(engine: Engine, tiny_delivery_dir: Path) -> Engine:
    assert load_delivery(tiny_delivery_dir, engine=engine, loaded_by="ops").ok
    return engine


def test_login_and_scope_come_from_the_database(loaded: Engine) -> None:
    auth.add_user(
        loaded, username="Coach.Li", role="coach", password=PASSWORD, actor="t", cohorts=["C1"]
    )
    auth.add_user(
        loaded, username="m1", role="merchant", password=PASSWORD, actor="t", merchants=["M1"]
    )
    result = auth.authenticate(loaded, "  coach.li ", PASSWORD, now=NOW)
    assert result.outcome == "ok" and result.identity is not None
    assert result.identity.scope == Scope("coach", cohort_ids=frozenset({"C1"}), user="coach.li")
    merchant = auth.authenticate(loaded, "m1", PASSWORD, now=NOW).identity
    assert merchant is not None
    assert merchant.scope == Scope("merchant", merchant_ids=frozenset({"M1"}), user="m1")


def test_wrong_unknown_and_inactive(loaded: Engine) -> None:
    auth.add_user(loaded, username="exec", role="executive", password=PASSWORD, actor="t")
    assert auth.authenticate(loaded, "exec", "nope", now=NOW).outcome == "wrong_password"
    assert auth.authenticate(loaded, "ghost", PASSWORD, now=NOW).outcome == "unknown"
    auth.set_active(loaded, username="exec", active=False, actor="t")
    assert auth.authenticate(loaded, "exec", PASSWORD, now=NOW).outcome == "inactive"
    assert auth.current_identity(loaded, 1) is None


def test_lock_out_after_repeated_failures(loaded: Engine) -> None:
    auth.add_user(loaded, username="exec", role="executive", password=PASSWORD, actor="t")
    outcomes = [
        auth.authenticate(loaded, "exec", "wrong", now=NOW).outcome
        for _ in range(auth.MAX_FAILURES)
    ]
    assert outcomes == ["wrong_password"] * (auth.MAX_FAILURES - 1) + ["locked"]
    # the right password does not open a locked account ...
    assert auth.authenticate(loaded, "exec", PASSWORD, now=NOW).outcome == "locked"
    # ... until the lock runs out
    later = NOW + timedelta(minutes=auth.LOCK_MINUTES, seconds=1)
    assert auth.authenticate(loaded, "exec", PASSWORD, now=later).outcome == "ok"
    # an operator can unlock earlier
    for _ in range(auth.MAX_FAILURES):
        auth.authenticate(loaded, "exec", "wrong", now=later)
    auth.unlock(loaded, username="exec", actor="ops")
    assert auth.authenticate(loaded, "exec", PASSWORD, now=later).outcome == "ok"


def test_every_login_is_audited(loaded: Engine) -> None:
    auth.add_user(loaded, username="exec", role="executive", password=PASSWORD, actor="ops")
    auth.authenticate(loaded, "exec", "wrong", now=NOW)
    auth.authenticate(loaded, "exec", PASSWORD, now=NOW)
    log = auth.audit_log(engine=loaded, scope=Scope.executive())
    assert log["action"].tolist()[:3] == ["login", "login", "user_add"]
    assert log["success"].tolist()[:2] == [True, False]
    assert auth.audit_log(engine=loaded, scope=Scope.merchant("M1")).empty


def test_sso_maps_an_email_to_a_local_user(loaded: Engine) -> None:
    auth.add_user(
        loaded,
        username="li",
        role="coach",
        password=None,
        actor="t",
        email="Li@Example.com",
        cohorts=["C1"],
    )
    found = auth.identity_for_email(loaded, "li@example.com", now=NOW)
    assert found is not None and found.role == "coach"
    assert auth.identity_for_email(loaded, "stranger@example.com", now=NOW) is None
    assert auth.authenticate(loaded, "li", "anything", now=NOW).outcome == "no_password"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "merchant", "merchants": []}, "exactly one"),
        ({"role": "merchant", "merchants": ["M1", "M2"]}, "exactly one"),
        ({"role": "coach", "cohorts": ["C404"]}, "unknown cohort"),
        ({"role": "merchant", "merchants": ["M404"]}, "unknown merchant"),
        ({"role": "executive", "cohorts": ["C1"]}, "only coaches"),
        ({"role": "admin"}, "role must be"),
    ],
)
def test_bad_user_requests_are_refused(loaded: Engine, kwargs: dict, message: str) -> None:
    with pytest.raises(auth.AuthError, match=message):
        auth.add_user(loaded, username="x", password=PASSWORD, actor="t", **kwargs)


def test_short_passwords_are_refused(loaded: Engine) -> None:
    with pytest.raises(auth.AuthError, match="at least"):
        auth.add_user(loaded, username="x", role="executive", password="short", actor="t")


def test_role_change_clears_scopes_and_grants_are_checked(loaded: Engine) -> None:
    auth.add_user(loaded, username="c", role="coach", password=PASSWORD, actor="t", cohorts=["C1"])
    grants.set_role(loaded, username="c", role="merchant", actor="t")
    who = auth.authenticate(loaded, "c", PASSWORD, now=NOW).identity
    assert who is not None and who.scope.merchant_ids == frozenset()
    grants.grant(loaded, username="c", actor="t", merchants=["M2"])
    with pytest.raises(auth.AuthError, match="exactly one"):
        grants.grant(loaded, username="c", actor="t", merchants=["M3"])
    grants.revoke(loaded, username="c", actor="t", merchants=["M2"])
    grants.grant(loaded, username="c", actor="t", merchants=["M3"])
    who = auth.authenticate(loaded, "c", PASSWORD, now=NOW).identity
    assert who is not None and who.scope.merchant_ids == frozenset({"M3"})


def test_demo_personas(engine: Engine, tiny_delivery_dir: Path) -> None:
    load_delivery(tiny_delivery_dir, engine=engine, loaded_by="demo")
    personas = demo_personas(engine)
    assert [p.role for p in personas] == ["executive", "coach", "merchant"]
    assert personas[2].scope == Scope.merchant("M1", user="demo")  # C1's first by name


def test_deliveries_are_audited(engine: Engine, tiny_delivery_dir: Path, tmp_path: Path) -> None:
    load_delivery(tiny_delivery_dir, engine=engine, loaded_by="ops")
    empty = tmp_path / "nothing"
    empty.mkdir()
    load_delivery(empty, engine=engine, loaded_by="ops")  # refused: no merchants.csv ...
    log = auth.audit_log(engine=engine, scope=Scope.executive(), action="delivery")
    assert log["actor"].tolist() == ["ops", "ops"]
    assert log["success"].tolist() == [False, True]
    assert log["target"].iloc[1].startswith("#")
