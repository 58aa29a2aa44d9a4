"""The cohort board's rules (models/board.py) on tiny hand-checked frames, scored against
a small configuration: two touchpoint indicators, one of performance, one of data."""

from __future__ import annotations

import pandas as pd
import pytest

from models import board as b
from models.connections import parse_config

CONFIG = parse_config(
    """
[stages]
building = 25
running = 50
leading = 75

[format_mix]
default = [0.4, 0.35, 0.25]

[indicators.fans]
connection = "touchpoints"
kind = "higher"
unit = "count"
weight = 1.0
target = 10
topic = "Fans class"

[indicators.digitised]
connection = "touchpoints"
kind = "higher"
unit = "share"
weight = 2.0
target = 0.5
industry = { grocery = 0.6 }
topic = "Digitising class"

[indicators.selling]
connection = "performance"
kind = "higher"
unit = "share"
weight = 1.0
target = 1.0
topic = "Incentives class"

[indicators.fresh]
connection = "data"
kind = "lower"
unit = "days"
weight = 1.0
target = 2
worst = 30
topic = "Data class"
"""
)


def _stages(t: str, p: str, d: str) -> dict[str, str]:
    return {"touchpoints": t, "performance": p, "data": d}


@pytest.mark.parametrize(
    "stages, blocker, stage",
    [
        (_stages("building", "leading", "leading"), "touchpoints", "building"),
        (_stages("running", "not_started", "leading"), "performance", "not_started"),
        (_stages("leading", "running", "building"), "data", "building"),
        (_stages("running", "leading", "leading"), None, "running"),
        (_stages("leading", "leading", "leading"), None, "leading"),
        # Nothing measured on touchpoints: nothing shows they run, so they block.
        (_stages("no_data", "running", "running"), "touchpoints", "no_data"),
        # The earliest wins even when a later connection is further behind.
        (_stages("building", "not_started", "not_started"), "touchpoints", "building"),
    ],
)
def test_the_blocker_is_the_earliest_connection_not_running(
    stages: dict[str, str], blocker: str | None, stage: str
) -> None:
    assert b.blocker(stages) == blocker
    assert b.merchant_stage(stages) == stage


