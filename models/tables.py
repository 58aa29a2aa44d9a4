"""Every table of the product in one metadata.

The core tables are in `models/schema.py`; an area of the product may keep its own tables
in a module of its own (sharing `models.schema.Base`), imported and listed here so that
Alembic and the schema test see them all.
"""

from __future__ import annotations

from types import ModuleType

from sqlalchemy import MetaData

from models import (
    schema,
    schema_alerts,
    schema_auth,
    schema_connections,
    schema_merchant,
    schema_predictions,
    schema_roi,
    schema_segments,
    schema_state,
)
from models.schema import Base

# Every module that defines tables; importing one registers its tables on `Base.metadata`.
TABLE_MODULES: tuple[ModuleType, ...] = (
    schema,
    schema_auth,
    schema_segments,
    schema_connections,
    schema_roi,
    schema_predictions,
    schema_alerts,
    schema_merchant,
    schema_state,
)


def load_all_tables() -> MetaData:
    """The shared metadata: importing the modules of `TABLE_MODULES` put their tables on it."""
    return Base.metadata
