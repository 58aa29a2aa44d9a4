"""The merchant-day mart, step by step on tiny frames (the expressions run on DuckDB here;
tests/pipelines/test_mart_parity.py runs them on every engine), then end to end on the
fixture."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ibis
import pandas as pd
import pytest
from sqlalchemy import Engine

from models.schema import Base, MartMerchantDay, Order, StoreTraffic, TouchpointEvent, table_of
from pipelines import engine
from pipelines.load import load_delivery
from pipelines.marts import (
    cloud_days,
    cloud_user_changes,
    followed_customers,
    merchant_day,
    traffic_days,
)


def typed(frame: pd.DataFrame, model: type[Base]) -> ibis.Table:
    """A memtable of the frame with the staging table's column types (missing columns:
    null)."""
    schema = engine.source(table_of(model)).schema()
    full = frame.copy()
    for name in schema.names:
        if name not in full.columns:
            full[name] = pd.Series([None] * len(full), index=full.index, dtype=object)
    return ibis.memtable(full[list(schema.names)], schema=schema)


def events(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["merchant_id", "customer_id", "touchpoint", "action", "at"])
    frame["occurred_at"] = pd.to_datetime(frame.pop("at"))
    frame["occurred_on"] = frame["occurred_at"].dt.date
    frame["event_id"] = [f"e{k}" for k in range(len(frame))]
    return frame


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # one follow: one new cloud user that day
        ([("M", "a", "mini_program", "follow", "2024-01-01 10:00")], {date(2024, 1, 1): 1}),
        # following twice counts once
        (
            [
                ("M", "a", "mini_program", "follow", "2024-01-01 10:00"),
                ("M", "a", "mini_program", "follow", "2024-01-02 10:00"),
            ],
            {date(2024, 1, 1): 1},
        ),
        # join then leave: +1, then -1
        (
            [
                ("M", "a", "community", "join_group", "2024-01-01 10:00"),
                ("M", "a", "community", "leave_group", "2024-01-03 10:00"),
            ],
            {date(2024, 1, 1): 1, date(2024, 1, 3): -1},
        ),
        # still connected through a second format after leaving the first
        (
            [
                ("M", "a", "mini_program", "follow", "2024-01-01 10:00"),
                ("M", "a", "wecom_guide", "add_contact", "2024-01-02 10:00"),
                ("M", "a", "mini_program", "unfollow", "2024-01-03 10:00"),
            ],
            {date(2024, 1, 1): 1},
        ),
        # a leave without a join changes nothing
        ([("M", "a", "community", "leave_group", "2024-01-01 10:00")], {}),
        # two customers the same day
        (
            [
                ("M", "a", "mini_program", "follow", "2024-01-01 10:00"),
                ("M", "b", "wecom_guide", "add_contact", "2024-01-01 11:00"),
            ],
            {date(2024, 1, 1): 2},
        ),
    ],
)
def test_cloud_user_changes(rows: list, expected: dict[date, int]) -> None:
    out = cloud_user_changes(ibis.memtable(events(rows))).to_pandas()
    days = pd.to_datetime(out["date"]).dt.date
    got = {d: int(n) for d, n in zip(days, out["new_cloud_users"], strict=True) if n}
    assert got == expected


def test_traffic_prefers_store_rows_over_merchant_row() -> None:
    traffic = pd.DataFrame(
        {
            "merchant_id": ["M", "M", "M", "N"],
            "store_id": ["S1", "S2", "", ""],
            "date": [date(2024, 1, 1)] * 4,
            "visitors": [10, 20, 99, 10],
            "identified_visitors": [5, 7, 50, 4],
        }
    )
    out = traffic_days(ibis.memtable(traffic)).to_pandas().sort_values("merchant_id")
    assert out["visitors"].tolist() == [30, 10]
    assert out["identified_visitors"].tolist() == [12, 4]


def test_merchant_day_fills_every_day_and_accumulates_cloud_users() -> None:
    orders = pd.DataFrame(
        {
            "merchant_id": ["M", "M"],
            "order_id": ["o1", "o2"],
            "ordered_on": [date(2024, 1, 1), date(2024, 1, 4)],
            "channel": ["store", "store"],
            "gmv": [10.0, 5.0],
            "refund": [0.0, 0.0],
            "customer_id": ["a", None],
        }
    )
    traffic = pd.DataFrame(columns=["merchant_id", "store_id", "date", "visitors"])
    cloud = events(
        [
            ("M", "a", "mini_program", "follow", "2024-01-02 10:00"),
            ("M", "b", "community", "join_group", "2024-01-02 11:00"),
            ("M", "b", "community", "leave_group", "2024-01-03 11:00"),
        ]
    )
    calendar = pd.DataFrame({"day": [date(2024, 1, d) for d in range(1, 8)]})
    partitions = pd.DataFrame({"merchant_id": ["M"], "from_day": [date(1900, 1, 1)]})
    parts = ibis.memtable(partitions, schema={"merchant_id": "string", "from_day": "date"})
    cloud_t = typed(cloud, TouchpointEvent)
    tables = [
        typed(orders, Order),
        typed(traffic, StoreTraffic),
        cloud_days(typed(cloud, TouchpointEvent), parts, followed_customers(cloud_t, parts)),
        ibis.memtable(calendar, schema={"day": "date"}),
        parts,
    ]
    out = merchant_day(*tables).to_pandas().sort_values("date")
    assert [d.date() for d in pd.to_datetime(out["date"])] == [
        date(2024, 1, d) for d in (1, 2, 3, 4)
    ]
    assert out["gmv"].tolist() == [10.0, 0.0, 0.0, 5.0]
    assert out["orders"].tolist() == [1, 0, 0, 1]
    assert out["cloud_users"].tolist() == [0, 2, 1, 1]


def test_a_later_partition_carries_cloud_users_from_the_days_before_it() -> None:
    """Rebuilt from 01-04: the mart holds 01-01 to 01-03 (a and b became cloud users on
    01-02: 2 carried in). On the partition's days a follows again (no change: a follows
    since 01-02, which only its history before 01-04 tells), b leaves on 01-05, c follows
    on 01-06; d's events are all before 01-04 and are not read."""
    cloud = events(
        [
            ("M", "a", "mini_program", "follow", "2024-01-02 10:00"),
            ("M", "b", "community", "join_group", "2024-01-02 11:00"),
            ("M", "d", "community", "join_group", "2024-01-01 11:00"),
            ("M", "d", "community", "leave_group", "2024-01-03 11:00"),
            ("M", "a", "mini_program", "follow", "2024-01-04 10:00"),
            ("M", "b", "community", "leave_group", "2024-01-05 11:00"),
            ("M", "c", "wecom_guide", "add_contact", "2024-01-06 09:00"),
        ]
    )
    parts = ibis.memtable(
        pd.DataFrame({"merchant_id": ["M"], "from_day": [date(2024, 1, 4)]}),
        schema={"merchant_id": "string", "from_day": "date"},
    )
    before = pd.DataFrame(
        {
            "merchant_id": ["M"] * 3,
            "date": [date(2024, 1, d) for d in (1, 2, 3)],
            "new_cloud_users": [1, 2, -1],  # d joins 01-01, a and b 01-02, d leaves 01-03
            "cloud_users": [1, 3, 2],
        }
    )
    e = typed(cloud, TouchpointEvent)
    followed = followed_customers(e, parts).to_pandas()
    assert sorted(followed["customer_id"]) == ["a", "b", "c"]
    changes = cloud_days(e, parts, ibis.memtable(followed), typed(before, MartMerchantDay))
    changes_t = changes
    changes = changes.to_pandas().sort_values("date")
    changes["date"] = pd.to_datetime(changes["date"]).dt.date
    assert changes.drop(columns="merchant_id").to_dict("list") == {
        "date": [date(2024, 1, d) for d in (4, 5, 6)],
        "new_cloud_users": [0, -1, 1],
        "carried": [2, 0, 0],
    }
    empty = pd.DataFrame(columns=["merchant_id", "store_id", "date", "visitors"])
    calendar = pd.DataFrame({"day": [date(2024, 1, d) for d in range(1, 8)]})
    out = merchant_day(
        typed(pd.DataFrame(columns=["merchant_id", "ordered_on", "gmv"]), Order),
        typed(empty, StoreTraffic),
        changes_t,
        ibis.memtable(calendar, schema={"day": "date"}),
        parts,
    )
    out = out.to_pandas().sort_values("date")
    assert [d.date() for d in pd.to_datetime(out["date"])] == [date(2024, 1, d) for d in (4, 5, 6)]
    assert out["new_cloud_users"].tolist() == [0, -1, 1]
    assert out["cloud_users"].tolist() == [2, 1, 2]


