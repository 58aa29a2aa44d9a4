"""Reading an .xlsx delivery file: every sheet that holds the entity, a bomb refused.

The workbook's parts are measured by decompressing them (not by the sizes the zip claims)
before openpyxl parses anything, so a small file that inflates to gigabytes is refused
before memory grows. Each sheet is read to its real extent: openpyxl's read-only mode
trusts the stored used range (`<dimension>`), which tools other than Excel often leave
stale, so it is reset first. Every sheet whose header names the entity's required
columns is read; the others are named in the report as ignored.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

MAX_UNCOMPRESSED = 1 << 30  # 1 GiB of XML in all
MAX_RATIO = 200  # a part that inflates more than 200-fold (and past 10 MB) is a bomb
RATIO_FLOOR = 10 << 20
MAX_CELLS = 50_000_000


class WorkbookProblem(Exception):
    """The workbook as a whole cannot be read."""


def check_size(path: Path) -> None:
    """Refuse a workbook whose parts inflate past the limits (measured, not declared)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookProblem(f"not a readable .xlsx workbook ({exc})") from exc
    total = 0
    with archive:
        for info in archive.infolist():
            inflated = 0
            try:
                with archive.open(info) as part:
                    for block in iter(lambda: part.read(1 << 20), b""):  # noqa: B023
                        inflated += len(block)
                        total += len(block)
                        if total > MAX_UNCOMPRESSED:
                            raise WorkbookProblem(
                                f"the workbook inflates to more than {MAX_UNCOMPRESSED >> 20:,}"
                                " MB; refused before reading (split it, or save it as CSV)"
                            )
                        ratio_limit = max(RATIO_FLOOR, MAX_RATIO * max(info.compress_size, 1))
                        if inflated > ratio_limit:
                            raise WorkbookProblem(
                                f"part {info.filename} inflates more than {MAX_RATIO}-fold "
                                "(a zip bomb?); refused before reading"
                            )
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise WorkbookProblem(f"the workbook is damaged ({exc})") from exc


def open_sheets(path: Path) -> tuple[Any, list[Any]]:
    """The workbook (close it when done) and its worksheets, each reset to its real
    extent; the size limits are checked first."""
    from openpyxl import load_workbook

    check_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise WorkbookProblem(f"not a readable .xlsx workbook ({exc})") from exc
    sheets = list(workbook.worksheets)
    for sheet in sheets:
        reset = getattr(sheet, "reset_dimensions", None)
        if reset is not None:
            reset()  # read to the real extent, not the stored <dimension>
    return workbook, sheets
