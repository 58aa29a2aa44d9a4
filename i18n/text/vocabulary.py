"""One label per code of every vocabulary of the contract (../shared/DATA_CONTRACT.md) and
of the member levels the demo delivers, in both languages: `vocab.<vocabulary>.<code>`.

`i18n.catalog.vocabulary_label` reads these; a code the catalog does not know (a member
level a merchant named itself) is shown as delivered.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # industry
    "vocab.industry.apparel": {"en": "Apparel", "zh": "服饰"},
    "vocab.industry.grocery": {"en": "Grocery", "zh": "商超生鲜"},
    "vocab.industry.beauty": {"en": "Beauty", "zh": "美妆"},
    "vocab.industry.mother_baby": {"en": "Mother and baby", "zh": "母婴"},
    "vocab.industry.food_beverage": {"en": "Food and beverage", "zh": "餐饮"},
    "vocab.industry.department_store": {"en": "Department store", "zh": "百货"},
    "vocab.industry.home": {"en": "Home", "zh": "家居"},
    "vocab.industry.other": {"en": "Other", "zh": "其他"},
    # channel (where an order was placed)
    "vocab.channel.store": {"en": "Store", "zh": "门店"},
    "vocab.channel.mini_program": {"en": "Mini-program", "zh": "小程序"},
    "vocab.channel.wecom_guide": {"en": "WeCom guide", "zh": "企业微信导购"},
    "vocab.channel.community": {"en": "Community", "zh": "社群"},
    "vocab.channel.scan_to_buy": {"en": "Scan to buy", "zh": "扫码购"},
    "vocab.channel.livestream": {"en": "Livestream", "zh": "直播"},
    "vocab.channel.other_online": {"en": "Other online", "zh": "其他线上"},
    # touchpoint
    "vocab.touchpoint.mini_program": {"en": "Mini-program", "zh": "小程序"},
    "vocab.touchpoint.wecom_guide": {"en": "WeCom guide", "zh": "企业微信导购"},
    "vocab.touchpoint.community": {"en": "Community", "zh": "社群"},
    "vocab.touchpoint.official_account": {"en": "Official account", "zh": "公众号"},
    # action
    "vocab.action.follow": {"en": "Follow", "zh": "关注"},
    "vocab.action.unfollow": {"en": "Unfollow", "zh": "取消关注"},
    "vocab.action.visit": {"en": "Visit", "zh": "访问"},
    "vocab.action.add_contact": {"en": "Add contact", "zh": "添加好友"},
    "vocab.action.remove_contact": {"en": "Remove contact", "zh": "删除好友"},
    "vocab.action.join_group": {"en": "Join group", "zh": "入群"},
    "vocab.action.leave_group": {"en": "Leave group", "zh": "退群"},
    "vocab.action.message": {"en": "Message", "zh": "发消息"},
    "vocab.action.post": {"en": "Post", "zh": "发布内容"},
    # guide role
    "vocab.guide_role.acquisition": {"en": "Acquisition", "zh": "拉新"},
    "vocab.guide_role.content": {"en": "Content", "zh": "内容"},
    "vocab.guide_role.coaching": {"en": "Coaching", "zh": "带教"},
    "vocab.guide_role.manager": {"en": "Manager", "zh": "管理"},
    "vocab.guide_role.sales": {"en": "Sales guide", "zh": "导购"},
    # session type
    "vocab.session_type.class": {"en": "Class", "zh": "课程"},
    "vocab.session_type.one_on_one": {"en": "One-to-one", "zh": "一对一"},
    "vocab.session_type.workshop": {"en": "Workshop", "zh": "工作坊"},
    # campaign assignment group
    "vocab.group.treatment": {"en": "Treatment", "zh": "实验组"},
    "vocab.group.holdout": {"en": "Holdout", "zh": "对照组"},
    # member level (free text in the contract; the levels the demo and most POS deliver)
    "vocab.member_level.normal": {"en": "Regular", "zh": "普通会员"},
    "vocab.member_level.silver": {"en": "Silver", "zh": "银卡会员"},
    "vocab.member_level.gold": {"en": "Gold", "zh": "金卡会员"},
    "vocab.member_level.platinum": {"en": "Platinum", "zh": "白金会员"},
    # contract file (entity)
    "vocab.entity.cohorts": {"en": "Cohorts", "zh": "期次"},
    "vocab.entity.merchants": {"en": "Merchants", "zh": "商家"},
    "vocab.entity.stores": {"en": "Stores", "zh": "门店"},
    "vocab.entity.guides": {"en": "Guides", "zh": "导购"},
    "vocab.entity.customers": {"en": "Customers", "zh": "顾客"},
    "vocab.entity.orders": {"en": "Orders", "zh": "订单"},
    "vocab.entity.touchpoint_events": {"en": "Touchpoint events", "zh": "触点事件"},
    "vocab.entity.store_traffic": {"en": "Store traffic", "zh": "门店客流"},
    "vocab.entity.campaigns": {"en": "Campaigns", "zh": "营销活动"},
    "vocab.entity.campaign_assignments": {"en": "Campaign groups", "zh": "活动分组"},
    "vocab.entity.attendance": {"en": "Attendance", "zh": "出勤记录"},
}
