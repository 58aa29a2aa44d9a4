"""The coach workshop, driven through AppTest on the demo programme."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from models import connections_queries as q
from models import queries
from models.db import make_engine
from models.scope import Scope
from tests.pages.apptest import open_app
from ui import format as fmt
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


def test_workshop_heatmap_drill_down_and_a_saved_note(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_app(monkeypatch, demo_db_url)
    at.selectbox(key="cohort_en").set_value("C2018A").run()
    # The sidebar's period is C2018A's programme.
    end = _end_date(demo_db_url, "C2018A")
    assert at.date_input(key="period").value[1] == end
    at.switch_page("pages/workshop.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == translate("connections.workshop.title", "en")
    assert at.selectbox(key="workshop_cohort").value == "C2018A"
    assert _caption(demo_db_url, "C2018A", end) in _captions(at)
    # Three metric cards for the picked merchant, one per connection.
    labels = [m.label for m in at.metric][:3]
    assert labels == ["Touchpoints", "Performance", "Data"]
    merchant = at.selectbox(key="workshop_merchant").value
    assert merchant

    at.text_area(key="workshop_note_body").input("Agree: guides add 20 contacts a week")
    at.button[-1].click().run()
    assert not at.exception
    notes = [f.value for f in at.dataframe if "Note" in f.value.columns]
    assert notes and notes[0]["Note"].iloc[0] == "Agree: guides add 20 contacts a week"

    # Sorting by a connection and the indicator heatmap both draw.
    at.selectbox(key="workshop_sort_connections").set_value("touchpoints").run()
    assert not at.exception
    at.toggle(key="workshop_presentation").set_value(True).run()
    assert not at.exception


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
