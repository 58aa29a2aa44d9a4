"""Sample-size planning: what a holdout or a cohort can show before it starts.

Definitions (power from `statsmodels.stats.power`, two-sided, alpha 5%, power 80%):

- Campaign: the outcome is a customer's GMV over the campaign window (30 days), zeros
  included. Its mean and standard deviation come from the merchant's own customers over
  the last 30 days of data (`spend_stats`). With n customers and holdout share s, the
  holdout has round(s x n) and the treatment the rest; the minimum detectable lift is the
  smallest standardised difference a two-sample t-test finds with that power
  (`TTestIndPower`'s power, solved in `_standardised`), times sd / mean: a lift relative
  to the holdout's GMV per customer.
- The holdout needed for a target lift: the smallest holdout (in customers) whose minimum
  detectable lift is at most the target; none when even half the segment is too few.
- Cohort: the outcome is a merchant-day's GMV relative to the merchant's own baseline
  (daily average of the 28 days before), over the 28 days before the cohort started (no
  programme yet, so only noise). Days of one merchant are alike, so a merchant's m days
  count as m / DEFF independent days with the clustered design effect
  DEFF = 1 + (m - 1) x ICC, ICC the share of the variance between merchants (one-way
  ANOVA estimator). The minimum detectable causal uplift compares the participants'
  effective days with the controls' (`NormalIndPower` on the effective sizes), times sd.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import nctdtr, ndtri, stdtrit
from sqlalchemy import Engine, and_, func, select

from models.db import read_frame
from models.schema import Cohort, MartMerchantDay, Merchant, Order, table_of
from models.scope import Scope
from models.uplift_estimator import MATCHES  # controls per participant at most

ALPHA = 0.05
POWER = 0.8
WINDOW_DAYS = 30  # a campaign's outcome window, without an end date (its one definition)
COHORT_DAYS = 28
# A holdout that cannot tell a doubling of GMV per customer from chance is too small to
# read (per-customer GMV over 30 days is mostly zeros: its spread is several times its mean).
# Why a doubling and not a typical offer's +10-30%: at a merchant's scale no holdout reaches
# the latter (demo: 30-day spend sd/mean 3.5, tiers of 5-45 customers; detectable lifts of
# the 119 delivered holdout campaigns run from +32% to +926%, median +170%), so a +30% bar
# marks every holdout unreadable and the mark says nothing. A doubling still separates the
# holdouts that can show a large effect (24 of 119) from those that show nothing; the page
# says that most offers lift less, so a readable holdout may still show no clear effect.
READABLE_LIFT = 1.0
MIN_GROUP = 2


@dataclass(frozen=True)
class SpendStats:
    customers: int
    mean: float
    sd: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def groups(customers: int, holdout_share: float) -> tuple[int, int]:
    """(treatment, holdout) sizes, as `models.offers.holdout_groups` splits them."""
    holdout = round(holdout_share * customers)
    return customers - holdout, holdout


def t_test_power(effect: float, n_holdout: float, n_treatment: float, alpha: float) -> float:
    """Power of the two-sided two-sample t-test at standardised difference `effect`: what
    `statsmodels`' `TTestIndPower().power` computes (noncentral t, df = n1 + n2 - 2)."""
    df = n_holdout + n_treatment - 2
    nc = effect * math.sqrt(1.0 / (1.0 / n_holdout + 1.0 / n_treatment))
    low = stdtrit(df, alpha / 2)  # the critical values: -low and low
    return float(1.0 - nctdtr(df, nc, -low) + nctdtr(df, nc, low))


@functools.lru_cache(maxsize=4096)  # a pure function of four numbers
def _standardised(n_treatment: int, n_holdout: int, alpha: float, power: float) -> float | None:
    """The standardised difference a two-sided t-test finds with `power`: the root of
    `t_test_power`, as `TTestIndPower().solve_power` finds it (which stops within 2e-5
    of the root). Solved here with the critical values computed once and scipy's ufuncs:
    statsmodels' solver recomputed them at each of ~50 steps, 0.1 s a solve on a busy
    machine, most of a minute for the 400 holdout campaigns of scale m."""
    if n_treatment < MIN_GROUP or n_holdout < MIN_GROUP:
        return None
    # the normal approximation brackets the root from below; widen until power is reached
    guess = (ndtri(1 - alpha / 2) + ndtri(power)) * math.sqrt(1 / n_holdout + 1 / n_treatment)
    high = 2.0 * guess
    while t_test_power(high, n_holdout, n_treatment, alpha) < power:
        high *= 2.0
    return float(
        brentq(
            lambda d: t_test_power(d, n_holdout, n_treatment, alpha) - power,
            1e-12,
            high,
            xtol=1e-12,
            rtol=1e-12,
        )
    )


