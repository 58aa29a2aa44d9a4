"""One load at a time per database.

A load takes the lock by inserting the one row of `load_lock` in a transaction of its
own (committed before the load's own transaction starts, so anyone can read who holds
it), and deletes it when it ends, whatever the outcome. A second load finds the row and
waits for it to go, or gives up with who holds it and since when. A lock whose process
is gone (a load killed on this machine) is taken over; one held from another machine
counts as stale after `STALE_AFTER`.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from models.schema import LoadLock, table_of

log = logging.getLogger(__name__)

LOCK_NAME = "load"
STALE_AFTER = timedelta(hours=12)
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Holder:
    holder: str
    source: str
    host: str
    pid: int
    since: datetime


class LoadRunning(Exception):
    """Another load holds the database's lock."""

    def __init__(self, holder: Holder | None) -> None:
        self.holder = holder
        if holder is None:
            text = "another load is running on this database"
        else:
            who = holder.holder or "someone"
            text = (
                f"a load is running since {holder.since:%H:%M} ({holder.since:%Y-%m-%d}), "
                f"started by {who} from {holder.source or '?'} (process {holder.pid} on "
                f"{holder.host or '?'})"
            )
        super().__init__(text)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _stale(row: Holder, now: datetime) -> bool:
    if row.host == socket.gethostname():
        return not _pid_alive(row.pid)
    return now - row.since > STALE_AFTER


def current_holder(engine: Engine) -> Holder | None:
    """Who holds the lock now (None: nobody)."""
    table = table_of(LoadLock)
    with engine.connect() as connection:
        row = connection.execute(select(table).where(table.c.name == LOCK_NAME)).first()
    if row is None:
        return None
    return Holder(row.holder, row.source, row.host, row.pid, row.since)


def _try_take(engine: Engine, token: str, holder: str, source: str, now: datetime) -> bool:
    table = table_of(LoadLock)
    held = current_holder(engine)
    with engine.begin() as connection:
        if held is not None:
            if not _stale(held, now):
                return False
            connection.execute(delete(table).where(table.c.name == LOCK_NAME))
        connection.execute(
            insert(table).values(
                name=LOCK_NAME,
                token=token,
                holder=holder[:200],
                source=source[-500:],
                host=socket.gethostname()[:200],
                pid=os.getpid(),
                since=now,
            )
        )
    return True


def _attempt(engine: Engine, token: str, holder: str, source: str, now: datetime) -> bool:
    """One try at the lock: False while another load holds it or is taking it."""
    try:
        return _try_take(engine, token, holder, source, now)
    except IntegrityError:  # another load inserted the row between our look and our insert
        return False
    except OperationalError as exc:
        if "locked" not in str(exc).lower():
            raise
        return False  # SQLite: another load's transaction holds the write lock


@contextmanager
def load_lock(
    engine: Engine, *, holder: str, source: str, now: datetime, wait_seconds: float = 0
) -> Iterator[None]:
    """Hold the database's load lock for the block; raise LoadRunning if another load
    still holds it after `wait_seconds`."""
    token = uuid.uuid4().hex
    deadline = time.monotonic() + wait_seconds
    while not _attempt(engine, token, holder, source, now):
        if time.monotonic() >= deadline:
            raise LoadRunning(current_holder(engine))
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        table = table_of(LoadLock)
        try:
            with engine.begin() as connection:
                connection.execute(
                    delete(table).where(table.c.name == LOCK_NAME, table.c.token == token)
                )
        except OperationalError:
            # The database went away under the load: the lock goes stale with this process.
            log.warning("could not release the load lock", exc_info=True)
