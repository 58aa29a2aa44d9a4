"""Cohort uplift, the reads: a cohort's window, its merchants' days, the comparison
group's days (anonymised outside the executive view) and the daily averages per window.
Every read takes the scope and filters in the engine."""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy import Engine, or_, select

from models.db import read_frame
from models.schema import Cohort, MartMerchantDay, Merchant
from models.schema_roi import MartCohortWindows
from models.scope import Scope
from models.uplift_calendar import Window, Windows
from models.uplift_estimator import MIN_CONTROLS

Metric = Literal["gmv", "private_gmv"]
METRICS: tuple[Metric, ...] = ("gmv", "private_gmv")

_D = MartMerchantDay.__table__.c
_M = Merchant.__table__.c
_C = Cohort.__table__.c

PANEL_COLUMNS = ["merchant_id", "name", "industry", "date", "gmv", "private_gmv"]


def cohort_info(*, engine: Engine, scope: Scope, cohort_id: str) -> dict[str, object] | None:
    """The cohort's id, name and programme window, if this scope may see it."""
    stmt = select(_C.cohort_id, _C.name, _C.start_date, _C.end_date).where(
        _C.cohort_id == cohort_id, scope.cohort_filter(_C.cohort_id)
    )
    with engine.connect() as connection:
        row = connection.execute(stmt).first()
    return None if row is None else dict(row._mapping)


def _in_windows(windows: list[Window]):  # noqa: ANN202 - a SQL clause
    return or_(*[_D.date.between(lo, hi) for lo, hi in windows])


def member_panel(
    *, engine: Engine, scope: Scope, cohort_id: str, windows: list[Window]
) -> pd.DataFrame:
    """Merchant-days of the cohort's merchants in scope inside the given windows."""
    stmt = (
        select(_M.merchant_id, _M.name, _M.industry, _D.date, _D.gmv, _D.private_gmv)
        .join(MartMerchantDay.__table__, _D.merchant_id == _M.merchant_id)
        .where(scope.merchant_filter(_M.merchant_id), _M.cohort_id == cohort_id)
        .where(_in_windows(windows))
        .order_by(_M.merchant_id, _D.date)
    )
    return read_frame(engine, stmt).reindex(columns=PANEL_COLUMNS)


def member_list(*, engine: Engine, scope: Scope, cohort_id: str) -> pd.DataFrame:
    """The cohort's merchants in scope (also those without any day in the windows)."""
    stmt = (
        select(_M.merchant_id, _M.name, _M.industry)
        .where(scope.merchant_filter(_M.merchant_id), _M.cohort_id == cohort_id)
        .order_by(_M.merchant_id)
    )
    return read_frame(engine, stmt).reindex(columns=["merchant_id", "name", "industry"])


def control_pool(*, engine: Engine, scope: Scope) -> list[str]:
    """Every non-participant (blank cohort), sorted, as `control_panel` names them: the
    units the comparison group's bootstrap resamples, the same for every cohort."""
    stmt = select(_M.merchant_id).where(_M.cohort_id.is_(None)).order_by(_M.merchant_id)
    with engine.connect() as connection:
        ids = [str(mid) for mid in connection.execute(stmt).scalars()]
    return ids if scope.sees_everything else [_alias(i) for i in range(len(ids))]


def _alias(position: int) -> str:
    return f"control-{position + 1:02d}"


def control_panel(*, engine: Engine, scope: Scope, windows: list[Window]) -> pd.DataFrame:
    """Merchant-days of the non-participants (blank cohort) inside the windows.

    The comparison group is shown only as an aggregate; outside the executive view its
    merchants come anonymised (`control-01`, ... by merchant id among all
    non-participants), without names, and only when at least `MIN_CONTROLS` of them have
    a day in the windows: no one learns a peer's figures.
    """
    stmt = (
        select(_M.merchant_id, _M.industry, _D.date, _D.gmv, _D.private_gmv)
        .join(MartMerchantDay.__table__, _D.merchant_id == _M.merchant_id)
        .where(_M.cohort_id.is_(None), _in_windows(windows))
        .order_by(_M.merchant_id, _D.date)
    )
    frame = read_frame(engine, stmt).reindex(
        columns=["merchant_id", "industry", "date", "gmv", "private_gmv"]
    )
    if frame["merchant_id"].nunique() < MIN_CONTROLS:
        return frame.iloc[0:0]
    if not scope.sees_everything:
        every = control_pool(engine=engine, scope=Scope.executive())
        alias = {mid: _alias(i) for i, mid in enumerate(every)}
        frame["merchant_id"] = frame["merchant_id"].map(alias)
    return frame


