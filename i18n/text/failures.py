"""Why an offer or an account change was not done (en, zh): the sentences
`models.offers` and the account models raise, said by `ui/failure_text.py`."""

from __future__ import annotations

from i18n.format import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "offer.reason.start": {
        "en": "the start {start} is before {earliest}, the day after the last data; "
        "to record a campaign that already ran, tick “Record a campaign that already ran”",
        "zh": "开始日期 {start} 早于 {earliest}（最后数据日的次日）；若要记录已经开展过的活动，"
        "请勾选“登记已经开展过的活动”",
    },
    "offer.reason.tier_cost": {
        "en": "a tier's cost cannot be negative",
        "zh": "分档成本不能为负数",
    },
    "offer.reason.cost": {"en": "the cost cannot be negative", "zh": "成本不能为负数"},
    "offer.reason.split": {
        "en": "unknown cost split “{value}”",
        "zh": "未知的成本分摊方式 “{value}”",
    },
    "offer.reason.holdout": {
        "en": "the holdout share must be between 0 and {most}",
        "zh": "对照组比例须在 0 至 {most} 之间",
    },
    "offer.reason.name": {
        "en": "a campaign needs a name of 1 to {most} characters",
        "zh": "活动名称须为 1 至 {most} 个字符",
    },
    "offer.reason.offer": {
        "en": "an offer needs 1 to {most} characters",
        "zh": "优惠内容须为 1 至 {most} 个字符",
    },
    "offer.reason.empty": {"en": "the segment has no customers", "zh": "该分层没有顾客"},
    "offer.reason.end": {
        "en": "the end date is before the start date",
        "zh": "结束日期早于开始日期",
    },
    "offer.reason.channel": {"en": "unknown channel “{value}”", "zh": "未知渠道 “{value}”"},
    "offer.reason.tier_offer": {
        "en": "give an offer for {tier}",
        "zh": "请为 {tier} 填写优惠内容",
    },
    "offer.reason.other": {
        "en": "the campaign's settings cannot be used; check each field",
        "zh": "活动设置无法使用；请逐项检查",
    },
    "account.reason.own": {
        "en": "you cannot deactivate your own account",
        "zh": "不能停用自己的账号",
    },
    "account.reason.invitation": {
        "en": "this invitation link is not valid (used, expired or unknown)",
        "zh": "该邀请链接无效（已使用、已过期或不存在）",
    },
    "account.reason.login": {"en": "you are not logged in", "zh": "尚未登录"},
    "account.reason.current": {
        "en": "the current password is not right",
        "zh": "当前密码不正确",
    },
    "account.reason.short": {
        "en": "a password needs at least {n} characters",
        "zh": "密码至少需要 {n} 个字符",
    },
    "account.reason.no_user": {"en": "no user “{value}”", "zh": "没有用户 “{value}”"},
    "account.reason.unknown_cohort": {
        "en": "unknown cohort: {values} (load it first)",
        "zh": "未知批次：{values}（请先导入）",
    },
    "account.reason.unknown_merchant": {
        "en": "unknown merchant: {values} (load it first)",
        "zh": "未知商家：{values}（请先导入）",
    },
    "account.reason.role": {"en": "pick a role", "zh": "请选择角色"},
    "account.reason.one_merchant": {
        "en": "a merchant user needs exactly one merchant",
        "zh": "商家账号须对应且仅对应一个商家",
    },
    "account.reason.merchant_only": {
        "en": "only merchant users have a merchant",
        "zh": "只有商家账号可以绑定商家",
    },
    "account.reason.coach_only": {
        "en": "only coaches have cohorts",
        "zh": "只有教练可以负责批次",
    },
    "account.reason.username": {"en": "a username is required", "zh": "请填写用户名"},
    "account.reason.exists": {
        "en": "user “{value}” exists already",
        "zh": "用户 “{value}” 已存在",
    },
    "account.reason.has_merchant": {
        "en": "a merchant user has exactly one merchant; revoke it first",
        "zh": "商家账号只能绑定一个商家；请先撤销原有绑定",
    },
    "account.reason.not_allowed": {
        "en": "your role may not do this",
        "zh": "你的角色无权执行此操作",
    },
    "account.reason.other": {
        "en": "the account could not be changed",
        "zh": "账号未能修改",
    },
}
