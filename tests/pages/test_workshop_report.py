"""The cohort workshop report (`ui.report_workshop`), built the way the workshop page's
download builds it on the demo programme: one small self-contained HTML file (no script,
nothing linked from outside) holding the cohort board and, for every merchant, what holds
it back, its next actions and the coach's notes, in English and in Chinese; it opens in
a browser from disk with every header readable and prints on A4 landscape."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from i18n.format import Lang
from models import connections_queries as q
from models.db import make_engine
from models.schema import Cohort
from models.scope import Scope
from tests.browser.conftest import chromium  # noqa: F401  (the Chromium fixture)
from tests.conftest import copy_sqlite
from ui import charts_connections as cc
from ui import report_workshop as rw
from ui.i18n import translate

COHORT = "C2018A"
LANGS: tuple[Lang, ...] = ("en", "zh")
MAX_BYTES = 100_000  # measured 30 kB for 17 merchants (docs/workshop.md); the old one 4.9 MB
SAVED_NOTE = "Review: <b>scan-to-buy</b> codes in every store & 下周复盘"


@dataclass(frozen=True)
class Report:
    label: str
    week: date
    board: pd.DataFrame
    details: dict[str, rw.MerchantDetail]
    noted: str  # the merchant a note was saved for through the queries


@pytest.fixture(scope="module")
def report(demo_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    """C2018A at the last week of its programme, read as its coach, with one note saved
    (in a copy of the demo database of this module's own)."""
    url = copy_sqlite(demo_db_url, tmp_path_factory.mktemp("report_db") / "growth.db")
    engine = make_engine(url)
    scope = Scope.coach([COHORT], user="coach-report")
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(Cohort.name, Cohort.end_date).where(Cohort.cohort_id == COHORT)
            ).one()
        week = q.latest_week(engine=engine, scope=scope, on_or_before=row.end_date)
        assert week is not None
        scores = q.cohort_scores(engine=engine, scope=scope, cohort_id=COHORT, week=week)
        noted = str(scores["merchant_id"].iloc[-1])  # not the browser test's merchant
        assert q.add_coach_note(
            engine=engine, scope=scope, merchant_id=noted, body=SAVED_NOTE,
            now=datetime(2018, 12, 20, 9, 30),
        )  # fmt: skip
        board, details = rw.gather(engine=engine, scope=scope, cohort_id=COHORT, week=week)
    finally:
        engine.dispose()
    assert len(board) == 17  # the demo's first cohort has seventeen merchants
    yield Report(f"{COHORT} {row.name}", week, board, details, noted)


def _with_notes(report: Report) -> dict[str, rw.MerchantDetail]:
    """Every merchant given a note of its own (named after it), on top of the saved one."""
    out = {}
    for mid, detail in report.details.items():
        extra = pd.DataFrame(
            [{"note_id": 0, "created_at": datetime(2018, 12, 21, 10, 0), "author": "coach",
              "body": f"Note for {mid}: follow up"}]
        )  # fmt: skip
        notes = pd.concat([detail.notes, extra], ignore_index=True) if len(detail.notes) else extra
        out[mid] = replace(detail, notes=notes)
    return out


def _html(report: Report, lang: Lang, details: dict[str, rw.MerchantDetail] | None = None) -> str:
    return rw.render(
        cohort=report.label, week=report.week, board=report.board,
        details=details or report.details, lang=lang,
    )  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_is_small_and_self_contained(report: Report, lang: Lang) -> None:
    page = _html(report, lang)
    assert len(page.encode("utf-8")) < MAX_BYTES
    assert not re.search(r"<script|<link\b|<img\b|<iframe\b", page, re.IGNORECASE)
    assert not re.search(r"https?:|//cdn|@import|url\(|@font-face", page, re.IGNORECASE)
    assert f'<html lang="{lang}">' in page
    # Printable: A4 landscape, table headers repeated on every page.
    assert "@media print" in page and "size:A4 landscape" in page
    assert "thead{display:table-header-group}" in page
    title = translate("connections.report.title", lang, cohort=report.label, week="")
    assert html.escape(title.split("，")[0].split(",")[0]) in page
    if lang == "zh":
        assert "期 期" not in page and "第一期 工作坊" in page


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_carries_the_board_and_every_merchants_actions_and_notes(
    report: Report, lang: Lang
) -> None:
    details = _with_notes(report)
    page = _html(report, lang, details)
    shown = cc.board_table(report.board, lang)
    # The board: a row per merchant with its blocker, most-behind indicator and action.
    for (_, raw), (_, row) in zip(report.board.iterrows(), shown.iterrows(), strict=True):
        assert f"<td>{html.escape(str(raw['name']))}</td>" in page
        for cell in row.iloc[len(cc.CONNECTIONS) + 1 :]:
            assert html.escape(str(cell)) in page
    assert "\\" not in page  # no Markdown escaping
    # Merchant by merchant: every next action with its class, every note.
    for mid, detail in details.items():
        assert not detail.actions.empty, mid
        for action in detail.actions.itertuples(index=False):
            assert html.escape(translate(f"connections.act.{action.indicator}", lang)) in page
            assert html.escape(cc.topic_text(action.topic, lang)) in page
        for back in detail.back.itertuples(index=False):
            assert html.escape(translate(f"connections.ind.{back.indicator}", lang)) in page
        assert html.escape(f"Note for {mid}: follow up") in page
    # The note saved through the queries, escaped (it holds markup).
    assert html.escape(SAVED_NOTE) in page and "<b>scan-to-buy</b>" not in page
    assert page.count('<section class="merchant">') == len(report.board)
    if lang == "zh":
        body = page.split("<body>", 1)[1]
        for key in (
            "connections.stage.running",
            "connections.name.touchpoints",
            "connections.workshop.next_actions",
            "connections.report.holding_back",
        ):
            assert translate(key, "en") not in body, key  # fmt: skip


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_the_report_opens_readable_and_prints_on_a4_landscape(
    chromium: object,  # noqa: F811
    report: Report,
    lang: Lang,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    path = tmp_path / f"workshop-{COHORT}-{lang}.html"
    path.write_text(_html(report, lang, _with_notes(report)), encoding="utf-8")
    context = chromium.new_context(viewport={"width": 1280, "height": 720})  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        requests: list[str] = []
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto(path.as_uri())
        board = tab.locator("table").first
        expect(board.locator("tbody tr")).to_have_count(len(report.board))
        # No header is clipped: each shows its whole text inside its own cell.
        clipped = tab.evaluate(
            """() => [...document.querySelectorAll('th')].filter(
                 th => th.scrollWidth > th.clientWidth + 1 || th.scrollHeight > th.clientHeight + 1
               ).map(th => th.textContent)"""
        )
        assert clipped == []
        assert tab.evaluate("document.documentElement.scrollWidth") <= 1280
        pdf = tab.pdf(prefer_css_page_size=True)
        assert pdf.startswith(b"%PDF")
        # A4 landscape: 842 x 595 points.
        assert re.search(rb"/MediaBox\s*\[\s*0 0 84[12]\.\d+ 59[45]\.\d+\s*\]", pdf), pdf[:2000]
        assert all(url.startswith("file://") for url in requests), requests
    finally:
        context.close()
