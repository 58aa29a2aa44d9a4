"""Cached reads of the ROI area: cohort uplift and campaign payback (thin wrappers over
`models.uplift` and `models.campaigns`; the bootstrap runs once per cohort and baseline)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from models import campaigns, queries, uplift, uplift_ranking
from models.campaign_figures import campaign_end as campaign_end  # pure, for the page
from models.campaign_figures import channel_roi as channel_roi  # pure, for the page
from models.permissions import OutOfScope
from models.scope import Scope
from ui.data import TTL


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def cohort_uplift(
    _engine: Engine, scope: Scope, cohort_id: str, baseline: str
) -> uplift.CohortUplift | None:
    return uplift.cohort_uplift(engine=_engine, scope=scope, cohort_id=cohort_id, baseline=baseline)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def cohort_figures(
    _engine: Engine, scope: Scope, cohort_id: str, baseline: str
) -> uplift.CohortUplift | None:
    """A cohort's figures without its weekly and cumulative paths (what a ranking reads)."""
    return uplift.cohort_uplift(
        engine=_engine, scope=scope, cohort_id=cohort_id, baseline=baseline, paths=False
    )


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def campaign_summary(
    _engine: Engine, scope: Scope, merchant_id: str | None, cohort_id: str | None
) -> pd.DataFrame:
    return campaigns.campaign_summary(
        engine=_engine, scope=scope, merchant_id=merchant_id, cohort_id=cohort_id
    )


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def campaign_detail(
    _engine: Engine, scope: Scope, campaign_id: str
) -> campaigns.CampaignDetail | None:
    return campaigns.campaign_detail(engine=_engine, scope=scope, campaign_id=campaign_id)


def set_margin_rate(engine: Engine, scope: Scope, merchant_id: str, rate: float) -> bool:
    """Save a merchant's margin rate, then forget the campaign figures computed with the
    old one; False (nothing saved) for a merchant outside the scope."""
    try:
        campaigns.set_margin_rate(
            engine=engine, scope=scope, merchant_id=merchant_id, rate=rate, user=scope.user
        )
    except OutOfScope:
        return False
    campaign_summary.clear()
    campaign_detail.clear()
    return True


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def cohort_ranking(
    _engine: Engine, scope: Scope, baseline: str, metric: uplift.Metric
) -> uplift_ranking.Ranking:
    """`uplift_ranking.cohort_ranking`, from each cohort's cached figures (no paths): the
    other metric's ranking and the overview share the bootstrap."""
    ids = queries.cohorts(engine=_engine, scope=scope)["cohort_id"]
    results = [cohort_figures(_engine, scope, str(c), baseline) for c in ids]
    return uplift_ranking.rank_cohorts(results, metric, baseline=baseline)