def mart(engine: Engine) -> pd.DataFrame:
    frame = pd.read_sql_table("mart_merchant_day", engine)
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return frame.set_index(["merchant_id", "date"]).sort_index()


def test_mart_from_the_fixture_delivery(engine: Engine, tiny_delivery_dir: Path) -> None:
    report = load_delivery(tiny_delivery_dir, engine=engine)
    assert report.status == "loaded", report.message
    m = mart(engine)
    # M1: 2024-02-10 store 280 by c1 (c1 new); 2024-03-01 mini-program 300 by c1 (repeat);
    # 2024-03-05 guide 200 by c2 (new). Its traffic: 100 visitors, 40 identified on 03-01.
    first = m.loc[("M1", date(2024, 2, 10))]
    assert (first.gmv, first.orders, first.buyers, first.new_buyers) == (280, 1, 1, 1)
    assert first.gmv_store == 280 and first.private_gmv == 0
    march = m.loc[("M1", date(2024, 3, 1))]
    assert (march.gmv, march.private_gmv, march.gmv_mini_program) == (300, 300, 300)
    assert (march.new_buyers, march.repeat_buyers) == (0, 1)
    assert (march.visitors, march.identified_visitors) == (100, 40)
    fifth = m.loc[("M1", date(2024, 3, 5))]
    assert (fifth.gmv_wecom_guide, fifth.new_buyers, fifth.identified_orders) == (200, 1, 1)
    # M1's days run from its first data (follow on 02-10) to its last (unfollow on 03-06).
    days = m.loc["M1"].index
    assert days.min() == date(2024, 2, 10) and days.max() == date(2024, 3, 6)
    assert len(days) == 26
    # cloud users of M1: c1 follows 02-10, c2 added 03-05, c1 unfollows 03-06.
    assert m.loc[("M1", date(2024, 3, 4))].cloud_users == 1
    assert m.loc[("M1", date(2024, 3, 5))].cloud_users == 2
    assert m.loc[("M1", date(2024, 3, 6))].cloud_users == 1
    # M2: an anonymous store order, then a community order with a refund of 20.
    assert m.loc[("M2", date(2024, 2, 15))].anonymous_orders == 1
    community = m.loc[("M2", date(2024, 3, 2))]
    assert (community.gmv_community, community.refunds, community.cloud_users) == (100, 20, 1)
    # M3 has a merchant-level traffic row only.
    assert m.loc[("M3", date(2024, 3, 3))].visitors == 10
    assert m["gmv"].sum() == pytest.approx(1260)
