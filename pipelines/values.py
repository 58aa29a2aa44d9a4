"""Values: the grammar of numbers and money, and the limits the schema sets on values.

Every check here is vectorised over a column of stripped strings and says True where the
value is fine (blank is always fine: requiredness is checked elsewhere). The limits come
from the staging tables (`models.schema`), so a value one engine could not store (a name
longer than its column, an amount beyond NUMERIC(14, 2), a count beyond a 32-bit integer,
a NUL byte) is rejected on every engine alike, before anything is written.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pandas as pd
from sqlalchemy import Integer, String

from models.contract import Column, Entity
from models.schema import STAGING, Money, table_of

# Money: optional ¥ (or the full-width ￥), digits with thousands separators only in the
# form 1,234,567, an optional sign (so a negative amount gets the ≥ 0 reason), and an
# optional decimal part. More than two decimals are rounded half-up to the fen.
NUMBER = r"-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?"
MONEY_RE = re.compile(rf"^[¥￥]?\s*{NUMBER}$")
PLAIN_RE = r"^\d+(?:\.\d{1,2})?$"  # the fast path: most amounts look like this
NON_FINITE_RE = r"^[-+]?(?:inf(?:inity)?|nan)$"
MONEY_MAX = 10**12  # NUMERIC(14, 2): twelve digits before the point
COUNT_MAX = 2**31 - 1  # a 32-bit INTEGER on PostgreSQL
FEN = Decimal("0.01")

# C0 control characters and DEL. Free text may hold tab and line breaks (a quoted CSV
# value may span lines); ids, codes and dates may not.
CONTROL_IN_TEXT = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
CONTROL_IN_CODE = r"[\x00-\x1f\x7f]"

MONEY_GRAMMAR = (
    "digits with an optional . and decimals, thousands separators only as in 1,234.50, "
    "an optional leading ¥"
)


NOT_DIGITS = r"[^0-9.\n]"
# The common spelling of an amount or a count, in ASCII digits only: every value it matches
# fully also matches MONEY_RE, and reads as the same float whichever parser reads it (the
# Arrow cast and pandas' to_numeric agree to the bit on such text), so these values skip
# the per-value regular expression and the per-value parse.
DECIMAL = r"[0-9]+(?:\.[0-9]+)?"


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string").fillna("")


def _utf8(text: pd.Series) -> np.ndarray | None:
    """The UTF-8 bytes of all the values of Arrow-backed text, end to end (None for text
    held otherwise): a question about ASCII characters is answered on them at once, as a
    byte below 0x80 is always a character of its own in UTF-8."""
    if getattr(text.dtype, "storage", "") != "pyarrow" or not hasattr(
        text.array, "__arrow_array__"
    ):
        return None
    parts = []
    for chunk in text.array.__arrow_array__().chunks:
        kind = str(chunk.type)
        if chunk.null_count or kind not in ("string", "large_string"):
            return None
        _validity, offsets, data = chunk.buffers()
        width = np.int64 if kind == "large_string" else np.int32
        ends = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
        if data is not None and len(ends):
            parts.append(np.frombuffer(data, dtype=np.uint8)[ends[0] : ends[-1]])
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint8)


def _digits_only(text: pd.Series) -> bool:
    """True when no value holds anything but digits, points and line breaks (the common
    case of clean numbers: one vectorised pass over the column)."""
    data = _utf8(text)
    if data is not None:
        digit = (data >= 0x30) & (data <= 0x39)
        return bool(np.all(digit | (data == 0x2E) | (data == 0x0A)))
    return not bool(text.str.contains(NOT_DIGITS, regex=True, na=False).any())


def _decimal(text: pd.Series) -> np.ndarray:
    """Per value: it is written as DECIMAL, wholly."""
    return text.str.fullmatch(DECIMAL, na=False).to_numpy(dtype=bool)


def _floats(text: pd.Series) -> np.ndarray:
    """DECIMAL text as float64: Arrow-backed text by Arrow's cast (vectorised, ten times
    pandas' own parse), other text by pandas."""
    arrow = getattr(text.dtype, "storage", "") == "pyarrow"
    return text.astype("double[pyarrow]" if arrow else "float64").to_numpy(dtype="float64")


def is_money(values: pd.Series) -> pd.Series:
    text = _text(values)
    fine = _decimal(text) | (text == "").to_numpy(dtype=bool)
    rest = ~fine
    if rest.any():
        fine[rest] = text[rest].str.match(MONEY_RE, na=False).to_numpy(dtype=bool)
    return pd.Series(fine, index=text.index)


