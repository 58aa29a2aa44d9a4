"""The retail calendar every merchant lives in: weekly rhythm and seasonal events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import numpy as np

from ._config import CH, DAY0, N_DAYS, Industry, day_index

# Channel groups that share a seasonal profile.
_STORE = [CH["store"], CH["scan_to_buy"]]
_PRIVATE = [CH["mini_program"], CH["wecom_guide"], CH["community"]]
_LIVE = [CH["livestream"]]
_PLATFORM = [CH["other_online"]]

_STORE_WEEK = np.array([0.90, 0.88, 0.90, 0.94, 1.05, 1.20, 1.13])
_ONLINE_WEEK = np.array([0.97, 0.97, 0.98, 0.99, 1.00, 1.05, 1.04])

CNY_DATES = (date(2018, 2, 16), date(2019, 2, 5))


@dataclass(frozen=True)
class CalendarEvent:
    """A named retail event and the days it shapes."""

    name: str
    start: date
    end: date
    peak: date


@cache
def weekdays() -> np.ndarray:
    """Weekday (0 = Monday) of every day of the data."""
    return (np.arange(N_DAYS) + int(DAY0.astype(np.int64)) + 3) % 7


def week_matrix(weekend: float) -> np.ndarray:
    """Weekly rhythm per day and channel (mean about 1)."""
    wd = weekdays()
    store = 1 + (_STORE_WEEK - 1) * weekend
    store = store / store.mean()
    out = np.empty((N_DAYS, 7))
    out[:] = _ONLINE_WEEK[wd][:, None]
    out[:, _STORE] = store[wd][:, None]
    return out


def calendar_events() -> list[CalendarEvent]:
    """Every retail event inside the data range."""
    events = [
        CalendarEvent("chinese_new_year", d - timedelta(days=21), d + timedelta(days=13), d)
        for d in CNY_DATES
    ]
    for year in (2017, 2018, 2019):
        events.append(
            CalendarEvent("national_day", date(year, 10, 1), date(year, 10, 7), date(year, 10, 1))
        )
        events.append(
            CalendarEvent("double_11", date(year, 10, 21), date(year, 11, 11), date(year, 11, 11))
        )
        events.append(
            CalendarEvent("double_12", date(year, 12, 1), date(year, 12, 12), date(year, 12, 12))
        )
    for year in (2018, 2019):
        events.append(CalendarEvent("618", date(year, 6, 1), date(year, 6, 18), date(year, 6, 18)))
    return sorted(events, key=lambda e: e.start)


def events_between(first: date, last: date) -> list[dict[str, str]]:
    """Events overlapping first..last, as JSON-ready records."""
    return [
        {
            "name": e.name,
            "start": e.start.isoformat(),
            "end": e.end.isoformat(),
            "peak": e.peak.isoformat(),
        }
        for e in calendar_events()
        if e.start <= last and e.end >= first
    ]


def _set(out: np.ndarray, d: date, cols: list[int], value: float) -> None:
    i = day_index(d)
    if 0 <= i < N_DAYS:
        out[i, cols] *= value


def _chinese_new_year(out: np.ndarray, rush: float) -> None:
    for cny in CNY_DATES:
        for k in range(1, 22):
            d = cny - timedelta(days=k)
            store = 1 + rush * (0.5 if k <= 2 else 1 - (k - 3) / 19)
            _set(out, d, _STORE, store)
            online = 0.7 if k <= 7 else 1 + 0.5 * rush
            _set(out, d, _PRIVATE + _LIVE + _PLATFORM, online)
        for k in range(7):
            _set(out, cny + timedelta(days=k), _STORE, 0.45 + 0.3 * rush)
            _set(out, cny + timedelta(days=k), _PRIVATE + _LIVE + _PLATFORM, 0.6)
        for k in range(7, 14):
            _set(out, cny + timedelta(days=k), list(range(7)), 0.85)


def _shopping_festival(
    out: np.ndarray, peak: date, lead: int, ramp: tuple[float, float], day: tuple[float, ...]
) -> None:
    """A festival with a lead-in ramp for online channels and a peak day."""
    store_day, private_day, live_day, platform_day = day
    for k in range(1, lead + 1):
        d = peak - timedelta(days=k)
        lift = ramp[0] + (ramp[1] - ramp[0]) * (lead - k) / max(lead - 1, 1)
        _set(out, d, _PRIVATE + _LIVE + _PLATFORM, lift)
        _set(out, d, _STORE, 1 + (lift - 1) * 0.3)
    _set(out, peak, _STORE, store_day)
    _set(out, peak, _PRIVATE, private_day)
    _set(out, peak, _LIVE, live_day)
    _set(out, peak, _PLATFORM, platform_day)
    for k in (1, 2):
        _set(out, peak + timedelta(days=k), _PRIVATE + _LIVE + _PLATFORM, 0.8)


@cache
def season_matrix(industry: Industry) -> np.ndarray:
    """Seasonal multiplier per day and channel for an industry."""
    out = np.ones((N_DAYS, 7))
    _chinese_new_year(out, industry.cny_rush)
    for year in (2017, 2018, 2019):
        for k in range(14):
            d = date(year, 10, 1) + timedelta(days=k)
            _set(out, d, _STORE, 1.2 if k < 7 else 0.92)
            _set(out, d, _PRIVATE + _LIVE + _PLATFORM, 0.95)
        _shopping_festival(out, date(year, 11, 11), 21, (1.15, 1.9), (1.6, 4.5, 5.0, 8.0))
        _shopping_festival(out, date(year, 12, 12), 11, (1.05, 1.2), (1.25, 2.2, 2.4, 2.6))
    for year in (2018, 2019):
        _shopping_festival(out, date(year, 6, 18), 17, (1.1, 1.5), (1.2, 2.5, 3.0, 4.0))
    out.flags.writeable = False
    return out


def is_double_11(day: np.ndarray) -> np.ndarray:
    """True where a day index is 11 November."""
    return np.isin(day, [day_index(date(y, 11, 11)) for y in (2017, 2018, 2019)])
