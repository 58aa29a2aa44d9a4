"""Predictions step: per merchant, the RFM summary from the orders (in SQL), a BG/NBD +
Gamma-Gamma fit (models/clv.py), the per-customer predictions, and a calibration check
that fits up to a cut-off and compares the holdout after it; written to the predictions
tables (models/schema_predictions.py).

Run after a delivery's transaction for the merchants it touched (`after_load`, from the
CLI load and the watcher; it never fails the load) and by `python -m pipelines predict`.
Each merchant is replaced in a transaction of its own, so a long run can be watched (and
the app keeps reading the previous fit of the merchants not done yet). Definitions:
docs/predictions.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, Select, case, delete, func, insert, or_, select

from models import clv
from models.auth import audit
from models.clock import utcnow
from models.db import read_frame
from models.schema import LoadBatch, Order, table_of
from models.schema_predictions import CustomerPrediction, PredictionCalibration, PredictionFit
from pipelines.bulk import write_frame

log = logging.getLogger(__name__)

HOLDOUT_DAYS = 90  # the calibration check predicts the last 90 days of a merchant's data
FITTED = "fitted"
NOT_ENOUGH = "not_enough"

_O = table_of(Order)
_P = table_of(CustomerPrediction)
_F = table_of(PredictionFit)
_C = table_of(PredictionCalibration)


# --- SQL ------------------------------------------------------------------------------------


def last_order_day(connection: Connection, merchant_id: str) -> date | None:
    """The merchant's as-of day: its latest order day."""
    stmt = select(func.max(_O.c.ordered_on)).where(_O.c.merchant_id == merchant_id)
    value = connection.execute(stmt).scalar_one_or_none()
    return pd.Timestamp(value).date() if value is not None else None


def _days(merchant_id: str, until: date) -> Select:
    """One row per customer and purchase day up to `until`, with its net spend."""
    return (
        select(
            _O.c.customer_id,
            _O.c.ordered_on.label("day"),
            func.sum(_O.c.gmv - _O.c.refund).label("spend"),
        )
        .where(
            _O.c.merchant_id == merchant_id,
            _O.c.customer_id.is_not(None),
            _O.c.ordered_on <= until,
        )
        .group_by(_O.c.customer_id, _O.c.ordered_on)
    )


def rfm_summary(connection: Connection, merchant_id: str, as_of: date) -> pd.DataFrame:
    """The BG/NBD and Gamma-Gamma inputs of one merchant's customers as of `as_of` (see
    models/clv.py): purchase days, first and last day and repeat spend come from SQL; the
    day differences are taken on whole columns."""
    days = _days(merchant_id, as_of).subquery()
    first = (
        select(days.c.customer_id, func.min(days.c.day).label("first_on"))
        .group_by(days.c.customer_id)
        .subquery()
    )
    stmt = (
        select(
            days.c.customer_id,
            first.c.first_on,
            func.max(days.c.day).label("last_on"),
            func.count().label("purchase_days"),
            func.sum(case((days.c.day > first.c.first_on, days.c.spend), else_=0)).label(
                "repeat_spend"
            ),
        )
        .join(first, first.c.customer_id == days.c.customer_id)
        .group_by(days.c.customer_id, first.c.first_on)
        .order_by(days.c.customer_id)
    )
    return summary_frame(read_frame(connection, stmt), as_of)


