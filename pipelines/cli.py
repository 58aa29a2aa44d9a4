"""Command line for operators: load deliveries, build the demo, look at rejections.

python -m pipelines load FOLDER [--db URL] [--all-or-nothing] [--wait SECONDS] [--no-predictions]
python -m pipelines demo --out FOLDER [--scale s|m|l] [--seed N] [--load] [--db URL]
python -m pipelines history [--db URL]
python -m pipelines rejections BATCH_ID [--db URL] [--out FILE.csv]
python -m pipelines upgrade [--db URL]
python -m pipelines rebuild-marts [--db URL]
python -m pipelines predict [--merchant ID ...] [--db URL]
python -m pipelines watch DROP_FOLDER [--db URL] [--source URL --queries FILE --every CRON]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from models.settings import Settings, SettingsError, check_db_url, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from models.scope import Scope
    from pipelines.load import LoadReport

# Areas of the product add their commands in modules of their own, each with
# `add_commands(subparsers, db_help)` registering subcommands whose `run(args, settings)`
# returns an exit code. Each module is imported only when one of its commands runs (or
# for the overall --help): a load need not import the statistics of `plan` or the
# scheduler of `watch` (tests/pipelines/test_cli_imports.py holds the names below to what
# each module registers).
COMMAND_GROUPS: dict[str, tuple[str, ...]] = {
    "pipelines.users_cli": ("users",),
    "pipelines.segment_cli": ("segment",),
    "pipelines.report_cli": ("report",),
    "pipelines.predict_cli": ("predict",),
    "pipelines.watch_cli": ("watch",),
    "pipelines.plan_cli": ("plan",),
}

# Exit codes of `load` (README, "Loading a real delivery"):
EXIT_OK = 0  # loaded, or partial (some rows rejected: see the list)
EXIT_NOTHING_LOADED = 1  # nothing usable loaded (empty, or failed unexpectedly)
EXIT_REFUSED = 2  # refused as a whole (all-or-nothing, a required file missing)
EXIT_DATABASE = 3  # the database could not be used (full, read-only, damaged, unreachable)
EXIT_BUSY = 4  # another load is running on the same database
SHOWN_REJECTIONS = 20


def _operator() -> Scope:
    """Who the command line acts as: the whole programme."""
    from models.scope import Scope

    return Scope.executive(user="cli")


class _Progress:
    """One line of progress on stderr, rewritten in place on a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, fraction: float, message: str) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if self.tty:
            sys.stderr.write(f"\r[{fraction:4.0%}] {message[:90]:<90}")
            sys.stderr.flush()
        elif now - self.last >= 2 or fraction >= 1:
            sys.stderr.write(f"[{fraction:4.0%}] {message}\n")
            self.last = now

    def done(self) -> None:
        if self.tty and not self.quiet:
            sys.stderr.write("\n")


def _engine(settings: Settings, url: str | None) -> Engine:
    from models.db import make_engine, upgrade

    engine = make_engine(check_db_url(url or settings.db_url))
    upgrade(engine)
    return engine


def _file_table(report: LoadReport) -> str:
    import pandas as pd

    rows = [
        {
            "file": f.file_name,
            "encoding": f.encoding or "-",
            "read": f.rows_read,
            "new": f.rows_new,
            "replaced": f.rows_replaced,
            "rejected": f.rows_rejected,
            "notes": f.note,
        }
        for f in report.files
    ]
    return pd.DataFrame(rows).to_string(index=False) if rows else "(no files)"


def print_report(report: LoadReport, rejections_file: Path | None) -> None:
    print(f"Delivery #{report.batch_id}: {report.message}")
    print(_file_table(report))
    if report.rejected_total:
        print(
            f"\nFirst rejections ({min(SHOWN_REJECTIONS, report.rejected_total)} of "
            f"{report.rejected_total:,}):"
        )
        for row in report.rejections.head(SHOWN_REJECTIONS).itertuples(index=False):
            where = f"{row.file_name}:{row.line}" + (f" [{row.column}]" if row.column else "")
            value = f" value {row.value!r}" if row.value != "" else ""
            print(f"  {where}{value}: {row.reason}")
        if rejections_file is not None:
            print(f"Full list: {rejections_file}")
        print(f"Also: python -m pipelines rejections {report.batch_id}")


def _write_rejections(engine: Engine, batch_id: int, path: Path) -> None:
    from models import queries
    from models.export import csv_bytes

    path.parent.mkdir(parents=True, exist_ok=True)
    frame = queries.rejections(engine=engine, scope=_operator(), batch_id=batch_id)
    path.write_bytes(csv_bytes(frame))


