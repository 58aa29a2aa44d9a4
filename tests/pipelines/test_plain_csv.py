"""The fast CSV path gives exactly the frames of the careful reader, and hands every file
it cannot read line for line back to it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pipelines.extract as extract
from pipelines import plain_csv
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


EXACT = {
    "crlf, spaces, a row of blanks": (
        "Order_ID, merchant_id ,gmv\r\nO1,M1,1.5\r\n , ,\r\n  O3  , M1 ,2\r\n"
    ),
    "rows of blanks across chunks": "order_id,merchant_id,gmv\n,,\nO1,M1,1\n,,\n,,\nO2,M1,2\n",
    "tab-separated": "order_id\tmerchant_id\tgmv\nO1\tM1\t1\nO2\t 门店一 \t2\n",
    "no final line break": "order_id,merchant_id,gmv\nO1,M1,3\nO2,M2,4",
    "utf-8 with a byte order mark": "\ufefforder_id,merchant_id,gmv\nO1,M1,3\n",
}


@pytest.mark.parametrize("text", EXACT.values(), ids=EXACT.keys())
def test_a_file_of_full_rows_reads_through_arrow_as_the_careful_reader_reads_it(
    tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line with the header's width: Arrow's reader, same frames, same chunks."""
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode("utf-8"))
    delimiter = "\t" if "\t" in text else ","
    encoding = "utf-8-sig" if text.startswith("\ufeff") else "utf-8"
    fast = plain_chunks(path, encoding, delimiter, 2, extract._checked_header, LINE)
    assert fast is not None and fast[1].__name__ == "_arrow_chunks"
    for chunk_rows in (1, 2, 100):
        chunks = plain_chunks(path, encoding, delimiter, chunk_rows, extract._checked_header, LINE)
        pandas_path = plain_csv._chunks(
            path, encoding, delimiter, chunk_rows, chunks[0] if chunks else [], LINE
        )
        assert chunks is not None
        arrow_frames, pandas_frames = list(chunks[1]), list(pandas_path)
        assert len(arrow_frames) == len(pandas_frames)
        for arrow_frame, pandas_frame in zip(arrow_frames, pandas_frames, strict=True):
            pd.testing.assert_frame_equal(arrow_frame, pandas_frame)
    source = SourceFile(path=path, entity="orders", encoding=encoding, delimiter=delimiter)
    fast_rows = pd.concat([c[1] for c in read_chunks(source, chunk_rows=2)], ignore_index=True)
    careful = _read(path, careful=True, monkeypatch=monkeypatch)[1]
    assert fast_rows[LINE].tolist() == careful[LINE].tolist()
    pd.testing.assert_frame_equal(fast_rows.drop(columns=LINE), careful.drop(columns=LINE))
