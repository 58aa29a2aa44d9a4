"""Run mart definitions inside the database engine.

A mart is an Ibis expression over the staging tables (see docs/marts.md). Ibis compiles
it, through sqlglot, to the SQL of the engine that holds the data; here it becomes one
`INSERT INTO mart (...) SELECT ...` executed on the caller's SQLAlchemy connection, so a
mart is rebuilt inside the load's transaction and no row passes through Python. The same
expressions run unchanged on any other Ibis backend (Spark, DuckDB, ClickHouse, ...):
`build` takes the input tables as arguments, whichever backend they belong to.

Which rows to rebuild is a partition table, `mart_partitions` (merchant_id, from_day):
a temporary table filled with bound parameters, joined by the marts. A partition means
"this merchant's rows from this day on"; the SQL never contains a merchant's id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import sqlglot.expressions as sge
from ibis.backends.sql.compilers.sqlite import SQLiteCompiler
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    union,
)

from pipelines import compiled


@dataclass(frozen=True)
class Delivery:
    """The delivery a load just wrote: its batch id, the merchants that lost rows it
    moved to another merchant (no day of theirs was written, so they rebuild whole), the
    latest day of data before it, and the merchant-day partitions it dirtied (merchant ->
    first day; `ALL_DAYS` for a merchant rebuilt whole), found before any mart changed."""

    batch_id: int
    whole: tuple[str, ...] = ()
    last_day: date | None = None  # the merchant-day mart's latest day before the delivery
    days: tuple[tuple[str, date], ...] | None = None  # None: not found yet

    def dirty(
        self, connection: Connection, merchant_ids: Sequence[str], tables: Iterable[Table]
    ) -> list[str]:
        """Those of `merchant_ids` the delivery wrote rows of `tables` for, or moved rows
        away from."""
        wrote = union(
            *(select(t.c.merchant_id).where(t.c.batch_id == self.batch_id) for t in tables)
        )
        changed = set(connection.execute(wrote).scalars()) | set(self.whole)
        return [m for m in merchant_ids if m in changed]


# The earliest day a partition can start from: "every day of the merchant".
ALL_DAYS = date(1900, 1, 1)

_work = MetaData()
PARTITIONS = Table(
    "mart_partitions",
    _work,
    Column("merchant_id", String(64), primary_key=True),
    Column("from_day", Date, nullable=False),
    prefixes=["TEMPORARY"],
)
CALENDAR = Table(
    "mart_calendar", _work, Column("day", Date, primary_key=True), prefixes=["TEMPORARY"]
)

# SQLAlchemy dialect name -> sqlglot dialect name.
DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres", "duckdb": "duckdb"}


def ibis_type(column: Column[Any]) -> str:
    """The Ibis type of a SQLAlchemy column (money is float64: the marts add it up and
    the engine keeps its own NUMERIC)."""
    kind = column.type
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, DateTime):
        return "timestamp"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Integer):
        return "int64"
    if isinstance(kind, Numeric | Float) or getattr(kind, "impl", None) is not None:
        return "float64"
    if isinstance(kind, String | Text):
        return "string"
    raise TypeError(f"{column.table.name}.{column.name}: no Ibis type for {kind!r}")


def source(table: Table) -> ir.Table:
    """An unbound Ibis table with the columns of a SQLAlchemy table."""
    return ibis.table({c.name: ibis_type(c) for c in table.columns}, name=table.name)


def to_sql(expr: ir.Expr, dialect: str) -> str:
    """The expression as SQL of a sqlglot dialect (postgres, sqlite, clickhouse, ...)."""
    if dialect == "sqlite":
        query = _SQLiteCompiler().to_sqlglot(expr.unbind())
        return str(query.sql(dialect=_SQLiteCompiler.dialect, pretty=False))
    return str(ibis.to_sql(expr, dialect=dialect, pretty=False))


class _SQLiteCompiler(SQLiteCompiler):
    """Ibis's SQLite compiler, without the functions that would call Python once a row:
    day differences with SQLite's `julianday` (Ibis leaves them to a function it registers
    on its own SQLite connections only), and `floor` from integer casts (SQLAlchemy
    registers Python's `math.floor` as SQLite's `floor` on every connection, which also
    fails on NULL)."""

    def _floor(self, x: Any) -> Any:
        whole = self.cast(sge.paren(x), dt.int64)
        return self.if_(sge.paren(x) < whole, whole - 1, whole)

    def visit_Floor(self, op: Any, *, arg: Any) -> Any:
        return self.cast(self._floor(arg), op.dtype)

    def visit_FloorDivide(self, op: Any, *, left: Any, right: Any) -> Any:
        quotient = self.cast(sge.paren(left), dt.float64) / sge.paren(right)
        return self.cast(self._floor(quotient), op.dtype)

    def visit_DateDelta(self, op: Any, *, left: Any, right: Any, part: Any) -> Any:
        if getattr(part, "this", None) != "day":
            raise ValueError("only day differences are written for SQLite")
        return self.cast(self.f.julianday(left) - self.f.julianday(right), dt.int64)


def dialect_of(connection: Connection) -> str:
    name = connection.dialect.name
    if name not in DIALECTS:
        raise ValueError(f"no mart SQL for the {name!r} engine")
    return DIALECTS[name]


def insert_select(connection: Connection, target: Table, build: Callable[[], ir.Table]) -> int:
    """Insert the rows of the expression `build()` into `target` in the engine; returns
    the rows written. The expression's columns are written to the target's columns of
    the same name. The SQL is compiled once per process, target and dialect (compiling
    costs more than a small partition's rebuild), so `build` must not depend on data."""
    sql = _insert_sql(
        target, build, dialect_of(connection), connection.dialect.identifier_preparer.quote
    )
    result = connection.exec_driver_sql(sql)
    return int(result.rowcount or 0)


@lru_cache(maxsize=32)
def _expression(build: Callable[[], ir.Table]) -> ir.Table:
    return build()


@lru_cache(maxsize=64)
def _columns(build: Callable[[], ir.Table]) -> tuple[tuple[str, str], ...]:
    """The expression's column names and Ibis types."""

    def make() -> list[tuple[str, str]]:
        return [(n, str(t).lstrip("!")) for n, t in _expression(build).schema().items()]

    return tuple(tuple(c) for c in compiled.remembered("columns", build, "", make))


@lru_cache(maxsize=64)
def _insert_sql(
    target: Table, build: Callable[[], ir.Table], dialect: str, quote: Callable[[str], str]
) -> str:
    names = [n for n, _ in _columns(build)]
    missing = [n for n in names if n not in target.c]
    if missing:
        raise ValueError(f"{target.name} has no column {', '.join(missing)}")
    columns = ", ".join(quote(n) for n in names)
    head = f"INSERT INTO {quote(target.name)} ({columns})\n"  # identifiers only
    select_sql = compiled.remembered(
        "select", build, dialect, lambda: to_sql(_expression(build), dialect)
    )
    return head + str(select_sql)


SQL_TYPES: dict[str, Any] = {
    "string": String(200),
    "int64": BigInteger,
    "float64": Float,
    "date": Date,
    "timestamp": DateTime,
    "boolean": Boolean,
}


@lru_cache(maxsize=32)
def work_table(
    name: str, build: Callable[[], ir.Table], index: tuple[str, ...] = ("merchant_id",)
) -> Table:
    """A temporary table with the columns of the expression `build()` (a step of a mart
    that later steps read, so the engine computes it once), indexed on `index` (the later
    steps join on it)."""
    columns = [Column(n, SQL_TYPES[t]) for n, t in _columns(build)]
    table = Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])
    Index(f"ix_{name}", *(table.c[c] for c in index))
    return table


