"""Figures and tables of the three connections: the cohort board as a table, the
indicator heatmap, a merchant's scores over the programme, self-assessed vs measured, and
the texts they share (an indicator's value in its unit, a class topic in the reader's
language). Frames in, figures and frames out; labels from the catalog; delivered names
escaped."""

from __future__ import annotations

import html
import textwrap
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from i18n import format as fmt
from i18n.format import Lang
from models.connections import CONNECTIONS, Config, load_config
from ui import charts
from ui.figures import kept
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
    "connections.board.sort.blocker",
    "connections.board.sort.score",
    "connections.board.sort.name",
    "connections.act_short.cloud_users_per_store",
    "connections.act_short.mp_fans_per_store",
    "connections.act_short.guides_connected_share",
    "connections.act_short.contacts_per_guide",
    "connections.act_short.contacts_reachable_share",
    "connections.act_short.community_active_share",
    "connections.act_short.digitised_share",
    "connections.act_short.format_mix_fit",
    "connections.act_short.roles_staffed",
    "connections.act_short.active_guide_share",
    "connections.act_short.guide_gmv_share",
    "connections.act_short.guide_productivity",
    "connections.act_short.top_median_ratio",
    "connections.act_short.identified_order_share",
    "connections.act_short.cross_channel_share",
    "connections.act_short.attributable_order_share",
    "connections.act_short.freshness_days",
    "connections.act_short.rejection_rate",
    "connections.class.3_1_roles_and_kpis",
    "connections.class.community_layering_official_guide_hot_fans",
    "connections.class.data_security_and_privacy",
    "connections.class.guide_incentives_and_leaderboards",
    "connections.class.light_medium_and_heavy_contacts",
    "connections.class.member_tiers_and_repurchase_offers",
    "connections.class.mini_program_flagship_store",
    "connections.class.omni_channel_attribution",
    "connections.class.programme_kick_off_the_three_connections",
    "connections.class.quick_wins_raising_daily_sales_step_by_step",
    "connections.class.scan_to_buy_and_one_item_one_code",
    "connections.class.spreading_best_practice_across_stores",
    "connections.class.top_down_ownership",
    "connections.class.turning_store_visitors_into_fans",
    "connections.class.unifying_customer_data_across_channels",
    "connections.class.wecom_guide_playbook",
)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


# --- texts shared by the board, the step-through and the report ----------------------


def topic_text(topic: object, lang: Lang) -> str:
    """A class topic in `lang`, as the programme's configuration (`[topics]` of
    config/connections.toml) names it; a topic it does not list, as delivered."""
    if not isinstance(topic, str) or not topic:
        return fmt.MISSING
    return load_config().topic(topic, lang)


def indicator_value(key: str, value: object, lang: Lang, config: Config | None = None) -> str:
    """An indicator's value formatted in its unit (%, ¥, count, ×, days)."""
    spec = (config or load_config()).indicators.get(key)
    return fmt.indicator(value, spec.unit if spec else "count", lang)


def connection_text(connection: object, lang: Lang) -> str:
    if not isinstance(connection, str):
        return translate("connections.board.unblocked", lang)
    return translate(f"connections.name.{connection}", lang)


def score_text(value: object) -> str:
    return fmt.MISSING if pd.isna(value) else f"{float(value):.0f}"  # type: ignore[arg-type]


def behind_text(row: pd.Series, lang: Lang, config: Config | None = None) -> str:
    """`Digitised store visitors: 12.0% / 50.0%` (value / target), or a dash."""
    key = row["behind"]
    if not isinstance(key, str):
        return fmt.MISSING
    return translate(
        "connections.board.behind",
        lang,
        indicator=translate(f"connections.ind.{key}", lang),
        value=indicator_value(key, row["behind_value"], lang, config),
        target=indicator_value(key, row["behind_target"], lang, config),
    )


def action_text(key: object, lang: Lang) -> str:
    if not isinstance(key, str):
        return fmt.MISSING
    return translate(f"connections.act_short.{key}", lang)


BOARD_HEADS = {
    "name": "connections.board.col.merchant",
    **{c: f"connections.name.{c}" for c in CONNECTIONS},
    "stage": "connections.board.col.stage",
    "blocker": "connections.board.col.blocker",
    "behind": "connections.board.col.behind",
    "action": "connections.board.col.action",
    "topic": "connections.board.col.topic",
}


