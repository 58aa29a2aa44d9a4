"""Programme KPIs: period-over-period figures computed from daily totals.

These are the calculations behind the overview's cards; queries fetch the daily
totals, these functions turn them into what a card shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import pandas as pd

KpiKind = Literal["money", "share", "count"]


def raw_uplift(before: float | None, after: float | None) -> float | None:
    """after / before - 1 (3.76 means +376%); None when there is no base to compare with
    (no positive, finite `before`) or nothing finite to compare (`after`). The one
    definition of raw uplift: the overview's cohort table and the ROI page's raw figure."""
    if before is None or after is None:
        return None
    if not math.isfinite(float(before)) or not math.isfinite(float(after)) or before <= 0:
        return None
    return float(after) / float(before) - 1.0


def share(part: float, whole: float) -> float | None:
    """part / whole, None when the whole is zero or missing."""
    if not whole or pd.isna(whole):
        return None
    return float(part) / float(whole)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length that ends the day before `start`."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


@dataclass(frozen=True)
class KpiCard:
    key: str
    kind: KpiKind
    value: float | None
    previous: float | None
    spark: list[float] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        """Relative change for money and counts; difference in points for shares."""
        if self.value is None or self.previous is None:
            return None
        if self.kind == "share":
            return self.value - self.previous
        return raw_uplift(self.previous, self.value)


def _period_figures(
    daily: pd.DataFrame, days: int, active_merchants: int
) -> dict[str, float | None]:
    if daily.empty:
        return dict.fromkeys(
            ("gmv", "daily_gmv", "private_share", "cloud_users", "active_merchants", "digitised"),
            None,
        )
    last = daily.sort_values("date").iloc[-1]
    return {
        "gmv": float(daily["gmv"].sum()),
        "daily_gmv": float(daily["gmv"].sum()) / days,
        "private_share": share(daily["private_gmv"].sum(), daily["gmv"].sum()),
        "cloud_users": float(last["cloud_users"]),
        "active_merchants": float(active_merchants),
        "digitised": share(daily["identified_visitors"].sum(), daily["visitors"].sum()),
    }


KPI_KINDS: dict[str, KpiKind] = {
    "gmv": "money",
    "daily_gmv": "money",
    "private_share": "share",
    "cloud_users": "count",
    "active_merchants": "count",
    "digitised": "share",
}


def _weekly(daily: pd.DataFrame) -> pd.DataFrame | None:
    """The period's days as weeks, once for all the cards' sparklines. Sums are per-day
    means within each week, so a week the period cuts short does not look like a fall."""
    if daily.empty:
        return None
    frame = daily.assign(date=pd.to_datetime(daily["date"])).set_index("date").sort_index()
    return frame.resample("W").agg(
        {
            "gmv": "mean",
            "private_gmv": "mean",
            "cloud_users": "last",
            "active_merchants": "max",
            "visitors": "mean",
            "identified_visitors": "mean",
        }
    )


def _spark_of(weekly: pd.DataFrame | None, key: str) -> list[float]:
    """A weekly series for a card's sparkline (`_weekly`'s weeks)."""
    if weekly is None:
        return []
    series = {
        "gmv": lambda: weekly["gmv"] * 7,
        "daily_gmv": lambda: weekly["gmv"],
        "private_share": lambda: weekly["private_gmv"] / weekly["gmv"].where(weekly["gmv"] > 0),
        "cloud_users": lambda: weekly["cloud_users"],
        "active_merchants": lambda: weekly["active_merchants"],
        "digitised": lambda: (
            weekly["identified_visitors"] / weekly["visitors"].where(weekly["visitors"] > 0)
        ),
    }[key]()
    return [float(v) for v in series.fillna(0).tolist()]


def kpi_cards(
    daily: pd.DataFrame,
    *,
    start: date,
    end: date,
    active_now: int,
    active_before: int,
) -> list[KpiCard]:
    """The overview's cards for [start, end] against the period of equal length before it.

    `daily` holds the rows of `queries.daily_kpis` for both periods.
    """
    days = (end - start).days + 1
    prev_start, prev_end = previous_period(start, end)
    dates = pd.to_datetime(daily["date"]).dt.date if not daily.empty else daily["date"]
    current = daily[(dates >= start) & (dates <= end)]
    before = daily[(dates >= prev_start) & (dates <= prev_end)]
    now = _period_figures(current, days, active_now)
    then = _period_figures(before, days, active_before)
    weekly = _weekly(current)  # resampled once for the six sparklines
    return [
        KpiCard(
            key=key, kind=kind, value=now[key], previous=then[key], spark=_spark_of(weekly, key)
        )
        for key, kind in KPI_KINDS.items()
    ]
