"""The calibration check on public data nobody on the team generated: the CDNOW sample
(2,357 customers of the CDNOW online music store who first bought in Jan–Mar 1997; Fader,
Hardie & Lee 2005), shipped in the `lifetimes` package on PyPI, loaded through the
contract. As in the paper and lifetimes' documentation: fit on the 39 weeks to 1997-09-30,
predict the 39 weeks after. The file is read from the installed package; `lifetimes`
itself is not imported.

The documented figures (lifetimes' quick-start on this summary, maximum likelihood):
BG/NBD r 0.24, alpha 4.41, a 0.79, b 2.43; Gamma-Gamma p 6.25, q 3.74, v 15.45. The MAP fit
with pymc-marketing's default priors lands within the tolerances below (a and b a little
lower: the prior on a + b pulls them together); docs/predictions.md has the figures.
"""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from models import clv
from models.db import make_engine, upgrade
from pipelines import marts, predictions
from pipelines.load import load_delivery
from tests.conftest import unavailable

MERCHANT = "CDNOW"
END = date(1998, 6, 30)
HOLDOUT_DAYS = 273  # 39 weeks after 1997-09-30
# The holdout forecast of pymc-marketing's BetaGeoModel set to the documented parameters
# (r 0.2426, alpha 4.4135, a 0.7929, b 2.4259) on lifetimes' calibration summary.
DOCUMENTED_FORECAST = 1653.4
DOCUMENTED_ERROR = abs(DOCUMENTED_FORECAST / 1882 - 1)  # 12.1%


def _sample() -> Path:
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or spec.origin is None:
        unavailable("the lifetimes package (which ships CDNOW_sample.txt) is not installed")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "datasets" / "CDNOW_sample.txt"


@pytest.fixture(scope="module")
def cdnow(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    raw = pd.read_csv(
        _sample(),
        sep=r"\s+",
        header=None,
        names=["master_id", "customer_id", "date", "cds", "dollars"],
        dtype={"customer_id": str, "date": str},
    )
    folder = tmp_path_factory.mktemp("cdnow") / "delivery"
    folder.mkdir()
    pd.DataFrame([{"merchant_id": MERCHANT, "name": "CDNOW", "industry": "other"}]).to_csv(
        folder / "merchants.csv", index=False
    )
    pd.DataFrame(
        {
            "order_id": [f"O{i:05d}" for i in range(len(raw))],
            "merchant_id": MERCHANT,
            "ordered_at": pd.to_datetime(raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d"),
            "channel": "other_online",
            "gmv": raw["dollars"].map(lambda v: f"{v:.2f}"),
            "customer_id": raw["customer_id"],
        }
    ).to_csv(folder / "orders.csv", index=False)
    engine = make_engine(f"sqlite:///{folder.parent / 'cdnow.db'}")
    upgrade(engine)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(marts, "MARTS", ())  # the predictions read the orders only
        report = load_delivery(folder, engine=engine, loaded_by="test")
    assert report.ok and report.rejected_total == 0, report.message
    return engine


def test_cdnow_calibration_reproduces_the_documented_quality(cdnow: Engine) -> None:
    with cdnow.connect() as connection:
        check = predictions.calibration_check(connection, MERCHANT, END, holdout_days=HOLDOUT_DAYS)
    assert check is not None
    p = check.parameters
    assert abs(p["r"] - 0.24) < 0.02 and abs(p["alpha"] - 4.41) < 0.3
    assert abs(p["a"] - 0.79) < 0.15 and abs(p["b"] - 2.43) < 0.5
    groups = check.groups.set_index("frequency_group")
    assert int(groups["customers"].sum()) == 2357
    assert int(groups.loc[0, "customers"]) == 1411  # the paper: 1,411 made no repeat purchase
    # The 39-week holdout. Customers made 1,882 purchases (purchase days); the documented
    # parameters forecast 1,653 (-12.1%: the BG/NBD under-forecasts this holdout). The MAP
    # fit must do as well: its forecast within 3% of the documented one, its error no worse.
    assert check.actual_total == 1882
    assert abs(check.predicted_total / DOCUMENTED_FORECAST - 1) < 0.03
    assert check.total_error is not None and abs(check.total_error) <= DOCUMENTED_ERROR + 0.005
    # per frequency group (0..6, 7+) the mean forecast within 0.5 purchases of the actual
    assert (groups["predicted"] - groups["actual"]).abs().max() < 0.5
    assert check.mae < 1.0


def test_cdnow_spend_model_matches_the_documented_fit(cdnow: Engine) -> None:
    with cdnow.connect() as connection:
        summary = predictions.rfm_summary(connection, MERCHANT, date(1997, 9, 30))
    fitted = clv.fit(summary)
    p = fitted.parameters
    assert abs(p["p"] - 6.25) < 0.1 and abs(p["q"] - 3.74) < 0.1 and abs(p["v"] - 15.45) < 0.3
    assert int((summary["frequency"] > 0).sum()) == 946  # lifetimes: "fitted with 946 subjects"
