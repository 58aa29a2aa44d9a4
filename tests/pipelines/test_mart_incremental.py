"""Incremental marts: a re-delivery rebuilds only the partitions it changed (and the days
after them), and every mart is exactly what a full `rebuild-marts` gives."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select, update

from models.schema import Merchant
from models.schema_connections import MartConnectionIndicator, MartConnectionStock
from pipelines import mart_customers, marts
from pipelines.engine import Delivery
from pipelines.load import load_delivery

ORDERS = (
    "order_id,merchant_id,ordered_at,channel,gmv,store_id,customer_id,guide_id,campaign_id,refund\n"
)
EVENTS = "event_id,merchant_id,customer_id,touchpoint,action,occurred_at,guide_id,group_id\n"

# Re-deliveries of the tiny fixture, by what they change:
REDELIVERIES = {
    # O4 corrected (200 -> 250) and a new order of c3 on 03-03: M1 from 03-03 on.
    "late_week": (
        ORDERS
        + "O4,M1,2024-03-05 20:00,wecom_guide,250,,c2,G1,,\n"
        + "O9,M1,2024-03-03 12:00,store,80,S1,c3,,,\n",
        "",
        {"M1": date(2024, 3, 3)},
    ),
    # c2 buys earlier (02-12): c2's later order on 03-05 turns from new to repeat.
    "earlier_first_order": (
        ORDERS + "O9,M1,2024-02-12 12:00,store,80,S1,c2,,,\n",
        "",
        {"M1": date(2024, 2, 12)},
    ),
    # A follow on M2 (cloud users carry forward) and an order moved to a later day (O1
    # from 02-10 to 03-04: the guard sees the mart still counting it before 03-04).
    "moved_order_and_event": (
        ORDERS + "O1,M1,2024-03-04 10:00,store,280,S1,c1,,,\n",
        EVENTS + "E9,M2,c9,mini_program,follow,2024-02-20 09:00,,\n",
        {"M1": date(2024, 3, 4), "M2": date(2024, 2, 20)},
    ),
    # A later day of data (the programme's latest day moves from 03-06 to 03-12): the
    # freshness of M2 and M3, whose weeks end later than 03-06, changes though the
    # delivery has no row of theirs.
    "later_last_day": (
        ORDERS + "O9,M1,2024-03-12 12:00,store,80,S1,c3,,,\n",
        "",
        {"M1": date(2024, 3, 12)},
    ),
    # O3 moves from c1 to c2: c1 lost an order though the delivery has no row of c1's
    # (the customer-features mart must not keep c1's row).
    "order_to_another_customer": (
        ORDERS + "O3,M1,2024-03-01 09:15,mini_program,300,,c2,,K1,0\n",
        "",
        {"M1": date(2024, 3, 1)},
    ),
    # E1 (c1 follows) re-delivered as c2's: c1 is no longer a fan.
    "event_to_another_customer": (
        ORDERS,
        EVENTS + "E1,M1,c2,mini_program,follow,2024-02-10 10:05,,\n",
        {"M1": date(2024, 2, 10)},
    ),
}


MARTS = {
    "mart_merchant_day": ["merchant_id", "date"],
    "mart_customer_features": ["merchant_id", "customer_id"],
    "mart_connection_indicators": ["merchant_id", "week", "indicator"],
    "mart_connection_scores": ["merchant_id", "week", "connection"],
    "mart_cohort_windows": ["merchant_id", "cohort_id", "baseline"],
}


def mart(engine: Engine, name: str = "mart_merchant_day") -> pd.DataFrame:
    frame = pd.read_sql_table(name, engine)
    for column in frame.columns:
        if column in ("date", "week", "as_of") or column.endswith("_on"):
            frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame.sort_values(MARTS[name]).reset_index(drop=True)


def every_mart(engine: Engine) -> dict[str, pd.DataFrame]:
    return {name: mart(engine, name) for name in MARTS}


def assert_marts_equal_a_full_rebuild(engine: Engine) -> None:
    """The marts as the deliveries left them equal every merchant rebuilt whole."""
    incremental = every_mart(engine)
    with engine.begin() as connection:
        ids = list(connection.execute(select(Merchant.merchant_id)).scalars())
        marts.rebuild(connection, ids)
    full = every_mart(engine)
    for name in MARTS:
        pd.testing.assert_frame_equal(incremental[name], full[name], check_dtype=False, obj=name)


@pytest.mark.parametrize("case", list(REDELIVERIES))
def test_redelivery_equals_full_rebuild(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path, case: str
) -> None:
    orders, events, first_days = REDELIVERIES[case]
    assert load_delivery(tiny_delivery_dir, engine=engine).status == "loaded"
    again = tmp_path / "again"
    again.mkdir()
    (again / "orders.csv").write_text(orders, encoding="utf-8")
    if events:
        (again / "touchpoint_events.csv").write_text(events, encoding="utf-8")
    report = load_delivery(again, engine=engine)
    assert report.status == "loaded", report.message
    with engine.connect() as connection:
        assert marts.changed_days(connection, report.batch_id) == first_days
    assert_marts_equal_a_full_rebuild(engine)


def test_a_group_made_guide_run_rebuilds_its_merchants_earlier_weeks(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    """c1 joins M1's grp2 on 02-12 with no guide; a later delivery's join (c2, G1, 03-05)
    makes grp2 guide-run, so c1 counts in the guide-run layer from the week of 02-12 on,
    weeks before that delivery's first day: the incremental marts equal a full rebuild."""
    assert load_delivery(tiny_delivery_dir, engine=engine).status == "loaded"
    for n, row in enumerate(
        (
            "E9,M1,c1,community,join_group,2024-02-12 10:00,,grp2",
            "E10,M1,c2,community,join_group,2024-03-05 12:00,G1,grp2",
        )
    ):
        again = tmp_path / f"again{n}"
        again.mkdir()
        (again / "touchpoint_events.csv").write_text(EVENTS + row + "\n", encoding="utf-8")
        report = load_delivery(again, engine=engine)
        assert report.status == "loaded", report.message
    assert_marts_equal_a_full_rebuild(engine)


