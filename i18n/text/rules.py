"""The segment rule editor's words: field and operator names, and the reasons a rule cannot
run (`ui/segment_text.py` reads the reasons `models.segments` gives and says them here)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # fields (models.segments.FIELDS)
    "rules.field.orders": {"en": "Orders", "zh": "订单数"},
    "rules.field.purchase_days": {"en": "Purchase days", "zh": "购买天数"},
    "rules.field.repurchases": {"en": "Repurchases", "zh": "复购次数"},
    "rules.field.gmv": {"en": "GMV", "zh": "成交额"},
    "rules.field.refunds": {"en": "Refunds", "zh": "退款额"},
    "rules.field.aov": {"en": "Average order value", "zh": "客单价"},
    "rules.field.channel_count": {"en": "Number of channels", "zh": "渠道数"},
    "rules.field.touchpoint_count": {"en": "Number of touchpoints", "zh": "触点数"},
    "rules.field.tenure_days": {"en": "Days as a customer", "zh": "成为顾客天数"},
    "rules.field.r_score": {"en": "Recency score (R)", "zh": "最近购买评分（R）"},
    "rules.field.f_score": {"en": "Frequency score (F)", "zh": "购买频次评分（F）"},
    "rules.field.m_score": {"en": "Spend score (M)", "zh": "消费金额评分（M）"},
    "rules.field.last_order": {"en": "Last purchase", "zh": "最近一次购买"},
    "rules.field.first_order": {"en": "First purchase", "zh": "首次购买"},
    "rules.field.member_level": {"en": "Member level", "zh": "会员等级"},
    "rules.field.store_id": {"en": "Store", "zh": "门店"},
    "rules.field.guide_id": {"en": "Guide", "zh": "导购"},
    "rules.field.rfm_segment": {"en": "RFM segment", "zh": "RFM 分层"},
    "rules.field.channels": {"en": "Channels bought in", "zh": "购买渠道"},
    "rules.field.touchpoint": {"en": "Touchpoint", "zh": "触点"},
    "rules.field.customer_id": {"en": "Customer", "zh": "顾客"},
    "rules.field.churn_risk": {"en": "Churn risk", "zh": "流失风险"},
    "rules.field.p_alive": {"en": "Chance still active", "zh": "仍活跃概率"},
    "rules.field.predicted_purchases_30d": {
        "en": "Predicted purchases, 30 days",
        "zh": "预测 30 天购买次数",
    },
    "rules.field.predicted_purchases_90d": {
        "en": "Predicted purchases, 90 days",
        "zh": "预测 90 天购买次数",
    },
    "rules.field.expected_spend": {"en": "Expected spend", "zh": "预期消费"},
    "rules.field.predicted_clv": {"en": "Predicted 12-month value", "zh": "预测 12 个月价值"},
    # operators (models.segments.OPERATORS)
    "rules.op.between": {"en": "between", "zh": "介于"},
    "rules.op.at_least": {"en": "at least", "zh": "至少"},
    "rules.op.at_most": {"en": "at most", "zh": "至多"},
    "rules.op.equals": {"en": "equals", "zh": "等于"},
    "rules.op.within_last_days": {"en": "within the last N days", "zh": "最近 N 天内"},
    "rules.op.more_than_days_ago": {"en": "more than N days ago", "zh": "超过 N 天前"},
    "rules.op.never": {"en": "never", "zh": "从未"},
    "rules.op.ever": {"en": "ever", "zh": "曾经"},
    "rules.op.in": {"en": "is one of", "zh": "属于"},
    "rules.op.not_in": {"en": "is none of", "zh": "不属于"},
    "rules.op.includes_any": {"en": "includes any of", "zh": "包含任一"},
    "rules.op.includes_all": {"en": "includes all of", "zh": "全部包含"},
    "rules.op.excludes": {"en": "excludes", "zh": "不包含"},
    "rules.op.has": {"en": "has", "zh": "已有"},
    "rules.op.has_not": {"en": "has not", "zh": "没有"},
    "rules.this_segment": {"en": "This segment", "zh": "当前分层"},
    # where a problem is
    "rules.where.rules": {"en": "The rules", "zh": "规则"},
    "rules.where.condition": {"en": "Condition {n}", "zh": "条件 {n}"},
    "rules.where.group": {"en": "Group {n}", "zh": "第 {n} 组"},
    "rules.where.group_condition": {"en": "Group {g}, condition {n}", "zh": "第 {g} 组条件 {n}"},
    "rules.where.row": {"en": "Row {n}", "zh": "第 {n} 行"},
    "rules.where.with": {"en": "{where} ({field} {op})", "zh": "{where}（{field} {op}）"},
    # what is wrong
    "rules.reason.not_number": {"en": "{value} is not a number", "zh": "{value} 不是数字"},
    "rules.reason.not_finite": {
        "en": "{value} is not a finite number",
        "zh": "{value} 不是有限的数字",
    },
    "rules.reason.not_whole": {"en": "{value} must be a whole number", "zh": "{value} 必须是整数"},
    "rules.reason.outside": {
        "en": "{value} is outside {lo} to {hi}",
        "zh": "{value} 超出 {lo} 至 {hi} 的范围",
    },
    "rules.reason.not_text": {"en": "{value} is not a text value", "zh": "{value} 不是文本"},
    "rules.reason.text_length": {
        "en": "a value must be 1 to {n} characters",
        "zh": "取值须为 1 至 {n} 个字符",
    },
    "rules.reason.pick_value": {"en": "pick at least one value", "zh": "请至少选择一个取值"},
    "rules.reason.too_many_values": {"en": "at most {n} values", "zh": "最多 {n} 个取值"},
    "rules.reason.unknown_value": {
        "en": "unknown value {value}; allowed: {allowed}",
        "zh": "未知取值 {value}；可选：{allowed}",
    },
    "rules.reason.not_condition": {
        "en": "a condition needs a field, an operator and a value",
        "zh": "条件须包含字段、运算符和取值",
    },
    "rules.reason.unknown_key": {"en": "unknown key {value}", "zh": "未知的键 {value}"},
    "rules.reason.unknown_field": {"en": "unknown field {value}", "zh": "未知字段 {value}"},
    "rules.reason.wrong_operator": {
        "en": "{field} takes the operators {allowed}, not {value}",
        "zh": "{field} 可用的运算符为 {allowed}，不能用 {value}",
    },
    "rules.reason.between": {
        "en": "“between” takes a lowest and a highest value (2-5)",
        "zh": "“介于”需要最低值和最高值（如 2-5）",
    },
    "rules.reason.low_above_high": {
        "en": "the lowest value {lo} is above the highest {hi}",
        "zh": "最低值 {lo} 高于最高值 {hi}",
    },
    "rules.reason.one_touchpoint": {"en": "pick one touchpoint", "zh": "请只选一个触点"},
    "rules.reason.match": {
        "en": "combine with “all” or “any”, not {value}",
        "zh": "组合方式只能是“全部”或“任一”，不能是 {value}",
    },
    "rules.reason.conditions_list": {"en": "the conditions must be a list", "zh": "条件必须是列表"},
    "rules.reason.too_many_conditions": {"en": "at most {n} conditions", "zh": "最多 {n} 个条件"},
    "rules.reason.nested": {"en": "groups go one level deep only", "zh": "分组只能嵌套一层"},
    "rules.reason.empty_group": {"en": "an empty group", "zh": "分组为空"},
    "rules.reason.pick_field": {
        "en": "pick a field and an operator",
        "zh": "请选择字段和运算符",
    },
    "rules.reason.json": {"en": "the rules are not valid JSON", "zh": "规则不是有效的 JSON"},
    "rules.reason.definition": {
        "en": "the rules need a way to combine and a list of conditions",
        "zh": "规则须包含组合方式和条件列表",
    },
    "rules.reason.name": {
        "en": "a segment needs a name of 1 to {most} characters",
        "zh": "分层名称须为 1 至 {most} 个字符",
    },
    "rules.reason.other": {
        "en": "the rules cannot be read; check each row's field, operator and value",
        "zh": "无法读取规则；请检查每一行的字段、运算符和取值",
    },
    "rules.help.fields": {
        "en": "Counts and money (orders, purchase days, repurchases, GMV, average order "
        "value …): between (2-5), at least, at most, equals. Scores R, F, M: 1–5. Last and "
        "first purchase: within the last N days (30), more than N days ago (90), never, ever. "
        "Member level, store, guide, RFM segment: is one of / is none of a comma-separated "
        "list. Touchpoint: has / has not a fan, a guide contact, a community member, a cloud "
        "user (type the code shown: {touchpoints}).",
        "zh": "数量与金额（订单数、购买天数、复购次数、成交额、客单价等）："
        "介于（2-5）、至少、至多、等于。R、F、M 评分：1–5。"
        "最近一次与首次购买：最近 N 天内（30）、超过 N 天前（90）、从未、曾经。"
        "会员等级、门店、导购、RFM 分层：属于 / 不属于 以逗号分隔的列表。"
        "触点：已有 / 没有 粉丝、导购好友、社群成员、云用户（输入所示代码：{touchpoints}）。",
    },
    "rules.help.values": {
        "en": "Channels bought in: includes any of / includes all of / excludes a list of "
        "channels, typed as their codes: {channels}.",
        "zh": "购买渠道：包含任一 / 全部包含 / 不包含 以下渠道，输入其代码：{channels}。",
    },
}
