"""drop the mart_cohort_day view, read by nothing

No page, query or report reads it: the cohort figures are computed from mart_merchant_day
in models/queries.py.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# The view as 0001 created it, frozen, for the downgrade.
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
    op.execute("DROP VIEW IF EXISTS mart_cohort_day")


def downgrade() -> None:
    op.execute(COHORT_DAY_VIEW_SQL)
