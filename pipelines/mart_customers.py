"""Transform: the customer features mart (`mart_customer_features`), one row per merchant
and customer, computed in the database engine.

The mart is one Ibis expression (`customer_features`) over the staging tables, executed
as `INSERT ... SELECT` (`pipelines.engine`), so no row passes through Python. Its
partition is the merchant: every row of a merchant is as of the merchant's latest data day
and its R and M scores rank the customer among the merchant's buyers, so a change to any
of a merchant's orders, customers or touchpoint events moves every one of its rows. A
delivery rebuilds only the merchants it wrote such rows for. Definitions: docs/segments.md;
the engines: docs/marts.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    String,
    Table,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    union,
    update,
)

from models.contract import CHANNELS
from models.schema import Customer, LoadFile, Order, TouchpointEvent, table_of
from models.schema_segments import MartCustomerFeatures
from pipelines import engine
from pipelines.customer_scores import SCORES, rfm, rfm_scores
from pipelines.memberships import CONNECT, format_events, in_scope, latest

FORMAT_COLUMNS = {
    "mini_program": "is_fan",
    "wecom_guide": "is_guide_contact",
    "community": "is_community_member",
}
MART_COLUMNS = [c.name for c in table_of(MartCustomerFeatures).columns]
KEYS = ["merchant_id", "customer_id"]
STAGING = (Customer, Order, TouchpointEvent)
NEVER = date(9999, 12, 31)  # "no such day" inside the earliest-of-three-days comparison


# --- the mart as relational expressions -----------------------------------------------------


def order_sums(orders: ir.Table) -> ir.Table:
    """Per merchant and identified customer: order counts, money, dates and channels.

    A purchase is an order not wholly refunded (no refund, or a refund below its GMV: a
    free order is a purchase); purchase days count the distinct days with a purchase, so
    several orders on one day are one purchase."""
    o = orders.filter(orders.customer_id.notnull())
    bought = (o.refund <= 0) | (o.refund < o.gmv)
    return o.group_by(KEYS).aggregate(
        orders=o.count(),
        purchase_days=o.ordered_on.nunique(where=bought),
        gmv=o.gmv.sum(),
        refunds=o.refund.sum(),
        first_order_on=o.ordered_on.min(where=bought),
        last_order_on=o.ordered_on.max(where=bought),
        **{f"ch_{ch}": ibis.ifelse(o.channel == ch, 1, 0).max() for ch in CHANNELS},
    )


def assigned(orders: ir.Table, column: str) -> ir.Table:
    """The store (or guide) of most of a customer's orders (ties: the latest order, then
    the larger id)."""
    o = orders.filter(orders.customer_id.notnull(), orders[column].notnull())
    places = o.group_by([*KEYS, column]).aggregate(n=o.count(), newest=o.ordered_at.max())
    return latest(places, KEYS, ["n", "newest", column]).select(*KEYS, column)


def assigned_places(orders: ir.Table) -> tuple[ir.Table, ir.Table]:
    """Per customer: the assigned store (store_id) and guide (order_guide_id)."""
    guides = assigned(orders, "guide_id").rename(order_guide_id="guide_id")
    return assigned(orders, "store_id"), guides


def memberships(events: ir.Table) -> ir.Table:
    """Per customer: connected now (after its last join or leave) to each format."""
    last = latest(events, [*KEYS, "touchpoint"], ["occurred_at", "event_id"])
    on = last.action.isin(CONNECT)
    return last.group_by(KEYS).aggregate(
        **{
            column: ibis.ifelse(on & (last.touchpoint == fmt), 1, 0).max()
            for fmt, column in FORMAT_COLUMNS.items()
        },
        first_event_on=last.first_on.min(),
    )


def contact_guides(events: ir.Table) -> ir.Table:
    """Per customer: the guide of its latest WeCom contact."""
    contacts = events.filter(
        events.touchpoint == "wecom_guide",
        events.action == "add_contact",
        events.guide_id.notnull(),
    )
    return latest(contacts, KEYS, ["occurred_at", "event_id"]).select(
        *KEYS, contact_guide_id="guide_id"
    )


def as_of_days(orders: ir.Table, events: ir.Table) -> ir.Table:
    """Per merchant: its latest order or touchpoint event day (of any kind)."""
    days = ibis.union(
        orders.select("merchant_id", day=orders.ordered_on),
        events.select("merchant_id", day=events.occurred_on),
    )
    return days.group_by("merchant_id").aggregate(as_of=days.day.max())


def customer_rows(
    customers: ir.Table,
    orders: ir.Table,
    events: ir.Table,
    partitions: ir.Table,
    places: tuple[ir.Table, ir.Table] | None = None,
    as_of: ir.Table | None = None,
) -> ir.Table:
    """The mart rows of the partitions' merchants before their RFM scores (docs/segments.md
    for each column). Every customer staging knows (delivered, ordering or joining a
    format) of a merchant with dated data. `as_of` (merchant_id, as_of): the merchants'
    latest data days, when the inputs are only some of their customers'."""
    customers, orders, events = (in_scope(t, partitions) for t in (customers, orders, events))
    joins = format_events(events)
    ids = ibis.union(
        customers.select(*KEYS),
        orders.filter(orders.customer_id.notnull()).select(*KEYS),
        joins.select(*KEYS),
        distinct=True,
    )
    first_on = ibis.window(group_by=[*KEYS, "touchpoint"])
    joins = joins.mutate(first_on=joins.occurred_on.min().over(first_on))
    parts = [
        customers.select(*KEYS, "first_seen_on", "member_level"),
        order_sums(orders),
        memberships(joins),
        contact_guides(joins),
        *(places or assigned_places(orders)),
    ]
    rows = ids
    for part in parts:
        rows = rows.left_join(
            part, [ids.merchant_id == part.merchant_id, ids.customer_id == part.customer_id]
        )
    as_of = as_of_days(orders, events) if as_of is None else as_of
    rows = rows.join(as_of, ids.merchant_id == as_of.merchant_id)  # no dated data: no rows
    rows = rows.select(
        ids.merchant_id,
        ids.customer_id,
        as_of.as_of,
        *(part[c] for part in parts for c in part.columns if c not in KEYS),
    )

    r = rows
    orders_n = r.orders.fill_null(0)
    purchase_days = r.purchase_days.fill_null(0)
    gmv = r.gmv.fill_null(0.0)
    flags = {f"ch_{ch}": r[f"ch_{ch}"].fill_null(0) == 1 for ch in CHANNELS}
    formats = {c: r[c].fill_null(0) == 1 for c in FORMAT_COLUMNS.values()}
    known = ibis.least(*(r[c].fill_null(NEVER) for c in ("first_seen_on", "first_order_on")))
    known = ibis.least(known, r.first_event_on.fill_null(NEVER))
    channels = ibis.literal("")
    for ch in CHANNELS:
        channels = channels + ibis.ifelse(flags[f"ch_{ch}"], f", {ch}", "")
    count = sum((ibis.ifelse(f, 1, 0) for f in flags.values()), ibis.literal(0))
    touchpoints = sum((ibis.ifelse(f, 1, 0) for f in formats.values()), ibis.literal(0))
    rows = r.select(
        *KEYS,
        "as_of",
        "first_seen_on",
        "first_order_on",
        "last_order_on",
        orders=orders_n.cast("int64"),
        purchase_days=purchase_days.cast("int64"),
        repurchases=ibis.greatest(purchase_days - 1, 0).cast("int64"),
        gmv=gmv.cast("float64"),
        refunds=r.refunds.fill_null(0.0).cast("float64"),
        aov=(gmv / ibis.ifelse(orders_n > 0, orders_n, ibis.null("int64"))).round(2),
        days_since_last_order=r.as_of.delta(r.last_order_on, unit="day"),
        days_since_first_order=r.as_of.delta(r.first_order_on, unit="day"),
        tenure_days=ibis.ifelse(
            known == NEVER, 0, ibis.greatest(r.as_of.delta(known, unit="day"), 0)
        ).cast("int64"),
        channels=channels.substr(2),
        channel_count=count.cast("int64"),
        **flags,
        **formats,
        is_cloud_user=touchpoints > 0,
        touchpoint_count=touchpoints.cast("int64"),
        guide_id=r.contact_guide_id.fill_null(r.order_guide_id),
        store_id=r.store_id,
        member_level=r.member_level,
    )
    return rows


