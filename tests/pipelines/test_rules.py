"""The rules of the input contract (../shared/DATA_CONTRACT.md, last section), one case each.

Every case writes a tiny delivery inline, loads it with `load_delivery` on SQLite and on
PostgreSQL, and checks the rejections (file, line, column, reason) and that the good rows
of the same files still loaded. Lines count like an editor: the header is line 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select

import pipelines.extract
import pipelines.load_file
from models import queries
from models.schema import STAGING, MartMerchantDay
from models.scope import Scope
from pipelines.load import FileReport, LoadReport, load_delivery

# --- helpers --------------------------------------------------------------------------------


def write_delivery(folder: Path, files: dict[str, str]) -> Path:
    """Write {file name: text} into `folder` (UTF-8) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(STAGING[table].__table__)
            ).scalar_one()
        )


def rows(engine: Engine, table: str) -> list[dict]:
    model = STAGING[table]
    key = list(model.__table__.primary_key.columns)
    with engine.connect() as connection:
        result = connection.execute(select(model.__table__).order_by(*key))
        return [dict(r._mapping) for r in result]


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every staging table and the merchant-day mart, as sorted tuples."""
    tables = {name: model.__table__ for name, model in STAGING.items()}
    tables["mart_merchant_day"] = MartMerchantDay.__table__
    out: dict[str, list[tuple]] = {}
    with engine.connect() as connection:
        for name, table in tables.items():
            out[name] = sorted((tuple(r) for r in connection.execute(select(table))), key=repr)
    return out


def load(folder: Path, engine: Engine, **kwargs: object) -> LoadReport:
    return load_delivery(folder, engine=engine, loaded_by="test", **kwargs)  # type: ignore[arg-type]


def file_report(report: LoadReport, file_name: str) -> FileReport:
    matches = [f for f in report.files if f.file_name == file_name]
    assert len(matches) == 1, (
        f"{file_name} not in the report: {[f.file_name for f in report.files]}"
    )
    return matches[0]


def rejected(report: LoadReport) -> list[tuple[str, int, str, str]]:
    return [
        (r.file_name, int(r.line), str(r.column), str(r.reason))
        for r in report.rejections.itertuples(index=False)
    ]


# --- the deliveries the cases are made of ------------------------------------------------

MERCHANTS = "merchant_id,name,industry\nM1,Alpha Tea,food_beverage\nM2,Beta Wear,apparel\n"
ORDERS = "order_id,merchant_id,ordered_at,channel,gmv,refund,store_id,guide_id,campaign_id\n"
GOOD_ORDER = "O1,M1,2024-03-01 10:00,store,100,,,,\n"
COHORTS = "cohort_id,name,start_date,end_date\nC1,Spring,2024-03-01,2024-04-30\n"
STORES = "store_id,merchant_id\nS1,M1\n"
GUIDES = "guide_id,merchant_id,store_id,role\nG1,M1,,sales\n"
CAMPAIGNS = "campaign_id,merchant_id,name,start_date,cost,end_date\nK1,M1,Coupon,2024-03-01,50,\n"
EVENTS = "event_id,merchant_id,customer_id,touchpoint,action,occurred_at,guide_id\n"
TRAFFIC = "merchant_id,date,visitors,store_id,identified_visitors\n"
ASSIGNMENTS = "campaign_id,customer_id,group\n"
ATTENDANCE = "cohort_id,merchant_id,session_id,session_date,attended,session_type\n"

INDUSTRIES = (
    "apparel, grocery, beauty, mother_baby, food_beverage, department_store, home, other"
).split(", ")
CHANNELS = (
    "store, mini_program, wecom_guide, community, scan_to_buy, livestream, other_online".split(", ")
)
TOUCHPOINTS = "mini_program, wecom_guide, community, official_account".split(", ")
ACTIONS = (
    "follow, unfollow, visit, add_contact, remove_contact, join_group, leave_group, message, post"
).split(", ")
ROLES = "acquisition, content, coaching, manager, sales".split(", ")
SESSION_TYPES = "class, one_on_one, workshop".split(", ")
GROUPS = "treatment, holdout".split(", ")


def base(**files: str) -> dict[str, str]:
    """merchants.csv (M1, M2) and one good order, plus `files` (name without .csv)."""
    delivery = {"merchants.csv": MERCHANTS, "orders.csv": ORDERS + GOOD_ORDER}
    delivery.update({f"{name}.csv": text for name, text in files.items()})
    return delivery


@dataclass
class Case:
    files: dict[str, str]
    # (file, line, column, reason substrings that must all appear)
    rejections: list[tuple[str, int, str, tuple[str, ...]]]
    loaded: dict[str, int]  # staging table -> rows after the load
    before: dict[str, str] | None = None  # a delivery loaded first


def case(case_id: str, c: Case) -> object:
    return pytest.param(c, id=case_id)


SHANGHAI_NOW = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
AN_HOUR_AGO = f"{SHANGHAI_NOW - timedelta(hours=1):%Y-%m-%d %H:%M}"
IN_AN_HOUR = f"{SHANGHAI_NOW + timedelta(hours=1):%Y-%m-%d %H:%M}"

RULES = [
    # --- header and blanks ------------------------------------------------------------------
    case(
        "missing-required-column-rejects-whole-file",
        Case(
            base(orders="order_id,merchant_id,channel,refund\nO1,M1,store,\nO2,M1,store,\n"),
            [
                ("orders.csv", 1, "ordered_at", ("missing",)),
                ("orders.csv", 1, "gmv", ("missing",)),
            ],
            {"merchants": 2, "orders": 0},
        ),
    ),
    case(
        "required-value-blank",
        Case(
            base(
                orders=ORDERS
                + GOOD_ORDER
                + "O2,M1,2024-03-01 10:00,store,,,,,\n"
                + "O3,M1,2024-03-01 10:00,   ,5,,,,\n"
                + ",M1,2024-03-01 10:00,store,5,,,,\n"
            ),
            [
                ("orders.csv", 3, "gmv", ("gmv", "required")),
                ("orders.csv", 4, "channel", ("channel", "required")),
                ("orders.csv", 5, "order_id", ("order_id", "required")),
            ],
            {"orders": 1},
        ),
    ),
    case(
        "duplicate-key-within-file-rejects-later-line",
        Case(
            base(
                orders=ORDERS
                + GOOD_ORDER
                + "O2,M1,2024-03-01 11:00,store,20,,,,\n"
                + "O1,M1,2024-03-02 10:00,store,999,,,,\n"
                + "O1,M2,2024-03-02 10:00,store,30,,,,\n"  # same order_id, other merchant: fine
            ),
            [("orders.csv", 4, "order_id", ("duplicate", "line 2"))],
            {"orders": 3},
        ),
    ),
    case(
        "duplicate-key-in-merchants",
        Case(
            {
                "merchants.csv": MERCHANTS + "M1,Alpha Again,grocery\n",
                "orders.csv": ORDERS + GOOD_ORDER,
            },
            [("merchants.csv", 4, "merchant_id", ("duplicate", "line 2"))],
            {"merchants": 2, "orders": 1},
        ),
    ),
    case(
        # Quoted line breaks, CRLF endings and blank lines all count: lines are editor lines.
        "line-numbers-are-physical-lines",
        Case(
            base(
                merchants='merchant_id,name,industry\r\nM1,"Alpha\r\nTea",apparel\r\n\r\n'
                "M2,Beta,toys\r\nM3,Gamma,grocery\r\n"
            ),
            [("merchants.csv", 5, "industry", ("industry",))],
            {"merchants": 2},
        ),
    ),
    # --- merchants --------------------------------------------------------------------------
    case(
        "unknown-merchant",
        Case(
            base(orders=ORDERS + GOOD_ORDER + "O2,M9,2024-03-01 10:00,store,5,,,,\n"),
            [("orders.csv", 3, "merchant_id", ("merchant", "not", "exist"))],
            {"orders": 1},
        ),
    ),
    case(
        "merchant-in-same-delivery-counts-as-existing",
        Case(
            {
                "merchants.csv": MERCHANTS + "M3,Gamma Mart,grocery\n",
                "orders.csv": ORDERS + "O1,M3,2024-03-01 10:00,store,5,,,,\n",
            },
            [],
            {"merchants": 3, "orders": 2},
            before={"merchants.csv": MERCHANTS, "orders.csv": ORDERS + GOOD_ORDER},
        ),
    ),
    case(
        "merchant-loaded-before-counts-as-existing",
        Case(
            {"orders.csv": ORDERS + "O2,M2,2024-03-01 10:00,store,5,,,,\n"},
            [],
            {"merchants": 2, "orders": 2},
            before={"merchants.csv": MERCHANTS, "orders.csv": ORDERS + GOOD_ORDER},
        ),
    ),
    case(
        "rejected-merchant-row-does-not-count-as-existing",
        Case(
            {
                "merchants.csv": MERCHANTS + "M3,Gamma Mart,toys\n",
                "orders.csv": ORDERS + GOOD_ORDER + "O2,M3,2024-03-01 10:00,store,5,,,,\n",
            },
            [
                ("merchants.csv", 4, "industry", ("industry",)),
                ("orders.csv", 3, "merchant_id", ("merchant", "not", "exist")),
            ],
            {"merchants": 2, "orders": 1},
        ),
    ),
    # --- stores, guides, campaigns, cohorts: checked where ever delivered -------------------
    case(
        "unknown-store-delivered-in-same-delivery",
        Case(
            base(
                stores=STORES,
                orders=ORDERS
                + "O1,M1,2024-03-01 10:00,store,100,,S1,,\n"
                + "O2,M1,2024-03-01 10:00,store,100,,S9,,\n"
                + "O3,M2,2024-03-01 10:00,store,100,,S1,,\n"  # S1 is M1's store
                + "O4,M2,2024-03-01 10:00,store,100,,,,\n",
                guides="guide_id,merchant_id,store_id\nG1,M1,S1\nG2,M1,S9\n",
                store_traffic=TRAFFIC + "M1,2024-03-01,10,S1,\nM1,2024-03-01,10,S9,\n",
            ),
            [
                ("guides.csv", 3, "store_id", ("store", "not", "exist")),
                ("orders.csv", 3, "store_id", ("store", "not", "exist")),
                ("orders.csv", 4, "store_id", ("store", "not", "exist")),
                ("store_traffic.csv", 3, "store_id", ("store", "not", "exist")),
            ],
            {"stores": 1, "orders": 2, "guides": 1, "store_traffic": 1},
        ),
    ),
    case(
        "unknown-store-delivered-before",
        Case(
            {
                "orders.csv": ORDERS
                + "O2,M1,2024-03-01 10:00,store,5,,S1,,\n"
                + "O3,M1,2024-03-01 10:00,store,5,,S9,,\n"
            },
            [("orders.csv", 3, "store_id", ("store", "not", "exist"))],
            {"stores": 1, "orders": 2},
            before=base(stores=STORES),
        ),
    ),
    case(
        "references-not-checked-when-never-delivered",
        Case(
            base(
                orders=ORDERS + "O1,M1,2024-03-01 10:00,store,100,,S9,G9,K9\n",
                merchants="merchant_id,name,industry,cohort_id\nM1,Alpha,apparel,C9\n",
                touchpoint_events=EVENTS + "E1,M1,c1,mini_program,follow,2024-03-01 10:00,G9\n",
                store_traffic=TRAFFIC + "M1,2024-03-01,10,S9,\n",
                attendance=ATTENDANCE + "C9,M1,S1,2024-03-01,yes,class\n",
            ),
            [],
            {
                "merchants": 1,
                "orders": 1,
                "touchpoint_events": 1,
                "store_traffic": 1,
                "attendance": 1,
            },
        ),
    ),
    case(
        "guide-store-not-checked-when-stores-never-delivered",
        Case(base(guides="guide_id,merchant_id,store_id\nG1,M1,S9\n"), [], {"guides": 1}),
    ),
    case(
        "unknown-guide",
        Case(
            base(
                guides=GUIDES,
                orders=ORDERS
                + "O1,M1,2024-03-01 10:00,store,100,,,G1,\n"
                + "O2,M1,2024-03-01 10:00,store,100,,,G9,\n"
                + "O3,M2,2024-03-01 10:00,store,100,,,G1,\n",  # G1 is M1's guide
                touchpoint_events=EVENTS
                + "E1,M1,c1,wecom_guide,add_contact,2024-03-01 10:00,G1\n"
                + "E2,M1,c1,wecom_guide,message,2024-03-01 11:00,G9\n",
            ),
            [
                ("orders.csv", 3, "guide_id", ("guide", "not", "exist")),
                ("orders.csv", 4, "guide_id", ("guide", "not", "exist")),
                ("touchpoint_events.csv", 3, "guide_id", ("guide", "not", "exist")),
            ],
            {"guides": 1, "orders": 1, "touchpoint_events": 1},
        ),
    ),
    case(
        "unknown-campaign",
        Case(
            base(
                campaigns=CAMPAIGNS,
                orders=ORDERS
                + "O1,M1,2024-03-01 10:00,store,100,,,,K1\n"
                + "O2,M1,2024-03-01 10:00,store,100,,,,K9\n"
                + "O3,M2,2024-03-01 10:00,store,100,,,,K1\n",  # K1 is M1's campaign
                campaign_assignments=ASSIGNMENTS + "K1,c1,treatment\nK9,c2,holdout\n",
            ),
            [
                ("campaign_assignments.csv", 3, "campaign_id", ("campaign", "not", "exist")),
                ("orders.csv", 3, "campaign_id", ("campaign", "not", "exist")),
                ("orders.csv", 4, "campaign_id", ("campaign", "not", "exist")),
            ],
            {"campaigns": 1, "orders": 1, "campaign_assignments": 1},
        ),
    ),
    case(
        "unknown-cohort",
        Case(
            base(
                cohorts=COHORTS,
                merchants="merchant_id,name,industry,cohort_id\n"
                "M1,Alpha Tea,food_beverage,C1\n"
                "M2,Beta Wear,apparel,\n"
                "M3,Gamma,grocery,C9\n",
                attendance=ATTENDANCE
                + "C1,M1,S1,2024-03-05,yes,class\nC9,M1,S1,2024-03-05,yes,class\n",
            ),
            [
                ("attendance.csv", 3, "cohort_id", ("cohort", "not", "exist")),
                ("merchants.csv", 4, "cohort_id", ("cohort", "not", "exist")),
            ],
            {"cohorts": 1, "merchants": 2, "attendance": 1},
        ),
    ),
    case(
        "unknown-cohort-delivered-before",
        Case(
            {
                "merchants.csv": "merchant_id,name,industry,cohort_id\nM3,Gamma,grocery,C9\n",
                "attendance.csv": ATTENDANCE + "C1,M1,S1,2024-03-05,1,class\n",
            },
            [("merchants.csv", 2, "cohort_id", ("cohort", "not", "exist"))],
            {"cohorts": 1, "merchants": 2, "attendance": 1},
            before=base(cohorts=COHORTS),
        ),
    ),
    # --- amounts and counts -----------------------------------------------------------------
    case(
        "gmv-negative",
        Case(
            base(orders=ORDERS + GOOD_ORDER + "O2,M1,2024-03-01 10:00,store,-0.01,,,,\n"),
            [("orders.csv", 3, "gmv", ("gmv", "0"))],
            {"orders": 1},
        ),
    ),
    case(
        "refund-negative",
        Case(
            base(orders=ORDERS + GOOD_ORDER + "O2,M1,2024-03-01 10:00,store,10,-1,,,\n"),
            [("orders.csv", 3, "refund", ("refund", "0"))],
            {"orders": 1},
        ),
    ),
    case(
        "refund-larger-than-gmv",
        Case(
            base(
                orders=ORDERS
                + GOOD_ORDER
                + "O2,M1,2024-03-01 10:00,store,10,10,,,\n"  # equal is fine
                + "O3,M1,2024-03-01 10:00,store,10,10.01,,,\n"
            ),
            [("orders.csv", 4, "refund", ("refund", "gmv"))],
            {"orders": 2},
        ),
    ),
    case(
        "identified-visitors-larger-than-visitors",
        Case(
            base(
                store_traffic=TRAFFIC
                + "M1,2024-03-01,10,,10\n"  # equal is fine
                + "M1,2024-03-02,10,,11\n"
                + "M1,2024-03-03,10,,\n"
            ),
            [("store_traffic.csv", 3, "identified_visitors", ("identified_visitors", "visitors"))],
            {"store_traffic": 2},
        ),
    ),
    case(
        "identified-visitors-negative",
        Case(
            base(store_traffic=TRAFFIC + "M1,2024-03-01,10,,0\nM1,2024-03-02,10,,-1\n"),
            [("store_traffic.csv", 3, "identified_visitors", ("identified_visitors", "0"))],
            {"store_traffic": 1},
        ),
    ),
    case(
        "cost-negative",
        Case(
            base(
                campaigns=CAMPAIGNS
                + "K2,M1,Free,2024-03-01,0,\n"  # zero is fine
                + "K3,M1,Refund,2024-03-01,-20,\n"
            ),
            [("campaigns.csv", 4, "cost", ("cost", "0"))],
            {"campaigns": 2},
        ),
    ),
    # --- dates and timestamps ---------------------------------------------------------------
    case(
        "unparseable-date",
        Case(
            base(
                cohorts=COHORTS + "C2,Summer,2024-02-30,2024-04-30\n",
                store_traffic=TRAFFIC + "M1,2024-03-01,10,,\nM1,01/03/2024,10,,\n",
                campaigns=CAMPAIGNS + "K2,M1,Later,next week,10,\n",
            ),
            [
                ("campaigns.csv", 3, "start_date", ("date",)),
                ("cohorts.csv", 3, "start_date", ("date",)),
                ("store_traffic.csv", 3, "date", ("date",)),
            ],
            {"cohorts": 1, "store_traffic": 1, "campaigns": 1},
        ),
    ),
    case(
        "unparseable-timestamp",
        Case(
            base(
                orders=ORDERS
                + GOOD_ORDER
                + "O2,M1,2024-03-01 10:00:30,store,5,,,,\n"  # seconds are fine
                + "O3,M1,2024-03-32 10:00,store,5,,,,\n"
                + "O4,M1,10:00 2024-03-01,store,5,,,,\n"
                + "O5,M1,yesterday,store,5,,,,\n",
                touchpoint_events=EVENTS
                + "E1,M1,c1,mini_program,follow,2024-03-01 10:00,\n"
                + "E2,M1,c1,mini_program,visit,2024/03/01 25:00,\n",
            ),
            [
                ("orders.csv", 4, "ordered_at", ("timestamp",)),
                ("orders.csv", 5, "ordered_at", ("timestamp",)),
                ("orders.csv", 6, "ordered_at", ("timestamp",)),
                ("touchpoint_events.csv", 3, "occurred_at", ("timestamp",)),
            ],
            {"orders": 2, "touchpoint_events": 1},
        ),
    ),
    case(
        "end-date-before-start-date-cohorts",
        Case(
            base(
                cohorts=COHORTS
                + "C2,One day,2024-05-01,2024-05-01\n"  # equal is fine
                + "C3,Backwards,2024-05-01,2024-04-30\n"
            ),
            [("cohorts.csv", 4, "end_date", ("end_date", "start_date"))],
            {"cohorts": 2},
        ),
    ),
    case(
        "end-date-before-start-date-campaigns",
        Case(
            base(
                campaigns=CAMPAIGNS
                + "K2,M1,One day,2024-03-05,10,2024-03-05\n"
                + "K3,M1,Backwards,2024-03-05,10,2024-03-04\n"
            ),
            [("campaigns.csv", 4, "end_date", ("end_date", "start_date"))],
            {"campaigns": 2},
        ),
    ),
    case(
        "ordered-at-in-the-future",
        Case(
            base(orders=ORDERS + GOOD_ORDER + "O2,M1,2999-01-01 10:00,store,5,,,,\n"),
            [("orders.csv", 3, "ordered_at", ("future",))],
            {"orders": 1},
        ),
    ),
    case(
        # Timestamps are the merchant's local time (Asia/Shanghai), whatever the server's zone.
        "future-is-judged-in-shanghai-time",
        Case(
            base(
                orders=ORDERS
                + f"O1,M1,{AN_HOUR_AGO},store,5,,,,\n"
                + f"O2,M1,{IN_AN_HOUR},store,5,,,,\n"
            ),
            [("orders.csv", 3, "ordered_at", ("future",))],
            {"orders": 1},
        ),
    ),
    case(
        "occurred-at-in-the-future",
        Case(
            base(
                touchpoint_events=EVENTS
                + "E1,M1,c1,mini_program,follow,2024-03-01 10:00,\n"
                + "E2,M1,c1,mini_program,visit,2999-12-31 23:59:59,\n"
            ),
            [("touchpoint_events.csv", 3, "occurred_at", ("future",))],
            {"touchpoint_events": 1},
        ),
    ),
    # --- vocabularies -----------------------------------------------------------------------
    case(
        "unknown-industry",
        Case(
            base(merchants=MERCHANTS + "M3,Toy Shop,toys\n"),
            [("merchants.csv", 4, "industry", ("allowed", *INDUSTRIES))],
            {"merchants": 2},
        ),
    ),
    case(
        "unknown-channel",
        Case(
            base(
                orders=ORDERS + GOOD_ORDER + "O2,M1,2024-03-01 10:00,telepathy,5,,,,\n",
                campaigns="campaign_id,merchant_id,name,start_date,cost,end_date,channel\n"
                "K1,M1,Live,2024-03-01,10,,livestream\n"
                "K2,M1,Fax blast,2024-03-01,10,,fax\n",
            ),
            [
                ("campaigns.csv", 3, "channel", ("allowed", *CHANNELS)),
                ("orders.csv", 3, "channel", ("allowed", *CHANNELS)),
            ],
            {"orders": 1, "campaigns": 1},
        ),
    ),
    case(
        "unknown-touchpoint",
        Case(
            base(
                touchpoint_events=EVENTS
                + "E1,M1,c1,community,join_group,2024-03-01 10:00,\n"
                + "E2,M1,c1,douyin,follow,2024-03-01 10:00,\n"
            ),
            [("touchpoint_events.csv", 3, "touchpoint", ("allowed", *TOUCHPOINTS))],
            {"touchpoint_events": 1},
        ),
    ),
    case(
        "unknown-action",
        Case(
            base(
                touchpoint_events=EVENTS
                + "E1,M1,c1,community,post,2024-03-01 10:00,\n"
                + "E2,M1,c1,community,like,2024-03-01 10:00,\n"
            ),
            [("touchpoint_events.csv", 3, "action", ("allowed", *ACTIONS))],
            {"touchpoint_events": 1},
        ),
    ),
    case(
        "unknown-guide-role",
        Case(
            base(guides=GUIDES + "G2,M1,,boss\n"),
            [("guides.csv", 3, "role", ("allowed", *ROLES))],
            {"guides": 1},
        ),
    ),
    case(
        "unknown-session-type",
        Case(
            base(
                attendance=ATTENDANCE
                + "C1,M1,S1,2024-03-05,yes,workshop\nC1,M1,S2,2024-03-06,yes,lecture\n"
            ),
            [("attendance.csv", 3, "session_type", ("allowed", *SESSION_TYPES))],
            {"attendance": 1},
        ),
    ),
    case(
        "unknown-assignment-group",
        Case(
            base(
                campaigns=CAMPAIGNS,
                campaign_assignments=ASSIGNMENTS + "K1,c1,holdout\nK1,c2,control\n",
            ),
            [("campaign_assignments.csv", 3, "group", ("allowed", *GROUPS))],
            {"campaign_assignments": 1},
        ),
    ),
    case(
        "attended-words",
        Case(
            base(
                attendance=ATTENDANCE
                + "".join(
                    f"C1,M1,S{n},2024-03-05,{word},class\n"
                    for n, word in enumerate(
                        ["true", "false", "1", "0", "yes", "no", "是", "否", "maybe", "2", "对"]
                    )
                )
            ),
            [
                ("attendance.csv", 10, "attended", ("true/false", "1/0", "yes/no", "是/否")),
                ("attendance.csv", 11, "attended", ("true/false", "1/0", "yes/no", "是/否")),
                ("attendance.csv", 12, "attended", ("true/false", "1/0", "yes/no", "是/否")),
            ],
            {"attendance": 8},
        ),
    ),
]


@pytest.mark.parametrize("c", RULES)
def test_rule(c: Case, engine: Engine, tmp_path: Path) -> None:
    if c.before is not None:
        first = load(write_delivery(tmp_path / "before", c.before), engine)
        assert first.status == "loaded", first.message
    report = load(write_delivery(tmp_path / "delivery", c.files), engine)

    got = rejected(report)
    assert sorted((f, n, col) for f, n, col, _ in got) == sorted(
        (f, n, col) for f, n, col, _ in c.rejections
    ), got
    reasons = {(f, n, col): reason for f, n, col, reason in got}
    for f, n, col, needles in c.rejections:
        reason = reasons[(f, n, col)]
        for needle in needles:
            assert needle in reason, f"{f}:{n} [{col}]: {needle!r} not in {reason!r}"

    # The good rows of the same files loaded.
    for table, expected in c.loaded.items():
        assert count(engine, table) == expected, table

    # Each file counts its rejected rows once per line; the whole-file case counts them all.
    for f in report.files:
        lines = {n for name, n, _c, _r in got if name == f.file_name}
        if 1 in lines:
            assert f.rows_loaded == 0
            assert f.rows_rejected == f.rows_read
        else:
            assert f.rows_rejected == len(lines), f.file_name
    assert report.status == ("partial" if c.rejections else "loaded"), report.message

    # What the report shows is what was kept in the database.
    kept = queries.rejections(engine=engine, scope=Scope.executive(), batch_id=report.batch_id)
    assert sorted(
        (r.file_name, int(r.line), r.column, r.reason) for r in kept.itertuples(index=False)
    ) == sorted(got)


# --- rules that are not (only) rejections --------------------------------------------------


def test_redelivered_key_replaces_row(engine: Engine, tmp_path: Path) -> None:
    first = base(orders=ORDERS + GOOD_ORDER + "O2,M1,2024-03-01 11:00,store,20,,,,\n")
    assert load(write_delivery(tmp_path / "first", first), engine).status == "loaded"

    second = {
        "merchants.csv": "merchant_id,name,industry\nM1,Alpha Tea Renamed,food_beverage\n",
        "orders.csv": ORDERS + "O2,M1,2024-03-01 11:00,store,25.5,5,,,\n",
    }
    report = load(write_delivery(tmp_path / "second", second), engine)

    assert report.status == "loaded", report.message
    assert report.rejected_total == 0
    orders = file_report(report, "orders.csv")
    assert (orders.rows_new, orders.rows_replaced) == (0, 1)
    assert count(engine, "orders") == 2
    assert count(engine, "merchants") == 2
    by_id = {r["order_id"]: r for r in rows(engine, "orders")}
    assert by_id["O2"]["gmv"] == pytest.approx(25.5)
    assert by_id["O2"]["refund"] == pytest.approx(5)
    assert by_id["O1"]["gmv"] == pytest.approx(100)
    names = {r["merchant_id"]: r["name"] for r in rows(engine, "merchants")}
    assert names == {"M1": "Alpha Tea Renamed", "M2": "Beta Wear"}


def test_two_broken_rules_on_one_line_count_once(engine: Engine, tmp_path: Path) -> None:
    delivery = base(orders=ORDERS + GOOD_ORDER + "O2,M1,2024-03-01 10:00,telepathy,-5,,,,\n")
    report = load(write_delivery(tmp_path / "d", delivery), engine)

    assert sorted((f, n, col) for f, n, col, _ in rejected(report)) == [
        ("orders.csv", 3, "channel"),
        ("orders.csv", 3, "gmv"),
    ]
    assert file_report(report, "orders.csv").rows_rejected == 1
    assert file_report(report, "orders.csv").rows_read == 2
    assert report.rejected_total == 2  # rejection entries
    assert "1 rejected row" in report.message
    assert count(engine, "orders") == 1


def test_keys_and_lines_hold_across_chunks(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big files are read in chunks; a duplicate in a later chunk still names the first line."""
    monkeypatch.setattr(
        pipelines.load_file, "read_chunks", partial(pipelines.extract.read_chunks, chunk_rows=2)
    )
    delivery = base(
        orders=ORDERS
        + GOOD_ORDER  # line 2, chunk 1
        + "O2,M1,2024-03-01 11:00,store,20,,,,\n"
        + "O3,M1,2024-03-01 12:00,store,30,,,,\n"  # line 4, chunk 2
        + "O4,M1,2024-03-01 13:00,store,-1,,,,\n"
        + "O1,M1,2024-03-02 10:00,store,40,,,,\n"  # line 6, chunk 3: duplicate of line 2
        + "O3,M1,2024-03-02 11:00,store,50,,,,\n"  # line 7: duplicate of line 4
    )
    report = load(write_delivery(tmp_path / "d", delivery), engine)

    got = sorted((f, n, col) for f, n, col, _ in rejected(report))
    assert got == [
        ("orders.csv", 5, "gmv"),
        ("orders.csv", 6, "order_id"),
        ("orders.csv", 7, "order_id"),
    ]
    reasons = {n: reason for _f, n, _c, reason in rejected(report)}
    assert "line 2" in reasons[6]
    assert "line 4" in reasons[7]
    assert file_report(report, "orders.csv").rows_rejected == 3
    assert {r["order_id"]: r["gmv"] for r in rows(engine, "orders")} == {
        "O1": 100,
        "O2": 20,
        "O3": 30,
    }


