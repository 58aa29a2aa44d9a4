"""After a load the CLI refits the predictions of exactly the merchants the delivery
touched, after its transaction; `--no-predictions` skips it (the watcher's schedule
catches up); a fit that fails is printed and kept in the audit log, and the load stays
loaded with its exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from models.db import make_engine
from models.schema_auth import AuditEvent
from models.schema_predictions import PredictionFit
from pipelines import predictions
from pipelines.cli import EXIT_OK, main
from pipelines.watch import WatchConfig, Watcher
from tests.conftest import FIXTURES


def _fits(db: str) -> dict[str, str]:
    engine = make_engine(db)
    with engine.connect() as connection:
        rows = connection.execute(select(PredictionFit.merchant_id, PredictionFit.status))
        found = {row.merchant_id: row.status for row in rows}
    engine.dispose()
    return found


def _delivery(tmp_path: Path, merchant: str) -> Path:
    folder = tmp_path / f"orders-{merchant}"
    folder.mkdir()
    (folder / "orders.csv").write_text(
        "order_id,merchant_id,ordered_at,channel,gmv,customer_id\n"
        f"N-{merchant},{merchant},2024-03-09 10:00,store,50,c9\n"
    )
    return folder


def test_the_touched_merchants_are_refitted_after_the_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["load", str(FIXTURES / "tiny"), "--db", db, "--quiet"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "predictions: 0 merchants refitted, 3 with too little history, 0 failed" in out
    assert _fits(db) == {"M1": "not_enough", "M2": "not_enough", "M3": "not_enough"}

    # A delivery of M2's orders only refits M2; M1's fit is left as it was.
    engine = make_engine(db)
    with engine.begin() as connection:
        connection.execute(PredictionFit.__table__.update().values(status="kept"))
    engine.dispose()
    assert main(["load", str(_delivery(tmp_path, "M2")), "--db", db, "--quiet"]) == EXIT_OK
    assert _fits(db) == {"M1": "kept", "M2": "not_enough", "M3": "kept"}
    assert "predictions: 0 merchants refitted, 1 with" in capsys.readouterr().out

    code = main(["load", str(_delivery(tmp_path, "M1")), "--db", db, "--quiet", "--no-predictions"])
    assert code == EXIT_OK
    assert "predictions" not in capsys.readouterr().out
    assert _fits(db)["M1"] == "kept"

    # The watcher's schedule catches up with the merchants whose fit is behind their data.
    engine = make_engine(db)
    with engine.connect() as connection:
        assert predictions.stale_merchants(connection) == ["M1"]
    Watcher(engine, WatchConfig(folder=tmp_path)).on_schedule()
    assert _fits(db)["M1"] == "not_enough"
    with engine.connect() as connection:
        assert predictions.stale_merchants(connection) == []
    engine.dispose()


def test_a_failing_fit_is_recorded_and_the_load_stays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def breaks(*args: object, **kwargs: object) -> predictions.MerchantResult:
        raise RuntimeError("the optimiser blew up")

    monkeypatch.setattr(predictions, "predict_merchant", breaks)
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["load", str(FIXTURES / "tiny"), "--db", db, "--quiet"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "loaded" in out and "3 failed" in out and "the optimiser blew up" in out
    engine = make_engine(db)
    with engine.connect() as connection:
        event = connection.execute(
            select(AuditEvent.target, AuditEvent.success).where(AuditEvent.action == "predictions")
        ).one()
        batches = connection.execute(select(PredictionFit.merchant_id)).all()
    engine.dispose()
    assert event.target == "M1, M2, M3" and event.success is False
    assert batches == []
