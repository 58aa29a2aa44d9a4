"""Coach workshop: the cohort board (per merchant its scores, stage, blocker, the
indicator most behind target and the next action), a presentation mode that puts the
whole board on one projected screen and steps through the merchants one a screen, the
indicator heatmap, the HTML report, and the drill-down into one merchant (scores over the
programme, what holds it back, attendance, next actions, coach notes). Figures come from
`ui.data.connections`; the board's rules from `models.board`; this file only draws."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from i18n import format as fmt
from i18n.format import Lang
from models import board as board_model
from models import workshop
from models.clock import utcnow
from models.connections import CONNECTIONS, Config, holding_back, load_config, next_actions
from models.scope import Scope
from ui import charts, data, report_workshop, widgets
from ui import charts_connections as cc
from ui.data import connections as cdata
from ui.i18n import t

WEEKS_AROUND = 4
PRESENTATION_CSS = Path(__file__).resolve().parents[1] / "ui" / "styles" / "presentation.css"
STEP_KEY = "workshop_step"  # the merchant shown one a screen (its place on the board), or None


def stage_text(stage: object) -> str:
    return t(f"connections.stage.{stage}")


def _step(to: int | None) -> None:
    st.session_state[STEP_KEY] = to


def cohort_picker(frame: widgets.Frame, cohorts: pd.DataFrame, compact: bool) -> str:
    names = dict(zip(cohorts["cohort_id"], cohorts["name"], strict=True))
    default = frame.cohort_id if frame.cohort_id in names else list(names)[-1]
    if st.session_state.get("workshop_cohort") not in names:
        st.session_state["workshop_cohort"] = default
    # A cohort newly picked in the sidebar wins over the one picked here before.
    if frame.cohort_id in names and st.session_state.get("workshop_sidebar") != frame.cohort_id:
        st.session_state["workshop_cohort"] = frame.cohort_id
    st.session_state["workshop_sidebar"] = frame.cohort_id
    picked: str = st.selectbox(
        t("sidebar.cohort"), list(names), key="workshop_cohort",
        format_func=lambda c: t("sidebar.cohort_option", cohort_id=c, name=names[c]),
        label_visibility="collapsed" if compact else "visible", width=320 if compact else "stretch",
    )  # fmt: skip
    return picked


def board_controls(compact: bool) -> tuple[board_model.Sort, list[str]]:
    """Sort and filter of the board; in presentation mode on one line without labels."""
    visibility = "collapsed" if compact else "visible"
    sort_by = st.segmented_control(
        t("connections.board.sort"), list(board_model.SORTS), key="workshop_board_sort",
        default="blocker", format_func=lambda v: t(f"connections.board.sort.{v}"),
        label_visibility=visibility,
    ) or "blocker"  # fmt: skip
    blocked_on = st.pills(
        t("connections.board.filter"), list(CONNECTIONS), key="workshop_board_filter",
        selection_mode="multi", format_func=lambda c: t(f"connections.name.{c}"),
        label_visibility=visibility,
    )  # fmt: skip
    return sort_by, list(blocked_on or [])


def step_screen(board: pd.DataFrame, position: int, context: dict) -> None:
    """One merchant a screen: scores over the weeks, what holds it back, next actions."""
    lang, engine, scope = context["lang"], context["engine"], context["scope"]
    position = min(max(position, 0), len(board) - 1)
    row = board.iloc[position]
    with st.container(horizontal=True, vertical_alignment="center", key="workshop_step_nav"):
        st.button(
            t("connections.step.back"), key="workshop_step_back", shortcut="B",
            icon=":material/grid_view:", on_click=_step, args=(None,),
        )  # fmt: skip
        st.button(
            t("connections.step.previous"), key="workshop_step_previous", shortcut="Left",
            icon=":material/arrow_back:", on_click=_step, args=(position - 1,),
            disabled=position == 0,
        )  # fmt: skip
        st.button(
            t("connections.step.next"), key="workshop_step_next", shortcut="Right",
            icon=":material/arrow_forward:", on_click=_step, args=(position + 1,),
            disabled=position == len(board) - 1,
        )  # fmt: skip
        st.subheader(
            t("connections.step.position", n=position + 1, total=len(board),
              name=fmt.plain(row["name"])),
        )  # fmt: skip
    cards = st.columns(len(CONNECTIONS) + 1)
    for column, c in zip(cards, CONNECTIONS, strict=False):
        column.metric(
            t(f"connections.name.{c}"), cc.score_text(row[c]), delta=stage_text(row[f"{c}_stage"]),
            delta_color="off", delta_arrow="off", border=True,
        )  # fmt: skip
    cards[-1].metric(
        t("connections.board.col.blocker"), cc.connection_text(row["blocker"], lang), border=True
    )
    cohort = context["cohort"]
    left, right = st.columns([3, 2])
    history = cdata.merchant_history(
        engine, scope, row["merchant_id"],
        cohort["start_date"] - timedelta(weeks=WEEKS_AROUND),
        cohort["end_date"] + timedelta(weeks=WEEKS_AROUND),
    )  # fmt: skip
    figure = cc.score_history(
        history, lang=lang, start=cohort["start_date"], end=cohort["end_date"], presentation=True
    )
    figure.update_layout(height=380)
    left.plotly_chart(figure, config=charts.CONFIG, key="workshop_step_history")
    config = load_config()
    mine = cdata.merchant_indicators(engine, scope, row["merchant_id"], context["week"])
    with right:
        st.markdown(f"**{t('connections.workshop.holding_back')}**")
        back = holding_back(mine, config)
        if back.empty:
            st.success(t("connections.workshop.holding_back.none"), icon="✅")
        else:
            shown = cc.holding_back_table(back.head(5), lang, row["industry"])
            st.table(
                shown.drop(columns="connection").rename(
                    columns={"name": t("connections.col.indicator"),
                             "value": t("connections.col.value"),
                             "target": t("connections.board.col.target"),
                             "score": t("connections.col.score")}
                ),
                hide_index=True,
            )  # fmt: skip
        st.markdown(f"**{t('connections.workshop.next_actions')}**")
        stages = {c: row[f"{c}_stage"] for c in CONNECTIONS}
        for number, action in enumerate(
            next_actions(mine, stages, config).itertuples(index=False), start=1
        ):
            st.markdown(
                t("connections.step.action", n=number,
                  action=t(f"connections.act.{action.indicator}"),
                  topic=fmt.plain(cc.topic_text(action.topic, lang)))
            )  # fmt: skip


def render() -> None:
    frame = widgets.frame()
    lang, scope = frame.lang, frame.scope
    engine = data.engine()
    presentation = bool(st.session_state.get("workshop_presentation"))
    # Presentation: the sidebar collapses and a static stylesheet gives the board
    # projector type, compact rows and the whole screen.
    st.set_page_config(layout="wide", initial_sidebar_state="collapsed" if presentation else "auto")
    if presentation:
        st.html(PRESENTATION_CSS)
    else:
        st.title(t("connections.workshop.title"))
    if frame.window is None:
        widgets.no_data()
        return
    cohorts = data.cohorts(engine, scope)
    if cohorts.empty:
        widgets.missing_input("cohorts", "connections.workshop.title")
        return

    top = st.container(horizontal=True, vertical_alignment="center", key="workshop_top")
    with top:
        st.toggle(
            t("connections.presentation"), key="workshop_presentation",
            help=t("connections.presentation.help"),
        )  # fmt: skip
        cohort_id = cohort_picker(frame, cohorts, compact=presentation)
        if presentation:
            sort_by, blocked_on = board_controls(compact=True)
    cohort = cohorts[cohorts["cohort_id"] == cohort_id].iloc[0]
    as_of = workshop.as_of(frame.end, frame.window[1], cohort["end_date"])
    week = cdata.latest_week(engine, scope, as_of)
    scores = cdata.cohort_scores(engine, scope, cohort_id, week) if week else None
    if week is None or scores is None or scores.empty:
        st.info(t("connections.none"))
        return
    indicators = cdata.cohort_indicators(engine, scope, cohort_id, week)
    config = load_config()
    full = cdata.cohort_board(engine, scope, cohort_id, week)
    caption = t("connections.workshop.caption", week=fmt.day(week, lang), n=len(scores))

    # Cohort board -----------------------------------------------------------------------
    if not presentation:
        st.caption(caption)
        st.header(t("connections.board.header"), divider="gray", anchor="board")
        with st.container(horizontal=True, gap="large"):
            sort_by, blocked_on = board_controls(compact=False)
    shown = board_model.filter_board(board_model.sort_board(full, sort_by), blocked_on)
    context = {"lang": lang, "engine": engine, "scope": scope, "cohort": cohort, "week": week}
    step = st.session_state.get(STEP_KEY)
    if presentation and isinstance(step, int) and not shown.empty:
        with st.container(key="workshop_step"):
            step_screen(shown, step, context)
        return
    if presentation:
        with top:
            st.button(
                t("connections.step.start"), key="workshop_step_start", shortcut="S",
                icon=":material/slideshow:", help=t("connections.step.start.help"),
                on_click=_step, args=(0,),
            )  # fmt: skip
            st.caption(caption)
    _board_table(shown, full, lang, config)
    if presentation:
        return

    # Every indicator ----------------------------------------------------------------------
    st.header(t("connections.indicators.header"), divider="gray")
    _every_indicator(scores, indicators, shown, lang)
    _export(engine, scope, cohort_id, cohort, week, lang)
    drill_down(scores, cohort, week, context)


def drill_down(scores: pd.DataFrame, cohort: pd.Series, week: object, context: dict) -> None:
    lang, engine, scope = context["lang"], context["engine"], context["scope"]
    st.header(t("connections.workshop.drill.header"), divider="gray")
    st.markdown(t("connections.drill.back"))
    merchant_id, row = _merchant_scores(scores, cohort, context)
    config = load_config()
    mine = cdata.merchant_indicators(engine, scope, merchant_id, week)
    _holding_back(mine, config, row, lang)
    st.subheader(t("connections.workshop.attendance"))
    sessions = _attendance(engine, scope, merchant_id, lang)
    st.subheader(t("connections.workshop.next_actions"))
    _next_actions(mine, row, config, sessions, lang)
    st.subheader(t("connections.workshop.notes"))
    _notes(engine, scope, merchant_id, lang)


def _merchant_scores(
    scores: pd.DataFrame, cohort: pd.Series, context: dict
) -> tuple[str, pd.Series]:
    """The merchant picked: its three scores and stages, and its score history."""
    lang, engine, scope = context["lang"], context["engine"], context["scope"]
    merchants = dict(zip(scores["merchant_id"], scores["name"], strict=True))
    if st.session_state.get("workshop_merchant") not in merchants:
        st.session_state["workshop_merchant"] = scores["merchant_id"].iloc[0]
    merchant_id = st.selectbox(
        t("widget.merchant"), list(merchants), key="workshop_merchant",
        format_func=lambda m: t("widget.merchant.option", name=merchants[m], merchant_id=m),
    )  # fmt: skip
    row = scores[scores["merchant_id"] == merchant_id].iloc[0]
    columns = st.columns(3)
    for column, c in zip(columns, CONNECTIONS, strict=True):
        column.metric(
            t(f"connections.name.{c}"),
            cc.score_text(row[c]),
            delta=stage_text(row[f"{c}_stage"]),
            delta_color="off",
            delta_arrow="off",
        )
    start = cohort["start_date"] - timedelta(weeks=WEEKS_AROUND)
    end = cohort["end_date"] + timedelta(weeks=WEEKS_AROUND)
    history = cdata.merchant_history(engine, scope, merchant_id, start, end)
    st.plotly_chart(
        cc.score_history(history, lang=lang, start=cohort["start_date"], end=cohort["end_date"]),
        config=charts.CONFIG, key="workshop_history",
    )  # fmt: skip

    return str(merchant_id), row


def _holding_back(mine: pd.DataFrame, config: Config, row: pd.Series, lang: Lang) -> None:
    """The indicators below target that hold the merchant back."""
    st.subheader(t("connections.workshop.holding_back"))
    back = holding_back(mine, config)
    if back.empty:
        st.success(t("connections.workshop.holding_back.none"), icon="✅")
    else:
        widgets.table(
            cc.holding_back_table(back, lang, row["industry"]),
            {"connection": "connections.col.connection", "name": "connections.col.indicator",
             "value": "connections.col.value", "target": "connections.board.col.target",
             "score": "connections.col.score"},
            key="workshop_holding_back", whole=True,
        )  # fmt: skip


def _attendance(engine: data.Engine, scope: Scope, merchant_id: str, lang: Lang) -> pd.DataFrame:
    """Classes and one-on-ones held and attended; the sessions."""
    sessions = cdata.attendance(engine, scope, merchant_id)
    if sessions.empty:
        widgets.missing_input("attendance", "connections.workshop.attendance")
    else:
        counts = workshop.attendance(sessions)
        a, b = st.columns(2)
        came, held = counts["class"]
        a.metric(t("connections.workshop.classes"), f"{came} / {held}")
        came, held = counts["one_on_one"]
        b.metric(t("connections.workshop.one_on_one"), f"{came} / {held}")
        widgets.table(
            sessions.assign(
                session_type=[t(f"connections.session.{s}") if s else fmt.MISSING
                              for s in sessions["session_type"]],
                topic=[cc.topic_text(x, lang) for x in sessions["topic"]],
                attended=[t("connections.yes") if x else t("connections.no")
                          for x in sessions["attended"]],
            ),
            {"session_date": "connections.col.date", "session_type": "connections.col.type",
             "topic": "connections.col.topic", "attended": "connections.col.attended"},
            key="workshop_sessions",
        )  # fmt: skip

    return sessions


def _next_actions(
    mine: pd.DataFrame, row: pd.Series, config: Config, sessions: pd.DataFrame, lang: Lang
) -> None:
    """The next actions, each with whether its class topic was attended."""
    stages = {c: row[f"{c}_stage"] for c in CONNECTIONS}
    actions = next_actions(mine, stages, config)
    attended_topics = workshop.attended_topics(sessions)
    for number, action in enumerate(actions.itertuples(index=False), start=1):
        st.markdown(
            t(
                "connections.action",
                n=number,
                action=t(f"connections.act.{action.indicator}"),
                connection=t(f"connections.name.{action.connection}"),
                topic=fmt.plain(cc.topic_text(action.topic, lang)),
                status=t("connections.topic.attended") if action.topic in attended_topics
                else t("connections.topic.missed"),
            )
        )  # fmt: skip


def _notes(engine: data.Engine, scope: Scope, merchant_id: str, lang: Lang) -> None:
    """A coach's notes on the merchant (a merchant reads them, a coach also writes)."""
    if scope.role != "merchant":
        with st.form("workshop_note_form", clear_on_submit=True):
            body = st.text_area(t("connections.workshop.note"), key="workshop_note_body")
            if st.form_submit_button(t("connections.workshop.note.save")):
                saved = cdata.add_coach_note(
                    engine=engine, scope=scope, merchant_id=merchant_id, body=body,
                    now=utcnow(),
                )  # fmt: skip
                if saved:
                    st.toast(t("connections.workshop.note.saved"), icon="✅")
                else:
                    st.warning(t("connections.workshop.note.empty"))
    notes = cdata.coach_notes(engine, scope, merchant_id)
    if notes.empty:
        st.caption(t("connections.workshop.notes.none"))
    else:
        widgets.table(
            notes.assign(created_at=[fmt.timestamp(v, lang) for v in notes["created_at"]]),
            {"created_at": "connections.col.when", "author": "connections.col.author",
             "body": "connections.col.note"},
            key="workshop_notes_table",
        )  # fmt: skip


