"""Accounts managed in the app: who may manage them (executives only, checked here), a
generated password or a one-time invitation link for a new or reset account, and a
user changing its own password. The account operations themselves are `models.auth`'s,
the same ones the CLI (`python -m pipelines users`) calls.

An invitation is a random token (`secrets.token_urlsafe`) handed out once; only its
SHA-256 is stored (`account_invitations`), it expires after `INVITATION_DAYS` and opens
once: accepting it sets the password and marks it used.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, insert, select, update

from models import auth
from models.clock import utcnow
from models.permissions import require
from models.schema import table_of
from models.schema_auth import User
from models.schema_merchant import Invitation
from models.scope import Role, Scope

INVITATION_DAYS = 7


def require_manager(scope: Scope) -> None:
    """Only an executive manages accounts (the rule is models/permissions.py's)."""
    require(scope, "users")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Handed:
    """What is shown once to the manager: a generated password or an invitation token."""

    username: str
    password: str | None = None
    token: str | None = None


def accounts(*, engine: Engine, scope: Scope) -> pd.DataFrame:
    require_manager(scope)
    return auth.list_users(engine)


def _invite(engine: Engine, username: str, actor: str, now: datetime) -> str:
    token = secrets.token_urlsafe(24)
    u = table_of(User).c
    with engine.begin() as connection:
        user_id = connection.execute(
            select(u.user_id).where(u.username == username.strip().lower())
        ).scalar_one()
        connection.execute(
            insert(table_of(Invitation)).values(
                token_hash=_digest(token),
                user_id=user_id,
                created_by=actor,
                created_at=now,
                expires_at=now + timedelta(days=INVITATION_DAYS),
                used_at=None,
            )
        )
        auth.audit(connection, actor=actor, action="user_invite", target=username, at=now)
    return token


def create_account(
    *,
    engine: Engine,
    scope: Scope,
    username: str,
    role: Role,
    display_name: str = "",
    cohorts: Sequence[str] = (),
    merchants: Sequence[str] = (),
    invite: bool = False,
    now: datetime | None = None,
) -> Handed:
    """A new account with a generated password, or (`invite`) without one and with a
    one-time invitation token."""
    require_manager(scope)
    password = None if invite else auth.generate_password()
    auth.add_user(
        engine,
        username=username,
        role=role,
        password=password,
        actor=scope.user,
        display_name=display_name,
        cohorts=cohorts,
        merchants=merchants,
    )
    if invite:
        return Handed(username, token=_invite(engine, username, scope.user, now or utcnow()))
    return Handed(username, password=password)


def reset(
    *,
    engine: Engine,
    scope: Scope,
    username: str,
    invite: bool = False,
    now: datetime | None = None,
) -> Handed:
    """A new generated password (shown once), or an invitation to set one."""
    require_manager(scope)
    if invite:
        return Handed(username, token=_invite(engine, username, scope.user, now or utcnow()))
    password = auth.generate_password()
    auth.reset_password(engine, username=username, password=password, actor=scope.user)
    return Handed(username, password=password)


def set_active(*, engine: Engine, scope: Scope, username: str, active: bool) -> None:
    require_manager(scope)
    if not active and username.strip().lower() == scope.user.strip().lower():
        raise auth.AuthError("you cannot deactivate your own account")
    auth.set_active(engine, username=username, active=active, actor=scope.user)


def unlock(*, engine: Engine, scope: Scope, username: str) -> None:
    require_manager(scope)
    auth.unlock(engine, username=username, actor=scope.user)


def invitation_user(*, engine: Engine, token: str, now: datetime | None = None) -> str | None:
    """The username an unused, unexpired invitation is for; None otherwise."""
    i, u = table_of(Invitation).c, table_of(User).c
    stmt = (
        select(u.username)
        .join(table_of(Invitation), i.user_id == u.user_id)
        .where(
            i.token_hash == _digest(token),
            i.used_at.is_(None),
            i.expires_at > (now or utcnow()),
        )
    )
    with engine.connect() as connection:
        return connection.execute(stmt).scalar_one_or_none()


def accept_invitation(
    *, engine: Engine, token: str, password: str, now: datetime | None = None
) -> str:
    """Set the invited user's password; the invitation cannot be used again."""
    now = now or utcnow()
    username = invitation_user(engine=engine, token=token, now=now)
    if username is None:
        raise auth.AuthError("this invitation link is not valid (used, expired or unknown)")
    auth.hash_password(password)  # the length rule, before anything changes
    table = table_of(Invitation)
    with engine.begin() as connection:
        used = connection.execute(
            update(table)
            .where(table.c.token_hash == _digest(token), table.c.used_at.is_(None))
            .values(used_at=now)
        )
        if used.rowcount != 1:
            raise auth.AuthError("this invitation link is not valid (used, expired or unknown)")
    auth.reset_password(engine, username=username, password=password, actor=username)
    return username


def change_password(*, engine: Engine, scope: Scope, current: str, new: str) -> None:
    """The logged-in user changes its own password, after giving the current one."""
    if not scope.user:
        raise auth.AuthError("not logged in")
    result = auth.authenticate(engine, scope.user, current)
    if result.outcome != "ok":
        raise auth.AuthError("the current password is not right")
    auth.reset_password(engine, username=scope.user, password=new, actor=scope.user)
