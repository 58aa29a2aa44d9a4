"""Alert rules: who may keep which, what each kind measures, and the firings they leave.

A rule holds for a subject (a merchant, or the programme for a delivery's rejection rate).
`evaluate` measures every active rule against the data, opens a firing for each subject
the rule newly holds for and clears the open firings it no longer holds for: a firing is
recorded once, and not again until it has cleared. Measuring is done in the engine, over
the merchants of the rule's cohort (every merchant for an executive's rule).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Engine,
    Row,
    Select,
    and_,
    delete,
    func,
    insert,
    select,
    true,
    update,
)

from models.connections import CONNECTIONS, STAGES
from models.schema import LoadBatch, MartMerchantDay, Merchant, Order, table_of
from models.schema_alerts import AlertFiring, AlertRule
from models.schema_connections import MartConnectionScore
from models.scope import Scope

KINDS = ("kpi", "stall", "stage", "late", "rejections")
# KPI figures a rule may watch: GMV is the daily average over the last 7 days of data;
# shares are over the last 28 days; a connection score is the latest week's (0-100).
KPI_METRICS = (
    "gmv",
    "private_share",
    "digitised_share",
    *(f"score_{c}" for c in CONNECTIONS),
)
DIRECTIONS = ("above", "below")
# A stage rule watches one connection, or all three ("any": each connection of a merchant
# that is stuck is a firing of its own, cleared on its own).
ANY_CONNECTION = "any"
STAGE_CONNECTIONS = (ANY_CONNECTION, *CONNECTIONS)
PROGRAMME = "programme"  # the subject of a rule about deliveries, not a merchant
GMV_DAYS = 7
SHARE_DAYS = 28
# The days a KPI rule reads, ending on the last day with data (its label says so: `days`).
METRIC_DAYS = {"gmv": GMV_DAYS, "private_share": SHARE_DAYS, "digitised_share": SHARE_DAYS}

_R = table_of(AlertRule).c
_F = table_of(AlertFiring).c
_D = table_of(MartMerchantDay).c
_M = table_of(Merchant).c
_S = table_of(MartConnectionScore).c
_O = table_of(Order).c
_B = table_of(LoadBatch).c


class RuleError(ValueError):
    """A rule that may not be kept: its message is a catalog key with its values."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    metric: str = ""
    direction: str = "below"
    threshold: float = 0.0
    period: int = 0
    cohort_id: str | None = None
    share_with_merchant: bool = False
    email: bool = False
    webhooks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A rule holds for a subject, with the measured value and a detail (a stage)."""

    subject: str
    merchant_id: str | None
    value: float | None
    detail: str = ""


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


# --- rules -----------------------------------------------------------------------------


def check_rule(rule: Rule, scope: Scope) -> None:
    """Raise `RuleError` when `rule` is malformed or outside what `scope` may watch."""
    if scope.role == "merchant":
        raise RuleError("alerts.error.not_allowed")
    if not rule.name.strip():
        raise RuleError("alerts.error.name")
    if rule.kind not in KINDS:
        raise RuleError("alerts.error.kind", kind=rule.kind)
    if rule.kind == "kpi" and (rule.metric not in KPI_METRICS or rule.direction not in DIRECTIONS):
        raise RuleError("alerts.error.metric", metric=rule.metric)
    if rule.kind == "stage" and rule.metric not in STAGE_CONNECTIONS:
        raise RuleError("alerts.error.metric", metric=rule.metric)
    if rule.kind in ("stall", "stage", "late") and rule.period < 1:
        raise RuleError("alerts.error.period")
    if rule.kind == "rejections" and not 0 <= rule.threshold <= 1:
        raise RuleError("alerts.error.share")
    if rule.kind == "rejections" and rule.cohort_id is not None:
        raise RuleError("alerts.error.programme_only")
    if scope.role == "coach" and rule.cohort_id not in (scope.cohort_ids or frozenset()):
        raise RuleError("alerts.error.cohort", cohort=rule.cohort_id or "-")


def add_rule(engine: Engine, *, rule: Rule, scope: Scope, now: datetime) -> int:
    """Keep `rule` for `scope` (checked by `check_rule`); its id."""
    check_rule(rule, scope)
    with engine.begin() as connection:
        result = connection.execute(
            insert(table_of(AlertRule)).values(
                name=rule.name.strip(),
                kind=rule.kind,
                metric=rule.metric,
                direction=rule.direction,
                threshold=float(rule.threshold),
                period=int(rule.period),
                cohort_id=rule.cohort_id,
                share_with_merchant=rule.share_with_merchant,
                email=rule.email,
                webhooks=",".join(rule.webhooks),
                active=True,
                created_by=scope.user,
                created_at=now,
            )
        )
        return _new_id(result)


def _rules_in_scope(scope: Scope) -> Select[tuple[int]]:
    """The ids of the rules `scope` manages: all for executives, their cohorts' for coaches."""
    stmt = select(_R.rule_id)
    if scope.role == "executive":
        return stmt
    if scope.role == "coach" and scope.cohort_ids:
        return stmt.where(_R.cohort_id.in_(sorted(scope.cohort_ids)))
    return stmt.where(_R.rule_id.is_(None))


