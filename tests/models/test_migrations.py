"""The migrations build the same schema as the models, on SQLite and PostgreSQL, in one
line: a database stamped with the heads of before the line was joined upgrades too."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select

from models.db import alembic_config, current_revisions, head_revisions, is_up_to_date, upgrade
from models.schema import Base, Cohort
from models.tables import load_all_tables
from pipelines.load import load_delivery

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"
OLD_HEADS = {"0003", "0004", "0005", "0007", "0008", "0012", "0013", "0014"}


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    load_all_tables()
    assert is_up_to_date(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert "mart_cohort_day" not in inspect(engine).get_view_names()


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    assert head_revisions() and is_up_to_date(engine)


def test_the_migrations_are_one_line() -> None:
    assert head_revisions() == {"0020"}


def test_a_database_at_the_old_heads_upgrades(engine: Engine, tiny_delivery_dir: Path) -> None:
    """Stamped with the eight heads of parallel scaffolding (what `upgrade(engine, "heads")`
    left before 0015), with data in it: the upgrade joins them and keeps the rows."""
    assert load_delivery(tiny_delivery_dir, engine=engine).ok
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0015")  # the view back
        command.stamp(config, sorted(OLD_HEADS), purge=True)  # 0015 changed no schema
    assert current_revisions(engine) == OLD_HEADS
    assert "mart_cohort_day" in inspect(engine).get_view_names()
    upgrade(engine)
    assert is_up_to_date(engine) and current_revisions(engine) == {"0020"}
    assert "mart_cohort_day" not in inspect(engine).get_view_names()
    with engine.connect() as connection:
        assert set(connection.execute(select(Cohort.cohort_id)).scalars()) == {"C1"}


def test_no_migration_imports_live_code() -> None:
    """A revision must not change when the models do: it imports Alembic and SQLAlchemy only."""
    for path in sorted(MIGRATIONS.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert "from models" not in source and "import models" not in source, path.name
        assert "from pipelines" not in source, path.name
