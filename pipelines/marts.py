"""Transform: rebuild the marts the pages read, from staging, for the merchants a delivery
touched.

`mart_merchant_day` has one row per merchant and calendar day from the merchant's first
to its last day of data (days without orders are zeros, so averages over a window are
honest). The order and traffic sums run in SQL; the pandas steps here only assemble
small per-day frames and follow each customer's connected / disconnected state, and they
are pure functions with tests on tiny frames. Definitions: docs/metrics.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Protocol

import pandas as pd
from sqlalchemy import Connection, and_, case, delete, distinct, func, insert, select

from models.contract import CHANNELS, PRIVATE_DOMAIN_CHANNELS
from models.db import read_frame
from models.schema import MartMerchantDay, Order, StoreTraffic, TouchpointEvent, table_of
from pipelines.bulk import write_frame

MERCHANTS_PER_PASS = 25

# Joining a private-domain format makes a customer a cloud user; leaving it undoes that.
CLOUD_FORMATS = ("mini_program", "wecom_guide", "community")
CONNECT = ("follow", "add_contact", "join_group")
DISCONNECT = ("unfollow", "remove_contact", "leave_group")

ORDER_COLUMNS = [
    "gmv",
    "refunds",
    "orders",
    "buyers",
    "new_buyers",
    "repeat_buyers",
    "identified_orders",
    "anonymous_orders",
    "private_gmv",
    *[f"gmv_{c}" for c in CHANNELS],
]
TRAFFIC_COLUMNS = ["visitors", "identified_visitors"]
MART_COLUMNS = [
    "merchant_id",
    "date",
    *ORDER_COLUMNS,
    *TRAFFIC_COLUMNS,
    "new_cloud_users",
    "cloud_users",
]


# --- SQL ----------------------------------------------------------------------------------


def order_days(connection: Connection, merchant_ids: Sequence[str]) -> pd.DataFrame:
    """Per merchant and day: the order sums, buyers, and new vs repeat buyers."""
    o = Order.__table__.c
    first = (
        select(o.merchant_id, o.customer_id, func.min(o.ordered_on).label("first_on"))
        .where(o.merchant_id.in_(merchant_ids), o.customer_id.is_not(None))
        .group_by(o.merchant_id, o.customer_id)
        .subquery()
    )
    joined = Order.__table__.outerjoin(
        first, and_(first.c.merchant_id == o.merchant_id, first.c.customer_id == o.customer_id)
    )
    stmt = (
        select(
            o.merchant_id,
            o.ordered_on.label("date"),
            func.sum(o.gmv).label("gmv"),
            func.sum(o.refund).label("refunds"),
            func.count().label("orders"),
            func.count(distinct(o.customer_id)).label("buyers"),
            func.count(distinct(case((o.ordered_on == first.c.first_on, o.customer_id)))).label(
                "new_buyers"
            ),
            func.count(distinct(case((o.ordered_on > first.c.first_on, o.customer_id)))).label(
                "repeat_buyers"
            ),
            func.sum(case((o.customer_id.is_not(None), 1), else_=0)).label("identified_orders"),
            func.sum(case((o.customer_id.is_(None), 1), else_=0)).label("anonymous_orders"),
            func.sum(case((o.channel.in_(PRIVATE_DOMAIN_CHANNELS), o.gmv), else_=0)).label(
                "private_gmv"
            ),
            *[
                func.sum(case((o.channel == channel, o.gmv), else_=0)).label(f"gmv_{channel}")
                for channel in CHANNELS
            ],
        )
        .select_from(joined)
        .where(o.merchant_id.in_(merchant_ids))
        .group_by(o.merchant_id, o.ordered_on)
    )
    return read_frame(connection, stmt)


def traffic_days(connection: Connection, merchant_ids: Sequence[str]) -> pd.DataFrame:
    """Per merchant and day: visitors from store rows, and from merchant-level rows."""
    t = StoreTraffic.__table__.c
    per_store = t.store_id != ""
    stmt = (
        select(
            t.merchant_id,
            t.date,
            func.sum(case((per_store, 1), else_=0)).label("store_rows"),
            func.sum(case((per_store, t.visitors), else_=0)).label("store_visitors"),
            func.sum(case((per_store, func.coalesce(t.identified_visitors, 0)), else_=0)).label(
                "store_identified"
            ),
            func.sum(case((~per_store, t.visitors), else_=0)).label("merchant_visitors"),
            func.sum(case((~per_store, func.coalesce(t.identified_visitors, 0)), else_=0)).label(
                "merchant_identified"
            ),
        )
        .where(t.merchant_id.in_(merchant_ids))
        .group_by(t.merchant_id, t.date)
    )
    return read_frame(connection, stmt)


def membership_events(connection: Connection, merchant_ids: Sequence[str]) -> pd.DataFrame:
    """Joins and leaves on the three private-domain formats."""
    e = TouchpointEvent.__table__.c
    stmt = select(
        e.merchant_id, e.customer_id, e.touchpoint, e.action, e.occurred_at, e.occurred_on
    ).where(
        e.merchant_id.in_(merchant_ids),
        e.touchpoint.in_(CLOUD_FORMATS),
        e.action.in_(CONNECT + DISCONNECT),
    )
    return read_frame(connection, stmt)


# --- pure transforms ------------------------------------------------------------------------


def traffic_visitors(traffic: pd.DataFrame) -> pd.DataFrame:
    """Visitors per merchant-day: the sum of the store rows where there are any, otherwise
    the merchant-level row (so a delivery that sends both is not counted twice)."""
    if traffic.empty:
        return pd.DataFrame(columns=["merchant_id", "date", *TRAFFIC_COLUMNS])
    has_stores = traffic["store_rows"] > 0
    return pd.DataFrame(
        {
            "merchant_id": traffic["merchant_id"],
            "date": traffic["date"],
            "visitors": traffic["store_visitors"].where(has_stores, traffic["merchant_visitors"]),
            "identified_visitors": traffic["store_identified"].where(
                has_stores, traffic["merchant_identified"]
            ),
        }
    )


def cloud_user_changes(events: pd.DataFrame) -> pd.DataFrame:
    """Net new cloud users per merchant and day.

    A customer is a cloud user while connected to at least one of the three formats:
    following the mini-program, a contact of a guide on WeCom, or a member of a community.
    Repeated joins count once; a leave without a join changes nothing.
    """
    columns = ["merchant_id", "date", "new_cloud_users"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    ev = events.sort_values(
        ["merchant_id", "customer_id", "touchpoint", "occurred_at"], kind="stable"
    ).copy()
    ev["state"] = ev["action"].isin(CONNECT).astype(int)
    per_format = ev.groupby(["merchant_id", "customer_id", "touchpoint"], sort=False)["state"]
    ev["delta"] = ev["state"] - per_format.shift(fill_value=0)
    ev = ev[ev["delta"] != 0].sort_values(
        ["merchant_id", "customer_id", "occurred_at"], kind="stable"
    )
    ev["connected"] = ev.groupby(["merchant_id", "customer_id"], sort=False)["delta"].cumsum()
    ev["cloud"] = (ev["connected"] > 0).astype(int)
    ev["change"] = ev["cloud"] - ev.groupby(["merchant_id", "customer_id"], sort=False)[
        "cloud"
    ].shift(fill_value=0)
    changes = ev[ev["change"] != 0]
    out = (
        changes.groupby(["merchant_id", "occurred_on"], as_index=False)["change"]
        .sum()
        .rename(columns={"occurred_on": "date", "change": "new_cloud_users"})
    )
    return out[columns]


def merchant_days(orders: pd.DataFrame, traffic: pd.DataFrame, cloud: pd.DataFrame) -> pd.DataFrame:
    """Assemble the mart rows: every day from a merchant's first to its last day of data."""
    keys = ["merchant_id", "date"]
    parts = [f for f in (orders, traffic, cloud) if not f.empty]
    if not parts:
        return pd.DataFrame(columns=MART_COLUMNS)
    merged = parts[0]
    for part in parts[1:]:
        merged = merged.merge(part, on=keys, how="outer")
    merged["date"] = pd.to_datetime(merged["date"])
    frames = []
    for merchant_id, rows in merged.groupby("merchant_id", sort=True):
        spine = pd.date_range(rows["date"].min(), rows["date"].max(), freq="D")
        day = rows.set_index("date").reindex(spine)
        day.index.name = "date"
        day["merchant_id"] = merchant_id
        frames.append(day.reset_index())
    out = pd.concat(frames, ignore_index=True).reindex(columns=MART_COLUMNS)
    numeric = [c for c in MART_COLUMNS if c not in keys]
    out[numeric] = out[numeric].apply(pd.to_numeric, errors="coerce").fillna(0)
    out["cloud_users"] = out.groupby("merchant_id")["new_cloud_users"].cumsum()
    counts = [c for c in numeric if not c.startswith("gmv") and c not in ("refunds", "private_gmv")]
    out[counts] = out[counts].astype("int64")
    out["date"] = out["date"].dt.date
    return out


