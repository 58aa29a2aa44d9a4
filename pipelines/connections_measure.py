"""The weekly connection indicators, as relational expressions the engine runs (the
transform of `pipelines/mart_connections.py`).

Inputs are tables (any Ibis backend): `merchants` (merchant_id, industry, stores), `days`
(the merchant-day mart's merchant_id, date, orders, identified_orders, visitors,
identified_visitors, cloud_users), `events` (the three formats' touchpoint events),
`orders` (merchant_id, ordered_on, channel, gmv, identity, guide_id, campaign_id),
`guides` (merchant_id, guide_id, role, joined_on, left_on), `rejection` (merchant_id,
rejection_rate) and `bounds` (one row: last_day, the latest day of data, and first_start,
the first cohort's start: weeks from LEAD_WEEKS before it are kept). Out: one row per
merchant and week with every indicator.

Weeks start on Monday and are numbered (`wk`: days since Monday 1970-01-05, over 7), so
a trailing window is a join on a range of week numbers, not a copy of rows per week:
flows over the week and the three before it, contact tiers over twelve weeks, stocks at
the week's end (a running sum of joins and leaves). Definitions: docs/connections.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import ibis
import ibis.expr.types as ir

from models.connections import Config

FORMATS = ("mini_program", "wecom_guide", "community")
JOIN = {"mini_program": "follow", "wecom_guide": "add_contact", "community": "join_group"}
LEAVE = {"mini_program": "unfollow", "wecom_guide": "remove_contact", "community": "leave_group"}
STOCKS = {"mini_program": "mp_followers", "wecom_guide": "wecom_contacts"}
STOCKS["community"] = "community_members"
STOCK_COLUMNS = (*STOCKS.values(), "community_guide_layer")  # kept: mart_connection_stocks
PROGRAMME_ROLES = ("acquisition", "content", "coaching", "manager")
TRAILING_WEEKS = 4  # flows are measured over the week and the three before it
LEAD_WEEKS = 8  # the mart starts this many weeks before the first cohort starts
TIER_WEEKS = 12  # contact tiers count interactions over twelve weeks
MEDIUM_FROM, HEAVY_FROM = 1, 3  # interactions in TIER_WEEKS that make a medium / heavy contact
MIN_GUIDES_FOR_SPREAD = 5
PRIVATE_CHANNELS = ("mini_program", "wecom_guide", "community", "scan_to_buy", "livestream")
MONDAY = date(1970, 1, 5)
EVERY_DAY = date(1900, 1, 1)  # `since_*` of a merchant's first weeks: every row
KEYS = ["merchant_id", "wk"]


def day_number(day: ir.DateValue) -> ir.IntegerValue:
    return day.delta(ibis.literal(MONDAY), unit="day")


def week_number(day: ir.DateValue) -> ir.IntegerValue:
    return day_number(day) // 7


def ratio(num: ir.NumericValue, den: ir.NumericValue, cap: float | None = None) -> ir.Value:
    """num / den where den is positive (else null), at most `cap`."""
    out = num.cast("float64") / ibis.ifelse(den > 0, den, ibis.null("float64"))
    return out if cap is None else ibis.ifelse(out > cap, cap, out)


def on_spine(spine: ir.Table, *parts: ir.Table, fill: float | None = None) -> ir.Table:
    """The spine's merchant and week with the parts' columns (per merchant and week), in
    one flat join; missing values are `fill`."""
    s = spine.select(*KEYS)
    rows = s
    for part in parts:
        rows = rows.left_join(part, [s.merchant_id == part.merchant_id, s.wk == part.wk])
    values = {c: part[c] for part in parts for c in part.columns if c not in KEYS}
    if fill is not None:
        values = {c: v.fill_null(fill) for c, v in values.items()}
    return rows.select(s.merchant_id, s.wk, **values)


def trailing(spine: ir.Table, weekly: ir.Table, weeks: int, by: Sequence[str] = ()) -> ir.Table:
    """The rows of `weekly` (merchant_id, wk, ...) of each spine week's window (that week
    and the `weeks - 1` before it), keyed by the spine's merchant and week (and `by`)."""
    w = weekly.rename(_m="merchant_id", _wk="wk")
    s = spine.select(*KEYS)
    joined = s.join(w, [s.merchant_id == w._m, w._wk <= s.wk, w._wk > s.wk - weeks])
    return joined.drop("_m", "_wk")


