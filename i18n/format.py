"""Pure formatting of figures for the screen, in English or Simplified Chinese.

No Streamlit here: pages and chart builders call these with the current language.
A missing value (None, NaN, pandas NA) is shown as an em dash.
"""

from __future__ import annotations

import math
import os
from datetime import UTC, date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

import pandas as pd

Lang = Literal["en", "zh"]

MISSING = "—"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WAN = 10_000.0
_YI = 100_000_000.0


def _number(value: object) -> float | None:
    """The value as a finite float, or None when it is missing."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def money(value: object, lang: Lang = "en") -> str:
    """CNY: `¥1,234,567` in English; in Chinese large values use 万 / 亿 (`¥123.5万`)."""
    number = _number(value)
    if number is None:
        return MISSING
    sign = "-" if number < 0 else ""
    size = abs(number)
    if lang == "zh":
        if round(size / _WAN, 1) >= _WAN:
            return f"{sign}¥{size / _YI:.1f}亿"
        if size >= _WAN:
            return f"{sign}¥{size / _WAN:.1f}万"
    rounded = round(size)
    if rounded == 0:
        sign = ""
    return f"{sign}¥{rounded:,}"


def money_short(value: object, lang: Lang = "en") -> str:
    """CNY in a few characters, for a chart axis: `¥150万` / `¥1.5亿` in Chinese, `¥1.5M` /
    `¥500K` in English (one decimal where it counts, none where it is .0)."""
    number = _number(value)
    if number is None:
        return MISSING
    sign = "-" if number < 0 else ""
    size = abs(number)
    steps = ((_YI, "亿"), (_WAN, "万")) if lang == "zh" else ((1e9, "B"), (1e6, "M"), (1e3, "K"))
    for unit, suffix in steps:
        if size >= unit:
            shown = f"{size / unit:,.1f}".removesuffix(".0")
            return f"{sign}¥{shown}{suffix}"
    return f"{sign}¥{round(size):,}" if round(size) else "¥0"


def count(value: object, lang: Lang = "en") -> str:
    """A whole number with thousands separators: `12,345`."""
    number = _number(value)
    if number is None:
        return MISSING
    rounded = round(number)
    return f"{rounded:,}" if rounded != 0 else "0"


def percent(value: object, lang: Lang = "en") -> str:
    """A share (0.423) as `42.3%`."""
    number = _number(value)
    if number is None:
        return MISSING
    shown = round(number * 100, 1)
    return f"{shown:.1f}%" if shown != 0 else "0.0%"


def percent_change(value: object, lang: Lang = "en") -> str:
    """A relative change (3.76) as `+376%`; below ten percent one decimal (`-4.5%`).

    The sign is a plain hyphen-minus so that `st.metric` colours a fall red.
    """
    number = _number(value)
    if number is None:
        return MISSING
    shown = number * 100
    if abs(shown) >= 9.95:
        text = f"{round(shown):+d}%"
    else:
        text = f"{shown:+.1f}%"
    return "0%" if text in ("+0.0%", "-0.0%") else text


def points(value: object, lang: Lang = "en") -> str:
    """A difference of two shares (0.032) in percentage points: `+3.2 pts` / `+3.2个百分点`.
    No change shows unsigned (`0.0 pts`), like `percent_change`: only a rise or a fall has a
    sign."""
    number = _number(value)
    if number is None:
        return MISSING
    shown = f"{number * 100:+.1f}"
    if shown in ("+0.0", "-0.0"):
        shown = "0.0"
    return f"{shown}个百分点" if lang == "zh" else f"{shown} pts"


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return None if value != value else value.date()  # NaT compares unequal to itself
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def day(value: object, lang: Lang = "en") -> str:
    """A date: `22 Nov 2026` / `2026年11月22日`."""
    when = _as_date(value)
    if when is None:
        return MISSING
    if lang == "zh":
        return f"{when.year}年{when.month}月{when.day}日"
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def day_range(start: object, end: object, lang: Lang = "en") -> str:
    """Two dates: `3 Nov 2018 – 2 Jan 2019` / `2018年11月3日 – 2019年1月2日`."""
    return f"{day(start, lang)} – {day(end, lang)}"


DEFAULT_ZONE = "Asia/Shanghai"
_zone = [os.environ.get("GROWTH_TIMEZONE") or DEFAULT_ZONE]


def use_zone(name: str) -> None:
    """Show every time in the zone `name` (the deployment's `GROWTH_TIMEZONE`, set by the
    frame and the command line from the settings)."""
    ZoneInfo(name)  # an unknown zone fails here, not on the first time shown
    _zone[0] = name


def display_zone() -> str:
    """The zone times are shown in (an IANA name: Asia/Shanghai)."""
    return _zone[0]


def _in_zone(value: datetime, zone: str | None) -> datetime:
    """A stamp (naive means UTC, as stored) in the display zone, without the zone."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone or display_zone())).replace(tzinfo=None)


def timestamp(value: object, lang: Lang = "en", zone: str | None = None) -> str:
    """A stamp to the minute, in the display zone: `22 Nov 2026 14:05` / `2026年11月22日
    14:05`. The one function for showing a time: a naive value is UTC (every stamp of the
    product is stored so), an aware one is converted; a bare date is shown as a date."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return MISSING
    if isinstance(value, pd.Timestamp):
        value = None if pd.isna(value) else value.to_pydatetime()
    if not isinstance(value, datetime) or value != value:
        return day(value, lang)
    local = _in_zone(value, zone)
    return f"{day(local, lang)} {local:%H:%M}"


_MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#+-.!|~$:&")


def plain(text: object) -> str:
    """Delivered text (a cohort id, a file name) made safe to drop into Markdown: every
    character Markdown could read as syntax is backslash-escaped, so it shows as typed."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in str(text))


def indicator(value: object, unit: str, lang: Lang = "en") -> str:
    """An indicator's value in its unit (`models.connections.UNITS`): a share as `42.3%`,
    money as `¥1,234` (万 in Chinese), a ratio as `3.2×` / `3.2倍`, days as `3 days` /
    `3天`, a count with separators (one decimal below 100 when it has one: `12.5`)."""
    number = _number(value)
    if number is None:
        return MISSING
    if unit == "share":
        return percent(number, lang)
    if unit == "money":
        return money(number, lang)
    if unit == "ratio":
        return f"{number:.1f}倍" if lang == "zh" else f"{number:.1f}×"
    if unit == "days":
        days = round(number)
        if lang == "zh":
            return f"{days}天"
        return f"{days} day" if days == 1 else f"{days} days"
    if abs(number) < 100 and round(number, 1) != round(number):
        return f"{number:.1f}"
    return count(number, lang)
