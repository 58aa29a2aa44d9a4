"""Demo mode is declared by the demo builder and ended by any other load, whatever its
label; ending it removes every invented row."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from models import auth, demo_state
from models.schema import LoadBatch, Merchant
from models.schema_auth import User
from models.settings import Settings
from pipelines.load import load_delivery

PASSWORD = "a strong password 1"


def _settings(demo: bool = True) -> Settings:
    return Settings(db_url="sqlite:///x.db", demo=demo)


def _count(engine: Engine, table: type) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _demo(engine: Engine, folder: Path) -> None:
    report = load_delivery(folder, engine=engine, loaded_by="demo builder")
    assert report.ok and report.batch_id is not None
    demo_state.declare_demo(engine, batch_id=report.batch_id)


@pytest.mark.parametrize("label", ["demo", "demo builder", "", "ops"])
def test_a_label_never_switches_demo_mode_on(
    engine: Engine, tiny_delivery_dir: Path, label: str
) -> None:
    load_delivery(tiny_delivery_dir, engine=engine, loaded_by=label)
    assert not demo_state.demo_mode(engine, _settings())


def test_a_user_named_demo_is_harmless(engine: Engine, tiny_delivery_dir: Path) -> None:
    load_delivery(tiny_delivery_dir, engine=engine, loaded_by="ops")
    auth.add_user(engine, username="demo", role="executive", password=PASSWORD, actor="t")
    load_delivery(tiny_delivery_dir, engine=engine, loaded_by="demo")
    assert not demo_state.demo_mode(engine, _settings())
    assert auth.authenticate(engine, "demo", PASSWORD).outcome == "ok"


def test_declared_then_ended_for_good_by_any_load(engine: Engine, tiny_delivery_dir: Path) -> None:
    _demo(engine, tiny_delivery_dir)
    assert demo_state.demo_mode(engine, _settings())
    assert not demo_state.demo_mode(engine, _settings(demo=False))  # GROWTH_DEMO=0
    report = load_delivery(tiny_delivery_dir, engine=engine, loaded_by="demo")  # the label
    assert report.ok
    assert not demo_state.demo_mode(engine, _settings())
    assert demo_state.demo_ended(engine)
    with pytest.raises(demo_state.DemoStateError):
        demo_state.declare_demo(engine, batch_id=report.batch_id or 0)
    # the invented rows went before the real ones came: one delivery, three merchants
    assert _count(engine, LoadBatch) == 1
    assert _count(engine, Merchant) == 3


def test_a_refused_load_leaves_the_demo(
    engine: Engine, tiny_delivery_dir: Path, tmp_path: Path
) -> None:
    _demo(engine, tiny_delivery_dir)
    empty = tmp_path / "no-merchants"
    empty.mkdir()
    (empty / "orders.csv").write_text("order_id\n1\n", encoding="utf-8")
    load_delivery(empty, engine=engine, loaded_by="ops", all_or_nothing=True)
    assert demo_state.demo_mode(engine, _settings())
    assert _count(engine, Merchant) == 3


def test_a_real_load_meanwhile_stops_the_declaration(
    engine: Engine, tiny_delivery_dir: Path
) -> None:
    first = load_delivery(tiny_delivery_dir, engine=engine, loaded_by="demo builder")
    load_delivery(tiny_delivery_dir, engine=engine, loaded_by="ops")
    with pytest.raises(demo_state.DemoStateError, match="not the demo"):
        demo_state.declare_demo(engine, batch_id=first.batch_id or 0)
    assert not demo_state.demo_mode(engine, _settings())


def test_leave_demo_creates_the_executive_and_empties_the_database(
    engine: Engine, tiny_delivery_dir: Path
) -> None:
    _demo(engine, tiny_delivery_dir)
    with pytest.raises(auth.AuthError):
        demo_state.leave_demo(engine, username="boss", password="short")
    assert demo_state.demo_mode(engine, _settings())  # nothing changed
    user_id = demo_state.leave_demo(engine, username="Boss", password=PASSWORD)
    assert not demo_state.demo_mode(engine, _settings())
    assert _count(engine, Merchant) == 0 and _count(engine, LoadBatch) == 0
    who = auth.current_identity(engine, user_id)
    assert who is not None and who.role == "executive" and who.username == "boss"
    assert _count(engine, User) == 1
    with pytest.raises(demo_state.DemoStateError):
        demo_state.leave_demo(engine, username="other", password=PASSWORD)
