"""Transform: the customer features mart (`mart_customer_features`), one row per merchant
and customer, rebuilt from staging for the merchants a delivery touched.

The per-customer order sums run in SQL; the pandas steps assemble them, follow each
customer's touchpoint memberships (joins and leaves, as `pipelines.marts` does for cloud
users) and score RFM per merchant. They are pure functions with tests on tiny frames.
Definitions: docs/segments.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, case, delete, distinct, func, insert, or_, select

from models.contract import CHANNELS
from models.db import read_frame
from models.schema import Customer, Order, TouchpointEvent, table_of
from models.schema_segments import MartCustomerFeatures
from models.segments import rfm_segment
from pipelines.bulk import write_frame
from pipelines.marts import CONNECT, DISCONNECT

MERCHANTS_PER_PASS = 25
FORMAT_COLUMNS = {
    "mini_program": "is_fan",
    "wecom_guide": "is_guide_contact",
    "community": "is_community_member",
}
# Frequency score from the number of purchase days (fixed: most customers buy once, and
# quintiles of a count where most values tie say nothing): 1, 2, 3, 4-5, 6+.
F_BREAKS = (1, 2, 3, 4, 6)
MART_COLUMNS = [c.name for c in table_of(MartCustomerFeatures).columns]

# --- SQL ----------------------------------------------------------------------------------


def customer_orders(connection: Connection, merchant_ids: Sequence[str]) -> pd.DataFrame:
    """Per merchant and identified customer: order counts, money, dates and channels.

    A purchase is an order not wholly refunded (no refund, or a refund below its GMV: a
    free order is a purchase); purchase days count the distinct days with a purchase, so
    several orders on one day are one purchase."""
    o = Order.__table__.c
    bought = or_(o.refund <= 0, o.refund < o.gmv)
    stmt = (
        select(
            o.merchant_id,
            o.customer_id,
            func.count().label("orders"),
            func.count(distinct(case((bought, o.ordered_on)))).label("purchase_days"),
            func.sum(o.gmv).label("gmv"),
            func.sum(o.refund).label("refunds"),
            func.min(case((bought, o.ordered_on))).label("first_order_on"),
            func.max(case((bought, o.ordered_on))).label("last_order_on"),
            *[func.max(case((o.channel == ch, 1), else_=0)).label(f"ch_{ch}") for ch in CHANNELS],
        )
        .where(o.merchant_id.in_(merchant_ids), o.customer_id.is_not(None))
        .group_by(o.merchant_id, o.customer_id)
    )
    return read_frame(connection, stmt)


def customer_places(connection: Connection, merchant_ids: Sequence[str]) -> pd.DataFrame:
    """Orders per customer and store, and per customer and guide (the assigned ones are
    picked in `assigned`)."""
    o = Order.__table__.c
    parts = []
    for kind, column in (("store", o.store_id), ("guide", o.guide_id)):
        stmt = (
            select(
                o.merchant_id,
                o.customer_id,
                column.label("place"),
                func.count().label("n"),
                func.max(o.ordered_at).label("latest"),
            )
            .where(o.merchant_id.in_(merchant_ids), o.customer_id.is_not(None), column.is_not(None))
            .group_by(o.merchant_id, o.customer_id, column)
        )
        parts.append(read_frame(connection, stmt).assign(kind=kind))
    return pd.concat(parts, ignore_index=True)


def customer_events(connection: Connection, merchant_ids: Sequence[str]) -> pd.DataFrame:
    """Joins and leaves of the three private-domain formats, with the guide of a contact."""
    e = TouchpointEvent.__table__.c
    stmt = select(
        e.merchant_id, e.customer_id, e.touchpoint, e.action, e.occurred_at, e.guide_id
    ).where(
        e.merchant_id.in_(merchant_ids),
        e.touchpoint.in_(tuple(FORMAT_COLUMNS)),
        e.action.in_(CONNECT + DISCONNECT),
    )
    return read_frame(connection, stmt)


def known_customers(connection: Connection, merchant_ids: Sequence[str]) -> pd.DataFrame:
    """Every customer staging knows, with first_seen_on and member_level."""
    c = Customer.__table__.c
    stmt = select(c.merchant_id, c.customer_id, c.first_seen_on, c.member_level).where(
        c.merchant_id.in_(merchant_ids)
    )
    return read_frame(connection, stmt)


def last_days(connection: Connection, merchant_ids: Sequence[str]) -> pd.DataFrame:
    """Per merchant: its latest order day and latest touchpoint event day."""
    o, e = Order.__table__.c, TouchpointEvent.__table__.c
    orders = read_frame(
        connection,
        select(o.merchant_id, func.max(o.ordered_on).label("day"))
        .where(o.merchant_id.in_(merchant_ids))
        .group_by(o.merchant_id),
    )
    events = read_frame(
        connection,
        select(e.merchant_id, func.max(e.occurred_on).label("day"))
        .where(e.merchant_id.in_(merchant_ids))
        .group_by(e.merchant_id),
    )
    both = pd.concat([orders, events], ignore_index=True)
    if both.empty:
        return pd.DataFrame(columns=["merchant_id", "as_of"])
    both["day"] = pd.to_datetime(both["day"])
    return both.groupby("merchant_id", as_index=False)["day"].max().rename(columns={"day": "as_of"})


# --- pure transforms ------------------------------------------------------------------------


def memberships(events: pd.DataFrame) -> pd.DataFrame:
    """Per customer: connected now (after its last join or leave) to each format, and the
    guide of its latest WeCom contact."""
    columns = ["merchant_id", "customer_id", *FORMAT_COLUMNS.values(), "contact_guide_id"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    ev = events.sort_values(
        ["merchant_id", "customer_id", "touchpoint", "occurred_at"], kind="stable"
    )
    last = ev.groupby(["merchant_id", "customer_id", "touchpoint"], as_index=False).last()
    last["on"] = last["action"].isin(CONNECT)
    wide = (
        last.pivot_table(
            index=["merchant_id", "customer_id"], columns="touchpoint", values="on", aggfunc="max"
        )
        .reindex(columns=list(FORMAT_COLUMNS))
        .eq(True)  # a format the customer never touched (NaN) is not connected
        .rename(columns=FORMAT_COLUMNS)
    )
    contacts = ev[(ev["touchpoint"] == "wecom_guide") & (ev["action"] == "add_contact")]
    contacts = contacts[contacts["guide_id"].notna()]
    guide = contacts.groupby(["merchant_id", "customer_id"])["guide_id"].last()
    wide["contact_guide_id"] = guide.reindex(wide.index)
    return wide.reset_index()[columns]


def assigned(places: pd.DataFrame) -> pd.DataFrame:
    """The store and guide of most of a customer's orders (ties: the latest)."""
    columns = ["merchant_id", "customer_id", "store_id", "order_guide_id"]
    if places.empty:
        return pd.DataFrame(columns=columns)
    ranked = places.sort_values(
        ["merchant_id", "customer_id", "kind", "n", "latest", "place"], kind="stable"
    )
    top = ranked.groupby(["merchant_id", "customer_id", "kind"], as_index=False).last()
    wide = top.pivot(index=["merchant_id", "customer_id"], columns="kind", values="place")
    wide = wide.reindex(columns=["store", "guide"]).rename(
        columns={"store": "store_id", "guide": "order_guide_id"}
    )
    return wide.reset_index()[columns]


