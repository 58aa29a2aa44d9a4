"""A browser visitor sees one friendly sentence with an incident id when the database is
down, never a traceback; the error is in the server log under that id."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, TIMEOUT
from ui.i18n import translate


def test_database_down_is_said_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("GROWTH_DB_URL", "postgresql+psycopg://postgres@127.0.0.1:9/nothing")
    monkeypatch.setenv("GROWTH_DEMO", "0")
    with caplog.at_level(logging.ERROR, logger="growth.incident"):
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.error) == 1
    shown = at.error[0].value
    incident = caplog.records[-1].getMessage().split()[1].rstrip(":")
    assert shown == translate("error.database", "en", incident=incident)
    assert "Traceback" not in shown and "psycopg" not in shown and "127.0.0.1" not in shown
    assert caplog.records[-1].exc_info is not None  # the full error is in the server log
