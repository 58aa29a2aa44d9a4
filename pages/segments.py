"""Segment builder: rules with live figures, templates, clusters, compare, save with
versions, export ids, and an offer with a holdout that becomes a campaign.

A merchant works on its own customers; executives and coaches pick a merchant. Every
figure comes from `models.segments` / `models.clusters` / `models.offers` through the
cache in `ui.data.segments`, called with the frame's scope.
"""

from __future__ import annotations

import json
from typing import cast

import pandas as pd
import streamlit as st

from i18n import format as fmt
from i18n.catalog import list_join
from i18n.format import Lang
from models.contract import CHANNELS
from models.scope import Scope
from models.segments.editor import from_rows, to_rows
from models.segments.rules import FIELDS, MAX_COMPARE, OPERATORS, TOUCHPOINTS, SegmentError
from models.segments.templates import TEMPLATES, Template
from models.segments.templates import single as single_tier
from ui import charts, charts_segments, offer_form, segment_text, widgets
from ui import data as core_data
from ui.data import segments as data
from ui.i18n import label as vocab_label
from ui.i18n import labels as vocab_labels
from ui.i18n import t

SOURCE_KEY = "segments_source"
ROWS_KEY = "segments_rows"
MATCH_KEY = "segments_match"
EDITOR_VERSION_KEY = "segments_editor_version"
LOADED_KEY = "segments_loaded"
FLASH_KEY = "segments_flash"
SAVE_AS_NEXT_KEY = "segments_save_as_next"
BLANK = ""
MATCH_KEYS = {"all": "segments.match.all", "any": "segments.match.any"}

TEMPLATE_KEYS = {
    "repurchase_tiers": "segments.template.repurchase_tiers",
    "rfm_segments": "segments.template.rfm_segments",
    "cloud_users_lapsed_30d": "segments.template.cloud_users_lapsed_30d",
    "lapsed_90d": "segments.template.lapsed_90d",
    "new_buyers_30d": "segments.template.new_buyers_30d",
    "fans_never_bought": "segments.template.fans_never_bought",
    "store_buyers_not_connected": "segments.template.store_buyers_not_connected",
    "high_value_active": "segments.template.high_value_active",
    "omnichannel": "segments.template.omnichannel",
    "high_value_at_risk": "segments.template.high_value_at_risk",
    "about_to_buy_again": "segments.template.about_to_buy_again",
    "new_and_promising": "segments.template.new_and_promising",
}
TIER_KEYS = {
    "first_purchase_not_repurchased": "segments.tier.first_purchase_not_repurchased",
    "repurchased_2_to_5": "segments.tier.repurchased_2_to_5",
    "repurchased_more_than_5": "segments.tier.repurchased_more_than_5",
    "champions": "segments.rfm.champions",
    "loyal": "segments.rfm.loyal",
    "potential_loyalists": "segments.rfm.potential_loyalists",
    "new": "segments.rfm.new",
    "promising": "segments.rfm.promising",
    "need_attention": "segments.rfm.need_attention",
    "about_to_sleep": "segments.rfm.about_to_sleep",
    "at_risk": "segments.rfm.at_risk",
    "cant_lose": "segments.rfm.cant_lose",
    "hibernating": "segments.rfm.hibernating",
    "lost": "segments.rfm.lost",
}
OFFER_KEYS = {
    "50% off trial coupon": "segments.offer.trial",
    "buy one get one": "segments.offer.bogo",
    "10x points": "segments.offer.points",
}
DISTRIBUTION_KEYS = {
    "rfm_segment": "segments.by.rfm_segment",
    "repurchases": "segments.by.repurchases",
    "last_order": "segments.by.last_order",
    "member_level": "segments.by.member_level",
    "touchpoint_count": "segments.by.touchpoint_count",
}
BUCKET_KEYS = {
    "none": "segments.bucket.none",
    "never": "segments.bucket.never",
    "": "segments.bucket.blank",
}
TAG_KEYS = {
    "recent": "segments.tag.recent",
    "lapsed": "segments.tag.lapsed",
    "frequent": "segments.tag.frequent",
    "one_off": "segments.tag.one_off",
    "high_spend": "segments.tag.high_spend",
    "low_spend": "segments.tag.low_spend",
    "connected": "segments.tag.connected",
    "unconnected": "segments.tag.unconnected",
    "omnichannel": "segments.tag.omnichannel",
}
STATS_TABLE = {
    "name": "segments.col.segment",
    "customers": "segments.col.customers",
    "share_customers": "segments.col.share_customers",
    "share_gmv": "segments.col.share_gmv",
    "aov": "segments.col.aov",
}


