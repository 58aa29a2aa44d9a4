"""Load one contract file into its staging table, inside the delivery's transaction.

The file is read in chunks of strings (`pipelines.extract`), checked against the contract
(`pipelines.validate`), its keys made unique within the file (`pipelines.keys`), typed
column-wise (`pipelines.parse`) and upserted by the engine's bulk path (`pipelines.bulk`).
Every rejected row is kept with file, physical line, column, value and reason. A file
found damaged part way rolls back to its savepoint and is rejected as a whole, naming the
line where the damage starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, select

from models.contract import ENTITIES, Entity
from models.schema import STAGING, Campaign, Cohort, Guide, Merchant, Store, table_of
from pipelines.bookkeeping import FileReport
from pipelines.bulk import add_customers_seen, create_indexes, drop_secondary_indexes, upsert
from pipelines.extract import LINE, FileProblem, SourceFile, data_lines, read_chunks
from pipelines.keys import KeyIndex, KeyLookup, apply_moves, key_text
from pipelines.parse import typed_columns
from pipelines.validate import References, validate_chunk

REJECTION_COLUMNS = ["line", "column", "value", "reason"]


@dataclass
class Run:
    """What one load collects as it goes."""

    batch_id: int
    files: list[FileReport] = field(default_factory=list)
    rejections: list[pd.DataFrame] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)  # merchants whose marts must be rebuilt
    moved_from: set[str] = field(default_factory=set)  # lost a row to another merchant
    refs: tuple[References, int] | None = None  # the last snapshot, and len(files) then

    def reject(self, file_name: str, frame: pd.DataFrame) -> None:
        if not frame.empty:
            self.rejections.append(frame.assign(file_name=file_name))

    def forget(self, file_name: str) -> None:
        """Drop a file's row rejections (the file is rejected as a whole instead)."""

        def ours(name: str) -> bool:
            return name == file_name or name.startswith(f"{file_name}[")

        self.rejections = [f for f in self.rejections if not ours(str(f["file_name"].iloc[0]))]

    def rejected(self) -> pd.DataFrame:
        columns = ["file_name", "line", "column", "value", "reason"]
        if not self.rejections:
            return pd.DataFrame(columns=columns)
        return pd.concat(self.rejections, ignore_index=True)[columns]


def has_rows(connection: Connection, table: Table) -> bool:
    return connection.execute(select(1).select_from(table).limit(1)).first() is not None


REFERRED_TO = frozenset({"merchants", "cohorts", "stores", "guides", "campaigns"})


def references(
    connection: Connection, delivered_now: Iterable[str], now: datetime, run: Run | None = None
) -> References:
    """A snapshot of the keys rows may refer to, inside the load's transaction. With the
    load's `run`, the snapshot taken before its last files is kept (at the time `now`)
    when none of them is a table a snapshot holds: reading the stores and guides again
    before every file cost more than checking some of the files."""
    if run is not None and run.refs is not None:
        since, seen = run.refs
        if not any(f.entity in REFERRED_TO for f in run.files[seen:]):
            run.refs = (replace(since, now=now), len(run.files))
            return run.refs[0]
    refs = _snapshot(connection, delivered_now, now)
    if run is not None:
        run.refs = (refs, len(run.files))
    return refs


def _snapshot(connection: Connection, delivered_now: Iterable[str], now: datetime) -> References:
    # Core columns (table_of), not the ORM's attributes: those would configure every
    # mapper on a load's first query (0.35 CPU s of a fresh process's re-delivery).
    merchant, cohort, store, guide, campaign = (
        table_of(m).c for m in (Merchant, Cohort, Store, Guide, Campaign)
    )
    refs = References(now=now)
    refs.merchants = set(connection.execute(select(merchant.merchant_id)).scalars())
    refs.cohorts = set(connection.execute(select(cohort.cohort_id)).scalars())
    # Plain tuples, not SQLAlchemy's Row objects (pandas' MultiIndex.isin takes a slow
    # path for those: 1.4 s instead of 0.3 s for a 200-row file at scale m).
    stores = connection.execute(select(store.merchant_id, store.store_id))
    refs.stores = {(m, s) for m, s in stores}
    guides = connection.execute(select(guide.merchant_id, guide.guide_id))
    refs.guides = {(m, g) for m, g in guides}
    campaigns = select(campaign.campaign_id, campaign.merchant_id)
    refs.campaigns = {row.campaign_id: row.merchant_id for row in connection.execute(campaigns)}
    refs.delivered = set(delivered_now)
    for name in ("cohorts", "stores", "guides", "campaigns"):
        if has_rows(connection, table_of(STAGING[name])):
            refs.delivered.add(name)
    return refs


