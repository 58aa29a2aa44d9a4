"""The coach workshop, driven through AppTest on the demo programme: the board, its sort
and filter, presentation mode and its step-through, the drill-down and a saved note."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from i18n import format as fmt
from models import connections_queries as q
from models import queries
from models.board import board, sort_board
from models.connections import load_config
from models.db import make_engine
from models.scope import Scope
from tests.pages.apptest import open_app
from ui.i18n import translate
from ui.widgets import FRAME_KEY


def _caption(db_url: str, cohort_id: str, as_of: date) -> str:
    """The workshop's caption for `cohort_id` read as of `as_of`, from the models."""
    engine = make_engine(db_url)
    scope = Scope.executive()
    try:
        week = q.latest_week(engine=engine, scope=scope, on_or_before=as_of)
        assert week is not None
        scores = q.cohort_scores(engine=engine, scope=scope, cohort_id=cohort_id, week=week)
    finally:
        engine.dispose()
    return translate("connections.workshop.caption", "en", week=fmt.day(week), n=len(scores))


def _end_date(db_url: str, cohort_id: str) -> date:
    engine = make_engine(db_url)
    try:
        cohorts = queries.cohorts(engine=engine, scope=Scope.executive())
    finally:
        engine.dispose()
    return cohorts.set_index("cohort_id").loc[cohort_id, "end_date"]


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.main.caption]


