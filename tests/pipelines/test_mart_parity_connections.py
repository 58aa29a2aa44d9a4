"""Parity of the weekly connections mart: one merchant over two weeks, every indicator
checked by hand, the same rows on SQLite, PostgreSQL, DuckDB, Spark and chDB (runners:
tests/pipelines/parity.py). The mart reads the merchant-day mart: on the Ibis backends
its expression is composed in; on SQLite and PostgreSQL the product builds it first."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Connection

from models.schema import table_of
from models.schema_connections import MartConnectionIndicator, MartConnectionScore
from pipelines import engine as mart_engine
from pipelines import mart_connections, marts
from tests.pipelines.parity import ENGINES, Mart, run, unbound_sources

D = date.fromisoformat


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _order(oid: str, day: str, channel: str, gmv: float, customer: str | None,
           guide: str | None = None, campaign: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "merchant_id": "M1", "order_id": oid, "ordered_at": _at(f"{day} 10:00"),
        "ordered_on": D(day), "channel": channel, "gmv": gmv, "store_id": None,
        "customer_id": customer, "guide_id": guide, "campaign_id": campaign, "refund": 0.0,
        "batch_id": 1,
    }  # fmt: skip


def _event(eid: str, customer: str, touchpoint: str, action: str, day: str,
           guide: str | None = None, group: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "merchant_id": "M1", "event_id": eid, "customer_id": customer,
        "touchpoint": touchpoint, "action": action, "occurred_at": _at(f"{day} 09:00"),
        "occurred_on": D(day), "guide_id": guide, "group_id": group, "batch_id": 1,
    }  # fmt: skip


def _guide(gid: str, role: str, joined: str, left: str | None = None) -> dict[str, Any]:
    left_on = None if left is None else D(left)
    return {"merchant_id": "M1", "guide_id": gid, "store_id": None, "role": role,
            "joined_on": D(joined), "left_on": left_on, "batch_id": 1}  # fmt: skip


INPUTS = {
    "merchants": [{"merchant_id": "M1", "name": "One", "industry": "apparel", "region": None,
                   "store_count": None, "cohort_id": None, "joined_on": None, "batch_id": 1}],
    "stores": [{"merchant_id": "M1", "store_id": s, "name": None, "city": None,
                "opened_on": None, "batch_id": 1} for s in ("S1", "S2")],
    "guides": [
        _guide("G1", "sales", "2023-12-01"),
        _guide("G2", "acquisition", "2024-01-02"),
        _guide("G3", "sales", "2023-12-01", left="2024-01-09"),
    ],
    "customers": [{"merchant_id": "M1", "customer_id": "c1", "first_seen_on": None,
                   "unified_id": "u1", "member_level": None, "source": "file", "batch_id": 1}],
    "orders": [
        _order("o1", "2024-01-01", "store", 100.0, "c1"),
        _order("o2", "2024-01-02", "mini_program", 50.0, "c1", guide="G1"),
        _order("o3", "2024-01-09", "wecom_guide", 30.0, "c2", guide="G1"),
        _order("o4", "2024-01-10", "store", 20.0, None, campaign="K9"),
    ],
    "store_traffic": [
        {"merchant_id": "M1", "store_id": "S1", "date": D(d), "visitors": 10,
         "identified_visitors": i, "batch_id": 1}
        for d, i in (("2024-01-01", 4), ("2024-01-08", 6))
    ],
    "touchpoint_events": [
        _event("e1", "c1", "mini_program", "follow", "2024-01-01"),
        _event("e2", "c1", "mini_program", "visit", "2024-01-02"),
        _event("e3", "c2", "wecom_guide", "add_contact", "2024-01-02", guide="G1"),
        _event("e4", "c2", "wecom_guide", "message", "2024-01-03", guide="G1"),
        _event("e5", "c2", "wecom_guide", "message", "2024-01-09", guide="G1"),
        _event("e6", "c3", "community", "join_group", "2024-01-03", guide="G2", group="K1"),
        _event("e7", "c3", "community", "post", "2024-01-09", group="K1"),
        _event("e8", "c1", "mini_program", "unfollow", "2024-01-10"),
    ],
    "load_batches": [{"batch_id": 1, "source": "test", "loaded_by": "", "status": "loaded",
                      "started_at": _at("2024-01-11 08:00"), "finished_at": None,
                      "all_or_nothing": False, "rows_read": 20, "rows_new": 18,
                      "rows_replaced": 0, "rows_rejected": 2, "message": ""}],
    "cohorts": [],
    "mart_connection_stocks": [],
}  # fmt: skip

# Weeks of 2024-01-01 and 2024-01-08 (flows over the week and the three before it).
EXPECTED = {
    # cloud users at the week's end (c1 follows, c2 a contact, c3 a member; c1 leaves on
    # the 10th) per store (S1, S2)
    "cloud_users": (3, 2), "cloud_users_per_store": (1.5, 1.0),
    "digitised_share": (0.4, 0.5), "identified_order_share": (1.0, 0.75),
    "mp_fans": (1, 1), "mp_fans_per_store": (0.5, 0.5),
    "wecom_contacts": (1, 1), "community_members": (1, 1),
    "community_guide_layer": (1, 1),  # K1: joined with guide G2
    "contacts_medium": (1, 1), "contacts_heavy": (0, 0), "contacts_light": (0, 0),
    "contacts_reachable_share": (1.0, 1.0),
    "community_active": (0, 1), "community_active_share": (0.0, 1.0),
    "community_hot_fans": (0, 1),
    "sales_guides": (2, 1),  # G1 and G3 (who leaves on the 9th)
    "roles_staffed": (1, 1),  # acquisition (G2)
    "guides_connected_share": (0.5, 1.0), "contacts_per_guide": (0.5, 1.0),
    # apparel's mix 0.30 / 0.50 / 0.20 against 1/3 each, then 0 / 1/2 / 1/2
    "format_mix_fit": (0.83, 0.7),
    "guide_gmv_share": (1.0, 1.0), "attributable_order_share": (0.5, 0.75),
    "active_guides": (1, 1), "active_guide_share": (0.5, 1.0),
    "guide_productivity": (12.5, 20.0),  # G1's 50, then 80, over four weeks
    "top_median_ratio": (None, None),  # fewer than five active guides
    "cross_channel_share": (1.0, 0.5),  # u1 in store and mini-program; c2 in one channel
    "freshness_days": (5, 0),  # last order 01-02 by the 7th; 01-10 on the last day
    "rejection_rate": (0.1, 0.1),  # 2 of 20 rows
}  # fmt: skip
WEEKS = (D("2024-01-01"), D("2024-01-08"))
SCORES = {  # hand-checked scores: digitised 0.4 / 0.5 of 0.5; rejection 0.1 from 0.01 to 0.2
    "digitised_share": (80.0, 100.0),
    "rejection_rate": (52.63, 52.63),
    "cloud_users": (None, None),  # a detail
}


def _rebuild(connection: Connection) -> None:
    marts.refresh_merchant_days(connection, {"M1": mart_engine.ALL_DAYS})
    mart_connections.rebuild_connections(connection, ["M1"])


# The merchant-day mart, then the connections mart's steps, kept as tables (as the
# product's work tables): composed into one query, Spark's analyser runs out of memory and
# ClickHouse refuses the query tree as too big.
STEPS = (
    ("mart_merchant_day", marts.build),
    *((name, step) for name, step, _ in mart_connections.STEPS),
)
MARTS = {
    "indicators": Mart(
        INPUTS,
        mart_connections.step_indicators,
        _rebuild,
        table_of(MartConnectionIndicator),
        STEPS,
    ),
    "scores": Mart(
        INPUTS,
        lambda s: mart_connections.build_scores(mart_connections.step_indicators(s)),
        _rebuild,
        table_of(MartConnectionScore),
        STEPS,
    ),
}


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 2)


def _rows(frame: pd.DataFrame, key: str, columns: list[str]) -> dict[tuple[date, str], tuple]:
    weeks = pd.to_datetime(frame["week"]).dt.date
    return {
        (w, str(k)): tuple(_number(v) if c == "score" or c == "value" else v for c, v in zip(
            columns, (r[c] for c in columns), strict=True))
        for w, k, r in zip(weeks, frame[key], frame.to_dict("records"), strict=True)
    }  # fmt: skip


@pytest.fixture(scope="module")
def reference(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Both tables as the product builds them on SQLite (the rows every engine must give)."""
    tmp = tmp_path_factory.mktemp("reference")
    indicators = run(MARTS["indicators"], "sqlite", request, tmp)
    scores = run(MARTS["scores"], "sqlite", request, tmp_path_factory.mktemp("scores"))
    return {
        "indicators": _rows(indicators, "indicator", ["value", "score"]),
        "scores": _rows(scores, "connection", ["score", "stage", "ahead_of"]),
    }


