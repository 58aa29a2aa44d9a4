"""Bad configuration: a read-only SQLite file is still read; an in-memory URL is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

import models.db
from models.db import current_revisions, has_data, head_revisions, make_engine, upgrade
from models.settings import SettingsError, check_db_url, load_settings
from pipelines.cli import EXIT_REFUSED, main
from pipelines.load import load_delivery


def test_a_read_only_sqlite_file_can_be_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_delivery_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'growth.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert load_delivery(tiny_delivery_dir, engine=engine, loaded_by="ops").ok
    engine.dispose()
    # this process may not write the file (as for a file owned by another user, chmod 444;
    # the tests run as root, who may write anything, so the permission check is faked)
    real_access = os.access
    monkeypatch.setattr(
        "models.db.os.access", lambda p, mode: mode != os.W_OK and real_access(p, mode)
    )
    readonly = make_engine(url)
    assert has_data(readonly)
    upgrade(readonly)  # up to date: nothing to write
    with pytest.raises(OperationalError, match="readonly"), readonly.begin() as connection:
        connection.exec_driver_sql("DELETE FROM merchants")
    assert has_data(readonly)


@pytest.mark.parametrize(
    "url, refused",
    [
        ("sqlite://", True),
        ("sqlite:///", True),
        ("sqlite:///:memory:", True),
        ("sqlite:///file:x?mode=memory&uri=true", True),
        ("sqlite:///data/growth.db", False),
        ("sqlite:////tmp/x.db", False),
        ("postgresql+psycopg://u@h/db", False),
    ],
)
def test_in_memory_urls_are_refused(url: str, refused: bool) -> None:
    if refused:
        with pytest.raises(SettingsError, match="in-memory"):
            check_db_url(url)
        with pytest.raises(SettingsError):
            load_settings({"GROWTH_DB_URL": url}, secrets_path=Path("/nonexistent"))
    else:
        assert check_db_url(url) == url


def test_the_cli_refuses_an_in_memory_database(
    capsys: pytest.CaptureFixture[str], tiny_delivery_dir: Path
) -> None:
    code = main(["load", str(tiny_delivery_dir), "--db", "sqlite:///", "--quiet"])
    assert code == EXIT_REFUSED
    err = capsys.readouterr().err
    assert "in-memory" in err and "nothing was changed" in err and "Traceback" not in err


def test_upgrade_at_the_head_only_reads_the_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every load starts with an upgrade: a database at the head is not handed to
    Alembic's upgrade command again; one below the head is."""
    engine = make_engine(f"sqlite:///{tmp_path / 'growth.db'}")
    calls: list[str] = []
    real = models.db.command.upgrade
    monkeypatch.setattr(
        models.db.command, "upgrade", lambda config, rev: calls.append(rev) or real(config, rev)
    )
    upgrade(engine, "0018")
    upgrade(engine)
    upgrade(engine)
    assert calls == ["0018", "head"]
    assert current_revisions(engine) == head_revisions()
