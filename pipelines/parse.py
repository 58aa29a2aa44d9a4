"""Parse: a contract column's stripped strings into typed values, vectorised.

The parsers turn blank or invalid values into missing ones (validation has rejected the
invalid rows before typing). `typed_columns` gives the columns in pandas' own dtypes
(datetime64, float64, Int64, boolean, object text), which the bulk writer formats for
the driver column by column; `typed` gives Python objects (dates, datetimes, floats,
None), as a caller reading single rows wants them.
"""

from __future__ import annotations

import pandas as pd

from models.contract import FALSE_WORDS, TRUE_WORDS, Entity
from pipelines.extract import LINE
from pipelines.values import parse_money, parse_number

DATE_RE = r"^\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00)?)?$"
TIMESTAMP_RE = r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"

# --- parsers: vectorised, blank or invalid -> missing -----------------------------------


def parse_date(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    ok = text.str.match(DATE_RE, na=False)
    parsed = pd.to_datetime(text.where(ok).str[:10], format="%Y-%m-%d", errors="coerce")
    return parsed


def parse_timestamp(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.replace("T", " ", regex=False)
    ok = text.str.match(TIMESTAMP_RE, na=False)
    return pd.to_datetime(text.where(ok), format="ISO8601", errors="coerce")


def parse_share(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    percent = text.str.endswith("%", na=False)
    number = parse_number(text.str.rstrip("%"))
    return number.where(~percent, number / 100)


def parse_flag(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[text.isin(TRUE_WORDS)] = True
    out[text.isin(FALSE_WORDS)] = False
    return out


def normalise_vocabulary(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().str.lower().str.replace(" ", "_", regex=False)


def is_blank(values: pd.Series) -> pd.Series:
    return values.astype("string").fillna("") == ""


# --- typing ----------------------------------------------------------------------------


def _text(values: pd.Series) -> pd.Series:
    """Text as Python strings, blank as None."""
    text = values.astype("string")
    return text.astype(object).where(text != "", None)


def typed_columns(entity: Entity, frame: pd.DataFrame) -> pd.DataFrame:
    """Validated string rows as typed columns in pandas' dtypes, missing for blank: dates
    and timestamps datetime64, money and shares float64, counts Int64, flags boolean,
    text object (None for blank)."""
    out: dict[str, pd.Series] = {}
    for col in entity.columns:
        if col.name not in frame.columns:
            out[col.name] = pd.Series(None, index=frame.index, dtype=object)
            continue
        values = frame[col.name]
        if col.kind == "date":
            out[col.name] = parse_date(values)
        elif col.kind == "timestamp":
            out[col.name] = parse_timestamp(values)
        elif col.kind == "money":
            out[col.name] = parse_money(values)
        elif col.kind == "count":
            out[col.name] = parse_number(values).astype("Int64")
        elif col.kind == "share":
            out[col.name] = parse_share(values)
        elif col.kind == "flag":
            out[col.name] = parse_flag(values)
        elif col.vocabulary:
            out[col.name] = _text(normalise_vocabulary(values))
        else:
            out[col.name] = _text(values)
    out[LINE] = frame[LINE]
    return pd.DataFrame(out, index=frame.index)


def typed(entity: Entity, frame: pd.DataFrame) -> pd.DataFrame:
    """Turn validated string rows into typed columns of Python objects (dates, datetimes,
    floats, ints, bools; None for blank)."""
    columns = typed_columns(entity, frame)
    out = pd.DataFrame(index=frame.index)
    for col in entity.columns:
        values = columns[col.name]
        present = values.notna()
        if col.kind == "date":
            out[col.name] = _objects(values.dt.date, present)
        elif col.kind == "timestamp":
            out[col.name] = _objects(values.dt.to_pydatetime(), present)
        else:
            out[col.name] = _objects(values, present)
    out[LINE] = frame[LINE]
    return out


def _objects(values: object, present: pd.Series) -> pd.Series:
    series = pd.Series(values, index=present.index, dtype=object)
    return series.where(present.to_numpy(), None)
