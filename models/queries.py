"""Typed, keyword-only reads. Every function that can see merchant data takes a `Scope`
and filters in SQL; results are small frames ready to draw.

Page -> one of these functions -> a mart or staging table: that is how any number on
screen is traced back to its SQL.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine, Select, and_, case, distinct, func, select

from models.db import read_frame
from models.kpis import raw_uplift
from models.schema import Cohort, LoadBatch, LoadFile, LoadRejection, MartMerchantDay, Merchant
from models.scope import Scope
from models.uplift_calendar import BASELINE_DAYS

_D = MartMerchantDay.__table__.c
_M = Merchant.__table__.c
_C = Cohort.__table__.c


def _frame(engine: Engine, stmt: Select, columns: list[str] | None = None) -> pd.DataFrame:
    frame = read_frame(engine, stmt)
    if columns is not None:
        frame = frame.reindex(columns=columns)
    return frame


def _in_cohort(cohort_id: str | None, merchant_id: str | None = None):  # noqa: ANN202
    """A SQL clause: one cohort's merchants (or all), and one merchant (or all)."""
    clause = _M.cohort_id == cohort_id if cohort_id else _M.merchant_id.is_not(None)
    return clause & (_M.merchant_id == merchant_id) if merchant_id else clause


# --- reference data --------------------------------------------------------------------


def cohorts(*, engine: Engine, scope: Scope) -> pd.DataFrame:
    """Cohorts this scope may see, with their number of merchants, oldest first."""
    merchants = (
        select(_M.cohort_id, func.count().label("merchants"))
        .where(scope.merchant_filter(_M.merchant_id))
        .group_by(_M.cohort_id)
        .subquery()
    )
    stmt = (
        select(
            _C.cohort_id,
            _C.name,
            _C.start_date,
            _C.end_date,
            _C.programme,
            func.coalesce(merchants.c.merchants, 0).label("merchants"),
        )
        .join(merchants, merchants.c.cohort_id == _C.cohort_id, isouter=True)
        .where(scope.cohort_filter(_C.cohort_id))
        .order_by(_C.start_date, _C.cohort_id)
    )
    return _frame(engine, stmt)


def merchants(*, engine: Engine, scope: Scope, cohort_id: str | None = None) -> pd.DataFrame:
    """Merchants this scope may see (optionally of one cohort), by name."""
    stmt = (
        select(_M.merchant_id, _M.name, _M.industry, _M.region, _M.store_count, _M.cohort_id)
        .where(scope.merchant_filter(_M.merchant_id), _in_cohort(cohort_id))
        .order_by(_M.name)
    )
    return _frame(engine, stmt)


def data_window(*, engine: Engine, scope: Scope) -> tuple[date, date] | None:
    """First and last day with data that this scope may see; None when there is none."""
    stmt = select(func.min(_D.date), func.max(_D.date)).where(scope.merchant_filter(_D.merchant_id))
    with engine.connect() as connection:
        first, last = connection.execute(stmt).one()
    if first is None or last is None:
        return None
    return first, last


# --- overview --------------------------------------------------------------------------


DAILY_KPI_COLUMNS = [
    "date",
    "gmv",
    "private_gmv",
    "refunds",
    "orders",
    "buyers",
    "active_merchants",
    "cloud_users",
    "visitors",
    "identified_visitors",
]


