"""The cohort workshop report (`ui.charts_connections.workshop_report`), built the way the
workshop page builds it on the demo programme: one self-contained HTML file (plotly.js
inline, nothing linked from outside) holding the cohort's heatmaps of every merchant and
their scores, in English and in Chinese, that a browser opens from disk with its charts
drawn and without a single request leaving the file."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from plotly.offline import get_plotlyjs
from sqlalchemy import select

from models import connections_queries as q
from models.connections import CONNECTIONS
from models.db import make_engine
from models.schema import Cohort
from models.scope import Scope
from tests.browser.conftest import chromium  # noqa: F401  (the Chromium fixture)
from ui import charts_connections as cc
from ui import format as fmt
from ui.i18n import translate

COHORT = "C2018A"
LANGS = ("en", "zh")


@dataclass(frozen=True)
class Cohort2018A:
    label: str
    week: date
    scores: pd.DataFrame
    indicators: pd.DataFrame


@pytest.fixture(scope="module")
def cohort(demo_db_url: str) -> Iterator[Cohort2018A]:
    """C2018A at the last week of its programme, read as an executive."""
    engine = make_engine(demo_db_url)
    scope = Scope.executive()
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(Cohort.name, Cohort.end_date).where(Cohort.cohort_id == COHORT)
            ).one()
        week = q.latest_week(engine=engine, scope=scope, on_or_before=row.end_date)
        assert week is not None
        scores = q.cohort_scores(engine=engine, scope=scope, cohort_id=COHORT, week=week)
        indicators = q.cohort_indicators(engine=engine, scope=scope, cohort_id=COHORT, week=week)
    finally:
        engine.dispose()
    assert len(scores) >= 10  # the demo's first cohort has seventeen merchants
    yield Cohort2018A(f"{COHORT} {row.name}", week, scores, indicators)


def _report(cohort: Cohort2018A, lang: str) -> str:
    """The report as pages/workshop.py builds it: both heatmaps, sorted by name."""
    figures = [
        cc.cohort_heatmap(
            cc.heatmap_matrix(cohort.scores, cohort.indicators, level=level, sort_by="name"),
            lang=lang,  # type: ignore[arg-type]
            level=level,
        )
        for level in ("connections", "indicators")
    ]
    return cc.workshop_report(
        cohort=cohort.label,
        week=cohort.week,
        scores=cohort.scores,
        figures=figures,
        lang=lang,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_is_one_self_contained_file(cohort: Cohort2018A, lang: str) -> None:
    report = _report(cohort, lang)
    plotly_js = get_plotlyjs()
    assert report.count(plotly_js) == 1  # embedded inline, once, for both charts
    # Nothing is linked: no script, stylesheet, font or image fetched from anywhere.
    # (plotly.js itself mentions map-tile URLs it uses only for map traces; the rest of
    # the page must not name any address at all.)
    assert not re.search(r"<script[^>]*\bsrc\s*=", report, re.IGNORECASE)
    assert not re.search(r"<link\b", report, re.IGNORECASE)
    assert not re.search(r"<img\b|<iframe\b", report, re.IGNORECASE)
    page = report.replace(plotly_js, "")
    assert not re.search(r"https?:|//cdn|@import|url\(|@font-face", page, re.IGNORECASE)

    # Both heatmaps, each with every merchant of the cohort as a row.
    assert page.count("Plotly.newPlot(") == 2
    assert page.count('class="plotly-graph-div"') == 2
    # The scores table: one row per merchant, its name escaped, each connection's score
    # and stage in the report's language.
    assert page.count("<tr><td>") == len(cohort.scores)
    for row in cohort.scores.itertuples(index=False):
        cells = [html.escape(str(row.name), quote=False)]
        for c in CONNECTIONS:
            score = getattr(row, c)
            stage = translate(f"connections.stage.{getattr(row, f'{c}_stage')}", lang)
            cells.append(f"{fmt.MISSING if pd.isna(score) else f'{score:.0f}'} · {stage}")
        assert "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>" in page

    title = translate(
        "connections.report.title",
        lang,
        cohort=html.escape(cohort.label, quote=False),
        week=fmt.day(cohort.week, lang),  # type: ignore[arg-type]
    )
    assert f'<html lang="{lang}">' in page
    assert f"<title>{title}</title>" in page and f"<h1>{title}</h1>" in page
    for c in CONNECTIONS:
        assert f"<th>{translate(f'connections.name.{c}', lang)}</th>" in page
    if lang == "zh":
        # The Chinese report carries no English catalog text.
        for key in ("connections.stage.running", "connections.name.touchpoints", "col.name"):
            assert translate(key, "en") not in page.split("<body>", 1)[1].split("<table>")[1]


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_the_report_opens_in_chromium_with_its_charts_drawn(
    chromium: object,  # noqa: F811
    cohort: Cohort2018A,
    lang: str,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    path = tmp_path / f"workshop-{COHORT}-{lang}.html"
    path.write_text(_report(cohort, lang), encoding="utf-8")

    context = chromium.new_context(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        requests: list[str] = []
        tab.on("request", lambda request: requests.append(request.url))
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(path.as_uri())

        charts = tab.locator(".js-plotly-plot")
        expect(charts).to_have_count(2)
        expect(charts.first.locator("svg.main-svg").first).to_be_visible()
        # The connection heatmap drew one row label per merchant and a column per
        # connection, in the report's language.
        names = sorted(str(n) for n in cohort.scores["name"])
        first = charts.nth(0)
        expect(first.locator(".ytick text")).to_have_count(len(names))
        assert sorted(first.locator(".ytick text").all_text_contents()) == names
        assert first.locator(".xtick text").all_text_contents() == [
            translate(f"connections.name.{c}", lang) for c in CONNECTIONS
        ]
        expect(first.locator(".gtitle")).to_have_text(translate("connections.chart.heatmap", lang))
        # The indicator heatmap: same merchants, one column per scored indicator.
        second = charts.nth(1)
        expect(second.locator(".ytick text")).to_have_count(len(names))
        expect(second.locator(".xtick text")).to_have_count(len(cc.heatmap_columns("indicators")))
        expect(tab.locator("table tbody tr")).to_have_count(len(names))
        assert errors == []
        assert requests and all(url.startswith("file://") for url in requests), requests
    finally:
        context.close()
