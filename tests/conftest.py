"""Shared fixtures: a fresh database per test on SQLite and PostgreSQL, deliveries on disk,
and the demo programme loaded once per session.

The session's demo databases are shared, so they are read-only to tests: a test that
writes takes `demo_db_copy`. A test that commits anything into the SQLite one fails (checked
after every test, `tests/isolation.py`), and the PostgreSQL one is compared table by table
with what was built when the session ends.

PostgreSQL comes from GROWTH_TEST_PG_URL (default: the local server's `test` database).
Each test gets its own schema there. Under CI=true a missing server or browser fails the
run instead of skipping.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.schema import CreateSchema, DropSchema

from models.db import make_engine, upgrade
from tests.isolation import SqliteWrites, changed_tables, fingerprint

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("GROWTH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FIXTURES = Path(__file__).parent / "fixtures"


def unavailable(reason: str) -> None:
    """Skip locally; fail under CI, where everything must be installed."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure)")
    pytest.skip(reason)


def _pg_reachable() -> str | None:
    try:
        probe = create_engine(PG_URL)
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
        probe.dispose()
    except Exception as exc:  # any driver error means: no server here
        return f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}"
    return None


@pytest.fixture(scope="session")
def pg_problem() -> str | None:
    return _pg_reachable()


def _pg_engine(pg_problem: str | None) -> Iterator[Engine]:
    if pg_problem:
        unavailable(pg_problem)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    engine = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()


def _sqlite_engine(folder: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{folder / 'test.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path: Path, pg_problem: str | None
) -> Iterator[Engine]:
    """A fresh, migrated, empty database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        yield from _sqlite_engine(tmp_path)
    else:
        yield from _pg_engine(pg_problem)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    yield from _sqlite_engine(tmp_path)


def copy_delivery(name: str, into: Path) -> Path:
    """A copy of a delivery under tests/fixtures, so a test may change it."""
    target = into / name
    shutil.copytree(FIXTURES / name, target)
    return target


@pytest.fixture
def tiny_delivery_dir(tmp_path: Path) -> Path:
    """A small valid delivery (two cohorts' worth of merchants, a few orders each)."""
    return copy_delivery("tiny", tmp_path)


@pytest.fixture
def bad_delivery_dir(tmp_path: Path) -> Path:
    """The tiny delivery with an orders.csv that breaks several rules."""
    folder = copy_delivery("tiny", tmp_path)
    shutil.copy(FIXTURES / "bad_orders.csv", folder / "orders.csv")
    return folder


@pytest.fixture(scope="session")
def demo_delivery_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scale-s demo delivery, generated once per session."""
    from pipelines.demo import generate_demo

    folder = tmp_path_factory.mktemp("demo") / "delivery"
    generate_demo(folder, scale="s", seed=2018)
    return folder


_SHARED_SQLITE: list[SqliteWrites] = []


@pytest.fixture(scope="session")
def demo_db_url(tmp_path_factory: pytest.TempPathFactory, demo_delivery_dir: Path) -> Iterator[str]:
    """A SQLite database with the demo programme loaded and demo mode declared (C2018A
    reads +376%), and every one-scope test account; read-only to tests."""
    from models.demo_state import declare_demo
    from pipelines.load import load_delivery
    from tests.pages.apptest import seed_users

    path = tmp_path_factory.mktemp("demo_db") / "growth.db"
    url = f"sqlite:///{path}"
    demo_engine = make_engine(url)
    upgrade(demo_engine)
    report = load_delivery(demo_delivery_dir, engine=demo_engine, loaded_by="demo builder")
    assert report.ok and report.batch_id is not None, report.message
    # what pipelines.bootstrap.build_demo does on the embedded file
    declare_demo(demo_engine, batch_id=report.batch_id)
    seed_users(demo_engine)
    demo_engine.dispose()
    watch = SqliteWrites(str(path))
    _SHARED_SQLITE.append(watch)
    yield url
    _SHARED_SQLITE.remove(watch)
    watch.close()


@pytest.fixture(autouse=True)
def _shared_demo_database_not_written() -> Iterator[None]:
    """Fails the test that committed anything into the session's SQLite demo database."""
    yield
    written = [watch.written() for watch in _SHARED_SQLITE]  # each one looks, and resets
    if any(written):
        pytest.fail(
            "this test wrote into the session's demo database (demo_db_url), which other "
            "tests read: take `demo_db_copy` for a test that writes",
            pytrace=False,
        )


def copy_sqlite(url: str, target: Path) -> str:
    """A consistent copy of a SQLite database (the backup API, not a file copy)."""
    source, copy = sqlite3.connect(url.removeprefix("sqlite:///")), sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    return f"sqlite:///{target}"


@pytest.fixture
def demo_db_copy(demo_db_url: str, tmp_path: Path) -> str:
    """A copy of the demo database for one test that writes (notes, users, segments,
    campaigns, margin rates, assessments): the session's database stays as it was built,
    so no test depends on what another one wrote."""
    return copy_sqlite(demo_db_url, tmp_path / "growth.db")


@pytest.fixture(scope="session")
def ground_truth(demo_delivery_dir: Path) -> dict[str, Any]:
    """What the demo generator put in (`ground_truth.json` beside the delivery): the
    expected values of tests on the demo programme are read here, never copied by hand."""
    return dict(json.loads((demo_delivery_dir / "ground_truth.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def demo_pg_url(demo_delivery_dir: Path, pg_problem: str | None) -> Iterator[str]:
    """The demo programme loaded into a PostgreSQL schema of its own (once per session)."""
    from pipelines.load import load_delivery
    from tests.pages.apptest import seed_users

    if pg_problem:
        unavailable(pg_problem)
    schema = f"demo_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        report = load_delivery(demo_delivery_dir, engine=engine, loaded_by="demo")
        assert report.ok, report.message
        seed_users(engine)
        built = fingerprint(engine)
        engine.dispose()
        yield url
        changed = changed_tables(built, fingerprint(engine))
        assert not changed, (
            f"tests wrote into the session's PostgreSQL demo schema (tables {changed}), which "
            "other tests read: a test that writes takes a database of its own"
        )
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_any_url(request: pytest.FixtureRequest) -> str:
    """The demo database on SQLite, then on PostgreSQL."""
    name = "demo_db_url" if request.param == "sqlite" else "demo_pg_url"
    return str(request.getfixturevalue(name))
