"""Offers: a segment (or each tier of one) becomes a campaign with a treatment group and a
random holdout, written into the staging tables `campaigns` and `campaign_assignments`
exactly as a delivered campaign would be (batch_id NULL: made in the product, not
delivered), so ROI tracking reads it the same way.

The holdout is reproducible: customers are ordered by a SHA-256 hash of
"<campaign_id>:<customer_id>" and the first round(share x n) are held out. The same
campaign id and customers always give the same groups, whatever order they come in,
and the holdout is exactly the asked share (to the nearest customer).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection, Engine, case, func, insert, select

from models.contract import CHANNELS
from models.db import read_frame
from models.schema import Campaign, CampaignAssignment, Merchant, table_of
from models.scope import Scope
from models.segments import Tier, members

PREFIX = "SEG"
MAX_HOLDOUT = 0.9


class OfferError(ValueError):
    """A campaign that cannot be created, with the reason."""


def holdout_groups(campaign_id: str, customer_ids: Iterable[str], share: float) -> pd.DataFrame:
    """Columns customer_id, group ("treatment" / "holdout"), ordered by customer id."""
    if not 0 <= share <= MAX_HOLDOUT:
        raise OfferError(f"the holdout share must be between 0 and {MAX_HOLDOUT:.0%}")
    ids = sorted(set(customer_ids))
    keyed = sorted(ids, key=lambda cid: hashlib.sha256(f"{campaign_id}:{cid}".encode()).hexdigest())
    held = set(keyed[: round(share * len(ids))])
    return pd.DataFrame(
        {"customer_id": ids, "group": ["holdout" if c in held else "treatment" for c in ids]}
    )


def next_campaign_id(connection: Connection, merchant_id: str) -> str:
    """SEG-<merchant>-<n>, n one above the highest such campaign of the merchant."""
    c = table_of(Campaign).c
    prefix = f"{PREFIX}-{merchant_id}-"
    existing = connection.execute(
        select(c.campaign_id).where(c.campaign_id.startswith(prefix, autoescape=True))
    ).scalars()
    numbers = [
        int(m.group(1))
        for cid in existing
        if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", cid)) is not None
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


@dataclass(frozen=True)
class CreatedCampaign:
    campaign_id: str
    treatment: int
    holdout: int


def create_campaign(
    *,
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    name: str,
    customer_ids: Sequence[str],
    offer: str,
    holdout_share: float,
    start_date: date,
    end_date: date | None = None,
    cost: float = 0.0,
    channel: str | None = None,
    segment_id: str | None = None,
) -> CreatedCampaign:
    """Create one campaign for these customers of `merchant_id` with a holdout."""
    name, offer = name.strip(), offer.strip()
    if not name or len(name) > 200:
        raise OfferError("a campaign needs a name of 1 to 200 characters")
    if not offer or len(offer) > 200:
        raise OfferError("an offer needs 1 to 200 characters")
    if not customer_ids:
        raise OfferError("the segment has no customers")
    if cost < 0:
        raise OfferError("the cost cannot be negative")
    if end_date is not None and end_date < start_date:
        raise OfferError("the end date is before the start date")
    if channel is not None and channel not in CHANNELS:
        raise OfferError(f"unknown channel {channel!r}; allowed: {', '.join(CHANNELS)}")
    m = table_of(Merchant).c
    with engine.begin() as connection:
        allowed = connection.execute(
            select(func.count()).where(
                m.merchant_id == merchant_id, scope.merchant_filter(m.merchant_id)
            )
        ).scalar_one()
        if not allowed:
            raise PermissionError(f"merchant {merchant_id!r} is not in this scope")
        campaign_id = next_campaign_id(connection, merchant_id)
        groups = holdout_groups(campaign_id, customer_ids, holdout_share)
        connection.execute(
            insert(table_of(Campaign)).values(
                campaign_id=campaign_id,
                merchant_id=merchant_id,
                name=name,
                start_date=start_date,
                cost=round(cost, 2),
                end_date=end_date,
                channel=channel,
                segment_id=segment_id,
                offer=offer,
                holdout_share=holdout_share,
                batch_id=None,
            )
        )
        records = groups.assign(campaign_id=campaign_id, merchant_id=merchant_id, batch_id=None)
        rows = records.to_dict("records")
        for offset in range(0, len(rows), 5_000):
            connection.execute(insert(table_of(CampaignAssignment)), rows[offset : offset + 5_000])
    held = int((groups["group"] == "holdout").sum())
    return CreatedCampaign(campaign_id, len(groups) - held, held)


def campaigns(*, engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    """The campaigns made from segments for this merchant, newest first, with group sizes."""
    c, a = table_of(Campaign).c, table_of(CampaignAssignment).c
    sizes = (
        select(
            a.campaign_id,
            func.count().label("customers"),
            func.sum(case((a.group == "holdout", 1), else_=0)).label("holdout"),
        )
        .group_by(a.campaign_id)
        .subquery()
    )
    stmt = (
        select(
            c.campaign_id,
            c.name,
            c.offer,
            c.start_date,
            c.holdout_share,
            c.segment_id,
            func.coalesce(sizes.c.customers, 0).label("customers"),
            func.coalesce(sizes.c.holdout, 0).label("holdout"),
        )
        .join(sizes, sizes.c.campaign_id == c.campaign_id, isouter=True)
        .where(
            c.merchant_id == merchant_id,
            scope.merchant_filter(c.merchant_id),
            c.campaign_id.startswith(f"{PREFIX}-{merchant_id}-", autoescape=True),
        )
        .order_by(c.start_date.desc(), c.campaign_id.desc())
    )
    return read_frame(engine, stmt)


def create_tier_campaigns(
    *,
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    tiers: Sequence[Tier],
    name: str,
    offers_by_tier: dict[str, str],
    holdout_share: float,
    start_date: date,
    cost: float = 0.0,
    segment_id: str | None = None,
) -> list[CreatedCampaign]:
    """One campaign per tier that has customers (one for a plain segment), each with its
    tier's offer and the same holdout share; the cost is split by the tiers' customers."""
    people = members(engine=engine, scope=scope, merchant_id=merchant_id, tiers=tiers)
    if people.empty:
        raise OfferError("the segment has no customers")
    for tier in tiers:
        if not (offers_by_tier.get(tier.name) or tier.offer or "").strip():
            raise OfferError(f"give an offer for {tier.name}")
    made = []
    for tier in tiers:
        ids = list(people.loc[people["segment"] == tier.name, "customer_id"])
        if not ids:
            continue
        made.append(
            create_campaign(
                engine=engine,
                scope=scope,
                merchant_id=merchant_id,
                name=f"{name} · {tier.name}" if len(tiers) > 1 else name,
                customer_ids=ids,
                offer=offers_by_tier.get(tier.name) or tier.offer or "",
                holdout_share=holdout_share,
                start_date=start_date,
                cost=cost * len(ids) / len(people),
                segment_id=segment_id,
            )
        )
    return made
