"""Indicator maths of the connections mart on tiny hand-checked frames (the expressions
run on DuckDB here; tests/pipelines/test_mart_parity.py runs the mart on every engine)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import ibis
import pandas as pd
import pytest

from models.connections import Config, load_config
from pipelines.connections_measure import LEAD_WEEKS, indicators
from pipelines.mart_connections import indicator_rows

CONFIG = load_config()
MON = date(2019, 3, 4)  # a Monday
SCHEMAS = {
    "merchants": {"merchant_id": "string", "industry": "string", "stores": "int64"},
    "days": {"merchant_id": "string", "date": "date", "orders": "int64",
             "identified_orders": "int64", "visitors": "int64",
             "identified_visitors": "int64", "cloud_users": "int64"},
    "events": {"merchant_id": "string", "customer_id": "string", "touchpoint": "string",
               "action": "string", "occurred_at": "timestamp", "occurred_on": "date",
               "guide_id": "string", "group_id": "string", "event_id": "string"},
    "orders": {"merchant_id": "string", "ordered_on": "date", "channel": "string",
               "gmv": "float64", "identity": "string", "guide_id": "string",
               "campaign_id": "string"},
    "guides": {"merchant_id": "string", "guide_id": "string", "role": "string",
               "joined_on": "date", "left_on": "date"},
    "rejection": {"merchant_id": "string", "rejection_rate": "float64"},
}  # fmt: skip


@dataclass
class Inputs:
    """The mart's inputs for a few merchants, as frames."""

    merchants: pd.DataFrame
    days: pd.DataFrame
    events: pd.DataFrame
    orders: pd.DataFrame
    guides: pd.DataFrame
    rejection: pd.DataFrame
    last_day: date | None = None
    from_week: date | None = None  # keep weeks from this day on


def _table(name: str, frame: pd.DataFrame) -> ibis.Table:
    frame = frame.copy()
    if name == "events":
        frame["event_id"] = [f"e{k:04d}" for k in range(len(frame))]  # the rows' order
    frame = frame.astype(object).where(frame.notna(), None)
    return ibis.memtable(frame[list(SCHEMAS[name])], schema=SCHEMAS[name])


def measure(inputs: Inputs, config: Config) -> pd.DataFrame:
    """The indicator rows (merchant_id, week, indicator, value, score), on DuckDB."""
    tables = {name: _table(name, getattr(inputs, name)) for name in SCHEMAS}
    first = None if inputs.from_week is None else inputs.from_week + timedelta(weeks=LEAD_WEEKS)
    bounds = ibis.memtable(
        {"last_day": [inputs.last_day], "first_start": [first]},
        schema={"last_day": "date", "first_start": "date"},
    )
    wide = indicators(**tables, bounds=bounds, config=config)
    return indicator_rows(wide, config).to_pandas()


def _inputs(**frames: pd.DataFrame) -> Inputs:
    days = pd.DataFrame(
        {
            "merchant_id": "M1",
            "date": [MON, date(2019, 3, 10)],
            "orders": [4, 6],
            "identified_orders": [2, 3],
            "visitors": [100, 100],
            "identified_visitors": [40, 70],
            "cloud_users": [8, 10],
        }
    )
    empty_events = pd.DataFrame(
        columns=["merchant_id", "customer_id", "touchpoint", "action", "occurred_at",
                 "occurred_on", "guide_id", "group_id"]
    )  # fmt: skip
    empty_orders = pd.DataFrame(
        columns=["merchant_id", "ordered_on", "channel", "gmv", "identity", "guide_id",
                 "campaign_id"]
    )  # fmt: skip
    base = {
        "merchants": pd.DataFrame({"merchant_id": ["M1"], "industry": ["apparel"], "stores": [2]}),
        "days": days,
        "events": empty_events,
        "orders": empty_orders,
        "guides": pd.DataFrame(columns=["merchant_id", "guide_id", "role", "joined_on", "left_on"]),
        "rejection": pd.DataFrame({"merchant_id": ["M1"], "rejection_rate": [0.05]}),
    }
    base.update(frames)
    return Inputs(**base, last_day=date(2019, 3, 10))


def _value(values: pd.DataFrame, indicator: str) -> float:
    row = values[values["indicator"] == indicator]
    assert len(row) == 1, indicator
    return float(row["value"].iloc[0])


def test_day_indicators() -> None:
    values = measure(_inputs(), CONFIG)
    assert _value(values, "digitised_share") == pytest.approx(110 / 200)
    assert _value(values, "identified_order_share") == pytest.approx(5 / 10)
    assert _value(values, "cloud_users") == 10
    assert _value(values, "cloud_users_per_store") == 5
    assert _value(values, "rejection_rate") == pytest.approx(0.05)


