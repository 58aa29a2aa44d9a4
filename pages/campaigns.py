"""Campaign and channel payback: cost, incremental GMV and margin, ROI, the cumulative ROI
curve, treatment against holdout, ROI by traffic channel. Figures from `models.campaigns`
through `ui.data.roi`; a merchant sees only its own campaigns."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from i18n import format as fmt
from i18n.format import Lang
from models.permissions import may_write
from models.scope import Scope
from ui import charts, charts_roi, data, offer_form, widgets
from ui.data import roi as roi_data
from ui.data.roi import campaign_end, channel_roi
from ui.i18n import t

if TYPE_CHECKING:
    from models.campaigns import CampaignDetail

ALL = ""
SEGMENTS_PAGE, MY_DATA_PAGE = "segments", "mydata"
SUMMARY_COLUMNS = {
    "name": "campaigns.col.name",
    "merchant_name": "campaigns.col.merchant",
    "channel": "campaigns.col.channel",
    "method": "campaigns.col.method",
    "cost": "campaigns.col.cost",
    "incremental_gmv": "campaigns.col.incremental",
    "roi": "campaigns.col.roi",
    "margin_roi": "campaigns.col.margin_roi",
    "lift": "campaigns.col.lift",
}
METHODS = {"holdout": "campaigns.method.holdout", "observational": "campaigns.method.observational"}


def _times(value: object) -> str:
    """A ratio as `10.2×`."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return fmt.MISSING
    return f"{number:.1f}×" if math.isfinite(number) else fmt.MISSING


def _channel(channel: object, lang: str) -> str:
    """A channel in words; a campaign without one says so (never "None")."""
    if channel is None or (isinstance(channel, float) and math.isnan(channel)) or channel == "":
        return t("campaigns.channel.unset")
    return charts_roi.channel_name(channel, lang)  # type: ignore[arg-type]


def _payback(day: int | None, lang: str) -> str:
    return (
        t("campaigns.payback.day", day=fmt.count(day, lang))
        if day
        else t("campaigns.payback.not_yet")
    )


def _marked(shown: str, readable: object) -> str:
    """A figure of a holdout too small to read carries the mark (never a bare figure)."""
    if readable is not False or shown == fmt.MISSING:
        return shown
    return f"{shown} ({t('campaigns.small_mark')})"


def _delta(value: object, lang: str) -> str | None:
    """A change under a card; none at all when it cannot be computed (a holdout that
    bought nothing): a dash with a green arrow would read as a rise."""
    shown = fmt.percent_change(value, lang)
    return None if shown == fmt.MISSING else shown


def _lift(value: object, readable: object, lang: str) -> str:
    return _marked(fmt.percent_change(value, lang), readable)


def _merchant_filter() -> str | None:
    """A merchant user: itself. Others: one merchant of their scope, or all of them."""
    current = widgets.frame()
    if current.scope.role == "merchant":
        own = sorted(current.scope.merchant_ids or ())
        return own[0] if own else None
    choices = data.merchants(data.engine(), current.scope, current.cohort_id)
    names = {ALL: t("campaigns.all_merchants")}
    names |= dict(zip(choices["merchant_id"], choices["name"], strict=True))
    if st.session_state.get("campaigns_merchant") not in names:
        st.session_state["campaigns_merchant"] = ALL
    picked: str = st.selectbox(
        t("widget.merchant"), list(names), key="campaigns_merchant", format_func=names.__getitem__
    )
    return picked or None


