"""The accounts page through AppTest: an executive invites a merchant (code shown once),
the merchant accepts it and changes its password on the page; only executives manage;
the cohort planner answers."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models import accounts, auth
from models.db import make_engine, upgrade
from models.permissions import NotAllowed
from models.scope import Scope
from pipelines.load import load_delivery
from tests.pages.apptest import APP, TIMEOUT, open_app
from ui.auth import AUTH_USER_KEY, LAST_SEEN_KEY
from ui.i18n import translate


@pytest.fixture
def tiny_url(tmp_path: Path, tiny_delivery_dir: Path) -> str:
    url = f"sqlite:///{tmp_path / 'growth.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_delivery(tiny_delivery_dir, engine=engine)
    engine.dispose()
    return url


def test_invitation_then_password_change(monkeypatch: pytest.MonkeyPatch, tiny_url: str) -> None:
    at = open_app(monkeypatch, tiny_url)
    at.switch_page("pages/users.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="users_role").set_value("merchant").run()
    at.text_input(key="users_username").input("alpha")
    at.selectbox(key="users_merchant").set_value("M1")
    at.radio(key="users_how").set_value("invite")
    submit = next(b for b in at.button if b.label == translate("users.create.button", "en"))
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(s.value for s in at.success)
    token = re.search(r"`([A-Za-z0-9_-]{20,})`", shown)
    assert token is not None and "alpha" in shown
    links = [c.value for c in at.code]  # the link that opens the invitation screen
    assert links == [f"?invite={token.group(1)}"]
    engine = make_engine(tiny_url)
    assert "alpha" in set(accounts.accounts(engine=engine, scope=Scope.executive())["username"])
    assert accounts.accept_invitation(engine=engine, token=token.group(1), password="first-pass-1")
    with pytest.raises(auth.AuthError):  # opens once
        accounts.accept_invitation(engine=engine, token=token.group(1), password="again-pass-2")
    assert auth.authenticate(engine, "alpha", "first-pass-1").outcome == "ok"
    identity = auth.authenticate(engine, "alpha", "first-pass-1").identity
    assert identity is not None and identity.user_id is not None

    # the merchant changes its password on the same page (no admin sections for it)
    mine = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    mine.session_state[AUTH_USER_KEY] = identity.user_id
    mine.session_state[LAST_SEEN_KEY] = time.time()
    mine.run()
    mine.switch_page("pages/users.py").run()
    assert not mine.exception, [e.value for e in mine.exception]
    headers = [h.value for h in mine.header]
    assert translate("users.create", "en") not in headers
    mine.text_input(key="users_current").input("first-pass-1")
    mine.text_input(key="users_new").input("second-pass-2")
    mine.text_input(key="users_repeat").input("second-pass-2")
    next(b for b in mine.button if b.label == translate("users.change", "en")).click().run()
    assert not mine.exception
    assert translate("users.changed", "en") in [s.value for s in mine.success]
    assert auth.authenticate(engine, "alpha", "second-pass-2").outcome == "ok"
    assert auth.authenticate(engine, "alpha", "first-pass-1").outcome == "wrong_password"
    engine.dispose()


def test_only_an_executive_manages_accounts(tiny_url: str) -> None:
    engine = make_engine(tiny_url)
    for scope in (Scope.merchant("M1", user="m"), Scope.coach(["C1"], user="c")):
        with pytest.raises(NotAllowed):
            accounts.create_account(engine=engine, scope=scope, username="x", role="executive")
        with pytest.raises(NotAllowed):
            accounts.reset(engine=engine, scope=scope, username="x")
    engine.dispose()
