"""A merchant's own journey in a real browser: log in with its own account, load its own
GBK export under a non-contract name (Chinese headers, one row of another merchant),
see what was loaded and what was rejected and why, then open its campaign payback.
Screenshots of each step go to $SCREENSHOTS when that is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import MERCHANT, log_in
from ui.i18n import translate

pytestmark = pytest.mark.browser


def _shot(page: object, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _export(tmp_path: Path, merchant_id: str) -> Path:
    other = "M001" if merchant_id != "M001" else "M002"
    text = (
        "订单号,商户编号,下单时间,渠道,实付金额,会员号\n"
        f"OWN-1,{merchant_id},2019-12-30 10:00,门店,128,own-c1\n"
        f"OWN-2,{merchant_id},2019-12-31 11:30,小程序,56.5,own-c2\n"
        f"OTHER-1,{other},2019-12-31 12:00,门店,99,x1\n"
    )
    path = tmp_path / "订单导出.csv"
    path.write_bytes(text.encode("gbk"))
    return path


def test_merchant_loads_its_own_gbk_export(  # type: ignore[no-untyped-def]
    anonymous_page, app_url: str, merchant_id: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = anonymous_page
    log_in(page, app_url, MERCHANT)
    page.get_by_role("link", name=translate("mydata.page", "en")).click()
    expect(page.get_by_role("heading", name=translate("mydata.title", "en"))).to_be_visible()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        str(_export(tmp_path, merchant_id))
    )
    expect(
        page.get_by_text(
            translate("mydata.entity.recognised", "en", entity=translate("entity.orders", "en"))
        )
    ).to_be_visible()
    _shot(page, "my_data_mapped_1440")
    page.get_by_role("button", name=translate("mydata.load", "en")).click()
    expect(page.get_by_text("Loaded 2 new and 0 corrected rows; 1 rejected.")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").last).to_be_visible()
    _shot(page, "my_data_loaded_1440")
    page.set_viewport_size({"width": 1280, "height": 720})
    _shot(page, "my_data_loaded_1280")
    page.get_by_role("link", name=translate("campaigns.page", "en")).click()
    expect(page.get_by_role("heading", name=translate("campaigns.title", "en"))).to_be_visible()
    expect(page.get_by_text(translate("campaigns.none_yet", "en"))).to_be_visible()
    _shot(page, "payback_1280")
    assert page.outside_requests == []