def data_end(engine: Engine, scope: Scope) -> date | None:
    stmt = select(_D.date).where(scope.merchant_filter(_D.merchant_id))
    stmt = stmt.order_by(_D.date.desc()).limit(1)
    with engine.connect() as connection:
        return connection.execute(stmt).scalar()


# --- window figures --------------------------------------------------------------------

WINDOW_NAMES = ("pre", "baseline", "programme", "post")


def window_averages(
    panel: pd.DataFrame, windows: Windows, merchants: pd.Series | None = None
) -> pd.DataFrame:
    """Per merchant and metric, the daily average in each window (sum / calendar days), as
    columns `<metric>_<window>`; merchants without a day in a window get 0 there."""
    ids = pd.Index(
        sorted(set(panel["merchant_id"]) | set(merchants if merchants is not None else [])),
        name="merchant_id",
    )
    out = pd.DataFrame(index=ids)
    # days as datetime64, compared with the window's ends as such: comparing date objects
    # row by row took most of a cold cohort uplift
    days = pd.to_datetime(panel["date"]).to_numpy(dtype="datetime64[D]")
    for name in WINDOW_NAMES:
        window = getattr(windows, name)
        if window is None:
            for metric in METRICS:
                out[f"{metric}_{name}"] = np.nan
            continue
        inside = (days >= np.datetime64(window[0], "D")) & (days <= np.datetime64(window[1], "D"))
        sums = panel.loc[inside].groupby("merchant_id")[list(METRICS)].sum().astype(float)
        for metric in METRICS:
            out[f"{metric}_{name}"] = sums[metric].reindex(ids, fill_value=0.0) / windows.days(name)
    return out


# --- the cohort windows mart -----------------------------------------------------------

MART_BASELINES = ("pre28",)  # the baselines `mart_cohort_windows` holds


def mart_averages(
    *, engine: Engine, scope: Scope, cohort_id: str, baseline: str, windows: Windows
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None:
    """The daily averages of `window_averages` from `mart_cohort_windows` instead of the
    merchants' days: the cohort's participants', the comparison group's and the comparison
    group's industries (index merchant_id), as `member_panel`, `control_panel` and
    `window_averages` give them. None where the mart cannot say: a baseline it does not
    hold, a scope that does not see every merchant (its comparison group is anonymised
    and its windows end at its own latest day), or no row of the cohort (not built yet)."""
    if baseline not in MART_BASELINES or not scope.sees_everything:
        return None
    w = MartCohortWindows.__table__.c
    stmt = (
        select(*w, _M.industry)
        .join(Merchant.__table__, _M.merchant_id == w.merchant_id)
        .where(w.cohort_id == cohort_id, w.baseline == baseline)
        .order_by(w.merchant_id)
    )
    rows = read_frame(engine, stmt)
    if rows.empty:
        return None
    rows["member"] = rows["member"].astype(bool)
    # a non-participant is in the comparison group when it has a day in the windows, and
    # the group only with MIN_CONTROLS of them (as `control_panel`)
    controls = rows[~rows["member"] & (rows["days"] > 0)]
    if len(controls) < MIN_CONTROLS:
        controls = controls.iloc[0:0]

    def averages(part: pd.DataFrame) -> pd.DataFrame:
        columns = {
            f"{metric}_{name}": (
                np.full(len(part), np.nan)
                if getattr(windows, name) is None
                else part[f"{metric}_{name}"].to_numpy(float) / windows.days(name)
            )
            for name in WINDOW_NAMES
            for metric in METRICS
        }
        index = pd.Index(part["merchant_id"].astype(str).to_numpy(), name="merchant_id")
        return pd.DataFrame(columns, index=index)

    industries = controls.set_index(controls["merchant_id"].astype(str))[["industry"]]
    industries.index.name = "merchant_id"
    return averages(rows[rows["member"]]), averages(controls), industries
