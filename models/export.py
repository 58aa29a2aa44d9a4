"""Every CSV the product writes for a person to open: formulas neutralised.

OWASP's CSV-injection rule: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return is read as a formula by spreadsheet programs, so it gets a leading `'`.
Numbers stay numbers (a negative figure is not text).
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """`value` made safe for a spreadsheet cell (text only)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) are neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame, *, encoding: str = "utf-8-sig") -> bytes:
    """The CSV of `frame` to download: neutralised, without the index, with a BOM so a
    spreadsheet program reads the Chinese text right."""
    return safe_frame(frame).to_csv(index=False).encode(encoding)
