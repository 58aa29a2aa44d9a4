"""Who hears of a firing: the in-app inbox of each user, read marks, preferences, and the
recipients of an email.

One rule decides what a user may be told (`_visible`): the firing's merchant is in the
user's scope (a programme firing, about a delivery, only for executives), and a merchant
is told only of the rules shared with merchants. The inbox, the recipients of an email and
the facts a message carries all go through it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Engine, and_, delete, false, insert, select, true

from models.alerts import METRIC_DAYS
from models.auth import scope_of
from models.db import read_frame
from models.schema import Merchant, table_of
from models.schema_alerts import AlertFiring, AlertPreference, AlertRead, AlertRule
from models.schema_auth import User
from models.scope import Scope

_R = table_of(AlertRule).c
_F = table_of(AlertFiring).c
_M = table_of(Merchant).c
_READ = table_of(AlertRead).c
_P = table_of(AlertPreference).c
_U = table_of(User).c
LANGS = ("en", "zh")

INBOX_COLUMNS = [
    "firing_id",
    "fired_at",
    "cleared_at",
    "rule_id",
    "rule_name",
    "kind",
    "metric",
    "direction",
    "threshold",
    "period",
    "merchant_id",
    "merchant_name",
    "value",
    "detail",
    "read",
]


def _visible(scope: Scope) -> ColumnElement[bool]:
    """The firings `scope` may be told of (firings joined to their rules)."""
    if scope.role == "executive":
        return true()
    if scope.role == "merchant":
        return and_(scope.merchant_filter(_F.merchant_id), _R.share_with_merchant.is_(True))
    if not scope.cohort_ids:
        return false()
    return scope.merchant_filter(_F.merchant_id)


def _facts(user_id: int) -> Any:
    read = (
        select(_READ.firing_id)
        .where(_READ.user_id == user_id, _READ.firing_id == _F.firing_id)
        .exists()
    )
    return (
        select(
            _F.firing_id,
            _F.fired_at,
            _F.cleared_at,
            _R.rule_id,
            _R.name.label("rule_name"),
            _R.kind,
            _R.metric,
            _R.direction,
            _R.threshold,
            _R.period,
            _F.merchant_id,
            _M.name.label("merchant_name"),
            _F.value,
            _F.detail,
            read.label("read"),
        )
        .select_from(table_of(AlertFiring))
        .join(table_of(AlertRule), _R.rule_id == _F.rule_id)
        .outerjoin(table_of(Merchant), _M.merchant_id == _F.merchant_id)
    )


def inbox(
    *, engine: Engine, scope: Scope, user_id: int, open_only: bool = False, limit: int = 200
) -> pd.DataFrame:
    """The firings `scope` may be told of, newest first, with whether `user_id` read them."""
    stmt = _facts(user_id).where(_visible(scope))
    if open_only:
        stmt = stmt.where(_F.cleared_at.is_(None))
    frame = read_frame(engine, stmt.order_by(_F.fired_at.desc(), _F.firing_id.desc()).limit(limit))
    frame = frame.reindex(columns=INBOX_COLUMNS)
    return frame.assign(read=frame["read"].astype(bool), days=frame["metric"].map(METRIC_DAYS))


def unread_count(*, engine: Engine, scope: Scope, user_id: int, open_only: bool = True) -> int:
    """How many of the firings `inbox` lists (the open ones, or all) `user_id` has not read."""
    frame = inbox(engine=engine, scope=scope, user_id=user_id, open_only=open_only)
    return int((~frame["read"]).sum())


def mark_read(
    engine: Engine, *, scope: Scope, user_id: int, firing_ids: list[int], now: datetime
) -> int:
    """Mark the firings of `firing_ids` that `scope` may see as read; how many were new."""
    visible = {
        int(v) for v in inbox(engine=engine, scope=scope, user_id=user_id)["firing_id"].tolist()
    }
    wanted = sorted(visible & set(firing_ids))
    with engine.begin() as connection:
        connection.execute(
            delete(table_of(AlertRead)).where(_READ.user_id == user_id, _READ.firing_id.in_(wanted))
        )
        for firing_id in wanted:
            connection.execute(
                insert(table_of(AlertRead)).values(
                    user_id=user_id, firing_id=firing_id, read_at=now
                )
            )
    return len(wanted)


def preference(engine: Engine, *, user_id: int) -> tuple[str, bool]:
    """The user's alert language and whether they want emails (English, no email unset)."""
    with engine.connect() as connection:
        row = connection.execute(select(_P.lang, _P.email).where(_P.user_id == user_id)).first()
    return (row.lang, bool(row.email)) if row is not None else ("en", False)


def set_preference(engine: Engine, *, user_id: int, lang: str, email: bool) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")
    with engine.begin() as connection:
        connection.execute(delete(table_of(AlertPreference)).where(_P.user_id == user_id))
        connection.execute(
            insert(table_of(AlertPreference)).values(user_id=user_id, lang=lang, email=email)
        )


def firing_for(connection: Connection, *, scope: Scope, firing_id: int) -> dict[str, Any] | None:
    """The facts of one firing, as `scope` may be told them (None: not for this scope)."""
    row = connection.execute(_facts(-1).where(_F.firing_id == firing_id, _visible(scope))).first()
    if row is None:
        return None
    facts = dict(row._mapping)
    return facts | {"days": METRIC_DAYS.get(str(facts["metric"]))}


def email_recipients(connection: Connection, firing_id: int) -> list[tuple[int, str, str]]:
    """(user id, email address, language) of the active users who asked for email and may
    be told of the firing, for a rule that sends email."""
    sends = connection.execute(
        select(_R.email)
        .join(table_of(AlertFiring), _F.rule_id == _R.rule_id)
        .where(_F.firing_id == firing_id)
    ).scalar()
    if not sends:
        return []
    users = connection.execute(
        select(_U.user_id, _U.username, _U.role, _U.email, _P.lang)
        .join(table_of(AlertPreference), _P.user_id == _U.user_id)
        .where(_P.email.is_(True), _U.active.is_(True), _U.email.is_not(None))
        .order_by(_U.user_id)
    ).fetchall()
    out = []
    for user in users:
        scope = scope_of(connection, user.user_id, user.role, user.username)
        if firing_for(connection, scope=scope, firing_id=firing_id) is not None:
            out.append((int(user.user_id), str(user.email), str(user.lang)))
    return out
