"""The merchant self-assessment: 18 questions, six per connection, each answered on a
five-level scale (0 = not at all ... 4 = fully, and measured). A connection's score is
the mean answer as 0-100, the scale of the measured scores. Question wording lives in
the text catalog (`connections.q.<id>`), in English and Chinese."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from models.connections import CONNECTIONS

LEVELS = (0, 1, 2, 3, 4)
TOP = LEVELS[-1]

QUESTIONS: dict[str, tuple[str, ...]] = {
    "touchpoints": ("t1", "t2", "t3", "t4", "t5", "t6"),
    "performance": ("p1", "p2", "p3", "p4", "p5", "p6"),
    "data": ("d1", "d2", "d3", "d4", "d5", "d6"),
}
QUESTION_IDS = tuple(q for c in CONNECTIONS for q in QUESTIONS[c])


def score_answers(answers: Mapping[str, int]) -> dict[str, float]:
    """0-100 per connection from answers (question id -> level). Every question must be
    answered with a level on the scale."""
    missing = [q for q in QUESTION_IDS if q not in answers]
    if missing:
        raise ValueError(f"unanswered: {', '.join(missing)}")
    for q in QUESTION_IDS:
        if answers[q] not in LEVELS:
            raise ValueError(f"{q}: {answers[q]!r} is not a level {LEVELS}")
    return {
        c: 100.0 * sum(answers[q] for q in QUESTIONS[c]) / (TOP * len(QUESTIONS[c]))
        for c in CONNECTIONS
    }


def gaps(
    self_scores: Mapping[str, float], measured: Mapping[str, float | None]
) -> dict[str, float | None]:
    """Self-assessed minus measured, per connection (positive: the merchant rates itself
    higher than its data shows). None where nothing is measured."""
    out: dict[str, float | None] = {}
    for c in CONNECTIONS:
        m = measured.get(c)
        out[c] = None if m is None else float(self_scores[c]) - float(m)
    return out


def measured_now(history: pd.DataFrame | None) -> tuple[dict[str, float | None], dict[str, str]]:
    """A week of a merchant's measured history (rows: connection, score, stage) as its
    measured score and stage per connection: no score (None) and stage `no_data` for a
    connection without a row or without a score."""
    measured: dict[str, float | None] = dict.fromkeys(CONNECTIONS)
    stages = dict.fromkeys(CONNECTIONS, "no_data")
    if history is not None:
        for row in history.to_dict("records"):
            measured[row["connection"]] = None if pd.isna(row["score"]) else float(row["score"])
            stages[row["connection"]] = str(row["stage"])
    return measured, stages
