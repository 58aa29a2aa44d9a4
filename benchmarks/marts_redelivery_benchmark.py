"""Benchmark: a re-delivery of one merchant's last week, this tree against another commit.

    python benchmarks/marts_redelivery_benchmark.py --db FILE --delivery DIR \
        [--before REV] [--db-before FILE] [--after REV] [--repeat 5] [--merchant M001]

`--db` is a SQLite file with the delivery `--delivery` loaded (marts_benchmark.py --work
leaves one). One run, A/B interleaved (ABAB...): each repetition copies the database file,
then runs, in a fresh process of its tree (so each pays its own imports and the one-off
compilation of its marts' SQL, as `python -m pipelines load` does):

1. `load_delivery` of the merchant's last week of orders (validate, upsert, every mart),
2. again the marts of that delivery alone (`marts.rebuild` with its batch id), warm, in a
   transaction that is rolled back.

A is this tree (or the commit `--after`), B the commit `--before` (both exported with
`git archive`). `--db-before`: B's own copy of the database, when A's schema is newer
(`python -m pipelines upgrade` run on a copy for A, B's left at its own head; the load
does not upgrade). One unmeasured run
of each first: this tree compiles its marts' SQL once per code version and keeps it
(`pipelines/compiled.py`), as any load after the first does. Reports medians of wall and
CPU seconds (the child's own CPU, which includes SQLite's work) and the ratios.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marts_benchmark import last_week  # noqa: E402

CHILD = r"""
import json, sys, time
from pathlib import Path
from sqlalchemy import select
from models.db import make_engine
from models.schema import Merchant
from pipelines import marts
from pipelines.load import load_delivery

db, week, merchant = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
engine = make_engine(f"sqlite:///{db}")
wall, cpu = time.perf_counter(), time.process_time()
report = load_delivery(week, engine=engine)
load = (time.perf_counter() - wall, time.process_time() - cpu)
assert report.status == "loaded", report.message
with engine.connect() as connection:
    transaction = connection.begin()
    wall, cpu = time.perf_counter(), time.process_time()
    marts.rebuild(connection, [merchant], batch_id=report.batch_id)
    warm = (time.perf_counter() - wall, time.process_time() - cpu)
    transaction.rollback()
print(json.dumps({"load": load, "marts": warm}))
"""


def export(rev: str) -> Path:
    """The tree of commit `rev` in a temporary folder."""
    into = Path(tempfile.mkdtemp(prefix=f"growth-{rev}-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def once(tree: Path, db: Path, week: Path, merchant: str) -> dict[str, list[float]]:
    """One re-delivery in a fresh process of `tree`, on a copy of `db`."""
    copy = Path(tempfile.mkdtemp(prefix="growth-redelivery-")) / "copy.db"
    shutil.copyfile(db, copy)
    try:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(copy), str(week), merchant],
            cwd=tree,
            env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        shutil.rmtree(copy.parent)
    result: dict[str, list[float]] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--delivery", required=True, type=Path)
    parser.add_argument("--before", default="fcc4586")
    parser.add_argument("--db-before", type=Path, help="B's database (default: --db)")
    parser.add_argument("--after", help="A's commit (default: this working tree)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--merchant", default="M001")
    args = parser.parse_args()
    week = Path(tempfile.mkdtemp(prefix="growth-week-")) / "redelivery"
    last_week(args.delivery, args.merchant, week)
    a = ("A: this tree", ROOT) if args.after is None else (f"A: {args.after}", export(args.after))
    trees = dict([a, (f"B: {args.before}", export(args.before))])
    dbs = dict(zip(trees, (args.db, args.db_before or args.db), strict=True))
    runs: dict[str, list[dict[str, list[float]]]] = {label: [] for label in trees}
    for label, tree in trees.items():  # once each, not counted: A keeps its compiled SQL
        once(tree, dbs[label], week, args.merchant)
    for _ in range(args.repeat):
        for label, tree in trees.items():
            runs[label].append(once(tree, dbs[label], week, args.merchant))
    print("\n| one merchant-week re-delivery | wall s | CPU s |\n|---|---|---|")
    medians = {}
    for part, title in (("load", "load_delivery, cold process"), ("marts", "its marts, warm")):
        for label, results in runs.items():
            wall = statistics.median(r[part][0] for r in results)
            cpu = statistics.median(r[part][1] for r in results)
            medians[label, part] = (wall, cpu)
            print(f"| {label}: {title} | {wall:.3f} | {cpu:.3f} |")
        (wa, ca), (wb, cb) = (medians[label, part] for label in trees)
        print(f"| ratio B / A ({title}) | {wb / wa:.1f}x | {cb / max(ca, 1e-9):.1f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
