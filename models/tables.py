"""Every table of the product in one metadata.

The core tables are in `models/schema.py`; an area of the product may keep its own tables
in a module of its own (sharing `models.schema.Base`), listed here so that Alembic and the
schema test see them all.
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from models.schema import Base

TABLE_MODULES = (
    "models.schema",
    "models.schema_auth",
    "models.schema_segments",
    "models.schema_connections",
    "models.schema_roi",
    "models.schema_predictions",
    "models.schema_alerts",
    "models.schema_merchant",
    "models.schema_state",
)


def load_all_tables() -> MetaData:
    """Import every module that defines tables; return the shared metadata."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    return Base.metadata
