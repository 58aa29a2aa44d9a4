"""Demo mode as a declared state, not an inference from a label.

The demo builder (pipelines/bootstrap.py) declares demo mode, on the embedded default
database only, once its invented programme has loaded: `declare_demo`. Anything else
that loads ends it for good, whatever name it loads under: `pipelines.load` calls
`end_demo` inside every delivery's transaction, which first removes every invented row,
so real rows never mix with demo ones. On the Data page, the first real upload goes
through `leave_demo`: it creates the first executive account and empties the database
in one transaction, so from then on every page needs a login.

The state is one row of `app_state` (`demo` = `on` | `ended`); no row means the demo was
never built here.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, insert, select, update

from models import auth
from models.clock import utcnow
from models.schema import LoadBatch, table_of
from models.schema_state import AppState
from models.settings import Settings
from models.tables import load_all_tables

DEMO = "demo"
ON = "on"
ENDED = "ended"
# What survives the end of demo mode: the people, the log of what happened, the product's
# own state and the load lock of the delivery that is ending it. Every other table is
# programme data, invented while in demo mode.
KEPT_TABLES = frozenset({"users", "user_scopes", "audit_log", "app_state", "load_lock"})


class DemoStateError(ValueError):
    """Demo mode cannot be declared or left here; the message says why."""


def _state(connection: Connection, *, lock: bool = False) -> str | None:
    s = table_of(AppState).c
    stmt = select(s.value).where(s.name == DEMO)
    if lock:
        stmt = stmt.with_for_update()
    return connection.execute(stmt).scalar_one_or_none()


def _set(connection: Connection, value: str, by: str, exists: bool) -> None:
    state = table_of(AppState)
    values = {"value": value, "updated_at": utcnow(), "updated_by": by}
    if exists:
        connection.execute(update(state).where(state.c.name == DEMO).values(**values))
    else:
        connection.execute(insert(state).values(name=DEMO, **values))


def demo_declared(engine: Engine) -> bool:
    """True while the demo builder's declaration stands."""
    with engine.connect() as connection:
        return _state(connection) == ON


def demo_mode(engine: Engine, settings: Settings) -> bool:
    """Demo mode: declared by the demo builder, never ended since, and not turned off by
    GROWTH_DEMO=0. While on, anyone may look at the invented programme as any role."""
    return settings.demo and demo_declared(engine)


def demo_ended(engine: Engine) -> bool:
    """True once demo mode was ended here (it never comes back)."""
    with engine.connect() as connection:
        return _state(connection) == ENDED


def declare_demo(engine: Engine, *, batch_id: int) -> None:
    """Declare demo mode after the demo builder loaded delivery `batch_id`: refused when
    the state was ever set, or when any other delivery has loaded rows (a real load ran
    meanwhile)."""
    b = table_of(LoadBatch).c
    with engine.begin() as connection:
        if _state(connection, lock=True) is not None:
            raise DemoStateError("demo mode was declared or ended here before")
        other = connection.execute(
            select(b.batch_id)
            .where(b.batch_id != batch_id, b.status.in_(("loaded", "partial")))
            .limit(1)
        ).first()
        if other is not None:
            raise DemoStateError(f"delivery #{other.batch_id} is not the demo programme")
        _set(connection, ON, "demo builder", exists=False)
        auth.audit(connection, actor="demo builder", action="demo_on", target=f"#{batch_id}")


def _wipe(connection: Connection) -> None:
    """Delete every row of programme data (children before parents)."""
    for table in reversed(load_all_tables().sorted_tables):
        if table.name not in KEPT_TABLES:
            connection.execute(delete(table))


def end_demo(connection: Connection, *, by: str = "") -> bool:
    """In the caller's transaction: if demo mode is on, remove every invented row and end
    it for good. True when it was on. Called by every delivery before it writes."""
    if _state(connection, lock=True) != ON:
        return False
    _wipe(connection)
    _set(connection, ENDED, by, exists=True)
    auth.audit(connection, actor=by or "unknown", action="demo_off", detail="demo data removed")
    return True


def leave_demo(engine: Engine, *, username: str, password: str, display_name: str = "") -> int:
    """First-run setup: create the first executive account, remove every invented row and
    end demo mode, in one transaction. Returns the new user's id."""
    if not password:
        raise auth.AuthError("the first executive account needs a password")
    with engine.begin() as connection:
        if _state(connection, lock=True) != ON:
            raise DemoStateError("this database is not in demo mode")
        user_id = auth.insert_user(
            connection,
            username=username,
            role="executive",
            password=password,
            actor=username,
            display_name=display_name,
        )
        end_demo(connection, by=auth.norm_username(username))
        return user_id