def customer_features(
    customers: ir.Table, orders: ir.Table, events: ir.Table, partitions: ir.Table
) -> ir.Table:
    """The mart rows of the partitions' merchants, in MART_COLUMNS order."""
    return rfm(customer_rows(customers, orders, events, partitions)).select(*MART_COLUMNS)


def build(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The customer-features mart from tables named as in the database (any backend)."""
    return customer_features(
        sources["customers"],
        sources["orders"],
        sources["touchpoint_events"],
        sources[engine.PARTITIONS.name],
    )


STORES, GUIDES = "mart_customer_stores", "mart_customer_guides"
ROWS = "mart_customer_rows"


def _staged() -> dict[str, ir.Table]:
    sources = {t.name: engine.source(t) for t in map(table_of, STAGING)}
    sources[engine.PARTITIONS.name] = engine.source(engine.PARTITIONS)
    return sources


def _scoped_orders() -> ir.Table:
    sources = _staged()
    return in_scope(sources["orders"], sources[engine.PARTITIONS.name])


def staged_stores() -> ir.Table:
    return assigned_places(_scoped_orders())[0]


def staged_guides() -> ir.Table:
    return assigned_places(_scoped_orders())[1]


def staged_rows() -> ir.Table:
    """The rows before their scores, over the database's staging and work tables. The
    assigned stores and guides are work tables the step before wrote (SQLite would
    otherwise scan them once per customer)."""
    s = _staged()
    places = tuple(
        engine.source(engine.work_table(name, build, tuple(KEYS)))
        for name, build in ((STORES, staged_stores), (GUIDES, staged_guides))
    )
    assert len(places) == 2
    return customer_rows(
        s["customers"], s["orders"], s["touchpoint_events"], s[engine.PARTITIONS.name], places
    )


def staged_customer_features() -> ir.Table:
    """The mart from the rows of the step before (unbound: compiled to SQL)."""
    rows = engine.source(engine.work_table(ROWS, staged_rows, tuple(KEYS)))
    return rfm(rows).select(*MART_COLUMNS)


# A delivery that leaves a merchant's latest data day where it was changes only the rows of
# the customers it wrote rows for (and the R and M scores of every buyer, which rank them):
# those rows are rebuilt from staging, the others' kept from the mart, and every row scored.
CHANGED = Table(
    "mart_customer_changed",
    MetaData(),
    Column("merchant_id", String(64), primary_key=True),
    Column("customer_id", String(64), primary_key=True),
    prefixes=["TEMPORARY"],
)
SCORED = "mart_customer_scores"


def changed_rows(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The changed customers' rows before their scores, from staging, as of the latest data
    day the mart's rows have (`keeps_customers` made sure staging's is the same)."""
    parts, changed = sources[engine.PARTITIONS.name], sources[CHANGED.name]
    mart = in_scope(sources[table_of(MartCustomerFeatures).name], parts)
    as_of = mart.group_by("merchant_id").aggregate(as_of=mart.as_of.max())
    # joined to the staging tables themselves, not semi-joined: the engine looks the few
    # changed customers' rows up by key (a semi-join probed once a row of the merchant)
    c, o, e = (
        sources[t.name].join(changed, KEYS).select(*sources[t.name].columns)
        for t in map(table_of, STAGING)
    )
    return customer_rows(c, o, e, parts, as_of=as_of)


def staged_changed_rows() -> ir.Table:
    sources = _staged()
    for table in (CHANGED, table_of(MartCustomerFeatures)):
        sources[table.name] = engine.source(table)
    return changed_rows(sources)


def staged_scores() -> ir.Table:
    """The scores of every row the mart holds of the partitions' merchants."""
    mart = engine.source(table_of(MartCustomerFeatures))
    return rfm_scores(in_scope(mart, engine.source(engine.PARTITIONS)))


def rescore(connection: Connection) -> int:
    """Write the scores of the partitions' merchants' rows where they changed (a changed
    customer's rank moves another buyer's score only across a quintile's edge); returns
    the rows rescored."""
    engine.materialize(connection, SCORED, staged_scores, tuple(KEYS))
    f, s = table_of(MartCustomerFeatures), engine.work_table(SCORED, staged_scores, tuple(KEYS))
    moved = or_(*(f.c[c].is_distinct_from(s.c[c]) for c in SCORES))
    result = connection.execute(
        update(f)
        .values({c: s.c[c] for c in SCORES})
        .where(f.c.merchant_id == s.c.merchant_id, f.c.customer_id == s.c.customer_id, moved)
    )
    return int(result.rowcount or 0)


CHANGED_ROWS = "mart_customer_changed_rows"


def staged_changed_kept() -> ir.Table:
    return engine.source(engine.work_table(CHANGED_ROWS, staged_changed_rows, tuple(KEYS)))


def replace_changed(connection: Connection) -> int:
    """Replace the changed customers' rows of the partitions' merchants (rebuilt from
    staging into a work table first: they read the mart's latest data day; scored
    afterwards by `rescore`); returns the rows written."""
    engine.materialize(connection, CHANGED_ROWS, staged_changed_rows, tuple(KEYS))
    f, ch = table_of(MartCustomerFeatures), CHANGED.c
    pair = (ch.merchant_id == f.c.merchant_id) & (ch.customer_id == f.c.customer_id)
    connection.execute(
        delete(f).where(
            f.c.merchant_id.in_(select(engine.PARTITIONS.c.merchant_id)),
            exists(select(ch.merchant_id).where(pair)),
        )
    )
    return engine.insert_select(connection, f, staged_changed_kept)


def set_changed(connection: Connection, batch_id: int) -> None:
    """Fill the work table of changed customers: those of the partitions' merchants that
    delivery `batch_id` wrote customers, orders or touchpoint events of."""
    CHANGED.create(connection, checkfirst=True)
    connection.execute(delete(CHANGED))
    merchants = select(engine.PARTITIONS.c.merchant_id)
    wrote = union(
        *(
            select(t.c.merchant_id, t.c.customer_id).where(
                t.c.batch_id == batch_id,
                t.c.customer_id.is_not(None),
                t.c.merchant_id.in_(merchants),
            )
            for t in map(table_of, STAGING)
        )
    )
    connection.execute(insert(CHANGED).from_select(["merchant_id", "customer_id"], wrote))


def keeps_customers(connection: Connection, batch_id: int) -> list[str]:
    """Of the partitions' merchants (the changed customers set), those whose unchanged
    customers keep their rows: the mart has rows of theirs as of the latest data day staging
    has now, counts every identified order staging holds for them (an order moved to
    another customer does not), and the delivery replaced no touchpoint event (an event
    may have moved to another customer too)."""
    files = table_of(LoadFile).c
    replaced = select(files.file_id).where(
        files.batch_id == batch_id,
        files.entity == table_of(TouchpointEvent).name,
        files.rows_replaced > 0,
    )
    if connection.execute(replaced.limit(1)).first() is not None:
        return []
    p, ch = engine.PARTITIONS.c, CHANGED.c
    f, o, e = (table_of(m).c for m in (MartCustomerFeatures, Order, TouchpointEvent))

    def unchanged(c: Any) -> Any:
        pair = (ch.merchant_id == c.merchant_id) & (ch.customer_id == c.customer_id)
        return ~exists(select(ch.merchant_id).where(pair))

    mart = (
        select(f.merchant_id, func.max(f.as_of).label("as_of"))
        .where(f.merchant_id.in_(select(p.merchant_id)))
        .group_by(f.merchant_id)
    )
    kept = (
        select(f.merchant_id, func.sum(f.orders).label("n"))
        .where(f.merchant_id.in_(select(p.merchant_id)), unchanged(f))
        .group_by(f.merchant_id)
    )
    staged = (
        select(o.merchant_id, func.count().label("n"))
        .where(o.merchant_id.in_(select(p.merchant_id)), o.customer_id.is_not(None), unchanged(o))
        .group_by(o.merchant_id)
    )
    counts: dict[str, int] = dict(connection.execute(kept).all())
    orders: dict[str, int] = dict(connection.execute(staged).all())
    out = []
    for merchant, as_of in connection.execute(mart):
        latest = [
            connection.execute(select(func.max(day)).where(t.merchant_id == merchant)).scalar()
            for t, day in ((o, o.ordered_on), (e, e.occurred_on))
        ]
        now = max((_day(d) for d in latest if d is not None), default=None)
        if now == _day(as_of) and (counts.get(merchant) or 0) == orders.get(merchant, 0):
            out.append(merchant)
    return out


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# --- the rebuild ----------------------------------------------------------------------------

MERCHANTS_PER_PASS = 10  # each pass is a few statements; a pass's cost grows faster than linearly


def rebuild_customer_features(
    connection: Connection,
    merchant_ids: Sequence[str],
    *,
    progress: Callable[[str], None] | None = None,
    delivery: engine.Delivery | None = None,
) -> int:
    """Replace the customer feature rows of these merchants with rows rebuilt from
    staging in the engine; returns the number of rows written. With `delivery`, only the
    merchants it wrote customers, orders or touchpoint events for (or moved rows away
    from), and of those whose other customers keep their rows only the rows of the
    customers it wrote (every row rescored in place)."""
    mart = table_of(MartCustomerFeatures)
    written, ids = 0, list(merchant_ids)
    if delivery is not None:
        ids = delivery.dirty(connection, ids, map(table_of, STAGING))
        some = [m for m in ids if m not in set(delivery.whole)]
        for start in range(0, len(some), MERCHANTS_PER_PASS):
            batch = some[start : start + MERCHANTS_PER_PASS]
            engine.set_partitions(connection, dict.fromkeys(batch, engine.ALL_DAYS))
            set_changed(connection, delivery.batch_id)
            keep = keeps_customers(connection, delivery.batch_id)
            if not keep:
                continue
            if progress:
                progress(f"customer features: the changed customers of {len(keep)} merchants")
            engine.set_partitions(connection, dict.fromkeys(keep, engine.ALL_DAYS))
            written += replace_changed(connection)
            rescore(connection)
            ids = [m for m in ids if m not in set(keep)]
    for start in range(0, len(ids), MERCHANTS_PER_PASS):
        batch = ids[start : start + MERCHANTS_PER_PASS]
        if progress:
            progress(f"customer features: merchants {start + 1}–{start + len(batch)}")
        engine.set_partitions(connection, dict.fromkeys(batch, engine.ALL_DAYS))
        engine.materialize(connection, STORES, staged_stores, tuple(KEYS))
        engine.materialize(connection, GUIDES, staged_guides, tuple(KEYS))
        engine.materialize(connection, ROWS, staged_rows, tuple(KEYS))
        engine.clear_partitions(connection, mart, None)
        written += engine.insert_select(connection, mart, staged_customer_features)
    return written
