"""Keys: one key spelled two ways is one key, and what a load does to each key it writes.

`key_text` normalises a file's key columns before they are compared (a date written
`2024-03-01`, `2024-03-01 00:00` or `2024-03-01T00:00:00` is one date). `KeyLookup`
tells, for typed rows about to be written, which keys are already in the table (so the
report counts new and replaced rows from what this load did, never from table sizes) and
which ids were loaded before under another merchant (refused: see docs/loading.md, "Keys
and merchants").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, select, tuple_

from models.contract import Entity
from pipelines.extract import LINE
from pipelines.validate import parse_date

LOOKUP_BATCH = 500

# Ids that name one row of one merchant; the same id under another merchant is a move.
MERCHANT_IDS = {"orders": "order_id", "touchpoint_events": "event_id", "campaigns": "campaign_id"}


def key_text(entity: Entity, frame: pd.DataFrame) -> pd.DataFrame:
    """The key columns of string rows, normalised: dates as YYYY-MM-DD, blanks as ""."""
    columns = list(entity.key)
    keys = frame.reindex(columns=columns).fillna("").astype(str)
    for name in columns:
        if entity.column(name).kind == "date":
            parsed = parse_date(keys[name])
            keys[name] = parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), keys[name])
    return keys


def _batches(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), LOOKUP_BATCH):
        yield values[start : start + LOOKUP_BATCH]


@dataclass
class Written:
    """Which of the rows about to be written replace a row, and which are refused."""

    replaces: np.ndarray  # bool per row: its key is in the table already
    refused: np.ndarray  # bool per row: its id belongs to another merchant
    moved: pd.DataFrame  # the refused rows' rejections: line, column, value, reason


class KeyLookup:
    """Looks a file's keys up in its staging table, inside the load's transaction. When
    the table was empty as the file began, every row is new and nothing is queried."""

    def __init__(self, connection: Connection, table: Table, entity: Entity) -> None:
        self.connection = connection
        self.table = table
        self.entity = entity
        self.key = [c.name for c in table.primary_key.columns]
        self.empty = connection.execute(select(1).select_from(table).limit(1)).first() is None

    def check(self, rows: pd.DataFrame) -> Written:
        none = pd.DataFrame(columns=["line", "column", "value", "reason"])
        if self.empty or rows.empty:
            return Written(np.zeros(len(rows), dtype=bool), np.zeros(len(rows), dtype=bool), none)
        id_column = MERCHANT_IDS.get(self.entity.name)
        if id_column is None:
            return Written(self._existing(rows), np.zeros(len(rows), dtype=bool), none)
        owners = self._owners(rows, id_column)
        merchants = rows["merchant_id"].to_numpy()
        ids = rows[id_column].to_numpy()
        replaces = np.array(
            [m in owners.get(i, ()) for m, i in zip(merchants, ids, strict=True)], dtype=bool
        )
        moved = np.array(
            [not r and bool(owners.get(i)) for r, i in zip(replaces, ids, strict=True)],
            dtype=bool,
        )
        if not moved.any():
            return Written(replaces, moved, none)
        thing = id_column.removesuffix("_id")
        reasons = [
            f"{id_column} {i} was loaded before for merchant {', '.join(sorted(owners[i]))}; "
            f"a {thing} does not move to merchant {m}: refused rather than counted twice "
            f"(a different {thing} of {m} needs an id of its own)"
            for i, m in zip(ids[moved], merchants[moved], strict=True)
        ]
        rejected = pd.DataFrame(
            {
                "line": rows[LINE].to_numpy()[moved],
                "column": id_column,
                "value": ids[moved],
                "reason": reasons,
            }
        )
        return Written(replaces, moved, rejected)

    def _owners(self, rows: pd.DataFrame, id_column: str) -> dict[str, set[str]]:
        """id -> the merchants it is loaded under, for the ids of `rows`."""
        column = self.table.c[id_column]
        owners: dict[str, set[str]] = {}
        for batch in _batches(list(pd.unique(rows[id_column]))):
            stmt = select(self.table.c.merchant_id, column).where(column.in_(batch))
            for merchant, ident in self.connection.execute(stmt):
                owners.setdefault(ident, set()).add(merchant)
        return owners

    def _existing(self, rows: pd.DataFrame) -> np.ndarray:
        columns = [self.table.c[name] for name in self.key]
        keys = list(rows[self.key].itertuples(index=False, name=None))
        found: set[tuple[Any, ...]] = set()
        for batch in _batches(keys):
            stmt = select(*columns).where(tuple_(*columns).in_(batch))
            found.update(tuple(row) for row in self.connection.execute(stmt))
        return np.array([k in found for k in keys], dtype=bool)
