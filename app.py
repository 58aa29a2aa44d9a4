"""The frame: page config, who is looking, the shared sidebar filters, the page list.

Run with `streamlit run app.py`. Every rerun goes through here first: the frame draws
the shared widgets (their keys live here, so they keep their state across pages), puts
the result in a `Frame` for the page, then runs the page the user picked.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
import streamlit as st
from streamlit.navigation.page import StreamlitPage

from i18n import format as fmt
from ui import auth as auth_ui
from ui import data, incident, persona, widgets
from ui.data import prefs
from ui.i18n import DEFAULT_LANG, LANG_KEY, LANGS, current_lang, t
from ui.navigation import PAGES, build_pages

if TYPE_CHECKING:
    from sqlalchemy import Engine

# Streamlit's own words on the file uploader, in Chinese (see the sheet for what it covers)
UPLOADER_ZH_CSS = Path(__file__).resolve().parent / "ui" / "styles" / "uploader_zh.css"
DEMO_CHECKED_KEY = "_demo_checked"
DEMO_FAILED_KEY = "_demo_failed"
COHORT_KEY = "cohort"
PERIOD_KEY = "period"
LAST_PERIOD_KEY = "_last_period"
DEFAULT_PERIOD_DAYS = 56  # two months: the length of a programme


def demo_to_build() -> bool:
    """On first start with the embedded database empty, the demo programme is to be built
    (checked once per session: a failed build is said once, not retried on every click)."""
    from ui.data.demo import needs_demo

    if st.session_state.get(DEMO_CHECKED_KEY):
        return False
    return needs_demo(data.engine(), data.settings())


def build_demo_page() -> None:
    """The only page while the demo builds: a progress bar, then the app."""
    from ui.data.demo import build_demo, needs_demo

    st.session_state[DEMO_CHECKED_KEY] = True
    settings, engine = data.settings(), data.engine()
    with data.demo_lock():
        if needs_demo(engine, settings):  # not built by another session meanwhile
            bar, report_progress = widgets.progress_bar("demo.building")
            report = build_demo(engine, settings, progress=report_progress)
            bar.empty()
            if not report.ok:
                st.session_state[DEMO_FAILED_KEY] = True
    data.clear_caches()
    st.rerun()


LANG_PENDING_KEY = "_lang_pending"
LANG_USER_KEY = "_lang_user"


def browser_lang() -> str:
    """The language of the browser's locale (`st.context.locale`: zh-CN, zh-TW, en-US …):
    Chinese for any zh locale, English otherwise."""
    locale = str(getattr(st.context, "locale", None) or "")
    return "zh" if locale.lower().startswith("zh") else DEFAULT_LANG


def _language_picked() -> None:
    """A logged-in user's pick is kept on their account (ui/data/prefs.py)."""
    user_id = st.session_state.get(auth_ui.AUTH_USER_KEY)
    if isinstance(user_id, int):
        prefs.remember_language(data.engine(), user_id, st.session_state[LANG_KEY])


def language_picker() -> None:
    """The language: the first visit takes the browser's, a logged-in user's pick is
    restored at login (`follow_user_language`), and every label below follows it."""
    if LANG_PENDING_KEY in st.session_state:
        st.session_state[LANG_KEY] = st.session_state.pop(LANG_PENDING_KEY)
    if st.session_state.get(LANG_KEY) not in LANGS:
        st.session_state[LANG_KEY] = browser_lang()
    names = {lang: t(f"lang.{lang}") for lang in LANGS}
    st.sidebar.radio(
        t("sidebar.language"),
        LANGS,
        key=LANG_KEY,
        format_func=names.__getitem__,
        horizontal=True,
        on_change=_language_picked,
    )


def follow_user_language(engine: Engine, user_id: int | None) -> None:
    """Once per login: the language the user picked last time (never picked: the
    browser's stays), if not the one on screen (the picker is already drawn, so the switch
    takes one rerun)."""
    if user_id is None or st.session_state.get(LANG_USER_KEY) == user_id:
        return
    st.session_state[LANG_USER_KEY] = user_id
    stored = prefs.language(engine, user_id)
    if stored is not None and stored != current_lang():
        st.session_state[LANG_PENDING_KEY] = stored
        st.rerun()


def programme_window(
    cohorts: pd.DataFrame, window: tuple[date, date], cohort_id: str | None
) -> tuple[date, date]:
    """The period to show by default: the programme window of `cohort_id` (or, for all
    cohorts, of the latest cohort that has started), clipped to the data; without any
    cohort, the last two months of data."""
    first, last = window
    started = cohorts[cohorts["start_date"] <= last]
    if cohort_id:
        started = started[started["cohort_id"] == cohort_id]
    if started.empty:
        return max(first, last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)), last
    chosen = started.iloc[-1]
    return max(first, chosen["start_date"]), min(last, chosen["end_date"])


def _cohort_picked(
    widget_key: str, cohorts: pd.DataFrame, window: tuple[date, date] | None
) -> None:
    """Keep the pick, and move the period to the picked cohort's programme window."""
    picked = st.session_state.get(widget_key) or ""
    st.session_state[COHORT_KEY] = picked
    if window is not None:
        st.session_state[PERIOD_KEY] = programme_window(cohorts, window, picked or None)


