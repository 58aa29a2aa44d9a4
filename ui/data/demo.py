"""Building the demo programme on first start, for the frame (`pipelines.bootstrap`:
whether the embedded database needs it, and the build with its progress)."""

from __future__ import annotations

from pipelines.bootstrap import build_demo, needs_demo

__all__ = ["build_demo", "needs_demo"]
