"""The customer features mart on hand-checked staging rows (SQLite and PostgreSQL), and
the repurchase tiers against an independent pandas count on the demo delivery's CSVs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import ibis
import pandas as pd
import pytest
from sqlalchemy import Engine, insert, select

from models import segments as sg
from models.db import make_engine
from models.schema import Customer, Merchant, Order, TouchpointEvent, table_of
from models.schema_segments import MartCustomerFeatures
from models.scope import Scope
from pipelines import marts
from pipelines.customer_scores import score_frequency, score_quintile


def _order(
    n: int, customer: str | None, at: str, channel: str, gmv: float, **extra: object
) -> dict:
    when = datetime.fromisoformat(at)
    return {
        "merchant_id": "M1",
        "order_id": f"O{n}",
        "ordered_at": when,
        "ordered_on": when.date(),
        "channel": channel,
        "gmv": gmv,
        "customer_id": customer,
        "refund": 0.0,
        "store_id": None,
        "guide_id": None,
    } | extra


def _event(
    n: int, customer: str, touchpoint: str, action: str, at: str, guide: str | None = None
) -> dict:
    when = datetime.fromisoformat(at)
    return {
        "merchant_id": "M1",
        "event_id": f"E{n}",
        "customer_id": customer,
        "touchpoint": touchpoint,
        "action": action,
        "occurred_at": when,
        "occurred_on": when.date(),
        "guide_id": guide,
    }


@pytest.fixture
def built(engine: Engine) -> Engine:
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Merchant)),
            [{"merchant_id": "M1", "name": "One", "industry": "grocery"}],
        )
        connection.execute(
            insert(table_of(Customer)),
            [
                {"merchant_id": "M1", "customer_id": "C1", "first_seen_on": date(2019, 12, 1),
                 "member_level": "gold", "source": "file"},
                {"merchant_id": "M1", "customer_id": "C4", "first_seen_on": date(2020, 1, 30),
                 "member_level": "gold", "source": "file"},
            ],
        )  # fmt: skip
        connection.execute(
            insert(table_of(Order)),
            [
                _order(1, "C1", "2020-01-01 10:00", "store", 100, store_id="S1", guide_id="G1"),
                _order(2, "C1", "2020-01-01 15:00", "mini_program", 50),  # same day: 1 purchase
                _order(3, "C1", "2020-01-05 09:00", "store", 80, refund=80.0, store_id="S1"),
                _order(4, "C1", "2020-01-10 09:00", "store", 70, refund=20.0, store_id="S2"),
                _order(5, "C2", "2020-01-20 09:00", "community", 40),
                _order(6, None, "2020-01-25 09:00", "store", 30),
            ],
        )
        connection.execute(
            insert(table_of(TouchpointEvent)),
            [
                _event(1, "C2", "community", "join_group", "2020-01-02 08:00"),
                _event(2, "C3", "mini_program", "follow", "2020-01-03 08:00"),
                _event(3, "C3", "mini_program", "unfollow", "2020-01-04 08:00"),
                _event(4, "C3", "wecom_guide", "add_contact", "2020-01-05 08:00", "G7"),
                _event(5, "C4", "official_account", "follow", "2020-01-30 08:00"),
            ],
        )
        written = marts.rebuild(connection, ["M1"])
    assert written["mart_customer_features"] == 4
    return engine


def _rows(engine: Engine) -> dict[str, dict]:
    with engine.connect() as connection:
        rows = connection.execute(select(table_of(MartCustomerFeatures))).mappings().all()
    return {r["customer_id"]: dict(r) for r in rows}


def test_features_by_hand(built: Engine) -> None:
    rows = _rows(built)
    assert set(rows) == {"C1", "C2", "C3", "C4"}  # the walk-in is nobody
    c1, c2, c3, c4 = rows["C1"], rows["C2"], rows["C3"], rows["C4"]
    assert {r["as_of"] for r in rows.values()} == {date(2020, 1, 30)}
    assert (c1["orders"], c1["purchase_days"], c1["repurchases"]) == (4, 2, 1)
    assert (c1["gmv"], c1["refunds"], c1["aov"]) == (300.0, 100.0, 75.0)
    assert (c1["first_order_on"], c1["last_order_on"]) == (date(2020, 1, 1), date(2020, 1, 10))
    assert (c1["days_since_last_order"], c1["days_since_first_order"], c1["tenure_days"]) == (
        20,
        29,
        60,
    )
    assert c1["channels"] == "store, mini_program" and c1["channel_count"] == 2
    assert c1["ch_store"] and c1["ch_mini_program"] and not c1["ch_community"]
    assert (c1["store_id"], c1["guide_id"], c1["member_level"]) == ("S1", "G1", "gold")
    assert not c1["is_cloud_user"] and c1["touchpoint_count"] == 0
    assert (c1["r_score"], c1["f_score"], c1["m_score"], c1["rfm_segment"]) == (
        1,
        2,
        3,
        "hibernating",
    )

    assert (c2["purchase_days"], c2["repurchases"], c2["days_since_last_order"]) == (1, 0, 10)
    assert c2["is_community_member"] and c2["is_cloud_user"] and c2["tenure_days"] == 28
    assert (c2["r_score"], c2["f_score"], c2["m_score"], c2["rfm_segment"]) == (
        3,
        1,
        1,
        "about_to_sleep",
    )

    assert c3["orders"] == 0 and c3["last_order_on"] is None and c3["aov"] is None
    assert not c3["is_fan"] and c3["is_guide_contact"] and c3["is_cloud_user"]
    assert c3["guide_id"] == "G7" and c3["tenure_days"] == 27
    assert c3["r_score"] is None and c3["rfm_segment"] is None

    assert c4["orders"] == 0 and not c4["is_cloud_user"] and c4["tenure_days"] == 0


def test_rebuild_replaces_rows(built: Engine) -> None:
    with built.begin() as connection:
        connection.execute(
            insert(table_of(Order)),
            [
                _order(7, "C3", "2020-01-30 10:00", "wecom_guide", 10),
                _order(8, "C4", "2020-01-29 10:00", "store", 0),  # free, not refunded: bought
            ],
        )
        marts.rebuild(connection, ["M1"])
    rows = _rows(built)
    assert len(rows) == 4 and rows["C3"]["orders"] == 1 and rows["C3"]["days_since_last_order"] == 0
    assert rows["C4"]["purchase_days"] == 1 and rows["C4"]["last_order_on"] == date(2020, 1, 29)


def _scored(values: list[float], score: Callable[[ibis.Table], ibis.Table]) -> list[int]:
    """The score `s` of each value, computed by the engine (DuckDB) in the values' order."""
    table = ibis.memtable({"k": list(range(len(values))), "g": "M", "v": values})
    frame = score(table).order_by("k").to_pandas()
    return [int(s) for s in frame["s"]]


