"""The machinery under the contract's checks (`pipelines.validate` says what they are).

A `Check` says, per value of a column of strings, whether it passes; `failing` turns its
answer into the positions of the failing rows. `seen` keeps the parsers' results per
chunk and column while a chunk is validated, so the checks of one column, and the rules
across columns, parse it once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.parse import parse_date, parse_share, parse_timestamp
from pipelines.values import is_money, parse_money, parse_number


@dataclass(frozen=True)
class Check:
    """One rule on one column: `holds` says, for each value of the column, whether it
    passes; `error` is the reason a failing row is rejected with."""

    holds: Callable[[pd.Series], pd.Series]
    error: str


class _Parsed(threading.local):
    """The parsed values of the chunk being validated, per parser and column: the checks
    of one column (and the rules across columns) parse it once, not once per check. Only
    filled inside `validate_chunk`, for series that carry their column's name."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], tuple[pd.Series, pd.Series]] | None = None

    def _get(self, parser: Callable[[pd.Series], pd.Series], values: pd.Series) -> pd.Series:
        if self.store is None or not isinstance(values.name, str):
            return parser(values)
        key = (parser.__name__, values.name)
        hit = self.store.get(key)
        if (
            hit is not None
            and hit[0] is values
            or (
                hit is not None and len(hit[0]) == len(values) and hit[0].index.equals(values.index)
            )
        ):
            return hit[1]
        result = parser(values)
        self.store[key] = (values, result)
        return result

    def parse_money(self, values: pd.Series) -> pd.Series:
        return self._get(parse_money, values)

    def parse_number(self, values: pd.Series) -> pd.Series:
        return self._get(parse_number, values)

    def parse_share(self, values: pd.Series) -> pd.Series:
        return self._get(parse_share, values)

    def parse_date(self, values: pd.Series) -> pd.Series:
        return self._get(parse_date, values)

    def parse_timestamp(self, values: pd.Series) -> pd.Series:
        return self._get(parse_timestamp, values)

    def is_money(self, values: pd.Series) -> pd.Series:
        return self._get(is_money, values)


seen = _Parsed()


def failing(holds: pd.Series | np.ndarray, size: int) -> np.ndarray:
    """The positions where a check's result says False."""
    passed = np.asarray(holds, dtype=bool)
    if passed.shape != (size,):
        raise ValueError(f"a check gave {passed.shape} results for {size} rows")
    return np.flatnonzero(~passed)