def score_quintile(values: pd.Series) -> pd.Series:
    """Scores 1-5 by rank among the given values (higher value, higher score); equal
    values share a score: 1 + floor(5 * (values strictly below) / n)."""
    n = len(values)
    if n == 0:
        return pd.Series(dtype="Int64")
    below = values.rank(method="min") - 1
    return (1 + np.floor(5 * below / n)).astype("Int64")


def score_frequency(purchase_days: pd.Series) -> pd.Series:
    """1, 2, 3 purchase days -> 1, 2, 3; 4-5 -> 4; 6 or more -> 5."""
    return pd.Series(
        np.searchsorted(np.array(F_BREAKS), purchase_days.to_numpy(), side="right"),
        index=purchase_days.index,
    ).astype("Int64")


def rfm_scores(features: pd.DataFrame) -> pd.DataFrame:
    """R, F and M scores (1-5) of each merchant's buyers and their named RFM segment;
    customers without a purchase get none. R ranks recency (fewer days since the last
    purchase is better), M ranks GMV, both within the merchant."""
    out = features.copy()
    for column in ("r_score", "f_score", "m_score"):
        out[column] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    buyers = out["purchase_days"] > 0
    for _, rows in out[buyers].groupby("merchant_id"):
        out.loc[rows.index, "r_score"] = score_quintile(-rows["days_since_last_order"])
        out.loc[rows.index, "m_score"] = score_quintile(rows["gmv"])
        out.loc[rows.index, "f_score"] = score_frequency(rows["purchase_days"])
    out["rfm_segment"] = [
        rfm_segment(None if pd.isna(r) else int(r), None if pd.isna(f) else int(f))
        for r, f in zip(out["r_score"], out["f_score"], strict=True)
    ]
    return out