def test_redelivery_rewrites_only_the_days_from_its_first_day(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    assert load_delivery(tiny_delivery_dir, engine=engine).status == "loaded"
    again = tmp_path / "again"
    again.mkdir()
    (again / "orders.csv").write_text(REDELIVERIES["late_week"][0], encoding="utf-8")
    report = load_delivery(again, engine=engine)
    with engine.begin() as connection:
        written = marts.rebuild_merchant_days(
            connection, ["M1", "M2", "M3"], since=marts.changed_days(connection, report.batch_id)
        )
    # M1's days 03-03 to 03-06; M2 and M3 were not in the delivery.
    assert written == 4
    day = mart(engine).set_index(["merchant_id", "date"]).loc[("M1", date(2024, 3, 5))]
    assert day.gmv == 250


def test_redelivery_rebuilds_the_customer_features_of_the_merchants_it_wrote(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    assert load_delivery(tiny_delivery_dir, engine=engine).status == "loaded"
    again = tmp_path / "again"
    again.mkdir()
    (again / "orders.csv").write_text(REDELIVERIES["late_week"][0], encoding="utf-8")
    report = load_delivery(again, engine=engine)
    before = mart(engine, "mart_customer_features")
    with engine.begin() as connection:
        written = mart_customers.rebuild_customer_features(
            connection, ["M1", "M2", "M3"], delivery=Delivery(report.batch_id)
        )
    # Only the rows of the customers it wrote orders of, c2 and c3 of M1 (the delivery
    # wrote no row of M2's or M3's); the other rows of M1 are rescored in place.
    assert written == 2
    pd.testing.assert_frame_equal(before, mart(engine, "mart_customer_features"))


def test_a_later_last_day_refreshes_merchants_it_did_not_touch(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    """Freshness ends at the programme's latest day: M2 has data in the week of 03-06,
    then a delivery of M1 alone moves the latest day to 03-12, so M2's last week ends
    later (its freshness grows) though the delivery has no row of M2's."""
    assert load_delivery(tiny_delivery_dir, engine=engine).status == "loaded"
    deliveries = (
        ("orders.csv", ORDERS + "O10,M2,2024-03-05 12:00,store,50,,c9,,,\n"),
        ("orders.csv", ORDERS + "O9,M1,2024-03-12 12:00,store,80,S1,c3,,,\n"),
    )
    for k, (name, text) in enumerate(deliveries):
        folder = tmp_path / f"again{k}"
        folder.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
        assert load_delivery(folder, engine=engine).status == "loaded"
    assert_marts_equal_a_full_rebuild(engine)


def indicator(engine: Engine, key: str) -> dict[date, float]:
    rows = mart(engine, "mart_connection_indicators")
    rows = rows[(rows["merchant_id"] == "M1") & (rows["indicator"] == key)]
    return dict(zip(rows["week"], rows["value"], strict=True))


def test_a_week_redelivered_rebuilds_its_week_and_the_trailing_windows_after_it(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    """O3 (M1, Friday 2024-03-01, mini-program 300) re-delivered as sold by guide G1. The
    guide share of private GMV is over the week and the three before it: M1's private
    orders are O3 and O4 (03-05, wecom_guide 200, G1), so the week of 02-26 goes from
    0/300 to 300/300 and the week of 03-04 from 200/500 to 500/500. The weeks before
    02-26 are not rebuilt (a value planted there stays) but for the rejection rate, which
    is over every delivery; and everything equals a full rebuild."""
    assert load_delivery(tiny_delivery_dir, engine=engine).status == "loaded"
    weeks = [date(2024, 2, 5) + timedelta(weeks=k) for k in range(5)]
    share = indicator(engine, "guide_gmv_share")
    assert [share[w] for w in weeks[3:]] == [0.0, 0.4]
    planted = weeks[2]  # the week of 02-19
    fans = indicator(engine, "mp_fans")[planted]
    with engine.begin() as connection:
        connection.execute(
            update(MartConnectionIndicator)
            .where(
                MartConnectionIndicator.merchant_id == "M1",
                MartConnectionIndicator.week == planted,
                MartConnectionIndicator.indicator.in_(["mp_fans", "rejection_rate"]),
            )
            .values(value=99.0)
        )
    again = tmp_path / "again"
    again.mkdir()
    (again / "orders.csv").write_text(
        ORDERS + "O3,M1,2024-03-01 09:15,mini_program,300,,c1,G1,K1,0\n", encoding="utf-8"
    )
    report = load_delivery(again, engine=engine)
    assert report.status == "loaded", report.message
    share = indicator(engine, "guide_gmv_share")
    assert [share[w] for w in weeks[3:]] == [1.0, 1.0]
    assert pd.isna(share[planted])  # no private GMV in its window
    assert indicator(engine, "mp_fans")[planted] == 99.0  # not rebuilt
    assert indicator(engine, "rejection_rate")[planted] == 0.0  # rewritten
    with engine.begin() as connection:
        connection.execute(
            update(MartConnectionIndicator)
            .where(
                MartConnectionIndicator.merchant_id == "M1",
                MartConnectionIndicator.week == planted,
                MartConnectionIndicator.indicator == "mp_fans",
            )
            .values(value=fans)
        )
    assert_marts_equal_a_full_rebuild(engine)


def test_cohorts_redelivered_move_every_merchants_cohort_windows(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    """A cohort's programme moved (C1 from 03-01..03-10 to 02-05..02-15): every merchant's
    window sums move, participants and non-participants, as a full rebuild gives them."""
    assert load_delivery(tiny_delivery_dir, engine=engine).status == "loaded"
    before = mart(engine, "mart_cohort_windows")
    again = tmp_path / "again"
    again.mkdir()
    (again / "cohorts.csv").write_text(
        "cohort_id,name,start_date,end_date,programme\n"
        "C1,Spring cohort,2024-02-05,2024-02-15,doubling_plan\n",
        encoding="utf-8",
    )
    report = load_delivery(again, engine=engine)
    assert report.status == "loaded", report.message
    incremental = mart(engine, "mart_cohort_windows")
    assert not incremental.equals(before)
    with engine.begin() as connection:
        ids = list(connection.execute(select(Merchant.merchant_id)).scalars())
        marts.rebuild(connection, ids)
    full = mart(engine, "mart_cohort_windows")
    pd.testing.assert_frame_equal(incremental, full, check_dtype=False)


def test_a_rebuild_from_a_week_carries_the_stocks_kept_for_the_week_before(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    """The re-delivery of O3 (03-01) rebuilds M1 from the week of 02-26; its WeCom
    contacts carry on from the stocks kept for the week of 02-19, so ten contacts planted
    there show in every week rebuilt, and the weeks before are not touched."""
    assert load_delivery(tiny_delivery_dir, engine=engine).status == "loaded"
    before = indicator(engine, "wecom_contacts")
    stocks = MartConnectionStock.__table__
    with engine.begin() as connection:
        connection.execute(
            update(stocks)
            .where(stocks.c.merchant_id == "M1", stocks.c.week == date(2024, 2, 19))
            .values(wecom_contacts=stocks.c.wecom_contacts + 10)
        )
    again = tmp_path / "again"
    again.mkdir()
    (again / "orders.csv").write_text(
        ORDERS + "O3,M1,2024-03-01 09:15,mini_program,300,,c1,G1,K1,0\n", encoding="utf-8"
    )
    assert load_delivery(again, engine=engine).status == "loaded"
    after = indicator(engine, "wecom_contacts")
    for week, value in before.items():
        assert after[week] == (value + 10 if week >= date(2024, 2, 26) else value), week
