"""The migrations build the same schema as the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from models.db import head_revisions, is_up_to_date, upgrade
from models.schema import COHORT_DAY_VIEW, Base
from models.tables import load_all_tables


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    load_all_tables()
    assert is_up_to_date(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert COHORT_DAY_VIEW in inspect(engine).get_view_names()


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    assert head_revisions() and is_up_to_date(engine)