def test_scores() -> None:
    by_value = lambda t: score_quintile(t, "v", "g", "s")  # noqa: E731
    assert _scored([10.0, 20, 30, 40, 50], by_value) == [1, 2, 3, 4, 5]
    assert _scored([5.0, 5, 5, 9], by_value) == [1, 1, 1, 4]
    lower_better = lambda t: score_quintile(t, "v", "g", "s", descending=True)  # noqa: E731
    assert _scored([5.0, 5, 5, 9], lower_better) == [2, 2, 2, 1]
    frequency = lambda t: t.mutate(s=score_frequency(t.v))  # noqa: E731
    assert _scored([1, 2, 3, 4, 5, 6, 40], frequency) == [1, 2, 3, 4, 4, 5, 5]


def independent_tiers(folder: Path) -> pd.DataFrame:
    """The published tiers counted straight from the delivery's CSVs with pandas: a
    purchase is an order not wholly refunded, orders of one day are one purchase."""
    orders = pd.read_csv(folder / "orders.csv", dtype=str)
    orders = orders[orders["customer_id"].notna()].copy()
    orders["gmv"] = orders["gmv"].astype(float)
    orders["refund"] = orders["refund"].fillna("0").astype(float)
    orders["day"] = orders["ordered_at"].str[:10]
    bought = orders[(orders["refund"] <= 0) | (orders["refund"] < orders["gmv"])]
    days = bought.groupby(["merchant_id", "customer_id"])["day"].nunique()
    gmv = orders.groupby(["merchant_id", "customer_id"])["gmv"].sum()
    frame = pd.DataFrame({"days": days, "gmv": gmv}).fillna({"days": 0}).reset_index()
    repurchases = frame["days"] - 1
    frame["tier"] = None
    frame.loc[frame["days"] == 1, "tier"] = "first_purchase_not_repurchased"
    frame.loc[repurchases.between(2, 5), "tier"] = "repurchased_2_to_5"
    frame.loc[repurchases > 5, "tier"] = "repurchased_more_than_5"
    return frame


def test_repurchase_tiers_agree_with_pandas_on_the_demo(
    demo_db_url: str, demo_delivery_dir: Path
) -> None:
    expected = independent_tiers(demo_delivery_dir)
    engine = make_engine(demo_db_url)
    tiers = sg.TEMPLATES["repurchase_tiers"].tiers
    checked = 0
    for merchant_id in ("M006", "M007", "M030", "M050"):
        mine = expected[expected["merchant_id"] == merchant_id]
        got = sg.members(
            engine=engine, scope=Scope.executive(), merchant_id=merchant_id, tiers=tiers
        )
        want = mine[mine["tier"].notna()].sort_values("customer_id")
        assert list(got["customer_id"]) == list(want["customer_id"])
        assert list(got["segment"]) == list(want["tier"])
        stats = sg.tier_stats(
            engine=engine, scope=Scope.executive(), merchant_id=merchant_id, tiers=tiers
        )
        for row in stats.itertuples(index=False):
            in_tier = mine[mine["tier"] == row.segment]
            assert row.customers == len(in_tier)
            assert row.gmv == pytest.approx(in_tier["gmv"].sum(), abs=0.01)
        checked += len(want)
    assert checked > 500
    engine.dispose()
