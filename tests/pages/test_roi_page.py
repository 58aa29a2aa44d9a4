"""The cohort ROI page and the campaign payback page, driven through AppTest."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import app_as
from ui.i18n import translate


def table_with(at: AppTest, header: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if header in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a {header!r} column")


def open_roi(monkeypatch: pytest.MonkeyPatch, db_url: str, **who: object) -> AppTest:
    at = app_as(monkeypatch, db_url, **who).run()  # type: ignore[arg-type]
    at.switch_page("pages/roi.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_first_cohort_reads_376_raw_and_a_causal_figure(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_roi(monkeypatch, demo_db_url)
    assert at.title[0].value == translate("roi.title", "en")
    assert at.selectbox(key="roi_cohort").value == "C2018A"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[translate("roi.kpi.raw", "en")] == "+376%"
    causal = metrics[translate("roi.kpi.causal", "en")]
    assert causal.startswith("+") and causal != "+376%"
    summary = at.markdown[0].value
    assert "+376%" in summary and "non-participants" in summary
    warnings = " ".join(w.value for w in at.warning)
    assert "Double 11" in warnings  # the season is said
    race = table_with(at, translate("roi.col.causal", "en"))
    assert len(race) == 17
    cohorts = table_with(at, translate("col.cohort", "en")).set_index(translate("col.cohort", "en"))
    assert cohorts.loc["C2018A", translate("roi.col.raw", "en")] == "+376%"
    assert len(at.get("download_button")) >= 4


def test_baselines_private_domain_and_chinese(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_roi(monkeypatch, demo_db_url)
    at.selectbox(key="roi_cohort").set_value("C2019B").run()
    at.toggle(key="roi_private").set_value(True).run()
    assert not at.exception
    at.get("segmented_control")[0].set_value("last_year").run()
    assert not at.exception
    assert "2018" in at.caption[0].value  # C2019B against the same dates of 2018
    at.radio(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == translate("roi.title", "zh")
    assert "日均成交额" in at.markdown[0].value


def test_a_coach_sees_the_roi_page_of_a_cohort(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_roi(monkeypatch, demo_db_url, role="coach", cohorts=["C2019A"])
    assert at.selectbox(key="roi_cohort").options == [
        translate("sidebar.cohort_option", "en", cohort_id="C2019A", name=n)
        for n in ["Doubling plan 2019 spring / 倍增计划 第二期"]
    ]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[translate("roi.kpi.causal", "en")] != "—"  # anonymous comparison group
