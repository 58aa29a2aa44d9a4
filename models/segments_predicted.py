"""The predicted rule fields of the segment builder: churn risk, probability alive,
predicted purchases, expected spend and 12-month CLV, from `customer_predictions`.

A condition on a predicted field compiles to an EXISTS on the predictions table,
correlated with the customer features row the segment rules run on, so every query of
`models/segments/` keeps reading one table. A customer without a prediction (never
bought, or a merchant with too little history) meets no predicted condition.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, exists, literal, select

from models.schema import table_of
from models.schema_predictions import CustomerPrediction

_P = table_of(CustomerPrediction)

MAX_PURCHASES = 10_000.0
MAX_MONEY = 1_000_000_000.0

# field name -> (column, highest value); every field is a number compared with between,
# at_least or at_most.
PREDICTED_FIELDS: dict[str, tuple[str, float]] = {
    "churn_risk": ("churn_risk", 1.0),
    "p_alive": ("p_alive", 1.0),
    "predicted_purchases_30d": ("purchases_30d", MAX_PURCHASES),
    "predicted_purchases_90d": ("purchases_90d", MAX_PURCHASES),
    "expected_spend": ("expected_spend", MAX_MONEY),
    "predicted_clv": ("clv_12m", MAX_MONEY),
}


def condition(column: str, op: str, value: Any, features: Table) -> ColumnElement[bool]:
    """`op` on a predictions column, for the features row of the enclosing query."""
    target = _P.c[column]
    if op == "between":
        test = target.between(value[0], value[1])
    elif op == "at_least":
        test = target >= value
    elif op == "at_most":
        test = target <= value
    else:
        raise ValueError(f"unknown operator {op!r} for a predicted field")
    return exists(
        select(literal(1)).where(
            _P.c.merchant_id == features.c.merchant_id,
            _P.c.customer_id == features.c.customer_id,
            test,
        )
    )
