"""A merchant's own files (pages/my_data.py): read them into parts, propose and remember
the column mapping, and load them with every row checked against the merchant
(`pipelines.mapping`). The caller clears the caches after a load (`ui.data.clear_caches`)."""

from __future__ import annotations

from pipelines.mapping import (
    OWN_ENTITIES,
    MappingError,
    OwnLoad,
    Part,
    load_own_files,
    missing_columns,
    prepare,
    read_parts,
)

__all__ = [
    "OWN_ENTITIES",
    "MappingError",
    "OwnLoad",
    "Part",
    "load_own_files",
    "missing_columns",
    "prepare",
    "read_parts",
]
