"""Campaign payback: hand-checked figures, the fixture delivery on both databases, scope,
and the demo's ROI showcase."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from models import campaign_figures as F
from models import campaigns as K
from models.campaign_report import campaign_report
from models.permissions import NotAllowed, OutOfScope
from models.schema import Campaign, Order
from models.scope import Scope
from pipelines.load import load_delivery

EXEC = Scope.executive()


def groups(rows: list[tuple[str, str, float, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["campaign_id", "group", "customers", "buyers", "gmv", "gmv2"]
    )


def test_holdout_figures_by_hand() -> None:
    # treatment: 4 customers spending 0, 100, 100, 200; holdout: 2 spending 0 and 100.
    frame = groups([("K", "treatment", 4, 3, 400, 60_000), ("K", "holdout", 2, 1, 100, 10_000)])
    figures = F.holdout_figures(frame)
    assert figures is not None
    assert figures.repurchase_treatment == pytest.approx(0.75)
    assert figures.repurchase_holdout == pytest.approx(0.5)
    assert figures.repurchase_lift.estimate == pytest.approx(0.5)
    assert figures.gmv_per_customer_treatment == pytest.approx(100)
    assert figures.gmv_per_customer_holdout == pytest.approx(50)
    assert figures.lift.estimate == pytest.approx(1.0)
    assert figures.incremental_gmv.estimate == pytest.approx(200)  # (100 - 50) x 4
    # sample variances: treatment 20000/3, holdout 5000
    se = math.sqrt((20_000 / 3) / 4 + 5_000 / 2) * 4
    assert figures.incremental_gmv.low == pytest.approx(200 - F.Z95 * se)
    log_se = math.sqrt((20_000 / 3) / (4 * 100**2) + 5_000 / (2 * 50**2))
    assert figures.lift.high == pytest.approx(2 * math.exp(F.Z95 * log_se) - 1)
    assert F.holdout_figures(frame[frame["group"] == "treatment"]) is None
    # 4 against 2 customers can only detect a lift of several hundred percent: unreadable
    assert figures.detectable_lift is not None and figures.detectable_lift > 1
    assert not figures.readable


def test_a_large_holdout_is_readable() -> None:
    # 8,000 vs 2,000 customers, mean 100 and sd 100 in both groups
    n_t, n_h, mean, var = 8000, 2000, 100.0, 100.0**2
    squares = lambda n: n * (var * (n - 1) / n + mean**2)  # noqa: E731
    frame = groups(
        [
            ("K", "treatment", n_t, n_t / 2, mean * n_t, squares(n_t)),
            ("K", "holdout", n_h, n_h / 2, mean * n_h, squares(n_h)),
        ]
    )
    figures = F.holdout_figures(frame)
    assert figures is not None and figures.readable
    # normal formula: (1.96 + 0.84) x sqrt(1/8000 + 1/2000) x sd / mean = 7.0%
    assert figures.detectable_lift == pytest.approx(0.0700, abs=0.001)


def test_summary_roi_and_channels_by_hand() -> None:
    campaigns = pd.DataFrame(
        {
            "campaign_id": ["A", "B"],
            "merchant_id": ["M", "M"],
            "merchant_name": ["m", "m"],
            "industry": ["apparel", "apparel"],
            "name": ["a", "b"],
            "start_date": [date(2024, 3, 1)] * 2,
            "end_date": [date(2024, 3, 10), None],
            "cost": [100.0, 50.0],
            "channel": ["mini_program", "mini_program"],
            "offer": [None, None],
            "holdout_share": [0.2, None],
            "margin_rate": [0.5, 0.5],
        }
    )
    frame = groups([("A", "treatment", 4, 3, 400, 60_000), ("A", "holdout", 2, 1, 100, 10_000)])
    attributed = pd.DataFrame({"campaign_id": ["B"], "gmv": [150.0], "orders": [2]})
    summary = F.summarise(campaigns, frame, attributed).set_index("campaign_id")
    assert summary.loc["A", "method"] == "holdout"
    assert summary.loc["A", "roi"] == pytest.approx(2.0)  # 200 / 100
    assert summary.loc["A", "margin_roi"] == pytest.approx(1.0)
    assert summary.loc["B", "method"] == "observational"
    assert summary.loc["B", "roi"] == pytest.approx(3.0)
    channels = F.channel_roi(summary.reset_index())
    row = channels.set_index("channel").loc["mini_program"]
    assert row["campaigns"] == 2 and row["observational"] == 1
    assert row["roi"] == pytest.approx(350 / 150)
    assert row["margin_roi"] == pytest.approx(175 / 150)


def test_roi_curve_and_payback_by_hand() -> None:
    daily = pd.DataFrame(
        {
            "group": ["treatment", "holdout", "treatment", "attributed"],
            "date": [date(2024, 3, 1), date(2024, 3, 1), date(2024, 3, 3), date(2024, 3, 2)],
            "gmv": [400.0, 50.0, 400.0, 30.0],
        }
    )
    curve = F.roi_curve(
        daily, start=date(2024, 3, 1), end=date(2024, 3, 3), cost=100, rate=0.5, treatment=4,
        holdout=2,
    )  # fmt: skip
    # day 1: (400/4 - 50/2) x 4 = 300; day 2: 0; day 3: 400
    assert list(curve["incremental_gmv"]) == [300, 0, 400]
    assert list(curve["roi"]) == [3, 3, 7]
    assert F.payback_day(curve) == 1
    observed = F.roi_curve(
        daily, start=date(2024, 3, 1), end=date(2024, 3, 3), cost=100, rate=0.5, treatment=None,
        holdout=None,
    )  # fmt: skip
    assert list(observed["cumulative_gmv"]) == [0, 30, 30]
    assert F.payback_day(observed) is None


@pytest.mark.parametrize(
    "margin_roi, expected",
    [
        ([0.5, 1.2, 0.8, 1.1, 1.3], 4),  # reached on day 2, dips below on day 3: day 4
        ([0.5, 1.2, 1.0, 1.4], 2),  # exactly 1 counts as paid back
        ([1.1, 1.2, 0.9], None),  # paid back, then below on the last day: not yet
        ([0.2, 0.4, 0.6], None),
        ([1.0, 2.0], 1),
    ],
)
def test_payback_day_is_the_first_day_it_stays_paid_back(
    margin_roi: list[float], expected: int | None
) -> None:
    curve = pd.DataFrame({"day": range(1, len(margin_roi) + 1), "margin_roi": margin_roi})
    assert F.payback_day(curve) == expected


def test_margin_rate_defaults() -> None:
    assert F.margin_rate("grocery", None) == F.INDUSTRY_MARGIN["grocery"]
    assert F.margin_rate("grocery", 0.3) == 0.3
    assert F.margin_rate("unknown", float("nan")) == F.FALLBACK_MARGIN


@pytest.fixture
def loaded(engine: Engine, tiny_delivery_dir: Path) -> Engine:
    assert load_delivery(tiny_delivery_dir, engine=engine).ok
    return engine


def test_fixture_campaign_on_both_databases(loaded: Engine) -> None:
    # K1 (M1, 03-01..03-10, cost 100): treatment c1 bought 300 (O3), holdout c2 200 (O4).
    summary = K.campaign_summary(engine=loaded, scope=EXEC).set_index("campaign_id")
    row = summary.loc["K1"]
    assert row["method"] == "holdout"
    assert (row["treatment"], row["holdout"]) == (1, 1)
    assert row["gmv_per_customer_treatment"] == pytest.approx(300)
    assert row["gmv_per_customer_holdout"] == pytest.approx(200)
    assert row["incremental_gmv"] == pytest.approx(100)
    assert row["margin_rate"] == F.INDUSTRY_MARGIN["food_beverage"]
    assert row["roi"] == pytest.approx(1.0)

    K.set_margin_rate(engine=loaded, scope=EXEC, merchant_id="M1", rate=0.25)
    detail = K.campaign_detail(engine=loaded, scope=EXEC, campaign_id="K1")
    assert detail is not None
    assert detail.summary["margin_rate"] == 0.25
    assert detail.summary["incremental_margin"] == pytest.approx(25)
    assert len(detail.curve) == F.DEFAULT_DAYS  # a 10-day campaign still shows 30 days
    assert detail.curve.set_index("day").loc[5, "cumulative_gmv"] == pytest.approx(100)
    report = campaign_report(detail)
    assert report["campaign"] == "K1" and report["observational"] is False
    json.dumps(report)


def test_campaigns_stay_in_scope(loaded: Engine) -> None:
    assert K.campaign_summary(engine=loaded, scope=Scope.merchant("M2")).empty
    assert K.campaign_detail(engine=loaded, scope=Scope.merchant("M2"), campaign_id="K1") is None
    with pytest.raises(OutOfScope):
        K.set_margin_rate(engine=loaded, scope=Scope.merchant("M2"), merchant_id="M1", rate=0.1)
    own = K.campaign_summary(engine=loaded, scope=Scope.merchant("M1"))
    assert list(own["campaign_id"]) == ["K1"]
    with pytest.raises(ValueError):
        K.set_margin_rate(engine=loaded, scope=EXEC, merchant_id="M1", rate=1.5)


@pytest.mark.parametrize(
    "scope, allowed",
    [
        (Scope.executive(user="boss"), True),
        (Scope.merchant("M1", user="m1"), True),
        (Scope.coach(["C1"], user="coach"), False),  # a coach sees M1 but may not set it
    ],
)
def test_who_may_set_a_margin_rate_is_decided_in_the_model(
    loaded: Engine, scope: Scope, allowed: bool
) -> None:
    if allowed:
        K.set_margin_rate(engine=loaded, scope=scope, merchant_id="M1", rate=0.3)
        detail = K.campaign_detail(engine=loaded, scope=EXEC, campaign_id="K1")
        assert detail is not None and detail.summary["margin_rate"] == 0.3
        return
    with pytest.raises(NotAllowed):
        K.set_margin_rate(engine=loaded, scope=scope, merchant_id="M1", rate=0.3)
    detail = K.campaign_detail(engine=loaded, scope=EXEC, campaign_id="K1")
    assert detail is not None and detail.summary["margin_rate"] != 0.3  # nothing written


def test_a_campaign_without_holdout_is_observational(loaded: Engine) -> None:
    with loaded.begin() as connection:
        connection.execute(
            insert(Campaign),
            [
                {
                    "campaign_id": "K2",
                    "merchant_id": "M1",
                    "name": "No holdout",
                    "start_date": date(2024, 3, 1),
                    "cost": 60.0,
                }
            ],
        )
        connection.execute(
            Order.__table__.update()
            .where(Order.__table__.c.order_id == "O4")
            .values(campaign_id="K2")
        )
    detail = K.campaign_detail(engine=loaded, scope=EXEC, campaign_id="K2")
    assert detail is not None
    assert detail.summary["method"] == "observational"
    assert detail.summary["incremental_gmv"] == pytest.approx(200)
    assert detail.summary["roi"] == pytest.approx(200 / 60)
    assert detail.curve.set_index("day").loc[30, "cumulative_gmv"] == pytest.approx(200)
    assert campaign_report(detail)["observational"] is True


def test_demo_showcase_reaches_ten_times_within_30_days(demo_db_url: str) -> None:
    from models.db import make_engine

    engine = make_engine(demo_db_url)
    summary = K.campaign_summary(engine=engine, scope=EXEC)
    showcase = summary[summary["name"].str.startswith("Mini-program channel tracking")]
    assert len(showcase) == 1
    detail = K.campaign_detail(
        engine=engine, scope=EXEC, campaign_id=showcase["campaign_id"].iloc[0]
    )
    engine.dispose()
    assert detail is not None and detail.summary["method"] == "holdout"
    low, high = detail.summary["incremental_low"], detail.summary["incremental_high"]
    true_gmv = 81855.3  # ground_truth.json, seed 2018: ROI 10x by construction
    assert low <= true_gmv <= high
    assert detail.roi_day_30 is not None and detail.roi_day_30 > 5
    assert detail.payback_day is not None and detail.payback_day <= 30
