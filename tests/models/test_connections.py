"""Indicator maths on tiny hand-checked frames, scoring, stages and the order rule."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from models.connections import (
    Inputs,
    connection_score,
    load_config,
    measure,
    next_actions,
    order_rule,
    percentile_rank,
    score_value,
    stage_of,
)

CONFIG = load_config()
MON = date(2019, 3, 4)  # a Monday


def _inputs(**frames: pd.DataFrame) -> Inputs:
    days = pd.DataFrame(
        {
            "merchant_id": "M1",
            "date": [MON, date(2019, 3, 10)],
            "orders": [4, 6],
            "identified_orders": [2, 3],
            "visitors": [100, 100],
            "identified_visitors": [40, 70],
            "cloud_users": [8, 10],
        }
    )
    empty_events = pd.DataFrame(
        columns=["merchant_id", "customer_id", "touchpoint", "action", "occurred_at",
                 "occurred_on", "guide_id", "group_id"]
    )  # fmt: skip
    empty_orders = pd.DataFrame(
        columns=["merchant_id", "ordered_on", "channel", "gmv", "identity", "guide_id",
                 "campaign_id"]
    )  # fmt: skip
    base = {
        "merchants": pd.DataFrame({"merchant_id": ["M1"], "industry": ["apparel"], "stores": [2]}),
        "days": days,
        "events": empty_events,
        "orders": empty_orders,
        "guides": pd.DataFrame(columns=["merchant_id", "guide_id", "role", "joined_on", "left_on"]),
        "rejection": pd.DataFrame({"merchant_id": ["M1"], "rejection_rate": [0.05]}),
    }
    base.update(frames)
    return Inputs(**base, last_day=date(2019, 3, 10))


def _value(values: pd.DataFrame, indicator: str) -> float:
    row = values[values["indicator"] == indicator]
    assert len(row) == 1, indicator
    return float(row["value"].iloc[0])


def test_day_indicators() -> None:
    values = measure(_inputs(), CONFIG)
    assert _value(values, "digitised_share") == pytest.approx(110 / 200)
    assert _value(values, "identified_order_share") == pytest.approx(5 / 10)
    assert _value(values, "cloud_users") == 10
    assert _value(values, "cloud_users_per_store") == 5
    assert _value(values, "rejection_rate") == pytest.approx(0.05)


def _event(cid: str, tp: str, action: str, day: int, guide: str | None = None, group=None):
    return ("M1", cid, tp, action, datetime(2019, 3, day, 10), date(2019, 3, day), guide, group)


def test_touchpoint_indicators() -> None:
    events = pd.DataFrame(
        [
            _event("c1", "mini_program", "follow", 4),
            _event("c1", "mini_program", "follow", 5),  # a repeated join counts once
            _event("c1", "mini_program", "visit", 5),
            _event("c2", "mini_program", "follow", 4),
            _event("c2", "mini_program", "unfollow", 6),
            _event("c3", "wecom_guide", "add_contact", 4, "G1"),
            _event("c3", "wecom_guide", "message", 5, "G1"),
            _event("c3", "wecom_guide", "message", 6, "G1"),
            _event("c3", "wecom_guide", "message", 7, "G1"),
            _event("c4", "wecom_guide", "add_contact", 4, "G1"),
            _event("c5", "community", "join_group", 4, "G2", "K1"),
            _event("c5", "community", "post", 5, None, "K1"),
            _event("c6", "community", "join_group", 4, None, "K2"),
        ],
        columns=["merchant_id", "customer_id", "touchpoint", "action", "occurred_at",
                 "occurred_on", "guide_id", "group_id"],
    )  # fmt: skip
    guides = pd.DataFrame(
        {
            "merchant_id": "M1",
            "guide_id": ["G1", "G3", "G2"],
            "role": ["sales", "sales", "acquisition"],
            "joined_on": [date(2018, 1, 1), None, date(2018, 1, 1)],
            "left_on": [None, None, None],
        }
    )
    values = measure(_inputs(events=events, guides=guides), CONFIG)
    assert _value(values, "mp_fans") == 1  # c1 visited
    assert _value(values, "wecom_contacts") == 2
    assert _value(values, "contacts_heavy") == 1  # c3: three messages
    assert _value(values, "contacts_medium") == 0
    assert _value(values, "contacts_light") == 1
    assert _value(values, "contacts_reachable_share") == pytest.approx(0.5)
    assert _value(values, "community_members") == 2
    assert _value(values, "community_guide_layer") == 1  # K1 is run by guide G2
    assert _value(values, "community_active_share") == pytest.approx(0.5)
    assert _value(values, "community_hot_fans") == 1
    assert _value(values, "sales_guides") == 2
    assert _value(values, "guides_connected_share") == pytest.approx(0.5)  # G1 of G1, G3
    assert _value(values, "contacts_per_guide") == pytest.approx(1.0)
    assert _value(values, "roles_staffed") == 1  # acquisition only
    # followers 1, contacts 2, members 2 against apparel's 0.30/0.50/0.20
    expected = 1 - 0.5 * (abs(0.2 - 0.3) + abs(0.4 - 0.5) + abs(0.4 - 0.2))
    assert _value(values, "format_mix_fit") == pytest.approx(expected)


def test_order_indicators() -> None:
    rows = [
        ("mini_program", 100.0, "u1", "G1", None),
        ("wecom_guide", 300.0, "u1", "G2", None),
        ("store", 50.0, "u2", None, "K9"),
        ("store", 50.0, None, None, None),
    ]
    orders = pd.DataFrame(
        [("M1", date(2019, 3, 5), ch, gmv, ident, g, c) for ch, gmv, ident, g, c in rows],
        columns=["merchant_id", "ordered_on", "channel", "gmv", "identity", "guide_id",
                 "campaign_id"],
    )  # fmt: skip
    guides = pd.DataFrame(
        {"merchant_id": "M1", "guide_id": ["G1", "G2", "G3", "G4"], "role": "sales",
         "joined_on": None, "left_on": None}
    )  # fmt: skip
    values = measure(_inputs(orders=orders, guides=guides), CONFIG)
    assert _value(values, "guide_gmv_share") == pytest.approx(1.0)  # 400 of 400 private
    assert _value(values, "attributable_order_share") == pytest.approx(3 / 4)
    assert _value(values, "active_guides") == 2
    assert _value(values, "active_guide_share") == pytest.approx(0.5)
    assert _value(values, "guide_productivity") == pytest.approx(400 / 2 / 4)
    assert values[values["indicator"] == "top_median_ratio"]["value"].isna().all()  # < 5 guides
    assert _value(values, "cross_channel_share") == pytest.approx(1 / 2)  # u1 in two channels
    assert _value(values, "freshness_days") == 5  # 5 Mar to 10 Mar


@pytest.mark.parametrize(
    "key, value, industry, expected",
    [
        ("digitised_share", 0.25, None, 50.0),
        ("digitised_share", 0.9, None, 100.0),
        ("cloud_users_per_store", 150, "grocery", 50.0),  # grocery target 300
        ("rejection_rate", 0.005, None, 100.0),
        ("rejection_rate", 0.105, None, 50.0),  # halfway from 0.01 to 0.2
        ("rejection_rate", 0.5, None, 0.0),
        ("digitised_share", None, None, None),
    ],
)
def test_score_value(key: str, value, industry, expected) -> None:
    assert score_value(CONFIG.indicators[key], value, industry) == (
        None if expected is None else pytest.approx(expected)
    )


def test_connection_score_is_the_weighted_mean_of_what_is_measured() -> None:
    # digitised_share weighs 2, cloud_users_per_store 1; the others are missing.
    score = connection_score(
        {"digitised_share": 90.0, "cloud_users_per_store": 30.0}, CONFIG, "touchpoints"
    )
    assert score == pytest.approx((2 * 90 + 30) / 3)
    assert connection_score({}, CONFIG, "data") is None


@pytest.mark.parametrize(
    "score, stage",
    [(None, "no_data"), (0, "not_started"), (24.9, "not_started"), (25, "building"),
     (50, "running"), (74.9, "running"), (75, "leading")],
)  # fmt: skip
def test_stages(score, stage) -> None:
    assert stage_of(score, CONFIG) == stage


def test_order_rule() -> None:
    # Data ahead of touchpoints that is only building: flagged against touchpoints.
    assert order_rule({"touchpoints": 40, "performance": 30, "data": 45}, CONFIG) == {
        "touchpoints": None,
        "performance": None,
        "data": "touchpoints",
    }
    # Performance ahead of building touchpoints.
    assert (
        order_rule({"touchpoints": 30, "performance": 60, "data": 10}, CONFIG)["performance"]
        == "touchpoints"
    )
    # Touchpoints running: a later connection may score higher.
    assert order_rule({"touchpoints": 60, "performance": 80, "data": 90}, CONFIG) == {
        "touchpoints": None,
        "performance": None,
        "data": None,
    }


def test_next_actions_follow_the_order_and_one_per_topic() -> None:
    indicators = pd.DataFrame(
        {
            "indicator": ["digitised_share", "identified_order_share", "guides_connected_share",
                          "contacts_per_guide", "roles_staffed"],
            "value": [0.1, 0.1, 0.2, 2, 1],
            "score": [20.0, 10.0, 25.0, 8.0, 25.0],
        }
    )  # fmt: skip
    stages = {"touchpoints": "not_started", "performance": "building", "data": "not_started"}
    actions = next_actions(indicators, stages, CONFIG)
    # Touchpoints first (weighted shortfall: digitised 2*80, contacts 92, guides 75 - same
    # topic as contacts, so skipped), then performance.
    assert list(actions["indicator"]) == ["digitised_share", "contacts_per_guide", "roles_staffed"]


def test_percentile_rank() -> None:
    assert percentile_rank(50, [10, 20, 30, 60, 70]) == pytest.approx(60.0)
    assert percentile_rank(30, [30, 30]) == pytest.approx(50.0)
