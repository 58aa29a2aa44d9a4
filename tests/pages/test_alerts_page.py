"""The Alerts page under AppTest: executives and coaches keep rules, everyone reads their
inbox, a merchant sees only their own alerts; English and Chinese."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import insert
from streamlit.testing.v1 import AppTest

from models import alerts
from models.alerts import Rule
from models.db import make_engine, upgrade
from models.schema import table_of
from models.schema_alerts import AlertFiring
from models.scope import Scope
from pipelines.load import load_delivery
from tests.pages.apptest import app_as
from ui.i18n import translate

NOW = datetime(2024, 3, 20, 9, 0)


@pytest.fixture
def db_url(tmp_path: Path, tiny_delivery_dir: Path) -> str:
    """The tiny delivery (C1: M1, M2; M3 outside the programme) and two open alerts."""
    url = f"sqlite:///{tmp_path / 'growth.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert load_delivery(tiny_delivery_dir, engine=engine).ok
    rule_id = alerts.add_rule(
        engine,
        rule=Rule("Stalling", "stall", period=2, cohort_id="C1", share_with_merchant=True),
        scope=Scope.executive("exec"),
        now=NOW,
    )
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(AlertFiring)),
            [
                {
                    "rule_id": rule_id,
                    "merchant_id": m,
                    "subject": m,
                    "value": -0.25,
                    "fired_at": NOW,
                }
                for m in ("M1", "M2")
            ],
        )
    engine.dispose()
    return url


def _open(monkeypatch: pytest.MonkeyPatch, url: str, lang: str = "en", **who: object) -> AppTest:
    at = app_as(monkeypatch, url, **who)  # type: ignore[arg-type]
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/alerts.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _inbox(at: AppTest, lang: str = "en") -> pd.DataFrame:
    header = translate("alerts.col.what", lang)
    for frame in at.dataframe:
        if header in frame.value.columns:
            return frame.value
    raise AssertionError("no inbox table")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_executive_sees_the_inbox_and_the_rules(
    monkeypatch: pytest.MonkeyPatch, db_url: str, lang: str
) -> None:
    at = _open(monkeypatch, db_url, lang)
    assert at.title[0].value == translate("alerts.title", lang)
    inbox = _inbox(at, lang)
    merchant = translate("alerts.col.merchant", lang)
    assert sorted(inbox[merchant]) == ["Alpha Tea (M1)", "Beta Wear (M2)"]
    what = " ".join(inbox[translate("alerts.col.what", lang)])
    assert ("has not grown" if lang == "en" else "没有增长") in what
    headers = [h.value for h in at.header]
    assert translate("alerts.rules.header", lang) in headers
    assert translate("alerts.new.header", lang) in headers


def test_a_new_rule_is_added_from_the_form(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    at = _open(monkeypatch, db_url)
    at.selectbox(key="alerts_new_kind").set_value("late").run()
    at.text_input(key="alerts_new_name").input("Silent merchants")  # a form: sent on submit
    [submit] = [b for b in at.button if b.label == translate("alerts.new.add", "en")]
    submit.click().run()
    assert not at.exception
    assert translate("alerts.new.added", "en") in [s.value for s in at.success]
    rules = next(f.value for f in at.dataframe if "Condition" in f.value.columns)
    assert "Silent merchants" in rules["Rule"].tolist()


def test_an_empty_name_is_refused_with_a_message(
    monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    at = _open(monkeypatch, db_url)
    [submit] = [b for b in at.button if b.label == translate("alerts.new.add", "en")]
    submit.click().run()
    assert translate("alerts.error.name", "en") in [e.value for e in at.error]


def test_a_merchant_sees_only_their_own_alerts(
    monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    at = _open(monkeypatch, db_url, "zh", role="merchant", merchant="M1")
    inbox = _inbox(at, "zh")
    assert inbox[translate("alerts.col.merchant", "zh")].tolist() == ["Alpha Tea (M1)"]
    assert "Beta" not in inbox.to_string()
    assert translate("alerts.new.header", "zh") not in [h.value for h in at.header]
    assert translate("alerts.merchant_only", "zh") in [c.value for c in at.caption]


def test_a_coach_marks_their_alerts_read(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    at = _open(monkeypatch, db_url, role="coach", cohorts=["C1"])
    assert translate("alerts.inbox.unread", "en", n=2) in [c.value for c in at.caption]
    at.button(key="alerts_read").click().run()
    assert translate("alerts.inbox.unread", "en", n=0) in [c.value for c in at.caption]
    assert _inbox(at)["Read"].tolist() == ["✓", "✓"]
