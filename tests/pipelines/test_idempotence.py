"""Loading is idempotent and all-or-nothing at the database level.

The same folder twice changes nothing; a corrected re-delivery changes exactly what was
corrected; a load that fails or is killed half way leaves the database as it was.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, make_url, select, text
from sqlalchemy.schema import CreateSchema, DropSchema

import pipelines.marts
from models.db import make_engine, upgrade
from models.schema import STAGING, LoadBatch, MartMerchantDay
from models.settings import PROJECT_ROOT
from pipelines.load import FileReport, LoadReport, load_delivery

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("GROWTH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

TABLES = {name: model.__table__ for name, model in STAGING.items()}
TABLES["mart_merchant_day"] = MartMerchantDay.__table__


# --- helpers --------------------------------------------------------------------------------


def write_delivery(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder


def frame(engine: Engine, name: str) -> pd.DataFrame:
    """One table without batch_id, sorted by its primary key."""
    table = TABLES[name]
    key = [c.name for c in table.primary_key.columns]
    with engine.connect() as connection:
        result = connection.execute(select(table))
        out = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    out = out.drop(columns=["batch_id"], errors="ignore")
    return out.sort_values(key, kind="stable").reset_index(drop=True)


def snapshot(engine: Engine) -> dict[str, pd.DataFrame]:
    return {name: frame(engine, name) for name in TABLES}


def assert_same(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)


def batches(engine: Engine) -> list[tuple[int, str]]:
    t = LoadBatch.__table__
    with engine.connect() as connection:
        rows = connection.execute(select(t.c.batch_id, t.c.status).order_by(t.c.batch_id))
        return [tuple(r) for r in rows]


def file_report(report: LoadReport, file_name: str) -> FileReport:
    matches = [f for f in report.files if f.file_name == file_name]
    assert len(matches) == 1, [f.file_name for f in report.files]
    return matches[0]


def correct_orders(folder: Path) -> None:
    """O3 (M1, 2024-03-01, mini_program) goes from 300 to 350.25; O99 (M1, 2024-03-05) is new."""
    orders = folder / "orders.csv"
    lines = orders.read_text(encoding="utf-8").splitlines()
    assert lines[3] == "O3,M1,2024-03-01 09:15,mini_program,300,,c1,,K1,0"
    lines[3] = "O3,M1,2024-03-01 09:15,mini_program,350.25,,c1,,K1,0"
    assert not any(line.startswith("O99,") for line in lines)
    lines.append("O99,M1,2024-03-05 12:00,store,20,,,,,")
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- the same folder twice ------------------------------------------------------------------


def test_loading_the_same_folder_twice_changes_nothing(
    engine: Engine, tiny_delivery_dir: Path
) -> None:
    first = load_delivery(tiny_delivery_dir, engine=engine)
    assert first.status == "loaded", first.message
    assert first.rows_loaded > 0
    before = snapshot(engine)
    assert len(before["mart_merchant_day"]) > 0

    second = load_delivery(tiny_delivery_dir, engine=engine)

    assert second.status == "loaded", second.message
    assert second.batch_id != first.batch_id
    for f in second.files:
        assert f.rows_new == 0, f.file_name
        assert f.rows_replaced == f.rows_read > 0, f.file_name
    assert sum(f.rows_new for f in second.files) == 0
    assert_same(before, snapshot(engine))


def test_corrected_redelivery_changes_exactly_what_was_corrected(
    engine: Engine, tiny_delivery_dir: Path
) -> None:
    assert load_delivery(tiny_delivery_dir, engine=engine).status == "loaded"
    before = snapshot(engine)
    delivered = len(before["orders"])

    correct_orders(tiny_delivery_dir)
    report = load_delivery(tiny_delivery_dir, engine=engine)

    assert report.status == "loaded", report.message
    orders_report = file_report(report, "orders.csv")
    assert (orders_report.rows_new, orders_report.rows_replaced) == (1, delivered)

    after = snapshot(engine)
    for name in TABLES:
        if name not in ("orders", "mart_merchant_day"):
            pd.testing.assert_frame_equal(after[name], before[name], obj=name)

    old = before["orders"].set_index(["merchant_id", "order_id"])
    new = after["orders"].set_index(["merchant_id", "order_id"])
    assert sorted(set(new.index) - set(old.index)) == [("M1", "O99")]
    assert new.loc[("M1", "O99"), "gmv"] == 20
    assert new.loc[("M1", "O3"), "gmv"] == 350.25
    unchanged = new.drop(index=[("M1", "O99")])
    unchanged.loc[("M1", "O3"), "gmv"] = 300.0
    # (SQLite hands whole amounts back as int: compare values, not dtypes)
    pd.testing.assert_frame_equal(unchanged, old, check_dtype=False)

    mart_old = before["mart_merchant_day"].set_index(["merchant_id", "date"])
    mart_new = after["mart_merchant_day"].set_index(["merchant_id", "date"])
    assert list(mart_new.index) == list(mart_old.index)
    changed = sorted(mart_new.index[(mart_new != mart_old).any(axis=1)])
    march_1, march_5 = ("M1", date(2024, 3, 1)), ("M1", date(2024, 3, 5))
    assert changed == [march_1, march_5]
    gmv_delta = mart_new["gmv"] - mart_old["gmv"]
    assert gmv_delta[march_1] == 50.25
    assert gmv_delta[march_5] == 20
    assert mart_new.loc[march_1, "orders"] == mart_old.loc[march_1, "orders"]
    assert mart_new.loc[march_5, "orders"] == mart_old.loc[march_5, "orders"] + 1


# --- a load that fails half way -------------------------------------------------------------


@pytest.mark.parametrize("earlier", [False, True], ids=["empty-db", "after-a-delivery"])
def test_a_load_that_fails_half_way_changes_nothing(
    earlier: bool,
    engine: Engine,
    tiny_delivery_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if earlier:
        assert load_delivery(tiny_delivery_dir, engine=engine).status == "loaded"
        correct_orders(tiny_delivery_dir)
    before = snapshot(engine)
    batches_before = batches(engine)
    calls = []

    def broken_rebuild(*args: object, **kwargs: object) -> int:
        calls.append(args)
        raise RuntimeError("disk full while rebuilding marts")

    monkeypatch.setattr(pipelines.marts, "rebuild", broken_rebuild)
    report = load_delivery(tiny_delivery_dir, engine=engine)

    assert calls, "the load got as far as the marts (staging was written)"
    assert report.status == "failed"
    assert not report.ok
    assert "disk full" in report.message
    assert_same(before, snapshot(engine))
    assert batches(engine) == [*batches_before, (report.batch_id, "failed")]


# --- a process killed half way ------------------------------------------------------------

MERCHANT_COUNT = 20
ORDER_ROWS = 300_000


def write_big_delivery(folder: Path) -> None:
    """20 merchants (M1 renamed) and 300k orders: a load of several seconds."""
    folder.mkdir(parents=True)
    with (folder / "merchants.csv").open("w", encoding="utf-8") as fh:
        fh.write("merchant_id,name,industry\n")
        fh.writelines(f"M{m},Renamed {m},apparel\n" for m in range(MERCHANT_COUNT))
    with (folder / "orders.csv").open("w", encoding="utf-8") as fh:
        fh.write("order_id,merchant_id,ordered_at,channel,gmv\n")
        fh.writelines(
            f"B{i},M{i % MERCHANT_COUNT},2024-01-{i % 28 + 1:02d} 10:{i % 60:02d},store,{i % 9}.5\n"
            for i in range(ORDER_ROWS)
        )


EARLIER = {
    "merchants.csv": "merchant_id,name,industry\nM1,Alpha Tea,food_beverage\n",
    "orders.csv": "order_id,merchant_id,ordered_at,channel,gmv\n"
    "O1,M1,2024-01-05 10:00,store,100\n"
    "B1,M1,2024-01-02 10:01,store,7\n",  # also in the big delivery, with other values
}


def kill_during_orders(url: str, folder: Path, data_dir: Path) -> list[str]:
    """Run the CLI load, SIGKILL it once its progress mentions orders.csv; return stderr."""
    env = {**os.environ, "GROWTH_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "load", str(folder), "--db", url],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + 120
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"no progress line about orders.csv within 120 s: {seen}")
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"the load ended before it could be killed: {seen}")
            seen.append(line)
            if "orders.csv" in line:
                break
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, (process.returncode, seen)
    return seen


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'killed.db'}"


@pytest.fixture
def pg_url(pg_problem: str | None) -> Iterator[str]:
    """A URL that puts the CLI (and us) into a schema of our own."""
    if pg_problem:
        if IN_CI:
            pytest.fail(f"{pg_problem} (CI=true: a missing service is a failure)")
        pytest.skip(pg_problem)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    app = f"kill_{schema}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    url = make_url(PG_URL).update_query_dict(
        {"options": f"-csearch_path={schema}", "application_name": app}
    )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            # The killed client's server process, if it has not noticed yet.
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :app AND pid <> pg_backend_pid()"
                ),
                {"app": app},
            )
            connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize("earlier", [False, True], ids=["empty-db", "after-a-delivery"])
def test_a_killed_load_leaves_the_database_as_it_was(
    database: str, earlier: bool, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url: str = request.getfixturevalue("sqlite_url" if database == "sqlite" else "pg_url")
    engine = make_engine(url)
    upgrade(engine)
    if earlier:
        report = load_delivery(write_delivery(tmp_path / "earlier", EARLIER), engine=engine)
        assert report.status == "loaded", report.message
    before = snapshot(engine)
    batches_before = batches(engine)
    engine.dispose()

    big = tmp_path / "big"
    write_big_delivery(big)
    seen = kill_during_orders(url, big, tmp_path / "data")

    engine = make_engine(url)
    try:
        after = snapshot(engine)
        assert_same(before, after)
        assert len(after["orders"]) == (2 if earlier else 0), seen
        assert len(after["merchants"]) == (1 if earlier else 0)
        if earlier:
            assert after["merchants"]["name"].tolist() == ["Alpha Tea"]
        assert batches(engine) == batches_before
        if database == "sqlite":
            with engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        # And the database still takes the delivery afterwards.
        small = write_delivery(tmp_path / "small", EARLIER)
        assert load_delivery(small, engine=engine).status == "loaded"
    finally:
        engine.dispose()
