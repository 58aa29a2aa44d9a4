"""The suite's guard on its shared databases (tests/isolation.py) sees a write, and only a
write: the fixture in tests/conftest.py fails a test on what these report."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from tests.isolation import SqliteWrites, changed_tables, fingerprint


def _database(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, lang TEXT)")
        connection.execute("INSERT INTO users (lang) VALUES (NULL)")
    return path


def test_a_commit_by_another_connection_is_seen_once(tmp_path: Path) -> None:
    path = _database(tmp_path / "shared.db")
    watch = SqliteWrites(str(path))
    other = sqlite3.connect(path)
    other.execute("SELECT count(*) FROM users").fetchone()  # reading is not writing
    assert not watch.written()
    with other:
        other.execute("UPDATE users SET lang = 'zh'")
    assert watch.written()
    assert not watch.written()  # seen: the next test starts clean
    other.close()
    watch.close()


def test_a_changed_row_changes_the_fingerprint(tmp_path: Path) -> None:
    path = _database(tmp_path / "shared.db")
    engine = create_engine(f"sqlite:///{path}")
    built = fingerprint(engine)
    assert changed_tables(built, fingerprint(engine)) == []
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE users SET lang = 'zh'")
    assert changed_tables(built, fingerprint(engine)) == ["users"]
    engine.dispose()
