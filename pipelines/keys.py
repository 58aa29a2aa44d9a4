"""Keys: one key spelled two ways is one key, and what a load does to each key it writes.

`key_text` normalises a file's key columns before they are compared (a date written
`2024-03-01`, `2024-03-01 00:00` or `2024-03-01T00:00:00` is one date). `KeyLookup`
tells, for typed rows about to be written, which keys are already in the table (so the
report counts new and replaced rows from what this load did, never from table sizes) and
which rows moved to another merchant (see docs/loading.md, "Keys and merchants"):
`apply_moves` retracts their old rows and moves their dependents.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Date, DateTime, Table, bindparam, delete, select, tuple_, update

from models.contract import Entity
from models.schema import CampaignAssignment, table_of
from pipelines.parse import parse_date

# Keys looked up per query: SQLite binds at most a few hundred values comfortably; on
# PostgreSQL one query per 20,000 keys, because inside the load's transaction the planner
# still has the table's statistics from before it (often "empty") and may scan the table
# once per query: 40x fewer queries is 40x fewer scans (PostgreSQL's limit is 65,535 binds).
LOOKUP_BATCH = {"postgresql": 20_000}
DEFAULT_LOOKUP_BATCH = 500

# Ids whose row can move to another merchant in a re-delivery: campaign_id is unique across
# merchants (the contract), so a campaign delivered under another merchant has moved; an
# order or event id is unique within its merchant, so the same id under another merchant
# is a move only when the row is the same (same time, and for orders the same amount).
MOVABLE = {
    "campaigns": ("campaign_id", ()),
    "orders": ("order_id", ("ordered_at", "gmv")),
    "touchpoint_events": ("event_id", ("occurred_at",)),
}


def key_text(entity: Entity, frame: pd.DataFrame) -> pd.DataFrame:
    """The key columns of string rows, normalised: dates as YYYY-MM-DD, blanks as ""."""
    columns = list(entity.key)
    keys = frame.reindex(columns=columns, fill_value="").astype("string").fillna("")
    for name in columns:
        if entity.column(name).kind == "date":
            parsed = parse_date(keys[name])
            day = parsed.dt.strftime("%Y-%m-%d").astype("string")
            keys[name] = day.where(parsed.notna(), keys[name])
    return keys


def _batches(connection: Connection, values: list[Any]) -> Iterator[list[Any]]:
    size = LOOKUP_BATCH.get(connection.dialect.name, DEFAULT_LOOKUP_BATCH)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class Written:
    """What writing a chunk's rows will do to the rows already in the table."""

    replaces: np.ndarray  # bool per row: it replaces a row (its own key, or a moved one)
    retract: list[tuple[str, str]] = field(default_factory=list)  # (old merchant, id) to delete
    moves: list[tuple[str, str, str]] = field(default_factory=list)  # (id, from, to)


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
        if self.empty or rows.empty:
            return Written(np.zeros(len(rows), dtype=bool))
        if self.entity.name not in MOVABLE:
            return Written(self._existing(rows))
        id_column, same = MOVABLE[self.entity.name]
        loaded = self._loaded(rows, id_column, same)
        replaces = np.zeros(len(rows), dtype=bool)
        written = Written(replaces)
        columns = ["merchant_id", id_column, *same]
        for n, row in enumerate(rows[columns].itertuples(index=False, name=None)):
            merchant, ident, content = row[0], row[1], tuple(row[2:])
            there = loaded.get(ident, {})
            if merchant in there:
                replaces[n] = True
                continue
            if not there:
                continue
            if id_column == "campaign_id":  # one row per id: the campaign changed merchant
                (old,) = there
                replaces[n] = True
                written.moves.append((ident, old, merchant))
                continue
            for old, old_content in there.items():
                if old_content == content:
                    replaces[n] = True
                    written.retract.append((old, ident))
                    written.moves.append((ident, old, merchant))
                    break
        return written

    def _loaded(
        self, rows: pd.DataFrame, id_column: str, same: tuple[str, ...]
    ) -> dict[str, dict[str, tuple[Any, ...]]]:
        """id -> {merchant it is loaded under: its content columns}, for the ids of rows."""
        column = self.table.c[id_column]
        picked = [self.table.c.merchant_id, column, *(self.table.c[c] for c in same)]
        loaded: dict[str, dict[str, tuple[Any, ...]]] = {}
        for batch in _batches(self.connection, list(pd.unique(rows[id_column]))):
            for row in self.connection.execute(select(*picked).where(column.in_(batch))):
                loaded.setdefault(row[1], {})[row[0]] = tuple(row[2:])
        return loaded

    def _existing(self, rows: pd.DataFrame) -> np.ndarray:
        columns = [self.table.c[name] for name in self.key]
        values = [_python(rows[name], self.table.c[name].type) for name in self.key]
        keys = list(zip(*values, strict=True))
        found: set[tuple[Any, ...]] = set()
        for batch in _batches(self.connection, keys):
            stmt = select(*columns).where(tuple_(*columns).in_(batch))
            found.update(tuple(row) for row in self.connection.execute(stmt))
        return np.array([k in found for k in keys], dtype=bool)


