"""Parity: the cohort windows mart gives the same rows on every engine (SQLite and
PostgreSQL through the product's rebuild, DuckDB, Spark and chDB over the same Ibis
expression: tests/pipelines/parity.py), on a tiny hand-checked input."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from models.schema_roi import MartCohortWindows
from pipelines import engine as mart_engine
from pipelines import mart_cohort_windows, marts
from pipelines.mart_cohort_windows import MART_COLUMNS
from tests.pipelines.parity import ENGINES, Mart, run, unbound_sources
from tests.pipelines.test_mart_parity import _orders

D = date.fromisoformat
ZERO_DAY = dict.fromkeys(marts.MART_COLUMNS[2:], 0)


def _days(*rows: tuple[str, str, float, float]) -> list[dict[str, Any]]:
    return [
        {**ZERO_DAY, "merchant_id": m, "date": D(d), "gmv": gmv, "private_gmv": private}
        for m, d, gmv, private in rows
    ]


INPUTS = {
    # C1: programme 03-01..03-03, so pre-trend 01-05..02-01, baseline 02-02..02-29, post
    # 03-04..03-31. C2: programme 03-02, pre-trend 01-06..02-02, baseline 02-03..03-01,
    # post 03-03..03-30.
    "cohorts": [
        {
            "cohort_id": c,
            "name": c,
            "start_date": D(s),
            "end_date": D(e),
            "programme": None,
            "batch_id": 1,
        }
        for c, s, e in (("C1", "2024-03-01", "2024-03-03"), ("C2", "2024-03-02", "2024-03-02"))
    ],  # fmt: skip
    "merchants": [
        {
            "merchant_id": m,
            "name": m,
            "industry": "apparel",
            "region": None,
            "store_count": None,
            "cohort_id": c,
            "joined_on": None,
            "batch_id": 1,
        }
        for m, c in (("M1", "C1"), ("M2", None), ("M3", "C2"), ("M4", None))
    ],  # fmt: skip
    "mart_merchant_day": _days(
        ("M1", "2024-01-04", 1000, 100),  # before C1's pre-trend window: not counted
        ("M1", "2024-01-05", 10, 1),  # pre-trend, its first day
        ("M1", "2024-02-29", 20, 2),  # baseline, its last day
        ("M1", "2024-03-03", 30, 3),  # programme, its last day
        ("M1", "2024-03-31", 40, 4),  # post, its last day
        ("M1", "2024-04-01", 500, 50),  # after the post window: not counted
        ("M2", "2024-02-01", 5, 0),  # C1: pre-trend; C2: pre-trend
        ("M2", "2024-02-02", 6, 0),  # C1: baseline; C2: pre-trend (its last day)
        ("M2", "2024-03-04", 7, 1),  # C1 and C2: post
        ("M3", "2024-03-02", 9, 9),  # C2's programme
    ),
    # one order, so that the work tables (calendar, partitions) are written as in a load
    "orders": _orders(("M1", "o1", "2024-03-03 10:00", "store", 30.0, "c1", 0.0)),
}

# merchant, cohort: member, days, gmv pre / baseline / programme / post, private ditto.
# M1 is a participant of C1 only (not a control of C2); M4 has no day: zeros, and the
# page leaves it out of the comparison group (days 0).
EXPECTED = {
    ("M1", "C1"): (True, 4, 10, 20, 30, 40, 1, 2, 3, 4),
    ("M2", "C1"): (False, 3, 5, 6, 0, 7, 0, 0, 0, 1),
    ("M4", "C1"): (False, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("M3", "C2"): (True, 1, 0, 0, 9, 0, 0, 0, 9, 0),
    ("M2", "C2"): (False, 3, 11, 0, 0, 7, 0, 0, 0, 1),
    ("M4", "C2"): (False, 0, 0, 0, 0, 0, 0, 0, 0, 0),
}

MART = Mart(
    INPUTS,
    mart_cohort_windows.build,
    lambda c: mart_cohort_windows.rebuild_cohort_windows(c, ["M1", "M2", "M3", "M4"]),
    MartCohortWindows.__table__,
)


def as_rows(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[Any, ...]]:
    assert set(frame["baseline"]) == {"pre28"}
    return {
        (str(row["merchant_id"]), str(row["cohort_id"])): (
            bool(row["member"]),
            int(row["days"]),
            *(round(float(row[c]), 2) for c in MART_COLUMNS[5:]),
        )
        for row in frame.to_dict("records")
    }


@pytest.mark.parametrize("name", ENGINES)
def test_cohort_windows_are_the_same_on_every_engine(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    frame = run(MART, name, request, tmp_path)
    assert set(MART_COLUMNS) <= set(frame.columns)
    expected = {k: (v[0], v[1], *(float(x) for x in v[2:])) for k, v in EXPECTED.items()}
    assert as_rows(frame) == expected


@pytest.mark.parametrize("dialect", ["clickhouse", "bigquery", "snowflake", "trino", "pyspark"])
def test_the_cohort_windows_compile_for_the_warehouses(dialect: str) -> None:
    sql = mart_engine.to_sql(MART.build(unbound_sources(MART.inputs)), dialect)
    assert "mart_partitions" in sql and "mart_merchant_day" in sql
