"""My data through AppTest: a merchant's page names it and offers the upload; an
operator does not have the page (it loads on Data deliveries). The upload itself is
tested in tests/pipelines/test_mapping.py (AppTest has no file uploader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.db import make_engine, upgrade
from pipelines.load import load_delivery
from tests.pages.apptest import open_app
from ui.i18n import translate


@pytest.fixture
def tiny_url(tmp_path: Path, tiny_delivery_dir: Path) -> str:
    url = f"sqlite:///{tmp_path / 'growth.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_delivery(tiny_delivery_dir, engine=engine)
    engine.dispose()
    return url


def test_a_merchant_gets_its_upload(monkeypatch: pytest.MonkeyPatch, tiny_url: str) -> None:
    at = open_app(monkeypatch, tiny_url, role="merchant", merchant="M1")
    at.switch_page("pages/my_data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == translate("mydata.title", "en")
    assert "Alpha Tea" in at.markdown[0].value
    assert not at.info


def test_only_merchants_have_the_page(monkeypatch: pytest.MonkeyPatch, tiny_url: str) -> None:
    at = open_app(monkeypatch, tiny_url)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/my_data.py")
