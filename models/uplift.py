"""Cohort uplift: the published (raw, period-over-period) figure and the causal one.

Definitions (also in docs/roi.md):

- Daily average of a window: the window's GMV (from `mart_merchant_day`) divided by its
  calendar days; a day without a row counts as zero.
- Raw uplift: programme daily average / baseline daily average - 1, summed over merchants
  for a cohort (3.76 means +376%). This is the published figure: season and trend stay in.
- Causal uplift: a ratio-of-ratios difference-in-differences. Each participant is matched
  to up to `MATCHES` non-participants of its industry nearest in baseline size (all
  non-participants when its industry has fewer than `MIN_SAME_INDUSTRY`). The matched
  controls' growth g_i = sum(programme) / sum(baseline) says what the calendar alone did;
  the counterfactual is baseline_i * g_i, and the effect is
  sum(programme_i) / sum(baseline_i * g_i) - 1. Multiplicative effects and seasons, as
  in retail, cancel exactly in this ratio.
- The cohort's 95% interval: merchant-level bootstrap (participants and controls resampled
  with replacement, matches kept), percentile. The comparison group is resampled from
  the pool of every non-participant with the same seed for every cohort (paired
  resampling), so two cohorts' draws can be subtracted replicate by replicate: the
  ranking's leader-minus-runner-up interval (models/uplift_ranking.py).
- A merchant's interval: its estimate against the spread of the same ratio among
  non-participants (each against its own matches, leaving itself out), so a single
  merchant is crowned only when it beats what non-participants do by chance.
- Pre-trend check: the same estimator on the window before the baseline (a placebo: no
  programme yet). An interval that excludes zero, or a placebo beyond +-15%, warns that
  the cohort was already growing faster (or slower) than comparable non-participants
  before the programme (the parallel-trends assumption looks broken).
- Season note: a big retail date (Chinese New Year, 618, Double 11, Double 12, National
  Day) inside the baseline or the programme window.

Modules, one job each: `uplift_calendar` (retail dates, windows), `uplift_estimator`
(numpy), `uplift_reads` (the database), `uplift_paths` (weekly steps, cumulative GMV),
`uplift_report` (JSON and tables), `uplift_ranking` (cohorts ranked, leader vs runner-up);
this module puts a cohort's figures together and re-exports the names callers use.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Engine
from threadpoolctl import ThreadpoolController

from models.kpis import raw_uplift
from models.scope import Scope
from models.uplift_calendar import (
    BASELINE_DAYS,
    CNY_DATES,
    POST_DAYS,
    BaselineKind,
    RetailEvent,
    Window,
    Windows,
    make_windows,
    parse_baseline,
    retail_events,
)
from models.uplift_estimator import (
    BOOTSTRAP_REPS,
    LEVEL,
    MATCHES,
    MIN_CONTROLS,
    MIN_SAME_INDUSTRY,
    NO_ESTIMATE,
    PRETREND_LIMIT,
    SEED,
    Estimate,
    bootstrap_did,
    bootstrap_with_draws,
    control_growth,
    did_effect,
    match_controls,
    percentile_interval,
    placebo_spread,
    resample_weights,
)
from models.uplift_paths import (
    CUMULATIVE_COLUMNS,
    WEEKLY_COLUMNS,
    counterfactual_weights,
    cumulative_incremental,
    daily_paths,
    weekly_steps,
)
from models.uplift_reads import (
    METRICS,
    Metric,
    cohort_info,
    control_panel,
    control_pool,
    mart_averages,
    member_list,
    member_panel,
    window_averages,
)
from models.uplift_reads import data_end as _data_end

__all__ = [
    "BASELINE_DAYS", "BOOTSTRAP_REPS", "CNY_DATES", "CUMULATIVE_COLUMNS", "LEVEL", "MATCHES",
    "METRICS", "MIN_CONTROLS", "MIN_SAME_INDUSTRY", "NO_ESTIMATE", "POST_DAYS",
    "PRETREND_LIMIT", "SEED", "WEEKLY_COLUMNS", "BaselineKind", "CohortUplift", "Estimate",
    "Metric", "MetricUplift", "RetailEvent", "Warning_", "Window", "Windows",
    "bootstrap_did", "cohort_info", "cohort_uplift", "control_growth", "control_panel",
    "control_pool", "cumulative_incremental", "did_effect", "make_windows",
    "match_controls", "member_list", "member_panel", "parse_baseline", "percentile_interval",
    "placebo_spread", "raw_uplift", "retail_events", "weekly_steps", "window_averages",
]  # fmt: skip


@dataclass
class Warning_:
    """A warning: a code (`season`, `pretrend`, `no_controls`, `few_matches`,
    `incomplete`) and its figures; pages translate it, the CLI prints `text`."""

    code: str
    text: str
    params: dict[str, object] = field(default_factory=dict)


MERCHANT_COLUMNS = [
    "merchant_id",
    "name",
    "industry",
    "baseline",
    "programme",
    "post",
    "raw_uplift",
    "causal_uplift",
    "causal_low",
    "causal_high",
    "significant",
    "incremental_daily",
    "reason",  # why a merchant has no causal figure: no_baseline | no_controls | None
]


@dataclass
class MetricUplift:
    """The figures of one metric (GMV or private-domain GMV) for one cohort."""

    metric: Metric
    baseline: float
    programme: float
    post: float | None
    raw_uplift: float | None
    raw_post_uplift: float | None
    causal: Estimate
    pretrend: Estimate
    merchants: pd.DataFrame  # MERCHANT_COLUMNS
    # One bootstrap draw of the causal uplift per replicate (empty without a figure): the
    # comparison group resampled with the weights every cohort shares.
    draws: np.ndarray = field(default_factory=lambda: np.full(0, np.nan))
    weekly: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=WEEKLY_COLUMNS))
    cumulative: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=CUMULATIVE_COLUMNS)
    )


@dataclass
class CohortUplift:
    cohort_id: str
    name: str
    windows: Windows
    controls: int  # non-participants that serve as matches
    gmv: MetricUplift
    private: MetricUplift
    warnings: list[Warning_]
    events_baseline: list[RetailEvent]
    events_programme: list[RetailEvent]

    def metric(self, metric: Metric) -> MetricUplift:
        return self.gmv if metric == "gmv" else self.private

    @property
    def weekly(self) -> pd.DataFrame:
        """GMV's weekly steps (WEEKLY_COLUMNS)."""
        return self.gmv.weekly

    @property
    def cumulative(self) -> pd.DataFrame:
        """GMV's cumulative incremental GMV (CUMULATIVE_COLUMNS)."""
        return self.gmv.cumulative


