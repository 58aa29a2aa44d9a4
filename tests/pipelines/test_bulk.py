"""The bulk writer: rows written through the driver read back exactly as SQLAlchemy
itself would have written them, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    text,
)

from models.db import read_frame
from models.schema import Money
from pipelines import bulk, load_file
from pipelines.bulk import write_frame
from pipelines.load import load_delivery, upsert

metadata = MetaData()
sample = Table(
    "bulk_sample",
    metadata,
    Column("key", String(8), primary_key=True),
    Column("day", Date),
    Column("at", DateTime),
    Column("amount", Money()),
    Column("count", Integer, default=7),
    Column("note", String(20)),
)


@pytest.fixture
def db(engine: Engine) -> Engine:
    metadata.create_all(engine)
    return engine


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": ["a", "b"],
            "day": [date(2024, 2, 9), None],
            "at": pd.to_datetime(["2024-02-09 20:15:01", None]),
            "amount": [1234.5, float("nan")],
            "note": ["春节", None],
        }
    )


def read(db: Engine) -> pd.DataFrame:
    return read_frame(db, select(sample).order_by(sample.c.key))


def test_values_round_trip_missing_values_become_null_and_defaults_fill(db: Engine) -> None:
    with db.begin() as connection:
        write_frame(connection, insert(sample), frame())
    got = read(db)
    assert got["key"].tolist() == ["a", "b"]
    assert got.loc[0, "day"] == date(2024, 2, 9)
    assert got.loc[0, "at"] == datetime(2024, 2, 9, 20, 15, 1)
    assert got.loc[0, "amount"] == 1234.5
    assert got.loc[0, "note"] == "春节"
    assert got["count"].tolist() == [7, 7]  # the column's Python default, as SQLAlchemy would
    with db.connect() as connection:
        nulls = connection.execute(
            select(
                func.count(sample.c.day),
                func.count(sample.c.at),
                func.count(sample.c.amount),
                func.count(sample.c.note),
            )
        ).one()
    assert tuple(nulls) == (1, 1, 1, 1)  # NaN, NaT and None are all NULL, not 'NaN'


def test_matches_what_sqlalchemy_writes_row_by_row(db: Engine) -> None:
    rows = frame().assign(key=["c", "d"])
    records = rows.astype(object).where(rows.notna(), None).to_dict("records")
    with db.begin() as connection:
        write_frame(connection, insert(sample), frame())
        connection.execute(insert(sample), records)
    got = read(db)
    ours = got.iloc[:2].drop(columns="key").reset_index(drop=True)
    theirs = got.iloc[2:].drop(columns="key").reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs)


def test_upsert_replaces_by_key_and_keeps_the_rest(db: Engine) -> None:
    with db.begin() as connection:
        upsert(connection, sample, frame())
        upsert(connection, sample, frame().iloc[[0]].assign(amount=99.0, note="again"))
    got = read(db)
    assert got["key"].tolist() == ["a", "b"]
    assert got.loc[0, "amount"] == 99.0
    assert got.loc[0, "note"] == "again"
    assert pd.isna(got.loc[1, "amount"])


def test_small_batches_write_every_row(db: Engine) -> None:
    many = pd.DataFrame({"key": [f"k{i}" for i in range(23)], "amount": range(23)})
    with db.begin() as connection:
        write_frame(connection, insert(sample), many, batch=5)
    got = read(db)
    assert len(got) == 23
    assert got["amount"].sum() == sum(range(23))


def test_an_empty_frame_writes_nothing(db: Engine) -> None:
    with db.begin() as connection:
        write_frame(connection, insert(sample), frame().iloc[0:0])
    assert read(db).empty


def test_a_column_the_table_lacks_is_an_error_not_dropped(db: Engine) -> None:
    with db.begin() as connection, pytest.raises(ValueError, match="bulk_sample has no column"):
        write_frame(connection, insert(sample), frame().assign(colour="red"))


def test_upsert_keeps_text_copy_would_mangle_and_the_last_of_a_repeated_key(db: Engine) -> None:
    """PostgreSQL upserts go through COPY: tabs, line breaks, backslashes, quotes and a
    literal \\N come back as written; a key given twice keeps its last row."""
    awkward = ["tab\there", "line\nbreak", "back\\slash", 'quo"te', "\\N", ""]
    rows = pd.DataFrame(
        {
            "key": [f"t{i}" for i in range(len(awkward))] + ["t0"],
            "note": awkward + ["last"],
            "day": pd.to_datetime(["2024-02-09"] * len(awkward) + ["2024-02-10"]),
        }
    )
    with db.begin() as connection:
        upsert(connection, sample, rows)
    got = read(db).set_index("key")
    assert got.loc["t0", "note"] == "last"
    assert got.loc["t0", "day"] == date(2024, 2, 10)
    assert got["note"].tolist()[1:] == awkward[1:]
    assert got.loc["t1", "day"] == date(2024, 2, 9)


def test_copy_built_column_wise_reads_back_as_row_by_row_copy(
    db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL's COPY text built by Arrow gives the rows psycopg's write_row gives:
    escapes, missing values, floats written in exponent form, counts and times."""
    rows = pd.DataFrame(
        {
            "key": [f"k{i}" for i in range(6)],
            "day": pd.to_datetime(["2024-02-09", None, "1969-12-31", "2024-02-10", None, None]),
            "at": pd.to_datetime(
                ["2024-02-09 20:15:01.25", None, "1969-12-31 23:59:59.00", None, None, None]
            ),
            "amount": [1234.5, float("nan"), 1e-7, 12345678901.25, 0.1, -0.0],
            "count": pd.array([1, None, 3, 0, -2, 99], dtype="Int64"),
            "note": ["tab\there", "cr\rlf\n", "back\\slash\\N", None, "门店", ""],
        }
    )
    with db.begin() as connection:
        upsert(connection, sample, rows)
    fast = read(db)
    with db.begin() as connection:
        connection.execute(sample.delete())
    monkeypatch.setattr(bulk, "_copy_text", lambda *_args: None)
    with db.begin() as connection:
        upsert(connection, sample, rows)
    pd.testing.assert_frame_equal(fast, read(db))
    assert fast["note"].tolist()[:3] == ["tab\there", "cr\rlf\n", "back\\slash\\N"]