# --- one file ---------------------------------------------------------------------------


def _derive(entity: Entity, rows: pd.DataFrame, refs: References, batch_id: int) -> pd.DataFrame:
    """Columns the staging table has beyond the contract's, computed column-wise."""
    rows = rows.assign(batch_id=batch_id)
    if entity.name == "orders":
        rows["ordered_on"] = rows["ordered_at"].dt.normalize()
        rows["refund"] = rows["refund"].fillna(0.0)
    elif entity.name == "touchpoint_events":
        rows["occurred_on"] = rows["occurred_at"].dt.normalize()
    elif entity.name == "store_traffic":
        rows["store_id"] = rows["store_id"].where(rows["store_id"].notna(), "")
    elif entity.name == "campaign_assignments":
        rows["merchant_id"] = rows["campaign_id"].map(refs.campaigns)
    elif entity.name == "customers":
        rows["source"] = "file"
    return rows


def _header_problems(entity: Entity, header: list[str], report: FileReport) -> pd.DataFrame:
    report.unknown_columns = [h for h in header if h not in entity.column_names]
    missing = [c for c in entity.required if c not in header]
    return pd.DataFrame(
        {
            "line": 1,
            "column": missing,
            "value": "",
            "reason": "required column is missing from the header; no row of this file loads",
        }
    )


def load_file(
    connection: Connection,
    source: SourceFile,
    run: Run,
    refs: References,
    progress: Callable[[str], None],
) -> FileReport:
    """Load one contract file inside a savepoint: a file found damaged part way (an
    unclosed quote, a bad byte) is rolled back and rejected as a whole, naming the line
    where the damage starts, while the delivery's other files load."""
    report = FileReport(
        source.name, source.entity, sha256=source.sha256, size_bytes=source.size_bytes
    )
    savepoint = connection.begin_nested()
    try:
        _read_file(connection, source, run, refs, progress, report)
    except FileProblem as problem:
        savepoint.rollback()
        run.forget(source.name)
        lines = data_lines(source)
        run.reject(
            source.name,
            pd.DataFrame(
                [
                    {
                        "line": problem.line,
                        "column": "",
                        "value": "",
                        "reason": f"{problem}; no row of this file loads",
                    }
                ]
            ),
        )
        report.encoding = source.encoding
        report.rows_read = report.rows_rejected = lines
        report.rows_new = report.rows_replaced = 0
        report.note = "; ".join([str(problem), *source.notes])
        report.unreadable = True
        return report
    savepoint.commit()
    return report


def _read_file(
    connection: Connection,
    source: SourceFile,
    run: Run,
    refs: References,
    progress: Callable[[str], None],
    report: FileReport,
) -> None:
    entity = ENTITIES[source.entity or ""]
    table: Table = table_of(STAGING[entity.name])
    lookup = KeyLookup(connection, table, entity)
    # A first load into an empty table builds its secondary indexes once, after the rows
    # (re-created before anything else reads the table; a file rolled back to its
    # savepoint gets them back with the rollback).
    indexes = drop_secondary_indexes(connection, table) if lookup.empty else []
    moves = _read_rows(connection, source, run, refs, progress, report, entity, table, lookup)
    create_indexes(connection, indexes)
    if moves is None:
        return
    if report.rows_loaded and "customer_id" in entity.column_names and entity.name != "customers":
        add_customers_seen(connection, entity.name, run.batch_id)
    notes = list(source.notes)
    if moves:
        shown = ", ".join(f"{i} ({old} -> {new})" for i, old, new in moves[:5])
        more = f" and {len(moves) - 5:,} more" if len(moves) > 5 else ""
        notes.append(f"{len(moves):,} moved to another merchant: {shown}{more}")
    if report.rows_read == 0:
        notes.append("the file has a header but no rows")
    if report.unknown_columns:
        notes.append(
            "columns not in the contract were not loaded: " + ", ".join(report.unknown_columns)
        )
    report.note = "; ".join(notes)


