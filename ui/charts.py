"""Plotly figure builders: frames in, figures out. No data access.

Fonts are sized for a projector as well as a laptop, colours are fixed per cohort
(in the order cohorts are listed, oldest first) so a cohort keeps its colour on every
chart, and every title and axis comes from the text catalog. Text from deliveries
(merchant names, cohort ids) is escaped: Plotly reads a subset of HTML in labels.

Draw with `st.plotly_chart(fig, config=CONFIG)`: Streamlit ships plotly.js itself,
nothing is fetched from a CDN.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from i18n import format as fmt
from i18n.format import Lang
from ui.figures import kept
from ui.i18n import translate

CONFIG = {"displaylogo": False}
SPARK_CONFIG = {"displaylogo": False, "displayModeBar": False, "staticPlot": True}
ROLLING_DAYS = 7  # the days a rolling mean of daily GMV averages (a week: smooths its pattern)

PRIMARY = "#0B6E4F"
UP = "#0B6E4F"
DOWN = "#C0392B"
CONTROL = "#6B6B6B"
# Colour-blind-safe hues (Okabe-Ito order after the house green, then Tol's wine and
# teal), one per cohort: ten, so the nine cohorts of scale m do not repeat a colour.
PALETTE = (
    "#0B6E4F",
    "#E69F00",
    "#0072B2",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#8C6D31",
    "#7A5195",
    "#882255",
    "#44AA99",
)
CONTROL_KEY = "__control__"

FONT_SIZE = 16
TITLE_SIZE = 20
TICK_SIZE = 14


def _escape(text: object) -> str:
    return html.escape(str(text), quote=False)


def _rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def cohort_colours(cohort_ids: Iterable[str]) -> dict[str, str]:
    """A colour per cohort id, in the given order; the control is always grey."""
    colours = {cid: PALETTE[i % len(PALETTE)] for i, cid in enumerate(cohort_ids)}
    colours[CONTROL_KEY] = CONTROL
    return colours


def _base_layout(fig: go.Figure, *, title: str, height: int) -> None:
    fig.update_layout(
        title={"text": _escape(title), "font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left"},
        font={"size": FONT_SIZE},
        height=height,
        margin={"l": 8, "r": 16, "t": 64, "b": 8},
        hoverlabel={"font": {"size": FONT_SIZE}},
    )
    fig.update_xaxes(tickfont={"size": TICK_SIZE}, title_font={"size": FONT_SIZE})
    fig.update_yaxes(tickfont={"size": TICK_SIZE}, title_font={"size": FONT_SIZE})


@kept
def sparkline(values: Sequence[float], *, colour: str = PRIMARY) -> go.Figure:
    """A small line with no axes, for a KPI card (draw with SPARK_CONFIG)."""
    fig = go.Figure(
        go.Scatter(
            y=list(values),
            mode="lines",
            line={"color": colour, "width": 2.5},
            fill="tozeroy",
            fillcolor=_rgba(colour, 0.12),
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        height=56,
        margin={"l": 0, "r": 0, "t": 4, "b": 4},
        showlegend=False,
        xaxis={"visible": False, "fixedrange": True},
        yaxis={"visible": False, "fixedrange": True},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def _series_label(key: str, lang: Lang) -> str:
    if key == CONTROL_KEY:
        return translate("chart.control", lang)
    return _escape(key)


@kept
def cohort_gmv(
    daily: pd.DataFrame,
    cohorts: pd.DataFrame,
    *,
    lang: Lang,
    per_merchant: bool = False,
    rolling: bool = False,
    focus: str | None = None,
    period_start: date | None = None,
) -> go.Figure:
    """Daily GMV per cohort (rows of `queries.cohort_daily_gmv`), non-participants as a grey
    control line, each cohort's programme window (rows of `queries.cohorts`) shaded.

    `per_merchant` divides by the merchants with data that day; `rolling` shows the mean of
    each day and the days before it, ROLLING_DAYS in all; `focus` keeps one cohort and the control;
    `period_start` draws a dashed line where the selected period begins.
    """
    cohort_ids = [str(c) for c in cohorts["cohort_id"]]
    colours = cohort_colours(cohort_ids)
    frame = daily.assign(
        key=daily["cohort_id"].fillna(CONTROL_KEY).astype(str),
        date=pd.to_datetime(daily["date"]),
    )
    keys = [k for k in [*cohort_ids, CONTROL_KEY] if k in set(frame["key"])]
    keys += sorted(set(frame["key"]) - set(keys))  # cohorts merchants name but not delivered
    if focus:
        keys = [k for k in keys if k in (focus, CONTROL_KEY)]

    fig = go.Figure()
    for key in keys:
        _add_cohort_line(fig, frame[frame["key"] == key].sort_values("date"), key, colours,
                         lang=lang, per_merchant=per_merchant, rolling=rolling)  # fmt: skip
    if not frame.empty:
        _shade_windows(fig, frame, cohorts, keys, colours)
    if period_start is not None and not frame.empty and frame["date"].min().date() < period_start:
        _mark_period_start(fig, period_start, lang)
    title_key = "chart.cohort_gmv.title_per_merchant" if per_merchant else "chart.cohort_gmv.title"
    axis_key = "chart.axis.gmv_per_merchant" if per_merchant else "chart.axis.gmv"
    _base_layout(fig, title=translate(title_key, lang), height=460)
    fig.update_layout(
        legend={
            "title": {"text": translate("chart.legend.cohort", lang)},
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 1,
            "xanchor": "right",
            "font": {"size": TICK_SIZE + 1},
        },
        hovermode="closest",
    )
    fig.update_xaxes(title_text=translate("chart.axis.date", lang))
    fig.update_yaxes(
        title_text=translate(axis_key, lang),
        tickprefix="¥",
        tickformat=",.0f",
        rangemode="tozero",
    )
    return localise(fig, lang)


def _add_cohort_line(
    fig: go.Figure,
    series: pd.DataFrame,
    key: str,
    colours: dict[str, str],
    *,
    lang: Lang,
    per_merchant: bool,
    rolling: bool,
) -> None:
    """One cohort's (or the control's) daily line, with its hover text."""
    merchants_word = translate("chart.hover.merchants", lang, n="{n}")
    values = series["gmv"].astype(float)
    if per_merchant:
        values = values / series["merchants"].where(series["merchants"] > 0)
    if rolling:
        values = values.rolling(ROLLING_DAYS, min_periods=1).mean()
    hover = np.column_stack(
        [
            [fmt.day(d, lang) for d in series["date"]],
            [fmt.money(v, lang) for v in values],
            [merchants_word.format(n=fmt.count(m, lang)) for m in series["merchants"]],
        ]
    )
    is_control = key == CONTROL_KEY
    fig.add_trace(
        go.Scatter(
            x=series["date"],
            y=values,
            name=_series_label(key, lang),
            mode="lines",
            line={
                "color": colours.get(key, CONTROL),
                "width": 2.5 if is_control else 3,
                "dash": "dot" if is_control else "solid",
            },
            customdata=hover,
            hovertemplate="%{customdata[0]}<br><b>%{customdata[1]}</b><br>"
            "%{customdata[2]}<extra>%{fullData.name}</extra>",
        )
    )


def _shade_windows(
    fig: go.Figure,
    frame: pd.DataFrame,
    cohorts: pd.DataFrame,
    keys: list[str],
    colours: dict[str, str],
) -> None:
    """Each drawn cohort's programme window, shaded in its colour, within the data's days."""
    first, last = frame["date"].min().date(), frame["date"].max().date()
    for cohort in cohorts.itertuples(index=False):
        key = str(cohort.cohort_id)
        if key not in keys:
            continue
        lo, hi = max(cohort.start_date, first), min(cohort.end_date, last)
        if lo > hi:
            continue
        fig.add_vrect(
            x0=lo - timedelta(hours=12),
            x1=hi + timedelta(hours=12),
            fillcolor=colours[key],
            opacity=0.10,
            layer="below",
            line_width=0,
            annotation_text=_escape(key),
            annotation_position="top left",
            annotation_font={"size": TICK_SIZE, "color": colours[key]},
        )


def _mark_period_start(fig: go.Figure, period_start: date, lang: Lang) -> None:
    """A dashed line where the selected period begins."""
    fig.add_vline(
        x=datetime.combine(period_start, time()) - timedelta(hours=12),
        line_dash="dash",
        line_width=2,
        line_color="#444444",
    )
    fig.add_annotation(
        x=datetime.combine(period_start, time()) - timedelta(hours=12),
        y=0,
        yref="paper",
        yanchor="bottom",
        xanchor="left",
        text=translate("chart.period_start", lang),
        showarrow=False,
        font={"size": TICK_SIZE, "color": "#444444"},
        bgcolor="rgba(255,255,255,0.8)",
    )


def pick_movers(movers: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The `n` largest rises and the `n` largest falls of `queries.merchant_movers`, rises
    first; merchants with no previous GMV (change None) are left out."""
    known = movers[movers["change"].notna()].astype({"change": float})
    up = known[known["change"] > 0].nlargest(n, "change")
    down = known[known["change"] < 0].nsmallest(n, "change").iloc[::-1]
    return pd.concat([up, down], ignore_index=True)


