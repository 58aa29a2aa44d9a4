"""The results race and the cohort ranking chart: readable with an outlier, labels away
from the error bars, colours as in the legend, every merchant accounted for."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.uplift import MERCHANT_COLUMNS
from ui import charts_roi
from ui.charts import PALETTE

MIN_VISIBLE = 0.03  # of the axis width


def merchants(estimates: list[float], significant: list[bool] | None = None) -> pd.DataFrame:
    """Merchants with these causal uplifts, intervals +-50% around them, raw 20% above."""
    n = len(estimates)
    e = np.array(estimates)
    return pd.DataFrame(
        {
            "merchant_id": [f"m{i}" for i in range(n)],
            "name": [f"Shop <{i}>" for i in range(n)],
            "industry": "tea",
            "baseline": 10.0,
            "programme": 10.0 * (1 + e),
            "post": np.nan,
            "raw_uplift": e + 0.2,
            "causal_uplift": e,
            "causal_low": e - 0.5,
            "causal_high": e + 0.5,
            "significant": significant if significant is not None else list(e - 0.5 > 0),
            "incremental_daily": 1.0,
            "reason": None,
        },
        columns=MERCHANT_COLUMNS,
    )


def bar_lengths(fig) -> dict[str, float]:  # noqa: ANN001
    """Merchant id -> drawn bar length as a share of the x axis width."""
    lo, hi = fig.layout.xaxis.range
    out = {}
    for trace in fig.data:
        if trace.type == "bar":
            for x, y in zip(trace.x, trace.y, strict=True):
                out[y] = abs(x) / (hi - lo)
    return out


@pytest.mark.parametrize("outlier", [45.97, 500.0])
def test_an_outlier_does_not_flatten_the_other_bars(outlier: float) -> None:
    estimates = [0.55, 1.2, 1.6, 2.2, 2.9, 3.5, 6.9, outlier]
    fig = charts_roi.results_race(merchants(estimates), lang="en")
    assert fig is not None
    lengths = bar_lengths(fig)
    assert len(lengths) == len(estimates)  # every merchant with a figure has its bar
    for mid, share in lengths.items():
        if mid != "m7":
            assert share >= MIN_VISIBLE, (mid, share)
    lo, hi = fig.layout.xaxis.range
    assert hi < outlier  # the outlier is cut at the edge ...
    clipped = [t for t in fig.data if t.name == "Cut at the axis edge ▶"]
    assert clipped and "m7" in clipped[0].y  # ... and marked there
    # The true figure is written beside the name, never inside the bar.
    ticks = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    assert ticks["m7"] == f"Shop &lt;7&gt; · +{round(outlier * 100)}%"
    assert all(t.text is None for t in fig.data if t.type == "bar")


def test_without_an_outlier_nothing_is_cut() -> None:
    fig = charts_roi.results_race(merchants([0.55, 1.2, 1.6, 2.2]), lang="en")
    assert fig is not None
    assert not [t for t in fig.data if t.name == "Cut at the axis edge ▶"]
    lo, hi = fig.layout.xaxis.range
    assert lo <= 0 and hi >= 2.7  # every interval end inside


def test_bar_colours_match_their_legend_entry_and_the_order_is_by_uplift() -> None:
    frame = merchants([-0.9, 0.1, 1.5, 2.0], significant=[True, False, True, True])
    fig = charts_roi.results_race(frame, lang="zh")
    assert fig is not None
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert set(bars) == {"超出随机波动", "在波动之内", "低于随机波动"}
    for trace in bars.values():
        assert isinstance(trace.marker.color, str)  # one colour per legend entry
    assert list(bars["超出随机波动"].y) == ["m2", "m3"]
    assert list(bars["低于随机波动"].y) == ["m0"]
    assert list(fig.layout.yaxis.categoryarray) == ["m0", "m1", "m2", "m3"]


def test_a_merchant_without_a_figure_is_left_to_the_list_below() -> None:
    frame = merchants([0.5, 1.0])
    frame.loc[1, ["causal_uplift", "causal_low", "causal_high"]] = np.nan
    fig = charts_roi.results_race(frame, lang="en")
    assert fig is not None and list(bar_lengths(fig)) == ["m0"]
    frame.loc[0, "causal_uplift"] = np.nan
    assert charts_roi.results_race(frame, lang="en") is None


def test_the_cohort_chart_puts_the_leader_on_top_in_cohort_colours() -> None:
    table = pd.DataFrame(
        {
            "cohort_id": ["B", "A", "C"],
            "name": ["b", "a", "c"],
            "causal_uplift": [2.95, 1.71, np.nan],
            "causal_low": [1.6, 0.9, np.nan],
            "causal_high": [4.6, 2.6, np.nan],
        }
    )
    fig = charts_roi.cohort_ranking(table, lang="en", cohort_ids=["A", "B", "C"])
    assert fig is not None
    bar = fig.data[0]
    assert list(bar.y) == ["A", "B"]  # plotly draws bottom-up: B, the leader, on top
    assert list(bar.marker.color) == [PALETTE[0], PALETTE[1]]
    assert list(fig.layout.yaxis.ticktext) == ["A · +171%", "B · +295%"]
