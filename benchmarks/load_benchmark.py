"""Benchmark: generate a demo delivery and load it, measuring time and peak memory.

    python benchmarks/load_benchmark.py --scale m [--db URL] [--keep DIR]

Each step runs in its own process so that its peak resident memory (ru_maxrss) is its
own. Prints a Markdown row per step to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_step(label: str, argv: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run one step as a child process; os.wait4 gives that child's own peak memory."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if child.returncode != 0:
        sys.stderr.write(text)
        raise SystemExit(f"{label} failed with exit code {child.returncode}")
    return {
        "step": label,
        "seconds": seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # Linux reports KiB
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }


def folder_stats(folder: Path) -> tuple[int, int]:
    orders = folder / "orders.csv"
    with orders.open("rb") as fh:
        rows = sum(1 for _ in fh) - 1
    size = sum(p.stat().st_size for p in folder.iterdir())
    return rows, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["s", "m", "l"], default="m")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--keep", help="keep the delivery and database in this folder")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="growth-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    delivery = work / f"delivery-{args.scale}"
    db = args.db or f"sqlite:///{work / f'bench-{args.scale}.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    python = sys.executable

    results = [
        run_step(
            f"generate {args.scale}",
            [
                python,
                "-m",
                "pipelines",
                "demo",
                "--out",
                str(delivery),
                "--scale",
                args.scale,
                "--seed",
                str(args.seed),
                "--quiet",
            ],
            env,
        )
    ]
    orders, size = folder_stats(delivery)
    results.append(
        run_step(
            f"load {args.scale}",
            [python, "-m", "pipelines", "load", str(delivery), "--db", db, "--quiet"],
            env,
        )
    )
    results.append(
        run_step(
            f"reload {args.scale} (same folder)",
            [python, "-m", "pipelines", "load", str(delivery), "--db", db, "--quiet"],
            env,
        )
    )

    print(
        f"\nMachine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; database: {db.split(':', 1)[0]}"
    )
    print(f"Delivery: {orders:,} orders, {size / 1e6:,.0f} MB on disk\n")
    print("| step | wall s | CPU s | peak RSS MB | orders/s |")
    print("|---|---|---|---|---|")
    for r in results:
        rate = (
            f"{orders / r['seconds']:,.0f}"
            if str(r["step"]).startswith(("load", "reload"))
            else "-"
        )
        print(
            f"| {r['step']} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
            f"{r['peak_rss_mb']:,.0f} | {rate} |"
        )
    if not args.keep:
        print(f"\n(work folder {work} can be removed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