def rules(*, engine: Engine, scope: Scope) -> list[dict[str, object]]:
    """The rules `scope` manages, newest first, with how many firings are open."""
    open_count = (
        select(func.count())
        .where(_F.rule_id == _R.rule_id, _F.cleared_at.is_(None))
        .scalar_subquery()
    )
    stmt = (
        select(*table_of(AlertRule).c, open_count.label("open_firings"))
        .where(_R.rule_id.in_(_rules_in_scope(scope)))
        .order_by(_R.rule_id.desc())
    )
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(stmt)]
    return [row | {"days": METRIC_DAYS.get(str(row["metric"]))} for row in rows]


def set_active(engine: Engine, *, rule_id: int, active: bool, scope: Scope) -> bool:
    """Pause or resume a rule `scope` manages; False when it is not one of them."""
    with engine.begin() as connection:
        result = connection.execute(
            update(table_of(AlertRule))
            .where(_R.rule_id == rule_id, _R.rule_id.in_(_rules_in_scope(scope)))
            .values(active=active)
        )
        return result.rowcount == 1


def delete_rule(engine: Engine, *, rule_id: int, scope: Scope) -> bool:
    """Delete a rule `scope` manages, with its firings; False when it is not one of them."""
    with engine.begin() as connection:
        if (
            connection.execute(
                select(_R.rule_id).where(
                    _R.rule_id == rule_id, _R.rule_id.in_(_rules_in_scope(scope))
                )
            ).first()
            is None
        ):
            return False
        firings = select(_F.firing_id).where(_F.rule_id == rule_id)
        for table in ("alert_messages", "alert_reads"):
            target = AlertRule.metadata.tables[table]
            connection.execute(delete(target).where(target.c.firing_id.in_(firings)))
        connection.execute(delete(table_of(AlertFiring)).where(_F.rule_id == rule_id))
        connection.execute(delete(table_of(AlertRule)).where(_R.rule_id == rule_id))
        return True


# --- measuring ---------------------------------------------------------------------------


def _merchants_of(rule: Row[Any]) -> ColumnElement[bool]:
    """The merchants a rule watches: its cohort's, or every merchant."""
    return _M.cohort_id == rule.cohort_id if rule.cohort_id is not None else true()


def _data_end(connection: Connection) -> date | None:
    return connection.execute(select(func.max(_D.date))).scalar()


def _window_sums(connection: Connection, rule: Row[Any], first: date, last: date) -> list[Row[Any]]:
    stmt = (
        select(
            _D.merchant_id,
            func.sum(_D.gmv).label("gmv"),
            func.sum(_D.private_gmv).label("private_gmv"),
            func.sum(_D.visitors).label("visitors"),
            func.sum(_D.identified_visitors).label("identified"),
        )
        .join(table_of(Merchant), _M.merchant_id == _D.merchant_id)
        .where(_merchants_of(rule), _D.date.between(first, last))
        .group_by(_D.merchant_id)
    )
    return list(connection.execute(stmt))


