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
  with replacement, matches kept), percentile. A merchant's interval: its estimate against
  the spread of the same ratio among non-participants (each against its own matches,
  leaving itself out), so a single merchant is crowned only when it beats what
  non-participants do by chance.
- Pre-trend check: the same estimator on the window before the baseline (a placebo: no
  programme yet). An interval that excludes zero, or a placebo beyond +-15%, warns that
  the parallel-trends assumption looks broken.
- Season note: a big retail date (Chinese New Year, 618, Double 11, Double 12, National
  Day) inside the baseline or the programme window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy import Engine, or_, select

from models.db import read_frame
from models.schema import Cohort, MartMerchantDay, Merchant
from models.scope import Scope

BaselineKind = Literal["pre28", "last_year", "custom"]
Metric = Literal["gmv", "private_gmv"]
METRICS: tuple[Metric, ...] = ("gmv", "private_gmv")

BASELINE_DAYS = 28
POST_DAYS = 28
MATCHES = 5
MIN_SAME_INDUSTRY = 3
MIN_CONTROLS = 5  # fewer non-participants than this: no causal figure (and no peer shown)
BOOTSTRAP_REPS = 2000
SEED = 20181022
LEVEL = 0.95
PRETREND_LIMIT = 0.15

# Big retail dates: (code, first day, last day) per year; Chinese New Year by its date.
CNY_DATES = (
    date(2015, 2, 19),
    date(2016, 2, 8),
    date(2017, 1, 28),
    date(2018, 2, 16),
    date(2019, 2, 5),
    date(2020, 1, 25),
    date(2021, 2, 12),
    date(2022, 2, 1),
    date(2023, 1, 22),
    date(2024, 2, 10),
    date(2025, 1, 29),
    date(2026, 2, 17),
    date(2027, 2, 6),
    date(2028, 1, 26),
    date(2029, 2, 13),
    date(2030, 2, 3),
)


@dataclass(frozen=True)
class RetailEvent:
    code: str  # cny | 618 | double_11 | double_12 | national_day
    start: date
    end: date


def retail_events(first: date, last: date) -> list[RetailEvent]:
    """Big retail dates overlapping first..last (with their run-up), oldest first."""
    events = [RetailEvent("cny", d - timedelta(days=21), d + timedelta(days=13)) for d in CNY_DATES]
    for year in range(first.year - 1, last.year + 2):
        events += [
            RetailEvent("618", date(year, 6, 1), date(year, 6, 18)),
            RetailEvent("national_day", date(year, 10, 1), date(year, 10, 7)),
            RetailEvent("double_11", date(year, 10, 21), date(year, 11, 11)),
            RetailEvent("double_12", date(year, 12, 1), date(year, 12, 12)),
        ]
    hits = [e for e in events if e.start <= last and e.end >= first]
    return sorted(hits, key=lambda e: e.start)


# --- windows -------------------------------------------------------------------------

Window = tuple[date, date]


@dataclass(frozen=True)
class Windows:
    baseline: Window
    programme: Window
    post: Window | None
    pre: Window  # the window before the baseline, for the pre-trend check
    kind: BaselineKind = "pre28"

    def days(self, name: str) -> int:
        window = getattr(self, name)
        return 0 if window is None else (window[1] - window[0]).days + 1


def _minus_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def parse_baseline(text: str | None) -> tuple[BaselineKind, Window | None]:
    """`pre28`, `last_year` or `START:END` (ISO dates) -> kind and custom window."""
    text = (text or "pre28").strip()
    if text in ("pre28", "last_year"):
        return text, None  # type: ignore[return-value]
    if ":" in text:
        lo, hi = (part.strip() for part in text.split(":", 1))
        start, end = date.fromisoformat(lo), date.fromisoformat(hi)
        if end < start:
            raise ValueError(f"baseline end {end} is before its start {start}")
        return "custom", (start, end)
    raise ValueError(f"baseline must be pre28, last_year or START:END, got {text!r}")


