"""Benchmark: the product's load (validated, with marts) against the floor of each engine
on the same files, in one run, A/B interleaved.

    python benchmarks/floor_benchmark.py DELIVERY_FOLDER [--repeat 3] [--work DIR]
        [--before SRC_DIR] [--pg URL] [--only sqlite|postgresql] [--staging-only]

Floors, each into a fresh database:
- SQLite: the `csv` module reads every contract file and `executemany`s every row into a
  table with the staging table's primary key (INSERT OR REPLACE), in one transaction;
- DuckDB: `CREATE TABLE ... AS SELECT * FROM read_csv(...)` per file;
- PostgreSQL: `COPY ... FROM STDIN (FORMAT csv, HEADER)` per file into a table with the
  staging table's primary key, in one transaction.
The product: `python -m pipelines load FOLDER --db URL --no-predictions`, on a fresh
database whose schema was created beforehand (not timed; the predictions refit after the
load's transaction is not timed either); also with the marts skipped ("staging only"), which
is the part the bulk paths change. `--before SRC_DIR` adds the same product steps run from
another source tree (an older commit, `git archive`d), so before and after share the run.
Every step runs in its own process (CPU and wall from `wait4`; CPU is the client process's
own, so on PostgreSQL the server's work is in the wall time only); steps are interleaved
round by round; medians and ratios.
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Staging only: the marts module replaced by one whose rebuild does nothing, so the step
# neither rebuilds the marts nor imports what only they need (Ibis): the same for every
# source tree, whether it imports the marts at its start or only when it rebuilds them.
STAGING_ONLY = (
    "import sys, types; stub = types.ModuleType('pipelines.marts'); "
    "stub.rebuild = lambda *a, **k: None; sys.modules['pipelines.marts'] = stub; "
    "from pipelines.cli import main; raise SystemExit(main(sys.argv[1:]))"
)
# The load as measured: validated, staged, marts rebuilt, in its one transaction. The
# customer predictions a load refits afterwards, in transactions of their own, are not
# part of it (`python -m pipelines predict` runs them alone).
QUIET = ("--quiet", "--no-predictions")
UPGRADE = (
    "import sys; from models.db import make_engine, upgrade; upgrade(make_engine(sys.argv[1]))"
)


def staging_keys() -> dict[str, list[str]]:
    """Staging table name -> its primary-key columns."""
    sys.path.insert(0, str(ROOT))
    from models.schema import Base

    return {
        name: [c.name for c in table.primary_key.columns]
        for name, table in Base.metadata.tables.items()
    }


def _contract_files(folder: Path, keys: dict[str, list[str]]) -> list[Path]:
    return [p for p in sorted(folder.glob("*.csv")) if p.stem in keys]


def sqlite_floor(folder: Path, target: str) -> None:
    keys = staging_keys()
    connection = sqlite3.connect(target)
    with connection:
        for path in _contract_files(folder, keys):
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


def duckdb_floor(folder: Path, target: str) -> None:
    import duckdb

    keys = staging_keys()
    connection = duckdb.connect(target)
    for path in _contract_files(folder, keys):
        connection.execute(
            f'CREATE TABLE "{path.stem}" AS SELECT * FROM read_csv(?, header = true)',
            [str(path)],
        )
    connection.close()


def postgres_floor(folder: Path, target: str) -> None:
    import psycopg

    keys = staging_keys()
    with psycopg.connect(target.replace("+psycopg", "")) as connection:
        for path in _contract_files(folder, keys):
            with path.open(encoding="utf-8-sig", newline="") as fh:
                header = next(csv.reader(fh))
            key = [k for k in keys[path.stem] if k in header]
            columns = ", ".join(f'"{c}" TEXT' for c in header)
            pk = f", PRIMARY KEY ({', '.join(key)})" if key else ""
            connection.execute(f'CREATE TABLE "{path.stem}" ({columns}{pk})')
            with connection.cursor() as cursor:
                copy_sql = f'COPY "{path.stem}" FROM STDIN (FORMAT csv, HEADER true)'
                with cursor.copy(copy_sql) as copy, path.open("rb") as raw:
                    while block := raw.read(1 << 20):
                        copy.write(block)


FLOORS: dict[str, Callable[[Path, str], None]] = {
    "sqlite": sqlite_floor,
    "duckdb": duckdb_floor,
    "postgresql": postgres_floor,
}


def run(argv: list[str], cwd: Path) -> tuple[float, float]:
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def _pg_database(admin_url: str, name: str, create: bool) -> str:
    """A fresh PostgreSQL database (dropped first), or drop it; its URL."""
    import psycopg

    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


class Target:
    """A fresh database for one step: a file, or a PostgreSQL database."""

    def __init__(self, engine: str, work: Path, label: str, pg: str) -> None:
        self.engine, self.pg = engine, pg
        self.name = "bench_" + "".join(ch if ch.isalnum() else "_" for ch in label)[:50]
        self.path = work / f"{self.name}.db"

    def __enter__(self) -> str:
        if self.engine == "postgresql":
            return _pg_database(self.pg, self.name.lower(), create=True)
        self.path.unlink(missing_ok=True)
        return str(self.path)

    def __exit__(self, *_exc: object) -> None:
        if self.engine == "postgresql":
            _pg_database(self.pg, self.name.lower(), create=False)
        self.path.unlink(missing_ok=True)


def _url(engine: str, target: str) -> str:
    return target if engine == "postgresql" else f"sqlite:///{target}"


def steps(args: argparse.Namespace) -> list[tuple[str, str, Path, Callable[[str], list[str]]]]:
    """(label, engine, source tree, argv for a target) for every step of a round."""
    me, py, folder = str(Path(__file__).resolve()), sys.executable, str(args.folder)
    trees = [("after", ROOT)] + ([("before", args.before)] if args.before else [])
    engines = ["sqlite", "postgresql"] if not args.only else [args.only]
    out: list[tuple[str, str, Path, Callable[[str], list[str]]]] = []
    for engine in engines:
        for tag, tree in trees:

            def load(t: str, e: str = engine) -> list[str]:
                return [py, "-m", "pipelines", "load", folder, "--db", _url(e, t), *QUIET]

            def staging(t: str, e: str = engine) -> list[str]:
                return [py, "-c", STAGING_ONLY, "load", folder, "--db", _url(e, t), *QUIET]

            if not args.staging_only:
                out.append((f"{engine}: product {tag}, with marts", engine, tree, load))
            out.append((f"{engine}: product {tag}, staging only", engine, tree, staging))
        floors = ["sqlite", "duckdb"] if engine == "sqlite" else ["postgresql"]
        for floor in floors:

            def floor_argv(t: str, f: str = floor) -> list[str]:
                return [py, me, folder, "--floor", f, "--into", t]

            out.append((f"{engine}: floor {floor}", floor, ROOT, floor_argv))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--before", type=Path, help="another source tree to run as 'before'")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--staging-only", action="store_true", help="leave out the steps with marts"
    )
    parser.add_argument("--floor", choices=sorted(FLOORS), help=argparse.SUPPRESS)
    parser.add_argument("--into", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        FLOORS[args.floor](args.folder, args.into)
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="growth-floor-"))
    work.mkdir(parents=True, exist_ok=True)
    plan = steps(args)
    runs: dict[str, list[tuple[float, float]]] = {label: [] for label, *_ in plan}
    for rep in range(args.repeat):
        for label, engine, tree, argv in plan:
            with Target(engine, work, label, args.pg) as target:
                if "product" in label:
                    run([sys.executable, "-c", UPGRADE, _url(engine, target)], tree)
                runs[label].append(run(argv(target), tree))
            wall, cpu = runs[label][-1]
            print(f"round {rep + 1}: {label}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    report(args, runs)
    return 0


def report(args: argparse.Namespace, runs: dict[str, list[tuple[float, float]]]) -> None:
    med = {
        n: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
        for n, r in runs.items()
    }
    print(f"\n{args.folder}: medians of {args.repeat}, interleaved\n")
    print("| step | wall s | CPU s | after / this (wall) | after / this (CPU) |")
    print("|---|---|---|---|---|")
    for engine in ("sqlite", "postgresql"):
        base = med.get(f"{engine}: product after, with marts") or med.get(
            f"{engine}: product after, staging only"
        )
        if base is None:
            continue
        for name, (wall, cpu) in med.items():
            if name.startswith(engine):
                print(
                    f"| {name} | {wall:.1f} | {cpu:.1f} | {base[0] / wall:.1f}× | "
                    f"{base[1] / cpu:.1f}× |"
                )
    owners = (("sqlite", "sqlite"), ("sqlite", "duckdb"), ("postgresql", "postgresql"))
    floors = {
        floor: med[f"{engine}: floor {floor}"]
        for engine, floor in owners
        if f"{engine}: floor {floor}" in med
    }
    print("\nEvery product step against every floor (wall / CPU; CPU is the client's):\n")
    print("| step | " + " | ".join(f"/ {f} floor" for f in floors) + " |")
    print("|---|" + "---|" * len(floors))
    for name, (wall, cpu) in med.items():
        if "product" not in name:
            continue
        cells = [f"{wall / w:.1f}× / {cpu / c:.1f}×" for w, c in floors.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    raise SystemExit(main())
