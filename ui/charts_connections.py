"""Figures of the three connections: the cohort heatmap, a merchant's scores over the
programme, self-assessed vs measured, and the self-contained HTML workshop report.
Frames in, figures out; labels from the catalog; delivered names escaped."""

from __future__ import annotations

import html
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from models.connections import CONNECTIONS, load_config
from ui import charts
from ui import format as fmt
from ui.format import Lang
from ui.i18n import translate

CONNECTION_COLOURS = {"touchpoints": "#0B6E4F", "performance": "#E69F00", "data": "#0072B2"}
# Red (not started) -> amber -> green (leading), readable in grey scale too.
SCALE = [[0.0, "#B2182B"], [0.25, "#EF8A62"], [0.5, "#FDDBC7"], [0.75, "#67A9CF"], [1.0, "#0B6E4F"]]
PRESENTATION_SCALE = 1.5


# Catalog keys that the pages build from data (stage, indicator, question ...), listed so
# the catalog test sees them used.
DYNAMIC_KEYS = (
    "connections.name.touchpoints",
    "connections.name.performance",
    "connections.name.data",
    "connections.stage.not_started",
    "connections.stage.building",
    "connections.stage.running",
    "connections.stage.leading",
    "connections.stage.no_data",
    "connections.ind.cloud_users_per_store",
    "connections.act.cloud_users_per_store",
    "connections.ind.mp_fans_per_store",
    "connections.act.mp_fans_per_store",
    "connections.ind.guides_connected_share",
    "connections.act.guides_connected_share",
    "connections.ind.contacts_per_guide",
    "connections.act.contacts_per_guide",
    "connections.ind.contacts_reachable_share",
    "connections.act.contacts_reachable_share",
    "connections.ind.community_active_share",
    "connections.act.community_active_share",
    "connections.ind.digitised_share",
    "connections.act.digitised_share",
    "connections.ind.format_mix_fit",
    "connections.act.format_mix_fit",
    "connections.ind.roles_staffed",
    "connections.act.roles_staffed",
    "connections.ind.active_guide_share",
    "connections.act.active_guide_share",
    "connections.ind.guide_gmv_share",
    "connections.act.guide_gmv_share",
    "connections.ind.guide_productivity",
    "connections.act.guide_productivity",
    "connections.ind.top_median_ratio",
    "connections.act.top_median_ratio",
    "connections.ind.identified_order_share",
    "connections.act.identified_order_share",
    "connections.ind.cross_channel_share",
    "connections.act.cross_channel_share",
    "connections.ind.attributable_order_share",
    "connections.act.attributable_order_share",
    "connections.ind.freshness_days",
    "connections.act.freshness_days",
    "connections.ind.rejection_rate",
    "connections.act.rejection_rate",
    "connections.q.t1",
    "connections.q.t2",
    "connections.q.t3",
    "connections.q.t4",
    "connections.q.t5",
    "connections.q.t6",
    "connections.q.p1",
    "connections.q.p2",
    "connections.q.p3",
    "connections.q.p4",
    "connections.q.p5",
    "connections.q.p6",
    "connections.q.d1",
    "connections.q.d2",
    "connections.q.d3",
    "connections.q.d4",
    "connections.q.d5",
    "connections.q.d6",
    "connections.assessment.level.0",
    "connections.assessment.level.1",
    "connections.assessment.level.2",
    "connections.assessment.level.3",
    "connections.assessment.level.4",
    "connections.session.class",
    "connections.session.one_on_one",
    "connections.session.workshop",
    "connections.workshop.level.connections",
    "connections.workshop.level.indicators",
)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def heatmap_columns(level: str) -> list[str]:
    """The heatmap's columns: the three connections, or every scored indicator grouped by
    connection."""
    if level == "connections":
        return list(CONNECTIONS)
    return [i.key for c in CONNECTIONS for i in load_config().scored(c)]


def heatmap_matrix(
    scores: pd.DataFrame, indicators: pd.DataFrame, *, level: str, sort_by: str
) -> pd.DataFrame:
    """Merchants (rows, by `sort_by`: "name" or a column, highest first) x columns."""
    columns = heatmap_columns(level)
    if level == "connections":
        matrix = scores.set_index("merchant_id")[columns]
    else:
        matrix = indicators.pivot_table(
            index="merchant_id", columns="indicator", values="score", aggfunc="first"
        ).reindex(columns=columns)
    names = scores.set_index("merchant_id")["name"]
    matrix = matrix.reindex(names.index).astype(float)
    matrix.insert(0, "name", names)
    if sort_by == "name" or sort_by not in matrix.columns:
        return matrix.sort_values("name")
    return matrix.sort_values([sort_by, "name"], ascending=[False, True], na_position="last")


def cohort_heatmap(
    matrix: pd.DataFrame, *, lang: Lang, level: str, presentation: bool = False
) -> go.Figure:
    """Scores 0-100 as colour and as a number in every cell; one row per merchant."""
    columns = [c for c in matrix.columns if c != "name"]
    key = "connections.name." if level == "connections" else "connections.ind."
    x = [translate(f"{key}{c}", lang) for c in columns]
    y = [_esc(n) for n in matrix["name"]][::-1]
    z = matrix[columns].to_numpy(dtype=float)[::-1]
    text = [[fmt.MISSING if pd.isna(v) else f"{v:.0f}" for v in row] for row in z]
    size = charts.FONT_SIZE * (PRESENTATION_SCALE if presentation else 1)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            zmin=0,
            zmax=100,
            colorscale=SCALE,
            text=text,
            texttemplate="%{text}",
            textfont={"size": size},
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": translate("connections.chart.score", lang)}},
            hovertemplate="%{y}<br>%{x}: <b>%{text}</b><extra></extra>",
        )
    )
    row_height = 44 if presentation else 30
    charts._base_layout(
        fig,
        title=translate("connections.chart.heatmap", lang),
        height=160 + row_height * max(len(y), 1),
    )
    fig.update_layout(font={"size": size})
    fig.update_xaxes(
        side="top", tickangle=-30 if level != "connections" else 0, tickfont={"size": size}
    )
    fig.update_yaxes(tickfont={"size": size}, automargin=True)
    return fig


