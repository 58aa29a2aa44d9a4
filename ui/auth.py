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
from urllib.parse import urlencode, urlsplit

import streamlit as st
from sqlalchemy import Engine

from i18n import format as fmt
from models import accounts, auth
from models.auth import AuthError, Identity
from models.settings import Settings
from ui import data
from ui.data import auth as auth_data
from ui.i18n import current_lang, t

AUTH_USER_KEY = "_auth_user_id"
LAST_SEEN_KEY = "_auth_last_seen"
NOTICE_KEY = "_auth_notice"
WELCOME_KEY = "_auth_welcome"
PERSONA_KEY = "demo_view_as"
INVITE_PARAM = "invite"
MIN_PASSWORD = auth.MIN_PASSWORD  # the shortest password (models.auth), for the pages' words


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


def invitation_link(token: str) -> str:
    """The link that opens this app's invitation screen for `token`: the address the
    manager's browser has, without its page path (the login answers the app's root);
    relative when the address is unknown (a test run)."""
    query = "?" + urlencode({INVITE_PARAM: token})
    url = st.context.url
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    if not url:
        return query
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/{base + '/' if base else ''}{query}"


def _invitation_token() -> str | None:
    token = st.query_params.get(INVITE_PARAM)
    return token.strip() if token and token.strip() else None


def invitation_screen(engine: Engine, token: str) -> None:
    """Someone opened an invitation link (or typed its code): it sets its own password
    and is logged in. A used, expired or unknown invitation says so and offers the
    login form; the invitation opens once (`models.accounts.accept_invitation`)."""
    username = accounts.invitation_user(engine=engine, token=token)
    if username is None:
        st.error(t("invite.invalid"))
        st.query_params.pop(INVITE_PARAM, None)
        return
    st.title(t("invite.title"))
    st.subheader(t("invite.header", user=fmt.plain(username)))
    st.caption(t("invite.caption"))
    with st.form("invite"):
        password = st.text_input(
            t("invite.password", n=auth.MIN_PASSWORD), type="password", key="invite_password"
        )
        repeat = st.text_input(t("invite.repeat"), type="password", key="invite_repeat")
        submitted = st.form_submit_button(t("invite.submit"), type="primary")
    if not submitted:
        st.stop()
    if password != repeat:
        st.error(t("users.mismatch"))
        st.stop()
    if len(password) < auth.MIN_PASSWORD:
        st.error(t("invite.short", n=auth.MIN_PASSWORD))
        st.stop()
    try:
        accounts.accept_invitation(engine=engine, token=token, password=password)
    except AuthError:  # used meanwhile, in another tab
        st.error(t("invite.invalid"))
        st.query_params.pop(INVITE_PARAM, None)
        st.stop()
    result = auth.authenticate(engine, username, password)
    st.query_params.pop(INVITE_PARAM, None)
    for key in ("invite_password", "invite_repeat"):
        st.session_state.pop(key, None)
    if result.outcome == "ok" and result.identity is not None:
        _start_session(result.identity)
        st.session_state[WELCOME_KEY] = "invite.done"
    st.rerun()


def login_screen(engine: Engine) -> None:
    """The login form (and the SSO button when configured); stops the run. An
    invitation link (`?invite=CODE`) or a typed invitation code shows the invitation
    screen first."""
    token = _invitation_token()
    if token:
        invitation_screen(engine, token)
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
    with st.expander(t("invite.have_code")):
        with st.form("invite_code"):
            code = st.text_input(t("invite.code"), key="invite_code")
            if st.form_submit_button(t("invite.open")) and code.strip():
                st.query_params[INVITE_PARAM] = code.strip()
                st.rerun()
    if not auth.has_users(engine):
        st.info(t("auth.no_users"))
    st.stop()


def logout_button(who: Identity) -> None:
    """Who is logged in, and the way out (not in demo mode: personas need none)."""
    if who.user_id is None:
        return
    welcome = st.session_state.pop(WELCOME_KEY, None)
    if welcome:
        st.toast(t(welcome, name=fmt.plain(who.display_name)), icon="✅")
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
