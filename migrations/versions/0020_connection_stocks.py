"""keep the connections mart's membership stocks of every merchant-week

A re-delivery of a merchant's last week rebuilt its follower, contact and member stocks
as running sums of every join and leave of the merchant's history (0.9 CPU s at scale m
for one merchant-week). The stocks at each week's end are kept here, so a rebuild from a
week carries on from the week before it and follows only the events from it on. The
table starts empty: until a merchant's weeks are rebuilt (`python -m pipelines
rebuild-marts`, or any load that rebuilds the merchant from its first week), a rebuild
finds no stock for the week before it and sums the whole history, as before.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

STOCKS = ("mp_followers", "wecom_contacts", "community_members", "community_guide_layer")


def upgrade() -> None:
    op.create_table(
        "mart_connection_stocks",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=True) for name in STOCKS),
        sa.PrimaryKeyConstraint("merchant_id", "week", name=op.f("pk_mart_connection_stocks")),
    )


def downgrade() -> None:
    op.drop_table("mart_connection_stocks")
