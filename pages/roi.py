"""Cohort ROI: first the answer (which cohort is ahead by causal uplift, by how much, how
sure), then one cohort's raw against causal uplift, the weekly steps, the results race and
the cumulative incremental GMV. Figures come from `models.uplift` and
`models.uplift_ranking` through `ui.data.roi`; the private-domain toggle applies to every
figure, chart and table; every table shown can be downloaded."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import streamlit as st

from i18n import format as fmt
from i18n.catalog import list_join
from i18n.format import Lang
from models.uplift_calendar import BASELINE_DAYS, POST_DAYS
from models.uplift_estimator import PRETREND_LIMIT
from ui import charts, charts_roi, data, roi_answer, widgets
from ui.data import roi as roi_data
from ui.i18n import current_lang, label, t

if TYPE_CHECKING:
    from models.uplift import CohortUplift, MetricUplift

BASELINES = {
    "pre28": "roi.baseline.pre28",
    "last_year": "roi.baseline.last_year",
    "custom": "roi.baseline.custom",
}
WARNINGS = {  # code: the plain text, the technical terms
    "season": ("roi.warning.season", "roi.warning.season.term"),
    "pretrend": ("roi.warning.pretrend", "roi.warning.pretrend.term"),
    "no_controls": ("roi.warning.no_controls", "roi.warning.no_controls.term"),
    "incomplete": ("roi.warning.incomplete", "roi.warning.incomplete.term"),
}
RAW_WHAT = {
    "pre28": "roi.raw_what.pre28",
    "last_year": "roi.raw_what.last_year",
    "custom": "roi.raw_what.custom",
}
RAW_CARD = {"pre28": "roi.kpi.raw", "last_year": "roi.kpi.raw.last_year"}
EVENTS = {
    "cny": "roi.event.cny",
    "618": "roi.event.618",
    "national_day": "roi.event.national_day",
    "double_11": "roi.event.double_11",
    "double_12": "roi.event.double_12",
}
MERCHANT_COLUMNS = {
    "name": "roi.col.merchant",
    "industry": "roi.col.industry",
    "baseline": "roi.col.baseline",
    "programme": "roi.col.programme",
    "post": "roi.col.post",
    "raw_uplift": "roi.col.raw",
    "causal_uplift": "roi.col.causal",
    "interval": "roi.col.interval",
}


def _events(codes: list[str]) -> str:
    return (
        list_join([t(EVENTS[c]) for c in codes], current_lang()) if codes else t("roi.event.none")
    )


def _pick_cohort(cohorts, sidebar_cohort: str | None) -> str | None:  # noqa: ANN001
    ids = list(cohorts["cohort_id"])
    if not ids:
        return None
    names = dict(zip(cohorts["cohort_id"], cohorts["name"], strict=True))
    if st.session_state.get("roi_cohort") not in ids:
        st.session_state["roi_cohort"] = sidebar_cohort if sidebar_cohort in ids else ids[0]
    picked: str = st.selectbox(
        t("roi.cohort"),
        ids,
        key="roi_cohort",
        format_func=lambda c: t("sidebar.cohort_option", cohort_id=c, name=names[c]),
    )
    return picked


def _baseline(start: date) -> str | None:
    kind = st.segmented_control(
        t("roi.baseline"),
        list(BASELINES),
        format_func=lambda k: t(BASELINES[k], days=BASELINE_DAYS),
        key="roi_baseline",
        default="pre28",
        help=t("roi.baseline.help", days=BASELINE_DAYS),
    )
    if kind != "custom":
        return kind or "pre28"
    picked = st.date_input(t("roi.baseline.window"), value=(), max_value=start, key="roi_custom")
    if isinstance(picked, tuple) and len(picked) == 2:
        return f"{picked[0].isoformat()}:{picked[1].isoformat()}"
    st.info(t("roi.baseline.pick"))
    return None


def _warnings(result, lang) -> None:  # noqa: ANN001
    """Each warning in plain words; the technical terms in one line's help."""
    terms = []
    for warning in result.warnings:
        if warning.code not in WARNINGS:
            continue
        params = warning.params
        estimate = params.get("estimate")
        figures = {
            "baseline": _events(list(params.get("baseline", []))),  # type: ignore[call-overload]
            "programme": _events(list(params.get("programme", []))),  # type: ignore[call-overload]
            "estimate": fmt.percent_change(estimate, lang),
            "low": fmt.percent_change(params.get("low"), lang),
            "high": fmt.percent_change(params.get("high"), lang),
            "n": params.get("min", ""),
            "post_days": POST_DAYS,
            "limit": f"{PRETREND_LIMIT:.0%}",
            "direction": t(
                "roi.warning.pretrend.slower"
                if isinstance(estimate, float) and estimate < 0
                else "roi.warning.pretrend.faster"
            ),
        }
        text_key, term_key = WARNINGS[warning.code]
        st.warning(t(text_key, **figures), icon="⚠️")
        terms.append(t(term_key, **figures))
    if terms:
        st.caption(t("roi.warning.terms"), help="\n\n".join(terms))


