"""The customer predictions on tiny hand-built purchase histories, on SQLite and
PostgreSQL: the RFM summary from SQL (checked by hand), and the BG/NBD answer whose
direction is known — a customer who bought weekly and stopped a year ago is probably gone,
one who still buys weekly is alive and expected to buy again soon."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, insert, select

from models import clv
from models import predictions as pr
from models.schema import Merchant, Order, table_of
from models.schema_predictions import CustomerPrediction, PredictionFit
from models.scope import Scope
from pipelines import predictions

AS_OF = date(2019, 12, 31)
NOW = datetime(2020, 1, 1, 6, 0)
EXEC = Scope.executive()


def _orders(merchant_id: str, customer_id: str, days_ago: list[int], gmv: float) -> list[dict]:
    return [
        {
            "merchant_id": merchant_id,
            "order_id": f"{customer_id}-{n}",
            "ordered_at": datetime.combine(AS_OF - timedelta(days=d), datetime.min.time()),
            "ordered_on": AS_OF - timedelta(days=d),
            "channel": "store",
            "gmv": gmv,
            "refund": 0.0,
            "customer_id": customer_id,
        }
        for n, d in enumerate(days_ago)
    ]


def _load(engine: Engine, rows: list[dict], merchants: tuple[str, ...] = ("M1",)) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Merchant)),
            [{"merchant_id": m, "name": m, "industry": "grocery"} for m in merchants],
        )
        connection.execute(insert(table_of(Order)), rows)


@pytest.mark.parametrize(
    "days_ago, gmv, expected",
    [
        # one purchase 14 days ago: no repeat, T = 2 weeks
        ([14], [50.0], (0, 0.0, 2.0, 0.0)),
        # two orders on one day count as one purchase; then one 7 days later
        ([21, 21, 14], [10.0, 20.0, 40.0], (1, 1.0, 3.0, 40.0)),
        # three purchase days over 4 weeks, repeat spend (30 + 60) / 2, a refund netted out
        ([28, 14, 0], [10.0, 30.0, 70.0], (2, 4.0, 4.0, 45.0)),
    ],
)
def test_rfm_summary_from_sql(
    engine: Engine, days_ago: list[int], gmv: list[float], expected: tuple
) -> None:
    rows = [
        r | {"gmv": g, "order_id": f"O{n}"}
        for n, (r, g) in enumerate(zip(_orders("M1", "C1", days_ago, 0.0), gmv, strict=True))
    ]
    if len(rows) == 3 and expected[0] == 2:
        rows[-1]["refund"] = 10.0  # 70 - 10 = 60 net
    # the as-of day is the merchant's last order: another customer buys on it
    rows += _orders("M1", "Z", [0], 1.0)
    _load(engine, rows)
    with engine.connect() as connection:
        summary = predictions.rfm_summary(connection, "M1", AS_OF).set_index("customer_id")
    got = summary.loc["C1"]
    assert (got["frequency"], got["recency"], got["T"], got["monetary_value"]) == expected


def _history() -> list[dict]:
    """Six customers who buy every week for the last two years ("steady"), six who bought
    every week for a year and stopped a year ago ("stopped"), six who bought once."""
    rows: list[dict] = []
    for n in range(6):
        rows += _orders("M1", f"steady{n}", list(range(n, 730, 7)), 30.0 + n)
        rows += _orders("M1", f"stopped{n}", list(range(365 + n, 730, 7)), 30.0 + n)
        rows += _orders("M1", f"once{n}", [100 + 40 * n], 25.0)
    return rows


TINY = clv.Minimum(customers=10, repeat_customers=5)


def test_weekly_buyer_who_stopped_is_at_risk_steady_one_is_alive(engine: Engine) -> None:
    _load(engine, _history())
    with engine.begin() as connection:
        result = predictions.predict_merchant(connection, "M1", now=NOW, minimum=TINY)
    assert result.status == predictions.FITTED and result.customers == 18
    with engine.connect() as connection:
        rows = pd.DataFrame(
            connection.execute(select(table_of(CustomerPrediction))).mappings().all()
        )
    kind = rows["customer_id"].str.rstrip("0123456789")
    by = rows.groupby(kind)
    assert by["p_alive"].max()["stopped"] < 0.1
    assert by["p_alive"].min()["steady"] > 0.9
    assert (rows["churn_risk"] - (1 - rows["p_alive"])).abs().max() < 1e-9
    # a steady weekly buyer is expected to buy about four times in 30 days, 13 in 90
    assert 3 < by["purchases_30d"].min()["steady"] < 5
    assert 10 < by["purchases_90d"].min()["steady"] < 15
    assert by["purchases_90d"].max()["stopped"] < 0.5
    # worth more over 12 months than anyone who stopped; spend per purchase near their own
    assert by["clv_12m"].min()["steady"] > 10 * by["clv_12m"].max()["stopped"]
    steady = rows[kind == "steady"].set_index("customer_id")
    assert abs(steady.loc["steady5", "expected_spend"] - 35.0) < 2.0
    fit = pr.latest_fit(engine=engine, scope=EXEC, merchant_id="M1")
    assert fit is not None and fit.fitted and fit.as_of == AS_OF
    assert set(fit.parameters) == {"r", "alpha", "a", "b", "p", "q", "v"}
    at_risk = pr.top_at_risk(engine=engine, scope=EXEC, merchant_id="M1")
    assert list(at_risk["customer_id"].str.rstrip("0123456789").unique()) in ([], ["stopped"])


def test_too_little_history_is_said_not_guessed(engine: Engine) -> None:
    rows = _orders("M1", "a", [0, 7], 10.0) + _orders("M1", "b", [3], 10.0)
    _load(engine, rows)
    with engine.begin() as connection:
        result = predictions.predict_merchant(connection, "M1", now=NOW)
    assert result.status == predictions.NOT_ENOUGH
    assert "2 customers of whom 1 bought again" in result.message
    with engine.connect() as connection:
        assert connection.execute(select(table_of(CustomerPrediction))).first() is None
        fit = connection.execute(select(table_of(PredictionFit))).mappings().one()
    assert (fit["status"], fit["customers"], fit["repeat_customers"]) == ("not_enough", 2, 1)


def test_a_merchant_sees_only_its_own_predictions(engine: Engine) -> None:
    _load(engine, _orders("M2", "x", [0, 7], 10.0), merchants=("M1", "M2"))
    with engine.begin() as connection:
        predictions.predict_merchant(connection, "M2", now=NOW)
    assert pr.latest_fit(engine=engine, scope=Scope.merchant("M1"), merchant_id="M2") is None
    assert pr.latest_fit(engine=engine, scope=Scope.merchant("M2"), merchant_id="M2") is not None
