"""Cohort uplift, the calendar: big retail dates and the baseline, programme, post and
pre-trend windows of a programme (see models/uplift.py for the definitions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

BaselineKind = Literal["pre28", "last_year", "custom"]

BASELINE_DAYS = 28
POST_DAYS = 28

# Big retail dates: (code, first day, last day) per year; Chinese New Year by its date.
CNY_DATES = (
    date(2015, 2, 19),
    date(2016, 2, 8),
    date(2017, 1, 28),
    date(2018, 2, 16),
    date(2019, 2, 5),
    date(2020, 1, 25),
    date(2021, 2, 12),
    date(2022, 2, 1),
    date(2023, 1, 22),
    date(2024, 2, 10),
    date(2025, 1, 29),
    date(2026, 2, 17),
    date(2027, 2, 6),
    date(2028, 1, 26),
    date(2029, 2, 13),
    date(2030, 2, 3),
)


@dataclass(frozen=True)
class RetailEvent:
    code: str  # cny | 618 | double_11 | double_12 | national_day
    start: date
    end: date


def retail_events(first: date, last: date) -> list[RetailEvent]:
    """Big retail dates overlapping first..last (with their run-up), oldest first."""
    events = [RetailEvent("cny", d - timedelta(days=21), d + timedelta(days=13)) for d in CNY_DATES]
    for year in range(first.year - 1, last.year + 2):
        events += [
            RetailEvent("618", date(year, 6, 1), date(year, 6, 18)),
            RetailEvent("national_day", date(year, 10, 1), date(year, 10, 7)),
            RetailEvent("double_11", date(year, 10, 21), date(year, 11, 11)),
            RetailEvent("double_12", date(year, 12, 1), date(year, 12, 12)),
        ]
    hits = [e for e in events if e.start <= last and e.end >= first]
    return sorted(hits, key=lambda e: e.start)


# --- windows -------------------------------------------------------------------------

Window = tuple[date, date]


@dataclass(frozen=True)
class Windows:
    baseline: Window
    programme: Window
    post: Window | None
    pre: Window  # the window before the baseline, for the pre-trend check
    kind: BaselineKind = "pre28"

    def days(self, name: str) -> int:
        window = getattr(self, name)
        return 0 if window is None else (window[1] - window[0]).days + 1


def _minus_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def parse_baseline(text: str | None) -> tuple[BaselineKind, Window | None]:
    """`pre28`, `last_year` or `START:END` (ISO dates) -> kind and custom window."""
    text = (text or "pre28").strip()
    if text in ("pre28", "last_year"):
        return text, None  # type: ignore[return-value]
    if ":" in text:
        lo, hi = (part.strip() for part in text.split(":", 1))
        start, end = date.fromisoformat(lo), date.fromisoformat(hi)
        if end < start:
            raise ValueError(f"baseline end {end} is before its start {start}")
        return "custom", (start, end)
    raise ValueError(f"baseline must be pre28, last_year or START:END, got {text!r}")


def make_windows(
    start: date,
    end: date,
    kind: BaselineKind = "pre28",
    custom: Window | None = None,
    data_end: date | None = None,
) -> Windows:
    """The baseline, programme, post and pre-trend windows of a programme start..end."""
    if kind == "pre28":
        baseline = (start - timedelta(days=BASELINE_DAYS), start - timedelta(days=1))
    elif kind == "last_year":
        baseline = (_minus_year(start), _minus_year(end))
    else:
        if custom is None:
            raise ValueError("a custom baseline needs its window")
        baseline = custom
    length = (baseline[1] - baseline[0]).days + 1
    pre = (baseline[0] - timedelta(days=length), baseline[0] - timedelta(days=1))
    post: Window | None = (end + timedelta(days=1), end + timedelta(days=POST_DAYS))
    if data_end is not None and post is not None:
        post = None if data_end <= end else (post[0], min(post[1], data_end))
    return Windows(baseline=baseline, programme=(start, end), post=post, pre=pre, kind=kind)