def customer_features(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    places: pd.DataFrame,
    events: pd.DataFrame,
    as_of: pd.DataFrame,
) -> pd.DataFrame:
    """Assemble the mart rows (see docs/segments.md for each column)."""
    keys = ["merchant_id", "customer_id"]
    known = [f[keys] for f in (customers, orders, events) if not f.empty]
    if not known:
        return pd.DataFrame(columns=MART_COLUMNS)
    ids = pd.concat(known, ignore_index=True).drop_duplicates()
    out = (
        ids.merge(customers, on=keys, how="left")
        if not customers.empty
        else ids.assign(first_seen_on=None, member_level=None)
    )
    out = out.merge(orders, on=keys, how="left")
    out = out.merge(memberships(events), on=keys, how="left")
    out = out.merge(assigned(places), on=keys, how="left")
    out = out.merge(as_of, on="merchant_id", how="left")

    out["as_of"] = pd.to_datetime(out["as_of"])
    for column in ("first_order_on", "last_order_on", "first_seen_on"):
        out[column] = pd.to_datetime(out[column])
    for column in ("orders", "purchase_days"):
        out[column] = pd.to_numeric(out[column]).fillna(0).astype(int)
    for column in ("gmv", "refunds"):
        out[column] = pd.to_numeric(out[column]).fillna(0.0).astype(float)
    out["repurchases"] = (out["purchase_days"] - 1).clip(lower=0)
    out["aov"] = (out["gmv"] / out["orders"].where(out["orders"] > 0)).round(2)
    out["days_since_last_order"] = (out["as_of"] - out["last_order_on"]).dt.days.astype("Int64")
    out["days_since_first_order"] = (out["as_of"] - out["first_order_on"]).dt.days.astype("Int64")
    first_event = (
        events.assign(day=pd.to_datetime(events["occurred_at"]).dt.normalize())
        .groupby(keys, as_index=False)["day"]
        .min()
        if not events.empty
        else pd.DataFrame(columns=[*keys, "day"])
    )
    out = out.merge(first_event, on=keys, how="left")
    known_since = out[["first_seen_on", "first_order_on"]].min(axis=1)
    known_since = known_since.combine(
        pd.to_datetime(out["day"]),
        lambda a, b: min([d for d in (a, b) if not pd.isna(d)], default=pd.NaT),
    )
    out["tenure_days"] = (out["as_of"] - known_since).dt.days.fillna(0).clip(lower=0).astype(int)

    flags = [f"ch_{ch}" for ch in CHANNELS]
    out[flags] = out[flags].apply(pd.to_numeric).fillna(0).astype(bool)
    out["channels"] = [
        ", ".join(ch for ch, on in zip(CHANNELS, row, strict=True) if on)
        for row in out[flags].itertuples(index=False)
    ]
    out["channel_count"] = out[flags].sum(axis=1).astype(int)
    formats = list(FORMAT_COLUMNS.values())
    out[formats] = out[formats].fillna(False).astype(bool)
    out["touchpoint_count"] = out[formats].sum(axis=1).astype(int)
    out["is_cloud_user"] = out["touchpoint_count"] > 0
    out["guide_id"] = out["contact_guide_id"].where(
        out["contact_guide_id"].notna(), out["order_guide_id"]
    )
    out = rfm_scores(out)
    for column in ("as_of", "first_seen_on", "first_order_on", "last_order_on"):
        out[column] = out[column].dt.date
    out = out[MART_COLUMNS].astype(object)
    return out.where(out.notna(), None)


# --- rebuild ------------------------------------------------------------------------------


def rebuild_customer_features(
    connection: Connection,
    merchant_ids: Sequence[str],
    *,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Replace the customer feature rows of these merchants with rows rebuilt from
    staging; returns the number of rows written."""
    mart = table_of(MartCustomerFeatures)
    written = 0
    ids = list(merchant_ids)
    for start in range(0, len(ids), MERCHANTS_PER_PASS):
        batch = ids[start : start + MERCHANTS_PER_PASS]
        if progress:
            progress(f"customer features: merchants {start + 1}–{start + len(batch)} of {len(ids)}")
        rows = customer_features(
            known_customers(connection, batch),
            customer_orders(connection, batch),
            customer_places(connection, batch),
            customer_events(connection, batch),
            last_days(connection, batch),
        )
        rows = rows[rows["as_of"].notna()]  # customers of a merchant with no dated data
        connection.execute(delete(mart).where(mart.c.merchant_id.in_(batch)))
        write_frame(connection, insert(mart), rows)
        written += len(rows)
    return written
