"""Switching who one views the demo as resets the filters the new persona would not
have picked: a coach lands on its cohort's programme window, not the executive's months."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from models import queries
from models.db import make_engine
from models.personas import demo_personas
from models.scope import Scope
from tests.pages.apptest import APP, TIMEOUT
from ui.auth import PERSONA_KEY


def _window(db_url: str, cohort_id: str) -> tuple[object, object]:
    engine = make_engine(db_url)
    try:
        cohorts = queries.cohorts(engine=engine, scope=Scope.executive()).set_index("cohort_id")
        window = queries.data_window(engine=engine, scope=Scope.executive())
    finally:
        engine.dispose()
    assert window is not None
    start, end = cohorts.loc[cohort_id, "start_date"], cohorts.loc[cohort_id, "end_date"]
    return max(start, window[0]), min(end, window[1])


def test_a_coach_persona_starts_on_its_cohorts_programme(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    monkeypatch.setenv("GROWTH_DB_URL", demo_db_url)
    monkeypatch.delenv("GROWTH_DEMO", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    executive_period = at.date_input(key="period").value
    personas = demo_personas(make_engine(demo_db_url))
    coach = next(p for p in personas if p.role == "coach" and p.label_id == "C2018A")
    assert executive_period != _window(demo_db_url, "C2018A")  # the executive's months
    at.sidebar.selectbox(key=f"{PERSONA_KEY}_en").select(coach.key).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input(key="period").value == _window(demo_db_url, "C2018A")
    # Back to the executive: its own default again, not the coach's programme.
    at.sidebar.selectbox(key=f"{PERSONA_KEY}_en").select("executive").run()
    assert not at.exception
    assert at.date_input(key="period").value == executive_period
