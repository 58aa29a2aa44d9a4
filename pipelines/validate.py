"""Validate: the contract's rules as pandera schemas over chunks of string values.

`validate_chunk` runs one pandera schema per contract file over a chunk of string
values, lazily, so every problem of every row is reported at once; each failure
becomes a rejection with the file's line, the column, the value and a reason.
Foreign keys are checks too: they look the referenced keys up in a `References`
snapshot taken inside the load's transaction. Rows that pass are typed by
`pipelines.parse`, with the same parsers the checks use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import pandera.pandas as pa

from models.contract import ENTITIES, Column, Entity
from pipelines.extract import LINE
from pipelines.keys import KeyIndex
from pipelines.parse import (
    is_blank,
    normalise_vocabulary,
    parse_date,
    parse_flag,
    parse_share,
    parse_timestamp,
    typed,
    typed_columns,
)
from pipelines.values import (
    COUNT_MAX,
    MONEY_GRAMMAR,
    MONEY_MAX,
    free_of_controls,
    has_misused_comma,
    is_money,
    is_non_finite,
    max_length,
    parse_money,
    parse_number,
    printable,
    within_length,
)

__all__ = [
    "KeyIndex",
    "References",
    "build_schema",
    "parse_date",
    "parse_flag",
    "parse_number",
    "parse_share",
    "parse_timestamp",
    "typed",
    "typed_columns",
    "validate_chunk",
]

# --- what a chunk is checked against ----------------------------------------------------


@dataclass
class References:
    """Keys that exist (loaded before, or earlier in this delivery) for foreign-key checks.

    `delivered` names the entities that have ever been delivered: a reference to an
    entity nobody has delivered yet is not checked (the contract's "where that entity
    has ever been delivered").
    """

    merchants: set[str] = field(default_factory=set)
    cohorts: set[str] = field(default_factory=set)
    stores: set[tuple[str, str]] = field(default_factory=set)
    guides: set[tuple[str, str]] = field(default_factory=set)
    campaigns: dict[str, str] = field(default_factory=dict)  # campaign_id -> merchant_id
    delivered: set[str] = field(default_factory=set)
    now: datetime = field(default_factory=datetime.now)
    only_merchant_id: str | None = None  # a merchant's own upload: rows of others rejected


# --- the schemas ------------------------------------------------------------------------

ALLOWED_FLAGS = "true/false, 1/0, yes/no, 是/否"


class _Parsed(threading.local):
    """The parsed values of the chunk being validated, per parser and column: the checks
    of one column (and the rules across columns) parse it once, not once per check. Only
    filled inside `validate_chunk`, for series that carry their column's name."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], tuple[pd.Series, pd.Series]] | None = None

    def _get(self, parser: Callable[[pd.Series], pd.Series], values: pd.Series) -> pd.Series:
        if self.store is None or not isinstance(values.name, str):
            return parser(values)
        key = (parser.__name__, values.name)
        hit = self.store.get(key)
        if (
            hit is not None
            and hit[0] is values
            or (
                hit is not None and len(hit[0]) == len(values) and hit[0].index.equals(values.index)
            )
        ):
            return hit[1]
        result = parser(values)
        self.store[key] = (values, result)
        return result

    def parse_money(self, values: pd.Series) -> pd.Series:
        return self._get(parse_money, values)

    def parse_number(self, values: pd.Series) -> pd.Series:
        return self._get(parse_number, values)

    def parse_share(self, values: pd.Series) -> pd.Series:
        return self._get(parse_share, values)

    def parse_date(self, values: pd.Series) -> pd.Series:
        return self._get(parse_date, values)

    def parse_timestamp(self, values: pd.Series) -> pd.Series:
        return self._get(parse_timestamp, values)

    def is_money(self, values: pd.Series) -> pd.Series:
        return self._get(is_money, values)


_seen = _Parsed()


def _number_checks(entity: Entity, col: Column) -> list[pa.Check]:
    """Money, counts and shares: the grammar (one reason per kind of mistake), then the
    ranges the contract and the schema set."""
    name = col.name
    money = col.kind == "money"
    share = col.kind == "share"
    parser: Callable[[pd.Series], pd.Series] = (
        _seen.parse_money if money else _seen.parse_share if share else _seen.parse_number
    )

    def grammar(s: pd.Series) -> pd.Series:
        return is_money(s.str.rstrip("%")) if share else _seen.is_money(s)

    checks = [
        pa.Check(
            lambda s: ~is_non_finite(s), error="not a finite number (inf and nan are refused)"
        ),
        pa.Check(
            lambda s: ~(has_misused_comma(s) & ~is_non_finite(s)),
            error="ambiguous number: a comma is only a thousands separator, as in 1,234.50 "
            "(5,00 or 1.234,50 are refused; write 5.00 or 1234.50)",
        ),
        pa.Check(
            lambda s: grammar(s) | is_non_finite(s) | has_misused_comma(s),
            error=f"not a number (expected {MONEY_GRAMMAR})" if money else "not a number",
        ),
        pa.Check(lambda s: ~(parser(s) < 0), error=f"{name} must be ≥ 0"),
    ]
    if money:
        checks.append(
            pa.Check(
                lambda s: ~(_seen.parse_money(s) >= MONEY_MAX),
                error=f"{name} is too large (at most {MONEY_MAX - 1:,}.99)",
            )
        )
    if col.kind == "count":
        checks.append(
            pa.Check(
                lambda s: ~(_seen.parse_number(s) % 1 > 0), error=f"{name} must be a whole number"
            )
        )
        checks.append(
            pa.Check(
                lambda s: ~(_seen.parse_number(s) > COUNT_MAX),
                error=f"{name} is too large (at most {COUNT_MAX:,})",
            )
        )
    if share:
        checks.append(
            pa.Check(lambda s: ~(_seen.parse_share(s) > 1), error=f"{name} must be between 0 and 1")
        )
    return checks


def _text_checks(entity: Entity, col: Column) -> list[pa.Check]:
    """What the staging column can hold: its length, and no control characters (a NUL
    cannot be stored on PostgreSQL; ids and codes hold no tab or line break either)."""
    code = col.name.endswith("_id") or col.vocabulary is not None or col.kind != "text"
    checks = [
        pa.Check(
            lambda s: free_of_controls(s, code=code),
            error="holds a control character (such as NUL); remove it",
        )
    ]
    limit = max_length(entity, col)
    if limit is not None:
        checks.append(
            pa.Check(
                lambda s: within_length(s, limit),
                error=f"{col.name} is longer than {limit} characters",
            )
        )
    return checks


def _column_checks(entity: Entity, col: Column, refs: References) -> list[pa.Check]:
    name = col.name
    checks: list[pa.Check] = []
    if col.required:
        checks.append(pa.Check(lambda s: ~is_blank(s), error=f"{name} is required but blank"))
    checks.extend(_text_checks(entity, col))

    def valid(parser: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
        return lambda s: is_blank(s) | parser(s).notna()

    if col.kind == "date":
        checks.append(
            pa.Check(valid(_seen.parse_date), error="not a valid date (expected YYYY-MM-DD)")
        )
    elif col.kind == "timestamp":
        checks.append(
            pa.Check(
                valid(_seen.parse_timestamp),
                error="not a valid timestamp (expected YYYY-MM-DD HH:MM[:SS])",
            )
        )
    elif col.kind in ("money", "count", "share"):
        checks.extend(_number_checks(entity, col))
    elif col.kind == "flag":
        checks.append(
            pa.Check(
                lambda s: is_blank(s) | parse_flag(s).notna(),
                error=f"not a yes/no value (allowed: {ALLOWED_FLAGS})",
            )
        )
    if col.vocabulary:
        allowed = col.vocabulary
        checks.append(
            pa.Check(
                lambda s: is_blank(s) | normalise_vocabulary(s).isin(allowed),
                error=f"not an allowed {name}; allowed: {', '.join(allowed)}",
            )
        )
    if col.not_in_future:
        parser = _seen.parse_date if col.kind == "date" else _seen.parse_timestamp
        limit = pd.Timestamp(refs.now)
        checks.append(
            pa.Check(
                lambda s: ~(parser(s) > limit),  # noqa: B023
                error=f"{name} is in the future (after {limit:%Y-%m-%d %H:%M})",
            )
        )
    return checks


@dataclass(frozen=True)
class RowRule:
    """A rule across columns (or against loaded keys); failures are reported on `column`."""

    column: str
    error: str
    holds: Callable[[pd.DataFrame], pd.Series]


def _pairs(frame: pd.DataFrame, a: str, b: str) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([frame[a].astype("string"), frame[b].astype("string")])


def _known_values(column: str, known: set[str]) -> Callable[[pd.DataFrame], pd.Series]:
    def holds(frame: pd.DataFrame) -> pd.Series:
        return is_blank(frame[column]) | frame[column].isin(known)

    return holds


def _known_pairs(column: str, known: set[tuple[str, str]]) -> Callable[[pd.DataFrame], pd.Series]:
    """The (merchant_id, column) pair is a known key: stores and guides are per merchant."""

    def holds(frame: pd.DataFrame) -> pd.Series:
        pairs = _pairs(frame, "merchant_id", column).isin(known)
        return is_blank(frame[column]) | pd.Series(pairs, index=frame.index)

    return holds


def _row_rules(entity: Entity, refs: References) -> list[RowRule]:
    cols = set(entity.column_names)
    rules: list[RowRule] = []
    if "merchant_id" in cols and entity.name != "merchants":
        rules.append(
            RowRule(
                "merchant_id",
                "merchant does not exist (not in this delivery's merchants nor loaded before)",
                lambda f: is_blank(f["merchant_id"]) | f["merchant_id"].isin(refs.merchants),
            )
        )
    rules.extend(_own_rows(entity, refs))
    if {"start_date", "end_date"} <= cols:
        rules.append(
            RowRule(
                "end_date",
                "end_date is before start_date",
                lambda f: ~(_seen.parse_date(f["end_date"]) < _seen.parse_date(f["start_date"])),
            )
        )
    if {"gmv", "refund"} <= cols:
        rules.append(
            RowRule(
                "refund",
                "refund is larger than gmv",
                lambda f: ~(_seen.parse_money(f["refund"]) > _seen.parse_money(f["gmv"]) + 1e-9),
            )
        )
    if {"visitors", "identified_visitors"} <= cols:
        rules.append(
            RowRule(
                "identified_visitors",
                "identified_visitors is larger than visitors",
                lambda f: (
                    ~(
                        _seen.parse_number(f["identified_visitors"])
                        > _seen.parse_number(f["visitors"])
                    )
                ),
            )
        )
    for column, target in entity.references:
        if target not in refs.delivered:
            continue
        if target == "cohorts":
            rules.append(
                RowRule(
                    column,
                    "cohort does not exist (not in this delivery's cohorts nor loaded before)",
                    _known_values(column, refs.cohorts),
                )
            )
        elif target in ("stores", "guides"):
            known = refs.stores if target == "stores" else refs.guides
            rules.append(
                RowRule(
                    column,
                    f"{target[:-1]} does not exist for this merchant "
                    f"(not in this delivery's {target} nor loaded before)",
                    _known_pairs(column, known),
                )
            )
        elif target == "campaigns" and entity.name == "orders":
            rules.append(
                RowRule(
                    column,
                    "campaign does not exist for this merchant "
                    "(not in this delivery's campaigns nor loaded before)",
                    lambda f: (
                        is_blank(f["campaign_id"])
                        | (f["campaign_id"].map(refs.campaigns) == f["merchant_id"]).fillna(False)
                    ),
                )
            )
    if entity.name == "campaign_assignments":
        rules.append(
            RowRule(
                "campaign_id",
                "campaign does not exist (deliver campaigns before or with its assignments)",
                lambda f: is_blank(f["campaign_id"]) | f["campaign_id"].isin(refs.campaigns),
            )
        )
    return rules


def _own_rows(entity: Entity, refs: References) -> list[RowRule]:
    """A merchant's own upload: every row must be that merchant's (by its merchant_id, or
    for an assignment by its campaign's merchant)."""
    own = refs.only_merchant_id
    if own is None:
        return []
    reason = f"row is for another merchant; only merchant {own}'s own rows are loaded here"
    if "merchant_id" in entity.column_names:
        return [RowRule("merchant_id", reason, lambda f: f["merchant_id"].str.strip() == own)]
    if entity.name == "campaign_assignments":
        return [
            RowRule(
                "campaign_id",
                reason,
                lambda f: (f["campaign_id"].map(refs.campaigns) == own).fillna(False),
            )
        ]
    return [RowRule(entity.key[0], f"only merchant {own}'s own data is loaded here", _never)]


def _never(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(False, index=frame.index)


def build_schema(entity: Entity, refs: References) -> tuple[pa.DataFrameSchema, dict[str, str]]:
    """The pandera schema of one contract file, and which column each row rule reports on."""
    columns = {
        col.name: pa.Column(checks=_column_checks(entity, col, refs), nullable=True, required=False)
        for col in entity.columns
    }
    rules = _row_rules(entity, refs)
    wide = [pa.Check(rule.holds, error=rule.error) for rule in rules]
    return pa.DataFrameSchema(columns, checks=wide), {r.error: r.column for r in rules}


REJECTION_COLUMNS = ["line", "column", "value", "reason"]


def _failures(
    schema: pa.DataFrameSchema, frame: pd.DataFrame, wide: dict[str, str]
) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return pd.DataFrame(columns=["index", "column", "value", "reason"])
    cases = cases.rename(columns={"failure_case": "value", "check": "reason"})
    cases["reason"] = cases["reason"].astype(str)
    # A rule across columns is reported once per row, on the column it is about.
    is_wide = cases["reason"].isin(wide.keys())
    cases = cases[~is_wide | (cases["column"] == cases["reason"].map(wide))]
    cases = cases[cases["index"].notna()]
    return cases[["index", "column", "value", "reason"]]


def validate_chunk(
    entity: Entity, frame: pd.DataFrame, refs: References
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check a chunk of string rows; return (rows that pass, rejections).

    `frame` holds the file's columns as strings plus the LINE column. Rejections have one
    row per failed rule: line, column, value, reason.
    """
    schema, wide = build_schema(entity, refs)
    present = [c for c in entity.column_names if c in frame.columns]
    _seen.store = {}
    try:
        cases = _failures(schema, frame[present], wide)
    finally:
        _seen.store = None
    if cases.empty:
        return frame, pd.DataFrame(columns=REJECTION_COLUMNS)
    index = cases["index"].astype(frame.index.dtype)
    rejected = pd.DataFrame(
        {
            "line": frame.loc[index, LINE].to_numpy(),
            "column": cases["column"].astype(str).to_numpy(),
            "value": cases["value"].fillna("").astype(str).map(printable).to_numpy(),
            "reason": cases["reason"].to_numpy(),
        }
    ).sort_values(["line", "column"], kind="stable")
    return frame.drop(index=index.unique()), rejected.reset_index(drop=True)


def entity(name: str) -> Entity:
    return ENTITIES[name]
