"""Cached reads for identity: demo mode and its personas, and the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from models import auth, demo_state, personas
from models.auth import AuthError, norm_username
from models.demo_state import DemoStateError, leave_demo
from models.scope import Scope
from models.settings import Settings

DEMO_TTL = 60
# Why leaving demo mode can be refused: a bad account, or the demo already ended.
REFUSALS: tuple[type[Exception], ...] = (AuthError, DemoStateError)
__all__ = ["REFUSALS", "audit_log", "demo_mode", "demo_personas", "leave_demo", "norm_username"]


def demo_mode(_engine: Engine, settings: Settings) -> bool:
    """Not cached: a load from the command line ends demo mode, and the very next run
    must ask for a login (one primary-key read)."""
    return demo_state.demo_mode(_engine, settings)


@st.cache_data(ttl=DEMO_TTL, max_entries=4, show_spinner=False)
def demo_personas(_engine: Engine) -> list[personas.Persona]:
    return personas.demo_personas(_engine)


def audit_log(_engine: Engine, scope: Scope, action: str | None) -> pd.DataFrame:
    """Not cached: the log is read to see what just happened."""
    return auth.audit_log(engine=_engine, scope=scope, action=action)
