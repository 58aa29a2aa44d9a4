"""The executive overview, driven like a user through Streamlit's AppTest."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from models.db import has_data, make_engine, upgrade
from models.kpis import KPI_KINDS
from models.settings import Settings
from pipelines.load import LoadReport, load_delivery
from tests.pages.apptest import open_app
from ui import charts
from ui.i18n import translate

Progress = Callable[[float, str], None]


def table_with(at: AppTest, header: str) -> pd.DataFrame:
    """The first table on screen that has a column headed `header`."""
    for frame in at.dataframe:
        if header in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a {header!r} column")


def kpi_labels(lang: str) -> list[str]:
    return [translate(f"kpi.{key}", lang) for key in KPI_KINDS]


def test_overview_shows_the_cards_and_the_cohort_table(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_app(monkeypatch, demo_db_url)

    assert at.title[0].value == translate("overview.title", "en")
    assert [m.label for m in at.metric] == kpi_labels("en")
    values = {m.label: m.value for m in at.metric}
    assert values["GMV"].startswith("¥") and values["GMV"] != "—"
    assert values["Private-domain share"].endswith("%")
    assert values["Cloud users"].replace(",", "").isdigit()

    # The answer comes first: which cohort is ahead, by how much causally, how sure.
    assert at.markdown[0].value == f"#### {translate('roi.answer.header', 'en')}"
    assert at.markdown[1].value.startswith("**C2018A** is ahead: **+295%** causal uplift")
    assert "points** more than C2019A; the lead is not yet certain" in at.markdown[1].value
    ranking = table_with(at, "Rank")
    assert list(ranking["Cohort"]) == ["C2018A", "C2019A", "C2019C", "C2019B"]
    assert list(ranking["Published raw uplift"])[0] == "+376%"

    cohorts = table_with(at, "Programme window").set_index("Cohort")
    assert cohorts.loc["C2018A", "Published raw uplift"] == "+376%"
    assert cohorts.loc["C2018A", "Programme window"] == "22 Oct 2018 – 21 Dec 2018"
    assert list(cohorts.columns) == [
        "Name",
        "Merchants",
        "Programme window",
        "Baseline daily GMV",
        "Programme daily GMV",
        "Published raw uplift",
    ]
    headers = [h.value for h in at.header]  # the answer's heading is a card's, not a header
    assert headers == [
        translate("overview.gmv.header", "en"),
        translate("overview.cohorts.header", "en"),
        translate("overview.movers.header", "en"),
    ]
    # Every optional input of the demo is there: no "deliver this file" notice.
    assert not [i.value for i in at.info]


def test_picking_a_cohort_shows_its_programme_window(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_app(monkeypatch, demo_db_url)
    at.selectbox(key="cohort_en").set_value("C2018A").run()

    assert not at.exception
    assert at.session_state["period"] == (date(2018, 10, 22), date(2018, 12, 21))
    captions = [c.value for c in at.caption]
    assert any("22 Oct 2018 – 21 Dec 2018" in c for c in captions)
    # The daily average GMV card over the cohort's window is the table's programme figure.
    daily = next(m.value for m in at.metric if m.label == "Daily average GMV")
    cohorts = table_with(at, "Programme window").set_index("Cohort")
    assert daily == cohorts.loc["C2018A", "Programme daily GMV"]
    # The cards' "vs previous period" (61 days before) is not the published +376% (28
    # days before): the page says so.
    assert (
        translate(
            "overview.cards.vs_uplift",
            "en",
            cohort="C2018A",
            days="61",
            baseline_days=28,
            raw="+376%",
        )
        in captions
    )


def test_chinese_labels(monkeypatch: pytest.MonkeyPatch, demo_db_copy: str) -> None:
    """Picking a language writes it to the account: on a database of this test's own."""
    at = open_app(monkeypatch, demo_db_copy)
    at.radio(key="lang").set_value("zh").run()

    assert not at.exception
    assert at.title[0].value == "计划总览"
    assert [m.label for m in at.metric] == kpi_labels("zh")
    assert "日均成交额" in [m.label for m in at.metric]
    assert at.markdown[1].value.startswith("**C2018A** 领先：因果提升 **+295%**")
    cohorts = table_with(at, "计划周期").set_index("期次")
    assert cohorts.loc["C2018A", "公布口径原始提升"] == "+376%"
    assert cohorts.loc["C2018A", "计划周期"] == "2018年10月22日 – 2018年12月21日"
    cohort = at.sidebar.selectbox(key="cohort_zh")
    assert cohort.label == "期次"
    assert cohort.options[0] == translate("sidebar.all_cohorts", "zh")


