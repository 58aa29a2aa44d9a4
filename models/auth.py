"""Identity: local accounts, authentication with lock-out, scopes, and the audit log.

A `Scope` is only ever built here, from a user row and its scope rows in the database
(or, in demo mode, from a demo persona): never from a widget, URL or query parameter.
Passwords are hashed with Argon2id (argon2-cffi). Changing a user's role and scopes is
`models/grants.py`; the demo's personas are `models/personas.py`.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, Engine, insert, select, update

from models.clock import utcnow
from models.schema import Merchant, table_of
from models.schema_auth import AuditEvent, User, UserScope
from models.scope import Role, Scope

if TYPE_CHECKING:
    from models.personas import Persona

ROLES: tuple[Role, ...] = ("executive", "coach", "merchant")
MAX_FAILURES = 5  # consecutive failed logins before the account locks
LOCK_MINUTES = 15
MIN_PASSWORD = 10

_hasher = PasswordHasher()


class AuthError(ValueError):
    """A user management request that cannot be done; the message says why."""


@dataclass(frozen=True)
class Identity:
    """Who is logged in, as the server knows it."""

    user_id: int | None  # None for a demo persona
    username: str
    display_name: str
    role: Role
    scope: Scope


LoginOutcome = Literal["ok", "unknown", "wrong_password", "locked", "inactive", "no_password"]


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    identity: Identity | None = None
    locked_until: datetime | None = None


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _norm(name: str) -> str:
    return name.strip().lower()


def norm_username(name: str) -> str:
    """Usernames are kept and compared trimmed and in lower case."""
    return _norm(name)


# --- audit ---------------------------------------------------------------------------


def audit(
    connection: Connection,
    *,
    actor: str,
    action: str,
    target: str = "",
    detail: str = "",
    success: bool = True,
    at: datetime | None = None,
) -> None:
    """Record an event in the audit log (in the caller's transaction)."""
    connection.execute(
        insert(table_of(AuditEvent)).values(
            at=at or utcnow(),
            actor=actor,
            action=action,
            target=target[:500],
            detail=detail,
            success=success,
        )
    )


def record(engine: Engine, **event: Any) -> None:
    """`audit` in a transaction of its own."""
    with engine.begin() as connection:
        audit(connection, **event)


def audit_log(
    *, engine: Engine, scope: Scope, limit: int = 500, action: str | None = None
) -> pd.DataFrame:
    """The latest audit events; executives only (anyone else gets an empty frame)."""
    a = table_of(AuditEvent).c
    columns = ["at", "actor", "action", "target", "detail", "success"]
    if not scope.sees_everything:
        return pd.DataFrame(columns=columns)
    stmt = select(a.at, a.actor, a.action, a.target, a.detail, a.success)
    if action:
        stmt = stmt.where(a.action == action)
    stmt = stmt.order_by(a.audit_id.desc()).limit(limit)
    with engine.connect() as connection:
        rows = connection.execute(stmt).fetchall()
    return pd.DataFrame(rows, columns=columns)


# --- scopes --------------------------------------------------------------------------


def scope_of(connection: Connection, user_id: int, role: Role, username: str) -> Scope:
    """The scope of a user, from its scope rows."""
    s = table_of(UserScope).c
    rows = connection.execute(select(s.kind, s.value).where(s.user_id == user_id)).fetchall()
    cohorts = frozenset(v for k, v in rows if k == "cohort")
    merchants = frozenset(v for k, v in rows if k == "merchant")
    if role == "executive":
        return Scope.executive(user=username)
    if role == "coach":
        return Scope("coach", cohort_ids=cohorts, user=username)
    return Scope("merchant", merchant_ids=merchants, user=username)


def _identity(connection: Connection, row: Any) -> Identity:
    role: Role = row.role
    return Identity(
        user_id=row.user_id,
        username=row.username,
        display_name=row.display_name or row.username,
        role=role,
        scope=scope_of(connection, row.user_id, role, row.username),
    )


# --- logging in ----------------------------------------------------------------------


def authenticate(
    engine: Engine, username: str, password: str, *, now: datetime | None = None
) -> LoginResult:
    """Check a username and password. Every attempt is audited; MAX_FAILURES failures in a
    row lock the account for LOCK_MINUTES (a correct password does not open a locked one).

    Atomic under parallel logins, on SQLite and PostgreSQL alike: each attempt first
    counts itself with one conditional UPDATE (`failed_logins + 1`, only while the account
    is unlocked and fewer than MAX_FAILURES attempts are counted), so at most MAX_FAILURES
    passwords are ever checked before the lock; the password is checked outside any
    transaction; a success is written only where the account is still unlocked."""
    now = now or utcnow()
    name = _norm(username)
    users = table_of(User)
    c = users.c
    unlocked = c.locked_until.is_(None) | (c.locked_until <= now)

    def fail(detail: str, outcome: LoginOutcome, until: datetime | None = None) -> LoginResult:
        record(engine, actor=name, action="login", detail=detail, success=False, at=now)
        return LoginResult(outcome, locked_until=until)

    def lock_if_spent() -> datetime | None:
        """Lock the account if MAX_FAILURES attempts are counted; the lock's end if so."""
        until = now + timedelta(minutes=LOCK_MINUTES)
        with engine.begin() as connection:
            locked = connection.execute(
                update(users)
                .where(c.username == name, c.failed_logins >= MAX_FAILURES, unlocked)
                .values(failed_logins=0, locked_until=until)
            ).rowcount
        return until if locked else None

    with engine.connect() as connection:
        row = connection.execute(select(users).where(c.username == name)).first()
    if row is None:
        return fail("unknown user", "unknown")
    if not row.active:
        return fail("inactive", "inactive")
    if row.password_hash is None:
        return fail("no password (SSO only)", "no_password")
    with engine.begin() as connection:
        counted = connection.execute(
            update(users)
            .where(c.user_id == row.user_id, unlocked, c.failed_logins < MAX_FAILURES)
            .values(failed_logins=c.failed_logins + 1)
        ).rowcount
    if not counted:  # locked, or MAX_FAILURES attempts already under way
        lock_if_spent()
        with engine.connect() as connection:
            until = connection.execute(
                select(c.locked_until).where(c.user_id == row.user_id)
            ).scalar_one_or_none()
        return fail("locked", "locked", until)
    try:
        _hasher.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        until = lock_if_spent()
        if until is not None:
            return fail(f"wrong password; locked until {until:%Y-%m-%d %H:%M}", "locked", until)
        return fail("wrong password", "wrong_password")
    values: dict[str, Any] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if _hasher.check_needs_rehash(row.password_hash):
        values["password_hash"] = _hasher.hash(password)
    with engine.begin() as connection:
        opened = connection.execute(
            update(users).where(c.user_id == row.user_id, unlocked).values(**values)
        ).rowcount
        if not opened:  # locked by a parallel attempt meanwhile
            audit(connection, actor=name, action="login", detail="locked", success=False, at=now)
            return LoginResult("locked")
        audit(connection, actor=name, action="login", at=now)
        return LoginResult("ok", identity=_identity(connection, row))


def identity_for_email(
    engine: Engine, email: str, *, now: datetime | None = None
) -> Identity | None:
    """The local user an SSO identity maps to (by email), if it exists and is active.
    The login is audited either way."""
    now = now or utcnow()
    users = table_of(User)
    address = _norm(email)
    with engine.begin() as connection:
        row = connection.execute(select(users).where(users.c.email == address)).first()
        if row is None or not row.active:
            why = "inactive" if row is not None else "no local user"
            audit(connection, actor=address, action="login_sso", success=False, at=now, detail=why)
            return None
        audit(connection, actor=address, action="login_sso", at=now)
        connection.execute(
            update(users).where(users.c.user_id == row.user_id).values(last_login_at=now)
        )
        return _identity(connection, row)


def current_identity(engine: Engine, user_id: int) -> Identity | None:
    """Re-read a logged-in user (its role and scopes may have changed; it may be gone)."""
    users = table_of(User)
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.user_id == user_id)).first()
        if row is None or not row.active:
            return None
        return _identity(connection, row)


