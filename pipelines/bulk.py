"""Writing many rows at once, by the fastest path each engine offers.

SQLAlchemy prepares every row of an `executemany` one at a time (parameter dictionaries,
then each value's bind processor); for the hundreds of thousands of rows of a delivery
that costs more than the database's own work. Here the statement is compiled once, each
column is converted once, vectorised (dates and times formatted by pandas as the type's
own processor would, checked on the first value), and the rows go to the driver as they
are: SQLite through one prepared `executemany` per large batch; PostgreSQL upserts through
`COPY` into a temporary table and one `INSERT ... SELECT ... ON CONFLICT` (set-based). The
SQL is still what SQLAlchemy compiles for the connection's dialect, with bound parameters.
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    MetaData,
    Table,
    and_,
    case,
    func,
    literal,
    null,
    select,
    text,
)
from sqlalchemy.sql.dml import Insert

from models.schema import STAGING, Customer, table_of

WRITE_BATCH = 50_000
FORMATS = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%d %H:%M:%S.%f"}


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


def _plain(series: pd.Series) -> list[Any]:
    """A column as Python values, missing ones as None."""
    if series.isna().any():
        return series.astype(object).where(series.notna(), None).tolist()
    return series.tolist()


def _time_format(column: Column[Any]) -> str | None:
    if isinstance(column.type, DateTime):
        return FORMATS["datetime"]
    if isinstance(column.type, Date):
        return FORMATS["date"]
    return None


def _as_text(series: pd.Series, fmt: str) -> list[Any]:
    """Dates and times of a datetime64 column as text, in one vectorised pass: Arrow's
    cast to text (five times faster than pandas' `strftime`) for a time-zone-naive column
    of at most microsecond precision, checked against `strftime` on its first, smallest
    and largest values; `strftime` otherwise."""
    fast = _arrow_text(series, fmt)
    if fast is not None:
        return fast
    text = series.dt.strftime(fmt)
    return text.astype(object).where(series.notna(), None).tolist()


def _arrow_text(series: pd.Series, fmt: str) -> list[Any] | None:
    import numpy as np
    import pyarrow as pa

    if series.dtype.kind != "M" or np.datetime_data(series.dtype)[0] not in ("s", "ms", "us"):
        return None  # time-zone-aware, or nanoseconds (which strftime's %f truncates)
    values = series.to_numpy().astype("datetime64[us]")
    if fmt == FORMATS["date"]:
        values = values.astype("datetime64[D]")
    elif fmt != FORMATS["datetime"]:
        return None
    text = pa.array(values).cast(pa.string()).to_pylist()
    present = ~np.isnat(values)
    if not present.any():
        return text
    ticks = series.to_numpy().view("int64")
    smallest = np.where(present, ticks, np.iinfo(np.int64).max).argmin()
    largest = np.where(present, ticks, np.iinfo(np.int64).min).argmax()
    for at in (int(present.argmax()), int(smallest), int(largest)):
        if text[at] != series.iloc[at].strftime(fmt):
            return None
    return text


def _column_values(series: pd.Series, column: Column[Any], connection: Connection) -> list[Any]:
    """One column as the driver takes it: missing values as None, then the type's own
    conversion for this dialect (dates as text on SQLite, for instance). A datetime64
    column is formatted vectorised, after checking on its first value that the type's own
    processor writes the same text (otherwise every value goes through the processor)."""
    dialect = connection.dialect
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    if processor is None:
        return _plain(series)
    fmt = _time_format(column)
    if fmt is not None and pd.api.types.is_datetime64_any_dtype(series.dtype):
        present = series.dropna()
        if present.empty:
            return [None] * len(series)
        first = present.iloc[0]
        if processor(first.to_pydatetime()) == first.strftime(fmt):
            return _as_text(series, fmt)
    values = _plain(series)
    if pd.api.types.is_float_dtype(series.dtype) and _passes_floats(processor):
        return values  # floats pass through (SQLite's to_float)
    return [None if v is None else processor(v) for v in values]


def _passes_floats(processor: Any) -> bool:
    try:
        return bool(processor(1.5) == 1.5 and type(processor(1.5)) is float)
    except (TypeError, ValueError):
        return False


def _rows(frame: pd.DataFrame, table: Table, order: list[str], connection: Connection) -> list[Any]:
    values = [_column_values(frame[n], table.c[n], connection) for n in order]
    return list(zip(*values, strict=True))


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
    rows: list[Any]
    if compiled.positional:
        rows = _rows(frame, table, list(compiled.positiontup or []), connection)
    else:
        positional = _rows(frame, table, names, connection)
        rows = [dict(zip(names, row, strict=True)) for row in positional]
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


def _copy_values(series: pd.Series, column: Column[Any]) -> list[Any]:
    """One column for COPY's text format: dates and times as text (PostgreSQL parses
    them into the column's type), the rest as Python values psycopg writes."""
    fmt = _time_format(column)
    if fmt is not None and pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _as_text(series, fmt)
    return _plain(series)


# COPY's text format: these characters in a value are written with a backslash.
_COPY_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


def _copy_text(frame: pd.DataFrame, table: Table) -> Any:
    """The rows in COPY's text format, built column-wise by Arrow (one Python call per
    row through psycopg's `write_row` cost more than PostgreSQL's own work): text escaped
    as COPY reads it, missing values as \\N, numbers as the shortest text that reads
    back to the same value, flags as true/false, dates and times as `_copy_values` writes
    them. None when a column holds anything else (those rows go through `write_row`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    fields = []
    for name in frame.columns:
        series = frame[name]
        fmt = _time_format(table.c[name])
        try:
            if fmt is not None and pd.api.types.is_datetime64_any_dtype(series.dtype):
                values = pa.array(_as_text(series, fmt), type=pa.string())
            else:
                values = pa.array(series, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
        kind = values.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            for plain, escaped in _COPY_ESCAPES:
                values = pc.replace_substring(values, plain, escaped)
        elif pa.types.is_null(kind):
            values = values.cast(pa.string())
        elif not (
            pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
        ):
            return None
        fields.append(pc.fill_null(values.cast(pa.string()), "\\N"))
    lines = pc.binary_join_element_wise(*fields, "\t").to_pylist()
    return ("\n".join(lines) + "\n").encode("utf-8")


def _staged(connection: Connection, table: Table) -> Table:
    """An empty temporary table shaped like `table` (no keys), dropped at commit."""
    temp = Table(
        f"load_{table.name}",
        MetaData(),
        *(Column(c.name, c.type) for c in table.columns),
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )
    temp.create(connection, checkfirst=True)
    connection.execute(temp.delete())
    return temp


def _copy_upsert(connection: Connection, stmt: Any, table: Table, frame: pd.DataFrame) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then one INSERT ... SELECT with
    the upsert's ON CONFLICT clause."""
    from psycopg import sql as pg_sql  # only PostgreSQL loads need the driver's SQL builder

    names = list(frame.columns)
    temp = _staged(connection, table)
    copy_sql = pg_sql.SQL("COPY {} ({}) FROM STDIN").format(
        pg_sql.Identifier(temp.name), pg_sql.SQL(", ").join(map(pg_sql.Identifier, names))
    )
    raw = connection.connection.driver_connection
    assert raw is not None
    text = _copy_text(frame, table)
    with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
        if text is not None:
            copy.write(text)
        else:
            columns = [_copy_values(frame[n], table.c[n]) for n in names]
            for row in zip(*columns, strict=True):
                copy.write_row(row)
    select_rows = select(*(temp.c[n] for n in names))
    connection.execute(stmt.from_select(names, select_rows))


def upsert(
    connection: Connection, table: Table, rows: pd.DataFrame, *, replace: bool = True
) -> None:
    """Insert rows; a row whose primary key exists replaces it (or is skipped). A key
    given twice keeps its last row, as row-by-row writing would."""
    if rows.empty:
        return
    key = [c.name for c in table.primary_key.columns]
    rows = _with_defaults(rows, list(table.columns))
    unknown = [n for n in rows.columns if n not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column {', '.join(unknown)}")
    stmt = _insert_for(connection, table)
    postgres = connection.dialect.name == "postgresql"
    if replace:
        changing = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in key}
        stmt = stmt.on_conflict_do_update(index_elements=key, set_=changing)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=key)
    if postgres:
        if rows.duplicated(subset=key, keep="last").any():
            rows = rows.drop_duplicates(subset=key, keep="last" if replace else "first")
        _copy_upsert(connection, stmt, table, rows)
    else:
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