def materialize(
    connection: Connection,
    name: str,
    build: Callable[[], ir.Table],
    index: tuple[str, ...] = ("merchant_id",),
) -> int:
    """Fill the work table `name` with the rows of `build()`; returns the rows written."""
    table = work_table(name, build, index)
    table.drop(connection, checkfirst=True)
    table.create(connection)
    return insert_select(connection, table, build)


def set_partitions(connection: Connection, partitions: Mapping[str, date]) -> None:
    """Fill the work table of partitions to rebuild: merchant -> first day to rebuild."""
    PARTITIONS.create(connection, checkfirst=True)
    connection.execute(delete(PARTITIONS))
    if partitions:
        connection.execute(
            insert(PARTITIONS),
            [{"merchant_id": m, "from_day": d} for m, d in sorted(partitions.items())],
        )


def clear_partitions(connection: Connection, target: Table, day_column: str | None) -> None:
    """Delete the target's rows in the partitions (from each partition's day on, when the
    mart has a day column; otherwise every row of the merchant)."""
    p, t = PARTITIONS.c, target.c
    # IN on the merchant (the marts' keys lead with it: an index range, not a scan of the
    # mart), then the partition's day of that merchant
    condition: ColumnElement[bool] = t.merchant_id.in_(select(p.merchant_id))
    if day_column is not None:
        first = select(p.from_day).where(p.merchant_id == t.merchant_id).scalar_subquery()
        condition = condition & (t[day_column] >= first)
    connection.execute(delete(target).where(condition))


def fill_calendar(connection: Connection, days: Iterable[date | None]) -> None:
    """Make the calendar work table hold every day between the earliest and the latest
    of `days` (the day spine of the day marts)."""
    CALENDAR.create(connection, checkfirst=True)
    known = [d for d in days if d is not None]
    if not known:
        return
    lo, hi = min(known), max(known)
    have = connection.execute(select(func.min(CALENDAR.c.day), func.max(CALENDAR.c.day))).one()
    if have[0] is not None and have[0] <= lo and have[1] >= hi:
        return
    connection.execute(delete(CALENDAR))
    span = (hi - lo).days + 1
    connection.execute(insert(CALENDAR), [{"day": lo + timedelta(days=k)} for k in range(span)])
