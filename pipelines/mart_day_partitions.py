"""The partitions of the merchant-day mart a delivery dirtied (docs/marts.md: partitions
and incremental rebuilds): per merchant, the first day of the orders, traffic and events it
wrote, earlier when the mart ends before it, every day when the mart no longer counts an
order that moved, or when the delivery replaced events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from sqlalchemy import Connection, func, select, union_all

from models.schema import LoadFile, MartMerchantDay, Order, StoreTraffic, TouchpointEvent, table_of
from pipelines import engine


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
    return {m: as_date(d) for m, d in connection.execute(first)}


def as_date(value: object) -> date:
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
    # Counted per partition (scalar subqueries): a range of the merchant's index entries
    # each. As one join, SQLite scanned every merchant's orders (0.35 s at scale m).
    staged = select(func.count()).where(o.merchant_id == p.merchant_id, o.ordered_on < p.from_day)
    marted = select(func.coalesce(func.sum(d.orders), 0)).where(
        d.merchant_id == p.merchant_id, d.date < p.from_day
    )
    check = select(p.merchant_id).where(staged.scalar_subquery() != marted.scalar_subquery())
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
        out[merchant] = min(out[merchant], as_date(day) + timedelta(days=1))
    return out


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
