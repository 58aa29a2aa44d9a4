"""Segment rules: the fields a rule may use, their operators and value checks.

A definition is a dict (JSON):

    {"match": "all" | "any",
     "conditions": [
         {"field": "repurchases", "op": "between", "value": [2, 5]},
         {"match": "any", "conditions": [...conditions, no further groups...]}
     ]}

Fields come from a whitelist (`FIELDS`), each with the operators fit for its type; values
are checked (type, vocabulary, sane range). `validate` raises `SegmentError` with a message
that says which condition is wrong and why. Definitions: docs/segments.md. Pure: no
database; `models/segments/conditions.py` turns a checked definition into SQL.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from models.contract import CHANNELS
from models.segments_predicted import PREDICTED_FIELDS

Kind = Literal["count", "money", "score", "days", "category", "channels", "touchpoint", "ids"]

MAX_CONDITIONS = 20
MAX_LIST = 50_000  # values of one in-list (a saved cluster is a list of customer ids)
MAX_TEXT = 64
MAX_MONEY = 1_000_000_000.0
MAX_COUNT = 1_000_000
MAX_DAYS = 36_500  # a hundred years
MAX_COMPARE = 3
MAX_TIERS = 12

TOUCHPOINTS = ("fan", "guide_contact", "community_member", "cloud_user")
TOUCHPOINT_COLUMNS = {
    "fan": "is_fan",
    "guide_contact": "is_guide_contact",
    "community_member": "is_community_member",
    "cloud_user": "is_cloud_user",
}
RFM_SEGMENT_NAMES = (
    "champions",
    "loyal",
    "potential_loyalists",
    "new",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cant_lose",
    "hibernating",
    "lost",
)
# The named RFM segments on the R x F grid (scores 1-5; M is a field of its own): each is
# a list of (R scores, F scores) cells. Every cell of the grid belongs to exactly one
# segment. Written down in docs/segments.md.
RFM_GRID: dict[str, tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]] = {
    "champions": (((5,), (4, 5)),),
    "loyal": (((3, 4), (4, 5)),),
    "potential_loyalists": (((4, 5), (2, 3)),),
    "new": (((5,), (1,)),),
    "promising": (((4,), (1,)),),
    "need_attention": (((3,), (3,)),),
    "about_to_sleep": (((3,), (1, 2)),),
    "at_risk": (((1, 2), (3, 4)),),
    "cant_lose": (((1, 2), (5,)),),
    "hibernating": (((2,), (1, 2)), ((1,), (2,))),
    "lost": (((1,), (1,)),),
}


def rfm_segment(r: int | None, f: int | None) -> str | None:
    """The named segment of an R and an F score (None for a customer who never bought)."""
    if r is None or f is None:
        return None
    for name, cells in RFM_GRID.items():
        if any(r in rs and f in fs for rs, fs in cells):
            return name
    raise ValueError(f"scores out of range: R={r}, F={f}")


@dataclass(frozen=True)
class Field:
    kind: Kind
    column: str
    vocabulary: tuple[str, ...] | None = None
    lo: float = 0
    hi: float = MAX_COUNT
    predicted: bool = False  # a column of customer_predictions (models/segments_predicted.py)


FIELDS: dict[str, Field] = {
    "orders": Field("count", "orders"),
    "purchase_days": Field("count", "purchase_days"),
    "repurchases": Field("count", "repurchases"),
    "gmv": Field("money", "gmv", hi=MAX_MONEY),
    "refunds": Field("money", "refunds", hi=MAX_MONEY),
    "aov": Field("money", "aov", hi=MAX_MONEY),
    "channel_count": Field("count", "channel_count", hi=len(CHANNELS)),
    "touchpoint_count": Field("count", "touchpoint_count", hi=3),
    "tenure_days": Field("count", "tenure_days", hi=MAX_DAYS),
    "r_score": Field("score", "r_score", lo=1, hi=5),
    "f_score": Field("score", "f_score", lo=1, hi=5),
    "m_score": Field("score", "m_score", lo=1, hi=5),
    "last_order": Field("days", "days_since_last_order", hi=MAX_DAYS),
    "first_order": Field("days", "days_since_first_order", hi=MAX_DAYS),
    "member_level": Field("category", "member_level"),
    "store_id": Field("category", "store_id"),
    "guide_id": Field("category", "guide_id"),
    "rfm_segment": Field("category", "rfm_segment", vocabulary=RFM_SEGMENT_NAMES),
    "channels": Field("channels", "channels", vocabulary=CHANNELS),
    "touchpoint": Field("touchpoint", "touchpoint", vocabulary=TOUCHPOINTS),
    "customer_id": Field("ids", "customer_id"),
    **{
        name: Field("money", column, hi=hi, predicted=True)
        for name, (column, hi) in PREDICTED_FIELDS.items()
    },
}

OPERATORS: dict[Kind, tuple[str, ...]] = {
    "count": ("between", "at_least", "at_most", "equals"),
    "money": ("between", "at_least", "at_most"),
    "score": ("between", "at_least", "at_most", "equals"),
    # "in the last N days", "more than N days ago", never / ever
    "days": ("within_last_days", "more_than_days_ago", "never", "ever"),
    "category": ("in", "not_in"),
    "channels": ("includes_any", "includes_all", "excludes"),
    "touchpoint": ("has", "has_not"),
    "ids": ("in",),
}
NO_VALUE = ("never", "ever")


class SegmentError(ValueError):
    """A definition that cannot run, with a message a merchant can act on."""


# --- validation ------------------------------------------------------------------------


def _number(value: Any, where: str, spec: Field, *, whole: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                raise SegmentError(f"{where}: {value!r} is not a number") from None
        else:
            raise SegmentError(f"{where}: {value!r} is not a number")
    number = float(value)
    if not math.isfinite(number):
        raise SegmentError(f"{where}: {value!r} is not a finite number")
    if whole and number != int(number):
        raise SegmentError(f"{where}: {value!r} must be a whole number")
    if not spec.lo <= number <= spec.hi:
        raise SegmentError(f"{where}: {value!r} is outside {spec.lo:g}..{spec.hi:g}")
    return int(number) if whole else number


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise SegmentError(f"{where}: {value!r} is not a text value")
    text = str(value).strip()
    if not text or len(text) > MAX_TEXT:
        raise SegmentError(f"{where}: a value must be 1 to {MAX_TEXT} characters")
    return text


def _values(value: Any, where: str, spec: Field) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise SegmentError(f"{where}: pick at least one value")
    if len(items) > MAX_LIST:
        raise SegmentError(f"{where}: at most {MAX_LIST:,} values")
    texts = [_text(v, where) for v in items]
    if spec.vocabulary is not None:
        unknown = [v for v in texts if v not in spec.vocabulary]
        if unknown:
            raise SegmentError(
                f"{where}: unknown value {unknown[0]!r}; allowed: {', '.join(spec.vocabulary)}"
            )
    return sorted(set(texts))


def _condition(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise SegmentError(f"{where}: a condition is an object with field, op and value")
    extra = set(raw) - {"field", "op", "value"}
    if extra:
        raise SegmentError(f"{where}: unknown key {sorted(extra)[0]!r}")
    name = raw.get("field")
    if not isinstance(name, str) or name not in FIELDS:
        raise SegmentError(f"{where}: unknown field {name!r}; fields: {', '.join(FIELDS)}")
    spec = FIELDS[name]
    op = raw.get("op")
    if op not in OPERATORS[spec.kind]:
        raise SegmentError(
            f"{where}: {name} takes the operators {', '.join(OPERATORS[spec.kind])}, not {op!r}"
        )
    value = raw.get("value")
    where = f"{where} ({name} {op})"
    whole = spec.kind in ("count", "score", "days")
    out: dict[str, Any] = {"field": name, "op": op}
    if op in NO_VALUE:
        return out
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise SegmentError(f"{where}: between takes [lowest, highest]")
        lo, hi = (_number(v, where, spec, whole=whole) for v in value)
        if lo > hi:
            raise SegmentError(f"{where}: the lowest value {lo:g} is above the highest {hi:g}")
        out["value"] = [lo, hi]
    elif spec.kind in ("count", "money", "score", "days"):
        out["value"] = _number(value, where, spec, whole=whole)
    elif spec.kind == "touchpoint":
        if isinstance(value, list):
            if len(value) != 1:
                raise SegmentError(f"{where}: pick one touchpoint")
            value = value[0]
        out["value"] = _values(value, where, spec)[0]
    else:
        out["value"] = _values(value, where, spec)
    return out


def validate(definition: Any) -> dict[str, Any]:
    """The definition, checked and normalised; `SegmentError` says what is wrong."""
    if isinstance(definition, str | bytes):
        try:
            definition = json.loads(definition)
        except ValueError as exc:
            raise SegmentError(f"not valid JSON: {exc}") from None
    if not isinstance(definition, Mapping):
        raise SegmentError("a definition is an object with match and conditions")
    return _group(definition, "rules", top=True)


def _group(raw: Mapping[str, Any], where: str, *, top: bool) -> dict[str, Any]:
    extra = set(raw) - {"match", "conditions"}
    if extra:
        raise SegmentError(f"{where}: unknown key {sorted(extra)[0]!r}")
    match = raw.get("match", "all")
    if match not in ("all", "any"):
        raise SegmentError(f"{where}: match is 'all' or 'any', not {match!r}")
    conditions = raw.get("conditions")
    if not isinstance(conditions, list):
        raise SegmentError(f"{where}: conditions must be a list")
    if len(conditions) > MAX_CONDITIONS:
        raise SegmentError(f"{where}: at most {MAX_CONDITIONS} conditions")
    out: list[dict[str, Any]] = []
    for number, item in enumerate(conditions, start=1):
        here = f"condition {number}" if top else f"{where}, condition {number}"
        if isinstance(item, Mapping) and "conditions" in item:
            if not top:
                raise SegmentError(f"{here}: groups go one level deep only")
            group = _group(item, f"group {number}", top=False)
            if not group["conditions"]:
                raise SegmentError(f"group {number}: an empty group")
            out.append(group)
        else:
            out.append(_condition(item, here))
    return {"match": match, "conditions": out}