def daily_kpis(
    *,
    engine: Engine,
    scope: Scope,
    start: date,
    end: date,
    cohort_id: str | None = None,
    merchant_id: str | None = None,
) -> pd.DataFrame:
    """Programme totals per day in [start, end] over the merchants in scope (and cohort, or
    one merchant)."""
    stmt = (
        select(
            _D.date,
            func.sum(_D.gmv).label("gmv"),
            func.sum(_D.private_gmv).label("private_gmv"),
            func.sum(_D.refunds).label("refunds"),
            func.sum(_D.orders).label("orders"),
            func.sum(_D.buyers).label("buyers"),
            func.sum(case((_D.orders > 0, 1), else_=0)).label("active_merchants"),
            func.sum(_D.cloud_users).label("cloud_users"),
            func.sum(_D.visitors).label("visitors"),
            func.sum(_D.identified_visitors).label("identified_visitors"),
        )
        .join(Merchant.__table__, _M.merchant_id == _D.merchant_id)
        .where(
            scope.merchant_filter(_D.merchant_id),
            _in_cohort(cohort_id, merchant_id),
            _D.date.between(start, end),
        )
        .group_by(_D.date)
        .order_by(_D.date)
    )
    return _frame(engine, stmt, DAILY_KPI_COLUMNS)


def active_merchant_count(
    *,
    engine: Engine,
    scope: Scope,
    start: date,
    end: date,
    cohort_id: str | None = None,
    merchant_id: str | None = None,
) -> int:
    """Merchants in scope with at least one order in [start, end]."""
    stmt = (
        select(func.count(distinct(_D.merchant_id)))
        .join(Merchant.__table__, _M.merchant_id == _D.merchant_id)
        .where(
            scope.merchant_filter(_D.merchant_id),
            _in_cohort(cohort_id, merchant_id),
            _D.date.between(start, end),
            _D.orders > 0,
        )
    )
    with engine.connect() as connection:
        return int(connection.execute(stmt).scalar_one())


def cohort_daily_gmv(*, engine: Engine, scope: Scope, start: date, end: date) -> pd.DataFrame:
    """GMV per cohort and day; non-participants (blank cohort) come as cohort_id None."""
    stmt = (
        select(
            _M.cohort_id,
            _D.date,
            func.count(distinct(_D.merchant_id)).label("merchants"),
            func.sum(_D.gmv).label("gmv"),
            func.sum(_D.private_gmv).label("private_gmv"),
        )
        .join(Merchant.__table__, _M.merchant_id == _D.merchant_id)
        .where(scope.merchant_filter(_D.merchant_id), _D.date.between(start, end))
        .group_by(_M.cohort_id, _D.date)
        .order_by(_M.cohort_id, _D.date)
    )
    return _frame(engine, stmt, ["cohort_id", "date", "merchants", "gmv", "private_gmv"])


def _window_totals(
    engine: Engine, scope: Scope, cohort_id: str, windows: dict[str, tuple[date, date]]
) -> dict[str, float]:
    sums = [
        func.coalesce(func.sum(case((_D.date.between(lo, hi), _D.gmv), else_=0)), 0).label(name)
        for name, (lo, hi) in windows.items()
    ]
    stmt = (
        select(*sums)
        .join(Merchant.__table__, _M.merchant_id == _D.merchant_id)
        .where(scope.merchant_filter(_D.merchant_id), _M.cohort_id == cohort_id)
    )
    with engine.connect() as connection:
        row = connection.execute(stmt).one()
    return {name: float(value or 0) for name, value in zip(windows, row, strict=True)}


COHORT_TABLE_COLUMNS = [
    "cohort_id",
    "name",
    "start_date",
    "end_date",
    "merchants",
    "baseline_daily_gmv",
    "programme_daily_gmv",
    "raw_uplift",
]


def cohort_uplift_table(
    *, engine: Engine, scope: Scope, baseline_days: int = BASELINE_DAYS
) -> pd.DataFrame:
    """Per cohort: daily average GMV in the `baseline_days` before the start and during the
    programme, and the raw (published, period-over-period) uplift between them."""
    rows = []
    for cohort in cohorts(engine=engine, scope=scope).itertuples(index=False):
        start, end = cohort.start_date, cohort.end_date
        windows = {
            "baseline": (start - timedelta(days=baseline_days), start - timedelta(days=1)),
            "programme": (start, end),
        }
        totals = _window_totals(engine, scope, cohort.cohort_id, windows)
        programme_days = (end - start).days + 1
        baseline = totals["baseline"] / baseline_days
        during = totals["programme"] / programme_days
        rows.append(
            {
                "cohort_id": cohort.cohort_id,
                "name": cohort.name,
                "start_date": start,
                "end_date": end,
                "merchants": cohort.merchants,
                "baseline_daily_gmv": baseline,
                "programme_daily_gmv": during,
                "raw_uplift": raw_uplift(baseline, during),
            }
        )
    return pd.DataFrame(rows, columns=COHORT_TABLE_COLUMNS)