def cohort_picker(cohorts: pd.DataFrame, window: tuple[date, date] | None) -> str | None:
    """One cohort or all ("" in the widget).

    The browser holds a select box's value as its label, and "All cohorts" is translated,
    so each language gets its own widget (key `cohort_<lang>`), started from the pick kept
    under `cohort`. A pick that is no longer an option (a cohort out of scope) falls back to
    all cohorts.
    """
    labels = {"": t("sidebar.all_cohorts")}
    labels |= {
        cid: t("sidebar.cohort_option", cohort_id=cid, name=name)
        for cid, name in zip(cohorts["cohort_id"], cohorts["name"], strict=True)
    }
    if st.session_state.get(COHORT_KEY) not in labels:
        st.session_state[COHORT_KEY] = ""
    widget_key = f"{COHORT_KEY}_{current_lang()}"
    if st.session_state.get(widget_key) != st.session_state[COHORT_KEY]:
        st.session_state[widget_key] = st.session_state[COHORT_KEY]
    st.sidebar.selectbox(
        t("sidebar.cohort"),
        list(labels),
        key=widget_key,
        format_func=labels.__getitem__,
        help=t("sidebar.cohort.help"),
        on_change=_cohort_picked,
        args=(widget_key, cohorts, window),
    )
    return st.session_state[COHORT_KEY] or None


def period_picker(window: tuple[date, date], default: tuple[date, date]) -> tuple[date, date]:
    """The date range in the sidebar. While the user has picked only a start date, the
    last complete range stays in force."""
    first, last = window
    stored = st.session_state.get(PERIOD_KEY)
    if not (isinstance(stored, tuple) and stored and all(first <= d <= last for d in stored)):
        st.session_state[PERIOD_KEY] = default
    picked = st.sidebar.date_input(
        t("sidebar.period"),
        min_value=first,
        max_value=last,
        key=PERIOD_KEY,
        format="YYYY-MM-DD",
        help=t(
            "sidebar.period.help",
            first=fmt.day(first, current_lang()),
            last=fmt.day(last, current_lang()),
        ),
    )
    if isinstance(picked, tuple) and len(picked) == 2:
        st.session_state[LAST_PERIOD_KEY] = picked
        return picked
    return st.session_state.get(LAST_PERIOD_KEY, default)


class _Run:
    """Whether this run built its navigation yet (app.py runs afresh on every rerun)."""

    navigated = False


def navigate(
    pages: list[StreamlitPage] | dict[str, list[StreamlitPage]],
    position: Literal["sidebar", "hidden"] = "hidden",
) -> StreamlitPage:
    """`st.navigation`, remembered: every run builds one, so Streamlit's legacy `pages/`
    router never lists the page files, even when something fails."""
    _Run.navigated = True
    return st.navigation(pages, position=position)


def login_pages(engine: Engine) -> list[StreamlitPage]:
    """Nobody is logged in: the login form is the only page. It answers every page URL
    too (hidden), so a direct link shows the login and, once logged in, its page."""

    def login() -> None:
        auth_ui.login_screen(engine)

    title = t("auth.title")
    paths = {url_path for _f, url_path, *_rest in PAGES.values()}
    paths |= {Path(file).stem for file, *_rest in PAGES.values()} - {"login"}
    return [st.Page(login, title=title, url_path="login", default=True)] + [
        st.Page(login, title=title, url_path=path, visibility="hidden") for path in sorted(paths)
    ]


def frame() -> None:
    """Who is looking, their navigation, the shared filters; then the page they picked."""
    fmt.use_zone(data.settings().timezone)
    language_picker()
    if current_lang() == "zh":
        st.html(UPLOADER_ZH_CSS)
    if demo_to_build():
        page = st.Page(build_demo_page, title=t("setup.page"), url_path="setup", default=True)
        navigate([page]).run()
        return
    engine = data.engine()
    data.notice_new_data(engine)
    who = auth_ui.identity(engine, data.settings())
    if who is None:
        navigate(login_pages(engine)).run()
        return
    follow_user_language(engine, who.user_id)
    if st.session_state.pop(DEMO_FAILED_KEY, False):
        st.error(t("demo.failed"), icon=":material/error:")
    if who.user_id is None:  # a demo persona
        st.warning(t("demo.banner"), icon="🧪")
    auth_ui.logout_button(who)
    scope = who.scope
    persona.forget_filters_on_switch(scope, (COHORT_KEY, PERIOD_KEY, LAST_PERIOD_KEY))
    sections = build_pages(who.role)
    if not sections:
        navigate([st.Page(no_pages, title=t("auth.title"), default=True)]).run()
        return
    navigation = navigate(sections, position="sidebar")
    st.sidebar.subheader(t("sidebar.filters"))
    st.sidebar.caption(t("sidebar.zone", zone=fmt.display_zone()))
    cohorts = data.cohorts(engine, scope)
    window = data.data_window(engine, scope)
    cohort_id = cohort_picker(cohorts, window)
    if window is None:
        st.sidebar.caption(t("sidebar.no_data"))
        start = end = None
    else:
        start, end = period_picker(window, programme_window(cohorts, window, cohort_id))
    st.session_state[widgets.FRAME_KEY] = widgets.Frame(
        lang=current_lang(),
        scope=scope,
        cohort_id=cohort_id,
        window=window,
        start=start,
        end=end,
    )
    navigation.run()


def no_pages() -> None:
    st.info(t("auth.no_pages"))


def main() -> None:
    """Every run: the frame, and whatever breaks in it or in a page said in one friendly
    line with an incident id (the error itself goes to the server log)."""
    st.set_page_config(page_title=t("app.title"), layout="wide")
    try:
        frame()
    except Exception as error:
        if not _Run.navigated:
            navigate([st.Page(lambda: None, title=t("error.page"), url_path="error", default=True)])
        incident.show(error)


main()
