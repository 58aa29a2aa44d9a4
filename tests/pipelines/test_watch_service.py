"""The watcher as an operator runs it: `python -m pipelines watch` in its own process,
killed (SIGKILL) in the middle of a load and started again: the delivery is loaded exactly
once; a second instance is refused while one runs; SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select

from models.db import make_engine, upgrade
from models.schema import LoadBatch, table_of
from models.schema_alerts import WatchedDelivery, WatcherLock
from tests.pages.apptest import ROOT

_B = table_of(LoadBatch).c
_W = table_of(WatchedDelivery).c
WAIT = 900.0  # a scale-s load on a busy shared 2-core machine takes minutes


def _service(drop: Path, url: str, log: Path | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GROWTH_DB_URL": url}
    return subprocess.Popen(
        # the load is the subject here (predictions after it: test_watch_end_to_end.py)
        [sys.executable, "-m", "pipelines", "watch", str(drop), "--scan-seconds", "0.2"]
        + ["--no-predictions"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb") if log is not None else subprocess.PIPE,
    )


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_killed_mid_load_and_restarted_loads_the_delivery_once(
    tmp_path: Path, demo_delivery_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'growth.db'}"
    engine = make_engine(url)
    upgrade(engine)
    drop = tmp_path / "drop"
    drop.mkdir()

    def state() -> str | None:
        with engine.connect() as connection:
            return connection.execute(select(_W.state).where(_W.name == "programme")).scalar()

    def batches() -> int:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(table_of(LoadBatch))
                    .where(_B.source == str((drop / "programme").resolve()))
                ).scalar_one()
            )

    first = _service(drop, url)
    try:
        _until(lambda: _locked(engine), "the first service to take the lock")
        second = _service(drop, url)
        assert second.wait(timeout=WAIT) == 3  # one instance at a time
        assert b"another watcher" in (second.stderr.read() if second.stderr else b"")
        shutil.copytree(demo_delivery_dir, drop / "programme")
        (drop / "programme" / "READY").write_text("")
        _until(lambda: state() == "loading", "the load to start")
        time.sleep(0.3)
        first.send_signal(signal.SIGKILL)  # the service dies in the middle of the load
        first.wait(timeout=WAIT)
    finally:
        if first.poll() is None:
            first.kill()
    assert state() == "loading"  # the claim stays; the load rolled back or committed whole
    assert batches() in (0, 1)

    # Restarted at once (as an operator or systemd would): the dead service's lock, fresh
    # as its heartbeat still is, is taken over because its process is gone.
    log = tmp_path / "restarted.log"
    restarted = _service(drop, url, log)
    try:
        _until(lambda: state() == "done", f"the restart to finish: {log.read_text()[-3000:]}")
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(timeout=WAIT) == 0
    finally:
        if restarted.poll() is None:
            restarted.kill()
    assert batches() == 1
    assert (drop / "done" / "programme" / "report.json").exists()
    assert not _locked(engine)  # released on SIGTERM
    engine.dispose()


def _locked(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(table_of(WatcherLock).c.holder)).first() is not None
