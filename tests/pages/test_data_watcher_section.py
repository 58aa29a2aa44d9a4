"""The Data page's watcher section: nothing yet, then a running watcher with its queue
and history, in English and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from i18n import format as fmt
from models.db import make_engine, upgrade
from pipelines.watch import WatchConfig, Watcher
from tests.conftest import copy_delivery
from tests.pages.apptest import app_as
from ui.i18n import translate


def _data_page(monkeypatch: pytest.MonkeyPatch, url: str, lang: str) -> AppTest:
    at = app_as(monkeypatch, url)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_no_watcher_yet(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = _data_page(monkeypatch, f"sqlite:///{tmp_path / 'growth.db'}", "en")
    assert translate("watch.header", "en") in [h.value for h in at.header]
    assert translate("watch.none", "en") in [i.value for i in at.info]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_running_watcher_its_queue_and_history(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str
) -> None:
    url = f"sqlite:///{tmp_path / 'growth.db'}"
    engine = make_engine(url)
    upgrade(engine)
    drop = tmp_path / "drop"
    drop.mkdir()
    loaded = copy_delivery("tiny", drop)
    (loaded / "READY").write_text("")
    (drop / "arriving").mkdir()
    (drop / "arriving" / "merchants.csv").write_text("merchant_id,name,industry\n")
    watcher = Watcher(engine, WatchConfig(folder=drop, quiet_seconds=3600), holder="ops-test")
    watcher.start()
    try:
        watcher.scan()
        at = _data_page(monkeypatch, url, lang)
    finally:
        watcher.stop()
        engine.dispose()
    running = [s.value for s in at.success]
    assert any(fmt.plain(str(drop)) in text for text in running), running
    attempts = translate("watch.col.attempts", lang)
    tables = [f.value for f in at.dataframe if attempts in f.value.columns]
    queue, history = tables
    state = translate("watch.col.state", lang)
    assert queue[translate("watch.col.name", lang)].tolist() == ["arriving"]
    assert queue[state].tolist() == [translate("watch.state.waiting", lang)]
    assert history[translate("watch.col.name", lang)].tolist() == ["tiny"]
    assert history[state].tolist() == [translate("watch.state.done", lang)]
