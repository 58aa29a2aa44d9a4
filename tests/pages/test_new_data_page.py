"""A delivery loaded from the command line shows at the app's next rerun, not after the
cache's TTL."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.db import make_engine, upgrade
from pipelines.load import load_delivery
from tests.pages.apptest import open_app
from tests.pages.test_data_page import table_with


def test_a_command_line_load_shows_at_the_next_rerun(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_delivery_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'growth.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert load_delivery(tiny_delivery_dir, engine=engine, loaded_by="ops").ok
    at = open_app(monkeypatch, url)
    at.switch_page("pages/data.py").run()
    assert len(table_with(at, "Delivery")) == 1
    assert load_delivery(tiny_delivery_dir, engine=engine, loaded_by="cli").ok  # elsewhere
    at.run()
    assert not at.exception
    assert len(table_with(at, "Delivery")) == 2
    engine.dispose()