def make_windows(
    start: date,
    end: date,
    kind: BaselineKind = "pre28",
    custom: Window | None = None,
    data_end: date | None = None,
) -> Windows:
    """The baseline, programme, post and pre-trend windows of a programme start..end."""
    if kind == "pre28":
        baseline = (start - timedelta(days=BASELINE_DAYS), start - timedelta(days=1))
    elif kind == "last_year":
        baseline = (_minus_year(start), _minus_year(end))
    else:
        if custom is None:
            raise ValueError("a custom baseline needs its window")
        baseline = custom
    length = (baseline[1] - baseline[0]).days + 1
    pre = (baseline[0] - timedelta(days=length), baseline[0] - timedelta(days=1))
    post: Window | None = (end + timedelta(days=1), end + timedelta(days=POST_DAYS))
    if data_end is not None and post is not None:
        post = None if data_end <= end else (post[0], min(post[1], data_end))
    return Windows(baseline=baseline, programme=(start, end), post=post, pre=pre, kind=kind)


# --- the estimator (pure numpy) --------------------------------------------------------


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


def ratio(after: float, before: float) -> float | None:
    """after / before - 1; None without a positive base."""
    if not before or before <= 0 or not math.isfinite(before) or not math.isfinite(after):
        return None
    return float(after) / float(before) - 1.0


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
    num = (w * programme_c) @ match.T
    den = (w * baseline_c) @ match.T
    pooled = (w * programme_c).sum(1, keepdims=True) / np.maximum(
        (w * baseline_c).sum(1, keepdims=True), 1e-12
    )
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
) -> Estimate:
    """Point estimate and the merchant-level bootstrap percentile interval."""
    n, m = len(baseline), len(baseline_c)
    if n == 0 or m == 0:
        return NO_ESTIMATE
    point = float(did_effect(baseline, programme, baseline_c, programme_c, match)[0])
    rng = np.random.default_rng(seed)
    v = rng.multinomial(n, np.full(n, 1 / n), size=reps).astype(float)
    w = rng.multinomial(m, np.full(m, 1 / m), size=reps).astype(float)
    draws = did_effect(baseline, programme, baseline_c, programme_c, match, v, w)
    draws = draws[np.isfinite(draws)]
    tail = (1 - level) / 2
    low, high = np.quantile(draws, [tail, 1 - tail])
    return Estimate(point, float(low), float(high))


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
    tail = (1 - level) / 2
    low, high = np.quantile(residual, [tail, 1 - tail])
    return float(low), float(high)


# --- reading the panel -----------------------------------------------------------------

_D = MartMerchantDay.__table__.c
_M = Merchant.__table__.c
_C = Cohort.__table__.c

PANEL_COLUMNS = ["merchant_id", "name", "industry", "date", "gmv", "private_gmv"]


def cohort_info(*, engine: Engine, scope: Scope, cohort_id: str) -> dict[str, object] | None:
    """The cohort's id, name and programme window, if this scope may see it."""
    stmt = select(_C.cohort_id, _C.name, _C.start_date, _C.end_date).where(
        _C.cohort_id == cohort_id, scope.cohort_filter(_C.cohort_id)
    )
    with engine.connect() as connection:
        row = connection.execute(stmt).first()
    return None if row is None else dict(row._mapping)


def _in_windows(windows: list[Window]):  # noqa: ANN202 - a SQL clause
    return or_(*[_D.date.between(lo, hi) for lo, hi in windows])


