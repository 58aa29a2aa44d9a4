"""Load a delivery folder: extract -> validate -> upsert into staging -> rebuild marts.

Everything a delivery changes happens in one database transaction: a crash, a kill or a
refusal leaves the database as it was. Re-delivered keys replace their rows, so loading
the same folder twice changes nothing. What was rejected is recorded with file, line,
column, value and reason, for loaded and refused deliveries alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.exc import DBAPIError

from models.auth import audit
from models.contract import ENTITIES, LOAD_ORDER, REQUIRED_FILES, Entity
from models.demo_state import end_demo
from models.schema import STAGING, Campaign, Cohort, Guide, Merchant, Store, table_of
from pipelines import marts
from pipelines.bookkeeping import PREVIEW_ROWS, FileReport, LoadReport, record, summary
from pipelines.bulk import add_customers_seen, upsert
from pipelines.extract import (
    LINE,
    FileProblem,
    SourceFile,
    data_lines,
    discover,
    file_hash,
    read_chunks,
)
from pipelines.faults import describe
from pipelines.keys import KeyLookup, apply_moves, key_text
from pipelines.lock import LoadRunning, load_lock
from pipelines.validate import KeyIndex, References, typed, validate_chunk

__all__ = ["FileReport", "LoadReport", "load_delivery", "upsert"]

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


class Refused(Exception):
    """The delivery is refused as a whole; the transaction rolls back."""


@dataclass
class _Run:
    """What one load collects as it goes."""

    batch_id: int
    files: list[FileReport] = field(default_factory=list)
    rejections: list[pd.DataFrame] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)  # merchants whose marts must be rebuilt
    moved_from: set[str] = field(default_factory=set)  # lost a row to another merchant

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


def _at(say: Progress, fraction: float) -> Callable[[str], None]:
    """Report messages at a fixed fraction of the whole load."""
    return lambda message: say(fraction, message)


def _silent(_fraction: float, _message: str) -> None:
    """The progress callback when nobody listens."""


def _now(timezone: str) -> datetime:
    return datetime.now(ZoneInfo(timezone)).replace(tzinfo=None)


# --- database helpers -----------------------------------------------------------------


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
    run: _Run,
    refs: References,
    progress: Callable[[str], None],
    report: FileReport,
) -> None:
    entity = ENTITIES[source.entity or ""]
    table: Table = table_of(STAGING[entity.name])
    keys = KeyIndex()
    lookup = KeyLookup(connection, table, entity)
    loaded = 0
    first = True
    moves: list[tuple[str, str, str]] = []
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
                return
        report.rows_read += len(chunk) + len(malformed)
        run.reject(name, _malformed(malformed))
        good, rejected = validate_chunk(entity, chunk, refs)
        good, duplicates = _unique_keys(entity, good, keys)
        rows = _derive(entity, typed(entity, good), refs, run.batch_id)
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
        loaded += len(rows)
        if "merchant_id" in rows.columns:
            run.touched.update(rows["merchant_id"].dropna().unique())
        progress(f"{source.name}: {report.rows_read:,} rows read")
    if loaded and "customer_id" in entity.column_names and entity.name != "customers":
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


# --- the delivery -------------------------------------------------------------------------


def _status(files: list[FileReport]) -> str:
    if sum(f.rows_loaded for f in files) == 0:
        return "empty"
    return "partial" if any(f.has_problems for f in files) else "loaded"


def _problems(files: list[FileReport]) -> str:
    """What all-or-nothing refuses: rejected rows, unreadable and skipped files."""
    rows = sum(f.rows_rejected for f in files)
    unreadable = [f.file_name for f in files if f.unreadable]
    skipped = [f.file_name for f in files if f.skipped]
    parts = [f"{rows:,} rows were rejected"] if rows else []
    if unreadable:
        parts.append("unreadable: " + ", ".join(unreadable))
    if skipped:
        parts.append("not loaded: " + ", ".join(skipped))
    return "; ".join(parts)


def _missing_required(connection: Connection, entities: set[str]) -> list[str]:
    missing = []
    for name in REQUIRED_FILES:
        if name not in entities and not _has_rows(connection, table_of(STAGING[name])):
            missing.append(name)
    return missing


SKIPPED_NOTES = ("a second file for", "unsupported file type")


def load_delivery(
    folder: Path,
    *,
    engine: Engine,
    all_or_nothing: bool = False,
    loaded_by: str = "",
    progress: Progress | None = None,
    timezone: str = "Asia/Shanghai",
    skipped: Sequence[tuple[str, str]] = (),
    wait_seconds: float = 0,
    only_merchant_id: str | None = None,
) -> LoadReport:
    """Load every contract file in `folder` in one transaction and rebuild the marts it
    touched. See the module docstring for the guarantees.

    `skipped` names files of the delivery that never reached the folder, with why (an
    upload refused for its size, say): they make the status `partial`. One load runs at
    a time per database: another one waits up to `wait_seconds` for it, then is refused
    with who holds the lock and since when, changing nothing. With `only_merchant_id` (a
    merchant's own upload) a row of any other merchant is rejected with the reason."""
    started = _now(timezone)
    try:
        with load_lock(
            engine,
            holder=loaded_by or "unknown",
            source=str(folder),
            now=started,
            wait_seconds=wait_seconds,
        ):
            return _load(
                folder,
                engine=engine,
                all_or_nothing=all_or_nothing,
                loaded_by=loaded_by,
                say=progress or _silent,
                timezone=timezone,
                skipped=skipped,
                started=started,
                only_merchant_id=only_merchant_id,
            )
    except LoadRunning as busy:
        message = (
            f"refused: {busy}; nothing was changed. Wait for it to finish (or load with "
            "--wait SECONDS), then load again."
        )
        return _untouched("refused", message, "busy")
    except Exception as exc:
        fault = describe(exc)
        if fault is None:
            raise
        log.warning("load of %s hit a database fault", folder, exc_info=True)
        return _untouched("failed", f"failed: {fault.line()}", fault.kind)


def _untouched(status: str, message: str, fault: str) -> LoadReport:
    """The report of a load that could not run or could not record anything."""
    return LoadReport(
        batch_id=None,
        status=status,
        files=[],
        rejections=pd.DataFrame(columns=["file_name", "line", "column", "value", "reason"]),
        rejected_total=0,
        message=message,
        fault=fault,
    )


def _load(
    folder: Path,
    *,
    engine: Engine,
    all_or_nothing: bool,
    loaded_by: str,
    say: Progress,
    timezone: str,
    skipped: Sequence[tuple[str, str]],
    started: datetime,
    only_merchant_id: str | None,
) -> LoadReport:
    sources = discover(folder)
    for source in sources:
        if source.entity:
            source.sha256 = file_hash(source.path)
    contract_files = sorted(
        (s for s in sources if s.entity), key=lambda s: LOAD_ORDER.index(s.entity or "")
    )
    others = [
        FileReport(
            s.name,
            None,
            note="; ".join(s.notes),
            size_bytes=s.size_bytes,
            skipped=any(n.startswith(SKIPPED_NOTES) for n in s.notes),
        )
        for s in sources
        if not s.entity
    ] + [FileReport(name, None, note=f"not loaded: {why}", skipped=True) for name, why in skipped]
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
            batch_id = record(connection, None, {**base, "status": "running"}, [], pd.DataFrame())
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
                refs.only_merchant_id = only_merchant_id
                report = _load_file(connection, source, run, refs, _at(say, share))
                run.files.append(report)
            files = run.files + others
            rejected = run.rejected()
            rejected_rows = sum(f.rows_rejected for f in run.files)
            problems = _problems(files)
            if all_or_nothing and problems:
                raise Refused(f"all-or-nothing: {problems}, so nothing was loaded")
            say(0.87, "rebuilding marts")
            marts.rebuild(
                connection,
                sorted(run.touched),
                progress=lambda m: say(0.9, m),
                batch_id=batch_id,
                whole=sorted(run.moved_from),
            )
            status = _status(files)
            message = summary(status, files, rejected_rows)
            audit(
                connection,
                actor=loaded_by or "unknown",
                action="delivery",
                target=f"#{batch_id} {folder.name}",
                detail=message,
                success=status in ("loaded", "partial"),
            )
            record(
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
        fault = describe(exc)
        if fault is not None:
            log.warning("load of %s hit a database fault", folder, exc_info=True)
            reason, kind = fault.line(), fault.kind
        else:
            log.exception("load of %s failed", folder)
            reason, kind = _short(exc), ""
        return _record_failure(engine, base, run, others, "failed", reason, timezone, kind)
    say(1.0, message)
    return LoadReport(
        batch_id=batch_id,
        status=status,
        files=files,
        rejections=rejected.head(PREVIEW_ROWS),
        rejected_total=len(rejected),
        message=message,
        merchants=tuple(sorted(str(m) for m in run.touched)),
    )


def _short(exc: Exception) -> str:
    """An unexpected error in one line, without the SQL and row data a database error
    carries (those go to the log)."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    first = (str(cause).strip().splitlines() or [""])[0]
    return f"unexpected error ({type(cause).__name__}: {first[:300]}); see the server log"


def _record_failure(
    engine: Engine,
    base: dict[str, Any],
    run: _Run | None,
    others: list[FileReport],
    status: str,
    reason: str,
    timezone: str,
    fault: str = "",
) -> LoadReport:
    """The delivery rolled back: keep what was learned about it, in its own transaction
    (when the database can still be written; otherwise only the report says it)."""
    files = (run.files if run else []) + others
    for f in files:
        f.rows_new = f.rows_replaced = 0
    rejected = run.rejected() if run else pd.DataFrame()
    rejected_rows = sum(f.rows_rejected for f in files)
    message = summary(status, files, rejected_rows, reason)
    try:
        with engine.begin() as connection:
            audit(
                connection,
                actor=str(base.get("loaded_by") or "unknown"),
                action="delivery",
                target=Path(str(base["source"])).name,
                detail=message,
                success=False,
            )
            batch_id: int | None = record(
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
    except Exception as exc:
        if describe(exc) is None and not fault:
            raise
        log.warning("could not record the failed load", exc_info=True)
        batch_id = None
    return LoadReport(
        batch_id=batch_id,
        status=status,
        files=files,
        rejections=rejected.head(PREVIEW_ROWS),
        rejected_total=len(rejected),
        message=message,
        fault=fault,
    )
