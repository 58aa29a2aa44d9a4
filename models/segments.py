"""Customer segments: rules as JSON, validated, compiled to SQL on the customer features
mart; templates (the published repurchase tiers, the named RFM segments and others);
segment figures; saved segments with their version history.

A definition is a dict (JSON):

    {"match": "all" | "any",
     "conditions": [
         {"field": "repurchases", "op": "between", "value": [2, 5]},
         {"match": "any", "conditions": [...conditions, no further groups...]}
     ]}

Fields come from a whitelist (`FIELDS`), each with the operators fit for its type; values
are checked (type, vocabulary, sane range) and reach the database only as bound
parameters. `validate` raises `SegmentError` with a message that says which condition is
wrong and why. Definitions: docs/segments.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Engine,
    and_,
    case,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)

from models.clock import utcnow
from models.contract import CHANNELS
from models.db import read_frame
from models.permissions import NotAllowed, require
from models.schema import Merchant, table_of
from models.schema_segments import MartCustomerFeatures, SavedSegment, SegmentVersion
from models.scope import Scope
from models.segments_predicted import PREDICTED_FIELDS
from models.segments_predicted import condition as predicted_condition

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


# --- compilation -----------------------------------------------------------------------

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


# --- templates -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    name: str
    definition: dict[str, Any]
    offer: str | None = None


@dataclass(frozen=True)
class Template:
    name: str
    tiers: tuple[Tier, ...]
    description: str = ""
    group: str = "other"

    @property
    def multi(self) -> bool:
        return len(self.tiers) > 1


def _rule(*conditions: dict[str, Any], match: str = "all") -> dict[str, Any]:
    return {"match": match, "conditions": list(conditions)}


def _c(field_name: str, op: str, value: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {"field": field_name, "op": op}
    if value is not None:
        out["value"] = value
    return out


REPURCHASE_TIERS = (
    Tier(
        "first_purchase_not_repurchased",
        _rule(_c("purchase_days", "equals", 1)),
        "50% off trial coupon",
    ),
    Tier("repurchased_2_to_5", _rule(_c("repurchases", "between", [2, 5])), "buy one get one"),
    Tier("repurchased_more_than_5", _rule(_c("repurchases", "at_least", 6)), "10x points"),
)

_TEMPLATES: list[Template] = [
    Template(
        "repurchase_tiers",
        REPURCHASE_TIERS,
        "The published three tiers: first purchase not repurchased (50% off trial coupon), "
        "2-5 repurchases (buy one get one), more than 5 repurchases (10x points). Customers "
        "with exactly one repurchase fall in no tier.",
        "repurchase",
    ),
    Template(
        "rfm_segments",
        tuple(Tier(n, _rule(_c("rfm_segment", "in", [n]))) for n in RFM_SEGMENT_NAMES),
        "The eleven named RFM segments on the R x F grid.",
        "rfm",
    ),
    *[
        Template(f"rfm_{n}", (Tier(n, _rule(_c("rfm_segment", "in", [n]))),), f"RFM: {n}", "rfm")
        for n in RFM_SEGMENT_NAMES
    ],
    Template(
        "cloud_users_lapsed_30d",
        (
            Tier(
                "cloud_users_lapsed_30d",
                _rule(
                    _c("touchpoint", "has", "cloud_user"),
                    _rule(
                        _c("last_order", "more_than_days_ago", 29),
                        _c("last_order", "never"),
                        match="any",
                    ),
                ),
            ),
        ),
        "Cloud users who have not bought in the last 30 days (or never).",
        "reach",
    ),
    Template(
        "lapsed_90d",
        (Tier("lapsed_90d", _rule(_c("last_order", "more_than_days_ago", 90))),),
        "Bought before, but not in the last 90 days.",
        "reach",
    ),
    Template(
        "new_buyers_30d",
        (Tier("new_buyers_30d", _rule(_c("first_order", "within_last_days", 30))),),
        "First purchase in the last 30 days.",
        "reach",
    ),
    Template(
        "fans_never_bought",
        (
            Tier(
                "fans_never_bought",
                _rule(_c("touchpoint", "has", "fan"), _c("last_order", "never")),
            ),
        ),
        "Mini-program fans who never bought.",
        "reach",
    ),
    Template(
        "store_buyers_not_connected",
        (
            Tier(
                "store_buyers_not_connected",
                _rule(
                    _c("channels", "includes_any", ["store"]),
                    _c("touchpoint", "has_not", "cloud_user"),
                ),
            ),
        ),
        "Bought in a store but not reachable outside it yet: invite them to a touchpoint.",
        "reach",
    ),
    Template(
        "high_value_active",
        (
            Tier(
                "high_value_active",
                _rule(_c("m_score", "equals", 5), _c("last_order", "within_last_days", 90)),
            ),
        ),
        "The top fifth by GMV who bought in the last 90 days.",
        "value",
    ),
    Template(
        "omnichannel",
        (Tier("omnichannel", _rule(_c("channel_count", "at_least", 2))),),
        "Bought in two or more channels.",
        "value",
    ),
    # Predictive (docs/predictions.md): they need the merchant's predictions.
    Template(
        "high_value_at_risk",
        (
            Tier(
                "high_value_at_risk",
                _rule(_c("m_score", "at_least", 4), _c("churn_risk", "at_least", 0.5)),
            ),
        ),
        "The top two fifths by GMV whose churn risk is 50% or more.",
        "predicted",
    ),
    Template(
        "about_to_buy_again",
        (
            Tier(
                "about_to_buy_again",
                _rule(
                    _c("predicted_purchases_30d", "at_least", 0.5),
                    _c("churn_risk", "at_most", 0.2),
                ),
            ),
        ),
        "Expected to buy at least half a purchase in the next 30 days, churn risk 20% or less.",
        "predicted",
    ),
    Template(
        "new_and_promising",
        (
            Tier(
                "new_and_promising",
                _rule(
                    _c("first_order", "within_last_days", 90),
                    _c("predicted_purchases_90d", "at_least", 1),
                ),
            ),
        ),
        "First purchase in the last 90 days, expected to buy again at least once in 90 days.",
        "predicted",
    ),
]
TEMPLATES: dict[str, Template] = {tpl.name: tpl for tpl in _TEMPLATES}


# --- figures ---------------------------------------------------------------------------

STATS_COLUMNS = ["customers", "share_customers", "gmv", "share_gmv", "orders", "aov"]


def _merchant_rows(scope: Scope, merchant_id: str) -> ColumnElement[bool]:
    return and_(_T.c.merchant_id == merchant_id, scope.merchant_filter(_T.c.merchant_id))


def _stats_row(customers: int, gmv: float, orders: int, total_c: int, total_g: float) -> dict:
    return {
        "customers": customers,
        "share_customers": customers / total_c if total_c else None,
        "gmv": gmv,
        "share_gmv": gmv / total_g if total_g else None,
        "orders": orders,
        "aov": gmv / orders if orders else None,
    }


def _sums(where: ColumnElement[bool]) -> list[Any]:
    return [
        func.coalesce(func.sum(case((where, 1), else_=0)), 0),
        func.coalesce(func.sum(case((where, _T.c.gmv), else_=0)), 0),
        func.coalesce(func.sum(case((where, _T.c.orders), else_=0)), 0),
    ]


def segment_stats(
    *, engine: Engine, scope: Scope, merchant_id: str, definition: Mapping[str, Any]
) -> dict[str, Any]:
    """Size of a segment of one merchant's customers: customers, share of the merchant's
    customers, GMV and its share, orders and average order value (segment GMV / orders)."""
    where = compile_rules(definition)
    stmt = select(*_sums(where), *_sums(true())).where(_merchant_rows(scope, merchant_id))
    with engine.connect() as connection:
        c, g, o, tc, tg, _ = connection.execute(stmt).one()
    return _stats_row(int(c), float(g), int(o), int(tc), float(tg))


def _tier_case(tiers: Sequence[Tier]) -> ColumnElement[Any]:
    """The first tier whose rules a customer meets (None: in no tier)."""
    return case(*[(compile_rules(t.definition), literal(t.name)) for t in tiers], else_=None)


def tier_stats(
    *, engine: Engine, scope: Scope, merchant_id: str, tiers: Sequence[Tier]
) -> pd.DataFrame:
    """Per tier (a customer counts in the first tier it meets): the segment figures."""
    if not tiers or len(tiers) > MAX_TIERS:
        raise SegmentError(f"1 to {MAX_TIERS} tiers")
    tier = _tier_case(tiers).label("segment")
    inner = select(tier, _T.c.gmv, _T.c.orders).where(_merchant_rows(scope, merchant_id))
    sub = inner.subquery()
    stmt = select(
        sub.c.segment,
        func.count().label("customers"),
        func.coalesce(func.sum(sub.c.gmv), 0).label("gmv"),
        func.coalesce(func.sum(sub.c.orders), 0).label("orders"),
    ).group_by(sub.c.segment)
    counts = read_frame(engine, stmt)
    total_c = int(counts["customers"].sum()) if not counts.empty else 0
    total_g = float(counts["gmv"].sum()) if not counts.empty else 0.0
    by_name = {row.segment: row for row in counts.itertuples(index=False)}
    rows = []
    for t in tiers:
        row = by_name.get(t.name)
        customers = int(row.customers) if row is not None else 0
        gmv = float(row.gmv) if row is not None else 0.0
        orders = int(row.orders) if row is not None else 0
        rows.append(
            {"segment": t.name, "offer": t.offer}
            | _stats_row(customers, gmv, orders, total_c, total_g)
        )
    return pd.DataFrame(rows, columns=["segment", "offer", *STATS_COLUMNS])


def compare(
    *,
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    definitions: Mapping[str, Mapping[str, Any]],
) -> pd.DataFrame:
    """Up to three segments side by side (they may overlap: each is counted on its own)."""
    if not 1 <= len(definitions) <= MAX_COMPARE:
        raise SegmentError(f"compare 1 to {MAX_COMPARE} segments")
    rows = [
        {"segment": name}
        | segment_stats(engine=engine, scope=scope, merchant_id=merchant_id, definition=d)
        for name, d in definitions.items()
    ]
    return pd.DataFrame(rows, columns=["segment", *STATS_COLUMNS])


MEMBER_COLUMNS = [
    "customer_id",
    "segment",
    "orders",
    "repurchases",
    "gmv",
    "aov",
    "last_order_on",
    "days_since_last_order",
    "channels",
    "is_cloud_user",
    "member_level",
    "rfm_segment",
]


def members(
    *,
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    tiers: Sequence[Tier],
    limit: int | None = None,
) -> pd.DataFrame:
    """The customers in the segment (each in its first tier), by customer id."""
    tier = _tier_case(tiers).label("segment")
    sub = (
        select(
            tier,
            *[_T.c[c] for c in MEMBER_COLUMNS if c != "segment"],
        )
        .where(_merchant_rows(scope, merchant_id))
        .subquery()
    )
    stmt = (
        select(*[sub.c[c] for c in MEMBER_COLUMNS])
        .where(sub.c.segment.is_not(None))
        .order_by(sub.c.customer_id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return read_frame(engine, stmt).reindex(columns=MEMBER_COLUMNS)


def single(definition: Mapping[str, Any], name: str = "segment") -> tuple[Tier, ...]:
    """A definition as the one tier of a segment."""
    return (Tier(name, validate(definition)),)


DISTRIBUTIONS = ("rfm_segment", "repurchases", "last_order", "member_level", "touchpoint_count")


def _bucket(by: str) -> ColumnElement[Any]:
    if by == "repurchases":
        r = _T.c.repurchases
        return case(
            (_T.c.purchase_days == 0, literal("none")),
            (r == 0, literal("0")),
            (r == 1, literal("1")),
            (r <= 5, literal("2-5")),
            else_=literal("6+"),
        )
    if by == "last_order":
        d = _T.c.days_since_last_order
        return case(
            (d.is_(None), literal("never")),
            (d < 30, literal("0-29")),
            (d < 90, literal("30-89")),
            (d < 180, literal("90-179")),
            (d < 365, literal("180-364")),
            else_=literal("365+"),
        )
    if by == "touchpoint_count":
        return _T.c.touchpoint_count
    return func.coalesce(_T.c[by], "")


BUCKET_ORDER = {
    "repurchases": ["none", "0", "1", "2-5", "6+"],
    "last_order": ["0-29", "30-89", "90-179", "180-364", "365+", "never"],
    "rfm_segment": [*RFM_SEGMENT_NAMES, ""],
}


def distribution(
    *, engine: Engine, scope: Scope, merchant_id: str, definition: Mapping[str, Any], by: str
) -> pd.DataFrame:
    """Customers per bucket of `by`, in the segment and among all the merchant's
    customers (columns bucket, segment, all)."""
    if by not in DISTRIBUTIONS:
        raise SegmentError(f"distribution by one of {', '.join(DISTRIBUTIONS)}")
    where = compile_rules(definition)
    bucket = _bucket(by).label("bucket")
    stmt = (
        select(
            bucket,
            func.sum(case((where, 1), else_=0)).label("segment"),
            func.count().label("all"),
        )
        .where(_merchant_rows(scope, merchant_id))
        .group_by(bucket)
    )
    frame = read_frame(engine, stmt)
    frame["bucket"] = frame["bucket"].astype(str)
    order = BUCKET_ORDER.get(by)
    if order is not None:
        frame["rank"] = frame["bucket"].map({b: i for i, b in enumerate(order)})
        frame = frame.sort_values("rank").drop(columns="rank")
    else:
        frame = frame.sort_values("bucket")
    return frame.astype({"segment": int, "all": int}).reset_index(drop=True)


def mask_id(customer_id: object) -> str:
    """A customer id shown without giving it away: the first 3 and last 2 characters."""
    text = str(customer_id)
    if len(text) <= 5:
        return text[:1] + "•" * (len(text) - 1)
    return text[:3] + "•" * (len(text) - 5) + text[-2:]


def as_of(*, engine: Engine, scope: Scope, merchant_id: str) -> Any:
    """The day the merchant's features are counted from (None before any data)."""
    stmt = select(func.max(_T.c.as_of)).where(_merchant_rows(scope, merchant_id))
    with engine.connect() as connection:
        return connection.execute(stmt).scalar_one()