def score_history(
    history: pd.DataFrame,
    *,
    lang: Lang,
    start: date | None = None,
    end: date | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Each connection's score per week, stage bands behind, the programme window shaded."""
    fig = go.Figure()
    thresholds = load_config().thresholds
    bands = [
        (0, thresholds["building"], "not_started"),
        (thresholds["building"], thresholds["running"], "building"),
        (thresholds["running"], thresholds["leading"], "running"),
        (thresholds["leading"], 100, "leading"),
    ]
    for lo, hi, stage in bands:
        fig.add_hrect(
            y0=lo, y1=hi, line_width=0, fillcolor="#888888", opacity=0.04 + 0.03 * (lo / 25),
            annotation_text=translate(f"connections.stage.{stage}", lang),
            annotation_position="right", annotation_font={"size": charts.TICK_SIZE},
        )  # fmt: skip
    for c in CONNECTIONS:
        part = history[history["connection"] == c]
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part["week"]),
                y=part["score"].astype(float),
                name=translate(f"connections.name.{c}", lang),
                mode="lines+markers",
                line={"color": CONNECTION_COLOURS[c], "width": 4 if presentation else 3},
                hovertemplate="%{x|%Y-%m-%d}: <b>%{y:.0f}</b><extra>%{fullData.name}</extra>",
            )
        )
    if start is not None and end is not None:
        fig.add_vrect(x0=start, x1=end, fillcolor="#0B6E4F", opacity=0.06, line_width=0)
    charts._base_layout(fig, title=translate("connections.chart.history", lang), height=420)
    fig.update_yaxes(range=[0, 100], title_text=translate("connections.chart.score", lang))
    fig.update_xaxes(title_text=translate("connections.chart.week", lang))
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    if presentation:
        fig.update_layout(font={"size": charts.FONT_SIZE * PRESENTATION_SCALE})
    return fig


def self_vs_measured(
    self_scores: dict[str, float], measured: dict[str, float | None], *, lang: Lang
) -> go.Figure:
    """Grouped bars per connection: self-assessed and measured."""
    names = [translate(f"connections.name.{c}", lang) for c in CONNECTIONS]
    fig = go.Figure(
        [
            go.Bar(
                x=names,
                y=[self_scores[c] for c in CONNECTIONS],
                name=translate("connections.self", lang),
                marker={"color": "#E69F00"},
                text=[f"{self_scores[c]:.0f}" for c in CONNECTIONS],
                textposition="outside",
            ),
            go.Bar(
                x=names,
                y=[measured.get(c) for c in CONNECTIONS],
                name=translate("connections.measured", lang),
                marker={"color": "#0B6E4F"},
                text=[fmt.MISSING if measured.get(c) is None else f"{measured[c]:.0f}"
                      for c in CONNECTIONS],
                textposition="outside",
            ),
        ]
    )  # fmt: skip
    charts._base_layout(fig, title=translate("connections.chart.gap", lang), height=400)
    fig.update_yaxes(range=[0, 110], title_text=translate("connections.chart.score", lang))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    return fig


def stage_counts(scores: pd.DataFrame) -> pd.DataFrame:
    """How many merchants are at each stage, per connection (rows: stages)."""
    stages = ["not_started", "building", "running", "leading", "no_data"]
    return pd.DataFrame(
        {c: scores[f"{c}_stage"].value_counts().reindex(stages, fill_value=0) for c in CONNECTIONS}
    )


def workshop_report(
    *,
    cohort: str,
    week: date,
    scores: pd.DataFrame,
    figures: list[go.Figure],
    lang: Lang,
) -> str:
    """A self-contained HTML page: the figures (plotly.js embedded once, inline, from the
    installed plotly package), and the merchants' scores and stages as a table."""
    parts = []
    for i, fig in enumerate(figures):
        parts.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0), config=charts.CONFIG))
    head = [translate("col.name", lang)] + [
        translate(f"connections.name.{c}", lang) for c in CONNECTIONS
    ]
    rows = []
    for row in scores.itertuples(index=False):
        cells = [_esc(row.name)]
        for c in CONNECTIONS:
            score = getattr(row, c)
            stage = translate(f"connections.stage.{getattr(row, f'{c}_stage')}", lang)
            cells.append(f"{fmt.MISSING if pd.isna(score) else f'{score:.0f}'} · {_esc(stage)}")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    title = translate(
        "connections.report.title", lang, cohort=_esc(cohort), week=fmt.day(week, lang)
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>body{{font-family:sans-serif;font-size:18px;"
        "margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:6px 10px;text-align:left}</style></head><body>"
        f"<h1>{title}</h1>"
        + "".join(parts)
        + "<table><thead><tr>"
        + "".join(f"<th>{_esc(h)}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>"
    )