def _template_label(name: str) -> str:
    if name.startswith("rfm_") and name != "rfm_segments":
        return t("segments.template.rfm_one", name=t(TIER_KEYS[name.removeprefix("rfm_")]))
    return t(TEMPLATE_KEYS[name])


def _tier_label(name: str) -> str:
    if name == "segment":  # the editor's rules as one tier (models.segments.single)
        return t("rules.this_segment")
    return t(TIER_KEYS[name]) if name in TIER_KEYS else name


def _offer_label(offer: str | None) -> str:
    if not offer:
        return fmt.MISSING
    return t(OFFER_KEYS[offer]) if offer in OFFER_KEYS else offer


def _load(definition: dict) -> None:
    rows, match = to_rows(definition)
    st.session_state[ROWS_KEY] = rows
    st.session_state[MATCH_KEY] = match
    st.session_state[EDITOR_VERSION_KEY] = st.session_state.get(EDITOR_VERSION_KEY, 0) + 1


def _source_picked(saved: pd.DataFrame) -> None:
    """Load the picked template (its first tier into the editor) or saved segment."""
    source = st.session_state.get(SOURCE_KEY) or BLANK
    st.session_state[LOADED_KEY] = source
    if source.startswith("saved:"):
        row = saved[saved["segment_id"] == int(source.removeprefix("saved:"))]
        if not row.empty:
            _load(json.loads(row["definition"].iloc[0]))
            st.session_state["segments_name"] = str(row["name"].iloc[0])
        return
    template = TEMPLATES.get(source)
    _load(template.tiers[0].definition if template else {"match": "all", "conditions": []})


def _saved(result: data.SavedVersion) -> None:
    """Say so after the rerun that lists the saved segment; further saves add versions."""
    st.session_state[FLASH_KEY] = t("segments.save.done", version=result.version)
    st.session_state[SAVE_AS_NEXT_KEY] = result.segment_id
    st.rerun()


def _stats_cells(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.assign(
        customers=frame["customers"].map(lambda v: fmt.count(v, lang)),
        share_customers=frame["share_customers"].map(lambda v: fmt.percent(v, lang)),
        share_gmv=frame["share_gmv"].map(lambda v: fmt.percent(v, lang)),
        aov=frame["aov"].map(lambda v: fmt.money(v, lang)),
    )


def _editor(lang: Lang) -> tuple[dict | None, str | None]:
    """The rule editor; the definition it holds, or the reason it cannot run."""
    st.radio(
        t("segments.match"),
        ["all", "any"],
        key=MATCH_KEY,
        format_func=lambda m: t(MATCH_KEYS[m]),
        horizontal=True,
        help=t("segments.match.help"),
    )
    ops = sorted({op for kind in OPERATORS.values() for op in kind})
    edited = st.data_editor(
        st.session_state[ROWS_KEY],
        key=f"segments_editor_{st.session_state.get(EDITOR_VERSION_KEY, 0)}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "group": st.column_config.TextColumn(t("segments.col.group"), width="small"),
            "field": st.column_config.SelectboxColumn(
                t("segments.col.field"),
                options=list(FIELDS),
                required=True,
                format_func=lambda f: segment_text.field_label(f, lang),
            ),
            "op": st.column_config.SelectboxColumn(
                t("segments.col.op"),
                options=ops,
                required=True,
                format_func=lambda o: segment_text.op_label(o, lang),
            ),
            "value": st.column_config.TextColumn(t("segments.col.value")),
        },
    )
    with st.expander(t("segments.help.header")):
        st.caption(t("rules.help.fields", touchpoints=" ".join(f"`{p}`" for p in TOUCHPOINTS)))
        st.caption(
            t(
                "rules.help.values",
                channels=list_join([f"{vocab_label('channel', c)} `{c}`" for c in CHANNELS], lang),
            )
        )
    try:
        return from_rows(edited, st.session_state[MATCH_KEY]), None
    except SegmentError as exc:
        return None, segment_text.reason(exc, lang)