@dataclass(frozen=True)
class Resampling:
    """The bootstrap's randomness, shared by every cohort of one baseline and metric: the
    comparison group's weights over the pool of all non-participants (same seed for every
    cohort, so cohorts are resampled in pairs) and the participants' seed."""

    pool: pd.Index
    control_weights: np.ndarray  # replicates x pool
    seed: int
    reps: int

    @classmethod
    def draw(cls, pool: list[str], *, reps: int, seed: int) -> Resampling:
        weights = resample_weights(len(pool), reps, seed) if pool else np.zeros((reps, 0))
        return cls(pd.Index(pool), weights, seed, reps)

    def for_controls(self, ids: pd.Index) -> np.ndarray:
        """The weights of these controls (columns of the pool; a control outside the pool,
        which cannot happen with one database, weighs 1 in every replicate)."""
        position = self.pool.get_indexer(ids)
        out = np.ones((self.reps, len(ids)))
        found = position >= 0
        out[:, found] = self.control_weights[:, position[found]]
        return out


def _participant_seed(seed: int, cohort_id: str) -> int:
    """Cohorts hold different merchants: each resamples its own from its own stream."""
    return seed + 1 + zlib.crc32(cohort_id.encode("utf-8")) % 1_000_000


def _metric_uplift(
    metric: Metric,
    members: pd.DataFrame,
    averages: pd.DataFrame,
    controls: pd.DataFrame,
    control_averages: pd.DataFrame,
    has_post: bool,
    resampling: Resampling,
    cohort_id: str,
) -> tuple[MetricUplift, int]:
    base = averages[f"{metric}_baseline"].to_numpy(float)
    prog = averages[f"{metric}_programme"].to_numpy(float)
    post = averages[f"{metric}_post"].to_numpy(float)
    pre = averages[f"{metric}_pre"].to_numpy(float)
    base_c = control_averages[f"{metric}_baseline"].to_numpy(float)
    prog_c = control_averages[f"{metric}_programme"].to_numpy(float)
    pre_c = control_averages[f"{metric}_pre"].to_numpy(float)
    industry = members.set_index("merchant_id").loc[averages.index, "industry"].to_numpy()
    industry_c = controls.loc[control_averages.index, "industry"].to_numpy()
    reps, seed = resampling.reps, _participant_seed(resampling.seed, cohort_id)

    usable = base > 0
    usable_c = base_c > 0
    enough = usable_c.sum() >= MIN_CONTROLS
    causal = pretrend = NO_ESTIMATE
    draws = np.full(0, np.nan)
    used = 0
    merchant_causal = np.full(len(base), np.nan)
    low = np.full(len(base), np.nan)
    high = np.full(len(base), np.nan)
    incremental = np.full(len(base), np.nan)
    if usable.any() and enough:
        bc, pc, ic = base_c[usable_c], prog_c[usable_c], industry_c[usable_c]
        match = match_controls(industry[usable], base[usable], ic, bc)
        used = int((match.sum(0) > 0).sum())
        weights = resampling.for_controls(control_averages.index[usable_c])
        causal, draws = bootstrap_with_draws(
            base[usable], prog[usable], bc, pc, match,
            reps=reps, seed=seed, control_weights=weights,
        )  # fmt: skip
        g = control_growth(bc, pc, match, np.ones((1, len(bc))))[0]
        counterfactual = base[usable] * g
        merchant_causal[usable] = prog[usable] / counterfactual - 1
        incremental[usable] = prog[usable] - counterfactual
        spread = placebo_spread(bc, pc, ic)
        if spread is not None:
            log_effect = np.log(np.maximum(merchant_causal[usable] + 1, 1e-12))
            low[usable] = np.exp(log_effect - spread[1]) - 1
            high[usable] = np.exp(log_effect - spread[0]) - 1
        with_pre = usable & (pre > 0)
        keep = pre_c[usable_c] > 0
        if with_pre.any() and keep.sum() >= MIN_CONTROLS:
            pre_match = match_controls(
                industry[with_pre], pre[with_pre], ic[keep], pre_c[usable_c][keep]
            )
            pretrend = bootstrap_did(
                pre[with_pre], base[with_pre], pre_c[usable_c][keep], bc[keep], pre_match,
                reps=reps, seed=seed + 1,
            )  # fmt: skip
    reason = [
        None if ok and enough else "no_baseline" if not ok else "no_controls" for ok in usable
    ]
    total_base, total_prog = float(base.sum()), float(prog.sum())
    total_post = float(post.sum()) if has_post else None
    frame = pd.DataFrame(
        {
            "merchant_id": averages.index,
            "name": members.set_index("merchant_id").loc[averages.index, "name"].to_numpy(),
            "industry": industry,
            "baseline": base,
            "programme": prog,
            "post": post if has_post else np.nan,
            "raw_uplift": [raw_uplift(b, p) for p, b in zip(prog, base, strict=True)],
            "causal_uplift": merchant_causal,
            "causal_low": low,
            "causal_high": high,
            "significant": (low > 0) | (high < 0),
            "incremental_daily": incremental,
            "reason": reason,
        },
        columns=MERCHANT_COLUMNS,
    )
    frame = frame.sort_values("causal_uplift", ascending=False, na_position="last")
    return (
        MetricUplift(
            metric=metric,
            baseline=total_base,
            programme=total_prog,
            post=total_post,
            raw_uplift=raw_uplift(total_base, total_prog),
            raw_post_uplift=None if total_post is None else raw_uplift(total_base, total_post),
            causal=causal,
            pretrend=pretrend,
            merchants=frame.reset_index(drop=True),
            draws=draws,
        ),
        used,
    )


