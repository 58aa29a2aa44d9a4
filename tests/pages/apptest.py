"""Running the app under AppTest the way `streamlit run` would, on a given database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
TIMEOUT = 60


def open_app(monkeypatch: pytest.MonkeyPatch, db_url: str) -> AppTest:
    """The app on `db_url` (demo building off), after its first run, with no exception."""
    monkeypatch.setenv("GROWTH_DB_URL", db_url)
    monkeypatch.setenv("GROWTH_DEMO", "0")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