def detectable_lift(
    *,
    customers: int,
    holdout_share: float,
    mean: float,
    sd: float,
    alpha: float = ALPHA,
    power: float = POWER,
) -> float | None:
    """Smallest lift in GMV per customer (0.2 = +20%) the holdout can detect; None when a
    group has fewer than two customers or there is no spend to compare."""
    if mean <= 0 or sd <= 0:
        return None
    treatment, holdout = groups(customers, holdout_share)
    effect = _standardised(treatment, holdout, alpha, power)
    return None if effect is None else effect * sd / mean


def detectable_lift_of_groups(
    *,
    treatment: int,
    holdout: int,
    mean: float,
    sd: float,
    alpha: float = ALPHA,
    power: float = POWER,
) -> float | None:
    """`detectable_lift` for groups of known sizes (a campaign that ran)."""
    if mean <= 0 or sd <= 0:
        return None
    effect = _standardised(treatment, holdout, alpha, power)
    return None if effect is None else effect * sd / mean


def holdout_needed(
    *,
    customers: int,
    target_lift: float,
    mean: float,
    sd: float,
    alpha: float = ALPHA,
    power: float = POWER,
) -> float | None:
    """The smallest holdout share whose detectable lift is at most `target_lift`; None
    when even an even split cannot detect it. Bisection on the holdout's customers: the
    detectable lift falls as the holdout grows towards half the segment."""
    if target_lift <= 0 or mean <= 0 or sd <= 0:
        return None

    def lift(held: int) -> float:
        effect = _standardised(customers - held, held, alpha, power)
        return math.inf if effect is None else effect * sd / mean

    low, high = MIN_GROUP, customers // 2
    if high < low or lift(high) > target_lift:
        return None
    while low < high:
        middle = (low + high) // 2
        if lift(middle) <= target_lift:
            high = middle
        else:
            low = middle + 1
    return low / customers


def design_effect(days_per_merchant: int, icc: float) -> float:
    """DEFF = 1 + (m - 1) x ICC for m days per merchant."""
    return 1 + (days_per_merchant - 1) * max(icc, 0.0)


def cohort_detectable_uplift(
    *,
    participants: int,
    controls: int,
    days: int,
    sd: float,
    icc: float,
    alpha: float = ALPHA,
    power: float = POWER,
) -> float | None:
    """Smallest causal uplift (0.2 = +20%) a cohort of `participants` merchants can show
    against `controls`, each observed `days` days with relative daily GMV of spread `sd`
    and intra-merchant correlation `icc`; None without two merchants on each side."""
    if participants < MIN_GROUP or controls < MIN_GROUP or days < 1 or sd <= 0:
        return None
    deff = design_effect(days, icc)
    n_p, n_c = participants * days / deff, controls * days / deff
    from statsmodels.stats.power import NormalIndPower  # imported when asked (1-2 s)

    effect = NormalIndPower().solve_power(
        effect_size=None, nobs1=n_p, ratio=n_c / n_p, alpha=alpha, power=power
    )
    return float(np.asarray(effect).item()) * sd


def icc_anova(frame: pd.DataFrame) -> float:
    """One-way ANOVA intra-class correlation of `value` within `merchant_id`
    (balanced-design formula with the average group size)."""
    sizes = frame.groupby("merchant_id")["value"].size()
    k, n = len(sizes), len(frame)
    if k < 2 or n <= k:
        return 0.0
    grand = frame["value"].mean()
    means = frame.groupby("merchant_id")["value"].transform("mean")
    between = float((sizes * (frame.groupby("merchant_id")["value"].mean() - grand) ** 2).sum())
    within = float(((frame["value"] - means) ** 2).sum())
    msb, msw = between / (k - 1), within / (n - k)
    m0 = (n - float((sizes**2).sum()) / n) / (k - 1)
    denominator = msb + (m0 - 1) * msw
    return 0.0 if denominator <= 0 else max((msb - msw) / denominator, 0.0)


