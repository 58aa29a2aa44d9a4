"""The page-side path of a delivery upload: files checked on the server (name, extension,
size), written to a fresh folder and loaded as one delivery (`pipelines.load`), then every
cached read forgotten."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Protocol

from sqlalchemy import Engine

from models.settings import Settings
from pipelines.load import LoadReport, load_delivery
from ui.data import clear_caches
from ui.i18n import translate

ALLOWED_EXTENSIONS = (".csv", ".xlsx")
Progress = Callable[[float, str], None]
__all__ = [
    "ALLOWED_EXTENSIONS",
    "LoadReport",
    "Upload",
    "UploadOutcome",
    "check_upload",
    "load_uploads",
    "safe_name",
]


class Upload(Protocol):
    """What the page gets from `st.file_uploader` (an `UploadedFile`)."""

    name: str
    size: int

    def getvalue(self) -> bytes: ...


@dataclass
class UploadOutcome:
    """What happened to an upload: the load report (None when nothing was loaded) and the
    files refused before loading, as (file name, catalog key of the reason)."""

    report: LoadReport | None
    refused: list[tuple[str, str]] = field(default_factory=list)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def safe_name(name: str) -> str | None:
    """The file's base name without directories or control characters; None if nothing
    usable is left (empty, dot-names)."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = _UNSAFE.sub("_", base).strip().strip(".")
    return base or None


def check_upload(name: str | None, size: int, max_bytes: int) -> str | None:
    """Why a file cannot be loaded (a catalog key), or None when it may be."""
    if name is None:
        return "data.refused.name"
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        return "data.refused.extension"
    if size > max_bytes:
        return "data.refused.size"
    return None


def load_uploads(
    uploads: Sequence[Upload],
    *,
    engine: Engine,
    settings: Settings,
    all_or_nothing: bool = False,
    loaded_by: str = "",
    progress: Progress | None = None,
) -> UploadOutcome:
    """Check the uploaded files on the server (name, extension, size), write the good ones
    to a fresh temporary folder under their base names, load that folder as one delivery,
    then clear the caches. Refused files are reported, not loaded; with `all_or_nothing`
    any refused file stops the whole delivery."""
    max_bytes = settings.upload_max_mb * 1024 * 1024
    accepted: dict[str, Upload] = {}
    refused: list[tuple[str, str]] = []
    for upload in uploads:
        name = safe_name(upload.name)
        reason = check_upload(name, upload.size, max_bytes)
        if reason is None and name is not None and name.lower() in {n.lower() for n in accepted}:
            reason = "data.refused.duplicate"
        if reason is not None or name is None:
            refused.append((upload.name, reason or "data.refused.name"))
        else:
            accepted[name] = upload
    if not accepted or (all_or_nothing and refused):
        return UploadOutcome(report=None, refused=refused)
    with tempfile.TemporaryDirectory(prefix="delivery-") as tmp:
        folder = Path(tmp)
        for name, upload in accepted.items():
            (folder / name).write_bytes(upload.getvalue())
        report = load_delivery(
            folder,
            engine=engine,
            all_or_nothing=all_or_nothing,
            loaded_by=loaded_by,
            progress=progress,
            timezone=settings.timezone,
            skipped=[
                (name, translate(reason, "en", mb=settings.upload_max_mb))
                for name, reason in refused
            ],
        )
    clear_caches()
    return UploadOutcome(report=report, refused=refused)
