"""The self-assessment page, driven through AppTest on the demo programme."""

from __future__ import annotations

import pytest

from models.assessment import QUESTION_IDS
from tests.pages.apptest import open_app
from ui.i18n import translate


def test_submit_an_assessment_and_see_the_gap(
    monkeypatch: pytest.MonkeyPatch, demo_db_copy: str
) -> None:
    at = open_app(monkeypatch, demo_db_copy)
    at.switch_page("pages/assessment.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == translate("connections.assessment.title", "en")
    assert at.info[0].value == translate("connections.assessment.none", "en")

    for q in QUESTION_IDS:
        at.radio(key=f"assessment_{q}").set_value(2)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value == translate("connections.assessment.saved", "en")
    text = " ".join(m.value for m in at.markdown)
    assert "self-assessed 50" in text
    assert at.header[0].value == translate("connections.assessment.gap.header", "en")