def member_panel(
    *, engine: Engine, scope: Scope, cohort_id: str, windows: list[Window]
) -> pd.DataFrame:
    """Merchant-days of the cohort's merchants in scope inside the given windows."""
    stmt = (
        select(_M.merchant_id, _M.name, _M.industry, _D.date, _D.gmv, _D.private_gmv)
        .join(MartMerchantDay.__table__, _D.merchant_id == _M.merchant_id)
        .where(scope.merchant_filter(_M.merchant_id), _M.cohort_id == cohort_id)
        .where(_in_windows(windows))
        .order_by(_M.merchant_id, _D.date)
    )
    return read_frame(engine, stmt).reindex(columns=PANEL_COLUMNS)


def member_list(*, engine: Engine, scope: Scope, cohort_id: str) -> pd.DataFrame:
    """The cohort's merchants in scope (also those without any day in the windows)."""
    stmt = (
        select(_M.merchant_id, _M.name, _M.industry)
        .where(scope.merchant_filter(_M.merchant_id), _M.cohort_id == cohort_id)
        .order_by(_M.merchant_id)
    )
    return read_frame(engine, stmt).reindex(columns=["merchant_id", "name", "industry"])


def control_panel(*, engine: Engine, scope: Scope, windows: list[Window]) -> pd.DataFrame:
    """Merchant-days of the non-participants (blank cohort) inside the windows.

    The comparison group is shown only as an aggregate; outside the executive view its
    merchants come anonymised (`control-01`, ... by merchant id), without names, and only
    when there are at least `MIN_CONTROLS` of them: no one learns a peer's figures.
    """
    stmt = (
        select(_M.merchant_id, _M.industry, _D.date, _D.gmv, _D.private_gmv)
        .join(MartMerchantDay.__table__, _D.merchant_id == _M.merchant_id)
        .where(_M.cohort_id.is_(None), _in_windows(windows))
        .order_by(_M.merchant_id, _D.date)
    )
    frame = read_frame(engine, stmt).reindex(
        columns=["merchant_id", "industry", "date", "gmv", "private_gmv"]
    )
    ids = sorted(frame["merchant_id"].unique())
    if len(ids) < MIN_CONTROLS:
        return frame.iloc[0:0]
    if not scope.sees_everything:
        alias = {mid: f"control-{i + 1:02d}" for i, mid in enumerate(ids)}
        frame["merchant_id"] = frame["merchant_id"].map(alias)
    return frame


def _data_end(engine: Engine, scope: Scope) -> date | None:
    stmt = select(_D.date).where(scope.merchant_filter(_D.merchant_id))
    stmt = stmt.order_by(_D.date.desc()).limit(1)
    with engine.connect() as connection:
        return connection.execute(stmt).scalar()


# --- window figures --------------------------------------------------------------------

WINDOW_NAMES = ("pre", "baseline", "programme", "post")


def window_averages(
    panel: pd.DataFrame, windows: Windows, merchants: pd.Series | None = None
) -> pd.DataFrame:
    """Per merchant and metric, the daily average in each window (sum / calendar days), as
    columns `<metric>_<window>`; merchants without a day in a window get 0 there."""
    ids = pd.Index(
        sorted(set(panel["merchant_id"]) | set(merchants if merchants is not None else [])),
        name="merchant_id",
    )
    out = pd.DataFrame(index=ids)
    days = pd.to_datetime(panel["date"]).dt.date if len(panel) else pd.Series([], dtype=object)
    for name in WINDOW_NAMES:
        window = getattr(windows, name)
        for metric in METRICS:
            column = f"{metric}_{name}"
            if window is None:
                out[column] = np.nan
                continue
            inside = (days >= window[0]) & (days <= window[1])
            sums = panel.loc[inside].groupby("merchant_id")[metric].sum().astype(float)
            out[column] = sums.reindex(ids, fill_value=0.0) / windows.days(name)
    return out


@dataclass
class Warning_:
    """A warning: a code (`season`, `pretrend`, `no_controls`, `few_matches`,
    `incomplete`) and its figures; pages translate it, the CLI prints `text`."""

    code: str
    text: str
    params: dict[str, object] = field(default_factory=dict)


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
]


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
    weekly: pd.DataFrame  # WEEKLY_COLUMNS
    cumulative: pd.DataFrame  # CUMULATIVE_COLUMNS

    def metric(self, metric: Metric) -> MetricUplift:
        return self.gmv if metric == "gmv" else self.private


