"""Audit log (executives): logins, failed logins, deliveries, exports and user changes."""

from __future__ import annotations

import streamlit as st

from i18n import format as fmt
from models.export import csv_bytes
from ui import audit_text, data, widgets
from ui.data import auth as auth_data
from ui.i18n import t


def render() -> None:
    current = widgets.frame()
    lang = current.lang
    st.title(t("audit.title"))
    st.caption(t("audit.caption"))
    log = auth_data.audit_log(data.engine(), current.scope, None)
    if log.empty:
        st.info(t("audit.empty"))
        return
    left, right = st.columns([2, 1])
    actions = ["", *sorted(log["action"].unique())]
    action = left.selectbox(
        t("audit.action"),
        actions,
        format_func=lambda a: audit_text.action(a, lang) if a else t("audit.all_actions"),
        key="audit_action",
    )
    failures = right.toggle(t("audit.failures_only"), key="audit_failures")
    shown = log[(log["action"] == action) | (action == "")]
    if failures:
        shown = shown[~shown["success"].astype(bool)]
    table = shown.assign(
        at=[fmt.timestamp(v, lang) for v in shown["at"]],
        actor=[audit_text.actor(a, lang) for a in shown["actor"]],
        action=[audit_text.action(a, lang) for a in shown["action"]],
        detail=[
            audit_text.detail(a, d, lang)
            for a, d in zip(shown["action"], shown["detail"], strict=True)
        ],
    )
    widgets.table(
        table,
        {
            "at": "col.at",
            "actor": "col.actor",
            "action": "col.action",
            "target": "col.target",
            "detail": "col.detail",
            "success": "col.success",
        },
        key="audit_table",
    )
    widgets.export_button(
        "audit.download",
        csv_bytes(table),
        "audit_log.csv",
        key="audit_download",
        what="audit log",
    )


render()
