"""Executive overview: first the answer (which cohort is ahead by causal uplift, by how
much, how sure: `models.uplift_ranking`), then programme KPIs, daily GMV by cohort, cohort
results, biggest movers.

Every figure comes from a `models` function (through the cache in `ui.data`) called with
the frame's scope; `models.kpis` turns the daily totals into the cards.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from i18n import format as fmt
from i18n.format import Lang
from models.kpis import kpi_cards, previous_period
from models.scope import Scope
from ui import charts, data, roi_answer, widgets
from ui.data import roi as roi_data
from ui.i18n import t

MOVERS_EACH_WAY = 5
ROI_PAGE = "roi"  # the navigation's name of Cohort ROI


def _explain_cards(uplift, cohort_id, start, end, prev_start, prev_end, lang) -> None:  # noqa: ANN001
    """Where a card's "vs previous period" reads differently from the cohort's published
    raw uplift (a cohort picked, its programme window shown), say why."""
    if not cohort_id or uplift.empty or cohort_id not in set(uplift["cohort_id"]):
        return
    row = uplift.set_index("cohort_id").loc[cohort_id]
    if (row["start_date"], row["end_date"]) != (start, end):
        return
    previous_days = (prev_end - prev_start).days + 1
    if previous_days == data.BASELINE_DAYS:
        return
    st.caption(
        t(
            "overview.cards.vs_uplift",
            cohort=fmt.plain(cohort_id),
            days=fmt.count(previous_days, lang),
            baseline_days=data.BASELINE_DAYS,
            raw=fmt.percent_change(row["raw_uplift"], lang),
        )
    )


def render() -> None:
    frame = widgets.frame()
    lang, scope = frame.lang, frame.scope
    st.title(t("overview.title"))
    if frame.window is None:
        widgets.no_data()
        return
    if frame.start is None or frame.end is None:
        st.info(t("overview.no_period"))
        return
    start, end = frame.start, frame.end
    engine = data.engine()
    cohorts = data.cohorts(engine, scope)
    if not cohorts.empty:  # the answer first: which cohort is ahead
        _answer(engine, scope, cohorts, lang)
    _caption(frame, start, end)
    uplift = data.cohort_uplift_table(engine, scope)
    _cards(engine, frame, start, end, uplift)
    st.header(t("overview.gmv.header"), divider="gray")
    _gmv_chart(engine, frame, cohorts, start, end)
    st.header(t("overview.cohorts.header"), divider="gray")
    _cohort_results(uplift, lang)
    st.header(t("overview.movers.header"), divider="gray")
    _movers(engine, frame, start, end)
    _connections(engine, scope, lang)


def _answer(engine: data.Engine, scope: Scope, cohorts: pd.DataFrame, lang: Lang) -> None:
    """Every cohort ranked by its causal uplift, and the way to the ROI page."""
    ranking = roi_data.cohort_ranking(engine, scope, "pre28", "gmv")
    roi_answer.render(ranking, lang, key="overview_answer", cohort_ids=list(cohorts["cohort_id"]))
    widgets.page_link(ROI_PAGE, "overview.answer.more")


def _caption(frame: widgets.Frame, start: date, end: date) -> None:
    """Which cohort and days the figures cover, and the days they are compared with."""
    lang = frame.lang
    prev_start, prev_end = previous_period(start, end)
    st.caption(
        t(
            "overview.caption",
            cohort=fmt.plain(frame.cohort_id) if frame.cohort_id else t("sidebar.all_cohorts"),
            start=fmt.day(start, lang),
            end=fmt.day(end, lang),
            prev_start=fmt.day(prev_start, lang),
            prev_end=fmt.day(prev_end, lang),
        )
    )


def _cards(
    engine: data.Engine, frame: widgets.Frame, start: date, end: date, uplift: pd.DataFrame
) -> None:
    """The KPI cards against the previous period, and what is missing for them."""
    lang, scope = frame.lang, frame.scope
    prev_start, prev_end = previous_period(start, end)
    daily = data.daily_kpis(engine, scope, prev_start, end, frame.cohort_id)
    cards = kpi_cards(
        daily,
        start=start,
        end=end,
        active_now=data.active_merchant_count(engine, scope, start, end, frame.cohort_id),
        active_before=data.active_merchant_count(
            engine, scope, prev_start, prev_end, frame.cohort_id
        ),
    )
    widgets.kpi_cards(cards, lang)
    _explain_cards(uplift, frame.cohort_id, start, end, prev_start, prev_end, lang)
    figures = {card.key: card.value for card in cards}
    if not figures["cloud_users"]:
        widgets.missing_input("touchpoint_events", "kpi.cloud_users")
    if figures["digitised"] is None:
        widgets.missing_input("store_traffic", "kpi.digitised")


def _gmv_chart(
    engine: data.Engine, frame: widgets.Frame, cohorts: pd.DataFrame, start: date, end: date
) -> None:
    """Daily GMV by cohort over this period and the one before."""
    lang, scope = frame.lang, frame.scope
    prev_start, _ = previous_period(start, end)
    left, right, _ = st.columns([1, 1, 2])
    per_merchant = left.toggle(
        t("chart.per_merchant"), key="overview_per_merchant", help=t("chart.per_merchant.help")
    )
    rolling = right.toggle(
        t("chart.rolling", days=charts.ROLLING_DAYS),
        key="overview_rolling",
        help=t("chart.rolling.help", before=charts.ROLLING_DAYS - 1),
    )
    cohort_gmv = data.cohort_daily_gmv(engine, scope, prev_start, end)
    if cohort_gmv.empty:
        st.info(t("chart.empty"))
    else:
        st.plotly_chart(
            charts.cohort_gmv(
                cohort_gmv,
                cohorts,
                lang=lang,
                per_merchant=per_merchant,
                rolling=rolling,
                focus=frame.cohort_id,
                period_start=start,
            ),
            config=charts.CONFIG,
            key="overview_cohort_gmv",
        )
        st.caption(t("overview.gmv.caption"))


def _cohort_results(uplift: pd.DataFrame, lang: Lang) -> None:
    """Each cohort's published raw uplift."""
    if uplift.empty:
        widgets.missing_input("cohorts", "overview.cohorts.header")
    else:
        st.caption(t("overview.cohorts.caption", days=data.BASELINE_DAYS))
        shown = uplift.assign(
            window=[
                fmt.day_range(a, b, lang)
                for a, b in zip(uplift["start_date"], uplift["end_date"], strict=True)
            ],
            merchants=uplift["merchants"].map(lambda v: fmt.count(v, lang)),
            baseline_daily_gmv=uplift["baseline_daily_gmv"].map(lambda v: fmt.money(v, lang)),
            programme_daily_gmv=uplift["programme_daily_gmv"].map(lambda v: fmt.money(v, lang)),
            raw_uplift=uplift["raw_uplift"].map(lambda v: fmt.percent_change(v, lang)),
        )
        widgets.table(
            shown,
            {
                "cohort_id": "col.cohort",
                "name": "col.name",
                "merchants": "col.merchants",
                "window": "col.window",
                "baseline_daily_gmv": "col.baseline_daily_gmv",
                "programme_daily_gmv": "col.programme_daily_gmv",
                "raw_uplift": "roi.col.published_raw",
            },
            key="overview_cohort_table",
            whole=True,
        )


