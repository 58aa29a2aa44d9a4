"""Parity: the same mart definitions give the same rows on every engine.

One test body per mart, tiny hand-checked inputs, run on SQLite and PostgreSQL (the
product's path), DuckDB and Apache Spark in local mode (Ibis backends over the same
expressions) and ClickHouse in process (chDB): see tests/pipelines/parity.py. Every mart
also compiles for ClickHouse, BigQuery, Snowflake, Trino and Spark SQL. The connections
mart: tests/pipelines/test_mart_parity_connections.py.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from models.schema import MartMerchantDay, table_of
from models.schema_segments import MartCustomerFeatures
from pipelines import engine as mart_engine
from pipelines import mart_customers, marts
from tests.pipelines.parity import ENGINES, Mart, plain, run, unbound_sources

M = "M1", "M2"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _orders(*rows: tuple[str, str, str, str, float, str | None, float]) -> list[dict]:
    return [
        {
            "merchant_id": m, "order_id": oid, "ordered_at": at(t), "ordered_on": at(t).date(),
            "channel": ch, "gmv": gmv, "store_id": "S1" if ch == "store" else None,
            "customer_id": c, "guide_id": "G1" if ch == "wecom_guide" else None,
            "campaign_id": None, "refund": refund, "batch_id": 1,
        }
        for m, oid, t, ch, gmv, c, refund in rows
    ]  # fmt: skip


def _events(*rows: tuple[str, str, str, str, str, str]) -> list[dict]:
    return [
        {
            "merchant_id": m, "event_id": eid, "customer_id": c, "touchpoint": tp, "action": a,
            "occurred_at": at(t), "occurred_on": at(t).date(),
            "guide_id": "G9" if a == "add_contact" else None,
            "group_id": None, "batch_id": 1,
        }
        for m, eid, c, tp, a, t in rows
    ]  # fmt: skip


def _traffic(*rows: tuple[str, str, str, int, int | None]) -> list[dict]:
    return [
        {"merchant_id": m, "store_id": s, "date": date.fromisoformat(d), "visitors": v,
         "identified_visitors": i, "batch_id": 1}
        for m, s, d, v, i in rows
    ]  # fmt: skip


def _customers(*rows: tuple[str, str, str, str]) -> list[dict]:
    return [
        {"merchant_id": m, "customer_id": c, "first_seen_on": date.fromisoformat(d),
         "unified_id": None, "member_level": level, "source": "file", "batch_id": 1}
        for m, c, d, level in rows
    ]  # fmt: skip


INPUTS = {
    "customers": _customers(
        ("M1", "c1", "2023-12-25", "gold"),
        ("M2", "c4", "2024-01-01", "silver"),  # known, never bought nor joined
    ),
    "orders": _orders(
        ("M1", "o1", "2024-01-01 10:00", "store", 100.0, "c1", 0.0),
        ("M1", "o2", "2024-01-01 12:00", "mini_program", 50.0, None, 0.0),
        ("M1", "o3", "2024-01-03 09:00", "community", 30.0, "c1", 10.0),
        ("M1", "o4", "2024-01-03 11:00", "wecom_guide", 20.0, "c2", 0.0),
        ("M2", "o5", "2024-01-02 15:00", "store", 40.0, "c3", 0.0),
    ),
    "store_traffic": _traffic(
        ("M1", "S1", "2024-01-01", 10, 4),
        ("M1", "S2", "2024-01-01", 5, None),
        ("M1", "", "2024-01-01", 99, 50),  # a merchant-level row beside store rows: ignored
        ("M2", "", "2024-01-04", 7, 3),
    ),
    "touchpoint_events": _events(
        ("M1", "e1", "c1", "mini_program", "follow", "2024-01-01 10:05"),
        ("M1", "e2", "c1", "mini_program", "follow", "2024-01-02 10:05"),  # again: no change
        ("M1", "e3", "c2", "community", "join_group", "2024-01-02 11:00"),
        ("M1", "e4", "c1", "mini_program", "unfollow", "2024-01-04 09:00"),
        ("M2", "e5", "c3", "wecom_guide", "remove_contact", "2024-01-03 08:00"),  # no join
        ("M2", "e6", "c3", "wecom_guide", "add_contact", "2024-01-05 08:00"),
    ),
}

# merchant, day: gmv, refunds, orders, buyers, new, repeat, identified, anonymous,
# private gmv, gmv store / mini_program / wecom_guide / community / scan / live / other,
# visitors, identified visitors, new cloud users, cloud users.
EXPECTED = {
    ("M1", date(2024, 1, 1)): (150, 0, 2, 1, 1, 0, 1, 1, 50, 100, 50, 0, 0, 0, 0, 0, 15, 4, 1, 1),
    ("M1", date(2024, 1, 2)): (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2),
    ("M1", date(2024, 1, 3)): (50, 10, 2, 2, 1, 1, 2, 0, 50, 0, 0, 20, 30, 0, 0, 0, 0, 0, 0, 2),
    ("M1", date(2024, 1, 4)): (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 1),
    ("M2", date(2024, 1, 2)): (40, 0, 1, 1, 1, 0, 1, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("M2", date(2024, 1, 3)): (0,) * 20,
    ("M2", date(2024, 1, 4)): (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 3, 0, 0),
    ("M2", date(2024, 1, 5)): (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1),
}


MARTS = {
    "merchant_day": Mart(
        INPUTS,
        marts.build,
        lambda c: marts.refresh_merchant_days(c, dict.fromkeys(M, mart_engine.ALL_DAYS)),
        table_of(MartMerchantDay),
    ),
    "customer_features": Mart(
        INPUTS,
        mart_customers.build,
        lambda c: mart_customers.rebuild_customer_features(c, M),
        table_of(MartCustomerFeatures),
    ),
}


def as_rows(frame: pd.DataFrame) -> dict[tuple[str, date], tuple[float, ...]]:
    """The mart as {(merchant, day): values}, numbers rounded to cents."""
    values = marts.MART_COLUMNS[2:]
    days = pd.to_datetime(frame["date"]).dt.date
    return {
        (str(m), d): tuple(round(float(v), 2) for v in row)
        for m, d, row in zip(
            frame["merchant_id"], days, frame[values].itertuples(index=False), strict=True
        )
    }


@pytest.mark.parametrize("name", ENGINES)
def test_merchant_day_is_the_same_on_every_engine(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    frame = run(MARTS["merchant_day"], name, request, tmp_path)
    assert set(marts.MART_COLUMNS) <= set(frame.columns)
    assert as_rows(frame) == {k: tuple(float(x) for x in v) for k, v in EXPECTED.items()}


@pytest.mark.parametrize("dialect", ["clickhouse", "bigquery", "snowflake", "trino", "pyspark"])
def test_every_mart_compiles_for_the_warehouses(dialect: str) -> None:
    for mart in MARTS.values():
        sql = mart_engine.to_sql(mart.build(unbound_sources(mart.inputs)), dialect)
        assert "mart_partitions" in sql and "touchpoint_events" in sql


# merchant, customer: as_of, first seen, first / last order, orders, purchase days,
# repurchases, gmv, refunds, aov, days since last / first order, tenure, channels, channel
# count, fan, guide contact, community member, cloud user, touchpoints, guide, store,
# member level, R, F, M, RFM segment.
CUSTOMER_COLUMNS = [
    "as_of", "first_seen_on", "first_order_on", "last_order_on", "orders", "purchase_days",
    "repurchases", "gmv", "refunds", "aov", "days_since_last_order", "days_since_first_order",
    "tenure_days", "channels", "channel_count", "is_fan", "is_guide_contact",
    "is_community_member", "is_cloud_user", "touchpoint_count", "guide_id", "store_id",
    "member_level", "r_score", "f_score", "m_score", "rfm_segment",
]  # fmt: skip
D = date.fromisoformat
CUSTOMERS = {
    # c1: o1 (100, store S1) and o3 (30, refund 10: still bought) on two days; followed
    # the mini-program and unfollowed it; known since 2023-12-25. R ties with c2 (both
    # 1 day ago): 1; M: above c2 of two buyers, 1 + floor(5 * 1 / 2) = 3; F 2.
    ("M1", "c1"): (
        D("2024-01-04"), D("2023-12-25"), D("2024-01-01"), D("2024-01-03"), 2, 2, 1, 130.0,
        10.0, 65.0, 1, 3, 10, "store, community", 2, False, False, False, False, 0, None,
        "S1", "gold", 1, 2, 3, "hibernating",
    ),
    # c2: o4 (20, WeCom, guide G1); joined a community the day before (tenure from then).
    ("M1", "c2"): (
        D("2024-01-04"), None, D("2024-01-03"), D("2024-01-03"), 1, 1, 0, 20.0, 0.0, 20.0,
        1, 1, 2, "wecom_guide", 1, False, False, True, True, 1, "G1", None, None, 1, 1, 1,
        "lost",
    ),
    # c3: o5 (40, store S1); removed before adding a guide's contact (G9): a contact now.
    ("M2", "c3"): (
        D("2024-01-05"), None, D("2024-01-02"), D("2024-01-02"), 1, 1, 0, 40.0, 0.0, 40.0,
        3, 3, 3, "store", 1, False, True, False, True, 1, "G9", "S1", None, 1, 1, 1, "lost",
    ),
    # c4: delivered in customers only.
    ("M2", "c4"): (
        D("2024-01-05"), D("2024-01-01"), None, None, 0, 0, 0, 0.0, 0.0, None, None, None,
        4, "", 0, False, False, False, False, 0, None, None, "silver", None, None, None, None,
    ),
}  # fmt: skip


def customer_rows(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[Any, ...]]:
    examples = {c: next(v[k] for v in CUSTOMERS.values() if v[k] is not None)
                for k, c in enumerate(CUSTOMER_COLUMNS)}  # fmt: skip
    return {
        (str(row["merchant_id"]), str(row["customer_id"])): tuple(
            plain(row[c], examples[c]) for c in CUSTOMER_COLUMNS
        )
        for row in frame.to_dict("records")
    }


@pytest.mark.parametrize("name", ENGINES)
def test_customer_features_are_the_same_on_every_engine(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    frame = run(MARTS["customer_features"], name, request, tmp_path)
    assert list(frame.columns) == mart_customers.MART_COLUMNS
    expected = {
        k: tuple(round(float(x), 2) if type(x) in (int, float) else x for x in v)
        for k, v in CUSTOMERS.items()
    }
    assert customer_rows(frame) == expected
