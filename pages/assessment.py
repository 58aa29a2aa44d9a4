"""Merchant self-assessment: the questionnaire (take it, retake it), the change over time,
self-assessed vs measured per connection, anonymous cohort peer percentiles (MIN_PEERS peers
or more), and the three next actions. Scoring is in `models.assessment`."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from i18n import format as fmt
from i18n.format import Lang
from models.assessment import LEVELS, QUESTIONS, gaps, measured_now
from models.clock import utcnow
from models.connections import CONNECTIONS, load_config, next_actions
from models.scope import Scope
from ui import charts, data, widgets
from ui import charts_connections as cc
from ui.data import connections as cdata
from ui.data.peers import MIN_PEERS
from ui.i18n import t


def pct_text(value: object, peers: int) -> str:
    if value is None or value != value:
        return t("connections.assessment.peers.too_few", n=peers, min_peers=MIN_PEERS)
    return widgets.standing(value, peers)


def render() -> None:
    frame = widgets.frame()
    lang, scope = frame.lang, frame.scope
    engine = data.engine()
    st.title(t("connections.assessment.title"))
    if frame.window is None:
        widgets.no_data()
        return
    merchant_id = widgets.merchant_picker("assessment_merchant")
    if merchant_id is None:
        return
    week = cdata.latest_week(engine, scope, frame.window[1])
    history = cdata.merchant_history(engine, scope, merchant_id, week, week) if week else None
    measured, stages = measured_now(history)

    taken = cdata.assessments(engine, scope, merchant_id)
    st.caption(t("connections.assessment.caption", n=len(taken)))
    taken = _questionnaire(engine, scope, merchant_id, taken)
    if taken.empty:
        st.info(t("connections.assessment.none"))
        return
    latest = taken.iloc[-1]
    self_scores = {c: float(latest[c]) for c in CONNECTIONS}
    st.header(t("connections.assessment.gap.header"), divider="gray")
    _self_vs_measured(self_scores, measured, lang)
    st.header(t("connections.assessment.history.header"), divider="gray")
    _over_time(taken, lang)
    st.header(t("connections.assessment.peers.header"), divider="gray")
    _peers(engine, scope, merchant_id, week)
    st.header(t("connections.assessment.actions.header"), divider="gray")
    _next_actions(engine, scope, merchant_id, week, stages)


def _questionnaire(
    engine: data.Engine, scope: Scope, merchant_id: str, taken: pd.DataFrame
) -> pd.DataFrame:
    """The questions (open while none was answered); the assessments, with a new one saved."""
    with st.expander(t("connections.assessment.form"), expanded=taken.empty, icon="📝"):
        with st.form("assessment_form"):
            answers = {}
            for c in CONNECTIONS:
                st.subheader(t(f"connections.name.{c}"))
                for q in QUESTIONS[c]:
                    answers[q] = st.radio(
                        t(f"connections.q.{q}"), LEVELS, index=None, horizontal=True,
                        key=f"assessment_{q}",
                        format_func=lambda v: t(f"connections.assessment.level.{v}"),
                    )  # fmt: skip
            submitted = st.form_submit_button(t("connections.assessment.submit"), type="primary")
        if submitted:
            if any(v is None for v in answers.values()):
                st.warning(t("connections.assessment.incomplete"))
            else:
                chosen = {q: int(v) for q, v in answers.items()}
                cdata.save_assessment(
                    engine=engine, scope=scope, merchant_id=merchant_id, answers=chosen,
                    now=utcnow(),
                )  # fmt: skip
                st.success(t("connections.assessment.saved"), icon="✅")
                taken = cdata.assessments(engine, scope, merchant_id)

    return taken


def _self_vs_measured(
    self_scores: dict[str, float], measured: dict[str, float | None], lang: Lang
) -> None:
    """Self-assessed against measured, per connection, and each gap in words."""
    st.plotly_chart(
        cc.self_vs_measured(self_scores, measured, lang=lang), config=charts.CONFIG,
        key="assessment_gap",
    )  # fmt: skip
    for c, gap in gaps(self_scores, measured).items():
        if gap is None:
            name = t(f"connections.name.{c}")
            st.caption(t("connections.assessment.gap.unmeasured", connection=name))
        else:
            st.markdown(
                t(
                    "connections.assessment.gap.line",
                    connection=t(f"connections.name.{c}"),
                    self=f"{self_scores[c]:.0f}",
                    measured=f"{measured[c]:.0f}",
                    gap=f"{gap:+.0f}",
                )
            )


def _over_time(taken: pd.DataFrame, lang: Lang) -> None:
    """Every assessment taken, and the change since the one before."""
    latest = taken.iloc[-1]
    widgets.table(
        taken.assign(
            taken_on=[fmt.day(d, lang) for d in taken["taken_on"]],
            **{c: [f"{v:.0f}" for v in taken[c]] for c in CONNECTIONS},
        ),
        {"taken_on": "connections.col.date", "touchpoints": "connections.name.touchpoints",
         "performance": "connections.name.performance", "data": "connections.name.data"},
        key="assessment_history", whole=True,
    )  # fmt: skip
    if len(taken) > 1:
        previous = taken.iloc[-2]
        st.caption(
            t(
                "connections.assessment.change",
                **{c: f"{float(latest[c]) - float(previous[c]):+.0f}" for c in CONNECTIONS},
            )
        )


def _peers(engine: data.Engine, scope: Scope, merchant_id: str, week: date | None) -> None:
    """Where the merchant stands among its cohort's peers (anonymous, MIN_PEERS or more)."""
    st.caption(t("connections.assessment.peers.caption", min_peers=MIN_PEERS))
    if week is not None:
        peers = cdata.peer_percentiles(engine, scope, merchant_id, week)
        widgets.table(
            peers.assign(
                connection=[t(f"connections.name.{c}") for c in peers["connection"]],
                measured=[pct_text(v, n) for v, n in zip(peers["measured_pct"],
                                                         peers["measured_peers"], strict=True)],
                self_text=[pct_text(v, n) for v, n in zip(peers["self_pct"], peers["self_peers"],
                                                     strict=True)],
            ),
            {"connection": "connections.col.connection", "measured": "connections.measured",
             "self_text": "connections.self"},
            key="assessment_peers", whole=True,
        )  # fmt: skip


def _next_actions(
    engine: data.Engine,
    scope: Scope,
    merchant_id: str,
    week: date | None,
    stages: dict[str, str],
) -> None:
    """The three next actions, each with its class topic."""
    if week is None:
        st.info(t("connections.none"))
        return
    mine = cdata.merchant_indicators(engine, scope, merchant_id, week)
    actions = next_actions(mine, stages, load_config())
    for number, action in enumerate(actions.itertuples(index=False), start=1):
        st.markdown(
            t(
                "connections.assessment.action",
                n=number,
                action=t(f"connections.act.{action.indicator}"),
                connection=t(f"connections.name.{action.connection}"),
                topic=fmt.plain(action.topic),
            )
        )


render()
