"""The predicted rule fields and the predictive templates of the segment builder, compiled
to SQL on SQLite and PostgreSQL, on the five hand-checked customers of test_segments with
hand-set predictions (D never bought and has none; another merchant's customer with the
same id must never count)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from models import segments as sg
from models.schema import table_of
from models.schema_predictions import CustomerPrediction
from models.scope import Scope
from tests.models.test_segments import EXEC, c, ids, rule
from tests.models.test_segments import db as features_db  # noqa: F401  (the fixture)

# customer: churn risk, purchases 30d, purchases 90d, expected spend, CLV
PREDICTED = {
    "A": (0.0, 0.20, 0.60, 90.0, 150.0),  # one purchase: BG/NBD says alive
    "B": (0.70, 0.05, 0.15, 95.0, 40.0),
    "C": (0.05, 0.90, 2.50, 120.0, 1800.0),
    "E": (0.55, 0.10, 0.30, 70.0, 60.0),
}


@pytest.fixture
def db(features_db: Engine) -> Engine:  # noqa: F811
    rows = [
        {
            "merchant_id": merchant_id,
            "customer_id": cid,
            "churn_risk": risk,
            "p_alive": 1 - risk,
            "purchases_30d": p30,
            "purchases_90d": p90,
            "expected_spend": spend,
            "clv_12m": value,
            "fitted_at": datetime(2020, 1, 1),
        }
        for cid, (risk, p30, p90, spend, value) in PREDICTED.items()
        for merchant_id in ("M1",)
    ]
    # M2's customer "A" looks like a perfect target on every field
    rows.append(rows[0] | {"merchant_id": "M2", "churn_risk": 0.99, "clv_12m": 9e6})
    with features_db.begin() as connection:
        connection.execute(insert(table_of(CustomerPrediction)), rows)
    return features_db


@pytest.mark.parametrize(
    "definition, expected",
    [
        (rule(c("churn_risk", "at_least", 0.5)), ["B", "E"]),
        (rule(c("churn_risk", "at_most", 0.05)), ["A", "C"]),
        (rule(c("p_alive", "between", [0.3, 0.5])), ["B", "E"]),
        (rule(c("predicted_purchases_30d", "at_least", 0.5)), ["C"]),
        (rule(c("predicted_purchases_90d", "between", [0.15, 0.6])), ["A", "B", "E"]),
        (rule(c("expected_spend", "at_most", 90)), ["A", "E"]),
        (rule(c("predicted_clv", "at_least", 100)), ["A", "C"]),
        # D has no prediction: it meets no predicted condition, not even "at most 1"
        (rule(c("churn_risk", "at_most", 1)), ["A", "B", "C", "E"]),
        # mixed with features, and "any" across a predicted and a feature field
        (rule(c("m_score", "at_least", 4), c("churn_risk", "at_least", 0.5)), ["B"]),
        (
            rule(c("predicted_clv", "at_least", 1000), c("touchpoint", "has", "fan"), match="any"),
            ["B", "C", "D"],
        ),
    ],
)
def test_predicted_fields(db: Engine, definition: dict[str, Any], expected: list[str]) -> None:
    assert ids(db, definition) == expected


@pytest.mark.parametrize(
    "template, expected",
    [
        ("high_value_at_risk", ["B"]),  # m_score 4, churn risk 70%
        ("about_to_buy_again", ["C"]),
        ("new_and_promising", []),  # A is new but expected 0.6 purchases in 90 days
    ],
)
def test_predictive_templates(db: Engine, template: str, expected: list[str]) -> None:
    frame = sg.members(engine=db, scope=EXEC, merchant_id="M1", tiers=sg.TEMPLATES[template].tiers)
    assert list(frame["customer_id"]) == expected


def test_figures_and_scope_with_predicted_fields(db: Engine) -> None:
    definition = rule(c("churn_risk", "at_least", 0.5))
    stats = sg.segment_stats(engine=db, scope=EXEC, merchant_id="M1", definition=definition)
    assert stats["customers"] == 2 and stats["gmv"] == 450.0  # B 300 + E 150
    other = Scope.merchant("M2")
    assert ids(db, definition, scope=other) == []


@pytest.mark.parametrize(
    "definition, message",
    [
        (rule(c("churn_risk", "at_least", 1.5)), "outside 0..1"),
        (rule(c("predicted_clv", "in", ["1"])), "takes the operators between, at_least"),
        (rule(c("churn_risk", "at_least", "high")), "is not a number"),
    ],
)
def test_bad_predicted_conditions_are_refused(definition: dict[str, Any], message: str) -> None:
    with pytest.raises(sg.SegmentError, match=message):
        sg.validate(definition)