def _board_table(shown: pd.DataFrame, full: pd.DataFrame, lang: Lang, config: Config) -> None:
    """The board as sorted and filtered (and how many rows the filter hides)."""
    if len(shown) < len(full):
        st.caption(t("connections.board.filtered", shown=len(shown), n=len(full)))
    if shown.empty:
        st.info(t("connections.board.none"))
    else:
        with st.container(key="workshop_board"):
            st.table(cc.board_table(shown, lang, config), hide_index=True)


def _every_indicator(
    scores: pd.DataFrame, indicators: pd.DataFrame, shown: pd.DataFrame, lang: Lang
) -> None:
    """Every indicator of every merchant, the stage counts and the order rule's warnings."""
    st.caption(t("connections.indicators.caption"))
    matrix = cc.heatmap_matrix(
        scores, indicators, level="indicators", order=list(shown["merchant_id"])
    )
    heatmap = cc.cohort_heatmap(matrix, lang=lang, level="indicators")
    st.plotly_chart(
        heatmap, config={**charts.CONFIG, "displayModeBar": False}, key="workshop_heatmap"
    )

    counts = cc.stage_counts(scores)
    counts.index = [stage_text(s) for s in counts.index]
    counts.columns = [t(f"connections.name.{c}") for c in counts.columns]
    st.subheader(t("connections.workshop.stages"))
    st.dataframe(counts, width="stretch", key="workshop_stage_counts")

    for ahead in workshop.out_of_order(scores):
        st.warning(
            t(
                "connections.order_rule",
                merchant=fmt.plain(ahead.merchant),
                later=t(f"connections.name.{ahead.later}"),
                earlier=t(f"connections.name.{ahead.earlier}"),
            ),
            icon="⚠️",
        )


def _export(
    engine: data.Engine, scope: Scope, cohort_id: str, cohort: pd.Series, week: date, lang: Lang
) -> None:
    """The printable workshop report."""
    widgets.export_button(
        "connections.workshop.export",
        report_workshop.builder(
            engine=engine, scope=scope, cohort_id=cohort_id,
            cohort=f"{cohort_id} {cohort['name']}", week=week, lang=lang,
        ),
        f"workshop-{cohort_id}-{week.isoformat()}-{lang}.html",
        key="workshop_export",
        what="workshop report",
        mime="text/html",
    )  # fmt: skip


render()
