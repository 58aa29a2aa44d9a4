"""Benchmark: the merchant-day mart computed in the engine against the pandas build it
replaced, and a re-delivery of one merchant's last week.

    python benchmarks/marts_benchmark.py [--scale s] [--db URL] [--repeat 5] [--work DIR]

One run: generate and load a demo delivery once, then interleave A and B repetitions
(ABAB...) inside transactions that are rolled back, so every repetition sees the same
database. Reports medians and ratios (wall and this process's CPU, which includes
SQLite's work; on PostgreSQL the server's CPU is not counted).

A: `pipelines.marts.rebuild_merchant_days` (Ibis -> INSERT ... SELECT), every merchant.
B: the pandas build of commit 3c90f87 (`git show 3c90f87:pipelines/marts.py`), every
   merchant, written with the same bulk writer.
Then for one merchant's last week: the incremental partition rebuild against that
merchant's full rebuild, and the whole re-delivery through `load_delivery` (every mart).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, select  # noqa: E402

from models.db import make_engine, upgrade  # noqa: E402
from models.schema import Merchant  # noqa: E402
from pipelines import engine as mart_engine  # noqa: E402
from pipelines import marts  # noqa: E402
from pipelines.load import load_delivery  # noqa: E402

PANDAS_COMMIT = "3c90f87"


def pandas_marts() -> ModuleType:
    """The merchant-day build as it was before it moved into the engine."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{PANDAS_COMMIT}:pipelines/marts.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "marts_pandas.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("marts_pandas", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(db: Engine, work: Callable[..., object]) -> tuple[float, float]:
    """Wall and CPU seconds of `work(connection)` in a transaction that is rolled back."""
    with db.connect() as connection:
        transaction = connection.begin()
        wall, cpu = time.perf_counter(), time.process_time()
        work(connection)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        transaction.rollback()
    return wall, cpu


def compare(
    db: Engine,
    label_a: str,
    a: Callable[..., object],
    label_b: str,
    b: Callable[..., object],
    n: int,
) -> None:
    runs: dict[str, list[tuple[float, float]]] = {label_a: [], label_b: []}
    for _ in range(n):
        runs[label_a].append(timed(db, a))
        runs[label_b].append(timed(db, b))
    med = {
        k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
        for k, v in runs.items()
    }
    for label, (wall, cpu) in med.items():
        print(f"| {label} | {wall:.3f} | {cpu:.3f} |")
    (wa, ca), (wb, cb) = med[label_a], med[label_b]
    print(f"| ratio {label_b} / {label_a} | {wb / wa:.1f}x | {cb / max(ca, 1e-9):.1f}x |")


def last_week(folder: Path, merchant: str, into: Path) -> date:
    """Write the merchant's orders of its last week of data as a delivery; returns the
    week's Monday."""
    with (folder / "orders.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["merchant_id"] == merchant]
    last = max(date.fromisoformat(r["ordered_at"][:10]) for r in rows)
    monday = last - timedelta(days=last.weekday())
    week = [r for r in rows if date.fromisoformat(r["ordered_at"][:10]) >= monday]
    into.mkdir(parents=True, exist_ok=True)
    with (into / "orders.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(week)
    print(f"\nRe-delivery: {merchant}, week of {monday}, {len(week)} orders")
    return monday


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["s", "m"], default="s")
    parser.add_argument("--db", help="database URL (default: a SQLite file in --work)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", help="folder for the delivery and database (kept)")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="growth-marts-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    delivery = work / f"delivery-{args.scale}"
    db = make_engine(args.db or f"sqlite:///{work / f'bench-{args.scale}.db'}")
    upgrade(db)
    with db.connect() as connection:
        loaded = connection.execute(select(Merchant.merchant_id).limit(1)).first() is not None
    if not loaded:
        if not delivery.exists():
            subprocess.run(
                [sys.executable, "-m", "pipelines", "demo", "--out", str(delivery),
                 "--scale", args.scale, "--quiet"],
                cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
            )  # fmt: skip
        started = time.perf_counter()
        report = load_delivery(delivery, engine=db)
        print(f"initial load: {report.status}, {time.perf_counter() - started:.1f} s")
    with db.connect() as connection:
        ids = list(connection.execute(select(Merchant.merchant_id)).scalars())
    old = pandas_marts()
    print(
        f"\nMachine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; database: {db.dialect.name}; scale {args.scale}, "
        f"{len(ids)} merchants; medians of {args.repeat}, A/B interleaved\n"
    )
    wall, cpu = timed(db, lambda c: marts.rebuild_merchant_days(c, ids[:1]))
    print(f"first rebuild in this process (compiles the mart's SQL once): {wall:.2f} s\n")
    print("| merchant-day mart | wall s | CPU s |\n|---|---|---|")
    compare(
        db,
        "A: engine (Ibis, INSERT ... SELECT), all merchants",
        lambda c: marts.rebuild_merchant_days(c, ids),
        "B: pandas (3c90f87), all merchants",
        lambda c: old.rebuild_merchant_days(c, ids),
        args.repeat,
    )

    merchant = ids[0]
    week = work / "redelivery"
    monday = last_week(delivery, merchant, week)
    print("\n| one merchant-week | wall s | CPU s |\n|---|---|---|")
    compare(
        db,
        "A: engine, that merchant from the week's Monday",
        lambda c: marts.refresh_merchant_days(c, {merchant: monday}),
        "B: engine, that merchant whole",
        lambda c: marts.refresh_merchant_days(c, {merchant: mart_engine.ALL_DAYS}),
        args.repeat,
    )
    compare(
        db,
        "A: engine, that merchant from the week's Monday ",
        lambda c: marts.refresh_merchant_days(c, {merchant: monday}),
        "B: pandas (3c90f87), that merchant whole",
        lambda c: old.rebuild_merchant_days(c, [merchant]),
        args.repeat,
    )
    walls = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        report = load_delivery(week, engine=db)
        walls.append(time.perf_counter() - started)
        assert report.status == "loaded", report.message
    print(
        f"| re-delivery through load_delivery (validate, upsert, every mart) | "
        f"{statistics.median(walls):.3f} | - |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
