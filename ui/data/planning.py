"""Cached plan of a cohort: what causal uplift its merchants' daily noise lets it show
(`models.planning.cohort_plan`, a read of the marts and some arithmetic)."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from models import planning
from models.scope import Scope
from ui.data import TTL

ALPHA, POWER = planning.ALPHA, planning.POWER  # the test a plan is sized for (models.planning)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def _cohort_plan(
    _engine: Engine, scope: Scope, cohort_id: str, controls: int | None
) -> planning.CohortPlan | None:
    return planning.cohort_plan(engine=_engine, scope=scope, cohort_id=cohort_id, controls=controls)


def cohort_plan(
    *, engine: Engine, scope: Scope, cohort_id: str, controls: int | None = None
) -> planning.CohortPlan | None:
    return _cohort_plan(engine, scope, cohort_id, controls)
