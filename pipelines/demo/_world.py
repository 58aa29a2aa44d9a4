"""The latent world: merchants, their maturity paths, expected sales and the calibration."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from models.uplift_calendar import BASELINE_DAYS  # the published uplift's window

from ._calendar import season_matrix, week_matrix
from ._config import (
    CHANNEL_AOV,
    COHORTS,
    EFFECT_REACH,
    INDUSTRIES,
    INDUSTRY_WEIGHTS,
    N_DAYS,
    REGION_WEIGHTS,
    REGIONS,
    SCALES,
    TARGET_FIRST_UPLIFT,
    CohortSpec,
    Industry,
    day_index,
)
from ._names import brand_name

_DRIFT_PER_YEAR = 0.03
_GAIN_SHAPE = np.array([1.0, 0.85, 0.7])
_PERSIST_DAYS = 21.0


@dataclass
class Merchant:
    """Latent description of one merchant."""

    merchant_id: str
    name: str
    industry: str
    region: str
    cohort: CohortSpec | None
    joined_on: date
    store_count: int
    size: float  # expected orders per day before the scale factor
    growth: float  # yearly trend
    engagement: float  # 0 for controls
    effect_weight: float  # relative programme effect
    persistence: float  # share of the effect kept after the window
    maturity0: np.ndarray  # touchpoints, performance, data at the data start
    gain: np.ndarray  # maturity gained through the programme
    shares: np.ndarray  # order share per channel
    key: int  # random stream of this merchant
    alpha: float = 0.0  # cohort effect strength
    scale: float = 1.0  # orders scale factor
    roi_showcase: bool = False

    @property
    def profile(self) -> Industry:
        return INDUSTRIES[self.industry]

    @property
    def aov(self) -> np.ndarray:
        return self.profile.aov * CHANNEL_AOV

    @property
    def window(self) -> tuple[int, int] | None:
        if self.cohort is None:
            return None
        return day_index(self.cohort.start), day_index(self.cohort.end)


@dataclass
class World:
    """All merchants of a delivery plus the cohort calibration."""

    cohorts: list[CohortSpec]
    merchants: list[Merchant]
    targets: dict[str, float] = field(default_factory=dict)


def maturity_paths(m: Merchant) -> np.ndarray:
    """Maturity per connection (rows) and day (columns); non-decreasing in time."""
    days = np.arange(N_DAYS)
    paths = m.maturity0[:, None] + _DRIFT_PER_YEAR * days[None, :] / 365.0
    if m.window is not None:
        s, e = m.window
        width = e - s + 1
        ramps = (
            (s, s + 0.6 * width),
            (s + 0.2 * width, s + 0.9 * width),
            (s + 0.4 * width, e + 30),
        )
        for k, (a, b) in enumerate(ramps):
            paths[k] += m.gain[k] * np.clip((days - a) / (b - a), 0.0, 1.0)
    return np.clip(paths, 0.0, 0.98)


def effect_shape(m: Merchant) -> np.ndarray:
    """Programme effect over time, 0..1: weekly steps in the window, partial persistence after."""
    out = np.zeros(N_DAYS)
    if m.window is None:
        return out
    s, e = m.window
    weeks = math.ceil((e - s + 1) / 7)
    days = np.arange(N_DAYS)
    inside = (days >= s) & (days <= e)
    out[inside] = (((days[inside] - s) // 7 + 1) / weeks) ** 0.7
    after = days > e
    p = m.persistence
    out[after] = p + (1 - p) * np.exp(-(days[after] - e) / _PERSIST_DAYS)
    return out


def baseline_orders(m: Merchant) -> np.ndarray:
    """Expected orders per day and channel without any programme effect."""
    trend = (1 + m.growth) ** (np.arange(N_DAYS) / 365.0)
    rhythm = week_matrix(m.profile.weekend) * season_matrix(m.profile)
    return m.scale * m.size * trend[:, None] * rhythm * m.shares[None, :]


def effect_multiplier(m: Merchant) -> np.ndarray:
    """Multiplier per day and channel that the programme puts on expected orders."""
    shape = effect_shape(m)
    return 1 + m.alpha * m.effect_weight * shape[:, None] * EFFECT_REACH[None, :]


def expected_orders(m: Merchant) -> np.ndarray:
    """Expected orders per day and channel, programme included."""
    return baseline_orders(m) * effect_multiplier(m)


def _pick_industries(rng: np.random.Generator, n: int) -> list[str]:
    names = list(INDUSTRY_WEIGHTS)
    weights = np.array(list(INDUSTRY_WEIGHTS.values()))
    drawn = list(rng.choice(names, size=n - len(names), p=weights / weights.sum()))
    out = [str(x) for x in names + drawn]
    return [out[i] for i in rng.permutation(n)]


def _shares(rng: np.random.Generator, profile: Industry, touch0: float) -> np.ndarray:
    private = 0.06 + 0.4 * touch0
    online = profile.online_share * rng.uniform(0.6, 1.4)
    mix = np.array(profile.private_mix) * rng.gamma(6.0, 1.0, size=5)
    mix = mix / mix.sum() * private
    out = np.zeros(7)
    out[[1, 2, 3, 4, 5]] = mix
    out[6] = online
    out[0] = 1 - private - online
    return out


def _merchant(
    rng: np.random.Generator, industry: str, cohort: CohortSpec | None, names: set[str]
) -> Merchant:
    profile = INDUSTRIES[industry]
    stores = int(np.clip(round(math.exp(rng.normal(1.4, 1.0))), 1, 60))
    if industry == "department_store":
        stores = min(stores, 12)
    touch0 = rng.beta(1.8, 3.2)
    perf0 = 0.5 * touch0 + 0.5 * rng.beta(1.5, 3.5)
    data0 = 0.4 * min(touch0, perf0) + 0.6 * rng.beta(1.3, 4.0)
    maturity0 = np.array([touch0, perf0, data0])
    engagement = float(rng.beta(2.4, 1.5)) if cohort else 0.0
    gain = np.zeros(3)
    if cohort is not None:
        at_start = maturity0 + _DRIFT_PER_YEAR * day_index(cohort.start) / 365.0
        gain = (1 - at_start) * engagement * rng.uniform(0.55, 0.95, size=3) * _GAIN_SHAPE
    region = str(rng.choice(list(REGIONS), p=np.array(REGION_WEIGHTS)))
    joined = date.fromordinal(
        int(rng.integers(date(2015, 1, 5).toordinal(), date(2017, 6, 30).toordinal()))
    )
    return Merchant(
        merchant_id="",
        name=brand_name(rng, industry, names),
        industry=industry,
        region=region,
        cohort=cohort,
        joined_on=joined,
        store_count=stores,
        size=profile.freq * stores**0.85 * float(rng.lognormal(0.0, 0.45)),
        growth=float(rng.normal(0.07, 0.08)),
        engagement=engagement,
        effect_weight=engagement**1.6 * float(rng.lognormal(0.0, 0.35)),
        persistence=float(rng.uniform(0.25, 0.6)),
        maturity0=maturity0,
        gain=gain,
        shares=_shares(rng, profile, touch0),
        key=0,
    )


def _calibrate_cohort(members: list[Merchant], cohort: CohortSpec, target: float) -> float:
    """Effect strength that makes the expected raw uplift of a cohort equal the target."""
    s, e = day_index(cohort.start), day_index(cohort.end)
    base = fixed = varying = 0.0
    for m in members:
        gmv = baseline_orders(m) * m.aov[None, :]
        base += gmv[s - BASELINE_DAYS : s].sum()
        fixed += gmv[s : e + 1].sum()
        reach = effect_shape(m)[:, None] * EFFECT_REACH[None, :] * m.effect_weight
        varying += (gmv * reach)[s : e + 1].sum()
    wanted = (1 + target) * base / BASELINE_DAYS * (e - s + 1)
    return max((wanted - fixed) / varying, 0.0)


def build_world(rng: np.random.Generator, scale: str) -> World:
    """Draw merchants, cohorts, effect strengths and the orders scale for a delivery size."""
    spec = SCALES[scale]
    cohorts = list(COHORTS[: spec.n_cohorts])
    n_part = sum(c.size for c in cohorts)
    industries = _pick_industries(rng, n_part)
    names: set[str] = set()
    merchants: list[Merchant] = []
    for cohort in cohorts:
        for _ in range(cohort.size):
            merchants.append(_merchant(rng, industries[len(merchants)], cohort, names))
    for industry in rng.choice(industries, size=spec.n_controls):
        merchants.append(_merchant(rng, str(industry), None, names))
    order = rng.permutation(len(merchants))
    merchants = [merchants[i] for i in order]
    for i, m in enumerate(merchants):
        m.merchant_id = f"M{i + 1:03d}"
        m.key = i
    world = World(cohorts=cohorts, merchants=merchants)
    for cohort in cohorts:
        members = [m for m in merchants if m.cohort is cohort]
        target = TARGET_FIRST_UPLIFT if cohort is COHORTS[0] else float(rng.uniform(0.6, 2.0))
        world.targets[cohort.cohort_id] = target
        alpha = _calibrate_cohort(members, cohort, target)
        for m in members:
            m.alpha = alpha
    total = sum(float(expected_orders(m).sum()) for m in merchants)
    for m in merchants:
        m.scale = spec.target_orders / total
    _choose_showcase(merchants)
    return world


def _choose_showcase(merchants: list[Merchant]) -> None:
    """Mark the merchant whose tracked mini-program campaign reaches ROI 10x in 30 days."""
    pool = [m for m in merchants if m.cohort is not None and m.cohort is not COHORTS[0]]
    apparel = [m for m in pool if m.industry == "apparel"] or pool
    keen = [m for m in apparel if m.engagement > 0.5] or apparel
    best = max(keen, key=lambda m: (m.size * (1 + m.maturity0[0]), m.merchant_id))
    best.roi_showcase = True
