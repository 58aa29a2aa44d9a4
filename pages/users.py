"""Accounts: everyone changes its own password; an executive creates accounts (role and
scope, a generated password or a one-time invitation code, shown once), resets,
deactivates and unlocks them, and plans a cohort (what causal uplift it can show). The
rules are in `models.accounts` (who may manage) and `models.planning`; this page draws."""

from __future__ import annotations

from typing import cast

import pandas as pd
import streamlit as st

from i18n import format as fmt
from i18n.format import Lang
from models.scope import Role, Scope
from ui import audit_text, data, widgets
from ui.auth import invitation_link
from ui.data import accounts, planning
from ui.data.accounts import AuthError, NotAllowed
from ui.failure_text import account_reason
from ui.i18n import current_lang, t

ROLES: tuple[Role, ...] = ("merchant", "coach", "executive")
HANDED_KEY = "_users_handed"
ACTIONS = {
    "reset": "users.action.reset",
    "reset_invite": "users.action.reset_invite",
    "deactivate": "users.action.deactivate",
    "activate": "users.action.activate",
    "unlock": "users.action.unlock",
}
HOW = {"password": "users.how.password", "invite": "users.how.invite"}


def _handed() -> None:
    handed: accounts.Handed | None = st.session_state.pop(HANDED_KEY, None)
    if handed is None:
        return
    if handed.password:
        st.success(
            t("users.password_once", user=fmt.plain(handed.username), password=handed.password)
        )
    elif handed.token:
        st.success(
            t(
                "users.invite_once",
                user=fmt.plain(handed.username),
                token=handed.token,
                days=accounts.INVITATION_DAYS,
            )
        )
        st.markdown(t("users.invite_link"))
        st.code(invitation_link(handed.token), language=None)


def my_password() -> None:
    scope = widgets.frame().scope
    st.header(t("users.mine"), divider="gray")
    with st.form("users_mine", clear_on_submit=True):
        current = st.text_input(t("users.current"), type="password", key="users_current")
        new = st.text_input(t("users.new"), type="password", key="users_new")
        repeat = st.text_input(t("users.repeat"), type="password", key="users_repeat")
        if st.form_submit_button(t("users.change")):
            if new != repeat:
                st.error(t("users.mismatch"))
                return
            try:
                accounts.change_password(
                    engine=data.engine(), scope=scope, current=current, new=new
                )
            except AuthError as exc:
                st.error(t("users.failed", reason=account_reason(exc, current_lang())))
                return
            st.success(t("users.changed"))


def _people_table(people: pd.DataFrame, lang: Lang) -> None:
    widgets.table(
        people.assign(
            role=people["role"].map(lambda r: t(f"role.{r}")),
            active=people["active"].map(lambda v: t("common.yes") if v else t("common.no")),
            locked_until=people["locked_until"].map(lambda v: fmt.timestamp(v, lang)),
            last_login_at=people["last_login_at"].map(lambda v: fmt.timestamp(v, lang)),
            scopes=people["scopes"].map(lambda v: audit_text.scopes(v, lang)),
        ),
        {
            "username": "users.col.username",
            "role": "users.col.role",
            "active": "users.col.active",
            "locked_until": "users.col.locked",
            "last_login_at": "users.col.last_login",
            "scopes": "users.col.scopes",
        },
        key="users_table",
    )


def manage() -> None:
    frame = widgets.frame()
    engine, scope, lang = data.engine(), frame.scope, frame.lang
    _handed()
    st.header(t("users.list"), divider="gray")
    people = accounts.accounts(engine=engine, scope=scope)
    if people.empty:  # Streamlit would draw an empty table with its own (English) "empty"
        st.caption(t("users.none"))
    else:
        _people_table(people, lang)

    st.header(t("users.create"), divider="gray")
    _create_form(engine, scope)
    st.header(t("users.manage"), divider="gray")
    _manage_form(engine, scope, people)


