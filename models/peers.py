"""A merchant beside its anonymous peers.

Peers are the other merchants of its cohort (or, outside the programme, of its
industry). Their rows are read only to compute aggregates here; what leaves this module
is the merchant's own figures, peer quartiles and the merchant's percentile. No peer id,
name or single figure is returned.

The k-anonymity rule has one owner, `enough`: every peer aggregate (a quartile, a
percentile, a day's median, any cell) is computed only where at least MIN_PEERS merchants
contribute to that very cell, and is blank (None/NaN) elsewhere. Every peer figure of the
product goes through it (models/connections_queries.py too).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select

from models.connections import percentile_rank
from models.permissions import OutOfScope
from models.schema import MartMerchantDay, Merchant
from models.scope import Scope

MIN_PEERS = 5

_D = MartMerchantDay.__table__.c
_M = Merchant.__table__.c

METRICS = ("daily_gmv", "private_share", "cloud_users", "digitised", "repeat_share")
COLUMNS = ["metric", "own", "peer_p25", "peer_median", "peer_p75", "percentile"]


def enough(contributors: int) -> bool:
    """Whether a peer aggregate over `contributors` distinct merchants may be shown."""
    return contributors >= MIN_PEERS


def median_per_cell(frame: pd.DataFrame, *, by: str, value: str, who: str) -> pd.DataFrame:
    """Per `by` cell: the median of `value` and how many distinct `who` contribute to it;
    the median is NaN where fewer than MIN_PEERS do."""
    cells = frame.groupby(by).agg(median=(value, "median"), contributors=(who, "nunique"))
    cells["median"] = cells["median"].where(cells["contributors"].map(enough))
    return cells


def _in_scope(engine: Engine, scope: Scope, merchant_id: str) -> tuple[str | None, str]:
    stmt = select(_M.cohort_id, _M.industry).where(
        _M.merchant_id == merchant_id, scope.merchant_filter(_M.merchant_id)
    )
    with engine.connect() as connection:
        row = connection.execute(stmt).first()
    if row is None:
        raise OutOfScope(merchant_id)
    return row.cohort_id, row.industry


def peer_group(engine: Engine, scope: Scope, merchant_id: str) -> tuple[str, str, list[str]]:
    """(kind, label, peer ids) — for use inside this module only."""
    cohort_id, industry = _in_scope(engine, scope, merchant_id)
    if cohort_id:
        kind, label, where = "cohort", cohort_id, _M.cohort_id == cohort_id
    else:
        kind, label, where = (
            "industry",
            industry,
            (_M.industry == industry) & _M.cohort_id.is_(None),
        )
    with engine.connect() as connection:
        ids = connection.execute(
            select(_M.merchant_id).where(where, _M.merchant_id != merchant_id)
        ).scalars()
        return kind, label, list(ids)


def _per_merchant(engine: Engine, ids: list[str], start: date, end: date) -> pd.DataFrame:
    days = (end - start).days + 1
    last_cloud = (
        select(_D.merchant_id, _D.cloud_users)
        .where(_D.merchant_id.in_(ids), _D.date <= end)
        .order_by(_D.merchant_id, _D.date.desc())
    )
    stmt = (
        select(
            _D.merchant_id,
            (func.sum(_D.gmv) / days).label("daily_gmv"),
            func.sum(_D.gmv).label("gmv"),
            func.sum(_D.private_gmv).label("private_gmv"),
            func.sum(_D.visitors).label("visitors"),
            func.sum(_D.identified_visitors).label("identified"),
            func.sum(_D.buyers).label("buyers"),
            func.sum(_D.repeat_buyers).label("repeat_buyers"),
        )
        .where(_D.merchant_id.in_(ids), _D.date.between(start, end))
        .group_by(_D.merchant_id)
    )
    with engine.connect() as connection:
        rows = connection.execute(stmt).fetchall()
        cloud_rows = connection.execute(last_cloud).fetchall()
    frame = pd.DataFrame(
        rows,
        columns=[
            "merchant_id",
            "daily_gmv",
            "gmv",
            "private_gmv",
            "visitors",
            "identified",
            "buyers",
            "repeat_buyers",
        ],
    )
    cloud: dict[str, float] = {}
    for merchant, users in cloud_rows:
        cloud.setdefault(merchant, float(users))  # the latest day first
    frame["cloud_users"] = frame["merchant_id"].map(cloud).fillna(0.0)
    frame["private_share"] = frame["private_gmv"] / frame["gmv"].where(frame["gmv"] > 0)
    frame["digitised"] = frame["identified"] / frame["visitors"].where(frame["visitors"] > 0)
    frame["repeat_share"] = frame["repeat_buyers"] / frame["buyers"].where(frame["buyers"] > 0)
    return frame.set_index("merchant_id")


def compare(own: pd.Series, peers: pd.DataFrame) -> pd.DataFrame:
    """The comparison table from one merchant's figures and its peers' (pure)."""
    rows = []
    for metric in METRICS:
        values = peers[metric].dropna().to_numpy(dtype=float)
        mine = own.get(metric)
        mine = None if mine is None or pd.isna(mine) else float(mine)
        if not enough(len(values)):
            p25 = median = p75 = None
        else:
            p25, median, p75 = (float(v) for v in np.percentile(values, [25, 50, 75]))
        rows.append(
            {
                "metric": metric,
                "own": mine,
                "peer_p25": p25,
                "peer_median": median,
                "peer_p75": p75,
                "percentile": percentile_rank(mine, list(values))
                if mine is not None and enough(len(values))
                else None,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def merchant_vs_peers(
    *, engine: Engine, scope: Scope, merchant_id: str, start: date, end: date
) -> tuple[pd.DataFrame, int, str, str] | None:
    """(comparison table, number of peers, peer kind, peer label) for a merchant in scope,
    or None when it has fewer than MIN_PEERS peers with data."""
    kind, label, peer_ids = peer_group(engine, scope, merchant_id)
    if not enough(len(peer_ids)):
        return None
    figures = _per_merchant(engine, [merchant_id, *peer_ids], start, end)
    peers = figures.drop(index=merchant_id, errors="ignore")
    if not enough(len(peers)):
        return None
    own = figures.loc[merchant_id] if merchant_id in figures.index else pd.Series(dtype=float)
    return compare(own, peers), len(peers), kind, label


def peer_median_daily_gmv(
    *, engine: Engine, scope: Scope, merchant_id: str, start: date, end: date
) -> pd.DataFrame | None:
    """Per day: the merchant's GMV, the median GMV of its peers and how many peers have a
    row that day (`peers`). None when the group has fewer than MIN_PEERS peers at all; the
    median is blank (NaN) on each day with fewer than MIN_PEERS peers."""
    _kind, _label, peer_ids = peer_group(engine, scope, merchant_id)
    if not enough(len(peer_ids)):
        return None
    stmt = select(_D.merchant_id, _D.date, _D.gmv).where(
        _D.merchant_id.in_([merchant_id, *peer_ids]), _D.date.between(start, end)
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(
            connection.execute(stmt).fetchall(), columns=["merchant_id", "date", "gmv"]
        )
    peers = frame[frame["merchant_id"] != merchant_id]
    if not enough(peers["merchant_id"].nunique()):
        return None
    cells = median_per_cell(peers, by="date", value="gmv", who="merchant_id")
    own = frame[frame["merchant_id"] == merchant_id].set_index("date")["gmv"].rename("own")
    joined = pd.concat(
        [own, cells["median"].rename("peer_median"), cells["contributors"].rename("peers")],
        axis=1,
    ).sort_index()
    joined["own"] = joined["own"].fillna(0.0)
    joined["peers"] = joined["peers"].fillna(0).astype(int)
    return joined.rename_axis("date").reset_index()
