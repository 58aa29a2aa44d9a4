"""Indicator values in their unit (`i18n.format.indicator`), for every unit the
configuration uses, in both languages; and every scored indicator has a known unit."""

from __future__ import annotations

import pytest

from i18n import format as fmt
from models.connections import UNITS, load_config


@pytest.mark.parametrize(
    "value, unit, en, zh",
    [
        (0.0312, "share", "3.1%", "3.1%"),
        (0.5, "share", "50.0%", "50.0%"),
        (49.48, "money", "¥49", "¥49"),
        (123456, "money", "¥123,456", "¥12.3万"),
        (3.25, "ratio", "3.2×", "3.2倍"),
        (1, "days", "1 day", "1天"),
        (4.4, "days", "4 days", "4天"),
        (12.46, "count", "12.5", "12.5"),
        (3.0, "count", "3", "3"),
        (1234.5, "count", "1,234", "1,234"),
        (None, "share", "—", "—"),
        (float("nan"), "money", "—", "—"),
    ],
)
def test_indicator_values_read_in_their_unit(value: object, unit: str, en: str, zh: str) -> None:
    assert fmt.indicator(value, unit, "en") == en
    assert fmt.indicator(value, unit, "zh") == zh
    assert "\\" not in en + zh  # no Markdown escaping leaks into a value


def test_every_unit_is_formatted_and_every_indicator_has_one() -> None:
    units = {spec.unit for spec in load_config().indicators.values() if spec.scored}
    assert units == set(UNITS)  # the demo configuration uses every unit
    config = load_config()
    assert config.indicators["digitised_share"].unit == "share"
    assert config.indicators["guide_productivity"].unit == "money"
    assert config.indicators["roles_staffed"].unit == "count"