def render() -> None:
    current = widgets.frame()
    lang, scope = current.lang, current.scope
    st.title(t("segments.title"))
    if current.window is None:
        widgets.no_data()
        return
    merchant_id = widgets.merchant_picker("segments_merchant")
    if merchant_id is None:
        return
    engine = core_data.engine()
    as_of = data.as_of(engine, scope, merchant_id)
    if as_of is None:
        widgets.missing_input("orders", "segments.title")
        return
    st.caption(t("segments.caption", as_of=fmt.day(as_of, lang)))
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY), icon=":material/check_circle:")
    saved = data.saved_segments(engine, scope, merchant_id)
    names = dict(zip(saved["segment_id"], saved["name"], strict=True))
    template = TEMPLATES.get(_start_from(saved, names) or "")
    if template is not None and template.multi:
        _tiers(engine, scope, merchant_id, template, lang)
    st.header(t("segments.rules.header"), divider="gray")
    definition, problem = _editor(lang)
    if definition is None:
        st.error(t("segments.invalid", reason=problem), icon=":material/error:")
        return
    _live_figures(engine, scope, merchant_id, definition, lang)
    single = data.tiers_json(single_tier(definition, "segment"))
    _sample(engine, scope, merchant_id, single, lang)
    _save(engine, scope, merchant_id, saved, names, definition, single, lang)
    _compare(engine, scope, merchant_id, saved, names, definition, lang)
    st.header(t("segments.clusters.header"), divider="gray")
    st.caption(t("segments.clusters.caption", low=data.K_RANGE[0], high=data.K_RANGE[-1]))
    if st.toggle(t("segments.clusters.run"), key="segments_clusters_on"):
        _clusters(engine, scope, merchant_id, lang)
    _history(engine, scope, merchant_id, saved, names, lang)
    _campaigns_made(engine, scope, merchant_id, lang)


def _start_from(saved: pd.DataFrame, names: dict[int, str]) -> str | None:
    """Start from: blank, a template or a saved segment; the choice (re)fills the editor."""
    options = [BLANK, *TEMPLATES, *[f"saved:{i}" for i in saved["segment_id"]]]
    if st.session_state.get(SOURCE_KEY) not in options:
        st.session_state[SOURCE_KEY] = BLANK
    if ROWS_KEY not in st.session_state or st.session_state.get(LOADED_KEY) is None:
        _source_picked(saved)
    return st.selectbox(
        t("segments.start_from"),
        options,
        key=SOURCE_KEY,
        format_func=lambda o: (
            t("segments.blank")
            if o == BLANK
            else t("segments.saved_option", name=names.get(int(o[6:]), o))
            if o.startswith("saved:")
            else _template_label(o)
        ),
        on_change=_source_picked,
        args=(saved,),
    )


def _tiers(
    engine: core_data.Engine, scope: Scope, merchant_id: str, template: Template, lang: Lang
) -> None:
    """A template of several tiers: each tier's figures and offer."""
    st.header(t("segments.tiers.header"), divider="gray")
    tiers = data.tiers_json(template.tiers)
    figures = data.tier_stats(engine, scope, merchant_id, tiers)
    shown = _stats_cells(figures, lang).assign(
        name=figures["segment"].map(_tier_label), offer=figures["offer"].map(_offer_label)
    )
    widgets.table(
        shown,
        STATS_TABLE | {"offer": "segments.col.offer"},
        key="segments_tiers_table",
        whole=True,
    )
    st.caption(t("segments.tiers.caption"))
    _export_and_offer(engine, scope, merchant_id, tiers, template.name, lang, multi=True)


def _live_figures(
    engine: core_data.Engine, scope: Scope, merchant_id: str, definition: dict, lang: Lang
) -> None:
    """The rule's figures as it is edited: counts, shares, its JSON, a distribution."""
    key = data.dumps(definition)
    figures_now = data.stats(engine, scope, merchant_id, key)
    columns = st.columns(4)
    columns[0].metric(t("segments.col.customers"), fmt.count(figures_now["customers"], lang))
    columns[1].metric(
        t("segments.col.share_customers"), fmt.percent(figures_now["share_customers"], lang)
    )
    columns[2].metric(t("segments.col.share_gmv"), fmt.percent(figures_now["share_gmv"], lang))
    columns[3].metric(t("segments.col.aov"), fmt.money(figures_now["aov"], lang))
    with st.expander(t("segments.json.header")):
        st.code(json.dumps(definition, ensure_ascii=False, indent=2), language="json")

    by = st.selectbox(
        t("segments.by"),
        list(DISTRIBUTION_KEYS),
        key="segments_by",
        format_func=lambda b: t(DISTRIBUTION_KEYS[b]),
    )
    spread = data.distribution(engine, scope, merchant_id, key, by)
    buckets = {b: t(BUCKET_KEYS[b]) for b in BUCKET_KEYS} | {
        b: _tier_label(b) if b in TIER_KEYS else vocab_label("member_level", b)
        for b in spread["bucket"]
        if b not in BUCKET_KEYS
    }
    st.plotly_chart(
        charts_segments.distribution(
            spread, buckets, lang=lang, title=t("segments.chart.title", by=t(DISTRIBUTION_KEYS[by]))
        ),
        config=charts.CONFIG,
        key="segments_distribution",
    )


