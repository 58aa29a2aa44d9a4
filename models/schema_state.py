"""Product state: a few named values the product itself declares (demo mode)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from models.schema import Base


class AppState(Base):
    """One declared value per name, e.g. `demo` = `on` | `ended`."""

    __tablename__ = "app_state"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
