"""Alert rules on tiny data: each kind fires once for the right subject, does not repeat
while it holds, and clears; who may keep which rule; who is told of which firing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Connection, Engine, insert, select, update

from i18n import alert_messages
from models import alerts, alerts_inbox, auth
from models.alerts import Rule, RuleError
from models.schema import LoadBatch, MartMerchantDay, Merchant, Order, table_of
from models.schema_alerts import AlertFiring
from models.schema_connections import MartConnectionScore
from models.scope import Scope

NOW = datetime(2024, 3, 20, 9, 0)
END = date(2024, 3, 14)  # the last day of data
C1 = Scope.coach(["C1"], user="coach")
_D = table_of(MartMerchantDay).c
_S = table_of(MartConnectionScore).c
_F = table_of(AlertFiring).c


def _merchants(connection: Connection) -> None:
    connection.execute(
        insert(table_of(Merchant)),
        [
            {
                "merchant_id": "M1",
                "name": "Alpha Tea",
                "industry": "food_beverage",
                "cohort_id": "C1",
            },
            {"merchant_id": "M2", "name": "Beta Wear", "industry": "apparel", "cohort_id": "C1"},
            {"merchant_id": "M3", "name": "Gamma Mart", "industry": "grocery", "cohort_id": "C2"},
        ],
    )


def _days(connection: Connection, merchant: str, first: date, days: int, **values: float) -> None:
    connection.execute(
        insert(table_of(MartMerchantDay)),
        [
            {"merchant_id": merchant, "date": first + timedelta(days=n), **values}
            for n in range(days)
        ],
    )


def _set_days(connection: Connection, merchant: str, since: date, **values: float) -> None:
    connection.execute(
        update(table_of(MartMerchantDay))
        .where(_D.merchant_id == merchant, _D.date >= since)
        .values(**values)
    )


WEEK_START = END - timedelta(days=6)


def kpi_gmv(c: Connection) -> None:
    _days(c, "M1", WEEK_START, 7, gmv=50)  # 50 a day, below 100
    _days(c, "M2", WEEK_START, 7, gmv=200)
    _days(c, "M3", WEEK_START, 7, gmv=10)  # below, but not in cohort C1


def kpi_private(c: Connection) -> None:
    _days(c, "M1", WEEK_START, 7, gmv=50, private_gmv=40)  # 80% > 50%
    _days(c, "M2", WEEK_START, 7, gmv=50, private_gmv=5)


def kpi_digitised(c: Connection) -> None:
    _days(c, "M1", WEEK_START, 7, visitors=100, identified_visitors=10)  # 10% < 30%
    _days(c, "M2", WEEK_START, 7, visitors=100, identified_visitors=50)


def _scores(c: Connection, merchant: str, rows: list[tuple[float, str]]) -> None:
    first = date(2024, 2, 26)  # a Monday
    c.execute(
        insert(table_of(MartConnectionScore)),
        [
            {
                "merchant_id": merchant,
                "week": first + timedelta(weeks=n),
                "connection": "touchpoints",
                "score": score,
                "stage": stage,
            }
            for n, (score, stage) in enumerate(rows)
        ],
    )


def kpi_score(c: Connection) -> None:
    _scores(c, "M1", [(60, "running"), (30, "building")])  # latest 30 < 40
    _scores(c, "M2", [(20, "building"), (60, "running")])


def stall(c: Connection) -> None:
    _days(c, "M1", WEEK_START - timedelta(days=7), 7, gmv=60)
    _days(c, "M1", WEEK_START, 7, gmv=50)  # 50 a day after 60: no growth
    _days(c, "M2", WEEK_START - timedelta(days=7), 7, gmv=60)
    _days(c, "M2", WEEK_START, 7, gmv=90)


def stage(c: Connection) -> None:
    _scores(c, "M1", [(30, "building"), (31, "building"), (32, "building")])  # 3 weeks stuck
    _scores(c, "M2", [(30, "building"), (35, "building"), (55, "running")])


def late(c: Connection) -> None:
    c.execute(
        insert(table_of(LoadBatch)),
        [
            {"batch_id": 1, "source": "a", "started_at": datetime(2024, 3, 1), "status": "loaded"},
            {"batch_id": 2, "source": "b", "started_at": datetime(2024, 3, 15), "status": "loaded"},
        ],
    )
    order = {"ordered_at": datetime(2024, 3, 1, 10), "ordered_on": date(2024, 3, 1)}
    order |= {"channel": "store", "gmv": 10, "refund": 0}
    c.execute(
        insert(table_of(Order)),
        [
            {"merchant_id": "M1", "order_id": "O1", "batch_id": 1, **order},  # 19 days ago
            {"merchant_id": "M2", "order_id": "O2", "batch_id": 2, **order},  # 5 days ago
        ],
    )


def rejections(c: Connection) -> None:
    c.execute(
        insert(table_of(LoadBatch)).values(
            batch_id=1,
            source="a",
            started_at=NOW,
            status="partial",
            rows_read=100,
            rows_rejected=20,
        )
    )


def clear_gmv(c: Connection) -> None:
    _set_days(c, "M1", WEEK_START, gmv=150)


def clear_private(c: Connection) -> None:
    _set_days(c, "M1", WEEK_START, private_gmv=10)


def clear_digitised(c: Connection) -> None:
    _set_days(c, "M1", WEEK_START, identified_visitors=40)


def clear_score(c: Connection) -> None:
    c.execute(
        update(table_of(MartConnectionScore))
        .where(_S.merchant_id == "M1", _S.week == date(2024, 3, 4))
        .values(score=55, stage="running")
    )


def clear_stall(c: Connection) -> None:
    _set_days(c, "M1", WEEK_START, gmv=70)


def clear_stage(c: Connection) -> None:
    c.execute(
        update(table_of(MartConnectionScore))
        .where(_S.merchant_id == "M1", _S.week == date(2024, 3, 11))
        .values(score=55, stage="running")
    )


def clear_late(c: Connection) -> None:
    c.execute(
        insert(table_of(LoadBatch)).values(
            batch_id=3, source="c", started_at=datetime(2024, 3, 18), status="loaded"
        )
    )
    c.execute(update(table_of(Order)).where(table_of(Order).c.order_id == "O1").values(batch_id=3))


def clear_rejections(c: Connection) -> None:
    c.execute(
        insert(table_of(LoadBatch)).values(
            batch_id=2, source="b", started_at=NOW, status="partial", rows_read=100, rows_rejected=1
        )
    )


CASES = [
    (Rule("gmv", "kpi", "gmv", "below", 100, cohort_id="C1"), kpi_gmv, clear_gmv, "M1", 50.0),
    (
        Rule("private", "kpi", "private_share", "above", 0.5, cohort_id="C1"),
        kpi_private,
        clear_private,
        "M1",
        0.8,
    ),
    (
        Rule("digitised", "kpi", "digitised_share", "below", 0.3, cohort_id="C1"),
        kpi_digitised,
        clear_digitised,
        "M1",
        0.1,
    ),
    (
        Rule("score", "kpi", "score_touchpoints", "below", 40, cohort_id="C1"),
        kpi_score,
        clear_score,
        "M1",
        30.0,
    ),
    (Rule("stall", "stall", period=1, cohort_id="C1"), stall, clear_stall, "M1", 50 / 60 - 1),
    (
        Rule("stage", "stage", "touchpoints", period=2, cohort_id="C1"),
        stage,
        clear_stage,
        "M1",
        2.0,
    ),
    (Rule("late", "late", period=10, cohort_id="C1"), late, clear_late, "M1", 19.0),
    (
        Rule("rejections", "rejections", threshold=0.1),
        rejections,
        clear_rejections,
        "programme",
        0.2,
    ),
]


def _open(engine: Engine) -> list[tuple[str, float | None, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(_F.subject, _F.value, _F.detail).where(_F.cleared_at.is_(None))
        )
        return [(r.subject, r.value, r.detail) for r in rows]


@pytest.mark.parametrize(
    "rule, given, clear, subject, value", CASES, ids=[c[0].name for c in CASES]
)
def test_each_kind_fires_once_then_clears(
    engine: Engine,
    rule: Rule,
    given: Callable[[Connection], None],
    clear: Callable[[Connection], None],
    subject: str,
    value: float,
) -> None:
    with engine.begin() as connection:
        _merchants(connection)
        given(connection)
    alerts.add_rule(engine, rule=rule, scope=Scope.executive("exec"), now=NOW)

    first = alerts.evaluate(engine, now=NOW)
    assert len(first) == 1
    [(fired_for, fired_value, _detail)] = _open(engine)
    assert fired_for == subject
    assert fired_value == pytest.approx(value)

    assert alerts.evaluate(engine, now=NOW + timedelta(hours=1)) == []  # no repeat
    assert len(_open(engine)) == 1

    with engine.begin() as connection:
        clear(connection)
    assert alerts.evaluate(engine, now=NOW + timedelta(hours=2)) == []
    assert _open(engine) == []
    with engine.connect() as connection:
        cleared = connection.execute(select(_F.cleared_at)).scalar_one()
    assert cleared == NOW + timedelta(hours=2)


def _scores_of(c: Connection, merchant: str, connection: str, stages: list[str]) -> None:
    first = date(2024, 2, 26)  # a Monday
    c.execute(
        insert(table_of(MartConnectionScore)),
        [
            {
                "merchant_id": merchant,
                "week": first + timedelta(weeks=n),
                "connection": connection,
                "score": 30.0,
                "stage": stage,
            }
            for n, stage in enumerate(stages)
        ],
    )


def test_a_stage_rule_on_any_connection_fires_for_each_stuck_connection(engine: Engine) -> None:
    """M1 is stuck on touchpoints (building) and data (not started), moving on performance;
    M2 moves everywhere; M3 is stuck but not in the rule's cohort."""
    stuck, moving = ["building"] * 3, ["building", "building", "running"]
    with engine.begin() as connection:
        _merchants(connection)
        _scores_of(connection, "M1", "touchpoints", stuck)
        _scores_of(connection, "M1", "performance", moving)
        _scores_of(connection, "M1", "data", ["not_started"] * 3)
        _scores_of(connection, "M2", "touchpoints", moving)
        _scores_of(connection, "M2", "data", ["running", "leading", "leading"])  # done
        _scores_of(connection, "M3", "touchpoints", stuck)
    rule = Rule("stuck", "stage", alerts.ANY_CONNECTION, period=2, cohort_id="C1")
    alerts.add_rule(engine, rule=rule, scope=C1, now=NOW)
    assert len(alerts.evaluate(engine, now=NOW)) == 2
    assert sorted(_open(engine)) == [
        ("M1:data", 2.0, "data:not_started"),
        ("M1:touchpoints", 2.0, "touchpoints:building"),
    ]
    assert alerts.evaluate(engine, now=NOW + timedelta(hours=1)) == []  # no repeat
    with engine.begin() as connection:  # touchpoints moves on; data stays stuck
        connection.execute(
            update(table_of(MartConnectionScore))
            .where(_S.merchant_id == "M1", _S.connection == "touchpoints")
            .where(_S.week == date(2024, 3, 11))
            .values(stage="running")
        )
    assert alerts.evaluate(engine, now=NOW + timedelta(hours=2)) == []
    assert [subject for subject, _v, _d in _open(engine)] == ["M1:data"]
    facts = {"kind": "stage", "metric": "any", "detail": "data:not_started", "period": 2}
    facts |= {"merchant_id": "M1", "merchant_name": "Alpha Tea"}
    assert "通数据" in alert_messages.sentence(facts, "zh")
    assert "未开始" in alert_messages.sentence(facts, "zh")


