"""Whether a merchant is in a scope, asked of the database: the one check every write for
a merchant makes before it writes (`OutOfScope` when not)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from models.permissions import OutOfScope
from models.schema import Merchant, table_of
from models.scope import Scope


def require_merchant(connection: Connection, scope: Scope, merchant_id: str) -> None:
    """Raise `OutOfScope` unless `merchant_id` is a merchant `scope` may see."""
    m = table_of(Merchant).c
    found = connection.execute(
        select(m.merchant_id).where(
            m.merchant_id == merchant_id, scope.merchant_filter(m.merchant_id)
        )
    ).first()
    if found is None:
        raise OutOfScope(f"merchant {merchant_id!r} is not in this scope")
