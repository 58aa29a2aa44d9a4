"""Exports neutralise spreadsheet formulas in delivered text (OWASP CSV injection)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from models.export import csv_bytes, neutralise, safe_frame


@pytest.mark.parametrize(
    "cell, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Alpha Tea", "Alpha Tea"),
        ("a=b", "a=b"),
        (-5.0, -5.0),  # a negative figure is a number, not text
    ],
)
def test_neutralise(cell: object, expected: object) -> None:
    assert neutralise(cell) == expected


def test_every_text_cell_of_an_export_is_neutralised() -> None:
    frame = pd.DataFrame(
        {"name": ["=cmd|' /C calc'!A0", "Shop"], "gmv": [-12.5, 3.0], "=col": ["@x", "ok"]}
    )
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig")
    assert back["name"].tolist() == ["'=cmd|' /C calc'!A0", "Shop"]
    assert back["gmv"].tolist() == [-12.5, 3.0]
    assert list(back.columns) == ["name", "gmv", "'=col"]
    assert back["'=col"].tolist() == ["'@x", "ok"]
    assert frame["name"].iloc[0].startswith("=")  # the shown frame is not changed
    assert safe_frame(frame)["name"].iloc[0].startswith("'")
