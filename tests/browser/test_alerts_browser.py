"""Alerts in a real browser: an executive opens the Alerts page from the navigation, adds
a KPI rule with the form and finds it in the list of rules."""

from __future__ import annotations

import pytest

from ui.i18n import translate

pytestmark = pytest.mark.browser


def test_an_executive_adds_a_rule(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.get_by_role("link", name=translate("alerts.page", "en")).click()
    expect(page.get_by_role("heading", name=translate("alerts.title", "en"))).to_be_visible()
    page.get_by_label(translate("alerts.new.name", "en")).fill("Browser rule: low GMV")
    page.get_by_role("button", name=translate("alerts.new.add", "en")).click()
    expect(page.get_by_text(translate("alerts.new.added", "en"))).to_be_visible(timeout=30000)
    rules = page.get_by_test_id("stDataFrame").filter(has_text="Condition")
    expect(rules).to_be_visible()
    assert page.outside_requests == []
