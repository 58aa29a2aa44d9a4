"""Benchmark: every page of the app, cold and warm under AppTest and click-to-settled in
the browser, against an empty page, the "typical page" and an empty two-page app (issue 10).

    python benchmarks/pages_benchmark.py --db /work/bench/m.db \
        --orders /work/bench/delivery-m/orders.csv [--work /work/wt/pages-bench] \
        [--repeat 3] [--reruns 5] [--rounds 5] [--pages overview,roi] [--no-browser] \
        [--screenshots DIR] [--before /work/main]

`--db` (a SQLite file) is never written: it is copied once (SQLite's backup API) to
`--work/growth.db`, and the benchmark's accounts are added to the copy (an executive, who
sees every page but My data, and a merchant, for My data: the merchant with the most
orders). The app reads the copy through GROWTH_DB_URL, demo mode off.

AppTest, one run, interleaved: each of `--repeat` repetitions runs, each in a fresh
process, the empty page, the typical page and every page of the app. In a child the app
runs once (logged in: its home page, which also takes the first run that goes through
Streamlit's legacy pages router), then both Streamlit caches are emptied, the page is
switched to and run: that run is the *cold first view* (every query of the frame and of
the page, the engine made again; Python imports shared with the home page already paid).
Then `--reruns` reruns with nothing changed: the *warm rerun*. The reference pages
(benchmarks/pages_reference/) go through the same steps. Medians over all repetitions.

Browser, one run, A/B interleaved: `streamlit run app.py` on the copy and `streamlit run`
of the empty two-page app, Chromium through Playwright (the suite's launch arguments). One
tab per account logs in through the form; each round clicks every page in the
navigation, and after each click one click in the empty app. Click-to-settled is the time
from the click until the page has settled: Streamlit's script state is "notRunning", no
running indicator, no stale element and no skeleton (a table or chart not yet drawn) left
in the main area, and the page's title shown. A
first round warms the server's caches and is not counted.

Prints Markdown tables (and `uptime` before and after) to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REFERENCE = ROOT / "benchmarks" / "pages_reference"
EMPTY_PAGE = REFERENCE / "empty_page.py"
TYPICAL_PAGE = REFERENCE / "typical_page.py"
TWO_PAGES_APP = REFERENCE / "two_pages_app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
EXECUTIVE = ("bench-executive", "bench executive password 1")
MERCHANT = ("bench-merchant", "bench merchant password 1")
TIMEOUT = 600  # seconds: a page at scale l may be slow, the benchmark says how slow
# The title (st.title) each page draws: how the browser knows the page is there.
TITLE_KEYS = {
    "overview": "overview.title",
    "data": "data.title",
    "workshop": "connections.workshop.title",
    "assessment": "connections.assessment.title",
    "business": "business.title",
    "audit": "audit.title",
    "segments": "segments.title",
    "roi": "roi.title",
    "campaigns": "campaigns.title",
    "customers": "predictions.title",
    "alerts": "alerts.title",
    "mydata": "mydata.title",
    "users": "users.title",
}


@dataclass(frozen=True)
class Target:
    """A page of the app (name in ui.navigation.PAGES) as `role`, or a reference page."""

    name: str
    role: str  # "executive", "merchant", or "reference"
    before: bool = False  # the page of the `--before` checkout (on its own copy)

    @property
    def label(self) -> str:
        label = self.name if self.role != "merchant" else f"{self.name} (merchant)"
        return f"{label}, before" if self.before else label


# --- the database copy -----------------------------------------------------------------


def prepare(source: Path, work: Path, *, migrate: bool = True) -> str:
    """The copy's URL, with the benchmark accounts (made once); upgraded to this
    checkout's schema unless `migrate` is false (the `--before` copy stays as loaded)."""
    from sqlalchemy import func, select

    from models import auth
    from models.db import make_engine, upgrade
    from models.schema import Order
    from models.schema_auth import User

    work.mkdir(parents=True, exist_ok=True)
    target = work / "growth.db"
    if not target.exists():
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        with copy:
            src.backup(copy)
        src.close()
        copy.close()
    url = f"sqlite:///{target}"
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
        build_new_marts(engine)
    with engine.connect() as connection:
        names = set(connection.execute(select(User.username)).scalars())
        biggest = connection.execute(
            select(Order.merchant_id)
            .group_by(Order.merchant_id)
            .order_by(func.count().desc(), Order.merchant_id)
            .limit(1)
        ).scalar_one()
    if EXECUTIVE[0] not in names:
        auth.add_user(
            engine, username=EXECUTIVE[0], role="executive", password=EXECUTIVE[1], actor="bench"
        )
    if MERCHANT[0] not in names:
        auth.add_user(
            engine,
            username=MERCHANT[0],
            role="merchant",
            password=MERCHANT[1],
            actor="bench",
            merchants=[biggest],
        )
    engine.dispose()
    return url


