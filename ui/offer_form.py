"""The offer form of the segment builder: an offer per tier, a holdout share checked
tier by tier for what it can detect (`models.offers.tier_plan`), a start that defaults to
the day after the merchant's last data (a past start only for a campaign that already
ran), a channel, the cost and how it is split across tiers; creating links to payback.
The rules are in `models.offers` and `models.planning`; this module draws."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any, cast

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from i18n import format as fmt
from i18n.format import Lang
from models import offers, planning
from models import segments as sg
from models.contract import CHANNELS
from models.scope import Scope
from ui import charts_roi, widgets
from ui.data import TTL
from ui.data import roi as roi_data
from ui.data import segments as segment_data
from ui.failure_text import offer_reason
from ui.i18n import has, t
from ui.segment_text import reason as segment_reason

NO_CHANNEL = ""
PAYBACK_PAGE = "campaigns"
SPLIT_KEYS: dict[offers.CostSplit, str] = {
    "customers": "offer.split.customers",
    "equal": "offer.split.equal",
    "typed": "offer.split.typed",
}


def _tiers(tiers: str) -> tuple[sg.Tier, ...]:
    return segment_data._tiers(tiers)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def tier_plan(
    _engine: Engine, scope: Scope, merchant_id: str, tiers: str, holdout_share: float
) -> pd.DataFrame:
    return offers.tier_plan(
        engine=_engine,
        scope=scope,
        merchant_id=merchant_id,
        tiers=_tiers(tiers),
        holdout_share=holdout_share,
    )


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def spend(_engine: Engine, scope: Scope, merchant_id: str) -> planning.SpendStats | None:
    return planning.spend_stats(engine=_engine, scope=scope, merchant_id=merchant_id)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def last_data_day(_engine: Engine, scope: Scope, merchant_id: str) -> date | None:
    return offers.last_data_day(engine=_engine, scope=scope, merchant_id=merchant_id)


def campaign_words(name: object) -> str:
    """A campaign name made in the product (`repurchase_tiers · repurchased_2_to_5`) in
    words: each template or tier name through the catalog, anything else as typed (plain
    text: escape it before it goes into Markdown)."""
    parts = []
    for part in str(name or "").split(" · "):
        for key in (f"segments.template.{part}", f"segments.tier.{part}"):
            if has(key):
                parts.append(t(key))
                break
        else:
            parts.append(part)
    return " · ".join(parts)


def customers(n: object, lang: Lang) -> str:
    """`1 customer`, `12 customers`."""
    if n == 1:
        return t("offer.customers.one")
    return t("offer.customers.many", n=fmt.count(n, lang))


def _plan(
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    tiers: str,
    share: float,
    label: Callable[[str], str],
    lang: Lang,
) -> pd.DataFrame:
    plan = tier_plan(engine, scope, merchant_id, tiers, share)
    st.markdown(f"**{t('offer.plan.header')}**")
    st.caption(
        t(
            "offer.plan.caption",
            readable=fmt.percent_change(planning.READABLE_LIFT, lang),
            power=f"{planning.POWER:.0%}",
            alpha=f"{planning.ALPHA:.0%}",
            days=planning.WINDOW_DAYS,
        )
    )
    stats = spend(engine, scope, merchant_id)
    if stats is None:
        st.info(t("offer.plan.no_spend"))
        return plan
    widgets.table(
        plan.assign(
            tier=plan["tier"].map(label),
            customers=plan["customers"].map(lambda v: fmt.count(v, lang)),
            holdout=plan["holdout"].map(lambda v: fmt.count(v, lang)),
            detectable_lift=plan["detectable_lift"].map(lambda v: fmt.percent_change(v, lang)),
            readable=plan["readable"].map(lambda v: t("common.yes") if v else t("common.no")),
        ),
        {
            "tier": "offer.plan.col.tier",
            "customers": "offer.plan.col.customers",
            "holdout": "offer.plan.col.holdout",
            "detectable_lift": "offer.plan.col.lift",
            "readable": "offer.plan.col.readable",
        },
        key=f"offer_plan_{merchant_id}",
        whole=True,
    )
    for row in plan[~plan["readable"] & (plan["customers"] > 0)].to_dict("records"):
        size = int(row["customers"])
        needed = planning.holdout_needed(
            customers=size, target_lift=planning.READABLE_LIFT, mean=stats.mean, sd=stats.sd
        )
        # the most this tier can show: half of it held out
        best = planning.detectable_lift(
            customers=size, holdout_share=0.5, mean=stats.mean, sd=stats.sd
        )
        if needed is not None:
            advice = t("offer.plan.advice.share", share=fmt.percent(needed, lang))
        elif best is not None:
            advice = t("offer.plan.advice.best", lift=fmt.percent_change(best, lang))
        else:
            advice = t("offer.plan.advice.tiny", n=planning.MIN_GROUP)
        lift = row["detectable_lift"]
        tier, held = label(str(row["tier"])), customers(row["holdout"], lang)
        st.warning(
            t(
                "offer.plan.too_small",
                tier=tier,
                holdout=held,
                lift=fmt.percent_change(lift, lang),
                advice=advice,
            )
            if lift is not None and lift == lift
            else t("offer.plan.too_few", tier=tier, holdout=held, advice=advice),
            icon="⚠️",
        )
    return plan


def render(
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    tiers: str,
    name: str,
    lang: Lang,
    *,
    multi: bool,
    tier_label: Callable[[str], str],
    offer_label: Callable[[str | None], str],
) -> None:
    """The whole form, under the segment's figures."""
    suffix = "tiers" if multi else "segment"
    parsed = json.loads(tiers)
    st.markdown(t("segments.offer.header"))
    offers_by_tier = {
        tier["name"]: st.text_input(
            t("segments.offer.for", tier=tier_label(tier["name"]))
            if multi
            else t("segments.offer.text"),
            value=offer_label(tier.get("offer")) if tier.get("offer") else "",
            key=f"segments_offer_{suffix}_{number}",
            max_chars=200,
        )
        for number, tier in enumerate(parsed)
    }
    holdout = st.slider(
        t("segments.offer.holdout"),
        min_value=5,
        max_value=50,
        value=20,
        step=5,
        format="%d%%",
        key=f"segments_holdout_{suffix}",
    )
    plan = _plan(engine, scope, merchant_id, tiers, holdout / 100, tier_label, lang)

    already_ran, start, channel = _when_and_channel(engine, scope, merchant_id, suffix, lang)
    left, right = st.columns(2)
    cost = left.number_input(
        t("segments.offer.cost"),
        min_value=0.0,
        value=0.0,
        step=100.0,
        key=f"segments_cost_{suffix}",
    )
    how: offers.CostSplit = "customers"
    typed: dict[str, float] = {}
    if multi:
        how, typed = _cost_split(right, plan, parsed, float(cost), suffix, tier_label, lang)
    if st.button(
        t("segments.offer.create"), icon=":material/campaign:", key=f"segments_create_{suffix}"
    ):
        _create(
            engine,
            scope,
            merchant_id,
            tiers,
            lang,
            tier_label,
            name=name,
            offers_by_tier=offers_by_tier,
            holdout_share=holdout / 100,
            start_date=start,
            cost=float(cost),
            cost_split=how,
            costs_by_tier=typed or None,
            already_ran=already_ran,
            channel=channel or None,
        )


