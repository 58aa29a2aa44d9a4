"""The one home for caching: the one place pages get data from.

The engine lives in `st.cache_resource` (one per database URL, schema upgraded once);
query results in `st.cache_data`, keyed on the scope and small scalars, the engine passed
as `_engine` so it is not hashed. Business logic stays in `models.queries`: these are
thin wrappers. After a load, `clear_caches()` makes every page read the new data. Each
area has its module beside this one (`ui/data/<area>.py`); a delivery's upload is
`ui/data/uploads.py`.
"""

from __future__ import annotations

import threading
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from models import queries
from models.db import data_version, make_engine, upgrade
from models.scope import Scope
from models.settings import Settings, load_settings
from models.uplift_calendar import BASELINE_DAYS as BASELINE_DAYS  # for the pages

TTL = 600


# --- engine ----------------------------------------------------------------------------


def settings() -> Settings:
    """The product settings (environment, then secrets, then defaults); cheap to read."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def _engine_for(db_url: str) -> Engine:
    engine = make_engine(db_url)
    upgrade(engine)
    return engine


def engine() -> Engine:
    """The engine of the configured database, created and migrated once per URL."""
    return _engine_for(settings().db_url)


@st.cache_resource(show_spinner=False)
def _demo_lock(db_url: str) -> threading.Lock:
    return threading.Lock()


def demo_lock() -> threading.Lock:
    """Held while the demo database is built, so two first visitors don't build it twice."""
    return _demo_lock(settings().db_url)


def clear_caches() -> None:
    """Forget every cached query result (after a load changed the data)."""
    st.cache_data.clear()


@st.cache_resource(show_spinner=False)
def _seen_versions(db_url: str) -> dict[str, int]:
    return {}


def notice_new_data(engine: Engine) -> None:
    """Called by the frame on every run: when a delivery committed since the cached
    results were read (from this app or the command line), forget them, so the figures
    are new at this very rerun instead of after the cache's TTL."""
    seen = _seen_versions(settings().db_url)
    version = data_version(engine)
    if seen.get("version") != version:
        if "version" in seen:
            clear_caches()
        seen["version"] = version


# --- cached reads ----------------------------------------------------------------------


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def data_window(_engine: Engine, scope: Scope) -> tuple[date, date] | None:
    return queries.data_window(engine=_engine, scope=scope)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def merchants(_engine: Engine, scope: Scope, cohort_id: str | None) -> pd.DataFrame:
    return queries.merchants(engine=_engine, scope=scope, cohort_id=cohort_id)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def cohorts(_engine: Engine, scope: Scope) -> pd.DataFrame:
    return queries.cohorts(engine=_engine, scope=scope)


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def daily_kpis(
    _engine: Engine, scope: Scope, start: date, end: date, cohort_id: str | None
) -> pd.DataFrame:
    return queries.daily_kpis(
        engine=_engine, scope=scope, start=start, end=end, cohort_id=cohort_id
    )


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def active_merchant_count(
    _engine: Engine, scope: Scope, start: date, end: date, cohort_id: str | None
) -> int:
    return queries.active_merchant_count(
        engine=_engine, scope=scope, start=start, end=end, cohort_id=cohort_id
    )


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def cohort_daily_gmv(_engine: Engine, scope: Scope, start: date, end: date) -> pd.DataFrame:
    return queries.cohort_daily_gmv(engine=_engine, scope=scope, start=start, end=end)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def cohort_uplift_table(_engine: Engine, scope: Scope) -> pd.DataFrame:
    return queries.cohort_uplift_table(engine=_engine, scope=scope)


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def merchant_movers(
    _engine: Engine, scope: Scope, start: date, end: date, cohort_id: str | None
) -> pd.DataFrame:
    return queries.merchant_movers(
        engine=_engine, scope=scope, start=start, end=end, cohort_id=cohort_id
    )


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def load_history(_engine: Engine, scope: Scope) -> pd.DataFrame:
    return queries.load_history(engine=_engine, scope=scope)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def load_files(_engine: Engine, scope: Scope, batch_id: int) -> pd.DataFrame:
    return queries.load_files(engine=_engine, scope=scope, batch_id=batch_id)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def rejections(_engine: Engine, scope: Scope, batch_id: int) -> pd.DataFrame:
    return queries.rejections(engine=_engine, scope=scope, batch_id=batch_id)
