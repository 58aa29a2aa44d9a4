"""The segment builder driven like a user through AppTest: build the three-tier split,
edit rules with live figures, save (with versions), export, attach an offer."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from models import segments as sg
from models.db import make_engine
from models.scope import Scope
from tests.pages.apptest import open_app
from ui.data import segments as data
from ui.i18n import translate

PAGE = "pages/segments.py"


@pytest.fixture
def db_url(demo_db_copy: str) -> str:
    """A private copy of the demo database (these tests write segments and campaigns)."""
    return demo_db_copy


def on_page(monkeypatch: pytest.MonkeyPatch, db_url: str, **who: object) -> AppTest:
    at = open_app(monkeypatch, db_url, **who)  # type: ignore[arg-type]
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, key: str) -> str:
    label = translate(key, "en")
    return next(m.value for m in at.metric if m.label == label)


def table_with(at: AppTest, header: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if header in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a {header!r} column")


def test_three_tier_split_save_and_offer(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    at = on_page(monkeypatch, db_url)
    assert at.title[0].value == translate("segments.title", "en")
    at.selectbox(key="segments_merchant").set_value("M006").run()
    at.selectbox(key="segments_source").set_value("repurchase_tiers").run()
    assert not at.exception

    tiers = table_with(at, "Offer")
    engine = make_engine(db_url)
    expected = sg.tier_stats(
        engine=engine,
        scope=Scope.executive(),
        merchant_id="M006",
        tiers=sg.TEMPLATES["repurchase_tiers"].tiers,
    )
    assert list(tiers["Segment"]) == [
        "First purchase, not repurchased",
        "2–5 repurchases",
        "More than 5 repurchases",
    ]
    assert list(tiers["Offer"]) == ["50% off trial coupon", "Buy one get one", "10× points"]
    assert list(tiers["Customers"]) == [f"{n:,}" for n in expected["customers"]]
    # The editor holds the first tier; its live figures are that tier's.
    assert metric(at, "segments.col.customers") == f"{expected['customers'].iloc[0]:,}"

    # Attach the offers with a 20% holdout: one campaign per tier.
    at.slider(key="segments_holdout_tiers").set_value(20)
    at.button[[b.label for b in at.button].index(translate("segments.offer.create", "en"))].click()
    at.run()
    assert not at.exception
    done = [s.value for s in at.success]
    assert len(done) == 3
    assert (
        done[0]
        .replace("\\", "")
        .startswith(  # names are Markdown-escaped
            "Campaign **Repurchase tiers (three published offers) · First purchase, not "
            "repurchased** created: "
        )
    )
    assert all(" get the offer, " in d and " held out; cost ¥" in d for d in done)
    assert not any(" 1 are " in d or "None" in d for d in done)
    # the start defaulted to the day after the merchant's last data, not today
    assert at.date_input(key="segments_start_tiers_next").value.isoformat() == "2020-01-01"
    made = table_with(at, "Campaign")
    assert sorted(made["Campaign"]) == ["SEG-M006-1", "SEG-M006-2", "SEG-M006-3"]
    assert set(made["Holdout"]) == {"20.0%"}

    # Save the rules, then a second version.
    at.text_input(key="segments_name").set_value("Trial coupon group").run()
    at.button(key="segments_save").click().run()
    assert translate("segments.save.done", "en", version=1) in [s.value for s in at.success]
    saved = sg.saved_segments(engine=engine, scope=Scope.executive(), merchant_id="M006")
    assert at.selectbox(key="segments_save_as").value == int(saved["segment_id"].iloc[0])
    at.button(key="segments_save").click().run()  # the next save is a new version
    assert translate("segments.save.done", "en", version=2) in [s.value for s in at.success]
    history = table_with(at, "Version")
    assert list(history["Version"]) == [2, 1]
    engine.dispose()

    # Export: a download of every id of the tiers, customer_id,segment.
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count(translate("segments.export", "en")) == 2  # the tiers, the rules
    tiers_json = data.tiers_json(sg.TEMPLATES["repurchase_tiers"].tiers)
    exported = data.export_csv(make_engine(db_url), Scope.executive(), "M006", tiers_json)
    lines = exported.decode("utf-8").splitlines()
    assert lines[0] == "customer_id,segment"
    assert len(lines) - 1 == int(expected["customers"].sum())


def test_edit_rules_live(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    at = on_page(monkeypatch, db_url)
    at.selectbox(key="segments_merchant").set_value("M006").run()
    everyone = metric(at, "segments.col.customers")
    assert metric(at, "segments.col.share_customers") == "100.0%"
    at.selectbox(key="segments_source").set_value("cloud_users_lapsed_30d").run()
    engine = make_engine(db_url)
    stats = sg.segment_stats(
        engine=engine,
        scope=Scope.executive(),
        merchant_id="M006",
        definition=sg.TEMPLATES["cloud_users_lapsed_30d"].tiers[0].definition,
    )
    engine.dispose()
    assert metric(at, "segments.col.customers") == f"{stats['customers']:,}"
    assert metric(at, "segments.col.customers") != everyone
    assert metric(at, "segments.col.share_gmv") == f"{stats['share_gmv'] * 100:.1f}%"
    sample = table_with(at, "Customer")
    assert all("•" in cid for cid in sample["Customer"])
    at.radio(key="segments_match").set_value("any").run()
    assert not at.exception


def test_a_merchant_sees_only_its_own(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    at = on_page(monkeypatch, db_url, role="merchant", merchant="M007")
    keys = [s.key for s in at.selectbox]
    assert "segments_merchant" not in keys  # no picker: its own merchant
    engine = make_engine(db_url)
    total = sg.segment_stats(
        engine=engine,
        scope=Scope.merchant("M007"),
        merchant_id="M007",
        definition={"conditions": []},
    )
    engine.dispose()
    assert metric(at, "segments.col.customers") == f"{total['customers']:,}"


def test_chinese(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    at = on_page(monkeypatch, db_url)
    at.radio(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == translate("segments.title", "zh")


def test_an_offer_refused_names_the_segment_in_words(
    monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    """A plain segment without an offer: the reason is the catalog's and names the
    segment as the page does, not by its tier code (the Chinese is tests/ui's)."""
    at = on_page(monkeypatch, db_url)
    create = translate("segments.offer.create", "en")
    at.button[[b.label for b in at.button].index(create)].click()
    at.run()
    assert not at.exception
    tier = translate("rules.this_segment", "en")
    assert [e.value for e in at.error] == [
        translate(
            "segments.offer.failed",
            "en",
            reason=translate("offer.reason.tier_offer", "en", tier=tier),
        )
    ]
