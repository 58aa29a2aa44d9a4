"""The watcher as the data page shows it (`pipelines.watch`): its lock row, whether it is
alive, and the deliveries it saw. Not cached: the point is to see it live."""

from __future__ import annotations

from pipelines.watch import deliveries, is_alive, local_now, status

__all__ = ["deliveries", "is_alive", "local_now", "status"]
