"""A campaign's JSON-ready report (`python -m pipelines report campaign`)."""

from __future__ import annotations

from models.campaigns import CampaignDetail
from models.json_values import json_value as _clean


def campaign_report(detail: CampaignDetail) -> dict[str, object]:
    """The JSON-ready report (`python -m pipelines report campaign`)."""
    s = {k: _clean(v) for k, v in detail.summary.items()}
    holdout = s["method"] == "holdout"
    return {
        "campaign": s["campaign_id"],
        "merchant_id": s["merchant_id"],
        "name": s["name"],
        "channel": s["channel"],
        "start_date": s["start_date"],
        "end_date": s["end_date"],
        "cost": s["cost"],
        "method": s["method"],
        "observational": not holdout,
        "margin_rate": s["margin_rate"],
        "incremental_gmv": {
            "estimate": s["incremental_gmv"],
            "low": s["incremental_low"],
            "high": s["incremental_high"],
        },
        "incremental_margin": s["incremental_margin"],
        "roi": s["roi"],
        "margin_roi": s["margin_roi"],
        "payback_day": detail.payback_day,
        "roi_day_30": _clean(detail.roi_day_30),
        "holdout": None
        if not holdout
        else {
            "treatment_customers": s["treatment"],
            "holdout_customers": s["holdout"],
            "repurchase_rate": {
                "treatment": s["repurchase_treatment"],
                "holdout": s["repurchase_holdout"],
                "lift": {k: _clean(v) for k, v in detail.repurchase_lift.as_dict().items()},
            },
            "gmv_per_customer": {
                "treatment": s["gmv_per_customer_treatment"],
                "holdout": s["gmv_per_customer_holdout"],
                "lift": {"estimate": s["lift"], "low": s["lift_low"], "high": s["lift_high"]},
            },
        },
        "curve": [
            {"day": int(r.day), "cumulative_gmv": _clean(r.cumulative_gmv), "roi": _clean(r.roi)}
            for r in detail.curve.itertuples(index=False)
        ],
    }
