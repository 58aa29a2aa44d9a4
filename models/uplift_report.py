"""Cohort uplift, the report: the JSON-ready report of one cohort (`python -m pipelines
report uplift`) and the table of every cohort, raw against causal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from models.json_values import json_value as _clean

if TYPE_CHECKING:
    from models.uplift import CohortUplift, MetricUplift


def _metric_report(figures: MetricUplift) -> dict[str, object]:
    return {
        "baseline": _clean(figures.baseline),
        "programme": _clean(figures.programme),
        "post": _clean(figures.post),
        "raw_uplift": _clean(figures.raw_uplift),
        "raw_post_uplift": _clean(figures.raw_post_uplift),
        "causal_uplift": {k: _clean(v) for k, v in figures.causal.as_dict().items()},
        "pretrend": {k: _clean(v) for k, v in figures.pretrend.as_dict().items()},
    }


def uplift_report(result: CohortUplift) -> dict[str, object]:
    """The JSON-ready report (`python -m pipelines report uplift`): daily averages, raw
    uplift and causal uplift with interval as fractions (3.76 means +376%)."""
    w = result.windows
    gmv = result.gmv
    by_id = result.private.merchants.set_index("merchant_id")
    merchants = []
    for row in gmv.merchants.itertuples(index=False):
        private = by_id.loc[row.merchant_id]
        merchants.append(
            {
                "merchant_id": row.merchant_id,
                "name": row.name,
                "industry": row.industry,
                "baseline": _clean(row.baseline),
                "programme": _clean(row.programme),
                "post": _clean(row.post),
                "raw_uplift": _clean(row.raw_uplift),
                "causal_uplift": {
                    "estimate": _clean(row.causal_uplift),
                    "low": _clean(row.causal_low),
                    "high": _clean(row.causal_high),
                },
                "private_domain": {
                    "baseline": _clean(private["baseline"]),
                    "programme": _clean(private["programme"]),
                    "raw_uplift": _clean(private["raw_uplift"]),
                    "causal_uplift": {
                        "estimate": _clean(private["causal_uplift"]),
                        "low": _clean(private["causal_low"]),
                        "high": _clean(private["causal_high"]),
                    },
                },
            }
        )
    report = {
        "cohort": result.cohort_id,
        "name": result.name,
        "windows": {
            "baseline_kind": w.kind,
            "baseline": [w.baseline[0].isoformat(), w.baseline[1].isoformat()],
            "programme": [w.programme[0].isoformat(), w.programme[1].isoformat()],
            "post": None if w.post is None else [w.post[0].isoformat(), w.post[1].isoformat()],
            "pretrend": [w.pre[0].isoformat(), w.pre[1].isoformat()],
        },
        "merchant_count": len(gmv.merchants),
        "controls": result.controls,
        **_metric_report(gmv),
        "private_domain": _metric_report(result.private),
        "merchants": merchants,
        "warnings": [{"code": x.code, "message": x.text} for x in result.warnings],
    }
    return report


COMPARISON_COLUMNS = ["cohort_id", "raw_uplift", "causal_uplift", "causal_low", "causal_high"]


def comparison_table(results: list[CohortUplift | None]) -> pd.DataFrame:
    """Raw against causal GMV uplift, one row per cohort."""
    rows = [
        {
            "cohort_id": r.cohort_id,
            "raw_uplift": r.gmv.raw_uplift,
            "causal_uplift": r.gmv.causal.estimate,
            "causal_low": r.gmv.causal.low,
            "causal_high": r.gmv.causal.high,
        }
        for r in results
        if r is not None
    ]
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