@kept
def movers_bar(movers: pd.DataFrame, *, lang: Lang, n: int = 5) -> go.Figure | None:
    """Horizontal bars of the biggest rises (green) and falls (red) in daily average GMV;
    None when no merchant can be compared."""
    chosen = pick_movers(movers, n)
    if chosen.empty:
        return None
    chosen = chosen.iloc[::-1]  # Plotly draws the first category at the bottom
    ids = [str(m) for m in chosen["merchant_id"]]
    hover = np.column_stack(
        [
            [_escape(name) for name in chosen["name"]],
            [_escape(c) if isinstance(c, str) else "" for c in chosen["cohort_id"]],
            [fmt.money(v, lang) for v in chosen["previous_daily_gmv"]],
            [fmt.money(v, lang) for v in chosen["daily_gmv"]],
        ]
    )
    fig = go.Figure(
        go.Bar(
            x=chosen["change"],
            y=ids,
            orientation="h",
            marker={"color": [UP if c > 0 else DOWN for c in chosen["change"]]},
            text=[fmt.percent_change(c, lang) for c in chosen["change"]],
            textposition="outside",
            textfont={"size": FONT_SIZE},
            cliponaxis=False,
            customdata=hover,
            hovertemplate="<b>%{customdata[0]}</b> %{customdata[1]}<br>"
            "%{customdata[2]} → %{customdata[3]}<br>%{text}<extra></extra>",
        )
    )
    _base_layout(fig, title=translate("chart.movers.title", lang), height=120 + 42 * len(ids))
    fig.update_layout(showlegend=False, bargap=0.35, margin={"l": 8, "r": 72, "t": 64, "b": 8})
    fig.update_yaxes(
        tickmode="array",
        tickvals=ids,
        ticktext=[_escape(name) for name in chosen["name"]],
        automargin=True,
    )
    fig.update_xaxes(
        title_text=translate("chart.axis.change", lang),
        tickformat="+.0%",
        zeroline=True,
        zerolinewidth=2,
        zerolinecolor="#888888",
        automargin=True,
    )
    return fig


