"""The coach's cohort board: one row per merchant with its three connection scores, its
stage, the connection that blocks it, the one indicator most behind its target and its
next action. No Streamlit here: frames in (the cohort's scores and indicator rows of one
week), one frame out; the workshop page, the step-through and the report only draw it.

The rules, each enforced here and nowhere else:
- **Blocker**: the earliest connection, in the programme's order (touchpoints, then
  performance, then data), that is not yet running. A connection without data blocks
  too: nothing shows it runs. None when all three run.
- **Stage**: the stage of the blocking connection (where the merchant stands in the
  method); when nothing blocks, "leading" if all three lead, else "running".
- **Most behind**: among the blocking connection's scored indicators that have a value,
  the one with the lowest score against its target (ties: the heavier weight, then the
  configuration's order). With no blocker, or no such indicator in it, the same over
  every scored indicator; None when every indicator is at target.
- **Next action**: the first of `models.connections.next_actions` (weakest indicator of
  the earliest connection not running, one per class topic), with its topic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import pandas as pd

from models.connections import CONNECTIONS, NO_DATA, Config, is_running, next_actions

Sort = Literal["blocker", "score", "name"]
SORTS: tuple[Sort, ...] = ("blocker", "score", "name")
COLUMNS = [
    "merchant_id",
    "name",
    "industry",
    *[c for conn in CONNECTIONS for c in (conn, f"{conn}_stage")],
    "stage",
    "blocker",
    "behind",
    "behind_value",
    "behind_target",
    "action",
    "action_connection",
    "topic",
]


def blocker(stages: Mapping[str, str]) -> str | None:
    """The earliest connection, in the programme's order, that is not yet running."""
    for connection in CONNECTIONS:
        if not is_running(stages.get(connection, NO_DATA)):
            return connection
    return None


def merchant_stage(stages: Mapping[str, str]) -> str:
    """Where the merchant stands: its blocking connection's stage, else running/leading."""
    blocking = blocker(stages)
    if blocking is not None:
        return stages.get(blocking, NO_DATA)
    return "leading" if all(stages.get(c) == "leading" for c in CONNECTIONS) else "running"


def most_behind(
    indicators: pd.DataFrame, config: Config, connection: str | None
) -> tuple[str, float] | None:
    """The indicator (key, value) most behind target among one merchant-week's rows
    (indicator, value, score): within `connection` when it has one below target, else
    over every scored indicator; None when all are at target."""
    order = {spec.key: n for n, spec in enumerate(config.scored())}
    rows = indicators[indicators["indicator"].isin(list(order))]
    rows = rows[rows["score"].notna() & rows["value"].notna()]
    rows = rows[rows["score"].astype(float) < 100.0]
    if rows.empty:
        return None
    ranked = rows.assign(
        connection=[config.indicators[k].connection for k in rows["indicator"]],
        weight=[-config.indicators[k].weight for k in rows["indicator"]],
        position=[order[k] for k in rows["indicator"]],
        score=rows["score"].astype(float),
    ).sort_values(["score", "weight", "position"])
    within = ranked[ranked["connection"] == connection]
    first = (within if not within.empty else ranked).iloc[0]
    return str(first["indicator"]), float(first["value"])


def board(scores: pd.DataFrame, indicators: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The board of a cohort's week, by name: `scores` as `cohort_scores` returns them (one
    row per merchant), `indicators` as `cohort_indicators` (merchant_id, indicator, value,
    score)."""
    by_merchant = dict(tuple(indicators.groupby("merchant_id"))) if not indicators.empty else {}
    empty = pd.DataFrame(columns=["indicator", "value", "score"])
    rows = []
    for row in scores.to_dict("records"):
        stages = {c: str(row[f"{c}_stage"]) for c in CONNECTIONS}
        mine = by_merchant.get(row["merchant_id"], empty)
        blocking = blocker(stages)
        behind = most_behind(mine, config, blocking)
        target = None
        if behind is not None:
            target = config.indicators[behind[0]].target_for(row.get("industry"))
        actions = next_actions(mine, stages, config, n=1)
        first = actions.iloc[0] if not actions.empty else None
        rows.append(
            {
                "merchant_id": row["merchant_id"],
                "name": row["name"],
                "industry": row.get("industry"),
                **{c: row[c] for c in CONNECTIONS},
                **{f"{c}_stage": stages[c] for c in CONNECTIONS},
                "stage": merchant_stage(stages),
                "blocker": blocking,
                "behind": None if behind is None else behind[0],
                "behind_value": None if behind is None else behind[1],
                "behind_target": target,
                "action": None if first is None else first["indicator"],
                "action_connection": None if first is None else first["connection"],
                "topic": None if first is None else first["topic"],
            }
        )
    out = pd.DataFrame(rows, columns=COLUMNS)
    for c in CONNECTIONS:
        out[c] = out[c].astype(float)
    return out.sort_values(["name", "merchant_id"]).reset_index(drop=True)


def mean_score(frame: pd.DataFrame) -> pd.Series:
    """Each merchant's mean of the connection scores it has."""
    return frame[list(CONNECTIONS)].astype(float).mean(axis=1)


def sort_board(frame: pd.DataFrame, by: Sort) -> pd.DataFrame:
    """`blocker`: the programme's order (touchpoints first, nothing blocking last), within
    a blocker the lowest blocking score first; `score`: the highest mean score first;
    `name`: alphabetical. Ties by name."""
    if by == "name":
        return frame.sort_values(["name", "merchant_id"]).reset_index(drop=True)
    if by == "score":
        keyed = frame.assign(_key=-mean_score(frame))
        return (
            keyed.sort_values(["_key", "name"], na_position="last")
            .drop(columns="_key")
            .reset_index(drop=True)
        )
    rank = {c: n for n, c in enumerate(CONNECTIONS)}
    blocking_score = [
        row[b] if isinstance(b, str) else float("nan")
        for b, row in zip(frame["blocker"], frame.to_dict("records"), strict=True)
    ]
    keyed = frame.assign(
        _rank=[rank.get(b, len(CONNECTIONS)) if isinstance(b, str) else len(CONNECTIONS)
               for b in frame["blocker"]],
        _score=blocking_score,
    )  # fmt: skip
    return (
        keyed.sort_values(["_rank", "_score", "name"], na_position="first")
        .drop(columns=["_rank", "_score"])
        .reset_index(drop=True)
    )


def filter_board(frame: pd.DataFrame, blocked_on: Sequence[str]) -> pd.DataFrame:
    """The merchants blocked on one of `blocked_on` (every merchant when it is empty)."""
    if not blocked_on:
        return frame
    return frame[frame["blocker"].isin(list(blocked_on))].reset_index(drop=True)
