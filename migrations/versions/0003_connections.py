"""connections: weekly indicator and connection-score marts, coach notes, self-assessments

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mart_connection_indicators",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("indicator", sa.String(length=48), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint(
            "merchant_id", "week", "indicator", name=op.f("pk_mart_connection_indicators")
        ),
    )
    op.create_index(
        op.f("ix_mart_connection_indicators_week"), "mart_connection_indicators", ["week"]
    )
    op.create_table(
        "mart_connection_scores",
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("connection", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("ahead_of", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint(
            "merchant_id", "week", "connection", name=op.f("pk_mart_connection_scores")
        ),
    )
    op.create_index(op.f("ix_mart_connection_scores_week"), "mart_connection_scores", ["week"])
    op.create_table(
        "coach_notes",
        sa.Column("note_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("note_id", name=op.f("pk_coach_notes")),
    )
    op.create_index(op.f("ix_coach_notes_merchant_id"), "coach_notes", ["merchant_id"])
    op.create_table(
        "self_assessments",
        sa.Column("assessment_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_id", sa.String(length=64), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("taken_by", sa.String(length=200), nullable=False),
        sa.Column("touchpoints", sa.Float(), nullable=False),
        sa.Column("performance", sa.Float(), nullable=False),
        sa.Column("data", sa.Float(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_self_assessments")),
    )
    op.create_index(op.f("ix_self_assessments_merchant_id"), "self_assessments", ["merchant_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_self_assessments_merchant_id"), table_name="self_assessments")
    op.drop_table("self_assessments")
    op.drop_index(op.f("ix_coach_notes_merchant_id"), table_name="coach_notes")
    op.drop_table("coach_notes")
    op.drop_index(op.f("ix_mart_connection_scores_week"), table_name="mart_connection_scores")
    op.drop_table("mart_connection_scores")
    op.drop_index(
        op.f("ix_mart_connection_indicators_week"), table_name="mart_connection_indicators"
    )
    op.drop_table("mart_connection_indicators")
