"""The executive's question in a real browser, at 1440x900: which cohort is ahead, by how
much causally, and how sure, read on the first page without scrolling, in English and,
one click later, in Chinese; then Cohort ROI from the navigation with the answer on top,
the first cohort's +376% beside its causal figure, and the race chart of merchants."""

from __future__ import annotations

import pytest

from ui.i18n import translate

pytestmark = pytest.mark.browser
SCREEN_HEIGHT = 900


def in_view(tab, locator) -> None:  # type: ignore[no-untyped-def]
    """The element is on screen without scrolling: inside the window's first 900 pixels,
    and the page (outside the sidebar, which the language click may scroll) was not
    scrolled."""
    box = locator.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN_HEIGHT, box
    assert tab.evaluate(NOTHING_SCROLLED)


NOTHING_SCROLLED = """() => [...document.querySelectorAll('*')]
    .filter(e => !e.closest('[data-testid=stSidebar]'))
    .every(e => e.scrollTop === 0)"""


def test_the_answer_in_at_most_three_clicks_in_both_languages(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    clicks = 0
    assert page.viewport_size == {"width": 1440, "height": 900}
    # The first page after logging in is the overview: the answer is on top.
    expect(page.get_by_role("heading", name=translate("overview.title", "en"))).to_be_visible()
    answer = page.get_by_text("C2018A is ahead:", exact=False).first
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("causal uplift (95%:")
    expect(answer).to_contain_text("points more than C2019A")
    expect(answer).to_contain_text("the lead is not yet certain")
    in_view(page, answer)
    # the chart's title is on two lines (the interval's words on the second)
    first_line = translate("roi.answer.chart.title", "en").partition(" (")[0]
    ranking = page.locator(".gtitle").filter(has_text=first_line)
    expect(ranking).to_be_visible()
    in_view(page, ranking)
    page.screenshot(path="/tmp/answer-en.png")

    page.get_by_text("简体中文").click()
    clicks += 1
    answer = page.get_by_text("C2018A 领先", exact=False).first
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("比 C2019A 高")
    expect(answer).to_contain_text("领先尚不确定")
    in_view(page, answer)
    page.screenshot(path="/tmp/answer-zh.png")
    assert clicks <= 3
    assert page.outside_requests == []


def test_the_results_race(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name=translate("roi.page", "en")).click()
    expect(page.get_by_role("heading", name=translate("roi.title", "en"))).to_be_visible()
    answer = page.get_by_text("C2018A is ahead:", exact=False).first
    expect(answer).to_be_visible()
    in_view(page, answer)
    expect(page.get_by_role("heading", name=translate("roi.race.header", "en"))).to_be_visible()
    metric = page.get_by_test_id("stMetric").get_by_text(translate("roi.kpi.causal", "en"))
    expect(metric).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").nth(2)).to_have_text("+376%")
    # The race chart draws one bar per merchant with its interval, and the raw diamonds.
    race = page.locator(".js-plotly-plot").nth(2)
    expect(race).to_be_visible()
    expect(race.locator(".barlayer .point")).to_have_count(17)
    expect(page.get_by_text(translate("roi.chart.race.title", "en"))).to_be_visible()
    expect(page.get_by_text("Double 11").first).to_be_visible()
    page.screenshot(path="/tmp/roi.png", full_page=True)
    assert page.outside_requests == []