def board_table(board: pd.DataFrame, lang: Lang, config: Config | None = None) -> pd.DataFrame:
    """The board as the room reads it: text cells in `lang`, headed from the catalog."""
    out = pd.DataFrame(
        {
            "name": board["name"].astype(str),
            **{c: [score_text(v) for v in board[c]] for c in CONNECTIONS},
            "stage": [translate(f"connections.stage.{s}", lang) for s in board["stage"]],
            "blocker": [connection_text(b, lang) for b in board["blocker"]],
            "behind": [behind_text(row, lang, config) for _, row in board.iterrows()],
            "action": [action_text(a, lang) for a in board["action"]],
            "topic": [topic_text(x, lang) for x in board["topic"]],
        }
    )
    return out.rename(columns={c: translate(k, lang) for c, k in BOARD_HEADS.items()})


def holding_back_table(back: pd.DataFrame, lang: Lang, industry: object = None) -> pd.DataFrame:
    """Indicators holding a merchant back (`models.connections.holding_back`), as text:
    connection, indicator, value and target in its unit, score."""
    config = load_config()
    specs = [config.indicators[k] for k in back["indicator"]]
    ind = industry if isinstance(industry, str) else None
    return pd.DataFrame(
        {
            "connection": [translate(f"connections.name.{s.connection}", lang) for s in specs],
            "name": [translate(f"connections.ind.{s.key}", lang) for s in specs],
            "value": [
                fmt.indicator(v, s.unit, lang) for v, s in zip(back["value"], specs, strict=True)
            ],
            "target": [fmt.indicator(s.target_for(ind), s.unit, lang) for s in specs],
            "score": [score_text(v) for v in back["score"]],
        }
    )


def heatmap_columns(level: str) -> list[str]:
    """The heatmap's columns: the three connections, or every scored indicator grouped by
    connection."""
    if level == "connections":
        return list(CONNECTIONS)
    return [i.key for c in CONNECTIONS for i in load_config().scored(c)]


def heatmap_matrix(
    scores: pd.DataFrame, indicators: pd.DataFrame, *, level: str, order: list[str] | None = None
) -> pd.DataFrame:
    """Merchants (rows, in `order` of merchant ids, else by name) x columns."""
    columns = heatmap_columns(level)
    if level == "connections":
        matrix = scores.set_index("merchant_id")[columns]
    else:
        matrix = indicators.pivot_table(
            index="merchant_id", columns="indicator", values="score", aggfunc="first"
        ).reindex(columns=columns)
    names = scores.set_index("merchant_id")["name"]
    rows = order if order is not None else list(names.sort_values().index)
    matrix = matrix.reindex(rows).astype(float)
    matrix.insert(0, "name", names.reindex(rows))
    return matrix


def _wrap(label: str, width: int) -> str:
    """A long axis label on lines of about `width` characters (plotly's `<br>`)."""
    return "<br>".join(textwrap.wrap(label, width=width, break_long_words=True)) or label


@kept
def cohort_heatmap(
    matrix: pd.DataFrame, *, lang: Lang, level: str, presentation: bool = False
) -> go.Figure:
    """Scores 0-100 as colour and as a number in every cell; one row per merchant, the
    first at the top. Column labels stand upright on at most two lines above the cells
    (no chart title: the page heads it), so 18 indicator columns never overlap."""
    columns = [c for c in matrix.columns if c != "name"]
    key = "connections.name." if level == "connections" else "connections.ind."
    many = level != "connections"
    width = 12 if lang == "zh" else 22
    x = [_wrap(translate(f"{key}{c}", lang), width) if many else translate(f"{key}{c}", lang)
         for c in columns]  # fmt: skip
    y = [_esc(n) for n in matrix["name"]][::-1]
    z = matrix[columns].to_numpy(dtype=float)[::-1]
    text = [[fmt.MISSING if pd.isna(v) else f"{v:.0f}" for v in row] for row in z]
    size = charts.FONT_SIZE * (PRESENTATION_SCALE if presentation else 1)
    cell = charts.TICK_SIZE if many else size  # three digits fit a narrow column
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
            textfont={"size": cell},
            xgap=3,
            ygap=2,
            colorbar={"title": {"text": translate("connections.chart.score", lang)},
                      "thickness": 14},
            hovertemplate="%{y}<br>%{x}: <b>%{text}</b><extra></extra>",
        )
    )  # fmt: skip
    row_height = 34 if presentation else 28
    label_room = 190 if many else 40
    charts._base_layout(fig, title="", height=label_room + 24 + row_height * max(len(y), 1))
    fig.update_layout(font={"size": size}, margin={"l": 8, "r": 8, "t": label_room, "b": 8})
    fig.update_xaxes(
        side="top",
        tickangle=-90 if many else 0,
        tickfont={"size": charts.TICK_SIZE if many else size},
        automargin=True,
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
    return charts.localise(fig, lang)


@kept
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
