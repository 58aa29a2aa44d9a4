"""the cohort windows mart, and orders covered for a campaign's window

`mart_cohort_windows`: per cohort, baseline and merchant, the GMV and private-domain GMV
of the uplift's windows, written at load (pipelines/mart_cohort_windows.py), so the
overview's and the ROI page's cohort ranking no longer read every merchant's days of
every cohort's windows at view time (docs/benchmarks.md, "every page at scale m").

`ix_orders_campaign_window`: orders (merchant_id, ordered_on, customer_id, gmv) in place
of `ix_orders_merchant_day` (merchant_id, ordered_on), which it serves as well, so the
campaign page's group outcomes read each campaign's window of orders from the index alone
and a load still keeps one index of the merchant's days.

Revision ID: 0021
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0019"
branch_labels = None
depends_on = None

WINDOWS = ("pre", "baseline", "programme", "post")


def upgrade() -> None:
    op.create_table(
        "mart_cohort_windows",
        sa.Column("merchant_id", sa.String(64), primary_key=True),
        sa.Column("cohort_id", sa.String(64), primary_key=True),
        sa.Column("baseline", sa.String(16), primary_key=True),
        sa.Column("member", sa.Boolean(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        *(
            sa.Column(f"{metric}_{window}", sa.Float(), nullable=False)
            for metric in ("gmv", "private_gmv")
            for window in WINDOWS
        ),
    )
    op.drop_index("ix_orders_merchant_day", table_name="orders")
    op.create_index(
        "ix_orders_campaign_window",
        "orders",
        ["merchant_id", "ordered_on", "customer_id", "gmv"],
    )


def downgrade() -> None:
    op.drop_index("ix_orders_campaign_window", table_name="orders")
    op.create_index("ix_orders_merchant_day", "orders", ["merchant_id", "ordered_on"])
    op.drop_table("mart_cohort_windows")
