"""Programme reference files: cohorts, merchants and attendance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _format as fmt
from ._calendar import weekdays
from ._config import PROGRAMME, CohortSpec, day_index
from ._names import CLASS_TOPICS, ONE_ON_ONE_TOPICS, WORKSHOP_TOPICS
from ._world import Merchant, World

_GENERIC_ONE_ON_ONE = ("Three-connection self-assessment review", "Results race action plan")


def cohorts_frame(world: World) -> pd.DataFrame:
    """One row per cohort."""
    return pd.DataFrame(
        {
            "cohort_id": [c.cohort_id for c in world.cohorts],
            "name": [c.name for c in world.cohorts],
            "start_date": [c.start.isoformat() for c in world.cohorts],
            "end_date": [c.end.isoformat() for c in world.cohorts],
            "programme": PROGRAMME,
        }
    )


def merchants_frame(world: World) -> pd.DataFrame:
    """One row per merchant, participants and controls."""
    ms = world.merchants
    return pd.DataFrame(
        {
            "merchant_id": [m.merchant_id for m in ms],
            "name": [m.name for m in ms],
            "industry": [m.industry for m in ms],
            "region": [m.region for m in ms],
            "store_count": [m.store_count for m in ms],
            "cohort_id": [m.cohort.cohort_id if m.cohort else "" for m in ms],
            "joined_on": [m.joined_on.isoformat() for m in ms],
        }
    )


def _on_weekday(days: np.ndarray) -> np.ndarray:
    """Move Saturdays back to Friday and Sundays on to Monday."""
    wd = weekdays()[days]
    return days - (wd == 5) + (wd == 6)


def _sessions(cohort: CohortSpec) -> list[tuple[str, int, str, str]]:
    """(session_id, day, session_type, topic) shared by all merchants of a cohort."""
    s, e = day_index(cohort.start), day_index(cohort.end)
    classes = _on_weekday(np.round(np.linspace(s + 1, e - 3, len(CLASS_TOPICS))).astype(int))
    workshops = _on_weekday(np.round(np.linspace(s + 10, e - 1, len(WORKSHOP_TOPICS))).astype(int))
    out = [
        (f"{cohort.cohort_id}-CL{i + 1:02d}", int(d), "class", topic)
        for i, (d, topic) in enumerate(zip(classes, CLASS_TOPICS, strict=True))
    ]
    out += [
        (f"{cohort.cohort_id}-WS{i + 1:02d}", int(d), "workshop", topic)
        for i, (d, topic) in enumerate(zip(workshops, WORKSHOP_TOPICS, strict=True))
    ]
    return out


def _one_on_ones(rng: np.random.Generator, m: Merchant) -> list[tuple[str, int, str, str]]:
    assert m.cohort is not None
    s, e = day_index(m.cohort.start), day_index(m.cohort.end)
    topics = ONE_ON_ONE_TOPICS[m.industry] + _GENERIC_ONE_ON_ONE
    n = 1 + int(m.engagement * 3.5)
    days = np.sort(_on_weekday(rng.integers(s + 7, e - 1, size=n)))
    return [
        (
            f"{m.cohort.cohort_id}-{m.merchant_id}-1on1-{i + 1:02d}",
            int(d),
            "one_on_one",
            topics[i % len(topics)],
        )
        for i, d in enumerate(days)
    ]


def attendance_frame(rng: np.random.Generator, world: World) -> pd.DataFrame:
    """Classes and workshops for every cohort member plus one-to-one sessions per merchant."""
    rows: list[tuple[str, str, str, int, bool, str, str]] = []
    for cohort in world.cohorts:
        members = sorted(
            (m for m in world.merchants if m.cohort is cohort), key=lambda m: m.merchant_id
        )
        shared = _sessions(cohort)
        for m in members:
            for sid, day, kind, topic in shared:
                came = bool(rng.random() < 0.3 + 0.65 * m.engagement)
                rows.append((cohort.cohort_id, m.merchant_id, sid, day, came, kind, topic))
            for sid, day, kind, topic in _one_on_ones(rng, m):
                came = bool(rng.random() < 0.8 + 0.15 * m.engagement)
                rows.append((cohort.cohort_id, m.merchant_id, sid, day, came, kind, topic))
    frame = pd.DataFrame(
        rows,
        columns=[
            "cohort_id",
            "merchant_id",
            "session_id",
            "day",
            "attended",
            "session_type",
            "topic",
        ],
    )
    frame["session_date"] = fmt.dates(frame["day"].to_numpy())
    frame["attended"] = np.where(frame["attended"], "true", "false")
    return frame.drop(columns="day")