def _create_form(engine: data.Engine, scope: Scope) -> None:
    """A new account: its role and scope, and a password or an invitation link."""
    cohorts = data.cohorts(engine, scope)
    merchants = data.merchants(engine, scope, None)
    merchant_names = dict(zip(merchants["merchant_id"], merchants["name"], strict=True))
    role = cast(
        Role,
        st.selectbox(
            t("users.role"), ROLES, format_func=lambda r: t(f"role.{r}"), key="users_role"
        ),
    )
    with st.form("users_create"):
        left, right = st.columns(2)
        username = left.text_input(t("users.username"), key="users_username")
        display = right.text_input(t("users.display"), key="users_display")
        chosen_cohorts: list[str] = []
        chosen_merchant: str | None = None
        if role == "coach":
            chosen_cohorts = st.multiselect(
                t("users.cohorts"),
                list(cohorts["cohort_id"]),
                key="users_cohorts",
                placeholder=t("common.choose"),
            )
        elif role == "merchant":
            chosen_merchant = st.selectbox(
                t("users.merchant"),
                list(merchant_names),
                format_func=lambda m: f"{merchant_names[m]} ({m})",
                key="users_merchant",
            )
        how = st.radio(
            t("users.how"),
            list(HOW),
            format_func=lambda h: t(HOW[h]),
            horizontal=True,
            key="users_how",
        )
        if st.form_submit_button(t("users.create.button"), type="primary"):
            try:
                handed = accounts.create_account(
                    engine=engine,
                    scope=scope,
                    username=username,
                    role=role,
                    display_name=display,
                    cohorts=chosen_cohorts,
                    merchants=[chosen_merchant] if chosen_merchant else [],
                    invite=how == "invite",
                )
            except (AuthError, NotAllowed) as exc:
                st.error(t("users.failed", reason=account_reason(exc, current_lang())))
            else:
                st.session_state[HANDED_KEY] = handed
                st.rerun()


def _manage_form(engine: data.Engine, scope: Scope, people: pd.DataFrame) -> None:
    """Reset, unlock, deactivate or activate an account."""
    with st.form("users_manage"):
        left, right = st.columns(2)
        who = left.selectbox(t("users.pick"), list(people["username"]), key="users_pick")
        action = right.selectbox(
            t("users.action"),
            list(ACTIONS),
            format_func=lambda a: t(ACTIONS[a]),
            key="users_action",
        )
        if st.form_submit_button(t("users.apply")) and who:
            try:
                if action in ("reset", "reset_invite"):
                    st.session_state[HANDED_KEY] = accounts.reset(
                        engine=engine, scope=scope, username=who, invite=action == "reset_invite"
                    )
                elif action == "unlock":
                    accounts.unlock(engine=engine, scope=scope, username=who)
                else:
                    accounts.set_active(
                        engine=engine, scope=scope, username=who, active=action == "activate"
                    )
            except (AuthError, NotAllowed) as exc:
                st.error(t("users.failed", reason=account_reason(exc, current_lang())))
            else:
                st.toast(t("users.done", action=t(ACTIONS[action]), user=who))
                st.rerun()


def plan_cohort() -> None:
    frame = widgets.frame()
    engine, scope, lang = data.engine(), frame.scope, frame.lang
    cohorts = data.cohorts(engine, scope)
    if cohorts.empty:
        return
    st.header(t("plan.cohort.header"), divider="gray")
    names = dict(zip(cohorts["cohort_id"], cohorts["name"], strict=True))
    left, right = st.columns(2)
    cohort_id = left.selectbox(
        t("plan.cohort.pick"), list(names), format_func=names.__getitem__, key="plan_cohort"
    )
    default = planning.cohort_plan(engine=engine, scope=scope, cohort_id=cohort_id)
    if default is None:
        st.info(t("plan.cohort.none"))
        return
    controls = right.number_input(
        t("plan.cohort.controls"),
        min_value=2,
        max_value=1000,
        value=max(default.controls, 2),
        step=1,
        key=f"plan_controls_{cohort_id}",
    )
    plan = planning.cohort_plan(
        engine=engine, scope=scope, cohort_id=cohort_id, controls=int(controls)
    )
    if plan is None or plan.detectable_uplift is None or plan.design_effect is None:
        st.info(t("plan.cohort.none"))
        return
    st.markdown(
        t(
            "plan.cohort.result",
            participants=fmt.count(plan.participants, lang),
            controls=fmt.count(plan.controls, lang),
            uplift=fmt.percent(plan.detectable_uplift, lang),
            icc=f"{plan.icc or 0:.2f}",
            days=fmt.count(plan.days, lang),
            effective=f"{plan.days / plan.design_effect:.1f}",
            power=f"{planning.POWER:.0%}",
            alpha=f"{planning.ALPHA:.0%}",
        )
    )


def render() -> None:
    scope = widgets.frame().scope
    st.title(t("users.title"))
    if scope.role == "executive":
        manage()
    if scope.role in ("executive", "coach"):
        plan_cohort()
    my_password()


render()
