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

import numpy as np
import pandas as pd

BLOCK_BYTES = 32 << 20
PLAIN_CODECS = ("utf-8", "utf_8", "utf-8-sig", "utf_8_sig", "ascii")


def _block_is_plain(block: bytes, delimiter: int, width: int) -> bool:
    """No quote, NUL or lone CR, valid UTF-8, and at most `width` fields a line (the
    block holds whole lines)."""
    if b'"' in block or b"\x00" in block or block.count(b"\r") != block.count(b"\r\n"):
        return False
    try:
        block.decode("utf-8")
    except UnicodeDecodeError:
        return False
    data = np.frombuffer(block, dtype=np.uint8)
    ends = np.flatnonzero(data == 10)
    if len(ends) == 0 or ends[-1] != len(data) - 1:
        ends = np.append(ends, len(data))
    cuts = np.flatnonzero(data == delimiter)
    per_line = np.diff(np.searchsorted(cuts, ends), prepend=0)
    return int(per_line.max(initial=0)) <= width - 1


def _is_plain(path: Path, header_bytes: int, delimiter: str, width: int) -> bool:
    mark = ord(delimiter)
    with path.open("rb") as fh:
        fh.seek(header_bytes)
        carry = b""
        while True:
            block = fh.read(BLOCK_BYTES)
            if not block:
                return not carry or _block_is_plain(carry, mark, width)
            block = carry + block
            cut = block.rfind(b"\n") + 1
            carry = block[cut:]
            if cut and not _block_is_plain(block[:cut], mark, width):
                return False


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
    if len(raw) != len(header) or not _is_plain(path, len(first), delimiter, len(header)):
        return None  # trailing empty header columns: the careful reader truncates rows
    return header, _chunks(path, encoding, delimiter, chunk_rows, header, line)


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