def summary_frame(rows: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per-customer first/last day, purchase days and repeat spend as the model's summary."""
    if rows.empty:
        return pd.DataFrame(columns=clv.SUMMARY_COLUMNS)
    first = pd.to_datetime(rows["first_on"])
    last = pd.to_datetime(rows["last_on"])
    end = pd.Timestamp(as_of)
    frequency = rows["purchase_days"].astype(int) - 1
    repeat_spend = pd.to_numeric(rows["repeat_spend"]).astype(float)
    return pd.DataFrame(
        {
            "customer_id": rows["customer_id"].astype(str),
            "frequency": frequency,
            "recency": (last - first).dt.days / clv.DAYS_PER_WEEK,
            "T": (end - first).dt.days / clv.DAYS_PER_WEEK,
            "monetary_value": (repeat_spend / frequency.where(frequency > 0)).fillna(0.0),
        }
    )


def holdout_purchases(
    connection: Connection, merchant_id: str, after: date, until: date
) -> pd.DataFrame:
    """Purchase days per customer in (after, until]."""
    stmt = (
        select(_O.c.customer_id, func.count(func.distinct(_O.c.ordered_on)).label("actual"))
        .where(
            _O.c.merchant_id == merchant_id,
            _O.c.customer_id.is_not(None),
            _O.c.ordered_on > after,
            _O.c.ordered_on <= until,
        )
        .group_by(_O.c.customer_id)
    )
    return read_frame(connection, stmt)


# --- one merchant ---------------------------------------------------------------------------


@dataclass
class MerchantResult:
    merchant_id: str
    status: str
    customers: int
    repeat_customers: int
    message: str = ""
    seconds: float = 0.0


def calibration_check(
    connection: Connection,
    merchant_id: str,
    as_of: date,
    *,
    holdout_days: int = HOLDOUT_DAYS,
    minimum: clv.Minimum = clv.DEFAULT_MINIMUM,
) -> clv.Calibration | None:
    """Fit on the customers who bought up to `holdout_days` before `as_of`, compare their
    expected purchases in the days after with what they bought (None: too little history
    before the cut-off)."""
    cutoff = as_of - timedelta(days=holdout_days)
    summary = rfm_summary(connection, merchant_id, cutoff)
    if minimum.shortfall(summary) is not None:
        return None
    actual = holdout_purchases(connection, merchant_id, cutoff, as_of).set_index("customer_id")
    aligned = summary["customer_id"].map(actual["actual"]).fillna(0).astype(int)
    return clv.calibrate(summary, aligned, holdout_days)


def predict_merchant(
    connection: Connection,
    merchant_id: str,
    *,
    now: datetime,
    minimum: clv.Minimum = clv.DEFAULT_MINIMUM,
) -> MerchantResult:
    """Fit, predict and check one merchant; replace its rows in the predictions tables."""
    started = time.perf_counter()
    as_of = last_order_day(connection, merchant_id)
    summary = rfm_summary(connection, merchant_id, as_of) if as_of else pd.DataFrame()
    customers = len(summary)
    repeat = int((summary["frequency"] > 0).sum()) if customers else 0
    for table in (_P, _C, _F):
        connection.execute(delete(table).where(table.c.merchant_id == merchant_id))
    record = {
        "merchant_id": merchant_id,
        "fitted_at": now,
        "as_of": as_of,
        "customers": customers,
        "repeat_customers": repeat,
    }
    short = minimum.shortfall(summary) if customers else "no purchases"
    if short is not None:
        seconds = time.perf_counter() - started
        connection.execute(
            insert(_F).values(**record, status=NOT_ENOUGH, parameters="", seconds=seconds)
        )
        return MerchantResult(merchant_id, NOT_ENOUGH, customers, repeat, short, seconds)
    assert as_of is not None
    fitted = clv.fit(summary)
    predictions = clv.predict(fitted, summary)
    predictions.insert(0, "merchant_id", merchant_id)
    predictions["fitted_at"] = now
    write_frame(connection, insert(_P), predictions)
    check = calibration_check(connection, merchant_id, as_of, minimum=minimum)
    if check is not None:
        groups = check.groups.assign(merchant_id=merchant_id)
        write_frame(connection, insert(_C), groups)
        record |= {
            "calibration_cutoff": as_of - timedelta(days=HOLDOUT_DAYS),
            "holdout_days": HOLDOUT_DAYS,
            "holdout_predicted": check.predicted_total,
            "holdout_actual": check.actual_total,
            "holdout_mae": check.mae,
        }
    seconds = time.perf_counter() - started
    connection.execute(
        insert(_F).values(
            **record, status=FITTED, parameters=fitted.parameters_json(), seconds=seconds
        )
    )
    return MerchantResult(merchant_id, FITTED, customers, repeat, "", seconds)


# --- every merchant -------------------------------------------------------------------------


def merchants_with_orders(engine: Engine) -> list[str]:
    stmt = select(_O.c.merchant_id).distinct().order_by(_O.c.merchant_id)
    with engine.connect() as connection:
        return [str(m) for m in connection.execute(stmt).scalars()]


def merchants_of_batch(connection: Connection, batch_id: int | None) -> list[str]:
    """The merchants whose orders a delivery wrote (for a load whose report was lost)."""
    if batch_id is None:
        return []
    stmt = select(_O.c.merchant_id).where(_O.c.batch_id == batch_id).distinct()
    return sorted(str(m) for m in connection.execute(stmt).scalars())


def stale_merchants(connection: Connection) -> list[str]:
    """Merchants whose orders a delivery wrote after their last fit, or never fitted: a fit
    that failed, or a load run with --no-predictions (the watcher's schedule catches up)."""
    batches = table_of(LoadBatch)
    latest = (
        select(_O.c.merchant_id, func.max(batches.c.started_at).label("at"))
        .join(batches, batches.c.batch_id == _O.c.batch_id)
        .group_by(_O.c.merchant_id)
        .subquery()
    )
    stmt = (
        select(latest.c.merchant_id)
        .outerjoin(_F, _F.c.merchant_id == latest.c.merchant_id)
        .where(or_(_F.c.fitted_at.is_(None), _F.c.fitted_at < latest.c.at))
        .order_by(latest.c.merchant_id)
    )
    return [str(m) for m in connection.execute(stmt).scalars()]


def rebuild(
    engine: Engine,
    merchant_ids: Sequence[str] | None = None,
    *,
    now: datetime | None = None,
    minimum: clv.Minimum = clv.DEFAULT_MINIMUM,
    progress: Callable[[str], None] | None = None,
) -> list[MerchantResult]:
    """Predict every given merchant (default: every merchant with orders), one transaction
    per merchant; returns what happened to each."""
    ids = list(merchant_ids) if merchant_ids is not None else merchants_with_orders(engine)
    when = now or utcnow().replace(microsecond=0)
    results = []
    for number, merchant_id in enumerate(ids, start=1):
        if progress:
            progress(f"predictions: merchant {merchant_id} ({number} of {len(ids)})")
        with engine.begin() as connection:
            results.append(predict_merchant(connection, merchant_id, now=when, minimum=minimum))
    return results


@dataclass
class AfterLoad:
    """What refitting a delivery's merchants did: each merchant's result, and the merchants
    whose fit failed (with the error; their previous predictions stay)."""

    results: list[MerchantResult]
    failed: list[tuple[str, str]]
    seconds: float

    def line(self) -> str:
        fitted = sum(r.status == FITTED for r in self.results)
        short = sum(r.status == NOT_ENOUGH for r in self.results)
        text = (
            f"predictions: {fitted} merchants refitted, {short} with too little history, "
            f"{len(self.failed)} failed, in {self.seconds:.1f}s"
        )
        if self.failed:
            text += " (" + "; ".join(f"{m}: {e}" for m, e in self.failed) + ")"
        return text


def after_load(
    engine: Engine,
    merchant_ids: Sequence[str],
    *,
    actor: str,
    now: datetime | None = None,
    minimum: clv.Minimum = clv.DEFAULT_MINIMUM,
) -> AfterLoad:
    """Refit the merchants a delivery touched, after its transaction committed, one
    transaction each. Never raises: a merchant whose fit fails keeps its previous
    predictions; the failure is logged and recorded in the audit log."""
    started = time.perf_counter()
    when = now or utcnow().replace(microsecond=0)
    results: list[MerchantResult] = []
    failed: list[tuple[str, str]] = []
    for merchant_id in merchant_ids:
        try:
            with engine.begin() as connection:
                results.append(predict_merchant(connection, merchant_id, now=when, minimum=minimum))
        except Exception as exc:  # a failed fit is recorded; the delivery stays loaded
            log.exception("predictions for merchant %s failed", merchant_id)
            failed.append((merchant_id, f"{type(exc).__name__}: {str(exc)[:300]}"))
    outcome = AfterLoad(results, failed, time.perf_counter() - started)
    if failed:
        try:
            with engine.begin() as connection:
                audit(
                    connection,
                    actor=actor,
                    action="predictions",
                    target=", ".join(m for m, _e in failed)[:200],
                    detail=outcome.line()[:2000],
                    success=False,
                )
        except Exception:  # the database itself failed: the log line above stays
            log.exception("could not record the failed predictions")
    return outcome