def recent(spine: ir.Table, rows: ir.Table, weeks: int, day: str) -> ir.Table:
    """The rows a trailing window of `weeks` of a spine week can see: none before the
    `weeks - 1` weeks before the merchant's first spine week (a spine of the later weeks
    only needs the later rows). The bound is a date the spine carries (`since_4`,
    `since_12`), compared with the rows' day column `day`, so an index on the merchant and
    the day reads only those rows."""
    first = spine.group_by("merchant_id").aggregate(_since=spine[f"since_{weeks}"].min())
    r = rows.join(first, rows.merchant_id == first.merchant_id)
    return r.filter(r[day] >= r._since).select(*rows.columns)


def trailing_sum(spine: ir.Table, weekly: ir.Table, columns: list[str], weeks: int) -> ir.Table:
    """Sums of `columns` of `weekly` over each spine week's window (null: no row in it).
    Counts are a window over week numbers of the weekly rows and the spine's weeks
    together; amounts a join of each week with its window's rows (engines compute a
    sliding sum by subtracting the rows that leave it, which is not exact for floats)."""
    counts = [c for c in columns if weekly[c].type().is_integer()]
    amounts = [c for c in columns if c not in counts]
    parts = []
    if counts:
        # as floats (exact for counts below 2**53): one type on both sides of the union
        # on every engine (ClickHouse counts are unsigned)
        s = spine.select(*KEYS, _spine=ibis.literal(True))
        s = s.mutate(**{c: ibis.null("float64") for c in counts})
        w = weekly.select(*KEYS, **{c: weekly[c].cast("float64") for c in counts})
        w = w.mutate(_spine=ibis.literal(False))
        both = ibis.union(s, w.select(*s.columns))
        frame = ibis.window(group_by="merchant_id", order_by="wk", range=(-(weeks - 1), 0))
        sums = both.mutate(**{c: both[c].sum().over(frame) for c in counts})
        parts.append(sums.filter(sums._spine).select(*KEYS, *counts))
    if amounts:
        rows = trailing(spine, weekly, weeks)
        parts.append(rows.group_by(KEYS).aggregate(**{c: rows[c].sum() for c in amounts}))
    return on_spine(spine, *parts)


def trailing_distinct(spine: ir.Table, rows: ir.Table, column: str, name: str) -> ir.Table:
    """Distinct `column` per merchant with a row in the trailing weeks, as a stock: a value
    seen in week `a` counts from `a` until `TRAILING_WEEKS` weeks later or its next week
    seen, whichever is first (+1 and -1 per run of weeks, not a copy of rows per week)."""
    r = rows.filter(rows[column].notnull())
    r = r.select("merchant_id", "wk", _v=r[column]).distinct()
    until = r.wk + TRAILING_WEEKS
    later = r.wk.lead().over(group_by=["merchant_id", "_v"], order_by="wk")
    r = r.mutate(_end=ibis.least(until, ibis.coalesce(later, until)))
    one = ibis.literal(1).cast("int64")
    deltas = ibis.union(
        r.select("merchant_id", "wk", delta=one),
        r.select("merchant_id", wk=r._end, delta=-one),
    )
    return stock(spine, deltas, name)


def stock(
    spine: ir.Table, deltas: ir.Table, name: str, carried: ir.Table | None = None
) -> ir.Table:
    """A level at each week's end from changes (merchant_id, wk, delta); changes before a
    merchant's first week count in it, changes after its last week are not seen. With
    `carried` (merchant_id, `name`): the level before the first week, added to it."""
    first = spine.group_by("merchant_id").aggregate(_first=spine.wk.min())
    d = deltas.join(first, "merchant_id")
    d = d.select("merchant_id", "delta", wk=ibis.greatest(d.wk, d._first))
    weekly = d.group_by(KEYS).aggregate(_delta=d.delta.sum())
    level = on_spine(spine, weekly, fill=0)
    so_far = ibis.window(group_by="merchant_id", order_by="wk", rows=(None, 0))
    value = level._delta.sum().over(so_far).cast("float64")
    if carried is None:
        return level.select(*KEYS, **{name: value})
    c = carried.select("merchant_id", _carried=carried[name])
    level = level.mutate(**{name: value}).left_join(c, "merchant_id")
    return level.select(*KEYS, **{name: level[name] + level._carried.fill_null(0.0)})


