"""The frame: page config, who is looking, the shared sidebar filters, the page list.

Run with `streamlit run app.py`. Every rerun goes through here first: the frame draws
the shared widgets (their keys live here, so they keep their state across pages), puts
the result in a `Frame` for the page, then runs the page the user picked.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from ui import auth as auth_ui
from ui import data, persona, widgets
from ui import format as fmt
from ui.i18n import LANG_KEY, LANGS, current_lang, t
from ui.navigation import build_pages

DEMO_CHECKED_KEY = "_demo_checked"
COHORT_KEY = "cohort"
PERIOD_KEY = "period"
LAST_PERIOD_KEY = "_last_period"
DEFAULT_PERIOD_DAYS = 56  # two months: the length of a programme


def ensure_demo() -> None:
    """On first start with the embedded database empty, build the demo programme (once per
    session: a failed build is said once, not retried on every click)."""
    from pipelines.bootstrap import build_demo, needs_demo

    if st.session_state.get(DEMO_CHECKED_KEY):
        return
    st.session_state[DEMO_CHECKED_KEY] = True
    settings, engine = data.settings(), data.engine()
    if not needs_demo(engine, settings):
        return
    with data.demo_lock():
        if not needs_demo(engine, settings):  # another session built it meanwhile
            data.clear_caches()
            return
        bar, report_progress = widgets.progress_bar("demo.building")
        report = build_demo(engine, settings, progress=report_progress)
        bar.empty()
    data.clear_caches()
    if not report.ok:
        st.error(t("demo.failed"), icon=":material/error:")


def language_picker() -> None:
    names = {lang: t(f"lang.{lang}") for lang in LANGS}
    st.sidebar.radio(
        t("sidebar.language"),
        LANGS,
        key=LANG_KEY,
        format_func=names.__getitem__,
        horizontal=True,
    )


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


def main() -> None:
    st.set_page_config(page_title=t("app.title"), layout="wide")
    ensure_demo()

    language_picker()
    engine = data.engine()
    who = auth_ui.identity(engine, data.settings())
    if who is None:
        auth_ui.login_screen(engine)  # stops this run
        return
    if who.user_id is None:  # a demo persona
        st.warning(t("demo.banner"), icon="🧪")
    auth_ui.logout_button(who)
    scope = who.scope
    persona.forget_filters_on_switch(scope, (COHORT_KEY, PERIOD_KEY, LAST_PERIOD_KEY))
    sections = build_pages(who.role)
    if not sections:
        st.info(t("auth.no_pages"))
        return
    st.sidebar.subheader(t("sidebar.filters"))
    cohorts = data.cohorts(engine, scope)
    window = data.data_window(engine, scope)
    cohort_id = cohort_picker(cohorts, window)
    if window is None:
        st.sidebar.caption(t("sidebar.no_data"))
        start = end = None
    else:
        start, end = period_picker(window, programme_window(cohorts, window, cohort_id))

    navigation = st.navigation(sections)
    st.session_state[widgets.FRAME_KEY] = widgets.Frame(
        lang=current_lang(),
        scope=scope,
        cohort_id=cohort_id,
        window=window,
        start=start,
        end=end,
    )
    navigation.run()


main()
