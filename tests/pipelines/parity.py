"""Running one mart on every engine of the parity tests (tests/pipelines/test_mart_parity*.py).

SQLite and PostgreSQL go through the product's path (staging tables, then the mart's
rebuild: `INSERT ... SELECT` in the transaction); DuckDB and Spark run the same Ibis
expressions as Ibis backends; ClickHouse (chDB, in process) runs the SQL Ibis compiles
for it. Spark, chDB and DuckDB come from requirements-scale.txt; outside CI a missing one
skips, under CI=true it fails.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pytest
from sqlalchemy import Connection, Engine, Table, insert, select

from models.schema import Base
from pipelines import engine as mart_engine
from tests.conftest import _pg_engine, _sqlite_engine, unavailable

ENGINES = ("sqlite", "postgresql", "duckdb", "spark", "chdb")
Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Mart:
    """A mart under test: its input rows (table name -> rows), its expression over tables
    named as in the database (any backend), the product's rebuild of it on a SQLAlchemy
    connection, and the table that rebuild writes."""

    inputs: Rows
    build: Callable[[Mapping[str, ir.Table]], ir.Table]
    rebuild: Callable[[Connection], object]
    table: Table
    # Steps whose rows the engine keeps as tables for `build` (name, expression over the
    # tables so far), as the product's path keeps them in work tables.
    steps: tuple[tuple[str, Callable[[Mapping[str, ir.Table]], ir.Table]], ...] = ()


def merchants_of(inputs: Rows) -> list[str]:
    return sorted(
        {r["merchant_id"] for rows in inputs.values() for r in rows if "merchant_id" in r}
    )


def work_rows(inputs: Rows) -> Rows:
    """The calendar and partition rows the product's orchestration would write."""
    days: list[date] = []
    for name, column in (("orders", "ordered_on"), ("touchpoint_events", "occurred_on")):
        days += [r[column] for r in inputs.get(name, [])]
    days += [r["date"] for r in inputs.get("store_traffic", [])]
    lo, hi = min(days), max(days)
    return {
        mart_engine.CALENDAR.name: [
            {"day": lo + timedelta(days=k)} for k in range((hi - lo).days + 1)
        ],
        mart_engine.PARTITIONS.name: [
            {"merchant_id": m, "from_day": mart_engine.ALL_DAYS} for m in merchants_of(inputs)
        ],
    }


def _schema(name: str) -> ibis.Schema:
    work = {t.name: t for t in (mart_engine.CALENDAR, mart_engine.PARTITIONS)}
    table = work.get(name, Base.metadata.tables.get(name))
    assert table is not None, name
    return mart_engine.source(table).schema()


def arrow_tables(inputs: Rows) -> dict[str, pa.Table]:
    """Every input and work table as Arrow, typed like the engine-side schema."""
    rows = {**inputs, **work_rows(inputs)}
    return {n: pa.Table.from_pylist(r, schema=_schema(n).to_pyarrow()) for n, r in rows.items()}


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        unavailable(f"{module} is not installed (pip install -r requirements-scale.txt)")


def _on_sqlalchemy(db: Engine, mart: Mart) -> pd.DataFrame:
    with db.begin() as connection:
        for name, rows in mart.inputs.items():
            if rows:
                connection.execute(insert(Base.metadata.tables[name]), rows)
        mart.rebuild(connection)
    with db.connect() as connection:
        return pd.DataFrame(connection.execute(select(mart.table)).mappings().all())


def _on_ibis(con: Any, register: Callable[[str, pa.Table], None], mart: Mart) -> pd.DataFrame:
    tables = arrow_tables(mart.inputs)
    for name, table in tables.items():
        register(name, table)
    sources = {name: con.table(name) for name in tables}
    for name, step in mart.steps:
        register(name, con.to_pyarrow(step(sources)))
        sources[name] = con.table(name)
    return con.to_pandas(mart.build(sources))


def _on_chdb(tmp_path: Path, mart: Mart) -> pd.DataFrame:
    import pyarrow.parquet as pq
    from chdb import session

    db = session.Session(str(tmp_path / "chdb"))

    def register(name: str, table: pa.Table) -> None:
        path = tmp_path / f"{name}.parquet"
        pq.write_table(table, path)
        db.query(f"CREATE TABLE {name} ENGINE = Memory AS SELECT * FROM file('{path}', Parquet)")

    tables = arrow_tables(mart.inputs)
    for name, table in tables.items():
        register(name, table)
    sources = {n: ibis.table(ibis.Schema.from_pyarrow(t.schema), name=n) for n, t in tables.items()}
    for name, step in mart.steps:
        expr = step(sources)
        rows = db.query(mart_engine.to_sql(expr, "clickhouse"), "DataFrame")
        register(name, pa.Table.from_pandas(rows, schema=expr.schema().to_pyarrow()))
        sources[name] = ibis.table(expr.schema(), name=name)
    out = db.query(mart_engine.to_sql(mart.build(sources), "clickhouse"), "DataFrame")
    db.close()
    return out


def spark_session() -> Iterator[Any]:
    """One local Spark session (one core, one shuffle partition), for a session fixture."""
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


def unbound_sources(inputs: Rows) -> dict[str, ir.Table]:
    """Unbound tables named and typed as the inputs and work tables (for compiling)."""
    return {name: ibis.table(_schema(name), name=name) for name in {**inputs, **work_rows(inputs)}}


def plain(value: Any, example: Any) -> Any:
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
