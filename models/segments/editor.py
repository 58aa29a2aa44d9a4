"""The segment editor's rows (`st.data_editor` in pages/segments.py) to a definition and
back: one row a condition, rows sharing a group label form a group. Pure: no database."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from models.segments.rules import FIELDS, NO_VALUE, SegmentError, validate

EDITOR_COLUMNS = ["group", "field", "op", "value"]


def parse_value(field_name: str, op: str, text: object) -> Any:
    """An editor cell's text as the value of a condition: `2-5` or `2..5` for between, a
    comma-separated list for lists, a number or a word otherwise."""
    spec = FIELDS.get(field_name)
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    raw = raw.strip()
    if spec is None or op in NO_VALUE:
        return None
    if op == "between":
        for sep in ("..", "–", "-", ","):
            if sep in raw:
                lo, _, hi = raw.partition(sep)
                return [lo.strip(), hi.strip()]
        return [raw, raw]
    if spec.kind in ("category", "channels", "ids"):
        return [p.strip() for p in raw.replace("，", ",").split(",") if p.strip()]
    return raw


def from_rows(rows: pd.DataFrame, match: str) -> dict[str, Any]:
    """The editor's table as a definition: rows are conditions combined by `match`; rows
    that share a group label form a group combined the other way."""
    other = "any" if match == "all" else "all"
    conditions: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for number, row in enumerate(rows.to_dict("records"), start=1):
        field_name, op = row.get("field"), row.get("op")
        if not field_name and not op:
            continue
        if not field_name or not op:
            raise SegmentError(f"row {number}: pick a field and an operator")
        cond: dict[str, Any] = {"field": field_name, "op": op}
        value = parse_value(str(field_name), str(op), row.get("value"))
        if value is not None:
            cond["value"] = value
        label = row.get("group")
        label = "" if label is None or (isinstance(label, float) and math.isnan(label)) else label
        label = str(label).strip()
        if label:
            if label not in groups:
                groups[label] = {"match": other, "conditions": []}
                conditions.append(groups[label])
            groups[label]["conditions"].append(cond)
        else:
            conditions.append(cond)
    return validate({"match": match, "conditions": conditions})


def to_rows(definition: Mapping[str, Any]) -> tuple[pd.DataFrame, str]:
    """A definition as the editor's table and its match (the inverse of `from_rows` for
    definitions whose groups combine the other way)."""
    checked = validate(definition)
    rows: list[dict[str, str]] = []
    for number, cond in enumerate(checked["conditions"], start=1):
        members_ = cond["conditions"] if "conditions" in cond else [cond]
        label = str(number) if "conditions" in cond else ""
        for c in members_:
            rows.append({"group": label, "field": c["field"], "op": c["op"], "value": _cell(c)})
    return pd.DataFrame(rows, columns=EDITOR_COLUMNS), checked["match"]


def _cell(cond: Mapping[str, Any]) -> str:
    value = cond.get("value")
    if value is None:
        return ""
    if cond["op"] == "between":
        return f"{value[0]:g}..{value[1]:g}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
