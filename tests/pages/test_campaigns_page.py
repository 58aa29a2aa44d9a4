"""The campaign payback page through AppTest: a holdout campaign's lift and payback, an
observational one, and a merchant seeing only its own campaigns."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import app_as
from ui.i18n import translate


def showcase(truth: dict[str, Any]) -> dict[str, Any]:
    """The generator's showcase campaign (a holdout, ROI 10x within 30 days)."""
    return next(c for c in truth["campaigns"] if c["roi_showcase"])


def open_campaigns(monkeypatch: pytest.MonkeyPatch, db_url: str, **who: object) -> AppTest:
    at = app_as(monkeypatch, db_url, **who).run()  # type: ignore[arg-type]
    at.switch_page("pages/campaigns.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_holdout_campaign_shows_its_lift_and_payback(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str, ground_truth: dict[str, Any]
) -> None:
    truth = showcase(ground_truth)
    at = open_campaigns(monkeypatch, demo_db_url)
    assert at.title[0].value == translate("campaigns.title", "en")
    at.selectbox(key="campaigns_pick").set_value(truth["campaign_id"]).run()
    assert not at.exception
    metrics = {m.label: m for m in at.metric}
    assert metrics[translate("campaigns.kpi.roi", "en")].value.endswith("×")
    # the estimate from a holdout of a few dozen customers: within half to twice the truth
    roi = float(metrics[translate("campaigns.kpi.roi", "en")].value[:-1])
    assert truth["true_roi"] / 2 <= roi <= truth["true_roi"] * 2
    payback = metrics[translate("campaigns.kpi.payback", "en")].value
    assert payback.startswith("day ") and int(payback.removeprefix("day ")) <= 30
    lift = metrics[translate("campaigns.kpi.gmv_per_customer", "en")]
    assert lift.delta is not None and lift.delta.startswith("+")
    assert "95% interval" in " ".join(m.value for m in at.markdown)
    assert not at.warning


def test_an_observational_campaign_says_so(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_campaigns(monkeypatch, demo_db_url)
    at.selectbox(key="campaigns_pick").set_value("CMP-M006-01").run()  # no holdout
    assert not at.exception
    assert translate("campaigns.observational", "en") in [w.value for w in at.warning]


def test_a_merchant_sees_only_its_own_campaigns(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_campaigns(monkeypatch, demo_db_url, role="merchant", merchant="M062")
    options = at.selectbox(key="campaigns_pick").options
    assert options and all("CMP-M062-" in o for o in options)
    assert not [s for s in at.selectbox if s.key == "campaigns_merchant"]


def test_names_and_channels_are_words(monkeypatch: pytest.MonkeyPatch, demo_db_url: str) -> None:
    at = open_campaigns(monkeypatch, demo_db_url)
    table = at.dataframe[0].value
    channels = set(table[translate("campaigns.col.channel", "en")])
    assert channels and not channels & {"None", "nan", "", "—"}
    assert not any("_" in str(n) for n in table[translate("campaigns.col.name", "en")])
