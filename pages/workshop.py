"""Coach workshop: a cohort's merchants x the three connections (or every indicator) as a
heatmap, a presentation mode for the projector, the HTML report, and the drill-down into
one merchant (scores over the programme, what holds it back, attendance, next actions,
coach notes). Figures come from `ui.data.connections`; maths from `models.connections`."""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from models.connections import CONNECTIONS, holding_back, load_config, next_actions
from ui import charts, data, widgets
from ui import charts_connections as cc
from ui import format as fmt
from ui.data import connections as cdata
from ui.i18n import t

WEEKS_AROUND = 4


def stage_text(stage: object) -> str:
    return t(f"connections.stage.{stage}")


def render() -> None:
    frame = widgets.frame()
    lang, scope = frame.lang, frame.scope
    engine = data.engine()
    presentation = st.toggle(
        t("connections.presentation"), key="workshop_presentation",
        help=t("connections.presentation.help"),
    )  # fmt: skip
    # Presentation: the sidebar collapses and charts and tables get projector type.
    st.set_page_config(layout="wide", initial_sidebar_state="collapsed" if presentation else "auto")
    st.title(t("connections.workshop.title"))
    if frame.window is None:
        widgets.no_data()
        return
    cohorts = data.cohorts(engine, scope)
    if cohorts.empty:
        widgets.missing_input("cohorts", "connections.workshop.title")
        return
    names = dict(zip(cohorts["cohort_id"], cohorts["name"], strict=True))
    default = frame.cohort_id if frame.cohort_id in names else list(names)[-1]
    if st.session_state.get("workshop_cohort") not in names:
        st.session_state["workshop_cohort"] = default
    # A cohort newly picked in the sidebar wins over the one picked here before.
    if frame.cohort_id in names and st.session_state.get("workshop_sidebar") != frame.cohort_id:
        st.session_state["workshop_cohort"] = frame.cohort_id
    st.session_state["workshop_sidebar"] = frame.cohort_id
    cohort_id = st.selectbox(
        t("sidebar.cohort"), list(names), key="workshop_cohort",
        format_func=lambda c: t("sidebar.cohort_option", cohort_id=c, name=names[c]),
    )  # fmt: skip
    cohort = cohorts[cohorts["cohort_id"] == cohort_id].iloc[0]
    # The cohort as of the sidebar's end date, but never past the end of its programme:
    # an ended cohort shows its last programme week.
    as_of = min(frame.end or frame.window[1], frame.window[1], cohort["end_date"])
    week = cdata.latest_week(engine, scope, as_of)
    scores = cdata.cohort_scores(engine, scope, cohort_id, week) if week else None
    if week is None or scores is None or scores.empty:
        st.info(t("connections.none"))
        return
    st.caption(t("connections.workshop.caption", week=fmt.day(week, lang), n=len(scores)))

    # Cohort heatmap ---------------------------------------------------------------------
    st.header(t("connections.workshop.heatmap.header"), divider="gray")
    left, right = st.columns(2)
    level = left.segmented_control(
        t("connections.workshop.level"), ["connections", "indicators"], key="workshop_level",
        default="connections", format_func=lambda v: t(f"connections.workshop.level.{v}"),
    ) or "connections"  # fmt: skip
    sort_options = ["name", *cc.heatmap_columns(level)]
    sort_key = "connections.name." if level == "connections" else "connections.ind."
    sort_by = right.selectbox(
        t("connections.workshop.sort"), sort_options, key=f"workshop_sort_{level}",
        format_func=lambda v: t("col.name") if v == "name" else t(f"{sort_key}{v}"),
    )  # fmt: skip
    indicators = cdata.cohort_indicators(engine, scope, cohort_id, week)
    matrix = cc.heatmap_matrix(scores, indicators, level=level, sort_by=sort_by)
    heatmap = cc.cohort_heatmap(matrix, lang=lang, level=level, presentation=presentation)
    st.plotly_chart(heatmap, config=charts.CONFIG, key="workshop_heatmap")

    counts = cc.stage_counts(scores)
    counts.index = [stage_text(s) for s in counts.index]
    counts.columns = [t(f"connections.name.{c}") for c in counts.columns]
    st.subheader(t("connections.workshop.stages"))
    st.dataframe(counts, width="stretch", key="workshop_stage_counts")

    ahead = scores[scores[[f"{c}_ahead" for c in CONNECTIONS]].notna().any(axis=1)]
    for row in ahead.itertuples(index=False):
        for c in CONNECTIONS:
            earlier = getattr(row, f"{c}_ahead")
            if isinstance(earlier, str):
                st.warning(
                    t(
                        "connections.order_rule",
                        merchant=fmt.plain(row.name),
                        later=t(f"connections.name.{c}"),
                        earlier=t(f"connections.name.{earlier}"),
                    ),
                    icon="⚠️",
                )

    report = cdata.workshop_report(
        engine, scope, cohort_id, f"{cohort_id} {cohort['name']}", week, lang
    )
    widgets.export_button(
        "connections.workshop.export",
        report,
        f"workshop-{cohort_id}-{week.isoformat()}.html",
        key="workshop_export",
        what="workshop report",
        mime="text/html",
    )

    # Drill-down -------------------------------------------------------------------------
    st.header(t("connections.workshop.drill.header"), divider="gray")
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
        value = row[c]
        column.metric(
            t(f"connections.name.{c}"),
            fmt.MISSING if value != value else f"{value:.0f}",
            delta=stage_text(row[f"{c}_stage"]),
            delta_color="off",
            delta_arrow="off",
        )
    start = cohort["start_date"] - timedelta(weeks=WEEKS_AROUND)
    end = cohort["end_date"] + timedelta(weeks=WEEKS_AROUND)
    history = cdata.merchant_history(engine, scope, merchant_id, start, end)
    st.plotly_chart(
        cc.score_history(history, lang=lang, start=cohort["start_date"], end=cohort["end_date"],
                         presentation=presentation),
        config=charts.CONFIG, key="workshop_history",
    )  # fmt: skip

    config = load_config()
    mine = cdata.merchant_indicators(engine, scope, merchant_id, week)
    st.subheader(t("connections.workshop.holding_back"))
    back = holding_back(mine, config)
    if back.empty:
        st.success(t("connections.workshop.holding_back.none"), icon="✅")
    else:
        widgets.table(
            back.assign(
                name=[t(f"connections.ind.{k}") for k in back["indicator"]],
                connection=[t(f"connections.name.{config.indicators[k].connection}")
                            for k in back["indicator"]],
                value=[fmt.plain(f"{v:.2f}") if v == v else fmt.MISSING for v in back["value"]],
                score=[f"{s:.0f}" for s in back["score"]],
            ),
            {"connection": "connections.col.connection", "name": "connections.col.indicator",
             "value": "connections.col.value", "score": "connections.col.score"},
            key="workshop_holding_back", whole=True,
        )  # fmt: skip

    st.subheader(t("connections.workshop.attendance"))
    sessions = cdata.attendance(engine, scope, merchant_id)
    if sessions.empty:
        widgets.missing_input("attendance", "connections.workshop.attendance")
    else:
        classes = sessions[sessions["session_type"] == "class"]
        one_on_one = sessions[sessions["session_type"] == "one_on_one"]
        a, b = st.columns(2)
        came, held = int(classes["attended"].sum()), len(classes)
        a.metric(t("connections.workshop.classes"), f"{came} / {held}")
        came, held = int(one_on_one["attended"].sum()), len(one_on_one)
        b.metric(t("connections.workshop.one_on_one"), f"{came} / {held}")
        widgets.table(
            sessions.assign(
                session_type=[t(f"connections.session.{s}") if s else fmt.MISSING
                              for s in sessions["session_type"]],
                attended=[t("connections.yes") if x else t("connections.no")
                          for x in sessions["attended"]],
            ),
            {"session_date": "connections.col.date", "session_type": "connections.col.type",
             "topic": "connections.col.topic", "attended": "connections.col.attended"},
            key="workshop_sessions",
        )  # fmt: skip

    st.subheader(t("connections.workshop.next_actions"))
    stages = {c: row[f"{c}_stage"] for c in CONNECTIONS}
    actions = next_actions(mine, stages, config)
    attended_topics = set(sessions.loc[sessions["attended"].astype(bool), "topic"].dropna())
    for number, action in enumerate(actions.itertuples(index=False), start=1):
        st.markdown(
            t(
                "connections.action",
                n=number,
                action=t(f"connections.act.{action.indicator}"),
                connection=t(f"connections.name.{action.connection}"),
                topic=fmt.plain(action.topic),
                status=t("connections.topic.attended") if action.topic in attended_topics
                else t("connections.topic.missed"),
            )
        )  # fmt: skip

    st.subheader(t("connections.workshop.notes"))
    if scope.role != "merchant":
        with st.form("workshop_note_form", clear_on_submit=True):
            body = st.text_area(t("connections.workshop.note"), key="workshop_note_body")
            if st.form_submit_button(t("connections.workshop.note.save")):
                saved = cdata.add_coach_note(
                    engine=engine, scope=scope, merchant_id=merchant_id, body=body,
                    now=datetime.now(),
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


render()
