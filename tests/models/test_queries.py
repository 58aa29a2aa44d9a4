"""Scoped queries on the fixture delivery: right figures, and nothing outside the scope."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from models import queries
from models.scope import Scope
from pipelines.load import load_delivery

EXEC = Scope.executive()


@pytest.fixture
def loaded(engine: Engine, tiny_delivery_dir: Path) -> Engine:
    assert load_delivery(tiny_delivery_dir, engine=engine).ok
    return engine


def test_cohort_uplift_table(loaded: Engine) -> None:
    table = queries.cohort_uplift_table(engine=loaded, scope=EXEC)
    row = table.set_index("cohort_id").loc["C1"]
    # baseline 2024-02-02..02-29: 280 + 280 over 28 days = 20/day;
    # programme 2024-03-01..03-10: 300 + 200 + 100 over 10 days = 60/day -> +200%.
    assert row.merchants == 2
    assert row.baseline_daily_gmv == pytest.approx(20)
    assert row.programme_daily_gmv == pytest.approx(60)
    assert row.raw_uplift == pytest.approx(2.0)


def test_daily_kpis_filter_by_cohort(loaded: Engine) -> None:
    everyone = queries.daily_kpis(
        engine=loaded, scope=EXEC, start=date(2024, 2, 1), end=date(2024, 3, 31)
    )
    cohort = queries.daily_kpis(
        engine=loaded, scope=EXEC, start=date(2024, 2, 1), end=date(2024, 3, 31), cohort_id="C1"
    )
    assert everyone["gmv"].sum() == pytest.approx(1260)
    assert cohort["gmv"].sum() == pytest.approx(1160)
    assert (
        queries.active_merchant_count(
            engine=loaded, scope=EXEC, start=date(2024, 3, 1), end=date(2024, 3, 10)
        )
        == 3
    )


def test_movers_rank_by_change(loaded: Engine) -> None:
    movers = queries.merchant_movers(
        engine=loaded, scope=EXEC, start=date(2024, 3, 1), end=date(2024, 3, 10)
    )
    # previous period 02-20..02-29 has no orders: no base, change unknown for everyone
    assert movers["change"].isna().all()
    movers = queries.merchant_movers(
        engine=loaded, scope=EXEC, start=date(2024, 2, 15), end=date(2024, 3, 31)
    )
    by_id = movers.set_index("merchant_id")
    assert by_id.loc["M1", "change"] == pytest.approx(500 / 280 - 1)  # 280 before, 500 after
    assert by_id.loc["M3", "change"] == pytest.approx(0.0)
    assert movers["merchant_id"].tolist()[0] == "M1"


def test_merchant_scope_sees_only_itself(loaded: Engine) -> None:
    me = Scope.merchant("M2")
    assert queries.merchants(engine=loaded, scope=me)["merchant_id"].tolist() == ["M2"]
    kpis = queries.daily_kpis(
        engine=loaded, scope=me, start=date(2024, 1, 1), end=date(2024, 12, 31)
    )
    assert kpis["gmv"].sum() == pytest.approx(380)
    movers = queries.merchant_movers(
        engine=loaded, scope=me, start=date(2024, 2, 15), end=date(2024, 3, 31)
    )
    assert movers["merchant_id"].tolist() == ["M2"]
    daily = queries.cohort_daily_gmv(
        engine=loaded, scope=me, start=date(2024, 1, 1), end=date(2024, 12, 31)
    )
    assert daily["gmv"].sum() == pytest.approx(380)
    assert queries.cohorts(engine=loaded, scope=me)["cohort_id"].tolist() == ["C1"]


def test_coach_scope_sees_only_their_cohorts(loaded: Engine) -> None:
    coach = Scope.coach({"C1"})
    ids = set(queries.merchants(engine=loaded, scope=coach)["merchant_id"])
    assert ids == {"M1", "M2"}  # not the control M3
    nobody = Scope.coach(set())
    assert queries.merchants(engine=loaded, scope=nobody).empty
    assert queries.data_window(engine=loaded, scope=nobody) is None


def test_load_history_is_per_user_outside_executives(loaded: Engine) -> None:
    assert len(queries.load_history(engine=loaded, scope=EXEC)) == 1
    assert queries.load_history(engine=loaded, scope=Scope.merchant("M1", user="m1")).empty
