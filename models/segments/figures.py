"""Segment figures on the customer features mart, scoped: a segment's customers and GMV,
tiers side by side, comparisons, members, distributions, and the day they count from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, case, func, literal, select, true

from models.db import read_frame
from models.schema import table_of
from models.schema_segments import MartCustomerFeatures
from models.scope import Scope
from models.segments.conditions import compile_rules
from models.segments.rules import MAX_COMPARE, MAX_TIERS, RFM_SEGMENT_NAMES, SegmentError
from models.segments.templates import Tier

_T = table_of(MartCustomerFeatures)
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


def as_of(*, engine: Engine, scope: Scope, merchant_id: str) -> Any:
    """The day the merchant's features are counted from (None before any data)."""
    stmt = select(func.max(_T.c.as_of)).where(_merchant_rows(scope, merchant_id))
    with engine.connect() as connection:
        return connection.execute(stmt).scalar_one()
