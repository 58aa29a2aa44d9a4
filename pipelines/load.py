"""Load a delivery folder: extract -> validate -> upsert into staging -> rebuild marts.

Everything a delivery changes happens in one database transaction: a crash, a kill or a
refusal leaves the database as it was. Re-delivered keys replace their rows, so loading
the same folder twice changes nothing. What was rejected is recorded with file, line,
column, value and reason, for loaded and refused deliveries alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    case,
    func,
    insert,
    literal,
    null,
    select,
    update,
)

from models.auth import audit
from models.contract import ENTITIES, LOAD_ORDER, REQUIRED_FILES, Entity
from models.demo_state import end_demo
from models.schema import (
    STAGING,
    Campaign,
    Cohort,
    Customer,
    Guide,
    LoadBatch,
    LoadFile,
    LoadRejection,
    Merchant,
    Store,
    table_of,
)
from pipelines import marts
from pipelines.bulk import write_frame
from pipelines.extract import LINE, FileProblem, SourceFile, discover, file_hash, read_chunks
from pipelines.validate import KeyIndex, References, typed, validate_chunk

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
PREVIEW_ROWS = 1000


@dataclass
class FileReport:
    file_name: str
    entity: str | None
    encoding: str = ""
    rows_read: int = 0
    rows_new: int = 0
    rows_replaced: int = 0
    rows_rejected: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    note: str = ""
    sha256: str = ""
    size_bytes: int = 0
    unreadable: bool = False  # the file as a whole could not be read: nothing of it loaded

    @property
    def rows_loaded(self) -> int:
        return self.rows_new + self.rows_replaced

    @property
    def has_problems(self) -> bool:
        return self.unreadable or self.rows_rejected > 0


@dataclass
class LoadReport:
    batch_id: int | None
    status: str  # loaded | partial | refused | failed | empty
    files: list[FileReport]
    rejections: pd.DataFrame
    rejected_total: int
    message: str

    @property
    def ok(self) -> bool:
        """Something usable was loaded."""
        return self.status in ("loaded", "partial")

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_new(self) -> int:
        return sum(f.rows_new for f in self.files)

    @property
    def rows_replaced(self) -> int:
        return sum(f.rows_replaced for f in self.files)

    @property
    def rows_rejected(self) -> int:
        """Rejected rows (a row that breaks two rules has two rejections, counts once)."""
        return sum(f.rows_rejected for f in self.files)


class Refused(Exception):
    """The delivery is refused as a whole; the transaction rolls back."""


@dataclass
class _Run:
    """What one load collects as it goes."""

    batch_id: int
    files: list[FileReport] = field(default_factory=list)
    rejections: list[pd.DataFrame] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)  # merchants whose marts must be rebuilt

    def reject(self, file_name: str, frame: pd.DataFrame) -> None:
        if not frame.empty:
            self.rejections.append(frame.assign(file_name=file_name))

    def rejected(self) -> pd.DataFrame:
        columns = ["file_name", "line", "column", "value", "reason"]
        if not self.rejections:
            return pd.DataFrame(columns=columns)
        return pd.concat(self.rejections, ignore_index=True)[columns]


def _at(say: Progress, fraction: float) -> Callable[[str], None]:
    """Report messages at a fixed fraction of the whole load."""
    return lambda message: say(fraction, message)


def _silent(_fraction: float, _message: str) -> None:
    """The progress callback when nobody listens."""


def _now(timezone: str) -> datetime:
    return datetime.now(ZoneInfo(timezone)).replace(tzinfo=None)


# --- database helpers -----------------------------------------------------------------


def _insert_for(connection: Connection, table: Table) -> Any:
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    if connection.dialect.name == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database: {connection.dialect.name}")


def upsert(
    connection: Connection, table: Table, rows: pd.DataFrame, *, replace: bool = True
) -> None:
    """Insert rows; a row whose primary key exists replaces it (or is skipped)."""
    key = [c.name for c in table.primary_key.columns]
    stmt = _insert_for(connection, table)
    if replace:
        changing = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in key}
        stmt = stmt.on_conflict_do_update(index_elements=key, set_=changing)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=key)
    write_frame(connection, stmt, rows)


SEEN_ON = {"orders": "ordered_on", "touchpoint_events": "occurred_on"}


def add_customers_seen(connection: Connection, entity: str, batch_id: int) -> None:
    """Customer ids first seen in this delivery's orders, events or assignments become
    customers of that merchant, in one INSERT ... SELECT. A known customer keeps its
    details; only its first_seen_on moves earlier when older evidence arrives."""
    source = table_of(STAGING[entity])
    customers = table_of(Customer)
    day = source.c[SEEN_ON[entity]] if entity in SEEN_ON else None
    first_seen = func.min(day) if day is not None else null()
    seen = (
        select(
            source.c.merchant_id,
            source.c.customer_id,
            first_seen.label("first_seen_on"),
            literal(entity).label("source"),
            literal(batch_id).label("batch_id"),
        )
        .where(source.c.batch_id == batch_id, source.c.customer_id.is_not(None))
        .group_by(source.c.merchant_id, source.c.customer_id)
    )
    stmt = _insert_for(connection, customers).from_select(
        ["merchant_id", "customer_id", "first_seen_on", "source", "batch_id"], seen
    )
    current, new = customers.c.first_seen_on, stmt.excluded.first_seen_on
    earliest = case(
        (current.is_(None), new),
        (and_(new.is_not(None), new < current), new),
        else_=current,
    )
    connection.execute(
        stmt.on_conflict_do_update(
            index_elements=["merchant_id", "customer_id"], set_={"first_seen_on": earliest}
        )
    )


def _count(connection: Connection, table: Table) -> int:
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _has_rows(connection: Connection, table: Table) -> bool:
    return connection.execute(select(1).select_from(table).limit(1)).first() is not None


def references(connection: Connection, delivered_now: Iterable[str], now: datetime) -> References:
    """A snapshot of the keys rows may refer to, inside the load's transaction."""
    refs = References(now=now)
    refs.merchants = set(connection.execute(select(Merchant.merchant_id)).scalars())
    refs.cohorts = set(connection.execute(select(Cohort.cohort_id)).scalars())
    refs.stores = {(m, s) for m, s in connection.execute(select(Store.merchant_id, Store.store_id))}
    refs.guides = {(m, g) for m, g in connection.execute(select(Guide.merchant_id, Guide.guide_id))}
    campaigns = select(Campaign.campaign_id, Campaign.merchant_id)
    refs.campaigns = {row.campaign_id: row.merchant_id for row in connection.execute(campaigns)}
    refs.delivered = set(delivered_now)
    for name in ("cohorts", "stores", "guides", "campaigns"):
        if _has_rows(connection, table_of(STAGING[name])):
            refs.delivered.add(name)
    return refs


