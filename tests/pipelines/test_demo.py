"""The demo generator: contract-shaped, consistent, deterministic, calibrated to +376%."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from models.contract import ENTITIES
from pipelines.demo import generate_demo

SEED = 2018
LATEST = pd.Timestamp("2020-06-30 23:59:59")
MONEY = r"^\d+(\.\d{1,2})?$"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, float, list[str]]:
    """One scale-s delivery per module: folder, returned truth, seconds taken, progress messages."""
    folder = tmp_path_factory.mktemp("demo_s") / "delivery"
    messages: list[str] = []
    started = time.perf_counter()
    truth = generate_demo(folder, scale="s", seed=SEED, progress=messages.append)
    return folder, truth, time.perf_counter() - started, messages


@pytest.fixture(scope="module")
def delivery(generated: tuple[Path, dict, float, list[str]]) -> Path:
    return generated[0]


@pytest.fixture(scope="module")
def files(delivery: Path) -> dict[str, pd.DataFrame]:
    """Every contract file as text, blanks as ''."""
    return {
        name: pd.read_csv(delivery / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in ENTITIES
    }


def _stamp(values: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(values, format=fmt, errors="raise")


def test_time_for_scale_s(
    generated: tuple[Path, dict, float, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _, truth, seconds, messages = generated
    with capsys.disabled():
        print(f"\n[demo] scale s: {seconds:.1f} s, rows {truth['rows']}")
    assert any(m.startswith("orders: merchant 1/") for m in messages)


def test_every_file_has_exactly_the_contract_columns(delivery: Path) -> None:
    for name, entity in ENTITIES.items():
        with (delivery / f"{name}.csv").open(encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split(",")
        assert tuple(header) == entity.column_names, name
    assert (delivery / "ground_truth.json").exists()


def test_required_columns_are_filled_and_files_not_empty(files: dict[str, pd.DataFrame]) -> None:
    for name, entity in ENTITIES.items():
        frame = files[name]
        assert len(frame) > 0, name
        for column in entity.required:
            assert (frame[column] != "").all(), (name, column)


def test_vocabularies(files: dict[str, pd.DataFrame]) -> None:
    for name, entity in ENTITIES.items():
        for column in entity.columns:
            if column.vocabulary is None:
                continue
            used = set(files[name][column.name]) - {""}
            assert used <= set(column.vocabulary), (name, column.name, used)
    assert set(files["attendance"]["attended"]) == {"true", "false"}
    assert set(files["guides"]["role"]) == {
        "acquisition",
        "content",
        "coaching",
        "manager",
        "sales",
    }
    assert set(files["customers"]["member_level"]) == {"normal", "silver", "gold", "platinum"}
    assert len(set(files["merchants"]["industry"])) == 8


def test_dates_timestamps_and_nothing_in_the_future(files: dict[str, pd.DataFrame]) -> None:
    dated = {
        "cohorts": ("start_date", "end_date"),
        "merchants": ("joined_on",),
        "stores": ("opened_on",),
        "guides": ("joined_on", "left_on"),
        "customers": ("first_seen_on",),
        "store_traffic": ("date",),
        "campaigns": ("start_date", "end_date"),
        "attendance": ("session_date",),
    }
    for name, columns in dated.items():
        for column in columns:
            values = files[name][column]
            values = values[values != ""]
            assert _stamp(values, "%Y-%m-%d").max() <= LATEST, (name, column)
    for name, column in (("orders", "ordered_at"), ("touchpoint_events", "occurred_at")):
        stamps = _stamp(files[name][column], "%Y-%m-%d %H:%M:%S")
        assert stamps.max() <= LATEST
    orders = _stamp(files["orders"]["ordered_at"], "%Y-%m-%d %H:%M:%S")
    assert orders.min() >= pd.Timestamp("2017-09-01")
    assert orders.max() <= pd.Timestamp("2019-12-31 23:59:59")
    for name in ("cohorts", "campaigns"):
        frame = files[name]
        assert (frame["end_date"] >= frame["start_date"]).all(), name
    guides = files["guides"][files["guides"]["left_on"] != ""]
    assert (guides["left_on"] > guides["joined_on"]).all()


def test_money_and_counts(files: dict[str, pd.DataFrame]) -> None:
    orders = files["orders"]
    assert orders["gmv"].str.match(MONEY).all()
    refunds = orders[orders["refund"] != ""]
    assert refunds["refund"].str.match(MONEY).all()
    assert (refunds["refund"].astype(float) <= refunds["gmv"].astype(float)).all()
    assert 0.005 < len(refunds) / len(orders) < 0.08
    assert files["campaigns"]["cost"].str.match(MONEY).all()
    traffic = files["store_traffic"]
    visitors = traffic["visitors"].astype(int)
    identified = traffic["identified_visitors"].astype(int)
    assert ((identified >= 0) & (identified <= visitors)).all()
    shares = files["campaigns"]["holdout_share"]
    assert shares[shares != ""].astype(float).between(0.05, 0.3).all()
    assert (shares == "").any()


def test_keys_are_unique(files: dict[str, pd.DataFrame]) -> None:
    for name, entity in ENTITIES.items():
        frame = files[name]
        assert not frame.duplicated(list(entity.key)).any(), name
    assert files["orders"]["order_id"].is_unique
    assert files["touchpoint_events"]["event_id"].is_unique
    assert files["campaigns"]["campaign_id"].is_unique
    assert (files["store_traffic"]["store_id"] != "").all()
    assert not files["store_traffic"].duplicated(["merchant_id", "store_id", "date"]).any()


def _pairs(frame: pd.DataFrame, column: str) -> set[tuple[str, str]]:
    filled = frame[frame[column] != ""]
    return set(zip(filled["merchant_id"], filled[column], strict=True))


def test_foreign_keys_resolve_within_the_merchant(files: dict[str, pd.DataFrame]) -> None:
    merchants = set(files["merchants"]["merchant_id"])
    cohort_ids = set(files["merchants"]["cohort_id"]) - {""}
    assert cohort_ids <= set(files["cohorts"]["cohort_id"])
    for name in (
        "stores",
        "guides",
        "customers",
        "orders",
        "touchpoint_events",
        "store_traffic",
        "campaigns",
        "attendance",
    ):
        assert set(files[name]["merchant_id"]) <= merchants, name
    stores = _pairs(files["stores"], "store_id")
    guides = _pairs(files["guides"], "guide_id")
    customers = _pairs(files["customers"], "customer_id")
    campaigns = _pairs(files["campaigns"], "campaign_id")
    for name in ("guides", "orders", "store_traffic"):
        assert _pairs(files[name], "store_id") <= stores, name
    for name in ("orders", "touchpoint_events"):
        assert _pairs(files[name], "guide_id") <= guides, name
        assert _pairs(files[name], "customer_id") <= customers, name
    assert _pairs(files["orders"], "campaign_id") <= campaigns
    owner = dict(
        zip(files["campaigns"]["campaign_id"], files["campaigns"]["merchant_id"], strict=True)
    )
    assignments = files["campaign_assignments"]
    assert set(assignments["campaign_id"]) <= set(owner)
    assigned = set(
        zip(assignments["campaign_id"].map(owner), assignments["customer_id"], strict=True)
    )
    assert assigned <= customers
    with_holdout = files["campaigns"][files["campaigns"]["holdout_share"] != ""]
    assert set(assignments["campaign_id"]) == set(with_holdout["campaign_id"])
    cohort_of = dict(
        zip(files["merchants"]["merchant_id"], files["merchants"]["cohort_id"], strict=True)
    )
    attendance = files["attendance"]
    assert (attendance["merchant_id"].map(cohort_of) == attendance["cohort_id"]).all()


def test_first_cohort_reads_plus_376_percent(files: dict[str, pd.DataFrame]) -> None:
    cohort = files["cohorts"].set_index("cohort_id").loc["C2018A"]
    members = files["merchants"].loc[files["merchants"]["cohort_id"] == "C2018A", "merchant_id"]
    assert len(members) == 17
    orders = files["orders"][files["orders"]["merchant_id"].isin(members)]
    day = pd.to_datetime(orders["ordered_at"].str[:10])
    gmv = orders["gmv"].astype(float)
    start, end = pd.Timestamp(cohort["start_date"]), pd.Timestamp(cohort["end_date"])
    days = (end - start).days + 1
    window = gmv[(day >= start) & (day <= end)].sum() / days
    baseline = gmv[(day >= start - pd.Timedelta(days=28)) & (day < start)].sum() / 28
    assert window / baseline - 1 == pytest.approx(3.76, abs=0.002)


def test_cohorts_and_controls(files: dict[str, pd.DataFrame]) -> None:
    merchants = files["merchants"]
    sizes = merchants[merchants["cohort_id"] != ""].groupby("cohort_id").size()
    assert len(sizes) >= 4 and sizes.between(15, 20).all()
    cohorts = files["cohorts"].set_index("cohort_id")
    assert (cohorts.loc["C2018A", "start_date"], cohorts.loc["C2018A", "end_date"]) == (
        "2018-10-22",
        "2018-12-21",
    )
    assert (cohorts["programme"] == "doubling_plan").all()
    controls = merchants[merchants["cohort_id"] == ""]
    assert 25 <= len(controls) <= 30
    assert set(controls["industry"]) <= set(merchants.loc[merchants["cohort_id"] != "", "industry"])
    assert 75 <= len(merchants) <= 90
    counts = merchants["store_count"].astype(int)
    assert counts.between(1, 60).all() and counts.max() >= 20
    stores = files["stores"].groupby("merchant_id").size()
    assert (stores == merchants.set_index("merchant_id")["store_count"].astype(int)).all()
    assert 150_000 <= len(files["orders"]) <= 300_000


def test_ground_truth(generated: tuple[Path, dict, float, list[str]]) -> None:
    delivery, returned, _, _ = generated
    truth = json.loads((delivery / "ground_truth.json").read_text(encoding="utf-8"))
    assert truth == returned
    assert "generated_at" not in truth
    assert {
        "seed",
        "scale",
        "rows",
        "cohorts",
        "merchants",
        "campaigns",
        "definitions",
        "controls",
    } <= set(truth)
    assert truth["seed"] == SEED and truth["scale"] == "s"
    first = truth["cohorts"][0]
    assert first["cohort_id"] == "C2018A" and first["raw_uplift"] == pytest.approx(3.76, abs=2e-3)
    cohort_keys = {
        "start",
        "end",
        "merchants",
        "raw_uplift",
        "true_effect_total",
        "true_effect_private",
        "events_in_baseline",
        "events_in_window",
    }
    for cohort in truth["cohorts"]:
        assert cohort_keys <= set(cohort)
        assert 0 < cohort["true_effect_total"] < cohort["true_effect_private"]
    names = {e["name"] for e in first["events_in_window"]}
    assert {"double_11", "double_12"} <= names
    assert first["true_effect_total"] < first["raw_uplift"]
    merchant_keys = {
        "merchant_id",
        "cohort_id",
        "industry",
        "true_effect_total",
        "engagement",
        "maturity_start",
        "maturity_end",
    }
    for merchant in truth["merchants"]:
        assert merchant_keys <= set(merchant)
        assert set(merchant["maturity_start"]) == {"touchpoints", "performance", "data"}
    participants = [m for m in truth["merchants"] if m["cohort_id"]]
    assert min(m["true_effect_total"] for m in participants) < 0.3
    for campaign in truth["campaigns"]:
        assert {"campaign_id", "true_lift", "has_holdout", "true_roi"} <= set(campaign)
    showcase = [c for c in truth["campaigns"] if c["roi_showcase"]]
    assert len(showcase) == 1 and showcase[0]["true_roi"] == pytest.approx(10, rel=0.01)
    assert set(truth["definitions"]) >= {"raw_uplift", "true_effect_total", "true_roi"}


def test_programme_shows_in_the_data(files: dict[str, pd.DataFrame]) -> None:
    orders = files["orders"]
    repeat = orders[orders["customer_id"] != ""].groupby(["merchant_id", "customer_id"]).size()
    assert (repeat == 1).mean() > 0.5 and (repeat > 6).sum() > 100
    assert (orders["customer_id"] == "").any() and (orders["guide_id"] != "").any()
    walk_ins = orders[orders["customer_id"] == ""]
    assert (walk_ins["channel"] == "store").mean() > 0.7
    customers = files["customers"]
    shared = customers[customers["unified_id"] != ""].groupby(["merchant_id", "unified_id"]).size()
    assert (shared == 2).sum() > 100
    assert (files["guides"]["left_on"] != "").any()
    traffic = files["store_traffic"].merge(files["merchants"][["merchant_id", "cohort_id"]])
    late = traffic[(traffic["cohort_id"] == "C2018A") & (traffic["date"] >= "2019-06-01")]
    early = traffic[(traffic["cohort_id"] == "C2018A") & (traffic["date"] < "2018-09-01")]

    def share(frame: pd.DataFrame) -> float:
        return frame["identified_visitors"].astype(int).sum() / frame["visitors"].astype(int).sum()

    assert share(late) > share(early) + 0.1
    sessions = files["attendance"].groupby(["cohort_id", "session_type"])["session_id"].nunique()
    assert (sessions.xs("class", level="session_type") == 20).all()


def test_same_seed_same_bytes_other_seed_differs(delivery: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_demo(again, scale="s", seed=SEED)
    for name in (*ENTITIES, "ground_truth"):
        suffix = ".json" if name == "ground_truth" else ".csv"
        first = (delivery / f"{name}{suffix}").read_bytes()
        assert first == (again / f"{name}{suffix}").read_bytes(), name
    other = tmp_path / "other"
    generate_demo(other, scale="s", seed=SEED + 1)
    assert (other / "orders.csv").read_bytes() != (delivery / "orders.csv").read_bytes()


def test_invalid_scale_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate_demo(tmp_path / "x", scale="xl")
    assert not (tmp_path / "x").exists()
