"""Formatting of figures, checked by hand."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from i18n import format as fmt


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (1234567, "en", "¥1,234,567"),
        (1234567.49, "en", "¥1,234,567"),
        (999.5, "en", "¥1,000"),
        (0, "en", "¥0"),
        (-0.2, "en", "¥0"),
        (-2500, "en", "-¥2,500"),
        (1234567, "zh", "¥123.5万"),
        (123_456_789, "zh", "¥1.2亿"),
        (99_999_999, "zh", "¥1.0亿"),
        (10_000, "zh", "¥1.0万"),
        (9_999, "zh", "¥9,999"),
        (-25_000, "zh", "-¥2.5万"),
        (None, "en", "—"),
        (float("nan"), "zh", "—"),
        (pd.NA, "en", "—"),
    ],
)
def test_money(value: object, lang: str, expected: str) -> None:
    assert fmt.money(value, lang) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.76, "+376%"),
        (0.1, "+10%"),
        (0.045, "+4.5%"),
        (-0.045, "-4.5%"),
        (-0.5, "-50%"),
        (0.0, "0%"),
        (-0.0001, "0%"),
        (None, "—"),
    ],
)
def test_percent_change(value: float | None, expected: str) -> None:
    assert fmt.percent_change(value) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (0.032, "en", "+3.2 pts"),
        (0.032, "zh", "+3.2个百分点"),
        (-0.105, "en", "-10.5 pts"),
        (-0.00001, "en", "0.0 pts"),
        (0, "zh", "0.0个百分点"),
        (None, "zh", "—"),
    ],
)
def test_points(value: float | None, lang: str, expected: str) -> None:
    assert fmt.points(value, lang) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.4234, "42.3%"), (1.0, "100.0%"), (0, "0.0%"), (None, "—")],
)
def test_percent(value: float | None, expected: str) -> None:
    assert fmt.percent(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234567, "1,234,567"), (17.0, "17"), (0, "0"), (-3, "-3"), (None, "—")],
)
def test_count(value: float | None, expected: str) -> None:
    assert fmt.count(value) == expected
    assert fmt.count(value, "zh") == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (date(2026, 11, 22), "en", "22 Nov 2026"),
        (date(2026, 11, 22), "zh", "2026年11月22日"),
        (datetime(2018, 1, 3, 9, 30), "en", "3 Jan 2018"),
        (pd.Timestamp("2018-12-31"), "zh", "2018年12月31日"),
        ("2018-11-05", "en", "5 Nov 2018"),
        (None, "en", "—"),
        (pd.NaT, "en", "—"),
        ("not a date", "zh", "—"),
    ],
)
def test_day(value: object, lang: str, expected: str) -> None:
    assert fmt.day(value, lang) == expected  # type: ignore[arg-type]


def test_day_range_and_timestamp() -> None:
    assert fmt.day_range(date(2018, 11, 3), date(2019, 1, 2)) == "3 Nov 2018 – 2 Jan 2019"
    assert fmt.day_range(date(2018, 11, 3), None, "zh") == "2018年11月3日 – —"
    assert fmt.timestamp(datetime(2026, 11, 22, 14, 5, 59), zone="UTC") == "22 Nov 2026 14:05"
    assert fmt.timestamp("2026-11-22 08:00:00", "zh", zone="UTC") == "2026年11月22日 08:00"
    assert fmt.timestamp(None) == "—"


@pytest.mark.parametrize(
    ("stamp", "zone", "lang", "expected"),
    [
        # a stored stamp is UTC: the delivery of the issue, 00:59 UTC, is 08:59 in Shanghai
        (datetime(2026, 12, 2, 0, 59), "Asia/Shanghai", "en", "2 Dec 2026 08:59"),
        (datetime(2026, 12, 2, 0, 59), "Asia/Shanghai", "zh", "2026年12月2日 08:59"),
        # the day changes with the zone
        (datetime(2026, 12, 1, 20, 30), "Asia/Shanghai", "zh", "2026年12月2日 04:30"),
        (datetime(2026, 12, 2, 0, 59), "Europe/London", "en", "2 Dec 2026 00:59"),
        ("2026-12-02T00:59:00", "America/New_York", "en", "1 Dec 2026 19:59"),
        # an aware stamp is converted, not read as UTC
        (
            datetime(2026, 12, 2, 8, 59, tzinfo=timezone(timedelta(hours=8))),
            "UTC",
            "en",
            "2 Dec 2026 00:59",
        ),
        (pd.Timestamp("2026-12-02 00:59"), "Asia/Shanghai", "en", "2 Dec 2026 08:59"),
        (pd.NaT, "Asia/Shanghai", "en", "—"),
    ],
)
def test_timestamp_is_shown_in_the_display_zone(
    stamp: object, zone: str, lang: str, expected: str
) -> None:
    assert fmt.timestamp(stamp, lang, zone=zone) == expected  # type: ignore[arg-type]


def test_the_display_zone_is_the_deployments() -> None:
    before = fmt.display_zone()
    try:
        fmt.use_zone("Europe/London")
        assert fmt.timestamp(datetime(2026, 7, 1, 12, 0)) == "1 Jul 2026 13:00"  # BST
        with pytest.raises(KeyError):
            fmt.use_zone("Mars/Olympus")
    finally:
        fmt.use_zone(before)


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (0, "zh", "¥0"),
        (5_000, "zh", "¥5,000"),
        (15_000, "zh", "¥1.5万"),
        (1_500_000, "zh", "¥150万"),
        (250_000_000, "zh", "¥2.5亿"),
        (1_500, "en", "¥1.5K"),
        (1_500_000, "en", "¥1.5M"),
        (2_000_000, "en", "¥2M"),
        (None, "en", "—"),
    ],
)
def test_money_short_for_axes(value: object, lang: str, expected: str) -> None:
    assert fmt.money_short(value, lang) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C2018A", "C2018A"),
        ("**bold**", r"\*\*bold\*\*"),
        ("[x](http://e.test)", r"\[x\]\(http\://e\.test\)"),
        ("<b>:smile:</b>", r"\<b\>\:smile\:\</b\>"),
        ("小店_1", r"小店\_1"),
    ],
)
def test_plain_escapes_markdown(text: str, expected: str) -> None:
    assert fmt.plain(text) == expected


def test_format_module_imports_no_streamlit() -> None:
    source = Path(fmt.__file__).read_text(encoding="utf-8")
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert "streamlit" not in imported
