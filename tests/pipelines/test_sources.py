"""A database source: one query per contract entity, pulled from a second database
(SQLite, then PostgreSQL) on the schedule and loaded as a delivery."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.schema import CreateSchema, DropSchema

from models.schema import MartMerchantDay, Merchant, Order, table_of
from pipelines import sources
from pipelines.watch import WatchConfig, Watcher
from tests.conftest import PG_URL, unavailable

QUERIES = """
[queries]
merchants = '''SELECT code AS merchant_id, title AS name, sector AS industry,
    intake AS cohort_id, shops AS store_count FROM crm_merchants'''
orders = '''SELECT ref AS order_id, shop AS merchant_id, placed AS ordered_at,
    via AS channel, amount AS gmv FROM sales'''
"""
ROWS_MERCHANTS = [
    {"code": "M1", "title": "Alpha Tea", "sector": "food_beverage", "intake": None, "shops": 2},
    {"code": "M2", "title": "Beta Wear", "sector": "apparel", "intake": None, "shops": None},
]
ROWS_ORDERS = [
    {"ref": "O1", "shop": "M1", "placed": "2024-03-01 10:00:00", "via": "store", "amount": 120.5},
    {
        "ref": "O2",
        "shop": "M1",
        "placed": "2024-03-02 11:00:00",
        "via": "mini_program",
        "amount": 80,
    },
    {"ref": "O3", "shop": "M2", "placed": "2024-03-02 12:30:00", "via": "community", "amount": 40},
]


def _fill(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE crm_merchants (code VARCHAR(10), title VARCHAR(50), "
                "sector VARCHAR(20), intake VARCHAR(10), shops INTEGER)"
            )
        )
        connection.execute(
            text(
                "CREATE TABLE sales (ref VARCHAR(10), shop VARCHAR(10), placed VARCHAR(20), "
                "via VARCHAR(20), amount NUMERIC(12, 2))"
            )
        )
        connection.execute(
            text("INSERT INTO crm_merchants VALUES (:code, :title, :sector, :intake, :shops)"),
            ROWS_MERCHANTS,
        )
        connection.execute(
            text("INSERT INTO sales VALUES (:ref, :shop, :placed, :via, :amount)"), ROWS_ORDERS
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def source_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_problem: str | None
) -> Iterator[str]:
    """A second database holding the merchant's own tables."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'source.db'}"
        engine = create_engine(url)
        _fill(engine)
        engine.dispose()
        yield url
        return
    if pg_problem:
        unavailable(pg_problem)
    schema = f"src_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    engine = create_engine(url)
    _fill(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()


def test_the_schedule_pulls_the_source_and_loads_it(
    sqlite_engine: Engine, source_url: str, tmp_path: Path
) -> None:
    queries_file = tmp_path / "queries.toml"
    queries_file.write_text(QUERIES)
    drop = tmp_path / "drop"
    config = WatchConfig(
        folder=drop,
        scan_seconds=3600,
        source_url=source_url,
        queries=sources.read_queries(queries_file),
        every="0 * * * *",
    )
    watcher = Watcher(sqlite_engine, config)
    watcher.start()
    try:
        watcher.on_schedule()
    finally:
        watcher.stop()
    with sqlite_engine.connect() as connection:
        merchants = connection.execute(
            select(Merchant.merchant_id, Merchant.store_count).order_by(Merchant.merchant_id)
        ).all()
        orders = connection.execute(select(func.count()).select_from(table_of(Order))).scalar()
        gmv = connection.execute(select(func.sum(table_of(MartMerchantDay).c.gmv))).scalar()
    assert [tuple(m) for m in merchants] == [("M1", 2), ("M2", None)]
    assert orders == 3 and gmv == pytest.approx(240.5)
    [filed] = (drop / "done").iterdir()
    assert filed.name.startswith("db-")
    assert sorted(p.name for p in filed.iterdir()) == [
        "READY",
        "merchants.csv",
        "orders.csv",
        "report.json",
    ]


def test_a_failing_query_leaves_nothing_in_the_drop_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(Exception, match="no such table"):
        sources.pull(
            url, {"merchants": "SELECT * FROM missing"}, tmp_path, now=datetime(2024, 3, 20, 9, 0)
        )
    assert list(tmp_path.iterdir()) == [tmp_path / "empty.db"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("[queries]\nbuyers = 'SELECT 1'\n", "buyers is not a contract file"),
        ("[other]\n", "no \\[queries\\] table"),
        ("[queries]\norders = ''\n", "orders is empty"),
        ("[queries\n", "cannot read"),
    ],
)
def test_a_bad_queries_file_is_named_with_its_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "q.toml"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        sources.read_queries(path)


def test_the_password_never_shows() -> None:
    assert "s3cret" not in sources.safe_url("postgresql+psycopg://u:s3cret@db/x")
