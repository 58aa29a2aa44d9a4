"""Cached reads and the writes of the segment builder. Definitions travel as JSON text so
they can key the cache; the models do the work (`models.segments`, `models.clusters`,
`models.offers`). A write clears the reads it changes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from models import clusters, offers
from models import segments as sg
from models.export import csv_bytes
from models.scope import Scope
from ui.data import TTL

K_RANGE = clusters.K_RANGE  # the numbers of groups a clustering tries (models.clusters)

SAMPLE_ROWS = 20
SavedVersion = sg.SavedVersion  # what a save returns, named for the page's annotations


def dumps(definition: Any) -> str:
    """A definition (or a list of tiers) as the JSON text that keys the cache."""
    return json.dumps(definition, ensure_ascii=False, sort_keys=True)


def _tiers(tiers_json: str) -> tuple[sg.Tier, ...]:
    return tuple(
        sg.Tier(t["name"], t["definition"], t.get("offer")) for t in json.loads(tiers_json)
    )


def tiers_json(tiers: tuple[sg.Tier, ...]) -> str:
    return dumps([{"name": t.name, "definition": t.definition, "offer": t.offer} for t in tiers])


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def as_of(_engine: Engine, scope: Scope, merchant_id: str) -> date | None:
    return sg.as_of(engine=_engine, scope=scope, merchant_id=merchant_id)


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def stats(_engine: Engine, scope: Scope, merchant_id: str, definition: str) -> dict[str, Any]:
    return sg.segment_stats(
        engine=_engine, scope=scope, merchant_id=merchant_id, definition=json.loads(definition)
    )


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def tier_stats(_engine: Engine, scope: Scope, merchant_id: str, tiers: str) -> pd.DataFrame:
    return sg.tier_stats(engine=_engine, scope=scope, merchant_id=merchant_id, tiers=_tiers(tiers))


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def distribution(
    _engine: Engine, scope: Scope, merchant_id: str, definition: str, by: str
) -> pd.DataFrame:
    return sg.distribution(
        engine=_engine,
        scope=scope,
        merchant_id=merchant_id,
        definition=json.loads(definition),
        by=by,
    )


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def sample(_engine: Engine, scope: Scope, merchant_id: str, tiers: str) -> pd.DataFrame:
    """The first customers of the segment, ids masked."""
    frame = sg.members(
        engine=_engine, scope=scope, merchant_id=merchant_id, tiers=_tiers(tiers), limit=SAMPLE_ROWS
    )
    return frame.assign(customer_id=frame["customer_id"].map(sg.mask_id))


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def export_csv(_engine: Engine, scope: Scope, merchant_id: str, tiers: str) -> bytes:
    """customer_id,segment of every customer in the segment, as CSV bytes."""
    frame = sg.members(engine=_engine, scope=scope, merchant_id=merchant_id, tiers=_tiers(tiers))
    return csv_bytes(frame[["customer_id", "segment"]], encoding="utf-8")


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def compare(_engine: Engine, scope: Scope, merchant_id: str, named: str) -> pd.DataFrame:
    return sg.compare(
        engine=_engine, scope=scope, merchant_id=merchant_id, definitions=json.loads(named)
    )


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def saved_segments(_engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    return sg.saved_segments(engine=_engine, scope=scope, merchant_id=merchant_id)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def segment_history(
    _engine: Engine, scope: Scope, merchant_id: str, segment_id: int
) -> pd.DataFrame:
    return sg.segment_history(
        engine=_engine, scope=scope, merchant_id=merchant_id, segment_id=segment_id
    )


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def find_clusters(_engine: Engine, scope: Scope, merchant_id: str) -> clusters.Clusters | None:
    return clusters.cluster(clusters.buyers(engine=_engine, scope=scope, merchant_id=merchant_id))


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def segment_campaigns(_engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    return offers.campaigns(engine=_engine, scope=scope, merchant_id=merchant_id)


# --- writes ----------------------------------------------------------------------------


def save(
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    name: str,
    definition: dict[str, Any],
    segment_id: int | None,
) -> sg.SavedVersion:
    saved = sg.save_segment(
        engine=engine,
        scope=scope,
        merchant_id=merchant_id,
        name=name,
        definition=definition,
        segment_id=segment_id,
    )
    saved_segments.clear()
    segment_history.clear()
    return saved


def create_campaigns(
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    tiers: str,
    **campaign: Any,
) -> list[offers.CreatedCampaign]:
    made = offers.create_tier_campaigns(
        engine=engine, scope=scope, merchant_id=merchant_id, tiers=_tiers(tiers), **campaign
    )
    segment_campaigns.clear()
    return made


def save_cluster(
    engine: Engine, scope: Scope, merchant_id: str, name: str, customer_ids: list[str]
) -> sg.SavedVersion:
    """A found cluster saved as a segment of its customer ids (`models.clusters.definition`)."""
    return save(engine, scope, merchant_id, name, clusters.definition(customer_ids), None)
