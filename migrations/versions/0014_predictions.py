"""predictions: per-customer predictions, fits and calibration per merchant

Revision ID: 0014
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0006"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2, asdecimal=False)
ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "customer_predictions",
        sa.Column("merchant_id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("purchases_30d", sa.Float(), nullable=False),
        sa.Column("purchases_90d", sa.Float(), nullable=False),
        sa.Column("p_alive", sa.Float(), nullable=False),
        sa.Column("churn_risk", sa.Float(), nullable=False),
        sa.Column("expected_spend", MONEY, nullable=True),
        sa.Column("clv_12m", MONEY, nullable=True),
        sa.Column("fitted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("merchant_id", "customer_id", name=op.f("pk_customer_predictions")),
    )
    op.create_table(
        "prediction_fits",
        sa.Column("merchant_id", ID, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("fitted_at", sa.DateTime(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("repeat_customers", sa.Integer(), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("calibration_cutoff", sa.Date(), nullable=True),
        sa.Column("holdout_days", sa.Integer(), nullable=True),
        sa.Column("holdout_predicted", sa.Float(), nullable=True),
        sa.Column("holdout_actual", sa.Integer(), nullable=True),
        sa.Column("holdout_mae", sa.Float(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("merchant_id", name=op.f("pk_prediction_fits")),
    )
    op.create_table(
        "prediction_calibration",
        sa.Column("merchant_id", ID, nullable=False),
        sa.Column("frequency_group", sa.Integer(), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("predicted", sa.Float(), nullable=False),
        sa.Column("actual", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            "merchant_id", "frequency_group", name=op.f("pk_prediction_calibration")
        ),
    )


def downgrade() -> None:
    op.drop_table("prediction_calibration")
    op.drop_table("prediction_fits")
    op.drop_table("customer_predictions")
