"""Cohort uplift, the ranking: which cohort is ahead by causal uplift, by how much, and how
sure that is.

Cohorts are ranked by their causal uplift (point estimate, best first); a cohort without
a causal figure is listed last with the reason. The lead of the first over the second is
a statistical statement, not a reading of two intervals: every cohort's bootstrap resamples
the comparison group with the same weights (`models.uplift.Resampling`: one seed, the pool
of every non-participant), and its participants from its own stream, so replicate r of the
leader minus replicate r of the runner-up is one draw of the difference. Its percentile
interval says whether the lead is certain (it excludes zero) or not yet.

A difference of two uplifts is in fractions: 1.24 is 124 percentage points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from models import queries
from models.scope import Scope
from models.uplift import BOOTSTRAP_REPS, SEED, CohortUplift, Metric, cohort_uplift
from models.uplift_estimator import LEVEL, NO_ESTIMATE, Estimate, percentile_interval

Verdict = Literal["ahead", "not_certain", "only_one", "none"]

RANKING_COLUMNS = [
    "rank",
    "cohort_id",
    "name",
    "merchants",
    "raw_uplift",
    "causal_uplift",
    "causal_low",
    "causal_high",
    "significant",
    "reason",  # why a cohort has no causal figure: no_controls | None
]


@dataclass
class Ranking:
    """Cohorts by causal uplift and the leader's lead over the runner-up.

    `verdict`: `ahead` (the difference's interval excludes zero), `not_certain` (it does
    not), `only_one` (one cohort has a causal figure), `none` (no cohort has one)."""

    metric: Metric
    baseline: str
    table: pd.DataFrame  # RANKING_COLUMNS, best first
    leader: str | None
    runner_up: str | None
    difference: Estimate  # leader minus runner-up, in fractions (1.24 = 124 points)
    verdict: Verdict

    def row(self, cohort_id: str) -> pd.Series:
        return self.table.set_index("cohort_id").loc[cohort_id]


def difference(first: np.ndarray, second: np.ndarray, level: float = LEVEL) -> Estimate:
    """The percentile interval of paired draws first - second (replicates where both have
    a figure); no interval when the two were not drawn in pairs (different lengths)."""
    if len(first) != len(second) or not len(first):
        return NO_ESTIMATE
    interval = percentile_interval(first - second, level)
    return NO_ESTIMATE if interval is None else Estimate(None, *interval)


def rank_cohorts(
    results: Sequence[CohortUplift | None],
    metric: Metric = "gmv",
    *,
    baseline: str = "pre28",
    level: float = LEVEL,
) -> Ranking:
    """Rank cohorts computed with the same `reps` and `seed` (so their draws pair)."""
    rows = []
    for result in results:
        if result is None:
            continue
        figures = result.metric(metric)
        causal = figures.causal
        rows.append(
            {
                "cohort_id": result.cohort_id,
                "name": result.name,
                "merchants": len(figures.merchants),
                "raw_uplift": figures.raw_uplift,
                "causal_uplift": causal.estimate,
                "causal_low": causal.low,
                "causal_high": causal.high,
                "significant": causal.significant,
                "reason": None if causal.estimate is not None else "no_controls",
            }
        )
    table = pd.DataFrame(rows, columns=[c for c in RANKING_COLUMNS if c != "rank"])
    table["causal_uplift"] = pd.to_numeric(table["causal_uplift"], errors="coerce")
    table = table.sort_values(
        ["causal_uplift", "cohort_id"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)
    known = table["causal_uplift"].notna()
    table.insert(0, "rank", [i + 1 if k else None for i, k in enumerate(known)])
    table = table.reindex(columns=RANKING_COLUMNS)
    ranked = list(table.loc[known, "cohort_id"])
    if not ranked:
        return Ranking(metric, baseline, table, None, None, NO_ESTIMATE, "none")
    if len(ranked) == 1:
        return Ranking(metric, baseline, table, ranked[0], None, NO_ESTIMATE, "only_one")
    by_id = {r.cohort_id: r.metric(metric) for r in results if r is not None}
    first, second = by_id[ranked[0]], by_id[ranked[1]]
    assert first.causal.estimate is not None and second.causal.estimate is not None
    spread = difference(first.draws, second.draws, level)
    lead = Estimate(first.causal.estimate - second.causal.estimate, spread.low, spread.high)
    verdict: Verdict = "ahead" if lead.low is not None and lead.low > 0 else "not_certain"
    return Ranking(metric, baseline, table, ranked[0], ranked[1], lead, verdict)


def cohort_ranking(
    *,
    engine: Engine,
    scope: Scope,
    baseline: str = "pre28",
    metric: Metric = "gmv",
    reps: int = BOOTSTRAP_REPS,
    seed: int = SEED,
) -> Ranking:
    """Every cohort of this scope, computed with one resampling, ranked."""
    ids = queries.cohorts(engine=engine, scope=scope)["cohort_id"]
    results = [
        cohort_uplift(
            engine=engine,
            scope=scope,
            cohort_id=str(c),
            baseline=baseline,
            reps=reps,
            seed=seed,
            paths=False,
        )
        for c in ids
    ]
    return rank_cohorts(results, metric, baseline=baseline)
