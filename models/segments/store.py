"""Saved segments with their version history: every save a new version, none lost; only
a user allowed to write segments, for a merchant of their scope."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, insert, select, update

from models.clock import utcnow
from models.db import read_frame
from models.permissions import require
from models.schema import table_of
from models.schema_segments import SavedSegment, SegmentVersion
from models.scope import Scope
from models.scope_check import require_merchant
from models.segments.rules import SegmentError, validate

NAME_MAX = 200  # the longest name of a segment or a campaign, in characters

_S = table_of(SavedSegment)
_V = table_of(SegmentVersion)


def _may_edit(connection: Any, scope: Scope, merchant_id: str) -> None:
    require(scope, "segment")
    require_merchant(connection, scope, merchant_id)


@dataclass
class SavedVersion:
    segment_id: int
    version: int


def save_segment(
    *,
    engine: Engine,
    scope: Scope,
    merchant_id: str,
    name: str,
    definition: Mapping[str, Any],
    segment_id: int | None = None,
    now: datetime | None = None,
) -> SavedVersion:
    """Save a new segment, or a new version of `segment_id` (earlier versions are kept)."""
    checked = validate(definition)
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise SegmentError(f"a segment needs a name of 1 to {NAME_MAX} characters")
    when = now or utcnow().replace(microsecond=0)
    text = json.dumps(checked, ensure_ascii=False, sort_keys=True)
    with engine.begin() as connection:
        _may_edit(connection, scope, merchant_id)
        if segment_id is None:
            segment_id = connection.execute(
                insert(_S)
                .values(
                    merchant_id=merchant_id,
                    name=name,
                    created_at=when,
                    created_by=scope.user,
                    version=1,
                )
                .returning(_S.c.segment_id)
            ).scalar_one()
            version = 1
        else:
            current = connection.execute(
                select(_S.c.version).where(
                    _S.c.segment_id == segment_id, _S.c.merchant_id == merchant_id
                )
            ).scalar_one_or_none()
            if current is None:
                raise SegmentError(f"no segment {segment_id} of merchant {merchant_id}")
            version = int(current) + 1
            connection.execute(
                update(_S).where(_S.c.segment_id == segment_id).values(name=name, version=version)
            )
        connection.execute(
            insert(_V).values(
                segment_id=segment_id,
                version=version,
                name=name,
                definition=text,
                saved_at=when,
                saved_by=scope.user,
            )
        )
    return SavedVersion(int(segment_id), version)


def saved_segments(*, engine: Engine, scope: Scope, merchant_id: str) -> pd.DataFrame:
    """A merchant's saved segments with their newest definition, newest first."""
    stmt = (
        select(
            _S.c.segment_id,
            _S.c.name,
            _S.c.version,
            _S.c.created_at,
            _V.c.saved_at,
            _V.c.definition,
        )
        .join(_V, and_(_V.c.segment_id == _S.c.segment_id, _V.c.version == _S.c.version))
        .where(_S.c.merchant_id == merchant_id, scope.merchant_filter(_S.c.merchant_id))
        .order_by(_S.c.segment_id.desc())
    )
    return read_frame(engine, stmt)


def segment_history(
    *, engine: Engine, scope: Scope, merchant_id: str, segment_id: int
) -> pd.DataFrame:
    """Every version of one saved segment, newest first."""
    stmt = (
        select(_V.c.version, _V.c.name, _V.c.saved_at, _V.c.saved_by, _V.c.definition)
        .join(_S, _S.c.segment_id == _V.c.segment_id)
        .where(
            _S.c.segment_id == segment_id,
            _S.c.merchant_id == merchant_id,
            scope.merchant_filter(_S.c.merchant_id),
        )
        .order_by(_V.c.version.desc())
    )
    return read_frame(engine, stmt)
