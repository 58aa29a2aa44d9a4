"""`python -m pipelines report uplift|campaign`: JSON with the issue's keys."""

from __future__ import annotations

import json

import pytest

from pipelines.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_uplift_report_of_the_first_cohort(
    demo_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", "uplift", "--cohort", "C2018A", "--db", demo_db_url)
    assert code == 0
    report = json.loads(out)
    assert {"cohort", "baseline", "raw_uplift", "causal_uplift", "merchants", "warnings"} <= set(
        report
    )
    assert report["cohort"] == "C2018A"
    assert report["raw_uplift"] == pytest.approx(3.76, abs=0.005)
    causal = report["causal_uplift"]
    assert causal["low"] <= 3.1589 <= causal["high"]  # ground_truth.json, seed 2018
    assert len(report["merchants"]) == 17
    first = report["merchants"][0]
    assert {"merchant_id", "baseline", "programme", "raw_uplift", "causal_uplift"} <= set(first)
    assert "season" in [w["code"] for w in report["warnings"]]

    code, out, _ = run(
        capsys, "report", "uplift", "--cohort", "C2018A", "--db", demo_db_url,
        "--baseline", "last_year",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["windows"]["baseline"] == ["2017-10-22", "2017-12-21"]
    code, out, _ = run(
        capsys, "report", "uplift", "--cohort", "C2018A", "--db", demo_db_url,
        "--baseline", "2018-09-01:2018-09-30",
    )  # fmt: skip
    assert json.loads(out)["windows"]["baseline_kind"] == "custom"


def test_campaign_report(demo_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "report", "campaign", "--campaign", "CMP-M062-01", "--db", demo_db_url
    )
    assert code == 0
    report = json.loads(out)
    assert report["method"] == "holdout" and report["observational"] is False
    assert report["holdout"]["gmv_per_customer"]["lift"]["estimate"] > 0
    assert report["roi_day_30"] > 5 and report["payback_day"] <= 30
    assert len(report["curve"]) == 30


def test_unknown_ids_and_bad_baselines(
    demo_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "report", "uplift", "--cohort", "NOPE", "--db", demo_db_url)
    assert code == 1 and "NOPE" in err
    code, _, err = run(capsys, "report", "campaign", "--campaign", "NOPE", "--db", demo_db_url)
    assert code == 1
    code, _, err = run(
        capsys, "report", "uplift", "--cohort", "C2018A", "--db", demo_db_url,
        "--baseline", "yesterday",
    )  # fmt: skip
    assert code == 2 and "baseline" in err
