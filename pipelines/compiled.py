"""Compiled mart SQL, kept on disk between processes.

Building and compiling the marts' Ibis expressions costs about 2 s of CPU, once per
process; a small re-delivery's marts run in a tenth of that. So the compiled SQL (and the
columns of each step) is kept in `data/mart_sql/` under a key made of everything that
can change it: the build function, the SQL dialect, the versions of Ibis and sqlglot,
and the text of every module in `models/` and `pipelines/` and of
`config/connections.toml`. Change any of them and the key changes; a folder that cannot
be written just means compiling every time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from models.settings import DATA_DIR, PROJECT_ROOT

CACHE_DIR = Path(os.environ.get("GROWTH_MART_SQL_CACHE", DATA_DIR / "mart_sql"))
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the code and configuration the marts' SQL is compiled from."""
    digest = hashlib.sha256()
    for package in ("ibis-framework", "sqlglot"):
        digest.update(f"{package}={version(package)}\n".encode())
    files = sorted((PROJECT_ROOT / "models").glob("*.py"))
    files += sorted((PROJECT_ROOT / "pipelines").glob("*.py"))
    files.append(PROJECT_ROOT / "config" / "connections.toml")
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _name(build: Callable[..., Any]) -> str:
    func = getattr(build, "func", build)  # a functools.partial: its function and arguments
    args = getattr(build, "args", ())
    return f"{func.__module__}.{func.__qualname__}{args!r}"


def remembered(kind: str, build: Callable[..., Any], dialect: str, make: Callable[[], Any]) -> Any:
    """`make()` (a JSON value compiled from `build` for `dialect`), from the disk when this
    code compiled it before."""
    key = hashlib.sha256(f"{fingerprint()}|{kind}|{_name(build)}|{dialect}".encode()).hexdigest()
    path = CACHE_DIR / f"{key[:32]}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        value = make()
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(value), encoding="utf-8")
        partial.replace(path)  # atomic: a reader sees the old file or the whole new one
    except OSError:
        log.info("cannot keep compiled mart SQL in %s", CACHE_DIR, exc_info=True)
    return value