# --- secondary indexes around a first load ----------------------------------------------

_SQLITE_INDEXES = text(
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table "
    "AND sql IS NOT NULL ORDER BY name"
)


def drop_secondary_indexes(connection: Connection, table: Table) -> list[str]:
    """Drop the table's secondary (not unique) indexes and return the statements that
    create them again, as the database itself states them (same names, same
    definitions). For a first load into an empty SQLite table: building an index once
    over the loaded rows costs less than keeping it up to date row by row. The primary
    key and unique indexes stay (the upsert's ON CONFLICT needs the key)."""
    if connection.dialect.name != "sqlite":
        # Measured on SQLite only. On PostgreSQL the rebuilt indexes also refresh the
        # table's size in the catalogue inside the load's transaction, and the marts'
        # connections query then took a plan many times slower (docs/benchmarks.md,
        # 2026-12-03): PostgreSQL keeps its indexes during the load, as before.
        return []
    found = [
        (name, sql)
        for name, sql in connection.execute(_SQLITE_INDEXES, {"table": table.name})
        if not sql.lstrip().upper().startswith("CREATE UNIQUE")
    ]
    quote = connection.dialect.identifier_preparer.quote
    for name, _sql in found:
        connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
    return [sql for _name, sql in found]


def create_indexes(connection: Connection, statements: list[str]) -> None:
    """Create again the indexes `drop_secondary_indexes` dropped."""
    for statement in statements:
        connection.exec_driver_sql(statement)