MOVER_COLUMNS = [
    "merchant_id",
    "name",
    "cohort_id",
    "industry",
    "daily_gmv",
    "previous_daily_gmv",
    "change",
]


def merchant_movers(
    *,
    engine: Engine,
    scope: Scope,
    start: date,
    end: date,
    cohort_id: str | None = None,
) -> pd.DataFrame:
    """Each merchant's daily average GMV in [start, end] against the period of equal length
    just before, sorted by change (largest rise first). Merchants with no previous GMV have
    change None and come last."""
    days = (end - start).days + 1
    previous_start = start - timedelta(days=days)
    now = func.sum(case((_D.date >= start, _D.gmv), else_=0))
    before = func.sum(case((_D.date < start, _D.gmv), else_=0))
    stmt = (
        select(
            _M.merchant_id,
            _M.name,
            _M.cohort_id,
            _M.industry,
            (now / days).label("daily_gmv"),
            (before / days).label("previous_daily_gmv"),
        )
        .join(MartMerchantDay.__table__, _M.merchant_id == _D.merchant_id)
        .where(
            scope.merchant_filter(_M.merchant_id),
            _in_cohort(cohort_id),
            _D.date.between(previous_start, end),
        )
        .group_by(_M.merchant_id, _M.name, _M.cohort_id, _M.industry)
    )
    frame = _frame(engine, stmt, MOVER_COLUMNS[:-1])
    frame["change"] = [
        raw_uplift(b, n)
        for b, n in zip(frame["previous_daily_gmv"], frame["daily_gmv"], strict=True)
    ]
    return frame.sort_values("change", ascending=False, na_position="last").reset_index(drop=True)


# --- deliveries --------------------------------------------------------------------------

_B = LoadBatch.__table__.c
_F = LoadFile.__table__.c
_R = LoadRejection.__table__.c


def _batch_filter(scope: Scope):  # noqa: ANN202 - a SQL clause
    """Executives see every delivery; anybody else only the deliveries they loaded."""
    return _B.batch_id.is_not(None) if scope.sees_everything else _B.loaded_by == scope.user


def load_history(*, engine: Engine, scope: Scope, limit: int = 100) -> pd.DataFrame:
    """The latest deliveries, newest first."""
    stmt = (
        select(LoadBatch.__table__)
        .where(_batch_filter(scope))
        .order_by(_B.batch_id.desc())
        .limit(limit)
    )
    return _frame(engine, stmt)


def load_files(*, engine: Engine, scope: Scope, batch_id: int) -> pd.DataFrame:
    """The files of one delivery with their counts."""
    stmt = (
        select(LoadFile.__table__)
        .join(LoadBatch.__table__, _B.batch_id == _F.batch_id)
        .where(_F.batch_id == batch_id, _batch_filter(scope))
        .order_by(_F.file_id)
    )
    return _frame(engine, stmt)


def rejections(
    *, engine: Engine, scope: Scope, batch_id: int, limit: int | None = None
) -> pd.DataFrame:
    """Rejected rows of one delivery, by file and line."""
    stmt = (
        select(_R.file_name, _R.line, _R.column, _R.value, _R.reason)
        .join(LoadBatch.__table__, _B.batch_id == _R.batch_id)
        .where(and_(_R.batch_id == batch_id, _batch_filter(scope)))
        .order_by(_R.rejection_id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return _frame(engine, stmt, ["file_name", "line", "column", "value", "reason"])
