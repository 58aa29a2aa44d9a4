"""Scoped reads and writes of the three connections: the weekly mart, attendance, coach
notes, self-assessments, and anonymous peer percentiles. Every function takes a `Scope`
and filters in SQL."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Engine, case, func, insert, select

from models.assessment import score_answers
from models.connections import CONNECTIONS, NO_DATA, percentile_rank
from models.db import read_frame
from models.peers import enough
from models.permissions import require
from models.schema import Attendance, Cohort, Merchant, table_of
from models.schema_connections import (
    CoachNote,
    MartConnectionIndicator,
    MartConnectionScore,
    SelfAssessment,
)
from models.scope import Scope
from models.scope_check import require_merchant

_S = MartConnectionScore.__table__.c
_I = MartConnectionIndicator.__table__.c
_M = Merchant.__table__.c
_C = Cohort.__table__.c
_A = Attendance.__table__.c
_N = CoachNote.__table__.c
_Q = SelfAssessment.__table__.c


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def latest_week(*, engine: Engine, scope: Scope, on_or_before: date) -> date | None:
    """The latest mart week starting on or before `on_or_before` that this scope sees."""
    stmt = select(func.max(_S.week)).where(
        scope.merchant_filter(_S.merchant_id), _S.week <= monday(on_or_before)
    )
    with engine.connect() as connection:
        return connection.execute(stmt).scalar()


def cohort_scores(*, engine: Engine, scope: Scope, cohort_id: str, week: date) -> pd.DataFrame:
    """One row per merchant of the cohort: name, industry, and per connection its score,
    stage and order-rule flag (`<connection>`, `<connection>_stage`, `<connection>_ahead`)."""
    stmt = (
        select(_M.merchant_id, _M.name, _M.industry, _S.connection, _S.score, _S.stage, _S.ahead_of)
        .join(MartConnectionScore.__table__, _S.merchant_id == _M.merchant_id)
        .where(scope.merchant_filter(_M.merchant_id), _M.cohort_id == cohort_id, _S.week == week)
    )
    long = read_frame(engine, stmt)
    columns = ["merchant_id", "name", "industry"]
    for c in CONNECTIONS:
        columns += [c, f"{c}_stage", f"{c}_ahead"]
    if long.empty:
        return pd.DataFrame(columns=columns)
    wide = long.pivot(
        index=["merchant_id", "name", "industry"],
        columns="connection",
        values=["score", "stage", "ahead_of"],
    )
    out = wide.index.to_frame(index=False)
    for c in CONNECTIONS:
        out[c] = wide[("score", c)].to_numpy(dtype=float)
        out[f"{c}_stage"] = wide[("stage", c)].fillna(NO_DATA).to_numpy()
        out[f"{c}_ahead"] = wide[("ahead_of", c)].to_numpy()
    return out[columns].sort_values("name").reset_index(drop=True)


def cohort_indicators(*, engine: Engine, scope: Scope, cohort_id: str, week: date) -> pd.DataFrame:
    """Indicator rows (merchant_id, name, indicator, value, score) of a cohort's week."""
    stmt = (
        select(_M.merchant_id, _M.name, _I.indicator, _I.value, _I.score)
        .join(MartConnectionIndicator.__table__, _I.merchant_id == _M.merchant_id)
        .where(scope.merchant_filter(_M.merchant_id), _M.cohort_id == cohort_id, _I.week == week)
        .order_by(_M.name, _I.indicator)
    )
    return read_frame(engine, stmt)


def merchant_history(
    *, engine: Engine, scope: Scope, merchant_id: str, start: date, end: date
) -> pd.DataFrame:
    """A merchant's connection scores per week in [start, end]: week, connection, score, stage."""
    stmt = (
        select(_S.week, _S.connection, _S.score, _S.stage, _S.ahead_of)
        .where(
            scope.merchant_filter(_S.merchant_id),
            _S.merchant_id == merchant_id,
            _S.week.between(monday(start), end),
        )
        .order_by(_S.week, _S.connection)
    )
    return read_frame(engine, stmt)


