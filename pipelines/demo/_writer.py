"""Append-only CSV files of one delivery, written merchant by merchant."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

COLUMNS: dict[str, tuple[str, ...]] = {
    "cohorts": ("cohort_id", "name", "start_date", "end_date", "programme"),
    "merchants": (
        "merchant_id",
        "name",
        "industry",
        "region",
        "store_count",
        "cohort_id",
        "joined_on",
    ),
    "stores": ("store_id", "merchant_id", "name", "city", "opened_on"),
    "guides": ("guide_id", "merchant_id", "store_id", "role", "joined_on", "left_on"),
    "customers": ("customer_id", "merchant_id", "first_seen_on", "unified_id", "member_level"),
    "orders": (
        "order_id",
        "merchant_id",
        "ordered_at",
        "channel",
        "gmv",
        "store_id",
        "customer_id",
        "guide_id",
        "campaign_id",
        "refund",
    ),
    "touchpoint_events": (
        "event_id",
        "merchant_id",
        "customer_id",
        "touchpoint",
        "action",
        "occurred_at",
        "guide_id",
        "group_id",
    ),
    "store_traffic": ("merchant_id", "date", "visitors", "store_id", "identified_visitors"),
    "campaigns": (
        "campaign_id",
        "merchant_id",
        "name",
        "start_date",
        "cost",
        "end_date",
        "channel",
        "segment_id",
        "offer",
        "holdout_share",
    ),
    "campaign_assignments": ("campaign_id", "customer_id", "group"),
    "attendance": (
        "cohort_id",
        "merchant_id",
        "session_id",
        "session_date",
        "attended",
        "session_type",
        "topic",
    ),
}


Table = dict[str, object]  # column -> numpy array, list, or one value for every row

_CHUNK = 100_000
_NEEDS_QUOTES = np.array([ord(","), ord('"'), ord("\n"), ord("\r")], dtype=np.uint32)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10 + 48).astype(np.uint32)


def _number_codes(values: np.ndarray, decimals: int) -> np.ndarray:
    """Non-negative numbers as character codes; NaN becomes an empty field."""
    missing = np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), bool)
    scaled = np.round(np.where(missing, 0, values) * 10**decimals).astype(np.int64)
    whole = scaled // 10**decimals
    width = len(str(int(whole.max()))) if len(whole) else 1
    codes = _digits(whole, width)
    leading = np.cumsum(codes != 48, axis=1) == 0
    leading[:, -1] = False
    codes[leading] = 0
    if decimals:
        point = np.full((len(values), 1), ord("."), dtype=np.uint32)
        codes = np.hstack([codes, point, _digits(scaled % 10**decimals, decimals)])
    codes[missing] = 0
    return codes


def _codes(values: np.ndarray) -> np.ndarray:
    """Character codes (rows x width, NUL-padded) of one column."""
    if values.dtype.kind == "f":
        return _number_codes(values, 2)
    if values.dtype.kind in "iu":
        return _number_codes(values, 0)
    text = values.astype(str)
    width = max(text.dtype.itemsize // 4, 1)
    return np.ascontiguousarray(text).view(np.uint32).reshape(len(text), -1)[:, :width]


def _as_arrays(table: Table | pd.DataFrame, columns: tuple[str, ...]) -> list[np.ndarray]:
    if isinstance(table, pd.DataFrame):
        return [table[c].to_numpy() for c in columns]
    sized = [v for v in table.values() if not isinstance(v, str)]
    n = len(np.asarray(sized[0])) if sized else 0
    out = []
    for c in columns:
        value = table[c]
        if isinstance(value, str):
            out.append(np.full(n, value))
        else:
            out.append(np.asarray(value))
    return out


def _encode(arrays: list[np.ndarray]) -> str | None:
    """CSV text of the rows, or None when a field would need quoting."""
    parts = []
    for i, array in enumerate(arrays):
        codes = _codes(array)
        if array.dtype.kind not in "fiu" and np.isin(codes, _NEEDS_QUOTES).any():
            return None
        parts.append(codes)
        sep = ord(",") if i < len(arrays) - 1 else ord("\n")
        parts.append(np.full((len(array), 1), sep, dtype=np.uint32))
    codes = np.hstack(parts)
    return codes[codes != 0].tobytes().decode("utf-32-le")


class DeliveryWriter:
    """Opens every contract file with its header; appends rows; counts them."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.rows = dict.fromkeys(COLUMNS, 0)
        self._files: dict[str, TextIO] = {}
        for name, columns in COLUMNS.items():
            f = (out_dir / f"{name}.csv").open("w", encoding="utf-8", newline="")
            f.write(",".join(columns) + "\n")
            self._files[name] = f

    def write(self, name: str, table: Table | pd.DataFrame) -> None:
        """Append rows to one file (columns are taken in contract order)."""
        columns = COLUMNS[name]
        arrays = _as_arrays(table, columns)
        n = len(arrays[0])
        if n == 0:
            return
        for start in range(0, n, _CHUNK):
            chunk = [a[start : start + _CHUNK] for a in arrays]
            text = _encode(chunk)
            if text is None:
                text = pd.DataFrame(dict(zip(columns, chunk, strict=True))).to_csv(
                    header=False, index=False, lineterminator="\n", float_format="%.2f"
                )
            self._files[name].write(text)
        self.rows[name] += n

    def close(self) -> None:
        for f in self._files.values():
            f.close()

    def __enter__(self) -> DeliveryWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
