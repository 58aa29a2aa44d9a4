"""Cohort uplift, the paths: the cohort's daily GMV (or private-domain GMV) beside its
counterfactual from the matched comparison group, as weekly steps and as cumulative
incremental GMV."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from models.uplift_calendar import Windows
from models.uplift_estimator import MIN_CONTROLS, match_controls
from models.uplift_reads import Metric

WEEKLY_COLUMNS = ["week_start", "phase", "days", "cohort_daily", "counterfactual_daily"]
CUMULATIVE_COLUMNS = ["date", "day", "actual", "counterfactual", "incremental", "cumulative"]


def counterfactual_weights(
    averages: pd.DataFrame, control_averages: pd.DataFrame, members: pd.DataFrame,
    controls: pd.DataFrame, metric: Metric = "gmv",
) -> pd.Series:  # fmt: skip
    """Weight of each control's daily GMV in the cohort's counterfactual daily GMV:
    sum_i baseline_i * match_ij / sum_j' match_ij' baseline_j'."""
    base = averages[f"{metric}_baseline"].to_numpy(float)
    base_c = control_averages[f"{metric}_baseline"].to_numpy(float)
    usable, usable_c = base > 0, base_c > 0
    weights = pd.Series(0.0, index=control_averages.index)
    if not usable.any() or usable_c.sum() < MIN_CONTROLS:
        return weights
    industry = members.set_index("merchant_id").loc[averages.index, "industry"].to_numpy()
    industry_c = controls.loc[control_averages.index, "industry"].to_numpy()
    match = match_controls(industry[usable], base[usable], industry_c[usable_c], base_c[usable_c])
    den = match @ base_c[usable_c]
    per_control = (base[usable][:, None] * match / den[:, None]).sum(0)
    weights.loc[control_averages.index[usable_c]] = per_control
    return weights


def daily_paths(
    panel: pd.DataFrame,
    control_days: pd.DataFrame,
    weights: pd.Series,
    first: date,
    last: date,
    metric: Metric = "gmv",
) -> pd.DataFrame:
    """Per day first..last: the cohort's actual and counterfactual `metric`."""
    days = pd.date_range(first, last, freq="D").date
    actual = (
        panel.assign(date=pd.to_datetime(panel["date"]).dt.date)
        .groupby("date")[metric]
        .sum()
        .reindex(days, fill_value=0.0)
        .astype(float)
    )
    if weights.sum() > 0 and len(control_days):
        cd = control_days.assign(date=pd.to_datetime(control_days["date"]).dt.date)
        cd = cd[cd["merchant_id"].isin(weights.index[weights > 0])]
        weighted = cd[metric].astype(float) * cd["merchant_id"].map(weights).to_numpy()
        counterfactual = (
            weighted.groupby(cd["date"]).sum().reindex(days, fill_value=0.0).astype(float)
        )
    else:
        counterfactual = pd.Series(np.nan, index=days)
    return pd.DataFrame(
        {"date": days, "actual": actual.to_numpy(), "counterfactual": counterfactual.to_numpy()}
    )


def weekly_steps(paths: pd.DataFrame, windows: Windows) -> pd.DataFrame:
    """Daily average GMV per week from the baseline start (weeks counted from the baseline
    start; the programme's weeks from its start), with the counterfactual."""
    frame = paths.copy()
    start = windows.programme[0]
    days_from = np.array([(d - start).days for d in frame["date"]])
    frame["week"] = np.floor_divide(days_from, 7)
    frame["phase"] = np.where(
        frame["date"] < start,
        "baseline",
        np.where(frame["date"] <= windows.programme[1], "programme", "post"),
    )
    grouped = frame.groupby(["week", "phase"], sort=True)
    out = grouped.agg(
        week_start=("date", "min"),
        days=("date", "size"),
        cohort_daily=("actual", "mean"),
        counterfactual_daily=("counterfactual", "mean"),
    ).reset_index()
    out = out.sort_values("week_start")
    return out.reindex(columns=WEEKLY_COLUMNS).reset_index(drop=True)


def cumulative_incremental(paths: pd.DataFrame, windows: Windows) -> pd.DataFrame:
    """Per day from the programme start: actual and counterfactual GMV, the difference and
    its running total (the cohort's cumulative incremental GMV)."""
    start = windows.programme[0]
    frame = paths[paths["date"] >= start].copy()
    frame["day"] = [(d - start).days + 1 for d in frame["date"]]
    frame["incremental"] = frame["actual"] - frame["counterfactual"]
    frame["cumulative"] = frame["incremental"].cumsum()
    return frame.reindex(columns=CUMULATIVE_COLUMNS).reset_index(drop=True)
