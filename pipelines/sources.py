"""A database source: one query per contract entity, pulled into a delivery folder.

The queries file is TOML, one entry per contract file (see docs/operations.md):

    [queries]
    merchants = "SELECT merchant_id, name, industry, cohort_id FROM crm.merchants"
    orders = "SELECT order_id, merchant_id, ordered_at, channel, gmv FROM sales.orders"

Each query's rows become `<entity>.csv` in a folder that appears in the drop folder
whole (written aside, then renamed, with its `READY` marker), so the watcher loads it
like any other delivery: the same checks, the same report, the same history.
"""

from __future__ import annotations

import shutil
import tomllib
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import make_url

from models.contract import ENTITIES
from models.db import make_engine

READY = "READY"
PULLED_PREFIX = "db-"


def read_queries(path: Path) -> dict[str, str]:
    """The queries of a queries file, by entity; a clear error for anything else."""
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the queries file: {exc}") from exc
    queries = raw.get("queries")
    if not isinstance(queries, dict) or not queries:
        raise ValueError(f"{path}: no [queries] table with one query per contract file")
    unknown = sorted(set(queries) - set(ENTITIES))
    if unknown:
        raise ValueError(
            f"{path}: {', '.join(unknown)} is not a contract file; "
            f"allowed: {', '.join(sorted(ENTITIES))}"
        )
    bad = sorted(k for k, v in queries.items() if not isinstance(v, str) or not v.strip())
    if bad:
        raise ValueError(f"{path}: the query of {', '.join(bad)} is empty or not text")
    return {str(k): str(v) for k, v in queries.items()}


def safe_url(url: str) -> str:
    """The URL with its password hidden (for the history and the Data page)."""
    return make_url(url).render_as_string(hide_password=True)


def pull(url: str, queries: dict[str, str], drop_folder: Path, now: datetime) -> Path:
    """Run every query on the source database and leave the rows in the drop folder as one
    complete delivery; its path. Nothing appears in the drop folder if a query fails."""
    name = f"{PULLED_PREFIX}{now:%Y%m%dT%H%M%S}"
    target = drop_folder / name
    suffix = 1
    while target.exists():
        suffix += 1
        target = drop_folder / f"{name}-{suffix}"
    aside = drop_folder / f".pulling-{target.name}"
    aside.mkdir(parents=True)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            for entity, query in sorted(queries.items()):
                frame = pd.read_sql_query(text(query), connection)
                # Nullable types: an integer column with blanks stays "12", not "12.0".
                frame.convert_dtypes().to_csv(aside / f"{entity}.csv", index=False)
        (aside / READY).write_text(f"pulled from {safe_url(url)} at {now:%Y-%m-%d %H:%M:%S}\n")
        aside.rename(target)
    except Exception:
        shutil.rmtree(aside, ignore_errors=True)
        raise
    finally:
        engine.dispose()
    return target
