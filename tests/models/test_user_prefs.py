"""A user's language is kept on their account; the stamps written in the deployment's zone
before one clock are moved to UTC by migration 0017."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from models import auth, user_prefs
from models.db import alembic_config, make_engine, upgrade


def test_a_picked_language_is_kept_and_read_back(engine: Engine) -> None:
    auth.add_user(engine, username="li", role="coach", password=None, actor="tests")
    auth.add_user(engine, username="ana", role="executive", password=None, actor="tests")
    with engine.connect() as connection:
        ids = dict(connection.execute(text("SELECT username, user_id FROM users")).all())
    assert user_prefs.language(engine, ids["li"]) is None  # never picked
    user_prefs.remember_language(engine, ids["li"], "zh")
    assert user_prefs.language(engine, ids["li"]) == "zh"
    assert user_prefs.language(engine, ids["ana"]) is None  # another user's is their own
    user_prefs.remember_language(engine, ids["li"], "en")
    assert user_prefs.language(engine, ids["li"]) == "en"
    with pytest.raises(ValueError):
        user_prefs.remember_language(engine, ids["li"], "fr")
    assert user_prefs.language(engine, 999_999) is None


def _before_0017(engine: Engine) -> None:
    upgrade(engine, "0016")


@pytest.mark.parametrize(
    ("zone", "written", "stored"),
    [
        ("Asia/Shanghai", datetime(2026, 12, 2, 8, 58), datetime(2026, 12, 2, 0, 58)),
        ("Asia/Shanghai", datetime(2026, 12, 2, 3, 0), datetime(2026, 12, 1, 19, 0)),
        ("Europe/London", datetime(2026, 7, 1, 12, 0), datetime(2026, 7, 1, 11, 0)),
    ],
)
def test_migration_0017_moves_zoned_delivery_stamps_to_utc(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    zone: str,
    written: datetime,
    stored: datetime,
) -> None:
    monkeypatch.setenv("GROWTH_TIMEZONE", zone)
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _before_0017(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO load_batches (source, loaded_by, started_at, finished_at, status,"
                " all_or_nothing, rows_read, rows_new, rows_replaced, rows_rejected, message)"
                " VALUES ('d', 'ops', :at, :at, 'loaded', 0, 0, 0, 0, 0, '')"
            ),
            {"at": written},
        )
    upgrade(engine)
    with engine.connect() as connection:
        started, finished = connection.execute(
            text("SELECT started_at, finished_at FROM load_batches")
        ).one()
        columns = {
            row[1] for row in connection.execute(text("PRAGMA table_info(users)")).fetchall()
        }
    assert datetime.fromisoformat(str(started)) == stored
    assert datetime.fromisoformat(str(finished)) == stored
    assert "lang" in columns
    # and back: the downgrade puts the zone's times back and drops the column
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")
    with engine.connect() as connection:
        started = connection.execute(text("SELECT started_at FROM load_batches")).scalar_one()
    assert datetime.fromisoformat(str(started)) == written
    engine.dispose()
