"""Reads of the customer predictions for the pages: a merchant's latest fit, its
calibration check, its top customers at risk and the totals. Every read takes the scope
and filters in SQL. The predictions are written by `pipelines/predictions.py`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from models.db import read_frame
from models.schema import table_of
from models.schema_predictions import CustomerPrediction, PredictionCalibration, PredictionFit
from models.schema_segments import MartCustomerFeatures
from models.scope import Scope

AT_RISK = 0.5  # churn risk from which a customer counts as at risk
TOP_AT_RISK = 20

_P = table_of(CustomerPrediction)
_F = table_of(PredictionFit)
_C = table_of(PredictionCalibration)
_T = table_of(MartCustomerFeatures)


@dataclass(frozen=True)
class Fit:
    status: str  # "fitted" or "not_enough"
    fitted_at: datetime
    as_of: date | None
    customers: int
    repeat_customers: int
    parameters: dict[str, float]
    calibration_cutoff: date | None
    holdout_days: int | None
    holdout_predicted: float | None
    holdout_actual: int | None
    holdout_mae: float | None

    @property
    def fitted(self) -> bool:
        return self.status == "fitted"

    @property
    def holdout_error(self) -> float | None:
        """Predicted minus actual holdout purchases, as a share of actual."""
        if self.holdout_predicted is None or not self.holdout_actual:
            return None
        return (self.holdout_predicted - self.holdout_actual) / self.holdout_actual


def latest_fit(*, engine: Engine, scope: Scope, merchant_id: str) -> Fit | None:
    """The merchant's latest fit (None: predictions never ran for it)."""
    stmt = select(_F).where(
        _F.c.merchant_id == merchant_id, scope.merchant_filter(_F.c.merchant_id)
    )
    with engine.connect() as connection:
        row = connection.execute(stmt).mappings().first()
    if row is None:
        return None
    values: dict[str, Any] = dict(row)
    return Fit(
        status=values["status"],
        fitted_at=values["fitted_at"],
        as_of=values["as_of"],
        customers=int(values["customers"]),
        repeat_customers=int(values["repeat_customers"]),
        parameters=json.loads(values["parameters"]) if values["parameters"] else {},
        calibration_cutoff=values["calibration_cutoff"],
        holdout_days=values["holdout_days"],
        holdout_predicted=values["holdout_predicted"],
        holdout_actual=values["holdout_actual"],
        holdout_mae=values["holdout_mae"],
    )


def calibration(*, engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    """Per frequency group (repeat purchases before the cut-off; 7 means 7 or more): the
    customers, their mean predicted and mean actual purchases in the holdout."""
    stmt = (
        select(_C.c.frequency_group, _C.c.customers, _C.c.predicted, _C.c.actual)
        .where(_C.c.merchant_id == merchant_id, scope.merchant_filter(_C.c.merchant_id))
        .order_by(_C.c.frequency_group)
    )
    return read_frame(engine, stmt).reindex(
        columns=["frequency_group", "customers", "predicted", "actual"]
    )


def _own(scope: Scope, merchant_id: str) -> Any:
    return and_(_P.c.merchant_id == merchant_id, scope.merchant_filter(_P.c.merchant_id))


def summary(*, engine: Engine, scope: Scope, merchant_id: str) -> dict[str, float]:
    """Totals over the merchant's predicted customers: customers, at risk, expected
    purchases in the next 30 days and 12-month CLV."""
    stmt = select(
        func.count().label("customers"),
        func.coalesce(func.sum(case((_P.c.churn_risk >= AT_RISK, 1), else_=0)), 0).label("at_risk"),
        func.coalesce(func.sum(_P.c.purchases_30d), 0).label("purchases_30d"),
        func.coalesce(func.sum(_P.c.clv_12m), 0).label("clv_12m"),
    ).where(_own(scope, merchant_id))
    with engine.connect() as connection:
        row = connection.execute(stmt).mappings().one()
    return {k: float(v) for k, v in row.items()}


AT_RISK_COLUMNS = [
    "customer_id",
    "gmv",
    "purchase_days",
    "last_order_on",
    "churn_risk",
    "purchases_90d",
    "clv_12m",
]


def top_at_risk(
    *, engine: Engine, scope: Scope, merchant_id: str, limit: int = TOP_AT_RISK
) -> pd.DataFrame:
    """The customers at risk (churn risk of at least 50%) with the most spent so far: what
    the merchant stands to lose. Ids are the real ones; pages show them masked."""
    stmt = (
        select(
            _P.c.customer_id,
            _T.c.gmv,
            _T.c.purchase_days,
            _T.c.last_order_on,
            _P.c.churn_risk,
            _P.c.purchases_90d,
            _P.c.clv_12m,
        )
        .join(
            _T,
            and_(_T.c.merchant_id == _P.c.merchant_id, _T.c.customer_id == _P.c.customer_id),
        )
        .where(_own(scope, merchant_id), _P.c.churn_risk >= AT_RISK)
        .order_by(_T.c.gmv.desc(), _P.c.churn_risk.desc(), _P.c.customer_id)
        .limit(limit)
    )
    return read_frame(engine, stmt).reindex(columns=AT_RISK_COLUMNS)
