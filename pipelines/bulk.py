"""Writing many rows at once.

SQLAlchemy prepares every row of an `executemany` one at a time (parameter dictionaries,
then each value's bind processor); for the hundreds of thousands of rows of a delivery
that costs more than the database's own work. Here the statement is compiled once, each
column is converted once as a list, and the rows go to the driver as they are. The SQL
is still the statement SQLAlchemy compiled for the connection's dialect, with bound
parameters.
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd
from sqlalchemy import Column, Connection, Table, and_, case, func, literal, null, select
from sqlalchemy.sql.dml import Insert

from models.schema import STAGING, Customer, table_of

WRITE_BATCH = 5_000


def _with_defaults(frame: pd.DataFrame, columns: list[Column[Any]]) -> pd.DataFrame:
    """The frame plus the table's columns it lacks that have a fixed Python default
    (what SQLAlchemy would have filled in row by row)."""
    missing = [c for c in columns if c.name not in frame.columns and c.default is not None]
    if not missing:
        return frame
    frame = frame.copy()
    for column in missing:
        default = column.default
        if not getattr(default, "is_scalar", False):
            raise ValueError(
                f"{column.table.name}.{column.name} has a computed default; pass the column"
            )
        frame[column.name] = getattr(default, "arg", None)
    return frame


def _column_values(series: pd.Series, column: Column[Any], connection: Connection) -> list[Any]:
    """One column as the driver takes it: missing values as None, then the type's own
    conversion for this dialect (dates as text on SQLite, for instance)."""
    if series.isna().any():
        values = series.astype(object).where(series.notna(), None).tolist()
    else:
        values = series.tolist()
    dialect = connection.dialect
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    if processor is None:
        return values
    return [processor(v) for v in values]


def write_frame(
    connection: Connection, stmt: Insert, frame: pd.DataFrame, *, batch: int = WRITE_BATCH
) -> None:
    """Execute the INSERT (an upsert too) `stmt` for every row of `frame`, whose columns
    are the table's column names."""
    if frame.empty:
        return
    table = cast(Table, stmt.table)
    frame = _with_defaults(frame, list(table.columns))
    names = list(frame.columns)
    unknown = [n for n in names if n not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column {', '.join(unknown)}")
    compiled = stmt.compile(dialect=connection.dialect, column_keys=names)
    values = {n: _column_values(frame[n], table.c[n], connection) for n in names}
    rows: list[Any]
    if compiled.positional:
        order = list(compiled.positiontup or [])
        rows = list(zip(*(values[n] for n in order), strict=True))
    else:
        rows = [dict(zip(names, row, strict=True)) for row in zip(*values.values(), strict=True)]
    for start in range(0, len(rows), batch):
        connection.exec_driver_sql(compiled.string, rows[start : start + batch])


def _insert_for(connection: Connection, table: Table) -> Any:
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    if connection.dialect.name == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database: {connection.dialect.name}")


def upsert(
    connection: Connection, table: Table, rows: pd.DataFrame, *, replace: bool = True
) -> None:
    """Insert rows; a row whose primary key exists replaces it (or is skipped)."""
    key = [c.name for c in table.primary_key.columns]
    stmt = _insert_for(connection, table)
    if replace:
        changing = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in key}
        stmt = stmt.on_conflict_do_update(index_elements=key, set_=changing)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=key)
    write_frame(connection, stmt, rows)


SEEN_ON = {"orders": "ordered_on", "touchpoint_events": "occurred_on"}


def add_customers_seen(connection: Connection, entity: str, batch_id: int) -> None:
    """Customer ids first seen in this delivery's orders, events or assignments become
    customers of that merchant, in one INSERT ... SELECT. A known customer keeps its
    details; only its first_seen_on moves earlier when older evidence arrives."""
    source = table_of(STAGING[entity])
    customers = table_of(Customer)
    day = source.c[SEEN_ON[entity]] if entity in SEEN_ON else None
    first_seen = func.min(day) if day is not None else null()
    seen = (
        select(
            source.c.merchant_id,
            source.c.customer_id,
            first_seen.label("first_seen_on"),
            literal(entity).label("source"),
            literal(batch_id).label("batch_id"),
        )
        .where(source.c.batch_id == batch_id, source.c.customer_id.is_not(None))
        .group_by(source.c.merchant_id, source.c.customer_id)
    )
    stmt = _insert_for(connection, customers).from_select(
        ["merchant_id", "customer_id", "first_seen_on", "source", "batch_id"], seen
    )
    current, new = customers.c.first_seen_on, stmt.excluded.first_seen_on
    earliest = case(
        (current.is_(None), new),
        (and_(new.is_not(None), new < current), new),
        else_=current,
    )
    connection.execute(
        stmt.on_conflict_do_update(
            index_elements=["merchant_id", "customer_id"], set_={"first_seen_on": earliest}
        )
    )
