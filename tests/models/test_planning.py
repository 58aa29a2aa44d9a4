"""Sample-size planning against hand-computed power: two-sample means (Cohen's table and
the normal formula) and the clustered design effect; spend statistics from tiny orders on
both databases."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from models import planning as P
from models.schema import Merchant, Order, table_of
from models.scope import Scope

Z = 1.959963984540054 + 0.8416212335729143  # z(0.975) + z(0.80)


@pytest.mark.parametrize(
    "customers, share, mean, sd, expected",
    [
        (128, 0.5, 100.0, 100.0, 0.50),  # Cohen: 64 per group detect d = 0.5
        (128, 0.5, 100.0, 200.0, 1.00),  # the same in lift: d x sd / mean
        (52, 0.5, 50.0, 50.0, 0.80),  # Cohen: 26 per group detect d = 0.8
        (2000, 0.5, 10.0, 10.0, Z * math.sqrt(2 / 1000)),  # large n: the normal formula
        (1000, 0.2, 10.0, 10.0, Z * math.sqrt(1 / 800 + 1 / 200)),  # 800 / 200 split
    ],
)
def test_detectable_lift_by_hand(
    customers: int, share: float, mean: float, sd: float, expected: float
) -> None:
    lift = P.detectable_lift(customers=customers, holdout_share=share, mean=mean, sd=sd)
    assert lift == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize(
    "customers, share, mean, sd",
    [(10, 0.05, 100.0, 50.0), (3, 0.5, 100.0, 50.0), (100, 0.2, 0.0, 0.0)],
)
def test_no_detectable_lift_for_tiny_or_empty_groups(
    customers: int, share: float, mean: float, sd: float
) -> None:
    # 10 x 5% holds out one customer; 3 customers make groups of 1 and 2; no spend at all
    assert P.detectable_lift(customers=customers, holdout_share=share, mean=mean, sd=sd) is None


def test_holdout_needed_is_the_smallest_that_detects_the_target() -> None:
    share = P.holdout_needed(customers=1000, target_lift=0.5, mean=100, sd=200)
    assert share is not None
    held = round(share * 1000)
    at = P.detectable_lift(customers=1000, holdout_share=held / 1000, mean=100, sd=200)
    below = P.detectable_lift(customers=1000, holdout_share=(held - 1) / 1000, mean=100, sd=200)
    assert at is not None and below is not None
    assert at <= 0.5 < below
    # normal approximation by hand: 1/h + 1/(1000 - h) = (0.5 / (Z x 2))^2 -> h ~ 147
    assert held == pytest.approx(147, abs=2)
    assert P.holdout_needed(customers=20, target_lift=0.05, mean=100, sd=200) is None


@pytest.mark.parametrize(
    "days, icc, expected", [(28, 0.0, 1.0), (28, 0.1, 3.7), (10, 0.5, 5.5), (1, 0.9, 1.0)]
)
def test_design_effect_by_hand(days: int, icc: float, expected: float) -> None:
    assert P.design_effect(days, icc) == pytest.approx(expected)


def test_cohort_detectable_uplift_by_hand() -> None:
    # 17 merchants x 28 days / DEFF 3.7 = 128.65 effective days; 85 controls: 643.24
    n_p, n_c = 17 * 28 / 3.7, 85 * 28 / 3.7
    expected = Z * math.sqrt(1 / n_p + 1 / n_c) * 0.5
    got = P.cohort_detectable_uplift(participants=17, controls=85, days=28, sd=0.5, icc=0.1)
    assert got == pytest.approx(expected, rel=1e-6)
    assert got == pytest.approx(0.1353, abs=1e-4)
    # no clustering: the days count in full, the uplift it can show is smaller
    flat = P.cohort_detectable_uplift(participants=17, controls=85, days=28, sd=0.5, icc=0.0)
    assert flat is not None and flat < got
    assert P.cohort_detectable_uplift(participants=1, controls=5, days=28, sd=0.5, icc=0) is None


@pytest.mark.parametrize(
    "values, expected",
    [
        ([1, 1, 2, 2, 3, 3], 1.0),  # all the variance between merchants
        ([1, 2, 1, 2, 1, 2], 0.0),  # all within
        # means 1.5, 3.5: MSB = 4, MSW = 0.5, m = 2 -> (4 - 0.5) / (4 + 0.5) = 0.7778
        ([1, 2, 3, 4], 3.5 / 4.5),
    ],
)
def test_icc_anova_by_hand(values: list[float], expected: float) -> None:
    ids = ["a", "a", "b", "b", "c", "c"][: len(values)]
    assert P.icc_anova(pd.DataFrame({"merchant_id": ids, "value": values})) == pytest.approx(
        expected
    )


def test_spend_stats_counts_customers_without_recent_orders_as_zero(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Merchant)),
            [
                {"merchant_id": "M1", "name": "One", "industry": "apparel"},
                {"merchant_id": "M2", "name": "Two", "industry": "apparel"},
            ],
        )
        rows = [
            ("M1", "o1", date(2024, 3, 30), "c1", 100.0),
            ("M1", "o2", date(2024, 3, 20), "c1", 100.0),
            ("M1", "o3", date(2024, 3, 25), "c2", 100.0),
            ("M1", "o4", date(2024, 1, 1), "c3", 500.0),  # before the window: c3 spends 0
            ("M2", "o5", date(2024, 3, 30), "c9", 900.0),  # another merchant
        ]
        connection.execute(
            insert(table_of(Order)),
            [
                {
                    "merchant_id": m,
                    "order_id": o,
                    "ordered_at": datetime(d.year, d.month, d.day, 12),
                    "ordered_on": d,
                    "channel": "store",
                    "gmv": g,
                    "customer_id": c,
                    "refund": 0,
                }
                for m, o, d, c, g in rows
            ],
        )
    stats = P.spend_stats(engine=engine, scope=Scope.executive(), merchant_id="M1")
    assert stats is not None
    # spends 200, 100, 0: mean 100, sample sd 100
    assert (stats.customers, stats.mean, stats.sd) == (3, pytest.approx(100), pytest.approx(100))
    assert P.spend_stats(engine=engine, scope=Scope.merchant("M2"), merchant_id="M1") is None


@pytest.mark.parametrize(
    ("treatment", "holdout"), [(2, 2), (5, 3), (45, 5), (137, 100), (400, 100), (25_000, 12_000)]
)
def test_standardised_difference_is_statsmodels_t_test_root(treatment: int, holdout: int) -> None:
    """The solved difference has exactly the asked power by statsmodels' own power function,
    and agrees with its solver (which stops within 2e-5 of the root)."""
    from statsmodels.stats.power import TTestIndPower

    P._standardised.cache_clear()
    effect = P._standardised(treatment, holdout, 0.05, 0.8)
    power = TTestIndPower()
    ratio = treatment / holdout
    assert effect is not None
    assert power.power(effect, holdout, 0.05, ratio=ratio) == pytest.approx(0.8, abs=1e-9)
    solved = power.solve_power(effect_size=None, nobs1=holdout, ratio=ratio, alpha=0.05, power=0.8)
    assert effect == pytest.approx(float(solved), rel=1e-4)