def _event(cid: str, tp: str, action: str, day: int, guide: str | None = None, group=None):
    return ("M1", cid, tp, action, datetime(2019, 3, day, 10), date(2019, 3, day), guide, group)


def test_touchpoint_indicators() -> None:
    events = pd.DataFrame(
        [
            _event("c1", "mini_program", "follow", 4),
            _event("c1", "mini_program", "follow", 5),  # a repeated join counts once
            _event("c1", "mini_program", "visit", 5),
            _event("c2", "mini_program", "follow", 4),
            _event("c2", "mini_program", "unfollow", 6),
            _event("c3", "wecom_guide", "add_contact", 4, "G1"),
            _event("c3", "wecom_guide", "message", 5, "G1"),
            _event("c3", "wecom_guide", "message", 6, "G1"),
            _event("c3", "wecom_guide", "message", 7, "G1"),
            _event("c4", "wecom_guide", "add_contact", 4, "G1"),
            _event("c5", "community", "join_group", 4, "G2", "K1"),
            _event("c5", "community", "post", 5, None, "K1"),
            _event("c6", "community", "join_group", 4, None, "K2"),
        ],
        columns=["merchant_id", "customer_id", "touchpoint", "action", "occurred_at",
                 "occurred_on", "guide_id", "group_id"],
    )  # fmt: skip
    guides = pd.DataFrame(
        {
            "merchant_id": "M1",
            "guide_id": ["G1", "G3", "G2"],
            "role": ["sales", "sales", "acquisition"],
            "joined_on": [date(2018, 1, 1), None, date(2018, 1, 1)],
            "left_on": [None, None, None],
        }
    )
    values = measure(_inputs(events=events, guides=guides), CONFIG)
    assert _value(values, "mp_fans") == 1  # c1 visited
    assert _value(values, "wecom_contacts") == 2
    assert _value(values, "contacts_heavy") == 1  # c3: three messages
    assert _value(values, "contacts_medium") == 0
    assert _value(values, "contacts_light") == 1
    assert _value(values, "contacts_reachable_share") == pytest.approx(0.5)
    assert _value(values, "community_members") == 2
    assert _value(values, "community_guide_layer") == 1  # K1 is run by guide G2
    assert _value(values, "community_active_share") == pytest.approx(0.5)
    assert _value(values, "community_hot_fans") == 1
    assert _value(values, "sales_guides") == 2
    assert _value(values, "guides_connected_share") == pytest.approx(0.5)  # G1 of G1, G3
    assert _value(values, "contacts_per_guide") == pytest.approx(1.0)
    assert _value(values, "roles_staffed") == 1  # acquisition only
    # followers 1, contacts 2, members 2 against apparel's 0.30/0.50/0.20
    expected = 1 - 0.5 * (abs(0.2 - 0.3) + abs(0.4 - 0.5) + abs(0.4 - 0.2))
    assert _value(values, "format_mix_fit") == pytest.approx(expected)


def test_order_indicators() -> None:
    rows = [
        ("mini_program", 100.0, "u1", "G1", None),
        ("wecom_guide", 300.0, "u1", "G2", None),
        ("store", 50.0, "u2", None, "K9"),
        ("store", 50.0, None, None, None),
    ]
    orders = pd.DataFrame(
        [("M1", date(2019, 3, 5), ch, gmv, ident, g, c) for ch, gmv, ident, g, c in rows],
        columns=["merchant_id", "ordered_on", "channel", "gmv", "identity", "guide_id",
                 "campaign_id"],
    )  # fmt: skip
    guides = pd.DataFrame(
        {"merchant_id": "M1", "guide_id": ["G1", "G2", "G3", "G4"], "role": "sales",
         "joined_on": None, "left_on": None}
    )  # fmt: skip
    values = measure(_inputs(orders=orders, guides=guides), CONFIG)
    assert _value(values, "guide_gmv_share") == pytest.approx(1.0)  # 400 of 400 private
    assert _value(values, "attributable_order_share") == pytest.approx(3 / 4)
    assert _value(values, "active_guides") == 2
    assert _value(values, "active_guide_share") == pytest.approx(0.5)
    assert _value(values, "guide_productivity") == pytest.approx(400 / 2 / 4)
    assert values[values["indicator"] == "top_median_ratio"]["value"].isna().all()  # < 5 guides
    assert _value(values, "cross_channel_share") == pytest.approx(1 / 2)  # u1 in two channels
    assert _value(values, "freshness_days") == 5  # 5 Mar to 10 Mar
