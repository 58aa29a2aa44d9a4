"""Cached reads for a merchant's own page: its figures and its anonymous peers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from models import peers, queries
from models.scope import Scope
from ui.data import TTL

MIN_PEERS = peers.MIN_PEERS  # the fewest peers a comparison is shown with (models.peers)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def merchant_daily_kpis(
    _engine: Engine, scope: Scope, merchant_id: str, start: date, end: date
) -> pd.DataFrame:
    return queries.daily_kpis(
        engine=_engine, scope=scope, start=start, end=end, merchant_id=merchant_id
    )


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def merchant_active(_engine: Engine, scope: Scope, merchant_id: str, start: date, end: date) -> int:
    return queries.active_merchant_count(
        engine=_engine, scope=scope, start=start, end=end, merchant_id=merchant_id
    )


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def versus_peers(
    _engine: Engine, scope: Scope, merchant_id: str, start: date, end: date
) -> tuple[pd.DataFrame, int, str, str] | None:
    return peers.merchant_vs_peers(
        engine=_engine, scope=scope, merchant_id=merchant_id, start=start, end=end
    )


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def daily_gmv_vs_peers(
    _engine: Engine, scope: Scope, merchant_id: str, start: date, end: date
) -> pd.DataFrame | None:
    return peers.peer_median_daily_gmv(
        engine=_engine, scope=scope, merchant_id=merchant_id, start=start, end=end
    )