def spine_of(days: ir.Table) -> ir.Table:
    """Every week of every merchant from its first to its last day (the merchant-day mart
    has every day in between)."""
    d = days.mutate(wk=week_number(days.date), week=days.date.truncate("W").cast("date"))
    spine = d.group_by(KEYS).aggregate(week=d.week.min())
    back = ibis.window(group_by="merchant_id", order_by="wk")
    since = {
        f"since_{n}": ibis.coalesce(spine.week.lag(n - 1).over(back), ibis.literal(EVERY_DAY))
        for n in (TRAILING_WEEKS, TIER_WEEKS)
    }
    return spine.mutate(**since)


def day_indicators(spine: ir.Table, days: ir.Table) -> ir.Table:
    d = days.mutate(wk=week_number(days.date))
    flows = ["orders", "identified_orders", "visitors", "identified_visitors"]
    weekly = d.group_by(KEYS).aggregate(**{c: d[c].sum() for c in flows})
    sums = trailing_sum(spine, weekly, flows, TRAILING_WEEKS)
    last = d.mutate(_last=ibis.row_number().over(group_by=KEYS, order_by=ibis.desc(d.date)))
    last = last.filter(last._last == 0).select(*KEYS, cloud_users=last.cloud_users)
    out = on_spine(spine, sums, last)
    return out.select(
        *KEYS,
        cloud_users=out.cloud_users.fill_null(0).cast("float64"),
        digitised_share=ratio(out.identified_visitors, out.visitors),
        identified_order_share=ratio(out.identified_orders, out.orders),
    )


def membership_deltas(events: ir.Table, since: ir.Table | None = None) -> ir.Table:
    """Per event that changes a customer's membership of a format: +1 or -1, its week, and
    whether it is in a community group a guide runs (a join with a guide id ever).

    With `since` (merchant_id, _from: a day), only the merchants' events from that day on
    count; of the earlier events only each customer's last, for the state it leaves (the
    stocks before the day are carried, `stock`)."""
    tp, action = events.touchpoint, events.action
    is_join = ibis.or_(*((tp == f) & (action == JOIN[f]) for f in FORMATS))
    is_leave = ibis.or_(*((tp == f) & (action == LEAVE[f]) for f in FORMATS))
    e = events.filter(is_join | is_leave).mutate(state=ibis.ifelse(is_join, 1, 0))
    owned = (
        e.filter(e.touchpoint == "community", e.guide_id.notnull(), e.state == 1)
        .select("merchant_id", _group="group_id")
        .distinct()
    )
    member = ["merchant_id", "touchpoint", "customer_id"]
    if since is not None:
        e = e.left_join(since, "merchant_id").drop("merchant_id_right")
        later = e.filter(e._from.isnull() | (e.occurred_on >= e._from))
        keys = later.filter(later._from.notnull()).select(*member).distinct()
        before = keys.join(e, member).filter(e.occurred_on < e._from)
        latest = ibis.window(
            group_by=member, order_by=[ibis.desc("occurred_at"), ibis.desc("event_id")]
        )
        before = before.mutate(_k=ibis.row_number().over(latest))
        before = before.filter(before._k == 0).drop("_k")
        e = ibis.union(
            later.mutate(_earlier=ibis.literal(False)),
            before.mutate(_earlier=ibis.literal(True)).select(*later.columns, "_earlier"),
        )
    else:
        e = e.mutate(_earlier=ibis.literal(False))
    per = ibis.window(group_by=member, order_by=["occurred_at", "event_id"])
    e = e.mutate(delta=e.state - e.state.lag(default=0).over(per))
    e = e.filter(e.delta != 0, ~e._earlier).mutate(wk=week_number(e.occurred_on))
    j = e.left_join(owned, [e.merchant_id == owned.merchant_id, e.group_id == owned._group])
    delta, owned_group = e.delta.cast("int64"), owned._group.notnull()
    return j.select(e.merchant_id, e.touchpoint, e.wk, delta=delta, owned=owned_group)


def carried_stocks(spine: ir.Table, stocks: ir.Table) -> ir.Table:
    """The kept stocks of the week before each merchant's first spine week, with that
    week's day (`_from`): merchants without one follow every event."""
    first = spine.group_by("merchant_id").aggregate(_wk=spine.wk.min(), _from=spine.week.min())
    kept = stocks.join(first, stocks.merchant_id == first.merchant_id)
    kept = kept.filter(week_number(kept.week) == kept._wk - 1)
    return kept.select(stocks.merchant_id, "_from", *STOCK_COLUMNS)


