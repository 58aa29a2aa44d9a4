"""Engines and schema upgrades, the same way for SQLite and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Executable, create_engine, event, inspect

from models.settings import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: the app keeps reading while a load writes; readers never block the writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _read_only(path: Path) -> bool:
    """An existing SQLite file this process may not write (or whose folder it may not
    write, where SQLite keeps its journal)."""
    return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _sqlite_read_only_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite files get WAL mode and their folder created. A SQLite
    file this process may not write is opened read-only (`mode=ro`), so it can still be
    read; any write then fails with SQLite's "readonly database"."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and "?" not in path:
            file = Path(path)
            if _read_only(file):
                engine = create_engine(
                    "sqlite://",
                    creator=lambda: sqlite3.connect(
                        f"{file.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
                    ),
                    **kwargs,
                )
                event.listen(engine, "connect", _sqlite_read_only_pragmas)
                return engine
            file.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def read_frame(bind: Engine | Connection, stmt: Executable) -> pd.DataFrame:
    """The rows of a query as a DataFrame with the query's column names.

    Rows go to pandas as plain tuples: given SQLAlchemy's Row objects, pandas probes each
    one attribute by attribute, which is five times slower on large results."""
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return read_frame(connection, stmt)
    result = bind.execute(stmt)
    columns = list(result.keys())
    return pd.DataFrame([tuple(row) for row in result.fetchall()], columns=columns)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema in place with the Alembic migrations (one line: a new
    migration revises the head, tests/models/test_migrations.py fails on a second head).
    A database already at the head is left as it is after reading its version (every
    load starts here: Alembic's upgrade command at the head costs 0.3 CPU s more)."""
    config = alembic_config()
    if revision == "head" and current_revisions(engine) == _heads(config):
        return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> set[str]:
    return _heads(alembic_config())


def _heads(config: Config) -> set[str]:
    return set(ScriptDirectory.from_config(config).get_heads())


def is_up_to_date(engine: Engine) -> bool:
    return current_revisions(engine) == head_revisions()


def has_data(engine: Engine) -> bool:
    """True when the schema exists and at least one merchant is loaded."""
    if "merchants" not in inspect(engine).get_table_names():
        return False
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT 1 FROM merchants LIMIT 1").first() is not None


def data_version(engine: Engine) -> int:
    """A number that changes whenever a delivery commits (the latest load batch id; 0 when
    nothing was ever loaded): cached reads keyed on it see a new delivery at once."""
    if "load_batches" not in inspect(engine).get_table_names():
        return 0
    with engine.connect() as connection:
        found = connection.exec_driver_sql("SELECT MAX(batch_id) FROM load_batches").scalar()
    return int(found or 0)