def render() -> None:
    frame = widgets.frame()
    lang, scope = frame.lang, frame.scope
    st.title(t("roi.title"))
    if frame.window is None:
        widgets.no_data()
        return
    engine = data.engine()
    cohorts = data.cohorts(engine, scope)
    # the cohort on a row of its own: its delivered name, often in both languages, is long
    cohort_id = _pick_cohort(cohorts, frame.cohort_id)
    if cohort_id is None:
        widgets.missing_input("cohorts", "roi.title")
        return
    row = cohorts.set_index("cohort_id").loc[cohort_id]
    base, switch = st.columns([5, 3], vertical_alignment="bottom")
    with base:
        baseline = _baseline(row["start_date"])
    with switch:
        private = st.toggle(t("roi.private"), key="roi_private", help=t("roi.private.help"))
    if baseline is None:
        return
    metric = "private_gmv" if private else "gmv"
    kind = baseline if baseline in ("pre28", "last_year") else "custom"

    ranking = roi_data.cohort_ranking(
        engine, scope, baseline if kind != "custom" else "pre28", metric
    )
    roi_answer.render(
        ranking,
        lang,
        key="roi_answer",
        cohort_ids=list(cohorts["cohort_id"]),
        note=t("roi.answer.custom", days=BASELINE_DAYS) if kind == "custom" else None,
    )
    if private:
        st.caption(t("roi.private.applies"))

    result = roi_data.cohort_uplift(engine, scope, cohort_id, baseline)
    if result is None:
        st.info(t("roi.none"))
        return
    figures = result.metric(metric)
    st.header(t("roi.cohort.header", cohort=fmt.plain(cohort_id)), divider="gray")
    _summary(result, figures, kind, lang)
    _cards(result, figures, kind, lang)
    st.header(t("roi.steps.header"), divider="gray")
    _steps(figures, cohort_id, metric, lang)
    st.header(t("roi.race.header"), divider="gray")
    _race(result, figures, cohort_id, metric, lang)
    st.header(t("roi.cumulative.header"), divider="gray")
    _cumulative(figures, cohort_id, metric, lang)


def _summary(result: CohortUplift, figures: MetricUplift, kind: str, lang: Lang) -> None:
    """The cohort's answer in a sentence, its windows and what to beware of."""
    causal, w = figures.causal, result.windows
    summary_key = "roi.summary" if causal.estimate is not None else "roi.summary.raw_only"
    st.markdown(
        t(
            summary_key,
            cohort=fmt.plain(result.cohort_id),
            before=fmt.money(figures.baseline, lang),
            during=fmt.money(figures.programme, lang),
            raw=fmt.percent_change(figures.raw_uplift, lang),
            raw_what=t(RAW_WHAT[kind], days=BASELINE_DAYS),
            controls=fmt.count(result.controls, lang),
            causal=fmt.percent_change(causal.estimate, lang),
            low=fmt.percent_change(causal.low, lang),
            high=fmt.percent_change(causal.high, lang),
        )
    )
    st.caption(
        t(
            "roi.windows",
            baseline=fmt.day_range(*w.baseline, lang),
            programme=fmt.day_range(*w.programme, lang),
            post=fmt.day_range(*w.post, lang) if w.post else fmt.MISSING,
        )
    )
    _warnings(result, lang)


