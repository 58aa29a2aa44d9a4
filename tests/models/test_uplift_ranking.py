"""The cohort ranking: which cohort is ahead by causal uplift, and the leader's lead over
the runner-up with its interval from paired draws, on tiny hand-checked panels."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from models import uplift as U
from models.schema import Cohort, MartMerchantDay, Merchant
from models.scope import Scope
from models.uplift_ranking import cohort_ranking, difference, rank_cohorts

EXEC = Scope.executive()
START, END = date(2024, 5, 1), date(2024, 5, 28)  # baseline 04-03..04-30, no big date
# Non-participants: 100 a day before; during the programme N1..N5 (the five matches of
# everyone: one industry, one size) move 80, 120, 90, 110, 100 (growth 1.0: the
# counterfactual is the baseline), N6..N8 stay at 100.
CONTROLS = {f"N{i}": (100, during) for i, during in enumerate([80, 120, 90, 110, 100], 1)}
CONTROLS |= {f"N{i}": (100, 100) for i in (6, 7, 8)}


def _seed(engine: Engine, cohorts: dict[str, dict[str, tuple[int, int]]]) -> None:
    """Cohorts (id -> merchant -> daily GMV before, during) over one window, and the
    non-participants above."""
    merchants = [
        {"merchant_id": mid, "name": mid, "industry": "apparel", "cohort_id": cid}
        for cid, members in cohorts.items()
        for mid in members
    ] + [
        {"merchant_id": mid, "name": mid, "industry": "apparel", "cohort_id": None}
        for mid in CONTROLS
    ]
    levels = {mid: v for members in cohorts.values() for mid, v in members.items()} | CONTROLS
    days = [date(2024, 3, 1) + timedelta(days=i) for i in range(100)]
    rows = [
        {
            "merchant_id": mid,
            "date": day,
            "gmv": before if day < START else during,
            "private_gmv": (before if day < START else during) / 2,
        }
        for mid, (before, during) in levels.items()
        for day in days
        if day <= END
    ]
    with engine.begin() as connection:
        connection.execute(
            insert(Cohort),
            [
                {"cohort_id": cid, "name": f"Cohort {cid}", "start_date": START, "end_date": END}
                for cid in cohorts
            ],
        )
        connection.execute(insert(Merchant), merchants)
        connection.execute(insert(MartMerchantDay), rows)


def test_a_clear_leader_is_ahead_with_an_interval_that_excludes_zero(engine: Engine) -> None:
    # C1: (300 + 320) / (100 + 100) - 1 = +210%; C2: (110 + 130) / 200 - 1 = +20%.
    _seed(
        engine,
        {"C1": {"A1": (100, 300), "A2": (100, 320)}, "C2": {"B1": (100, 110), "B2": (100, 130)}},
    )
    ranking = cohort_ranking(engine=engine, scope=EXEC, reps=400)
    assert list(ranking.table["cohort_id"]) == ["C1", "C2"]
    assert list(ranking.table["rank"]) == [1, 2]
    assert ranking.table["causal_uplift"].tolist() == pytest.approx([2.1, 0.2])
    assert ranking.table["raw_uplift"].tolist() == pytest.approx([2.1, 0.2])
    assert (ranking.leader, ranking.runner_up) == ("C1", "C2")
    lead = ranking.difference
    assert lead.estimate == pytest.approx(1.9)
    assert lead.low is not None and lead.high is not None
    # The comparison group's growth g moves both cohorts alike in each replicate (paired),
    # so the lead stays within (300 - 130) / 120 .. (320 - 110) / 80.
    assert 170 / 120 <= lead.low < 1.9 < lead.high <= 210 / 80
    assert lead.significant and ranking.verdict == "ahead"


def test_two_equal_cohorts_are_not_told_apart(engine: Engine) -> None:
    # Both: (200 + 240) / 200 - 1 = +120%; the tie is broken by id, the lead is 0.
    _seed(
        engine,
        {"C3": {"A1": (100, 200), "A2": (100, 240)}, "C4": {"B1": (100, 240), "B2": (100, 200)}},
    )
    ranking = cohort_ranking(engine=engine, scope=EXEC, reps=400)
    assert list(ranking.table["cohort_id"]) == ["C3", "C4"]
    assert ranking.table["causal_uplift"].tolist() == pytest.approx([1.2, 1.2])
    lead = ranking.difference
    assert lead.estimate == pytest.approx(0.0)
    assert lead.low is not None and lead.high is not None
    assert lead.low < 0 < lead.high
    assert not lead.significant and ranking.verdict == "not_certain"


def test_a_cohort_without_a_comparison_group_is_listed_last_with_the_reason(
    engine: Engine,
) -> None:
    _seed(engine, {"C1": {"A1": (100, 300)}, "C2": {"B1": (100, 150)}})
    with engine.begin() as connection:  # leave four non-participants: too few
        connection.execute(
            MartMerchantDay.__table__.delete().where(
                MartMerchantDay.__table__.c.merchant_id.in_(["N5", "N6", "N7", "N8"])
            )
        )
    ranking = cohort_ranking(engine=engine, scope=EXEC, reps=100)
    assert ranking.verdict == "none" and ranking.leader is None
    assert ranking.table["reason"].tolist() == ["no_controls", "no_controls"]
    assert ranking.table["rank"].isna().all()


def test_one_cohort_with_a_figure_leads_alone() -> None:
    figures = U.MetricUplift(
        "gmv", 1.0, 2.0, None, 1.0, None, U.Estimate(0.5, 0.1, 0.9), U.NO_ESTIMATE,
        pd.DataFrame(columns=U.MERCHANT_COLUMNS), np.array([0.4, 0.5, 0.6]),
    )  # fmt: skip
    windows = U.make_windows(START, END)
    result = U.CohortUplift("C1", "One", windows, 5, figures, figures, [], [], [])
    ranking = rank_cohorts([result, None])
    assert ranking.verdict == "only_one" and ranking.leader == "C1"
    assert ranking.runner_up is None


@pytest.mark.parametrize(
    "first, second, low, high",
    [
        ([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], 1.05, 2.95),  # paired: replicate by replicate
        ([1.0, 2.0, np.nan], [0.0, 1.0, 0.0], 1.0, 1.0),  # a replicate without a figure
        ([1.0, 1.0], [0.0, 0.0, 0.0], None, None),  # not drawn in pairs: no interval
    ],
)
def test_difference_of_paired_draws(
    first: list[float], second: list[float], low: float | None, high: float | None
) -> None:
    result = difference(np.array(first), np.array(second))
    assert result.estimate is None
    assert result.low == (None if low is None else pytest.approx(low))
    assert result.high == (None if high is None else pytest.approx(high))
