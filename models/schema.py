"""SQLAlchemy tables: staging (one per contract file), load bookkeeping, marts.

Staging tables hold each delivery cleaned and typed; a re-delivered key replaces
its row. Marts are rebuilt from staging by `pipelines.marts` and are what the
pages read. Alembic migrations in `migrations/` create and upgrade all of this.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Money(TypeDecorator[float]):
    """CNY with cents: NUMERIC(14, 2) in the database, always a float in Python (SQLite
    would otherwise hand whole amounts back as int)."""

    impl = Numeric(14, 2, asdecimal=False)
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> float | None:
        return None if value is None else float(value)


Id = String(64)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class (typed for Core statements)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Staged:
    """Columns every staging table has: which delivery last wrote the row."""

    batch_id: Mapped[int | None] = mapped_column(Integer)


# --- staging -------------------------------------------------------------------------


class Cohort(Staged, Base):
    __tablename__ = "cohorts"
    cohort_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    programme: Mapped[str | None] = mapped_column(String(200))


class Merchant(Staged, Base):
    __tablename__ = "merchants"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(100))
    store_count: Mapped[int | None] = mapped_column(Integer)
    cohort_id: Mapped[str | None] = mapped_column(Id, index=True)
    joined_on: Mapped[date | None] = mapped_column(Date)


class Store(Staged, Base):
    __tablename__ = "stores"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    store_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    opened_on: Mapped[date | None] = mapped_column(Date)


class Guide(Staged, Base):
    __tablename__ = "guides"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    guide_id: Mapped[str] = mapped_column(Id, primary_key=True)
    store_id: Mapped[str | None] = mapped_column(Id)
    role: Mapped[str | None] = mapped_column(String(32))
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class Customer(Staged, Base):
    __tablename__ = "customers"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[str] = mapped_column(Id, primary_key=True)
    first_seen_on: Mapped[date | None] = mapped_column(Date)
    unified_id: Mapped[str | None] = mapped_column(Id)
    member_level: Mapped[str | None] = mapped_column(String(64))
    # "file" when delivered in customers, else the file the id was first seen in.
    source: Mapped[str] = mapped_column(String(32), default="file")

    # the marts ask which rows a delivery wrote (migration 0019)
    __table_args__ = (Index("ix_customers_batch_id", "batch_id"),)


class Order(Staged, Base):
    __tablename__ = "orders"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    order_id: Mapped[str] = mapped_column(Id, primary_key=True)
    ordered_at: Mapped[datetime] = mapped_column(DateTime)
    ordered_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(32))
    gmv: Mapped[float] = mapped_column(Money())
    store_id: Mapped[str | None] = mapped_column(Id)
    customer_id: Mapped[str | None] = mapped_column(Id)
    guide_id: Mapped[str | None] = mapped_column(Id)
    campaign_id: Mapped[str | None] = mapped_column(Id, index=True)
    refund: Mapped[float] = mapped_column(Money(), default=0)

    __table_args__ = (
        Index("ix_orders_merchant_day", "merchant_id", "ordered_on"),
        # a re-delivered order is looked up by its id alone (it may have moved merchant)
        Index("ix_orders_order_id", "order_id"),
        Index("ix_orders_merchant_customer", "merchant_id", "customer_id"),
        Index("ix_orders_batch_id", "batch_id"),  # which rows a delivery wrote
    )


class TouchpointEvent(Staged, Base):
    __tablename__ = "touchpoint_events"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    event_id: Mapped[str] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[str] = mapped_column(Id)
    touchpoint: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    occurred_on: Mapped[date] = mapped_column(Date)
    guide_id: Mapped[str | None] = mapped_column(Id)
    group_id: Mapped[str | None] = mapped_column(Id)

    __table_args__ = (
        Index("ix_touchpoint_events_merchant_day", "merchant_id", "occurred_on"),
        # a re-delivered event is looked up by its id alone (it may have moved merchant)
        Index("ix_touchpoint_events_event_id", "event_id"),
        Index("ix_touchpoint_events_merchant_customer", "merchant_id", "customer_id"),
        Index("ix_touchpoint_events_batch_id", "batch_id"),  # which rows a delivery wrote
    )


class StoreTraffic(Staged, Base):
    __tablename__ = "store_traffic"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    # "" for a merchant-level row (blank store_id in the delivery).
    store_id: Mapped[str] = mapped_column(Id, primary_key=True)
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    visitors: Mapped[int] = mapped_column(Integer)
    identified_visitors: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_store_traffic_batch_id", "batch_id"),)  # migration 0019


class Campaign(Staged, Base):
    __tablename__ = "campaigns"
    campaign_id: Mapped[str] = mapped_column(Id, primary_key=True)
    merchant_id: Mapped[str] = mapped_column(Id, index=True)
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    cost: Mapped[float] = mapped_column(Money())
    end_date: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(32))
    segment_id: Mapped[str | None] = mapped_column(Id)
    offer: Mapped[str | None] = mapped_column(String(200))
    holdout_share: Mapped[float | None] = mapped_column(Float)


class CampaignAssignment(Staged, Base):
    __tablename__ = "campaign_assignments"
    campaign_id: Mapped[str] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[str] = mapped_column(Id, primary_key=True)
    merchant_id: Mapped[str] = mapped_column(Id, index=True)  # the campaign's merchant
    group: Mapped[str] = mapped_column(String(16))


class Attendance(Staged, Base):
    __tablename__ = "attendance"
    cohort_id: Mapped[str] = mapped_column(Id, primary_key=True)
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    session_id: Mapped[str] = mapped_column(Id, primary_key=True)
    session_date: Mapped[date] = mapped_column(Date)
    attended: Mapped[bool] = mapped_column(Boolean)
    session_type: Mapped[str | None] = mapped_column(String(32))
    topic: Mapped[str | None] = mapped_column(String(200))


STAGING: dict[str, type[Base]] = {
    "cohorts": Cohort,
    "merchants": Merchant,
    "stores": Store,
    "guides": Guide,
    "customers": Customer,
    "orders": Order,
    "touchpoint_events": TouchpointEvent,
    "store_traffic": StoreTraffic,
    "campaigns": Campaign,
    "campaign_assignments": CampaignAssignment,
    "attendance": Attendance,
}


# --- load bookkeeping ----------------------------------------------------------------


class LoadBatch(Base):
    """One delivery, loaded (or refused) as one transaction."""

    __tablename__ = "load_batches"
    batch_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(500))
    loaded_by: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    # loaded | partial (some rows rejected) | refused | failed | empty
    status: Mapped[str] = mapped_column(String(16))
    all_or_nothing: Mapped[bool] = mapped_column(Boolean, default=False)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_new: Mapped[int] = mapped_column(Integer, default=0)
    rows_replaced: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")


class LoadFile(Base):
    """One file of a delivery: what was read, loaded, replaced and rejected."""

    __tablename__ = "load_files"
    file_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batches.batch_id"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    entity: Mapped[str | None] = mapped_column(String(64))  # None: not a contract file
    sha256: Mapped[str] = mapped_column(String(64), default="")
    encoding: Mapped[str] = mapped_column(String(32), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_new: Mapped[int] = mapped_column(Integer, default=0)
    rows_replaced: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    unknown_columns: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class LoadRejection(Base):
    """A rejected row (or a file-level problem, line 0): where, what, and why."""

    __tablename__ = "load_rejections"
    rejection_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batches.batch_id"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    line: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)


class LoadLock(Base):
    """Who is loading into this database right now: one row while a load runs, so a second
    load waits or says who holds it and since when (`pipelines.lock`)."""

    __tablename__ = "load_lock"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)  # always "load"
    token: Mapped[str] = mapped_column(String(64))  # which load holds it
    holder: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    host: Mapped[str] = mapped_column(String(200), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    since: Mapped[datetime] = mapped_column(DateTime)


# --- marts ---------------------------------------------------------------------------


class MartMerchantDay(Base):
    """One row per merchant and calendar day, from its first to its last day of data."""

    __tablename__ = "mart_merchant_day"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    date: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    gmv: Mapped[float] = mapped_column(Money(), default=0)
    refunds: Mapped[float] = mapped_column(Money(), default=0)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    buyers: Mapped[int] = mapped_column(Integer, default=0)
    new_buyers: Mapped[int] = mapped_column(Integer, default=0)
    repeat_buyers: Mapped[int] = mapped_column(Integer, default=0)
    identified_orders: Mapped[int] = mapped_column(Integer, default=0)
    anonymous_orders: Mapped[int] = mapped_column(Integer, default=0)
    private_gmv: Mapped[float] = mapped_column(Money(), default=0)
    gmv_store: Mapped[float] = mapped_column(Money(), default=0)
    gmv_mini_program: Mapped[float] = mapped_column(Money(), default=0)
    gmv_wecom_guide: Mapped[float] = mapped_column(Money(), default=0)
    gmv_community: Mapped[float] = mapped_column(Money(), default=0)
    gmv_scan_to_buy: Mapped[float] = mapped_column(Money(), default=0)
    gmv_livestream: Mapped[float] = mapped_column(Money(), default=0)
    gmv_other_online: Mapped[float] = mapped_column(Money(), default=0)
    visitors: Mapped[int] = mapped_column(Integer, default=0)
    identified_visitors: Mapped[int] = mapped_column(Integer, default=0)
    new_cloud_users: Mapped[int] = mapped_column(Integer, default=0)
    cloud_users: Mapped[int] = mapped_column(Integer, default=0)  # at the end of the day