def _cards(result: CohortUplift, figures: MetricUplift, kind: str, lang: Lang) -> None:
    """Before, during, raw and causal uplift, and the causal interval."""
    causal = figures.causal
    cards = st.columns(4)
    cards[0].metric(t("roi.kpi.baseline"), fmt.money(figures.baseline, lang))
    cards[1].metric(t("roi.kpi.programme"), fmt.money(figures.programme, lang))
    cards[2].metric(
        t(RAW_CARD.get(kind, "roi.kpi.raw.custom")),
        fmt.percent_change(figures.raw_uplift, lang),
        help=t("roi.kpi.raw.help"),
    )
    cards[3].metric(
        t("roi.kpi.causal"),
        fmt.percent_change(causal.estimate, lang),
        help=t("roi.kpi.causal.help"),
    )
    if causal.estimate is not None:
        st.caption(
            t(
                "roi.interval",
                low=fmt.percent_change(causal.low, lang),
                high=fmt.percent_change(causal.high, lang),
                controls=fmt.count(result.controls, lang),
            )
        )


def _steps(figures: MetricUplift, cohort_id: str, metric: str, lang: Lang) -> None:
    """Week by week, and its CSV."""
    st.plotly_chart(
        charts_roi.weekly_steps(figures.weekly, lang=lang), config=charts.CONFIG, key="roi_steps"
    )
    widgets.export_csv(
        figures.weekly.assign(cohort_id=cohort_id, metric=metric),
        f"weekly-{cohort_id}-{metric}",
        key="roi_steps_csv",
        label_key="roi.download",
    )


def _race(
    result: CohortUplift, figures: MetricUplift, cohort_id: str, metric: str, lang: Lang
) -> None:
    """Every merchant's uplift: the race chart, the table and its CSV."""
    st.caption(t("roi.race.caption"))
    race = charts_roi.results_race(figures.merchants, lang=lang)
    if race is None:
        st.info(t("roi.race.none"))
    else:
        st.plotly_chart(race, config=charts.CONFIG, key="roi_race")
    missing = roi_answer.race_missing(figures, lang)
    if missing:
        st.caption(missing)
    merchants = figures.merchants
    shown = merchants.assign(
        industry=merchants["industry"].map(lambda c: label("industry", c)),
        baseline=merchants["baseline"].map(lambda v: fmt.money(v, lang)),
        programme=merchants["programme"].map(lambda v: fmt.money(v, lang)),
        post=merchants["post"].map(lambda v: fmt.money(v, lang)),
        raw_uplift=merchants["raw_uplift"].map(lambda v: fmt.percent_change(v, lang)),
        causal_uplift=[
            fmt.percent_change(v, lang)
            if v == v
            else roi_answer.reason_text(str(r or "no_controls"), metric, lang)
            for v, r in zip(merchants["causal_uplift"], merchants["reason"], strict=True)
        ],
        interval=[
            fmt.MISSING
            if lo != lo
            else f"{fmt.percent_change(lo, lang)} … {fmt.percent_change(hi, lang)}"
            for lo, hi in zip(merchants["causal_low"], merchants["causal_high"], strict=True)
        ],
    )
    widgets.table(shown, MERCHANT_COLUMNS, key="roi_merchants", whole=True)
    widgets.export_csv(
        roi_answer.merchant_export(figures, cohort_id, result.name, lang),
        f"merchants-{cohort_id}-{metric}",
        key="roi_merchants_csv",
        label_key="roi.download",
    )


def _cumulative(figures: MetricUplift, cohort_id: str, metric: str, lang: Lang) -> None:
    """Cumulative incremental GMV against the counterfactual, and its CSV."""
    if figures.cumulative["counterfactual"].isna().all():
        st.info(t("roi.cumulative.none"))
    else:
        st.plotly_chart(
            charts_roi.cumulative_incremental(figures.cumulative, lang=lang),
            config=charts.CONFIG,
            key="roi_cumulative",
        )
        widgets.export_csv(
            figures.cumulative.assign(cohort_id=cohort_id, metric=metric),
            f"incremental-{cohort_id}-{metric}",
            key="roi_cumulative_csv",
            label_key="roi.download",
        )


render()
