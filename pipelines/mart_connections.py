"""Transform: the weekly connections mart (indicator values and scores, connection scores
and stages) for the merchants a delivery touched, rebuilt from staging and
`mart_merchant_day` (built before it). The maths is in `models.connections`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from sqlalchemy import Connection, delete, func, insert, select

from models.connections import LEAD_WEEKS, Inputs, connection_rows, load_config, measure, score_long
from models.db import read_frame
from models.schema import (
    Cohort,
    Customer,
    Guide,
    LoadBatch,
    MartMerchantDay,
    Merchant,
    Order,
    Store,
    TouchpointEvent,
    table_of,
)
from models.schema_connections import MartConnectionIndicator, MartConnectionScore
from pipelines.bulk import write_frame

MERCHANTS_PER_PASS = 10


def read_inputs(connection: Connection, merchant_ids: Sequence[str]) -> Inputs:
    """Everything `models.connections.measure` needs for these merchants."""
    m, s = Merchant.__table__.c, Store.__table__.c
    d, e = MartMerchantDay.__table__.c, TouchpointEvent.__table__.c
    o, c, g = Order.__table__.c, Customer.__table__.c, Guide.__table__.c
    b = LoadBatch.__table__.c
    ids = list(merchant_ids)
    store_counts = (
        select(s.merchant_id, func.count().label("n"))
        .where(s.merchant_id.in_(ids))
        .group_by(s.merchant_id)
        .subquery()
    )
    merchants = read_frame(
        connection,
        select(
            m.merchant_id,
            m.industry,
            func.coalesce(store_counts.c.n, m.store_count, 1).label("stores"),
        )
        .outerjoin(store_counts, store_counts.c.merchant_id == m.merchant_id)
        .where(m.merchant_id.in_(ids)),
    )
    days = read_frame(
        connection,
        select(
            d.merchant_id,
            d.date,
            d.orders,
            d.identified_orders,
            d.visitors,
            d.identified_visitors,
            d.cloud_users,
        ).where(d.merchant_id.in_(ids)),
    )
    events = read_frame(
        connection,
        select(
            e.merchant_id,
            e.customer_id,
            e.touchpoint,
            e.action,
            e.occurred_at,
            e.occurred_on,
            e.guide_id,
            e.group_id,
        ).where(
            e.merchant_id.in_(ids), e.touchpoint.in_(("mini_program", "wecom_guide", "community"))
        ),
    )
    identity = func.coalesce(c.unified_id, o.customer_id)
    orders = read_frame(
        connection,
        select(
            o.merchant_id,
            o.ordered_on,
            o.channel,
            o.gmv,
            identity.label("identity"),
            o.guide_id,
            o.campaign_id,
        )
        .select_from(
            Order.__table__.outerjoin(
                Customer.__table__,
                (c.merchant_id == o.merchant_id) & (c.customer_id == o.customer_id),
            )
        )
        .where(o.merchant_id.in_(ids)),
    )
    guides = read_frame(
        connection,
        select(g.merchant_id, g.guide_id, g.role, g.joined_on, g.left_on).where(
            g.merchant_id.in_(ids)
        ),
    )
    batches = select(o.merchant_id, o.batch_id).where(o.merchant_id.in_(ids)).distinct().subquery()
    rejection = read_frame(
        connection,
        select(
            batches.c.merchant_id,
            (func.sum(b.rows_rejected) * 1.0 / func.nullif(func.sum(b.rows_read), 0)).label(
                "rejection_rate"
            ),
        )
        .join(LoadBatch.__table__, b.batch_id == batches.c.batch_id)
        .group_by(batches.c.merchant_id),
    )
    last_day = connection.execute(select(func.max(d.date))).scalar()
    first_start = connection.execute(select(func.min(Cohort.__table__.c.start_date))).scalar()
    from_week = None if first_start is None else first_start - timedelta(weeks=LEAD_WEEKS)
    return Inputs(merchants, days, events, orders, guides, rejection, last_day, from_week)


def rebuild_connections(
    connection: Connection,
    merchant_ids: Sequence[str],
    *,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Replace these merchants' weekly indicator and connection rows; returns rows written
    (indicator rows plus connection rows)."""
    config = load_config()
    indicators = table_of(MartConnectionIndicator)
    scores = table_of(MartConnectionScore)
    ids = list(merchant_ids)
    written = 0
    for start in range(0, len(ids), MERCHANTS_PER_PASS):
        batch = ids[start : start + MERCHANTS_PER_PASS]
        if progress:
            progress(f"connections: merchants {start + 1}–{start + len(batch)} of {len(ids)}")
        inputs = read_inputs(connection, batch)
        industries = dict(
            zip(inputs.merchants["merchant_id"], inputs.merchants["industry"], strict=True)
        )
        values = score_long(measure(inputs, config), industries, config)
        per_connection = connection_rows(values, config)
        connection.execute(delete(indicators).where(indicators.c.merchant_id.in_(batch)))
        connection.execute(delete(scores).where(scores.c.merchant_id.in_(batch)))
        for table, frame in ((indicators, values), (scores, per_connection)):
            write_frame(connection, insert(table), frame)
            written += len(frame)
    return written
