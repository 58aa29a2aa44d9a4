"""Transform: the weekly connections mart, computed in the database engine.

Two tables: `mart_connection_indicators` (every indicator of every merchant-week, its
value and its 0-100 score against the configured target) and `mart_connection_scores`
(each connection's score, stage and order-rule flag per merchant-week). Both are Ibis
expressions executed as `INSERT ... SELECT` (`pipelines.engine`): the indicators from
staging and `mart_merchant_day` (built before it; the measuring is in
`pipelines.connections_measure`), the scores from the indicator rows just written. The
configuration (`config/connections.toml`) becomes literals in the SQL; the Python
scoring it mirrors is `models.connections`.

A partition is a merchant: the rejection rate (over every delivery of the merchant's
orders), staffing and stocks reach every week, so a delivery rebuilds every week of each
merchant it touched, plus every merchant whose freshness the delivery moved (it extended
the latest day of data) or whose weeks it moved (it changed the cohorts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

import ibis
import ibis.expr.types as ir
from sqlalchemy import Connection, delete, select

from models.connections import CONNECTIONS, Config, Indicator, load_config
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
from models.schema_connections import (
    MartConnectionIndicator,
    MartConnectionScore,
    MartConnectionStock,
)
from pipelines import engine
from pipelines.connections_measure import (
    FORMATS,
    STOCK_COLUMNS,
    carried_stocks,
    freshness,
    membership_deltas,
    parts,
    since_of,
    spine_of,
    wide_rows,
)
from pipelines.mart_week_partitions import week_partitions
from pipelines.memberships import in_scope

SOURCES: tuple[type, ...] = (Cohort, Customer, Guide, LoadBatch, MartMerchantDay, Merchant)
SOURCES += (Order, Store, TouchpointEvent, MartConnectionStock)
STOCKS = table_of(MartConnectionStock).name


# --- inputs from the database's tables -------------------------------------------------------


def inputs(sources: Mapping[str, ir.Table]) -> dict[str, ir.Table]:
    """What `indicators` reads, from tables named as in the database (the partitions'
    merchants only, except the bounds, which are of the whole programme)."""
    parts = sources[engine.PARTITIONS.name]
    scoped = {n: in_scope(sources[n], parts) for n in ("merchants", "stores", "guides")}
    m, s = scoped["merchants"], scoped["stores"]
    counts = s.group_by("merchant_id").aggregate(n=s.count())
    merchants = m.left_join(counts, "merchant_id").select(
        m.merchant_id, m.industry, stores=ibis.coalesce(counts.n, m.store_count, 1)
    )
    days = in_scope(sources["mart_merchant_day"], parts)
    e = in_scope(sources["touchpoint_events"], parts)
    events = e.filter(e.touchpoint.isin(FORMATS))
    o, c = in_scope(sources["orders"], parts), sources["customers"]
    orders = o.left_join(
        c, [c.merchant_id == o.merchant_id, c.customer_id == o.customer_id]
    ).select(
        o.merchant_id,
        o.ordered_on,
        o.channel,
        o.gmv,
        o.guide_id,
        o.campaign_id,
        identity=ibis.coalesce(c.unified_id, o.customer_id),
    )
    b = sources["load_batches"]
    batches = o.select("merchant_id", "batch_id").distinct()
    rates = batches.join(b, batches.batch_id == b.batch_id)
    rejection = rates.group_by(batches.merchant_id).aggregate(
        rejected=rates.rows_rejected.sum(), read=rates.rows_read.sum()
    )
    rejection = rejection.select(
        "merchant_id",
        rejection_rate=rejection.rejected.cast("float64")
        / ibis.ifelse(rejection.read != 0, rejection.read, ibis.null("int64")),
    )
    all_days, cohorts = sources["mart_merchant_day"], sources["cohorts"]
    bounds = all_days.aggregate(last_day=all_days.date.max()).cross_join(
        cohorts.aggregate(first_start=cohorts.start_date.min())
    )
    g = scoped["guides"]
    guides = g.select("merchant_id", "guide_id", "role", "joined_on", "left_on")
    return {
        "merchants": merchants,
        "days": days.select(
            "merchant_id",
            "date",
            "orders",
            "identified_orders",
            "visitors",
            "identified_visitors",
            "cloud_users",
        ),  # fmt: skip
        "events": events,
        "orders": orders,
        "order_days": o.select("merchant_id", "ordered_on"),  # without the identities' join
        "guides": guides,
        "rejection": rejection,
        "bounds": bounds,
    }


# --- scoring in the engine -------------------------------------------------------------------


def _against(spec: Indicator, value: ir.FloatingValue, target: float) -> ir.Value:
    """The 0-100 score of `value` against a literal target (`models.connections.score_value`)."""
    if spec.kind == "higher":
        if target <= 0:
            return ibis.ifelse(value.notnull(), 100.0, ibis.null("float64"))
        raw = 100.0 * value / target
    else:
        worst = float(spec.worst if spec.worst is not None else target)
        if worst == target:
            return ibis.ifelse(value <= target, 100.0, 0.0)
        raw = ibis.ifelse(value <= target, 100.0, 100.0 * (worst - value) / (worst - target))
    return ibis.ifelse(raw > 100.0, 100.0, ibis.ifelse(raw < 0.0, 0.0, raw))


def score(spec: Indicator, value: ir.FloatingValue, industry: ir.StringValue) -> ir.Value:
    """The indicator's score for the merchant's industry (null: a detail, or no value)."""
    if not spec.scored:
        return ibis.null("float64")
    assert spec.target is not None
    by_industry = [
        (industry == name, _against(spec, value, t)) for name, t in spec.industry.items()
    ]
    scored = _against(spec, value, spec.target)
    if by_industry:
        scored = ibis.cases(*by_industry, else_=scored)
    return ibis.ifelse(value.notnull(), scored, ibis.null("float64"))


def indicator_rows(measured: ir.Table, config: Config) -> ir.Table:
    """The long mart rows: merchant_id, week, indicator, value, score."""
    parts = [
        measured.select(
            "merchant_id",
            "week",
            indicator=ibis.literal(key),
            value=measured[key],
            score=score(spec, measured[key], measured.industry).cast("float64"),
        )
        for key, spec in config.indicators.items()
    ]
    return ibis.union(*parts)


def stage(value: ir.FloatingValue, config: Config) -> ir.Value:
    t = config.thresholds
    return ibis.cases(
        (value.isnull(), "no_data"),
        (value >= t["leading"], "leading"),
        (value >= t["running"], "running"),
        (value >= t["building"], "building"),
        else_="not_started",
    )


def connection_rows(indicator_mart: ir.Table, config: Config) -> ir.Table:
    """Per merchant-week and connection: the weighted mean of its scored indicators, its
    stage and the earlier connection, not yet running, it scores ahead of (the order of
    the method, `models.connections.order_rule`)."""
    i = indicator_mart
    sums = {}
    for c in CONNECTIONS:
        weights = ibis.cases(
            *((i.indicator == s.key, s.weight) for s in config.scored(c)), else_=0.0
        )
        counted = i.score.notnull()
        sums[f"{c}_ws"] = ibis.ifelse(counted, weights * i.score, 0.0).sum()
        sums[f"{c}_w"] = ibis.ifelse(counted, weights, 0.0).sum()
    per = i.group_by(["merchant_id", "week"]).aggregate(**sums)
    means = {
        c: ibis.ifelse(per[f"{c}_w"] > 0, per[f"{c}_ws"] / per[f"{c}_w"], ibis.null("float64"))
        for c in CONNECTIONS
    }
    running = config.thresholds["running"]
    parts = []
    for k, later in enumerate(CONNECTIONS):
        ahead = [
            (
                means[later].notnull() & (means[e] < running) & (means[later] > means[e]),
                e,
            )
            for e in CONNECTIONS[:k]
        ]
        ahead_of = ibis.cases(*ahead, else_=ibis.null("string")) if ahead else ibis.null("string")
        parts.append(
            per.select(
                "merchant_id",
                "week",
                connection=ibis.literal(later),
                score=means[later].cast("float64"),
                stage=stage(means[later], config),
                ahead_of=ahead_of,
            )
        )
    return ibis.union(*parts)


# The mart runs in steps, each writing a work table the later steps read (so the engine
# computes the weeks and each part once, and no statement grows too big for SQLite's parser,
# Spark's analyser or ClickHouse's query tree): weeks -> membership changes -> the five
# parts of the indicators -> wide rows -> indicator rows -> connection rows (from the
# indicator rows written); the stocks of the weeks rebuilt are kept.
WEEKS, WIDE = "mart_connection_weeks", "mart_connection_wide"
CARRIED, DELTAS = "mart_connection_carried", "mart_connection_deltas"
PARTS = ("days", "touchpoints", "staffing", "orders", "freshness")
BY_WEEK = ("merchant_id", "wk")
MERCHANTS_PER_PASS = 10  # a pass's cost grows faster than its merchants on SQLite
REJECTION_RATE = "rejection_rate"


def step_weeks(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The weeks to rebuild: each merchant's weeks from its partition's day (a Monday) on.
    Every part only looks back (trailing windows, running sums from the merchant's first
    day: `stock` counts the changes before the first week kept in it), so the weeks kept
    have the values a spine of every week gives them."""
    spine = spine_of(inputs(sources)["days"])
    p = sources[engine.PARTITIONS.name]
    kept = spine.join(p, "merchant_id").filter(spine.week >= p.from_day)
    return kept.select(*spine.columns)


