"""Tables of the segments area: the customer features mart and saved segments with their
version history.

`mart_customer_features` has one row per merchant and customer, rebuilt from staging by
`pipelines/mart_customers.py`; rules (`models/segments/rules.py`) run on it in SQL. A saved
segment keeps every edit as a new version; the newest version is the segment.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.schema import Base, Id, Money


class MartCustomerFeatures(Base):
    """One row per merchant and customer (every customer staging knows, buyers or not).

    Dates and day counts are as of the merchant's latest data day (`as_of`: its last order
    or touchpoint event), so relative rules ("in the last 30 days") read the same on a
    delivery that ended long ago. Purchases and repurchases: docs/segments.md.
    """

    __tablename__ = "mart_customer_features"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[str] = mapped_column(Id, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    first_seen_on: Mapped[date | None] = mapped_column(Date)
    first_order_on: Mapped[date | None] = mapped_column(Date)
    last_order_on: Mapped[date | None] = mapped_column(Date)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    purchase_days: Mapped[int] = mapped_column(Integer, default=0)
    repurchases: Mapped[int] = mapped_column(Integer, default=0)
    gmv: Mapped[float] = mapped_column(Money(), default=0)
    refunds: Mapped[float] = mapped_column(Money(), default=0)
    aov: Mapped[float | None] = mapped_column(Money())
    days_since_last_order: Mapped[int | None] = mapped_column(Integer)
    days_since_first_order: Mapped[int | None] = mapped_column(Integer)
    tenure_days: Mapped[int] = mapped_column(Integer, default=0)
    channels: Mapped[str] = mapped_column(String(200), default="")
    channel_count: Mapped[int] = mapped_column(Integer, default=0)
    ch_store: Mapped[bool] = mapped_column(Boolean, default=False)
    ch_mini_program: Mapped[bool] = mapped_column(Boolean, default=False)
    ch_wecom_guide: Mapped[bool] = mapped_column(Boolean, default=False)
    ch_community: Mapped[bool] = mapped_column(Boolean, default=False)
    ch_scan_to_buy: Mapped[bool] = mapped_column(Boolean, default=False)
    ch_livestream: Mapped[bool] = mapped_column(Boolean, default=False)
    ch_other_online: Mapped[bool] = mapped_column(Boolean, default=False)
    is_fan: Mapped[bool] = mapped_column(Boolean, default=False)
    is_guide_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    is_community_member: Mapped[bool] = mapped_column(Boolean, default=False)
    is_cloud_user: Mapped[bool] = mapped_column(Boolean, default=False)
    touchpoint_count: Mapped[int] = mapped_column(Integer, default=0)
    guide_id: Mapped[str | None] = mapped_column(Id)
    store_id: Mapped[str | None] = mapped_column(Id)
    member_level: Mapped[str | None] = mapped_column(String(64))
    r_score: Mapped[int | None] = mapped_column(Integer)
    f_score: Mapped[int | None] = mapped_column(Integer)
    m_score: Mapped[int | None] = mapped_column(Integer)
    rfm_segment: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_mart_customer_features_merchant_segment", "merchant_id", "rfm_segment"),
    )


class SavedSegment(Base):
    """A merchant's saved segment; its rules are in the newest of its versions."""

    __tablename__ = "segments"
    segment_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_id: Mapped[str] = mapped_column(Id, index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)  # the newest version


class SegmentVersion(Base):
    """One saved state of a segment: its definition (JSON) and who saved it when."""

    __tablename__ = "segment_versions"
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.segment_id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime)
    saved_by: Mapped[str] = mapped_column(String(200), default="")
