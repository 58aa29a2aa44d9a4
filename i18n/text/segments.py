"""Text of the segment builder (en, zh)."""

from __future__ import annotations

from i18n.format import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "segments.page": {"en": "Segments", "zh": "客群分层"},
    "segments.title": {"en": "Segment builder", "zh": "客群分层工具"},
    "segments.caption": {
        "en": "Customers of this merchant, counted as of {as_of} (its latest day of data). "
        "Rules run in the database; a segment's figures update as you edit.",
        "zh": "该商家的顾客，统计截至 {as_of}（其数据的最后一天）。规则在数据库中运行，"
        "编辑时分层指标实时更新。",
    },
    "segments.start_from": {"en": "Start from", "zh": "起点"},
    "segments.blank": {"en": "Blank: every customer", "zh": "空白：全部顾客"},
    "segments.saved_option": {"en": "Saved: {name}", "zh": "已保存：{name}"},
    "segments.template.repurchase_tiers": {
        "en": "Repurchase tiers (three published offers)",
        "zh": "复购分层（三档公开优惠）",
    },
    "segments.template.rfm_segments": {
        "en": "RFM: all eleven named segments",
        "zh": "RFM：全部十一个命名分层",
    },
    "segments.template.rfm_one": {"en": "RFM: {name}", "zh": "RFM：{name}"},
    "segments.template.cloud_users_lapsed_30d": {
        "en": "Cloud users who have not bought in 30 days",
        "zh": "30 天未购买的云用户",
    },
    "segments.template.lapsed_90d": {
        "en": "Lapsed: no purchase in 90 days",
        "zh": "流失预警：90 天未购买",
    },
    "segments.template.new_buyers_30d": {
        "en": "New buyers of the last 30 days",
        "zh": "近 30 天新购顾客",
    },
    "segments.template.fans_never_bought": {
        "en": "Mini-program fans who never bought",
        "zh": "从未购买的小程序粉丝",
    },
    "segments.template.store_buyers_not_connected": {
        "en": "Store buyers not yet connected",
        "zh": "尚未连接的门店顾客",
    },
    "segments.template.high_value_active": {
        "en": "High value, active in 90 days",
        "zh": "高价值且 90 天内活跃",
    },
    "segments.template.omnichannel": {
        "en": "Bought in two or more channels",
        "zh": "在两个及以上渠道购买",
    },
    "segments.tier.first_purchase_not_repurchased": {
        "en": "First purchase, not repurchased",
        "zh": "首次购买且未复购",
    },
    "segments.tier.repurchased_2_to_5": {"en": "2–5 repurchases", "zh": "复购 2 至 5 次"},
    "segments.tier.repurchased_more_than_5": {
        "en": "More than 5 repurchases",
        "zh": "复购 5 次以上",
    },
    "segments.rfm.champions": {"en": "Champions", "zh": "重要价值"},
    "segments.rfm.loyal": {"en": "Loyal", "zh": "忠诚顾客"},
    "segments.rfm.potential_loyalists": {"en": "Potential loyalists", "zh": "潜在忠诚"},
    "segments.rfm.new": {"en": "New", "zh": "新顾客"},
    "segments.rfm.promising": {"en": "Promising", "zh": "有潜力"},
    "segments.rfm.need_attention": {"en": "Need attention", "zh": "需要关注"},
    "segments.rfm.about_to_sleep": {"en": "About to sleep", "zh": "即将沉睡"},
    "segments.rfm.at_risk": {"en": "At risk", "zh": "流失风险"},
    "segments.rfm.cant_lose": {"en": "Can't lose", "zh": "不能失去"},
    "segments.rfm.hibernating": {"en": "Hibernating", "zh": "休眠"},
    "segments.rfm.lost": {"en": "Lost", "zh": "已流失"},
    "segments.offer.trial": {"en": "50% off trial coupon", "zh": "新品五折尝鲜券"},
    "segments.offer.bogo": {"en": "Buy one get one", "zh": "买一送一券"},
    "segments.offer.points": {"en": "10× points", "zh": "十倍积分"},
    "segments.tiers.header": {"en": "Tiers", "zh": "分层"},
    "segments.tiers.caption": {
        "en": "Each customer counts in the first tier whose rules it meets. Repurchases are "
        "purchase days after the first; orders wholly refunded do not count. In the "
        "published split, customers with exactly one repurchase are in no tier.",
        "zh": "每位顾客计入其满足规则的第一个分层。复购次数为首次之后的购买天数；全额退款的"
        "订单不计。按公开的分法，恰好复购一次的顾客不属于任何分层。",
    },
    "segments.rules.header": {"en": "Rules", "zh": "规则"},
    "segments.match": {"en": "Customers who meet", "zh": "满足条件"},
    "segments.match.all": {"en": "all of the rows", "zh": "全部行"},
    "segments.match.any": {"en": "any of the rows", "zh": "任一行"},
    "segments.match.help": {
        "en": "Rows with the same group label are combined the other way (a group inside "
        "'all' matches when any of its rows does).",
        "zh": "分组标签相同的行按相反方式组合（在“全部”中，一个分组只要其中任一行满足即可）。",
    },
    "segments.col.group": {"en": "Group", "zh": "分组"},
    "segments.col.field": {"en": "Field", "zh": "字段"},
    "segments.col.op": {"en": "Operator", "zh": "运算符"},
    "segments.col.value": {"en": "Value", "zh": "值"},
    "segments.help.header": {"en": "Fields, operators and values", "zh": "字段、运算符与取值"},
    "segments.help.fields": {
        "en": "Counts and money (orders, purchase_days, repurchases, gmv, aov, ...): "
        "between (2..5), at_least, at_most, equals. Scores r_score, f_score, m_score: 1–5. "
        "Dates last_order, first_order: within_last_days (30), more_than_days_ago (90), "
        "never, ever. member_level, store_id, guide_id, rfm_segment: in / not_in a "
        "comma-separated list. touchpoint: has / has_not fan, guide_contact, "
        "community_member, cloud_user.",
        "zh": "数量与金额（orders、purchase_days、repurchases、gmv、aov 等）：between（2..5）、"
        "at_least、at_most、equals。评分 r_score、f_score、m_score：1–5。日期 last_order、"
        "first_order：within_last_days（30）、more_than_days_ago（90）、never、ever。"
        "member_level、store_id、guide_id、rfm_segment：in / not_in 逗号分隔的列表。"
        "touchpoint：has / has_not fan、guide_contact、community_member、cloud_user。",
    },
    "segments.help.values": {
        "en": "channels: includes_any / includes_all / excludes a list of {channels}.",
        "zh": "channels：includes_any / includes_all / excludes 以下渠道列表：{channels}。",
    },
    "segments.invalid": {
        "en": "These rules cannot run yet: {reason}",
        "zh": "规则暂时无法运行：{reason}",
    },
    "segments.col.customers": {"en": "Customers", "zh": "顾客数"},
    "segments.col.share_customers": {"en": "Share of customers", "zh": "顾客占比"},
    "segments.col.share_gmv": {"en": "Share of GMV", "zh": "成交额占比"},
    "segments.col.aov": {"en": "Average order value", "zh": "客单价"},
    "segments.col.segment": {"en": "Segment", "zh": "分层"},
    "segments.col.offer": {"en": "Offer", "zh": "优惠"},
    "segments.json.header": {"en": "The rules as JSON", "zh": "规则（JSON）"},
    "segments.by": {"en": "Distribution by", "zh": "分布维度"},
    "segments.by.rfm_segment": {"en": "RFM segment", "zh": "RFM 分层"},
    "segments.by.repurchases": {"en": "Repurchases", "zh": "复购次数"},
    "segments.by.last_order": {"en": "Days since last purchase", "zh": "距上次购买天数"},
    "segments.by.member_level": {"en": "Member level", "zh": "会员等级"},
    "segments.by.touchpoint_count": {"en": "Touchpoints joined", "zh": "加入的触点数"},
    "segments.bucket.none": {"en": "No purchase", "zh": "未购买"},
    "segments.bucket.never": {"en": "Never bought", "zh": "从未购买"},
    "segments.bucket.blank": {"en": "(none)", "zh": "（无）"},
    "segments.chart.title": {
        "en": "Segment vs all customers, by {by}",
        "zh": "分层与全部顾客对比（按{by}）",
    },
    "segments.chart.segment": {"en": "This segment", "zh": "本分层"},
    "segments.chart.all": {"en": "All customers", "zh": "全部顾客"},
    "segments.chart.share": {"en": "Share of customers", "zh": "顾客占比"},
    "segments.sample.header": {"en": "Sample customers", "zh": "顾客示例"},
    "segments.sample.caption": {
        "en": "The first {n} customers by id; ids are masked. Export gives the full ids.",
        "zh": "按编号排列的前 {n} 位顾客，编号已脱敏。导出文件包含完整编号。",
    },
    "segments.col.customer": {"en": "Customer", "zh": "顾客"},
    "segments.col.orders": {"en": "Orders", "zh": "订单数"},
    "segments.col.repurchases": {"en": "Repurchases", "zh": "复购次数"},
    "segments.col.gmv": {"en": "GMV", "zh": "成交额"},
    "segments.col.last_order": {"en": "Last purchase", "zh": "最近购买"},
    "segments.col.channels": {"en": "Channels", "zh": "渠道"},
    "segments.col.member_level": {"en": "Member level", "zh": "会员等级"},
    "segments.save.header": {"en": "Save, export, attach an offer", "zh": "保存、导出与优惠"},
    "segments.save.name": {"en": "Segment name", "zh": "分层名称"},
    "segments.save.as": {"en": "Save as", "zh": "保存为"},
    "segments.save.new": {"en": "A new segment", "zh": "新分层"},
    "segments.save.version_of": {"en": "New version of {name}", "zh": "{name} 的新版本"},
    "segments.save.button": {"en": "Save segment", "zh": "保存分层"},
    "segments.save.no_name": {"en": "Give the segment a name first.", "zh": "请先为分层命名。"},
    "segments.save.done": {"en": "Saved as version {version}.", "zh": "已保存为第 {version} 版。"},
    "segments.export": {"en": "Export customer ids (CSV)", "zh": "导出顾客编号（CSV）"},
    "segments.offer.header": {
        "en": "**Attach an offer** — creates a campaign with a random holdout for ROI tracking",
        "zh": "**附加优惠** — 创建带随机对照组的活动，用于投资回报追踪",
    },
    "segments.offer.text": {"en": "Offer", "zh": "优惠"},
    "segments.offer.for": {"en": "Offer for {tier}", "zh": "{tier} 的优惠"},
    "segments.offer.holdout": {"en": "Holdout share", "zh": "对照组比例"},
    "segments.offer.start": {"en": "Start date", "zh": "开始日期"},
    "segments.offer.cost": {"en": "Cost (¥, whole campaign)", "zh": "成本（¥，整个活动）"},
    "segments.offer.create": {"en": "Create campaign", "zh": "创建活动"},
    "segments.offer.failed": {
        "en": "The campaign was not created: {reason}",
        "zh": "活动未创建：{reason}",
    },
    "segments.compare.header": {"en": "Compare segments", "zh": "分层对比"},
    "segments.compare.pick": {"en": "Up to three segments", "zh": "最多三个分层"},
    "segments.compare.current": {"en": "The rules above", "zh": "上方规则"},
    "segments.clusters.header": {"en": "Clusters", "zh": "聚类"},
    "segments.clusters.caption": {
        "en": "Groups of buyers found by KMeans on recency, purchase days, GMV, order value, "
        "tenure, touchpoints and channels (log-scaled, standardised; the number of groups "
        "with the best silhouette from 2 to 6; always the same result for the same data).",
        "zh": "基于最近购买、购买天数、成交额、客单价、时长、触点与渠道（对数缩放、标准化）"
        "的 KMeans 购买顾客分组；分组数按轮廓系数在 2 到 6 之间选取；相同数据结果相同。",
    },
    "segments.clusters.run": {"en": "Find clusters", "zh": "查找聚类"},
    "segments.clusters.too_few": {
        "en": "Too few buyers to find clusters.",
        "zh": "购买顾客太少，无法聚类。",
    },
    "segments.clusters.k": {
        "en": "{k} clusters had the best silhouette.",
        "zh": "{k} 个聚类的轮廓系数最佳。",
    },
    "segments.clusters.pick": {"en": "Cluster", "zh": "聚类"},
    "segments.clusters.save": {"en": "Save cluster as a segment", "zh": "将聚类保存为分层"},
    "segments.cluster.name": {"en": "Cluster {n}", "zh": "聚类 {n}"},
    "segments.col.cluster": {"en": "Cluster", "zh": "聚类"},
    "segments.col.described": {"en": "In words", "zh": "描述"},
    "segments.col.share_buyers": {"en": "Share of buyers", "zh": "购买顾客占比"},
    "segments.col.days_since": {"en": "Days since last purchase", "zh": "距上次购买天数"},
    "segments.col.purchase_days": {"en": "Purchase days", "zh": "购买天数"},
    "segments.col.median_gmv": {"en": "GMV (median)", "zh": "成交额（中位数）"},
    "segments.tag.recent": {"en": "bought recently", "zh": "近期购买"},
    "segments.tag.lapsed": {"en": "lapsing", "zh": "趋于流失"},
    "segments.tag.frequent": {"en": "buy often", "zh": "购买频繁"},
    "segments.tag.one_off": {"en": "bought once", "zh": "仅购买一次"},
    "segments.tag.high_spend": {"en": "high spend", "zh": "消费高"},
    "segments.tag.low_spend": {"en": "low spend", "zh": "消费低"},
    "segments.tag.connected": {"en": "mostly cloud users", "zh": "多为云用户"},
    "segments.tag.unconnected": {"en": "mostly not connected", "zh": "多未连接"},
    "segments.tag.omnichannel": {"en": "several channels", "zh": "多渠道"},
    "segments.tag.typical": {"en": "typical buyers", "zh": "一般顾客"},
    "segments.saved.header": {"en": "Saved segments", "zh": "已保存的分层"},
    "segments.saved.none": {"en": "No segment saved yet.", "zh": "尚未保存分层。"},
    "segments.saved.pick": {"en": "Version history of", "zh": "查看版本历史"},
    "segments.col.version": {"en": "Version", "zh": "版本"},
    "segments.col.saved_at": {"en": "Saved", "zh": "保存时间"},
    "segments.col.saved_by": {"en": "By", "zh": "保存人"},
    "segments.col.rules": {"en": "Rules", "zh": "规则"},
    "segments.campaigns.header": {"en": "Campaigns from segments", "zh": "来自分层的活动"},
    "segments.col.campaign": {"en": "Campaign", "zh": "活动"},
    "segments.col.start": {"en": "Start", "zh": "开始"},
    "segments.col.holdout": {"en": "Holdout", "zh": "对照组"},
}
