"""Cached reads of the customer outlook (`models.predictions`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from models import predictions
from models.scope import Scope
from ui.data import TTL


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def latest_fit(_engine: Engine, scope: Scope, merchant_id: str) -> predictions.Fit | None:
    return predictions.latest_fit(engine=_engine, scope=scope, merchant_id=merchant_id)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def summary(_engine: Engine, scope: Scope, merchant_id: str) -> dict[str, Any]:
    return predictions.summary(engine=_engine, scope=scope, merchant_id=merchant_id)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def top_at_risk(_engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    return predictions.top_at_risk(engine=_engine, scope=scope, merchant_id=merchant_id)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def calibration(_engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    return predictions.calibration(engine=_engine, scope=scope, merchant_id=merchant_id)
