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
from datetime import date, timedelta
from typing import Protocol

import ibis
import ibis.expr.types as ir
from sqlalchemy import Connection, func, select, union_all

from models.contract import CHANNELS, PRIVATE_DOMAIN_CHANNELS
from models.schema import (
    LoadFile,
    MartMerchantDay,
    Order,
    StoreTraffic,
    TouchpointEvent,
    table_of,
)
from pipelines import engine
from pipelines.mart_cohort_windows import rebuild_cohort_windows
from pipelines.mart_connections import last_day, rebuild_connections
from pipelines.mart_customers import rebuild_customer_features
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


def merchant_day(
    orders: ir.Table,
    traffic: ir.Table,
    events: ir.Table,
    calendar: ir.Table,
    partitions: ir.Table,
) -> ir.Table:
    """The mart rows of the partitions: every day from a merchant's first to its last day
    of data, from the partition's day on, in MART_COLUMNS order."""
    o, t = in_scope(orders, partitions), in_scope(traffic, partitions)
    # Orders and traffic of the partitions' days only (a day's sums are its own rows'); the
    # running sum of cloud users reads every event.
    later = o.join(partitions, "merchant_id").filter(o.ordered_on >= partitions.from_day)
    visits = t.join(partitions, "merchant_id").filter(t.date >= partitions.from_day)
    parts = (
        order_days(later.select(*o.columns), o),
        traffic_days(visits.select(*t.columns)),
        cloud_user_changes(in_scope(events, partitions)),
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
    rows = rows.select("merchant_id", "date", **zeros)
    so_far = ibis.window(group_by="merchant_id", order_by="date", rows=(None, 0))
    rows = rows.mutate(cloud_users=rows.new_cloud_users.sum().over(so_far))
    rows = rows.join(partitions, "merchant_id").filter(lambda r: r.date >= r.from_day)
    return rows.select(*MART_COLUMNS)


def build(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The merchant-day mart from tables named as in the database (any Ibis backend)."""
    return merchant_day(
        sources["orders"],
        sources["store_traffic"],
        sources["touchpoint_events"],
        sources[engine.CALENDAR.name],
        sources[engine.PARTITIONS.name],
    )


# --- partitions and the rebuild -------------------------------------------------------------


def changed_days(connection: Connection, batch_id: int) -> dict[str, date]:
    """Per merchant: the first day of the orders, traffic and events delivery `batch_id`
    wrote (the partitions it dirtied)."""
    o, t, e = (table_of(m).c for m in (Order, StoreTraffic, TouchpointEvent))
    days = union_all(
        select(o.merchant_id, o.ordered_on.label("day")).where(o.batch_id == batch_id),
        select(t.merchant_id, t.date.label("day")).where(t.batch_id == batch_id),
        select(e.merchant_id, e.occurred_on.label("day")).where(e.batch_id == batch_id),
    ).subquery()
    first = select(days.c.merchant_id, func.min(days.c.day)).group_by(days.c.merchant_id)
    return {m: _as_date(d) for m, d in connection.execute(first)}


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def moved_orders(connection: Connection, partitions: Mapping[str, date]) -> set[str]:
    """Merchants whose mart, before their partition's day, no longer counts their orders
    (an order re-delivered with another, later day): those rebuild from the start."""
    if not partitions:
        return set()
    engine.set_partitions(connection, partitions)
    p, o, d = engine.PARTITIONS.c, table_of(Order).c, table_of(MartMerchantDay).c
    staged = (
        select(o.merchant_id, func.count().label("n"))
        .join(engine.PARTITIONS, (p.merchant_id == o.merchant_id) & (o.ordered_on < p.from_day))
        .group_by(o.merchant_id)
        .subquery()
    )
    marted = (
        select(d.merchant_id, func.sum(d.orders).label("n"))
        .join(engine.PARTITIONS, (p.merchant_id == d.merchant_id) & (d.date < p.from_day))
        .group_by(d.merchant_id)
        .subquery()
    )
    check = (
        select(p.merchant_id)
        .outerjoin(staged, staged.c.merchant_id == p.merchant_id)
        .outerjoin(marted, marted.c.merchant_id == p.merchant_id)
        .where(func.coalesce(staged.c.n, 0) != func.coalesce(marted.c.n, 0))
    )
    return set(connection.execute(check).scalars())


def moved_events(connection: Connection, batch_id: int) -> list[str]:
    """The merchants delivery `batch_id` wrote touchpoint events for, when it replaced
    events delivered before: a replaced event may have moved to a later day, which leaves
    the days (and connection weeks) before its new day wrong, so those merchants rebuild
    every day."""
    files, e = table_of(LoadFile).c, table_of(TouchpointEvent).c
    replaced = select(files.file_id).where(
        files.batch_id == batch_id,
        files.entity == table_of(TouchpointEvent).name,
        files.rows_replaced > 0,
    )
    if connection.execute(replaced.limit(1)).first() is None:
        return []
    wrote = select(e.merchant_id).where(e.batch_id == batch_id).distinct()
    return list(connection.execute(wrote).scalars())


def gap_days(connection: Connection, partitions: Mapping[str, date]) -> dict[str, date]:
    """The partitions, each starting no later than the day after the merchant's last mart
    day: a delivery of later days also fills the days between with zeros."""
    d = table_of(MartMerchantDay).c
    last = (
        select(d.merchant_id, func.max(d.date))
        .where(d.merchant_id.in_(list(partitions)))
        .group_by(d.merchant_id)
    )
    out = dict(partitions)
    for merchant, day in connection.execute(last):
        out[merchant] = min(out[merchant], _as_date(day) + timedelta(days=1))
    return out


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
        bounds += [None if v is None else _as_date(v) for v in (lo, hi)]
    return bounds


def refresh_merchant_days(connection: Connection, partitions: Mapping[str, date]) -> int:
    """Rebuild the mart's partitions (merchant -> first day to rebuild) in the engine;
    returns the number of rows written."""
    engine.set_partitions(connection, partitions)
    if not partitions:
        return 0
    engine.fill_calendar(connection, data_span(connection))
    mart = table_of(MartMerchantDay)
    engine.clear_partitions(connection, mart, "date")
    return engine.insert_select(connection, mart, staged_merchant_day)


def staged_merchant_day() -> ir.Table:
    """The mart over the database's staging and work tables (unbound: compiled to SQL)."""
    tables = (Order, StoreTraffic, TouchpointEvent)
    sources = {t.name: engine.source(t) for t in map(table_of, tables)}
    for work in (engine.CALENDAR, engine.PARTITIONS):
        sources[work.name] = engine.source(work)
    return build(sources)


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


def day_partitions(
    connection: Connection,
    merchant_ids: Sequence[str],
    since: Mapping[str, date],
    whole: Sequence[str] = (),
) -> dict[str, date]:
    """The partitions (merchant -> first day) a delivery that wrote from the days `since`
    dirtied: each from its first day (or the day after its last mart day, if earlier),
    every day of a merchant that lost rows or whose mart counts orders that moved."""
    # Only orders, traffic and events feed this mart: a merchant without any in the
    # delivery keeps its rows.
    dirty = gap_days(connection, {m: since[m] for m in merchant_ids if m in since})
    moved = moved_orders(connection, dirty) | set(whole)
    dirty |= {m: engine.ALL_DAYS for m in whole if m in merchant_ids}
    return {m: engine.ALL_DAYS if m in moved else d for m, d in dirty.items()}


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
