"""The cohort ROI page and the campaign payback page, driven through AppTest."""

from __future__ import annotations

import json

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


def charts(at: AppTest) -> dict[str, dict]:
    """Every plotly chart on the page (sparklines aside), by its key: its figure's data."""
    out = {}
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        title = spec["layout"].get("title", {}).get("text", "")
        out[title] = spec["data"]
    return out


def markdown_with(at: AppTest, text: str) -> str:
    found = [m.value for m in at.markdown if text in m.value]
    assert found, f"no markdown with {text!r}"
    return found[0]


def test_the_answer_comes_first_then_the_first_cohort_reads_376_raw(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_roi(monkeypatch, demo_db_url)
    assert at.title[0].value == translate("roi.title", "en")
    assert at.selectbox(key="roi_cohort").value == "C2018A"
    # The answer, before anything about one cohort.
    assert at.markdown[0].value == f"#### {translate('roi.answer.header', 'en')}"
    answer = at.markdown[1].value
    assert answer.startswith("**C2018A** is ahead: **+295%** causal uplift (95%: +16")
    assert "more than C2019A; the lead is not yet certain (95%: -" in answer
    ranking = table_with(at, translate("roi.col.rank", "en"))
    assert list(ranking[translate("col.cohort", "en")]) == ["C2018A", "C2019A", "C2019C", "C2019B"]
    assert ranking[translate("roi.col.published_raw", "en")].iloc[0] == "+376%"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[translate("roi.kpi.raw", "en")] == "+376%"
    causal = metrics[translate("roi.kpi.causal", "en")]
    assert causal == "+295%"
    summary = markdown_with(at, "daily average GMV rose")
    assert "+376%" in summary and "the published raw uplift" in summary
    warnings = " ".join(w.value for w in at.warning)
    assert "Double 11" in warnings  # the season is said
    assert "assumption" not in warnings  # in plain words; the terms go in the help
    race = table_with(at, translate("roi.col.merchant", "en"))
    assert len(race) == 17  # every merchant, with or without a causal figure
    assert "Not in the chart" not in " ".join(c.value for c in at.caption)
    assert len(at.get("download_button")) >= 5


def test_the_private_domain_toggle_changes_every_chart_and_table(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_roi(monkeypatch, demo_db_url)
    before_charts = charts(at)
    before_tables = [frame.value for frame in at.dataframe]
    assert len(before_charts) == 4  # ranking, weekly steps, race, cumulative
    at.toggle(key="roi_private").set_value(True).run()
    assert not at.exception
    after_charts = charts(at)
    after_tables = [frame.value for frame in at.dataframe]
    assert set(after_charts) == set(before_charts)
    for title, data in before_charts.items():
        assert after_charts[title] != data, f"{title!r} did not change"
    assert len(after_tables) == len(before_tables) == 2  # the ranking, the merchants
    for before, after in zip(before_tables, after_tables, strict=True):
        assert not before.equals(after)
    assert translate("roi.private.applies", "en") in [c.value for c in at.caption]
    # A merchant without private-domain GMV in the baseline leaves the race, not the page.
    race = table_with(at, translate("roi.col.merchant", "en"))
    assert len(race) == 17
    missing = race[race[translate("roi.col.causal", "en")].str.startswith("no private")]
    assert len(missing) >= 1
    assert f"Not in the chart ({len(missing)})" in " ".join(c.value for c in at.caption)
    assert "private-domain GMV beyond" in " ".join(c.value for c in at.caption)


def test_other_baselines_are_named_for_what_they_are_and_chinese(
    monkeypatch: pytest.MonkeyPatch, demo_db_copy: str
) -> None:
    """Picking a language writes it to the account: on a database of this test's own."""
    at = open_roi(monkeypatch, demo_db_copy)
    at.selectbox(key="roi_cohort").set_value("C2019B").run()
    at.get("segmented_control")[0].set_value("last_year").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert translate("roi.kpi.raw.last_year", "en") in labels
    assert translate("roi.kpi.raw", "en") not in labels  # "published" is the 28-day figure
    ranking = table_with(at, translate("roi.col.rank", "en"))
    assert translate("roi.col.raw_last_year", "en") in ranking.columns
    assert translate("roi.col.published_raw", "en") not in ranking.columns
    assert "2018" in " ".join(c.value for c in at.caption)  # C2019B against 2018's dates
    assert "the published" not in markdown_with(at, "daily average GMV rose")
    at.radio(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == translate("roi.title", "zh")
    assert "领先" in at.markdown[1].value
    assert "日均成交额" in markdown_with(at, "日均成交额从")


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
