"""Transform: the merchant-day mart, computed in the database engine, incrementally.

`mart_merchant_day` has one row per merchant and calendar day from the merchant's first
to its last day of data (days without orders are zeros, so averages over a window are
honest). The mart is one Ibis expression (`merchant_day`) over the staging tables; the
engine runs it as `INSERT ... SELECT` (`pipelines.engine`), so no row passes through
Python. A partition is a merchant's days from a given day on: a delivery rebuilds each
merchant it touched from the first day it delivered (new buyers and cloud users carry
forward, so the later days follow). Definitions: docs/metrics.md; the design and its
engines: docs/marts.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import partial
from typing import Protocol

import ibis
import ibis.expr.types as ir
from sqlalchemy import Connection, func, select

from models.contract import CHANNELS, PRIVATE_DOMAIN_CHANNELS
from models.schema import (
    MartMerchantDay,
    Order,
    StoreTraffic,
    TouchpointEvent,
    table_of,
)
from pipelines import engine
from pipelines.mart_cohort_windows import rebuild_cohort_windows
from pipelines.mart_connections import rebuild_connections
from pipelines.mart_customers import rebuild_customer_features
from pipelines.mart_day_partitions import as_date, changed_days, day_partitions, moved_events
from pipelines.mart_week_partitions import last_day
from pipelines.memberships import CONNECT, format_events, in_scope

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
MONEY = {"gmv", "refunds", "private_gmv", *(f"gmv_{c}" for c in CHANNELS)}
KEYS = ["merchant_id", "date"]


# --- the mart as relational expressions -----------------------------------------------------


def order_days(orders: ir.Table, history: ir.Table | None = None) -> ir.Table:
    """Per merchant and day: the order sums, buyers, and new vs repeat buyers (a buyer's
    first order from `history`, every order of the merchants, when `orders` are only the
    later days')."""
    buyers = ["merchant_id", "customer_id"]
    identified = orders.filter(orders.customer_id.notnull())
    if history is not None:  # the later days' buyers, their first order in the history
        identified = history.join(identified.select(*buyers).distinct(), buyers)
    first = identified.group_by(buyers).aggregate(first_on=identified.ordered_on.min())
    o = orders.left_join(first, ["merchant_id", "customer_id"])

    def gmv_where(condition: ir.BooleanValue) -> ir.NumericScalar:
        return ibis.ifelse(condition, o.gmv, 0.0).sum()

    return o.group_by(["merchant_id", o.ordered_on.name("date")]).aggregate(
        gmv=o.gmv.sum(),
        refunds=o.refund.sum(),
        orders=o.count(),
        buyers=o.customer_id.nunique(),
        new_buyers=o.customer_id.nunique(where=o.ordered_on == o.first_on),
        repeat_buyers=o.customer_id.nunique(where=o.ordered_on > o.first_on),
        identified_orders=o.count(where=o.customer_id.notnull()),
        anonymous_orders=o.count(where=o.customer_id.isnull()),
        private_gmv=gmv_where(o.channel.isin(PRIVATE_DOMAIN_CHANNELS)),
        **{f"gmv_{channel}": gmv_where(o.channel == channel) for channel in CHANNELS},
    )


def traffic_days(traffic: ir.Table) -> ir.Table:
    """Visitors per merchant-day: the sum of the store rows where there are any, otherwise
    the merchant-level row (so a delivery that sends both is not counted twice)."""
    t = traffic
    per_store = t.store_id != ""
    sums = t.group_by(["merchant_id", "date"]).aggregate(
        store_rows=t.count(where=per_store),
        store_visitors=ibis.ifelse(per_store, t.visitors, 0).sum(),
        store_identified=ibis.ifelse(per_store, t.identified_visitors.fill_null(0), 0).sum(),
        merchant_visitors=ibis.ifelse(per_store, 0, t.visitors).sum(),
        merchant_identified=ibis.ifelse(per_store, 0, t.identified_visitors.fill_null(0)).sum(),
    )
    has_stores = sums.store_rows > 0
    return sums.select(
        "merchant_id",
        "date",
        visitors=ibis.ifelse(has_stores, sums.store_visitors, sums.merchant_visitors),
        identified_visitors=ibis.ifelse(
            has_stores, sums.store_identified, sums.merchant_identified
        ),
    )


def cloud_user_changes(events: ir.Table) -> ir.Table:
    """Net new cloud users per merchant and day (only days where a customer became or
    stopped being one).

    A customer is a cloud user while connected to at least one of the three formats:
    following the mini-program, a contact of a guide on WeCom, or a member of a community.
    Repeated joins count once; a leave without a join changes nothing.
    """
    e = format_events(events)
    e = e.mutate(state=ibis.ifelse(e.action.isin(CONNECT), 1, 0))
    per_format = ibis.window(
        group_by=["merchant_id", "customer_id", "touchpoint"],
        order_by=["occurred_at", "event_id"],
    )
    e = e.mutate(delta=e.state - e.state.lag(default=0).over(per_format))
    e = e.filter(e.delta != 0)
    order = ["occurred_at", "touchpoint", "event_id"]
    so_far = ibis.window(group_by=["merchant_id", "customer_id"], order_by=order, rows=(None, 0))
    e = e.mutate(cloud=ibis.ifelse(e.delta.sum().over(so_far) > 0, 1, 0))
    per_customer = ibis.window(group_by=["merchant_id", "customer_id"], order_by=order)
    e = e.mutate(change=e.cloud - e.cloud.lag(default=0).over(per_customer))
    e = e.filter(e.change != 0)
    return e.group_by(["merchant_id", e.occurred_on.name("date")]).aggregate(
        new_cloud_users=e.change.sum()
    )


def followed_customers(events: ir.Table, partitions: ir.Table) -> ir.Table:
    """The customers of the partitions' merchants rebuilt from a later day whose cloud
    state can change on the partitions' days: those with a join or leave on them."""
    later = partitions.filter(partitions.from_day > engine.ALL_DAYS)
    joins = format_events(in_scope(events, later))
    recent = joins.join(later, "merchant_id").filter(joins.occurred_on >= later.from_day)
    return recent.select("merchant_id", "customer_id").distinct()


def cloud_days(
    events: ir.Table,
    partitions: ir.Table,
    followed: ir.Table,
    before: ir.Table | None = None,
) -> ir.Table:
    """Net new cloud users per merchant and day of the partitions' days (from each
    partition's day on), and on a partition's first day the cloud users `carried` in from
    the days before it (the sum of the changes the mart rows `before` hold there; none
    without them). A customer's changes follow from its whole history, but on the
    partition's days only the `followed` customers' change (`followed_customers`): of a
    merchant rebuilt from a later day, only their events are read; of one rebuilt whole,
    every event."""
    p = partitions
    # <=, not ==: ClickHouse reads 1900-01-01 as a Date32 and writes the literal as a Date,
    # which starts in 1970 (the complement of the later partitions' > either way)
    whole = p.filter(p.from_day <= engine.ALL_DAYS)
    every = events.filter(events.merchant_id.isin(whole.merchant_id))
    theirs = events.join(followed, ["merchant_id", "customer_id"]).select(*events.columns)
    changes = cloud_user_changes(ibis.union(every, theirs))
    kept = changes.join(p, "merchant_id").filter(changes.date >= p.from_day)
    days = kept.select(
        "merchant_id",
        "date",
        new_cloud_users=kept.new_cloud_users.cast("int64"),
        carried=ibis.literal(0, "int64"),
    )
    if before is None:
        return days
    b = before.join(p, [before.merchant_id == p.merchant_id, before.date < p.from_day])
    carried = b.group_by(b.merchant_id).aggregate(
        date=b.from_day.max(), new_cloud_users=ibis.literal(0), carried=b.new_cloud_users.sum()
    )
    rows = ibis.union(days, carried.cast(days.schema()))
    return rows.group_by(KEYS).aggregate(
        new_cloud_users=rows.new_cloud_users.sum(), carried=rows.carried.sum()
    )


def merchant_day(
    orders: ir.Table,
    traffic: ir.Table,
    cloud: ir.Table,
    calendar: ir.Table,
    partitions: ir.Table,
) -> ir.Table:
    """The mart rows of the partitions: every day from a merchant's first to its last day
    of data, from the partition's day on, in MART_COLUMNS order. `cloud`: the partitions'
    days' net new cloud users and the cloud users carried into them (`cloud_days`)."""
    o, t = in_scope(orders, partitions), in_scope(traffic, partitions)
    # Orders, traffic and cloud-user changes of the partitions' days only (a day's sums
    # are its own rows'; a buyer's first order is looked up in its history).
    later = o.join(partitions, "merchant_id").filter(o.ordered_on >= partitions.from_day)
    visits = t.join(partitions, "merchant_id").filter(t.date >= partitions.from_day)
    parts = (
        order_days(later.select(*o.columns), o),
        traffic_days(visits.select(*t.columns)),
        cloud,
    )
    # The spine starts at a partition's day (a later partition of a merchant starts after
    # its first day of data, there may be no data on the day) or the first data day.
    later_parts = partitions.filter(partitions.from_day > engine.ALL_DAYS)
    starts = later_parts.select("merchant_id", date=later_parts.from_day)
    data_days = ibis.union(*(p.select(*KEYS) for p in parts), starts, distinct=True)
    bounds = data_days.group_by("merchant_id").aggregate(
        first_day=data_days.date.min(), last_day=data_days.date.max()
    )
    spine = bounds.join(
        calendar, [calendar.day >= bounds.first_day, calendar.day <= bounds.last_day]
    ).select("merchant_id", date=calendar.day)
    rows = spine
    for part in parts:
        rows = rows.left_join(part, KEYS).drop("merchant_id_right", "date_right")
    zeros = {
        c: rows[c].cast("float64" if c in MONEY else "int64").fill_null(0)
        for c in MART_COLUMNS[2:-1]
    }
    rows = rows.select("merchant_id", "date", **zeros, carried=rows.carried.fill_null(0))
    so_far = ibis.window(group_by="merchant_id", order_by="date", rows=(None, 0))
    change = rows.new_cloud_users + rows.carried
    rows = rows.mutate(cloud_users=change.sum().over(so_far))
    rows = rows.join(partitions, "merchant_id").filter(lambda r: r.date >= r.from_day)
    return rows.select(*MART_COLUMNS)


def step_followed(sources: Mapping[str, ir.Table]) -> ir.Table:
    return followed_customers(sources["touchpoint_events"], sources[engine.PARTITIONS.name])


def step_cloud(sources: Mapping[str, ir.Table]) -> ir.Table:
    p = sources[engine.PARTITIONS.name]
    events = in_scope(sources["touchpoint_events"], p)
    before = sources.get(table_of(MartMerchantDay).name)  # none: no earlier days
    return cloud_days(events, p, sources[FOLLOWED], before)


# The mart runs in steps through work tables (in one statement SQLite's parser overflows):
# the customers whose cloud state to follow -> the days' cloud-user changes -> the rows.
FOLLOWED, CLOUD = "mart_day_followed", "mart_day_cloud"
STEPS: tuple[tuple[str, Callable[[Mapping[str, ir.Table]], ir.Table], tuple[str, ...]], ...] = (
    (FOLLOWED, step_followed, ("merchant_id", "customer_id")),
    (CLOUD, step_cloud, tuple(KEYS)),
)


def build(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The merchant-day mart from tables named as in the database (any Ibis backend),
    the steps' work tables among them or composed into one expression; the cloud users
    carried from the mart's days before a partition's when the mart is among them."""
    composed = dict(sources)
    for name, step, _ in STEPS:
        if name not in composed:
            composed[name] = step(composed)
    return merchant_day(
        composed["orders"],
        composed["store_traffic"],
        composed[CLOUD],
        composed[engine.CALENDAR.name],
        composed[engine.PARTITIONS.name],
    )


# --- partitions and the rebuild -------------------------------------------------------------


def data_span(connection: Connection) -> list[date | None]:
    """The earliest and latest day of the partitions' merchants' orders, traffic and
    events (what the day spine must cover)."""
    p = engine.PARTITIONS.c
    bounds: list[date | None] = []
    for model, column in (
        (Order, "ordered_on"),
        (StoreTraffic, "date"),
        (TouchpointEvent, "occurred_on"),
    ):
        c = table_of(model).c
        lo, hi = connection.execute(
            select(func.min(c[column]), func.max(c[column])).where(
                c.merchant_id.in_(select(p.merchant_id))
            )
        ).one()
        bounds += [None if v is None else as_date(v) for v in (lo, hi)]
    return bounds


def refresh_merchant_days(connection: Connection, partitions: Mapping[str, date]) -> int:
    """Rebuild the mart's partitions (merchant -> first day to rebuild) in the engine;
    returns the number of rows written."""
    engine.set_partitions(connection, partitions)
    if not partitions:
        return 0
    engine.fill_calendar(connection, data_span(connection))
    for name, _, index in STEPS:
        engine.materialize(connection, name, STAGED[name], index)
    mart = table_of(MartMerchantDay)
    engine.clear_partitions(connection, mart, "date")
    return engine.insert_select(connection, mart, staged_merchant_day)


def _staged(steps: int = 0) -> dict[str, ir.Table]:
    """The database's tables and the work tables of the first `steps` steps."""
    tables = (Order, StoreTraffic, TouchpointEvent, MartMerchantDay)
    sources = {t.name: engine.source(t) for t in map(table_of, tables)}
    for work in (engine.CALENDAR, engine.PARTITIONS):
        sources[work.name] = engine.source(work)
    for name, _, index in STEPS[:steps]:
        sources[name] = engine.source(engine.work_table(name, STAGED[name], index))
    return sources


def _staged_step(k: int) -> ir.Table:
    return STEPS[k][1](_staged(k))


STAGED = {name: partial(_staged_step, k) for k, (name, _, _) in enumerate(STEPS)}


def staged_merchant_day() -> ir.Table:
    """The mart over the database's staging and work tables (unbound: compiled to SQL)."""
    return build(_staged(len(STEPS)))


def rebuild_merchant_days(
    connection: Connection,
    merchant_ids: Sequence[str],
    *,
    progress: Callable[[str], None] | None = None,
    since: Mapping[str, date] | None = None,
    whole: Sequence[str] = (),
) -> int:
    """Replace the merchant-day rows of these merchants; returns the rows written. With
    `since` (merchant -> first day a delivery changed), only those days on, of only the
    merchants in it, and every day of the merchants in `whole` (they lost rows the
    delivery moved to another merchant, so no day of theirs was written)."""
    if progress:
        progress(f"marts: merchant days of {len(merchant_ids)} merchants")
    if since is None:
        return refresh_merchant_days(connection, dict.fromkeys(merchant_ids, engine.ALL_DAYS))
    return refresh_merchant_days(connection, day_partitions(connection, merchant_ids, since, whole))


# --- every mart -----------------------------------------------------------------------------


def merchant_days(
    connection: Connection,
    merchant_ids: Sequence[str],
    *,
    progress: Callable[[str], None] | None = None,
    delivery: engine.Delivery | None = None,
) -> int:
    """The merchant-day mart's rebuild: with `delivery`, only the partitions it dirtied
    (`delivery.days`, or `rebuild_merchant_days` finds them); without, every day of these
    merchants."""
    if delivery is not None and delivery.days is not None:
        if progress:
            progress(f"marts: merchant days of {len(merchant_ids)} merchants")
        ids = set(merchant_ids)
        return refresh_merchant_days(connection, {m: d for m, d in delivery.days if m in ids})
    since = None if delivery is None else changed_days(connection, delivery.batch_id)
    whole = () if delivery is None else delivery.whole
    return rebuild_merchant_days(
        connection, merchant_ids, progress=progress, since=since, whole=whole
    )


class MartBuilder(Protocol):
    def __call__(
        self,
        connection: Connection,
        merchant_ids: Sequence[str],
        *,
        progress: Callable[[str], None] | None = None,
        delivery: engine.Delivery | None = None,
    ) -> int: ...


# Every mart, in build order (a mart may read the ones before it). An area of the product
# adds its mart here: a function that rebuilds, inside the caller's transaction, the rows of
# the given merchants that `delivery` changed (all of them without one) and returns the
# rows written.
MARTS: tuple[tuple[str, MartBuilder], ...] = (
    ("mart_merchant_day", merchant_days),
    ("mart_connections", rebuild_connections),
    ("mart_customer_features", rebuild_customer_features),
    ("mart_cohort_windows", rebuild_cohort_windows),
)


def rebuild(
    connection: Connection,
    merchant_ids: Sequence[str],
    *,
    progress: Callable[[str], None] | None = None,
    batch_id: int | None = None,
    whole: Sequence[str] = (),
) -> dict[str, int]:
    """Rebuild every mart for these merchants; returns the rows written per mart. With
    `batch_id` (the delivery just loaded) each mart rebuilds only the partitions the
    delivery changed; without it, everything."""
    delivery = None
    if batch_id is not None:
        # the partitions, found before any mart changes (the moved-orders check reads the
        # merchant-day mart as it was; the connections mart rebuilds from their weeks)
        since = changed_days(connection, batch_id)
        moved = [*whole, *moved_events(connection, batch_id)]
        days = day_partitions(connection, merchant_ids, since, moved)
        delivery = engine.Delivery(
            batch_id, tuple(whole), last_day(connection), tuple(sorted(days.items()))
        )
    return {
        name: builder(connection, merchant_ids, progress=progress, delivery=delivery)
        for name, builder in MARTS
    }
