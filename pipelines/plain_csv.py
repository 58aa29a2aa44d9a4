"""The fast path of CSV reading: a file whose physical lines are its rows.

Most deliveries are plain: UTF-8, no quote character anywhere, no NUL, line breaks as
LF or CRLF, no line with more fields than the header. Then row k of the file is physical
line k + 1, and pandas' C parser reads it (with the header's names, every value a string)
several times faster than `csv.reader` and a Python loop. `plain_chunks` scans the bytes
first, in blocks (memory stays flat in the file's size), and answers None for any file
that is not plain: such a file goes through the careful reader in `pipelines.extract`,
which names damaged lines, quotes spanning lines and rows that are too wide. Both paths
give the same frames: stripped strings, wholly blank rows skipped, short rows padded with
"", and each row's physical line in the LINE column.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

BLOCK_BYTES = 32 << 20
ARROW_BLOCK_BYTES = 4 << 20
PLAIN_CODECS = ("utf-8", "utf_8", "utf-8-sig", "utf_8_sig", "ascii")


PLAIN, EXACT = 1, 2  # what a block is: plain, or plain with every line `width` fields


def _block_is_plain(block: bytes, delimiter: int, width: int) -> int:
    """0 unless the block (whole lines) has no quote, NUL or lone CR, is valid UTF-8 and
    has at most `width` fields a line; EXACT when every line has exactly `width` fields
    (so no blank line either), PLAIN otherwise."""
    if b'"' in block or b"\x00" in block or block.count(b"\r") != block.count(b"\r\n"):
        return 0
    try:
        block.decode("utf-8")
    except UnicodeDecodeError:
        return 0
    data = np.frombuffer(block, dtype=np.uint8)
    ends = np.flatnonzero(data == 10)
    if len(ends) == 0 or ends[-1] != len(data) - 1:
        ends = np.append(ends, len(data))
    cuts = np.flatnonzero(data == delimiter)
    per_line = np.diff(np.searchsorted(cuts, ends), prepend=0)
    if int(per_line.max(initial=0)) > width - 1:
        return 0
    return EXACT if width > 1 and int(per_line.min()) == width - 1 else PLAIN


def _plainness(path: Path, header_bytes: int, delimiter: str, width: int) -> int:
    """The lowest `_block_is_plain` answer over the file's lines after the header (EXACT
    for a file with no lines after it)."""
    mark = ord(delimiter)
    found = EXACT
    with path.open("rb") as fh:
        fh.seek(header_bytes)
        carry = b""
        while True:
            block = fh.read(BLOCK_BYTES)
            if not block:
                return min(found, _block_is_plain(carry, mark, width)) if carry else found
            block = carry + block
            cut = block.rfind(b"\n") + 1
            carry = block[cut:]
            if cut:
                found = min(found, _block_is_plain(block[:cut], mark, width))
                if not found:
                    return 0


def _first_line(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.readline()


def plain_chunks(
    path: Path,
    encoding: str,
    delimiter: str,
    chunk_rows: int,
    checked_header: Callable[[list[str]], list[str]],
    line: str,
) -> tuple[list[str], Iterator[pd.DataFrame]] | None:
    """The header and the non-empty chunks of a plain file (see the module docstring),
    or None when it is not plain."""
    if encoding.lower() not in PLAIN_CODECS:
        return None
    first = _first_line(path)
    if b'"' in first or b"\x00" in first or not first.endswith(b"\n"):
        return None
    try:
        text = first.decode(encoding).rstrip("\r\n")
    except UnicodeDecodeError:
        return None
    raw = text.split(delimiter)
    header = checked_header(raw)
    if len(raw) != len(header):
        return None  # trailing empty header columns: the careful reader truncates rows
    found = _plainness(path, len(first), delimiter, len(header))
    if not found:
        return None
    read = _arrow_chunks if found == EXACT else _chunks
    return header, read(path, encoding, delimiter, chunk_rows, header, line)


def _chunks(
    path: Path,
    encoding: str,
    delimiter: str,
    chunk_rows: int,
    header: list[str],
    line: str,
) -> Iterator[pd.DataFrame]:
    reader = pd.read_csv(
        path,
        sep=delimiter,
        header=None,
        skiprows=1,
        names=header,
        dtype=str,
        na_filter=False,
        skip_blank_lines=False,
        quoting=csv.QUOTE_NONE,
        encoding=encoding,
        engine="c",
        index_col=False,
        chunksize=chunk_rows,
    )
    next_line = 2
    with reader:
        for chunk in reader:
            lines = np.arange(next_line, next_line + len(chunk), dtype=np.int64)
            next_line += len(chunk)
            chunk = chunk.reset_index(drop=True)
            frame = pd.DataFrame(
                {name: chunk[name].fillna("").str.strip().astype("string") for name in header}
            )
            blank = (frame == "").all(axis=1).to_numpy(dtype=bool)
            frame[line] = lines
            if blank.any():
                frame = frame[~blank].reset_index(drop=True)
            if not frame.empty:
                yield frame


def _arrow_chunks(
    path: Path,
    encoding: str,
    delimiter: str,
    chunk_rows: int,
    header: list[str],
    line: str,
) -> Iterator[pd.DataFrame]:
    """`_chunks` for a file whose every line has the header's width: Arrow's CSV reader
    streams it into string columns, stripped by Arrow (as pandas' `str.strip` on Arrow
    strings does), cut into the same chunks of `chunk_rows` lines as `_chunks`."""
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    del encoding  # UTF-8 or ASCII, checked by the scan; a BOM is on the skipped header
    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(
            skip_rows=1, column_names=header, block_size=ARROW_BLOCK_BYTES
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter, quote_char=False, escape_char=False, ignore_empty_lines=False
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            null_values=[],
            strings_can_be_null=False,
        ),
    )
    pending: list[pa.RecordBatch] = []
    held = 0
    next_line = 2
    for batch in reader:
        pending.append(batch)
        held += batch.num_rows
        while held >= chunk_rows:
            table = pa.Table.from_batches(pending)
            head, rest = table.slice(0, chunk_rows), table.slice(chunk_rows)
            pending, held = rest.to_batches(), rest.num_rows
            frame = _arrow_frame(head, header, line, next_line)
            next_line += chunk_rows
            if not frame.empty:
                yield frame
    if held:
        frame = _arrow_frame(pa.Table.from_batches(pending), header, line, next_line)
        if not frame.empty:
            yield frame


def _arrow_frame(table: Any, header: list[str], line: str, first_line: int) -> pd.DataFrame:
    import pyarrow.compute as pc

    columns = [pc.utf8_trim_whitespace(table.column(name)) for name in header]
    blank = np.ones(table.num_rows, dtype=bool)
    for column in columns:
        blank &= pc.equal(column, "").to_numpy(zero_copy_only=False)
    frame = pd.DataFrame(
        {
            name: pd.Series(pd.arrays.ArrowStringArray(column), copy=False)
            for name, column in zip(header, columns, strict=True)
        }
    )
    frame[line] = np.arange(first_line, first_line + table.num_rows, dtype=np.int64)
    if blank.any():
        frame = frame[~blank].reset_index(drop=True)
    return frame
