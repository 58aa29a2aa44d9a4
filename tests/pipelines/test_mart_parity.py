"""Parity: the same mart definitions give the same rows on every engine.

One test body, tiny hand-checked inputs, run on SQLite and PostgreSQL (through the
product's path: staging tables, `INSERT ... SELECT` in the transaction), DuckDB and
Apache Spark in local mode (Ibis backends over the same expressions), and ClickHouse in
process (chDB, running the SQL Ibis compiles for ClickHouse). Every mart also compiles
for BigQuery. Spark, chDB and DuckDB come from requirements-scale.txt; outside CI a
missing one skips, under CI=true it fails.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pytest
from sqlalchemy import Connection, Engine, Table, insert, select

from models.schema import Customer, MartMerchantDay, Order, StoreTraffic, TouchpointEvent, table_of
from models.schema_segments import MartCustomerFeatures
from pipelines import engine as mart_engine
from pipelines import mart_customers, marts
from tests.conftest import _pg_engine, _sqlite_engine, unavailable

ENGINES = ("sqlite", "postgresql", "duckdb", "spark", "chdb")
M = "M1", "M2"
STAGING = {t.name: t for t in map(table_of, (Customer, Order, StoreTraffic, TouchpointEvent))}


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


def _arrow(name: str, rows: list[dict]) -> pa.Table:
    """Rows as an Arrow table typed like the engine-side schema of the staging table."""
    schema = (
        mart_engine.source(STAGING[name]).schema()
        if name in STAGING
        else ibis.schema({"day": "date"} if name == mart_engine.CALENDAR.name else PARTITION_SCHEMA)
    )
    return pa.Table.from_pylist(rows, schema=schema.to_pyarrow())


PARTITION_SCHEMA = {"merchant_id": "string", "from_day": "date"}


def _work_rows() -> dict[str, list[dict]]:
    """The calendar and partition rows the product's orchestration would write."""
    days = [r["ordered_on"] for r in INPUTS["orders"]] + [
        r["occurred_on"] for r in INPUTS["touchpoint_events"]
    ]
    days += [r["date"] for r in INPUTS["store_traffic"]]
    lo, hi = min(days), max(days)
    return {
        mart_engine.CALENDAR.name: [
            {"day": lo + timedelta(days=k)} for k in range((hi - lo).days + 1)
        ],
        mart_engine.PARTITIONS.name: [
            {"merchant_id": m, "from_day": mart_engine.ALL_DAYS} for m in M
        ],
    }


def _tables() -> dict[str, pa.Table]:
    return {name: _arrow(name, rows) for name, rows in {**INPUTS, **_work_rows()}.items()}


# --- engines ------------------------------------------------------------------------------


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        unavailable(f"{module} is not installed (pip install -r requirements-scale.txt)")


@dataclass(frozen=True)
class Mart:
    """A mart under test: its expression over named tables (any backend), the product's
    rebuild of it on a SQLAlchemy connection, and its table."""

    build: Callable[[Mapping[str, ir.Table]], ir.Table]
    rebuild: Callable[[Connection], object]
    table: Table


MARTS = {
    "merchant_day": Mart(
        marts.build,
        lambda c: marts.refresh_merchant_days(c, dict.fromkeys(M, mart_engine.ALL_DAYS)),
        table_of(MartMerchantDay),
    ),
    "customer_features": Mart(
        mart_customers.build,
        lambda c: mart_customers.rebuild_customer_features(c, M),
        table_of(MartCustomerFeatures),
    ),
}


def _on_sqlalchemy(db: Engine, mart: Mart) -> pd.DataFrame:
    with db.begin() as connection:
        for name, rows in INPUTS.items():
            connection.execute(insert(STAGING[name]), rows)
        mart.rebuild(connection)
    with db.connect() as connection:
        result = connection.execute(select(mart.table))
        return pd.DataFrame(result.mappings().all())


def _on_ibis(con: Any, register: Callable[[str, pa.Table], None], mart: Mart) -> pd.DataFrame:
    for name, table in _tables().items():
        register(name, table)
    expr = mart.build({name: con.table(name) for name in _tables()})
    return con.to_pandas(expr)


def _on_chdb(tmp_path: Path, mart: Mart) -> pd.DataFrame:
    import pyarrow.parquet as pq
    from chdb import session

    db = session.Session(str(tmp_path / "chdb"))
    for name, table in _tables().items():
        path = tmp_path / f"{name}.parquet"
        pq.write_table(table, path)
        db.query(f"CREATE TABLE {name} ENGINE = Memory AS SELECT * FROM file('{path}', Parquet)")
    sources = {
        name: ibis.table(ibis.Schema.from_pyarrow(t.schema), name=name)
        for name, t in _tables().items()
    }
    sql = mart_engine.to_sql(mart.build(sources), "clickhouse")
    out = db.query(sql, "DataFrame")
    db.close()
    return out


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the test run (one core, two shuffle partitions)."""
    _need("pyspark")
    if os.system("java -version >/dev/null 2>&1") != 0:
        unavailable("no Java runtime for Spark (apt-get install openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("mart-parity")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def run(mart: Mart, name: str, request: pytest.FixtureRequest, tmp_path: Path) -> pd.DataFrame:
    """The mart's rows computed on engine `name`."""
    if name in ("sqlite", "postgresql"):
        databases = (
            _sqlite_engine(tmp_path)
            if name == "sqlite"
            else _pg_engine(request.getfixturevalue("pg_problem"))
        )
        try:
            return _on_sqlalchemy(next(databases), mart)
        finally:
            databases.close()
    if name == "duckdb":
        _need("duckdb")
        con = ibis.duckdb.connect()
        return _on_ibis(con, lambda n, t: con.con.register(n, t), mart)
    if name == "spark":
        session = request.getfixturevalue("spark")
        return _on_ibis(
            ibis.pyspark.connect(session),
            lambda n, t: session.createDataFrame(t).createOrReplaceTempView(n),
            mart,
        )
    _need("chdb")
    return _on_chdb(tmp_path, mart)


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
    sources = {name: mart_engine.source(t) for name, t in STAGING.items()}
    sources |= {
        mart_engine.CALENDAR.name: mart_engine.source(mart_engine.CALENDAR),
        mart_engine.PARTITIONS.name: mart_engine.source(mart_engine.PARTITIONS),
    }
    for mart in MARTS.values():
        sql = mart_engine.to_sql(mart.build(sources), dialect)
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


def _plain(value: Any, example: Any) -> Any:
    """An engine's value as the Python value of the expected one (dates, booleans stored
    as 0/1, numbers to cents; nulls as None)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(example, bool):
        return bool(value)
    if isinstance(example, date):
        return pd.Timestamp(value).date()
    if isinstance(example, int | float):
        return round(float(value), 2)
    return value


def customer_rows(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[Any, ...]]:
    examples = {c: next(v[k] for v in CUSTOMERS.values() if v[k] is not None)
                for k, c in enumerate(CUSTOMER_COLUMNS)}  # fmt: skip
    return {
        (str(row["merchant_id"]), str(row["customer_id"])): tuple(
            _plain(row[c], examples[c]) for c in CUSTOMER_COLUMNS
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