def test_the_reference_is_checked_by_hand(reference: dict) -> None:
    rows = reference["indicators"]
    assert {i for _, i in rows} == set(mart_connections.load_config().indicators)
    assert {w for w, _ in rows} == set(WEEKS)
    for indicator, values in EXPECTED.items():
        got = tuple(rows[w, indicator][0] for w in WEEKS)
        assert got == tuple(_number(v) for v in values), indicator
    for indicator, values in SCORES.items():
        assert tuple(rows[w, indicator][1] for w in WEEKS) == values, indicator
    stages = {c: reference["scores"][WEEKS[0], c][1] for c in ("touchpoints", "performance")}
    assert set(stages.values()) <= {"not_started", "building", "running", "leading"}


@pytest.mark.parametrize("table", list(MARTS))
@pytest.mark.parametrize("name", ENGINES)
def test_connections_are_the_same_on_every_engine(
    name: str, table: str, reference: dict, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    frame = run(MARTS[table], name, request, tmp_path)
    key, columns = (
        ("indicator", ["value", "score"])
        if table == "indicators"
        else ("connection", ["score", "stage", "ahead_of"])
    )
    assert _rows(frame, key, columns) == reference[table]


# Not "pyspark": Ibis's Spark SQL compiler asks a live session how to treat NaN for this
# mart (compiling without one fails); the Spark run above covers it.
@pytest.mark.parametrize("dialect", ["clickhouse", "bigquery", "snowflake", "trino"])
def test_connections_compile_for_the_warehouses(dialect: str) -> None:
    sources = unbound_sources(INPUTS)
    sources["mart_merchant_day"] = marts.build(sources)
    indicators = mart_connections.build(sources)  # every step composed
    for expr in (indicators, mart_connections.build_scores(indicators)):
        assert "touchpoint_events" in mart_engine.to_sql(expr, dialect)