def render() -> None:
    frame = widgets.frame()
    lang, scope = frame.lang, frame.scope
    st.title(t("campaigns.title"))
    if frame.window is None:
        widgets.no_data()
        return
    engine = data.engine()
    merchant_id = _merchant_filter()
    if scope.role == "merchant" and merchant_id is None:
        st.info(t("widget.merchant.none"))
        return
    summary = roi_data.campaign_summary(engine, scope, merchant_id, frame.cohort_id)
    if summary.empty and scope.role == "merchant":
        st.info(t("campaigns.none_yet"))
        widgets.page_link(SEGMENTS_PAGE, "campaigns.to_segments")
        widgets.page_link(MY_DATA_PAGE, "campaigns.to_mydata")
        return
    if summary.empty:
        widgets.missing_input("campaigns", "campaigns.title")
        return
    st.header(t("campaigns.list.header"), divider="gray")
    _campaign_list(summary, scope, lang)
    st.header(t("campaigns.channels.header"), divider="gray")
    _channels(summary, lang)
    st.header(t("campaigns.detail.header"), divider="gray")
    campaign_id = _pick_campaign(summary)
    detail = roi_data.campaign_detail(engine, scope, campaign_id)
    if detail is None:
        st.info(t("campaigns.none"))
        return
    _cards(detail, lang)
    _holdout(detail, lang)
    _curve(detail, campaign_id, lang)
    if may_write(scope, "margin_rate"):  # the rule is the model's (models/permissions.py)
        _margin_rate(engine, scope, detail.summary)


def _campaign_list(summary: pd.DataFrame, scope: Scope, lang: Lang) -> None:
    """All campaigns, one row each, and their CSV."""
    widgets.table(
        summary.assign(
            name=summary["name"].map(offer_form.campaign_words),
            channel=[_channel(c, lang) for c in summary["channel"]],
            method=[t(METHODS[m]) for m in summary["method"]],
            cost=summary["cost"].map(lambda v: fmt.money(v, lang)),
            incremental_gmv=summary["incremental_gmv"].map(lambda v: fmt.money(v, lang)),
            roi=[
                _marked(_times(v), r)
                for v, r in zip(summary["roi"], summary["readable"], strict=True)
            ],
            margin_roi=[
                _marked(_times(v), r)
                for v, r in zip(summary["margin_roi"], summary["readable"], strict=True)
            ],
            lift=[
                _lift(v, r, lang) for v, r in zip(summary["lift"], summary["readable"], strict=True)
            ],
        ),
        # a merchant sees only itself: its name in every row says nothing
        {k: v for k, v in SUMMARY_COLUMNS.items() if k != "merchant_name"}
        if scope.role == "merchant"
        else SUMMARY_COLUMNS,
        key="campaigns_table",
    )
    widgets.export_csv(summary, "campaigns", key="campaigns_csv", label_key="roi.download")


def _channels(summary: pd.DataFrame, lang: Lang) -> None:
    """Return per channel."""
    channels = channel_roi(summary)
    st.plotly_chart(
        charts_roi.channel_bars(channels, lang=lang), config=charts.CONFIG, key="campaigns_channels"
    )
    st.caption(t("campaigns.channels.caption"))
    widgets.export_csv(channels, "channels", key="campaigns_channels_csv", label_key="roi.download")


def _pick_campaign(summary: pd.DataFrame) -> str:
    """The campaign to show: the best-returning holdout campaign unless one was picked."""
    names = dict(
        zip(summary["campaign_id"], summary["name"].map(offer_form.campaign_words), strict=True)
    )
    ids = list(names)
    if st.session_state.get("campaigns_pick") not in ids:
        holdouts = summary[summary["method"] == "holdout"].sort_values("roi", ascending=False)
        st.session_state["campaigns_pick"] = (
            holdouts["campaign_id"].iloc[0] if not holdouts.empty else ids[0]
        )
    return str(
        st.selectbox(
            t("campaigns.pick"),
            ids,
            key="campaigns_pick",
            format_func=lambda c: t("campaigns.option", name=names[c], campaign_id=c),
        )
    )