def _event_text(events: list[RetailEvent]) -> str:
    return ", ".join(
        sorted({e.code for e in events}, key=lambda c: [e.code for e in events].index(c))
    )


def _warnings(
    gmv: MetricUplift, events_b: list[RetailEvent], events_p: list[RetailEvent], has_post: bool
) -> list[Warning_]:
    """What an executive must know before reading the figures, in plain words (the pages
    translate the codes; `text` is for the command line)."""
    warnings: list[Warning_] = []
    if events_b or events_p:
        warnings.append(
            Warning_(
                "season",
                "Big retail dates fall in the windows (baseline: "
                f"{_event_text(events_b) or 'none'}; programme: {_event_text(events_p) or 'none'}"
                "): the raw uplift carries the season; read the causal figure.",
                {"baseline": [e.code for e in events_b], "programme": [e.code for e in events_p]},
            )
        )
    if gmv.causal.estimate is None:
        warnings.append(
            Warning_(
                "no_controls",
                f"Fewer than {MIN_CONTROLS} non-participants with baseline GMV: no causal "
                "estimate.",
                {"min": MIN_CONTROLS},
            )
        )
    pre = gmv.pretrend
    if pre.estimate is not None and (pre.significant or abs(pre.estimate) > PRETREND_LIMIT):
        direction = "faster" if pre.estimate > 0 else "slower"
        warnings.append(
            Warning_(
                "pretrend",
                f"Before the programme these merchants were already growing {direction} than "
                f"comparable non-participants ({pre.estimate:+.1%}): part of the uplift may "
                "not be the programme's (parallel-trends check).",
                {"estimate": pre.estimate, "low": pre.low, "high": pre.high},
            )
        )
    if not has_post:
        warnings.append(
            Warning_("incomplete", "No data after the programme yet: no post-programme figure.")
        )
    return warnings


