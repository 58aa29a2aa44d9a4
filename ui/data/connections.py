"""Cached reads of the three connections (thin wrappers over models.connections_queries)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from models import connections_queries as q
from models.board import board
from models.connections import load_config
from models.scope import Scope
from ui.data import TTL


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def latest_week(_engine: Engine, scope: Scope, on_or_before: date) -> date | None:
    return q.latest_week(engine=_engine, scope=scope, on_or_before=on_or_before)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def cohort_scores(_engine: Engine, scope: Scope, cohort_id: str, week: date) -> pd.DataFrame:
    return q.cohort_scores(engine=_engine, scope=scope, cohort_id=cohort_id, week=week)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def cohort_indicators(_engine: Engine, scope: Scope, cohort_id: str, week: date) -> pd.DataFrame:
    return q.cohort_indicators(engine=_engine, scope=scope, cohort_id=cohort_id, week=week)


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def merchant_history(
    _engine: Engine, scope: Scope, merchant_id: str, start: date, end: date
) -> pd.DataFrame:
    return q.merchant_history(
        engine=_engine, scope=scope, merchant_id=merchant_id, start=start, end=end
    )


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def merchant_indicators(
    _engine: Engine, scope: Scope, merchant_id: str, week: date
) -> pd.DataFrame:
    return q.merchant_indicators(engine=_engine, scope=scope, merchant_id=merchant_id, week=week)


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def merchant_profile(_engine: Engine, scope: Scope, merchant_id: str) -> dict[str, Any] | None:
    return q.merchant_profile(engine=_engine, scope=scope, merchant_id=merchant_id)


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def attendance(_engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    return q.attendance(engine=_engine, scope=scope, merchant_id=merchant_id)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def cohort_board(_engine: Engine, scope: Scope, cohort_id: str, week: date) -> pd.DataFrame:
    """The cohort board of a week (`models.board.board`), by name."""
    return board(
        cohort_scores(_engine, scope, cohort_id, week),
        cohort_indicators(_engine, scope, cohort_id, week),
        load_config(),
    )


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def cohort_connection_summary(_engine: Engine, scope: Scope) -> pd.DataFrame:
    return q.cohort_connection_summary(engine=_engine, scope=scope)


# Notes, assessments and peer ranks change when someone writes: read them uncached.


def coach_notes(engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    return q.coach_notes(engine=engine, scope=scope, merchant_id=merchant_id)


def assessments(engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    return q.assessments(engine=engine, scope=scope, merchant_id=merchant_id)


def peer_percentiles(engine: Engine, scope: Scope, merchant_id: str, week: date) -> pd.DataFrame:
    return q.peer_percentiles(engine=engine, scope=scope, merchant_id=merchant_id, week=week)


add_coach_note = q.add_coach_note
save_assessment = q.save_assessment