# --- user management (CLI) -------------------------------------------------------------


def user_row(connection: Connection, username: str) -> Any:
    users = table_of(User)
    row = connection.execute(select(users).where(users.c.username == _norm(username))).first()
    if row is None:
        raise AuthError(f"no user {username!r}")
    return row


def check_scope_values(connection: Connection, kind: str, values: Sequence[str]) -> None:
    """Scopes must name things that exist: a typo would silently show nothing."""
    from models.schema import Cohort

    if kind == "cohort":
        known = set(connection.execute(select(Cohort.cohort_id)).scalars())
    else:
        known = set(connection.execute(select(Merchant.merchant_id)).scalars())
    unknown = sorted(set(values) - known)
    if unknown:
        raise AuthError(f"unknown {kind}: {', '.join(unknown)} (load it first)")


def add_user(
    engine: Engine,
    *,
    username: str,
    role: Role,
    password: str | None,
    actor: str,
    email: str | None = None,
    display_name: str = "",
    cohorts: Sequence[str] = (),
    merchants: Sequence[str] = (),
) -> None:
    with engine.begin() as connection:
        insert_user(
            connection,
            username=username,
            role=role,
            password=password,
            actor=actor,
            email=email,
            display_name=display_name,
            cohorts=cohorts,
            merchants=merchants,
        )


