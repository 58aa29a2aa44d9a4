"""Plotly figures of the ROI area: the weekly step chart, the results race, cumulative
incremental GMV and the cumulative ROI curve. Frames in, figures out; names escaped."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from i18n import format as fmt
from i18n.format import Lang
from ui.charts import (
    CONTROL,
    DOWN,
    FONT_SIZE,
    PRIMARY,
    TICK_SIZE,
    UP,
    _base_layout,
    _escape,
    cohort_colours,
    localise,
)
from ui.figures import kept
from ui.i18n import translate

RAW = "#E69F00"
CHANNEL_KEYS = {
    "store": "campaigns.channel.store",
    "mini_program": "campaigns.channel.mini_program",
    "wecom_guide": "campaigns.channel.wecom_guide",
    "community": "campaigns.channel.community",
    "scan_to_buy": "campaigns.channel.scan_to_buy",
    "livestream": "campaigns.channel.livestream",
    "other_online": "campaigns.channel.other_online",
    "other": "campaigns.channel.other",
}


def channel_name(channel: object, lang: Lang) -> str:
    """A traffic channel's name in the catalog (delivered values outside it: escaped)."""
    key = CHANNEL_KEYS.get(str(channel))
    return translate(key, lang) if key else _escape(channel)


@kept
def weekly_steps(weekly: pd.DataFrame, *, lang: Lang) -> go.Figure:
    """Daily average GMV per week as steps, with the counterfactual from the comparison
    group (dotted) and the programme weeks shaded."""
    fig = go.Figure()
    x = pd.to_datetime(weekly["week_start"])
    fig.add_trace(
        go.Scatter(
            x=x,
            y=weekly["cohort_daily"],
            name=translate("roi.chart.cohort", lang),
            mode="lines+markers",
            line={"color": PRIMARY, "width": 3, "shape": "hv"},
            hovertemplate="%{x|%Y-%m-%d}<br><b>¥%{y:,.0f}</b><extra></extra>",
        )
    )
    if weekly["counterfactual_daily"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=x,
                y=weekly["counterfactual_daily"],
                name=translate("roi.chart.counterfactual", lang),
                mode="lines",
                line={"color": CONTROL, "width": 2.5, "dash": "dot", "shape": "hv"},
                hovertemplate="%{x|%Y-%m-%d}<br>¥%{y:,.0f}<extra></extra>",
            )
        )
    programme = weekly[weekly["phase"] == "programme"]
    if not programme.empty:
        fig.add_vrect(
            x0=pd.to_datetime(programme["week_start"].min()),
            x1=pd.to_datetime(programme["week_start"].max()) + pd.Timedelta(days=7),
            fillcolor=PRIMARY,
            opacity=0.08,
            line_width=0,
            layer="below",
            annotation_text=translate("roi.chart.programme", lang),
            annotation_position="top left",
        )
    _base_layout(fig, title=translate("roi.chart.steps.title", lang), height=440)
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    fig.update_yaxes(
        title_text=translate("roi.chart.axis.daily_gmv", lang),
        tickprefix="¥",
        tickformat=",.0f",
        rangemode="tozero",
    )
    return localise(fig, lang)


FENCE_IQR = 3.0  # values beyond Q3 + 3 IQR (or Q1 - 3 IQR) of all drawn values are cut


def axis_limits(figures: np.ndarray, ends: np.ndarray | None = None) -> tuple[float, float]:
    """The x range of the race: zero, every figure (causal and raw) that is not an outlier
    (Tukey's far fence on the figures), every interval end within that fence, and a
    little margin. An outlier, or an interval end beyond the fence, is cut at the edge
    instead of flattening every other bar."""
    finite = figures[np.isfinite(figures)]
    if not len(finite):
        return -0.1, 0.1
    q1, q3 = np.quantile(finite, [0.25, 0.75])
    spread = max(q3 - q1, 0.05)
    fence = (q1 - FENCE_IQR * spread, q3 + FENCE_IQR * spread)
    values = finite if ends is None else np.concatenate([finite, ends[np.isfinite(ends)]])
    inside = values[(values >= fence[0]) & (values <= fence[1])]
    low, high = min(0.0, float(inside.min())), max(0.0, float(inside.max()))
    margin = 0.06 * (high - low or 1.0)
    return low - margin, high + margin


