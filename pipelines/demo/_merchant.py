"""One merchant simulated: stores, guides, customers, touchpoints, campaigns, orders, traffic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from models.contract import ACTIONS, GUIDE_ROLES, TOUCHPOINTS

from . import _format as fmt
from ._calendar import is_double_11, season_matrix, week_matrix
from ._config import (
    CH,
    CHANNEL_REFUND,
    CHANNELS,
    N_DAYS,
    PRIVATE,
    REGIONS,
    day_index,
)
from ._names import CAMPAIGN_MENU, REPURCHASE_TIERS
from ._world import Merchant, baseline_orders, effect_multiplier, maturity_paths
from ._writer import Table

_ACT = {a: i for i, a in enumerate(ACTIONS)}
ROLES = GUIDE_ROLES
_SALES = ROLES.index("sales")

FIRST_PURCHASE_SHARE = 0.6  # identified store/platform orders that are a customer's first
TOUCH_ARRIVALS = 0.3  # customers first seen on a touchpoint, per identified private order
INITIAL_CUSTOMERS = 0.35
PROPENSITY_SIGMA = 1.1
GROUP_SIZE = 250
MAX_TARGETS = 50_000  # customers one campaign reaches at most
EVENT_RATE = 0.1
# Touchpoint: joining action, leaving action, churn probability, activities (action, per month).
_TOUCH_RULES = (
    ("follow", "unfollow", 0.10, (("visit", 1.0),)),
    ("add_contact", "remove_contact", 0.06, (("message", 0.5),)),
    ("join_group", "leave_group", 0.15, (("message", 0.9), ("post", 0.08))),
    ("follow", "unfollow", 0.12, ()),
)
# Role, maturity of performance at which the role is staffed.
_ROLE_RULES = (("manager", 0.40), ("acquisition", 0.30), ("content", 0.45), ("coaching", 0.55))
# Relative order volume per hour of the day, in stores and online.
_STORE_HOURS = np.array("0 0 0 0 0 0 0 0 .5 2 5 7 8 6 6 6 6 7 9 10 8 4 1 .2".split(), dtype=float)
_ONLINE_HOURS = np.array(
    "3 1.5 .8 .4 .3 .4 1 2.5 3.5 4 4.5 5 6 5 4.5 4.5 4.5 5 5.5 6.5 8 9 8 5".split(), dtype=float
)
_STORE_LIKE = np.array([c in ("store", "scan_to_buy") for c in CHANNELS])
# Channels in which a customer appears under the mini-program identity.
ONLINE_ID = np.array(
    [
        c in ("mini_program", "wecom_guide", "community", "scan_to_buy", "livestream")
        for c in CHANNELS
    ]
)
_BASKET = {"buy one get one": 1.3, "50% off trial coupon": 0.6, "livestream-only bundle": 1.2}


@dataclass
class Campaign:
    """A planned campaign and what it truly does."""

    name: str
    channel: int
    offer: str
    segment: str
    start: int
    end: int
    holdout_share: float | None
    lift: float
    tag_prob: float
    showcase: bool = False
    campaign_id: str = ""
    treat: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    hold: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    cost: float = 0.0
    daily_gmv: np.ndarray = field(default_factory=lambda: np.zeros(N_DAYS))
    expected_orders: float = 0.0
    baseline_orders: float = 0.0
    extra_person: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    extra_day: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


def _seconds(rng: np.random.Generator, hours: np.ndarray, n: int) -> np.ndarray:
    h = rng.choice(24, size=n, p=hours / hours.sum())
    return h * 3600 + rng.integers(0, 3600, size=n)


def _draw_from_pool(
    rng: np.random.Generator,
    pool_day: np.ndarray,
    pool_member: np.ndarray,
    weights: np.ndarray,
    days: np.ndarray,
    strict: bool,
) -> np.ndarray:
    """Weighted draw among pool members that joined before (or on) each day; -1 if none."""
    if len(pool_day) == 0:
        return np.full(len(days), -1)
    cw = np.cumsum(weights)
    k = np.searchsorted(pool_day, days, side="left" if strict else "right")
    ok = k > 0
    u = rng.random(len(days)) * cw[np.maximum(k - 1, 0)]
    j = np.minimum(np.searchsorted(cw, u, side="right"), np.maximum(k - 1, 0))
    return np.where(ok, pool_member[j], -1)


class MerchantSim:
    """Generates every file's rows for one merchant; deterministic per (seed, merchant)."""

    def __init__(self, m: Merchant, seed: int, calibration: float = 1.0) -> None:
        self.m = m
        self.seed = seed
        self.f = calibration
        self.profile = m.profile
        self.mat = maturity_paths(m)
        self.base = baseline_orders(m)
        self.lam = self.base * effect_multiplier(m)
        data = self.mat[2]
        self.pid = np.ones((N_DAYS, 7))
        self.pid[:, CH["store"]] = 0.15 + 0.7 * data
        self.pid[:, CH["other_online"]] = 0.1 + 0.5 * data
        self.campaigns: list[Campaign] = []

    def stream(self, stage: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([self.seed, 2, self.m.key, stage]))

    # ---------------------------------------------------------------- stores and staff
    def _stores(self) -> None:
        rng = self.stream(1)
        n = self.m.store_count
        first = rng.integers(day_index(date(2008, 1, 1)), day_index(date(2015, 6, 1)))
        pre = rng.random(n - 1) < 0.85
        later = np.where(
            pre,
            rng.integers(day_index(date(2009, 1, 1)), 0, size=n - 1),
            rng.integers(0, N_DAYS - 90, size=n - 1),
        )
        self.store_open = np.sort(np.concatenate([[first], later]))
        self.store_weight = rng.lognormal(0.0, 0.5, size=n)
        home = REGIONS[self.m.region]
        everywhere = [c for cities in REGIONS.values() for c in cities]
        cities = [
            str(rng.choice(home)) if rng.random() < 0.7 else str(rng.choice(everywhere))
            for _ in range(n)
        ]
        seen: dict[str, int] = {}
        names = []
        for city in cities:
            seen[city] = seen.get(city, 0) + 1
            names.append(f"{self.m.name} {city} No.{seen[city]}")
        self.store_city = cities
        self.store_name = names

    def _pick_store(self, rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
        """A store open on each day, drawn by store size."""
        out = _draw_from_pool(
            rng, self.store_open, np.arange(len(self.store_open)), self.store_weight, days, False
        )
        return np.maximum(out, 0)

    def _add_guide(self, store: int, role: int, joined: int, left: int) -> int:
        self.g_store.append(store)
        self.g_role.append(role)
        self.g_joined.append(joined)
        self.g_left.append(left)
        return len(self.g_store) - 1

    def _staff(self) -> None:
        rng = self.stream(2)
        m = self.m
        self.g_store: list[int] = []
        self.g_role: list[int] = []
        self.g_joined: list[int] = []
        self.g_left: list[int] = []
        n = m.store_count
        per_store = np.maximum(
            1,
            np.round(self.profile.guides_per_store * self.store_weight * rng.uniform(0.7, 1.3, n)),
        ).astype(int)
        extra = np.zeros(n, dtype=int)
        if m.window is not None:
            extra = rng.binomial(per_store, min(0.8, 1.5 * float(m.gain[1])))
        slot_store: list[int] = []
        slot_open: list[int] = []
        for j in range(n):
            slot_store += [j] * int(per_store[j] + extra[j])
            slot_open += [int(self.store_open[j])] * int(per_store[j])
            if extra[j] and m.window is not None:
                s, e = m.window
                width = e - s + 1
                opens = rng.integers(int(s + 0.2 * width), int(s + 0.9 * width), size=extra[j])
                slot_open += [max(int(d), int(self.store_open[j])) for d in opens]
        self.slot_store = np.array(slot_store)
        self.table = np.full((len(slot_store), N_DAYS), -1, dtype=np.int32)
        for slot, opened in enumerate(slot_open):
            self._fill_slot(rng, slot, opened)
        self.store_first_slot = np.searchsorted(self.slot_store, np.arange(n))
        self.store_slots = np.bincount(self.slot_store, minlength=n)
        self._roles(rng)
        self.g_threshold = rng.random(len(self.g_store))

    def _fill_slot(self, rng: np.random.Generator, slot: int, opened: int) -> None:
        """A sequence of sales guides holding one position; a leaver is replaced the same day."""
        perf = self.mat[1]
        store = int(self.slot_store[slot])
        tenure = 300 + 600 * perf[max(opened, 0)]
        if opened < 0:
            joined = int(rng.integers(max(opened, -900), 0))
            left = 1 + int(rng.exponential(tenure))
        else:
            joined = opened
            left = joined + 1 + int(rng.exponential(tenure))
        while True:
            g = self._add_guide(store, _SALES, joined, left if left < N_DAYS else -1)
            self.table[slot, max(joined, 0) : min(left, N_DAYS)] = g
            if left >= N_DAYS:
                return
            joined = left
            left = joined + 1 + int(rng.exponential(300 + 600 * perf[joined]))

    def _roles(self, rng: np.random.Generator) -> None:
        """The 3+1 roles, staffed once performance maturity reaches each role's level."""
        perf = self.mat[1]
        counts = {
            "acquisition": 1 + self.m.store_count // 12,
            "content": 1 + int(self.m.store_count > 20),
        }
        for role, level in _ROLE_RULES:
            start = int(np.searchsorted(perf, level, side="left"))
            if start >= N_DAYS:
                continue
            for _ in range(counts.get(role, 1)):
                joined = (
                    int(rng.integers(-700, 0))
                    if start == 0
                    else min(start + int(rng.integers(0, 14)), N_DAYS - 1)
                )
                store = -1
                if role == "acquisition":
                    store = int(self._pick_store(rng, np.array([max(joined, 0)]))[0])
                left = -1
                if rng.random() < 0.12 and max(joined, 0) + 60 < N_DAYS - 1:
                    left = int(rng.integers(max(joined, 0) + 60, N_DAYS))
                self._add_guide(store, ROLES.index(role), joined, left)

    def _pick_guide(
        self, rng: np.random.Generator, store: np.ndarray, day: np.ndarray
    ) -> np.ndarray:
        """A sales guide on duty at the store that day; engaged guides are picked more often."""
        perf = self.mat[1]
        out = np.full(len(store), -1)
        fallback = np.full(len(store), -1)
        todo = np.arange(len(store))
        for _ in range(6):
            if not len(todo):
                break
            st = store[todo]
            slot = self.store_first_slot[st] + (
                rng.random(len(todo)) * self.store_slots[st]
            ).astype(int)
            g = self.table[slot, day[todo]]
            seen = g >= 0
            fallback[todo[seen]] = g[seen]
            engaged = self.g_threshold[np.maximum(g, 0)] < 0.15 + 0.8 * perf[day[todo]]
            weight = np.where(seen, np.where(engaged, 1.0, 0.12), 0.0)
            ok = rng.random(len(todo)) < weight
            out[todo[ok]] = g[ok]
            todo = todo[~ok]
        out[todo] = fallback[todo]
        return out

    # ---------------------------------------------------------------- customers
    def _skeleton(self) -> None:
        """Realised orders per day and channel, which are identified, which are first purchases."""
        rng = self.stream(7)
        noise = rng.lognormal(-0.0113, 0.15, size=N_DAYS)[:, None] * rng.lognormal(
            -0.005, 0.1, size=(N_DAYS, 7)
        )
        counts = rng.poisson(self.lam * noise)
        flat = np.repeat(np.arange(N_DAYS * 7), counts.ravel())
        self.o_day, self.o_ch = flat // 7, flat % 7
        self.o_ident = rng.random(len(flat)) < self.pid[self.o_day, self.o_ch]
        general = np.isin(self.o_ch, [CH["store"], CH["other_online"]])
        self.o_first = self.o_ident & general & (rng.random(len(flat)) < FIRST_PURCHASE_SHARE)

    def _people(self) -> None:
        """Customers: known before the data, first seen buying, or first seen on a touchpoint."""
        rng = self.stream(3)
        first_orders = np.flatnonzero(self.o_first)
        private = self.o_ident & ~np.isin(self.o_ch, [CH["store"], CH["other_online"]])
        per_day = np.bincount(self.o_day[private], minlength=N_DAYS).astype(float)
        n_touch = int(rng.poisson(per_day.sum() * TOUCH_ARRIVALS)) if per_day.sum() else 0
        touch_days = rng.choice(N_DAYS, size=n_touch, p=per_day / max(per_day.sum(), 1.0))
        n_init = max(5, round((len(first_orders) + n_touch) * INITIAL_CUSTOMERS))
        init_days = rng.integers(day_index(date(2016, 3, 1)), 0, size=n_init)
        first = np.concatenate([init_days, self.o_day[first_orders], touch_days])
        origin = np.repeat([0, 1, 2], [n_init, len(first_orders), n_touch])
        order = np.argsort(first, kind="stable")
        rank = np.empty(len(first), dtype=np.int64)
        rank[order] = np.arange(len(first))
        self.first, origin = first[order], origin[order]
        self.o_person = np.full(len(self.o_day), -1)
        self.o_person[first_orders] = rank[n_init : n_init + len(first_orders)]
        n = len(self.first)
        weights = np.array(self.profile.touch_weights[:3])
        self.arrival_touch = np.where(
            origin == 2, rng.choice(3, size=n, p=weights / weights.sum()), -1
        )
        self.w = rng.lognormal(0.0, PROPENSITY_SIGMA, size=n)
        self.home = self._pick_store(rng, self.first)
        noisy = self.w * rng.lognormal(0.0, 0.3, size=n)
        level_rank = np.argsort(np.argsort(noisy)) / max(n - 1, 1)
        self.level = np.searchsorted([0.62, 0.87, 0.97], level_rank, side="right")

    def _connections(self) -> None:
        rng = self.stream(4)
        n, touch = len(self.first), self.mat[0]
        weights = np.array(self.profile.touch_weights)
        u = rng.random((n, 4)) / (0.75 + 0.25 * np.minimum(self.w, 4.0))[:, None]
        f0 = np.maximum(self.first, 0)
        self.conn = np.full((n, 4), N_DAYS)
        for k in range(4):
            cross = np.searchsorted(touch * weights[k], u[:, k], side="left")
            lag = rng.geometric(0.1, size=n) - 1
            c = np.where(cross <= f0, f0, cross + lag)
            pre = (self.first < 0) & (cross == 0)
            c = np.where(pre, self.first + (rng.random(n) * -self.first).astype(int), c)
            c = np.where(self.arrival_touch == k, self.first, c)
            self.conn[:, k] = np.minimum(c, N_DAYS)
        self._contact_slots(rng)
        self._groups(rng)
        self.conn_any = self.conn[:, :3].min(axis=1)
        dual_share = 0.02 + 0.15 * self.mat[2, -1]
        self.dual = (self.conn_any < N_DAYS) & (rng.random(n) < dual_share)

    def _contact_slots(self, rng: np.random.Generator) -> None:
        """The guide position each WeCom contact belongs to (kept when the guide leaves)."""
        n = len(self.first)
        who = np.flatnonzero(self.conn[:, 1] < N_DAYS)
        day = np.maximum(self.conn[who, 1], 0)
        slot = np.full(len(who), -1)
        n_stores = len(self.store_open)
        for attempt in range(8):
            todo = slot < 0
            store = self.home[who] if attempt < 5 else rng.integers(0, n_stores, size=len(who))
            cand = self.store_first_slot[store] + (
                rng.random(len(who)) * self.store_slots[store]
            ).astype(int)
            ok = todo & (self.table[cand, day] >= 0)
            slot[ok] = cand[ok]
        self.contact_slot = np.full(n, -1)
        self.contact_slot[who] = slot
        self.conn[who[slot < 0], 1] = N_DAYS
        early = who[(slot >= 0) & (self.conn[who, 1] < 0)]
        if len(early):
            g = self.table[self.contact_slot[early], 0]
            self.conn[early, 1] = np.maximum(self.conn[early, 1], np.array(self.g_joined)[g])

    def _groups(self, rng: np.random.Generator) -> None:
        """Community groups filled in order of joining; owned by an acquisition guide if any."""
        n = len(self.first)
        members = np.flatnonzero(self.conn[:, 2] < N_DAYS)
        order = members[np.argsort(self.conn[members, 2], kind="stable")]
        self.group = np.full(n, -1)
        self.group[order] = np.arange(len(order)) // GROUP_SIZE
        n_groups = (len(order) + GROUP_SIZE - 1) // GROUP_SIZE
        created = np.maximum(self.conn[order[::GROUP_SIZE], 2], 0)
        joined, left = np.array(self.g_joined), np.array(self.g_left)
        left = np.where(left < 0, N_DAYS + 1, left)
        acquisition = np.flatnonzero(np.array(self.g_role) == ROLES.index("acquisition"))
        self.group_owner = np.full(n_groups, -1)
        for k in range(n_groups):
            active = acquisition[
                (joined[acquisition] <= created[k]) & (left[acquisition] > created[k])
            ]
            if len(active):
                self.group_owner[k] = int(rng.choice(active))

    # ---------------------------------------------------------------- touchpoint events
    def _touch_events(
        self, rng: np.random.Generator, k: int
    ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """(person, action, day, second) arrays for one touchpoint: join, leave, activity."""
        join, leave, churn, activities = _TOUCH_RULES[k]
        who = np.flatnonzero(self.conn[:, k] < N_DAYS)
        joined = self.conn[who, k]
        join_sec = _seconds(rng, _ONLINE_HOURS, len(who))
        parts = [(who, np.full(len(who), _ACT[join]), joined, join_sec)]
        start = np.maximum(joined, 0)
        churned = rng.random(len(who)) < churn * (1.1 - 0.5 * self.mat[0, -1])
        out_day = start + 1 + rng.exponential(150, size=len(who)).astype(int)
        gone = churned & (out_day < N_DAYS)
        n_gone = int(gone.sum())
        parts.append(
            (
                who[gone],
                np.full(n_gone, _ACT[leave]),
                out_day[gone],
                _seconds(rng, _ONLINE_HOURS, n_gone),
            )
        )
        span = np.where(gone, out_day, N_DAYS) - start
        activity = np.clip(self.w[who], 0.2, 5.0) ** 0.6
        for name, rate in activities:
            per_month = rate * EVENT_RATE * (self.profile.visit_rate if name == "visit" else 1.0)
            idx = np.repeat(np.arange(len(who)), rng.poisson(per_month * span / 30.0 * activity))
            day = start[idx] + (rng.random(len(idx)) * span[idx]).astype(int)
            sec = _seconds(rng, _ONLINE_HOURS, len(idx))
            later = join_sec[idx] + (rng.random(len(idx)) * (86400 - join_sec[idx])).astype(int)
            sec = np.where(day == joined[idx], later, sec)
            parts.append((who[idx], np.full(len(idx), _ACT[name]), day, sec))
        return parts

    def events(self) -> dict[str, np.ndarray]:
        rng = self.stream(5)
        parts = [
            (person, np.full(len(person), k), action, day, sec)
            for k in range(len(TOUCHPOINTS))
            for person, action, day, sec in self._touch_events(rng, k)
        ]
        person, tp, action, day, sec = (np.concatenate([p[i] for p in parts]) for i in range(5))
        order = np.lexsort((sec, day))
        person, tp, action, day, sec = (x[order] for x in (person, tp, action, day, sec))
        guide = np.full(len(person), -1)
        wecom = tp == TOUCHPOINTS.index("wecom_guide")
        slot = self.contact_slot[person[wecom]]
        guide[wecom] = self.table[slot, np.maximum(day[wecom], 0)]
        community = tp == TOUCHPOINTS.index("community")
        joins = community & (action == _ACT["join_group"])
        guide[joins] = self.group_owner[self.group[person[joins]]]
        group = np.where(community, self.group[person], -1)
        return {
            "person": person,
            "touchpoint": tp,
            "action": action,
            "day": day,
            "sec": sec,
            "guide": guide,
            "group": group,
        }

    # ---------------------------------------------------------------- campaigns
    def _schedule(self, rng: np.random.Generator) -> list[int]:
        m = self.m
        if m.window is not None:
            start = m.window[0] + int(rng.integers(14, 28))
            starts = []
            for _ in range(int(rng.integers(3, 6))):
                starts.append(start)
                start += int(rng.integers(25, 70))
        else:
            k = int(rng.choice([0, 0, 1, 1, 2]))
            starts = sorted(
                int(x) for x in rng.integers(day_index(date(2018, 9, 1)), N_DAYS - 40, size=k)
            )
        return [s for s in starts if s <= N_DAYS - 20]

    def _plan(self, rng: np.random.Generator, start: int, first: bool) -> list[Campaign]:
        data = float(self.mat[2, start])
        tag = 0.3 + 0.5 * data
        end = min(start + int(rng.integers(14, 36)) - 1, N_DAYS - 1)
        month = str(np.datetime64("2017-09-01") + start)[:7]
        if first and self.m.roi_showcase:
            return [
                Campaign(
                    "Mini-program channel tracking: high-potential users",
                    CH["mini_program"],
                    "channel-tracked new-arrival coupon",
                    "high_potential",
                    start,
                    min(start + 29, N_DAYS - 1),
                    0.1,
                    1.5,
                    tag,
                    showcase=True,
                )
            ]
        if first and self.m.window is not None and self.m.industry in ("food_beverage", "grocery"):
            return [
                Campaign(
                    f"Repurchase tiers {month}: {label}",
                    CH["mini_program"],
                    offer,
                    segment,
                    start,
                    end,
                    0.15,
                    float(rng.uniform(0.3, 0.8)),
                    tag,
                )
                for segment, offer, label in REPURCHASE_TIERS
            ]
        segment, offer, name, channel = CAMPAIGN_MENU[int(rng.integers(len(CAMPAIGN_MENU)))]
        holdout = float(rng.choice([0.1, 0.15, 0.2])) if rng.random() < 0.65 else None
        lift = (
            float(rng.uniform(0.0, 0.05))
            if rng.random() < 0.15
            else float(rng.uniform(0.4, 2.5)) * (0.6 + 0.8 * data)
        )
        return [
            Campaign(f"{name} {month}", CH[channel], offer, segment, start, end, holdout, lift, tag)
        ]

    def _eligible(self, rng: np.random.Generator, c: Campaign) -> np.ndarray:
        ok = self.first < c.start
        if c.channel == CH["wecom_guide"]:
            ok &= self.conn[:, 1] < c.start
        elif c.channel == CH["community"]:
            ok &= self.conn[:, 2] < c.start
        elif c.channel != CH["store"]:
            ok &= self.conn_any < c.start
        w = self.w
        q = np.quantile(w, [0.5, 0.55, 0.7, 0.92])
        rules = {
            "repurchase_tier_1": w < q[1],
            "repurchase_tier_2": (w >= q[1]) & (w < q[3]),
            "repurchase_tier_3": w >= q[3],
            "new_followers": self.conn_any >= c.start - 60,
            "high_potential": w >= q[2],
            "lapsed_90d": (w < q[0]) & (rng.random(len(w)) < 0.5),
            "birthday_month": rng.random(len(w)) < 1 / 12,
        }
        return np.flatnonzero(ok & rules.get(c.segment, True))

    def _pools(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(expected repeat orders per day, day each customer joins) for each customer pool."""
        ident = self.lam * self.pid
        general = [CH["store"], CH["other_online"]]
        rest = [CH["mini_program"], CH["community"], CH["scan_to_buy"], CH["livestream"]]
        return [
            (ident[:, general].sum(1) * (1 - FIRST_PURCHASE_SHARE), self.first),
            (ident[:, rest].sum(1), self.conn_any),
            (ident[:, CH["wecom_guide"]], self.conn[:, 1]),
        ]

    def _base_rates(self, people: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Expected repeat orders of each customer (rows) on each day (columns)."""
        out = np.zeros((len(people), len(days)))
        for rate, joined in self._pools():
            order = np.sort(joined)
            cw = np.cumsum(self.w[np.argsort(joined, kind="stable")])
            k = np.searchsorted(order, days, side="left")
            total = np.where(k > 0, cw[np.maximum(k - 1, 0)], np.inf)
            member = joined[people][:, None] < days[None, :]
            out += member * (rate[days] / total)[None, :]
        return out * self.w[people][:, None]

    def _campaigns(self) -> None:
        rng = self.stream(6)
        plans: list[Campaign] = []
        for i, start in enumerate(self._schedule(rng)):
            plans += self._plan(rng, start, i == 0)
        aov = self.m.aov
        for c in plans:
            eligible = self._eligible(rng, c)
            share = 1.0 if c.showcase or c.segment.startswith("repurchase") else rng.uniform(0.7, 1)
            targets = eligible[rng.random(len(eligible)) < share]
            if len(targets) > MAX_TARGETS:
                targets = np.sort(rng.choice(targets, size=MAX_TARGETS, replace=False))
            if len(targets) < 50:
                continue
            held = rng.random(len(targets)) < (c.holdout_share or 0.0)
            c.treat, c.hold = targets[~held], targets[held]
            days = np.arange(c.start, c.end + 1)
            ramp = np.minimum(((days - c.start) // 7 + 1) / 5, 1.0) if c.showcase else 1.0
            base = self._base_rates(c.treat, days)
            extra = base * ramp * c.lift
            counts = rng.poisson(extra)
            who, when = np.nonzero(counts)
            reps = counts[who, when]
            c.extra_person = np.repeat(c.treat[who], reps)
            c.extra_day = np.repeat(days[when], reps)
            basket = aov[c.channel] * _BASKET.get(c.offer, 1.0)
            c.daily_gmv[days] = extra.sum(0) * basket
            c.expected_orders = float(extra.sum())
            c.baseline_orders = float(base.sum())
            if c.showcase:
                c.cost = round(float(c.daily_gmv.sum()) / 10.0, 2)
            else:
                c.cost = round(len(c.treat) * aov[0] * float(rng.uniform(0.02, 0.08)), 2)
            c.campaign_id = f"CMP-{self.m.merchant_id}-{len(self.campaigns) + 1:02d}"
            self.campaigns.append(c)

    # ---------------------------------------------------------------- orders
    def _customers_for(
        self, rng: np.random.Generator, day: np.ndarray, ch: np.ndarray
    ) -> np.ndarray:
        """The customer of each repeat order, drawn from the pool the channel reaches."""
        person = np.full(len(day), -1)
        general = np.isin(ch, [CH["store"], CH["other_online"]])
        everyone = np.arange(len(self.first))
        pools = (
            (general, self.first),
            ((~general) & (ch != CH["wecom_guide"]), self.conn_any),
            (ch == CH["wecom_guide"], self.conn[:, 1]),
        )
        for mask, joined in pools:
            members = np.flatnonzero(joined < N_DAYS)
            members = members[np.argsort(joined[members], kind="stable")]
            person[mask] = _draw_from_pool(
                rng, joined[members], members, self.w[members], day[mask], True
            )
        missing = person < 0
        person[missing] = _draw_from_pool(rng, self.first, everyone, self.w, day[missing], False)
        return person

    def _stores_and_guides(
        self,
        rng: np.random.Generator,
        day: np.ndarray,
        ch: np.ndarray,
        person: np.ndarray,
        is_first: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        n, perf = len(day), self.mat[1]
        store, guide = np.full(n, -1), np.full(n, -1)
        known = person >= 0
        home = np.where(known, self.home[np.maximum(person, 0)], -1)
        in_store = _STORE_LIKE[ch]
        use_home = in_store & known & ((rng.random(n) < 0.85) | is_first)
        store[in_store] = self._pick_store(rng, day[in_store])
        store[use_home] = home[use_home]
        walk_in = (ch == CH["store"]) & (rng.random(n) < 0.15 + 0.55 * perf[day])
        guide[walk_in] = self._pick_guide(rng, store[walk_in], day[walk_in])
        reach = {
            CH["wecom_guide"]: 1.0,
            CH["mini_program"]: 0.5,
            CH["community"]: 0.4,
            CH["livestream"]: 0.3,
        }
        base = {CH["wecom_guide"]: 1.0, CH["mini_program"]: 0.1, CH["community"]: 0.1}
        for c, r in reach.items():
            mask = (ch == c) & known & (rng.random(n) < base.get(c, 0.0) + r * perf[day])
            slot = self.contact_slot[person[mask]]
            has = slot >= 0
            g = np.where(has, self.table[np.maximum(slot, 0), day[mask]], -1)
            st = np.where(has, self.slot_store[np.maximum(slot, 0)], home[mask])
            lost = g < 0
            g[lost] = self._pick_guide(rng, st[lost], day[mask][lost])
            store[mask] = np.where(g >= 0, st, -1)
            guide[mask] = g
        return store, guide

    def _tag(
        self,
        rng: np.random.Generator,
        day: np.ndarray,
        ch: np.ndarray,
        person: np.ndarray,
        campaign: np.ndarray,
    ) -> None:
        """Orders of treated customers inside a campaign carry its id (when attributable)."""
        n_people = len(self.first)
        for i, c in enumerate(self.campaigns):
            treated = np.zeros(n_people + 1, dtype=bool)
            treated[c.treat] = True
            channels = PRIVATE[ch] if c.channel != CH["store"] else ch == CH["store"]
            mask = (
                (campaign < 0)
                & (day >= c.start)
                & (day <= c.end)
                & treated[person]
                & channels
                & (rng.random(len(day)) < c.tag_prob)
            )
            campaign[mask] = i

    def _orders(self) -> dict[str, np.ndarray]:
        rng = self.stream(10)
        day, ch, is_first = self.o_day, self.o_ch, self.o_first
        person = self.o_person.copy()
        repeat = self.o_ident & ~self.o_first
        person[repeat] = self._customers_for(rng, day[repeat], ch[repeat])
        campaign = np.full(len(day), -1)
        basket = np.ones(len(day))
        for i, c in enumerate(self.campaigns):
            k = len(c.extra_person)
            day = np.concatenate([day, c.extra_day])
            ch = np.concatenate([ch, np.full(k, c.channel)])
            person = np.concatenate([person, c.extra_person])
            is_first = np.concatenate([is_first, np.zeros(k, dtype=bool)])
            campaign = np.concatenate([campaign, np.full(k, i)])
            basket = np.concatenate([basket, np.full(k, _BASKET.get(c.offer, 1.0))])
        self._tag(rng, day, ch, person, campaign)
        store, guide = self._stores_and_guides(rng, day, ch, person, is_first)
        sigma = self.profile.aov_sigma
        amount = (
            self.m.aov[ch] * basket * np.exp(sigma * rng.standard_normal(len(day)) - sigma**2 / 2)
        )
        if self.f != 1.0 and self.m.window is not None:
            s, e = self.m.window
            amount = np.where((day >= s) & (day <= e), amount * self.f, amount)
        gmv = np.maximum(np.round(amount, 2), 1.0)
        refunded = rng.random(len(day)) < self.profile.refund_rate * CHANNEL_REFUND[ch]
        part = np.where(rng.random(len(day)) < 0.7, 1.0, rng.uniform(0.1, 0.9, len(day)))
        refund = np.where(refunded, np.minimum(np.round(gmv * part, 2), gmv), np.nan)
        sec = np.where(
            _STORE_LIKE[ch],
            _seconds(rng, _STORE_HOURS, len(day)),
            _seconds(rng, _ONLINE_HOURS, len(day)),
        )
        midnight = is_double_11(day) & ~_STORE_LIKE[ch] & (rng.random(len(day)) < 0.3)
        sec = np.where(midnight, rng.integers(0, 3600, len(day)), sec)
        order = np.lexsort((sec, day))
        cols = {
            "day": day,
            "sec": sec,
            "ch": ch,
            "gmv": gmv,
            "refund": refund,
            "person": person,
            "store": store,
            "guide": guide,
            "campaign": campaign,
        }
        return {k: v[order] for k, v in cols.items()}

    # ---------------------------------------------------------------- traffic
    def traffic(self) -> Table:
        rng = self.stream(8)
        n = len(self.store_open)
        days = np.arange(N_DAYS)
        store_effect = 1 + 0.5 * (effect_multiplier(self.m)[:, 0] - 1)
        trend = (1 + self.m.growth) ** (days / 365.0)
        rhythm = (week_matrix(self.profile.weekend) * season_matrix(self.profile))[:, 0]
        size = self.profile.visitors_per_store * self.store_weight
        mean = size[:, None] * (trend * rhythm * store_effect)[None, :]
        noise = rng.lognormal(-0.007, 0.12, size=(n, N_DAYS))
        visitors = rng.poisson(mean * noise)
        touch, data = self.mat[0], self.mat[2]
        share = np.clip(0.05 + 0.75 * touch * (0.7 + 0.3 * data), 0.0, 0.92)
        share = np.clip(share[None, :] * rng.uniform(0.85, 1.1, size=(n, 1)), 0.0, 0.95)
        identified = rng.binomial(visitors, share)
        is_open = days[None, :] >= self.store_open[:, None]
        st, d = np.nonzero(is_open)
        return {
            "merchant_id": self.m.merchant_id,
            "date": fmt.dates(d),
            "visitors": visitors[st, d],
            "store_id": fmt.ids(f"{self.m.merchant_id}-S", st + 1, 3),
            "identified_visitors": identified[st, d],
        }

    def simulate(self) -> dict[str, np.ndarray]:
        """Run every stage up to the orders; return the order arrays."""
        self._stores()
        self._staff()
        self._skeleton()
        self._people()
        self._connections()
        self._campaigns()
        return self._orders()
