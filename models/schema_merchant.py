"""Tables of merchant self-service: the column mapping a merchant chose for its own
exports, and one-time invitation links for new accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.schema import Base, Id


class MerchantColumnMap(Base):
    """One column of a merchant's own export (say 订单号) and the contract column it is
    (order_id) for one entity, remembered so the next upload maps itself."""

    __tablename__ = "merchant_column_maps"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    source_column: Mapped[str] = mapped_column(String(200), primary_key=True)
    contract_column: Mapped[str] = mapped_column(String(64))
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Invitation(Base):
    """A one-time link that lets a new user set its password; only the token's SHA-256
    is kept."""

    __tablename__ = "account_invitations"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
