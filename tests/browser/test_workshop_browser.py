"""The coach workshop in a real browser, as a coach uses it in a session: open the Coach
workshop from the navigation, pick the first cohort (ended long before the sidebar's
period), read its board at its last programme week, drill into one merchant (its scores
over the weeks, the indicators holding it back, the next actions), write a note about it,
save it and find it listed.

Every figure expected here comes from the models, read for the same week.

Streamlit keeps the previous run's elements on screen, and clickable, until the rerun
replaces them. After each pick the test waits for what that pick shows (the caption, the
picker's value, the cards) and for the run to end before it touches the next widget:
typing into the merchant picker while it still listed the previous cohort's merchants
found nothing, selected nothing, and left the first merchant's scores on the cards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import pytest

from i18n import format as fmt
from models import connections_queries as q
from models import queries
from models.board import board, sort_board
from models.connections import CONNECTIONS, holding_back, load_config, next_actions
from models.db import make_engine
from models.scope import Scope
from ui import charts_connections as cc
from ui.i18n import translate

pytestmark = pytest.mark.browser

COHORT = "C2018A"
MERCHANT = "M054"  # Orchid Living: touchpoints still building, so it has a lot to do
NOTE = "Orchid Living: guides add 20 contacts a week; 下周复盘 <b>group posts</b> & fans"


@dataclass(frozen=True)
class Expected:
    """What the workshop must show for COHORT, from the models."""

    week: date  # the cohort's last programme week
    last_day: date  # the last day with data (the sidebar's period ends near it)
    label: str  # the cohort's option text
    names: list[str]  # its merchants, by name
    board_names: list[str]  # its merchants, as the board lists them (blockers first)
    board_cells: list[tuple[str, str, str]]  # per board row: name, blocker, next action
    first: dict[str, object]  # the merchant the drill-down starts on
    row: dict[str, object]  # MERCHANT's row of the cohort scores
    back: list[str]  # the indicators holding MERCHANT back, weakest first
    actions: list[str]  # MERCHANT's next actions, in order


def _expected(db_url: str) -> Expected:
    engine = make_engine(db_url)
    scope = Scope.executive()
    try:
        cohorts = queries.cohorts(engine=engine, scope=scope).set_index("cohort_id")
        window = queries.data_window(engine=engine, scope=scope)
        assert window is not None
        end = cohorts.loc[COHORT, "end_date"]
        week = q.latest_week(engine=engine, scope=scope, on_or_before=end)
        assert week is not None
        scores = q.cohort_scores(engine=engine, scope=scope, cohort_id=COHORT, week=week)
        mine = q.merchant_indicators(engine=engine, scope=scope, merchant_id=MERCHANT, week=week)
        cells = q.cohort_indicators(engine=engine, scope=scope, cohort_id=COHORT, week=week)
    finally:
        engine.dispose()
    row = scores[scores["merchant_id"] == MERCHANT].iloc[0].to_dict()
    config = load_config()
    rows = sort_board(board(scores, cells, config), "blocker")
    actions = next_actions(mine, {c: row[f"{c}_stage"] for c in CONNECTIONS}, config)
    return Expected(
        week=week,
        last_day=window[1],
        label=translate(
            "sidebar.cohort_option", "en", cohort_id=COHORT, name=cohorts.loc[COHORT, "name"]
        ),
        names=[str(n) for n in scores["name"]],
        board_names=[str(n) for n in rows["name"]],
        board_cells=[
            (
                str(r["name"]),
                cc.connection_text(r["blocker"], "en"),
                cc.action_text(r["action"], "en"),
            )
            for _, r in rows.iterrows()
        ],
        first=scores.iloc[0].to_dict(),
        row=row,
        back=list(holding_back(mine, config)["indicator"]),
        actions=list(actions["indicator"]),
    )


def _score(value: object) -> str:
    """A score as the cards show it."""
    return fmt.MISSING if pd.isna(value) else f"{value:.0f}"


def test_the_workshop_drill_down(page, app_url: str, demo_db_url: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    def en(key: str, **values: object) -> str:
        return translate(key, "en", **values)

    def run_ended() -> None:
        """Wait for the app's script run to end (call it once the run's effect is seen)."""
        expect(page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning"
        )

    want = _expected(demo_db_url)
    # The sidebar's default period is the latest cohort's, months after this cohort's last
    # programme week: the page must not read the cohort at the sidebar's end date.
    assert q.monday(want.last_day) - want.week > timedelta(weeks=8)
    # The drilled merchant's cards differ from the first merchant's, so a pick that did not
    # commit cannot pass.
    assert want.row["merchant_id"] != want.first["merchant_id"]
    assert any(_score(want.row[c]) != _score(want.first[c]) for c in CONNECTIONS)
    assert want.back and want.actions  # the chosen merchant has something to work on

    page.get_by_test_id("stSidebarNav").get_by_role(
        "link", name=en("connections.page.workshop")
    ).click()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=en("connections.workshop.title"))).to_be_visible()
    merchant = main.get_by_role("combobox", name=en("widget.merchant"))
    expect(merchant).to_be_visible()
    run_ended()

    # Pick the cohort in the page's own picker: the caption names its last programme week
    # and its merchant count; the drill-down starts on its first merchant.
    picker = main.get_by_role("combobox", name=en("sidebar.cohort"))
    picker.click()
    page.get_by_role("option", name=want.label, exact=True).click()
    expect(
        main.get_by_text(
            en("connections.workshop.caption", week=fmt.day(want.week, "en"), n=len(want.names)),
            exact=True,
        )
    ).to_be_visible()
    first = en(
        "widget.merchant.option", name=want.first["name"], merchant_id=want.first["merchant_id"]
    )
    expect(merchant).to_have_value(first)
    run_ended()
    expect(picker).to_have_value(want.label)

    # The board: one row per merchant of the cohort, blockers first.
    board_rows = main.locator(".st-key-workshop_board table tbody tr")
    expect(board_rows).to_have_count(len(want.names))
    expect(board_rows.locator("td:first-child")).to_have_text(want.board_names)

    # Drill into one merchant: type part of its name, click its option.
    option = en("widget.merchant.option", name=want.row["name"], merchant_id=MERCHANT)
    merchant.click()
    merchant.fill(str(want.row["name"]))  # the list filters as the coach types
    page.get_by_role("option", name=option, exact=True).click()

    # Its three connection scores and stages ...
    cards = main.get_by_test_id("stMetric")
    for c in CONNECTIONS:
        card = cards.filter(has=page.get_by_text(en(f"connections.name.{c}"), exact=True))
        expect(card.get_by_test_id("stMetricValue")).to_have_text(_score(want.row[c]))
        expect(card.get_by_test_id("stMetricDelta")).to_have_text(
            en(f"connections.stage.{want.row[f'{c}_stage']}")
        )
    expect(merchant).to_have_value(option)
    run_ended()
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
    for indicator in want.back:
        expect(holding.get_by_text(en(f"connections.ind.{indicator}"), exact=True)).to_be_attached()
    # ... and its next actions, each tied to a class topic, in the models' order.
    expect(
        main.get_by_role("heading", name=en("connections.workshop.next_actions"))
    ).to_be_visible()
    listed = main.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(r"^\d+\. "))
    expect(listed).to_have_count(len(want.actions))
    for number, indicator in enumerate(want.actions, start=1):
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
    # Still the picked merchant's page after the save's rerun.
    expect(merchant).to_have_value(option)
    assert page.outside_requests == []


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_presentation_mode_puts_the_whole_cohort_on_one_projected_screen(  # type: ignore[no-untyped-def]
    page, demo_db_url: str, size: tuple[int, int]
) -> None:
    """A coach at the projector: C2018A, presentation mode on, and every merchant's row
    (name, blocker, next action) is inside the screen without scrolling; then one merchant
    a screen with the arrow keys, and back to the board."""
    from playwright.sync_api import expect

    def en(key: str, **values: object) -> str:
        return translate(key, "en", **values)

    def run_ended() -> None:
        expect(page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning"
        )

    want = _expected(demo_db_url)
    assert len(want.board_cells) == 17
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.get_by_test_id("stSidebarNav").get_by_role(
        "link", name=en("connections.page.workshop")
    ).click()
    main = page.get_by_test_id("stMain")
    picker = main.get_by_role("combobox", name=en("sidebar.cohort"))
    expect(picker).to_be_visible()
    run_ended()
    picker.click()
    page.get_by_role("option", name=want.label, exact=True).click()
    expect(picker).to_have_value(want.label)
    run_ended()
    main.get_by_text(en("connections.presentation"), exact=True).click()
    rows = main.locator(".st-key-workshop_board table tbody tr")
    expect(rows).to_have_count(len(want.board_cells))
    expect(main.get_by_role("heading", name=en("connections.workshop.title"))).to_have_count(0)
    run_ended()
    page.wait_for_timeout(500)  # the stylesheet applied and the layout settled

    assert page.evaluate("window.scrollY") == 0
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    for n, (name, blocker, action) in enumerate(want.board_cells):
        cells = rows.nth(n).locator("td")
        expect(cells.nth(0)).to_have_text(name)
        expect(cells.nth(5)).to_have_text(blocker)
        expect(cells.nth(7)).to_have_text(action)
        for index in (0, 5, 7):  # name, blocked on, next action
            box = cells.nth(index).bounding_box()
            assert box is not None
            right, bottom = box["x"] + box["width"], box["y"] + box["height"]
            inside = box["x"] >= 0 and box["y"] >= 0 and right <= width and bottom <= height
            assert inside, (name, index, box)
            # The whole text shows: no cell clipped its text.
            clipped = cells.nth(index).evaluate(
                "td => { const p = td.querySelector('p') || td;"
                " return p.scrollWidth > p.clientWidth + 1; }"
            )
            assert not clipped, (name, index)
    # The board starts in the top part of the screen: no banner or controls above it.
    first = rows.nth(0).bounding_box()
    assert first is not None and first["y"] < height / 3

    # One merchant a screen: the step button, then the arrow key, then back with B.
    main.locator(".st-key-workshop_step_start button").first.click()
    heading = main.locator(".st-key-workshop_step_nav h3")
    expect(heading).to_contain_text(want.board_cells[0][0])
    run_ended()
    page.mouse.click(width // 2, height - 5)
    page.keyboard.press("ArrowRight")
    expect(heading).to_contain_text(want.board_cells[1][0])
    run_ended()
    history = page.locator(".st-key-workshop_step_history .js-plotly-plot").filter(visible=True)
    expect(history).to_be_visible()
    box = history.bounding_box()
    assert box is not None and box["y"] + box["height"] <= height
    page.keyboard.press("b")
    expect(rows).to_have_count(len(want.board_cells))
    assert page.outside_requests == []
