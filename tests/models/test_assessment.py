"""Questionnaire scoring."""

from __future__ import annotations

import pandas as pd
import pytest

from models.assessment import QUESTION_IDS, QUESTIONS, gaps, measured_now, score_answers


def test_between_15_and_25_questions_across_the_three_connections() -> None:
    assert 15 <= len(QUESTION_IDS) <= 25
    assert all(len(qs) >= 5 for qs in QUESTIONS.values())


def test_scoring() -> None:
    answers = dict.fromkeys(QUESTION_IDS, 0)
    answers.update({"t1": 4, "t2": 4, "t3": 4, "p1": 2})
    scores = score_answers(answers)
    assert scores == {"touchpoints": 50.0, "performance": pytest.approx(100 * 2 / 24), "data": 0.0}
    assert score_answers(dict.fromkeys(QUESTION_IDS, 4)) == {
        "touchpoints": 100.0, "performance": 100.0, "data": 100.0,
    }  # fmt: skip


def test_unanswered_or_off_scale_is_refused() -> None:
    answers = dict.fromkeys(QUESTION_IDS, 1)
    del answers["d6"]
    with pytest.raises(ValueError, match="d6"):
        score_answers(answers)
    with pytest.raises(ValueError, match="t1"):
        score_answers({**dict.fromkeys(QUESTION_IDS, 1), "t1": 5})


def test_gap() -> None:
    assert gaps({"touchpoints": 80, "performance": 50, "data": 20},
                {"touchpoints": 60, "performance": None, "data": 40}) == {
        "touchpoints": 20.0, "performance": None, "data": -20.0,
    }  # fmt: skip


def test_measured_now_by_hand() -> None:
    history = pd.DataFrame(
        {
            "connection": ["touchpoints", "performance"],
            "score": [62.5, float("nan")],
            "stage": ["running", "building"],
        }
    )
    measured, stages = measured_now(history)
    assert measured == {"touchpoints": 62.5, "performance": None, "data": None}
    assert stages == {"touchpoints": "running", "performance": "building", "data": "no_data"}
    assert measured_now(None) == (
        {"touchpoints": None, "performance": None, "data": None},
        {"touchpoints": "no_data", "performance": "no_data", "data": "no_data"},
    )
