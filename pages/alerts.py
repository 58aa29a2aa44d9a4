"""Alerts: every user's inbox and how they are told; the rules, kept by executives (any
merchant) and coaches (their cohorts). What a rule measures and who may see a firing is
decided in models/alerts.py and models/alerts_inbox.py; this page draws."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from i18n.alert_messages import inbox_view, rules_view
from i18n.format import Lang
from models.clock import utcnow
from models.scope import Scope
from ui import data, widgets
from ui.auth import AUTH_USER_KEY
from ui.data import alerts, alerts_inbox
from ui.data.alerts import (
    DIRECTIONS,
    KINDS,
    KPI_METRICS,
    METRIC_DAYS,
    STAGE_CONNECTIONS,
    Rule,
    RuleError,
)
from ui.i18n import LANGS, t

INBOX_COLUMNS = {
    "fired": "alerts.col.fired",
    "rule": "alerts.col.rule",
    "merchant": "alerts.col.merchant",
    "what": "alerts.col.what",
    "state": "alerts.col.state",
    "read": "alerts.col.read",
}
RULE_COLUMNS = {
    "rule": "alerts.col.rule",
    "kind": "alerts.col.kind",
    "condition": "alerts.col.condition",
    "cohort": "alerts.col.cohort",
    "state": "alerts.col.state",
    "open": "alerts.col.open",
    "created_by": "alerts.col.created_by",
}
ADDED_KEY = "_alerts_rule_added"
LANG_NAMES = {"en": "English", "zh": "中文"}


def _now() -> datetime:
    return utcnow().replace(microsecond=0)


def _user_id() -> int | None:
    """The logged-in account (None for a demo persona, which has no inbox of its own)."""
    value = st.session_state.get(AUTH_USER_KEY)
    return int(value) if value is not None else None


def inbox_section(scope: Scope, lang: Lang) -> None:
    engine, user_id = data.engine(), _user_id()
    st.header(t("alerts.inbox.header"), divider="gray")
    open_only = st.toggle(t("alerts.inbox.open_only"), key="alerts_open_only")
    box = alerts_inbox.inbox(engine=engine, scope=scope, user_id=user_id or -1, open_only=open_only)
    if box.empty:
        st.info(t("alerts.inbox.none"))
        return
    unread = alerts_inbox.unread_count(
        engine=engine, scope=scope, user_id=user_id or -1, open_only=open_only
    )
    st.caption(t("alerts.inbox.unread", n=unread))
    widgets.table(inbox_view(box, lang), INBOX_COLUMNS, key="alerts_inbox")
    if user_id is not None and unread and st.button(t("alerts.inbox.mark_read"), key="alerts_read"):
        alerts_inbox.mark_read(
            engine, scope=scope, user_id=user_id, firing_ids=box["firing_id"].tolist(), now=_now()
        )
        st.rerun()


def preferences_section() -> None:
    engine, user_id = data.engine(), _user_id()
    if user_id is None:
        return
    st.header(t("alerts.prefs.header"), divider="gray")
    lang, email = alerts_inbox.preference(engine, user_id=user_id)
    with st.form("alerts_prefs"):
        picked = st.selectbox(
            t("alerts.prefs.lang"),
            LANGS,
            index=LANGS.index(lang) if lang in LANGS else 0,
            format_func=LANG_NAMES.__getitem__,
            key="alerts_pref_lang",
        )
        wanted = st.checkbox(t("alerts.prefs.email"), value=email, key="alerts_pref_email")
        if st.form_submit_button(t("alerts.prefs.save")):
            alerts_inbox.set_preference(engine, user_id=user_id, lang=picked, email=wanted)
            st.success(t("alerts.prefs.saved"))


def rules_section(scope: Scope, lang: Lang) -> None:
    engine = data.engine()
    st.header(t("alerts.rules.header"), divider="gray")
    kept = alerts.rules(engine=engine, scope=scope)
    if not kept:
        st.info(t("alerts.rules.none"))
        return
    widgets.table(rules_view(kept, lang), RULE_COLUMNS, key="alerts_rules", whole=True)
    names = {int(r["rule_id"]): r for r in kept}
    picked = st.selectbox(
        t("alerts.rules.pick"),
        list(names),
        format_func=lambda rule_id: str(names[rule_id]["name"]),
        key="alerts_rule_pick",
    )
    if picked is None:
        return
    left, right = st.columns(2)
    active = bool(names[picked]["active"])
    toggle_label = t("alerts.rules.pause") if active else t("alerts.rules.resume")
    if left.button(toggle_label, key="alerts_rule_toggle", width="stretch"):
        alerts.set_active(engine, rule_id=picked, active=not active, scope=scope)
        st.rerun()
    if right.button(t("alerts.rules.delete"), key="alerts_rule_delete", width="stretch"):
        alerts.delete_rule(engine, rule_id=picked, scope=scope)
        st.toast(t("alerts.rules.deleted"))
        st.rerun()


def _cohort_choices(scope: Scope) -> list[str | None]:
    cohorts = data.cohorts(data.engine(), scope)["cohort_id"].tolist()
    return [None, *cohorts] if scope.sees_everything else list(cohorts)


def new_rule_section(scope: Scope) -> None:
    st.header(t("alerts.new.header"), divider="gray")
    kind = st.selectbox(
        t("alerts.new.kind"),
        KINDS,
        format_func=lambda k: t(f"alerts.kind.{k}"),
        key="alerts_new_kind",
    )
    with st.form("alerts_new", clear_on_submit=True):
        name = st.text_input(t("alerts.new.name"), key="alerts_new_name", max_chars=200)
        metric, direction, threshold, period = "", "below", 0.0, 0
        if kind == "kpi":
            metric = st.selectbox(
                t("alerts.new.metric"),
                KPI_METRICS,
                format_func=lambda m: t(f"alerts.metric.{m}", days=METRIC_DAYS.get(m, "")),
            )
            direction = st.radio(
                t("alerts.new.direction"),
                DIRECTIONS,
                horizontal=True,
                format_func=lambda d: t(f"alerts.direction.{d}"),
            )
        if kind == "stage":
            metric = st.selectbox(
                t("alerts.new.connection"),
                STAGE_CONNECTIONS,
                format_func=lambda c: t(f"alerts.connection.{c}"),
            )
        if kind in ("kpi", "rejections"):
            threshold = st.number_input(
                t("alerts.new.threshold"),
                min_value=0.0,
                value=0.0,
                help=t("alerts.new.threshold.help"),
            )
        if kind in ("stall", "stage", "late"):
            unit = "alerts.new.days" if kind == "late" else "alerts.new.weeks"
            period = int(st.number_input(t(unit), min_value=1, max_value=52, value=2, step=1))
        cohort = None
        if kind != "rejections":
            cohort = st.selectbox(
                t("alerts.new.cohort"),
                _cohort_choices(scope),
                format_func=lambda c: c or t("alerts.new.all_cohorts"),
            )
        share = st.checkbox(t("alerts.new.share")) if kind != "rejections" else False
        email = st.checkbox(t("alerts.new.email"))
        hooks_known = alerts.webhook_names()
        hooks = st.multiselect(  # a placeholder, or Streamlit writes its own in English
            t("alerts.new.webhooks"),
            hooks_known,
            help=t("alerts.new.webhooks.help"),
            placeholder=t("common.choose") if hooks_known else t("alerts.new.webhooks.none"),
        )
        if st.form_submit_button(t("alerts.new.add"), type="primary"):
            rule = Rule(
                name=name,
                kind=kind,
                metric=metric,
                direction=direction,
                threshold=float(threshold),
                period=period,
                cohort_id=cohort,
                share_with_merchant=share,
                email=email,
                webhooks=tuple(hooks),
            )
            try:
                alerts.add_rule(data.engine(), rule=rule, scope=scope, now=_now())
            except RuleError as problem:
                st.error(t(problem.key, **problem.values))
            else:
                st.session_state[ADDED_KEY] = True  # said after the rerun that lists it
                st.rerun()
    if st.session_state.pop(ADDED_KEY, False):
        st.success(t("alerts.new.added"))


def render() -> None:
    current = widgets.frame()
    st.title(t("alerts.title"))
    st.caption(t("alerts.intro"))
    inbox_section(current.scope, current.lang)
    preferences_section()
    if current.scope.role == "merchant":
        st.caption(t("alerts.merchant_only"))
        return
    rules_section(current.scope, current.lang)
    new_rule_section(current.scope)


render()
