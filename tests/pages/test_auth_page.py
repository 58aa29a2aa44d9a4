"""Logging in, demo mode, and what each role may see, driven through AppTest.

The isolation test walks every page of the merchant navigation (so pages added later are
covered too) and asserts that nothing unique to another merchant — name or id — appears
anywhere in what is drawn, whatever the query parameters or widget state say.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from models import auth
from models.db import make_engine
from models.personas import demo_personas
from models.schema import Merchant
from tests.pages.apptest import APP, TIMEOUT, app_as, ensure_user
from ui.auth import AUTH_USER_KEY, LAST_SEEN_KEY, PERSONA_KEY
from ui.i18n import translate
from ui.navigation import PAGES, ROLE_PAGES

PASSWORD = "a strong password 1"


def everything_shown(at: AppTest) -> str:
    """All text a user could read: text elements, metrics, tables, widget options, charts."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "text",
        "code",
        "latex",
        "exception",
    ):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for frame in at.dataframe:
        value = frame.value
        parts.append(value.to_csv() if isinstance(value, pd.DataFrame) else str(value))
    for table in at.table:
        parts.append(str(table.value))
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in at.get(kind):
            parts += [str(o) for o in widget.options]
    for chart in at.get("plotly_chart"):
        parts.append(json.dumps(json.loads(chart.proto.spec)) if chart.proto.spec else "")
    return "\n".join(parts)


def merchant_rows(db_url: str) -> pd.DataFrame:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(Merchant.merchant_id, Merchant.name, Merchant.cohort_id)
        ).fetchall()
    engine.dispose()
    return pd.DataFrame(rows, columns=["merchant_id", "name", "cohort_id"])


def page_paths(role: str) -> list[str]:
    return [PAGES[name][0] for name in ROLE_PAGES[role]]  # type: ignore[index]


def test_login_form_then_the_overview(monkeypatch: pytest.MonkeyPatch, demo_db_copy: str) -> None:
    engine = make_engine(demo_db_copy)
    auth.add_user(engine, username="boss", role="executive", password=PASSWORD, actor="tests")
    engine.dispose()
    monkeypatch.setenv("GROWTH_DB_URL", demo_db_copy)
    monkeypatch.setenv("GROWTH_DEMO", "0")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert at.title[0].value == translate("auth.title", "en")
    assert not at.metric
    at.text_input(key="login_username").input("boss")
    at.text_input(key="login_password").input("not it")
    at.button[0].click().run()
    assert at.error[0].value == translate("auth.failed", "en")
    at.text_input(key="login_username").input("Boss ")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == translate("overview.title", "en")
    assert len(at.metric) == 6


def test_lock_out_through_the_form(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_delivery_dir: Path
) -> None:
    from pipelines.load import load_delivery

    url = f"sqlite:///{tmp_path / 'lock.db'}"
    engine = make_engine(url)
    from models.db import upgrade

    upgrade(engine)
    load_delivery(tiny_delivery_dir, engine=engine, loaded_by="ops")
    auth.add_user(
        engine, username="m1", role="merchant", password=PASSWORD, actor="t", merchants=["M1"]
    )
    monkeypatch.setenv("GROWTH_DB_URL", url)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    for _ in range(auth.MAX_FAILURES):
        at.text_input(key="login_username").input("m1")
        at.text_input(key="login_password").input("wrong password")
        at.button[0].click().run()
    failed = translate("auth.failed", "en")
    assert at.error[0].value == failed
    at.text_input(key="login_username").input("m1")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    # the right password does not open it, and the message is the one an unknown user or
    # a wrong password gets: it does not tell which usernames exist
    assert at.error[0].value == failed
    assert at.title[0].value == translate("auth.title", "en")
    at.text_input(key="login_username").input("nobody")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert at.error[0].value == failed
    log = auth.audit_log(engine=engine, scope=auth.Scope.executive())
    assert (log["action"] == "login").sum() >= auth.MAX_FAILURES + 1


def test_session_expires(monkeypatch: pytest.MonkeyPatch, demo_db_copy: str) -> None:
    """An expired session is written to the audit log: on a database of this test's own."""
    at = app_as(monkeypatch, demo_db_copy)
    at.session_state[LAST_SEEN_KEY] = time.time() - 24 * 3600
    at.run()
    assert at.title[0].value == translate("auth.title", "en")
    assert at.info[0].value == translate("auth.expired", "en")


