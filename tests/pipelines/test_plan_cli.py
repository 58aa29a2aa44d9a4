"""`python -m pipelines plan` prints the planner's JSON, on the demo database."""

from __future__ import annotations

import json

import pytest

from models import planning
from models.db import make_engine
from models.scope import Scope
from pipelines.cli import main
from pipelines.plan_cli import EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_OK


def test_plan_a_holdout(demo_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["plan", "--merchant", "M006", "--customers", "400", "--holdout", "0.2",
                 "--target-lift", "0.25", "--db", demo_db_url])  # fmt: skip
    assert code == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    engine = make_engine(demo_db_url)
    stats = planning.spend_stats(engine=engine, scope=Scope.executive(), merchant_id="M006")
    engine.dispose()
    assert stats is not None
    assert (out["treatment"], out["holdout"]) == (320, 80)
    assert out["detectable_lift"] == pytest.approx(
        planning.detectable_lift(customers=400, holdout_share=0.2, mean=stats.mean, sd=stats.sd),
        abs=1e-6,
    )
    assert out["holdout_needed"] is None or 0 < out["holdout_needed"] <= 0.5


def test_plan_a_cohort(demo_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--cohort", "C2019A", "--db", demo_db_url]) == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert out["participants"] > 1 and out["controls"] > 1
    assert out["design_effect"] == pytest.approx(1 + 27 * out["icc"])
    assert out["detectable_uplift"] > 0


def test_plan_refuses_bad_input(demo_db_url: str) -> None:
    assert main(["plan", "--db", demo_db_url]) == EXIT_BAD_INPUT
    assert main(["plan", "--merchant", "M006", "--holdout", "0.9", "--db", demo_db_url]) == (
        EXIT_BAD_INPUT
    )
    assert main(["plan", "--merchant", "NOPE", "--db", demo_db_url]) == EXIT_NOT_FOUND