def insert_user(
    connection: Connection,
    *,
    username: str,
    role: Role,
    password: str | None,
    actor: str,
    email: str | None = None,
    display_name: str = "",
    cohorts: Sequence[str] = (),
    merchants: Sequence[str] = (),
) -> int:
    """`add_user` in the caller's transaction; returns the new user's id."""
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    if role == "merchant" and len(merchants) != 1:
        raise AuthError("a merchant user needs exactly one --merchant")
    if role != "merchant" and merchants:
        raise AuthError("only merchant users have a merchant")
    if role != "coach" and cohorts:
        raise AuthError("only coaches have cohorts")
    name = _norm(username)
    if not name:
        raise AuthError("a username is required")
    users = table_of(User)
    if connection.execute(select(users.c.user_id).where(users.c.username == name)).first():
        raise AuthError(f"user {name!r} exists already")
    check_scope_values(connection, "cohort", cohorts)
    check_scope_values(connection, "merchant", merchants)
    user_id: int = connection.execute(
        insert(users)
        .values(
            username=name,
            email=_norm(email) if email else None,
            display_name=display_name or name,
            role=role,
            password_hash=hash_password(password) if password else None,
            active=True,
            failed_logins=0,
            created_at=utcnow(),
        )
        .returning(users.c.user_id)
    ).scalar_one()
    add_scopes(connection, user_id, "cohort", cohorts)
    add_scopes(connection, user_id, "merchant", merchants)
    audit(
        connection,
        actor=actor,
        action="user_add",
        target=name,
        detail=f"role {role}; cohorts {list(cohorts)}; merchants {list(merchants)}",
    )
    return user_id


def add_scopes(connection: Connection, user_id: int, kind: str, values: Sequence[str]) -> None:
    rows = [{"user_id": user_id, "kind": kind, "value": v} for v in sorted(set(values))]
    if rows:
        connection.execute(insert(table_of(UserScope)), rows)


def reset_password(engine: Engine, *, username: str, password: str, actor: str) -> None:
    users = table_of(User)
    with engine.begin() as connection:
        row = user_row(connection, username)
        connection.execute(
            update(users)
            .where(users.c.user_id == row.user_id)
            .values(password_hash=hash_password(password), failed_logins=0, locked_until=None)
        )
        audit(connection, actor=actor, action="user_password", target=row.username)


def set_active(engine: Engine, *, username: str, active: bool, actor: str) -> None:
    users = table_of(User)
    with engine.begin() as connection:
        row = user_row(connection, username)
        connection.execute(
            update(users).where(users.c.user_id == row.user_id).values(active=active)
        )
        audit(
            connection,
            actor=actor,
            action="user_activate" if active else "user_deactivate",
            target=row.username,
        )


def unlock(engine: Engine, *, username: str, actor: str) -> None:
    users = table_of(User)
    with engine.begin() as connection:
        row = user_row(connection, username)
        connection.execute(
            update(users)
            .where(users.c.user_id == row.user_id)
            .values(failed_logins=0, locked_until=None)
        )
        audit(connection, actor=actor, action="user_unlock", target=row.username)


def list_users(engine: Engine) -> pd.DataFrame:
    users, scopes = table_of(User), table_of(UserScope)
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                users.c.user_id,
                users.c.username,
                users.c.email,
                users.c.role,
                users.c.active,
                users.c.locked_until,
                users.c.last_login_at,
            ).order_by(users.c.username)
        ).fetchall()
        scope_rows = connection.execute(select(scopes)).fetchall()
    frame = pd.DataFrame(
        rows,
        columns=["user_id", "username", "email", "role", "active", "locked_until", "last_login_at"],
    )
    granted: dict[int, list[str]] = {}
    for s in scope_rows:
        granted.setdefault(s.user_id, []).append(f"{s.kind}:{s.value}")
    frame["scopes"] = [", ".join(sorted(granted.get(u, []))) for u in frame["user_id"]]
    return frame.drop(columns=["user_id"])


def has_users(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(table_of(User).c.user_id).limit(1)).first() is not None


def persona_identity(persona: Persona) -> Identity:
    return Identity(
        user_id=None, username="demo", display_name="demo", role=persona.role, scope=persona.scope
    )
