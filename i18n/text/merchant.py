"""Text of merchant self-service: My data (own uploads, column mapping) and accounts."""

from __future__ import annotations

from i18n.format import Lang

TEXT: dict[str, dict[Lang, str]] = {
    # --- My data ------------------------------------------------------------------------
    "mydata.page": {"en": "My data", "zh": "我的数据"},
    "mydata.title": {"en": "My data: load my own exports", "zh": "我的数据：导入自己的导出文件"},
    "mydata.intro": {
        "en": "Upload your own exports as they come out of your system (CSV in UTF-8 or "
        "GBK, or Excel; every sheet is read). Every row must be {merchant}'s: a row for "
        "another merchant is rejected with the reason and never loaded.",
        "zh": "直接上传系统导出的文件（UTF-8 或 GBK 编码的 CSV，或 Excel，每个工作表都会读取）。"
        "每一行都必须属于{merchant}：其他商户的行会被拒绝并说明原因，不会导入。",
    },
    "mydata.only_merchants": {
        "en": "This page is for a merchant's own account. Operators load deliveries on the "
        "Data deliveries page.",
        "zh": "此页面供商户账号使用。运营人员请在“数据交付”页面导入。",
    },
    "mydata.upload": {"en": "Your files", "zh": "您的文件"},
    "mydata.unreadable": {"en": "Cannot read {file}: {reason}", "zh": "无法读取 {file}：{reason}"},
    "mydata.part": {"en": "{file} — {rows} rows", "zh": "{file} — {rows} 行"},
    "mydata.entity": {"en": "What this file holds", "zh": "文件内容"},
    "mydata.entity.skip": {"en": "Do not load this file", "zh": "不导入此文件"},
    "mydata.entity.recognised": {
        "en": "Recognised as {entity} from its name or columns.",
        "zh": "已根据文件名或列名识别为{entity}。",
    },
    "mydata.entity.unknown": {
        "en": "Not recognised: pick what the file holds, or leave it out.",
        "zh": "无法识别：请选择文件内容，或不导入。",
    },
    "mydata.mapping.help": {
        "en": "Which field each of your columns is. Your choice is remembered for the next upload.",
        "zh": "您的每一列对应哪个字段。选择会被记住，下次上传自动套用。",
    },
    "mydata.mapping.none": {"en": "(not loaded)", "zh": "（不导入）"},
    "mydata.mapping.missing": {
        "en": "Still needed: {columns}. Map a column to each.",
        "zh": "还缺少：{columns}。请为每项选择对应的列。",
    },
    # the contract's fields in words, for the column mapping
    "mydata.field.order_id": {"en": "order number", "zh": "订单号"},
    "mydata.field.merchant_id": {"en": "merchant id", "zh": "商户编号"},
    "mydata.field.ordered_at": {"en": "ordered at (date and time)", "zh": "下单时间"},
    "mydata.field.channel": {"en": "channel", "zh": "渠道"},
    "mydata.field.gmv": {"en": "amount paid (GMV)", "zh": "实付金额"},
    "mydata.field.store_id": {"en": "store id", "zh": "门店编号"},
    "mydata.field.customer_id": {"en": "customer / member id", "zh": "顾客/会员编号"},
    "mydata.field.guide_id": {"en": "shopping guide id", "zh": "导购编号"},
    "mydata.field.campaign_id": {"en": "campaign id", "zh": "活动编号"},
    "mydata.field.refund": {"en": "refunded amount", "zh": "退款金额"},
    "mydata.field.first_seen_on": {"en": "first seen on", "zh": "首次到店日期"},
    "mydata.field.unified_id": {
        "en": "unified id (one person across channels)",
        "zh": "统一身份编号",
    },
    "mydata.field.member_level": {"en": "member level", "zh": "会员等级"},
    "mydata.field.name": {"en": "name", "zh": "名称"},
    "mydata.field.city": {"en": "city", "zh": "城市"},
    "mydata.field.opened_on": {"en": "opened on", "zh": "开业日期"},
    "mydata.field.role": {"en": "role", "zh": "角色"},
    "mydata.field.joined_on": {"en": "joined on", "zh": "入职日期"},
    "mydata.field.left_on": {"en": "left on", "zh": "离职日期"},
    "mydata.field.event_id": {"en": "event id", "zh": "事件编号"},
    "mydata.field.touchpoint": {"en": "touchpoint", "zh": "触点"},
    "mydata.field.action": {"en": "action", "zh": "行为"},
    "mydata.field.occurred_at": {"en": "occurred at (date and time)", "zh": "发生时间"},
    "mydata.field.group_id": {"en": "group id", "zh": "社群编号"},
    "mydata.field.date": {"en": "date", "zh": "日期"},
    "mydata.field.visitors": {"en": "visitors", "zh": "进店人数"},
    "mydata.field.identified_visitors": {"en": "identified visitors", "zh": "已识别进店人数"},
    "mydata.field.start_date": {"en": "start date", "zh": "开始日期"},
    "mydata.field.cost": {"en": "cost", "zh": "成本"},
    "mydata.field.end_date": {"en": "end date", "zh": "结束日期"},
    "mydata.field.segment_id": {"en": "segment id", "zh": "人群编号"},
    "mydata.field.offer": {"en": "offer", "zh": "优惠内容"},
    "mydata.field.holdout_share": {"en": "holdout share", "zh": "对照组比例"},
    "mydata.field.group": {"en": "group (treatment or holdout)", "zh": "分组（实验组或对照组）"},
    "mydata.preview": {"en": "First rows", "zh": "前几行"},
    "mydata.load": {"en": "Load my data", "zh": "导入我的数据"},
    "mydata.failed": {"en": "Not loaded: {reason}", "zh": "未导入：{reason}"},
    "mydata.done": {
        "en": "Loaded {new} new and {replaced} corrected rows; {rejected} rejected.",
        "zh": "已导入新数据 {new} 行、更正 {replaced} 行；拒绝 {rejected} 行。",
    },
    "mydata.all_rejected": {
        "en": "Nothing was loaded: all {rejected} rows were rejected. The reason for each "
        "is below; correct the export (or the column mapping) and upload it again.",
        "zh": "未导入任何数据：全部 {rejected} 行被拒绝。每行的原因见下方；"
        "请修正导出文件（或列对应关系）后重新上传。",
    },
    "mydata.next": {"en": "Next: assess yourself", "zh": "下一步：自我评估"},
    "mydata.rejections": {"en": "Rejected rows", "zh": "被拒绝的行"},
    "entity.orders": {"en": "orders", "zh": "订单"},
    "entity.customers": {"en": "customers", "zh": "客户"},
    "entity.stores": {"en": "stores", "zh": "门店"},
    "entity.guides": {"en": "shopping guides", "zh": "导购"},
    "entity.touchpoint_events": {"en": "touchpoint events", "zh": "触点事件"},
    "entity.store_traffic": {"en": "store traffic", "zh": "门店客流"},
    "entity.campaigns": {"en": "campaigns", "zh": "营销活动"},
    "entity.campaign_assignments": {"en": "campaign groups", "zh": "活动分组"},
    # --- accounts ------------------------------------------------------------------------
    "users.page": {"en": "Accounts", "zh": "账号"},
    "users.title": {"en": "Accounts", "zh": "账号管理"},
    "users.mine": {"en": "My password", "zh": "我的密码"},
    "users.current": {"en": "Current password", "zh": "当前密码"},
    "users.new": {"en": "New password", "zh": "新密码"},
    "users.repeat": {"en": "New password again", "zh": "再次输入新密码"},
    "users.change": {"en": "Change my password", "zh": "修改密码"},
    "users.changed": {"en": "Your password is changed.", "zh": "密码已修改。"},
    "users.mismatch": {"en": "The two new passwords differ.", "zh": "两次输入的新密码不一致。"},
    "users.failed": {"en": "Not done: {reason}", "zh": "未完成：{reason}"},
    "users.list": {"en": "Everyone with an account", "zh": "所有账号"},
    "users.none": {"en": "No accounts yet.", "zh": "尚无账号。"},
    "users.create": {"en": "Create an account", "zh": "新建账号"},
    "users.username": {"en": "Username", "zh": "用户名"},
    "users.display": {"en": "Name shown", "zh": "显示名称"},
    "users.role": {"en": "Role", "zh": "角色"},
    "users.cohorts": {"en": "Cohorts coached", "zh": "负责的期次"},
    "users.merchant": {"en": "Merchant", "zh": "商户"},
    "users.how": {"en": "First password", "zh": "初始密码"},
    "users.how.password": {"en": "Generate a password", "zh": "生成密码"},
    "users.how.invite": {"en": "One-time invitation code", "zh": "一次性邀请码"},
    "users.create.button": {"en": "Create", "zh": "创建"},
    "users.password_once": {
        "en": "Password for **{user}** (shown once, hand it over in person): `{password}`",
        "zh": "**{user}** 的密码（仅显示一次，请当面交付）：`{password}`",
    },
    "users.invite_once": {
        "en": "Invitation for **{user}** (shown once, valid {days} days, opens once): `{token}`",
        "zh": "**{user}** 的邀请码（仅显示一次，{days} 天内有效，只能使用一次）：`{token}`",
    },
    "users.invite_link": {
        "en": "Or send this link, which opens the invitation directly:",
        "zh": "或发送此链接，打开即可直接使用邀请：",
    },
    "users.manage": {"en": "Manage an account", "zh": "管理账号"},
    "users.pick": {"en": "Account", "zh": "账号"},
    "users.action": {"en": "Action", "zh": "操作"},
    "users.action.reset": {"en": "Reset: new password", "zh": "重置：生成新密码"},
    "users.action.reset_invite": {"en": "Reset: invitation code", "zh": "重置：邀请码"},
    "users.action.deactivate": {"en": "Deactivate", "zh": "停用"},
    "users.action.activate": {"en": "Activate again", "zh": "重新启用"},
    "users.action.unlock": {"en": "Unlock", "zh": "解锁"},
    "users.apply": {"en": "Apply", "zh": "执行"},
    "users.done": {"en": "Done: {action} for {user}.", "zh": "已完成：{user} {action}。"},
    "users.col.username": {"en": "Username", "zh": "用户名"},
    "users.col.role": {"en": "Role", "zh": "角色"},
    "users.col.active": {"en": "Active", "zh": "启用"},
    "users.col.locked": {"en": "Locked until", "zh": "锁定至"},
    "users.col.last_login": {"en": "Last login", "zh": "最近登录"},
    "users.col.scopes": {"en": "Sees", "zh": "可见范围"},
    # --- planning a cohort --------------------------------------------------------------
    "plan.cohort.header": {"en": "Plan a cohort", "zh": "期次规划"},
    "plan.cohort.pick": {"en": "Cohort", "zh": "期次"},
    "plan.cohort.controls": {"en": "Control merchants", "zh": "对照商户数"},
    "plan.cohort.result": {
        "en": "With {participants} merchants against {controls} controls, the causal uplift "
        "this cohort can show ({power} power, {alpha} level) is at least **{uplift}**. Days of one "
        "merchant move together (correlation {icc}), so its {days} days count as {effective}.",
        "zh": "{participants} 家商户对比 {controls} 家对照商户，本期次能检测出的最小因果提升"
        "（{power} 检验力，{alpha} 显著性）为 **{uplift}**。"
        "同一商户的日数据相关（相关系数 {icc}），其 {days} 天只相当于 {effective} 天独立数据。",
    },
    "plan.cohort.none": {
        "en": "Not enough daily data before this cohort started to plan it.",
        "zh": "该期次开营前的每日数据不足，无法规划。",
    },
    # --- My business, for who is looking ------------------------------------------------
    "mybiz.view_of": {
        "en": "Merchant view of **{name}**, as the merchant sees it.",
        "zh": "**{name}** 的商户视图（与商户本人看到的一致）。",
    },
    "mybiz.peers.header.other": {"en": "This merchant and its peers", "zh": "该商户与同行"},
    "mybiz.col.own.other": {"en": "This merchant", "zh": "该商户"},
    "mybiz.col.standing": {"en": "Among peers", "zh": "在同行中"},
    "mybiz.standing.lowest": {"en": "lower than all {n} peers", "zh": "低于全部 {n} 家同行"},
    "mybiz.standing.highest": {"en": "higher than all {n} peers", "zh": "高于全部 {n} 家同行"},
    "mybiz.standing.middle": {
        "en": "higher than {k} of {n} peers",
        "zh": "高于 {n} 家同行中的 {k} 家",
    },
    "mybiz.standing.one": {"en": "higher than 1 of {n} peers", "zh": "高于 {n} 家同行中的 1 家"},
    # --- offers: plan, start, cost split ------------------------------------------------
    "offer.plan.header": {"en": "What each holdout can show", "zh": "各对照组能检测出的效果"},
    "offer.plan.caption": {
        "en": "The smallest lift in GMV per customer each tier's holdout can detect ({power} "
        "power, {alpha} level), from the spread of your own customers' spend over {days} days. A "
        "holdout is readable when it can see a lift of {readable} (a doubling) or less. "
        "Most offers lift spend far less than that, so even a readable holdout may show "
        "no clear effect.",
        "zh": "各分层对照组能检测出的最小人均成交额提升（{power} 检验力，{alpha} 显著性），"
        "依据您自己顾客 {days} 天消费的离散程度。对照组能看出 {readable}（翻倍）或更小的提升时"
        "才可解读。多数优惠带来的提升远小于此，因此即使可解读，也可能看不出明确效果。",
    },
    "offer.plan.col.tier": {"en": "Tier", "zh": "分层"},
    "offer.plan.col.customers": {"en": "Customers", "zh": "顾客数"},
    "offer.plan.col.holdout": {"en": "Held out", "zh": "对照组"},
    "offer.plan.col.lift": {"en": "Detectable lift", "zh": "可检测提升"},
    "offer.plan.col.readable": {"en": "Readable", "zh": "可解读"},
    "offer.plan.too_small": {
        "en": "{tier}: with {holdout} held out, only a lift of {lift} or more can be seen. "
        "{advice}",
        "zh": "{tier}：对照组 {holdout}，只能看出 {lift} 以上的提升。{advice}",
    },
    "offer.plan.advice.share": {
        "en": "A holdout of {share} would make it readable.",
        "zh": "对照组比例提高到 {share} 即可解读。",
    },
    "offer.plan.advice.best": {
        "en": "No holdout share makes it readable: even half of the tier held out could "
        "only see {lift} or more, so its payback will be a rough guess.",
        "zh": "任何对照组比例都无法解读：即使一半顾客作为对照组，也只能看出 {lift} "
        "以上的提升，其回报只能作粗略参考。",
    },
    "offer.plan.advice.tiny": {
        "en": "Each group needs at least {n} customers to be compared at all; its payback "
        "will not be readable.",
        "zh": "每组至少需要 {n} 位顾客才能比较；其回报无法解读。",
    },
    "offer.plan.too_few": {
        "en": "{tier}: with {holdout} held out, nothing can be measured. {advice}",
        "zh": "{tier}：对照组 {holdout}，无法衡量任何效果。{advice}",
    },
    "offer.plan.no_spend": {
        "en": "No recent spend to size the holdout with.",
        "zh": "近期没有消费数据，无法评估对照组规模。",
    },
    "offer.start.help": {
        "en": "Defaults to {day}, the day after your last data.",
        "zh": "默认 {day}，即您最后一天数据的次日。",
    },
    "offer.already_ran": {
        "en": "Record a campaign that already ran (start before {day})",
        "zh": "登记已经开展过的活动（开始日期早于 {day}）",
    },
    "offer.channel": {"en": "Channel", "zh": "渠道"},
    "offer.channel.none": {"en": "Not set", "zh": "未设置"},
    "offer.split": {"en": "Split the cost across tiers", "zh": "成本在分层间的分摊"},
    "offer.split.customers": {"en": "By customers", "zh": "按顾客数"},
    "offer.split.equal": {"en": "Equally", "zh": "平均"},
    "offer.split.typed": {"en": "As I type", "zh": "手动输入"},
    "offer.split.for": {"en": "Cost of {tier} (¥)", "zh": "{tier} 的成本（¥）"},
    "offer.done": {
        "en": "Campaign **{name}** created: {treatment} get the offer, {holdout} held out; "
        "cost {cost}.",
        "zh": "已创建活动 **{name}**：{treatment} 获得优惠，{holdout} 为对照组；成本 {cost}。",
    },
    "offer.customers.one": {"en": "1 customer", "zh": "1 位顾客"},
    "offer.customers.many": {"en": "{n} customers", "zh": "{n} 位顾客"},
    "offer.to_payback": {"en": "See its payback", "zh": "查看活动回报"},
    "campaigns.channel.unset": {"en": "not set", "zh": "未设置"},
    "campaigns.too_small": {
        "en": "Too small to read: with {holdout} held out this campaign can only detect a "
        "lift of {lift} or more, so this estimate is mostly noise.",
        "zh": "样本太小，无法解读：对照组 {holdout}，只能检测出 {lift} 以上的提升，"
        "此估计主要是噪声。",
    },
    "campaigns.holdout.summary.no_lift": {
        "en": "{treatment} treated customers against {holdout} held out. The held-out "
        "customers bought nothing in the window, so no lift can be computed; incremental "
        "margin {margin}, {per_cost} per unit of cost.",
        "zh": "{treatment} 位实验组顾客对比 {holdout} 位对照组顾客。对照组在活动期内没有消费，"
        "因此无法计算提升；增量毛利 {margin}，每单位成本 {per_cost}。",
    },
    "campaigns.small_mark": {"en": "too small to read", "zh": "样本太小"},
    "campaigns.payback.not_yet": {"en": "not yet", "zh": "尚未回本"},
    "campaigns.payback.day": {"en": "day {day}", "zh": "第 {day} 天"},
    "campaigns.payback.help": {
        "en": "The first day from which the cumulative margin stays at or above the cost.",
        "zh": "累计毛利自该日起持续不低于成本的第一天。",
    },
    "campaigns.none_yet": {
        "en": "No campaign yet. Attach an offer with a holdout to a segment on the Segments "
        "page, or load your campaigns.csv on My data.",
        "zh": "还没有活动。请在“客群分层”页面为分层附加带对照组的优惠，或在“我的数据”页面导入 "
        "campaigns.csv。",
    },
    "campaigns.to_segments": {"en": "Go to Segments", "zh": "前往客群分层"},
    "campaigns.to_mydata": {"en": "Go to My data", "zh": "前往我的数据"},
}
