"""One clock: every time the product stamps (a login, a delivery, a note, an alert, an
audit entry) is UTC, stored without a zone (the DateTime columns are naive), and shown in
the deployment's zone (`GROWTH_TIMEZONE`, `i18n.format.timestamp`).

Times a merchant delivers (an order's `ordered_at`) are the merchant's own local times and
are not stamps: they are kept as delivered.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now in UTC, without a zone (as the DateTime columns hold it)."""
    return datetime.now(UTC).replace(tzinfo=None)
