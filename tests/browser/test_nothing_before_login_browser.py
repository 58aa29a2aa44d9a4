"""A freshly started server shows nothing but the login to a visitor with no identity: no
page names, no page, no traceback, whatever URL is typed - the very first request of the
process included (Streamlit's legacy `pages/` router runs then)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import _copy_database, _free_port, fresh_tab, streamlit_server
from ui.i18n import translate
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

TITLES = [translate(key, "en") for _f, _u, key, _i, _s in PAGES.values()]


def test_fresh_server_shows_only_the_login_on_every_url(  # type: ignore[no-untyped-def]
    chromium, demo_db_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    db_url = _copy_database(demo_db_url, tmp_path / "growth.db")
    stems = [Path(file).stem for file, *_rest in PAGES.values()]
    urls = [url_path for _f, url_path, *_rest in PAGES.values()]
    # the first request of the process goes straight to a page file's own name
    paths = ["campaigns", "", *urls, *stems, "no-such-page"]
    with streamlit_server(tmp_path, _free_port(), db_url) as url, fresh_tab(chromium) as tab:
        for path in paths:
            tab.goto(f"{url}/{path}")
            expect(tab.get_by_role("heading", name=translate("auth.title", "en"))).to_be_visible()
            tab.wait_for_timeout(500)  # let the run finish drawing
            text = tab.inner_text("body")
            assert "Traceback" not in text and "KeyError" not in text, path
            assert "/work/" not in text and ".py" not in text, path
            expect(tab.get_by_test_id("stException")).to_have_count(0)
            expect(tab.get_by_test_id("stSidebarNav")).to_have_count(0)
            for title in TITLES:
                assert title not in text, (path, title)
            # the legacy router listed each page file as an entry of its own; a word inside
            # a sentence (the login's "pipelines users add ...") is not a page name
            lines = {line.strip().lower() for line in text.splitlines()}
            for stem in stems:
                assert stem.replace("_", " ") not in lines, (path, stem)
        assert tab.outside_requests == []
    log = (tmp_path / "streamlit.log").read_text()
    assert "Traceback" not in log
