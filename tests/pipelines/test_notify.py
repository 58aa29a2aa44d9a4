"""Alert messages leave the machine only to the places the test starts on loopback: an
SMTP server (aiosmtpd) and an HTTP receiver. Email in the recipient's language, WeCom's
group-robot format, a generic JSON post, retries with backoff, failures recorded, and a
webhook told only of what its scope may see."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, insert, select

from models import alerts, alerts_inbox, auth
from models.alerts import Rule
from models.schema import Cohort, MartMerchantDay, Merchant, table_of
from models.schema_alerts import AlertMessage
from models.scope import Scope
from pipelines import notify
from pipelines.notify import NotifySettings, Smtp, Webhook

NOW = datetime(2024, 3, 20, 9, 0)
END = date(2024, 3, 14)
_A = table_of(AlertMessage).c


class _Inbox:
    def __init__(self) -> None:
        self.mails: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Smtp, _Inbox]]:
    inbox = _Inbox()
    with socket.socket() as probe:  # a free loopback port (aiosmtpd needs a number)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Smtp(host="127.0.0.1", port=controller.port, sender="alerts@test"), inbox
    finally:
        controller.stop()


class _Receiver:
    """An HTTP server on loopback that records the JSON posted to it and answers with the
    statuses queued in `answers` (then 200)."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append(json.loads(body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

            def log_message(self, *args: Any) -> None:
                return None

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=k"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    running = _Receiver()
    yield running
    running.close()


def _programme(engine: Engine, rule: Rule) -> list[int]:
    """Two cohorts; M1 (C1) stalls; the rule evaluated: the firings opened."""
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Cohort)),
            [{"cohort_id": c, "name": c, "start_date": END, "end_date": END} for c in ("C1", "C2")],
        )
        connection.execute(
            insert(table_of(Merchant)),
            [
                {
                    "merchant_id": "M1",
                    "name": "Alpha Tea",
                    "industry": "food_beverage",
                    "cohort_id": "C1",
                },
                {
                    "merchant_id": "M3",
                    "name": "Gamma Mart",
                    "industry": "grocery",
                    "cohort_id": "C2",
                },
            ],
        )
        days = [
            {"merchant_id": m, "date": END - timedelta(days=n), "gmv": 50 if n < 7 else 60}
            for m in ("M1", "M3")
            for n in range(14)
        ]
        connection.execute(insert(table_of(MartMerchantDay)), days)
    alerts.add_rule(engine, rule=rule, scope=Scope.executive("exec"), now=NOW)
    return alerts.evaluate(engine, now=NOW)


def _coach(engine: Engine, lang: str, email: str = "coach@example.test") -> int:
    auth.add_user(
        engine,
        username="coach",
        role="coach",
        password=None,
        actor="t",
        email=email,
        cohorts=["C1"],
    )
    users = table_of(Merchant).metadata.tables["users"]
    with engine.connect() as connection:
        user_id = int(connection.execute(select(users.c.user_id)).scalar_one())
    alerts_inbox.set_preference(engine, user_id=user_id, lang=lang, email=True)
    return user_id


