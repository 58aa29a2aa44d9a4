"""Clusters: the same data gives the same clusters, k by silhouette, words from profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models import clusters as cl
from models import segments as sg


def buyers(seed: int = 1) -> pd.DataFrame:
    """Two clear groups: 40 recent, frequent, big spenders on two channels and connected;
    60 one-off, long-gone small spenders in one channel, not connected."""
    rng = np.random.default_rng(seed)
    big = pd.DataFrame({
        "days_since_last_order": rng.integers(1, 20, 40), "purchase_days": rng.integers(6, 12, 40),
        "gmv": rng.uniform(3000, 5000, 40), "aov": rng.uniform(300, 400, 40),
        "tenure_days": rng.integers(500, 700, 40), "touchpoint_count": 2, "channel_count": 2,
        "is_cloud_user": True,
    })  # fmt: skip
    small = pd.DataFrame({
        "days_since_last_order": rng.integers(200, 400, 60), "purchase_days": 1,
        "gmv": rng.uniform(50, 120, 60), "aov": rng.uniform(50, 120, 60),
        "tenure_days": rng.integers(200, 400, 60), "touchpoint_count": 0, "channel_count": 1,
        "is_cloud_user": False,
    })  # fmt: skip
    frame = pd.concat([small, big], ignore_index=True)
    frame.insert(0, "customer_id", [f"C{i:03d}" for i in range(len(frame))])
    frame[cl.FEATURES] = frame[cl.FEATURES].astype(float)
    return frame


def test_two_clear_groups_are_found_and_described() -> None:
    result = cl.cluster(buyers())
    assert result is not None
    assert result.k == 2 and set(result.silhouettes) == {2, 3, 4, 5, 6}
    assert result.silhouettes[2] == max(result.silhouettes.values())
    assert result.profiles["customers"].tolist() == [40, 60]  # 1 = most GMV per customer
    assert result.labels["C000"] == 2 and result.labels["C099"] == 1
    assert result.tags[1] == ["recent", "frequent", "high_spend", "connected", "omnichannel"]
    assert result.tags[2] == ["lapsed", "one_off", "low_spend", "unconnected"]
    assert result.profiles["share"].sum() == 1.0
    assert set(result.tags[1]) | set(result.tags[2]) <= set(cl.TAGS)


def test_reproducible() -> None:
    frame = buyers(seed=7)
    noisy = frame.copy()
    rng = np.random.default_rng(3)
    noisy["gmv"] = rng.uniform(10, 5000, len(noisy))  # no clear structure
    first, again = cl.cluster(noisy), cl.cluster(noisy.copy())
    assert first is not None and again is not None
    assert first.k == again.k and first.silhouettes == again.silhouettes
    assert first.labels.equals(again.labels)


def test_too_few_buyers() -> None:
    assert cl.cluster(buyers().head(5)) is None


def test_a_cluster_as_a_segment() -> None:
    definition = cl.definition(["C2", "C1"])
    assert sg.validate(definition) == {
        "match": "all",
        "conditions": [{"field": "customer_id", "op": "in", "value": ["C1", "C2"]}],
    }