def _open_database(settings: Settings, url: str | None) -> Engine | None:
    """The engine, schema upgraded; None (with one line on stderr) when the database
    cannot be used."""
    from pipelines.faults import describe

    try:
        return _engine(settings, url)
    except Exception as exc:
        fault = describe(exc)
        if fault is None:
            raise
        print(f"error: {fault.line()}", file=sys.stderr)
        return None


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.faults import describe
    from pipelines.load import load_delivery

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder; nothing was changed", file=sys.stderr)
        return EXIT_NOTHING_LOADED
    engine = _open_database(settings, args.db)
    if engine is None:
        return EXIT_DATABASE
    progress = _Progress(args.quiet)
    report = load_delivery(
        folder,
        engine=engine,
        all_or_nothing=args.all_or_nothing,
        loaded_by=args.loaded_by,
        progress=progress,
        timezone=settings.timezone,
        wait_seconds=getattr(args, "wait", 0) or 0,
    )
    progress.done()
    if report.fault:
        print(f"error: {report.message}", file=sys.stderr)
        return EXIT_BUSY if report.fault == "busy" else EXIT_DATABASE
    rejections_file = None
    if report.rejected_total and report.batch_id is not None:
        rejections_file = Path(
            args.rejections_out
            or settings.data_dir / "rejections" / f"delivery-{report.batch_id}.csv"
        )
        try:
            _write_rejections(engine, report.batch_id, rejections_file)
        except OSError as exc:
            fault = describe(exc)
            reason = fault.what if fault else str(exc)
            print(f"warning: the rejection list was not written to {rejections_file}: {reason}")
            rejections_file = None
    print_report(report, rejections_file)
    if report.ok and report.merchants and not getattr(args, "no_predictions", False):
        from models.clock import utcnow

        _refit_predictions(engine, report, args.loaded_by, progress, utcnow())
    if report.status == "refused":
        return EXIT_REFUSED
    return EXIT_OK if report.ok else EXIT_NOTHING_LOADED


def _refit_predictions(
    engine: Engine, report: LoadReport, actor: str, progress: _Progress, now: datetime
) -> None:
    """Refit the predictions of the merchants the delivery touched, after its transaction;
    a failure is printed and recorded, the load stays (and so does the exit code)."""
    from pipelines import predictions

    progress(1.0, f"refitting the predictions of {len(report.merchants)} merchants")
    outcome = predictions.after_load(engine, report.merchants, actor=actor or "cli", now=now)
    progress.done()
    print(f"After the load, {outcome.line()}")
    if outcome.failed:
        print("  (the failed merchants keep their previous predictions; see the audit log)")


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.demo import generate_demo

    out = Path(args.out)
    progress = _Progress(args.quiet)
    started = time.perf_counter()
    truth = generate_demo(out, scale=args.scale, seed=args.seed, progress=lambda m: progress(0, m))
    progress.done()
    cohorts = truth.get("cohorts", [])
    print(
        f"Demo delivery (scale {args.scale}, seed {args.seed}) written to {out} in "
        f"{time.perf_counter() - started:.1f}s; {len(cohorts)} cohorts; ground truth in "
        f"{out / 'ground_truth.json'}"
    )
    if args.load:
        load_args = argparse.Namespace(
            folder=str(out),
            db=args.db,
            all_or_nothing=False,
            loaded_by="demo",
            rejections_out=None,
            quiet=args.quiet,
        )
        return cmd_load(load_args, settings)
    return EXIT_OK


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    from models import queries

    engine = _engine(settings, args.db)
    frame = queries.load_history(engine=engine, scope=_operator(), limit=args.limit)
    if frame.empty:
        print("No deliveries loaded yet.")
        return EXIT_OK
    columns = [
        "batch_id",
        "started_at",
        "status",
        "rows_read",
        "rows_new",
        "rows_replaced",
        "rows_rejected",
        "loaded_by",
        "source",
    ]
    print(frame[columns].to_string(index=False))
    return EXIT_OK


def cmd_rejections(args: argparse.Namespace, settings: Settings) -> int:
    from models import queries
    from models.export import csv_bytes, safe_frame

    engine = _open_database(settings, args.db)
    if engine is None:
        return EXIT_DATABASE
    frame = queries.rejections(engine=engine, scope=_operator(), batch_id=args.batch_id)
    if args.out:
        Path(args.out).write_bytes(csv_bytes(frame))
        print(f"{len(frame):,} rejected rows written to {args.out}")
    elif frame.empty:
        print(f"Delivery #{args.batch_id} has no rejected rows.")
    else:
        print(safe_frame(frame).to_csv(index=False), end="")
    return EXIT_OK


