"""The watcher: a long-lived service that loads deliveries as they arrive.

- **Drop folder.** Each new sub-folder or `.zip` of the drop folder is one delivery. It is
  picked up once complete: it holds a file named `READY` (a zip: `<name>.zip.READY` beside
  it), or nothing in it has changed for the quiet period (30 s by default). It is loaded
  with `pipelines.load.load_delivery` and moved to `done/` or `failed/` with its report
  (`report.json`, `rejections.csv`).
- **Database source** (optional): on a cron schedule, one query per contract entity is
  pulled into the drop folder as a complete delivery (`pipelines.sources`).
- **Post-load steps**: after every load, and on the schedule, the steps registered with
  `register_post_load` run (alert evaluation is registered here). After a load the
  predictions of the merchants it touched are refitted (`pipelines.predictions.after_load`;
  a merchant without new data keeps its fit, which is as of its own last order). A failing
  step is logged and written in the delivery's report; it never undoes a load. A load a
  dead run committed gets its steps on restart (alerts fire once whatever the repeats).
- **One instance**: a row in `watcher_lock`, refreshed by a heartbeat; a second watcher
  refuses to start until the first stops, its process is gone (same machine) or its
  heartbeat is stale (another machine's); see pipelines/watch_lock.py.
- **Restart-safe**: a delivery is claimed (`watched_deliveries.state = loading`) before its
  load and given its result after. The load is one transaction; a claim left by a service
  that died is picked up by the next one: if the load committed (a batch from that folder
  after the claim) it is only filed, otherwise it is loaded again, once.

APScheduler (3.x) runs the scan, the schedule and the outbox; nothing here loops by hand.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import OperationalError

from models import alerts
from models.clock import utcnow
from models.schema import LoadBatch, table_of
from models.schema_alerts import WatchedDelivery, WatcherLock
from pipelines import notify, predictions, sources
from pipelines.drop_folder import (
    DONE,
    FAILED,
    READY,
    UNPACKED,
    entries,
    free,
    is_complete,
    kind,
    unpack,
)
from pipelines.load import LoadReport, load_delivery
from pipelines.watch_lock import (
    STALE_SECONDS,
    acquire_lock,
    heartbeat,
    holder_name,
    release_lock,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a delivery whose load killed the service this often is filed as failed
LOADED_BY = "watcher"
HEARTBEAT_SECONDS = 15.0

_W = table_of(WatchedDelivery).c
_L = table_of(WatcherLock).c
_B = table_of(LoadBatch).c

PostLoadStep = Callable[[Engine, datetime], None]
POST_LOAD_STEPS: list[PostLoadStep] = []


def register_post_load(step: PostLoadStep) -> PostLoadStep:
    """Run `step(engine, now)` after every load and on the schedule (a decorator)."""
    if step not in POST_LOAD_STEPS:
        POST_LOAD_STEPS.append(step)
    return step


def run_post_load_steps(engine: Engine, now: datetime) -> list[str]:
    """Run every registered step; the errors of those that failed (the others still run)."""
    errors = []
    for step in list(POST_LOAD_STEPS):
        try:
            step(engine, now)
        except Exception as exc:  # a failing step is reported, never undoes a load
            log.exception("post-load step %s failed", step.__name__)
            errors.append(f"{step.__name__}: {type(exc).__name__}: {exc}")
    return errors


@register_post_load
def evaluate_alerts(engine: Engine, now: datetime) -> None:
    """Open and clear alert firings; queue the messages of the new ones (sent apart)."""
    opened = alerts.evaluate(engine, now=now)
    if opened:
        notify.enqueue(engine, opened, notify.load_notify_settings(), now)


@dataclass(frozen=True)
class WatchConfig:
    folder: Path
    quiet_seconds: float = 30.0
    scan_seconds: float = 5.0
    outbox_seconds: float = 30.0
    source_url: str | None = None
    queries: dict[str, str] | None = None
    every: str | None = None  # cron expression: pull the source, re-evaluate alerts
    stale_seconds: float = STALE_SECONDS  # a lock whose heartbeat is older is taken over
    timezone: str = "Asia/Shanghai"
    predict: bool = True  # refit the predictions of the merchants each load touched


def _report_json(report: LoadReport | None, error: str) -> str:
    if report is None:
        return json.dumps({"status": "failed", "message": error}, ensure_ascii=False, indent=2)
    body: dict[str, Any] = {
        "batch_id": report.batch_id,
        "status": report.status,
        "message": report.message,
        "rejected_total": report.rejected_total,
        "files": [asdict(f) for f in report.files],
    }
    if error:
        body["post_load_errors"] = error
    return json.dumps(body, ensure_ascii=False, indent=2, default=str)


class Watcher:
    """One watcher over one drop folder and one database (see the module docstring)."""

    def __init__(self, engine: Engine, config: WatchConfig, holder: str | None = None) -> None:
        self.engine = engine
        self.config = config
        self.folder = config.folder
        self.holder = holder or holder_name(self)
        self._scan_lock = threading.Lock()
        self._scheduler: BackgroundScheduler | None = None
        self.stopped = threading.Event()

    def now(self) -> datetime:
        """The watcher's stamps (its lock, heartbeat, files, alerts): UTC, like every
        stamp of the product (models.clock)."""
        return utcnow()

    # -- life ------------------------------------------------------------------------

    def start(self) -> None:
        """Take the lock, create the folders, finish what a dead service left, schedule."""
        for name in (DONE, FAILED):
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        acquire_lock(self.engine, holder=self.holder, config=self.config, now=self.now())
        scheduler = BackgroundScheduler(timezone=self.config.timezone)
        scheduler.add_job(
            self.scan,
            IntervalTrigger(seconds=self.config.scan_seconds),
            id="scan",
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(ZoneInfo(self.config.timezone)),
        )
        scheduler.add_job(
            self.beat,
            IntervalTrigger(seconds=HEARTBEAT_SECONDS),
            id="heartbeat",
            max_instances=1,
            coalesce=True,
        )
        scheduler.add_job(
            self.deliver_messages,
            IntervalTrigger(seconds=self.config.outbox_seconds),
            id="outbox",
            max_instances=1,
            coalesce=True,
        )
        if self.config.every:
            scheduler.add_job(
                self.on_schedule,
                CronTrigger.from_crontab(self.config.every, timezone=self.config.timezone),
                id="schedule",
                max_instances=1,
                coalesce=True,
            )
        scheduler.start()
        self._scheduler = scheduler

    def stop(self) -> None:
        """Stop the jobs (a load under way finishes first) and release the lock."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None
        release_lock(self.engine, holder=self.holder)
        self.stopped.set()

    def scan_once(self) -> int:
        """One pass, holding the lock for its length (no schedule); how many loaded."""
        acquire_lock(self.engine, holder=self.holder, config=self.config, now=self.now())
        try:
            return self.scan()
        finally:
            release_lock(self.engine, holder=self.holder)

    # -- jobs ------------------------------------------------------------------------

    def scan(self) -> int:
        """Heartbeat, then load every complete delivery; how many were loaded."""
        with self._scan_lock:
            if not heartbeat(self.engine, holder=self.holder, now=self.now()):
                log.error("the watcher lock was taken over; stopping")
                threading.Thread(target=self.stop, daemon=True).start()
                return 0
            loaded = 0
            for claim in self._claims("loading"):
                loaded += self._process(claim)
            now_epoch = datetime.now().timestamp()
            present = entries(self.folder)
            self._forget_vanished({p.name for p in present})
            for path in present:
                if is_complete(path, quiet_seconds=self.config.quiet_seconds, now_epoch=now_epoch):
                    loaded += self._process(self._claim(path))
                else:
                    self._wait(path)
            return loaded

    def beat(self) -> None:
        """Tell the lock this watcher is alive (also while a long load runs; on SQLite the
        load holds the one write lock, so the beat waits for the next round)."""
        try:
            heartbeat(self.engine, holder=self.holder, now=self.now())
        except OperationalError as exc:
            log.info("heartbeat deferred: the database is busy (%s)", str(exc.orig)[:80])

    def on_schedule(self) -> None:
        """Pull the database source (when there is one), load it, re-run the post-load
        steps, and refit the merchants whose predictions are behind their data."""
        now = self.now()
        if self.config.source_url and self.config.queries:
            try:
                sources.pull(self.config.source_url, self.config.queries, self.folder, now)
            except Exception:
                log.exception("pulling the database source failed")
            self.scan()
        run_post_load_steps(self.engine, now)
        if self.config.predict:
            with self.engine.connect() as connection:
                behind = predictions.stale_merchants(connection)
            if behind:
                outcome = predictions.after_load(self.engine, behind, actor=LOADED_BY, now=now)
                log.info("on schedule, %s", outcome.line())

    def deliver_messages(self) -> None:
        notify.deliver(self.engine, notify.load_notify_settings(), self.now())

    # -- claims ----------------------------------------------------------------------

    def _claims(self, state: str) -> list[Any]:
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    select(table_of(WatchedDelivery))
                    .where(_W.state == state)
                    .order_by(_W.delivery_id)
                )
            )

    def _open_row(self, name: str) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(
                select(table_of(WatchedDelivery)).where(
                    _W.name == name, _W.state.in_(("waiting", "loading"))
                )
            ).first()

    def _forget_vanished(self, names: set[str]) -> None:
        """A delivery taken away before it was complete leaves the queue."""
        with self.engine.begin() as connection:
            connection.execute(
                delete(table_of(WatchedDelivery)).where(
                    _W.state == "waiting", _W.name.not_in(sorted(names))
                )
            )

    def _wait(self, path: Path) -> None:
        if self._open_row(path.name) is None:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(table_of(WatchedDelivery)).values(
                        name=path.name, kind=kind(path), state="waiting", seen_at=self.now()
                    )
                )

    def _claim(self, path: Path) -> Any:
        """Record that the load of `path` starts (before it starts)."""
        now = self.now()
        row = self._open_row(path.name)
        with self.engine.begin() as connection:
            if row is None:
                connection.execute(
                    insert(table_of(WatchedDelivery)).values(
                        name=path.name,
                        kind=kind(path),
                        state="loading",
                        seen_at=now,
                        claimed_at=now,
                    )
                )
            elif row.state == "waiting":
                connection.execute(
                    update(table_of(WatchedDelivery))
                    .where(_W.delivery_id == row.delivery_id)
                    .values(state="loading", claimed_at=now)
                )
        return self._open_row(path.name)

    def _set(self, delivery_id: int, **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(table_of(WatchedDelivery))
                .where(_W.delivery_id == delivery_id)
                .values(**values)
            )

    def _committed_batch(self, load_path: Path, claimed_at: datetime) -> Any:
        """The batch a previous run committed for this claim, if it did."""
        with self.engine.connect() as connection:
            return connection.execute(
                select(_B.batch_id, _B.status, _B.message)
                .where(_B.source == str(load_path), _B.started_at >= claimed_at)
                .order_by(_B.batch_id.desc())
            ).first()

    def _load_path(self, path: Path) -> Path:
        return self.folder / UNPACKED / path.name if path.is_file() else path

    def _process(self, claim: Any) -> int:
        """Load one claimed delivery (unless a dead run already did), file it, record it."""
        path = self.folder / claim.name
        load_path = self._load_path(path)
        done = self._committed_batch(load_path, claim.claimed_at)
        if not path.exists():
            # The service died after filing the delivery, before recording it.
            moved = next(
                (
                    p
                    for p in (self.folder / DONE, self.folder / FAILED)
                    if (p / claim.name).exists()
                ),
                None,
            )
            self._set(
                claim.delivery_id,
                state="done"
                if done is not None and moved is not None and moved.name == DONE
                else "failed",
                finished_at=self.now(),
                batch_id=done.batch_id if done is not None else None,
                status=done.status if done is not None else "",
                moved_to=str(moved / claim.name) if moved is not None else "",
                message=done.message
                if done is not None
                else "the delivery disappeared from the drop folder",
            )
            return 0
        report: LoadReport | None = None
        error = ""
        if done is None:
            if claim.attempts >= MAX_ATTEMPTS:
                error = f"gave up after {claim.attempts} attempts that did not finish"
            else:
                self._set(claim.delivery_id, attempts=claim.attempts + 1)
                log.info("delivery %s: loading (attempt %d)", claim.name, claim.attempts + 1)
                try:
                    if path.is_file():
                        unpack(path, load_path)
                    report = load_delivery(
                        load_path,
                        engine=self.engine,
                        loaded_by=LOADED_BY,
                        timezone=self.config.timezone,
                    )
                except Exception as exc:  # a broken delivery is filed, never stops the service
                    log.exception("loading %s failed", path)
                    error = f"{type(exc).__name__}: {exc}"
        ok = (
            report.ok
            if report is not None
            else done is not None and done.status in ("loaded", "partial")
        )
        steps = self._after_load(report, done) if ok else []
        moved = self._file(path, DONE if ok else FAILED, report, error or "; ".join(steps))
        said = report.message if report is not None else (done.message if done else error)
        log.info("delivery %s: %s; filed in %s", claim.name, said, moved)
        self._set(
            claim.delivery_id,
            state="done" if ok else "failed",
            finished_at=self.now(),
            batch_id=report.batch_id if report is not None else (done.batch_id if done else None),
            status=report.status if report is not None else (done.status if done else "failed"),
            moved_to=str(moved),
            message=(report.message if report is not None else (done.message if done else error))[
                :4000
            ],
        )
        return 1 if report is not None and report.ok else 0

    def _after_load(self, report: LoadReport | None, done: Any) -> list[str]:
        """The post-load steps, then the predictions of the merchants the load touched (for
        a load a dead run committed: the merchants its orders came in); the errors."""
        errors = run_post_load_steps(self.engine, self.now())
        if not self.config.predict:
            return errors
        if report is not None:
            merchants = list(report.merchants)
        else:
            with self.engine.connect() as connection:
                merchants = predictions.merchants_of_batch(connection, done.batch_id)
        outcome = predictions.after_load(self.engine, merchants, actor=LOADED_BY, now=self.now())
        log.info("%s", outcome.line())
        return errors + [f"{m}: {e}" for m, e in outcome.failed]

    def _file(self, path: Path, where: str, report: LoadReport | None, error: str) -> Path:
        """Move the delivery to done/ or failed/ with its report and rejected rows."""
        target = free(self.folder / where / path.name)
        if path.is_dir():
            shutil.move(str(path), str(target))
        else:
            target.mkdir(parents=True)
            shutil.move(str(path), str(target / path.name))
            marker = path.with_name(f"{path.name}.{READY}")
            if marker.exists():
                marker.unlink()
            shutil.rmtree(self._load_path(path), ignore_errors=True)
        (target / "report.json").write_text(_report_json(report, error), encoding="utf-8")
        if report is not None and not report.rejections.empty:
            report.rejections.to_csv(target / "rejections.csv", index=False, encoding="utf-8-sig")
        return target


# --- what the Data page shows ------------------------------------------------------------


def status(engine: Engine) -> dict[str, Any] | None:
    """The lock row (who watches which folder, since when, last heartbeat), or None."""
    with engine.connect() as connection:
        row = connection.execute(select(table_of(WatcherLock))).first()
    return dict(row._mapping) if row is not None else None


def local_now(timezone: str) -> datetime:
    """Now, as the watcher writes its times: UTC whatever `timezone` (the deployment's zone
    is for showing them and for the schedule)."""
    return utcnow()


def is_alive(lock: dict[str, Any], *, now: datetime, stale_seconds: float = STALE_SECONDS) -> bool:
    """Whether the lock's holder was heard from recently enough to be running."""
    return bool(now - lock["heartbeat_at"] <= timedelta(seconds=stale_seconds))


def deliveries(engine: Engine, *, limit: int = 50) -> list[dict[str, Any]]:
    """The deliveries the watcher saw, newest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(table_of(WatchedDelivery)).order_by(_W.delivery_id.desc()).limit(limit)
        )
        return [dict(row._mapping) for row in rows]
