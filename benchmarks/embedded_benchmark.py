"""Benchmark: SQLite or DuckDB as the embedded engine, on what decides it.

    python benchmarks/embedded_benchmark.py DELIVERY_FOLDER [--repeat 3] [--work DIR]

For each engine, in its own process, into a fresh file, interleaved A/B round by round:
1. load: the four large files of a delivery (orders, touchpoint_events, store_traffic,
   customers) into typed tables with the staging tables' primary keys, in one
   transaction (SQLite: `csv` + one prepared `executemany` per file; DuckDB: `INSERT ...
   SELECT` from `read_csv`). The validation the product does is the same work on either
   engine and is left out: this is the engine's own part.
2. marts: the merchant-day mart (orders, GMV, refunds, distinct customers, a merchant and
   day) and a trailing 30-day customer reach per merchant-day, as one `CREATE TABLE ... AS
   SELECT` each.
3. a page's typical reads, each with bound parameters, 200 times, median milliseconds
   ("mart year", "orders year"), on a read-only connection as the app holds it: one merchant's
   year of days from the mart (the overview chart), and one merchant's daily GMV grouped
   from the orders (what a page without a mart would do).
Wall and CPU of steps 1-2 measured in the child (CPU is the process's, all threads: both
engines run in process); read latencies measured inside the child.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FILES = {
    "orders": (
        "order_id TEXT, merchant_id TEXT, customer_id TEXT, ordered_at TIMESTAMP, "
        "channel TEXT, gmv DOUBLE, refund DOUBLE, campaign_id TEXT, store_id TEXT, "
        "guide_id TEXT",
        "merchant_id, order_id",
    ),
    "touchpoint_events": (
        "event_id TEXT, merchant_id TEXT, customer_id TEXT, touchpoint TEXT, action TEXT, "
        "occurred_at TIMESTAMP, guide_id TEXT, group_id TEXT",
        "merchant_id, event_id",
    ),
    "store_traffic": (
        "merchant_id TEXT, store_id TEXT, date DATE, visitors BIGINT, identified_visitors BIGINT",
        "merchant_id, store_id, date",
    ),
    "customers": (
        "merchant_id TEXT, customer_id TEXT, first_seen_on DATE, unified_id TEXT, "
        "member_level TEXT",
        "merchant_id, customer_id",
    ),
}

MART = {
    "sqlite": """
CREATE TABLE mart_day AS
SELECT merchant_id, date(ordered_at) AS day, count(*) AS orders, sum(gmv) AS gmv,
       sum(coalesce(refund, 0)) AS refunds, count(DISTINCT customer_id) AS customers
FROM orders GROUP BY merchant_id, date(ordered_at)""",
    "duckdb": """
CREATE TABLE mart_day AS
SELECT merchant_id, CAST(ordered_at AS DATE) AS day, count(*) AS orders, sum(gmv) AS gmv,
       sum(coalesce(refund, 0)) AS refunds, count(DISTINCT customer_id) AS customers
FROM orders GROUP BY merchant_id, CAST(ordered_at AS DATE)""",
}
REACH = {
    "sqlite": """
CREATE TABLE mart_reach AS
WITH buyer_day AS (
  SELECT DISTINCT merchant_id, customer_id, date(ordered_at) AS day FROM orders
  WHERE customer_id IS NOT NULL AND customer_id <> '')
SELECT d.merchant_id, d.day, count(DISTINCT b.customer_id) AS reach_30d
FROM mart_day d JOIN buyer_day b
  ON b.merchant_id = d.merchant_id AND b.day > date(d.day, '-30 days') AND b.day <= d.day
GROUP BY d.merchant_id, d.day""",
    "duckdb": """
CREATE TABLE mart_reach AS
WITH buyer_day AS (
  SELECT DISTINCT merchant_id, customer_id, CAST(ordered_at AS DATE) AS day FROM orders
  WHERE customer_id IS NOT NULL AND customer_id <> '')
SELECT d.merchant_id, d.day, count(DISTINCT b.customer_id) AS reach_30d
FROM mart_day d JOIN buyer_day b
  ON b.merchant_id = d.merchant_id AND b.day > d.day - INTERVAL 30 DAY AND b.day <= d.day
