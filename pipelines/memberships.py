"""Joins and leaves of the three private-domain formats, the vocabulary the marts share.

A customer is connected to a format (following the mini-program, a contact of a guide on
WeCom, a member of a community) from a join to the next leave; a repeated join counts
once and a leave without a join changes nothing. The merchant-day mart counts cloud users
from these events (`pipelines.marts`), the customer-features mart reads each customer's
state after its last event (`pipelines.mart_customers`).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

CLOUD_FORMATS = ("mini_program", "wecom_guide", "community")
CONNECT = ("follow", "add_contact", "join_group")
DISCONNECT = ("unfollow", "remove_contact", "leave_group")


def in_scope(table: ir.Table, partitions: ir.Table) -> ir.Table:
    """The rows of the partitions' merchants (all their days: windows need the history)."""
    return table.filter(table.merchant_id.isin(partitions.merchant_id))  # IN: uses the index


def format_events(events: ir.Table) -> ir.Table:
    """The joins and leaves of the three formats (every other event is left out)."""
    return events.filter(
        events.touchpoint.isin(CLOUD_FORMATS), events.action.isin(CONNECT + DISCONNECT)
    )


def latest(table: ir.Table, by: list[str], order: list[str]) -> ir.Table:
    """The row of each `by` group that comes last in `order` (ties: the larger values of
    the later `order` columns)."""
    newest = ibis.window(group_by=by, order_by=[ibis.desc(c) for c in order])
    ranked = table.mutate(_newest=ibis.row_number().over(newest))
    return ranked.filter(ranked._newest == 0).drop("_newest")