# The bootstrap's products are small (replicates x a hundred controls): on a busy machine
# OpenBLAS's threads cost ten times the product itself (14 ms against 1.3 ms for 2000 x
# 100 by 100 x 25 on two shared cores), so a cohort's figures run on one BLAS thread.
_BLAS = ThreadpoolController()


@_BLAS.wrap(limits=1, user_api="blas")
def cohort_uplift(
    *,
    engine: Engine,
    scope: Scope,
    cohort_id: str,
    baseline: str = "pre28",
    reps: int = BOOTSTRAP_REPS,
    seed: int = SEED,
    paths: bool = True,
) -> CohortUplift | None:
    """Raw and causal uplift of a cohort and each of its merchants, GMV and private-domain
    GMV, each with its weekly steps and cumulative incremental GMV (empty without
    `paths`: the ranking needs none), and the warnings. None when the cohort is not in
    this scope. Cohorts computed with the same `reps` and `seed` share the comparison
    group's resampling (see `Resampling`). The windows' averages come from the cohort
    windows mart where it holds them (`mart_averages`), else from the merchants' days."""
    info = cohort_info(engine=engine, scope=scope, cohort_id=cohort_id)
    if info is None:
        return None
    kind, custom = parse_baseline(baseline)
    start, end = info["start_date"], info["end_date"]
    assert isinstance(start, date) and isinstance(end, date)
    windows = make_windows(start, end, kind, custom, _data_end(engine, scope))
    spans = [windows.pre, windows.baseline, windows.programme]
    if windows.post is not None:
        spans.append(windows.post)
    # The chart runs without a gap from the baseline (or the programme, for a baseline far
    # away) to the post window.
    chart_first = windows.baseline[0] if windows.baseline[1] >= start - timedelta(days=1) else start
    chart_last = windows.post[1] if windows.post is not None else end
    spans.append((chart_first, chart_last))

    members = member_list(engine=engine, scope=scope, cohort_id=cohort_id)
    marted = mart_averages(
        engine=engine, scope=scope, cohort_id=cohort_id, baseline=baseline, windows=windows
    )
    if marted is not None:  # the days only for the paths, of the chart's span
        spans = [(chart_first, chart_last)] if paths else []
    if spans:
        panel = member_panel(engine=engine, scope=scope, cohort_id=cohort_id, windows=spans)
        control_days = control_panel(engine=engine, scope=scope, windows=spans)
    if marted is None:
        averages = window_averages(panel, windows, members["merchant_id"])
        controls = control_days.groupby("merchant_id")["industry"].first().to_frame()
        control_averages = window_averages(control_days, windows)
    else:
        averages, control_averages, controls = marted
    has_post = windows.post is not None
    pool = control_pool(engine=engine, scope=scope)

    results = {}
    used = 0
    for offset, metric in enumerate(METRICS):
        resampling = Resampling.draw(pool, reps=reps, seed=seed + 10 * offset)
        figures, count = _metric_uplift(
            metric, members, averages, controls, control_averages, has_post, resampling,
            cohort_id,
        )  # fmt: skip
        if paths:
            weights = counterfactual_weights(averages, control_averages, members, controls, metric)
            days = daily_paths(panel, control_days, weights, chart_first, chart_last, metric)
            figures.weekly = weekly_steps(days, windows)
            figures.cumulative = cumulative_incremental(days, windows)
        results[metric] = figures
        used = max(used, count)

    events_b = retail_events(*windows.baseline)
    events_p = retail_events(*windows.programme)
    return CohortUplift(
        cohort_id=cohort_id,
        name=str(info["name"]),
        windows=windows,
        controls=used,
        gmv=results["gmv"],
        private=results["private_gmv"],
        warnings=_warnings(results["gmv"], events_b, events_p, has_post),
        events_baseline=events_b,
        events_programme=events_p,
    )


from models.uplift_report import (  # noqa: E402 - the report reads the types above
    COMPARISON_COLUMNS,
    comparison_table,
    uplift_report,
)

__all__ += ["COMPARISON_COLUMNS", "MERCHANT_COLUMNS", "comparison_table", "uplift_report"]
