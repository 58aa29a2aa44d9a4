"""Accepting an invitation through AppTest, the way its link opens the app
(`?invite=CODE`) or its code is typed on the login screen: a valid one sets the password
and logs in, once; a used, expired or unknown one says so and leaves the login form."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models import accounts, auth
from models.db import make_engine, upgrade
from models.scope import Scope
from pipelines.load import load_delivery
from tests.pages.apptest import APP, TIMEOUT
from ui.auth import AUTH_USER_KEY
from ui.i18n import translate


@pytest.fixture
def tiny_url(tmp_path: Path, tiny_delivery_dir: Path) -> str:
    url = f"sqlite:///{tmp_path / 'growth.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_delivery(tiny_delivery_dir, engine=engine)
    engine.dispose()
    return url


def invite(url: str, username: str, now: datetime | None = None) -> str:
    engine = make_engine(url)
    handed = accounts.create_account(
        engine=engine,
        scope=Scope.executive(user="boss"),
        username=username,
        role="merchant",
        merchants=["M1"],
        invite=True,
        now=now,
    )
    engine.dispose()
    assert handed.token is not None
    return handed.token


def anonymous(monkeypatch: pytest.MonkeyPatch, url: str, token: str | None = None) -> AppTest:
    monkeypatch.setenv("GROWTH_DB_URL", url)
    monkeypatch.setenv("GROWTH_DEMO", "0")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if token is not None:
        at.query_params["invite"] = token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def set_password(at: AppTest, password: str, repeat: str | None = None) -> AppTest:
    at.text_input(key="invite_password").input(password)
    at.text_input(key="invite_repeat").input(password if repeat is None else repeat)
    next(b for b in at.button if b.label == translate("invite.submit", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_valid_invitation_sets_the_password_and_logs_in_once(
    monkeypatch: pytest.MonkeyPatch, tiny_url: str
) -> None:
    token = invite(tiny_url, "alpha")
    at = anonymous(monkeypatch, tiny_url, token)
    assert translate("invite.title", "en") in [x.value for x in at.title]
    assert "alpha" in " ".join(h.value for h in at.subheader)

    set_password(at, "first-pass-1", "first-pass-2")  # the two differ: nothing changes
    assert translate("users.mismatch", "en") in [e.value for e in at.error]
    set_password(at, "short")
    assert translate("invite.short", "en", n=auth.MIN_PASSWORD) in [e.value for e in at.error]
    assert AUTH_USER_KEY not in at.session_state

    set_password(at, "first-pass-1")
    assert AUTH_USER_KEY in at.session_state  # logged in, on the merchant's pages
    assert "invite" not in at.query_params
    assert not [x for x in at.title if x.value == translate("auth.title", "en")]
    assert [x.value for x in at.toast] == [translate("invite.done", "en", name="alpha")]
    engine = make_engine(tiny_url)
    assert auth.authenticate(engine, "alpha", "first-pass-1").outcome == "ok"
    engine.dispose()

    # the same link again, in a fresh session: used, so the login form and why
    again = anonymous(monkeypatch, tiny_url, token)
    assert [e.value for e in again.error] == [translate("invite.invalid", "en")]
    assert translate("auth.title", "en") in [x.value for x in again.title]
    assert not [w for w in again.text_input if w.key == "invite_password"]
    assert AUTH_USER_KEY not in again.session_state


@pytest.mark.parametrize("kind", ["expired", "unknown"])
def test_an_expired_or_unknown_invitation_opens_nothing(
    monkeypatch: pytest.MonkeyPatch, tiny_url: str, kind: str
) -> None:
    long_ago = datetime.now() - timedelta(days=accounts.INVITATION_DAYS + 1)
    token = invite(tiny_url, "beta", now=long_ago)
    at = anonymous(monkeypatch, tiny_url, token if kind == "expired" else "no-such-code")
    assert [e.value for e in at.error] == [translate("invite.invalid", "en")]
    assert not [w for w in at.text_input if w.key == "invite_password"]
    assert [w for w in at.text_input if w.key == "login_username"]
    engine = make_engine(tiny_url)
    with pytest.raises(auth.AuthError):
        accounts.accept_invitation(engine=engine, token=token, password="late-pass-1")
    engine.dispose()


def test_a_typed_code_opens_the_same_screen(monkeypatch: pytest.MonkeyPatch, tiny_url: str) -> None:
    token = invite(tiny_url, "gamma")
    at = anonymous(monkeypatch, tiny_url)
    at.text_input(key="invite_code").input(token)
    next(b for b in at.button if b.label == translate("invite.open", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "gamma" in " ".join(h.value for h in at.subheader)
    set_password(at, "gamma-pass-1")
    assert AUTH_USER_KEY in at.session_state