def _rows(*rows: tuple[str, float | None, float | None]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator", "value", "score"])


@pytest.mark.parametrize(
    "rows, connection, expected",
    [
        # Lowest score within the blocking connection, even if another connection's is lower.
        (_rows(("fans", 4, 40), ("digitised", 0.1, 20), ("selling", 0.05, 5)), "touchpoints",
         ("digitised", 0.1)),
        # A tie on score: the heavier weight (digitised weighs 2) wins.
        (_rows(("fans", 3, 30), ("digitised", 0.15, 30)), "touchpoints", ("digitised", 0.15)),
        # Nothing blocks: the lowest over every connection.
        (_rows(("fans", 8, 80), ("selling", 0.6, 60), ("fresh", 9, 75)), None, ("selling", 0.6)),
        # The blocking connection has nothing below target: the lowest elsewhere.
        (_rows(("fans", 10, 100), ("selling", 0.9, 90)), "touchpoints", ("selling", 0.9)),
        # At target everywhere, or no value: nothing is behind.
        (_rows(("fans", 12, 100), ("selling", None, None)), "touchpoints", None),
        # An unscored (detail) or unknown indicator never counts.
        (_rows(("cloud_users", 1, 1), ("fans", 9, 90)), "touchpoints", ("fans", 9.0)),
    ],
)  # fmt: skip
def test_most_behind(rows: pd.DataFrame, connection: str | None, expected: object) -> None:
    assert b.most_behind(rows, CONFIG, connection) == expected


def _scores(rows: list[tuple]) -> pd.DataFrame:
    columns = ["merchant_id", "name", "industry"]
    for c in ("touchpoints", "performance", "data"):
        columns += [c, f"{c}_stage", f"{c}_ahead"]
    return pd.DataFrame(rows, columns=columns)


SCORES = _scores(
    [
        ("M2", "Birch", "grocery", 30.0, "building", None, 80.0, "leading", None, 90.0,
         "leading", None),
        ("M1", "Aspen", "apparel", 60.0, "running", None, 20.0, "not_started", None, 90.0,
         "leading", None),
        ("M3", "Cedar", "apparel", 80.0, "leading", None, 80.0, "leading", None, 60.0,
         "running", None),
        ("M4", "Dune", "apparel", 20.0, "not_started", None, 60.0, "running", None, 60.0,
         "running", "touchpoints"),
    ]
)  # fmt: skip
INDICATORS = pd.DataFrame(
    [
        ("M2", "fans", 5.0, 50.0), ("M2", "digitised", 0.06, 10.0), ("M2", "selling", 0.8, 80.0),
        ("M1", "fans", 6.0, 60.0), ("M1", "selling", 0.2, 20.0), ("M1", "fresh", 2.0, 100.0),
        ("M3", "fans", 10.0, 100.0), ("M3", "fresh", 13.2, 60.0),
        ("M4", "fans", 2.0, 20.0), ("M4", "selling", 0.6, 60.0),
    ],
    columns=["merchant_id", "indicator", "value", "score"],
)  # fmt: skip


def test_the_board_has_one_row_per_merchant_with_its_rules_applied() -> None:
    board = b.board(SCORES, INDICATORS, CONFIG).set_index("merchant_id")
    assert list(board["name"]) == ["Aspen", "Birch", "Cedar", "Dune"]  # by name
    assert board.loc["M2", "blocker"] == "touchpoints"
    assert board.loc["M2", "behind"] == "digitised"
    assert board.loc["M2", "behind_value"] == 0.06
    assert board.loc["M2", "behind_target"] == 0.6  # grocery's own target
    assert board.loc["M2", "action"] == "digitised"
    assert board.loc["M2", "topic"] == "Digitising class"
    assert board.loc["M1", "blocker"] == "performance"
    assert board.loc["M1", "stage"] == "not_started"
    assert (board.loc["M1", "behind"], board.loc["M1", "action"]) == ("selling", "selling")
    assert board.loc["M1", "behind_target"] == 1.0
    assert pd.isna(board.loc["M3", "blocker"])
    assert board.loc["M3", "stage"] == "running"
    assert board.loc["M3", "behind"] == "fresh"
    assert board.loc["M3", "action"] == "fresh"
    assert board.loc["M4", "blocker"] == "touchpoints"
    assert board.loc["M4", "behind"] == "fans"


@pytest.mark.parametrize(
    "by, order",
    [
        # Touchpoints first (lowest touchpoint score first), then performance, then none.
        ("blocker", ["M4", "M2", "M1", "M3"]),
        # Mean score, highest first: Cedar 73.3, Birch 66.7, Aspen 56.7, Dune 46.7.
        ("score", ["M3", "M2", "M1", "M4"]),
        ("name", ["M1", "M2", "M3", "M4"]),
    ],
)
def test_sorting_the_board(by: b.Sort, order: list[str]) -> None:
    board = b.board(SCORES, INDICATORS, CONFIG)
    assert list(b.sort_board(board, by)["merchant_id"]) == order


@pytest.mark.parametrize(
    "blocked_on, merchants",
    [
        ([], ["M1", "M2", "M3", "M4"]),
        (["touchpoints"], ["M2", "M4"]),
        (["performance", "data"], ["M1"]),
        (["data"], []),
    ],
)
def test_filtering_the_board_by_blocker(blocked_on: list[str], merchants: list[str]) -> None:
    board = b.board(SCORES, INDICATORS, CONFIG)
    assert list(b.filter_board(board, blocked_on)["merchant_id"]) == merchants


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown unit 'furlongs'"):
        parse_config(
            "[stages]\nbuilding = 25\nrunning = 50\nleading = 75\n[format_mix]\n"
            'default = [0.4, 0.35, 0.25]\n[indicators.x]\nconnection = "data"\n'
            'kind = "higher"\nunit = "furlongs"\ntarget = 1\n'
        )
