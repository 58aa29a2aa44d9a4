"""The workshop's rules on tiny hand-checked frames (models/workshop.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from models import workshop


@pytest.mark.parametrize(
    "sidebar_end, data_end, cohort_end, expected",
    [
        (None, date(2019, 3, 1), date(2019, 6, 1), date(2019, 3, 1)),  # running: the data's end
        (date(2019, 2, 1), date(2019, 3, 1), date(2019, 6, 1), date(2019, 2, 1)),  # the sidebar
        (date(2019, 9, 1), date(2019, 12, 1), date(2019, 6, 1), date(2019, 6, 1)),  # ended
        (None, date(2019, 12, 1), date(2019, 6, 1), date(2019, 6, 1)),  # ended, no sidebar end
    ],
)
def test_an_ended_cohort_reads_its_last_programme_week(
    sidebar_end: date | None, data_end: date, cohort_end: date, expected: date
) -> None:
    assert workshop.as_of(sidebar_end, data_end, cohort_end) == expected


SESSIONS = pd.DataFrame(
    {
        "session_type": ["class", "class", "class", "one_on_one", "workshop"],
        "attended": [True, False, True, False, True],
        "topic": ["traffic", "content", None, "data", "data"],
    }
)


def test_attendance_counts_per_kind() -> None:
    assert workshop.attendance(SESSIONS) == {"class": (2, 3), "one_on_one": (0, 1)}
    assert workshop.attendance(SESSIONS.iloc[0:0]) == {"class": (0, 0), "one_on_one": (0, 0)}


def test_attended_topics() -> None:
    assert workshop.attended_topics(SESSIONS) == {"traffic", "data"}


def test_out_of_order_in_row_order() -> None:
    scores = pd.DataFrame(
        {
            "name": ["A", "B", "C"],
            "touchpoints_ahead": [None, None, None],
            "performance_ahead": [None, "touchpoints", None],
            "data_ahead": ["performance", "touchpoints", None],
        }
    )
    assert workshop.out_of_order(scores) == [
        workshop.OutOfOrder("A", "data", "performance"),
        workshop.OutOfOrder("B", "performance", "touchpoints"),
        workshop.OutOfOrder("B", "data", "touchpoints"),
    ]