def merchant_indicators(
    *, engine: Engine, scope: Scope, merchant_id: str, week: date
) -> pd.DataFrame:
    """A merchant's indicator rows of one week: indicator, value, score."""
    stmt = select(_I.indicator, _I.value, _I.score).where(
        scope.merchant_filter(_I.merchant_id), _I.merchant_id == merchant_id, _I.week == week
    )
    return read_frame(engine, stmt)


def merchant_profile(*, engine: Engine, scope: Scope, merchant_id: str) -> dict[str, Any] | None:
    """Name, industry and cohort (with its dates) of a merchant this scope sees."""
    stmt = (
        select(_M.merchant_id, _M.name, _M.industry, _M.cohort_id, _C.start_date, _C.end_date)
        .outerjoin(Cohort.__table__, _C.cohort_id == _M.cohort_id)
        .where(scope.merchant_filter(_M.merchant_id), _M.merchant_id == merchant_id)
    )
    with engine.connect() as connection:
        row = connection.execute(stmt).mappings().first()
    return dict(row) if row else None


def attendance(*, engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    """The merchant's programme sessions: date, type, topic, attended."""
    stmt = (
        select(_A.session_id, _A.session_date, _A.session_type, _A.topic, _A.attended)
        .where(scope.merchant_filter(_A.merchant_id), _A.merchant_id == merchant_id)
        .order_by(_A.session_date, _A.session_id)
    )
    return read_frame(engine, stmt)


def coach_notes(*, engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    """Notes on a merchant, newest first."""
    stmt = (
        select(_N.note_id, _N.created_at, _N.author, _N.body)
        .where(scope.merchant_filter(_N.merchant_id), _N.merchant_id == merchant_id)
        .order_by(_N.created_at.desc(), _N.note_id.desc())
    )
    return read_frame(engine, stmt)


def _require_merchant(engine: Engine, scope: Scope, merchant_id: str) -> None:
    with engine.connect() as connection:
        require_merchant(connection, scope, merchant_id)


def add_coach_note(
    *, engine: Engine, scope: Scope, merchant_id: str, body: str, now: datetime
) -> bool:
    """Save a note (the author is the scope's user); False when the note is blank. A
    merchant may not write notes (`NotAllowed`); a merchant outside the scope is
    `OutOfScope`."""
    require(scope, "coach_note")
    _require_merchant(engine, scope, merchant_id)
    text = body.strip()
    if not text:
        return False
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(CoachNote)).values(
                merchant_id=merchant_id, author=scope.user, created_at=now, body=text
            )
        )
    return True


def assessments(*, engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    """The merchant's self-assessments, oldest first, with the three connection scores."""
    stmt = (
        select(_Q.assessment_id, _Q.taken_on, _Q.taken_at, *[_Q[c] for c in CONNECTIONS])
        .where(scope.merchant_filter(_Q.merchant_id), _Q.merchant_id == merchant_id)
        .order_by(_Q.taken_at, _Q.assessment_id)
    )
    return read_frame(engine, stmt)


def save_assessment(
    *,
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    answers: dict[str, int],
    now: datetime,
) -> None:
    """Store a self-assessment taken now, its scores computed here from the answers (a
    caller cannot store scores that do not match them; ValueError for an answer off the
    scale or missing); `OutOfScope` when the scope may not see the merchant."""
    require(scope, "assessment")
    _require_merchant(engine, scope, merchant_id)
    scores = score_answers(answers)
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(SelfAssessment)).values(
                merchant_id=merchant_id,
                taken_on=now.date(),
                taken_at=now,
                taken_by=scope.user,
                answers=json.dumps(answers, sort_keys=True),
                **{c: float(scores[c]) for c in CONNECTIONS},
            )
        )


