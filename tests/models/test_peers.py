"""A merchant beside its peers: hand-checked quartiles, at least five peers, no names."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from models import peers
from models.schema import MartMerchantDay, Merchant
from models.scope import Scope

DAY = date(2024, 3, 1)


def test_compare_by_hand() -> None:
    others = pd.DataFrame({m: [10.0, 20.0, 30.0, 40.0, 50.0] for m in peers.METRICS})
    own = pd.Series(dict.fromkeys(peers.METRICS, 30.0))
    table = peers.compare(own, others).set_index("metric")
    row = table.loc["daily_gmv"]
    assert (row.peer_p25, row.peer_median, row.peer_p75) == (20.0, 30.0, 40.0)
    assert row.percentile == 50.0  # two below, one tie counting half: 2.5 of 5


def test_compare_shows_nothing_for_fewer_than_five() -> None:
    others = pd.DataFrame({m: [1.0, 2.0, 3.0, 4.0] for m in peers.METRICS})
    table = peers.compare(pd.Series(dict.fromkeys(peers.METRICS, 2.0)), others)
    assert table[["peer_median", "percentile"]].isna().all().all()


def _world(engine: Engine, cohort_size: int) -> None:
    merchants = [
        {"merchant_id": f"M{i}", "name": f"Shop {i}", "industry": "grocery", "cohort_id": "C1"}
        for i in range(cohort_size)
    ]
    days = [
        {
            "merchant_id": f"M{i}",
            "date": DAY,
            "gmv": 100.0 * (i + 1),
            "orders": 1,
            "private_gmv": 10.0 * i,
            "visitors": 10,
            "identified_visitors": i,
            "buyers": 2,
            "repeat_buyers": 1,
            "cloud_users": i,
        }
        for i in range(cohort_size)
    ]
    with engine.begin() as connection:
        connection.execute(insert(Merchant.__table__), merchants)
        connection.execute(insert(MartMerchantDay.__table__), days)


def test_peers_of_a_merchant(engine: Engine) -> None:
    _world(engine, 6)
    me = Scope.merchant("M0")
    result = peers.merchant_vs_peers(engine=engine, scope=me, merchant_id="M0", start=DAY, end=DAY)
    assert result is not None
    table, n, kind, label = result
    assert (n, kind, label) == (5, "cohort", "C1")
    row = table.set_index("metric").loc["daily_gmv"]
    assert row.own == 100.0 and row.peer_median == 400.0 and row.percentile == 0.0
    assert not any(f"M{i}" in table.to_csv() for i in range(1, 6))  # no peer named
    daily = peers.peer_median_daily_gmv(
        engine=engine, scope=me, merchant_id="M0", start=DAY, end=DAY
    )
    assert daily is not None and daily[["own", "peer_median"]].values.tolist() == [[100.0, 400.0]]


def test_four_peers_are_not_enough(engine: Engine) -> None:
    _world(engine, 5)
    assert (
        peers.merchant_vs_peers(
            engine=engine, scope=Scope.merchant("M0"), merchant_id="M0", start=DAY, end=DAY
        )
        is None
    )


def test_a_merchant_outside_the_scope_is_refused(engine: Engine) -> None:
    _world(engine, 6)
    with pytest.raises(peers.OutOfScope):
        peers.merchant_vs_peers(
            engine=engine, scope=Scope.merchant("M0"), merchant_id="M1", start=DAY, end=DAY
        )


def _staggered(engine: Engine, peers_per_day: dict[int, int]) -> None:
    """M0 and six peers; on day d only the first `peers_per_day[d]` peers have a row, peer
    Mi with GMV 100 * i."""
    merchants = [
        {"merchant_id": f"M{i}", "name": f"Shop {i}", "industry": "grocery", "cohort_id": "C1"}
        for i in range(7)
    ]
    days = [
        {
            "merchant_id": f"M{i}",
            "date": date(2024, 3, day),
            "gmv": 100.0 * i if i else 50.0,
            "orders": 1,
            "private_gmv": 0.0,
            "visitors": 1,
            "identified_visitors": 0,
            "buyers": 1,
            "repeat_buyers": 0,
            "cloud_users": 0,
        }
        for day, count in peers_per_day.items()
        for i in range(count + 1)
    ]
    with engine.begin() as connection:
        connection.execute(insert(Merchant.__table__), merchants)
        connection.execute(insert(MartMerchantDay.__table__), days)


@pytest.mark.parametrize(
    "peers_per_day, expected",
    [
        # day -> peers with a row; expected median per day (None: blank)
        ({1: 6, 2: 1, 3: 5}, {1: 350.0, 2: None, 3: 300.0}),
        ({1: 4, 2: 6, 3: 2}, {1: None, 2: 350.0, 3: None}),
        ({1: 5, 2: 3, 3: 6, 4: 4}, {1: 300.0, 2: None, 3: 350.0, 4: None}),
    ],
)
def test_days_with_one_to_four_peers_are_blank(
    engine: Engine, peers_per_day: dict[int, int], expected: dict[int, float | None]
) -> None:
    _staggered(engine, peers_per_day)
    last = max(peers_per_day)
    daily = peers.peer_median_daily_gmv(
        engine=engine,
        scope=Scope.merchant("M0"),
        merchant_id="M0",
        start=date(2024, 3, 1),
        end=date(2024, 3, last),
    )
    assert daily is not None
    got = {
        pd.Timestamp(d).day: (None if pd.isna(m) else float(m))
        for d, m in zip(daily["date"], daily["peer_median"], strict=True)
    }
    assert got == expected
    assert daily["peers"].tolist() == [peers_per_day[d] for d in sorted(peers_per_day)]
    assert daily["own"].tolist() == [50.0] * len(peers_per_day)


@pytest.mark.parametrize("contributors, shown", [(0, False), (1, False), (4, False), (5, True)])
def test_one_rule_owns_the_threshold(contributors: int, shown: bool) -> None:
    assert peers.enough(contributors) is shown
