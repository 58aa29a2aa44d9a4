"""Cohort uplift, the estimator (pure numpy): matching, the ratio-of-ratios
difference-in-differences, its merchant-level bootstrap and the single-merchant placebo
spread (see models/uplift.py for the definitions)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MATCHES = 5
MIN_SAME_INDUSTRY = 3
MIN_CONTROLS = 5  # fewer non-participants than this: no causal figure (and no peer shown)
BOOTSTRAP_REPS = 2000
SEED = 20181022
LEVEL = 0.95
PRETREND_LIMIT = 0.15


@dataclass(frozen=True)
class Estimate:
    estimate: float | None
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        """The interval excludes zero."""
        if self.low is None or self.high is None:
            return False
        return self.low > 0 or self.high < 0

    def as_dict(self) -> dict[str, float | None]:
        return {"estimate": self.estimate, "low": self.low, "high": self.high}


NO_ESTIMATE = Estimate(None, None, None)


def match_controls(
    industry: np.ndarray,
    size: np.ndarray,
    control_industry: np.ndarray,
    control_size: np.ndarray,
    *,
    k: int = MATCHES,
    min_same: int = MIN_SAME_INDUSTRY,
    exclude_self: bool = False,
) -> np.ndarray:
    """Match matrix (participants x controls, 0/1): the `k` controls of the same industry
    nearest in log size, or the `k` nearest of all when the industry has fewer than
    `min_same`. `exclude_self` (participants are the controls) leaves the diagonal out."""
    n, m = len(industry), len(control_industry)
    out = np.zeros((n, m))
    if m == 0:
        return out
    log_c = np.log(np.maximum(control_size.astype(float), 1e-9))
    for i in range(n):
        allowed = np.ones(m, dtype=bool)
        if exclude_self:
            allowed[i] = False
        same = allowed & (control_industry == industry[i])
        pool = same if same.sum() >= min_same else allowed
        candidates = np.flatnonzero(pool)
        if not len(candidates):
            continue
        distance = np.abs(log_c[candidates] - math.log(max(float(size[i]), 1e-9)))
        chosen = candidates[np.argsort(distance, kind="stable")[:k]]
        out[i, chosen] = 1.0
    return out


def control_growth(
    baseline_c: np.ndarray, programme_c: np.ndarray, match: np.ndarray, w: np.ndarray
) -> np.ndarray:
    """Matched controls' growth per participant, for each row of control weights `w`
    (replicates x controls): sum(w * programme) / sum(w * baseline) over the matches; the
    pooled growth of all weighted controls where a participant's matches weigh nothing."""
    # matches weighted by the controls' figures first (controls x participants), then one
    # product with the weights: not two replicates x controls copies of the weights
    num = w @ (programme_c[:, None] * match.T)
    den = w @ (baseline_c[:, None] * match.T)
    pooled = (w @ programme_c)[:, None] / np.maximum((w @ baseline_c)[:, None], 1e-12)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), pooled)


def did_effect(
    baseline: np.ndarray,
    programme: np.ndarray,
    baseline_c: np.ndarray,
    programme_c: np.ndarray,
    match: np.ndarray,
    v: np.ndarray | None = None,
    w: np.ndarray | None = None,
) -> np.ndarray:
    """Ratio-of-ratios DiD: sum(v * programme) / sum(v * baseline * g) - 1, per row of
    participant weights `v` and control weights `w` (one row: the point estimate)."""
    v = np.ones((1, len(baseline))) if v is None else v
    w = np.ones((1, len(baseline_c))) if w is None else w
    g = control_growth(baseline_c, programme_c, match, w)
    counterfactual = (v * baseline * g).sum(1)
    return (v * programme).sum(1) / np.maximum(counterfactual, 1e-12) - 1.0


