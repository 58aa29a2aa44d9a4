"""Telling people outside the app: email over SMTP, WeCom group-robot and generic JSON
webhooks. Sent from an outbox, apart from any load: `enqueue` records who is to be told
of new firings; `deliver` sends what is due and, on failure, records the error and tries
again later with a doubling wait, up to `MAX_ATTEMPTS`.

Secrets (SMTP password, webhook addresses, which carry the robot's key) come from the
settings only: `GROWTH_SMTP_*` and `GROWTH_WEBHOOKS` (JSON) in the environment, or the
`[growth.smtp]` and `[growth.webhooks.<name>]` sections of `.streamlit/secrets.toml`.
A webhook has a scope of its own (`cohorts` or `merchant`; neither: the whole programme)
and is told only of the firings that scope may see, in its language (`lang`).
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, Engine, insert, select, update

from i18n.alert_messages import message
from models.alerts_inbox import email_recipients, firing_for
from models.auth import scope_of
from models.permissions import OutOfScope
from models.schema import table_of
from models.schema_alerts import AlertFiring, AlertMessage, AlertRule
from models.scope import Scope
from models.settings import SECRETS_PATH

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_WAIT = timedelta(seconds=30)  # then 1, 2, 4, 8 minutes
TIMEOUT_SECONDS = 10.0
WEBHOOK_KINDS = ("wecom", "json")

_A = table_of(AlertMessage).c
_F = table_of(AlertFiring).c
_R = table_of(AlertRule).c


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = "growth-dashboard@localhost"
    starttls: bool = False


@dataclass(frozen=True)
class Webhook:
    name: str
    kind: str  # wecom | json
    url: str = field(repr=False)
    lang: str = "zh"
    cohorts: tuple[str, ...] = ()
    merchant: str | None = None

    @property
    def scope(self) -> Scope:
        if self.merchant:
            return Scope.merchant(self.merchant, user=f"webhook:{self.name}")
        if self.cohorts:
            return Scope.coach(list(self.cohorts), user=f"webhook:{self.name}")
        return Scope.executive(user=f"webhook:{self.name}")


@dataclass(frozen=True)
class NotifySettings:
    smtp: Smtp | None = None
    webhooks: Mapping[str, Webhook] = field(default_factory=dict)


def _webhook(name: str, raw: Mapping[str, Any]) -> Webhook:
    kind = str(raw.get("kind", "json"))
    if kind not in WEBHOOK_KINDS:
        raise ValueError(f"webhook {name!r}: kind {kind!r}; allowed: {', '.join(WEBHOOK_KINDS)}")
    if not raw.get("url"):
        raise ValueError(f"webhook {name!r}: no url")
    return Webhook(
        name=name,
        kind=kind,
        url=str(raw["url"]),
        lang=str(raw.get("lang", "zh")),
        cohorts=tuple(str(c) for c in raw.get("cohorts", ())),
        merchant=str(raw["merchant"]) if raw.get("merchant") else None,
    )


def load_notify_settings(
    env: Mapping[str, str] | None = None, secrets_path: Path = SECRETS_PATH
) -> NotifySettings:
    """SMTP and webhooks from the environment first, then the secrets file."""
    env = os.environ if env is None else env
    secrets: Mapping[str, Any] = {}
    if secrets_path.is_file():
        with secrets_path.open("rb") as fh:
            secrets = tomllib.load(fh).get("growth", {})
    smtp_section: Mapping[str, Any] = secrets.get("smtp", {})

    def smtp_value(name: str, default: str = "") -> str:
        value = env.get(f"GROWTH_SMTP_{name.upper()}") or smtp_section.get(name)
        return str(value) if value not in (None, "") else default

    host = smtp_value("host")
    smtp = (
        Smtp(
            host=host,
            port=int(smtp_value("port", "25")),
            user=smtp_value("user"),
            password=smtp_value("password"),
            sender=smtp_value("sender", "growth-dashboard@localhost"),
            starttls=smtp_value("starttls", "0").lower() in ("1", "true", "yes", "on"),
        )
        if host
        else None
    )
    raw_hooks: Mapping[str, Any] = (
        json.loads(env["GROWTH_WEBHOOKS"])
        if env.get("GROWTH_WEBHOOKS")
        else secrets.get("webhooks", {})
    )
    hooks = {name: _webhook(name, raw) for name, raw in raw_hooks.items()}
    return NotifySettings(smtp=smtp, webhooks=hooks)


# --- the outbox ------------------------------------------------------------------------


def _add(
    connection: Connection,
    firing_id: int,
    channel: str,
    target: str,
    lang: str,
    now: datetime,
    error: str = "",
) -> None:
    connection.execute(
        insert(table_of(AlertMessage)).values(
            firing_id=firing_id,
            channel=channel,
            target=target,
            lang=lang,
            state="gave_up" if error else "pending",
            attempts=0,
            next_at=now,
            last_error=error,
        )
    )


def enqueue(engine: Engine, firing_ids: list[int], settings: NotifySettings, now: datetime) -> int:
    """Record the emails and webhook posts that tell of `firing_ids`; how many."""
    added = 0
    with engine.begin() as connection:
        for firing_id in firing_ids:
            for user_id, _address, lang in email_recipients(connection, firing_id):
                _add(connection, firing_id, "email", str(user_id), lang, now)
                added += 1
            names = connection.execute(
                select(_R.webhooks)
                .join(table_of(AlertFiring), _F.rule_id == _R.rule_id)
                .where(_F.firing_id == firing_id)
            ).scalar()
            for name in filter(None, (names or "").split(",")):
                hook = settings.webhooks.get(name)
                if hook is None:
                    _add(
                        connection,
                        firing_id,
                        "json",
                        name,
                        "en",
                        now,
                        f"no webhook named {name!r} in the settings",
                    )
                elif firing_for(connection, scope=hook.scope, firing_id=firing_id) is not None:
                    _add(connection, firing_id, hook.kind, name, hook.lang, now)
                    added += 1
    return added


def _address(connection: Connection, user_id: int) -> str | None:
    users = table_of(AlertRule).metadata.tables["users"]
    return connection.execute(select(users.c.email).where(users.c.user_id == user_id)).scalar()


Sender = Callable[[str, str, str, Mapping[str, Any]], None]


def send_email(smtp: Smtp, to: str, subject: str, body: str) -> None:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = smtp.sender, to, subject
    mail.set_content(body)
    with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.user:
            client.login(smtp.user, smtp.password)
        client.send_message(mail)


def post_webhook(hook: Webhook, subject: str, body: str, facts: Mapping[str, Any]) -> None:
    """Post to a webhook; raise on any answer but success (WeCom: `errcode` 0)."""
    if hook.kind == "wecom":
        payload: dict[str, Any] = {"msgtype": "text", "text": {"content": f"{subject}\n{body}"}}
    else:
        payload = {
            "title": subject,
            "text": body,
            "lang": hook.lang,
            "rule": facts["rule_name"],
            "kind": facts["kind"],
            "merchant_id": facts.get("merchant_id"),
            "value": facts.get("value"),
            "fired_at": facts["fired_at"].isoformat(),
            "cleared": facts.get("cleared_at") is not None,
        }
    answer = httpx.post(hook.url, json=payload, timeout=TIMEOUT_SECONDS)
    answer.raise_for_status()
    if hook.kind == "wecom":
        reply = answer.json()
        if reply.get("errcode", 0) != 0:
            raise RuntimeError(
                f"WeCom answered errcode {reply.get('errcode')}: {reply.get('errmsg')}"
            )


def _send_one(connection: Connection, row: Any, settings: NotifySettings) -> None:
    if row.channel == "email":
        user_id = int(row.target)
        recipients = {uid: lang for uid, _a, lang in email_recipients(connection, row.firing_id)}
        address = _address(connection, user_id)
        if settings.smtp is None:
            raise RuntimeError("SMTP is not configured (GROWTH_SMTP_HOST)")
        if user_id not in recipients or not address:
            raise OutOfScope("the recipient may no longer be told of this alert")
        users = table_of(AlertRule).metadata.tables["users"]
        user = connection.execute(select(users).where(users.c.user_id == user_id)).one()
        facts = firing_for(
            connection,
            scope=scope_of(connection, user_id, user.role, user.username),
            firing_id=row.firing_id,
        )
        assert facts is not None
        subject, body = message(facts, row.lang)
        send_email(settings.smtp, address, subject, body)
        return
    hook = settings.webhooks.get(row.target)
    if hook is None:
        raise RuntimeError(f"no webhook named {row.target!r} in the settings")
    facts = firing_for(connection, scope=hook.scope, firing_id=row.firing_id)
    if facts is None:
        raise OutOfScope("the webhook's scope may not be told of this alert")
    subject, body = message(facts, hook.lang)
    post_webhook(hook, subject, body, facts)


def deliver(engine: Engine, settings: NotifySettings, now: datetime) -> dict[str, int]:
    """Send every message that is due; count sent, retried (failed, will try again) and
    given up (failed `MAX_ATTEMPTS` times, or can never go)."""
    counts = {"sent": 0, "retry": 0, "gave_up": 0}
    with engine.connect() as connection:
        due = connection.execute(
            select(table_of(AlertMessage))
            .where(_A.state == "pending", _A.next_at <= now)
            .order_by(_A.message_id)
        ).fetchall()
    for row in due:
        try:
            with engine.connect() as connection:
                _send_one(connection, row, settings)
        except Exception as exc:  # every failure is recorded; none stops the others
            attempts = row.attempts + 1
            final = attempts >= MAX_ATTEMPTS or isinstance(exc, OutOfScope)
            values: dict[str, Any] = {
                "attempts": attempts,
                "last_error": f"{type(exc).__name__}: {exc}"[:2000],
                "state": "gave_up" if final else "pending",
                "next_at": now + FIRST_WAIT * 2 ** (attempts - 1),
            }
            counts["gave_up" if final else "retry"] += 1
            log.warning("alert message %s failed (attempt %s): %s", row.message_id, attempts, exc)
        else:
            values = {"attempts": row.attempts + 1, "state": "sent", "sent_at": now}
            counts["sent"] += 1
        with engine.begin() as connection:
            connection.execute(
                update(table_of(AlertMessage))
                .where(_A.message_id == row.message_id)
                .values(**values)
            )
    return counts


def outbox(engine: Engine, *, limit: int = 100) -> list[dict[str, Any]]:
    """The newest messages with their state and last error (for operators: no secrets)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(table_of(AlertMessage)).order_by(_A.message_id.desc()).limit(limit)
        )
        return [dict(row._mapping) for row in rows]
