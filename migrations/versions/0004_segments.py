"""segments: customer features mart, saved segments and their versions

Revision ID: 0004
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2, asdecimal=False)
ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "mart_customer_features",
        sa.Column("merchant_id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("first_seen_on", sa.Date(), nullable=True),
        sa.Column("first_order_on", sa.Date(), nullable=True),
        sa.Column("last_order_on", sa.Date(), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("purchase_days", sa.Integer(), nullable=False),
        sa.Column("repurchases", sa.Integer(), nullable=False),
        sa.Column("gmv", MONEY, nullable=False),
        sa.Column("refunds", MONEY, nullable=False),
        sa.Column("aov", MONEY, nullable=True),
        sa.Column("days_since_last_order", sa.Integer(), nullable=True),
        sa.Column("days_since_first_order", sa.Integer(), nullable=True),
        sa.Column("tenure_days", sa.Integer(), nullable=False),
        sa.Column("channels", sa.String(length=200), nullable=False),
        sa.Column("channel_count", sa.Integer(), nullable=False),
        sa.Column("ch_store", sa.Boolean(), nullable=False),
        sa.Column("ch_mini_program", sa.Boolean(), nullable=False),
        sa.Column("ch_wecom_guide", sa.Boolean(), nullable=False),
        sa.Column("ch_community", sa.Boolean(), nullable=False),
        sa.Column("ch_scan_to_buy", sa.Boolean(), nullable=False),
        sa.Column("ch_livestream", sa.Boolean(), nullable=False),
        sa.Column("ch_other_online", sa.Boolean(), nullable=False),
        sa.Column("is_fan", sa.Boolean(), nullable=False),
        sa.Column("is_guide_contact", sa.Boolean(), nullable=False),
        sa.Column("is_community_member", sa.Boolean(), nullable=False),
        sa.Column("is_cloud_user", sa.Boolean(), nullable=False),
        sa.Column("touchpoint_count", sa.Integer(), nullable=False),
        sa.Column("guide_id", ID, nullable=True),
        sa.Column("store_id", ID, nullable=True),
        sa.Column("member_level", sa.String(length=64), nullable=True),
        sa.Column("r_score", sa.Integer(), nullable=True),
        sa.Column("f_score", sa.Integer(), nullable=True),
        sa.Column("m_score", sa.Integer(), nullable=True),
        sa.Column("rfm_segment", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint(
            "merchant_id", "customer_id", name=op.f("pk_mart_customer_features")
        ),
    )
    with op.batch_alter_table("mart_customer_features", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mart_customer_features_merchant_segment",
            ["merchant_id", "rfm_segment"],
            unique=False,
        )

    op.create_table(
        "segments",
        sa.Column("segment_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("segment_id", name=op.f("pk_segments")),
    )
    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_segments_merchant_id"), ["merchant_id"], unique=False)

    op.create_table(
        "segment_versions",
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("saved_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["segments.segment_id"],
            name=op.f("fk_segment_versions_segment_id_segments"),
        ),
        sa.PrimaryKeyConstraint("segment_id", "version", name=op.f("pk_segment_versions")),
    )


def downgrade() -> None:
    op.drop_table("segment_versions")
    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_segments_merchant_id"))
    op.drop_table("segments")
    with op.batch_alter_table("mart_customer_features", schema=None) as batch_op:
        batch_op.drop_index("ix_mart_customer_features_merchant_segment")
    op.drop_table("mart_customer_features")
