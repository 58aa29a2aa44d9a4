"""Which weeks of which merchants a delivery makes the connections mart rebuild.

A merchant is rebuilt from the week of the first day its merchant-day partition rebuilt
(every later week's trailing windows and stocks include that day); from its first week
when the delivery changed an input that reaches every week (customers, guides, stores,
the merchant row), made a community group guide-run, or wrote cohorts; and from the week
of the programme's former latest day when the delivery moved that day on (docs/marts.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import Connection, func, select

from models.schema import (
    Cohort,
    Customer,
    Guide,
    MartMerchantDay,
    Merchant,
    Store,
    TouchpointEvent,
    table_of,
)
from pipelines import engine

# Inputs that reach every week of a merchant: stores and industry, staffing, identities.
WHOLE_MERCHANT = (Customer, Guide, Merchant, Store)


def last_day(connection: Connection) -> date | None:
    """The latest day of the merchant-day mart (the freshness of every merchant ends there)."""
    value = connection.execute(select(func.max(table_of(MartMerchantDay).c.date))).scalar()
    return None if value is None else date.fromisoformat(str(value)[:10])


def monday(day: date) -> date:
    return day if day == engine.ALL_DAYS else day - timedelta(days=day.weekday())


def also_moved(connection: Connection, delivery: engine.Delivery) -> dict[str, date]:
    """Weeks a delivery changes without writing their merchant's rows (merchant -> first
    week): every week of every merchant when it wrote cohorts (the first week kept moves),
    and, when it moved the latest day of data on, the weeks from that of the latest day
    before it, of the merchants with data there (their freshness ends later)."""
    cohorts = table_of(Cohort)
    merchants = table_of(Merchant).c.merchant_id
    wrote = select(cohorts.c.cohort_id).where(cohorts.c.batch_id == delivery.batch_id)
    if connection.execute(wrote.limit(1)).first() is not None:
        return dict.fromkeys(connection.execute(select(merchants)).scalars(), engine.ALL_DAYS)
    before, now = delivery.last_day, last_day(connection)
    if before is None or now is None or now <= before:
        return {}
    d = table_of(MartMerchantDay).c
    reached = select(d.merchant_id).where(d.date >= monday(before)).distinct()
    return dict.fromkeys(connection.execute(reached).scalars(), monday(before))


def week_partitions(
    connection: Connection, merchant_ids: Sequence[str], delivery: engine.Delivery | None
) -> dict[str, date]:
    """Merchant -> the first week (a Monday) to rebuild. Without a delivery, every week.
    With one: from the week of the first day its merchant-day partition rebuilt (orders,
    traffic and events: every later week's windows and stocks include it); every week of
    a merchant it wrote customers, guides, stores or merchant rows for, lost rows of, made
    a community group guide-run in, or has no day partition of; and the weeks it changed
    without touching them."""
    if delivery is None:
        return dict.fromkeys(merchant_ids, engine.ALL_DAYS)
    days = dict(delivery.days or ())  # not found: every week
    whole = set(delivery.dirty(connection, merchant_ids, map(table_of, WHOLE_MERCHANT)))
    whole |= set(delivery.whole) | guide_run_from_now(connection, merchant_ids, delivery)
    out = {
        m: engine.ALL_DAYS if m in whole or m not in days else monday(days[m]) for m in merchant_ids
    }
    for m, day in also_moved(connection, delivery).items():
        out[m] = min(out.get(m, day), day)
    return out


def guide_run_from_now(
    connection: Connection, merchant_ids: Sequence[str], delivery: engine.Delivery
) -> set[str]:
    """Merchants with a community group whose every join with a guide id is this
    delivery's: the group is guide-run from now on, and whether a group is guide-run is
    over the whole history, so its members count in the guide-run layer of every week
    they were members, the weeks before the delivery's first day too."""
    e = table_of(TouchpointEvent).c
    groups = (
        select(e.merchant_id)
        .where(
            e.merchant_id.in_(merchant_ids),
            e.touchpoint == "community",
            e.action == "join_group",
            e.guide_id.is_not(None),
        )
        .group_by(e.merchant_id, e.group_id)
        .having(func.min(e.batch_id) == delivery.batch_id)
        .having(func.max(e.batch_id) == delivery.batch_id)
    )
    return set(connection.execute(groups.distinct()).scalars())