def test_customers_first_seen_in_orders_and_events(engine: Engine, tmp_path: Path) -> None:
    delivery = base(
        orders="order_id,merchant_id,ordered_at,channel,gmv,customer_id\n"
        "O1,M1,2024-03-02 10:00,store,10,c1\n"
        "O2,M1,2024-03-01 09:00,store,10,c1\n"
        "O3,M1,2024-03-01 09:00,store,10,\n"  # anonymous walk-in: no customer
        "O4,M2,2024-03-03 09:00,store,10,c1\n",  # c1 of M2 is another customer
        touchpoint_events=EVENTS + "E1,M2,c7,community,join_group,2024-02-20 08:00,\n",
    )
    report = load(write_delivery(tmp_path / "d", delivery), engine)

    assert report.status == "loaded", report.message
    got = {
        (r["merchant_id"], r["customer_id"]): r["first_seen_on"] for r in rows(engine, "customers")
    }
    assert got == {
        ("M1", "c1"): date(2024, 3, 1),
        ("M2", "c1"): date(2024, 3, 3),
        ("M2", "c7"): date(2024, 2, 20),
    }


def test_attended_words_are_read_as_yes_or_no(engine: Engine, tmp_path: Path) -> None:
    words = {"true": True, "false": False, "1": True, "0": False}
    words |= {"yes": True, "no": False, "是": True, "否": False, "YES": True, " No ": False}
    delivery = base(
        attendance=ATTENDANCE
        + "".join(f"C1,M1,S{n},2024-03-05,{w},class\n" for n, w in enumerate(words))
    )
    report = load(write_delivery(tmp_path / "d", delivery), engine)

    assert report.status == "loaded", report.message
    got = {r["session_id"]: r["attended"] for r in rows(engine, "attendance")}
    assert got == {f"S{n}": value for n, value in enumerate(words.values())}


