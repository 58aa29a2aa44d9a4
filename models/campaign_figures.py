"""Campaign and channel payback: the figures (pure; `models/campaigns.py` reads the rows).

Definitions (also in docs/roi.md):

- With a holdout (`campaign_assignments` holds treatment and holdout customers): each
  assigned customer's orders at the merchant from the start to the end date (30 days when
  the campaign has no end). Repurchase rate = share of a group's customers with at least
  one order; GMV per customer = the group's GMV / its customers. Lift = treatment GMV per
  customer / holdout's - 1, with a 95% interval on the log scale (delta method, the groups'
  per-customer variances). Incremental GMV = (treatment - holdout GMV per customer) x
  treatment customers.
- Without a holdout the figure is observational: the GMV of the orders tagged with the
  campaign id (attributed, not incremental).
- Incremental margin = incremental GMV x the merchant's margin rate (`roi_margin_rates`,
  else the industry default). ROI = incremental GMV / cost (the published "10x" kind);
  margin ROI = incremental margin / cost (per unit of cost; pays back at 1). Payback day =
  the first day since launch from which the cumulative incremental margin stays at or
  above the cost ("not yet" when the last day is below).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from models.planning import READABLE_LIFT, WINDOW_DAYS, detectable_lift_of_groups

Z95 = 1.959963984540054
DEFAULT_DAYS = WINDOW_DAYS  # a campaign without an end date is judged over its first 30 days
INDUSTRY_MARGIN: dict[str, float] = {
    "apparel": 0.55,
    "grocery": 0.20,
    "beauty": 0.60,
    "mother_baby": 0.35,
    "food_beverage": 0.60,
    "department_store": 0.30,
    "home": 0.40,
    "other": 0.35,
}
FALLBACK_MARGIN = 0.35


def margin_rate(industry: str | None, rate: float | None) -> float:
    """The merchant's own rate when set, else its industry's default."""
    if rate is not None and not (isinstance(rate, float) and math.isnan(rate)):
        return float(rate)
    return INDUSTRY_MARGIN.get(industry or "", FALLBACK_MARGIN)


def campaign_end(start: date, end: date | None) -> date:
    return end if end is not None else start + timedelta(days=DEFAULT_DAYS - 1)


CAMPAIGN_COLUMNS = [
    "campaign_id",
    "merchant_id",
    "merchant_name",
    "industry",
    "name",
    "start_date",
    "end_date",
    "cost",
    "channel",
    "offer",
    "holdout_share",
    "margin_rate",
]


# --- the figures (pure) ----------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    estimate: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {"estimate": self.estimate, "low": self.low, "high": self.high}


NONE = Interval(None, None, None)


def _variance(n: float, total: float, squares: float) -> float:
    if n < 2:
        return 0.0
    mean = total / n
    return max(squares / n - mean * mean, 0.0) * n / (n - 1)


def ratio_interval(
    mean_t: float, var_t: float, n_t: float, mean_h: float, var_h: float, n_h: float
) -> Interval:
    """mean_t / mean_h - 1 with a 95% interval on the log scale (delta method)."""
    if n_t <= 0 or n_h <= 0 or mean_t <= 0 or mean_h <= 0:
        return NONE
    estimate = mean_t / mean_h - 1
    se = math.sqrt(var_t / (n_t * mean_t**2) + var_h / (n_h * mean_h**2))
    log = math.log(mean_t / mean_h)
    return Interval(estimate, math.exp(log - Z95 * se) - 1, math.exp(log + Z95 * se) - 1)


@dataclass(frozen=True)
class HoldoutFigures:
    treatment: int
    holdout: int
    repurchase_treatment: float
    repurchase_holdout: float
    repurchase_lift: Interval
    gmv_per_customer_treatment: float
    gmv_per_customer_holdout: float
    lift: Interval
    incremental_gmv: Interval
    detectable_lift: float | None = None  # what groups of these sizes could detect

    @property
    def readable(self) -> bool:
        return self.detectable_lift is not None and self.detectable_lift <= READABLE_LIFT


def holdout_figures(groups: pd.DataFrame) -> HoldoutFigures | None:
    """Treatment against holdout from `group_outcomes` rows of one campaign."""
    by = groups.set_index("group")
    if "treatment" not in by.index or "holdout" not in by.index:
        return None
    t, h = by.loc["treatment"], by.loc["holdout"]
    n_t, n_h = float(t["customers"]), float(h["customers"])
    if n_t <= 0 or n_h <= 0:
        return None
    p_t, p_h = float(t["buyers"]) / n_t, float(h["buyers"]) / n_h
    g_t, g_h = float(t["gmv"]) / n_t, float(h["gmv"]) / n_h
    v_t = _variance(n_t, float(t["gmv"]), float(t["gmv2"]))
    v_h = _variance(n_h, float(h["gmv"]), float(h["gmv2"]))
    se = math.sqrt(v_t / n_t + v_h / n_h) * n_t
    incremental = (g_t - g_h) * n_t
    pooled_sd = math.sqrt(((n_t - 1) * v_t + (n_h - 1) * v_h) / max(n_t + n_h - 2, 1))
    detectable = detectable_lift_of_groups(
        treatment=int(n_t),
        holdout=int(n_h),
        mean=(g_t * n_t + g_h * n_h) / (n_t + n_h),
        sd=pooled_sd,
    )
    return HoldoutFigures(
        treatment=int(n_t),
        holdout=int(n_h),
        repurchase_treatment=p_t,
        repurchase_holdout=p_h,
        repurchase_lift=ratio_interval(p_t, p_t * (1 - p_t), n_t, p_h, p_h * (1 - p_h), n_h),
        gmv_per_customer_treatment=g_t,
        gmv_per_customer_holdout=g_h,
        lift=ratio_interval(g_t, v_t, n_t, g_h, v_h, n_h),
        incremental_gmv=Interval(incremental, incremental - Z95 * se, incremental + Z95 * se),
        detectable_lift=detectable,
    )


SUMMARY_COLUMNS = [
    *CAMPAIGN_COLUMNS,
    "method",  # holdout | observational
    "treatment",
    "holdout",
    "repurchase_treatment",
    "repurchase_holdout",
    "gmv_per_customer_treatment",
    "gmv_per_customer_holdout",
    "lift",
    "lift_low",
    "lift_high",
    "incremental_gmv",
    "incremental_low",
    "incremental_high",
    "incremental_margin",
    "roi",
    "margin_roi",
    "detectable_lift",  # holdout campaigns: the smallest lift its groups could detect
    "readable",  # False: too small a holdout to read the estimate
]


def summarise(
    campaigns: pd.DataFrame, groups: pd.DataFrame, attributed: pd.DataFrame
) -> pd.DataFrame:
    """One row per campaign: method, treatment vs holdout, incremental GMV and margin,
    ROI and margin ROI (observational campaigns: attributed GMV)."""
    tagged = attributed.set_index("campaign_id")["gmv"].astype(float)
    rows = []
    for row in campaigns.to_dict("records"):
        cid = row["campaign_id"]
        figures = holdout_figures(groups[groups["campaign_id"] == cid])
        out = {**row}
        if figures is not None:
            out |= {
                "method": "holdout",
                "treatment": figures.treatment,
                "holdout": figures.holdout,
                "repurchase_treatment": figures.repurchase_treatment,
                "repurchase_holdout": figures.repurchase_holdout,
                "gmv_per_customer_treatment": figures.gmv_per_customer_treatment,
                "gmv_per_customer_holdout": figures.gmv_per_customer_holdout,
                "lift": figures.lift.estimate,
                "lift_low": figures.lift.low,
                "lift_high": figures.lift.high,
                "incremental_gmv": figures.incremental_gmv.estimate,
                "incremental_low": figures.incremental_gmv.low,
                "incremental_high": figures.incremental_gmv.high,
                "detectable_lift": figures.detectable_lift,
                "readable": figures.readable,
            }
        else:
            out |= {
                "method": "observational",
                "incremental_gmv": float(tagged.get(cid, 0.0)),
                "readable": True,
            }
        cost = float(row["cost"] or 0)
        gmv = out["incremental_gmv"]
        out["incremental_margin"] = None if gmv is None else gmv * row["margin_rate"]
        out["roi"] = gmv / cost if cost > 0 and gmv is not None else None
        out["margin_roi"] = (
            out["incremental_margin"] / cost if cost > 0 and gmv is not None else None
        )
        rows.append(out)
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


CHANNEL_COLUMNS = [
    "channel",
    "campaigns",
    "observational",
    "cost",
    "incremental_gmv",
    "incremental_margin",
    "roi",
    "margin_roi",
]


def channel_roi(summary: pd.DataFrame) -> pd.DataFrame:
    """ROI per traffic channel: sums over its campaigns (observational ones counted, and
    said how many)."""
    if summary.empty:
        return pd.DataFrame(columns=CHANNEL_COLUMNS)
    frame = summary.assign(
        channel=summary["channel"].fillna("other"),
        observational=(summary["method"] == "observational").astype(int),
    )
    out = (
        frame.groupby("channel")
        .agg(
            campaigns=("campaign_id", "size"),
            observational=("observational", "sum"),
            cost=("cost", "sum"),
            incremental_gmv=("incremental_gmv", "sum"),
            incremental_margin=("incremental_margin", "sum"),
        )
        .reset_index()
    )
    cost = out["cost"].where(out["cost"] > 0)
    out["roi"] = out["incremental_gmv"] / cost
    out["margin_roi"] = out["incremental_margin"] / cost
    return out.sort_values("roi", ascending=False).reindex(columns=CHANNEL_COLUMNS)


CURVE_COLUMNS = ["day", "date", "incremental_gmv", "cumulative_gmv", "roi", "margin_roi"]


def roi_curve(
    daily: pd.DataFrame,
    *,
    start: date,
    end: date,
    cost: float,
    rate: float,
    treatment: int | None,
    holdout: int | None,
) -> pd.DataFrame:
    """Cumulative ROI by days since launch. With a holdout, a day's incremental GMV is
    (treatment GMV / treatment customers - holdout GMV / holdout customers) x treatment
    customers; without, the attributed GMV of the day."""
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    frame = daily.assign(date=pd.to_datetime(daily["date"]).dt.date)

    def series(group: str) -> np.ndarray:
        part = frame[frame["group"] == group].groupby("date")["gmv"].sum()
        return part.reindex(days, fill_value=0.0).to_numpy(float)

    if treatment and holdout:
        incremental = (series("treatment") / treatment - series("holdout") / holdout) * treatment
    else:
        incremental = series("attributed")
    cumulative = np.cumsum(incremental)
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = cumulative / cost if cost > 0 else np.full(len(days), np.nan)
    return pd.DataFrame(
        {
            "day": np.arange(1, len(days) + 1),
            "date": days,
            "incremental_gmv": incremental,
            "cumulative_gmv": cumulative,
            "roi": roi,
            "margin_roi": roi * rate,
        },
        columns=CURVE_COLUMNS,
    )


def payback_day(curve: pd.DataFrame) -> int | None:
    """First day since launch from which the cumulative incremental margin covers the
    cost for good (margin ROI >= 1 on that day and every later one); None: not yet."""
    paid = (curve["margin_roi"] >= 1).to_numpy(bool)
    if not len(paid) or not paid[-1]:
        return None
    below = np.flatnonzero(~paid)
    first = 0 if not len(below) else int(below[-1]) + 1
    return int(curve["day"].iloc[first])
