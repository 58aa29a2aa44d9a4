"""What one simulated merchant writes (its file rows) and what is true about it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from models.contract import TOUCHPOINTS

from . import _format as fmt
from ._config import CH, CHANNELS, MEMBER_LEVELS, N_DAYS, PRIVATE
from ._merchant import ACTIONS, ONLINE_ID, ROLES, MerchantSim
from ._world import Merchant
from ._writer import Table

_ROWS = 500_000


@dataclass
class MerchantResult:
    """File rows, measured daily GMV and the truth of one merchant."""

    tables: dict[str, Iterable[Table]]
    daily_gmv: np.ndarray
    truth: dict[str, object]
    campaigns: list[dict[str, object]]
    window_sums: dict[str, float]


def simulate(
    m: Merchant, seed: int, calibration: float = 1.0, measure_only: bool = False
) -> MerchantResult:
    """Simulate a merchant; with measure_only just its daily GMV (used to calibrate)."""
    sim = MerchantSim(m, seed, calibration)
    orders = sim.simulate()
    daily = np.bincount(orders["day"], weights=orders["gmv"], minlength=N_DAYS)
    if measure_only:
        return MerchantResult({}, daily, {}, [], {})
    tables = _tables(sim, orders, sim.events())
    return MerchantResult(tables, daily, _truth(sim), _campaign_truth(sim), _window_sums(sim))


def _customer_numbers(sim: MerchantSim) -> tuple[np.ndarray, np.ndarray]:
    """Customer number under the store identity and under the mini-program identity."""
    n = len(sim.first)
    store_no = np.arange(1, n + 1)
    online_no = store_no.copy()
    online_no[sim.dual] = n + 1 + np.arange(int(sim.dual.sum()))
    return store_no, online_no


def _slices(n: int) -> Iterator[slice]:
    """Row ranges small enough to format without holding a big merchant's file in memory."""
    for start in range(0, n, _ROWS):
        yield slice(start, start + _ROWS)


def _order_tables(
    mid: str, o: dict[str, np.ndarray], cust: np.ndarray, campaign_ids: np.ndarray
) -> Iterator[Table]:
    for rows in _slices(len(cust)):
        store, guide = o["store"][rows], o["guide"][rows]
        yield {
            "order_id": fmt.ids(f"{mid}-O", np.arange(1, len(cust) + 1)[rows], 7),
            "merchant_id": mid,
            "ordered_at": fmt.timestamps(o["day"][rows], o["sec"][rows]),
            "channel": fmt.label(CHANNELS, o["ch"][rows]),
            "gmv": o["gmv"][rows],
            "store_id": fmt.ids(f"{mid}-S", np.where(store < 0, -1, store + 1), 3),
            "customer_id": fmt.ids(f"{mid}-C", cust[rows], 7),
            "guide_id": fmt.ids(f"{mid}-G", np.where(guide < 0, -1, guide + 1), 5),
            "campaign_id": campaign_ids[o["campaign"][rows]],
            "refund": o["refund"][rows],
        }


def _event_tables(mid: str, ev: dict[str, np.ndarray], cust: np.ndarray) -> Iterator[Table]:
    for rows in _slices(len(cust)):
        guide, group = ev["guide"][rows], ev["group"][rows]
        yield {
            "event_id": fmt.ids(f"{mid}-E", np.arange(1, len(cust) + 1)[rows], 8),
            "merchant_id": mid,
            "customer_id": fmt.ids(f"{mid}-C", cust[rows], 7),
            "touchpoint": fmt.label(TOUCHPOINTS, ev["touchpoint"][rows]),
            "action": fmt.label(ACTIONS, ev["action"][rows]),
            "occurred_at": fmt.timestamps(ev["day"][rows], ev["sec"][rows]),
            "guide_id": fmt.ids(f"{mid}-G", np.where(guide < 0, -1, guide + 1), 5),
            "group_id": fmt.ids(f"{mid}-GRP", np.where(group < 0, -1, group + 1), 4),
        }


def _store_table(sim: MerchantSim) -> Table:
    mid = sim.m.merchant_id
    return {
        "store_id": fmt.ids(f"{mid}-S", np.arange(1, len(sim.store_open) + 1), 3),
        "merchant_id": mid,
        "name": sim.store_name,
        "city": sim.store_city,
        "opened_on": fmt.dates(sim.store_open),
    }


