"""Customer lifetime value: BG/NBD for purchases and "alive", Gamma-Gamma for spend, both
from pymc-marketing, fitted by maximum a posteriori (its fast fit), the models compiled once
per process and reused for every merchant (models/clv_map.py).

Everything here takes and returns frames; the data comes from SQL in
`pipelines/predictions.py`. A summary frame has one row per customer who bought:
`customer_id`, `frequency` (repeat purchases: purchase days after the first), `recency`
(weeks from the first to the last purchase), `T` (weeks from the first purchase to the
as-of day) and `monetary_value` (mean net spend of the repeat purchases, 0 without any).

pymc-marketing (and PyMC, PyTensor) is imported only inside the fitting functions: the app
and everything else never pay its import and compile time.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

DAYS_PER_WEEK = 7.0
DAYS_PER_MONTH = 30.0
CLV_MONTHS = 12
FREQUENCY_GROUPS = 7  # calibration groups 0, 1, ..., 6 and "7 or more"
SUMMARY_COLUMNS = ["customer_id", "frequency", "recency", "T", "monetary_value"]
PREDICTION_COLUMNS = [
    "customer_id",
    "purchases_30d",
    "purchases_90d",
    "p_alive",
    "churn_risk",
    "expected_spend",
    "clv_12m",
]


@dataclass(frozen=True)
class Minimum:
    """The least history a merchant needs before its customers get numbers."""

    customers: int = 100  # customers who bought
    repeat_customers: int = 30  # of whom bought on two days or more

    def shortfall(self, summary: pd.DataFrame) -> str | None:
        """Why the summary is too thin to fit (None when it is enough)."""
        customers = len(summary)
        repeat = int((summary["frequency"] > 0).sum()) if customers else 0
        if customers < self.customers or repeat < self.repeat_customers:
            return (
                f"{customers} customers of whom {repeat} bought again; predictions need at "
                f"least {self.customers} customers and {self.repeat_customers} repeat buyers"
            )
        return None


DEFAULT_MINIMUM = Minimum()


@dataclass
class Fitted:
    """The fitted models of one merchant and their parameters."""

    purchases: Any  # pymc_marketing.clv.BetaGeoModel
    spend: Any | None  # pymc_marketing.clv.GammaGammaModel (None: too few repeat spends)
    parameters: dict[str, float] = field(default_factory=dict)

    def parameters_json(self) -> str:
        return json.dumps({k: round(v, 6) for k, v in self.parameters.items()}, sort_keys=True)


def _point(values: Any) -> np.ndarray:
    """A MAP fit's per-customer values (one chain, one draw) as a plain array."""
    return np.asarray(values.mean(("chain", "draw")).values, dtype=float)


def fit(summary: pd.DataFrame) -> Fitted:
    """Fit BG/NBD on every customer and Gamma-Gamma on those with repeat spend (MAP, the
    library's models compiled once per process: models/clv_map.py)."""
    from models import clv_map

    data = summary[SUMMARY_COLUMNS].reset_index(drop=True)
    spenders = data[(data["frequency"] > 0) & (data["monetary_value"] > 0)]
    purchases, point = clv_map.fitted_model(
        "purchases", data[["customer_id", "frequency", "recency", "T"]]
    )
    parameters = {k: point[k] for k in ("r", "alpha", "a", "b")}
    spend = None
    if len(spenders) >= 10:
        spend, point = clv_map.fitted_model("spend", spenders.reset_index(drop=True))
        parameters |= {k: point[k] for k in ("p", "q", "v")}
    return Fitted(purchases=purchases, spend=spend, parameters=parameters)


def expected_purchases(fitted: Fitted, summary: pd.DataFrame, days: float) -> np.ndarray:
    """Expected purchases of each customer in the next `days` days."""
    data = summary[["customer_id", "frequency", "recency", "T"]].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = fitted.purchases.expected_purchases(data=data, future_t=days / DAYS_PER_WEEK)
    return _point(values)


def predict(fitted: Fitted, summary: pd.DataFrame) -> pd.DataFrame:
    """Per customer: expected purchases in the next 30 and 90 days, probability alive and
    churn risk (1 - alive), expected spend per purchase and 12-month CLV (undiscounted)."""
    data = summary[SUMMARY_COLUMNS].reset_index(drop=True).copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alive = _point(fitted.purchases.expected_probability_alive(data=data))
        spend = clv_12m = None
        if fitted.spend is not None:
            spend = _point(fitted.spend.expected_customer_spend(data=data))
            # pymc-marketing's CLV: expected purchases month by month times expected spend.
            clv_12m = _point(
                fitted.spend.expected_customer_lifetime_value(
                    transaction_model=fitted.purchases,
                    data=data.copy(),
                    future_t=CLV_MONTHS,
                    discount_rate=0.0,
                    time_unit="W",
                )
            )
    out = pd.DataFrame(
        {
            "customer_id": data["customer_id"],
            "purchases_30d": expected_purchases(fitted, data, 30),
            "purchases_90d": expected_purchases(fitted, data, 90),
            "p_alive": np.clip(alive, 0.0, 1.0),
        }
    )
    out["churn_risk"] = 1.0 - out["p_alive"]
    out["expected_spend"] = np.round(spend, 2) if spend is not None else None
    out["clv_12m"] = np.round(clv_12m, 2) if clv_12m is not None else None
    return out[PREDICTION_COLUMNS]


@dataclass
class Calibration:
    """A calibration/holdout check: fit up to a cut-off, predict the holdout, compare."""

    groups: pd.DataFrame  # frequency_group, customers, predicted, actual (means)
    predicted_total: float
    actual_total: int
    mae: float  # mean absolute error per customer
    parameters: dict[str, float]

    @property
    def total_error(self) -> float | None:
        """Predicted minus actual holdout purchases, as a share of actual."""
        if not self.actual_total:
            return None
        return (self.predicted_total - self.actual_total) / self.actual_total


def calibrate(summary: pd.DataFrame, actual: pd.Series, holdout_days: float) -> Calibration:
    """Fit BG/NBD on the calibration summary; compare its expected purchases over the
    holdout with `actual` (holdout purchase days per customer, aligned with `summary`) by
    repeat purchases in the calibration period (0, 1, ..., 6, 7+)."""
    fitted = fit(summary.assign(monetary_value=0.0))
    predicted = expected_purchases(fitted, summary, holdout_days)
    frame = pd.DataFrame(
        {
            "frequency_group": summary["frequency"].clip(upper=FREQUENCY_GROUPS).to_numpy(),
            "predicted": predicted,
            "actual": actual.to_numpy(dtype=float),
        }
    )
    groups = (
        frame.groupby("frequency_group")
        .agg(
            customers=("actual", "size"),
            predicted=("predicted", "mean"),
            actual=("actual", "mean"),
        )
        .reset_index()
    )
    return Calibration(
        groups=groups,
        predicted_total=float(frame["predicted"].sum()),
        actual_total=int(frame["actual"].sum()),
        mae=float((frame["predicted"] - frame["actual"]).abs().mean()),
        parameters=fitted.parameters,
    )
