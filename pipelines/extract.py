"""Extract: find a delivery's files, detect their encoding, read them in chunks of strings.

Every value comes out as a stripped string ("" for blank) with the physical line number
it came from, so a rejection can always name its file, line and column. Types are
decided later, by validation.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pandas as pd

from models.contract import ENTITIES
from pipelines.encoding import EncodingProblem, detect
from pipelines.plain_csv import plain_chunks
from pipelines.workbook import MAX_CELLS, WorkbookProblem, open_sheets

CHUNK_ROWS = 100_000
SUPPORTED_SUFFIXES = (".csv", ".xlsx")
LINE = "__line__"  # the column that carries each row's line number in the file


class FileProblem(Exception):
    """The file as a whole cannot be read (bad encoding, broken header, not a workbook);
    `line` is where the damage starts when it is known (0: the file as a whole)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class SourceFile:
    path: Path
    entity: str | None  # None: not a contract file
    sha256: str = ""
    size_bytes: int = 0
    encoding: str = ""
    notes: list[str] = field(default_factory=list)
    delimiter: str = ","
    part: str = ""  # the sheet the current rows come from, when a workbook has several

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


def detect_encoding(path: Path) -> str:
    """The codec of a CSV file (see `pipelines.encoding`)."""
    try:
        return detect(path).codec
    except EncodingProblem as problem:
        raise FileProblem(str(problem)) from problem


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


def _sniff_delimiter(source: SourceFile) -> None:
    """Comma, or tab (Excel's "Unicode text"); a header that looks separated by something
    else is refused with a hint rather than read as one column."""
    with source.path.open("r", encoding=source.encoding, newline="", errors="replace") as fh:
        first = fh.readline()
    tabs, commas = first.count("\t"), first.count(",")
    source.delimiter = "\t" if tabs > commas else ","
    if tabs == 0 and commas == 0:
        for other, name in ((";", "semicolons"), ("|", "bars")):
            if first.count(other) > 0:
                raise FileProblem(
                    f"the header is one column holding {name}: the file looks separated by "
                    f"{other!r}, which is not read; save it as CSV (comma-separated) or as "
                    "Unicode text (tab-separated)"
                )


def _swallowed(row: list[str], start: int, end: int, width: int, delimiter: str) -> None:
    """A value spanning lines whose row has not the header's width, or whose inner lines
    look like rows: a stray quote has eaten them (an unclosed quote is caught by the strict
    reader at the end of the file)."""
    if width < 2:
        return
    if len(row) != width:
        raise FileProblem(
            f"lines {start}-{end} read as one row of {len(row)} fields (the header has "
            f"{width}): a quote opened on line {start} closes only on line {end}; check the "
            f"quote on line {start}",
            start,
        )
    for value in row:
        if "\n" not in value and "\r" not in value:
            continue
        if any(part.count(delimiter) >= width - 1 for part in value.splitlines()):
            raise FileProblem(
                f"lines {start}-{end} read as one row: a quote opened on line {start} closes "
                f"only on line {end}, and the lines between look like rows; check the quote "
                f"on line {start}",
                start,
            )


def _csv_rows(source: SourceFile) -> Iterator[tuple[int, list[str]]]:
    with source.path.open("r", encoding=source.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=source.delimiter, strict=True)
        previous_end = 0
        width = 0
        try:
            for row in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                if not width:
                    width = len(row)
                elif previous_end > start:
                    _swallowed(row, start, previous_end, width, source.delimiter)
                yield start, row
        except csv.Error as exc:
            line = previous_end + 1
            if "unexpected end of data" in str(exc):
                raise FileProblem(
                    f"a quoted value opened on line {line} is never closed: the rest of the "
                    f"file would be read as one value; close or remove the quote on line {line}",
                    line,
                ) from exc
            raise FileProblem(
                f"broken CSV on line {line}: {exc} (a quote inside a quoted value is "
                'written twice, "")',
                line,
            ) from exc


def _sheet_header(sheet: Any) -> list[str] | None:
    for values in sheet.iter_rows(values_only=True):
        cells = [_cell_text(v) for v in values]
        if "".join(cells).strip():
            return normalise_header(cells)
    return None