def test_shared_filters_keep_their_state_across_pages(
    monkeypatch: pytest.MonkeyPatch, demo_db_copy: str
) -> None:
    """Picking a language writes it to the account: on a database of this test's own."""
    at = open_app(monkeypatch, demo_db_copy)
    at.radio(key="lang").set_value("zh").run()
    at.selectbox(key="cohort_zh").set_value("C2019A").run()
    period = at.session_state["period"]

    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert at.title[0].value == translate("data.title", "zh")
    at.switch_page("pages/overview.py").run()

    assert not at.exception
    assert at.radio(key="lang").value == "zh"
    assert at.selectbox(key="cohort_zh").value == "C2019A"
    assert at.session_state["cohort"] == "C2019A"
    assert at.session_state["period"] == period
    assert at.title[0].value == "计划总览"

    # Back to English: the English select box starts from the same pick.
    at.radio(key="lang").set_value("en").run()
    assert at.selectbox(key="cohort_en").value == "C2019A"
    assert at.session_state["period"] == period
    assert at.title[0].value == "Programme overview"


def test_empty_database_says_what_to_deliver(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = open_app(monkeypatch, f"sqlite:///{tmp_path / 'empty.db'}")

    notices = " ".join(i.value for i in at.info)
    assert "merchants.csv" in notices and "orders.csv" in notices
    assert not at.metric
    assert translate("sidebar.no_data", "en") in [c.value for c in at.sidebar.caption]


def test_missing_optional_files_are_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_delivery_dir: Path
) -> None:
    for name in ("cohorts", "store_traffic", "touchpoint_events", "attendance"):
        (tiny_delivery_dir / f"{name}.csv").unlink()
    url = f"sqlite:///{tmp_path / 'partial.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert load_delivery(tiny_delivery_dir, engine=engine).ok
    engine.dispose()

    at = open_app(monkeypatch, url)

    notices = " ".join(i.value for i in at.info)
    for file in ("cohorts.csv", "store_traffic.csv", "touchpoint_events.csv"):
        assert file in notices
    assert "attendance.csv" not in notices  # the overview does not use it
    assert [m.label for m in at.metric] == kpi_labels("en")
    digitised = next(m for m in at.metric if m.label == "Digitised share of visitors")
    assert digitised.value == "—"


def test_first_start_builds_the_demo_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_delivery_dir: Path
) -> None:
    """The frame builds the demo on an empty embedded database, reporting progress, and
    the pages then read it (caches cleared)."""
    import pipelines.bootstrap as bootstrap

    built: list[str] = []

    def build(
        engine: Engine, settings: Settings, *, progress: Progress | None = None
    ) -> LoadReport:
        assert progress is not None
        progress(0.5, "orders.csv: reading")
        built.append(settings.db_url)
        return load_delivery(tiny_delivery_dir, engine=engine, loaded_by="demo")

    monkeypatch.setattr(bootstrap, "needs_demo", lambda engine, settings: not has_data(engine))
    monkeypatch.setattr(bootstrap, "build_demo", build)
    url = f"sqlite:///{tmp_path / 'first.db'}"
    at = open_app(monkeypatch, url)

    assert built == [url]
    assert len(at.metric) == 6
    assert list(table_with(at, "Programme window")["Cohort"]) == ["C1"]
    at.run()
    assert built == [url]


