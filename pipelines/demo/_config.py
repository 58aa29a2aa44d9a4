"""Constants of the demo world: time range, vocabularies, industries, cohorts and scales."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from models.contract import CHANNELS, PRIVATE_DOMAIN_CHANNELS

DAY0 = np.datetime64("2017-09-01", "D")
LAST_DAY = np.datetime64("2019-12-31", "D")
N_DAYS = int((LAST_DAY - DAY0).astype(int)) + 1

CH = {name: i for i, name in enumerate(CHANNELS)}
PRIVATE = np.array([c in PRIVATE_DOMAIN_CHANNELS for c in CHANNELS])
# How much of the programme effect reaches each channel (private domain gets it all).
EFFECT_REACH = np.array([0.4, 1.0, 1.0, 1.0, 1.0, 1.0, 0.15])
# Basket size of a channel relative to the store basket.
CHANNEL_AOV = np.array([1.0, 0.9, 1.25, 0.8, 0.7, 0.85, 0.95])
# Refund propensity of a channel relative to the industry rate.
CHANNEL_REFUND = np.array([0.5, 1.2, 1.0, 1.2, 0.5, 1.8, 1.6])

CONNECTIONS = ("touchpoints", "performance", "data")
MEMBER_LEVELS = ("normal", "silver", "gold", "platinum")
PROGRAMME = "doubling_plan"
TARGET_FIRST_UPLIFT = 3.76


@dataclass(frozen=True)
class Industry:
    """Behaviour of one industry."""

    aov: float  # mean store basket, CNY
    aov_sigma: float  # log-normal spread of baskets
    freq: float  # orders per store-day, relative
    weekend: float  # strength of the weekend peak in stores
    cny_rush: float  # pre-Chinese-New-Year rush
    refund_rate: float
    private_mix: tuple[float, float, float, float, float]  # mini, wecom, community, scan, live
    online_share: float  # platform e-commerce share of orders
    touch_weights: tuple[float, float, float, float]  # mini, wecom, community, official acct
    guides_per_store: float
    visitors_per_store: float
    visit_rate: float  # mini-program visits per follower-month


INDUSTRIES: dict[str, Industry] = {
    "apparel": Industry(
        aov=420,
        aov_sigma=0.45,
        freq=0.8,
        weekend=1.2,
        cny_rush=0.35,
        refund_rate=0.07,
        private_mix=(0.3, 0.4, 0.1, 0.05, 0.15),
        online_share=0.25,
        touch_weights=(0.6, 0.9, 0.5, 0.5),
        guides_per_store=3.0,
        visitors_per_store=140,
        visit_rate=0.5,
    ),
    "grocery": Industry(
        aov=75,
        aov_sigma=0.4,
        freq=3.0,
        weekend=0.9,
        cny_rush=0.6,
        refund_rate=0.01,
        private_mix=(0.4, 0.1, 0.25, 0.2, 0.05),
        online_share=0.08,
        touch_weights=(1.0, 0.35, 0.7, 0.5),
        guides_per_store=4.0,
        visitors_per_store=450,
        visit_rate=1.4,
    ),
    "beauty": Industry(
        aov=260,
        aov_sigma=0.45,
        freq=1.0,
        weekend=1.1,
        cny_rush=0.3,
        refund_rate=0.03,
        private_mix=(0.3, 0.3, 0.25, 0.03, 0.12),
        online_share=0.25,
        touch_weights=(0.7, 0.9, 0.8, 0.5),
        guides_per_store=3.0,
        visitors_per_store=110,
        visit_rate=0.7,
    ),
    "mother_baby": Industry(
        aov=210,
        aov_sigma=0.5,
        freq=1.0,
        weekend=1.0,
        cny_rush=0.25,
        refund_rate=0.03,
        private_mix=(0.3, 0.25, 0.35, 0.05, 0.05),
        online_share=0.2,
        touch_weights=(0.7, 0.7, 0.9, 0.5),
        guides_per_store=2.0,
        visitors_per_store=90,
        visit_rate=0.8,
    ),
    "food_beverage": Industry(
        aov=42,
        aov_sigma=0.4,
        freq=3.5,
        weekend=1.0,
        cny_rush=0.4,
        refund_rate=0.01,
        private_mix=(0.5, 0.05, 0.15, 0.28, 0.02),
        online_share=0.1,
        touch_weights=(1.0, 0.3, 0.6, 0.5),
        guides_per_store=3.0,
        visitors_per_store=380,
        visit_rate=1.6,
    ),
    "department_store": Industry(
        aov=520,
        aov_sigma=0.6,
        freq=2.5,
        weekend=1.3,
        cny_rush=0.4,
        refund_rate=0.05,
        private_mix=(0.35, 0.3, 0.15, 0.1, 0.1),
        online_share=0.08,
        touch_weights=(0.8, 0.7, 0.4, 0.5),
        guides_per_store=8.0,
        visitors_per_store=3500,
        visit_rate=0.6,
    ),
    "home": Industry(
        aov=950,
        aov_sigma=0.7,
        freq=0.3,
        weekend=1.2,
        cny_rush=0.1,
        refund_rate=0.05,
        private_mix=(0.3, 0.45, 0.1, 0.05, 0.1),
        online_share=0.2,
        touch_weights=(0.4, 0.9, 0.3, 0.5),
        guides_per_store=2.0,
        visitors_per_store=70,
        visit_rate=0.4,
    ),
    "other": Industry(
        aov=180,
        aov_sigma=0.5,
        freq=0.8,
        weekend=1.0,
        cny_rush=0.2,
        refund_rate=0.04,
        private_mix=(0.35, 0.3, 0.15, 0.1, 0.1),
        online_share=0.15,
        touch_weights=(0.6, 0.5, 0.4, 0.5),
        guides_per_store=2.0,
        visitors_per_store=120,
        visit_rate=0.6,
    ),
}
# Share of participants per industry (controls are matched to the participants).
INDUSTRY_WEIGHTS = {
    "apparel": 0.22,
    "grocery": 0.14,
    "beauty": 0.14,
    "mother_baby": 0.10,
    "food_beverage": 0.14,
    "department_store": 0.08,
    "home": 0.09,
    "other": 0.09,
}


@dataclass(frozen=True)
class CohortSpec:
    """One programme intake."""

    cohort_id: str
    name: str
    start: date
    end: date
    size: int


COHORTS = (
    CohortSpec(
        "C2018A",
        "Doubling plan 2018 Q4 / 倍增计划 第一期",
        date(2018, 10, 22),
        date(2018, 12, 21),
        17,
    ),
    CohortSpec(
        "C2019A",
        "Doubling plan 2019 spring / 倍增计划 第二期",
        date(2019, 3, 4),
        date(2019, 4, 30),
        16,
    ),
    CohortSpec(
        "C2019B",
        "Doubling plan 2019 summer / 倍增计划 第三期",
        date(2019, 5, 13),
        date(2019, 7, 12),
        15,
    ),
    CohortSpec(
        "C2019C",
        "Doubling plan 2019 autumn / 倍增计划 第四期",
        date(2019, 9, 2),
        date(2019, 10, 31),
        15,
    ),
    CohortSpec(
        "C2019D",
        "Doubling plan 2019 spring, South China / 倍增计划 华南春季班",
        date(2019, 3, 18),
        date(2019, 5, 17),
        17,
    ),
    CohortSpec(
        "C2019E",
        "Doubling plan 2019 618 track / 倍增计划 618 专项班",
        date(2019, 6, 3),
        date(2019, 7, 31),
        18,
    ),
    CohortSpec(
        "C2019F",
        "Doubling plan 2019 Q3, North China / 倍增计划 华北班",
        date(2019, 7, 15),
        date(2019, 9, 13),
        16,
    ),
    CohortSpec(
        "C2019G",
        "Doubling plan 2019 Double 11 track / 倍增计划 双十一专项班",
        date(2019, 9, 23),
        date(2019, 11, 22),
        19,
    ),
    CohortSpec(
        "C2019H",
        "Doubling plan 2019 Q4, West China / 倍增计划 西部班",
        date(2019, 10, 14),
        date(2019, 12, 13),
        17,
    ),
)


@dataclass(frozen=True)
class ScaleSpec:
    """Size of a generated delivery."""

    n_cohorts: int
    n_controls: int
    target_orders: int


SCALES = {
    "s": ScaleSpec(4, 25, 220_000),
    "m": ScaleSpec(9, 50, 4_000_000),
    "l": ScaleSpec(9, 50, 40_000_000),
}

REGIONS: dict[str, tuple[str, ...]] = {
    "East China": ("Shanghai", "Hangzhou", "Nanjing", "Suzhou", "Ningbo", "Hefei", "Wuxi"),
    "South China": ("Guangzhou", "Shenzhen", "Xiamen", "Fuzhou", "Dongguan", "Nanning"),
    "North China": ("Beijing", "Tianjin", "Shijiazhuang", "Taiyuan", "Jinan", "Qingdao"),
    "Central China": ("Wuhan", "Changsha", "Zhengzhou", "Nanchang"),
    "Southwest": ("Chengdu", "Chongqing", "Kunming", "Guiyang"),
    "Northeast": ("Shenyang", "Dalian", "Harbin", "Changchun"),
    "Northwest": ("Xi'an", "Lanzhou", "Yinchuan", "Urumqi"),
}
REGION_WEIGHTS = (0.32, 0.22, 0.16, 0.10, 0.10, 0.05, 0.05)


def day_index(d: date) -> int:
    """Days since DAY0 (negative before the data starts)."""
    return int((np.datetime64(d, "D") - DAY0).astype(int))
