"""The coach workshop, driven through AppTest on the demo programme."""

from __future__ import annotations

import pytest

from tests.pages.apptest import open_app
from ui.i18n import translate


def test_workshop_heatmap_drill_down_and_a_saved_note(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_app(monkeypatch, demo_db_url)
    at.selectbox(key="cohort_en").set_value("C2018A").run()
    at.switch_page("pages/workshop.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == translate("connections.workshop.title", "en")
    assert at.selectbox(key="workshop_cohort").value == "C2018A"
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
