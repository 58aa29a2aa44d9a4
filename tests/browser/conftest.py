"""Browser fixtures: `streamlit run app.py` on a private copy of the demo database, and a
fresh Chromium session per test (Playwright driving the system Chromium). Under CI=true a
missing browser fails; elsewhere it skips."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
START_TIMEOUT = 90  # seconds for the server to answer its health check
UI_TIMEOUT = 90_000  # milliseconds for the first queries on the demo database


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: a missing browser is a failure)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        from playwright.sync_api import expect

        expect.set_options(timeout=UI_TIMEOUT)
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _copy_database(url: str, target: Path) -> str:
    """A private copy of the session's demo database: this module loads a delivery."""
    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    return f"sqlite:///{target}"


def _warm_up(chromium: object, url: str) -> None:
    """Open the app once and let the first run finish.

    With a `pages/` folder next to app.py, the first script run of a Streamlit process
    goes through its legacy pages-folder router, so the frame's widgets get other ids on
    that run than on the next: the first session's first click is lost. A throwaway
    session takes that run, as the first visitor after a restart would.
    """
    context = chromium.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto(url)
    tab.get_by_test_id("stMetric").first.wait_for(timeout=UI_TIMEOUT)
    context.close()


@pytest.fixture(scope="module")
def app_url(
    chromium: object, demo_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    port = _free_port()
    env = {
        **os.environ,
        "GROWTH_DB_URL": _copy_database(demo_db_url, folder / "growth.db"),
        "GROWTH_DEMO": "0",
    }
    log = (folder / "streamlit.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"streamlit exited: {(folder / 'streamlit.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer within {START_TIMEOUT}s")
            time.sleep(0.5)
        _warm_up(chromium, url)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture
def page(chromium: object, app_url: str) -> Iterator[object]:
    """A fresh browser session (so a fresh Streamlit session) on a laptop-sized window."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(UI_TIMEOUT)
    outside: list[str] = []
    tab.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlparse(request.url).hostname not in ("127.0.0.1", "localhost")
            and not request.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    tab.outside_requests = outside  # type: ignore[attr-defined]
    yield tab
    context.close()
