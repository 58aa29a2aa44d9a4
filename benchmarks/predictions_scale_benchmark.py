"""Benchmark: the model part of the predictions step at scale m, on purchase histories drawn
from pymc-marketing's own BG/NBD (so the fits converge as on real data), side by side with
the library's per-fit compile.

    python benchmarks/predictions_scale_benchmark.py [--merchants 20] [--customers 10000]
        [--library 3]

Per merchant it runs what `pipelines.predictions.predict_merchant` runs on a summary:
`clv.fit` (BG/NBD + Gamma-Gamma), `clv.predict` (30/90-day purchases, alive, spend, CLV)
and `clv.calibrate` (BG/NBD on the history before a cut-off, expected holdout purchases).
The first `--library` merchants are also fitted with `BetaGeoModel.fit(method="map")` and
`GammaGammaModel.fit(method="map")` as the library ships them (one compile a fit), for the
ratio. Prints medians per merchant, the process's CPU time (with its compiler children)
and peak RSS. The SQL part (the RFM summary) is measured by predictions_benchmark.py on a
loaded database.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models import clv  # noqa: E402


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def histories(customers: int, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    """A merchant's summary (two years of history) and holdout purchases: drawn from the
    library's BetaGeoNBD with parameters near CDNOW's, spend from a gamma."""
    import pymc as pm
    from pymc_marketing.clv.distributions import BetaGeoNBD

    rng = np.random.default_rng(seed)
    age = rng.uniform(1, 104, customers)
    draws = pm.draw(
        BetaGeoNBD.dist(a=0.8, b=2.4, r=0.25 * rng.uniform(0.8, 1.2), alpha=4.4, T=age),
        random_seed=seed,
    )
    recency, frequency = draws[:, 0], draws[:, 1].astype(int)
    spend = np.where(frequency > 0, rng.gamma(6.0, 5.0, customers), 0.0)
    summary = pd.DataFrame(
        {
            "customer_id": [f"c{n}" for n in range(customers)],
            "frequency": frequency,
            "recency": recency,
            "T": age,
            "monetary_value": spend,
        }
    )
    holdout = pd.Series(rng.poisson(0.1 * frequency + 0.05))
    return summary, holdout


def library_fit(summary: pd.DataFrame) -> None:
    from pymc_marketing import clv as library

    spenders = summary[summary["frequency"] > 0].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        library.BetaGeoModel().fit(
            data=summary.drop(columns="monetary_value"), method="map", progressbar=False
        )
        library.GammaGammaModel().fit(data=spenders, method="map", progressbar=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--merchants", type=int, default=20)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--library", type=int, default=3)
    args = parser.parse_args()
    started, cpu_started = time.perf_counter(), _cpu()
    clv.fit(histories(200, 0)[0])  # the one compile of the process
    compile_wall, compile_cpu = time.perf_counter() - started, _cpu() - cpu_started
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    draw_seconds = 0.0
    for number in range(args.merchants):
        t = time.perf_counter()
        summary, holdout = histories(args.customers, number + 1)
        draw_seconds += time.perf_counter() - t
        t, c = time.perf_counter(), _cpu()
        fitted = clv.fit(summary)
        clv.predict(fitted, summary)
        clv.calibrate(summary, holdout, 90)
        ours.append((time.perf_counter() - t, _cpu() - c))
        if number < args.library:
            t, c = time.perf_counter(), _cpu()
            library_fit(summary)
            summary_cal = summary.assign(monetary_value=0.0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from pymc_marketing import clv as library

                library.BetaGeoModel().fit(
                    data=summary_cal.drop(columns="monetary_value"),
                    method="map",
                    progressbar=False,
                )
            theirs.append((time.perf_counter() - t, _cpu() - c))
        print(f"merchant {number + 1}: {ours[-1][0]:.2f}s wall, {ours[-1][1]:.2f}s CPU", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{args.merchants} merchants x {args.customers:,} customers "
        f"(drawing the histories: {draw_seconds:.0f}s, not counted)"
    )
    print(f"one compile per process: {compile_wall:.1f}s wall, {compile_cpu:.1f}s CPU")
    print("| fits of one merchant (3 MAP fits + predictions) | median wall s | median CPU s |")
    print("|---|---|---|")
    ours_cpu = statistics.median(c for _w, c in ours)
    print(
        f"| compiled once (models/clv_map.py), {len(ours)} merchants | "
        f"{statistics.median(w for w, _c in ours):.2f} | {ours_cpu:.2f} |"
    )
    if theirs:
        their_cpu = statistics.median(c for _w, c in theirs)
        print(
            f'| library `fit(method="map")`, 3 fits only, {len(theirs)} merchants | '
            f"{statistics.median(w for w, _c in theirs):.2f} | {their_cpu:.2f} |"
        )
        print(f"CPU ratio library / compiled once: {their_cpu / ours_cpu:.1f}x")
    print(
        f"all merchants: {sum(w for w, _c in ours):.0f}s wall, "
        f"{sum(c for _w, c in ours):.0f}s CPU (plus the compile)"
    )
    print(f"peak RSS of the process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