def _states(engine: Engine) -> list[tuple[str, str, str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(_A.channel, _A.target, _A.state, _A.attempts).order_by(_A.message_id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_email_in_the_recipients_language_to_a_local_smtp_server(
    engine: Engine, smtp_server: tuple[Smtp, _Inbox]
) -> None:
    smtp, inbox = smtp_server
    opened = _programme(engine, Rule("停滞提醒", "stall", period=1, cohort_id="C1", email=True))
    _coach(engine, "zh")
    settings = NotifySettings(smtp=smtp)
    assert notify.enqueue(engine, opened, settings, NOW) == 1
    assert notify.deliver(engine, settings, NOW) == {"sent": 1, "retry": 0, "gave_up": 0}
    [mail] = inbox.mails
    assert mail["To"] == "coach@example.test"
    body = mail.get_payload(decode=True).decode("utf-8")
    assert "Alpha Tea (M1)" in body and "近 1 周日均成交额没有增长" in body
    assert "Gamma Mart" not in body
    assert notify.deliver(engine, settings, NOW + timedelta(hours=1))["sent"] == 0  # once


def test_wecom_and_json_webhooks_to_a_local_receiver(engine: Engine, receiver: _Receiver) -> None:
    rule = Rule("stalls", "stall", period=1, webhooks=("c1-group", "ops-json", "c2-group"))
    opened = _programme(engine, rule)
    assert len(opened) == 2  # M1 and M3
    settings = NotifySettings(
        webhooks={
            "c1-group": Webhook("c1-group", "wecom", receiver.url, lang="zh", cohorts=("C1",)),
            "c2-group": Webhook("c2-group", "wecom", receiver.url, lang="en", cohorts=("C2",)),
            "ops-json": Webhook("ops-json", "json", receiver.url, lang="en"),
        }
    )
    # Each cohort's group hears of its own merchant only; the programme-wide hook of both.
    assert notify.enqueue(engine, opened, settings, NOW) == 4
    assert notify.deliver(engine, settings, NOW)["sent"] == 4
    wecom = [p for p in receiver.posts if p.get("msgtype") == "text"]
    assert len(wecom) == 2
    c1_text = next(p["text"]["content"] for p in wecom if "M1" in p["text"]["content"])
    assert "Alpha Tea" in c1_text and "预警" in c1_text and "Gamma" not in c1_text
    c2_text = next(p["text"]["content"] for p in wecom if "M3" in p["text"]["content"])
    assert "Alpha" not in c2_text and "has not grown" in c2_text
    generic = [p for p in receiver.posts if "title" in p]
    assert sorted(p["merchant_id"] for p in generic) == ["M1", "M3"]
    assert {p["kind"] for p in generic} == {"stall"}


def test_a_failing_webhook_is_retried_with_backoff_and_recorded(
    sqlite_engine: Engine, receiver: _Receiver
) -> None:
    opened = _programme(
        sqlite_engine, Rule("stalls", "stall", period=1, cohort_id="C1", webhooks=("hook",))
    )
    settings = NotifySettings(webhooks={"hook": Webhook("hook", "json", receiver.url)})
    notify.enqueue(sqlite_engine, opened, settings, NOW)
    receiver.answers = [500, 503]
    assert notify.deliver(sqlite_engine, settings, NOW)["retry"] == 1
    assert (
        notify.deliver(sqlite_engine, settings, NOW + timedelta(seconds=10))["retry"] == 0
    )  # waits
    assert notify.deliver(sqlite_engine, settings, NOW + timedelta(seconds=30))["retry"] == 1
    [row] = notify.outbox(sqlite_engine)
    assert row["attempts"] == 2 and "503" in row["last_error"]
    assert row["next_at"] == NOW + timedelta(seconds=30) + timedelta(seconds=60)  # doubled
    assert notify.deliver(sqlite_engine, settings, row["next_at"])["sent"] == 1
    assert _states(sqlite_engine) == [("json", "hook", "sent", 3)]


def test_an_unreachable_server_gives_up_after_the_last_attempt(sqlite_engine: Engine) -> None:
    opened = _programme(
        sqlite_engine, Rule("stalls", "stall", period=1, cohort_id="C1", webhooks=("gone",))
    )
    dead = Webhook("gone", "wecom", "http://127.0.0.1:9/", lang="zh")  # the discard port
    settings = NotifySettings(webhooks={"gone": dead})
    notify.enqueue(sqlite_engine, opened, settings, NOW)
    at = NOW
    for _ in range(notify.MAX_ATTEMPTS):
        notify.deliver(sqlite_engine, settings, at)
        at += timedelta(hours=1)
    [row] = notify.outbox(sqlite_engine)
    assert row["state"] == "gave_up" and row["attempts"] == notify.MAX_ATTEMPTS
    assert "Connect" in row["last_error"]


def test_a_hook_whose_scope_no_longer_sees_the_merchant_gives_up_at_once(
    sqlite_engine: Engine, receiver: _Receiver
) -> None:
    """Queued for cohort C1's group, which is then moved to C2: the one "not in your
    scope" error (`OutOfScope`), given up without retrying, and nothing posted."""
    opened = _programme(
        sqlite_engine, Rule("stalls", "stall", period=1, cohort_id="C1", webhooks=("group",))
    )
    before = NotifySettings(
        webhooks={"group": Webhook("group", "json", receiver.url, cohorts=("C1",))}
    )
    assert notify.enqueue(sqlite_engine, opened, before, NOW) == 1
    after = NotifySettings(
        webhooks={"group": Webhook("group", "json", receiver.url, cohorts=("C2",))}
    )
    assert notify.deliver(sqlite_engine, after, NOW) == {"sent": 0, "retry": 0, "gave_up": 1}
    [row] = notify.outbox(sqlite_engine)
    assert row["attempts"] == 1 and row["last_error"].startswith("OutOfScope: ")
    assert receiver.posts == []


def test_email_without_smtp_settings_is_recorded_not_raised(sqlite_engine: Engine) -> None:
    opened = _programme(
        sqlite_engine, Rule("stalls", "stall", period=1, cohort_id="C1", email=True)
    )
    _coach(sqlite_engine, "en")
    notify.enqueue(sqlite_engine, opened, NotifySettings(), NOW)
    assert notify.deliver(sqlite_engine, NotifySettings(), NOW)["retry"] == 1
    assert "SMTP is not configured" in notify.outbox(sqlite_engine)[0]["last_error"]


def test_settings_from_environment_and_secrets(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[growth.smtp]\nhost = "mail.local"\nport = 2525\npassword = "s3cret"\n'
        '[growth.webhooks.c1]\nkind = "wecom"\nurl = "https://example.invalid/?key=x"\n'
        'cohorts = ["C1"]\n'
    )
    loaded = notify.load_notify_settings(env={}, secrets_path=secrets)
    assert loaded.smtp is not None and loaded.smtp.port == 2525
    assert "s3cret" not in repr(loaded) and "key=x" not in repr(loaded)
    assert loaded.webhooks["c1"].scope == Scope.coach(["C1"], user="webhook:c1")
    env = {"GROWTH_SMTP_HOST": "other", "GROWTH_WEBHOOKS": '{"h": {"kind": "json", "url": "u"}}'}
    from_env = notify.load_notify_settings(env=env, secrets_path=secrets)
    assert from_env.smtp is not None and from_env.smtp.host == "other"
    assert list(from_env.webhooks) == ["h"]
    with pytest.raises(ValueError, match="kind"):
        notify.load_notify_settings(
            env={"GROWTH_WEBHOOKS": '{"h": {"kind": "slack", "url": "u"}}'}, secrets_path=secrets
        )
