"""The app in a real browser: the overview, Chinese, and uploading a delivery."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ui.i18n import translate

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCREENSHOT = Path("/tmp/overview.png")


def test_overview_then_chinese(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    metrics = page.get_by_test_id("stMetric")
    expect(metrics).to_have_count(6)
    expect(page.get_by_test_id("stMetricLabel").first).to_contain_text("GMV")
    expect(page.get_by_text(translate("kpi.daily_gmv", "en"), exact=True)).to_be_visible()
    # Tables are drawn on a canvas; their cells are in the accessible (hidden) grid.
    # the published figure stands in the answer table and in the cohort table
    expect(page.get_by_text("+376%", exact=True).first).to_be_attached()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()

    page.set_viewport_size({"width": 1440, "height": 2400})
    page.wait_for_timeout(1500)  # charts redraw at the new width
    page.screenshot(path=str(SCREENSHOT))
    page.set_viewport_size({"width": 1440, "height": 900})

    page.get_by_text(translate("lang.zh", "en"), exact=True).click()
    expect(page.get_by_text(translate("kpi.daily_gmv", "zh"), exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=translate("overview.title", "zh"))).to_be_visible()
    expect(page.get_by_text(translate("kpi.daily_gmv", "en"), exact=True)).to_have_count(0)
    cohort = page.get_by_test_id("stSidebar").get_by_role("combobox")
    expect(cohort).to_have_value(translate("sidebar.all_cohorts", "zh"))
    assert page.outside_requests == []  # plotly.js and fonts are served by the app


def test_upload_a_delivery(page, app_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    orders = tmp_path / "orders.csv"
    shutil.copy(FIXTURES / "bad_orders.csv", orders)

    page.get_by_role("link", name=translate("page.data", "en")).click()
    expect(page.get_by_role("heading", name=translate("data.upload.header", "en"))).to_be_visible()

    page.locator("input[type=file]").set_input_files(
        [
            FIXTURES / "tiny" / "cohorts.csv",
            FIXTURES / "tiny" / "merchants.csv",
            orders,
        ]
    )
    button = page.get_by_role("button", name=translate("data.load_button", "en"))
    expect(button).to_be_enabled()
    button.click()

    header = translate("data.summary.header", "en", batch="")
    expect(page.get_by_role("heading", name=re.compile(rf"^{header}\d+$"))).to_be_visible()
    expect(page.get_by_text(translate("status.partial", "en"))).to_be_visible()
    expect(
        page.get_by_role("heading", name=translate("data.rejections.header", "en"))
    ).to_be_visible()
    expect(
        page.get_by_role("button", name=translate("data.rejections.download", "en"))
    ).to_be_visible()
    assert page.outside_requests == []


def test_a_merchant_logs_in_and_sees_only_its_business(  # type: ignore[no-untyped-def]
    anonymous_page, app_url: str, merchant_id: str
) -> None:
    from playwright.sync_api import expect

    from tests.browser.conftest import MERCHANT, log_in

    page = anonymous_page
    page.goto(app_url)
    expect(page.get_by_role("heading", name=translate("auth.title", "en"))).to_be_visible()
    log_in(page, app_url, MERCHANT)
    expect(page.get_by_role("heading", name=translate("business.title", "en"))).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text(translate("page.overview", "en"), exact=True)).to_have_count(0)
    expect(nav.get_by_text(translate("page.data", "en"), exact=True)).to_have_count(0)
    expect(page.get_by_text(translate("business.peers.header", "en"), exact=True)).to_be_visible()
    # the merchant picker does not exist for a merchant: it is its own merchant
    expect(page.get_by_text(translate("widget.merchant", "en"), exact=True)).to_have_count(0)
    page.get_by_role("button", name=translate("auth.logout", "en")).click()
    expect(page.get_by_role("heading", name=translate("auth.title", "en"))).to_be_visible()
    assert page.outside_requests == []