def since_of(carried: ir.Table | None) -> ir.Table | None:
    return None if carried is None else carried.select("merchant_id", "_from")


def touchpoint_indicators(
    spine: ir.Table,
    events: ir.Table,
    carried: ir.Table | None = None,
    deltas: ir.Table | None = None,
) -> ir.Table:
    """The touchpoint part. `carried`: the kept stocks of the week before the spine's
    first week (`carried_stocks`), the stocks carry on from them; `deltas`: the
    `membership_deltas` of the events (given: computed before, from the same `carried`)."""
    if deltas is None:
        deltas = membership_deltas(events, since_of(carried))
    parts = [
        stock(spine, deltas.filter(deltas.touchpoint == f), STOCKS[f], carried) for f in FORMATS
    ]
    owned = deltas.filter(deltas.touchpoint == "community", deltas.owned)
    parts.append(stock(spine, owned, "community_guide_layer", carried))
    ev = recent(spine, events.mutate(wk=week_number(events.occurred_on)), TIER_WEEKS, "occurred_on")
    tp, act = ev.touchpoint, ev.action
    wecom_msg = ev.filter(tp == "wecom_guide", act == "message")
    for rows, name in (
        (ev.filter(tp == "mini_program", act == "visit"), "mp_fans"),
        (wecom_msg, "reachable"),
        (ev.filter(tp == "community", act.isin(["message", "post"])), "community_active"),
        (ev.filter(tp == "community", act == "post"), "community_hot_fans"),
    ):
        parts.append(trailing_distinct(spine, rows, "customer_id", name))
    with_guide = ev.filter(tp == "wecom_guide", ev.guide_id.notnull())
    parts.append(trailing_distinct(spine, with_guide, "guide_id", "guides_connected"))
    per_week = wecom_msg.group_by([*KEYS, "customer_id"]).aggregate(n=wecom_msg.count())
    window = trailing(spine, per_week, TIER_WEEKS)
    counts = window.group_by([*KEYS, "customer_id"]).aggregate(n=window.n.sum())
    medium = (counts.n >= MEDIUM_FROM) & (counts.n < HEAVY_FROM)
    parts.append(
        counts.group_by(KEYS).aggregate(
            contacts_medium=counts.count(where=medium),
            contacts_heavy=counts.count(where=counts.n >= HEAVY_FROM),
        )
    )
    out = on_spine(spine, *parts, fill=0)
    light = out.wecom_contacts - out.contacts_medium - out.contacts_heavy
    return out.mutate(contacts_light=ibis.ifelse(light > 0, light, 0))


def staffing(spine: ir.Table, guides: ir.Table) -> ir.Table:
    """Sales guides employed at each week's end, and how many programme roles are staffed
    (a blank join date: employed from the start)."""
    role = guides.role.fill_null("sales")
    label = ibis.ifelse(role.isin(PROGRAMME_ROLES), role, "sales")
    g = guides.mutate(label=label)
    joins = g.select(
        "merchant_id",
        "label",
        wk=ibis.coalesce(week_number(g.joined_on), -(10**6)).cast("int64"),
        delta=ibis.literal(1).cast("int64"),
    )
    left = g.filter(g.left_on.notnull())
    leaves = left.select(
        "merchant_id",
        "label",
        wk=week_number(left.left_on).cast("int64"),
        delta=ibis.literal(-1).cast("int64"),
    )
    deltas = ibis.union(joins, leaves)
    labels = ("sales", *PROGRAMME_ROLES)
    out = on_spine(spine, *(stock(spine, deltas.filter(deltas.label == n), n) for n in labels))
    staffed = ibis.literal(0.0)
    for role_name in PROGRAMME_ROLES:
        staffed = staffed + ibis.ifelse(out[role_name] > 0, 1.0, 0.0)
    return out.select(*KEYS, sales_guides="sales", roles_staffed=staffed)


def quantile(values: ir.Table, column: str, q: float, by: list[str], name: str) -> ir.Table:
    """The `q` quantile of `column` per `by` group, interpolated linearly between the two
    nearest ranks (as pandas and numpy do by default)."""
    row = ibis.row_number().over(group_by=by, order_by=values[column])
    v = values.mutate(_row=row, _n=values[column].count().over(group_by=by))
    h = (v._n - 1) * q
    lo = h.floor()
    frac = h - lo
    weight = ibis.ifelse(v._row == lo, 1 - frac, ibis.ifelse(v._row == lo + 1, frac, 0.0))
    return v.group_by(by).aggregate(**{name: (weight * v[column]).sum()})


