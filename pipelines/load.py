"""Load a delivery folder: extract -> validate -> upsert into staging -> rebuild marts.

Everything a delivery changes happens in one database transaction: a crash, a kill or a
refusal leaves the database as it was. Re-delivered keys replace their rows, so loading
the same folder twice changes nothing. What was rejected is recorded with file, line,
column, value and reason, for loaded and refused deliveries alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from models.auth import audit
from models.clock import utcnow
from models.contract import LOAD_ORDER, REQUIRED_FILES
from models.demo_state import end_demo
from models.schema import STAGING, table_of
from pipelines.bookkeeping import PREVIEW_ROWS, FileReport, LoadReport, record, summary
from pipelines.bulk import upsert
from pipelines.extract import discover, file_hash
from pipelines.faults import describe
from pipelines.load_file import Run, has_rows, load_file, references
from pipelines.lock import LoadRunning, load_lock

__all__ = ["FileReport", "LoadReport", "load_delivery", "upsert"]

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


class Refused(Exception):
    """The delivery is refused as a whole; the transaction rolls back."""


def _at(say: Progress, fraction: float) -> Callable[[str], None]:
    """Report messages at a fixed fraction of the whole load."""
    return lambda message: say(fraction, message)


def _silent(_fraction: float, _message: str) -> None:
    """The progress callback when nobody listens."""


def _now(timezone: str) -> datetime:
    return datetime.now(ZoneInfo(timezone)).replace(tzinfo=None)


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
        if name not in entities and not has_rows(connection, table_of(STAGING[name])):
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
    started = utcnow()
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
    run: Run | None = None
    try:
        with engine.begin() as connection:
            end_demo(connection, by=loaded_by)  # any delivery ends demo mode, its rows first
            batch_id = record(connection, None, {**base, "status": "running"}, [], pd.DataFrame())
            run = Run(batch_id=batch_id)
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
                refs = references(connection, delivered, _now(timezone), run)
                refs.only_merchant_id = only_merchant_id
                report = load_file(connection, source, run, refs, _at(say, share))
                run.files.append(report)
            files = run.files + others
            rejected = run.rejected()
            rejected_rows = sum(f.rows_rejected for f in run.files)
            problems = _problems(files)
            if all_or_nothing and problems:
                raise Refused(f"all-or-nothing: {problems}, so nothing was loaded")
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
                    "finished_at": utcnow(),
                    "rows_read": sum(f.rows_read for f in files),
                    "rows_new": sum(f.rows_new for f in files),
                    "rows_replaced": sum(f.rows_replaced for f in files),
                    "rows_rejected": rejected_rows,
                    "message": message,
                },
                files,
                rejected,
            )
            # After the batch's counts are written: the connections mart reads them.
            say(0.87, "rebuilding marts")
            from pipelines import marts  # Ibis and the mart builders: only once they run

            marts.rebuild(
                connection,
                sorted(run.touched),
                progress=lambda m: say(0.9, m),
                batch_id=batch_id,
                whole=sorted(run.moved_from),
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
    run: Run | None,
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
                    "finished_at": utcnow(),
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