def test_workshop_board_drill_down_and_a_saved_note(
    monkeypatch: pytest.MonkeyPatch, demo_db_copy: str
) -> None:
    at = open_app(monkeypatch, demo_db_copy)
    at.selectbox(key="cohort_en").set_value("C2018A").run()
    # The sidebar's period is C2018A's programme.
    end = _end_date(demo_db_copy, "C2018A")
    assert at.date_input(key="period").value[1] == end
    at.switch_page("pages/workshop.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == translate("connections.workshop.title", "en")
    assert at.selectbox(key="workshop_cohort").value == "C2018A"
    assert _caption(demo_db_copy, "C2018A", end) in _captions(at)
    assert not any("config/connections.toml" in c for c in _captions(at))
    # The board: a row per merchant, blocker first, values in their unit, no escaping.
    want = _board(demo_db_copy, "C2018A", end)
    board = at.table[0].value
    assert list(board["Merchant"]) == list(want["name"])
    blocked = want[want["blocker"].notna()]
    assert list(board["Blocked on"])[: len(blocked)] == [
        translate(f"connections.name.{b}", "en") for b in blocked["blocker"]
    ]
    assert all("\\" not in str(v) for v in board.to_numpy().ravel())
    assert any("%" in str(v) for v in board["Most behind target"])
    # Sorted by name, filtered on touchpoints.
    at.segmented_control(key="workshop_board_sort").set_value("name").run()
    assert list(at.table[0].value["Merchant"]) == sorted(want["name"])
    at.pills(key="workshop_board_filter").set_value(["touchpoints"]).run()
    assert not at.exception
    shown = at.table[0].value
    assert set(shown["Blocked on"]) == {translate("connections.name.touchpoints", "en")}
    assert len(shown) == (want["blocker"] == "touchpoints").sum()
    # Three metric cards for the picked merchant, one per connection.
    labels = [m.label for m in at.metric][:3]
    assert labels == ["Touchpoints", "Performance", "Data"]
    merchant = at.selectbox(key="workshop_merchant").value
    assert merchant
    # What holds it back reads in units (no backslash, no raw ratio).
    backs = [f.value for f in at.dataframe if "Target" in f.value.columns]
    for frame in backs:
        assert all("\\" not in str(v) for v in frame["Value"])

    at.text_area(key="workshop_note_body").input("Agree: guides add 20 contacts a week")
    at.button(key="FormSubmitter:workshop_note_form-Save note").click().run()
    assert not at.exception
    notes = [f.value for f in at.dataframe if "Note" in f.value.columns]
    assert notes and notes[0]["Note"].iloc[0] == "Agree: guides add 20 contacts a week"


def test_presentation_mode_shows_only_the_board_and_steps_through_merchants(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_app(monkeypatch, demo_db_url)
    at.selectbox(key="cohort_en").set_value("C2018A").run()
    at.switch_page("pages/workshop.py").run()
    at.toggle(key="workshop_presentation").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 0  # no title, no drill-down: the board fills the screen
    assert len(at.table) == 1 and len(at.table[0].value) == 17
    assert not [m for m in at.selectbox if m.key == "workshop_merchant"]
    order = list(at.table[0].value["Merchant"])
    # Step through: one merchant a screen, in the board's order, and back to the board.
    at.button(key="workshop_step_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["workshop_step"] == 0
    assert order[0] in at.subheader[0].value
    at.button(key="workshop_step_next").click().run()
    assert order[1] in at.subheader[0].value
    assert [m.label for m in at.metric][:3] == ["Touchpoints", "Performance", "Data"]
    at.button(key="workshop_step_back").click().run()
    assert at.session_state["workshop_step"] is None
    assert len(at.table) == 1
    # Switching the mode off brings the title and the drill-down back.
    at.toggle(key="workshop_presentation").set_value(False).run()
    assert not at.exception
    assert at.title[0].value == translate("connections.workshop.title", "en")
    assert [m for m in at.selectbox if m.key == "workshop_merchant"]


def _board(db_url: str, cohort_id: str, as_of: date) -> pd.DataFrame:
    """The board the page must show, from the models, in its default order."""
    engine = make_engine(db_url)
    scope = Scope.executive()
    try:
        week = q.latest_week(engine=engine, scope=scope, on_or_before=as_of)
        assert week is not None
        scores = q.cohort_scores(engine=engine, scope=scope, cohort_id=cohort_id, week=week)
        indicators = q.cohort_indicators(engine=engine, scope=scope, cohort_id=cohort_id, week=week)
    finally:
        engine.dispose()
    return sort_board(board(scores, indicators, load_config()), "blocker")


@pytest.mark.parametrize(
    "cohort_id, period_end",
    [
        ("C2018A", None),  # ended long before the sidebar's period: its last programme week
        ("C2019C", date(2019, 9, 30)),  # still running at the sidebar's end: that week
    ],
)
def test_the_workshop_reads_a_cohort_no_later_than_its_programme_end(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str, cohort_id: str, period_end: date | None
) -> None:
    at = open_app(monkeypatch, demo_db_url)  # all cohorts, the latest cohort's period
    if period_end is not None:
        start = at.date_input(key="period").value[0]
        at.date_input(key="period").set_value((start, period_end)).run()
    sidebar_end = at.date_input(key="period").value[1]
    at.switch_page("pages/workshop.py").run()
    at.selectbox(key="workshop_cohort").set_value(cohort_id).run()
    assert not at.exception, [e.value for e in at.exception]
    as_of = min(sidebar_end, _end_date(demo_db_url, cohort_id))
    if period_end is None:
        assert as_of < sidebar_end  # the cohort ended before the sidebar's period does
    assert _caption(demo_db_url, cohort_id, as_of) in _captions(at)


def test_a_cohort_picked_in_the_sidebar_replaces_the_one_picked_on_the_page(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_app(monkeypatch, demo_db_url)  # all cohorts in the sidebar
    at.switch_page("pages/workshop.py").run()
    at.selectbox(key="workshop_cohort").set_value("C2019A").run()
    # AppTest runs a switched-to page without the frame, so the sidebar's pick is made
    # where the frame leaves it for the page: the run's Frame.
    sidebar = at.session_state[FRAME_KEY]
    at.session_state[FRAME_KEY] = replace(sidebar, cohort_id="C2018A")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="workshop_cohort").value == "C2018A"
    # Picking on the page again still works while the sidebar stays on C2018A.
    at.selectbox(key="workshop_cohort").set_value("C2019B").run()
    assert at.selectbox(key="workshop_cohort").value == "C2019B"
