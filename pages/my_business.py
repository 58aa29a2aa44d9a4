"""A merchant's own business beside its anonymous peers.

A merchant sees its own figures for the period, against the period before, and where it
stands among the other merchants of its cohort: quartiles and its percentile, never a
peer's name or single figure, and nothing at all with fewer than five peers.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from i18n import format as fmt
from i18n.format import Lang
from models.kpis import kpi_cards, previous_period
from models.scope import Scope
from ui import charts, data, widgets
from ui.data import peers as peer_data
from ui.data.peers import MIN_PEERS
from ui.i18n import t

SHARE_METRICS = ("private_share", "digitised", "repeat_share")


def _figure(metric: str, value: object, lang: str) -> str:
    if metric in SHARE_METRICS:
        return fmt.percent(value, lang)  # type: ignore[arg-type]
    if metric == "daily_gmv":
        return fmt.money(value, lang)  # type: ignore[arg-type]
    return fmt.count(value, lang)  # type: ignore[arg-type]


def render() -> None:
    current = widgets.frame()
    lang, scope = current.lang, current.scope
    st.title(t("business.title"))
    if current.window is None:
        widgets.no_data()
        return
    merchant_id = widgets.merchant_picker("business_merchant")
    if merchant_id is None or current.start is None or current.end is None:
        return
    names = data.merchants(data.engine(), scope, None)
    name = dict(zip(names["merchant_id"], names["name"], strict=True)).get(merchant_id, "")
    own = scope.role == "merchant"
    if own:
        st.subheader(fmt.plain(name or merchant_id))
    else:
        st.info(t("mybiz.view_of", name=fmt.plain(name or merchant_id)), icon="🏪")
    start, end = current.start, current.end
    prev_start, prev_end = previous_period(start, end)
    engine = data.engine()
    st.caption(
        t(
            "business.caption",
            start=fmt.day(start, lang),
            end=fmt.day(end, lang),
            prev_start=fmt.day(prev_start, lang),
            prev_end=fmt.day(prev_end, lang),
        )
    )

    _cards(engine, scope, merchant_id, start, end, lang)
    st.header(t("business.peers.header" if own else "mybiz.peers.header.other"), divider="gray")
    compared = peer_data.versus_peers(engine, scope, merchant_id, start, end)
    if compared is None:
        st.info(t("business.peers.too_few", n=MIN_PEERS))
        return
    _versus_peers(engine, scope, merchant_id, compared, own, start, end, lang)


def _cards(
    engine: data.Engine, scope: Scope, merchant_id: str, start: date, end: date, lang: Lang
) -> None:
    """The merchant's KPI cards against the previous period."""
    prev_start, prev_end = previous_period(start, end)
    daily = peer_data.merchant_daily_kpis(engine, scope, merchant_id, prev_start, end)
    cards = [
        card
        for card in kpi_cards(
            daily,
            start=start,
            end=end,
            active_now=peer_data.merchant_active(engine, scope, merchant_id, start, end),
            active_before=peer_data.merchant_active(
                engine, scope, merchant_id, prev_start, prev_end
            ),
        )
        if card.key != "active_merchants"
    ]
    widgets.kpi_cards(cards, lang)


def _versus_peers(
    engine: data.Engine,
    scope: Scope,
    merchant_id: str,
    compared: tuple[pd.DataFrame, int, str, str],
    own: bool,
    start: date,
    end: date,
    lang: Lang,
) -> None:
    """Each figure against the peers' median and middle half; daily GMV against theirs."""
    table, n_peers, kind, label = compared
    st.caption(t(f"business.peers.caption.{kind}", n=n_peers, group=fmt.plain(label)))
    shown = table.assign(
        metric=[t(f"business.metric.{m}") for m in table["metric"]],
        own=[_figure(m, v, lang) for m, v in zip(table["metric"], table["own"], strict=True)],
        peer_median=[
            _figure(m, v, lang) for m, v in zip(table["metric"], table["peer_median"], strict=True)
        ],
        middle=[
            f"{_figure(m, a, lang)} – {_figure(m, b, lang)}"
            for m, a, b in zip(table["metric"], table["peer_p25"], table["peer_p75"], strict=True)
        ],
        percentile=[widgets.standing(v, n_peers) for v in table["percentile"]],
    )
    widgets.table(
        shown,
        {
            "metric": "business.col.metric",
            "own": "business.col.own" if own else "mybiz.col.own.other",
            "peer_median": "business.col.peer_median",
            "middle": "business.col.middle",
            "percentile": "mybiz.col.standing",
        },
        key="business_peers",
    )
    versus = peer_data.daily_gmv_vs_peers(engine, scope, merchant_id, start, end)
    if versus is not None and not versus.empty:
        st.plotly_chart(
            charts.own_vs_peers(versus, lang=lang), config=charts.CONFIG, key="business_chart"
        )
        if versus["peer_median"].isna().any():
            st.caption(t("business.peers.day_blank", n=MIN_PEERS))


render()