def _crosses(value: float | None, rule: Row[Any]) -> bool:
    if value is None:
        return False
    threshold = float(rule.threshold)
    return value > threshold if rule.direction == "above" else value < threshold


def _kpi_hits(connection: Connection, rule: Row[Any]) -> list[Hit]:
    metric = str(rule.metric)
    if metric.startswith("score_"):
        latest = (
            select(_S.merchant_id, func.max(_S.week).label("week"))
            .where(_S.connection == metric.removeprefix("score_"))
            .group_by(_S.merchant_id)
            .subquery()
        )
        stmt = (
            select(_S.merchant_id, _S.score)
            .join(latest, and_(latest.c.merchant_id == _S.merchant_id, latest.c.week == _S.week))
            .join(table_of(Merchant), _M.merchant_id == _S.merchant_id)
            .where(_S.connection == metric.removeprefix("score_"), _merchants_of(rule))
        )
        measured = [(row.merchant_id, row.score) for row in connection.execute(stmt)]
    else:
        end = _data_end(connection)
        if end is None:
            return []
        days = METRIC_DAYS[metric]
        sums = _window_sums(connection, rule, end - timedelta(days=days - 1), end)
        measured = [(row.merchant_id, _kpi_value(metric, row, days)) for row in sums]
    return [
        Hit(mid, mid, float(value))
        for mid, value in measured
        if value is not None and _crosses(float(value), rule)
    ]


def _kpi_value(metric: str, row: Row[Any], days: int) -> float | None:
    gmv = float(row.gmv or 0)
    if metric == "gmv":
        return gmv / days
    if metric == "private_share":
        return float(row.private_gmv or 0) / gmv if gmv > 0 else None
    visitors = float(row.visitors or 0)
    return float(row.identified or 0) / visitors if visitors > 0 else None


def _stall_hits(connection: Connection, rule: Row[Any]) -> list[Hit]:
    """No growth: the daily average GMV of the last N weeks is not above the N before."""
    end = _data_end(connection)
    if end is None:
        return []
    days = 7 * int(rule.period)
    recent_start = end - timedelta(days=days - 1)
    before_start = recent_start - timedelta(days=days)
    recent = {
        r.merchant_id: float(r.gmv or 0) for r in _window_sums(connection, rule, recent_start, end)
    }
    before = {
        r.merchant_id: float(r.gmv or 0)
        for r in _window_sums(connection, rule, before_start, recent_start - timedelta(days=1))
    }
    hits = []
    for mid, earlier in sorted(before.items()):
        later = recent.get(mid, 0.0)
        if earlier > 0 and later <= earlier:
            hits.append(Hit(mid, mid, later / earlier - 1))
    return hits


def _stage_hits(connection: Connection, rule: Row[Any]) -> list[Hit]:
    """A connection stuck: the same stage, short of the last, in each of the last N+1 weeks
    the merchant was scored on it. A rule on one connection has the merchant as subject
    and the stage as detail; a rule on any connection has `merchant:connection` as
    subject and `connection:stage` as detail."""
    weeks = int(rule.period) + 1
    watched = CONNECTIONS if rule.metric == ANY_CONNECTION else (str(rule.metric),)
    stmt = (
        select(_S.merchant_id, _S.connection, _S.week, _S.stage)
        .join(table_of(Merchant), _M.merchant_id == _S.merchant_id)
        .where(_S.connection.in_(watched), _merchants_of(rule))
        .order_by(_S.merchant_id, _S.connection, _S.week.desc())
    )
    stages_of: dict[tuple[str, str], list[str]] = {}
    for row in connection.execute(stmt):
        stages_of.setdefault((row.merchant_id, row.connection), []).append(row.stage)
    hits = []
    for (mid, name), stages in sorted(stages_of.items()):
        last = stages[:weeks]
        if len(last) == weeks and len(set(last)) == 1 and last[0] != STAGES[-1]:
            if rule.metric == ANY_CONNECTION:
                hits.append(Hit(f"{mid}:{name}", mid, float(weeks - 1), f"{name}:{last[0]}"))
            else:
                hits.append(Hit(mid, mid, float(weeks - 1), detail=last[0]))
    return hits