def cmd_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    _engine(settings, args.db)
    print("Database schema is up to date.")
    return EXIT_OK


def cmd_rebuild_marts(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy import select

    from models.schema import Merchant
    from pipelines import marts

    engine = _engine(settings, args.db)
    with engine.begin() as connection:
        ids = list(connection.execute(select(Merchant.merchant_id)).scalars())
        written = marts.rebuild(connection, ids)
    print(f"Rebuilt the marts of {len(ids)} merchants:")
    for name, rows in written.items():
        print(f"  {name}: {rows:,} rows")
    return EXIT_OK


def _groups_for(argv: Sequence[str] | None) -> list[str]:
    """The command modules to import for `argv`: only the one whose command runs; all of
    them when the command is not known here (the overall --help, a mistyped command)."""
    words = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")]
    command = words[0] if words else None
    if command in BUILT_IN:
        return []
    owners = [m for m, names in COMMAND_GROUPS.items() if command in names]
    return owners or list(COMMAND_GROUPS)


BUILT_IN = ("load", "demo", "history", "rejections", "upgrade", "rebuild-marts")


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `argv`, only the command modules it needs."""
    root = argparse.ArgumentParser(
        prog="python -m pipelines",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = root.add_subparsers(dest="command", required=True)
    db_help = "database URL (default: GROWTH_DB_URL or the embedded data/growth.db)"

    load = sub.add_parser("load", help="load a delivery folder")
    load.add_argument("folder")
    load.add_argument("--db", help=db_help)
    load.add_argument(
        "--all-or-nothing",
        action="store_true",
        help="refuse the whole delivery if any row is rejected",
    )
    load.add_argument("--rejections-out", help="where to write the full list of rejected rows")
    load.add_argument("--loaded-by", default="cli", help="a label for the history; grants nothing")
    load.add_argument("--quiet", action="store_true", help="no progress output")
    load.add_argument(
        "--no-predictions",
        action="store_true",
        help="do not refit the customer predictions of the merchants the delivery touched "
        "(run `python -m pipelines predict` later)",
    )
    load.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="if another load is running on the database, wait this long for it (default: "
        "refuse at once, exit code 4)",
    )
    load.set_defaults(run=cmd_load)

    demo = sub.add_parser("demo", help="write a realistic demo delivery")
    demo.add_argument("--out", required=True)
    demo.add_argument("--scale", choices=["s", "m", "l"], default="s")
    demo.add_argument("--seed", type=int, default=2018)
    demo.add_argument("--load", action="store_true", help="load it into the database too")
    demo.add_argument("--db", help=db_help)
    demo.add_argument("--quiet", action="store_true")
    demo.set_defaults(run=cmd_demo)

    history = sub.add_parser("history", help="list the latest deliveries")
    history.add_argument("--db", help=db_help)
    history.add_argument("--limit", type=int, default=20)
    history.set_defaults(run=cmd_history)

    rejections = sub.add_parser("rejections", help="the rejected rows of one delivery")
    rejections.add_argument("batch_id", type=int)
    rejections.add_argument("--db", help=db_help)
    rejections.add_argument("--out", help="write CSV to this file instead of stdout")
    rejections.set_defaults(run=cmd_rejections)

    up = sub.add_parser("upgrade", help="create or upgrade the database schema")
    up.add_argument("--db", help=db_help)
    up.set_defaults(run=cmd_upgrade)

    rebuild = sub.add_parser("rebuild-marts", help="rebuild every mart from staging")
    rebuild.add_argument("--db", help=db_help)
    rebuild.set_defaults(run=cmd_rebuild_marts)

    modules = list(COMMAND_GROUPS) if argv is None else _groups_for(argv)
    for name in modules:
        importlib.import_module(name).add_commands(sub, db_help)
    return root


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    args = parser(words).parse_args(words)
    try:
        from i18n import format as fmt

        settings = load_settings()
        fmt.use_zone(settings.timezone)  # every time a command writes: the deployment's zone
        return int(args.run(args, settings))
    except SettingsError as problem:
        print(f"error: {problem}; nothing was changed", file=sys.stderr)
        return EXIT_REFUSED
