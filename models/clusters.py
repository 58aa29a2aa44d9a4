"""Clusters of a merchant's buyers: scaling + KMeans on RFM and engagement features, k
picked by silhouette over a small range, a fixed random state (the same data always
gives the same clusters). Each cluster is described by tags from its profile (recent /
lapsed, frequent / one-off, high / low spend, connected / unconnected, omnichannel)
which the UI puts into words, and can be saved as a segment (a fixed list of its
customers: `definition`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from models.db import read_frame
from models.schema import table_of
from models.schema_segments import MartCustomerFeatures
from models.scope import Scope
from models.segments.rules import MAX_LIST

RANDOM_STATE = 2018
K_RANGE = range(2, 7)
SILHOUETTE_SAMPLE = 3_000
FEATURES = [
    "days_since_last_order",
    "purchase_days",
    "gmv",
    "aov",
    "tenure_days",
    "touchpoint_count",
    "channel_count",
]
TAGS = (
    "recent",
    "lapsed",
    "frequent",
    "one_off",
    "high_spend",
    "low_spend",
    "connected",
    "unconnected",
    "omnichannel",
)
PROFILE_COLUMNS = ["cluster", "customers", "share", "gmv_share", *FEATURES, "cloud_share"]


def buyers(*, engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    """The features of the merchant's customers with at least one purchase."""
    t = table_of(MartCustomerFeatures).c
    stmt = (
        select(t.customer_id, *[t[c] for c in FEATURES], t.is_cloud_user)
        .where(
            t.merchant_id == merchant_id,
            scope.merchant_filter(t.merchant_id),
            t.purchase_days > 0,
        )
        .order_by(t.customer_id)
    )
    frame = read_frame(engine, stmt)
    frame[FEATURES] = frame[FEATURES].apply(pd.to_numeric).fillna(0).astype(float)
    frame["is_cloud_user"] = frame["is_cloud_user"].astype(bool)
    return frame


@dataclass(frozen=True)
class Clusters:
    k: int
    silhouettes: dict[int, float]
    labels: pd.Series  # cluster number per customer id, 1 = highest GMV per customer
    profiles: pd.DataFrame  # PROFILE_COLUMNS, one row per cluster
    tags: dict[int, list[str]]

    def customers(self, number: int) -> list[str]:
        """The customer ids of cluster `number`."""
        return [str(c) for c in self.labels.index[self.labels == number]]


def _pipeline(k: int) -> Any:
    # scikit-learn is imported when clusters are asked for (a toggle on the segment
    # builder), not with this module: the import alone takes a second, which every page
    # that reaches the segment data (segments, payback) paid on its first view
    from sklearn.cluster import KMeans
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    return make_pipeline(
        FunctionTransformer(np.log1p),
        StandardScaler(),
        KMeans(n_clusters=k, n_init=10, random_state=RANDOM_STATE),
    )


def cluster(frame: pd.DataFrame, k_range: range = K_RANGE) -> Clusters | None:
    """Cluster the buyers of `buyers()`; None when there are too few to split."""
    from sklearn.metrics import silhouette_score  # see `_pipeline`

    ks = [k for k in k_range if k < len(frame)]
    if len(frame) < 10 or not ks:
        return None
    x = frame[FEATURES].clip(lower=0).to_numpy()
    fitted: dict[int, np.ndarray] = {}
    scores: dict[int, float] = {}
    for k in ks:
        pipe = _pipeline(k)
        labels = pipe.fit_predict(x)
        if len(set(labels)) < 2:
            continue
        scaled = pipe[:-1].transform(x)
        scores[k] = float(
            silhouette_score(
                scaled,
                labels,
                sample_size=min(SILHOUETTE_SAMPLE, len(frame)),
                random_state=RANDOM_STATE,
            )
        )
        fitted[k] = labels
    if not scores:
        return None
    best = max(scores, key=lambda k: (round(scores[k], 6), -k))
    raw = pd.Series(fitted[best], index=frame.index)
    per_customer = frame["gmv"].groupby(raw).mean().sort_values(ascending=False)
    renumber = {old: new for new, old in enumerate(per_customer.index, start=1)}
    labels = raw.map(renumber)
    profiles = profile(frame, labels)
    return Clusters(
        k=best,
        silhouettes=scores,
        labels=pd.Series(labels.to_numpy(), index=frame["customer_id"].to_numpy()),
        profiles=profiles,
        tags=describe(frame, profiles),
    )


def profile(frame: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Per cluster: size, share of buyers, share of GMV, feature medians, cloud share."""
    grouped = frame.assign(cluster=labels).groupby("cluster")
    out = grouped[FEATURES].median()
    out["customers"] = grouped.size()
    out["share"] = out["customers"] / len(frame)
    total = frame["gmv"].sum()
    out["gmv_share"] = grouped["gmv"].sum() / total if total else 0.0
    out["cloud_share"] = grouped["is_cloud_user"].mean()
    return out.reset_index()[PROFILE_COLUMNS]


def describe(frame: pd.DataFrame, profiles: pd.DataFrame) -> dict[int, list[str]]:
    """Tags of each cluster against all buyers: a median in the lowest or highest third
    of the buyers' values, a cloud share under a third or over two thirds."""
    low = frame[FEATURES].quantile(1 / 3)
    high = frame[FEATURES].quantile(2 / 3)
    tags: dict[int, list[str]] = {}
    for row in profiles.itertuples(index=False):
        found: list[str] = []
        days, freq, gmv = row.days_since_last_order, row.purchase_days, row.gmv
        if days <= low["days_since_last_order"]:
            found.append("recent")
        elif days >= high["days_since_last_order"]:
            found.append("lapsed")
        if freq > high["purchase_days"] or (freq >= 2 and freq >= high["purchase_days"]):
            found.append("frequent")
        elif freq <= 1:
            found.append("one_off")
        if gmv >= high["gmv"]:
            found.append("high_spend")
        elif gmv <= low["gmv"]:
            found.append("low_spend")
        if row.cloud_share >= 2 / 3:
            found.append("connected")
        elif row.cloud_share <= 1 / 3:
            found.append("unconnected")
        if row.channel_count >= 2:
            found.append("omnichannel")
        tags[int(row.cluster)] = found
    return tags


def definition(customer_ids: list[str]) -> dict[str, Any]:
    """A cluster as a segment definition: the fixed list of its customers."""
    if len(customer_ids) > MAX_LIST:
        raise ValueError(f"a saved cluster holds at most {MAX_LIST:,} customers")
    return {
        "match": "all",
        "conditions": [{"field": "customer_id", "op": "in", "value": sorted(customer_ids)}],
    }