GROUP BY d.merchant_id, d.day""",
}
READ_MART = (
    "SELECT day, orders, gmv, customers FROM mart_day "
    "WHERE merchant_id = ? AND day >= ? AND day <= ? ORDER BY day"
)
READ_ORDERS = {
    "sqlite": "SELECT date(ordered_at) AS day, sum(gmv) FROM orders WHERE merchant_id = ? "
    "AND ordered_at >= ? AND ordered_at < ? GROUP BY date(ordered_at) ORDER BY day",
    "duckdb": "SELECT CAST(ordered_at AS DATE) AS day, sum(gmv) FROM orders WHERE "
    "merchant_id = ? AND ordered_at >= CAST(? AS TIMESTAMP) AND ordered_at < CAST(? AS "
    "TIMESTAMP) GROUP BY day ORDER BY day",
}


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [h.strip().lower() for h in next(csv.reader(fh))]


def _columns(spec: str) -> list[str]:
    return [part.split()[0] for part in spec.split(", ")]


def _sqlite_rows(path: Path, wanted: list[str]) -> Any:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader)]
        pick = [header.index(c) if c in header else None for c in wanted]
        keep = [c == "store_id" for c in wanted]  # a key column: blank is "", not NULL
        for row in reader:
            yield tuple(
                None if i is None else row[i] if k else row[i] or None
                for i, k in zip(pick, keep, strict=True)
            )


def build(engine: str, folder: Path, target: Path) -> dict[str, float]:
    """Steps 1 and 2 in this process; returns the seconds of each."""
    times: dict[str, float] = {}
    started, cpu = time.perf_counter(), time.process_time()
    if engine == "sqlite":
        connection: Any = sqlite3.connect(target)
        with connection:
            for name, (spec, key) in FILES.items():
                sql_spec = spec.replace("DOUBLE", "REAL").replace("BIGINT", "INTEGER")
                connection.execute(f"CREATE TABLE {name} ({sql_spec}, PRIMARY KEY ({key}))")
                wanted = _columns(spec)
                marks = ", ".join("?" for _ in wanted)
                connection.executemany(
                    f"INSERT INTO {name} VALUES ({marks})",
                    _sqlite_rows(folder / f"{name}.csv", wanted),
                )
    else:
        import duckdb

        connection = duckdb.connect(str(target))
        connection.execute("BEGIN")
        for name, (spec, key) in FILES.items():
            connection.execute(f"CREATE TABLE {name} ({spec}, PRIMARY KEY ({key}))")
            present = set(_header(folder / f"{name}.csv"))
            picked = ", ".join(
                ("coalesce(store_id, '')" if c == "store_id" else c) if c in present else "NULL"
                for c in _columns(spec)
            )
            connection.execute(
                f"INSERT INTO {name} SELECT {picked} FROM read_csv(?, header = true, "
                "all_varchar = true)",
                [str(folder / f"{name}.csv")],
            )
        connection.execute("COMMIT")
    times["load"] = time.perf_counter() - started
    times["load CPU"] = time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    connection.execute(MART[engine])
    if engine == "sqlite":
        connection.execute("CREATE INDEX ix_mart_day ON mart_day (merchant_id, day)")
        connection.execute("CREATE INDEX ix_orders_day ON orders (merchant_id, ordered_at)")
        connection.commit()
    times["day mart"] = time.perf_counter() - started
    times["day mart CPU"] = time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    connection.execute(REACH[engine])
    if engine == "sqlite":
        connection.commit()
    times["reach"] = time.perf_counter() - started
    times["reach CPU"] = time.process_time() - cpu
    connection.close()
    return times


def reads(engine: str, target: Path, repeat: int = 200) -> dict[str, float]:
    """Step 3, on a read-only connection as the app holds it; median milliseconds."""
    if engine == "sqlite":
        connection: Any = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    else:
        import duckdb

        connection = duckdb.connect(str(target), read_only=True)
    merchant = connection.execute("SELECT min(merchant_id) FROM orders").fetchone()[0]
    out: dict[str, float] = {}
    for label, sql, args in (
        ("mart year", READ_MART, [merchant, "2019-01-01", "2019-12-31"]),
        ("orders year", READ_ORDERS[engine], [merchant, "2019-01-01", "2020-01-01"]),
    ):
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            connection.execute(sql, args).fetchall()
            samples.append(time.perf_counter() - started)
        out[label] = statistics.median(samples) * 1000
    out["file MB"] = target.stat().st_size / 1e6
    connection.close()
    return out


def child(engine: str, folder: Path, target: Path) -> int:
    target.unlink(missing_ok=True)
    times = build(engine, folder, target)
    print(json.dumps({**times, **reads(engine, target)}))
    target.unlink(missing_ok=True)
    Path(f"{target}.wal").unlink(missing_ok=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--engine", choices=["sqlite", "duckdb"], help=argparse.SUPPRESS)
    parser.add_argument("--into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        return child(args.engine, args.folder, args.into)
    work = args.work or Path(tempfile.mkdtemp(prefix="growth-embedded-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[dict[str, float]]] = {"sqlite": [], "duckdb": []}
    for _rep in range(args.repeat):
        for engine in results:
            argv = [sys.executable, __file__, str(args.folder), "--engine", engine]
            argv += ["--into", str(work / f"embedded.{engine}")]
            started = time.perf_counter()
            out = subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=True).stdout
            row = json.loads(out.strip().splitlines()[-1])
            row["wall"] = time.perf_counter() - started
            results[engine].append(row)
            print(engine, row, flush=True)
    keys = ["load", "load CPU", "day mart", "day mart CPU", "reach", "reach CPU"]
    keys += ["mart year", "orders year", "file MB"]
    print("\n| engine | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    med = {
        e: {k: statistics.median(r[k] for r in rows) for k in keys} for e, rows in results.items()
    }
    for engine, values in med.items():
        print(f"| {engine} | " + " | ".join(f"{values[k]:.3g}" for k in keys) + " |")
    print(
        "\nratio sqlite / duckdb: "
        + ", ".join(f"{k} {med['sqlite'][k] / med['duckdb'][k]:.1f}×" for k in keys)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
