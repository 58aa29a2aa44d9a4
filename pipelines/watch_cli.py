"""`python -m pipelines watch DROP_FOLDER [--db URL] [--source URL --queries FILE --every CRON]`:
the watcher as a service (see pipelines/watch.py and docs/operations.md). It runs until
SIGTERM or Ctrl-C, then finishes the load under way and releases its lock.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from models.db import make_engine, upgrade
from models.settings import Settings
from pipelines import sources
from pipelines.watch import WatchConfig, Watcher
from pipelines.watch_lock import AlreadyRunning

QUIET_LOGGERS = ("apscheduler", "alembic", "arviz", "pymc", "pytensor")
EXIT_OK = 0
EXIT_BAD_ARGUMENTS = 2
EXIT_ALREADY_RUNNING = 3


def config_from(args: argparse.Namespace, settings: Settings) -> WatchConfig:
    """The watcher's configuration; ValueError with a clear message for bad arguments."""
    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} is not a folder")
    if bool(args.source) != bool(args.queries):
        raise ValueError("--source and --queries go together")
    if args.source and not args.every:
        raise ValueError("--source needs --every CRON (when to pull it)")
    if args.every:
        try:
            CronTrigger.from_crontab(args.every)
        except ValueError as exc:
            raise ValueError(f"--every {args.every!r} is not a cron expression: {exc}") from exc
    folder.mkdir(parents=True, exist_ok=True)
    return WatchConfig(
        folder=folder.resolve(),
        quiet_seconds=args.quiet_seconds,
        scan_seconds=args.scan_seconds,
        outbox_seconds=args.outbox_seconds,
        source_url=args.source,
        queries=sources.read_queries(Path(args.queries)) if args.queries else None,
        every=args.every,
        timezone=settings.timezone,
        predict=not args.no_predictions,
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    for noisy in QUIET_LOGGERS:  # every job run, skipped scans, imports: not for operators
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        config = config_from(args, settings)
    except ValueError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
    engine = make_engine(args.db or settings.db_url)
    upgrade(engine)
    watcher = Watcher(engine, config)
    try:
        watcher.start()
    except AlreadyRunning as problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
    print(f"watching {config.folder} (Ctrl-C or SIGTERM to stop)", file=sys.stderr, flush=True)

    def stop(_signum: int, _frame: Any) -> None:
        watcher.stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    watcher.stopped.wait()
    watcher.stop()
    engine.dispose()
    return EXIT_OK


def add_commands(sub: Any, db_help: str) -> None:
    watch = sub.add_parser(
        "watch",
        help="load deliveries from a drop folder (and a database source) as they arrive",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    watch.add_argument("folder", help="the drop folder: one sub-folder or .zip per delivery")
    watch.add_argument("--db", help=db_help)
    watch.add_argument("--source", help="SQLAlchemy URL of a database to pull deliveries from")
    watch.add_argument("--queries", help="TOML file: one query per contract file")
    watch.add_argument(
        "--every", help="cron expression (e.g. '0 * * * *'): pull the source, re-check alerts"
    )
    watch.add_argument(
        "--quiet-seconds",
        type=float,
        default=30.0,
        help="a delivery without READY is complete once unchanged this long (default 30)",
    )
    watch.add_argument(
        "--scan-seconds", type=float, default=5.0, help="how often to look (default 5)"
    )
    watch.add_argument(
        "--outbox-seconds",
        type=float,
        default=30.0,
        help="how often to send the queued alert emails and webhook posts (default 30)",
    )
    watch.add_argument(
        "--no-predictions",
        action="store_true",
        help="do not refit the customer predictions after each load",
    )
    watch.set_defaults(run=run)
