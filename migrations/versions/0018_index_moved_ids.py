"""index orders and touchpoint events by their id alone

A re-delivered order or event is looked up by its id across merchants (a key moved to
another merchant is a move, pipelines/keys.py), and the primary keys lead with the
merchant: without these indexes every lookup of 500 ids scanned the whole table, so a
re-delivery of a large file into PostgreSQL took minutes per file.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_orders_order_id", "orders", ["order_id"])
    op.create_index("ix_touchpoint_events_event_id", "touchpoint_events", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_touchpoint_events_event_id", table_name="touchpoint_events")
    op.drop_index("ix_orders_order_id", table_name="orders")
