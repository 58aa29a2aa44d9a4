"""Transform: the cohort windows mart, computed in the database engine, per merchant.

`mart_cohort_windows` has one row per cohort, baseline and merchant, for the cohort's
participants and every non-participant (the comparison group): the GMV and private-domain
GMV of the merchant summed over each window of the cohort's uplift (pre-trend, baseline,
programme, post; `models.uplift_calendar.make_windows`), and its days of data from the
first window's first day to the last one's last. The cohort uplift
(`models.uplift.cohort_uplift`) divides the sums by the windows' calendar days; its
bootstrap stays in numpy. Only the default baseline (`pre28`) is built: other baselines
are computed from the merchant-day mart when asked for.

A merchant's rows depend on its own merchant-day rows, its cohort (participant of which
cohort, or none) and the cohorts' programme dates, so the mart is partitioned by merchant:
a delivery rebuilds the merchants whose days it changed (`Delivery.days`) or whose
merchant row it wrote, and every merchant when it wrote cohorts. It is built after the
merchant-day mart, which it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import ibis
import ibis.expr.types as ir
from sqlalchemy import Connection, select

from models.schema import Cohort, MartMerchantDay, Merchant, table_of
from models.schema_roi import MartCohortWindows
from models.uplift_calendar import BASELINE_DAYS, POST_DAYS
from pipelines import engine

BASELINE = "pre28"
METRICS = ("gmv", "private_gmv")
WINDOWS = ("pre", "baseline", "programme", "post")
MART_COLUMNS = [
    "merchant_id",
    "cohort_id",
    "baseline",
    "member",
    "days",
    *[f"{metric}_{window}" for metric in METRICS for window in WINDOWS],
]
KEYS = ["merchant_id", "cohort_id"]


def window_conditions(
    from_start: ir.IntegerValue, from_end: ir.IntegerValue
) -> dict[str, ir.BooleanValue]:
    """Whether a day is in each window, from its distance in days to the programme's first
    day (`from_start`) and to its last (`from_end`), for the `pre28` baseline: the 28 days
    before the programme, the 28 before those (pre-trend) and the 28 after it (post)."""
    return {
        "pre": from_start.between(-2 * BASELINE_DAYS, -BASELINE_DAYS - 1),
        "baseline": from_start.between(-BASELINE_DAYS, -1),
        "programme": (from_start >= 0) & (from_end <= 0),
        "post": from_end.between(1, POST_DAYS),
    }


def cohort_windows(
    cohorts: ir.Table, merchants: ir.Table, days: ir.Table, partitions: ir.Table
) -> ir.Table:
    """The mart rows of the partitions' merchants, in MART_COLUMNS order."""
    m = merchants.filter(merchants.merchant_id.isin(partitions.merchant_id))
    m = m.select("merchant_id", of_cohort=m.cohort_id)
    c = cohorts.select("cohort_id", "start_date", "end_date")
    members = c.join(m, c.cohort_id == m.of_cohort).select(
        "merchant_id", "cohort_id", "start_date", "end_date", member=ibis.literal(True)
    )
    outside = m.filter(m.of_cohort.isnull())
    controls = c.cross_join(outside).select(
        "merchant_id", "cohort_id", "start_date", "end_date", member=ibis.literal(False)
    )
    pairs = members.union(controls)
    d = days.filter(days.merchant_id.isin(partitions.merchant_id))
    d = d.select("merchant_id", day=d.date, gmv=d.gmv, private_gmv=d.private_gmv)
    rows = pairs.join(d, "merchant_id")
    rows = rows.mutate(
        from_start=rows.day.delta(rows.start_date, unit="day"),
        from_end=rows.day.delta(rows.end_date, unit="day"),
    )
    rows = rows.filter((rows.from_start >= -2 * BASELINE_DAYS) & (rows.from_end <= POST_DAYS))
    inside = window_conditions(rows.from_start, rows.from_end)
    sums = rows.group_by(KEYS).aggregate(
        days=rows.count(),
        **{
            f"{metric}_{window}": ibis.ifelse(inside[window], rows[metric], 0.0).sum()
            for metric in METRICS
            for window in WINDOWS
        },
    )
    out = pairs.left_join(sums, KEYS).drop("merchant_id_right", "cohort_id_right")
    zeros = {
        name: out[name].cast("int64" if name == "days" else "float64").fill_null(0)
        for name in MART_COLUMNS[4:]
    }
    return out.select(
        "merchant_id", "cohort_id", baseline=ibis.literal(BASELINE), member=out.member, **zeros
    )


def build(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The cohort windows mart from tables named as in the database (any Ibis backend)."""
    return cohort_windows(
        sources[table_of(Cohort).name],
        sources[table_of(Merchant).name],
        sources[table_of(MartMerchantDay).name],
        sources[engine.PARTITIONS.name],
    )


def staged_cohort_windows() -> ir.Table:
    """The mart over the database's tables (unbound: compiled to SQL)."""
    tables = (Cohort, Merchant, MartMerchantDay)
    sources = {t.name: engine.source(t) for t in map(table_of, tables)}
    sources[engine.PARTITIONS.name] = engine.source(engine.PARTITIONS)
    return build(sources)


def _partition_merchants(
    connection: Connection, merchant_ids: Sequence[str], delivery: engine.Delivery | None
) -> list[str]:
    """The merchants whose rows the delivery changed (all of `merchant_ids` without one;
    every merchant when it wrote cohorts: their windows move every merchant's sums)."""
    if delivery is None:
        return list(merchant_ids)
    cohorts, merchants = table_of(Cohort), table_of(Merchant)
    wrote_cohorts = select(cohorts.c.cohort_id).where(cohorts.c.batch_id == delivery.batch_id)
    if connection.execute(wrote_cohorts.limit(1)).first() is not None:
        return list(connection.execute(select(merchants.c.merchant_id)).scalars())
    ids = set(delivery.dirty(connection, merchant_ids, [merchants]))
    if delivery.days is None:  # not found: every merchant of the delivery
        ids |= set(merchant_ids)
    else:
        ids |= {m for m, _ in delivery.days}
    return sorted(ids)


def rebuild_cohort_windows(
    connection: Connection,
    merchant_ids: Sequence[str],
    *,
    progress: Callable[[str], None] | None = None,
    delivery: engine.Delivery | None = None,
) -> int:
    """Replace the cohort window rows of these merchants (with `delivery`, only of those
    it changed, see `_partition_merchants`); returns the rows written."""
    ids = _partition_merchants(connection, merchant_ids, delivery)
    engine.set_partitions(connection, dict.fromkeys(ids, engine.ALL_DAYS))
    if not ids:
        return 0
    if progress:
        progress(f"marts: cohort windows of {len(ids)} merchants")
    mart = table_of(MartCohortWindows)
    engine.clear_partitions(connection, mart, None)
    return engine.insert_select(connection, mart, staged_cohort_windows)