def race_class(significant: bool, estimate: float) -> str:
    """`beats` (interval above zero), `behind` (below zero) or `noise`."""
    if significant and estimate > 0:
        return "beats"
    if significant and estimate < 0:
        return "behind"
    return "noise"


RACE_CLASSES = {"beats": (UP, "roi.chart.beats"), "noise": (CONTROL, "roi.chart.noise")}
RACE_CLASSES["behind"] = (DOWN, "roi.chart.behind")


@kept
def results_race(merchants: pd.DataFrame, *, lang: Lang) -> go.Figure | None:
    """Merchants ranked by causal uplift with their 95% intervals (error bars) and the raw
    uplift as a diamond; None when no merchant has a causal figure.

    The axis holds every value but the outliers (`axis_limits`); a bar, interval end or
    diamond beyond it is drawn to the edge and marked ▶ there, its true figure in the
    hover. Each merchant's figure is written beside its name, so no label meets an error
    bar; bars are coloured by class, one legend entry per class."""
    known = merchants[merchants["causal_uplift"].notna()].sort_values("causal_uplift")
    if known.empty:
        return None
    ids = [str(m) for m in known["merchant_id"]]
    estimate = known["causal_uplift"].to_numpy(float)
    low_end = known["causal_low"].to_numpy(float)
    high_end = known["causal_high"].to_numpy(float)
    raw = known["raw_uplift"].to_numpy(float)
    lo, hi = axis_limits(np.concatenate([estimate, raw]), np.concatenate([low_end, high_end]))
    bar = np.clip(estimate, lo, hi)
    has_interval = np.isfinite(low_end) & np.isfinite(high_end)
    plus = np.where(has_interval, np.clip(high_end, lo, hi) - bar, 0.0)
    minus = np.where(has_interval, bar - np.clip(low_end, lo, hi), 0.0)
    names = [_escape(n) for n in known["name"]]
    hover = np.column_stack(
        [
            names,
            [fmt.percent_change(v, lang) for v in estimate],
            [fmt.percent_change(v, lang) for v in low_end],
            [fmt.percent_change(v, lang) for v in high_end],
            [fmt.percent_change(v, lang) for v in raw],
        ]
    )
    classes = np.array(
        [race_class(bool(s), e) for s, e in zip(known["significant"], estimate, strict=True)]
    )
    fig = go.Figure()
    _race_bars(fig, classes, bar, plus, minus, ids, hover, lang)
    fig.add_trace(
        go.Scatter(
            x=np.clip(raw, lo, hi),
            y=ids,
            mode="markers",
            name=translate("roi.chart.raw", lang),
            marker={"symbol": "diamond", "size": 12, "color": RAW, "line": {"width": 1}},
            customdata=hover,
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[4]}<extra></extra>",
        )
    )
    _race_edges(fig, (estimate, low_end, high_end, raw), (lo, hi), ids, hover, lang)
    _base_layout(fig, title=translate("roi.chart.race.title", lang), height=150 + 36 * len(ids))
    fig.update_layout(
        barmode="overlay", legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}
    )
    _race_axes(fig, ids, names, estimate, (lo, hi), lang)
    return fig


