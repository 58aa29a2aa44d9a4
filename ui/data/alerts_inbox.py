"""The alert inbox and a user's alert preferences (`models.alerts_inbox`).

Not cached: firings are written by the watcher in another process while the page is open,
and marking them read must show at once."""

from __future__ import annotations

from models.alerts_inbox import inbox, mark_read, preference, set_preference, unread_count

__all__ = ["inbox", "mark_read", "preference", "set_preference", "unread_count"]
