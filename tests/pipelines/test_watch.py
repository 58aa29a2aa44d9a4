"""The watcher as a service: deliveries dropped in a folder are loaded once complete, filed
with their report, and loaded exactly once across a restart; one instance at a time."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select

from models.clock import utcnow
from models.schema import LoadBatch, table_of
from models.schema_alerts import WatchedDelivery
from pipelines import watch
from pipelines.load import load_delivery
from pipelines.watch import WatchConfig, Watcher
from pipelines.watch_lock import AlreadyRunning
from tests.conftest import FIXTURES

_B = table_of(LoadBatch).c
_W = table_of(WatchedDelivery).c
WAIT_SECONDS = 60


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _drop(folder: Path, name: str, ready: bool = True) -> Path:
    target = folder / name
    shutil.copytree(FIXTURES / "tiny", target, copy_function=shutil.copy)
    os.utime(target)  # copytree copies the folder's times too: this one was written now
    if ready:
        (target / "READY").write_text("")
    return target


def _bad(folder: Path, name: str) -> Path:
    """A delivery whose orders file lacks required columns and that has no merchants."""
    target = folder / name
    target.mkdir()
    (target / "orders.csv").write_text("order_id,merchant_id\nO1,M404\n")
    (target / "READY").write_text("")
    return target


def _batches(engine: Engine, source: Path) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count())
                .select_from(table_of(LoadBatch))
                .where(_B.source == str(source))
            ).scalar_one()
        )


def _state(engine: Engine, name: str) -> str | None:
    with engine.connect() as connection:
        return connection.execute(
            select(_W.state).where(_W.name == name).order_by(_W.delivery_id.desc())
        ).scalar()


def _config(folder: Path, quiet: float = 30.0) -> WatchConfig:
    return WatchConfig(folder=folder, quiet_seconds=quiet, scan_seconds=0.2, outbox_seconds=60)


def _claim_as_dead_service(engine: Engine, name: str) -> datetime:
    """What a service killed mid-load leaves: a `loading` claim, one attempt made."""
    claimed = utcnow()  # the watcher's clock (models.clock)
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(WatchedDelivery)).values(
                name=name,
                kind="folder",
                state="loading",
                seen_at=claimed,
                claimed_at=claimed,
                attempts=1,
            )
        )
    return claimed


def test_drop_folder_loads_each_delivery_once_across_a_restart(
    engine: Engine, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    first = _drop(drop, "2024-03-first")
    bad = _bad(drop, "2024-03-bad")
    half = _drop(drop, "2024-03-half", ready=False)
    (half / "orders.csv").unlink()  # still being copied: fresh files, no READY

    # A long quiet period: the half delivery is complete only once it gets its READY (a
    # busy machine must not make it look finished).
    service = Watcher(engine, _config(drop, quiet=600))
    service.start()
    try:
        _wait_for(lambda: _state(engine, first.name) == "done", "the first delivery")
        _wait_for(lambda: _state(engine, bad.name) == "failed", "the bad delivery")
        time.sleep(0.5)  # a few more scans
        assert _state(engine, half.name) == "waiting"
        assert _batches(engine, half) == 0
    finally:
        service.stop()

    # The first is in done/ with its report; the bad one in failed/ with its report.
    report = json.loads((drop / "done" / first.name / "report.json").read_text())
    assert report["status"] == "loaded" and report["batch_id"]
    bad_report = json.loads((drop / "failed" / bad.name / "report.json").read_text())
    assert bad_report["status"] not in ("loaded", "partial")
    assert (drop / "failed" / bad.name / "orders.csv").exists()
    assert not first.exists() and not bad.exists()

    # While the service is down: the half delivery is finished, and a service "dies" twice:
    # once before its load committed (no batch), once after (a batch, not yet filed).
    shutil.copy(FIXTURES / "tiny" / "orders.csv", half / "orders.csv")
    (half / "READY").write_text("")
    crashed_before = _drop(drop, "2024-03-crashed-before")
    _claim_as_dead_service(engine, crashed_before.name)
    crashed_after = _drop(drop, "2024-03-crashed-after")
    _claim_as_dead_service(engine, crashed_after.name)
    assert load_delivery(crashed_after, engine=engine, loaded_by="watcher").ok

    restarted = Watcher(engine, _config(drop, quiet=600))
    restarted.start()
    try:
        for delivery in (half, crashed_before, crashed_after):
            _wait_for(lambda d=delivery: _state(engine, d.name) == "done", delivery.name)
    finally:
        restarted.stop()
    for delivery in (first, half, crashed_before, crashed_after):
        assert _batches(engine, delivery) == 1, delivery.name
        assert (drop / "done" / delivery.name / "report.json").exists()
    assert _batches(engine, bad) == 1  # refused once, recorded once
    assert watch.status(engine) is None  # the lock is released on stop


def test_quiet_period_completes_a_delivery_without_ready(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    delivery = _drop(drop, "quiet", ready=False)
    service = Watcher(sqlite_engine, _config(drop, quiet=1.0))
    assert service.scan_once() == 0  # just written: not yet
    assert _state(sqlite_engine, delivery.name) == "waiting"
    time.sleep(1.2)
    assert service.scan_once() == 1
    assert _state(sqlite_engine, delivery.name) == "done"


def test_a_zip_is_one_delivery(sqlite_engine: Engine, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    archive = drop / "march.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted((FIXTURES / "tiny").iterdir()):
            out.write(path, f"march/{path.name}")
    (drop / "march.zip.READY").write_text("")
    service = Watcher(sqlite_engine, _config(drop))
    assert service.scan_once() == 1
    filed = drop / "done" / "march.zip"
    assert (filed / "march.zip").exists() and (filed / "report.json").exists()
    assert not (drop / "march.zip.READY").exists()
    assert json.loads((filed / "report.json").read_text())["status"] == "loaded"


def test_one_instance_at_a_time(engine: Engine, tmp_path: Path) -> None:
    first = Watcher(engine, _config(tmp_path), holder="first")
    first.start()
    try:
        with pytest.raises(AlreadyRunning, match="first"):
            Watcher(engine, _config(tmp_path), holder="second").start()
    finally:
        first.stop()
    second = Watcher(engine, _config(tmp_path), holder="second")
    second.start()  # free again once the first stopped
    second.stop()


def test_a_stale_lock_is_taken_over(sqlite_engine: Engine, tmp_path: Path) -> None:
    config = WatchConfig(folder=tmp_path, stale_seconds=0)
    watch.acquire_lock(sqlite_engine, holder="dead", config=config, now=datetime(2026, 1, 1))
    watch.acquire_lock(sqlite_engine, holder="alive", config=config, now=datetime(2026, 1, 2))
    assert watch.status(sqlite_engine)["holder"] == "alive"  # type: ignore[index]
    assert not watch.heartbeat(sqlite_engine, holder="dead", now=datetime(2026, 1, 2))


def test_a_lock_whose_process_is_gone_is_taken_over_at_once_a_live_ones_never(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """kill -9 and start again: the dead process's fresh lock is taken at once; a live
    process's lock is not taken even when its heartbeat is stale (a long SQLite load holds
    the write lock, so its beat lags)."""
    host = socket.gethostname()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    config = WatchConfig(folder=tmp_path)
    now = datetime(2026, 1, 1, 12, 0)
    watch.acquire_lock(sqlite_engine, holder=f"{host}:{gone.pid}:1", config=config, now=now)
    watch.acquire_lock(sqlite_engine, holder="restarted", config=config, now=now)
    assert watch.status(sqlite_engine)["holder"] == "restarted"  # type: ignore[index]
    watch.release_lock(sqlite_engine, holder="restarted")

    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = f"{host}:{running.pid}:1"
        watch.acquire_lock(sqlite_engine, holder=live, config=config, now=now)
        stale = WatchConfig(folder=tmp_path, stale_seconds=0)
        later = now + timedelta(hours=1)
        with pytest.raises(AlreadyRunning, match="last heard from at 2026-01-01 12:00:00"):
            watch.acquire_lock(sqlite_engine, holder="second", config=stale, now=later)
    finally:
        running.kill()
        running.wait()


def test_post_load_steps_run_after_a_load_and_a_failing_one_does_not_undo_it(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def records(engine: Engine, now: datetime) -> None:
        calls.append("ran")

    def breaks(engine: Engine, now: datetime) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(watch, "POST_LOAD_STEPS", [])
    watch.register_post_load(breaks)
    watch.register_post_load(records)
    drop = tmp_path / "drop"
    drop.mkdir()
    delivery = _drop(drop, "one")
    assert Watcher(sqlite_engine, _config(drop)).scan_once() == 1
    assert calls == ["ran"]
    assert _batches(sqlite_engine, delivery) == 1
    report = json.loads((drop / "done" / "one" / "report.json").read_text())
    assert "boom" in report["post_load_errors"]