def resample_weights(size: int, reps: int, seed: int) -> np.ndarray:
    """Bootstrap weights (replicates x units): how often each of `size` units is drawn
    when `size` are drawn with replacement."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(size, np.full(size, 1 / size), size=reps).astype(float)


def percentile_interval(draws: np.ndarray, level: float = LEVEL) -> tuple[float, float] | None:
    """The percentile interval of the finite bootstrap draws; None without any."""
    finite = draws[np.isfinite(draws)]
    if not len(finite):
        return None
    tail = (1 - level) / 2
    low, high = np.quantile(finite, [tail, 1 - tail])
    return float(low), float(high)


def bootstrap_draws(
    baseline: np.ndarray,
    programme: np.ndarray,
    baseline_c: np.ndarray,
    programme_c: np.ndarray,
    match: np.ndarray,
    *,
    reps: int = BOOTSTRAP_REPS,
    seed: int = SEED,
    control_weights: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """The point estimate and one bootstrap draw per replicate (NaN where a replicate has
    no figure), participants and controls resampled with replacement, matches kept.

    `control_weights` (replicates x controls), when given, are the controls' resampling
    weights: cohorts that share them are resampled in pairs (the same comparison group in
    each replicate), so the draws of two cohorts can be subtracted replicate by replicate.
    Without them both sets of weights come from `seed`, participants first."""
    point = float(did_effect(baseline, programme, baseline_c, programme_c, match)[0])
    rng = np.random.default_rng(seed)
    n, m = len(baseline), len(baseline_c)
    v = rng.multinomial(n, np.full(n, 1 / n), size=reps).astype(float)
    if control_weights is None:
        w = rng.multinomial(m, np.full(m, 1 / m), size=reps).astype(float)
    else:
        w = control_weights
    with np.errstate(invalid="ignore", divide="ignore"):
        draws = did_effect(baseline, programme, baseline_c, programme_c, match, v, w)
    return point, np.where(np.isfinite(draws), draws, np.nan)


def bootstrap_did(
    baseline: np.ndarray,
    programme: np.ndarray,
    baseline_c: np.ndarray,
    programme_c: np.ndarray,
    match: np.ndarray,
    *,
    reps: int = BOOTSTRAP_REPS,
    seed: int = SEED,
    level: float = LEVEL,
    control_weights: np.ndarray | None = None,
) -> Estimate:
    """Point estimate and the merchant-level bootstrap percentile interval."""
    estimate, _ = bootstrap_with_draws(
        baseline, programme, baseline_c, programme_c, match,
        reps=reps, seed=seed, level=level, control_weights=control_weights,
    )  # fmt: skip
    return estimate


def bootstrap_with_draws(
    baseline: np.ndarray,
    programme: np.ndarray,
    baseline_c: np.ndarray,
    programme_c: np.ndarray,
    match: np.ndarray,
    *,
    reps: int = BOOTSTRAP_REPS,
    seed: int = SEED,
    level: float = LEVEL,
    control_weights: np.ndarray | None = None,
) -> tuple[Estimate, np.ndarray]:
    """`bootstrap_did` and its draws (empty without participants or controls)."""
    if len(baseline) == 0 or len(baseline_c) == 0:
        return NO_ESTIMATE, np.full(0, np.nan)
    point, draws = bootstrap_draws(
        baseline, programme, baseline_c, programme_c, match,
        reps=reps, seed=seed, control_weights=control_weights,
    )  # fmt: skip
    interval = percentile_interval(draws, level)
    if interval is None:
        return Estimate(point, None, None), draws
    return Estimate(point, *interval), draws


def placebo_spread(
    baseline_c: np.ndarray,
    programme_c: np.ndarray,
    industry_c: np.ndarray,
    *,
    level: float = LEVEL,
) -> tuple[float, float] | None:
    """Quantiles of log(programme / (baseline * g)) among non-participants, each against its
    own matches (leaving itself out): the chance spread of one merchant's ratio."""
    if len(baseline_c) < MIN_CONTROLS:
        return None
    match = match_controls(industry_c, baseline_c, industry_c, baseline_c, exclude_self=True)
    g = control_growth(baseline_c, programme_c, match, np.ones((1, len(baseline_c))))[0]
    ok = (baseline_c > 0) & (programme_c > 0) & (g > 0)
    residual = np.log(programme_c[ok] / (baseline_c[ok] * g[ok]))
    if len(residual) < MIN_CONTROLS:
        return None
    return percentile_interval(residual, level)
