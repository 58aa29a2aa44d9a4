"""The coach's workshop, its rules apart from the drawing (pure: frames in, figures out):

- **Which week**: a cohort is read as of the sidebar's end date, never past the end of
  its programme: an ended cohort reads its last programme week.
- **Attendance**: per kind of session (class, one-on-one), the sessions attended of those
  held; a topic counts as attended when the merchant came to a session on it.
- **Order rule**: a connection ahead of an earlier one in the programme's order is
  flagged (the mart's `<connection>_ahead` column names the earlier one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from models.connections import CONNECTIONS

SESSION_KINDS = ("class", "one_on_one")


def as_of(sidebar_end: date | None, data_end: date, cohort_end: date) -> date:
    """The day the workshop reads a cohort at (the latest week up to it is shown)."""
    return min(sidebar_end or data_end, data_end, cohort_end)


def attendance(sessions: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Per kind of session: (sessions attended, sessions held)."""
    counts = {}
    for kind in SESSION_KINDS:
        held = sessions[sessions["session_type"] == kind]
        counts[kind] = (int(held["attended"].astype(bool).sum()), len(held))
    return counts


def attended_topics(sessions: pd.DataFrame) -> set[str]:
    """The topics of the sessions the merchant came to."""
    return set(sessions.loc[sessions["attended"].astype(bool), "topic"].dropna())


@dataclass(frozen=True)
class OutOfOrder:
    merchant: str  # its name
    later: str  # the connection that runs ahead
    earlier: str  # the connection it ran ahead of


def out_of_order(scores: pd.DataFrame) -> list[OutOfOrder]:
    """Every merchant whose later connection runs ahead of an earlier one, in row order."""
    return [
        OutOfOrder(str(row["name"]), c, row[f"{c}_ahead"])
        for row in scores.to_dict("records")
        for c in CONNECTIONS
        if isinstance(row[f"{c}_ahead"], str)
    ]
