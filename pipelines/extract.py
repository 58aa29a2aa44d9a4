"""Extract: find a delivery's files, detect their encoding, read them in chunks of strings.

Every value comes out as a stripped string ("" for blank) with the physical line number
it came from, so a rejection can always name its file, line and column. Types are
decided later, by validation.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from models.contract import ENTITIES

CHUNK_ROWS = 100_000
SUPPORTED_SUFFIXES = (".csv", ".xlsx")
LINE = "__line__"  # the column that carries each row's line number in the file


class FileProblem(Exception):
    """The file as a whole cannot be read (bad encoding, broken header, not a workbook)."""


@dataclass
class SourceFile:
    path: Path
    entity: str | None  # None: not a contract file
    sha256: str = ""
    size_bytes: int = 0
    encoding: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def is_excel(self) -> bool:
        return self.path.suffix.lower() == ".xlsx"


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discover(folder: Path) -> list[SourceFile]:
    """The files of a delivery folder, contract files first in name order, then the rest.

    A contract entity is recognised by the file's stem, case-insensitive (`Orders.CSV`).
    A second file for the same entity (say `orders.csv` and `orders.xlsx`) is not a
    contract file: it is reported, never merged silently.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a folder")
    seen: dict[str, SourceFile] = {}
    files: list[SourceFile] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        stem = path.stem.strip().lower()
        entity = stem if stem in ENTITIES and path.suffix.lower() in SUPPORTED_SUFFIXES else None
        source = SourceFile(path=path, entity=entity, size_bytes=path.stat().st_size)
        if entity is not None and entity in seen:
            source.entity = None
            source.notes.append(
                f"a second file for {entity} (already read {seen[entity].name}); not loaded"
            )
        elif entity is not None:
            seen[entity] = source
        elif path.name == "ground_truth.json":
            continue  # the demo generator's answer key travels beside its delivery
        elif stem in ENTITIES:
            source.notes.append(f"unsupported file type {path.suffix!r}: deliver .csv or .xlsx")
        else:
            source.notes.append("not a contract file; not loaded")
        files.append(source)
    return files


def _decodes(path: Path, codec: str) -> bool:
    """True when the whole file decodes with `codec` (read in blocks)."""
    decoder: codecs.IncrementalDecoder = codecs.getincrementaldecoder(codec)()
    with path.open("rb") as fh:
        try:
            for block in iter(lambda: fh.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def detect_encoding(path: Path) -> str:
    """utf-8-sig (BOM), utf-8, or gb18030 (a superset of GBK, as Chinese Excel writes)."""
    with path.open("rb") as fh:
        if fh.read(4).startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
    if _decodes(path, "utf-8"):
        return "utf-8"
    if _decodes(path, "gb18030"):
        return "gb18030"
    raise FileProblem("the file is neither UTF-8 nor GBK/GB18030 text; save it as CSV UTF-8")


def normalise_header(names: list[str]) -> list[str]:
    """Header names are case-insensitive and may carry spaces (and a stray BOM)."""
    return [str(n).replace("\ufeff", "").strip().lower() for n in names]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _frame(header: list[str], rows: list[list[str]], lines: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=header, dtype="string")
    for column in header:
        frame[column] = frame[column].str.strip().fillna("")
    frame[LINE] = lines
    return frame


def _csv_rows(source: SourceFile) -> Iterator[tuple[int, list[str]]]:
    with source.path.open("r", encoding=source.encoding, newline="") as fh:
        reader = csv.reader(fh)
        previous_end = 0
        for row in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            yield start, row


def _xlsx_rows(source: SourceFile) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise FileProblem(f"not a readable .xlsx workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def read_chunks(
    source: SourceFile, chunk_rows: int = CHUNK_ROWS
) -> Iterator[tuple[list[str], pd.DataFrame, list[tuple[int, str]]]]:
    """Yield (header, frame of stripped strings with a LINE column, malformed lines).

    Malformed lines are rows with more fields than the header, as (line, message); they
    are rejected by the caller. Wholly blank rows are skipped. The header is normalised.
    """
    if not source.is_excel and not source.encoding:
        source.encoding = detect_encoding(source.path)
    if source.is_excel:
        source.encoding = "xlsx"
    rows_iter = _xlsx_rows(source) if source.is_excel else _csv_rows(source)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    malformed: list[tuple[int, str]] = []
    try:
        for line, raw in rows_iter:
            if header is None:
                header = _checked_header(raw)
                width = len(header)
                continue
            values = raw  # stripped per column, vectorised, in _frame
            if not "".join(values).strip():
                continue
            if len(values) > width:
                if "".join(values[width:]).strip():
                    malformed.append(
                        (line, f"the row has {len(values)} fields, the header {width}")
                    )
                    continue
                values = values[:width]
            elif len(values) < width:
                values = values + [""] * (width - len(values))
            rows.append(values)
            lines.append(line)
            if len(rows) >= chunk_rows:
                yield header, _frame(header, rows, lines), malformed
                rows, lines, malformed = [], [], []
    except UnicodeDecodeError as exc:
        raise FileProblem(f"cannot decode the file as {source.encoding}: {exc}") from exc
    except csv.Error as exc:
        raise FileProblem(f"broken CSV: {exc}") from exc
    if header is None:
        raise FileProblem("the file is empty: no header row")
    if rows or malformed or not lines:
        yield header, _frame(header, rows, lines), malformed


def _checked_header(raw: list[str]) -> list[str]:
    header = normalise_header([_cell_text(v) if not isinstance(v, str) else v for v in raw])
    while header and header[-1] == "":
        header.pop()  # trailing empty columns, as spreadsheets leave them
    if not header:
        raise FileProblem("the header row is empty")
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise FileProblem(f"the header names a column twice: {', '.join(duplicates)}")
    if "" in header:
        raise FileProblem(f"header column {header.index('') + 1} has no name")
    return header
