"""The operator's story end to end: `python -m pipelines watch` in its own process watches a
drop folder; a delivery arrives in which a coach's merchant stalls; the service is killed
(SIGKILL) in the middle of loading it and started again. The delivery is loaded once, the
stall alert fires once, one Chinese message is posted to the coach's WeCom group webhook (a
local HTTP receiver) and none to another cohort's group, the firing is in the coach's inbox
and its merchant's, not in another merchant's; the predictions step ran for the merchants
the delivery touched."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from models import alerts, alerts_inbox, auth
from models.alerts import Rule
from models.db import make_engine, upgrade
from models.schema import LoadBatch, table_of
from models.schema_alerts import AlertFiring, AlertMessage, WatchedDelivery, WatcherLock
from models.schema_predictions import PredictionFit
from models.scope import Scope
from tests.pages.apptest import ROOT

WAIT = 300.0
FIRST_DAY = date(2024, 2, 1)
ORDERS_A_DAY = 1500  # enough rows that the load lasts long enough to be killed in it
_W = table_of(WatchedDelivery).c
_B = table_of(LoadBatch).c
_F = table_of(AlertFiring).c
_A = table_of(AlertMessage).c


class _Receiver:
    """A local HTTP server standing in for WeCom: it keeps every post by path."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append((self.path, json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

            def log_message(self, *args: Any) -> None:
                return None

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def to(self, path: str) -> list[dict[str, Any]]:
        return [body for where, body in self.posts if where.startswith(path)]


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    server = _Receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _delivery(folder: Path) -> None:
    """Two cohorts; over two weeks M1 (cohort C1) sells 60 a day, then 50: it stalls; M2
    (cohort C2) sells 60, then 90."""
    folder.mkdir()
    (folder / "cohorts.csv").write_text(
        "cohort_id,name,start_date,end_date,programme\n"
        "C1,Spring cohort,2024-01-01,2024-06-30,doubling_plan\n"
        "C2,Summer cohort,2024-01-01,2024-06-30,doubling_plan\n"
    )
    (folder / "merchants.csv").write_text(
        "merchant_id,name,industry,region,store_count,cohort_id,joined_on\n"
        "M1,Alpha Tea,food_beverage,Shanghai,1,C1,2024-01-01\n"
        "M2,Beta Wear,apparel,Hangzhou,1,C2,2024-01-01\n"
    )
    lines = ["order_id,merchant_id,ordered_at,channel,gmv"]
    for day in range(14):
        on = FIRST_DAY + timedelta(days=day)
        for merchant, before, after in (("M1", 60, 50), ("M2", 60, 90)):
            each = (before if day < 7 else after) / ORDERS_A_DAY
            lines += [
                f"{merchant}-{day}-{n},{merchant},{on} 10:00,store,{each:.4f}"
                for n in range(ORDERS_A_DAY)
            ]
    (folder / "orders.csv").write_text("\n".join(lines) + "\n")
    (folder / "READY").write_text("")


