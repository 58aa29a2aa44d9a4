"""Single sign-on in a real browser, against a local OIDC provider started by the test.

`streamlit run app.py` gets its `[auth]` secrets from a file in a temporary folder through
`--secrets.files` (so the repository's `.streamlit/secrets.toml` is never written), on a
private copy of the demo database with demo mode off and one SSO-only coach of C2019A.
Chromium clicks "Log in with single sign-on", goes through Streamlit's /auth/login, the
provider's /authorize and Streamlit's /oauth2callback (Authlib checks the signed
id_token), and comes back logged in as whoever the provider vouched for.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import (
    UI_TIMEOUT,
    _copy_database,
    _free_port,
    fresh_tab,
    streamlit_server,
)
from tests.browser.oidc_provider import OIDCProvider
from ui.i18n import translate

pytestmark = pytest.mark.browser

COACH_EMAIL = "coach@example.com"
COACH_COHORT = "C2019A"
STRANGER_EMAIL = "nobody@example.com"


@dataclass(frozen=True)
class SSOApp:
    url: str
    db_url: str
    provider: OIDCProvider


def _add_coach(db_url: str) -> None:
    from models import auth
    from models.db import make_engine

    engine = make_engine(db_url)
    auth.add_user(
        engine,
        username="sso-coach",
        role="coach",
        password=None,
        actor="tests",
        email=COACH_EMAIL,
        cohorts=[COACH_COHORT],
    )
    engine.dispose()


@pytest.fixture(scope="module")
def sso_app(
    chromium: object, demo_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SSOApp]:
    folder = tmp_path_factory.mktemp("sso")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    db_url = _copy_database(demo_db_url, folder / "growth.db")
    _add_coach(db_url)
    with OIDCProvider(
        client_id="growth-browser-tests",
        client_secret=secrets.token_urlsafe(24),
        redirect_uri=f"{url}/oauth2callback",
    ) as provider:
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{provider.redirect_uri}"\n'
            f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
            f'client_id = "{provider.client_id}"\n'
            f'client_secret = "{provider.client_secret}"\n'
            f'server_metadata_url = "{provider.metadata_url}"\n'
        )
        with streamlit_server(folder, port, db_url, "--secrets.files", str(secrets_file)):
            app = SSOApp(url=url, db_url=db_url, provider=provider)
            _warm_up(chromium, app)
            yield app


def _warm_up(chromium: object, app: SSOApp) -> None:
    """Let a throwaway session take the process's first runs of the login screen and of the
    frame (see the conftest's `_warm_up`: on the first run that reaches the navigation the
    widget ids differ, so a click there would be lost)."""
    context = chromium.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(UI_TIMEOUT)
    _sso_login(tab, app, COACH_EMAIL)
    tab.get_by_test_id("stMetric").first.wait_for(timeout=UI_TIMEOUT)
    context.close()


@pytest.fixture
def tab(chromium: object, sso_app: SSOApp) -> Iterator[object]:
    """A fresh browser (so no identity cookie and a fresh Streamlit session) that records
    any request leaving this machine."""
    with fresh_tab(chromium) as page:
        yield page


def _sso_login(tab: object, app: SSOApp, email: str) -> None:
    """Click the SSO button as `email` and follow the redirects back to the app."""
    app.provider.email = email
    issued = len(app.provider.issued)
    tab.goto(app.url)  # type: ignore[attr-defined]
    # Streamlit's /auth/login -> the provider's /authorize -> /oauth2callback -> the app
    with tab.expect_response(  # type: ignore[attr-defined]
        lambda response: urlparse(response.url).path == "/oauth2callback", timeout=UI_TIMEOUT
    ) as callback:
        tab.get_by_role("button", name=translate("auth.sso", "en")).click()  # type: ignore[attr-defined]
    assert callback.value.status == 302
    tab.wait_for_url(f"{app.url}/", timeout=UI_TIMEOUT)  # type: ignore[attr-defined]
    assert [claims["email"] for claims in app.provider.issued[issued:]] == [email]


def _sso_events(db_url: str) -> list[tuple[str, bool, str]]:
    from models import auth
    from models.db import make_engine
    from models.scope import Scope

    engine = make_engine(db_url)
    log = auth.audit_log(engine=engine, scope=Scope.executive(user="tests"), action="login_sso")
    engine.dispose()
    return list(zip(log["actor"], log["success"].astype(bool), log["detail"], strict=True))


def _cohort_label(db_url: str, cohort_id: str) -> str:
    from sqlalchemy import select

    from models.db import make_engine
    from models.schema import Cohort

    engine = make_engine(db_url)
    with engine.connect() as connection:
        name = connection.execute(
            select(Cohort.name).where(Cohort.cohort_id == cohort_id)
        ).scalar_one()
    engine.dispose()
    return translate("sidebar.cohort_option", "en", cohort_id=cohort_id, name=name)


def test_a_coach_logs_in_with_sso_and_sees_only_its_cohort(tab, sso_app: SSOApp) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    _sso_login(tab, sso_app, COACH_EMAIL)

    expect(tab.get_by_role("heading", name=translate("overview.title", "en"))).to_be_visible()
    expect(tab.get_by_test_id("stMetric").first).to_be_visible()
    sidebar = tab.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("sso-coach", exact=False)).to_be_visible()
    cohort = sidebar.get_by_role("combobox")
    expect(cohort).to_have_value(translate("sidebar.all_cohorts", "en"))
    options = tab.get_by_role("option")
    # the first rerun after the SSO redirect may still be drawing the sidebar and close a
    # list opened meanwhile: a user would click again, and so does the test (three times)
    for _ in range(3):
        cohort.click()
        try:
            expect(options).to_have_count(2, timeout=15_000)
            break
        except AssertionError:
            tab.keyboard.press("Escape")
    expect(options).to_have_count(2)
    assert options.all_inner_texts() == [
        translate("sidebar.all_cohorts", "en"),
        _cohort_label(sso_app.db_url, COACH_COHORT),
    ]
    tab.keyboard.press("Escape")
    expect(options).to_have_count(0)

    # logging out ends the app session and the SSO identity: back to the login screen
    sidebar.get_by_role("button", name=translate("auth.logout", "en")).click()
    expect(tab.get_by_role("button", name=translate("auth.sso", "en"))).to_be_visible()
    expect(tab.get_by_role("heading", name=translate("overview.title", "en"))).to_have_count(0)
    assert tab.outside_requests == []


def test_an_email_without_a_local_user_gets_no_access(tab, sso_app: SSOApp) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    _sso_login(tab, sso_app, STRANGER_EMAIL)

    message = translate("auth.sso_no_access", "en", email=STRANGER_EMAIL)
    expect(tab.get_by_text(message)).to_be_visible()
    expect(tab.get_by_role("button", name=translate("auth.logout", "en"))).to_be_visible()
    expect(tab.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(tab.get_by_test_id("stMetric")).to_have_count(0)
    expect(tab.get_by_role("heading", name=translate("overview.title", "en"))).to_have_count(0)
    expect(tab.get_by_text(translate("sidebar.cohort", "en"), exact=True)).to_have_count(0)
    assert tab.outside_requests == []


def test_both_sso_logins_are_audited(chromium, sso_app: SSOApp) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    before = len(_sso_events(sso_app.db_url))
    for email, shown in (
        (COACH_EMAIL, translate("overview.title", "en")),
        (STRANGER_EMAIL, translate("auth.sso_no_access", "en", email=STRANGER_EMAIL)),
    ):
        context = chromium.new_context()
        page = context.new_page()
        page.set_default_timeout(UI_TIMEOUT)
        _sso_login(page, sso_app, email)
        expect(page.get_by_text(shown).first).to_be_visible()
        context.close()

    events = _sso_events(sso_app.db_url)  # newest first
    new = events[: len(events) - before]
    assert (COACH_EMAIL, True, "") in new
    assert (STRANGER_EMAIL, False, "no local user") in new
    assert {actor for actor, _, _ in new} == {COACH_EMAIL, STRANGER_EMAIL}