def _sample(
    engine: core_data.Engine, scope: Scope, merchant_id: str, single: str, lang: Lang
) -> None:
    """A few of the segment's customers."""
    st.subheader(t("segments.sample.header"))
    rows = data.sample(engine, scope, merchant_id, single)
    widgets.table(
        rows.assign(
            gmv=rows["gmv"].map(lambda v: fmt.money(v, lang)),
            last_order_on=rows["last_order_on"].map(lambda v: fmt.day(v, lang)),
            channels=rows["channels"].map(lambda v: vocab_labels("channel", v)),
            member_level=rows["member_level"].map(lambda v: vocab_label("member_level", v)),
        ),
        {
            "customer_id": "segments.col.customer",
            "orders": "segments.col.orders",
            "repurchases": "segments.col.repurchases",
            "gmv": "segments.col.gmv",
            "last_order_on": "segments.col.last_order",
            "channels": "segments.col.channels",
            "member_level": "segments.col.member_level",
        },
        key="segments_sample",
    )
    st.caption(t("segments.sample.caption", n=data.SAMPLE_ROWS))


def _save(
    engine: core_data.Engine,
    scope: Scope,
    merchant_id: str,
    saved: pd.DataFrame,
    names: dict[int, str],
    definition: dict,
    single: str,
    lang: Lang,
) -> None:
    """Save as a new segment or a version of a saved one; export and make an offer."""
    st.header(t("segments.save.header"), divider="gray")
    left, right = st.columns(2)
    name = left.text_input(t("segments.save.name"), key="segments_name", max_chars=200)
    targets = [0, *saved["segment_id"]]
    if SAVE_AS_NEXT_KEY in st.session_state:
        st.session_state["segments_save_as"] = st.session_state.pop(SAVE_AS_NEXT_KEY)
    if st.session_state.get("segments_save_as") not in targets:
        st.session_state["segments_save_as"] = 0
    target = right.selectbox(
        t("segments.save.as"),
        targets,
        key="segments_save_as",
        format_func=lambda i: (
            t("segments.save.new") if i == 0 else t("segments.save.version_of", name=names[i])
        ),
    )
    if st.button(t("segments.save.button"), key="segments_save", icon=":material/save:"):
        if not name.strip():
            st.warning(t("segments.save.no_name"))
        else:
            result = data.save(
                engine, scope, merchant_id, name, definition, int(target) if target else None
            )
            _saved(result)
    _export_and_offer(engine, scope, merchant_id, single, name or "segment", lang, multi=False)


def _compare(
    engine: core_data.Engine,
    scope: Scope,
    merchant_id: str,
    saved: pd.DataFrame,
    names: dict[int, str],
    definition: dict,
    lang: Lang,
) -> None:
    """Up to three segments side by side: the current one, templates, saved ones."""
    st.header(t("segments.compare.header"), divider="gray")
    choices = ["current", *[n for n, tpl in TEMPLATES.items() if not tpl.multi]]
    choices += [f"saved:{i}" for i in saved["segment_id"]]
    picked = st.multiselect(
        t("segments.compare.pick"),
        choices,
        default=["current"],
        max_selections=MAX_COMPARE,
        key="segments_compare",
        placeholder=t("common.choose"),
        format_func=lambda o: (
            t("segments.compare.current")
            if o == "current"
            else names.get(int(o[6:]), o)
            if o.startswith("saved:")
            else _template_label(o)
        ),
    )
    if picked:
        definitions = {
            o: definition
            if o == "current"
            else json.loads(saved.loc[saved["segment_id"] == int(o[6:]), "definition"].iloc[0])
            if o.startswith("saved:")
            else TEMPLATES[o].tiers[0].definition
            for o in picked
        }
        compared = data.compare(engine, scope, merchant_id, data.dumps(definitions))
        label = {
            o: t("segments.compare.current")
            if o == "current"
            else names.get(int(o[6:]), o)
            if o.startswith("saved:")
            else _template_label(o)
            for o in picked
        }
        widgets.table(
            _stats_cells(compared, lang).assign(name=compared["segment"].map(label)),
            STATS_TABLE,
            key="segments_compare_table",
            whole=True,
        )


