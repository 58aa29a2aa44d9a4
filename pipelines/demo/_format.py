"""Fast vectorised formatting of ids, dates and timestamps as numpy unicode arrays."""

from __future__ import annotations

from functools import cache

import numpy as np

from ._config import DAY0, N_DAYS

_OFFSET = 4000  # days before DAY0 covered by the date lookup (back to 2006)


@cache
def _day_codes() -> np.ndarray:
    days = DAY0 + np.arange(-_OFFSET, N_DAYS).astype("timedelta64[D]")
    text = np.datetime_as_string(days, unit="D").astype("<U10")
    out = text.view(np.uint32).reshape(-1, 10).copy()
    out.flags.writeable = False
    return out


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values.astype(np.int64)[:, None] // powers) % 10 + 48


def _as_text(codes: np.ndarray) -> np.ndarray:
    width = codes.shape[1]
    return np.ascontiguousarray(codes, dtype=np.uint32).view(f"<U{width}").ravel()


def ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """prefix + zero-padded number; '' where the number is negative (missing)."""
    numbers = np.asarray(numbers)
    codes = np.empty((len(numbers), len(prefix) + width), dtype=np.uint32)
    codes[:, : len(prefix)] = [ord(c) for c in prefix]
    codes[:, len(prefix) :] = _digits(np.maximum(numbers, 0), width)
    text = _as_text(codes)
    return np.where(numbers >= 0, text, "")


def dates(days: np.ndarray) -> np.ndarray:
    """YYYY-MM-DD for day indices relative to DAY0; '' where missing (below -OFFSET)."""
    days = np.asarray(days, dtype=np.int64)
    ok = days >= -_OFFSET
    text = _as_text(_day_codes()[np.where(ok, days, 0) + _OFFSET])
    return np.where(ok, text, "")


def timestamps(days: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """YYYY-MM-DD HH:MM:SS from day indices and seconds of the day."""
    days = np.asarray(days, dtype=np.int64)
    seconds = np.asarray(seconds, dtype=np.int64)
    codes = np.empty((len(days), 19), dtype=np.uint32)
    codes[:, :10] = _day_codes()[days + _OFFSET]
    codes[:, 10] = ord(" ")
    codes[:, 13] = codes[:, 16] = ord(":")
    codes[:, 11:13] = _digits(seconds // 3600, 2)
    codes[:, 14:16] = _digits(seconds // 60 % 60, 2)
    codes[:, 17:19] = _digits(seconds % 60, 2)
    return _as_text(codes)


def label(names: tuple[str, ...], index: np.ndarray) -> np.ndarray:
    """Vocabulary words for integer codes."""
    return np.array(names)[index]


MISSING_DAY = -(10**6)