def _race_bars(
    fig: go.Figure,
    classes: np.ndarray,
    bar: np.ndarray,
    plus: np.ndarray,
    minus: np.ndarray,
    ids: list[str],
    hover: np.ndarray,
    lang: Lang,
) -> None:
    """One bar trace a class of merchant (its colour, one legend entry), with intervals."""
    for code, (colour, key) in RACE_CLASSES.items():
        rows = classes == code
        if not rows.any():
            continue
        fig.add_trace(
            go.Bar(
                x=bar[rows],
                y=np.array(ids)[rows],
                orientation="h",
                name=translate(key, lang),
                marker={"color": colour},
                error_x={
                    "type": "data",
                    "array": plus[rows],
                    "arrayminus": minus[rows],
                    "thickness": 2,
                    "color": "#333333",
                },
                customdata=hover[rows],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} "
                "(%{customdata[2]} … %{customdata[3]})<extra></extra>",
            )
        )


def _race_edges(
    fig: go.Figure,
    figures: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    limits: tuple[float, float],
    ids: list[str],
    hover: np.ndarray,
    lang: Lang,
) -> None:
    """▶ at the axis's edge for every estimate, interval end or raw figure beyond it."""
    estimate, low_end, high_end, raw = figures
    lo, hi = limits
    above = (estimate > hi) | (high_end > hi) | (raw > hi)
    below = (estimate < lo) | (low_end < lo) | (raw < lo)
    for rows, edge, symbol, first in ((above, hi, "right", True), (below, lo, "left", False)):
        if not rows.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=np.full(int(rows.sum()), edge),
                y=np.array(ids)[rows],
                mode="markers",
                name=translate("roi.chart.clipped", lang),
                legendgroup="clipped",
                showlegend=first or not above.any(),
                marker={"symbol": f"triangle-{symbol}", "size": 16, "color": "#111111"},
                customdata=hover[rows],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} "
                "(%{customdata[2]} … %{customdata[3]}); ◆ %{customdata[4]}<extra></extra>",
                cliponaxis=False,
            )
        )


def _race_axes(
    fig: go.Figure,
    ids: list[str],
    names: list[str],
    estimate: np.ndarray,
    limits: tuple[float, float],
    lang: Lang,
) -> None:
    """Each merchant's name with its figure on the y axis; the uplift axis within limits."""
    lo, hi = limits
    fig.update_yaxes(
        tickmode="array",
        tickvals=ids,
        ticktext=[
            f"{n} · {fmt.percent_change(v, lang)}" for n, v in zip(names, estimate, strict=True)
        ],
        categoryorder="array",
        categoryarray=ids,
        automargin=True,
    )
    fig.update_xaxes(
        title_text=translate("roi.chart.axis.uplift", lang),
        tickformat="+.0%",
        range=[lo, hi],
        zeroline=True,
        zerolinewidth=2,
        zerolinecolor="#888888",
    )