# --- one file ---------------------------------------------------------------------------


def _derive(entity: Entity, rows: pd.DataFrame, refs: References, batch_id: int) -> pd.DataFrame:
    """Columns the staging table has beyond the contract's."""
    rows = rows.copy()
    rows["batch_id"] = batch_id
    if entity.name == "orders":
        rows["ordered_on"] = [ts.date() for ts in rows["ordered_at"]]
        rows["refund"] = rows["refund"].where(rows["refund"].notna(), 0.0)
    elif entity.name == "touchpoint_events":
        rows["occurred_on"] = [ts.date() for ts in rows["occurred_at"]]
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


def _load_file(
    connection: Connection,
    source: SourceFile,
    run: _Run,
    refs: References,
    progress: Callable[[str], None],
) -> FileReport:
    entity = ENTITIES[source.entity or ""]
    table: Table = table_of(STAGING[entity.name])
    report = FileReport(
        source.name, entity.name, sha256=source.sha256, size_bytes=source.size_bytes
    )
    before = _count(connection, table)
    keys = KeyIndex()
    loaded = 0
    first = True
    try:
        for header, chunk, malformed in read_chunks(source):
            report.encoding = source.encoding
            if first:
                first = False
                problems = _header_problems(entity, header, report)
                if not problems.empty:
                    run.reject(source.name, problems)
                    report.rows_read = report.rows_rejected = _row_total(source)
                    return report
            report.rows_read += len(chunk) + len(malformed)
            run.reject(source.name, _malformed(malformed))
            good, rejected = validate_chunk(entity, chunk, refs)
            good, duplicates = _unique_keys(entity, good, keys)
            rejected = pd.concat([rejected, duplicates], ignore_index=True)
            run.reject(source.name, rejected)
            report.rows_rejected += len(malformed) + rejected["line"].nunique()
            if good.empty:
                continue
            rows = _derive(entity, typed(entity, good), refs, run.batch_id)
            upsert(connection, table, rows.drop(columns=LINE, errors="ignore"))
            loaded += len(rows)
            if "merchant_id" in rows.columns:
                run.touched.update(rows["merchant_id"].dropna().unique())
            progress(f"{source.name}: {report.rows_read:,} rows read")
    except FileProblem as problem:
        if report.rows_read:
            # Part of the file is in already: refuse the delivery rather than load half a file.
            raise Refused(
                f"{source.name}: {problem} (after {report.rows_read:,} rows); nothing was loaded"
            ) from problem
        run.reject(
            source.name,
            pd.DataFrame([{"line": 0, "column": "", "value": "", "reason": str(problem)}]),
        )
        report.note = str(problem)
        report.unreadable = True
        return report
    if loaded and "customer_id" in entity.column_names and entity.name != "customers":
        add_customers_seen(connection, entity.name, run.batch_id)
    report.rows_new = _count(connection, table) - before
    report.rows_replaced = loaded - report.rows_new
    notes = []
    if report.rows_read == 0:
        notes.append("the file has a header but no rows")
    if report.unknown_columns:
        notes.append(
            "columns not in the contract were not loaded: " + ", ".join(report.unknown_columns)
        )
    report.note = "; ".join(notes)
    return report


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
    """Keys are unique within their file: a repeated key is rejected, naming the first line."""
    columns = list(entity.key)
    key_frame = good.reindex(columns=columns).fillna("").astype(str)
    first = keys.duplicates(key_frame, good[LINE])
    repeated = first > 0
    if not repeated.any():
        return good, pd.DataFrame(columns=["line", "column", "value", "reason"])
    dupes = good[repeated]
    rejected = pd.DataFrame(
        {
            "line": dupes[LINE].to_numpy(),
            "column": columns[-1],
            "value": key_frame.loc[repeated, columns[-1]].to_numpy(),
            "reason": [
                f"duplicate key ({', '.join(columns)}): the same key is on line {n}"
                for n in first[repeated]
            ],
        }
    )
    return good[~repeated], rejected