def is_non_finite(values: pd.Series) -> pd.Series:
    text = _text(values)
    if _digits_only(text):
        return pd.Series(False, index=text.index)
    return text.str.lstrip("¥￥").str.match(NON_FINITE_RE, case=False, na=False)


def has_misused_comma(values: pd.Series) -> pd.Series:
    """A comma that is not a thousands separator (5,00 or 1.234,50 or 1,2,3)."""
    text = _text(values)
    if _digits_only(text):
        return pd.Series(False, index=text.index)
    return text.str.contains(",", regex=False, na=False) & ~is_money(text)


def parse_money(values: pd.Series) -> pd.Series:
    """Amounts as floats, rounded half-up to the fen; blank or off-grammar -> NaN."""
    text = _text(values)
    plain = text.str.match(PLAIN_RE, na=False).to_numpy(dtype=bool)
    number = pd.Series(np.nan, index=text.index, dtype="float64")
    if plain.any():
        fast = plain & _decimal(text)
        if fast.any():
            number[fast] = _floats(text[fast])
        slow = plain & ~fast
        if slow.any():
            number[slow] = pd.to_numeric(text[slow], errors="coerce").to_numpy(dtype="float64")
    rest = (~plain) & (text != "").to_numpy(dtype=bool)
    if rest.any():
        number[rest] = [_money_value(v) for v in text[rest]]
    return number


def _money_value(text: str) -> float:
    if not MONEY_RE.match(text):
        return float("nan")
    cleaned = text.lstrip("¥￥").strip().replace(",", "")
    try:
        return float(Decimal(cleaned).quantize(FEN, rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return float("nan")


def parse_number(values: pd.Series) -> pd.Series:
    """Counts and shares: the money grammar without rounding (¥ and 1,234 tolerated)."""
    text = _text(values)
    if _digits_only(text):  # plain numbers: the grammar is checked by is_money
        number = np.full(len(text), np.nan)
        fast = _decimal(text)
        if fast.any():
            number[fast] = _floats(text[fast])
        slow = ~fast & (text != "").to_numpy(dtype=bool)
        if slow.any():
            number[slow] = pd.to_numeric(text[slow], errors="coerce").to_numpy(dtype="float64")
        return pd.Series(number, index=text.index, dtype="float64")
    ok = text.str.match(MONEY_RE, na=False)
    cleaned = text.where(ok, "").str.lstrip("¥￥").str.strip().str.replace(",", "", regex=False)
    return pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce").astype("float64")


def round_half_up(number: float) -> float:
    """Round to the fen, half-up, as the loader does (12.345 -> 12.35)."""
    return float(Decimal(repr(number)).quantize(FEN, rounding=ROUND_HALF_UP))


# --- limits from the schema --------------------------------------------------------------


def max_length(entity: Entity, column: Column) -> int | None:
    """The length of the staging column a contract column is stored in (None: unbounded)."""
    table = table_of(STAGING[entity.name])
    if column.name not in table.c:
        return None
    kind = table.c[column.name].type
    return kind.length if isinstance(kind, String) else None


def is_integer_column(entity: Entity, column: Column) -> bool:
    table = table_of(STAGING[entity.name])
    return column.name in table.c and isinstance(table.c[column.name].type, Integer)


def is_money_column(entity: Entity, column: Column) -> bool:
    table = table_of(STAGING[entity.name])
    return column.name in table.c and isinstance(table.c[column.name].type, Money)


def within_length(values: pd.Series, limit: int) -> pd.Series:
    return _text(values).str.len() <= limit


def free_of_controls(values: pd.Series, *, code: bool) -> pd.Series:
    text = _text(values)
    data = _utf8(text)
    if data is not None:  # the common case, no control character at all: one pass
        control = (data < 0x20) | (data == 0x7F)
        if not code:
            control &= (data != 0x09) & (data != 0x0A) & (data != 0x0D)
        if not control.any():
            return pd.Series(True, index=text.index)
    pattern = CONTROL_IN_CODE if code else CONTROL_IN_TEXT
    return ~text.str.contains(pattern, regex=True, na=False)


# --- what may be written into the bookkeeping --------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(text: object, limit: int = 200) -> str:
    """A value as it can be recorded and shown: control characters spelled \\xNN (a NUL
    cannot be stored on PostgreSQL), cut to `limit` characters with the length said."""
    value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    if len(value) > limit:
        return f"{value[:limit]}… ({len(value):,} characters)"
    return value
