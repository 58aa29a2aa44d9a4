"""index the staging rows a delivery wrote by its batch id

After a delivery the marts ask which merchants and days it wrote (`marts.changed_days`,
`engine.Delivery.dirty`: `WHERE batch_id = ?` on orders, store traffic, touchpoint events
and customers). Without an index each question scanned the whole table: at scale m
(4.1M orders, 13M rows) a one-week re-delivery of 200 orders spent seconds there. The
index is on the batch id alone: a load writes one batch id, so its entries are appended
in row order (cheap to keep during a bulk load), and the few rows of a re-delivery are
looked up by row.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

INDEXED = ("orders", "touchpoint_events", "store_traffic", "customers")


def upgrade() -> None:
    for table in INDEXED:
        op.create_index(f"ix_{table}_batch_id", table, ["batch_id"])


def downgrade() -> None:
    for table in reversed(INDEXED):
        op.drop_index(f"ix_{table}_batch_id", table_name=table)
