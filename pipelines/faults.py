"""Faults of the database under a load, each said in one line: what happened, that
nothing was changed, and what to do. No traceback reaches the operator.

`describe` recognises the database errors a load can meet (SQLite and PostgreSQL alike)
and returns a `Fault`; anything else is not a known fault (None) and is reported as an
unexpected error by the caller, with the details in the log.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

NOTHING_CHANGED = "nothing was changed"


@dataclass(frozen=True)
class Fault:
    kind: str  # disk_full | read_only | corrupt | unreachable | refusing | busy
    what: str
    todo: str

    def line(self) -> str:
        return f"{self.what}; {NOTHING_CHANGED}. {self.todo}"


# (kind, substrings of the driver's message, what happened, what to do)
_KNOWN: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    (
        "disk_full",
        ("database or disk is full", "no space left on device", "could not extend file"),
        "the disk holding the database is full",
        "Free some space (or move the database) and load the delivery again.",
    ),
    (
        "read_only",
        (
            "attempt to write a readonly database",
            "read-only transaction",
            "readonly database",
            "unable to open database file",
        ),
        "the database cannot be written (a read-only file or folder, or a read-only server)",
        "Give the loading user write access to the database file and its folder, or point "
        "--db at a writable database, then load again.",
    ),
    (
        "corrupt",
        ("file is not a database", "database disk image is malformed", "file is encrypted"),
        "the database file is damaged or is not a database",
        "Restore it from a backup, or point --db at a fresh file (the schema is created) "
        "and load the deliveries again.",
    ),
    (
        "busy",
        ("database is locked", "could not obtain lock", "lock timeout"),
        "another process holds the database's write lock",
        "Wait for the other load or write to finish, then load again.",
    ),
    (
        "refusing",
        (
            "password authentication failed",
            "too many connections",
            "fatal:",
            "no pg_hba.conf entry",
            "permission denied",
            "the database system is starting up",
            "the database system is shutting down",
        ),
        "the database server refused the connection",
        "Check the user, password and database name in --db / GROWTH_DB_URL and that the "
        "server accepts this user, then load again.",
    ),
    (
        "unreachable",
        (
            "connection refused",
            "could not connect",
            "could not translate host name",
            "name or service not known",
            "timeout expired",
            "server closed the connection",
            "connection timed out",
            "network is unreachable",
            "connection is lost",
        ),
        "the database server cannot be reached",
        "Check that PostgreSQL is running and that the host and port in --db / "
        "GROWTH_DB_URL are right, then load again.",
    ),
)


def _text(exc: BaseException) -> str:
    parts = [str(exc)]
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        parts.append(str(exc.orig))
    cause = exc.__cause__
    if cause is not None:
        parts.append(str(cause))
    return " ".join(parts).lower()


def _from_a_database(exc: BaseException) -> bool:
    """Only the database's own errors are read for a fault (a message of ours that
    happens to say "disk full" is not one)."""
    if isinstance(exc, DBAPIError):
        return True
    return type(exc).__module__.startswith(("sqlite3", "psycopg"))


def describe(exc: BaseException) -> Fault | None:
    """The known fault `exc` is, or None."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return Fault("disk_full", _KNOWN[0][2], _KNOWN[0][3])
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES):
        return Fault("read_only", _KNOWN[1][2], _KNOWN[1][3])
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if sqlstate == "53100":  # PostgreSQL disk_full
        return Fault("disk_full", _KNOWN[0][2], _KNOWN[0][3])
    if sqlstate == "25006":  # read_only_sql_transaction
        return Fault("read_only", _KNOWN[1][2], _KNOWN[1][3])
    if not _from_a_database(exc):
        return None
    text = _text(exc)
    for kind, needles, what, todo in _KNOWN:
        if any(needle in text for needle in needles):
            return Fault(kind, what, todo)
    return None