def order_indicators(spine: ir.Table, orders: ir.Table, guides: ir.Table) -> ir.Table:
    o = orders.mutate(wk=week_number(orders.ordered_on), gmv=orders.gmv.cast("float64"))
    o = recent(spine, o, TRAILING_WEEKS, "ordered_on")
    private = o.channel.isin(PRIVATE_CHANNELS)
    has_guide = o.guide_id.notnull()
    weekly = o.group_by(KEYS).aggregate(
        private_gmv=ibis.ifelse(private, o.gmv, 0.0).sum(),
        guide_private_gmv=ibis.ifelse(private & has_guide, o.gmv, 0.0).sum(),
        n=o.count(),
        attributed=o.count(where=has_guide | o.campaign_id.notnull()),
    )
    flows = trailing_sum(
        spine, weekly, ["private_gmv", "guide_private_gmv", "n", "attributed"], TRAILING_WEEKS
    )

    role = guides.role.fill_null("sales")
    sales = guides.filter(~role.isin(PROGRAMME_ROLES)).select("merchant_id", "guide_id")
    g = o.filter(has_guide).semi_join(sales, ["merchant_id", "guide_id"])
    per_week = g.group_by([*KEYS, "guide_id"]).aggregate(gmv=g.gmv.sum())
    window = trailing(spine, per_week, TRAILING_WEEKS)
    per = window.group_by([*KEYS, "guide_id"]).aggregate(gmv=window.gmv.sum())
    per = per.filter(per.gmv > 0)
    stats = per.group_by(KEYS).aggregate(active_guides=per.count(), guide_gmv=per.gmv.sum())
    medians = quantile(per, "gmv", 0.5, KEYS, "median")
    p90s = quantile(per, "gmv", 0.9, KEYS, "p90")

    ident = o.filter(o.identity.notnull()).select(*KEYS, "identity", "channel").distinct()
    window = trailing(spine, ident, TRAILING_WEEKS)
    channels = window.group_by([*KEYS, "identity"]).aggregate(n=window.channel.nunique())
    cross = channels.group_by(KEYS).aggregate(
        ids=channels.count(), multi=channels.count(where=channels.n >= 2)
    )
    out = on_spine(spine, flows, stats, medians, p90s, cross)
    return out.select(
        *KEYS,
        guide_gmv_share=ratio(out.guide_private_gmv, out.private_gmv),
        attributable_order_share=ratio(out.attributed, out.n),
        _active=out.active_guides.fill_null(0).cast("float64"),
        _guide_gmv=out.guide_gmv,
        _spread=ratio(out.p90, out.median),
        cross_channel_share=ratio(out.multi, out.ids),
    )


def freshness(spine: ir.Table, orders: ir.Table, bounds: ir.Table) -> ir.Table:
    """Days from the end of each week (or the last day of data, if earlier) back to the
    merchant's latest order day up to then."""
    first = spine.group_by("merchant_id").aggregate(_wk=spine.wk.min(), _from=spine.week.min())
    o = orders.join(first, orders.merchant_id == first.merchant_id)
    # the latest order day before the first spine week counts in it, then a running max
    earlier = o.filter(o.ordered_on < o._from)
    earlier = earlier.group_by([o.merchant_id, o._wk]).aggregate(day=earlier.ordered_on.max())
    earlier = earlier.select("merchant_id", wk="_wk", day=day_number(earlier.day))
    later = o.filter(o.ordered_on >= o._from)
    later = later.mutate(wk=week_number(later.ordered_on))
    later = later.group_by(KEYS).aggregate(day=day_number(later.ordered_on.max()))
    s = spine.select(*KEYS, _spine=ibis.literal(True), day=ibis.null("float64"))
    both = ibis.union(  # day numbers as floats: one type on every engine's union
        s,
        earlier.select(*KEYS, _spine=ibis.literal(False), day=earlier.day.cast("float64")),
        later.select(*KEYS, _spine=ibis.literal(False), day=later.day.cast("float64")),
    )
    so_far = ibis.window(group_by="merchant_id", order_by="wk", range=(None, 0))
    latest = both.mutate(latest=both.day.max().over(so_far))
    latest = latest.filter(latest._spine).select(*KEYS, "latest")
    out = on_spine(spine, latest).cross_join(bounds)
    end = out.wk * 7 + 6
    last = day_number(out.last_day)
    end = ibis.ifelse(last.notnull() & (last < end), last, end)
    return out.select(*KEYS, freshness_days=(end - out.latest).cast("float64"))