# --- the delivery -------------------------------------------------------------------------


def _status(files: list[FileReport]) -> str:
    if sum(f.rows_loaded for f in files) == 0:
        return "empty"
    return "partial" if any(f.has_problems for f in files) else "loaded"


def _problems(files: list[FileReport]) -> str:
    """What all-or-nothing refuses: rejected rows and unreadable files."""
    rows = sum(f.rows_rejected for f in files)
    unreadable = [f.file_name for f in files if f.unreadable]
    parts = [f"{rows:,} rows were rejected"] if rows else []
    if unreadable:
        parts.append("unreadable: " + ", ".join(unreadable))
    return "; ".join(parts)


def _missing_required(connection: Connection, entities: set[str]) -> list[str]:
    missing = []
    for name in REQUIRED_FILES:
        if name not in entities and not _has_rows(connection, table_of(STAGING[name])):
            missing.append(name)
    return missing


def _record(
    connection: Connection,
    batch_id: int | None,
    fields: dict[str, Any],
    files: list[FileReport],
    rejected: pd.DataFrame,
) -> int:
    """Write the delivery's bookkeeping: the batch, its files and every rejected row."""
    batches = table_of(LoadBatch)
    if batch_id is None:
        batch_id = int(
            connection.execute(
                insert(batches).values(**fields).returning(batches.c.batch_id)
            ).scalar_one()
        )
    else:
        connection.execute(update(batches).where(batches.c.batch_id == batch_id).values(**fields))
    file_rows = [
        {
            "batch_id": batch_id,
            "file_name": f.file_name,
            "entity": f.entity,
            "sha256": f.sha256,
            "encoding": f.encoding,
            "size_bytes": f.size_bytes,
            "rows_read": f.rows_read,
            "rows_new": f.rows_new,
            "rows_replaced": f.rows_replaced,
            "rows_rejected": f.rows_rejected,
            "unknown_columns": ", ".join(f.unknown_columns),
            "note": f.note,
        }
        for f in files
    ]
    if file_rows:
        connection.execute(insert(table_of(LoadFile)), file_rows)
    if not rejected.empty:
        rows = rejected.assign(batch_id=batch_id, line=rejected["line"].astype(int))
        columns = ["batch_id", "file_name", "line", "column", "value", "reason"]
        write_frame(connection, insert(table_of(LoadRejection)), rows[columns])
    return batch_id


def _summary(status: str, files: list[FileReport], rejected: int, extra: str = "") -> str:
    read = sum(f.rows_read for f in files)
    new = sum(f.rows_new for f in files)
    replaced = sum(f.rows_replaced for f in files)
    text = (
        f"{status}: {read:,} rows read, {new:,} new, {replaced:,} replaced, "
        f"{rejected:,} rejected rows"
    )
    unreadable = [f.file_name for f in files if f.unreadable]
    if unreadable:
        text += f"; unreadable files: {', '.join(unreadable)}"
    return f"{text}. {extra}" if extra else text


