"""Dates and money on charts per language: numeric Chinese date ticks (Plotly names months
in English only), 万 / 亿 and K / M on money axes, hover dates and money per language."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.pages.language_scan import _figure_texts, offences
from ui import charts, charts_connections, charts_roi


def _own(lang: str) -> dict:
    frame = pd.DataFrame(
        {
            "date": pd.date_range("2019-09-01", periods=30),
            "own": [i * 200_000.0 for i in range(30)],
            "peer_median": [i * 100_000.0 for i in range(30)],
        }
    )
    return json.loads(charts.own_vs_peers(frame, lang=lang).to_json())  # type: ignore[arg-type]


def test_chinese_dates_and_money() -> None:
    fig = _own("zh")
    x, y = fig["layout"]["xaxis"], fig["layout"]["yaxis"]
    stops = {s["value"] for s in x["tickformatstops"]}
    assert {"%-m月%-d日", "%Y年%-m月", "%Y年"} <= stops
    assert not any("%b" in s or "%B" in s for s in stops)
    assert y["ticktext"] == ["¥0", "¥200万", "¥400万", "¥600万"]
    assert y["tickvals"] == [0.0, 2_000_000.0, 4_000_000.0, 6_000_000.0]
    trace = fig["data"][0]
    assert trace["hovertemplate"].startswith("%{x|%Y年%-m月%-d日}")
    assert trace["text"][1] == "¥20.0万"
    assert offences(list(_figure_texts(json.dumps(fig))), "zh") == []


def test_english_dates_and_money() -> None:
    fig = _own("en")
    assert "tickformatstops" not in fig["layout"]["xaxis"]  # Plotly's English months
    assert fig["layout"]["yaxis"]["ticktext"] == ["¥0", "¥2M", "¥4M", "¥6M"]
    assert fig["data"][0]["hovertemplate"].startswith("%{x|%-d %b %Y}")
    assert fig["data"][0]["text"][1] == "¥200,000"


@pytest.mark.parametrize(
    ("high", "lang", "labels"),
    [
        (45_000, "zh", ["¥0", "¥1万", "¥2万", "¥3万", "¥4万", "¥5万"]),
        (2.4e8, "zh", ["¥0", "¥5,000万", "¥1亿", "¥1.5亿", "¥2亿", "¥2.5亿"]),
        (900, "en", ["¥0", "¥200", "¥400", "¥600", "¥800", "¥1K"]),
    ],
)
def test_money_ticks(high: float, lang: str, labels: list[str]) -> None:
    assert charts.money_ticks(high, lang)[1] == labels  # type: ignore[arg-type]


def test_the_scan_sees_english_months_on_an_unlocalised_date_axis() -> None:
    """Drawn without `localise`, a Chinese chart's date axis would show Jan, Feb …"""
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=pd.date_range("2019-09-01", periods=3), y=[1, 2, 3]))
    found = offences(list(_figure_texts(fig.to_json())), "zh")
    assert found == [
        "English ['Plotly-English-month-names-on-a-date-axis']: "
        "'Plotly-English-month-names-on-a-date-axis'"
    ]


def test_weekly_steps_and_score_history_are_localised() -> None:
    weekly = pd.DataFrame(
        {
            "week_start": pd.date_range("2019-01-07", periods=8, freq="7D"),
            "cohort_daily": [10_000.0 * (i + 1) for i in range(8)],
            "counterfactual_daily": [9_000.0 * (i + 1) for i in range(8)],
            "phase": ["baseline"] * 4 + ["programme"] * 4,
        }
    )
    fig = json.loads(charts_roi.weekly_steps(weekly, lang="zh").to_json())
    assert fig["layout"]["yaxis"]["ticktext"][-1].endswith("万")
    assert offences(list(_figure_texts(json.dumps(fig))), "zh") == []
    history = pd.DataFrame(
        {
            "week": list(pd.date_range("2019-01-07", periods=3, freq="7D")) * 3,
            "connection": ["touchpoints"] * 3 + ["performance"] * 3 + ["data"] * 3,
            "score": [10.0, 20.0, 30.0] * 3,
        }
    )
    fig = json.loads(charts_connections.score_history(history, lang="zh").to_json())
    assert fig["layout"]["xaxis"]["tickformatstops"]
    assert offences(list(_figure_texts(json.dumps(fig))), "zh") == []
