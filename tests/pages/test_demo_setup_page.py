"""Demo mode ends with the first real upload: the first executive account is created,
the invented programme is removed, and from then on no page is readable without a login."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models import demo_state
from models.db import make_engine
from tests.conftest import copy_sqlite
from tests.pages.apptest import APP, TIMEOUT
from tests.pages.test_auth_page import everything_shown, merchant_rows, page_paths
from tests.pages.test_data_page import delivery_files
from ui.i18n import translate

PASSWORD = "first executive 1"


def _demo_app(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    monkeypatch.setenv("GROWTH_DB_URL", url)
    monkeypatch.delenv("GROWTH_DEMO", raising=False)
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def test_upload_in_demo_mode_then_no_page_without_login(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    url = copy_sqlite(demo_db_url, tmp_path / "growth.db")
    demo_names = set(merchant_rows(url)["name"])
    at = _demo_app(monkeypatch, url).run()
    assert at.warning[0].value == translate("demo.banner", "en")
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert translate("setup.header", "en") in [s.value for s in at.subheader]

    at.text_input(key="setup_username").input("Founder")
    at.text_input(key="setup_password").input(PASSWORD)
    at.text_input(key="setup_repeat").input("not the same one")
    at.file_uploader[0].set_value(delivery_files(tiny_delivery_dir)).run()
    at.button(key="load_delivery").click().run()
    assert at.error[0].value == translate("setup.mismatch", "en")
    assert demo_state.demo_mode(make_engine(url), _settings(url))  # nothing changed

    at.text_input(key="setup_repeat").input(PASSWORD)
    at.button(key="load_delivery").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [e.value for e in at.error] + [w.value for w in at.warning]
    assert not demo_state.demo_mode(make_engine(url), _settings(url)), shown
    # the real database started empty: only the delivered merchants, no invented one
    assert set(merchant_rows(url)["merchant_id"]) == {"M1", "M2", "M3"}
    assert not demo_names & set(merchant_rows(url)["name"])
    assert translate("demo.banner", "en") not in [w.value for w in at.warning]
    assert translate("setup.done", "en", name="founder") in [s.value for s in at.success]

    # a fresh session (another visitor, or this one after a reload) sees only the login
    anonymous = _demo_app(monkeypatch, url).run()
    assert not anonymous.exception
    assert anonymous.title[0].value == translate("auth.title", "en")
    assert not anonymous.metric and not anonymous.dataframe
    assert not {"M1", "M2", "M3"} & set(everything_shown(anonymous).split())
    for path in page_paths("executive"):  # no page file is in this session's navigation
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            anonymous.switch_page(path)


def _settings(url: str):  # type: ignore[no-untyped-def]
    from models.settings import Settings

    return Settings(db_url=url)
