"""Tables of the ROI area: the margin rate each merchant's campaigns are judged with."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.schema import Base, Id


class MerchantMarginRate(Base):
    """A merchant's gross margin rate (0..1), set by an operator or the merchant; without a
    row the industry default of `models.campaign_figures.INDUSTRY_MARGIN` applies."""

    __tablename__ = "roi_margin_rates"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    margin_rate: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class MartCohortWindows(Base):
    """Per cohort, baseline and merchant (the cohort's participants and every
    non-participant): the GMV and private-domain GMV summed over the windows of the
    cohort's uplift (`models.uplift_calendar.make_windows`), and the merchant's days of
    data between the first and the last of them. Built in the engine at load
    (`pipelines/mart_cohort_windows.py`); only the default baseline (`pre28`)."""

    __tablename__ = "mart_cohort_windows"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    cohort_id: Mapped[str] = mapped_column(Id, primary_key=True)
    baseline: Mapped[str] = mapped_column(String(16), primary_key=True)
    member: Mapped[bool] = mapped_column(Boolean)
    days: Mapped[int] = mapped_column(Integer)
    gmv_pre: Mapped[float] = mapped_column(Float)
    gmv_baseline: Mapped[float] = mapped_column(Float)
    gmv_programme: Mapped[float] = mapped_column(Float)
    gmv_post: Mapped[float] = mapped_column(Float)
    private_gmv_pre: Mapped[float] = mapped_column(Float)
    private_gmv_baseline: Mapped[float] = mapped_column(Float)
    private_gmv_programme: Mapped[float] = mapped_column(Float)
    private_gmv_post: Mapped[float] = mapped_column(Float)
