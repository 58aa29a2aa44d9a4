"""Alert rules for the alerts page: the vocabulary of a rule, the scoped list and its writes
(`models.alerts` checks and stores them), and the webhooks a rule may post to.

Not cached: rules change from this page and from the command line, and the list is read
right after each change (a handful of primary-key rows)."""

from __future__ import annotations

from models.alerts import (
    DIRECTIONS,
    KINDS,
    KPI_METRICS,
    METRIC_DAYS,
    STAGE_CONNECTIONS,
    Rule,
    RuleError,
    add_rule,
    delete_rule,
    rules,
    set_active,
)
from pipelines.notify import load_notify_settings


def webhook_names() -> list[str]:
    """The named webhooks configured for notifications (environment, then secrets)."""
    return sorted(load_notify_settings().webhooks)


__all__ = [
    "DIRECTIONS",
    "KINDS",
    "KPI_METRICS",
    "METRIC_DAYS",
    "STAGE_CONNECTIONS",
    "Rule",
    "RuleError",
    "add_rule",
    "delete_rule",
    "rules",
    "set_active",
    "webhook_names",
]