@kept
def own_vs_peers(frame: pd.DataFrame, *, lang: Lang) -> go.Figure:
    """A merchant's daily GMV against the median of its peers (an aggregate: no peer is
    drawn on its own)."""
    fig = go.Figure()
    for column, key, colour, dash in (
        ("own", "business.chart.own", PRIMARY, "solid"),
        ("peer_median", "business.chart.peer_median", CONTROL, "dot"),
    ):
        fig.add_trace(
            go.Scatter(
                x=frame["date"],
                y=frame[column],
                name=translate(key, lang),
                mode="lines",
                line={"color": colour, "width": 3, "dash": dash},
                hovertemplate="%{x|%Y-%m-%d}<br><b>¥%{y:,.0f}</b><extra>%{fullData.name}</extra>",
            )
        )
    _base_layout(fig, title=translate("business.chart.title", lang), height=380)
    fig.update_layout(
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 1, "xanchor": "right"}
    )
    fig.update_xaxes(title_text=translate("chart.axis.date", lang))
    fig.update_yaxes(
        title_text=translate("chart.axis.gmv", lang),
        tickprefix="¥",
        tickformat=",.0f",
        rangemode="tozero",
    )
    return localise(fig, lang)


# --- the reader's language on axes and in hover text -------------------------------------

# Plotly names months and weekdays in English only (its locales are not shipped with
# Streamlit), so Chinese date axes use numeric formats with 年 / 月 / 日 at every zoom.
_ZH_DATE_STOPS = (
    {"dtickrange": [None, 86_400_000], "value": "%-m月%-d日 %H:%M"},
    {"dtickrange": [86_400_000, "M1"], "value": "%-m月%-d日"},
    {"dtickrange": ["M1", "M12"], "value": "%Y年%-m月"},
    {"dtickrange": ["M12", None], "value": "%Y年"},
)
_HOVER_DATE = {"zh": "%{x|%Y年%-m月%-d日}", "en": "%{x|%-d %b %Y}"}
_HOVER_MONEY = ("¥%{y:,.0f}",)