def _history(
    engine: core_data.Engine,
    scope: Scope,
    merchant_id: str,
    saved: pd.DataFrame,
    names: dict[int, str],
    lang: Lang,
) -> None:
    """The saved segments and the versions of one of them."""
    st.header(t("segments.saved.header"), divider="gray")
    if saved.empty:
        st.caption(t("segments.saved.none"))
    else:
        chosen = st.selectbox(
            t("segments.saved.pick"),
            list(saved["segment_id"]),
            key="segments_history_of",
            format_func=lambda i: names[i],
        )
        history = data.segment_history(engine, scope, merchant_id, int(chosen))
        widgets.table(
            history.assign(saved_at=history["saved_at"].map(lambda v: fmt.timestamp(v, lang))),
            {
                "version": "segments.col.version",
                "name": "segments.col.segment",
                "saved_at": "segments.col.saved_at",
                "saved_by": "segments.col.saved_by",
                "definition": "segments.col.rules",
            },
            key="segments_history",
        )


def _campaigns_made(engine: core_data.Engine, scope: Scope, merchant_id: str, lang: Lang) -> None:
    """The campaigns made from this page's segments."""
    made = data.segment_campaigns(engine, scope, merchant_id)
    if not made.empty:
        st.subheader(t("segments.campaigns.header"))
        widgets.table(
            made.assign(
                start_date=made["start_date"].map(lambda v: fmt.day(v, lang)),
                holdout_share=made["holdout_share"].map(lambda v: fmt.percent(v, lang)),
                offer=made["offer"].map(_offer_label),
            ),
            {
                "campaign_id": "segments.col.campaign",
                "name": "segments.col.segment",
                "offer": "segments.col.offer",
                "start_date": "segments.col.start",
                "customers": "segments.col.customers",
                "holdout_share": "segments.col.holdout",
            },
            key="segments_campaigns",
        )


def _export_and_offer(
    engine: core_data.Engine,
    scope: Scope,
    merchant_id: str,
    tiers: str,
    name: str,
    lang: str,
    *,
    multi: bool,
) -> None:
    """Download the ids; attach an offer (one per tier) and a holdout -> campaigns."""
    suffix = "tiers" if multi else "segment"
    widgets.export_button(
        "segments.export",
        data.export_csv(engine, scope, merchant_id, tiers),
        f"segment-{merchant_id}-{suffix}.csv",
        key=f"segments_export_{suffix}",
        what=f"segment customer ids of {merchant_id}",
    )
    offer_form.render(
        engine,
        scope,
        merchant_id,
        tiers,
        name,
        cast(Lang, lang),
        multi=multi,
        tier_label=_tier_label,
        offer_label=_offer_label,
    )


def _clusters(engine: core_data.Engine, scope: Scope, merchant_id: str, lang: str) -> None:
    found = data.find_clusters(engine, scope, merchant_id)
    if found is None:
        st.info(t("segments.clusters.too_few"))
        return
    profiles = found.profiles
    words = {
        c: list_join([t(TAG_KEYS[tag]) for tag in tags], lang) or t("segments.tag.typical")
        for c, tags in found.tags.items()
    }
    widgets.table(
        profiles.assign(
            name=profiles["cluster"].map(lambda c: t("segments.cluster.name", n=c)),
            words=profiles["cluster"].map(words),
            customers=profiles["customers"].map(lambda v: fmt.count(v, lang)),
            share=profiles["share"].map(lambda v: fmt.percent(v, lang)),
            gmv_share=profiles["gmv_share"].map(lambda v: fmt.percent(v, lang)),
            gmv=profiles["gmv"].map(lambda v: fmt.money(v, lang)),
            days_since_last_order=profiles["days_since_last_order"].map(
                lambda v: fmt.count(v, lang)
            ),
        ),
        {
            "name": "segments.col.cluster",
            "words": "segments.col.described",
            "customers": "segments.col.customers",
            "share": "segments.col.share_buyers",
            "gmv_share": "segments.col.share_gmv",
            "days_since_last_order": "segments.col.days_since",
            "purchase_days": "segments.col.purchase_days",
            "gmv": "segments.col.median_gmv",
        },
        key="segments_clusters_table",
        whole=True,
    )
    st.caption(t("segments.clusters.k", k=found.k))
    left, right = st.columns(2)
    number = left.selectbox(
        t("segments.clusters.pick"),
        list(profiles["cluster"]),
        key="segments_cluster_pick",
        format_func=lambda c: t("segments.cluster.name", n=c),
    )
    cluster_name = right.text_input(
        t("segments.save.name"),
        value=t("segments.cluster.name", n=number),
        key="segments_cluster_name",
        max_chars=200,
    )
    if st.button(t("segments.clusters.save"), key="segments_cluster_save", icon=":material/save:"):
        result = data.save_cluster(
            engine, scope, merchant_id, cluster_name, found.customers(number)
        )
        _saved(result)


render()