# --- all-or-nothing and required files --------------------------------------------------------


def test_all_or_nothing_refuses_a_delivery_with_one_bad_row(engine: Engine, tmp_path: Path) -> None:
    earlier = base(orders=ORDERS + GOOD_ORDER, stores=STORES)
    assert load(write_delivery(tmp_path / "earlier", earlier), engine).status == "loaded"
    before = snapshot(engine)
    assert before["mart_merchant_day"], "the earlier delivery built the mart"

    delivery = {
        "merchants.csv": MERCHANTS + "M3,Gamma,grocery\n",
        "stores.csv": STORES + "S2,M2\n",
        "orders.csv": ORDERS
        + "O1,M1,2024-03-01 10:00,store,150,,,,\n"
        + "O2,M3,2024-03-02 10:00,store,5,,,,\n"
        + "O3,M2,2024-03-02 10:00,store,-5,,,,\n",
    }
    report = load(write_delivery(tmp_path / "d", delivery), engine, all_or_nothing=True)

    assert report.status == "refused", report.message
    assert not report.ok
    assert snapshot(engine) == before
    kept = queries.rejections(engine=engine, scope=Scope.executive(), batch_id=report.batch_id)
    assert [(r.file_name, int(r.line), r.column) for r in kept.itertuples(index=False)] == [
        ("orders.csv", 4, "gmv")
    ]
    assert "gmv" in kept.iloc[0]["reason"]
    history = queries.load_history(engine=engine, scope=Scope.executive(), limit=10)
    latest = history[history["batch_id"] == report.batch_id].iloc[0]
    assert latest["status"] == "refused"


