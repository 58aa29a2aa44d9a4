"""Orchestration: world, calibration of the first cohort, per-merchant files, ground truth."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import numpy as np

from models.uplift_calendar import BASELINE_DAYS  # the published uplift's window

from ._calendar import events_between
from ._config import (
    DAY0,
    LAST_DAY,
    N_DAYS,
    PROGRAMME,
    SCALES,
    TARGET_FIRST_UPLIFT,
    CohortSpec,
    day_index,
)
from ._output import MerchantResult, simulate
from ._programme import attendance_frame, cohorts_frame, merchants_frame
from ._world import Merchant, World, baseline_orders, build_world
from ._writer import DeliveryWriter

FORMAT_VERSION = 1

DEFINITIONS = {
    "raw_uplift": (
        "Gross GMV of the cohort's merchants per day over start_date..end_date divided by their "
        "gross GMV per day over the 28 days before start_date, minus 1, measured on orders.csv."
    ),
    "raw_uplift_target": (
        "The raw uplift the generator aimed at in expectation (C2018A: the published +376%, hit "
        "exactly on the written orders)."
    ),
    "calibration_factor": (
        "Factor applied to order amounts inside the first cohort's window so the measured raw "
        "uplift hits the target exactly; the true effects below include it."
    ),
    "seasonal_ratio": (
        "Expected GMV per day in the window over that in the baseline without any programme: "
        "what the calendar alone does to the raw uplift."
    ),
    "true_effect_total": (
        "Expected GMV with the programme over the window divided by expected GMV without it over "
        "the same days, minus 1 (the causal effect, free of season and trend)."
    ),
    "true_effect_private": "The same ratio restricted to private-domain channels.",
    "peak_private_multiplier": (
        "Multiplier the programme puts on private-domain orders in the window's last week."
    ),
    "persistence": "Share of the final effect a merchant keeps after the window ends.",
    "engagement": "Latent 0..1 commitment of a participant; drives attendance and maturity gain.",
    "maturity_start": (
        "Latent maturity 0..1 of each connection (touchpoints, performance, data) at the "
        "window start, or at the data start for controls."
    ),
    "maturity_end": "The same at the window end, or at the data end for controls.",
    "true_lift": (
        "Relative increase in treated customers' purchase rate caused by a campaign (holdout "
        "customers get none)."
    ),
    "expected_incremental_gmv": "Expected GMV the campaign adds over its run (treated customers).",
    "true_roi": "expected_incremental_gmv divided by cost.",
    "roi_showcase": (
        "The tracked mini-program campaign whose cumulative incremental ROI reaches 10x within "
        "30 days, its lift rising week by week."
    ),
    "refund": "Blank refund means no refund.",
    "customer identities": (
        "Customers sharing a unified_id are one person seen in store and in the mini-program; "
        "touchpoint connections made before 2017-09-01 keep their original date."
    ),
}


def _raw_uplift(daily: np.ndarray, cohort: CohortSpec) -> float:
    s, e = day_index(cohort.start), day_index(cohort.end)
    window = daily[s : e + 1].sum() / (e - s + 1)
    baseline = daily[s - BASELINE_DAYS : s].sum() / BASELINE_DAYS
    return float(window / baseline - 1)


def _members(world: World, cohort: CohortSpec) -> list[Merchant]:
    return [m for m in world.merchants if m.cohort is cohort]


def _calibrate_first(world: World, seed: int, say: Callable[[str], None]) -> float:
    """Factor on window amounts of the first cohort that makes its raw uplift hit the target."""
    cohort = world.cohorts[0]
    members = _members(world, cohort)
    daily = np.zeros(N_DAYS)
    for i, m in enumerate(members):
        say(f"calibrating {cohort.cohort_id}: merchant {i + 1}/{len(members)}")
        daily += simulate(m, seed, measure_only=True).daily_gmv
    return (1 + TARGET_FIRST_UPLIFT) / (1 + _raw_uplift(daily, cohort))


def _seasonal_ratio(members: list[Merchant], cohort: CohortSpec) -> float:
    daily = sum((baseline_orders(m) * m.aov[None, :]).sum(1) for m in members)
    return _raw_uplift(np.asarray(daily), cohort) + 1


def _cohort_truth(
    world: World,
    cohort: CohortSpec,
    results: dict[str, MerchantResult],
    factor: float,
) -> dict[str, object]:
    members = _members(world, cohort)
    daily = sum(results[m.merchant_id].daily_gmv for m in members)
    sums = {
        k: sum(results[m.merchant_id].window_sums[k] for m in members)
        for k in ("with", "without", "with_private", "without_private")
    }
    base_start = cohort.start - timedelta(days=BASELINE_DAYS)
    base_end = cohort.start - timedelta(days=1)
    return {
        "cohort_id": cohort.cohort_id,
        "name": cohort.name,
        "start": cohort.start.isoformat(),
        "end": cohort.end.isoformat(),
        "days": (cohort.end - cohort.start).days + 1,
        "merchant_count": len(members),
        "merchants": sorted(m.merchant_id for m in members),
        "baseline": {
            "start": base_start.isoformat(),
            "end": base_end.isoformat(),
            "days": BASELINE_DAYS,
        },
        "raw_uplift": round(_raw_uplift(np.asarray(daily), cohort), 5),
        "raw_uplift_target": round(world.targets[cohort.cohort_id], 4),
        "calibration_factor": round(factor, 6),
        "seasonal_ratio": round(_seasonal_ratio(members, cohort), 4),
        "true_effect_total": round(sums["with"] / sums["without"] - 1, 4),
        "true_effect_private": round(sums["with_private"] / sums["without_private"] - 1, 4),
        "events_in_baseline": events_between(base_start, base_end),
        "events_in_window": events_between(cohort.start, cohort.end),
    }


def generate_demo(
    out_dir: Path,
    *,
    scale: str = "s",
    seed: int = 2018,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Write a delivery (contract CSV files) into out_dir plus ground_truth.json; return the truth.

    Same seed and scale give byte-identical files. Scale "s" is the demo (about 90 merchants,
    220k orders); "m" and "l" stream merchant by merchant (about 4M and 40M orders).
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}, got {scale!r}")
    say = progress or (lambda _message: None)
    out_dir = Path(out_dir)
    world = build_world(np.random.default_rng(np.random.SeedSequence([seed, 1])), scale)
    say(f"world: {len(world.merchants)} merchants, {len(world.cohorts)} cohorts")
    factor = _calibrate_first(world, seed, say)
    first = world.cohorts[0]
    results: dict[str, MerchantResult] = {}
    with DeliveryWriter(out_dir) as writer:
        writer.write("cohorts", cohorts_frame(world))
        writer.write("merchants", merchants_frame(world))
        writer.write(
            "attendance",
            attendance_frame(np.random.default_rng(np.random.SeedSequence([seed, 3])), world),
        )
        for i, m in enumerate(world.merchants):
            say(f"orders: merchant {i + 1}/{len(world.merchants)}")
            result = simulate(m, seed, factor if m.cohort is first else 1.0)
            for name, tables in result.tables.items():
                for table in tables:
                    writer.write(name, table)
            result.tables = {}
            results[m.merchant_id] = result
        rows = dict(writer.rows)
    truth = {
        "generator": "pipelines.demo",
        "format_version": FORMAT_VERSION,
        "seed": seed,
        "scale": scale,
        "programme": PROGRAMME,
        "data_range": {"start": str(DAY0), "end": str(LAST_DAY)},
        "published": {
            "cohort_id": first.cohort_id,
            "raw_uplift": TARGET_FIRST_UPLIFT,
            "source": "doubling plan, first cohort: 17 brands, +376% daily GMV",
        },
        "rows": rows,
        "cohorts": [
            _cohort_truth(world, c, results, factor if c is first else 1.0) for c in world.cohorts
        ],
        "controls": sorted(m.merchant_id for m in world.merchants if m.cohort is None),
        "merchants": [results[m.merchant_id].truth for m in world.merchants],
        "campaigns": [c for m in world.merchants for c in results[m.merchant_id].campaigns],
        "definitions": DEFINITIONS,
    }
    text = json.dumps(truth, indent=2, ensure_ascii=False)
    (out_dir / "ground_truth.json").write_text(text + "\n", encoding="utf-8")
    say("done")
    return truth
