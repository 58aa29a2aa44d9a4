"""Extract and validate on tiny inputs: line numbers, parsers, key index, typing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models.contract import ENTITIES
from pipelines.extract import LINE, SourceFile, detect_encoding, discover, read_chunks
from pipelines.validate import (
    KeyIndex,
    References,
    parse_date,
    parse_flag,
    parse_number,
    parse_share,
    parse_timestamp,
    typed,
    validate_chunk,
)


def test_lines_count_physical_lines_including_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "stores.csv"
    path.write_text('store_id,merchant_id,name\nS1,M1,"two\nlines"\n\nS2,M1,plain\n', "utf-8")
    [(header, frame, malformed)] = list(read_chunks(SourceFile(path, "stores")))
    assert header == ["store_id", "merchant_id", "name"]
    assert frame[LINE].tolist() == [2, 5]  # the blank line 4 is skipped, not renumbered
    assert frame["name"].tolist() == ["two\nlines", "plain"]
    assert malformed == []


def test_too_many_fields_is_a_malformed_line(tmp_path: Path) -> None:
    path = tmp_path / "stores.csv"
    path.write_text("store_id,merchant_id\nS1,M1,extra\nS2,M1\nS3\n", "utf-8")
    [(_h, frame, malformed)] = list(read_chunks(SourceFile(path, "stores")))
    assert [line for line, _ in malformed] == [2]
    assert frame["store_id"].tolist() == ["S2", "S3"]
    assert frame["merchant_id"].tolist() == ["M1", ""]  # short rows are padded with blanks


def test_chunks_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "stores.csv"
    path.write_text("store_id,merchant_id\n" + "".join(f"S{i},M1\n" for i in range(5)), "utf-8")
    chunks = list(read_chunks(SourceFile(path, "stores"), chunk_rows=2))
    assert [c[1][LINE].tolist() for c in chunks] == [[2, 3], [4, 5], [6]]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("\ufeffa,b\n1,2\n".encode(), "utf-8-sig"),
        ("a,name\n1,茶\n".encode(), "utf-8"),
        ("a,name\n1,茶饮\n".encode("gbk"), "gb18030"),
    ],
)
def test_detect_encoding(tmp_path: Path, payload: bytes, expected: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(payload)
    assert detect_encoding(path) == expected


def test_discover_names_entities_and_reports_the_rest(tmp_path: Path) -> None:
    for name in ("Orders.CSV", "orders.xlsx", "notes.txt", "merchants.csv", "stores.json"):
        (tmp_path / name).write_text("x")
    found = {s.name: s for s in discover(tmp_path)}
    assert found["Orders.CSV"].entity == "orders"
    assert found["merchants.csv"].entity == "merchants"
    assert found["orders.xlsx"].entity is None and "second file" in found["orders.xlsx"].notes[0]
    assert found["notes.txt"].entity is None and found["notes.txt"].notes
    assert "unsupported file type" in found["stores.json"].notes[0]


def s(*values: str) -> pd.Series:
    return pd.Series(list(values), dtype=object)


def test_parsers() -> None:
    assert parse_date(
        s("2024-02-29", "2024-02-30", "29/02/2024", "", "2024-03-01 00:00:00")
    ).tolist()[::4] == [pd.Timestamp("2024-02-29"), pd.Timestamp("2024-03-01")]
    assert parse_date(s("2024-02-30", "29/02/2024", "")).isna().all()
    stamps = parse_timestamp(s("2024-01-02 03:04", "2024-01-02 03:04:05", "2024-01-02T03:04", "x"))
    assert stamps.tolist()[:3] == [
        pd.Timestamp("2024-01-02 03:04"),
        pd.Timestamp("2024-01-02 03:04:05"),
        pd.Timestamp("2024-01-02 03:04"),
    ]
    assert pd.isna(stamps.iloc[3])
    assert parse_number(s("1,234.50", "¥12", "abc", "")).tolist()[:2] == [1234.5, 12.0]
    assert parse_share(s("0.2", "15%")).tolist() == pytest.approx([0.2, 0.15])
    assert parse_flag(s("true", "是", "0", "No", "maybe")).tolist() == [
        True,
        True,
        False,
        False,
        pd.NA,
    ]


def test_key_index_finds_repeats_within_and_across_chunks() -> None:
    index = KeyIndex()
    first = index.duplicates(pd.DataFrame({"k": ["a", "b", "a"]}), pd.Series([2, 3, 4]))
    assert first.tolist() == [0, 0, 2]
    second = index.duplicates(pd.DataFrame({"k": ["c", "b"]}), pd.Series([5, 6]))
    assert second.tolist() == [0, 3]
    many = [f"k{i}" for i in range(1000)]
    index.duplicates(pd.DataFrame({"k": many}), pd.Series(np.arange(7, 1007)))
    again = index.duplicates(pd.DataFrame({"k": ["k999", "new"]}), pd.Series([2000, 2001]))
    assert again.tolist() == [1006, 0]


def test_key_index_with_capped_runs_finds_the_first_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs stop merging at MAX_RUN keys (memory stays one run's worth per merge): a key
    repeated many runs later is still found, with the line it first appeared on."""
    monkeypatch.setattr(KeyIndex, "MAX_RUN", 4)
    index = KeyIndex()
    for start in range(0, 40, 2):  # twenty chunks of two keys, lines 10, 11, ...
        keys = [f"k{start}", f"k{start + 1}"]
        first = index.duplicates(pd.DataFrame({"k": keys}), pd.Series([10 + start, 11 + start]))
        assert first.tolist() == [0, 0]
    assert len(index._runs) > 5 and max(len(keys) for keys, _ in index._runs) <= 4
    again = index.duplicates(
        pd.DataFrame({"k": ["k39", "k0", "new", "k17", "new"]}),
        pd.Series([100, 101, 102, 103, 104]),
    )
    assert again.tolist() == [49, 10, 0, 27, 102]


def test_validate_then_type_a_chunk() -> None:
    orders = ENTITIES["orders"]
    frame = pd.DataFrame(
        {
            "order_id": ["O1", "O2"],
            "merchant_id": ["M1", "M1"],
            "ordered_at": ["2024-01-02 10:00", "2024-01-02 11:00"],
            "channel": ["Mini_Program", "store"],
            "gmv": ["10.234", "12"],
            "refund": ["", "13"],
            LINE: [2, 3],
        }
    )
    refs = References(merchants={"M1"}, now=datetime(2025, 1, 1))
    good, rejected = validate_chunk(orders, frame, refs)
    assert rejected[["line", "column"]].values.tolist() == [[3, "refund"]]
    row = typed(orders, good).iloc[0]
    assert row["channel"] == "mini_program"  # vocabulary is case-insensitive
    assert row["ordered_at"] == datetime(2024, 1, 2, 10, 0)
    assert row["gmv"] == 10.23  # rounded to cents
    assert row["refund"] is None and row["customer_id"] is None


def test_dates_type_to_python_dates() -> None:
    cohorts = ENTITIES["cohorts"]
    frame = pd.DataFrame(
        {
            "cohort_id": ["C"],
            "name": ["n"],
            "start_date": ["2024-01-01"],
            "end_date": ["2024-02-01"],
            LINE: [2],
        }
    )
    good, rejected = validate_chunk(cohorts, frame, References())
    assert rejected.empty
    assert typed(cohorts, good).iloc[0]["start_date"] == date(2024, 1, 1)
