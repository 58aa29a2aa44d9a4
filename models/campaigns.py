"""Campaign and channel payback: the scoped reads of campaigns, their groups and orders,
one call per view, and the merchant's margin rate. The definitions and the arithmetic are
in `models/campaign_figures.py`, the JSON report in `models/campaign_report.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from models.campaign_figures import (
    CAMPAIGN_COLUMNS,
    DEFAULT_DAYS,
    NONE,
    Interval,
    campaign_end,
    holdout_figures,
    margin_rate,
    payback_day,
    roi_curve,
    summarise,
)
from models.db import read_frame
from models.permissions import require
from models.schema import Campaign, CampaignAssignment, Merchant, Order, table_of
from models.schema_roi import MerchantMarginRate
from models.scope import Scope
from models.scope_check import require_merchant

_K = Campaign.__table__.c
_A = CampaignAssignment.__table__.c
_O = Order.__table__.c
_M = Merchant.__table__.c
_R = MerchantMarginRate.__table__.c


# --- reads -----------------------------------------------------------------------------


def campaign_list(
    *, engine: Engine, scope: Scope, merchant_id: str | None = None, cohort_id: str | None = None
) -> pd.DataFrame:
    """Campaigns in scope (of one merchant, or one cohort's merchants), newest first, with
    the margin rate that applies."""
    stmt = (
        select(
            _K.campaign_id,
            _K.merchant_id,
            _M.name.label("merchant_name"),
            _M.industry,
            _K.name,
            _K.start_date,
            _K.end_date,
            _K.cost,
            _K.channel,
            _K.offer,
            _K.holdout_share,
            _R.margin_rate.label("own_rate"),
        )
        .join(Merchant.__table__, _M.merchant_id == _K.merchant_id)
        .join(MerchantMarginRate.__table__, _R.merchant_id == _K.merchant_id, isouter=True)
        .where(scope.merchant_filter(_K.merchant_id))
        .order_by(_K.start_date.desc(), _K.campaign_id)
    )
    if merchant_id:
        stmt = stmt.where(_K.merchant_id == merchant_id)
    if cohort_id:
        stmt = stmt.where(_M.cohort_id == cohort_id)
    frame = read_frame(engine, stmt)
    frame["margin_rate"] = [
        margin_rate(i, r) for i, r in zip(frame["industry"], frame["own_rate"], strict=True)
    ]
    return frame.reindex(columns=CAMPAIGN_COLUMNS)


def _ends(engine: Engine, campaign_ids: list[str]):  # noqa: ANN202 - a SQL expression
    """Each campaign's last day as a SQL CASE on its id (the start + 29 days without an end
    date: computed here, as date arithmetic differs between databases)."""
    stmt = select(_K.campaign_id, _K.start_date, _K.end_date).where(
        _K.campaign_id.in_(campaign_ids)
    )
    with engine.connect() as connection:
        rows = connection.execute(stmt).all()
    ends = {cid: campaign_end(start, end) for cid, start, end in rows}
    if not ends:
        return _K.end_date
    return case(ends, value=_K.campaign_id, else_=_K.end_date)


def group_outcomes(*, engine: Engine, scope: Scope, campaign_ids: list[str]) -> pd.DataFrame:
    """Per campaign and group: customers, buyers (>= 1 order in the campaign window), GMV
    and the sum of squared per-customer GMV, from the assigned customers' orders.

    Two reads: the assigned customers per group, and the orders of each campaign's
    merchant inside its window (the merchant-day index) matched to the assignments by
    customer. Asking every assigned customer's whole order history instead took 30 s at
    scale m (a million assignments); customers without an order in the window add nothing
    to the sums."""
    columns = ["campaign_id", "group", "customers", "buyers", "gmv", "gmv2"]
    if not campaign_ids:
        return pd.DataFrame(columns=columns)
    assigned = (
        select(_A.campaign_id, _A.group, func.count().label("customers"))
        .where(scope.merchant_filter(_A.merchant_id), _A.campaign_id.in_(campaign_ids))
        .group_by(_A.campaign_id, _A.group)
    )
    end = _ends(engine, campaign_ids)
    per_customer = (
        select(
            _A.campaign_id,
            _A.group,
            _A.customer_id,
            func.sum(_O.gmv).label("gmv"),
        )
        .select_from(Campaign.__table__)
        .join(
            Order.__table__,
            and_(
                _O.merchant_id == _K.merchant_id,
                _O.ordered_on >= _K.start_date,
                _O.ordered_on <= end,
            ),
        )
        .join(
            CampaignAssignment.__table__,
            and_(
                _A.campaign_id == _K.campaign_id,
                _A.customer_id == _O.customer_id,
                _A.merchant_id == _O.merchant_id,
            ),
        )
        .where(scope.merchant_filter(_A.merchant_id), _K.campaign_id.in_(campaign_ids))
        .group_by(_A.campaign_id, _A.group, _A.customer_id)
        .subquery()
    )
    c = per_customer.c
    bought = select(
        c.campaign_id,
        c.group,
        func.count().label("buyers"),
        func.sum(c.gmv).label("gmv"),
        func.sum(c.gmv * c.gmv).label("gmv2"),
    ).group_by(c.campaign_id, c.group)
    frame = read_frame(engine, assigned).merge(
        read_frame(engine, bought).reindex(
            columns=["campaign_id", "group", "buyers", "gmv", "gmv2"]
        ),
        on=["campaign_id", "group"],
        how="left",
    )
    for column in ("customers", "buyers", "gmv", "gmv2"):
        frame[column] = frame[column].fillna(0).astype(float)
    return frame.reindex(columns=columns)


def attributed_gmv(*, engine: Engine, scope: Scope, campaign_ids: list[str]) -> pd.DataFrame:
    """GMV of the orders tagged with each campaign (attributed, not incremental)."""
    stmt = (
        select(_O.campaign_id, func.sum(_O.gmv).label("gmv"), func.count().label("orders"))
        .where(scope.merchant_filter(_O.merchant_id), _O.campaign_id.in_(campaign_ids))
        .group_by(_O.campaign_id)
    )
    return read_frame(engine, stmt).reindex(columns=["campaign_id", "gmv", "orders"])


def daily_by_group(*, engine: Engine, scope: Scope, campaign_id: str) -> pd.DataFrame:
    """GMV per day of the campaign window: per assigned group, and tagged with the
    campaign (`attributed`)."""
    end = _ends(engine, [campaign_id])
    assigned = (
        select(_A.group, _O.ordered_on.label("date"), func.sum(_O.gmv).label("gmv"))
        .join(Campaign.__table__, _K.campaign_id == _A.campaign_id)
        .join(
            Order.__table__,
            and_(_O.merchant_id == _A.merchant_id, _O.customer_id == _A.customer_id),
        )
        .where(
            scope.merchant_filter(_A.merchant_id),
            _A.campaign_id == campaign_id,
            _O.ordered_on >= _K.start_date,
            _O.ordered_on <= end,
        )
        .group_by(_A.group, _O.ordered_on)
    )
    tagged = (
        select(_O.ordered_on.label("date"), func.sum(_O.gmv).label("gmv"))
        .where(scope.merchant_filter(_O.merchant_id), _O.campaign_id == campaign_id)
        .group_by(_O.ordered_on)
    )
    frame = read_frame(engine, assigned).reindex(columns=["group", "date", "gmv"])
    attributed = (
        read_frame(engine, tagged).reindex(columns=["date", "gmv"]).assign(group="attributed")
    )
    out = pd.concat([frame, attributed], ignore_index=True)
    out["gmv"] = out["gmv"].astype(float)
    return out


# --- one call per view -----------------------------------------------------------------


def campaign_summary(
    *, engine: Engine, scope: Scope, merchant_id: str | None = None, cohort_id: str | None = None
) -> pd.DataFrame:
    """Every campaign in scope with its payback figures (see `summarise`)."""
    campaigns = campaign_list(
        engine=engine, scope=scope, merchant_id=merchant_id, cohort_id=cohort_id
    )
    ids = list(campaigns["campaign_id"])
    groups = group_outcomes(engine=engine, scope=scope, campaign_ids=ids)
    tagged = attributed_gmv(engine=engine, scope=scope, campaign_ids=ids)
    return summarise(campaigns, groups, tagged)


@dataclass
class CampaignDetail:
    summary: dict[str, object]  # one row of `summarise`
    repurchase_lift: Interval
    curve: pd.DataFrame  # CURVE_COLUMNS
    payback_day: int | None
    roi_day_30: float | None


def campaign_detail(*, engine: Engine, scope: Scope, campaign_id: str) -> CampaignDetail | None:
    """One campaign: its figures, the cumulative ROI curve and the payback day."""
    campaigns = campaign_list(engine=engine, scope=scope)
    campaigns = campaigns[campaigns["campaign_id"] == campaign_id]
    if campaigns.empty:
        return None
    groups = group_outcomes(engine=engine, scope=scope, campaign_ids=[campaign_id])
    tagged = attributed_gmv(engine=engine, scope=scope, campaign_ids=[campaign_id])
    row = summarise(campaigns, groups, tagged).iloc[0].to_dict()
    figures = holdout_figures(groups)
    start = row["start_date"]
    end = campaign_end(start, row["end_date"] if pd.notna(row["end_date"]) else None)
    curve = roi_curve(
        daily_by_group(engine=engine, scope=scope, campaign_id=campaign_id),
        start=start,
        end=max(end, start + timedelta(days=DEFAULT_DAYS - 1)),
        cost=float(row["cost"] or 0),
        rate=float(row["margin_rate"]),
        treatment=figures.treatment if figures else None,
        holdout=figures.holdout if figures else None,
    )
    day_30 = curve[curve["day"] == DEFAULT_DAYS]
    return CampaignDetail(
        summary=row,
        repurchase_lift=figures.repurchase_lift if figures else NONE,
        curve=curve,
        payback_day=payback_day(curve),
        roi_day_30=None if day_30.empty else float(day_30["roi"].iloc[0]),
    )


def set_margin_rate(
    *, engine: Engine, scope: Scope, merchant_id: str, rate: float, user: str = ""
) -> None:
    """Set a merchant's margin rate (0..1). Only an executive or the merchant itself may:
    anyone else gets `NotAllowed`, a merchant outside the scope `OutOfScope`."""
    require(scope, "margin_rate")
    if not 0 <= rate <= 1:
        raise ValueError("a margin rate is between 0 and 1")
    table = table_of(MerchantMarginRate)
    with engine.begin() as connection:
        require_merchant(connection, scope, merchant_id)
        connection.execute(table.delete().where(table.c.merchant_id == merchant_id))
        connection.execute(
            table.insert().values(merchant_id=merchant_id, margin_rate=rate, updated_by=user)
        )
