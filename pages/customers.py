"""Customer outlook: a merchant's predicted customers — totals, the top customers at risk
(masked ids) and the calibration check that shows how well the model predicts this
merchant. Figures come from `models.predictions` through `ui.data.predictions`."""

from __future__ import annotations

import streamlit as st

from i18n import format as fmt
from models import clv
from models.segments.ids import mask_id
from ui import charts, charts_predictions, widgets
from ui.data import engine
from ui.data import predictions as data
from ui.i18n import t

SEGMENTS_PAGE = "segments"  # ui/navigation.py
AT_RISK_TABLE = {
    "customer": "predictions.col.customer",
    "gmv": "predictions.col.gmv",
    "purchase_days": "predictions.col.purchase_days",
    "last_order": "predictions.col.last_order",
    "churn_risk": "predictions.col.churn_risk",
    "purchases_90d": "predictions.col.purchases_90d",
    "clv": "predictions.col.clv",
}

frame = widgets.frame()
lang, scope = frame.lang, frame.scope
st.title(t("predictions.title"))
merchant_id = widgets.merchant_picker("customers_merchant")
db = engine()
fit = data.latest_fit(db, scope, merchant_id) if merchant_id else None
if merchant_id is None:
    st.stop()
if fit is None:
    st.info(t("predictions.none"))
    st.stop()
if not fit.fitted:
    minimum = clv.DEFAULT_MINIMUM
    st.warning(
        t(
            "predictions.not_enough",
            customers=fmt.count(fit.customers, lang),
            repeat=fmt.count(fit.repeat_customers, lang),
            min_customers=minimum.customers,
            min_repeat=minimum.repeat_customers,
        )
    )
    st.stop()

st.caption(
    t(
        "predictions.caption",
        as_of=fmt.day(fit.as_of, lang),
        fitted_at=fmt.timestamp(fit.fitted_at, lang),
    )
)
totals = data.summary(db, scope, merchant_id)
cells = st.columns(4)
cells[0].metric(t("predictions.kpi.customers"), fmt.count(totals["customers"], lang))
cells[1].metric(t("predictions.kpi.at_risk"), fmt.count(totals["at_risk"], lang))
cells[2].metric(t("predictions.kpi.purchases_30d"), fmt.count(totals["purchases_30d"], lang))
cells[3].metric(t("predictions.kpi.clv"), fmt.money(totals["clv_12m"], lang))

st.subheader(t("predictions.at_risk.title"))
st.caption(t("predictions.at_risk.caption"))
at_risk = data.top_at_risk(db, scope, merchant_id)
if at_risk.empty:
    st.info(t("predictions.at_risk.empty"))
else:
    shown = at_risk.assign(
        customer=at_risk["customer_id"].map(mask_id),
        gmv=at_risk["gmv"].map(lambda v: fmt.money(v, lang)),
        purchase_days=at_risk["purchase_days"].map(lambda v: fmt.count(v, lang)),
        last_order=at_risk["last_order_on"].map(lambda v: fmt.day(v, lang)),
        churn_risk=at_risk["churn_risk"].map(lambda v: fmt.percent(v, lang)),
        purchases_90d=at_risk["purchases_90d"].map(lambda v: f"{v:.2f}"),
        clv=at_risk["clv_12m"].map(lambda v: fmt.money(v, lang)),
    )
    widgets.table(shown, AT_RISK_TABLE, key="customers_at_risk", whole=True)
widgets.page_link(SEGMENTS_PAGE, "predictions.to_segments")

st.subheader(t("predictions.calibration.title"))
groups = data.calibration(db, scope, merchant_id)
if groups.empty or fit.holdout_days is None:
    st.info(t("predictions.calibration.none", days=90))
else:
    error = fit.holdout_error
    st.caption(
        t(
            "predictions.calibration.caption",
            cutoff=fmt.day(fit.calibration_cutoff, lang),
            days=fit.holdout_days,
            predicted=fmt.count(fit.holdout_predicted, lang),
            actual=fmt.count(fit.holdout_actual, lang),
            error=t("predictions.calibration.error", share=fmt.percent_change(error, lang)),
            mae=f"{fit.holdout_mae:.2f}",
        )
    )
    st.plotly_chart(
        charts_predictions.calibration(groups, lang=lang, days=fit.holdout_days),
        config=charts.CONFIG,
        key="customers_calibration",
    )
