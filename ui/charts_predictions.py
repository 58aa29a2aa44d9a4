"""Plotly figures of the customer outlook: frames in, figures out, no data access."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from i18n import format as fmt
from i18n.format import Lang
from models.clv import FREQUENCY_GROUPS
from ui import charts
from ui.figures import kept
from ui.i18n import translate


def _group_label(group: int, lang: Lang) -> str:
    if group >= FREQUENCY_GROUPS:
        return translate("predictions.chart.plus", lang, n=FREQUENCY_GROUPS)
    return str(group)


@kept
def calibration(frame: pd.DataFrame, *, lang: Lang, days: int) -> go.Figure:
    """Mean predicted and actual holdout purchases per customer by frequency group (rows
    of `models.predictions.calibration`)."""
    labels = [_group_label(int(g), lang) for g in frame["frequency_group"]]
    customers = [
        translate("predictions.chart.customers", lang, n=fmt.count(n, lang))
        for n in frame["customers"]
    ]
    fig = go.Figure()
    for column, colour, key in (
        ("actual", charts.CONTROL, "predictions.chart.actual"),
        ("predicted", charts.PRIMARY, "predictions.chart.predicted"),
    ):
        fig.add_trace(
            go.Bar(
                x=labels,
                y=frame[column],
                name=translate(key, lang),
                marker={"color": colour},
                text=[f"{v:.2f}" for v in frame[column]],
                textposition="outside",
                cliponaxis=False,
                customdata=customers,
                hovertemplate="%{x}: <b>%{y:.2f}</b> (%{customdata})"
                "<extra>%{fullData.name}</extra>",
            )
        )
    title = translate("predictions.chart.title", lang, days=days)
    charts._base_layout(fig, title=title, height=440)
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 1, "xanchor": "right"},
    )
    fig.update_xaxes(title_text=translate("predictions.chart.x", lang), type="category")
    fig.update_yaxes(title_text=translate("predictions.chart.y", lang), rangemode="tozero")
    return fig
