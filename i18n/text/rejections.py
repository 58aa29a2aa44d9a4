"""Why a delivered row or file was rejected (`ui/rejection_text.py` says the reasons the
loader writes, `pipelines/validate.py` and `pipelines/load.py`, from here)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "reject.not_finite": {
        "en": "not a finite number (inf and nan are refused)",
        "zh": "不是有限的数字（不接受 inf 和 nan）",
    },
    "reject.ambiguous": {
        "en": "ambiguous number: a comma is only a thousands separator, as in 1,234.50",
        "zh": "数字有歧义：逗号只能作千位分隔符，如 1,234.50",
    },
    "reject.not_number": {"en": "not a number", "zh": "不是数字"},
    "reject.not_money": {
        "en": "not an amount (such as 1,234.50 or ¥1,234.50)",
        "zh": "不是金额（如 1,234.50 或 ¥1,234.50）",
    },
    "reject.negative": {"en": "{column} must be ≥ 0", "zh": "「{column}」不能为负数"},
    "reject.too_large": {
        "en": "{column} is too large (at most {max})",
        "zh": "「{column}」过大（最多 {max}）",
    },
    "reject.not_whole": {
        "en": "{column} must be a whole number",
        "zh": "「{column}」必须是整数",
    },
    "reject.not_share": {
        "en": "{column} must be between 0 and 1",
        "zh": "「{column}」必须在 0 到 1 之间",
    },
    "reject.control": {
        "en": "holds a control character (such as NUL); remove it",
        "zh": "含有控制字符（如 NUL），请删除",
    },
    "reject.too_long": {
        "en": "{column} is longer than {n} characters",
        "zh": "「{column}」超过 {n} 个字符",
    },
    "reject.blank": {
        "en": "{column} is required but blank",
        "zh": "「{column}」为必填项，但为空",
    },
    "reject.date": {
        "en": "not a valid date (expected YYYY-MM-DD)",
        "zh": "不是有效日期（应为 2019-09-02 这样的日期）",
    },
    "reject.timestamp": {
        "en": "not a valid timestamp (expected YYYY-MM-DD HH:MM[:SS])",
        "zh": "不是有效时间（应为 2019-09-02 14:05 或 2019-09-02 14:05:30）",
    },
    "reject.flag": {
        "en": "not a yes/no value (allowed: {allowed})",
        "zh": "不是是/否取值（可选：{allowed}）",
    },
    "reject.vocabulary": {
        "en": "not an allowed {column}; allowed: {allowed}",
        "zh": "「{column}」取值不在允许范围内；可选：{allowed}",
    },
    "reject.future": {
        "en": "{column} is in the future (after {when})",
        "zh": "「{column}」晚于当前时间（{when} 之后）",
    },
    "reject.no_merchant": {
        "en": "merchant does not exist (not in this delivery's merchants nor loaded before)",
        "zh": "商家不存在（本次交付的商家文件中没有，之前也未加载）",
    },
    "reject.no_cohort": {
        "en": "cohort does not exist (not in this delivery's cohorts nor loaded before)",
        "zh": "期次不存在（本次交付的期次文件中没有，之前也未加载）",
    },
    "reject.no_store": {
        "en": "store does not exist for this merchant (not in this delivery's stores nor "
        "loaded before)",
        "zh": "该商家没有此门店（本次交付的门店文件中没有，之前也未加载）",
    },
    "reject.no_guide": {
        "en": "guide does not exist for this merchant (not in this delivery's guides nor "
        "loaded before)",
        "zh": "该商家没有此导购（本次交付的导购文件中没有，之前也未加载）",
    },
    "reject.no_campaign_here": {
        "en": "campaign does not exist for this merchant (not in this delivery's campaigns nor "
        "loaded before)",
        "zh": "该商家没有此活动（本次交付的活动文件中没有，之前也未加载）",
    },
    "reject.no_campaign": {
        "en": "campaign does not exist (deliver campaigns before or with its assignments)",
        "zh": "活动不存在（请在分组之前或同时交付活动文件）",
    },
    "reject.end_before_start": {
        "en": "end_date is before start_date",
        "zh": "结束日期早于开始日期",
    },
    "reject.refund_above_gmv": {"en": "refund is larger than gmv", "zh": "退款额大于成交额"},
    "reject.identified_above_visitors": {
        "en": "identified_visitors is larger than visitors",
        "zh": "识别顾客数大于到店客流",
    },
    "reject.other_merchant": {
        "en": "row is for another merchant; only merchant {own}'s own rows are loaded here",
        "zh": "该行属于其他商家；这里只加载商家 {own} 自己的行",
    },
    "reject.only_own": {
        "en": "only merchant {own}'s own data is loaded here",
        "zh": "这里只加载商家 {own} 自己的数据",
    },
    "reject.duplicate": {
        "en": "duplicate key ({columns}): the same key is on line {line}",
        "zh": "主键重复（{columns}）：第 {line} 行已有相同主键",
    },
    "reject.missing_column": {
        "en": "required column is missing from the header; no row of this file loads",
        "zh": "表头缺少必填列；此文件的所有行都不会加载",
    },
    "reject.file_damaged": {
        "en": "{problem}; no row of this file loads",
        "zh": "文件无法读取（{problem}）；此文件的所有行都不会加载",
    },
}
