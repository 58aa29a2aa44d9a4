"""Who is looking: a demo persona, a local account, or a single-sign-on identity.

The identity lives on the server: session state holds the logged-in user's id under a
key no widget uses (a browser can only send widget values), and every run re-reads the
user, its role and its scopes from the database, so a deactivation or a changed scope
takes effect at once. The scope pages receive is built from that, never from a widget,
URL or query parameter; the one exception is demo mode's "view as" switch, which exists
only on a database that holds nothing but the demo programme.
"""

from __future__ import annotations

import time

import streamlit as st
from sqlalchemy import Engine

from i18n import format as fmt
from models import auth
from models.auth import Identity
from models.settings import Settings
from ui import data
from ui.data import auth as auth_data
from ui.i18n import current_lang, t

AUTH_USER_KEY = "_auth_user_id"
LAST_SEEN_KEY = "_auth_last_seen"
NOTICE_KEY = "_auth_notice"
PERSONA_KEY = "demo_view_as"


def sso_configured() -> bool:
    """An `[auth]` section in .streamlit/secrets.toml turns on `st.login` (OIDC)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # st.user needs auth configured in some versions
        return False


def log_out(notice: str | None = None) -> None:
    st.session_state.pop(AUTH_USER_KEY, None)
    st.session_state.pop(LAST_SEEN_KEY, None)
    if notice:
        st.session_state[NOTICE_KEY] = notice


def start_session(user_id: int | None) -> None:
    """This session is now `user_id`'s (after a login, or the first-run setup)."""
    st.session_state[AUTH_USER_KEY] = user_id
    st.session_state[LAST_SEEN_KEY] = time.time()


def _start_session(identity: Identity) -> None:
    start_session(identity.user_id)


def demo_identity(engine: Engine) -> Identity:
    """The persona picked in the sidebar's "view as" switch (demo mode only)."""
    personas = {p.key: p for p in auth_data.demo_personas(engine)}
    if st.session_state.get(PERSONA_KEY) not in personas:
        st.session_state[PERSONA_KEY] = "executive"

    def label(key: str) -> str:
        persona = personas[key]
        if persona.role == "executive":
            return t("demo.as.executive")
        if persona.role == "coach":
            return t("demo.as.coach", cohort_id=persona.label_id)
        return t("demo.as.merchant", name=persona.label_name)

    # The browser holds a select box's value as its label, and the labels are translated:
    # one widget per language (like the cohort picker), started from the pick.
    widget_key = f"{PERSONA_KEY}_{current_lang()}"
    st.session_state[widget_key] = st.session_state[PERSONA_KEY]
    st.sidebar.selectbox(
        t("demo.view_as"),
        list(personas),
        key=widget_key,
        format_func=label,
        help=t("demo.view_as.help"),
        on_change=lambda: st.session_state.update({PERSONA_KEY: st.session_state[widget_key]}),
    )
    return auth.persona_identity(personas[st.session_state[PERSONA_KEY]])


def identity(engine: Engine, settings: Settings) -> Identity | None:
    """The identity of this session, or None when nobody is logged in."""
    if auth_data.demo_mode(engine, settings):
        return demo_identity(engine)
    now = time.time()
    user_id = st.session_state.get(AUTH_USER_KEY)
    if user_id is not None:
        if now - st.session_state.get(LAST_SEEN_KEY, now) > settings.session_minutes * 60:
            record_logout(engine, "expired")
            log_out("auth.expired")
            return None
        found = auth.current_identity(engine, int(user_id))
        if found is None:
            log_out("auth.gone")
            return None
        st.session_state[LAST_SEEN_KEY] = now
        return found
    if sso_configured() and _sso_logged_in():
        email = str(getattr(st.user, "email", "") or "")
        found = auth.identity_for_email(engine, email) if email else None
        if found is None:
            st.error(t("auth.sso_no_access", email=fmt.plain(email)))
            st.button(t("auth.logout"), on_click=st.logout)
            st.stop()
        _start_session(found)
        return found
    return None


def record_logout(engine: Engine, why: str) -> None:
    user_id = st.session_state.get(AUTH_USER_KEY)
    if user_id is not None:
        found = auth.current_identity(engine, int(user_id))
        auth.record(
            engine, actor=found.username if found else str(user_id), action="logout", detail=why
        )


def login_screen(engine: Engine) -> None:
    """The login form (and the SSO button when configured); stops the run."""
    st.title(t("auth.title"))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(t(notice))
    if sso_configured():
        st.button(t("auth.sso"), on_click=st.login, type="primary")
    with st.form("login"):
        username = st.text_input(t("auth.username"), key="login_username")
        password = st.text_input(t("auth.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("auth.submit"))
    if submitted:
        result = auth.authenticate(engine, username, password)
        if result.outcome == "ok" and result.identity is not None:
            _start_session(result.identity)
            st.session_state.pop("login_password", None)
            st.rerun()
        else:  # one message whatever failed: it must not tell which usernames exist
            st.error(t("auth.failed"))
    if not auth.has_users(engine):
        st.info(t("auth.no_users"))
    st.stop()


def logout_button(who: Identity) -> None:
    """Who is logged in, and the way out (not in demo mode: personas need none)."""
    if who.user_id is None:
        return
    st.sidebar.caption(
        t("auth.logged_in_as", name=fmt.plain(who.display_name), role=t(f"role.{who.role}"))
    )
    if st.sidebar.button(t("auth.logout"), key="logout"):
        engine = data.engine()
        record_logout(engine, "by user")
        log_out()
        if sso_configured() and _sso_logged_in():
            st.logout()
        st.rerun()