def _cards(detail: CampaignDetail, lang: Lang) -> None:
    """One campaign's figures (after the warning that its holdout cannot be read)."""
    s = detail.summary
    if s["method"] == "holdout" and s.get("readable") is False:  # said before any figure
        st.warning(
            t(
                "campaigns.too_small",
                holdout=offer_form.customers(s["holdout"], lang),
                lift=fmt.percent_change(s["detectable_lift"], lang)
                if s.get("detectable_lift") is not None
                else fmt.MISSING,
            ),
            icon="⚠️",
        )
    cards = st.columns(5)
    cards[0].metric(t("campaigns.kpi.cost"), fmt.money(s["cost"], lang))
    cards[1].metric(t("campaigns.kpi.incremental"), fmt.money(s["incremental_gmv"], lang))
    cards[2].metric(t("campaigns.kpi.roi"), _times(s["roi"]))
    cards[3].metric(
        t("campaigns.kpi.margin_roi"), _times(s["margin_roi"]), help=t("campaigns.kpi.margin_help")
    )
    cards[4].metric(
        t("campaigns.kpi.payback"),
        _payback(detail.payback_day, lang),
        help=t("campaigns.payback.help"),
    )
    st.caption(
        f"{t('offer.channel')}: {_channel(s['channel'], lang)} · "
        f"{fmt.day_range(s['start_date'], campaign_end(s['start_date'], s['end_date']), lang)}"
    )


def _holdout(detail: CampaignDetail, lang: Lang) -> None:
    """Treatment against holdout, or the warning that an observational figure is not causal."""
    s = detail.summary
    if s["method"] == "holdout":
        st.subheader(t("campaigns.holdout.header"))
        left, right = st.columns(2)
        left.metric(
            t("campaigns.kpi.repurchase"),
            f"{fmt.percent(s['repurchase_treatment'], lang)} / "
            f"{fmt.percent(s['repurchase_holdout'], lang)}",
            delta=_delta(detail.repurchase_lift.estimate, lang),
        )
        right.metric(
            t("campaigns.kpi.gmv_per_customer"),
            f"{fmt.money(s['gmv_per_customer_treatment'], lang)} / "
            f"{fmt.money(s['gmv_per_customer_holdout'], lang)}",
            delta=_delta(s["lift"], lang),
        )
        groups = {
            "treatment": fmt.count(s["treatment"], lang),
            "holdout": fmt.count(s["holdout"], lang),
            "margin": fmt.money(s["incremental_margin"], lang),
            "per_cost": _times(s["margin_roi"]),
        }
        if _delta(s["lift"], lang) is None:  # the holdout bought nothing: no ratio
            st.markdown(t("campaigns.holdout.summary.no_lift", **groups))
        else:
            st.markdown(
                t(
                    "campaigns.holdout.summary",
                    lift=fmt.percent_change(s["lift"], lang),
                    low=fmt.percent_change(s["lift_low"], lang),
                    high=fmt.percent_change(s["lift_high"], lang),
                    **groups,
                )
            )
    else:
        st.warning(t("campaigns.observational"), icon="⚠️")


def _curve(detail: CampaignDetail, campaign_id: str, lang: Lang) -> None:
    """Cumulative return by day since launch, and its CSV."""
    s = detail.summary
    st.caption(t("campaigns.margin.caption", rate=fmt.percent(s["margin_rate"], lang)))
    st.plotly_chart(
        charts_roi.roi_curve(detail.curve, lang=lang), config=charts.CONFIG, key="campaigns_curve"
    )
    widgets.export_csv(
        detail.curve,
        f"roi-curve-{campaign_id}",
        key="campaigns_curve_csv",
        label_key="roi.download",
    )


def _margin_rate(engine: data.Engine, scope: Scope, s: dict[str, object]) -> None:
    """Set the merchant's margin rate (only shown to a role that may)."""
    with st.expander(t("campaigns.margin.header")):
        rate = st.number_input(
            t("campaigns.margin.rate"),
            min_value=0.0,
            max_value=100.0,
            value=round(float(s["margin_rate"]) * 100, 1),
            step=1.0,
            key=f"campaigns_margin_{s['merchant_id']}",
        )
        if st.button(t("campaigns.margin.save"), key="campaigns_margin_save"):
            if roi_data.set_margin_rate(engine, scope, str(s["merchant_id"]), rate / 100):
                st.success(t("campaigns.margin.saved"))


render()