def test_a_failed_demo_build_is_said(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pipelines.bootstrap as bootstrap

    failed = LoadReport(
        batch_id=None,
        status="failed",
        files=[],
        rejections=pd.DataFrame(),
        rejected_total=0,
        message="OSError: disk full",
    )
    monkeypatch.setattr(bootstrap, "needs_demo", lambda engine, settings: True)
    monkeypatch.setattr(bootstrap, "build_demo", lambda engine, settings, progress=None: failed)
    at = open_app(monkeypatch, f"sqlite:///{tmp_path / 'broken.db'}")

    assert at.error[0].value == translate("demo.failed", "en")
    assert "merchants.csv" in " ".join(i.value for i in at.info)


def _cohort_gmv_chart(at: AppTest) -> go.Figure:
    axes = {translate(k, "en") for k in ("chart.axis.gmv", "chart.axis.gmv_per_merchant")}
    for chart in at.get("plotly_chart"):
        figure = pio.from_json(chart.proto.spec)
        if figure.layout.yaxis.title.text in axes:
            return figure
    raise AssertionError("no cohort GMV chart on the overview")


def _values(trace_values: object) -> np.ndarray:
    """A trace's numbers, whether plotly wrote them as a list or as typed base64 bytes."""
    if isinstance(trace_values, dict):
        raw = base64.b64decode(trace_values["bdata"])
        return np.frombuffer(raw, dtype=np.dtype(trace_values["dtype"])).astype(float)
    return np.asarray(trace_values, dtype=float)


def _wiggle(values: np.ndarray) -> float:
    """How much a series moves from day to day, against its level."""
    return float(np.abs(np.diff(values)).mean() / np.abs(values).mean())


def test_chart_toggles(monkeypatch: pytest.MonkeyPatch, demo_db_url: str) -> None:
    """Per merchant and the 7-day mean change what the chart draws, not just the toggles."""
    at = open_app(monkeypatch, demo_db_url)
    before = _cohort_gmv_chart(at)
    at.toggle(key="overview_per_merchant").set_value(True)
    at.toggle(key="overview_rolling").set_value(True).run()
    assert not at.exception
    after = _cohort_gmv_chart(at)
    assert before.layout.yaxis.title.text == translate("chart.axis.gmv", "en")
    assert after.layout.yaxis.title.text == translate("chart.axis.gmv_per_merchant", "en")
    total, per_merchant = _values(before.data[0].y), _values(after.data[0].y)
    assert before.data[0].name == after.data[0].name and len(total) == len(per_merchant) > 7
    assert per_merchant.max() < total.max()  # divided by the merchants with data that day
    assert _wiggle(per_merchant) < _wiggle(total)  # the 7-day mean is smoother


COHORTS = pd.DataFrame(
    {
        "cohort_id": ["C1", "C2"],
        "name": ["One", "Two"],
        "start_date": [date(2024, 3, 2), date(2024, 5, 1)],
        "end_date": [date(2024, 3, 3), date(2024, 6, 30)],
    }
)
DAILY = pd.DataFrame(
    {
        "cohort_id": ["C1", "C1", "C1", None, None, None],
        "date": [date(2024, 3, d) for d in (1, 2, 3)] * 2,
        "merchants": [2, 2, 4, 1, 1, 1],
        "gmv": [100.0, 300.0, 400.0, 50.0, 70.0, 90.0],
        "private_gmv": [0.0] * 6,
    }
)


def test_cohort_chart_by_hand() -> None:
    fig = charts.cohort_gmv(DAILY, COHORTS, lang="en", period_start=date(2024, 3, 2))
    names = [trace.name for trace in fig.data]
    assert names == ["C1", translate("chart.control", "en")]
    assert list(fig.data[0].y) == [100.0, 300.0, 400.0]
    # C1's window is shaded; C2 has no series in range, so no band.
    bands = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(bands) == 1
    assert fig.layout.title.text == translate("chart.cohort_gmv.title", "en")

    per_merchant = charts.cohort_gmv(DAILY, COHORTS, lang="zh", per_merchant=True, rolling=True)
    assert list(per_merchant.data[0].y) == [50.0, 100.0, (50 + 150 + 100) / 3]
    assert per_merchant.data[1].name == "未参与商家（对照组）"

    focused = charts.cohort_gmv(DAILY, COHORTS, lang="en", focus="C2")
    assert [trace.name for trace in focused.data] == [translate("chart.control", "en")]


def test_movers_by_hand() -> None:
    movers = pd.DataFrame(
        {
            "merchant_id": ["a", "b", "c", "d", "e"],
            "name": ["<b>A</b>", "B", "C", "D", "E"],
            "cohort_id": ["C1", None, "C1", "C1", None],
            "industry": ["other"] * 5,
            "daily_gmv": [30.0, 20.0, 10.0, 5.0, 1.0],
            "previous_daily_gmv": [10.0, 10.0, 10.0, 10.0, 0.0],
            "change": [2.0, 1.0, 0.0, -0.5, None],
        }
    )
    picked = charts.pick_movers(movers, n=1)
    assert list(picked["merchant_id"]) == ["a", "d"]
    fig = charts.movers_bar(movers, lang="en", n=5)
    assert fig is not None
    bars = fig.data[0]
    assert list(bars.y) == ["d", "b", "a"]  # drawn bottom-up: the largest rise on top
    assert list(bars.text) == ["-50%", "+100%", "+200%"]
    assert list(fig.layout.yaxis.ticktext) == ["D", "B", "&lt;b&gt;A&lt;/b&gt;"]
    assert charts.movers_bar(movers.iloc[[2, 4]], lang="en") is None
