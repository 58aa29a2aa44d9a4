"""initial schema: staging, load bookkeeping, marts

Revision ID: 0001
Revises:
Create Date: 2026-11-22 12:47:15.866660
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The cohort-day view as it was created here, frozen (a migration never imports live code:
# the models change, a revision must not). Dropped again by 0016, read by nothing.
COHORT_DAY_VIEW_SQL = """
CREATE VIEW mart_cohort_day AS
SELECT m.cohort_id AS cohort_id,
       d.date AS date,
       COUNT(DISTINCT d.merchant_id) AS merchants,
       SUM(CASE WHEN d.orders > 0 THEN 1 ELSE 0 END) AS active_merchants,
       SUM(d.gmv) AS gmv,
       SUM(d.private_gmv) AS private_gmv,
       SUM(d.orders) AS orders,
       SUM(d.buyers) AS buyers,
       SUM(d.refunds) AS refunds,
       SUM(d.visitors) AS visitors,
       SUM(d.identified_visitors) AS identified_visitors,
       SUM(d.cloud_users) AS cloud_users
FROM mart_merchant_day d
JOIN merchants m ON m.merchant_id = d.merchant_id
WHERE m.cohort_id IS NOT NULL
GROUP BY m.cohort_id, d.date
"""


def upgrade() -> None:
    op.create_table(
        "attendance",
        sa.Column("cohort_id", sa.String(length=64), nullable=False),
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("session_type", sa.String(length=32), nullable=True),
        sa.Column("topic", sa.String(length=200), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint(
            "cohort_id", "merchant_id", "session_id", name=op.f("pk_attendance")
        ),
    )
    op.create_table(
        "campaign_assignments",
        sa.Column("campaign_id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("group", sa.String(length=16), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("campaign_id", "customer_id", name=op.f("pk_campaign_assignments")),
    )
    with op.batch_alter_table("campaign_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_assignments_merchant_id"), ["merchant_id"], unique=False
        )

    op.create_table(
        "campaigns",
        sa.Column("campaign_id", sa.String(length=64), nullable=False),
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("cost", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("segment_id", sa.String(length=64), nullable=True),
        sa.Column("offer", sa.String(length=200), nullable=True),
        sa.Column("holdout_share", sa.Float(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("campaign_id", name=op.f("pk_campaigns")),
    )
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaigns_merchant_id"), ["merchant_id"], unique=False)

    op.create_table(
        "cohorts",
        sa.Column("cohort_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("programme", sa.String(length=200), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("cohort_id", name=op.f("pk_cohorts")),
    )
    op.create_table(
        "customers",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("first_seen_on", sa.Date(), nullable=True),
        sa.Column("unified_id", sa.String(length=64), nullable=True),
        sa.Column("member_level", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("merchant_id", "customer_id", name=op.f("pk_customers")),
    )
    op.create_table(
        "guides",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("guide_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("merchant_id", "guide_id", name=op.f("pk_guides")),
    )
    op.create_table(
        "load_batches",
        sa.Column("batch_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("loaded_by", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("all_or_nothing", sa.Boolean(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_new", sa.Integer(), nullable=False),
        sa.Column("rows_replaced", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_load_batches")),
    )
    op.create_table(
        "mart_merchant_day",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("gmv", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False),
        sa.Column("refunds", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("buyers", sa.Integer(), nullable=False),
        sa.Column("new_buyers", sa.Integer(), nullable=False),
        sa.Column("repeat_buyers", sa.Integer(), nullable=False),
        sa.Column("identified_orders", sa.Integer(), nullable=False),
        sa.Column("anonymous_orders", sa.Integer(), nullable=False),
        sa.Column(
            "private_gmv", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False
        ),
        sa.Column("gmv_store", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False),
        sa.Column(
            "gmv_mini_program", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False
        ),
        sa.Column(
            "gmv_wecom_guide", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False
        ),
        sa.Column(
            "gmv_community", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False
        ),
        sa.Column(
            "gmv_scan_to_buy", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False
        ),
        sa.Column(
            "gmv_livestream", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False
        ),
        sa.Column(
            "gmv_other_online", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False
        ),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("identified_visitors", sa.Integer(), nullable=False),
        sa.Column("new_cloud_users", sa.Integer(), nullable=False),
        sa.Column("cloud_users", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("merchant_id", "date", name=op.f("pk_mart_merchant_day")),
    )
    with op.batch_alter_table("mart_merchant_day", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mart_merchant_day_date"), ["date"], unique=False)

    op.create_table(
        "merchants",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("store_count", sa.Integer(), nullable=True),
        sa.Column("cohort_id", sa.String(length=64), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("merchant_id", name=op.f("pk_merchants")),
    )
    with op.batch_alter_table("merchants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merchants_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "orders",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("ordered_at", sa.DateTime(), nullable=False),
        sa.Column("ordered_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("gmv", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=True),
        sa.Column("customer_id", sa.String(length=64), nullable=True),
        sa.Column("guide_id", sa.String(length=64), nullable=True),
        sa.Column("campaign_id", sa.String(length=64), nullable=True),
        sa.Column("refund", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("merchant_id", "order_id", name=op.f("pk_orders")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(
            "ix_orders_merchant_customer", ["merchant_id", "customer_id"], unique=False
        )
        batch_op.create_index("ix_orders_merchant_day", ["merchant_id", "ordered_on"], unique=False)

    op.create_table(
        "store_traffic",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("identified_visitors", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("merchant_id", "store_id", "date", name=op.f("pk_store_traffic")),
    )
    op.create_table(
        "stores",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("merchant_id", "store_id", name=op.f("pk_stores")),
    )
    op.create_table(
        "touchpoint_events",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("touchpoint", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("guide_id", sa.String(length=64), nullable=True),
        sa.Column("group_id", sa.String(length=64), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("merchant_id", "event_id", name=op.f("pk_touchpoint_events")),
    )
    with op.batch_alter_table("touchpoint_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_touchpoint_events_merchant_customer", ["merchant_id", "customer_id"], unique=False
        )
        batch_op.create_index(
            "ix_touchpoint_events_merchant_day", ["merchant_id", "occurred_on"], unique=False
        )

    op.create_table(
        "load_files",
        sa.Column("file_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("encoding", sa.String(length=32), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_new", sa.Integer(), nullable=False),
        sa.Column("rows_replaced", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("unknown_columns", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["load_batches.batch_id"],
            name=op.f("fk_load_files_batch_id_load_batches"),
        ),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_load_files")),
    )
    with op.batch_alter_table("load_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_load_files_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "load_rejections",
        sa.Column("rejection_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["load_batches.batch_id"],
            name=op.f("fk_load_rejections_batch_id_load_batches"),
        ),
        sa.PrimaryKeyConstraint("rejection_id", name=op.f("pk_load_rejections")),
    )
    with op.batch_alter_table("load_rejections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_load_rejections_batch_id"), ["batch_id"], unique=False)

    op.execute(COHORT_DAY_VIEW_SQL)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS mart_cohort_day")
    with op.batch_alter_table("load_rejections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_load_rejections_batch_id"))

    op.drop_table("load_rejections")
    with op.batch_alter_table("load_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_load_files_batch_id"))

    op.drop_table("load_files")
    with op.batch_alter_table("touchpoint_events", schema=None) as batch_op:
        batch_op.drop_index("ix_touchpoint_events_merchant_day")
        batch_op.drop_index("ix_touchpoint_events_merchant_customer")

    op.drop_table("touchpoint_events")
    op.drop_table("stores")
    op.drop_table("store_traffic")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_merchant_day")
        batch_op.drop_index("ix_orders_merchant_customer")
        batch_op.drop_index(batch_op.f("ix_orders_campaign_id"))

    op.drop_table("orders")
    with op.batch_alter_table("merchants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merchants_cohort_id"))

    op.drop_table("merchants")
    with op.batch_alter_table("mart_merchant_day", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mart_merchant_day_date"))

    op.drop_table("mart_merchant_day")
    op.drop_table("load_batches")
    op.drop_table("guides")
    op.drop_table("customers")
    op.drop_table("cohorts")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaigns_merchant_id"))

    op.drop_table("campaigns")
    with op.batch_alter_table("campaign_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_assignments_merchant_id"))

    op.drop_table("campaign_assignments")
    op.drop_table("attendance")
