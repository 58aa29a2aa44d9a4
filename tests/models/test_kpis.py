"""Period-over-period KPI figures on tiny daily frames."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from models.kpis import kpi_cards, previous_period, raw_uplift, share


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (100.0, 476.0, 3.76),
        (50.0, 50.0, 0.0),
        (80.0, 40.0, -0.5),
        (0.0, 10.0, None),
        (None, 1.0, None),
        (float("nan"), 1.0, None),
    ],
)
def test_raw_uplift(before: float | None, after: float, expected: float | None) -> None:
    got = raw_uplift(before, after)
    assert got == pytest.approx(expected) if expected is not None else got is None


def test_share_of_zero_is_missing() -> None:
    assert share(1, 4) == 0.25
    assert share(1, 0) is None


def test_previous_period_has_the_same_length() -> None:
    assert previous_period(date(2024, 3, 1), date(2024, 3, 10)) == (
        date(2024, 2, 20),
        date(2024, 2, 29),
    )


def daily(start: date, days: int, gmv: float, private: float, cloud: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [start + timedelta(days=i) for i in range(days)],
            "gmv": gmv,
            "private_gmv": private,
            "refunds": 0.0,
            "orders": 1,
            "buyers": 1,
            "active_merchants": 1,
            "cloud_users": [cloud + i for i in range(days)],
            "visitors": 10,
            "identified_visitors": 6,
        }
    )


def test_kpi_cards_compare_with_the_period_before() -> None:
    frame = pd.concat(
        [daily(date(2024, 1, 1), 7, 100.0, 10.0, 0), daily(date(2024, 1, 8), 7, 300.0, 150.0, 50)]
    )
    cards = {
        c.key: c
        for c in kpi_cards(
            frame, start=date(2024, 1, 8), end=date(2024, 1, 14), active_now=3, active_before=2
        )
    }
    assert cards["gmv"].value == 2100 and cards["gmv"].previous == 700
    assert cards["gmv"].change == pytest.approx(2.0)
    assert cards["daily_gmv"].value == 300
    assert cards["private_share"].value == pytest.approx(0.5)
    assert cards["private_share"].change == pytest.approx(0.4)  # points, not relative
    assert cards["cloud_users"].value == 56 and cards["cloud_users"].previous == 6
    assert cards["active_merchants"].change == pytest.approx(0.5)
    assert cards["digitised"].value == pytest.approx(0.6)
    assert cards["gmv"].spark  # a weekly series for the sparkline


def test_sparkline_does_not_dip_in_a_short_last_week() -> None:
    # 2024-01-08 is a Monday: one full week, then two days of the next at the same pace.
    frame = daily(date(2024, 1, 8), 9, 100.0, 10.0, 0)
    cards = {
        c.key: c
        for c in kpi_cards(
            frame, start=date(2024, 1, 8), end=date(2024, 1, 16), active_now=1, active_before=0
        )
    }
    assert cards["daily_gmv"].spark == [100.0, 100.0]
    assert cards["gmv"].spark == [700.0, 700.0]


def test_kpi_cards_without_data_are_empty_not_zero() -> None:
    frame = daily(date(2024, 1, 8), 0, 0, 0, 0)
    cards = kpi_cards(
        frame, start=date(2024, 1, 8), end=date(2024, 1, 14), active_now=0, active_before=0
    )
    assert all(c.value is None and c.change is None for c in cards)
