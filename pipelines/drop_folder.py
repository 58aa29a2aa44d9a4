"""The drop folder's deliveries on disk: which entries are deliveries, when one is
complete, where it is filed and how a zip is unpacked (pipelines/watch.py runs them)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from pipelines import sources

READY = sources.READY
DONE, FAILED, UNPACKED = "done", "failed", ".unpacked"


def _newest_change(path: Path) -> float:
    newest = path.stat().st_mtime
    if path.is_dir():
        for child in path.rglob("*"):
            newest = max(newest, child.stat().st_mtime)
    return newest


def entries(folder: Path) -> list[Path]:
    """The deliveries in the drop folder: sub-folders and zips, oldest name first (not
    done/, failed/, nor anything hidden)."""
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name in (DONE, FAILED):
            continue
        if path.is_dir() or (path.is_file() and path.suffix.lower() == ".zip"):
            found.append(path)
    return found


def is_complete(path: Path, *, quiet_seconds: float, now_epoch: float) -> bool:
    """A `READY` marker, or nothing changed for the quiet period (a zip must also be
    readable as one)."""
    if path.is_dir():
        marked = (path / READY).is_file()
    else:
        marked = path.with_name(f"{path.name}.{READY}").is_file()
    quiet = now_epoch - _newest_change(path) >= quiet_seconds
    if not (marked or quiet):
        return False
    return path.is_dir() or zipfile.is_zipfile(path)


def kind(path: Path) -> str:
    if path.is_file():
        return "zip"
    return "database" if path.name.startswith(sources.PULLED_PREFIX) else "folder"


def free(target: Path) -> Path:
    """`target`, or `target-2`, `target-3`, ... when it is taken."""
    candidate, number = target, 1
    while candidate.exists():
        number += 1
        candidate = target.with_name(f"{target.name}-{number}")
    return candidate


def unpack(archive_path: Path, target: Path) -> Path:
    """The zip's files, flat, in `target` (emptied first); no member outside it."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with zipfile.ZipFile(archive_path) as archive:
        for member in archive.infolist():
            name = Path(member.filename)
            if member.is_dir() or name.is_absolute() or ".." in name.parts:
                continue
            (target / name.name).write_bytes(archive.read(member))
    return target
