"""The customer outlook page through AppTest on a database with hand-set predictions: the
top customers at risk (masked, most spent first), the calibration chart and its error,
"not enough purchases to predict", and a merchant seeing only its own customers."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert
from streamlit.testing.v1 import AppTest

from models.db import make_engine, upgrade
from models.schema import Merchant, table_of
from models.schema_predictions import CustomerPrediction, PredictionCalibration, PredictionFit
from models.schema_segments import MartCustomerFeatures
from tests.pages.apptest import app_as
from ui.i18n import translate

AS_OF = date(2019, 12, 31)
FITTED_AT = datetime(2020, 1, 2, 3, 4)
# customer id, GMV so far, churn risk
CUSTOMERS = [
    ("M1-C0001", 900.0, 0.80),  # at risk, spent the most
    ("M1-C0002", 500.0, 0.55),  # at risk
    ("M1-C0003", 2000.0, 0.10),  # spent most of all but alive: not in the list
    ("M1-C0004", 100.0, 0.95),  # at risk, spent least
]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'outlook.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Merchant)),
            [
                {"merchant_id": "M1", "name": "One", "industry": "grocery"},
                {"merchant_id": "M2", "name": "Two", "industry": "grocery"},
            ],
        )
        connection.execute(
            insert(table_of(MartCustomerFeatures)),
            [
                {
                    "merchant_id": "M1",
                    "customer_id": cid,
                    "as_of": AS_OF,
                    "last_order_on": date(2019, 6, 1),
                    "orders": 3,
                    "purchase_days": 3,
                    "repurchases": 2,
                    "gmv": gmv,
                    "refunds": 0.0,
                    "tenure_days": 400,
                    "channels": "store",
                    "channel_count": 1,
                }
                for cid, gmv, _ in CUSTOMERS
            ],
        )
        connection.execute(
            insert(table_of(CustomerPrediction)),
            [
                {
                    "merchant_id": "M1",
                    "customer_id": cid,
                    "purchases_30d": 0.1,
                    "purchases_90d": 0.3,
                    "p_alive": 1 - risk,
                    "churn_risk": risk,
                    "expected_spend": 80.0,
                    "clv_12m": 50.0,
                    "fitted_at": FITTED_AT,
                }
                for cid, _, risk in CUSTOMERS
            ],
        )
        connection.execute(
            insert(table_of(PredictionFit)),
            [
                {
                    "merchant_id": "M1",
                    "status": "fitted",
                    "fitted_at": FITTED_AT,
                    "as_of": AS_OF,
                    "customers": 4,
                    "repeat_customers": 4,
                    "parameters": '{"r": 0.5}',
                    "calibration_cutoff": date(2019, 10, 2),
                    "holdout_days": 90,
                    "holdout_predicted": 110.0,
                    "holdout_actual": 100,
                    "holdout_mae": 0.42,
                    "seconds": 1.0,
                },
                {
                    "merchant_id": "M2",
                    "status": "not_enough",
                    "fitted_at": FITTED_AT,
                    "as_of": AS_OF,
                    "customers": 12,
                    "repeat_customers": 3,
                    "parameters": "",
                    "calibration_cutoff": None,
                    "holdout_days": None,
                    "holdout_predicted": None,
                    "holdout_actual": None,
                    "holdout_mae": None,
                    "seconds": 0.0,
                },
            ],
        )
        connection.execute(
            insert(table_of(PredictionCalibration)),
            [
                {"merchant_id": "M1", "frequency_group": g, "customers": n, "predicted": p,
                 "actual": a}
                for g, n, p, a in ((0, 50, 0.2, 0.25), (1, 20, 0.6, 0.5), (7, 5, 6.0, 6.5))
            ],
        )  # fmt: skip
    engine.dispose()
    return url


def open_outlook(monkeypatch: pytest.MonkeyPatch, db_url: str, **who: object) -> AppTest:
    at = app_as(monkeypatch, db_url, **who).run()  # type: ignore[arg-type]
    at.switch_page("pages/customers.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_top_customers_at_risk_masked_most_spent_first(
    monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    at = open_outlook(monkeypatch, db_url)
    assert at.title[0].value == translate("predictions.title", "en")
    at.selectbox(key="customers_merchant").set_value("M1").run()
    assert not at.exception
    table = at.dataframe[0].value
    customer = translate("predictions.col.customer", "en")
    assert list(table[customer]) == ["M1-•••01", "M1-•••02", "M1-•••04"]
    assert list(table[translate("predictions.col.churn_risk", "en")]) == ["80.0%", "55.0%", "95.0%"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[translate("predictions.kpi.at_risk", "en")] == "3"
    captions = " ".join(c.value for c in at.caption)
    assert "expected 110 purchases; customers made 100 (+10% off)" in captions
    assert "off by 0.42 purchases" in captions
    assert "Last fit: 2 Jan 2020 11:04." in captions  # stored UTC, shown in Asia/Shanghai
    chart = at.get("plotly_chart")
    assert len(chart) == 1


def test_not_enough_purchases_is_said(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    at = open_outlook(monkeypatch, db_url)
    at.selectbox(key="customers_merchant").set_value("M2").run()
    assert not at.exception
    assert [w.value for w in at.warning] == [
        translate(
            "predictions.not_enough", "en", customers="12", repeat="3", min_customers=100,
            min_repeat=30,
        )
    ]  # fmt: skip
    assert not at.dataframe


def test_a_merchant_sees_its_own_outlook_in_chinese(
    monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    at = app_as(monkeypatch, db_url, role="merchant", merchant="M1")
    at.session_state["lang"] = "zh"
    at.run()
    at.switch_page("pages/customers.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == translate("predictions.title", "zh")
    assert "customers_merchant" not in [s.key for s in at.selectbox]  # its own merchant
    table = at.dataframe[0].value
    assert list(table[translate("predictions.col.customer", "zh")])[0] == "M1-•••01"
