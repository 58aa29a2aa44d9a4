"""The language follows the user: a logged-in user's pick is kept on their account and
restored at their next login, and every widget of the frame — the view-as box too —
changes with it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from models import user_prefs
from models.db import make_engine
from models.personas import demo_personas
from tests.pages.apptest import APP, TIMEOUT, app_as
from ui.auth import AUTH_USER_KEY, PERSONA_KEY
from ui.i18n import LANG_KEY, translate


def _user_lang(db_url: str, user_id: int) -> str | None:
    engine = make_engine(db_url)
    try:
        return user_prefs.language(engine, user_id)
    finally:
        engine.dispose()


def test_a_pick_is_kept_and_restored_at_the_next_login(
    monkeypatch: pytest.MonkeyPatch, demo_db_copy: str
) -> None:
    """A pick is written to the account: on a database of this test's own."""
    at = app_as(monkeypatch, demo_db_copy, "coach", ["C2019B"]).run()
    user_id = at.session_state[AUTH_USER_KEY]
    assert not at.exception
    assert at.title[0].value == translate("overview.title", "en")
    assert _user_lang(demo_db_copy, user_id) is None  # nothing picked yet: nothing stored
    at.sidebar.radio(key=LANG_KEY).set_value("zh").run()
    assert at.title[0].value == translate("overview.title", "zh")
    assert _user_lang(demo_db_copy, user_id) == "zh"
    # a new session (a new login of the same user): Chinese again, without picking
    again = app_as(monkeypatch, demo_db_copy, "coach", ["C2019B"], keep_language=True).run()
    assert not again.exception
    assert again.session_state[LANG_KEY] == "zh"
    assert again.title[0].value == translate("overview.title", "zh")
    side = again.sidebar
    labels = [w.label for w in side.selectbox] + [w.label for w in side.date_input]
    assert labels == [translate("sidebar.cohort", "zh"), translate("sidebar.period", "zh")]
    again.sidebar.radio(key=LANG_KEY).set_value("en").run()
    assert _user_lang(demo_db_copy, user_id) == "en"


def test_the_view_as_box_changes_with_the_language(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    monkeypatch.setenv("GROWTH_DB_URL", demo_db_url)
    monkeypatch.delenv("GROWTH_DEMO", raising=False)  # demo mode: nobody logs in
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    box = at.sidebar.selectbox(key=f"{PERSONA_KEY}_en")
    assert box.label == translate("demo.view_as", "en")
    assert translate("demo.as.executive", "en") in box.options
    coach = next(p for p in demo_personas(make_engine(demo_db_url)) if p.role == "coach")
    box.select(coach.key).run()
    at.sidebar.radio(key=LANG_KEY).set_value("zh").run()
    assert not at.exception
    box = at.sidebar.selectbox(key=f"{PERSONA_KEY}_zh")
    assert box.label == translate("demo.view_as", "zh")
    assert box.value == coach.key  # the pick survives the switch
    assert translate("demo.as.coach", "zh", cohort_id=coach.label_id) in box.options
    assert translate("demo.as.executive", "zh") in box.options
    assert all(translate("demo.as.executive", "en") != o for o in box.options)
    assert at.warning[0].value == translate("demo.banner", "zh")
