"""The fast CSV path gives exactly the frames of the careful reader, and hands every file
it cannot read line for line back to it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pipelines.extract as extract
from pipelines.extract import LINE, SourceFile, read_chunks
from pipelines.plain_csv import plain_chunks


def _read(path: Path, *, careful: bool, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patch:
        if careful:
            patch.setattr(extract, "plain_chunks", lambda *args, **kwargs: None)
        chunks = list(read_chunks(SourceFile(path=path, entity="orders"), chunk_rows=2))
    header = chunks[0][0]
    frame = pd.concat([c[1] for c in chunks], ignore_index=True)
    return [header, frame, [bad for c in chunks for bad in c[2]]]


PLAIN = {
    "crlf, blank lines, short rows, spaces": (
        "Order_ID, merchant_id ,gmv\r\nO1,M1,1.5\r\n\r\n , ,\r\nO2,M1\r\n  O3  , M1 ,2\r\n"
    ),
    "header only": "order_id,merchant_id,gmv\n",
    "no final line break": "order_id,merchant_id,gmv\nO1,M1,3",
    "chinese text": "order_id,merchant_id,gmv\nO1,门店一,3\n",
}


@pytest.mark.parametrize("text", PLAIN.values(), ids=PLAIN.keys())
def test_a_plain_file_reads_as_the_careful_reader_reads_it(
    tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode("utf-8"))
    assert plain_chunks(path, "utf-8", ",", 2, extract._checked_header, LINE) is not None
    fast = _read(path, careful=False, monkeypatch=monkeypatch)
    careful = _read(path, careful=True, monkeypatch=monkeypatch)
    assert fast[0] == careful[0]
    pd.testing.assert_frame_equal(fast[1], careful[1])
    assert fast[2] == careful[2] == []


def test_lines_are_physical_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("order_id,merchant_id,gmv\nO1,M1,1\n\n,,\nO2,M1,2\n", encoding="utf-8")
    _header, frame, _bad = _read(path, careful=False, monkeypatch=monkeypatch)
    assert frame[LINE].tolist() == [2, 5]
    assert frame["order_id"].tolist() == ["O1", "O2"]


NOT_PLAIN = {
    "a quote": 'order_id,merchant_id,gmv\nO1,"M,1",1\n',
    "a row wider than the header": "order_id,merchant_id,gmv\nO1,M1,1,extra\n",
    "a NUL": "order_id,merchant_id,gmv\nO1,M\x001,1\n",
    "a lone carriage return": "order_id,merchant_id,gmv\rO1,M1,1\r",
    "a trailing empty header column": "order_id,merchant_id,gmv,\nO1,M1,1,\n",
}


@pytest.mark.parametrize("text", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_any_other_file_goes_to_the_careful_reader(tmp_path: Path, text: str) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode("utf-8"))
    assert plain_chunks(path, "utf-8", ",", 2, extract._checked_header, LINE) is None


def test_an_invalid_byte_goes_to_the_careful_reader(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"order_id,merchant_id,gmv\nO1,M\xff1,1\n")
    assert plain_chunks(path, "utf-8", ",", 2, extract._checked_header, LINE) is None


def test_another_encoding_goes_to_the_careful_reader(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes("order_id,merchant_id,gmv\nO1,门店,1\n".encode("gb18030"))
    assert plain_chunks(path, "gb18030", ",", 2, extract._checked_header, LINE) is None
