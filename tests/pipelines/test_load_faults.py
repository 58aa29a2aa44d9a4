"""Faults under a load (issue 18 item 5, issue 19 case 10): two loads at once, a full disk,
a read-only or damaged database, an unreachable server. Each ends in one line that says
what happened, that nothing was changed and what to do; the database is unchanged; counts
come from what the load did."""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, insert, text
from sqlalchemy.exc import OperationalError

from models.db import make_engine, upgrade
from models.schema import LoadLock, table_of
from pipelines.cli import EXIT_BUSY, EXIT_DATABASE, main
from pipelines.faults import describe
from pipelines.lock import current_holder
from tests.pipelines.integrity_helpers import (
    MERCHANTS,
    ORDER_HEADER,
    count,
    file_report,
    load,
    order_lines,
    write,
)


def _delivery(tmp_path: Path, orders: int = 30) -> Path:
    return write(
        tmp_path / "d",
        {"merchants.csv": MERCHANTS, "orders.csv": ORDER_HEADER + order_lines(orders)},
    )


def _one_line(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert "nothing was changed" in message


# --- 10. two loads at once ---------------------------------------------------------------


def test_second_load_while_one_runs_is_refused_with_who_and_since(
    engine: Engine, tmp_path: Path
) -> None:
    folder = _delivery(tmp_path)
    inside, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hold(_fraction: float, message: str) -> None:
        if "orders.csv" in message and not inside.is_set():
            inside.set()
            release.wait(60)

    def first() -> None:
        outcome["first"] = load(folder, engine, progress=hold)

    runner = threading.Thread(target=first)
    runner.start()
    try:
        assert inside.wait(60)
        second = load_delivery_as(folder, engine, "ops-b")
    finally:
        release.set()
        runner.join(60)
    assert second.status == "refused" and second.fault == "busy"
    assert "a load is running since" in second.message and "started by test" in second.message
    _one_line(second.message)
    report = outcome["first"]
    assert report.status == "loaded"  # type: ignore[attr-defined]
    orders = file_report(report, "orders.csv")  # type: ignore[arg-type]
    assert (orders.rows_new, orders.rows_replaced) == (30, 0)
    assert count(engine, "orders") == 30
    assert current_holder(engine) is None  # released


def load_delivery_as(folder: Path, engine: Engine, who: str):  # type: ignore[no-untyped-def]
    from pipelines.load import load_delivery

    return load_delivery(folder, engine=engine, loaded_by=who)


def test_a_lock_left_by_a_killed_load_is_taken_over(engine: Engine, tmp_path: Path) -> None:
    import socket

    dead = 2**22 + 7  # above the default pid_max: no such process
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(LoadLock)).values(
                name="load",
                token="x",
                holder="killed",
                source="/old",
                host=socket.gethostname(),
                pid=dead,
                since=datetime(2024, 1, 1, 9, 0),
            )
        )
    report = load(_delivery(tmp_path), engine)
    assert report.status == "loaded", report.message


def test_a_live_lock_refuses_at_once_and_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    import socket

    with engine.begin() as connection:
        connection.execute(
            insert(table_of(LoadLock)).values(
                name="load",
                token="x",
                holder="ops-a",
                source="/deliveries/march",
                host=socket.gethostname(),
                pid=os.getpid(),
                since=datetime(2024, 1, 1, 9, 5),
            )
        )
    report = load(_delivery(tmp_path), engine)
    assert report.fault == "busy" and "since 09:05" in report.message and "ops-a" in report.message
    assert count(engine, "orders") == 0 and count(engine, "merchants") == 0


# --- database faults ------------------------------------------------------------------------


def test_disk_full_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'full.db'}"
    setup = make_engine(url)
    upgrade(setup)
    with setup.connect() as connection:
        pages = int(connection.execute(text("PRAGMA page_count")).scalar_one())
    setup.dispose()
    full = make_engine(url)

    @event.listens_for(full, "connect")
    def _cap(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 8}")

    report = load(_delivery(tmp_path, orders=3000), full)
    assert report.fault == "disk_full" and report.status == "failed"
    _one_line(report.message)
    assert "disk" in report.message and count(full, "orders") == 0
    full.dispose()


def test_read_only_database_is_one_line(engine: Engine, tmp_path: Path) -> None:
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        read_only = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    else:
        with engine.connect() as connection:
            schema = connection.execute(text("SHOW search_path")).scalar_one()
        read_only = make_engine(
            engine.url.render_as_string(hide_password=False),
            connect_args={"options": f"-csearch_path={schema} -cdefault_transaction_read_only=on"},
        )
    report = load(_delivery(tmp_path), read_only)
    assert report.fault == "read_only", report.message
    _one_line(report.message)
    assert count(engine, "orders") == 0
    read_only.dispose()


def test_damaged_database_file_exits_3_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"this is not a database file at all" * 100)
    code = main(["load", str(_delivery(tmp_path)), "--db", f"sqlite:///{damaged}", "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == EXIT_DATABASE
    assert err.startswith("error: the database file is damaged")
    _one_line(err)


def test_unreachable_server_exits_3_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:9/test?connect_timeout=2"
    code = main(["load", str(_delivery(tmp_path)), "--db", url, "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == EXIT_DATABASE and "cannot be reached" in err
    _one_line(err)


def test_busy_load_exits_4(
    sqlite_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = sqlite_engine
    import socket

    with engine.begin() as connection:
        connection.execute(
            insert(table_of(LoadLock)).values(
                name="load",
                token="x",
                holder="ops-a",
                source="/d",
                host=socket.gethostname(),
                pid=os.getpid(),
                since=datetime(2024, 1, 1, 9, 5),
            )
        )
    code = main(["load", str(_delivery(tmp_path)), "--db", str(engine.url), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == EXIT_BUSY and "a load is running since 09:05" in err


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("could not extend file: No space left on device", "disk_full"),
        ("cannot execute INSERT in a read-only transaction", "read_only"),
        ('connection failed: FATAL:  password authentication failed for user "x"', "refusing"),
        ("connection failed: Connection refused", "unreachable"),
        ("database disk image is malformed", "corrupt"),
    ],
)
def test_driver_messages_are_described(message: str, kind: str) -> None:
    fault = describe(OperationalError("INSERT ...", {}, Exception(message)))
    assert fault is not None and fault.kind == kind
    _one_line(fault.line())


def test_unknown_errors_are_not_dressed_up_as_faults() -> None:
    assert (
        describe(OperationalError("SELECT", {}, Exception('relation "x" does not exist'))) is None
    )