def _secondary_indexes(connection: Connection, table: str) -> set[tuple[str, str]]:
    """(name, definition) of the table's indexes other than unique ones (its key)."""
    if connection.dialect.name == "sqlite":
        stmt = text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t "
            "AND sql IS NOT NULL"
        )
    else:
        stmt = text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :t "
            "AND schemaname = current_schema() AND indexdef NOT LIKE 'CREATE UNIQUE%'"
        )
    return {(name, sql) for name, sql in connection.execute(stmt, {"t": table})}


def test_a_first_sqlite_load_builds_the_secondary_indexes_after_its_rows_a_redelivery_keeps_them(
    engine: Engine, tiny_delivery_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with engine.connect() as connection:
        created = _secondary_indexes(connection, "orders")
    assert len(created) >= 3  # as the migrations create them
    seen: list[set[tuple[str, str]]] = []
    real_upsert = load_file.upsert

    def watching(connection: Connection, table: Table, rows: pd.DataFrame) -> None:
        if table.name == "orders":
            seen.append(_secondary_indexes(connection, "orders"))
        real_upsert(connection, table, rows)

    monkeypatch.setattr(load_file, "upsert", watching)
    first = load_delivery(tiny_delivery_dir, engine=engine, loaded_by="tests")
    # SQLite builds them after the rows; PostgreSQL keeps them (see pipelines/bulk.py).
    during = set() if engine.dialect.name == "sqlite" else created
    assert first.status == "loaded" and seen == [during]
    with engine.connect() as connection:
        assert _secondary_indexes(connection, "orders") == created

    again = load_delivery(tiny_delivery_dir, engine=engine, loaded_by="tests")
    assert again.status == "loaded" and seen[1:] == [created]
    with engine.connect() as connection:
        assert _secondary_indexes(connection, "orders") == created