def load_delivery(
    folder: Path,
    *,
    engine: Engine,
    all_or_nothing: bool = False,
    loaded_by: str = "",
    progress: Progress | None = None,
    timezone: str = "Asia/Shanghai",
) -> LoadReport:
    """Load every contract file in `folder` in one transaction and rebuild the marts it
    touched. See the module docstring for the guarantees."""
    say: Progress = progress or _silent
    started = _now(timezone)
    sources = discover(folder)
    for source in sources:
        if source.entity:
            source.sha256 = file_hash(source.path)
    contract_files = sorted(
        (s for s in sources if s.entity), key=lambda s: LOAD_ORDER.index(s.entity or "")
    )
    others = [
        FileReport(s.name, None, note="; ".join(s.notes), size_bytes=s.size_bytes)
        for s in sources
        if not s.entity
    ]
    base = {
        "source": str(folder),
        "loaded_by": loaded_by,
        "started_at": started,
        "all_or_nothing": all_or_nothing,
    }
    run: _Run | None = None
    try:
        with engine.begin() as connection:
            end_demo(connection, by=loaded_by)  # any delivery ends demo mode, its rows first
            batch_id = _record(connection, None, {**base, "status": "running"}, [], pd.DataFrame())
            run = _Run(batch_id=batch_id)
            missing = _missing_required(connection, {s.entity or "" for s in contract_files})
            if missing:
                raise Refused(
                    "required file missing and none loaded before: "
                    + ", ".join(f"{m}.csv" for m in missing)
                )
            delivered = {s.entity or "" for s in contract_files}
            total = max(len(contract_files), 1)
            for number, source in enumerate(contract_files):
                share = 0.85 * number / total
                say(share, f"{source.name}: reading")
                refs = references(connection, delivered, _now(timezone))
                report = _load_file(connection, source, run, refs, _at(say, share))
                run.files.append(report)
            files = run.files + others
            rejected = run.rejected()
            rejected_rows = sum(f.rows_rejected for f in run.files)
            problems = _problems(run.files)
            if all_or_nothing and problems:
                raise Refused(f"all-or-nothing: {problems}, so nothing was loaded")
            say(0.87, "rebuilding marts")
            marts.rebuild(connection, sorted(run.touched), progress=lambda m: say(0.9, m))
            status = _status(files)
            message = _summary(status, files, rejected_rows)
            audit(
                connection,
                actor=loaded_by or "unknown",
                action="delivery",
                target=f"#{batch_id} {folder.name}",
                detail=message,
                success=status in ("loaded", "partial"),
            )
            _record(
                connection,
                batch_id,
                {
                    "status": status,
                    "finished_at": _now(timezone),
                    "rows_read": sum(f.rows_read for f in files),
                    "rows_new": sum(f.rows_new for f in files),
                    "rows_replaced": sum(f.rows_replaced for f in files),
                    "rows_rejected": rejected_rows,
                    "message": message,
                },
                files,
                rejected,
            )
    except Refused as refusal:
        return _record_failure(engine, base, run, others, "refused", str(refusal), timezone)
    except Exception as exc:
        log.exception("load of %s failed", folder)
        return _record_failure(
            engine, base, run, others, "failed", f"{type(exc).__name__}: {exc}", timezone
        )
    say(1.0, message)
    return LoadReport(
        batch_id=batch_id,
        status=status,
        files=files,
        rejections=rejected.head(PREVIEW_ROWS),
        rejected_total=len(rejected),
        message=message,
    )


def _record_failure(
    engine: Engine,
    base: dict[str, Any],
    run: _Run | None,
    others: list[FileReport],
    status: str,
    reason: str,
    timezone: str,
) -> LoadReport:
    """The delivery rolled back: keep what was learned about it, in its own transaction."""
    files = (run.files if run else []) + others
    for f in files:
        f.rows_new = f.rows_replaced = 0
    rejected = run.rejected() if run else pd.DataFrame()
    rejected_rows = sum(f.rows_rejected for f in files)
    message = _summary(status, files, rejected_rows, reason)
    with engine.begin() as connection:
        audit(
            connection,
            actor=str(base.get("loaded_by") or "unknown"),
            action="delivery",
            target=Path(str(base["source"])).name,
            detail=message,
            success=False,
        )
        batch_id = _record(
            connection,
            None,
            {
                **base,
                "status": status,
                "finished_at": _now(timezone),
                "rows_read": sum(f.rows_read for f in files),
                "rows_rejected": rejected_rows,
                "message": message,
            },
            files,
            rejected,
        )
    return LoadReport(
        batch_id=batch_id,
        status=status,
        files=files,
        rejections=rejected.head(PREVIEW_ROWS),
        rejected_total=len(rejected),
        message=message,
    )
