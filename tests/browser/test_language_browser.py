"""The language in a real browser: a Chinese browser gets Chinese from its first visit, the
charts' drawn text (ticks, titles, legends, annotations, as Plotly renders them) is
Chinese on every page with charts, Streamlit's own uploader words are covered, and a
user's pick follows them to their next login."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import EXECUTIVE, UI_TIMEOUT, fresh_tab
from tests.pages.language_scan import offences
from tests.pages.test_language_pages import delivered_names
from ui.i18n import translate
from ui.navigation import PAGES

# Pages with charts (navigation name, title key): the executive's programme pages and the
# merchant-level pages an executive opens for the first merchant.
CHART_PAGES = (
    ("overview", "overview.title"),
    ("roi", "roi.title"),
    ("workshop", "connections.workshop.title"),
    ("business", "business.title"),
    ("campaigns", "campaigns.title"),
    ("segments", "segments.title"),
)


@pytest.fixture
def chinese_tab(chromium: object, app_url: str) -> Iterator[object]:
    """A fresh session of a browser whose language is Chinese (navigator.language zh-CN)."""
    with fresh_tab(chromium, locale="zh-CN") as tab:
        yield tab


def log_in(tab: object, url: str, account: tuple[str, str], lang: str) -> None:
    """The login form, read in `lang`."""
    tab.goto(url)  # type: ignore[attr-defined]
    form = tab.get_by_test_id("stForm")  # type: ignore[attr-defined]
    form.get_by_role("textbox", name=translate("auth.username", lang)).fill(account[0])
    form.get_by_role("textbox", name=translate("auth.password", lang)).fill(account[1])
    tab.get_by_role("button", name=translate("auth.submit", lang)).click()  # type: ignore[attr-defined]
    tab.get_by_test_id("stSidebarNav").wait_for(timeout=UI_TIMEOUT)  # type: ignore[attr-defined]


def chart_texts(tab: object) -> list[str]:
    """Every text Plotly drew in the page's charts (SVG text: ticks, titles, legend,
    annotations, bar labels)."""
    found = tab.locator(".js-plotly-plot svg text").evaluate_all(  # type: ignore[attr-defined]
        "texts => texts.map(t => t.textContent)"
    )
    return [t for t in found if t and t.strip()]


def go_to(tab: object, name: str) -> None:
    """Open a page from the sidebar (a reload would start a new session: a new login)."""
    nav = tab.get_by_test_id("stSidebarNav")  # type: ignore[attr-defined]
    nav.get_by_role("link", name=translate(PAGES[name][2], "zh"), exact=True).click()


def _open(tab: object, name: str, title_key: str) -> None:
    from playwright.sync_api import expect

    go_to(tab, name)
    heading = tab.get_by_role("heading", name=translate(title_key, "zh"))  # type: ignore[attr-defined]
    expect(heading.first).to_be_visible()
    tab.locator(".js-plotly-plot").first.wait_for(timeout=UI_TIMEOUT)  # type: ignore[attr-defined]
    tab.wait_for_timeout(1500)  # type: ignore[attr-defined]  # the last charts to draw


def test_a_chinese_browser_gets_chinese_charts_on_every_chart_page(
    chinese_tab: object, app_url: str, demo_db_url: str
) -> None:
    from playwright.sync_api import expect

    tab = chinese_tab
    tab.goto(app_url)  # type: ignore[attr-defined]
    # the first visit: the login page in the browser's language
    expect(tab.get_by_role("heading", name=translate("auth.title", "zh"))).to_be_visible()  # type: ignore[attr-defined]
    log_in(tab, app_url, EXECUTIVE, "zh")
    delivered = delivered_names(demo_db_url)  # merchant and cohort names, as delivered
    drawn = {}
    for path, title_key in CHART_PAGES:
        _open(tab, path, title_key)
        texts = chart_texts(tab)
        drawn[path] = len(texts)
        assert offences(texts, "zh", delivered) == [], path
    # the pages whose charts have axes drew text (a KPI card's sparkline has none)
    assert all(drawn[p] > 0 for p in ("overview", "roi", "workshop")), drawn
    assert tab.outside_requests == []  # type: ignore[attr-defined]


def test_the_uploader_speaks_chinese(chinese_tab: object, app_url: str) -> None:
    """Streamlit writes the uploader's button and instructions itself; the Chinese sheet
    (ui/styles/uploader_zh.css) puts the Chinese words in their place."""
    from playwright.sync_api import expect

    tab = chinese_tab
    log_in(tab, app_url, EXECUTIVE, "zh")
    go_to(tab, "data")
    zone = tab.get_by_test_id("stFileUploaderDropzone")  # type: ignore[attr-defined]
    expect(zone).to_be_visible()
    shown = zone.evaluate(
        """zone => [...zone.querySelectorAll('p, span')]
            .filter(e => e.children.length === 0)
            .map(e => {
                const before = getComputedStyle(e).fontSize === '0px';
                const after = getComputedStyle(e, '::after').content;
                return before ? after.replace(/^"|"$/g, '') : e.textContent;
            })"""
    )
    assert offences([s for s in shown if s and s != "upload"], "zh") == []  # icon ligature


def test_the_pick_follows_the_user_to_the_next_login(chromium: object, app_url: str) -> None:
    """Picked English in one session, the same user gets English at the next login from a
    Chinese browser (the login page itself follows the browser)."""
    from playwright.sync_api import expect

    with fresh_tab(chromium, locale="zh-CN") as tab:
        log_in(tab, app_url, EXECUTIVE, "zh")
        tab.get_by_test_id("stSidebar").get_by_text(  # type: ignore[attr-defined]
            translate("lang.en", "zh"), exact=True
        ).click()
        expect(tab.get_by_role("heading", name=translate("overview.title", "en"))).to_be_visible()  # type: ignore[attr-defined]
    with fresh_tab(chromium, locale="zh-CN") as tab:
        tab.goto(app_url)  # type: ignore[attr-defined]
        expect(tab.get_by_role("heading", name=translate("auth.title", "zh"))).to_be_visible()  # type: ignore[attr-defined]
        log_in(tab, app_url, EXECUTIVE, "zh")
        expect(tab.get_by_role("heading", name=translate("overview.title", "en"))).to_be_visible()  # type: ignore[attr-defined]
        # back to Chinese for the other tests of this module
        tab.get_by_test_id("stSidebar").get_by_text(translate("lang.zh", "en"), exact=True).click()  # type: ignore[attr-defined]
        expect(tab.get_by_role("heading", name=translate("overview.title", "zh"))).to_be_visible()  # type: ignore[attr-defined]
