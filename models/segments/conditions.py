"""A checked segment definition as a bound SQL condition on the customer features mart
(values reach the database only as bound parameters). Builds expressions, runs nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from models.schema import table_of
from models.schema_segments import MartCustomerFeatures
from models.segments.rules import FIELDS, TOUCHPOINT_COLUMNS, SegmentError, validate
from models.segments_predicted import condition as predicted_condition

_T = table_of(MartCustomerFeatures)


def _compile_condition(cond: Mapping[str, Any]) -> ColumnElement[bool]:
    spec = FIELDS[cond["field"]]
    op = cond["op"]
    value: Any = cond.get("value")
    if spec.predicted:
        return predicted_condition(spec.column, op, value, _T)
    if spec.kind == "channels":
        flags = [_T.c[f"ch_{v}"] == true() for v in value]
        if op == "includes_any":
            return or_(*flags)
        if op == "includes_all":
            return and_(*flags)
        return and_(*[_T.c[f"ch_{v}"] == false() for v in value])
    if spec.kind == "touchpoint":
        column = _T.c[TOUCHPOINT_COLUMNS[value]]
        return column == (true() if op == "has" else false())
    column = _T.c[spec.column]
    if op == "between":
        return column.between(value[0], value[1])
    if op == "at_least":
        return column >= value
    if op == "at_most":
        return column <= value
    if op == "equals":
        return column == value
    if op == "within_last_days":  # day 0 is the as-of day: "last 30 days" is 0..29
        return column < value
    if op == "more_than_days_ago":
        return column > value
    if op == "never":
        return column.is_(None)
    if op == "ever":
        return column.is_not(None)
    if op == "in":
        return column.in_(value)
    if op == "not_in":  # a customer without a value is not in the list
        return or_(column.is_(None), column.not_in(value))
    raise SegmentError(f"unknown operator {op!r}")  # validate() lets none through


def compile_rules(definition: Mapping[str, Any]) -> ColumnElement[bool]:
    """A WHERE clause on `mart_customer_features` (validated first)."""
    checked = validate(definition)
    return _compile_group(checked)


def _compile_group(group: Mapping[str, Any]) -> ColumnElement[bool]:
    parts = [
        _compile_group(c) if "conditions" in c else _compile_condition(c)
        for c in group["conditions"]
    ]
    if not parts:  # no condition: every customer
        return true()
    return and_(*parts) if group["match"] == "all" else or_(*parts)
