"""Invented brand names, programme topics and campaign menus."""

from __future__ import annotations

import numpy as np

_ZH_HEAD = tuple("悦禾木青鲜优美乐安初素暖星拾简知栖云若野森橙麦花予")
_ZH_MID = tuple("禾然里时语物集光田颜小喜家米")
_ZH_TAIL: dict[str, tuple[str, ...]] = {
    "apparel": ("服饰", "衣橱", "女装", "男装", "童装"),
    "grocery": ("鲜生", "超市", "优选", "果园", "便利"),
    "beauty": ("美妆", "肌研", "彩妆", "香氛"),
    "mother_baby": ("母婴", "童趣", "宝贝屋", "亲子"),
    "food_beverage": ("茶饮", "咖啡", "面馆", "烘焙", "茶铺"),
    "department_store": ("百货", "购物中心", "广场"),
    "home": ("家居", "生活馆", "家纺", "厨具"),
    "other": ("书店", "眼镜", "运动", "文具", "宠物"),
}
_EN_HEAD = tuple(
    "Lumi Nova Urban Maple Kiwi Bloom Harbor Cedar Aurora Pebble Sunny Velvet Willow Juniper "
    "Atlas Coral Indigo Meadow Orchid Tide".split()
)
_EN_TAIL: dict[str, tuple[str, ...]] = {
    "apparel": ("Wear", "Threads", "Closet", "Denim", "Studio"),
    "grocery": ("Mart", "Fresh", "Market", "Grocer"),
    "beauty": ("Beauty", "Skin Lab", "Cosmetics", "Glow"),
    "mother_baby": ("Baby", "Kids", "Little Ones"),
    "food_beverage": ("Tea", "Coffee", "Bakery", "Noodle Bar"),
    "department_store": ("Plaza", "Department Store", "Galleria"),
    "home": ("Home", "Living", "Interiors"),
    "other": ("Optics", "Books", "Sports", "Pets"),
}


def brand_name(rng: np.random.Generator, industry: str, taken: set[str]) -> str:
    """A new invented brand name for an industry, Chinese or English."""
    while True:
        if rng.random() < 0.55:
            name = (
                str(rng.choice(_ZH_HEAD))
                + str(rng.choice(_ZH_MID))
                + str(rng.choice(_ZH_TAIL[industry]))
            )
        else:
            name = f"{rng.choice(_EN_HEAD)} {rng.choice(_EN_TAIL[industry])}"
        if name not in taken:
            taken.add(name)
            return name


CLASS_TOPICS = (
    "Programme kick-off: the three connections",
    "Mini-program flagship store",
    "Turning store visitors into fans",
    "Scan-to-buy and one-item-one-code",
    "WeCom guide playbook",
    "Light, medium and heavy contacts",
    "Community layering: official, guide, hot fans",
    "Content calendar for groups and moments",
    "Livestream selling basics",
    "Quick wins: raising daily sales step by step",
    "3+1 roles and KPIs",
    "Guide incentives and leaderboards",
    "Top-down ownership (一把手工程)",
    "Spreading best practice across stores",
    "Member tiers and repurchase offers",
    "Segment-based campaigns with holdouts",
    "Omni-channel attribution",
    "Unifying customer data across channels",
    "Channel ROI tracking in 30 days",
    "Data security and privacy",
)
WORKSHOP_TOPICS = (
    "Brainstorm: our cloud-user target",
    "Results race review (效果竞逐)",
    "Guide organisation clinic",
    "Data and attribution clinic",
    "Final results race and next steps",
)
ONE_ON_ONE_TOPICS: dict[str, tuple[str, ...]] = {
    "apparel": ("Styling advice through WeCom", "New-arrival drops in the mini-program"),
    "grocery": ("Community group-buy for fresh produce", "Scan-to-buy at checkout"),
    "beauty": ("Skin-test follow-up by guides", "Beauty community layering"),
    "mother_baby": ("Parent communities by child age", "Member growth stages"),
    "food_beverage": ("Order-ahead mini-program", "Repurchase tiers for regulars"),
    "department_store": ("Counter guides under one WeCom", "Mall-wide member unification"),
    "home": ("Long-cycle follow-up by designers", "Home-visit appointments"),
    "other": ("Local community operations", "Service bookings online"),
}

# (segment_id, offer, campaign name, channel)
CAMPAIGN_MENU = (
    ("lapsed_90d", "¥30 comeback coupon", "Win back lapsed members", "wecom_guide"),
    ("new_followers", "welcome gift with first order", "Welcome new followers", "mini_program"),
    (
        "high_potential",
        "exclusive early access",
        "Early access for high-potential users",
        "mini_program",
    ),
    ("all_members", "member day double points", "Member day", "store"),
    ("birthday_month", "birthday gift", "Birthday month gift", "wecom_guide"),
    ("community_members", "group-buy flash sale", "Community flash sale", "community"),
    ("livestream_viewers", "livestream-only bundle", "Livestream bundle", "livestream"),
)
REPURCHASE_TIERS = (
    ("repurchase_tier_1", "50% off trial coupon", "First purchase, not repurchased"),
    ("repurchase_tier_2", "buy one get one", "2-5 repurchases"),
    ("repurchase_tier_3", "10x points", "More than 5 repurchases"),
)