def _python(values: pd.Series, kind: Any) -> list[Any]:
    """A key column as the values the database hands back (dates as `date`, times as
    `datetime`), so keys read from the table compare and hash equal."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        if isinstance(kind, Date) and not isinstance(kind, DateTime):
            objects = values.dt.date
        else:
            objects = pd.Series(values.dt.to_pydatetime(), index=values.index, dtype=object)
        return objects.astype(object).where(values.notna(), None).tolist()
    return values.astype(object).where(values.notna(), None).tolist()


def apply_moves(connection: Connection, table: Table, entity: Entity, written: Written) -> None:
    """Retract the old rows of moved orders and events; move a moved campaign's
    assignments with it (they carry the campaign's merchant)."""
    if written.retract:
        id_column = MOVABLE[entity.name][0]
        stmt = delete(table).where(
            table.c.merchant_id == bindparam("old_merchant"),
            table.c[id_column] == bindparam("old_id"),
        )
        connection.execute(stmt, [{"old_merchant": m, "old_id": i} for m, i in written.retract])
    if entity.name == "campaigns" and written.moves:
        assignments = table_of(CampaignAssignment)
        move = (
            update(assignments)
            .where(assignments.c.campaign_id == bindparam("moved_id"))
            .values(merchant_id=bindparam("new_merchant"))
        )
        connection.execute(
            move, [{"moved_id": i, "new_merchant": new} for i, _old, new in written.moves]
        )


class KeyIndex:
    """Which keys a file has already shown, and on which line: for the rule that keys are
    unique within their file. Keys are 64-bit hashes kept in sorted runs that merge like a
    binary counter up to `MAX_RUN` keys a run, with their lines as 32-bit numbers: 12 bytes
    a key, and merging never copies more than one run's worth, so the 59M events of a
    scale-l delivery stay within about 700 MB (docs/benchmarks.md)."""

    MAX_RUN = 8_000_000

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    def _earlier(self, hashes: np.ndarray) -> np.ndarray:
        # Sorted needles: each run is then walked in order (about 7x faster than random
        # probes into a run of millions of keys).
        order = np.argsort(hashes, kind="stable")
        needles = hashes[order]
        found = np.zeros(len(hashes), dtype=np.int64)
        for keys, lines in self._runs:
            pos = np.searchsorted(keys, needles).clip(0, len(keys) - 1)
            hit = (keys[pos] == needles) & (found[order] == 0)
            found[order[hit]] = lines[pos[hit]]
        return found

    def _add(self, hashes: np.ndarray, lines: np.ndarray) -> None:
        order = np.argsort(hashes, kind="stable")
        kind = np.uint32 if len(lines) == 0 or lines.max() <= np.iinfo(np.uint32).max else np.int64
        run = (hashes[order], lines[order].astype(kind))
        while (
            self._runs
            and len(self._runs[-1][0]) <= len(run[0])
            and len(self._runs[-1][0]) + len(run[0]) <= self.MAX_RUN
        ):
            keys, old_lines = self._runs.pop()
            merged_keys = np.concatenate([keys, run[0]])
            merged_lines = np.concatenate([old_lines, run[1]])
            order = np.argsort(merged_keys, kind="stable")
            run = (merged_keys[order], merged_lines[order])
        self._runs.append(run)

    def duplicates(self, keys: pd.DataFrame, lines: pd.Series) -> pd.Series:
        """For each row, the line where its key appeared first (0 when it is new); records
        the new keys."""
        if keys.empty:
            return pd.Series(dtype="int64")
        # One text dtype for every chunk (a no-op for the loader's own string columns).
        text = keys.astype("string").fillna("")
        hashes = pd.util.hash_pandas_object(text, index=False).to_numpy()
        line_numbers = lines.to_numpy(dtype=np.int64)
        first = self._earlier(hashes)
        frame = pd.DataFrame({"h": hashes, "line": line_numbers})
        first_in_chunk = frame.groupby("h")["line"].transform("first").to_numpy()
        within = (first_in_chunk != line_numbers) & (first == 0)
        first[within] = first_in_chunk[within]
        new = first == 0
        self._add(hashes[new], line_numbers[new])
        return pd.Series(first, index=keys.index)