@kept
def cohort_ranking(
    table: pd.DataFrame, *, lang: Lang, cohort_ids: Sequence[str]
) -> go.Figure | None:
    """Cohorts by causal uplift (the leader on top) with 95% intervals, each in its own
    colour (as on every chart); each figure beside its cohort id. None without figures."""
    known = table[table["causal_uplift"].notna()].iloc[::-1]
    if known.empty:
        return None
    colours = cohort_colours(cohort_ids)
    ids = [str(c) for c in known["cohort_id"]]
    estimate = known["causal_uplift"].to_numpy(float)
    fig = go.Figure(
        go.Bar(
            x=estimate,
            y=ids,
            orientation="h",
            marker={"color": [colours.get(c, PRIMARY) for c in ids]},
            error_x={
                "type": "data",
                "array": known["causal_high"].to_numpy(float) - estimate,
                "arrayminus": estimate - known["causal_low"].to_numpy(float),
                "thickness": 2,
                "color": "#333333",
            },
            customdata=np.column_stack(
                [
                    [_escape(n) for n in known["name"]],
                    [fmt.percent_change(v, lang) for v in known["causal_low"]],
                    [fmt.percent_change(v, lang) for v in known["causal_high"]],
                ]
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>%{x:+.0%} "
            "(%{customdata[1]} … %{customdata[2]})<extra></extra>",
            showlegend=False,
        )
    )
    title = translate("roi.answer.chart.title", lang)
    _base_layout(fig, title=title, height=120 + 40 * len(ids))
    # the chart has two fifths of the answer block: its title on two lines, the interval's
    # words on the second (one line was cut at 1280 px)
    for opening in (" (", "（"):
        head, found, tail = title.partition(opening)
        if found:
            fig.update_layout(title_text=f"{_escape(head)}<br>{_escape(found.strip() + tail)}")
            break
    fig.update_layout(margin={"l": 8, "r": 16, "t": 72, "b": 8})
    fig.update_yaxes(
        tickmode="array",
        tickvals=ids,
        ticktext=[
            f"{_escape(c)} · {fmt.percent_change(v, lang)}"
            for c, v in zip(ids, estimate, strict=True)
        ],
        automargin=True,
    )
    fig.update_xaxes(tickformat="+.0%", rangemode="tozero", zeroline=True, zerolinecolor="#888888")
    return fig


@kept
def cumulative_incremental(cumulative: pd.DataFrame, *, lang: Lang) -> go.Figure:
    """Cumulative incremental GMV by day since the programme start."""
    fig = go.Figure(
        go.Scatter(
            x=cumulative["day"],
            y=cumulative["cumulative"],
            mode="lines",
            fill="tozeroy",
            line={"color": PRIMARY, "width": 3},
            hovertemplate="%{x}<br><b>¥%{y:,.0f}</b><extra></extra>",
        )
    )
    _base_layout(fig, title=translate("roi.chart.cumulative.title", lang), height=380)
    fig.update_xaxes(title_text=translate("roi.chart.axis.day", lang))
    fig.update_yaxes(title_text=translate("roi.chart.axis.gmv", lang), tickprefix="¥")
    return localise(fig, lang)


@kept
def roi_curve(curve: pd.DataFrame, *, lang: Lang) -> go.Figure:
    """Cumulative ROI (incremental GMV / cost) and margin ROI by day since launch, with the
    10x mark and the payback line (margin ROI 1)."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=curve["day"],
            y=curve["roi"],
            name=translate("campaigns.chart.roi", lang),
            mode="lines",
            line={"color": PRIMARY, "width": 3, "shape": "hv"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=curve["day"],
            y=curve["margin_roi"],
            name=translate("campaigns.chart.margin_roi", lang),
            mode="lines",
            line={"color": RAW, "width": 2.5, "shape": "hv"},
        )
    )
    for level, key in ((10.0, "campaigns.chart.ten"), (1.0, "campaigns.chart.payback")):
        fig.add_hline(
            y=level,
            line_dash="dash",
            line_color="#444444",
            annotation_text=translate(key, lang),
            annotation_font={"size": TICK_SIZE},
        )
    _base_layout(fig, title=translate("campaigns.chart.curve.title", lang), height=420)
    fig.update_layout(
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        font={"size": FONT_SIZE},
    )
    fig.update_xaxes(title_text=translate("roi.chart.axis.day", lang))
    fig.update_yaxes(title_text=translate("campaigns.chart.axis.roi", lang), ticksuffix="×")
    return fig


@kept
def channel_bars(channels: pd.DataFrame, *, lang: Lang) -> go.Figure:
    """ROI by traffic channel."""
    frame = channels.sort_values("roi")
    fig = go.Figure(
        go.Bar(
            x=frame["roi"],
            y=[channel_name(c, lang) for c in frame["channel"]],
            orientation="h",
            marker={"color": PRIMARY},
            text=[f"{v:.1f}×" if pd.notna(v) else fmt.MISSING for v in frame["roi"]],
            textposition="outside",
            cliponaxis=False,
        )
    )
    _base_layout(
        fig, title=translate("campaigns.chart.channels.title", lang), height=120 + 48 * len(frame)
    )
    fig.update_xaxes(title_text=translate("campaigns.chart.axis.roi", lang), ticksuffix="×")
    fig.update_yaxes(automargin=True)
    return fig