def _metric_uplift(
    metric: Metric,
    members: pd.DataFrame,
    averages: pd.DataFrame,
    controls: pd.DataFrame,
    control_averages: pd.DataFrame,
    has_post: bool,
    seed: int,
    reps: int,
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

    usable = base > 0
    usable_c = base_c > 0
    causal = pretrend = NO_ESTIMATE
    used = 0
    merchant_causal = np.full(len(base), np.nan)
    low = np.full(len(base), np.nan)
    high = np.full(len(base), np.nan)
    incremental = np.full(len(base), np.nan)
    if usable.any() and usable_c.sum() >= MIN_CONTROLS:
        bc, pc, ic = base_c[usable_c], prog_c[usable_c], industry_c[usable_c]
        match = match_controls(industry[usable], base[usable], ic, bc)
        used = int((match.sum(0) > 0).sum())
        causal = bootstrap_did(base[usable], prog[usable], bc, pc, match, reps=reps, seed=seed)
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
            "raw_uplift": [ratio(p, b) for p, b in zip(prog, base, strict=True)],
            "causal_uplift": merchant_causal,
            "causal_low": low,
            "causal_high": high,
            "significant": (low > 0) | (high < 0),
            "incremental_daily": incremental,
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
            raw_uplift=ratio(total_prog, total_base),
            raw_post_uplift=None if total_post is None else ratio(total_post, total_base),
            causal=causal,
            pretrend=pretrend,
            merchants=frame.reset_index(drop=True),
        ),
        used,
    )


WEEKLY_COLUMNS = ["week_start", "phase", "days", "cohort_daily", "counterfactual_daily"]
CUMULATIVE_COLUMNS = ["date", "day", "actual", "counterfactual", "incremental", "cumulative"]


def _counterfactual_weights(
    averages: pd.DataFrame, control_averages: pd.DataFrame, members: pd.DataFrame,
    controls: pd.DataFrame,
) -> pd.Series:  # fmt: skip
    """Weight of each control's daily GMV in the cohort's counterfactual daily GMV:
    sum_i baseline_i * match_ij / sum_j' match_ij' baseline_j'."""
    base = averages["gmv_baseline"].to_numpy(float)
    base_c = control_averages["gmv_baseline"].to_numpy(float)
    usable, usable_c = base > 0, base_c > 0
    weights = pd.Series(0.0, index=control_averages.index)
    if not usable.any() or usable_c.sum() < MIN_CONTROLS:
        return weights
    industry = members.set_index("merchant_id").loc[averages.index, "industry"].to_numpy()
    industry_c = controls.loc[control_averages.index, "industry"].to_numpy()
    match = match_controls(industry[usable], base[usable], industry_c[usable_c], base_c[usable_c])
    den = match @ base_c[usable_c]
    per_control = (base[usable][:, None] * match / den[:, None]).sum(0)
    weights.loc[control_averages.index[usable_c]] = per_control
    return weights


def _daily_paths(
    panel: pd.DataFrame, control_days: pd.DataFrame, weights: pd.Series, first: date, last: date
) -> pd.DataFrame:
    days = pd.date_range(first, last, freq="D").date
    actual = (
        panel.assign(date=pd.to_datetime(panel["date"]).dt.date)
        .groupby("date")["gmv"]
        .sum()
        .reindex(days, fill_value=0.0)
        .astype(float)
    )
    if weights.sum() > 0 and len(control_days):
        cd = control_days.assign(date=pd.to_datetime(control_days["date"]).dt.date)
        cd = cd[cd["merchant_id"].isin(weights.index[weights > 0])]
        weighted = cd["gmv"].astype(float) * cd["merchant_id"].map(weights).to_numpy()
        counterfactual = (
            weighted.groupby(cd["date"]).sum().reindex(days, fill_value=0.0).astype(float)
        )
    else:
        counterfactual = pd.Series(np.nan, index=days)
    return pd.DataFrame(
        {"date": days, "actual": actual.to_numpy(), "counterfactual": counterfactual.to_numpy()}
    )


