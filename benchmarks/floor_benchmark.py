"""Benchmark: the product's load (validated, with marts) against the floor of the engine
on the same files.

    python benchmarks/floor_benchmark.py DELIVERY_FOLDER [--repeat 3] [--work DIR]

Floors, each into a fresh database:
- SQLite: the `csv` module reads every contract file and `executemany`s every row into a
  table with the staging table's primary key (INSERT OR REPLACE), in one transaction;
- DuckDB: `CREATE TABLE ... AS SELECT * FROM read_csv(...)` per file.
The product: `python -m pipelines load FOLDER --db sqlite:///fresh.db`. Every step runs
in its own process (CPU and wall from `wait4`), interleaved product, SQLite floor, DuckDB
floor, ...; medians and ratios.
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def staging_keys() -> dict[str, list[str]]:
    """Staging table name -> its primary-key columns."""
    sys.path.insert(0, str(ROOT))
    from models.schema import Base

    return {
        name: [c.name for c in table.primary_key.columns]
        for name, table in Base.metadata.tables.items()
    }


def sqlite_floor(folder: Path, db: Path) -> None:
    keys = staging_keys()
    connection = sqlite3.connect(db)
    with connection:
        for path in sorted(folder.glob("*.csv")):
            if path.stem not in keys:
                continue
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader)
                key = [k for k in keys[path.stem] if k in header]
                columns = ", ".join(f'"{c}" TEXT' for c in header)
                pk = f", PRIMARY KEY ({', '.join(key)})" if key else ""
                connection.execute(f'CREATE TABLE "{path.stem}" ({columns}{pk})')
                marks = ", ".join("?" for _ in header)
                connection.executemany(
                    f'INSERT OR REPLACE INTO "{path.stem}" VALUES ({marks})', reader
                )
    connection.close()


def duckdb_floor(folder: Path, db: Path) -> None:
    import duckdb

    keys = staging_keys()
    connection = duckdb.connect(str(db))
    for path in sorted(folder.glob("*.csv")):
        if path.stem in keys:
            connection.execute(
                f'CREATE TABLE "{path.stem}" AS SELECT * FROM read_csv(?, header = true)',
                [str(path)],
            )
    connection.close()


def run(argv: list[str]) -> tuple[float, float]:
    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--floor", choices=["sqlite", "duckdb"], help=argparse.SUPPRESS)
    parser.add_argument("--into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        (sqlite_floor if args.floor == "sqlite" else duckdb_floor)(args.folder, args.into)
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="growth-floor-"))
    work.mkdir(parents=True, exist_ok=True)
    me, py = str(Path(__file__).resolve()), sys.executable
    steps = {
        "product load into SQLite (validated, marts)": lambda db: [
            py, "-m", "pipelines", "load", str(args.folder), "--db", f"sqlite:///{db}", "--quiet"
        ],
        "SQLite floor (csv + executemany, same keys)": lambda db: [
            py, me, str(args.folder), "--floor", "sqlite", "--into", str(db)
        ],
        "DuckDB floor (read_csv)": lambda db: [
            py, me, str(args.folder), "--floor", "duckdb", "--into", str(db)
        ],
    }  # fmt: skip
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in steps}
    for rep in range(args.repeat):
        for k, (name, argv) in enumerate(steps.items()):
            db = work / f"run-{rep}-{k}.db"
            db.unlink(missing_ok=True)
            runs[name].append(run(argv(db)))
            db.unlink(missing_ok=True)
    print(f"\n{args.folder}: medians of {args.repeat}, interleaved\n")
    print("| step | wall s | CPU s | product / this (wall) | product / this (CPU) |")
    print("|---|---|---|---|---|")
    med = {
        n: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
        for n, r in runs.items()
    }
    pw, pc = next(iter(med.values()))
    for name, (wall, cpu) in med.items():
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {pw / wall:.1f}× | {pc / cpu:.1f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
