"""Tables of the predictions area: per-customer predictions, one fit record per merchant,
and the merchant's calibration check by frequency group.

Written by `pipelines/predictions.py` (BG/NBD and Gamma-Gamma from pymc-marketing); read
by `models/predictions.py` and, as rule fields, by the segment builder. Definitions:
docs/predictions.md.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.schema import Base, Id, Money


class CustomerPrediction(Base):
    """One row per merchant and customer who bought, for merchants with enough history.

    Purchases are purchase days (orders of one day are one purchase), as in the customer
    features mart; money is net of refunds."""

    __tablename__ = "customer_predictions"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[str] = mapped_column(Id, primary_key=True)
    purchases_30d: Mapped[float] = mapped_column(Float)
    purchases_90d: Mapped[float] = mapped_column(Float)
    p_alive: Mapped[float] = mapped_column(Float)
    churn_risk: Mapped[float] = mapped_column(Float)  # 1 - p_alive
    expected_spend: Mapped[float | None] = mapped_column(Money())  # per purchase
    clv_12m: Mapped[float | None] = mapped_column(Money())
    fitted_at: Mapped[datetime] = mapped_column(DateTime)


class PredictionFit(Base):
    """The latest fit of one merchant: `status` is "fitted", or "not_enough" (too little
    purchase history to predict) with the counts that fell short."""

    __tablename__ = "prediction_fits"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    fitted_at: Mapped[datetime] = mapped_column(DateTime)
    as_of: Mapped[date | None] = mapped_column(Date)
    customers: Mapped[int] = mapped_column(Integer, default=0)
    repeat_customers: Mapped[int] = mapped_column(Integer, default=0)
    parameters: Mapped[str] = mapped_column(Text, default="")  # JSON: r, alpha, a, b, p, q, v
    calibration_cutoff: Mapped[date | None] = mapped_column(Date)
    holdout_days: Mapped[int | None] = mapped_column(Integer)
    holdout_predicted: Mapped[float | None] = mapped_column(Float)  # total purchases
    holdout_actual: Mapped[int | None] = mapped_column(Integer)
    holdout_mae: Mapped[float | None] = mapped_column(Float)  # per customer
    seconds: Mapped[float] = mapped_column(Float, default=0)


class PredictionCalibration(Base):
    """The calibration check of one merchant: customers grouped by their repeat purchases
    before the cut-off, their mean predicted and actual purchases in the holdout after it."""

    __tablename__ = "prediction_calibration"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    frequency_group: Mapped[int] = mapped_column(Integer, primary_key=True)  # 7 means 7+
    customers: Mapped[int] = mapped_column(Integer)
    predicted: Mapped[float] = mapped_column(Float)  # mean per customer
    actual: Mapped[float] = mapped_column(Float)
