"""The Customer outlook page in a real browser, as a merchant sees it after the predictions
step ran: its at-risk customers listed with masked ids (never the real ones) and the
calibration chart of predicted against actual purchases with its error written down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import (
    _copy_database,
    _free_port,
    fresh_tab,
    log_in,
    streamlit_server,
)
from ui.i18n import translate

pytestmark = pytest.mark.browser
ACCOUNT = ("browser-outlook", "outlook password 1")


def _predicted_merchant(db_url: str) -> tuple[str, list[str]]:
    """Fit the largest merchants until one has customers at risk (the demo's customers
    rarely lapse); add that merchant's account; its at-risk ids."""
    from sqlalchemy import func, select

    from models import auth
    from models import predictions as read
    from models.db import make_engine
    from models.schema import Order
    from models.scope import Scope
    from pipelines import predictions

    engine = make_engine(db_url)
    with engine.connect() as connection:
        largest = [
            str(m)
            for m in connection.execute(
                select(Order.merchant_id)
                .group_by(Order.merchant_id)
                .order_by(func.count(func.distinct(Order.customer_id)).desc())
                .limit(5)
            ).scalars()
        ]
    for merchant_id in largest:
        [result] = predictions.rebuild(engine, [merchant_id])
        assert result.status == predictions.FITTED
        scope = Scope.merchant(merchant_id)
        at_risk = read.top_at_risk(engine=engine, scope=scope, merchant_id=merchant_id)
        if not at_risk.empty:
            break
    auth.add_user(
        engine,
        username=ACCOUNT[0],
        role="merchant",
        password=ACCOUNT[1],
        actor="tests",
        merchants=[merchant_id],
    )
    engine.dispose()
    return merchant_id, [str(c) for c in at_risk["customer_id"]]


@pytest.fixture(scope="module")
def outlook(
    chromium: object, demo_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, list[str]]]:
    folder = tmp_path_factory.mktemp("outlook")
    db_url = _copy_database(demo_db_url, Path(folder) / "growth.db")
    _merchant, at_risk = _predicted_merchant(db_url)
    with streamlit_server(folder, _free_port(), db_url) as url:
        yield url, at_risk


def test_a_merchant_sees_its_customers_at_risk_masked_and_the_calibration(  # type: ignore[no-untyped-def]
    chromium, outlook: tuple[str, list[str]]
) -> None:
    from playwright.sync_api import expect

    from models.segments import mask_id

    url, at_risk = outlook
    assert at_risk, "one of the demo's five largest merchants has customers at risk"
    with fresh_tab(chromium) as page:
        log_in(page, url, ACCOUNT)
        page.get_by_role("link", name=translate("predictions.page", "en")).click()
        expect(
            page.get_by_role("heading", name=translate("predictions.title", "en"))
        ).to_be_visible()
        table = page.get_by_test_id("stDataFrame").filter(
            has=page.get_by_text(translate("predictions.col.churn_risk", "en"), exact=True)
        )
        expect(table).to_be_visible()
        for customer_id in at_risk[:3]:  # the grid keeps its cells in a hidden table
            expect(table.get_by_text(mask_id(customer_id), exact=True).first).to_be_attached()
        content = page.content()
        assert not [c for c in at_risk if c in content]  # no real id anywhere on the page
        expect(
            page.get_by_role("heading", name=translate("predictions.calibration.title", "en"))
        ).to_be_visible()
        chart = page.get_by_test_id("stPlotlyChart")
        expect(chart).to_be_visible()
        expect(chart.locator(".barlayer .trace").first).to_be_attached()
        assert chart.locator(".barlayer .trace").count() >= 2  # predicted and actual
        assert page.outside_requests == []  # type: ignore[attr-defined]
