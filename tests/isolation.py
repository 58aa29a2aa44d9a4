"""How the suite notices a test writing into a database it shares with other tests.

The session's demo databases are built once and read by hundreds of tests; a test that
writes (a note, a user, a remembered language, an audit line) takes `demo_db_copy` instead.
`SqliteWrites` asks SQLite itself whether anything was committed since it last looked
(`PRAGMA data_version` moves when another connection commits: one cheap query a test);
`fingerprint` reads a database's tables (row counts, and every row of the small ones) to
compare a PostgreSQL demo schema at the end of the session with what was built."""

from __future__ import annotations

import hashlib
import sqlite3

from sqlalchemy import Engine, func, inspect, literal_column, select, table

SMALL_TABLE = 20_000  # rows: tables up to this size are compared row by row


class SqliteWrites:
    """Watches one SQLite file for commits by any other connection."""

    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(path, isolation_level=None)
        self._seen = self._version()

    def _version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def written(self) -> bool:
        """Whether a commit happened since the last call (or since watching began)."""
        now = self._version()
        changed, self._seen = now != self._seen, now
        return changed

    def close(self) -> None:
        self._connection.close()


def fingerprint(engine: Engine) -> dict[str, str]:
    """Per table: its row count, and a hash of its rows when it is small."""
    found: dict[str, str] = {}
    with engine.connect() as connection:
        for name in sorted(inspect(connection).get_table_names()):
            rows = connection.execute(select(func.count()).select_from(table(name))).scalar_one()
            if rows > SMALL_TABLE:
                found[name] = f"{rows} rows"
                continue
            digest = hashlib.sha256()
            every_row = select(literal_column("*")).select_from(table(name))
            for row in sorted(map(repr, connection.execute(every_row))):
                digest.update(row.encode())
            found[name] = f"{rows} rows {digest.hexdigest()[:16]}"
    return found


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