# --- from the data ---------------------------------------------------------------------


def spend_stats(
    *, engine: Engine, scope: Scope, merchant_id: str, days: int = WINDOW_DAYS
) -> SpendStats | None:
    """Mean and sd of a customer's GMV over the merchant's last `days` days of data,
    customers who did not buy counting as zero; None without orders."""
    o = table_of(Order).c
    visible = and_(o.merchant_id == merchant_id, scope.merchant_filter(o.merchant_id))
    with engine.connect() as connection:
        last = connection.execute(select(func.max(o.ordered_on)).where(visible)).scalar()
        if last is None:
            return None
        customers = connection.execute(
            select(func.count(func.distinct(o.customer_id))).where(
                visible, o.customer_id.is_not(None)
            )
        ).scalar_one()
    start = last - timedelta(days=days - 1)
    per_customer = (
        select(o.customer_id, func.sum(o.gmv).label("gmv"))
        .where(visible, o.customer_id.is_not(None), o.ordered_on >= start)
        .group_by(o.customer_id)
    )
    spend = read_frame(engine, per_customer)["gmv"].astype(float).to_numpy()
    n = int(customers)
    if n < MIN_GROUP:
        return None
    values = np.concatenate([spend, np.zeros(n - len(spend))])
    return SpendStats(customers=n, mean=float(values.mean()), sd=float(values.std(ddof=1)))


@dataclass(frozen=True)
class CohortPlan:
    cohort_id: str
    participants: int
    controls: int
    days: int
    sd: float | None
    icc: float | None
    design_effect: float | None
    detectable_uplift: float | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _relative_days(engine: Engine, merchant_ids: list[str], start: date) -> pd.DataFrame:
    """Each merchant's daily GMV over the `COHORT_DAYS` before `start`, divided by its
    daily average of the `COHORT_DAYS` before those (merchants without a baseline left
    out)."""
    d = table_of(MartMerchantDay).c
    first = start - timedelta(days=2 * COHORT_DAYS)
    stmt = select(d.merchant_id, d.date, d.gmv).where(
        d.merchant_id.in_(merchant_ids), d.date >= first, d.date < start
    )
    frame = read_frame(engine, stmt).reindex(columns=["merchant_id", "date", "gmv"])
    if frame.empty:
        return pd.DataFrame(columns=["merchant_id", "value"])
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    frame["gmv"] = frame["gmv"].astype(float)
    middle = start - timedelta(days=COHORT_DAYS)
    base = frame[frame["date"] < middle].groupby("merchant_id")["gmv"].sum() / COHORT_DAYS
    after = frame[frame["date"] >= middle].copy()
    after["base"] = after["merchant_id"].map(base)
    after = after[after["base"] > 0]
    return after.assign(value=after["gmv"] / after["base"])[["merchant_id", "value"]]


def cohort_plan(
    *, engine: Engine, scope: Scope, cohort_id: str, controls: int | None = None
) -> CohortPlan | None:
    """What the cohort's causal uplift can detect, from its merchants' own daily noise;
    `controls` defaults to the non-participants the matching would use (up to
    `MATCHES` per participant). None when the cohort is not in scope."""
    k, m = table_of(Cohort).c, table_of(Merchant).c
    with engine.connect() as connection:
        start = connection.execute(
            select(k.start_date).where(k.cohort_id == cohort_id)
        ).scalar_one_or_none()
        ids = list(
            connection.execute(
                select(m.merchant_id).where(
                    m.cohort_id == cohort_id, scope.merchant_filter(m.merchant_id)
                )
            ).scalars()
        )
        outside = connection.execute(select(func.count()).where(m.cohort_id.is_(None))).scalar_one()
    if start is None or not ids:
        return None
    if controls is None:
        controls = min(int(outside), MATCHES * len(ids))
    days = _relative_days(engine, ids, start)
    sd = float(days["value"].std(ddof=1)) if len(days) > 1 else None
    icc = icc_anova(days) if sd else None
    deff = design_effect(COHORT_DAYS, icc) if icc is not None else None
    mde = (
        cohort_detectable_uplift(
            participants=len(ids), controls=controls, days=COHORT_DAYS, sd=sd, icc=icc
        )
        if sd and icc is not None
        else None
    )
    return CohortPlan(cohort_id, len(ids), controls, COHORT_DAYS, sd, icc, deff, mde)
