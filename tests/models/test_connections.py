"""Scoring, stages, the order rule and next actions (the indicator maths:
tests/pipelines/test_connections_measure.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from models.connections import (
    connection_score,
    load_config,
    next_actions,
    order_rule,
    percentile_rank,
    score_value,
    stage_of,
)

CONFIG = load_config()


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
