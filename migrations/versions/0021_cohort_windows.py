"""the cohort windows mart

`mart_cohort_windows`: per cohort, baseline and merchant, the GMV and private-domain GMV
of the uplift's windows, written at load (pipelines/mart_cohort_windows.py), so the
overview's and the ROI page's cohort ranking no longer read every merchant's days of
every cohort's windows at view time (docs/benchmarks.md, "every page at scale m").

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
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


def downgrade() -> None:
    op.drop_table("mart_cohort_windows")