def money_ticks(high: float, lang: Lang, low: float = 0.0, target: int = 5) -> tuple[list, list]:
    """Tick values from `low` to `high` at a round step, and their labels in 万 / 亿
    (Chinese) or K / M (English)."""
    span = max(high - low, 1.0)
    raw = span / target
    power = 10 ** np.floor(np.log10(raw))
    step = float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))
    first = np.floor(low / step) * step
    values = [float(first + i * step) for i in range(int(np.ceil((high - first) / step)) + 1)]
    return values, [fmt.money_short(v, lang) for v in values]


def localise(fig: go.Figure, lang: Lang) -> go.Figure:
    """Dates and money on `fig` the reader's way: date axes numeric in Chinese (2019年9月,
    9月2日), money axes in 万 / 亿 or K / M, hover dates per language and hover money as
    `fmt.money` (¥123.5万). Call last, after the axes are set."""
    layout = fig.layout
    for trace in fig.data:
        template = getattr(trace, "hovertemplate", None) or ""
        if "%{x|%Y-%m-%d}" in template:
            template = template.replace("%{x|%Y-%m-%d}", _HOVER_DATE[lang])
        if any(m in template for m in _HOVER_MONEY) and getattr(trace, "text", None) is None:
            trace.text = [fmt.money(v, lang) for v in trace.y]
            for m in _HOVER_MONEY:
                template = template.replace(m, "%{text}")
            if getattr(trace, "mode", None) and "text" in trace.mode:
                trace.mode = trace.mode.replace("+text", "")
        if template:
            trace.hovertemplate = template
    for name in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        axis = layout[name]
        letter = name[0]
        values = [
            v
            for trace in fig.data
            if (getattr(trace, f"{letter}axis", None) or letter) == letter + name[5:]
            for v in _values(getattr(trace, letter, None))
        ]
        if lang == "zh" and values and _is_dates(values[0]):
            axis.tickformatstops = _ZH_DATE_STOPS
            axis.tickformat = None
        if axis.tickprefix == "¥":
            numbers = [float(v) for v in values if _is_number(v)]
            if numbers:
                low = min(0.0, min(numbers)) if axis.rangemode == "tozero" else min(numbers)
                ticks, labels = money_ticks(max(numbers), lang, low)
                axis.update(tickvals=ticks, ticktext=labels, tickprefix=None, tickformat=None)
    return fig


def _values(values: object) -> list:
    return [] if values is None else list(values)  # type: ignore[call-overload]


def _is_dates(value: object) -> bool:
    if isinstance(value, datetime | date | pd.Timestamp | np.datetime64):
        return True
    return isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-"


def _is_number(value: object) -> bool:
    try:
        return np.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
