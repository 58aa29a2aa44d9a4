"""Segment rules on five hand-checked customers, on SQLite and PostgreSQL: every operator,
every template, the figures, hostile values, saved versions and the merchant scope."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from models import segments as sg
from models.permissions import OutOfScope
from models.schema import Merchant, table_of
from models.schema_segments import MartCustomerFeatures
from models.scope import Scope

AS_OF = date(2019, 12, 31)
EXEC = Scope.executive()

# A: one purchase, 5 days ago, store only        -> tier 1, RFM new
# B: 3 purchase days (2 repurchases), fan         -> tier 2, need_attention
# C: 7 purchase days (6 repurchases), guide       -> tier 3, champions
# D: a fan who never bought                       -> in no tier, no RFM
# E: 2 purchase days (1 repurchase), community    -> in no tier, hibernating
PEOPLE: dict[str, dict[str, Any]] = {
    "A": {
        "orders": 1,
        "purchase_days": 1,
        "gmv": 100.0,
        "last": 5,
        "first": 5,
        "ch": ["store"],
        "tp": [],
        "level": "gold",
        "r": 5,
        "f": 1,
        "m": 2,
        "store": "S1",
        "guide": "G1",
    },
    "B": {
        "orders": 3,
        "purchase_days": 3,
        "gmv": 300.0,
        "last": 40,
        "first": 200,
        "ch": ["store", "mini_program"],
        "tp": ["fan"],
        "level": "silver",
        "r": 3,
        "f": 3,
        "m": 4,
        "store": "S1",
        "guide": "G2",
    },
    "C": {
        "orders": 8,
        "purchase_days": 7,
        "gmv": 1000.0,
        "last": 10,
        "first": 400,
        "ch": ["mini_program", "wecom_guide"],
        "tp": ["guide_contact"],
        "level": "gold",
        "r": 5,
        "f": 5,
        "m": 5,
        "store": "S2",
        "guide": "G2",
    },
    "D": {
        "orders": 0,
        "purchase_days": 0,
        "gmv": 0.0,
        "last": None,
        "first": None,
        "ch": [],
        "tp": ["fan"],
        "level": None,
        "r": None,
        "f": None,
        "m": None,
        "store": None,
        "guide": None,
    },
    "E": {
        "orders": 2,
        "purchase_days": 2,
        "gmv": 150.0,
        "last": 100,
        "first": 300,
        "ch": ["store"],
        "tp": ["community_member"],
        "level": "silver",
        "r": 1,
        "f": 2,
        "m": 3,
        "store": "S2",
        "guide": None,
    },
}
FLAGS = {
    "fan": "is_fan",
    "guide_contact": "is_guide_contact",
    "community_member": "is_community_member",
}


def _row(merchant_id: str, customer_id: str, p: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "merchant_id": merchant_id,
        "customer_id": customer_id,
        "as_of": AS_OF,
        "first_seen_on": AS_OF - timedelta(days=500),
        "first_order_on": None if p["first"] is None else AS_OF - timedelta(days=p["first"]),
        "last_order_on": None if p["last"] is None else AS_OF - timedelta(days=p["last"]),
        "orders": p["orders"],
        "purchase_days": p["purchase_days"],
        "repurchases": max(p["purchase_days"] - 1, 0),
        "gmv": p["gmv"],
        "refunds": 0.0,
        "aov": p["gmv"] / p["orders"] if p["orders"] else None,
        "days_since_last_order": p["last"],
        "days_since_first_order": p["first"],
        "tenure_days": 500,
        "channels": ", ".join(p["ch"]),
        "channel_count": len(p["ch"]),
        "touchpoint_count": len(p["tp"]),
        "is_cloud_user": bool(p["tp"]),
        "guide_id": p["guide"],
        "store_id": p["store"],
        "member_level": p["level"],
        "r_score": p["r"],
        "f_score": p["f"],
        "m_score": p["m"],
        "rfm_segment": sg.rfm_segment(p["r"], p["f"]),
    }
    for ch in ("store", "mini_program", "wecom_guide", "community", "scan_to_buy"):
        row[f"ch_{ch}"] = ch in p["ch"]
    row["ch_livestream"] = row["ch_other_online"] = False
    for tp, column in FLAGS.items():
        row[column] = tp in p["tp"]
    return row


@pytest.fixture
def db(engine: Engine) -> Engine:
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Merchant)),
            [
                {"merchant_id": "M1", "name": "One", "industry": "grocery"},
                {"merchant_id": "M2", "name": "Two", "industry": "grocery"},
            ],
        )
        rows = [_row("M1", cid, p) for cid, p in PEOPLE.items()]
        # Another merchant's customer who meets every rule: it must never show up.
        rows.append(_row("M2", "A", PEOPLE["C"]))
        connection.execute(insert(table_of(MartCustomerFeatures)), rows)
    return engine


def ids(db: Engine, definition: dict[str, Any], scope: Scope = EXEC) -> list[str]:
    frame = sg.members(engine=db, scope=scope, merchant_id="M1", tiers=sg.single(definition))
    return list(frame["customer_id"])


def rule(*conditions: dict[str, Any], match: str = "all") -> dict[str, Any]:
    return {"match": match, "conditions": list(conditions)}


def c(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op} | ({} if value is None else {"value": value})


@pytest.mark.parametrize(
    "definition, expected",
    [
        (rule(), ["A", "B", "C", "D", "E"]),
        (rule(c("repurchases", "between", [1, 2])), ["B", "E"]),
        (rule(c("orders", "at_least", 3)), ["B", "C"]),
        (rule(c("orders", "at_most", 1)), ["A", "D"]),
        (rule(c("purchase_days", "equals", 2)), ["E"]),
        (rule(c("gmv", "between", [100, 300])), ["A", "B", "E"]),
        (rule(c("aov", "at_least", 100)), ["A", "B", "C"]),
        (rule(c("m_score", "equals", 5)), ["C"]),
        (rule(c("r_score", "at_most", 3)), ["B", "E"]),
        (rule(c("last_order", "within_last_days", 10)), ["A"]),  # days 0..9
        (rule(c("last_order", "within_last_days", 11)), ["A", "C"]),
        (rule(c("last_order", "more_than_days_ago", 40)), ["E"]),
        (rule(c("last_order", "never")), ["D"]),
        (rule(c("last_order", "ever")), ["A", "B", "C", "E"]),
        (rule(c("first_order", "more_than_days_ago", 250)), ["C", "E"]),
        (rule(c("member_level", "in", ["gold"])), ["A", "C"]),
        (rule(c("member_level", "not_in", ["gold"])), ["B", "D", "E"]),
        (rule(c("store_id", "in", ["S2"])), ["C", "E"]),
        (rule(c("guide_id", "in", ["G2", "G9"])), ["B", "C"]),
        (rule(c("rfm_segment", "in", ["champions", "new"])), ["A", "C"]),
        (rule(c("channels", "includes_any", ["mini_program"])), ["B", "C"]),
        (rule(c("channels", "includes_all", ["store", "mini_program"])), ["B"]),
        (rule(c("channels", "excludes", ["store"])), ["C", "D"]),
        (rule(c("touchpoint", "has", "fan")), ["B", "D"]),
        (rule(c("touchpoint", "has_not", "cloud_user")), ["A"]),
        (rule(c("touchpoint", "has", "community_member")), ["E"]),
        (rule(c("channel_count", "at_least", 2)), ["B", "C"]),
        (rule(c("touchpoint_count", "equals", 0)), ["A"]),
        (rule(c("tenure_days", "at_least", 500)), ["A", "B", "C", "D", "E"]),
        (rule(c("refunds", "at_most", 0)), ["A", "B", "C", "D", "E"]),
        (rule(c("customer_id", "in", ["B", "D", "Z"])), ["B", "D"]),
        (rule(c("f_score", "at_least", 3), c("member_level", "in", ["gold"])), ["C"]),
        (
            rule(c("f_score", "at_least", 3), c("member_level", "in", ["gold"]), match="any"),
            ["A", "B", "C"],
        ),
        # one level of grouping: fans, and (never bought or not in the last 30 days)
        (
            rule(
                c("touchpoint", "has", "fan"),
                rule(
                    c("last_order", "more_than_days_ago", 29), c("last_order", "never"), match="any"
                ),
            ),
            ["B", "D"],
        ),
    ],
)
def test_each_operator(db: Engine, definition: dict[str, Any], expected: list[str]) -> None:
    assert ids(db, definition) == expected


@pytest.mark.parametrize(
    "template, expected",
    [
        ("repurchase_tiers", {"A": "first_purchase_not_repurchased", "B": "repurchased_2_to_5",
                              "C": "repurchased_more_than_5"}),
        ("rfm_segments", {"A": "new", "B": "need_attention", "C": "champions",
                          "E": "hibernating"}),
        ("rfm_champions", {"C": "champions"}),
        ("rfm_new", {"A": "new"}),
        ("rfm_hibernating", {"E": "hibernating"}),
        ("rfm_lost", {}),
        ("cloud_users_lapsed_30d", {"B": "cloud_users_lapsed_30d", "D": "cloud_users_lapsed_30d",
                                    "E": "cloud_users_lapsed_30d"}),
        ("lapsed_90d", {"E": "lapsed_90d"}),
        ("new_buyers_30d", {"A": "new_buyers_30d"}),
        ("fans_never_bought", {"D": "fans_never_bought"}),
        ("store_buyers_not_connected", {"A": "store_buyers_not_connected"}),
        ("high_value_active", {"C": "high_value_active"}),
        ("omnichannel", {"B": "omnichannel", "C": "omnichannel"}),
    ],
)  # fmt: skip
def test_templates(db: Engine, template: str, expected: dict[str, str]) -> None:
    frame = sg.members(engine=db, scope=EXEC, merchant_id="M1", tiers=sg.TEMPLATES[template].tiers)
    assert dict(zip(frame["customer_id"], frame["segment"], strict=True)) == expected


def test_every_template_is_tested_and_valid() -> None:
    tested = {
        "repurchase_tiers", "rfm_segments", "cloud_users_lapsed_30d", "lapsed_90d",
        "new_buyers_30d", "fans_never_bought", "store_buyers_not_connected",
        "high_value_active", "omnichannel", *(f"rfm_{n}" for n in sg.RFM_SEGMENT_NAMES),
        # predictive: tests/models/test_segments_predicted.py
        "high_value_at_risk", "about_to_buy_again", "new_and_promising",
    }  # fmt: skip
    assert set(sg.TEMPLATES) == tested
    for template in sg.TEMPLATES.values():
        for tier in template.tiers:
            assert sg.validate(tier.definition) == tier.definition
    offers = [t.offer for t in sg.TEMPLATES["repurchase_tiers"].tiers]
    assert offers == ["50% off trial coupon", "buy one get one", "10x points"]


def test_the_rfm_grid_covers_every_cell_once() -> None:
    for r in range(1, 6):
        for f in range(1, 6):
            owners = [
                n for n, cells in sg.RFM_GRID.items() if any(r in a and f in b for a, b in cells)
            ]
            assert len(owners) == 1, (r, f, owners)
    assert set(sg.RFM_GRID) == set(sg.RFM_SEGMENT_NAMES) and len(sg.RFM_SEGMENT_NAMES) == 11
    assert sg.rfm_segment(None, 3) is None


def test_figures(db: Engine) -> None:
    stats = sg.segment_stats(
        engine=db,
        scope=EXEC,
        merchant_id="M1",
        definition=rule(c("orders", "at_least", 3)),  # B and C
    )
    assert stats["customers"] == 2
    assert stats["share_customers"] == pytest.approx(2 / 5)
    assert stats["gmv"] == pytest.approx(1300)
    assert stats["share_gmv"] == pytest.approx(1300 / 1550)
    assert stats["orders"] == 11
    assert stats["aov"] == pytest.approx(1300 / 11)

    tiers = sg.tier_stats(
        engine=db, scope=EXEC, merchant_id="M1", tiers=sg.TEMPLATES["repurchase_tiers"].tiers
    )
    assert list(tiers["customers"]) == [1, 1, 1]
    assert list(tiers["gmv"]) == [100, 300, 1000]
    assert tiers["share_customers"].tolist() == pytest.approx([0.2, 0.2, 0.2])

    compared = sg.compare(
        engine=db,
        scope=EXEC,
        merchant_id="M1",
        definitions={
            "fans": rule(c("touchpoint", "has", "fan")),
            "gold": rule(c("member_level", "in", ["gold"])),
        },
    )
    assert list(compared["customers"]) == [2, 2] and list(compared["gmv"]) == [300, 1100]
    with pytest.raises(sg.SegmentError):
        sg.compare(
            engine=db, scope=EXEC, merchant_id="M1", definitions={str(i): rule() for i in range(4)}
        )

    dist = sg.distribution(
        engine=db, scope=EXEC, merchant_id="M1", definition=rule(c("orders", "at_least", 1)),
        by="repurchases",
    )  # fmt: skip
    assert dist.to_dict("list") == {
        "bucket": ["none", "0", "1", "2-5", "6+"],
        "segment": [0, 1, 1, 1, 1],
        "all": [1, 1, 1, 1, 1],
    }


def test_a_merchant_sees_only_its_own_customers(db: Engine) -> None:
    assert ids(db, rule(), Scope.merchant("M2")) == []
    assert ids(db, rule(), Scope.merchant("M1")) == ["A", "B", "C", "D", "E"]
    stats = sg.segment_stats(
        engine=db, scope=Scope.merchant("M2"), merchant_id="M1", definition=rule()
    )
    assert stats["customers"] == 0
    with pytest.raises(OutOfScope):
        sg.save_segment(
            engine=db, scope=Scope.merchant("M2"), merchant_id="M1", name="x", definition=rule()
        )


HOSTILE_VALUES = [
    "gold' OR '1'='1",
    "'; DROP TABLE mart_customer_features; --",
    'gold" OR 1=1 --',
    "%",
    "\\",
]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_text_is_a_plain_value(db: Engine, value: str) -> None:
    assert ids(db, rule(c("member_level", "in", [value]))) == []
    assert ids(db, rule(c("member_level", "not_in", [value]))) == ["A", "B", "C", "D", "E"]
    assert ids(db, rule(c("customer_id", "in", [value, "A"]))) == ["A"]
    assert ids(db, rule()) == ["A", "B", "C", "D", "E"]  # the table is still there


@pytest.mark.parametrize(
    "definition, message",
    [
        (rule(c("password", "in", ["x"])), "unknown field 'password'"),
        (rule(c("customer_id); DROP TABLE x; --", "in", ["x"])), "unknown field"),
        (rule(c("orders", "in", [1])), "takes the operators"),
        (rule(c("orders", "between", [5, 2])), "lowest value 5 is above the highest 2"),
        (rule(c("orders", "at_least", -1)), "outside"),
        (rule(c("orders", "at_least", 10**12)), "outside"),
        (rule(c("gmv", "at_least", float("inf"))), "not a finite number"),
        (rule(c("gmv", "at_least", "1 OR 1=1")), "not a number"),
        (rule(c("orders", "at_least", 1.5)), "whole number"),
        (rule(c("r_score", "equals", 6)), "outside 1..5"),
        (rule(c("last_order", "within_last_days", 10**9)), "outside"),
        (rule(c("channels", "includes_any", ["telepathy"])), "unknown value 'telepathy'"),
        (rule(c("touchpoint", "has", "admin")), "unknown value 'admin'"),
        (rule(c("rfm_segment", "in", ["x' OR '1'='1"])), "unknown value"),
        (rule(c("member_level", "in", ["x" * 65])), "1 to 64 characters"),
        (rule(c("member_level", "in", [])), "at least one value"),
        (rule(c("member_level", "in", [{"$ne": 1}])), "not a text value"),
        (rule(c("orders", "at_least", True)), "not a number"),
        ({"match": "all; DROP", "conditions": []}, "match is 'all' or 'any'"),
        ({"match": "all", "conditions": "x"}, "must be a list"),
        ({"match": "all", "conditions": [], "sql": "1=1"}, "unknown key 'sql'"),
        (rule(c("orders", "at_least", 1) | {"raw": "1=1"}), "unknown key 'raw'"),
        (rule(rule(rule(c("orders", "at_least", 1)))), "one level deep"),
        (rule(*[c("orders", "at_least", 1)] * 21), "at most 20"),
        ("{not json", "not valid JSON"),
        ([], "an object"),
    ],
)
def test_bad_definitions_are_refused_with_a_reason(definition: Any, message: str) -> None:
    with pytest.raises(sg.SegmentError, match=None) as caught:
        sg.validate(definition)
    assert message in str(caught.value)


def test_json_round_trip_and_the_editor_rows() -> None:
    definition = sg.TEMPLATES["cloud_users_lapsed_30d"].tiers[0].definition
    assert sg.validate(json.dumps(definition)) == definition
    rows, match = sg.to_rows(definition)
    assert match == "all"
    assert rows.to_dict("records") == [
        {"group": "", "field": "touchpoint", "op": "has", "value": "cloud_user"},
        {"group": "2", "field": "last_order", "op": "more_than_days_ago", "value": "29"},
        {"group": "2", "field": "last_order", "op": "never", "value": ""},
    ]
    assert sg.from_rows(rows, match) == definition
    rows, match = sg.to_rows(sg.TEMPLATES["repurchase_tiers"].tiers[1].definition)
    assert rows["value"].tolist() == ["2..5"]
    assert sg.from_rows(rows, match) == sg.TEMPLATES["repurchase_tiers"].tiers[1].definition
    assert sg.parse_value("repurchases", "between", "2-5") == ["2", "5"]
    assert sg.parse_value("channels", "includes_any", "store，mini_program") == [
        "store",
        "mini_program",
    ]
    with pytest.raises(sg.SegmentError, match="row 1: pick a field"):
        sg.from_rows(rows.assign(op=""), "all")


def test_saving_keeps_every_version(db: Engine) -> None:
    first = sg.save_segment(
        engine=db,
        scope=EXEC,
        merchant_id="M1",
        name="Fans",
        definition=rule(c("touchpoint", "has", "fan")),
    )
    assert first.version == 1
    second = sg.save_segment(
        engine=db,
        scope=EXEC,
        merchant_id="M1",
        name="Fans (gold)",
        definition=rule(c("touchpoint", "has", "fan"), c("member_level", "in", ["gold"])),
        segment_id=first.segment_id,
    )
    assert (second.segment_id, second.version) == (first.segment_id, 2)
    saved = sg.saved_segments(engine=db, scope=EXEC, merchant_id="M1")
    assert list(saved["name"]) == ["Fans (gold)"] and list(saved["version"]) == [2]
    history = sg.segment_history(
        engine=db, scope=EXEC, merchant_id="M1", segment_id=first.segment_id
    )
    assert list(history["version"]) == [2, 1]
    assert json.loads(history["definition"].iloc[1]) == rule(c("touchpoint", "has", "fan"))
    assert sg.saved_segments(engine=db, scope=Scope.merchant("M2"), merchant_id="M1").empty
    with pytest.raises(sg.SegmentError):
        sg.save_segment(engine=db, scope=EXEC, merchant_id="M2", name="x", definition=rule(),
                        segment_id=first.segment_id)  # fmt: skip
    with db.connect() as connection:  # nothing a user typed changed the table
        assert connection.execute(select(table_of(MartCustomerFeatures).c.customer_id)).all()


def test_mask_id() -> None:
    assert sg.mask_id("M006-C0000123") == "M00••••••••23"
    assert sg.mask_id("ABC") == "A••"
