"""Plotly figures of the segment builder: frames in, figures out, no data access."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from i18n import format as fmt
from i18n.format import Lang
from ui import charts
from ui.figures import kept
from ui.i18n import translate


@kept
def distribution(
    frame: pd.DataFrame, labels: dict[str, str], *, lang: Lang, title: str
) -> go.Figure:
    """Customers per bucket: the segment's share beside all customers' share (rows of
    `models.segments.distribution`); `labels` names the buckets."""
    names = [html.escape(labels.get(b, b), quote=False) for b in frame["bucket"]]
    seg_total = max(int(frame["segment"].sum()), 1)
    all_total = max(int(frame["all"].sum()), 1)
    fig = go.Figure()
    for column, total, colour, key in (
        ("segment", seg_total, charts.PRIMARY, "segments.chart.segment"),
        ("all", all_total, charts.CONTROL, "segments.chart.all"),
    ):
        shares = frame[column] / total
        fig.add_trace(
            go.Bar(
                x=names,
                y=shares,
                name=translate(key, lang),
                marker={"color": colour},
                text=[fmt.percent(v, lang) for v in shares],
                textposition="outside",
                cliponaxis=False,
                customdata=[fmt.count(v, lang) for v in frame[column]],
                hovertemplate="%{x}<br><b>%{text}</b> (%{customdata})"
                "<extra>%{fullData.name}</extra>",
            )
        )
    charts._base_layout(fig, title=title, height=420)
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 1, "xanchor": "right"},
    )
    fig.update_yaxes(
        tickformat=".0%", rangemode="tozero", title_text=translate("segments.chart.share", lang)
    )
    return fig
