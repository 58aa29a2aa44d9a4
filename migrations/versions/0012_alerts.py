"""operations: the drop-folder watcher (lock, deliveries) and alerts (rules, firings,
read marks, preferences, outbox)

Revision ID: 0012
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_rules",
        sa.Column("rule_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.String(length=64), nullable=True),
        sa.Column("share_with_merchant", sa.Boolean(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("webhooks", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("rule_id", name=op.f("pk_alert_rules")),
    )
    with op.batch_alter_table("alert_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_rules_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "watched_deliveries",
        sa.Column("delivery_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("moved_to", sa.String(length=1000), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("delivery_id", name=op.f("pk_watched_deliveries")),
    )
    with op.batch_alter_table("watched_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watched_deliveries_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_watched_deliveries_state"), ["state"], unique=False)

    op.create_table(
        "watcher_lock",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("folder", sa.String(length=1000), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("schedule", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_watcher_lock")),
    )
    op.create_table(
        "alert_firings",
        sa.Column("firing_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("merchant_id", sa.String(length=64), nullable=True),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("fired_at", sa.DateTime(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["alert_rules.rule_id"],
            name=op.f("fk_alert_firings_rule_id_alert_rules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("firing_id", name=op.f("pk_alert_firings")),
    )
    with op.batch_alter_table("alert_firings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_firings_fired_at"), ["fired_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_alert_firings_merchant_id"), ["merchant_id"], unique=False
        )
        batch_op.create_index("ix_alert_firings_rule_subject", ["rule_id", "subject"], unique=False)

    op.create_table(
        "alert_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.user_id"],
            name=op.f("fk_alert_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_alert_preferences")),
    )
    op.create_table(
        "alert_messages",
        sa.Column("message_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("firing_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["firing_id"],
            ["alert_firings.firing_id"],
            name=op.f("fk_alert_messages_firing_id_alert_firings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_alert_messages")),
    )
    with op.batch_alter_table("alert_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_messages_firing_id"), ["firing_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_alert_messages_state"), ["state"], unique=False)

    op.create_table(
        "alert_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("firing_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["firing_id"],
            ["alert_firings.firing_id"],
            name=op.f("fk_alert_reads_firing_id_alert_firings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.user_id"],
            name=op.f("fk_alert_reads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "firing_id", name=op.f("pk_alert_reads")),
    )


def downgrade() -> None:
    op.drop_table("alert_reads")
    with op.batch_alter_table("alert_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_messages_state"))
        batch_op.drop_index(batch_op.f("ix_alert_messages_firing_id"))

    op.drop_table("alert_messages")
    op.drop_table("alert_preferences")
    with op.batch_alter_table("alert_firings", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_firings_rule_subject")
        batch_op.drop_index(batch_op.f("ix_alert_firings_merchant_id"))
        batch_op.drop_index(batch_op.f("ix_alert_firings_fired_at"))

    op.drop_table("alert_firings")
    op.drop_table("watcher_lock")
    with op.batch_alter_table("watched_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watched_deliveries_state"))
        batch_op.drop_index(batch_op.f("ix_watched_deliveries_name"))

    op.drop_table("watched_deliveries")
    with op.batch_alter_table("alert_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_rules_cohort_id"))

    op.drop_table("alert_rules")
