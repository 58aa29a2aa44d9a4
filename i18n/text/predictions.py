"""Text of the customer outlook page and the predictive segments (en, zh)."""

from __future__ import annotations

from i18n.format import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "predictions.page": {"en": "Customer outlook", "zh": "顾客预测"},
    "predictions.title": {"en": "Customer outlook", "zh": "顾客预测"},
    "predictions.caption": {
        "en": "Who is about to lapse and what customers are worth: per customer, expected "
        "purchases, the chance they are still active (churn risk is the rest) and 12-month "
        "value, from a BG/NBD and Gamma-Gamma model fitted on this merchant's own "
        "purchase history up to {as_of}. Last fit: {fitted_at}.",
        "zh": "谁即将流失、顾客价值几何：按顾客给出预计购买次数、仍然活跃的概率（其余即流失风险）"
        "和 12 个月价值，模型为 BG/NBD 与 Gamma-Gamma，基于该商家截至 {as_of} 的自有购买记录"
        "拟合。最近拟合：{fitted_at}。",
    },
    "predictions.none": {
        "en": "No predictions yet for this merchant. An operator computes them with "
        "`python -m pipelines predict` after a delivery is loaded.",
        "zh": "该商家尚无预测。数据载入后，由运维人员运行 `python -m pipelines predict` 计算。",
    },
    "predictions.not_enough": {
        "en": "Not enough purchases to predict: {customers} customers bought, {repeat} of "
        "them more than once; predictions need at least {min_customers} customers and "
        "{min_repeat} repeat buyers.",
        "zh": "购买记录不足，无法预测：共 {customers} 位顾客购买，其中 {repeat} 位复购；"
        "预测至少需要 {min_customers} 位顾客和 {min_repeat} 位复购顾客。",
    },
    "predictions.kpi.customers": {"en": "Customers predicted", "zh": "已预测顾客"},
    "predictions.kpi.at_risk": {"en": "At risk (churn risk ≥ 50%)", "zh": "流失风险 ≥ 50%"},
    "predictions.kpi.purchases_30d": {
        "en": "Expected purchases, next 30 days",
        "zh": "未来 30 天预计购买次数",
    },
    "predictions.kpi.clv": {"en": "Predicted 12-month value", "zh": "预测 12 个月价值"},
    "predictions.at_risk.title": {
        "en": "Top customers at risk",
        "zh": "高风险重点顾客",
    },
    "predictions.at_risk.caption": {
        "en": "Customers whose churn risk is 50% or more, the most spent so far first (ids "
        "masked). One-time buyers are not in this list: the model cannot tell from one "
        "purchase whether they have left. Build a segment of them with the template "
        "“High value at risk” in the segment builder.",
        "zh": "流失风险 50% 及以上的顾客，按累计消费从高到低（编号已遮蔽）。"
        "只购买过一次的顾客不在此列：仅凭一次购买，模型无法判断其是否已流失。可在客群分层工具中用模板“高价值流失风险”建立分层。",
    },
    "predictions.at_risk.empty": {
        "en": "No customer has a churn risk of 50% or more.",
        "zh": "没有流失风险达到 50% 的顾客。",
    },
    "predictions.to_segments": {
        "en": "Segment builder: target them with an offer",
        "zh": "客群分层工具：为他们配置优惠",
    },
    "predictions.col.customer": {"en": "Customer", "zh": "顾客"},
    "predictions.col.gmv": {"en": "Spent so far", "zh": "累计消费"},
    "predictions.col.purchase_days": {"en": "Purchases", "zh": "购买次数"},
    "predictions.col.last_order": {"en": "Last purchase", "zh": "最近购买"},
    "predictions.col.churn_risk": {"en": "Churn risk", "zh": "流失风险"},
    "predictions.col.purchases_90d": {
        "en": "Expected purchases, 90 days",
        "zh": "90 天预计购买",
    },
    "predictions.col.clv": {"en": "12-month value", "zh": "12 个月价值"},
    "predictions.calibration.title": {
        "en": "Does the model predict this merchant well?",
        "zh": "模型对该商家的预测准不准？",
    },
    "predictions.calibration.caption": {
        "en": "Check on held-back data: the model was fitted on purchases up to {cutoff} and "
        "asked for the next {days} days. Over those days it expected {predicted} purchases; "
        "customers made {actual} ({error}). Per customer it was off by {mae} purchases on "
        "average.",
        "zh": "留出数据检验：模型用截至 {cutoff} 的购买记录拟合，预测其后 {days} 天。"
        "模型预计 {predicted} 次购买，实际 {actual} 次（{error}）。平均每位顾客偏差 {mae} 次。",
    },
    "predictions.calibration.none": {
        "en": "No calibration check: too few purchases before the last {days} days.",
        "zh": "无法检验：最近 {days} 天之前的购买记录太少。",
    },
    "predictions.calibration.error": {"en": "{share} off", "zh": "偏差 {share}"},
    "predictions.chart.title": {
        "en": "Purchases in the held-back {days} days: predicted vs actual",
        "zh": "留出的 {days} 天内购买次数：预测与实际",
    },
    "predictions.chart.x": {
        "en": "Repeat purchases before the cut-off",
        "zh": "截止日前的复购次数",
    },
    "predictions.chart.y": {
        "en": "Purchases per customer in the holdout",
        "zh": "留出期内人均购买次数",
    },
    "predictions.chart.predicted": {"en": "Predicted", "zh": "预测"},
    "predictions.chart.actual": {"en": "Actual", "zh": "实际"},
    "predictions.chart.customers": {"en": "{n} customers", "zh": "{n} 位顾客"},
    "predictions.chart.plus": {"en": "{n}+", "zh": "{n} 次及以上"},
    "segments.template.high_value_at_risk": {
        "en": "Predicted: high value at risk",
        "zh": "预测：高价值流失风险",
    },
    "segments.template.about_to_buy_again": {
        "en": "Predicted: about to buy again",
        "zh": "预测：即将再次购买",
    },
    "segments.template.new_and_promising": {
        "en": "Predicted: new and promising",
        "zh": "预测：潜力新客",
    },
}
