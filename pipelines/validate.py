"""Validate: the contract's rules as column operations over chunks of string values.

`validate_chunk` runs every check of every column of a contract file, and every rule
across columns, over a chunk of string values, each one vectorised over the chunk's
column, so every problem of every row is reported at once; each failure becomes a
rejection with the file's line, the column, the value and a reason.
Foreign keys are checks too: they look the referenced keys up in a `References`
snapshot taken inside the load's transaction. Rows that pass are typed by
`pipelines.parse`, with the same parsers the checks use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from models.contract import ENTITIES, Column, Entity
from pipelines.checking import Check, failing, seen
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
    parse_number,
    printable,
    within_length,
)

__all__ = [
    "KeyIndex",
    "References",
    "Check",
    "column_checks",
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


# --- the checks -------------------------------------------------------------------------

ALLOWED_FLAGS = "true/false, 1/0, yes/no, 是/否"


def _number_checks(entity: Entity, col: Column) -> list[Check]:
    """Money, counts and shares: the grammar (one reason per kind of mistake), then the
    ranges the contract and the schema set."""
    name = col.name
    money = col.kind == "money"
    share = col.kind == "share"
    parser: Callable[[pd.Series], pd.Series] = (
        seen.parse_money if money else seen.parse_share if share else seen.parse_number
    )

    def grammar(s: pd.Series) -> pd.Series:
        return is_money(s.str.rstrip("%")) if share else seen.is_money(s)

    checks = [
        Check(lambda s: ~is_non_finite(s), error="not a finite number (inf and nan are refused)"),
        Check(
            lambda s: ~(has_misused_comma(s) & ~is_non_finite(s)),
            error="ambiguous number: a comma is only a thousands separator, as in 1,234.50 "
            "(5,00 or 1.234,50 are refused; write 5.00 or 1234.50)",
        ),
        Check(
            lambda s: grammar(s) | is_non_finite(s) | has_misused_comma(s),
            error=f"not a number (expected {MONEY_GRAMMAR})" if money else "not a number",
        ),
        Check(lambda s: ~(parser(s) < 0), error=f"{name} must be ≥ 0"),
    ]
    if money:
        checks.append(
            Check(
                lambda s: ~(seen.parse_money(s) >= MONEY_MAX),
                error=f"{name} is too large (at most {MONEY_MAX - 1:,}.99)",
            )
        )
    if col.kind == "count":
        checks.append(
            Check(lambda s: ~(seen.parse_number(s) % 1 > 0), error=f"{name} must be a whole number")
        )
        checks.append(
            Check(
                lambda s: ~(seen.parse_number(s) > COUNT_MAX),
                error=f"{name} is too large (at most {COUNT_MAX:,})",
            )
        )
    if share:
        checks.append(
            Check(lambda s: ~(seen.parse_share(s) > 1), error=f"{name} must be between 0 and 1")
        )
    return checks


def _text_checks(entity: Entity, col: Column) -> list[Check]:
    """What the staging column can hold: its length, and no control characters (a NUL
    cannot be stored on PostgreSQL; ids and codes hold no tab or line break either)."""
    code = col.name.endswith("_id") or col.vocabulary is not None or col.kind != "text"
    checks = [
        Check(
            lambda s: free_of_controls(s, code=code),
            error="holds a control character (such as NUL); remove it",
        )
    ]
    limit = max_length(entity, col)
    if limit is not None:
        checks.append(
            Check(
                lambda s: within_length(s, limit),
                error=f"{col.name} is longer than {limit} characters",
            )
        )
    return checks


def checks_of(entity: Entity, col: Column, now: datetime) -> list[Check]:
    """The checks of one contract column, in the order their failures are reported."""
    name = col.name
    checks: list[Check] = []
    if col.required:
        checks.append(Check(lambda s: ~is_blank(s), error=f"{name} is required but blank"))
    checks.extend(_text_checks(entity, col))

    def valid(parser: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
        return lambda s: is_blank(s) | parser(s).notna()

    if col.kind == "date":
        checks.append(Check(valid(seen.parse_date), error="not a valid date (expected YYYY-MM-DD)"))
    elif col.kind == "timestamp":
        checks.append(
            Check(
                valid(seen.parse_timestamp),
                error="not a valid timestamp (expected YYYY-MM-DD HH:MM[:SS])",
            )
        )
    elif col.kind in ("money", "count", "share"):
        checks.extend(_number_checks(entity, col))
    elif col.kind == "flag":
        checks.append(
            Check(
                lambda s: is_blank(s) | parse_flag(s).notna(),
                error=f"not a yes/no value (allowed: {ALLOWED_FLAGS})",
            )
        )
    if col.vocabulary:
        allowed = col.vocabulary
        checks.append(
            Check(
                lambda s: is_blank(s) | normalise_vocabulary(s).isin(allowed),
                error=f"not an allowed {name}; allowed: {', '.join(allowed)}",
            )
        )
    if col.not_in_future:
        parser = seen.parse_date if col.kind == "date" else seen.parse_timestamp
        limit = pd.Timestamp(now)
        checks.append(
            Check(
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
                lambda f: ~(seen.parse_date(f["end_date"]) < seen.parse_date(f["start_date"])),
            )
        )
    if {"gmv", "refund"} <= cols:
        rules.append(
            RowRule(
                "refund",
                "refund is larger than gmv",
                lambda f: ~(seen.parse_money(f["refund"]) > seen.parse_money(f["gmv"]) + 1e-9),
            )
        )
    if {"visitors", "identified_visitors"} <= cols:
        rules.append(
            RowRule(
                "identified_visitors",
                "identified_visitors is larger than visitors",
                lambda f: (
                    ~(
                        seen.parse_number(f["identified_visitors"])
                        > seen.parse_number(f["visitors"])
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


def column_checks(entity: Entity, refs: References) -> dict[str, list[Check]]:
    """Each contract column's checks, in the order their failures are reported."""
    return {col.name: checks_of(entity, col, refs.now) for col in entity.columns}