def format_mix_fit(wide: ir.Table, config: Config) -> ir.Value:
    """1 - half the distance between the merchant's mix of followers, contacts and members
    and its industry's target mix."""
    stocks = [ibis.greatest(wide[STOCKS[f]], 0) for f in FORMATS]
    total = stocks[0] + stocks[1] + stocks[2]
    mixes = {k: v for k, v in config.format_mix.items() if k != "default"}
    distance = ibis.literal(0.0)
    for k, share in enumerate(stocks):
        target = ibis.cases(
            *((wide.industry == name, mix[k]) for name, mix in mixes.items()),
            else_=config.format_mix["default"][k],
        )
        distance = distance + (ratio(share, total) - target).abs()
    return 1 - 0.5 * distance


def parts(
    spine: ir.Table,
    days: ir.Table,
    events: ir.Table,
    orders: ir.Table,
    guides: ir.Table,
    bounds: ir.Table,
    carried: ir.Table | None = None,
    deltas: ir.Table | None = None,
) -> dict[str, ir.Table]:
    """The indicators' parts per merchant and week (merchant_id, wk, ...), by input
    (`carried`, `deltas`: as `touchpoint_indicators` takes them)."""
    return {
        "days": day_indicators(spine, days),
        "touchpoints": touchpoint_indicators(spine, events, carried, deltas),
        "staffing": staffing(spine, guides),
        "orders": order_indicators(spine, orders, guides),
        "freshness": freshness(spine, orders, bounds),
    }


def indicators(
    merchants: ir.Table,
    days: ir.Table,
    events: ir.Table,
    orders: ir.Table,
    guides: ir.Table,
    rejection: ir.Table,
    bounds: ir.Table,
    config: Config,
) -> ir.Table:
    """One row per merchant and week (from LEAD_WEEKS before the first cohort's start):
    merchant_id, week, industry and a column per indicator of the configuration."""
    spine = spine_of(days)
    measured = parts(spine, days, events, orders, guides, bounds)
    return wide_rows(spine, list(measured.values()), merchants, rejection, bounds, config)


def wide_rows(
    spine: ir.Table,
    measured: list[ir.Table],
    merchants: ir.Table,
    rejection: ir.Table,
    bounds: ir.Table,
    config: Config,
) -> ir.Table:
    """The indicators from the spine (merchant_id, wk, week) and the measured parts."""
    parts = [spine.select(*KEYS, "week"), *measured]
    wide = on_spine(spine, *parts)
    wide = wide.left_join(merchants, "merchant_id").drop("merchant_id_right")
    wide = wide.left_join(rejection, "merchant_id").drop("merchant_id_right")
    wide = wide.cross_join(bounds)
    first = day_number(wide.first_start) - 7 * LEAD_WEEKS
    wide = wide.filter(wide.first_start.isnull() | (day_number(wide.week) >= first))
    stores = wide.stores
    values = {
        "cloud_users_per_store": ratio(wide.cloud_users, stores),
        "mp_fans_per_store": ratio(wide.mp_fans, stores),
        "contacts_reachable_share": ratio(wide.reachable, wide.wecom_contacts, cap=1.0),
        "community_active_share": ratio(wide.community_active, wide.community_members, cap=1.0),
        "format_mix_fit": format_mix_fit(wide, config),
        "guides_connected_share": ratio(wide.guides_connected, wide.sales_guides, cap=1.0),
        "contacts_per_guide": ratio(wide.wecom_contacts, wide.sales_guides),
        "active_guides": wide._active,
        "active_guide_share": ratio(wide._active, wide.sales_guides, cap=1.0),
        "guide_productivity": ratio(wide._guide_gmv, wide._active) / TRAILING_WEEKS,
        "top_median_ratio": ibis.ifelse(
            wide._active >= MIN_GUIDES_FOR_SPREAD, wide._spread, ibis.null("float64")
        ),
        "rejection_rate": wide.rejection_rate.cast("float64"),
    }
    columns = {
        key: (values[key] if key in values else wide[key]).cast("float64")
        for key in config.indicators
    }
    return wide.select("merchant_id", "week", "industry", **columns)
