"""The rule editor in a real browser, as a merchant: start from a template, see the live
count, switch the rows from "all" to "any" and see the count follow."""

from __future__ import annotations

import pytest

from models import segments as sg
from models.db import make_engine
from models.scope import Scope
from tests.browser.conftest import MERCHANT, log_in
from ui.i18n import translate

pytestmark = pytest.mark.browser


def _count(db_url: str, merchant_id: str, definition: dict) -> str:
    engine = make_engine(db_url)
    stats = sg.segment_stats(
        engine=engine,
        scope=Scope.merchant(merchant_id),
        merchant_id=merchant_id,
        definition=definition,
    )
    engine.dispose()
    return f"{stats['customers']:,}"


def test_rule_editor(anonymous_page, app_url: str, merchant_id: str, demo_db_url: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = anonymous_page
    log_in(page, app_url, MERCHANT)
    page.get_by_role("link", name=translate("segments.page", "en")).click()
    expect(page.get_by_role("heading", name=translate("segments.title", "en"))).to_be_visible()

    customers = page.get_by_test_id("stMetric").filter(
        has=page.get_by_text(translate("segments.col.customers", "en"), exact=True)
    )
    expect(customers).to_contain_text(_count(demo_db_url, merchant_id, {"conditions": []}))

    template = sg.TEMPLATES["cloud_users_lapsed_30d"].tiers[0].definition
    start = page.get_by_test_id("stSelectbox").filter(
        has_text=translate("segments.start_from", "en")
    )
    start.click()
    page.get_by_role(
        "option", name=translate("segments.template.cloud_users_lapsed_30d", "en")
    ).click()
    expect(customers).to_contain_text(_count(demo_db_url, merchant_id, template))
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()

    page.get_by_text(translate("segments.match.any", "en"), exact=True).click()
    rows, _ = sg.to_rows(template)  # the editor's rows, now combined by "any"
    expect(customers).to_contain_text(_count(demo_db_url, merchant_id, sg.from_rows(rows, "any")))
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    assert page.outside_requests == []