def peer_percentiles(*, engine: Engine, scope: Scope, merchant_id: str, week: date) -> pd.DataFrame:
    """Where the merchant stands among its cohort peers, per connection: percentile of its
    measured score among the peers' measured scores that week, and of its latest
    self-assessment among the peers' latest ones. Only aggregates leave this function,
    never a peer's id or score; a percentile is None unless at least MIN_PEERS peers
    contribute to it (`models.peers.enough`).

    This is the one read that looks past the scope (peers are other merchants), so it
    first checks that the scope sees `merchant_id` (`OutOfScope` when not) and returns
    counts and ranks only."""
    columns = ["connection", "measured_pct", "measured_peers", "self_pct", "self_peers"]
    _require_merchant(engine, scope, merchant_id)
    cohort = select(_M.cohort_id).where(_M.merchant_id == merchant_id).scalar_subquery()
    peers = select(_M.merchant_id).where(_M.cohort_id == cohort, _M.cohort_id.is_not(None))
    measured = read_frame(
        engine,
        select(_S.merchant_id, _S.connection, _S.score).where(
            _S.merchant_id.in_(peers), _S.week == week, _S.score.is_not(None)
        ),
    )
    latest = (
        select(_Q.merchant_id, func.max(_Q.assessment_id).label("assessment_id"))
        .where(_Q.merchant_id.in_(peers))
        .group_by(_Q.merchant_id)
        .subquery()
    )
    selves = read_frame(
        engine,
        select(_Q.merchant_id, *[_Q[c] for c in CONNECTIONS]).join(
            latest, latest.c.assessment_id == _Q.assessment_id
        ),
    )
    rows = []
    for c in CONNECTIONS:
        own = measured[(measured["merchant_id"] == merchant_id) & (measured["connection"] == c)]
        others = measured[(measured["merchant_id"] != merchant_id) & (measured["connection"] == c)]
        m_pct = None
        if not own.empty and enough(others["merchant_id"].nunique()):
            m_pct = percentile_rank(
                float(own["score"].iloc[0]), others["score"].astype(float).tolist()
            )
        own_self = selves[selves["merchant_id"] == merchant_id]
        other_self = selves[selves["merchant_id"] != merchant_id]
        s_pct = None
        if not own_self.empty and enough(int(other_self[c].notna().sum())):
            s_pct = percentile_rank(
                float(own_self[c].iloc[0]), other_self[c].dropna().astype(float).tolist()
            )
        rows.append((c, m_pct, len(others), s_pct, len(other_self)))
    return pd.DataFrame(rows, columns=columns)


def cohort_connection_summary(*, engine: Engine, scope: Scope) -> pd.DataFrame:
    """Per cohort: the mean score of each connection over its merchants in the last mart
    week that starts on or before the cohort's end date, and how many merchants are
    running or leading there. Columns: cohort_id, name, week, merchants, <connection>,
    <connection>_running."""
    cohorts = read_frame(
        engine,
        select(_C.cohort_id, _C.name, _C.end_date)
        .where(scope.cohort_filter(_C.cohort_id))
        .order_by(_C.start_date),
    )
    columns = ["cohort_id", "name", "week", "merchants"]
    columns += [c for conn in CONNECTIONS for c in (conn, f"{conn}_running")]
    rows = []
    for cohort in cohorts.itertuples(index=False):
        in_cohort = select(_M.merchant_id).where(_M.cohort_id == cohort.cohort_id)
        week_stmt = select(func.max(_S.week)).where(
            scope.merchant_filter(_S.merchant_id),
            _S.merchant_id.in_(in_cohort),
            _S.week <= monday(cohort.end_date),
        )
        with engine.connect() as connection:
            week = connection.execute(week_stmt).scalar()
        if week is None:
            continue
        stmt = (
            select(
                _S.connection,
                func.count(func.distinct(_S.merchant_id)).label("merchants"),
                func.avg(_S.score).label("score"),
                func.sum(case((_S.stage.in_(("running", "leading")), 1), else_=0)).label("running"),
            )
            .where(
                scope.merchant_filter(_S.merchant_id),
                _S.merchant_id.in_(in_cohort),
                _S.week == week,
            )
            .group_by(_S.connection)
        )
        part = read_frame(engine, stmt).set_index("connection")
        row: dict[str, Any] = {
            "cohort_id": cohort.cohort_id,
            "name": cohort.name,
            "week": week,
            "merchants": int(part["merchants"].max()) if not part.empty else 0,
        }
        for c in CONNECTIONS:
            score = part.loc[c, "score"] if c in part.index else None
            row[c] = None if score is None or pd.isna(score) else float(score)
            row[f"{c}_running"] = int(part.loc[c, "running"] or 0) if c in part.index else 0
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)
