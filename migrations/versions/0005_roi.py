"""roi: merchant margin rates

Revision ID: 0005
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roi_margin_rates",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("margin_rate", sa.Float(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("merchant_id", name=op.f("pk_roi_margin_rates")),
    )


def downgrade() -> None:
    op.drop_table("roi_margin_rates")
