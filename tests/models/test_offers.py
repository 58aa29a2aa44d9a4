"""Campaigns from segments: a reproducible holdout of exactly the asked share, written to
the staging tables the ROI tracking reads, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, insert, select

from models import offers
from models.permissions import OutOfScope
from models.schema import Campaign, CampaignAssignment, Merchant, table_of
from models.scope import Scope

EXEC = Scope.executive()


def test_holdout_is_reproducible_and_of_the_asked_share() -> None:
    people = [f"C{i:04d}" for i in range(1000)]
    first = offers.holdout_groups("SEG-M1-1", people, 0.15)
    again = offers.holdout_groups("SEG-M1-1", list(reversed(people)), 0.15)
    assert first.equals(again)
    assert (first["group"] == "holdout").sum() == 150
    other = offers.holdout_groups("SEG-M1-2", people, 0.15)
    assert (other["group"] == "holdout").sum() == 150
    assert not first["group"].equals(other["group"])  # another campaign, another draw
    assert (offers.holdout_groups("X", people[:7], 0.2)["group"] == "holdout").sum() == 1
    assert (offers.holdout_groups("X", people, 0.0)["group"] == "holdout").sum() == 0
    with pytest.raises(offers.OfferError):
        offers.holdout_groups("X", people, 0.95)


def test_create_campaign_writes_staging_rows(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Merchant)),
            [
                {"merchant_id": "M1", "name": "One", "industry": "grocery"},
                {"merchant_id": "M2", "name": "Two", "industry": "grocery"},
            ],
        )
    people = [f"C{i:03d}" for i in range(200)]
    made = offers.create_campaign(
        engine=engine,
        scope=Scope.merchant("M1"),
        merchant_id="M1",
        name="Tier 1: trial coupon",
        customer_ids=people,
        offer="50% off trial coupon",
        holdout_share=0.1,
        start_date=date(2020, 1, 1),
        cost=1234.5,
        channel="mini_program",
        segment_id="7",
    )
    assert (made.campaign_id, made.treatment, made.holdout) == ("SEG-M1-1", 180, 20)
    second = offers.create_campaign(
        engine=engine,
        scope=EXEC,
        merchant_id="M1",
        name="again",
        customer_ids=people[:10],
        offer="10x points",
        holdout_share=0.5,
        start_date=date(2020, 1, 2),
    )
    assert second.campaign_id == "SEG-M1-2"
    with engine.connect() as connection:
        campaign = connection.execute(
            select(table_of(Campaign)).where(Campaign.campaign_id == "SEG-M1-1")
        ).one()
        assert campaign.merchant_id == "M1" and campaign.batch_id is None
        assert campaign.offer == "50% off trial coupon" and campaign.holdout_share == 0.1
        assert campaign.cost == 1234.5 and campaign.segment_id == "7"
        groups = dict(
            connection.execute(
                select(CampaignAssignment.customer_id, CampaignAssignment.group).where(
                    CampaignAssignment.campaign_id == "SEG-M1-1"
                )
            ).all()
        )
    expected = offers.holdout_groups("SEG-M1-1", people, 0.1)
    assert groups == dict(zip(expected["customer_id"], expected["group"], strict=True))
    listed = offers.campaigns(engine=engine, scope=EXEC, merchant_id="M1")
    assert list(listed["campaign_id"]) == ["SEG-M1-2", "SEG-M1-1"]
    assert list(listed["customers"]) == [10, 200] and list(listed["holdout"]) == [5, 20]
    assert offers.campaigns(engine=engine, scope=Scope.merchant("M2"), merchant_id="M1").empty

    with pytest.raises(OutOfScope):
        offers.create_campaign(
            engine=engine,
            scope=Scope.merchant("M2"),
            merchant_id="M1",
            name="x",
            customer_ids=people,
            offer="x",
            holdout_share=0.1,
            start_date=date(2020, 1, 1),
        )
    for bad in ({"holdout_share": 1.0}, {"customer_ids": []}, {"cost": -1.0}, {"offer": " "}):
        args = {
            "name": "x",
            "customer_ids": people,
            "offer": "x",
            "holdout_share": 0.1,
            "start_date": date(2020, 1, 1),
        } | bad
        with pytest.raises(offers.OfferError):
            offers.create_campaign(engine=engine, scope=EXEC, merchant_id="M1", **args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "last, today, expected",
    [
        (date(2019, 12, 31), date(2026, 12, 2), date(2020, 1, 1)),  # old data: the day after
        (date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 2)),  # live data: today
        (date(2026, 12, 2), date(2026, 12, 2), date(2026, 12, 2)),
        (None, date(2026, 12, 2), date(2026, 12, 2)),
    ],
)
def test_default_start(last: date | None, today: date, expected: date) -> None:
    assert offers.default_start(last, today) == expected


def test_a_past_start_needs_the_already_ran_choice() -> None:
    offers.check_start(date(2020, 1, 1), date(2020, 1, 1), already_ran=False)
    offers.check_start(date(2020, 1, 5), date(2020, 1, 1), already_ran=False)
    with pytest.raises(offers.OfferError, match="already ran"):
        offers.check_start(date(2019, 12, 1), date(2020, 1, 1), already_ran=False)
    offers.check_start(date(2019, 12, 1), date(2020, 1, 1), already_ran=True)


@pytest.mark.parametrize(
    "how, typed, expected",
    [
        ("customers", None, {"a": 600.0, "b": 300.0, "c": 100.0}),
        ("equal", None, {"a": 1000 / 3, "b": 1000 / 3, "c": 1000 / 3}),
        ("typed", {"a": 500.0, "b": 0.0, "c": 250.0}, {"a": 500.0, "b": 0.0, "c": 250.0}),
    ],
)
def test_split_cost(how: offers.CostSplit, typed: dict[str, float] | None, expected: dict) -> None:
    sizes = {"a": 60, "b": 30, "c": 10, "empty": 0}
    assert offers.split_cost(1000.0, sizes, how, typed) == pytest.approx(expected)


def test_split_cost_refuses_negative_costs() -> None:
    with pytest.raises(offers.OfferError):
        offers.split_cost(100.0, {"a": 1}, "typed", {"a": -1.0})
    with pytest.raises(offers.OfferError):
        offers.split_cost(-1.0, {"a": 1}, "equal")
