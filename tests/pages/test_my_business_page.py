"""My business through AppTest: the merchant's own name on top and its standing among
peers in words; an executive sees a merchant view of the merchant it picked."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from models import queries
from models.db import make_engine
from models.scope import Scope
from tests.pages.apptest import open_app
from ui.i18n import translate

STANDING = re.compile(
    r"^(lower than all \d+ peers|higher than all \d+ peers|higher than \d+ of \d+ peers|—)$"
)


def _name(db_url: str, merchant_id: str) -> str:
    engine = make_engine(db_url)
    frame = queries.merchants(engine=engine, scope=Scope.executive())
    engine.dispose()
    return str(frame.set_index("merchant_id").loc[merchant_id, "name"])


def _peer_table(at) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return at.dataframe[0].value


def test_a_merchant_sees_its_name_and_its_standing_in_words(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_app(monkeypatch, demo_db_url, role="merchant", merchant="M006")
    assert at.subheader[0].value == _name(demo_db_url, "M006")
    assert translate("business.peers.header", "en") in [h.value for h in at.header]
    table = _peer_table(at)
    standing = table[translate("mybiz.col.standing", "en")]
    assert all(STANDING.match(str(v)) for v in standing), list(standing)
    assert not any("percentile" in str(v) for v in standing)


def test_an_executive_sees_a_merchant_view(
    monkeypatch: pytest.MonkeyPatch, demo_db_url: str
) -> None:
    at = open_app(monkeypatch, demo_db_url)
    at.switch_page("pages/my_business.py").run()
    at.selectbox(key="business_merchant").set_value("M006").run()
    assert not at.exception, [e.value for e in at.exception]
    name = _name(demo_db_url, "M006")
    assert any(name in i.value and "Merchant view" in i.value for i in at.info)
    headers = [h.value for h in at.header]
    assert translate("mybiz.peers.header.other", "en") in headers
    assert translate("business.peers.header", "en") not in headers
    assert translate("mybiz.col.own.other", "en") in _peer_table(at).columns
