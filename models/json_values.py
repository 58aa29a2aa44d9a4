"""Figures as JSON values, for every report the product writes as JSON (campaign and
uplift reports): a float rounded to 6 places, NaN and infinities as null, numpy scalars as
Python ones, dates as ISO text."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd


def json_value(value: object) -> object:
    """`value` as something `json.dumps` writes and a reader can trust."""
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else round(float(value), 6)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if value is pd.NaT:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return value
