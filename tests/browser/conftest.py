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
from contextlib import contextmanager
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
    with copy:  # these tests treat the programme as real data: a delivery adds to it
        copy.execute("DELETE FROM app_state")
    copy.close()
    return f"sqlite:///{target}"


EXECUTIVE = ("browser-exec", "executive password 1")
MERCHANT = ("browser-merchant", "merchant password 1")


def _accounts(db_url: str) -> str:
    """An executive and a merchant (the first merchant of C2018A by name) to log in as;
    returns that merchant's id."""
    from sqlalchemy import select

    from models import auth
    from models.db import make_engine
    from models.schema import Merchant

    engine = make_engine(db_url)
    with engine.connect() as connection:
        merchant_id = connection.execute(
            select(Merchant.merchant_id)
            .where(Merchant.cohort_id == "C2018A")
            .order_by(Merchant.name)
            .limit(1)
        ).scalar_one()
    auth.add_user(
        engine, username=EXECUTIVE[0], role="executive", password=EXECUTIVE[1], actor="tests"
    )
    auth.add_user(
        engine,
        username=MERCHANT[0],
        role="merchant",
        password=MERCHANT[1],
        actor="tests",
        merchants=[merchant_id],
    )
    engine.dispose()
    return str(merchant_id)


def log_in(tab: object, url: str, account: tuple[str, str]) -> None:
    """Log in through the form, as a user would."""
    from ui.i18n import translate

    tab.goto(url)  # type: ignore[attr-defined]
    form = tab.get_by_test_id("stForm")  # type: ignore[attr-defined]
    form.get_by_role("textbox", name=translate("auth.username", "en")).fill(account[0])
    form.get_by_role("textbox", name=translate("auth.password", "en")).fill(account[1])
    tab.get_by_role("button", name=translate("auth.submit", "en")).click()  # type: ignore[attr-defined]
    tab.get_by_test_id("stSidebarNav").wait_for(timeout=UI_TIMEOUT)  # type: ignore[attr-defined]


@contextmanager
def streamlit_server(folder: Path, port: int, db_url: str, *args: str) -> Iterator[str]:
    """`streamlit run app.py` on `port` against `db_url` (extra command-line `args`), its
    output in `folder/streamlit.log`; yields its URL once it answers its health check, and
    stops it afterwards."""
    env = {**os.environ, "GROWTH_DB_URL": db_url, "GROWTH_DEMO": "0"}
    log_path = folder / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
        "--server.headless", "true", "--server.fileWatcherType", "none", *args,
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                if server.poll() is not None:
                    pytest.fail(f"streamlit exited: {log_path.read_text()}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not answer within {START_TIMEOUT}s")
                time.sleep(0.5)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _warm_up(chromium: object, url: str) -> None:
    """Open the app once and let the first run finish.

    With a `pages/` folder next to app.py, the first script run of a Streamlit process
    goes through its legacy pages-folder router, so the frame's widgets get other ids on
    that run than on the next: the first session's first click is lost. A throwaway
    session takes that run, as the first visitor after a restart would.
    """
    context = chromium.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    log_in(tab, url, EXECUTIVE)
    tab.get_by_test_id("stMetric").first.wait_for(timeout=UI_TIMEOUT)
    context.close()


# The database behind each running app (app url -> database url).
APP_DATABASES: dict[str, str] = {}


def forget_languages(db_url: str) -> None:
    """No account has a language picked: a user's pick is remembered at their next login
    (users.lang), so a test that switched to Chinese would otherwise set the next test's."""
    from sqlalchemy import update

    from models.db import make_engine
    from models.schema import table_of
    from models.schema_auth import User

    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(update(table_of(User)).values(lang=None))
    engine.dispose()


@pytest.fixture(scope="module")
def app_url(
    chromium: object, demo_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    port = _free_port()
    db_url = _copy_database(demo_db_url, folder / "growth.db")
    _accounts(db_url)
    with streamlit_server(folder, port, db_url) as url:
        _warm_up(chromium, url)
        APP_DATABASES[url] = db_url
        yield url


@pytest.fixture
def merchant_id(app_url: str, demo_db_url: str) -> str:
    """The merchant the MERCHANT account is (the first of C2018A by name)."""
    from sqlalchemy import select

    from models.db import make_engine
    from models.schema import Merchant

    engine = make_engine(demo_db_url)
    with engine.connect() as connection:
        found = connection.execute(
            select(Merchant.merchant_id)
            .where(Merchant.cohort_id == "C2018A")
            .order_by(Merchant.name)
            .limit(1)
        ).scalar_one()
    engine.dispose()
    return str(found)


@contextmanager
def fresh_tab(chromium: object, locale: str | None = None) -> Iterator[object]:
    """A fresh browser context (no cookies, so a fresh Streamlit session) on a laptop-sized
    window, in the browser language `locale` (zh-CN …; Playwright's en-US when None);
    `tab.outside_requests` lists every request that left this machine."""
    options = {"locale": locale} if locale else {}
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, **options)  # type: ignore[attr-defined]
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
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def anonymous_page(chromium: object, app_url: str) -> Iterator[object]:
    """A fresh browser session (so a fresh Streamlit session), not logged in."""
    with fresh_tab(chromium) as tab:
        yield tab


@pytest.fixture
def page(anonymous_page: object, app_url: str) -> object:
    """A fresh browser session logged in as an executive (who has picked no language yet)."""
    if app_url in APP_DATABASES:
        forget_languages(APP_DATABASES[app_url])
    log_in(anonymous_page, app_url, EXECUTIVE)
    return anonymous_page