def _read_rows(
    connection: Connection,
    source: SourceFile,
    run: Run,
    refs: References,
    progress: Callable[[str], None],
    report: FileReport,
    entity: Entity,
    table: Table,
    lookup: KeyLookup,
) -> list[tuple[str, str, str]] | None:
    """Read, check and write the file's rows, chunk by chunk; the moves it made (None:
    the header lacks a required column, no row loads)."""
    keys = KeyIndex()
    moves: list[tuple[str, str, str]] = []
    first = True
    for header, chunk, malformed in read_chunks(source):
        report.encoding = source.encoding
        name = f"{source.name}[{source.part}]" if source.part else source.name
        if first:
            first = False
            problems = _header_problems(entity, header, report)
            if not problems.empty:
                run.reject(source.name, problems)
                report.rows_read = report.rows_rejected = _row_total(source)
                report.note = "; ".join(source.notes)
                return None
        report.rows_read += len(chunk) + len(malformed)
        run.reject(name, _malformed(malformed))
        good, rejected = validate_chunk(entity, chunk, refs)
        good, duplicates = _unique_keys(entity, good, keys)
        rows = _derive(entity, typed_columns(entity, good), refs, run.batch_id)
        rejected = pd.concat([rejected, duplicates], ignore_index=True)
        run.reject(name, rejected)
        report.rows_rejected += len(malformed) + rejected["line"].nunique()
        if rows.empty:
            continue
        written = lookup.check(rows)
        apply_moves(connection, table, entity, written)
        upsert(connection, table, rows.drop(columns=LINE, errors="ignore"))
        replaced = int(np.count_nonzero(written.replaces))
        report.rows_replaced += replaced
        report.rows_new += len(rows) - replaced
        moves.extend(written.moves)
        run.touched.update(old for _id, old, _new in written.moves)
        run.moved_from.update(old for _id, old, _new in written.moves)
        if "merchant_id" in rows.columns:
            run.touched.update(rows["merchant_id"].dropna().unique())
        progress(f"{source.name}: {report.rows_read:,} rows read")
    return moves


def _row_total(source: SourceFile) -> int:
    return sum(len(chunk) + len(bad) for _h, chunk, bad in read_chunks(source))


def _malformed(malformed: list[tuple[int, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"line": line, "column": "", "value": "", "reason": why} for line, why in malformed],
        columns=["line", "column", "value", "reason"],
    )


def _unique_keys(
    entity: Entity, good: pd.DataFrame, keys: KeyIndex
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keys are unique within their file, compared normalised (one date spelled two ways
    is one key): a repeated key is rejected, naming the first line."""
    columns = list(entity.key)
    key_frame = key_text(entity, good)
    first = keys.duplicates(key_frame, good[LINE])
    repeated = first > 0
    if not repeated.any():
        return good, pd.DataFrame(columns=["line", "column", "value", "reason"])
    dupes = good[repeated]
    rejected = pd.DataFrame(
        {
            "line": dupes[LINE].to_numpy(),
            "column": columns[-1],
            "value": dupes[columns[-1]].to_numpy() if columns[-1] in dupes else "",
            "reason": [
                f"duplicate key ({', '.join(columns)}): the same key is on line {n}"
                for n in first[repeated]
            ],
        }
    )
    return good[~repeated], rejected