def test_a_cleared_alert_fires_again_when_it_holds_again(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as connection:
        _merchants(connection)
        kpi_gmv(connection)
    alerts.add_rule(sqlite_engine, rule=CASES[0][0], scope=C1, now=NOW)
    assert len(alerts.evaluate(sqlite_engine, now=NOW)) == 1
    with sqlite_engine.begin() as connection:
        clear_gmv(connection)
    alerts.evaluate(sqlite_engine, now=NOW)
    with sqlite_engine.begin() as connection:
        _set_days(connection, "M1", WEEK_START, gmv=20)
    assert len(alerts.evaluate(sqlite_engine, now=NOW)) == 1


def test_a_paused_rule_is_not_evaluated(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as connection:
        _merchants(connection)
        kpi_gmv(connection)
    rule_id = alerts.add_rule(sqlite_engine, rule=CASES[0][0], scope=C1, now=NOW)
    assert alerts.set_active(sqlite_engine, rule_id=rule_id, active=False, scope=C1)
    assert alerts.evaluate(sqlite_engine, now=NOW) == []


@pytest.mark.parametrize(
    "rule, scope, key",
    [
        (Rule("x", "kpi", "gmv", cohort_id="C2"), C1, "alerts.error.cohort"),
        (Rule("x", "kpi", "gmv", cohort_id=None), C1, "alerts.error.cohort"),
        (Rule("x", "kpi", "gmv", cohort_id="C1"), Scope.merchant("M1"), "alerts.error.not_allowed"),
        (Rule(" ", "kpi", "gmv"), Scope.executive(), "alerts.error.name"),
        (Rule("x", "kpi", "margin"), Scope.executive(), "alerts.error.metric"),
        (Rule("x", "stall", period=0), Scope.executive(), "alerts.error.period"),
        (Rule("x", "stage", "all", period=2), Scope.executive(), "alerts.error.metric"),
        (Rule("x", "rejections", threshold=2), Scope.executive(), "alerts.error.share"),
        (Rule("x", "rejections", cohort_id="C1"), C1, "alerts.error.programme_only"),
    ],
)
def test_rules_outside_the_scope_or_malformed_are_refused(
    sqlite_engine: Engine, rule: Rule, scope: Scope, key: str
) -> None:
    with pytest.raises(RuleError) as raised:
        alerts.add_rule(sqlite_engine, rule=rule, scope=scope, now=NOW)
    assert raised.value.key == key


def test_coaches_manage_only_their_cohorts_rules(sqlite_engine: Engine) -> None:
    mine = alerts.add_rule(
        sqlite_engine, rule=Rule("a", "stall", period=2, cohort_id="C1"), scope=C1, now=NOW
    )
    theirs = alerts.add_rule(
        sqlite_engine,
        rule=Rule("b", "stall", period=2, cohort_id="C2"),
        scope=Scope.executive(),
        now=NOW,
    )
    assert [r["rule_id"] for r in alerts.rules(engine=sqlite_engine, scope=C1)] == [mine]
    assert len(alerts.rules(engine=sqlite_engine, scope=Scope.executive())) == 2
    assert alerts.rules(engine=sqlite_engine, scope=Scope.merchant("M1")) == []
    assert not alerts.delete_rule(sqlite_engine, rule_id=theirs, scope=C1)
    assert alerts.delete_rule(sqlite_engine, rule_id=mine, scope=C1)


def _user(engine: Engine, name: str, role: str, **scope: list[str]) -> int:
    auth.add_user(engine, username=name, role=role, password=None, actor="test", **scope)  # type: ignore[arg-type]
    with engine.connect() as connection:
        users = table_of(Merchant).metadata.tables["users"]
        return int(
            connection.execute(select(users.c.user_id).where(users.c.username == name)).scalar_one()
        )


def test_a_merchants_inbox_never_shows_another_merchants_alert(engine: Engine) -> None:
    with engine.begin() as connection:
        _merchants(connection)
        _days(connection, "M1", WEEK_START, 7, gmv=50)
        _days(connection, "M2", WEEK_START, 7, gmv=60)
        _days(connection, "M3", WEEK_START, 7, gmv=70)
        rejections(connection)
    executive = Scope.executive("exec")
    alerts.add_rule(
        engine,
        rule=Rule("low", "kpi", "gmv", "below", 100, share_with_merchant=True),
        scope=executive,
        now=NOW,
    )
    alerts.add_rule(
        engine, rule=Rule("coaches only", "kpi", "gmv", "below", 100), scope=executive, now=NOW
    )
    alerts.add_rule(engine, rule=Rule("rej", "rejections", threshold=0.1), scope=executive, now=NOW)
    assert len(alerts.evaluate(engine, now=NOW)) == 7  # 3 merchants x 2 rules + the programme

    m1 = _user(engine, "m1", "merchant", merchants=["M1"])
    m1_scope = Scope.merchant("M1", user="m1")
    box = alerts_inbox.inbox(engine=engine, scope=m1_scope, user_id=m1)
    assert box["merchant_id"].tolist() == ["M1"] and box["rule_name"].tolist() == ["low"]

    def subjects(scope: Scope) -> list[str]:
        frame = alerts_inbox.inbox(engine=engine, scope=scope, user_id=m1)
        return sorted(frame["merchant_id"].fillna("programme"))

    assert subjects(C1) == ["M1", "M1", "M2", "M2"]
    assert subjects(Scope.coach(["C9"])) == []
    assert subjects(executive) == ["M1", "M1", "M2", "M2", "M3", "M3", "programme"]

    # Marking read works only on what the user may see.
    all_ids = alerts_inbox.inbox(engine=engine, scope=executive, user_id=m1)["firing_id"].tolist()
    assert (
        alerts_inbox.mark_read(engine, scope=m1_scope, user_id=m1, firing_ids=all_ids, now=NOW) == 1
    )
    assert alerts_inbox.unread_count(engine=engine, scope=m1_scope, user_id=m1) == 0
    with engine.connect() as connection:
        other = alerts_inbox.firing_for(connection, scope=m1_scope, firing_id=max(all_ids))
    assert other is None


def test_preferences_default_then_saved(sqlite_engine: Engine) -> None:
    user = _user(sqlite_engine, "c1", "coach", cohorts=[])
    assert alerts_inbox.preference(sqlite_engine, user_id=user) == ("en", False)
    alerts_inbox.set_preference(sqlite_engine, user_id=user, lang="zh", email=True)
    assert alerts_inbox.preference(sqlite_engine, user_id=user) == ("zh", True)
    with pytest.raises(ValueError, match="fr"):
        alerts_inbox.set_preference(sqlite_engine, user_id=user, lang="fr", email=True)
