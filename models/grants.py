"""What a user may see, changed: a new role (its old scopes cleared), cohorts or a merchant
granted or revoked, each audited (`python -m pipelines users role|grant|revoke`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, delete, func, select, update

from models.auth import ROLES, AuthError, add_scopes, audit, check_scope_values, user_row
from models.schema import table_of
from models.schema_auth import User, UserScope
from models.scope import Role


def set_role(engine: Engine, *, username: str, role: Role, actor: str) -> None:
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    users, scopes = table_of(User), table_of(UserScope)
    with engine.begin() as connection:
        row = user_row(connection, username)
        connection.execute(update(users).where(users.c.user_id == row.user_id).values(role=role))
        # scopes of the old role mean nothing for the new one
        connection.execute(delete(scopes).where(scopes.c.user_id == row.user_id))
        audit(
            connection,
            actor=actor,
            action="user_role",
            target=row.username,
            detail=f"{row.role} -> {role}; scopes cleared",
        )


def grant(
    engine: Engine,
    *,
    username: str,
    actor: str,
    cohorts: Sequence[str] = (),
    merchants: Sequence[str] = (),
) -> None:
    scopes = table_of(UserScope)
    with engine.begin() as connection:
        row = user_row(connection, username)
        if cohorts and row.role != "coach":
            raise AuthError("only coaches have cohorts")
        if merchants and row.role != "merchant":
            raise AuthError("only merchant users have a merchant")
        check_scope_values(connection, "cohort", cohorts)
        check_scope_values(connection, "merchant", merchants)
        existing = connection.execute(
            select(func.count())
            .select_from(scopes)
            .where(scopes.c.user_id == row.user_id, scopes.c.kind == "merchant")
        ).scalar_one()
        if merchants and existing + len(set(merchants)) > 1:
            raise AuthError("a merchant user has exactly one merchant; revoke it first")
        current = set(
            connection.execute(
                select(scopes.c.kind, scopes.c.value).where(scopes.c.user_id == row.user_id)
            ).all()
        )
        add_scopes(
            connection, row.user_id, "cohort", [c for c in cohorts if ("cohort", c) not in current]
        )
        add_scopes(
            connection,
            row.user_id,
            "merchant",
            [m for m in merchants if ("merchant", m) not in current],
        )
        audit(
            connection,
            actor=actor,
            action="user_grant",
            target=row.username,
            detail=f"cohorts {list(cohorts)}; merchants {list(merchants)}",
        )


def revoke(
    engine: Engine,
    *,
    username: str,
    actor: str,
    cohorts: Sequence[str] = (),
    merchants: Sequence[str] = (),
) -> None:
    scopes = table_of(UserScope)
    with engine.begin() as connection:
        row = user_row(connection, username)
        for kind, values in (("cohort", cohorts), ("merchant", merchants)):
            if values:
                connection.execute(
                    delete(scopes).where(
                        scopes.c.user_id == row.user_id,
                        scopes.c.kind == kind,
                        scopes.c.value.in_(list(values)),
                    )
                )
        audit(
            connection,
            actor=actor,
            action="user_revoke",
            target=row.username,
            detail=f"cohorts {list(cohorts)}; merchants {list(merchants)}",
        )