def weekly_steps(paths: pd.DataFrame, windows: Windows) -> pd.DataFrame:
    """Daily average GMV per week from the baseline start (weeks counted from the baseline
    start; the programme's weeks from its start), with the counterfactual."""
    frame = paths.copy()
    start = windows.programme[0]
    days_from = np.array([(d - start).days for d in frame["date"]])
    frame["week"] = np.floor_divide(days_from, 7)
    frame["phase"] = np.where(
        frame["date"] < start,
        "baseline",
        np.where(frame["date"] <= windows.programme[1], "programme", "post"),
    )
    grouped = frame.groupby(["week", "phase"], sort=True)
    out = grouped.agg(
        week_start=("date", "min"),
        days=("date", "size"),
        cohort_daily=("actual", "mean"),
        counterfactual_daily=("counterfactual", "mean"),
    ).reset_index()
    out = out.sort_values("week_start")
    return out.reindex(columns=WEEKLY_COLUMNS).reset_index(drop=True)


def cumulative_incremental(paths: pd.DataFrame, windows: Windows) -> pd.DataFrame:
    """Per day from the programme start: actual and counterfactual GMV, the difference and
    its running total (the cohort's cumulative incremental GMV)."""
    start = windows.programme[0]
    frame = paths[paths["date"] >= start].copy()
    frame["day"] = [(d - start).days + 1 for d in frame["date"]]
    frame["incremental"] = frame["actual"] - frame["counterfactual"]
    frame["cumulative"] = frame["incremental"].cumsum()
    return frame.reindex(columns=CUMULATIVE_COLUMNS).reset_index(drop=True)


def _event_text(events: list[RetailEvent]) -> str:
    return ", ".join(
        sorted({e.code for e in events}, key=lambda c: [e.code for e in events].index(c))
    )


def cohort_uplift(
    *,
    engine: Engine,
    scope: Scope,
    cohort_id: str,
    baseline: str = "pre28",
    reps: int = BOOTSTRAP_REPS,
    seed: int = SEED,
) -> CohortUplift | None:
    """Raw and causal uplift of a cohort and each of its merchants, GMV and private-domain
    GMV, with the weekly steps, the cumulative incremental GMV and the warnings. None when
    the cohort is not in this scope."""
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
    panel = member_panel(engine=engine, scope=scope, cohort_id=cohort_id, windows=spans)
    control_days = control_panel(engine=engine, scope=scope, windows=spans)
    averages = window_averages(panel, windows, members["merchant_id"])
    controls = control_days.groupby("merchant_id")["industry"].first().to_frame()
    control_averages = window_averages(control_days, windows)
    has_post = windows.post is not None

    results = {}
    used = 0
    for offset, metric in enumerate(METRICS):
        results[metric], count = _metric_uplift(
            metric, members, averages, controls, control_averages, has_post, seed + 10 * offset,
            reps,
        )  # fmt: skip
        used = max(used, count)

    events_b = retail_events(*windows.baseline)
    events_p = retail_events(*windows.programme)
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
    gmv = results["gmv"]
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
        warnings.append(
            Warning_(
                "pretrend",
                f"Before the programme the cohort already moved {pre.estimate:+.1%} against "
                "its comparison group (the window before the baseline): the parallel-trends "
                "assumption looks broken; treat the causal figure with care.",
                {"estimate": pre.estimate, "low": pre.low, "high": pre.high},
            )
        )
    if not has_post:
        warnings.append(
            Warning_("incomplete", "No data after the programme yet: no post-programme figure.")
        )

    weights = _counterfactual_weights(averages, control_averages, members, controls)
    paths = _daily_paths(panel, control_days, weights, chart_first, chart_last)
    return CohortUplift(
        cohort_id=cohort_id,
        name=str(info["name"]),
        windows=windows,
        controls=used,
        gmv=results["gmv"],
        private=results["private_gmv"],
        warnings=warnings,
        events_baseline=events_b,
        events_programme=events_p,
        weekly=weekly_steps(paths, windows),
        cumulative=cumulative_incremental(paths, windows),
    )


