"""The watcher's lock: one row in `watcher_lock` per database, refreshed by a heartbeat.
A second watcher refuses to start while the row is fresh; a row whose heartbeat is older
than the stale limit belonged to a service that died, and is taken over. So is, at once, a
row whose holder ran on this machine under a process id that no longer exists (a service
killed with SIGKILL and started again by its operator or by systemd)."""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from models.schema import table_of
from models.schema_alerts import WatcherLock
from pipelines import sources

if TYPE_CHECKING:
    from pipelines.watch import WatchConfig

log = logging.getLogger(__name__)

LOCK_NAME = "watcher"
STALE_SECONDS = 300.0  # longer than a big load, during which the scan job cannot beat
_L = table_of(WatcherLock).c


class AlreadyRunning(RuntimeError):
    """Another watcher holds the lock on this database."""


# --- the lock ----------------------------------------------------------------------------


def holder_name(instance: object) -> str:
    """Who holds the lock: this machine, this process, this watcher."""
    return f"{socket.gethostname()}:{os.getpid()}:{id(instance):x}"


def _process_here(holder: str) -> bool | None:
    """Whether `holder`'s process runs on this machine (None: another machine's, or this
    process's own, which the caller knows about)."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def died_here(holder: str) -> bool:
    """Whether `holder` ran on this machine as a process that no longer exists."""
    return _process_here(holder) is False


def alive_here(holder: str) -> bool:
    """Whether `holder` runs on this machine now (its heartbeat may lag behind a long
    SQLite load, which holds the database's one write lock)."""
    return _process_here(holder) is True


def _take(
    engine: Engine,
    values: dict[str, object],
    *,
    holder: str,
    stale: datetime,
    dead: str | None = None,
) -> bool:
    """Take a free or stale lock (or our own, or a `dead` holder's); False when another
    watcher holds it or inserted the row first."""
    mine = (_L.heartbeat_at < stale) | (_L.holder == holder)
    if dead is not None:
        mine = mine | (_L.holder == dead)
    try:
        with engine.begin() as connection:
            taken = connection.execute(
                update(table_of(WatcherLock)).where(_L.name == LOCK_NAME, mine).values(**values)
            ).rowcount
            if taken:
                return True
            if connection.execute(select(_L.holder).where(_L.name == LOCK_NAME)).first() is None:
                connection.execute(insert(table_of(WatcherLock)).values(name=LOCK_NAME, **values))
                return True
    except IntegrityError:  # another watcher inserted the row first
        return False
    return False


def acquire_lock(engine: Engine, *, holder: str, config: WatchConfig, now: datetime) -> None:
    """Take the lock, or raise `AlreadyRunning` naming who holds it."""
    values = {
        "holder": holder,
        "folder": str(config.folder),
        "source": sources.safe_url(config.source_url) if config.source_url else "",
        "schedule": config.every or "",
        "started_at": now,
        "heartbeat_at": now,
    }
    stale = now - timedelta(seconds=config.stale_seconds)
    with engine.connect() as connection:
        row = connection.execute(select(table_of(WatcherLock))).first()
    if row is None or not alive_here(row.holder):
        if _take(engine, values, holder=holder, stale=stale):
            return
        with engine.connect() as connection:
            row = connection.execute(select(table_of(WatcherLock))).first()
    if row is not None and died_here(row.holder):
        log.warning("watcher %s died without releasing its lock; taking it over", row.holder)
        if _take(engine, values, holder=holder, stale=stale, dead=row.holder):
            return
    who = (
        f"{row.holder}, watching {row.folder}, last heard from at "
        f"{row.heartbeat_at:%Y-%m-%d %H:%M:%S} ({config.timezone})"
        if row
        else "?"
    )
    raise AlreadyRunning(f"another watcher runs on this database ({who})")


def heartbeat(engine: Engine, *, holder: str, now: datetime) -> bool:
    """Refresh the lock; False when it is no longer ours (taken over: stop)."""
    with engine.begin() as connection:
        return bool(
            connection.execute(
                update(table_of(WatcherLock))
                .where(_L.name == LOCK_NAME, _L.holder == holder)
                .values(heartbeat_at=now)
            ).rowcount
        )


def release_lock(engine: Engine, *, holder: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            delete(table_of(WatcherLock)).where(_L.name == LOCK_NAME, _L.holder == holder)
        )