def _when_and_channel(
    engine: Engine, scope: Scope, merchant_id: str, suffix: str, lang: Lang
) -> tuple[bool, Any, str]:
    """Whether the offer already ran, its first day (the earliest possible unless it ran)
    and its channel."""
    earliest = offers.default_start(last_data_day(engine, scope, merchant_id), date.today())
    already_ran = st.checkbox(  # a row of its own: its label is a sentence
        t("offer.already_ran", day=fmt.day(earliest, lang)), key=f"segments_ran_{suffix}"
    )
    middle, right = st.columns(2)
    start = middle.date_input(
        t("segments.offer.start"),
        value=earliest,
        min_value=None if already_ran else earliest,
        key=f"segments_start_{suffix}_{'past' if already_ran else 'next'}",
        format="YYYY-MM-DD",
        help=t("offer.start.help", day=fmt.day(earliest, lang)),
    )
    channel = right.selectbox(
        t("offer.channel"),
        [NO_CHANNEL, *CHANNELS],
        format_func=lambda c: charts_roi.channel_name(c, lang) if c else t("offer.channel.none"),
        key=f"segments_channel_{suffix}",
    )
    return already_ran, start, channel


def _cost_split(
    right: Any,
    plan: pd.DataFrame,
    parsed: list[dict[str, Any]],
    cost: float,
    suffix: str,
    tier_label: Callable[[str], str],
    lang: Lang,
) -> tuple[offers.CostSplit, dict[str, float]]:
    """How the cost of several tiers is split (by customers, equally or typed), and the
    split it gives."""
    typed: dict[str, float] = {}
    sizes = dict(zip(plan["tier"], plan["customers"].astype(int), strict=True))
    how = cast(
        offers.CostSplit,
        right.radio(
            t("offer.split"),
            offers.COST_SPLITS,
            format_func=lambda h: t(SPLIT_KEYS[h]),
            horizontal=True,
            key=f"segments_split_{suffix}",
        ),
    )
    if how == "typed":
        columns = st.columns(max(len(parsed), 1))
        for number, tier in enumerate(parsed):
            typed[tier["name"]] = columns[number].number_input(
                t("offer.split.for", tier=tier_label(tier["name"])),
                min_value=0.0,
                value=0.0,
                step=100.0,
                key=f"segments_cost_{suffix}_{number}",
            )
    try:
        split = offers.split_cost(float(cost), sizes, how, typed)
    except offers.OfferError as exc:
        st.error(offer_reason(exc, lang, tier_label))
        split = {}
    if split:
        st.caption(" · ".join(f"{tier_label(k)}: {fmt.money(v, lang)}" for k, v in split.items()))
    return how, typed


def _create(
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    tiers: str,
    lang: Lang,
    tier_label: Callable[[str], str],
    **campaign: Any,
) -> None:
    try:
        made = segment_data.create_campaigns(engine, scope, merchant_id, tiers, **campaign)
    except ValueError as exc:
        said = (
            segment_reason(exc, lang)
            if isinstance(exc, sg.SegmentError)
            else offer_reason(exc, lang, tier_label)
        )
        st.error(t("segments.offer.failed", reason=said), icon=":material/error:")
        return
    # New campaigns change the payback figures (and nothing else that is cached).
    roi_data.campaign_summary.clear()
    roi_data.campaign_detail.clear()
    for created in made:
        st.success(
            t(
                "offer.done",
                name=fmt.plain(campaign_words(created.name)),
                treatment=customers(created.treatment, lang),
                holdout=customers(created.holdout, lang),
                cost=fmt.money(created.cost, lang),
            )
        )
    if made:
        st.session_state["campaigns_pick"] = made[0].campaign_id
        widgets.page_link(PAYBACK_PAGE, "offer.to_payback")
