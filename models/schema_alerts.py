"""Tables of operations: the drop-folder watcher (its lock and its deliveries) and alerts
(rules, firings, read marks, recipients' preferences, and the outbox of messages)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.schema import Base, Id


class WatcherLock(Base):
    """One row per watched drop folder while a watcher runs: who holds it, since when, and
    its last heartbeat. A second instance finds the row and refuses to start (a lock whose
    heartbeat is older than the stale limit is taken over: its holder died)."""

    __tablename__ = "watcher_lock"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    folder: Mapped[str] = mapped_column(String(1000))
    source: Mapped[str] = mapped_column(String(500), default="")  # database source, no password
    schedule: Mapped[str] = mapped_column(String(100), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime)


class WatchedDelivery(Base):
    """One delivery the watcher saw: waiting (not complete yet), loading (claimed: the load
    runs), done or failed (moved, with its report). A `loading` row left by a service that
    died is loaded again, once, by the next one."""

    __tablename__ = "watched_deliveries"
    delivery_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(500), index=True)  # entry in the drop folder
    kind: Mapped[str] = mapped_column(String(16))  # folder | zip | database
    state: Mapped[str] = mapped_column(String(16), index=True)  # waiting|loading|done|failed
    seen_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    batch_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="")  # the load's status
    moved_to: Mapped[str] = mapped_column(String(1000), default="")
    message: Mapped[str] = mapped_column(Text, default="")


class AlertRule(Base):
    """A condition watched after every load and on the schedule. `cohort_id` None: every
    merchant (executives only); a coach's rules name one of their cohorts."""

    __tablename__ = "alert_rules"
    rule_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # kpi | stall | stage | late | rejections
    metric: Mapped[str] = mapped_column(String(32), default="")  # kpi: which figure
    direction: Mapped[str] = mapped_column(String(8), default="below")  # kpi: above | below
    threshold: Mapped[float] = mapped_column(Float, default=0)  # kpi value, or a share limit
    period: Mapped[int] = mapped_column(Integer, default=0)  # weeks (stall, stage) or days
    cohort_id: Mapped[str | None] = mapped_column(Id, index=True)
    share_with_merchant: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[bool] = mapped_column(Boolean, default=False)
    webhooks: Mapped[str] = mapped_column(String(500), default="")  # names from settings
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AlertFiring(Base):
    """A rule that holds for a merchant (or for the programme: `merchant_id` None), from
    when it first held until it cleared. One open firing per rule and subject at most."""

    __tablename__ = "alert_firings"
    firing_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.rule_id", ondelete="CASCADE"))
    merchant_id: Mapped[str | None] = mapped_column(Id, index=True)
    subject: Mapped[str] = mapped_column(String(100))  # merchant id, or "programme"
    value: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[str] = mapped_column(String(200), default="")  # a stage, a batch id
    fired_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (Index("ix_alert_firings_rule_subject", "rule_id", "subject"),)


class AlertRead(Base):
    """A user has read a firing in their inbox."""

    __tablename__ = "alert_reads"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.user_id", ondelete="CASCADE"), primary_key=True
    )
    firing_id: Mapped[int] = mapped_column(
        ForeignKey("alert_firings.firing_id", ondelete="CASCADE"), primary_key=True
    )
    read_at: Mapped[datetime] = mapped_column(DateTime)


class AlertPreference(Base):
    """How a user hears of alerts outside the app: the language and whether by email."""

    __tablename__ = "alert_preferences"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.user_id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), default="en")
    email: Mapped[bool] = mapped_column(Boolean, default=False)


class AlertMessage(Base):
    """One message to send (an email to a user, a post to a webhook), its attempts and
    its last error; sent apart from any load, retried with backoff until it goes or gives
    up."""

    __tablename__ = "alert_messages"
    message_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    firing_id: Mapped[int] = mapped_column(
        ForeignKey("alert_firings.firing_id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))  # email | wecom | json
    target: Mapped[str] = mapped_column(String(200))  # user id, or a webhook's name
    lang: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), index=True)  # pending | sent | gave_up
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