REJECTION_COLUMNS = ["line", "column", "value", "reason"]


def _failures(entity: Entity, frame: pd.DataFrame, refs: References) -> pd.DataFrame:
    """Every failed check as (position, column, reason): the rules across columns first
    (each reported on its own column), then each column's checks in order."""
    size = len(frame)
    positions: list[np.ndarray] = []
    columns: list[str] = []
    reasons: list[str] = []
    for rule in _row_rules(entity, refs):
        if rule.column not in frame.columns:
            continue
        try:
            failed = failing(rule.holds(frame), size)
        except KeyError:  # the rule reads a column the file does not have: not checked
            continue
        if failed.size:
            positions.append(failed)
            columns.append(rule.column)
            reasons.append(rule.error)
    for name, checks in column_checks(entity, refs).items():
        if name not in frame.columns:
            continue
        values = frame[name]
        missing = values.isna().to_numpy(dtype=bool)  # a missing value passes every check
        for check in checks:
            failed = failing(check.holds(values), size)
            if missing.any():
                failed = failed[~missing[failed]]
            if failed.size:
                positions.append(failed)
                columns.append(name)
                reasons.append(check.error)
    counts = [len(p) for p in positions]
    return pd.DataFrame(
        {
            "position": np.concatenate(positions) if positions else np.empty(0, dtype=np.int64),
            "column": np.repeat(np.array(columns, dtype=object), counts),
            "reason": np.repeat(np.array(reasons, dtype=object), counts),
        }
    )


def validate_chunk(
    entity: Entity, frame: pd.DataFrame, refs: References
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check a chunk of string rows; return (rows that pass, rejections).

    `frame` holds the file's columns as strings plus the LINE column. Rejections have one
    row per failed rule: line, column, value, reason, ordered by line and column (on one
    line and column: the rules across columns first, then the column's checks in order).
    """
    present = [c for c in entity.column_names if c in frame.columns]
    seen.store = {}
    try:
        cases = _failures(entity, frame[present], refs)
    finally:
        seen.store = None
    if cases.empty:
        return frame, pd.DataFrame(columns=REJECTION_COLUMNS)
    position = cases["position"].to_numpy()
    lines = frame[LINE].to_numpy()[position]
    values = np.empty(len(cases), dtype=object)
    for name, where in cases.groupby("column", sort=False).indices.items():
        column = frame[str(name)].astype(object).to_numpy()
        values[where] = column[position[where]]
    rejected = pd.DataFrame(
        {
            "line": lines,
            "column": cases["column"].astype(str).to_numpy(),
            "value": pd.Series(values).fillna("").astype(str).map(printable).to_numpy(),
            "reason": cases["reason"].to_numpy(),
        }
    ).sort_values(["line", "column"], kind="stable")
    failed_rows = frame.index[np.unique(position)]
    return frame.drop(index=failed_rows), rejected.reset_index(drop=True)


def entity(name: str) -> Entity:
    return ENTITIES[name]
