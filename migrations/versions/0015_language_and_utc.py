"""the user's language (users.lang) and one clock (delivery and watcher stamps to UTC)

A logged-in user's language is remembered in `users.lang` ("en", "zh" or empty: not yet
picked). Deliveries and the watcher used to stamp their times in the deployment's zone
while everything else stamped UTC; from this revision every stamp is UTC (models/clock.py),
so the stamps already written in the zone (`GROWTH_TIMEZONE`, default Asia/Shanghai) are
moved to UTC once, here.

Revision ID: 0015
Revises: 0006
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0006"
branch_labels = None
# No dependency on the alerts branch (0012, the watcher's tables): a table not there yet
# holds no stamp to move, and is skipped.
depends_on = None

# (table, key column, stamp columns) written in the deployment's zone before this revision
ZONED = (
    ("load_batches", "batch_id", ("started_at", "finished_at")),
    ("watched_deliveries", "delivery_id", ("seen_at", "claimed_at", "finished_at")),
    ("watcher_lock", "name", ("started_at", "heartbeat_at")),
)


def _shift(to_utc: bool) -> None:
    zone = ZoneInfo(os.environ.get("GROWTH_TIMEZONE") or "Asia/Shanghai")
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table_name, key, columns in ZONED:
        if not inspector.has_table(table_name):
            continue
        have = {c["name"] for c in inspector.get_columns(table_name)}
        key = key if key in have else next(iter(have))
        table = sa.table(table_name, sa.column(key), *(sa.column(c, sa.DateTime) for c in columns))
        rows = bind.execute(sa.select(table)).mappings().all()
        for row in rows:
            values = {}
            for column in columns:
                stamp = row[column]
                if not isinstance(stamp, datetime):
                    continue
                if to_utc:
                    moved = stamp.replace(tzinfo=zone).astimezone(UTC)
                else:
                    moved = stamp.replace(tzinfo=UTC).astimezone(zone)
                values[column] = moved.replace(tzinfo=None)
            if values:
                bind.execute(sa.update(table).where(table.c[key] == row[key]).values(**values))


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("lang", sa.String(length=8), nullable=True))
    _shift(to_utc=True)


def downgrade() -> None:
    _shift(to_utc=False)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("lang")
