"""The bookkeeping of a delivery: what it read, loaded, replaced and rejected, per file,
written to load_batches / load_files / load_rejections, and the one-line summary.

Every text written here passes `printable` first: a delivered value may hold a NUL byte
(which PostgreSQL cannot store) or be megabytes long.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Connection, insert, update

from models.schema import LoadBatch, LoadFile, LoadRejection, table_of
from pipelines.bulk import write_frame
from pipelines.values import printable

PREVIEW_ROWS = 1000
REJECTION_COLUMNS = ["file_name", "line", "column", "value", "reason"]


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
    skipped: bool = False  # contract data that was not read (a second file, an upload refused)

    @property
    def rows_loaded(self) -> int:
        return self.rows_new + self.rows_replaced

    @property
    def has_problems(self) -> bool:
        return self.unreadable or self.skipped or self.rows_rejected > 0


@dataclass
class LoadReport:
    batch_id: int | None
    status: str  # loaded | partial | refused | failed | empty
    files: list[FileReport]
    rejections: pd.DataFrame
    rejected_total: int
    message: str
    fault: str = ""  # a database fault or another load running (pipelines.faults kinds)
    merchants: tuple[str, ...] = ()  # merchants whose data the load changed (marts rebuilt)

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


def record(
    connection: Connection,
    batch_id: int | None,
    fields: dict[str, Any],
    files: list[FileReport],
    rejected: pd.DataFrame,
) -> int:
    """Write the delivery's bookkeeping: the batch, its files and every rejected row."""
    batches = table_of(LoadBatch)
    if "message" in fields:
        fields = {**fields, "message": printable(fields["message"], 4000)}
    if "source" in fields:
        fields = {**fields, "source": printable(fields["source"], 500)}
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
            "file_name": printable(f.file_name, 500),
            "entity": f.entity,
            "sha256": f.sha256,
            "encoding": f.encoding,
            "size_bytes": f.size_bytes,
            "rows_read": f.rows_read,
            "rows_new": f.rows_new,
            "rows_replaced": f.rows_replaced,
            "rows_rejected": f.rows_rejected,
            "unknown_columns": printable(", ".join(f.unknown_columns), 2000),
            "note": printable(f.note, 4000),
        }
        for f in files
    ]
    if file_rows:
        connection.execute(insert(table_of(LoadFile)), file_rows)
    if not rejected.empty:
        rows = rejected.assign(
            batch_id=batch_id,
            line=rejected["line"].astype(int),
            value=rejected["value"].fillna("").map(printable),
            reason=rejected["reason"].map(lambda r: printable(r, 2000)),
            file_name=rejected["file_name"].map(lambda n: printable(n, 500)),
        )
        columns = ["batch_id", "file_name", "line", "column", "value", "reason"]
        write_frame(connection, insert(table_of(LoadRejection)), rows[columns])
    return batch_id


def summary(status: str, files: list[FileReport], rejected: int, extra: str = "") -> str:
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
    skipped = [f.file_name for f in files if f.skipped]
    if skipped:
        text += f"; not loaded: {', '.join(skipped)}"
    return f"{text}. {extra}" if extra else text
