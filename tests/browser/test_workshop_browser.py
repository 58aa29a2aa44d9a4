"""The coach workshop in a real browser, as a coach uses it in a session: open the Coach
workshop from the navigation, pick the first cohort, read its heatmap, drill into one
merchant (its scores over the weeks, the indicators holding it back, the next actions),
write a note about it, save it and find it listed."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from models import connections_queries as q
from models.connections import CONNECTIONS, holding_back, load_config, next_actions
from models.db import make_engine
from models.scope import Scope
from ui import format as fmt
from ui.i18n import translate

pytestmark = pytest.mark.browser

COHORT = "C2018A"
MERCHANT = "M054"  # Orchid Living: touchpoints still building, so it has a lot to do
NOTE = "Orchid Living: guides add 20 contacts a week; 下周复盘 <b>group posts</b> & fans"


def _expected(db_url: str, week: date) -> tuple[dict[str, object], list[str], list[str], list[str]]:
    """What the workshop must show for `week`, from the models: MERCHANT's cohort row,
    the indicators holding it back (weakest first), its next actions, and the names of
    the cohort's merchants."""
    engine = make_engine(db_url)
    scope = Scope.executive()
    try:
        scores = q.cohort_scores(engine=engine, scope=scope, cohort_id=COHORT, week=week)
        mine = q.merchant_indicators(engine=engine, scope=scope, merchant_id=MERCHANT, week=week)
    finally:
        engine.dispose()
    row = scores[scores["merchant_id"] == MERCHANT].iloc[0].to_dict()
    config = load_config()
    back = list(holding_back(mine, config)["indicator"])
    actions = next_actions(mine, {c: row[f"{c}_stage"] for c in CONNECTIONS}, config)
    return row, back, list(actions["indicator"]), [str(n) for n in scores["name"]]


def test_the_workshop_drill_down(page, app_url: str, demo_db_url: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    def en(key: str, **values: object) -> str:
        return translate(key, "en", **values)

    page.get_by_test_id("stSidebarNav").get_by_role(
        "link", name=en("connections.page.workshop")
    ).click()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=en("connections.workshop.title"))).to_be_visible()

    # Pick the first cohort in the page's own cohort picker.
    picker = main.get_by_role("combobox", name=en("sidebar.cohort"))
    picker.click()
    page.get_by_role("option", name=re.compile(rf"^{COHORT} ")).click()
    expect(picker).to_have_value(re.compile(rf"^{COHORT} "))

    # The caption names the week the scores are of (the sidebar period's last week) and
    # the cohort's merchant count.
    caption = re.escape(en("connections.workshop.caption", week="@WEEK@", n="@N@"))
    caption = caption.replace("@WEEK@", r"(\d+ \w+ \d{4})").replace("@N@", r"\d+")
    shown = main.get_by_text(re.compile(f"^{caption}$"))
    expect(shown).to_be_visible()
    found = re.match(f"^{caption}$", shown.inner_text().strip())
    assert found is not None
    week = datetime.strptime(found.group(1), "%d %b %Y").date()
    row, back, actions, names = _expected(demo_db_url, week)
    expect(
        main.get_by_text(
            en("connections.workshop.caption", week=fmt.day(week, "en"), n=len(names)),
            exact=True,
        )
    ).to_be_visible()

    # The heatmap: one row per merchant of the cohort, a column per connection.
    heatmap = page.locator(".st-key-workshop_heatmap .js-plotly-plot").filter(visible=True)
    expect(heatmap).to_be_visible()
    expect(heatmap.locator(".ytick text")).to_have_text(sorted(names, reverse=True))
    assert heatmap.locator(".xtick text").all_text_contents() == [
        en(f"connections.name.{c}") for c in CONNECTIONS
    ]

    # Drill into one merchant.
    assert back and actions  # the chosen merchant has something to work on
    merchant = main.get_by_role("combobox", name=en("widget.merchant"))
    option = en("widget.merchant.option", name=row["name"], merchant_id=MERCHANT)
    merchant.scroll_into_view_if_needed()
    merchant.fill(option)  # the picker filters as the coach types ...
    merchant.press("Enter")  # ... and takes the one merchant left
    expect(merchant).to_have_value(option)

    # Its three connection scores and stages ...
    cards = main.get_by_test_id("stMetric")
    for c in CONNECTIONS:
        card = cards.filter(has=page.get_by_text(en(f"connections.name.{c}"), exact=True))
        expect(card.get_by_test_id("stMetricValue")).to_have_text(f"{row[c]:.0f}")
        expect(card.get_by_test_id("stMetricDelta")).to_have_text(
            en(f"connections.stage.{row[f'{c}_stage']}")
        )
    # ... over the weeks of the programme: one line per connection ...
    history = page.locator(".st-key-workshop_history .js-plotly-plot").filter(visible=True)
    expect(history).to_be_visible()
    expect(history.locator(".gtitle")).to_have_text(en("connections.chart.history"))
    expect(history.locator(".scatterlayer .trace")).to_have_count(len(CONNECTIONS))
    expect(history.locator(".legendtext")).to_have_text(
        [en(f"connections.name.{c}") for c in CONNECTIONS]
    )
    assert history.locator(".scatterlayer .trace .point").count() > 3 * 8  # weeks of points
    # ... every indicator holding it back (table cells live in the hidden grid) ...
    expect(
        main.get_by_role("heading", name=en("connections.workshop.holding_back"))
    ).to_be_visible()
    holding = main.get_by_test_id("stDataFrame").filter(
        has=page.get_by_text(en("connections.col.indicator"), exact=True)
    )
    expect(holding).to_be_visible()
    for indicator in back:
        expect(holding.get_by_text(en(f"connections.ind.{indicator}"), exact=True)).to_be_attached()
    # ... and its next actions, each tied to a class topic, in the models' order.
    expect(
        main.get_by_role("heading", name=en("connections.workshop.next_actions"))
    ).to_be_visible()
    listed = main.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(r"^\d+\. "))
    expect(listed).to_have_count(len(actions))
    for number, indicator in enumerate(actions, start=1):
        expect(listed.nth(number - 1)).to_contain_text(
            f"{number}. {en(f'connections.act.{indicator}')}"
        )

    # A coach note, typed and saved, is listed under the merchant (as text).
    expect(main.get_by_text(en("connections.workshop.notes.none"))).to_be_visible()
    note = main.get_by_role("textbox", name=en("connections.workshop.note"))
    note.click()
    note.press_sequentially(NOTE)
    main.get_by_role("button", name=en("connections.workshop.note.save")).click()
    expect(page.get_by_text(en("connections.workshop.note.saved"))).to_be_visible()
    notes = main.get_by_test_id("stDataFrame").filter(
        has=page.get_by_text(en("connections.col.note"), exact=True)
    )
    expect(notes).to_be_visible()
    expect(notes.get_by_text(NOTE, exact=True)).to_be_attached()
    expect(notes.get_by_text("browser-exec", exact=True)).to_be_attached()
    expect(main.get_by_text(en("connections.workshop.notes.none"))).to_have_count(0)
    expect(note).to_have_value("")  # the form cleared for the next note
    page.screenshot(path="/tmp/workshop.png", full_page=True)
    assert page.outside_requests == []
