"""The weekly connections mart on the demo programme (against its injected ground truth),
and the peer comparison rules on both databases."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import spearmanr
from sqlalchemy import Engine, insert

from models import connections_queries as q
from models.assessment import QUESTION_IDS
from models.connections import CONNECTIONS
from models.db import make_engine
from models.permissions import NotAllowed, OutOfScope
from models.schema import Merchant, table_of
from models.schema_connections import MartConnectionScore
from models.scope import Scope

WEEK = date(2019, 4, 29)


def test_measured_scores_match_the_injected_maturity(
    demo_db_url: str, demo_delivery_dir: Path
) -> None:
    truth = json.loads((demo_delivery_dir / "ground_truth.json").read_text())
    engine = make_engine(demo_db_url)
    scope = Scope.executive()
    cohorts = q.cohort_connection_summary(engine=engine, scope=scope)
    assert list(cohorts["cohort_id"]) == ["C2018A", "C2019A", "C2019B", "C2019C"]
    measured: dict[str, list[float]] = {c: [] for c in CONNECTIONS}
    injected: dict[str, list[float]] = {c: [] for c in CONNECTIONS}
    stages: set[str] = set()
    for cohort in cohorts.itertuples(index=False):
        scores = q.cohort_scores(
            engine=engine, scope=scope, cohort_id=cohort.cohort_id, week=cohort.week
        ).set_index("merchant_id")
        for m in truth["merchants"]:
            if m["cohort_id"] != cohort.cohort_id:
                continue
            for c in CONNECTIONS:
                measured[c].append(float(scores.loc[m["merchant_id"], c]))
                injected[c].append(m["maturity_end"][c])
                stages.add(scores.loc[m["merchant_id"], f"{c}_stage"])
    for c in CONNECTIONS:
        rho = spearmanr(measured[c], injected[c]).statistic
        assert rho > 0.5, (c, rho)
    assert len(stages & {"building", "running", "leading"}) == 3  # merchants spread out
    engine.dispose()


def _cohort(engine: Engine, n: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Merchant)),
            [
                {"merchant_id": f"M{i}", "name": f"Shop {i}", "industry": "apparel",
                 "cohort_id": "C1"}
                for i in range(n)
            ],
        )  # fmt: skip
        connection.execute(
            insert(table_of(MartConnectionScore)),
            [
                {"merchant_id": f"M{i}", "week": WEEK, "connection": c,
                 "score": 10.0 * i, "stage": "building", "ahead_of": None}
                for i in range(n)
                for c in CONNECTIONS
            ],
        )  # fmt: skip


@pytest.mark.parametrize("merchants, shown", [(5, False), (6, True)])
def test_peer_percentiles_need_five_peers(engine: Engine, merchants: int, shown: bool) -> None:
    _cohort(engine, merchants)
    peers = q.peer_percentiles(
        engine=engine, scope=Scope.merchant("M3"), merchant_id="M3", week=WEEK
    )
    assert list(peers["measured_peers"]) == [merchants - 1] * 3
    if shown:
        # M3 scores 30 against peers 0, 10, 20, 40, 50: three of five below.
        assert list(peers["measured_pct"]) == [60.0] * 3
    else:
        assert peers["measured_pct"].isna().all()
    # Only aggregates: no peer id or name anywhere in the answer.
    text = peers.to_csv()
    assert not any(f"M{i}" in text or f"Shop {i}" in text for i in range(merchants))
    # Another merchant's scope may not ask about M3.
    with pytest.raises(OutOfScope):
        q.peer_percentiles(engine=engine, scope=Scope.merchant("M1"), merchant_id="M3", week=WEEK)


def test_notes_and_assessments_are_scoped(engine: Engine) -> None:
    _cohort(engine, 2)
    now = datetime(2019, 5, 1, 10)
    coach = Scope.coach(["C1"], user="coach@x")
    assert q.add_coach_note(engine=engine, scope=coach, merchant_id="M1", body=" Call ", now=now)
    assert not q.add_coach_note(engine=engine, scope=coach, merchant_id="M1", body=" ", now=now)
    with pytest.raises(OutOfScope):
        q.add_coach_note(
            engine=engine, scope=Scope.coach(["C9"]), merchant_id="M1", body="x", now=now
        )
    notes = q.coach_notes(engine=engine, scope=coach, merchant_id="M1")
    assert list(notes["body"]) == ["Call"] and list(notes["author"]) == ["coach@x"]
    assert q.coach_notes(engine=engine, scope=Scope.merchant("M0"), merchant_id="M1").empty

    own = Scope.merchant("M1")
    answers = {q_id: {"t": 2, "p": 1, "d": 0}[q_id[0]] for q_id in QUESTION_IDS}
    for day in (now, now + timedelta(days=30)):
        q.save_assessment(engine=engine, scope=own, merchant_id="M1", answers=answers, now=day)
    taken = q.assessments(engine=engine, scope=own, merchant_id="M1")
    assert list(pd.to_datetime(taken["taken_on"]).dt.date) == [now.date(), date(2019, 5, 31)]
    # the scores are the model's, from the answers: 2 of 4 -> 50, 1 of 4 -> 25, 0 -> 0
    assert taken[["touchpoints", "performance", "data"]].iloc[0].tolist() == [50.0, 25.0, 0.0]
    with pytest.raises(ValueError, match="unanswered"):
        q.save_assessment(engine=engine, scope=own, merchant_id="M1", answers={"t1": 2}, now=now)
    with pytest.raises(OutOfScope):
        q.save_assessment(
            engine=engine, scope=Scope.merchant("M0"), merchant_id="M1", answers=answers, now=now
        )
    with pytest.raises(NotAllowed):  # a merchant writing a coach note: refused in the model
        q.add_coach_note(engine=engine, scope=own, merchant_id="M1", body="x", now=now)