# --- rebuild ------------------------------------------------------------------------------


def rebuild_merchant_days(
    connection: Connection,
    merchant_ids: Sequence[str],
    *,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Replace the merchant-day rows of these merchants with rows rebuilt from staging;
    returns the number of rows written."""
    mart = table_of(MartMerchantDay)
    written = 0
    ids = list(merchant_ids)
    for start in range(0, len(ids), MERCHANTS_PER_PASS):
        batch = ids[start : start + MERCHANTS_PER_PASS]
        if progress:
            progress(f"marts: merchants {start + 1}–{start + len(batch)} of {len(ids)}")
        rows = merchant_days(
            order_days(connection, batch),
            traffic_visitors(traffic_days(connection, batch)),
            cloud_user_changes(membership_events(connection, batch)),
        )
        connection.execute(delete(mart).where(mart.c.merchant_id.in_(batch)))
        write_frame(connection, insert(mart), rows)
        written += len(rows)
    return written


# --- every mart -----------------------------------------------------------------------------


class MartBuilder(Protocol):
    def __call__(
        self,
        connection: Connection,
        merchant_ids: Sequence[str],
        *,
        progress: Callable[[str], None] | None = None,
    ) -> int: ...


# Every mart, in build order (a mart may read the ones before it): name -> "module:function".
# An area of the product adds its mart here; the function rebuilds the rows of the given
# merchants from staging inside the caller's transaction and returns the rows written.
BUILDERS: dict[str, str] = {
    "mart_merchant_day": "pipelines.marts:rebuild_merchant_days",
    "mart_connections": "pipelines.mart_connections:rebuild_connections",
    "mart_customer_features": "pipelines.mart_customers:rebuild_customer_features",
}


def _builder(target: str) -> MartBuilder:
    module, function = target.split(":")
    builder: MartBuilder = getattr(importlib.import_module(module), function)
    return builder


def rebuild(
    connection: Connection,
    merchant_ids: Sequence[str],
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Rebuild every mart for these merchants; returns the rows written per mart."""
    return {
        name: _builder(target)(connection, merchant_ids, progress=progress)
        for name, target in BUILDERS.items()
    }