def _guide_table(sim: MerchantSim) -> Table:
    mid = sim.m.merchant_id
    joined, left = np.array(sim.g_joined), np.array(sim.g_left)
    store = np.array(sim.g_store)
    return {
        "guide_id": fmt.ids(f"{mid}-G", np.arange(1, len(joined) + 1), 5),
        "merchant_id": mid,
        "store_id": fmt.ids(f"{mid}-S", np.where(store < 0, -1, store + 1), 3),
        "role": fmt.label(ROLES, np.array(sim.g_role)),
        "joined_on": fmt.dates(joined),
        "left_on": np.where(left < 0, "", fmt.dates(np.maximum(left, 0))),
    }


def _tables(
    sim: MerchantSim, o: dict[str, np.ndarray], ev: dict[str, np.ndarray]
) -> dict[str, Iterable[Table]]:
    """Rows per file, in load order; the big files come as lazily formatted chunks."""
    mid = sim.m.merchant_id
    store_no, online_no = _customer_numbers(sim)
    p = o["person"]
    safe = np.maximum(p, 0)
    cust = np.where(p < 0, -1, np.where(ONLINE_ID[o["ch"]], online_no[safe], store_no[safe]))
    ev_cust = online_no[ev["person"]]
    campaign_ids = np.array([c.campaign_id for c in sim.campaigns] + [""])
    campaigns, assignments = _campaign_frames(sim, store_no, online_no)
    return {
        "stores": [_store_table(sim)],
        "guides": [_guide_table(sim)],
        "customers": [_customers_frame(sim, o, ev, cust, ev_cust)],
        "campaigns": [campaigns],
        "orders": _order_tables(mid, o, cust, campaign_ids),
        "touchpoint_events": _event_tables(mid, ev, ev_cust),
        "store_traffic": [sim.traffic()],
        "campaign_assignments": [assignments],
    }


def _customers_frame(
    sim: MerchantSim,
    o: dict[str, np.ndarray],
    ev: dict[str, np.ndarray],
    cust: np.ndarray,
    ev_cust: np.ndarray,
) -> Table:
    mid = sim.m.merchant_id
    n = len(sim.first)
    n_dual = int(sim.dual.sum())
    first = np.concatenate([sim.first, np.full(n_dual, N_DAYS - 1)])
    known = cust >= 0
    np.minimum.at(first, cust[known] - 1, o["day"][known])
    np.minimum.at(first, ev_cust - 1, ev["day"])
    rng = sim.stream(9)
    unified = rng.random(n) < 0.15 + 0.75 * sim.mat[2, -1]
    unified |= sim.dual
    uni_no = np.where(unified, np.arange(1, n + 1), -1)
    dual_people = np.flatnonzero(sim.dual)
    return {
        "customer_id": fmt.ids(f"{mid}-C", np.arange(1, n + n_dual + 1), 7),
        "merchant_id": mid,
        "first_seen_on": fmt.dates(first),
        "unified_id": fmt.ids(f"{mid}-U", np.concatenate([uni_no, dual_people + 1]), 7),
        "member_level": fmt.label(
            MEMBER_LEVELS, np.concatenate([sim.level, sim.level[dual_people]])
        ),
    }


def _campaign_frames(
    sim: MerchantSim, store_no: np.ndarray, online_no: np.ndarray
) -> tuple[Table, Table]:
    mid = sim.m.merchant_id
    cs = sim.campaigns
    campaigns: Table = {
        "campaign_id": [c.campaign_id for c in cs],
        "merchant_id": mid,
        "name": [c.name for c in cs],
        "start_date": fmt.dates(np.array([c.start for c in cs], dtype=np.int64)),
        "cost": np.array([c.cost for c in cs], dtype=float),
        "end_date": fmt.dates(np.array([c.end for c in cs], dtype=np.int64)),
        "channel": [CHANNELS[c.channel] for c in cs],
        "segment_id": [c.segment for c in cs],
        "offer": [c.offer for c in cs],
        "holdout_share": np.array(
            [np.nan if c.holdout_share is None else c.holdout_share for c in cs], dtype=float
        ),
    }
    ids, customers, groups = [], [], []
    for c in cs:
        if c.holdout_share is None:
            continue
        numbers = online_no if c.channel != CH["store"] else store_no
        people = np.concatenate([c.treat, c.hold])
        ids.append(np.full(len(people), c.campaign_id))
        customers.append(fmt.ids(f"{mid}-C", numbers[people], 7))
        groups.append(np.where(np.arange(len(people)) < len(c.treat), "treatment", "holdout"))
    assignments: Table = {
        "campaign_id": np.concatenate(ids) if ids else np.zeros(0, dtype=str),
        "customer_id": np.concatenate(customers) if ids else np.zeros(0, dtype=str),
        "group": np.concatenate(groups) if ids else np.zeros(0, dtype=str),
    }
    return campaigns, assignments


