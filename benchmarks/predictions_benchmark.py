"""Benchmark: the predictions step (`python -m pipelines predict`) on a loaded database,
measuring wall time, CPU time and peak memory of its own process.

    python benchmarks/predictions_benchmark.py --db URL

The database must hold a loaded delivery (e.g. `python -m pipelines demo --out DIR --scale
s --load --db URL`). Prints a Markdown row to paste into docs/benchmarks.md, with the
merchants fitted and the customers predicted.
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

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.db import make_engine  # noqa: E402
from models.schema_predictions import CustomerPrediction, PredictionFit  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    argv = [sys.executable, "-m", "pipelines", "predict", "--db", args.db, "--quiet"]
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.stderr.write(text)
        return 1
    engine = make_engine(args.db)
    with engine.connect() as connection:
        customers = connection.execute(select(func.count()).select_from(CustomerPrediction))
        predicted = int(customers.scalar_one())
        fits = connection.execute(
            select(PredictionFit.status, func.count()).group_by(PredictionFit.status)
        ).all()
    counts = {str(s): int(n) for s, n in fits}
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        "| step | merchants fitted / too little history | customers predicted | wall s | CPU s "
        "| peak RSS MB |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| predict | {counts.get('fitted', 0)} / {counts.get('not_enough', 0)} | "
        f"{predicted:,} | {seconds:.0f} | {usage.ru_utime + usage.ru_stime:.0f} | "
        f"{usage.ru_maxrss / 1024:.0f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
