"""The maximum a posteriori fit of pymc-marketing's CLV models, compiled once per process.

`BetaGeoModel.fit(method="map")` builds a PyMC model with the customers' data as constants
and compiles its log-density and gradient for each fit: graph rewrites and a C compile,
over a CPU second a fit whatever the number of customers, so the three fits of a
merchant cost seconds before any arithmetic.

Here the library builds its own model once, on a small template summary; the data
constants of that graph (observed recency/frequency, T, and for Gamma-Gamma frequency and
mean spend) are swapped for symbolic inputs, and the log-density and its gradient are
compiled once, then checked against the library's model built on other data. Each fit
only runs the optimiser the library's MAP uses (`pymc.find_MAP`: scipy's L-BFGS-B from
the model's initial point, log-density without the Jacobian of the transforms) on the
merchant's arrays. The model, priors and likelihood stay the library's;
tests/models/test_clv_map.py checks the parameters against the library's own fit.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

# A template summary whose columns hold distinct values, so each data constant of the
# library's graph is recognised by its values.
_TEMPLATE = pd.DataFrame(
    {
        "customer_id": ["t1", "t2", "t3", "t4", "t5"],
        "frequency": [1, 2, 3, 4, 5],
        "recency": [1.5, 2.5, 3.5, 4.5, 5.5],
        "T": [10.25, 11.25, 12.25, 13.25, 14.25],
        "monetary_value": [20.125, 30.125, 40.125, 50.125, 60.125],
    }
)


@dataclass
class Compiled:
    """One library model's log-density and gradient as a function of its free parameters
    (transformed, raveled) and of its data arrays."""

    model: Any  # the pymc-marketing model built on the template (its priors, its graph)
    columns: list[str]  # what each data input is, in order (a column, or "observed")
    cost: Callable[..., list[np.ndarray]]  # (x, *data) -> [-logp, -gradient]
    unravel: Callable[[np.ndarray], dict[str, np.ndarray]]
    natural: Callable[..., Any]  # transformed values -> every unobserved variable
    natural_names: list[str]
    x0: np.ndarray
    dtypes: list[str]

    def arrays(self, data: pd.DataFrame) -> list[np.ndarray]:
        out = []
        for column in self.columns:
            if column == "observed":
                out.append(np.stack((data["recency"], data["frequency"]), axis=1).astype(float))
            else:
                out.append(data[column].to_numpy())
        return out

    def fit(self, data: pd.DataFrame) -> dict[str, float]:
        """The MAP point of the model on `data` (untransformed parameters)."""
        from scipy.optimize import minimize

        arrays = self.arrays(data)
        arrays = [a.astype(t) for a, t in zip(arrays, self.dtypes, strict=True)]

        def cost(x: np.ndarray) -> tuple[float, np.ndarray]:
            value, gradient = self.cost(x, *arrays)
            return float(value), np.asarray(gradient, dtype=float)

        with np.errstate(all="ignore"):
            result = minimize(cost, self.x0, method="L-BFGS-B", jac=True)
        point = self.unravel(result.x)
        values = self.natural(point)
        return {
            name: float(np.asarray(v).reshape(-1)[0])
            for name, v in zip(self.natural_names, values, strict=True)
        }


def _data_constants(model: Any, template: pd.DataFrame) -> dict[Any, str]:
    """The constants of the model's graph that hold the template's data, by column."""
    from pytensor.graph.traversal import ancestors
    from pytensor.tensor.variable import TensorConstant

    wanted = {c: template[c].to_numpy() for c in ("frequency", "recency", "T", "monetary_value")}
    wanted["observed"] = np.stack((template["recency"], template["frequency"]), axis=1)
    found: dict[Any, str] = {}
    for node in ancestors([model.model.logp(jacobian=False)]):
        if not isinstance(node, TensorConstant) or node.ndim == 0:
            continue
        for column, values in wanted.items():
            if node.data.shape == values.shape and np.allclose(node.data, values):
                found[node] = column
    return found


def _without_fixed_shapes(outputs: list[Any]) -> list[Any]:
    """The graph without its `SpecifyShape` checks (the template's number of customers,
    fixed by the model's `customer_id` dimension), each node rebuilt so that its static
    shape is inferred again."""
    from pytensor.graph.replace import clone_replace
    from pytensor.graph.traversal import io_toposort
    from pytensor.tensor.shape import SpecifyShape

    while True:
        checks = {
            node.outputs[0]: node.inputs[0]
            for node in io_toposort([], outputs)
            if isinstance(node.op, SpecifyShape)
        }
        if not checks:
            return outputs
        for output, source in checks.items():
            while source in checks:
                source = checks[source]
            checks[output] = source
        outputs = list(clone_replace(outputs, checks, rebuild_strict=False))


def _replace(outputs: list[Any], replace: dict[Any, Any]) -> list[Any]:
    from pytensor.graph.replace import clone_replace

    return list(clone_replace(outputs, replace, rebuild_strict=False))


def compile_model(model_class: Any, template: pd.DataFrame) -> Compiled:
    """Build `model_class` (a pymc-marketing CLV model) on the template and compile its
    log-density once with its data as inputs."""
    import pytensor
    import pytensor.tensor as pt
    from pymc.blocking import DictToArrayBijection, RaveledVars

    library = model_class()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        library.build_model(template)
    model = library.model
    constants = _data_constants(library, template)
    inputs = {c: pt.tensor(dtype=c.dtype, shape=(None,) * c.ndim) for c in constants}
    values = list(model.continuous_value_vars)
    start = model.initial_point()
    x0 = DictToArrayBijection.map({v.name: start[v.name] for v in values})
    flat = pt.vector("x", dtype=x0.data.dtype)
    pieces, offset = {}, 0
    for name, shape, _size, dtype in x0.point_map_info:
        size = int(np.prod(shape))
        pieces[name] = flat[offset : offset + size].reshape(shape).astype(dtype)
        offset += size
    logp = model.logp(jacobian=False)
    gradient = cast(list[Any], pt.grad(logp, values))
    replaced = _replace(
        _without_fixed_shapes([logp, *gradient]),
        {**inputs, **{v: pieces[v.name] for v in values}},
    )
    cost = pytensor.function(
        [flat, *inputs.values()],
        [-replaced[0], -pt.concatenate([g.reshape((-1,)) for g in replaced[1:]])],
        on_unused_input="ignore",
    )
    unobserved = [
        v for v in model.unobserved_value_vars if v.ndim == 0 and not str(v.name).endswith("__")
    ]
    natural = model.compile_fn(unobserved, inputs=values, on_unused_input="ignore")
    names = [str(v.name) for v in unobserved]

    def unravel(x: np.ndarray) -> dict[str, np.ndarray]:
        return DictToArrayBijection.rmap(RaveledVars(x, x0.point_map_info))

    compiled = Compiled(
        model=library,
        columns=list(constants.values()),
        cost=cost,
        unravel=unravel,
        natural=natural,
        natural_names=names,
        x0=x0.data,
        dtypes=[c.dtype for c in constants],
    )
    _check(compiled, model_class)
    return compiled


# Other data than the template's, to check the swapped graph against the library's own.
_CHECK = pd.DataFrame(
    {
        "customer_id": ["k1", "k2", "k3"],
        "frequency": [3, 1, 7],
        "recency": [4.0, 0.5, 20.0],
        "T": [30.0, 2.0, 21.5],
        "monetary_value": [12.5, 80.0, 33.0],
    }
)


def _check(compiled: Compiled, model_class: Any) -> None:
    """The compiled log-density on other data equals the library's model built on them
    (so every data constant was swapped); RuntimeError otherwise."""
    library = model_class()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        library.build_model(_CHECK)
    logp = library.model.compile_logp(jacobian=False)
    expected = float(logp(compiled.unravel(compiled.x0)))
    arrays = [a.astype(t) for a, t in zip(compiled.arrays(_CHECK), compiled.dtypes, strict=True)]
    got = -float(compiled.cost(compiled.x0, *arrays)[0])
    if not np.isclose(got, expected, rtol=1e-9, atol=1e-9):
        raise RuntimeError(
            f"{model_class.__name__}: the compiled graph gives {got} where the library gives "
            f"{expected}; a data constant of the library's graph was not recognised"
        )


_CACHE: dict[str, Compiled] = {}
_CACHE_LOCK = threading.Lock()


def compiled(kind: str) -> Compiled:
    """The compiled BG/NBD ("purchases") or Gamma-Gamma ("spend") of this process."""
    from pymc_marketing import clv

    with _CACHE_LOCK:
        if kind not in _CACHE:
            model_class = {"purchases": clv.BetaGeoModel, "spend": clv.GammaGammaModel}[kind]
            _CACHE[kind] = compile_model(model_class, _TEMPLATE)
        return _CACHE[kind]


def fitted_model(kind: str, data: pd.DataFrame) -> tuple[Any, dict[str, float]]:
    """The library's model of `kind` on `data` with its MAP point set as its one-draw
    posterior (as `fit(method="map")` leaves it), and the point."""
    import arviz as az
    from pymc_marketing import clv

    point = compiled(kind).fit(data)
    model_class = {"purchases": clv.BetaGeoModel, "spend": clv.GammaGammaModel}[kind]
    library = model_class()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        library.build_model(data)  # type: ignore[call-arg]
    library.idata = az.from_dict(posterior={k: np.array([[v]]) for k, v in point.items()})
    return library, point