def _service(drop: Path, url: str, hooks: dict[str, Any], log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GROWTH_DB_URL": url, "GROWTH_WEBHOOKS": json.dumps(hooks)}
    argv = [sys.executable, "-m", "pipelines", "watch", str(drop), "--scan-seconds", "0.2"]
    return subprocess.Popen(
        [*argv, "--outbox-seconds", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _user(engine: Engine, name: str, role: str, **scope: list[str]) -> int:
    auth.add_user(engine, username=name, role=role, password=None, actor="test", **scope)  # type: ignore[arg-type]
    users = table_of(LoadBatch).metadata.tables["users"]
    with engine.connect() as connection:
        return int(
            connection.execute(select(users.c.user_id).where(users.c.username == name)).scalar_one()
        )


def _count(engine: Engine, stmt: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(stmt).scalar_one())


def test_a_stalling_merchant_reaches_its_coachs_wecom_group_once_across_a_kill(
    tmp_path: Path, receiver: _Receiver
) -> None:
    url = f"sqlite:///{tmp_path / 'growth.db'}"
    engine = make_engine(url)
    upgrade(engine)
    coach = Scope.coach(["C1"], user="coach1")
    alerts.add_rule(
        engine,
        rule=Rule(
            "No growth",
            "stall",
            period=1,
            cohort_id="C1",
            share_with_merchant=True,
            webhooks=("c1-group", "c2-group"),
        ),
        scope=coach,
        now=datetime(2024, 1, 1),
    )
    hooks = {
        "c1-group": {"kind": "wecom", "url": f"{receiver.url}/c1", "lang": "zh", "cohorts": ["C1"]},
        "c2-group": {"kind": "wecom", "url": f"{receiver.url}/c2", "lang": "zh", "cohorts": ["C2"]},
    }
    drop = tmp_path / "drop"
    drop.mkdir()
    source = str((drop / "delivery").resolve())
    log = tmp_path / "watch.log"

    def state() -> str | None:
        with engine.connect() as connection:
            return connection.execute(select(_W.state).where(_W.name == "delivery")).scalar()

    first = _service(drop, url, hooks, log)
    try:
        _until(lambda: _locked(engine), "the service to take its lock")
        _delivery(drop / "delivery")
        _until(lambda: state() == "loading", "the load to start")
        time.sleep(0.5)
        first.send_signal(signal.SIGKILL)  # killed in the middle of the delivery
        first.wait(timeout=WAIT)
    finally:
        if first.poll() is None:
            first.kill()
    assert state() == "loading"
    batches = select(func.count()).select_from(table_of(LoadBatch)).where(_B.source == source)
    assert _count(engine, batches) in (0, 1)  # rolled back, or committed whole

    # Started again at once: the dead service's lock is taken over (its process is gone).
    restarted = _service(drop, url, hooks, log)
    try:
        _until(lambda: state() == "done", f"the restart to file it: {log.read_text()[-3000:]}")
        _until(lambda: len(receiver.to("/c1")) >= 1, "the post to the coach's group")
        time.sleep(2.0)  # several more outbox and scan rounds: nothing is sent twice
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(timeout=WAIT) == 0
    finally:
        if restarted.poll() is None:
            restarted.kill()

    assert _count(engine, batches) == 1  # loaded once
    assert _count(engine, select(func.count()).select_from(table_of(AlertFiring))) == 1
    [post] = receiver.to("/c1")
    assert post["msgtype"] == "text"
    text = post["text"]["content"]
    assert "Alpha Tea (M1)" in text and "No growth" in text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)  # in Chinese
    assert "M2" not in text and "Beta Wear" not in text
    assert receiver.to("/c2") == []  # the other cohort's group hears nothing
    assert _count(engine, select(func.count()).select_from(table_of(AlertMessage))) == 1

    coach_id = _user(engine, "coach1", "coach", cohorts=["C1"])  # people once the data is in
    m1_id = _user(engine, "m1", "merchant", merchants=["M1"])
    m2_id = _user(engine, "m2", "merchant", merchants=["M2"])

    def subjects(scope: Scope, user_id: int) -> list[str]:
        box = alerts_inbox.inbox(engine=engine, scope=scope, user_id=user_id)
        return box["merchant_id"].tolist()

    assert subjects(coach, coach_id) == ["M1"]
    assert subjects(Scope.merchant("M1", user="m1"), m1_id) == ["M1"]
    assert subjects(Scope.merchant("M2", user="m2"), m2_id) == []

    # The post-load step refitted (here: found too little history for) both merchants.
    with engine.connect() as connection:
        rows = connection.execute(select(PredictionFit.merchant_id, PredictionFit.status))
        fits = {row.merchant_id: row.status for row in rows}
    assert fits == {"M1": "not_enough", "M2": "not_enough"}
    report = json.loads((drop / "done" / "delivery" / "report.json").read_text())
    assert report["status"] == "loaded"
    engine.dispose()


def _locked(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(table_of(WatcherLock).c.holder)).first() is not None
