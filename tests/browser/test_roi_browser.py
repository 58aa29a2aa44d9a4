"""The results race in a real browser: an executive opens Cohort ROI from the navigation,
sees the first cohort's +376% beside its causal figure, and the race chart of merchants."""

from __future__ import annotations

import pytest

from ui.i18n import translate

pytestmark = pytest.mark.browser


def test_the_results_race(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.get_by_role("link", name=translate("roi.page", "en")).click()
    expect(page.get_by_role("heading", name=translate("roi.title", "en"))).to_be_visible()
    expect(page.get_by_role("heading", name=translate("roi.race.header", "en"))).to_be_visible()
    expect(page.get_by_text(translate("roi.kpi.causal", "en"), exact=True)).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").nth(2)).to_have_text("+376%")
    # The race chart draws one bar per merchant with its interval, and the raw diamonds.
    race = page.locator(".js-plotly-plot").nth(1)
    expect(race).to_be_visible()
    expect(race.locator(".barlayer .point")).to_have_count(17)
    expect(page.get_by_text(translate("roi.chart.race.title", "en"))).to_be_visible()
    expect(page.get_by_text("Double 11").first).to_be_visible()
    page.screenshot(path="/tmp/roi.png", full_page=True)
    assert page.outside_requests == []