def _late_hits(connection: Connection, rule: Row[Any], now: datetime) -> list[Hit]:
    """No delivery in N days: the newest delivery that wrote a merchant's orders is older."""
    last = (
        select(_O.merchant_id, func.max(_B.started_at).label("at"))
        .join(table_of(LoadBatch), _B.batch_id == _O.batch_id)
        .group_by(_O.merchant_id)
        .subquery()
    )
    stmt = (
        select(_M.merchant_id, last.c.at)
        .select_from(table_of(Merchant))
        .outerjoin(last, last.c.merchant_id == _M.merchant_id)
        .where(_merchants_of(rule))
    )
    limit = timedelta(days=int(rule.period))
    hits = []
    for row in connection.execute(stmt):
        if row.at is None or now - row.at > limit:
            age = None if row.at is None else float((now - row.at).days)
            hits.append(Hit(row.merchant_id, row.merchant_id, age))
    return hits


def _rejection_hits(connection: Connection, rule: Row[Any]) -> list[Hit]:
    """The newest delivery that read rows rejected more than the limit's share of them."""
    row = connection.execute(
        select(_B.batch_id, _B.rows_read, _B.rows_rejected)
        .where(_B.rows_read > 0)
        .order_by(_B.batch_id.desc())
        .limit(1)
    ).first()
    if row is None:
        return []
    rate = row.rows_rejected / row.rows_read
    if rate > float(rule.threshold):
        return [Hit(PROGRAMME, None, rate, detail=str(row.batch_id))]
    return []


def measure(connection: Connection, rule: Row[Any], now: datetime) -> list[Hit]:
    """The subjects `rule` holds for now."""
    kind = rule.kind
    if kind == "kpi":
        return _kpi_hits(connection, rule)
    if kind == "stall":
        return _stall_hits(connection, rule)
    if kind == "stage":
        return _stage_hits(connection, rule)
    if kind == "late":
        return _late_hits(connection, rule, now)
    return _rejection_hits(connection, rule)


# --- firings -----------------------------------------------------------------------------


def _record(connection: Connection, rule_id: int, hits: Iterable[Hit], now: datetime) -> list[int]:
    open_rows = {
        row.subject: row.firing_id
        for row in connection.execute(
            select(_F.subject, _F.firing_id).where(_F.rule_id == rule_id, _F.cleared_at.is_(None))
        )
    }
    holding = {hit.subject: hit for hit in hits}
    cleared = [fid for subject, fid in open_rows.items() if subject not in holding]
    if cleared:
        connection.execute(
            update(table_of(AlertFiring)).where(_F.firing_id.in_(cleared)).values(cleared_at=now)
        )
    new_ids = []
    for subject, hit in sorted(holding.items()):
        if subject in open_rows:
            continue
        result = connection.execute(
            insert(table_of(AlertFiring)).values(
                rule_id=rule_id,
                merchant_id=hit.merchant_id,
                subject=subject,
                value=hit.value,
                detail=hit.detail,
                fired_at=now,
            )
        )
        new_ids.append(_new_id(result))
    return new_ids


def evaluate(engine: Engine, *, now: datetime) -> list[int]:
    """Measure every active rule; open the new firings, clear the ones that no longer hold.
    The ids of the firings opened now (to be told)."""
    opened: list[int] = []
    with engine.begin() as connection:
        active = list(connection.execute(select(table_of(AlertRule)).where(_R.active.is_(True))))
        for rule in active:
            opened += _record(connection, rule.rule_id, measure(connection, rule, now), now)
    return opened