def kept_stocks(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The kept stocks of the weeks before each partition's day (none of a merchant
    rebuilt whole)."""
    p, stocks = sources[engine.PARTITIONS.name], sources[STOCKS]
    kept = stocks.join(p, "merchant_id")
    return kept.filter(kept.week < p.from_day).select(*stocks.columns)


def step_carried(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The kept stocks the touchpoint part carries on from (the week before the first
    week rebuilt), with that week's day."""
    return carried_stocks(sources[WEEKS], kept_stocks(sources))


def step_deltas(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The membership changes the touchpoint stocks follow: from the carried stocks' on
    (steps of their own: in one statement with the stocks, SQLite's parser overflows)."""
    return membership_deltas(inputs(sources)["events"], since_of(sources[CARRIED]))


def step_part(name: str, sources: Mapping[str, ir.Table]) -> ir.Table:
    """One part of the indicators over the weeks to rebuild (the touchpoint stocks carry on
    from those kept for the week before, `mart_connection_stocks`)."""
    i, weeks = inputs(sources), sources[WEEKS]
    if name == "freshness":  # the order days alone: the index on merchant and day has them
        return freshness(weeks, i["order_days"], i["bounds"])
    measured = parts(
        weeks, i["days"], i["events"], i["orders"], i["guides"], i["bounds"],
        sources[CARRIED], sources[DELTAS],
    )  # fmt: skip
    return measured[name]


def step_stocks(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The stocks of the weeks rebuilt, to keep (from the touchpoint part's work table)."""
    weeks, t = sources[WEEKS], sources["mart_connection_touchpoints"]
    rows = weeks.join(t, [weeks.merchant_id == t.merchant_id, weeks.wk == t.wk])
    return rows.select(weeks.merchant_id, weeks.week, *(t[c] for c in STOCK_COLUMNS))


def staged_stocks() -> ir.Table:
    return step_stocks(_sources_before(len(STEPS)))


def step_wide(sources: Mapping[str, ir.Table]) -> ir.Table:
    i = inputs(sources)
    measured = [sources[f"mart_connection_{n}"] for n in PARTS]
    config = load_config()
    return wide_rows(sources[WEEKS], measured, i["merchants"], i["rejection"], i["bounds"], config)


def step_indicators(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The indicator mart rows from the wide rows."""
    return indicator_rows(sources[WIDE], load_config())


Step = tuple[str, Callable[[Mapping[str, ir.Table]], ir.Table], tuple[str, ...]]
STEPS: tuple[Step, ...] = (
    (WEEKS, step_weeks, BY_WEEK),
    (CARRIED, step_carried, ("merchant_id",)),
    (DELTAS, step_deltas, BY_WEEK),
    *((f"mart_connection_{n}", partial(step_part, n), BY_WEEK) for n in PARTS),
    (WIDE, step_wide, ("merchant_id",)),
)


def build(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The indicator mart rows from tables named as in the database, every step composed
    into one expression (any backend; big: the product and the parity tests run the
    steps one by one)."""
    composed = dict(sources)
    for name, step, _ in STEPS:
        composed[name] = step(composed)
    return step_indicators(composed)


def build_scores(indicator_mart: ir.Table, config: Config | None = None) -> ir.Table:
    """The connection rows from the indicator mart's rows."""
    return connection_rows(indicator_mart, config or load_config())


def _staged() -> dict[str, ir.Table]:
    tables = [*map(table_of, SOURCES), table_of(MartConnectionIndicator), engine.PARTITIONS]
    return {t.name: engine.source(t) for t in tables}


def _sources_before(k: int) -> dict[str, ir.Table]:
    """The database's tables and the work tables of the steps before step `k`."""
    sources = _staged()
    for name, _, index in STEPS[:k]:
        sources[name] = engine.source(engine.work_table(name, STAGED[name], index))
    return sources


def _staged_step(k: int) -> ir.Table:
    return STEPS[k][1](_sources_before(k))


STAGED = {name: partial(_staged_step, k) for k, (name, _, _) in enumerate(STEPS)}


def staged_indicators() -> ir.Table:
    return step_indicators(_sources_before(len(STEPS)))


REJECTION = "mart_connection_rejection"


def step_rejection(sources: Mapping[str, ir.Table]) -> ir.Table:
    """The rejection-rate rows of the weeks before each partition's day, with today's rate:
    it is over every delivery of the merchant's orders, so it moves in every week."""
    i, p = inputs(sources), sources[engine.PARTITIONS.name]
    m = sources[table_of(MartConnectionIndicator).name]
    old = m.join(p, "merchant_id").filter(m.week < p.from_day, m.indicator == REJECTION_RATE)
    old = old.select("merchant_id", "week")
    merchants, rates = i["merchants"], i["rejection"]
    rows = old.left_join(merchants, old.merchant_id == merchants.merchant_id)
    rows = rows.left_join(rates, old.merchant_id == rates.merchant_id)
    value = rows.rejection_rate.cast("float64")
    spec = load_config().indicators[REJECTION_RATE]
    return rows.select(
        old.merchant_id,
        old.week,
        indicator=ibis.literal(REJECTION_RATE),
        value=value,
        score=score(spec, value, rows.industry).cast("float64"),
    )


def staged_rejection() -> ir.Table:
    return step_rejection(_staged())


def rejection_rows() -> ir.Table:
    """The rows `step_rejection` wrote to its work table."""
    return engine.source(engine.work_table(REJECTION, staged_rejection))


def staged_scores() -> ir.Table:
    sources = _staged()
    mart = sources[table_of(MartConnectionIndicator).name]
    return build_scores(in_scope(mart, sources[engine.PARTITIONS.name]))


# --- the rebuild -----------------------------------------------------------------------------


def rebuild_connections(
    connection: Connection,
    merchant_ids: Sequence[str],
    *,
    progress: Callable[[str], None] | None = None,
    delivery: engine.Delivery | None = None,
) -> int:
    """Replace these merchants' weekly indicator and connection rows in the engine, from
    the weeks `week_partitions` gives on; returns rows written (indicator rows, the
    earlier weeks' rejection rates, connection rows of every week of the merchants)."""
    partitions = week_partitions(connection, merchant_ids, delivery)
    ids = sorted(partitions)
    indicators, scores = table_of(MartConnectionIndicator), table_of(MartConnectionScore)
    written = 0
    for start in range(0, len(ids), MERCHANTS_PER_PASS):
        batch = ids[start : start + MERCHANTS_PER_PASS]
        if progress:
            progress(f"connections: merchants {start + 1}–{start + len(batch)} of {len(ids)}")
        engine.set_partitions(connection, {m: partitions[m] for m in batch})
        for name, _, index in STEPS:
            engine.materialize(connection, name, STAGED[name], index)
        engine.clear_partitions(connection, table_of(MartConnectionStock), "week")
        engine.insert_select(connection, table_of(MartConnectionStock), staged_stocks)
        engine.clear_partitions(connection, indicators, "week")
        written += engine.insert_select(connection, indicators, staged_indicators)
        if REJECTION_RATE in load_config().indicators:
            engine.materialize(connection, REJECTION, staged_rejection)
            i = indicators.c
            earlier = select(engine.PARTITIONS.c.from_day).where(
                engine.PARTITIONS.c.merchant_id == i.merchant_id
            )
            connection.execute(
                delete(indicators).where(
                    i.merchant_id.in_(select(engine.PARTITIONS.c.merchant_id)),
                    i.indicator == REJECTION_RATE,
                    i.week < earlier.scalar_subquery(),
                )
            )
            written += engine.insert_select(connection, indicators, rejection_rows)
        engine.clear_partitions(connection, scores, None)
        written += engine.insert_select(connection, scores, staged_scores)
    return written
