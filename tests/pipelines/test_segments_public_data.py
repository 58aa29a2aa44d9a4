"""The segment counts on real public transaction data, loaded through the contract, against
an independent pandas count on the raw file.

The data: CDNOW_master.txt (purchases of 23,570 customers of the CDNOW online music store,
Jan 1997 - Jun 1998; Fader & Hardie), shipped inside the `lifetimes` package on PyPI. The
file is read from the installed package; `lifetimes` itself is not imported.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from models import segments as sg
from models.db import make_engine, upgrade
from models.scope import Scope
from pipelines import marts
from pipelines.load import load_delivery
from tests.conftest import unavailable

MERCHANT = "CDNOW"
SCOPE = Scope.merchant(MERCHANT)


def _cdnow() -> Path:
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or spec.origin is None:
        unavailable("the lifetimes package (which ships CDNOW_master.txt) is not installed")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "datasets" / "CDNOW_master.txt"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    frame = pd.read_csv(_cdnow(), sep=r"\s+", dtype={"customer_id": str, "date": str})
    frame["day"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame


@pytest.fixture(scope="module")
def cdnow_db(raw: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The file written as a contract delivery (one merchant, its orders) and loaded."""
    folder = tmp_path_factory.mktemp("cdnow") / "delivery"
    folder.mkdir()
    pd.DataFrame([{"merchant_id": MERCHANT, "name": "CDNOW", "industry": "other"}]).to_csv(
        folder / "merchants.csv", index=False
    )
    pd.DataFrame(
        {
            "order_id": [f"O{i:06d}" for i in range(len(raw))],
            "merchant_id": MERCHANT,
            "ordered_at": raw["day"].dt.strftime("%Y-%m-%d"),
            "channel": "other_online",
            "gmv": raw["dollar_value"].map(lambda v: f"{v:.2f}"),
            "customer_id": raw["customer_id"],
        }
    ).to_csv(folder / "orders.csv", index=False)
    engine = make_engine(f"sqlite:///{folder.parent / 'cdnow.db'}")
    upgrade(engine)
    # Only the marts segments read: the others are not under test here.
    mine = tuple(m for m in marts.MARTS if m[0] in ("mart_merchant_day", "mart_customer_features"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(marts, "MARTS", mine)
        report = load_delivery(folder, engine=engine, loaded_by="test")
    assert report.ok and report.rejected_total == 0, report.message
    return engine


def independent(raw: pd.DataFrame) -> pd.DataFrame:
    """Per customer, from the raw file: purchase days (orders of one day are one purchase;
    the file has no refunds), GMV, days since the last purchase counted back from the
    file's last day."""
    per = raw.groupby("customer_id").agg(
        days=("day", "nunique"), gmv=("dollar_value", "sum"), last=("day", "max")
    )
    per["since"] = (raw["day"].max() - per["last"]).dt.days
    per["repurchases"] = per["days"] - 1
    return per


def test_repurchase_tiers_agree(raw: pd.DataFrame, cdnow_db: Engine) -> None:
    per = independent(raw)
    tiers = sg.tier_stats(
        engine=cdnow_db,
        scope=SCOPE,
        merchant_id=MERCHANT,
        tiers=sg.TEMPLATES["repurchase_tiers"].tiers,
    ).set_index("segment")
    expected = {
        "first_purchase_not_repurchased": per[per["days"] == 1],
        "repurchased_2_to_5": per[per["repurchases"].between(2, 5)],
        "repurchased_more_than_5": per[per["repurchases"] > 5],
    }
    total_gmv = raw["dollar_value"].sum()
    for name, rows in expected.items():
        assert tiers.loc[name, "customers"] == len(rows), name
        assert tiers.loc[name, "gmv"] == pytest.approx(rows["gmv"].sum(), abs=0.05)
        assert tiers.loc[name, "share_customers"] == pytest.approx(len(rows) / len(per))
        assert tiers.loc[name, "share_gmv"] == pytest.approx(rows["gmv"].sum() / total_gmv)
    assert len(per) == 23_570
    members = sg.members(
        engine=cdnow_db,
        scope=SCOPE,
        merchant_id=MERCHANT,
        tiers=sg.TEMPLATES["repurchase_tiers"].tiers,
    )
    assert set(members.loc[members["segment"] == "repurchased_2_to_5", "customer_id"]) == set(
        expected["repurchased_2_to_5"].index
    )


def test_relative_dates_and_money_agree(raw: pd.DataFrame, cdnow_db: Engine) -> None:
    per = independent(raw)
    cases = {
        "lapsed_90d": (sg.TEMPLATES["lapsed_90d"].tiers[0].definition, per["since"] > 90),
        "bought_in_last_30_days": (
            {"conditions": [{"field": "last_order", "op": "within_last_days", "value": 30}]},
            per["since"] < 30,
        ),
        "spent_100_to_500": (
            {"conditions": [{"field": "gmv", "op": "between", "value": [100, 500]}]},
            per["gmv"].round(2).between(100, 500),
        ),
    }
    for name, (definition, mask) in cases.items():
        stats = sg.segment_stats(
            engine=cdnow_db, scope=SCOPE, merchant_id=MERCHANT, definition=definition
        )
        assert stats["customers"] == int(mask.sum()), name
        assert stats["gmv"] == pytest.approx(per.loc[mask, "gmv"].sum(), abs=0.05), name