def test_demo_mode_views_as_three_roles(monkeypatch: pytest.MonkeyPatch, demo_db_url: str) -> None:
    monkeypatch.setenv("GROWTH_DB_URL", demo_db_url)
    monkeypatch.delenv("GROWTH_DEMO", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.warning[0].value == translate("demo.banner", "en")
    assert at.title[0].value == translate("overview.title", "en")
    switch = at.sidebar.selectbox(key=f"{PERSONA_KEY}_en")
    merchant_persona = next(o for o in switch.options if o.startswith("Merchant"))
    assert switch.value == "executive"
    at.sidebar.selectbox(key=f"{PERSONA_KEY}_en").select(
        next(k for k in demo_personas(make_engine(demo_db_url)) if k.role == "merchant").key
    ).run()
    assert not at.exception
    assert at.title[0].value == translate("business.title", "en")
    assert merchant_persona  # the switch names the merchant persona


def test_a_merchant_sees_nothing_of_another_merchant(
    monkeypatch: pytest.MonkeyPatch, demo_any_url: str
) -> None:
    demo_db_url = demo_any_url  # on SQLite, then on PostgreSQL
    merchants = merchant_rows(demo_db_url)
    me = merchants[merchants["cohort_id"] == "C2018A"].sort_values("name").iloc[0]
    others = merchants[merchants["merchant_id"] != me.merchant_id]
    at = app_as(monkeypatch, demo_db_url, role="merchant", merchant=me.merchant_id)
    at.query_params["merchant"] = others.iloc[0].merchant_id  # tampering: ignored
    at.session_state["business_merchant"] = others.iloc[0].merchant_id
    at.run()
    assert not at.exception
    for path in page_paths("merchant"):
        at.switch_page(path).run()
        assert not at.exception, (path, [e.value for e in at.exception])
        shown = everything_shown(at)
        leaked = [m for m in others["merchant_id"] if m in shown]
        leaked += [n for n in others["name"] if len(n) >= 3 and n in shown]
        assert leaked == [], (path, leaked[:5])
    # an executive page is not in a merchant's navigation at all
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/overview.py")


def test_a_coach_sees_only_their_cohorts(
    monkeypatch: pytest.MonkeyPatch, demo_any_url: str
) -> None:
    demo_db_url = demo_any_url  # on SQLite, then on PostgreSQL
    at = app_as(monkeypatch, demo_db_url, role="coach", cohorts=["C2019A"]).run()
    assert not at.exception
    cohort_box = at.sidebar.selectbox[0]
    assert [o for o in cohort_box.options if "C20" in o] == [
        o for o in cohort_box.options if "C2019A" in o
    ]
    merchants = merchant_rows(demo_db_url)
    outside = merchants[merchants["cohort_id"] != "C2019A"]
    shown = everything_shown(at)
    assert [n for n in outside["name"] if len(n) >= 3 and n in shown] == []


def test_identity_cannot_come_from_a_widget(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    """A browser only sends widget values; the persona switch does not exist outside demo
    mode, so setting its key changes nothing."""
    merchants = merchant_rows(demo_db_url)
    me = merchants.iloc[0].merchant_id
    at = app_as(monkeypatch, demo_db_url, role="merchant", merchant=me)
    at.session_state[PERSONA_KEY] = "executive"
    at.query_params["role"] = "executive"
    at.run()
    assert at.title[0].value == translate("business.title", "en")
    assert not at.sidebar.get("selectbox") or all(
        not str(s.key).startswith(PERSONA_KEY) for s in at.sidebar.selectbox
    )


def test_audit_page_lists_logins(monkeypatch: pytest.MonkeyPatch, demo_db_copy: str) -> None:
    ensure_user(demo_db_copy)
    auth.authenticate(make_engine(demo_db_copy), "nobody-here", "x")
    at = app_as(monkeypatch, demo_db_copy).run()
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "nobody-here" in table.to_csv()
    assert AUTH_USER_KEY in at.session_state


EVIL = "<img src=x onerror=alert(1)>**bold** '; DROP TABLE merchants; --"


def test_injection_in_names_and_inputs_is_plain_text(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_delivery_dir: Path
) -> None:
    from models.db import upgrade
    from pipelines.load import load_delivery

    merchants = tiny_delivery_dir / "merchants.csv"
    text = merchants.read_text("utf-8").replace("Alpha Tea", f'"{EVIL}"')
    merchants.write_text(text, "utf-8")
    url = f"sqlite:///{tmp_path / 'evil.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert load_delivery(tiny_delivery_dir, engine=engine, loaded_by="ops").ok
    assert len(merchant_rows(url)) == 3  # nothing was dropped
    assert EVIL in set(merchant_rows(url)["name"])

    # typed into the login form, SQL is a username like any other
    monkeypatch.setenv("GROWTH_DB_URL", url)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.text_input(key="login_username").input("' OR '1'='1' --")
    at.text_input(key="login_password").input("' OR '1'='1' --")
    at.button[0].click().run()
    assert at.error[0].value == translate("auth.failed", "en")

    # shown to the merchant itself: as text, verbatim in tables, escaped in Markdown
    at = app_as(monkeypatch, url, role="merchant", merchant="M1").run()
    assert not at.exception
    for path in page_paths("merchant"):
        at.switch_page(path).run()
        assert not at.exception
        for element in [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader]:
            assert "<img" not in element.value or "\\<img" in element.value
            assert "**bold**" not in element.value
    executive = app_as(monkeypatch, url).run()
    executive.switch_page("pages/my_business.py").run()
    picker = executive.selectbox(key="business_merchant")
    assert any(EVIL in option for option in picker.options)
    assert len(merchant_rows(url)) == 3
