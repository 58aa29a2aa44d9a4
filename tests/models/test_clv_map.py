"""The compiled-once MAP fit (models/clv_map.py) gives the library's own answer: the same
parameters and predictions as `BetaGeoModel.fit(method="map")` and
`GammaGammaModel.fit(method="map")`, on summaries of different sizes through one compiled
graph."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from models import clv_map


def _summary(customers: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frequency = rng.poisson(1.5, customers)
    age = rng.uniform(5, 100, customers)
    recency = np.where(frequency > 0, age * rng.uniform(0.1, 1, customers), 0.0)
    spend = np.where(frequency > 0, rng.gamma(3, 30, customers), 0.0)
    return pd.DataFrame(
        {
            "customer_id": [f"c{n}" for n in range(customers)],
            "frequency": frequency,
            "recency": recency,
            "T": age,
            "monetary_value": spend,
        }
    )


def _library(kind: str, data: pd.DataFrame) -> dict[str, float]:
    from pymc_marketing import clv

    model_class = {"purchases": clv.BetaGeoModel, "spend": clv.GammaGammaModel}[kind]
    model = model_class()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(data=data, method="map", progressbar=False)
    return {k: float(v) for k, v in model.fit_summary().items()}


@pytest.mark.parametrize("customers, seed", [(300, 1), (1200, 2)])
def test_compiled_fit_matches_the_librarys_map(customers: int, seed: int) -> None:
    data = _summary(customers, seed)
    model, point = clv_map.fitted_model("purchases", data.drop(columns="monetary_value"))
    expected = _library("purchases", data.drop(columns="monetary_value"))
    for name in ("r", "alpha", "a", "b"):
        assert point[name] == pytest.approx(expected[name], rel=1e-3), name
    alive = model.expected_probability_alive(data=data).mean(("chain", "draw")).to_numpy()
    assert alive.shape == (customers,) and ((alive >= 0) & (alive <= 1)).all()
    spenders = data[data["frequency"] > 0].reset_index(drop=True)
    _spend_model, spend = clv_map.fitted_model("spend", spenders)
    expected = _library("spend", spenders)
    for name in ("p", "q", "v"):
        assert spend[name] == pytest.approx(expected[name], rel=1e-3), name


def test_one_compiled_graph_serves_every_fit() -> None:
    first = clv_map.compiled("purchases")
    clv_map.fitted_model("purchases", _summary(50, 3).drop(columns="monetary_value"))
    assert clv_map.compiled("purchases") is first


def test_a_graph_whose_data_constants_were_not_all_swapped_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pymc_marketing import clv

    monkeypatch.setattr(clv_map, "_data_constants", lambda model, template: {})
    with pytest.raises(RuntimeError, match="not recognised"):
        clv_map.compile_model(clv.GammaGammaModel, clv_map._TEMPLATE)