def _movers(engine: data.Engine, frame: widgets.Frame, start: date, end: date) -> None:
    """The merchants that moved most, each way."""
    lang, scope = frame.lang, frame.scope
    st.caption(t("overview.movers.caption", n=MOVERS_EACH_WAY))
    movers = data.merchant_movers(engine, scope, start, end, frame.cohort_id)
    figure = charts.movers_bar(movers, lang=lang, n=MOVERS_EACH_WAY)
    if figure is None:
        st.info(t("overview.movers.none"))
    else:
        st.plotly_chart(figure, config=charts.CONFIG, key="overview_movers")


def _connections(engine: data.Engine, scope: Scope, lang: Lang) -> None:
    """Three connections per cohort (area: connections)."""
    from ui.data import connections as connections_data

    summary = connections_data.cohort_connection_summary(engine, scope)
    if not summary.empty:
        st.subheader(t("connections.overview.header"), divider="gray")
        st.caption(t("connections.overview.caption"))
        shown = summary.assign(
            **{
                c: [
                    t("connections.overview.cell", score=fmt.count(v, lang), running=r, n=n)
                    for v, r, n in zip(
                        summary[c], summary[f"{c}_running"], summary["merchants"], strict=True
                    )
                ]
                for c in ("touchpoints", "performance", "data")
            }
        )
        widgets.table(
            shown,
            {
                "cohort_id": "col.cohort",
                "touchpoints": "connections.name.touchpoints",
                "performance": "connections.name.performance",
                "data": "connections.name.data",
            },
            key="overview_connections",
            whole=True,
        )


render()
