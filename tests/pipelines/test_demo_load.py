"""The demo delivery loads cleanly and reads as published through the overview's queries."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from models import queries
from models.contract import ENTITIES
from models.db import make_engine
from models.scope import Scope


@pytest.fixture(scope="module")
def demo(demo_db_url: str):  # noqa: ANN201 - an engine
    engine = make_engine(demo_db_url)
    yield engine
    engine.dispose()


def test_every_file_loads_without_rejections(demo) -> None:  # noqa: ANN001
    history = queries.load_history(engine=demo, scope=Scope.executive())
    assert history.iloc[0]["status"] == "loaded"
    assert history.iloc[0]["rows_rejected"] == 0
    files = queries.load_files(
        engine=demo, scope=Scope.executive(), batch_id=int(history.iloc[0]["batch_id"])
    )
    assert set(files["entity"].dropna()) == set(ENTITIES)
    assert (files["rows_new"] == files["rows_read"]).all()


def test_first_cohort_reads_plus_376_percent(demo, demo_delivery_dir: Path) -> None:  # noqa: ANN001
    table = queries.cohort_uplift_table(engine=demo, scope=Scope.executive()).set_index("cohort_id")
    first = table.loc["C2018A"]
    assert first.merchants == 17
    assert round(first.raw_uplift * 100) == 376
    assert len(table) >= 4 and table["merchants"].between(15, 20).all()
    truth = json.loads((demo_delivery_dir / "ground_truth.json").read_text("utf-8"))
    published = {
        c["cohort_id"] if "cohort_id" in c else c["id"]: c["raw_uplift"] for c in truth["cohorts"]
    }
    for cohort_id, raw in published.items():
        assert table.loc[cohort_id, "raw_uplift"] == pytest.approx(raw, abs=1e-3)


def test_controls_and_industries_are_there(demo) -> None:  # noqa: ANN001
    merchants = queries.merchants(engine=demo, scope=Scope.executive())
    assert merchants["cohort_id"].isna().sum() >= 20
    assert set(merchants["industry"]) == set(
        ENTITIES["merchants"].column("industry").vocabulary or ()
    )
    window = queries.data_window(engine=demo, scope=Scope.executive())
    assert window is not None
    kpis = queries.daily_kpis(engine=demo, scope=Scope.executive(), start=window[0], end=window[1])
    assert isinstance(kpis, pd.DataFrame) and kpis["cloud_users"].iloc[-1] > 0
    assert (kpis["identified_visitors"] <= kpis["visitors"]).all()
