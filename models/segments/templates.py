"""Segment templates: the published repurchase tiers, the named RFM segments and others,
each a tuple of tiers (a name, a definition, an offer). Pure: no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.segments.rules import RFM_SEGMENT_NAMES, validate


@dataclass(frozen=True)
class Tier:
    name: str
    definition: dict[str, Any]
    offer: str | None = None


@dataclass(frozen=True)
class Template:
    name: str
    tiers: tuple[Tier, ...]
    description: str = ""
    group: str = "other"

    @property
    def multi(self) -> bool:
        return len(self.tiers) > 1


def _rule(*conditions: dict[str, Any], match: str = "all") -> dict[str, Any]:
    return {"match": match, "conditions": list(conditions)}


def _c(field_name: str, op: str, value: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {"field": field_name, "op": op}
    if value is not None:
        out["value"] = value
    return out


REPURCHASE_TIERS = (
    Tier(
        "first_purchase_not_repurchased",
        _rule(_c("purchase_days", "equals", 1)),
        "50% off trial coupon",
    ),
    Tier("repurchased_2_to_5", _rule(_c("repurchases", "between", [2, 5])), "buy one get one"),
    Tier("repurchased_more_than_5", _rule(_c("repurchases", "at_least", 6)), "10x points"),
)

_TEMPLATES: list[Template] = [
    Template(
        "repurchase_tiers",
        REPURCHASE_TIERS,
        "The published three tiers: first purchase not repurchased (50% off trial coupon), "
        "2-5 repurchases (buy one get one), more than 5 repurchases (10x points). Customers "
        "with exactly one repurchase fall in no tier.",
        "repurchase",
    ),
    Template(
        "rfm_segments",
        tuple(Tier(n, _rule(_c("rfm_segment", "in", [n]))) for n in RFM_SEGMENT_NAMES),
        "The eleven named RFM segments on the R x F grid.",
        "rfm",
    ),
    *[
        Template(f"rfm_{n}", (Tier(n, _rule(_c("rfm_segment", "in", [n]))),), f"RFM: {n}", "rfm")
        for n in RFM_SEGMENT_NAMES
    ],
    Template(
        "cloud_users_lapsed_30d",
        (
            Tier(
                "cloud_users_lapsed_30d",
                _rule(
                    _c("touchpoint", "has", "cloud_user"),
                    _rule(
                        _c("last_order", "more_than_days_ago", 29),
                        _c("last_order", "never"),
                        match="any",
                    ),
                ),
            ),
        ),
        "Cloud users who have not bought in the last 30 days (or never).",
        "reach",
    ),
    Template(
        "lapsed_90d",
        (Tier("lapsed_90d", _rule(_c("last_order", "more_than_days_ago", 90))),),
        "Bought before, but not in the last 90 days.",
        "reach",
    ),
    Template(
        "new_buyers_30d",
        (Tier("new_buyers_30d", _rule(_c("first_order", "within_last_days", 30))),),
        "First purchase in the last 30 days.",
        "reach",
    ),
    Template(
        "fans_never_bought",
        (
            Tier(
                "fans_never_bought",
                _rule(_c("touchpoint", "has", "fan"), _c("last_order", "never")),
            ),
        ),
        "Mini-program fans who never bought.",
        "reach",
    ),
    Template(
        "store_buyers_not_connected",
        (
            Tier(
                "store_buyers_not_connected",
                _rule(
                    _c("channels", "includes_any", ["store"]),
                    _c("touchpoint", "has_not", "cloud_user"),
                ),
            ),
        ),
        "Bought in a store but not reachable outside it yet: invite them to a touchpoint.",
        "reach",
    ),
    Template(
        "high_value_active",
        (
            Tier(
                "high_value_active",
                _rule(_c("m_score", "equals", 5), _c("last_order", "within_last_days", 90)),
            ),
        ),
        "The top fifth by GMV who bought in the last 90 days.",
        "value",
    ),
    Template(
        "omnichannel",
        (Tier("omnichannel", _rule(_c("channel_count", "at_least", 2))),),
        "Bought in two or more channels.",
        "value",
    ),
    # Predictive (docs/predictions.md): they need the merchant's predictions.
    Template(
        "high_value_at_risk",
        (
            Tier(
                "high_value_at_risk",
                _rule(_c("m_score", "at_least", 4), _c("churn_risk", "at_least", 0.5)),
            ),
        ),
        "The top two fifths by GMV whose churn risk is 50% or more.",
        "predicted",
    ),
    Template(
        "about_to_buy_again",
        (
            Tier(
                "about_to_buy_again",
                _rule(
                    _c("predicted_purchases_30d", "at_least", 0.5),
                    _c("churn_risk", "at_most", 0.2),
                ),
            ),
        ),
        "Expected to buy at least half a purchase in the next 30 days, churn risk 20% or less.",
        "predicted",
    ),
    Template(
        "new_and_promising",
        (
            Tier(
                "new_and_promising",
                _rule(
                    _c("first_order", "within_last_days", 90),
                    _c("predicted_purchases_90d", "at_least", 1),
                ),
            ),
        ),
        "First purchase in the last 90 days, expected to buy again at least once in 90 days.",
        "predicted",
    ),
]
TEMPLATES: dict[str, Template] = {tpl.name: tpl for tpl in _TEMPLATES}


def single(definition: Mapping[str, Any], name: str = "segment") -> tuple[Tier, ...]:
    """A definition as the one tier of a segment."""
    return (Tier(name, validate(definition)),)
