"""The input data contract (../shared/DATA_CONTRACT.md) as data.

One `Entity` per contract file: its columns, which are required, their kinds, the
vocabulary a column must come from, and the key that makes a row unique. The
validator, the loader, the templates on the data page and the docs all read this
one description, so a contract change is made here once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "date", "timestamp", "money", "count", "share", "flag"]

INDUSTRIES = (
    "apparel",
    "grocery",
    "beauty",
    "mother_baby",
    "food_beverage",
    "department_store",
    "home",
    "other",
)
CHANNELS = (
    "store",
    "mini_program",
    "wecom_guide",
    "community",
    "scan_to_buy",
    "livestream",
    "other_online",
)
PRIVATE_DOMAIN_CHANNELS = tuple(c for c in CHANNELS if c not in ("store", "other_online"))
TOUCHPOINTS = ("mini_program", "wecom_guide", "community", "official_account")
ACTIONS = (
    "follow",
    "unfollow",
    "visit",
    "add_contact",
    "remove_contact",
    "join_group",
    "leave_group",
    "message",
    "post",
)
GUIDE_ROLES = ("acquisition", "content", "coaching", "manager", "sales")
SESSION_TYPES = ("class", "one_on_one", "workshop")
ASSIGNMENT_GROUPS = ("treatment", "holdout")

TRUE_WORDS = ("true", "1", "yes", "y", "t", "是")
FALSE_WORDS = ("false", "0", "no", "n", "f", "否")


@dataclass(frozen=True)
class Column:
    """One column of a contract file."""

    name: str
    kind: Kind = "text"
    required: bool = False
    vocabulary: tuple[str, ...] | None = None
    not_in_future: bool = False
    description: str = ""


@dataclass(frozen=True)
class Entity:
    """One contract file and the staging table it loads into."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str
    references: tuple[tuple[str, str], ...] = ()  # (column, entity) foreign keys checked on load

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name: str, kind: Kind = "text", **kw: object) -> Column:
    return Column(name, kind, **kw)  # type: ignore[arg-type]


ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "cohorts",
            (
                _c("cohort_id", required=True),
                _c("name", required=True),
                _c("start_date", "date", required=True),
                _c("end_date", "date", required=True),
                _c("programme"),
            ),
            key=("cohort_id",),
            description="One programme intake: 15–20 merchants, about two months.",
        ),
        Entity(
            "merchants",
            (
                _c("merchant_id", required=True),
                _c("name", required=True),
                _c("industry", required=True, vocabulary=INDUSTRIES),
                _c("region"),
                _c("store_count", "count"),
                _c("cohort_id"),
                _c("joined_on", "date"),
            ),
            key=("merchant_id",),
            description="Blank cohort_id means not in the programme (a control).",
            references=(("cohort_id", "cohorts"),),
        ),
        Entity(
            "stores",
            (
                _c("store_id", required=True),
                _c("merchant_id", required=True),
                _c("name"),
                _c("city"),
                _c("opened_on", "date", not_in_future=True),
            ),
            key=("merchant_id", "store_id"),
            description="Physical stores of a merchant.",
        ),
        Entity(
            "guides",
            (
                _c("guide_id", required=True),
                _c("merchant_id", required=True),
                _c("store_id"),
                _c("role", vocabulary=GUIDE_ROLES),
                _c("joined_on", "date"),
                _c("left_on", "date"),
            ),
            key=("merchant_id", "guide_id"),
            description="Shopping guides and programme roles (the 3+1 roles).",
            references=(("store_id", "stores"),),
        ),
        Entity(
            "customers",
            (
                _c("customer_id", required=True),
                _c("merchant_id", required=True),
                _c("first_seen_on", "date", not_in_future=True),
                _c("unified_id"),
                _c("member_level"),
            ),
            key=("merchant_id", "customer_id"),
            description="customer_id is unique within a merchant.",
        ),
        Entity(
            "orders",
            (
                _c("order_id", required=True),
                _c("merchant_id", required=True),
                _c("ordered_at", "timestamp", required=True, not_in_future=True),
                _c("channel", required=True, vocabulary=CHANNELS),
                _c("gmv", "money", required=True),
                _c("store_id"),
                _c("customer_id"),
                _c("guide_id"),
                _c("campaign_id"),
                _c("refund", "money"),
            ),
            key=("merchant_id", "order_id"),
            description="Blank customer_id means an anonymous walk-in.",
            references=(
                ("store_id", "stores"),
                ("guide_id", "guides"),
                ("campaign_id", "campaigns"),
            ),
        ),
        Entity(
            "touchpoint_events",
            (
                _c("event_id", required=True),
                _c("merchant_id", required=True),
                _c("customer_id", required=True),
                _c("touchpoint", required=True, vocabulary=TOUCHPOINTS),
                _c("action", required=True, vocabulary=ACTIONS),
                _c("occurred_at", "timestamp", required=True, not_in_future=True),
                _c("guide_id"),
                _c("group_id"),
            ),
            key=("merchant_id", "event_id"),
            description="Joins, leaves, visits and messages on the private-domain touchpoints.",
            references=(("guide_id", "guides"),),
        ),
        Entity(
            "store_traffic",
            (
                _c("merchant_id", required=True),
                _c("date", "date", required=True, not_in_future=True),
                _c("visitors", "count", required=True),
                _c("store_id"),
                _c("identified_visitors", "count"),
            ),
            key=("merchant_id", "store_id", "date"),
            description="Foot traffic per store (or per merchant when store_id is blank).",
            references=(("store_id", "stores"),),
        ),
        Entity(
            "campaigns",
            (
                _c("campaign_id", required=True),
                _c("merchant_id", required=True),
                _c("name", required=True),
                _c("start_date", "date", required=True),
                _c("cost", "money", required=True),
                _c("end_date", "date"),
                _c("channel", vocabulary=CHANNELS),
                _c("segment_id"),
                _c("offer"),
                _c("holdout_share", "share"),
            ),
            key=("campaign_id",),
            description="campaign_id is unique across merchants: assignments name no merchant.",
        ),
        Entity(
            "campaign_assignments",
            (
                _c("campaign_id", required=True),
                _c("customer_id", required=True),
                _c("group", required=True, vocabulary=ASSIGNMENT_GROUPS),
            ),
            key=("campaign_id", "customer_id"),
            description="Treatment or holdout, per campaign and customer.",
            references=(("campaign_id", "campaigns"),),
        ),
        Entity(
            "attendance",
            (
                _c("cohort_id", required=True),
                _c("merchant_id", required=True),
                _c("session_id", required=True),
                _c("session_date", "date", required=True),
                _c("attended", "flag", required=True),
                _c("session_type", vocabulary=SESSION_TYPES),
                _c("topic"),
            ),
            key=("cohort_id", "merchant_id", "session_id"),
            description="Who attended which class, workshop or one-to-one session.",
            references=(("cohort_id", "cohorts"),),
        ),
    )
}

REQUIRED_FILES = ("merchants", "orders")

# The order in which a delivery's files load, so that what a row refers to is in first.
LOAD_ORDER = (
    "cohorts",
    "merchants",
    "stores",
    "guides",
    "customers",
    "campaigns",
    "orders",
    "touchpoint_events",
    "store_traffic",
    "campaign_assignments",
    "attendance",
)
assert set(LOAD_ORDER) == set(ENTITIES)


def template_csv(entity: str) -> bytes:
    """A header-only CSV (UTF-8 with BOM, so Excel opens it as UTF-8) for one contract file."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(ENTITIES[entity].column_names)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