def build_new_marts(engine: Any) -> None:
    """The cohort windows mart (migration 0021) on a copy loaded before it existed, timed:
    what `rebuild-marts` would add to a load."""
    from sqlalchemy import func, select

    from models.schema import Merchant
    from models.schema_roi import MartCohortWindows
    from pipelines.mart_cohort_windows import rebuild_cohort_windows

    with engine.begin() as connection:
        if connection.execute(select(func.count()).select_from(MartCohortWindows)).scalar():
            return
        ids = list(connection.execute(select(Merchant.merchant_id)).scalars())
        wall, cpu = time.perf_counter(), time.process_time()
        rows = rebuild_cohort_windows(connection, ids)
    print(
        f"mart_cohort_windows built: {rows:,} rows of {len(ids)} merchants in "
        f"{time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU"
    )


def user_id(db_url: str, username: str) -> int:
    from sqlalchemy import select

    from models.db import make_engine
    from models.schema_auth import User

    engine = make_engine(db_url)
    with engine.connect() as connection:
        found = connection.execute(select(User.user_id).where(User.username == username))
        result = int(found.scalar_one())
    engine.dispose()
    return result


# --- AppTest, one page per process -----------------------------------------------------


def child(target: Target, db_url: str, reruns: int) -> dict[str, Any]:
    """In this (fresh) process: the cold first view and `reruns` warm reruns of `target`."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui.auth import AUTH_USER_KEY, LAST_SEEN_KEY
    from ui.navigation import PAGES

    os.environ["GROWTH_DB_URL"] = db_url
    os.environ["GROWTH_DEMO"] = "0"
    if target.role == "reference":
        script = EMPTY_PAGE if target.name == "empty page" else TYPICAL_PAGE
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
    else:
        account = EXECUTIVE if target.role == "executive" else MERCHANT
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
        at.session_state[AUTH_USER_KEY] = user_id(db_url, account[0])
        at.session_state[LAST_SEEN_KEY] = time.time()

    def timed() -> float:
        started = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - started
        if at.exception:
            raise SystemExit(f"{target.label} failed: {[e.value for e in at.exception]}")
        return seconds

    first = timed()
    st.cache_data.clear()
    st.cache_resource.clear()
    if target.role != "reference":
        at.switch_page(PAGES[target.name][0])
    cold = timed()
    titles = [element.value for element in at.title]
    warm = [timed() for _ in range(reruns)]
    return {"first": first, "cold": cold, "warm": warm, "titles": titles}


@dataclass(frozen=True)
class Before:
    """The checkout to compare with (its own copy of this script runs its pages) and the
    URL of its database copy."""

    root: Path
    db_url: str


def run_child(
    target: Target, db_url: str, reruns: int, orders: Path, before: Before | None = None
) -> dict[str, Any]:
    root = before.root if target.before and before is not None else ROOT
    db_url = before.db_url if target.before and before is not None else db_url
    env = {**os.environ, "BENCH_ORDERS_CSV": str(orders), "PYTHONPATH": str(root)}
    script = root / "benchmarks" / "pages_benchmark.py"
    command = [sys.executable, str(script), "--child", json.dumps([target.name, target.role])]
    command += ["--child-db", db_url, "--reruns", str(reruns)]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{target.label}: {done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def check_title(target: Target, titles: list[str]) -> None:
    from ui.i18n import translate

    expected = translate(TITLE_KEYS[target.name], "en")
    if expected not in titles:
        raise SystemExit(f"{target.label}: not on its page, titles {titles}")


def apptest_rounds(
    pages: list[Target],
    db_url: str,
    orders: Path,
    repeat: int,
    reruns: int,
    before: Before | None = None,
) -> dict[Target, dict[str, list[float]]]:
    references = [Target("empty page", "reference"), Target("typical page", "reference")]
    results: dict[Target, dict[str, list[float]]] = {}
    for repetition in range(repeat):
        for target in [*references, *pages]:
            # the typical page reruns a few times only: every rerun reads the whole CSV
            count = min(reruns, 3) if target.name == "typical page" else reruns
            measured = run_child(target, db_url, count, orders, before)
            if target.role != "reference":
                check_title(target, measured["titles"])
            slot = results.setdefault(target, {"cold": [], "warm": []})
            slot["cold"].append(measured["cold"])
            slot["warm"].extend(measured["warm"])
            print(
                f"  [{repetition + 1}/{repeat}] {target.label}: cold {measured['cold']:.3f}s, "
                f"warm {statistics.median(measured['warm']):.3f}s",
                file=sys.stderr,
                flush=True,
            )
    return results


# --- the browser -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(script: Path, db_url: str, log: Path) -> Iterator[str]:
    """`streamlit run script` (from the project root), its URL once it answers."""
    port = free_port()
    env = {**os.environ, "GROWTH_DB_URL": db_url, "GROWTH_DEMO": "0"}
    command = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
        "--server.headless", "true", "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"streamlit exited: {log.read_text()}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"streamlit did not answer: {log.read_text()}")
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


SETTLED_JS = """
(title) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || main.querySelector('[data-stale="true"]')) return false;
  // tables and charts are lazily loaded components: a grey skeleton until they draw
  if (main.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]')) {
    return false;
  }
  return [...main.querySelectorAll('h1')].some((h) => h.innerText.trim().startsWith(title));
}
"""


def settle(tab: Any, title: str) -> None:
    tab.wait_for_function(SETTLED_JS, arg=title, polling="raf", timeout=TIMEOUT * 1000)


def click(tab: Any, link: str, title: str) -> float:
    """Seconds from a click on the navigation link `link` to the page settled."""
    target = tab.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True)
    target.wait_for()
    started = time.perf_counter()
    target.click()
    settle(tab, title)
    return time.perf_counter() - started


def log_in(tab: Any, url: str, account: tuple[str, str]) -> None:
    from ui.i18n import translate

    tab.goto(url)
    form = tab.get_by_test_id("stForm")
    form.get_by_role("textbox", name=translate("auth.username", "en")).fill(account[0])
    form.get_by_role("textbox", name=translate("auth.password", "en")).fill(account[1])
    tab.get_by_role("button", name=translate("auth.submit", "en")).click()
    tab.get_by_test_id("stSidebarNav").wait_for(timeout=TIMEOUT * 1000)


def browser_rounds(
    pages: list[Target], db_url: str, work: Path, rounds: int, shots: Path | None
) -> tuple[dict[Target, list[float]], list[float], dict[Target, float]]:
    from playwright.sync_api import sync_playwright

    from ui.i18n import translate
    from ui.navigation import PAGES

    def link(target: Target) -> str:
        return translate(PAGES[target.name][2], "en")

    def title(target: Target) -> str:
        return translate(TITLE_KEYS[target.name], "en")

    home = {
        "executive": Target("overview", "executive"),
        "merchant": Target("business", "merchant"),
    }
    times: dict[Target, list[float]] = {target: [] for target in pages}
    first: dict[Target, float] = {}
    empty: list[float] = []
    with (
        server(ROOT / "app.py", db_url, work / "streamlit-app.log") as app_url,
        server(TWO_PAGES_APP, db_url, work / "streamlit-empty.log") as empty_url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        size = {"viewport": {"width": 1440, "height": 900}}
        # a throwaway session takes each server's first run (the legacy pages router)
        throwaway = browser.new_context(**size)
        tab = throwaway.new_page()
        log_in(tab, app_url, EXECUTIVE)
        settle(tab, title(home["executive"]))
        tab.goto(empty_url)
        settle(tab, "Page one")
        throwaway.close()
        tabs = {}
        for role, account in (("executive", EXECUTIVE), ("merchant", MERCHANT)):
            if any(target.role == role for target in pages):
                tabs[role] = browser.new_context(**size).new_page()
                log_in(tabs[role], app_url, account)
                settle(tabs[role], title(home[role]))
                print(f"  browser: {role} logged in", file=sys.stderr, flush=True)
        empty_tab = browser.new_context(**size).new_page()
        empty_tab.goto(empty_url)
        settle(empty_tab, "Page one")
        empty_pages = [("Two", "Page two"), ("One", "Page one")]
        clicks = 0
        for number in range(rounds + 1):
            for target in pages:
                tab = tabs[target.role]
                if tab.url.rstrip("/").endswith("/" + PAGES[target.name][1]):
                    other = home[target.role] if target != home[target.role] else pages[0]
                    click(tab, link(other), title(other))
                seconds = click(tab, link(target), title(target))
                empty_seconds = click(empty_tab, *empty_pages[clicks % 2])
                clicks += 1
                if number == 0:
                    first[target] = seconds
                else:
                    times[target].append(seconds)
                    empty.append(empty_seconds)
            print(f"  browser round {number}/{rounds} done", file=sys.stderr, flush=True)
        if shots is not None:
            slowest = sorted(pages, key=lambda p: statistics.median(times[p]), reverse=True)[:2]
            shots.mkdir(parents=True, exist_ok=True)
            for width, height in ((1440, 900), (1280, 720)):
                for target in slowest:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    tab = context.new_page()
                    log_in(tab, app_url, EXECUTIVE if target.role == "executive" else MERCHANT)
                    settle(tab, title(home[target.role]))
                    if target != home[target.role]:
                        click(tab, link(target), title(target))
                    tab.wait_for_timeout(500)
                    settle(tab, title(target))
                    name = f"{target.name}_{width}x{height}"
                    tab.screenshot(path=str(shots / f"{name}.png"))
                    tab.screenshot(path=str(shots / f"{name}_full.png"), full_page=True)
                    context.close()
        browser.close()
    return times, empty, first


# --- report ----------------------------------------------------------------------------


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def report(
    pages: list[Target],
    apptest: dict[Target, dict[str, list[float]]] | None,
    browser: tuple[dict[Target, list[float]], list[float], dict[Target, float]] | None,
) -> None:
    med = statistics.median
    if apptest is not None:
        empty = apptest[Target("empty page", "reference")]
        typical = apptest[Target("typical page", "reference")]
        print("| page | cold first view (s) | warm rerun (s) | warm ÷ empty | typical ÷ warm |")
        print("|---|---:|---:|---:|---:|")
        for target in [Target("empty page", "reference"), Target("typical page", "reference")]:
            slot = apptest[target]
            print(f"| *{target.name}* | {med(slot['cold']):.3f} | {med(slot['warm']):.3f} | | |")
        for target in [t for t in apptest if t.role != "reference"]:
            slot = apptest[target]
            warm = med(slot["warm"])
            print(
                f"| {target.label} | {med(slot['cold']):.3f} | {warm:.3f} | "
                f"{warm / med(empty['warm']):.1f}× | {med(typical['warm']) / warm:.1f}× |"
            )
        print()
    if browser is not None:
        times, empty_times, first = browser
        base = med(empty_times)
        print(f"Empty two-page app, click-to-settled: median {base:.3f} s ({len(empty_times)})")
        print()
        print("| page | first click (s) | click-to-settled (s) | ÷ empty app |")
        print("|---|---:|---:|---:|")
        for target in pages:
            value = med(times[target])
            print(f"| {target.label} | {first[target]:.3f} | {value:.3f} | {value / base:.2f}× |")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--orders", type=Path)
    parser.add_argument("--work", type=Path, default=ROOT.parent / "pages-bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", default="", help="comma-separated names (ui.navigation)")
    parser.add_argument("--no-apptest", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--screenshots", type=Path)
    parser.add_argument(
        "--before",
        type=Path,
        help="another checkout (main) whose pages run interleaved with these under AppTest, "
        "on a copy of --db of their own, not upgraded",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, role = json.loads(args.child)
        print(json.dumps(child(Target(name, role), args.child_db, args.reruns)))
        return
    if args.db is None or args.orders is None:
        parser.error("--db and --orders are required")

    from ui.navigation import ROLE_PAGES

    pages = [Target(name, "executive") for name in ROLE_PAGES["executive"]]
    pages += [
        Target(name, "merchant")
        for name in ROLE_PAGES["merchant"]
        if name not in ROLE_PAGES["executive"]
    ]
    if args.pages:
        chosen = set(args.pages.split(","))
        pages = [target for target in pages if target.name in chosen]
    db_url = prepare(args.db, args.work)
    before = None
    if args.before is not None:
        before = Before(args.before, prepare(args.db, args.work / "before", migrate=False))
    print(f"uptime before: {uptime()}")
    apptest = None
    if not args.no_apptest:
        measured = pages
        if before is not None:  # each page of main right before this checkout's
            measured = [v for p in pages for v in (Target(p.name, p.role, True), p)]
        apptest = apptest_rounds(measured, db_url, args.orders, args.repeat, args.reruns, before)
        print(f"uptime after AppTest: {uptime()}")
    browser = None
    if not args.no_browser:
        browser = browser_rounds(pages, db_url, args.work, args.rounds, args.screenshots)
        print(f"uptime after browser: {uptime()}")
    print()
    report(pages, apptest, browser)


if __name__ == "__main__":
    main()
