"""Plotly figures of the ROI area: the weekly step chart, the results race, cumulative
incremental GMV and the cumulative ROI curve. Frames in, figures out; names escaped."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui import format as fmt
from ui.charts import CONTROL, DOWN, FONT_SIZE, PRIMARY, TICK_SIZE, UP, _base_layout, _escape
from ui.format import Lang
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
    return fig


def results_race(merchants: pd.DataFrame, *, lang: Lang) -> go.Figure | None:
    """Merchants ranked by causal uplift with their 95% intervals (error bars) and the raw
    uplift as a marker; None when no merchant has a causal figure."""
    known = merchants[merchants["causal_uplift"].notna()].sort_values("causal_uplift")
    if known.empty:
        return None
    ids = [str(m) for m in known["merchant_id"]]
    estimate = known["causal_uplift"].astype(float)
    has_interval = known["causal_low"].notna()
    plus = np.where(has_interval, known["causal_high"] - estimate, 0.0)
    minus = np.where(has_interval, estimate - known["causal_low"], 0.0)
    colours = [
        UP if s else (DOWN if e < 0 else CONTROL)
        for s, e in zip(known["significant"], estimate, strict=True)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=estimate,
            y=ids,
            orientation="h",
            name=translate("roi.chart.causal", lang),
            marker={"color": colours},
            error_x={"type": "data", "array": plus, "arrayminus": minus, "thickness": 2},
            text=[fmt.percent_change(v, lang) for v in estimate],
            textposition="inside",
            textfont={"size": TICK_SIZE},
            customdata=np.column_stack(
                [
                    [_escape(n) for n in known["name"]],
                    [fmt.percent_change(v, lang) for v in known["causal_low"]],
                    [fmt.percent_change(v, lang) for v in known["causal_high"]],
                ]
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>%{text} "
            "(%{customdata[1]} … %{customdata[2]})<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=known["raw_uplift"].astype(float),
            y=ids,
            mode="markers",
            name=translate("roi.chart.raw", lang),
            marker={"symbol": "diamond", "size": 12, "color": RAW},
            hovertemplate="%{x:+.0%}<extra></extra>",
        )
    )
    _base_layout(fig, title=translate("roi.chart.race.title", lang), height=140 + 38 * len(ids))
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    fig.update_yaxes(
        tickmode="array",
        tickvals=ids,
        ticktext=[_escape(n) for n in known["name"]],
        automargin=True,
    )
    fig.update_xaxes(
        title_text=translate("roi.chart.axis.uplift", lang),
        tickformat="+.0%",
        zeroline=True,
        zerolinewidth=2,
        zerolinecolor="#888888",
    )
    return fig


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
    return fig


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
