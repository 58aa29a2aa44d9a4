"""Offers: a segment (or each tier of one) becomes a campaign with a treatment group and a
random holdout, written into the staging tables `campaigns` and `campaign_assignments`
exactly as a delivered campaign would be (batch_id NULL: made in the product, not
delivered), so ROI tracking reads it the same way.

A campaign starts by default the day after the merchant's last data (today when the data
is live, up to yesterday); a start before that is a campaign that already ran and needs
`already_ran=True`. The cost of a campaign of several tiers is split across them by
their customers, equally, or as typed (`split_cost`), and each tier's holdout is checked
for what it can detect (`tier_plan`, from `models.planning`).

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
from datetime import date, timedelta
from typing import Literal

import pandas as pd
from sqlalchemy import Connection, Engine, case, func, insert, select

from models import planning
from models.contract import CHANNELS
from models.db import read_frame
from models.permissions import require
from models.schema import Campaign, CampaignAssignment, Order, table_of
from models.scope import Scope
from models.scope_check import require_merchant
from models.segments import Tier, members
from models.segments.store import NAME_MAX

PREFIX = "SEG"
MAX_HOLDOUT = 0.9


CostSplit = Literal["customers", "equal", "typed"]
COST_SPLITS: tuple[CostSplit, ...] = ("customers", "equal", "typed")


class OfferError(ValueError):
    """A campaign that cannot be created, with the reason."""


def last_data_day(*, engine: Engine, scope: Scope, merchant_id: str) -> date | None:
    """The merchant's last day with an order."""
    o = table_of(Order).c
    stmt = select(func.max(o.ordered_on)).where(
        o.merchant_id == merchant_id, scope.merchant_filter(o.merchant_id)
    )
    with engine.connect() as connection:
        return connection.execute(stmt).scalar()


def default_start(last_data: date | None, today: date) -> date:
    """The day after the last data; today when the data is live (up to yesterday) or
    there is none."""
    if last_data is None or last_data >= today - timedelta(days=1):
        return today
    return last_data + timedelta(days=1)


def check_start(start: date, earliest: date, *, already_ran: bool) -> None:
    """A start before `earliest` (the default start) only for a campaign that already ran."""
    if start < earliest and not already_ran:
        raise OfferError(
            f"the start {start.isoformat()} is before {earliest.isoformat()}, the day after "
            "the last data; to record a campaign that already ran, say so"
        )


def split_cost(
    cost: float, sizes: dict[str, int], how: CostSplit, typed: dict[str, float] | None = None
) -> dict[str, float]:
    """Each tier's share of the cost: by its customers, equal, or as typed (the typed
    costs are the tiers' costs; their sum is the campaign's)."""
    tiers = [name for name, n in sizes.items() if n > 0]
    if not tiers:
        return {}
    if how == "typed":
        costs = {name: float((typed or {}).get(name, 0.0)) for name in tiers}
        if any(c < 0 for c in costs.values()):
            raise OfferError("a tier's cost cannot be negative")
        return costs
    if cost < 0:
        raise OfferError("the cost cannot be negative")
    if how == "equal":
        return {name: cost / len(tiers) for name in tiers}
    if how == "customers":
        total = sum(sizes[name] for name in tiers)
        return {name: cost * sizes[name] / total for name in tiers}
    raise OfferError(f"unknown cost split {how!r}; allowed: {', '.join(COST_SPLITS)}")


PLAN_COLUMNS = ["tier", "customers", "treatment", "holdout", "detectable_lift", "readable"]


def tier_plan(
    *,
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    tiers: Sequence[Tier],
    holdout_share: float,
) -> pd.DataFrame:
    """Per tier: its customers, the groups the holdout share makes, the minimum detectable
    lift in GMV per customer (the merchant's own spend spread) and whether that is
    readable (at most `planning.READABLE_LIFT`)."""
    people = members(engine=engine, scope=scope, merchant_id=merchant_id, tiers=tiers)
    stats = planning.spend_stats(engine=engine, scope=scope, merchant_id=merchant_id)
    rows = []
    for tier in tiers:
        n = int((people["segment"] == tier.name).sum()) if not people.empty else 0
        treatment, held = planning.groups(n, holdout_share)
        lift = (
            planning.detectable_lift(
                customers=n, holdout_share=holdout_share, mean=stats.mean, sd=stats.sd
            )
            if stats is not None
            else None
        )
        rows.append(
            {
                "tier": tier.name,
                "customers": n,
                "treatment": treatment,
                "holdout": held,
                "detectable_lift": lift,
                "readable": lift is not None and lift <= planning.READABLE_LIFT,
            }
        )
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


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
    name: str = ""
    cost: float = 0.0


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
    if not name or len(name) > NAME_MAX:
        raise OfferError(f"a campaign needs a name of 1 to {NAME_MAX} characters")
    if not offer or len(offer) > NAME_MAX:
        raise OfferError(f"an offer needs 1 to {NAME_MAX} characters")
    if not customer_ids:
        raise OfferError("the segment has no customers")
    if cost < 0:
        raise OfferError("the cost cannot be negative")
    if end_date is not None and end_date < start_date:
        raise OfferError("the end date is before the start date")
    if channel is not None and channel not in CHANNELS:
        raise OfferError(f"unknown channel {channel!r}; allowed: {', '.join(CHANNELS)}")
    require(scope, "campaign")
    with engine.begin() as connection:
        require_merchant(connection, scope, merchant_id)
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
    return CreatedCampaign(campaign_id, len(groups) - held, held, name, round(cost, 2))


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
    cost_split: CostSplit = "customers",
    costs_by_tier: dict[str, float] | None = None,
    already_ran: bool = False,
    channel: str | None = None,
    today: date | None = None,
) -> list[CreatedCampaign]:
    """One campaign per tier that has customers (one for a plain segment), each with its
    tier's offer and the same holdout share; the cost split across tiers as chosen
    (`split_cost`); a start before the day after the last data only with `already_ran`."""
    last = last_data_day(engine=engine, scope=scope, merchant_id=merchant_id)
    check_start(start_date, default_start(last, today or date.today()), already_ran=already_ran)
    people = members(engine=engine, scope=scope, merchant_id=merchant_id, tiers=tiers)
    if people.empty:
        raise OfferError("the segment has no customers")
    for tier in tiers:
        if not (offers_by_tier.get(tier.name) or tier.offer or "").strip():
            raise OfferError(f"give an offer for {tier.name}")
    sizes = {tier.name: int((people["segment"] == tier.name).sum()) for tier in tiers}
    costs = split_cost(cost, sizes, cost_split, costs_by_tier)
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
                cost=costs[tier.name],
                segment_id=segment_id,
                channel=channel,
            )
        )
    return made
