"""The watcher's lock: one row in `watcher_lock` per database, refreshed by a heartbeat.
A second watcher refuses to start while the row is fresh; a row whose heartbeat is older
than the stale limit belonged to a service that died, and is taken over."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from models.schema import table_of
from models.schema_alerts import WatcherLock
from pipelines import sources

if TYPE_CHECKING:
    from pipelines.watch import WatchConfig

LOCK_NAME = "watcher"
STALE_SECONDS = 300.0  # longer than a big load, during which the scan job cannot beat
_L = table_of(WatcherLock).c


class AlreadyRunning(RuntimeError):
    """Another watcher holds the lock on this database."""


# --- the lock ----------------------------------------------------------------------------


def _take(engine: Engine, values: dict[str, object], *, holder: str, stale: datetime) -> bool:
    """Take a free or stale lock (or our own); False when another watcher holds it or
    inserted the row first."""
    try:
        with engine.begin() as connection:
            taken = connection.execute(
                update(table_of(WatcherLock))
                .where(_L.name == LOCK_NAME, (_L.heartbeat_at < stale) | (_L.holder == holder))
                .values(**values)
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
    if _take(engine, values, holder=holder, stale=stale):
        return
    with engine.connect() as connection:
        row = connection.execute(select(table_of(WatcherLock))).first()
    who = f"{row.holder}, watching {row.folder}, alive at {row.heartbeat_at}" if row else "?"
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
