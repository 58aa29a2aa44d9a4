"""Tables of the ROI area: the margin rate each merchant's campaigns are judged with."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from models.schema import Base, Id


class MerchantMarginRate(Base):
    """A merchant's gross margin rate (0..1), set by an operator or the merchant; without a
    row the industry default of `models.campaign_figures.INDUSTRY_MARGIN` applies."""

    __tablename__ = "roi_margin_rates"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    margin_rate: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