# --- the editor's rows -----------------------------------------------------------------

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


# --- saved segments --------------------------------------------------------------------

_S = table_of(SavedSegment)
_V = table_of(SegmentVersion)


def _may_edit(connection: Any, scope: Scope, merchant_id: str) -> None:
    require(scope, "segment")
    m = table_of(Merchant).c
    found = connection.execute(
        select(m.merchant_id).where(
            m.merchant_id == merchant_id, scope.merchant_filter(m.merchant_id)
        )
    ).first()
    if found is None:
        raise NotAllowed(f"merchant {merchant_id!r} is not in this scope")


@dataclass
class SavedVersion:
    segment_id: int
    version: int


def save_segment(
    *,
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    name: str,
    definition: Mapping[str, Any],
    segment_id: int | None = None,
    now: datetime | None = None,
) -> SavedVersion:
    """Save a new segment, or a new version of `segment_id` (earlier versions are kept)."""
    checked = validate(definition)
    name = name.strip()
    if not name or len(name) > 200:
        raise SegmentError("a segment needs a name of 1 to 200 characters")
    when = now or utcnow().replace(microsecond=0)
    text = json.dumps(checked, ensure_ascii=False, sort_keys=True)
    with engine.begin() as connection:
        _may_edit(connection, scope, merchant_id)
        if segment_id is None:
            segment_id = connection.execute(
                insert(_S)
                .values(
                    merchant_id=merchant_id,
                    name=name,
                    created_at=when,
                    created_by=scope.user,
                    version=1,
                )
                .returning(_S.c.segment_id)
            ).scalar_one()
            version = 1
        else:
            current = connection.execute(
                select(_S.c.version).where(
                    _S.c.segment_id == segment_id, _S.c.merchant_id == merchant_id
                )
            ).scalar_one_or_none()
            if current is None:
                raise SegmentError(f"no segment {segment_id} of merchant {merchant_id}")
            version = int(current) + 1
            connection.execute(
                update(_S).where(_S.c.segment_id == segment_id).values(name=name, version=version)
            )
        connection.execute(
            insert(_V).values(
                segment_id=segment_id,
                version=version,
                name=name,
                definition=text,
                saved_at=when,
                saved_by=scope.user,
            )
        )
    return SavedVersion(int(segment_id), version)


def saved_segments(*, engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    """A merchant's saved segments with their newest definition, newest first."""
    stmt = (
        select(
            _S.c.segment_id,
            _S.c.name,
            _S.c.version,
            _S.c.created_at,
            _V.c.saved_at,
            _V.c.definition,
        )
        .join(_V, and_(_V.c.segment_id == _S.c.segment_id, _V.c.version == _S.c.version))
        .where(_S.c.merchant_id == merchant_id, scope.merchant_filter(_S.c.merchant_id))
        .order_by(_S.c.segment_id.desc())
    )
    return read_frame(engine, stmt)


def segment_history(
    *, engine: Engine, scope: Scope, merchant_id: str, segment_id: int
) -> pd.DataFrame:
    """Every version of one saved segment, newest first."""
    stmt = (
        select(_V.c.version, _V.c.name, _V.c.saved_at, _V.c.saved_by, _V.c.definition)
        .join(_S, _S.c.segment_id == _V.c.segment_id)
        .where(
            _S.c.segment_id == segment_id,
            _S.c.merchant_id == merchant_id,
            scope.merchant_filter(_S.c.merchant_id),
        )
        .order_by(_V.c.version.desc())
    )
    return read_frame(engine, stmt)