def _clean(value: object) -> object:
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else round(float(value), 6)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _metric_report(figures: MetricUplift) -> dict[str, object]:
    return {
        "baseline": _clean(figures.baseline),
        "programme": _clean(figures.programme),
        "post": _clean(figures.post),
        "raw_uplift": _clean(figures.raw_uplift),
        "raw_post_uplift": _clean(figures.raw_post_uplift),
        "causal_uplift": {k: _clean(v) for k, v in figures.causal.as_dict().items()},
        "pretrend": {k: _clean(v) for k, v in figures.pretrend.as_dict().items()},
    }


def uplift_report(result: CohortUplift) -> dict[str, object]:
    """The JSON-ready report (`python -m pipelines report uplift`): daily averages, raw
    uplift and causal uplift with interval as fractions (3.76 means +376%)."""
    w = result.windows
    gmv = result.gmv
    by_id = result.private.merchants.set_index("merchant_id")
    merchants = []
    for row in gmv.merchants.itertuples(index=False):
        private = by_id.loc[row.merchant_id]
        merchants.append(
            {
                "merchant_id": row.merchant_id,
                "name": row.name,
                "industry": row.industry,
                "baseline": _clean(row.baseline),
                "programme": _clean(row.programme),
                "post": _clean(row.post),
                "raw_uplift": _clean(row.raw_uplift),
                "causal_uplift": {
                    "estimate": _clean(row.causal_uplift),
                    "low": _clean(row.causal_low),
                    "high": _clean(row.causal_high),
                },
                "private_domain": {
                    "baseline": _clean(private["baseline"]),
                    "programme": _clean(private["programme"]),
                    "raw_uplift": _clean(private["raw_uplift"]),
                    "causal_uplift": {
                        "estimate": _clean(private["causal_uplift"]),
                        "low": _clean(private["causal_low"]),
                        "high": _clean(private["causal_high"]),
                    },
                },
            }
        )
    report = {
        "cohort": result.cohort_id,
        "name": result.name,
        "windows": {
            "baseline_kind": w.kind,
            "baseline": [w.baseline[0].isoformat(), w.baseline[1].isoformat()],
            "programme": [w.programme[0].isoformat(), w.programme[1].isoformat()],
            "post": None if w.post is None else [w.post[0].isoformat(), w.post[1].isoformat()],
            "pretrend": [w.pre[0].isoformat(), w.pre[1].isoformat()],
        },
        "merchant_count": len(gmv.merchants),
        "controls": result.controls,
        **_metric_report(gmv),
        "private_domain": _metric_report(result.private),
        "merchants": merchants,
        "warnings": [{"code": x.code, "message": x.text} for x in result.warnings],
    }
    return report


COMPARISON_COLUMNS = ["cohort_id", "raw_uplift", "causal_uplift", "causal_low", "causal_high"]


def comparison_table(results: list[CohortUplift | None]) -> pd.DataFrame:
    """Raw against causal GMV uplift, one row per cohort."""
    rows = [
        {
            "cohort_id": r.cohort_id,
            "raw_uplift": r.gmv.raw_uplift,
            "causal_uplift": r.gmv.causal.estimate,
            "causal_low": r.gmv.causal.low,
            "causal_high": r.gmv.causal.high,
        }
        for r in results
        if r is not None
    ]
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