# ---------------------------------------------------------------- truth
def _in_window(sim: MerchantSim) -> np.ndarray:
    out = np.zeros(N_DAYS, dtype=bool)
    if sim.m.window is not None:
        s, e = sim.m.window
        out[s : e + 1] = True
    return out


def _campaign_gmv(sim: MerchantSim) -> np.ndarray:
    """Expected incremental campaign GMV per day and channel."""
    out = np.zeros((N_DAYS, 7))
    for c in sim.campaigns:
        out[:, c.channel] += c.daily_gmv
    return out


def _window_sums(sim: MerchantSim) -> dict[str, float]:
    """Expected GMV over the cohort window with and without the programme."""
    inside = _in_window(sim)
    aov = sim.m.aov[None, :]
    without = (sim.base * aov)[inside]
    with_ = ((sim.lam * aov + _campaign_gmv(sim)) * sim.f)[inside]
    return {
        "with": float(with_.sum()),
        "without": float(without.sum()),
        "with_private": float(with_[:, PRIVATE].sum()),
        "without_private": float(without[:, PRIVATE].sum()),
    }


def _truth(sim: MerchantSim) -> dict[str, object]:
    m, sums = sim.m, _window_sums(sim)
    s, e = m.window if m.window is not None else (0, N_DAYS - 1)
    when = {"start": fmt.dates(np.array([s]))[0], "end": fmt.dates(np.array([e]))[0]}
    effect = sums["with"] / sums["without"] - 1 if m.window is not None else 0.0
    private = sums["with_private"] / sums["without_private"] - 1 if m.window is not None else 0.0
    return {
        "merchant_id": m.merchant_id,
        "cohort_id": m.cohort.cohort_id if m.cohort else None,
        "industry": m.industry,
        "true_effect_total": round(effect, 4),
        "true_effect_private": round(private, 4),
        "peak_private_multiplier": round(1 + m.alpha * m.effect_weight, 3),
        "persistence": round(m.persistence, 3) if m.cohort else None,
        "engagement": round(m.engagement, 3) if m.cohort else None,
        "maturity_dates": when,
        "maturity_start": {
            k: round(float(sim.mat[i, s]), 3)
            for i, k in enumerate(("touchpoints", "performance", "data"))
        },
        "maturity_end": {
            k: round(float(sim.mat[i, e]), 3)
            for i, k in enumerate(("touchpoints", "performance", "data"))
        },
        "roi_showcase": m.roi_showcase,
    }


def _campaign_truth(sim: MerchantSim) -> list[dict[str, object]]:
    scale = np.where(_in_window(sim), sim.f, 1.0)
    out = []
    for c in sim.campaigns:
        gmv = float((c.daily_gmv * scale).sum())
        out.append(
            {
                "campaign_id": c.campaign_id,
                "merchant_id": sim.m.merchant_id,
                "has_holdout": c.holdout_share is not None,
                "holdout_share": c.holdout_share,
                "treatment_size": len(c.treat),
                "holdout_size": len(c.hold),
                "true_lift": round(c.lift, 4),
                "expected_baseline_orders": round(c.baseline_orders, 2),
                "expected_incremental_orders": round(c.expected_orders, 2),
                "expected_incremental_gmv": round(gmv, 2),
                "cost": c.cost,
                "true_roi": round(gmv / c.cost, 3) if c.cost > 0 else None,
                "roi_showcase": c.showcase,
            }
        )
    return out
