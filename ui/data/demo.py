"""Building the demo programme on first start, for the frame (`pipelines.bootstrap`:
whether the embedded database needs it, and the build with its progress)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from models.settings import Settings
from pipelines import bootstrap
from pipelines.load import LoadReport


def needs_demo(engine: Engine, settings: Settings) -> bool:
    return bootstrap.needs_demo(engine, settings)


def build_demo(
    engine: Engine, settings: Settings, *, progress: Callable[[float, str], None] | None = None
) -> LoadReport:
    return bootstrap.build_demo(engine, settings, progress=progress)
