"""Tables of the three connections: the weekly merchant mart of indicators and connection
scores, coaches' notes, and merchants' self-assessments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.schema import Base, Id


class MartConnectionIndicator(Base):
    """One indicator of one merchant in one week (weeks start on Monday), measured over the
    week and the three before it (stocks: at the end of the week)."""

    __tablename__ = "mart_connection_indicators"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    indicator: Mapped[str] = mapped_column(String(48), primary_key=True)
    value: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)  # 0-100; None for details / no data


class MartConnectionScore(Base):
    """One connection of one merchant in one week: score, stage, and the order rule."""

    __tablename__ = "mart_connection_scores"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    connection: Mapped[str] = mapped_column(String(16), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    stage: Mapped[str] = mapped_column(String(16))
    # The earlier connection, not yet running, that this one scores ahead of (or None).
    ahead_of: Mapped[str | None] = mapped_column(String(16))


class MartConnectionStock(Base):
    """The membership stocks of one merchant at the end of one week, every week of the
    merchant (also those before the indicator mart's first week): a rebuild from a later
    week carries them on from the week before it instead of summing every join and leave
    of the merchant's history (`pipelines.connections_measure.touchpoint_indicators`)."""

    __tablename__ = "mart_connection_stocks"
    merchant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)
    mp_followers: Mapped[float | None] = mapped_column(Float)
    wecom_contacts: Mapped[float | None] = mapped_column(Float)
    community_members: Mapped[float | None] = mapped_column(Float)
    community_guide_layer: Mapped[float | None] = mapped_column(Float)


class CoachNote(Base):
    """A coach's note on a merchant, optionally tied to the next action it agrees."""

    __tablename__ = "coach_notes"
    note_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_id: Mapped[str] = mapped_column(Id, index=True)
    author: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    body: Mapped[str] = mapped_column(Text)


class SelfAssessment(Base):
    """A merchant's answers to the questionnaire, scored per connection (0-100)."""

    __tablename__ = "self_assessments"
    assessment_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_id: Mapped[str] = mapped_column(Id, index=True)
    taken_on: Mapped[date] = mapped_column(Date)
    taken_at: Mapped[datetime] = mapped_column(DateTime)
    taken_by: Mapped[str] = mapped_column(String(200), default="")
    touchpoints: Mapped[float] = mapped_column(Float)
    performance: Mapped[float] = mapped_column(Float)
    data: Mapped[float] = mapped_column(Float)
    answers: Mapped[str] = mapped_column(Text)  # JSON: question id -> answer level
