"""First start: create the schema and, on the embedded database, build the demo programme.

Only this module declares demo mode (`models.demo_state.declare_demo`), and only on the
embedded default database; anything else that loads ends it for good.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from models.db import has_data, upgrade
from models.demo_state import declare_demo, demo_ended
from models.settings import Settings
from pipelines.load import LoadReport, load_delivery

DEMO_SCALE = "s"
DEMO_SEED = 2018
DEMO_LOADED_BY = "demo builder"


def needs_demo(engine: Engine, settings: Settings) -> bool:
    """The embedded default database, demo allowed, nothing loaded yet, and demo mode
    never ended here (a database emptied by the first real upload stays real)."""
    return (
        settings.demo and settings.is_embedded and not has_data(engine) and not demo_ended(engine)
    )


def build_demo(
    engine: Engine,
    settings: Settings,
    *,
    progress: Callable[[float, str], None] | None = None,
    scale: str = DEMO_SCALE,
    seed: int = DEMO_SEED,
) -> LoadReport:
    """Generate the demo delivery into `data/demo/`, load it (schema upgraded first) and,
    on the embedded database, declare demo mode."""
    from pipelines.demo import generate_demo

    say = progress or (lambda _f, _m: None)
    upgrade(engine)
    folder = settings.data_dir / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    say(0.0, "generating the demo programme")
    generate_demo(folder, scale=scale, seed=seed, progress=lambda m: say(0.1, m))
    report = load_delivery(
        folder,
        engine=engine,
        loaded_by=DEMO_LOADED_BY,
        timezone=settings.timezone,
        progress=lambda f, m: say(0.3 + 0.7 * f, m),
    )
    if report.ok and report.batch_id is not None and settings.is_embedded:
        declare_demo(engine, batch_id=report.batch_id)
    return report
