"""one line: the heads of parallel scaffolding joined

The heads 0003, 0004, 0005, 0007, 0008, 0012, 0013 and 0014 grew off 0001 and 0006 in
parallel; this revision joins them so that the migrations have one head again. A merge revision changes nothing in the schema. A database stamped with all the old heads
(every database upgraded with `upgrade(engine, "heads")` before this revision) upgrades
through it; a new migration revises the head of this line.

Revision ID: 0015
Revises: 0003, 0004, 0005, 0007, 0008, 0012, 0013, 0014
"""

from __future__ import annotations

revision = "0015"
down_revision = ("0003", "0004", "0005", "0007", "0008", "0012", "0013", "0014")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the revision only joins the heads."""


def downgrade() -> None:
    """Nothing to change: downgrading splits the line into its heads again."""