def test_without_all_or_nothing_the_same_delivery_loads_its_good_rows(
    engine: Engine, tmp_path: Path
) -> None:
    delivery = base(orders=ORDERS + GOOD_ORDER + "O3,M2,2024-03-02 10:00,store,-5,,,,\n")
    report = load(write_delivery(tmp_path / "d", delivery), engine)
    assert report.status == "partial"
    assert count(engine, "orders") == 1


@pytest.mark.parametrize(
    ("files", "missing"),
    [
        pytest.param({"orders.csv": ORDERS + GOOD_ORDER}, "merchants", id="no-merchants"),
        pytest.param({"merchants.csv": MERCHANTS}, "orders", id="no-orders"),
    ],
)
def test_delivery_without_a_required_file_into_empty_database_is_refused(
    files: dict[str, str], missing: str, engine: Engine, tmp_path: Path
) -> None:
    before = snapshot(engine)
    report = load(write_delivery(tmp_path / "d", files), engine)

    assert report.status == "refused"
    assert missing in report.message
    assert snapshot(engine) == before


# --- header and value tolerance ------------------------------------------------------------


def test_header_names_in_any_case_with_spaces_load(engine: Engine, tmp_path: Path) -> None:
    delivery = {
        "merchants.csv": " Merchant_ID ,NAME, Industry \nM1,Alpha Tea,food_beverage\n",
        "orders.csv": " Order_ID , MERCHANT_ID,Ordered_At ,Channel,  GMV  \n"
        "O1,M1,2024-03-01 10:00,store,100\n",
    }
    report = load(write_delivery(tmp_path / "d", delivery), engine)

    assert report.status == "loaded", report.message
    assert report.rejected_total == 0
    assert [(r["merchant_id"], r["order_id"], r["gmv"]) for r in rows(engine, "orders")] == [
        ("M1", "O1", 100)
    ]
    assert all(not f.unknown_columns for f in report.files)