def _xlsx_parts(source: SourceFile) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    """One part per sheet that holds the entity (its required columns in the header); the
    first sheet when none does (its header problems are then reported). Sheets with data
    that are not read are named in the file's notes."""
    try:
        workbook, sheets = open_sheets(source.path)
    except WorkbookProblem as problem:
        raise FileProblem(str(problem)) from problem
    required = ENTITIES[source.entity].required if source.entity else ()
    try:
        headers = [(sheet, _sheet_header(sheet)) for sheet in sheets]
        matching = [s for s, h in headers if h is not None and set(required) <= set(h)]
        chosen = matching or [sheets[0]]
        for sheet, header in headers:
            if sheet not in chosen and header is not None:
                source.notes.append(
                    f"sheet {sheet.title!r} ignored (its header does not hold "
                    f"{', '.join(required)})"
                )
        if len(chosen) > 1:
            source.notes.append("sheets read: " + ", ".join(repr(s.title) for s in chosen))
        cells = 0
        for sheet in chosen:
            label = sheet.title if len(chosen) > 1 else ""

            def rows(sheet: Any = sheet) -> Iterator[tuple[int, list[str]]]:
                nonlocal cells
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    cells += len(values)
                    if cells > MAX_CELLS:
                        raise FileProblem(
                            f"the workbook has more than {MAX_CELLS:,} cells; refused "
                            "(split it, or save it as CSV)"
                        )
                    yield number, [_cell_text(v) for v in values]

            yield label, rows()
    finally:
        workbook.close()


def _parts(source: SourceFile) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    if source.is_excel:
        yield from _xlsx_parts(source)
    else:
        yield "", _csv_rows(source)


def prepare(source: SourceFile) -> None:
    """Decide the encoding and delimiter of a CSV file (once)."""
    if source.is_excel:
        source.encoding = "xlsx"
        return
    if source.encoding:
        return
    try:
        found = detect(source.path)
    except EncodingProblem as problem:
        raise FileProblem(str(problem)) from problem
    source.encoding = found.codec
    if found.note:
        source.notes.append(found.note)
    _sniff_delimiter(source)
    if source.delimiter == "\t":
        source.notes.append("tab-separated")


def read_chunks(
    source: SourceFile, chunk_rows: int = CHUNK_ROWS
) -> Iterator[tuple[list[str], pd.DataFrame, list[tuple[int, str]]]]:
    """Yield (header, frame of stripped strings with a LINE column, malformed lines).

    Malformed lines are rows with more fields than the header, as (line, message); they
    are rejected by the caller. Wholly blank rows are skipped. The header is normalised.
    A workbook yields the chunks of each sheet it reads in turn; `source.part` names the
    sheet of the chunk just yielded when there are several.
    """
    prepare(source)
    if not source.is_excel:
        plain = plain_chunks(
            source.path, source.encoding, source.delimiter, chunk_rows, _checked_header, LINE
        )
        if plain is not None:
            names, frames = plain
            source.part = ""
            empty = True
            for frame in frames:
                empty = False
                yield names, frame, []
            if empty:
                yield names, _frame(names, [], []), []
            return
    seen_header = False
    try:
        for part, rows_iter in _parts(source):
            header: list[str] | None = None
            width = 0
            rows: list[list[str]] = []
            lines: list[int] = []
            malformed: list[tuple[int, str]] = []
            for line, raw in rows_iter:
                if header is None:
                    if source.is_excel and not "".join(raw).strip():
                        continue  # blank rows above a sheet's header
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
                    source.part = part
                    yield header, _frame(header, rows, lines), malformed
                    rows, lines, malformed = [], [], []
            if header is None:
                continue
            if rows or malformed or not seen_header:
                source.part = part
                yield header, _frame(header, rows, lines), malformed
            seen_header = True
    except UnicodeDecodeError as exc:
        raise FileProblem(f"cannot decode the file as {source.encoding}: {exc}") from exc
    if not seen_header:
        raise FileProblem("the file is empty: no header row")


def data_lines(source: SourceFile) -> int:
    """Non-blank lines after the header (what a file-level rejection rejects), for CSV;
    for a workbook, rows with a value after the first."""
    if source.is_excel:
        return 0
    with source.path.open("r", encoding=source.encoding or "utf-8", errors="replace") as fh:
        blank = str.maketrans("", "", " \t\r\n" + source.delimiter)
        count = sum(1 for text in fh if text.translate(blank))
    return max(count - 1, 0)


def _checked_header(raw: list[str]) -> list[str]:
    header = normalise_header([_cell_text(v) if not isinstance(v, str) else v for v in raw])
    while header and header[-1] == "":
        header.pop()  # trailing empty columns, as spreadsheets leave them
    if not header:
        raise FileProblem("the header row is empty")
    broken = [name for name in header if "\n" in name or "\r" in name or '"' in name]
    if broken:
        raise FileProblem(
            "the header runs over several lines (a stray quote?) in column "
            f"{header.index(broken[0]) + 1}: nothing of this file was read"
        )
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise FileProblem(f"the header names a column twice: {', '.join(duplicates)}")
    if "" in header:
        raise FileProblem(f"header column {header.index('') + 1} has no name")
    return header
