"""The R, F and M scores of the customer-features mart (`pipelines.mart_customers`), as
`models.segments` defines them: quintiles of recency and GMV among a merchant's buyers,
fixed bands of purchase days, and the RFM segment of R and F (docs/segments.md)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from models.segments import RFM_GRID

KEYS = ["merchant_id", "customer_id"]
# Frequency score from the number of purchase days (fixed: most customers buy once, and
# quintiles of a count where most values tie say nothing): 1, 2, 3, 4-5, 6+.
F_BREAKS = (1, 2, 3, 4, 6)


def score_quintile(
    table: ir.Table, column: str, within: str | list[str], name: str, descending: bool = False
) -> ir.Table:
    """The table with `name`: scores 1-5 of `column` by rank within the `within` group
    (higher value, higher score; `descending`: lower value, higher score); equal values
    share a score: 1 + floor(5 * (values strictly below) / n).

    "Strictly below" is the first row number of the value's ties rather than `rank()`:
    ClickHouse ranks every row of a ROWS frame as a peer group of its own."""
    order = ibis.desc(table[column]) if descending else table[column]
    t = table.mutate(
        _row=ibis.row_number().over(ibis.window(group_by=within, order_by=order)),
        _n=table[column].count().over(ibis.window(group_by=within)),
    )
    ties = [*([within] if isinstance(within, str) else within), column]
    t = t.mutate(_below=t._row.min().over(ibis.window(group_by=ties)))
    n = ibis.ifelse(t._n > 0, t._n, 1)  # no values (no buyers of the group): no scores either
    score = (1 + (5 * t._below / n).floor()).cast("int64")
    return t.mutate(**{name: score}).drop("_row", "_n", "_below")


def score_frequency(purchase_days: ir.IntegerValue) -> ir.Value:
    """1, 2, 3 purchase days -> 1, 2, 3; 4-5 -> 4; 6 or more -> 5."""
    score = ibis.literal(0)
    for k, lowest in enumerate(F_BREAKS, start=1):
        score = ibis.ifelse(purchase_days >= lowest, k, score)
    return score.cast("int64")


def rfm_segment(r: ir.IntegerValue, f: ir.IntegerValue) -> ir.Value:
    """The named segment of an R and an F score (`models.segments.RFM_GRID`)."""
    branches = [
        (r.isin(rs) & f.isin(fs), name) for name, cells in RFM_GRID.items() for rs, fs in cells
    ]
    return ibis.cases(*branches, else_=ibis.null("string"))


SCORES = ["r_score", "f_score", "m_score", "rfm_segment"]


def rfm_scores(rows: ir.Table) -> ir.Table:
    """Per merchant and customer: R, F and M scores (1-5) of each merchant's buyers and
    their RFM segment; customers without a purchase get none. R ranks recency (fewer days
    since the last purchase is better), M ranks GMV, both within the merchant's buyers
    (windows over buyers and the others apart). The windows sort a narrow table."""
    narrow = rows.select(*KEYS, "purchase_days", "days_since_last_order", "gmv")
    t = narrow.mutate(_buyer=ibis.ifelse(narrow.purchase_days > 0, 1, 0))
    within = ["merchant_id", "_buyer"]
    t = score_quintile(t, "days_since_last_order", within, "_r", True)
    t = score_quintile(t, "gmv", within, "_m")
    bought = t._buyer == 1
    r = ibis.ifelse(bought, t._r, ibis.null("int64"))
    f = ibis.ifelse(bought, score_frequency(t.purchase_days), ibis.null("int64"))
    m = ibis.ifelse(bought, t._m, ibis.null("int64"))
    t = t.mutate(r_score=r, f_score=f, m_score=m)
    return t.select(*KEYS, *SCORES[:3], rfm_segment=rfm_segment(t.r_score, t.f_score))


def rfm(rows: ir.Table) -> ir.Table:
    """The rows with their scores (`rfm_scores`), joined back by key."""
    t = rfm_scores(rows)
    j = rows.join(t, [rows.merchant_id == t.merchant_id, rows.customer_id == t.customer_id])
    return j.select(rows, *(t[c] for c in SCORES))