def test_values_with_surrounding_spaces_load_stripped(engine: Engine, tmp_path: Path) -> None:
    delivery = {
        "merchants.csv": "merchant_id,name,industry,region\n"
        "  M1 , Alpha Tea ,  apparel , Shanghai \n",
        "orders.csv": "order_id,merchant_id,ordered_at,channel,gmv,customer_id\n"
        " O1 , M1 ,  2024-03-01 10:00 , mini_program , 12.50 , c1 \n",
    }
    report = load(write_delivery(tmp_path / "d", delivery), engine)

    assert report.status == "loaded", report.message
    merchant = rows(engine, "merchants")[0]
    assert (merchant["merchant_id"], merchant["name"], merchant["industry"]) == (
        "M1",
        "Alpha Tea",
        "apparel",
    )
    assert merchant["region"] == "Shanghai"
    order = rows(engine, "orders")[0]
    assert (order["order_id"], order["merchant_id"], order["channel"], order["customer_id"]) == (
        "O1",
        "M1",
        "mini_program",
        "c1",
    )
    assert order["ordered_at"] == datetime(2024, 3, 1, 10, 0)
    assert order["gmv"] == pytest.approx(12.5)
    assert [(r["merchant_id"], r["customer_id"]) for r in rows(engine, "customers")] == [
        ("M1", "c1")
    ]


def test_unknown_columns_and_files_are_reported(engine: Engine, tmp_path: Path) -> None:
    delivery = base(
        orders="order_id,merchant_id,ordered_at,channel,gmv,Coupon_Code,note\n"
        "O1,M1,2024-03-01 10:00,store,100,SPRING,first\n",
    )
    delivery["readme.txt"] = "from the merchant\n"
    delivery["products.csv"] = "sku,name\nA,Tea\n"
    report = load(write_delivery(tmp_path / "d", delivery), engine)

    assert report.status == "loaded", report.message
    assert count(engine, "orders") == 1
    orders = file_report(report, "orders.csv")
    assert orders.unknown_columns == ["coupon_code", "note"]
    assert "coupon_code" in orders.note
    for name in ("readme.txt", "products.csv"):
        other = file_report(report, name)
        assert other.entity is None
        assert other.note, name
        assert other.rows_loaded == 0
