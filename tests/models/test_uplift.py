"""Cohort uplift: every formula on hand-checked panels, the estimator against the demo's
injected truth, interval coverage on simulated panels, a placebo and a seasonal cohort."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from models import uplift as U
from models.schema import Cohort, MartMerchantDay, Merchant
from models.scope import Scope

EXEC = Scope.executive()

# --- windows ---------------------------------------------------------------------------


def test_windows_pre28_last_year_custom() -> None:
    start, end = date(2018, 10, 22), date(2018, 12, 21)
    pre28 = U.make_windows(start, end, data_end=date(2019, 12, 31))
    assert pre28.baseline == (date(2018, 9, 24), date(2018, 10, 21))
    assert pre28.days("baseline") == 28 and pre28.days("programme") == 61
    assert pre28.pre == (date(2018, 8, 27), date(2018, 9, 23))
    assert pre28.post == (date(2018, 12, 22), date(2019, 1, 18))

    last_year = U.make_windows(start, end, "last_year")
    assert last_year.baseline == (date(2017, 10, 22), date(2017, 12, 21))
    kind, custom = U.parse_baseline("2018-09-01:2018-09-30")
    assert kind == "custom" and custom == (date(2018, 9, 1), date(2018, 9, 30))
    assert U.make_windows(start, end, kind, custom).days("baseline") == 30
    assert U.parse_baseline("last_year") == ("last_year", None)
    with pytest.raises(ValueError):
        U.parse_baseline("2018-09-30:2018-09-01")
    with pytest.raises(ValueError):
        U.parse_baseline("pre29")
    # The post window stops at the data; none when the data ends with the programme.
    assert U.make_windows(start, end, data_end=date(2018, 12, 31)).post == (
        date(2018, 12, 22),
        date(2018, 12, 31),
    )
    assert U.make_windows(start, end, data_end=end).post is None


def test_retail_events() -> None:
    codes = [e.code for e in U.retail_events(date(2018, 10, 22), date(2018, 12, 21))]
    assert codes == ["double_11", "double_12"]
    assert [e.code for e in U.retail_events(date(2019, 2, 1), date(2019, 2, 10))] == ["cny"]
    assert U.retail_events(date(2019, 7, 15), date(2019, 8, 31)) == []


def test_window_averages_count_calendar_days() -> None:
    windows = U.make_windows(date(2024, 3, 1), date(2024, 3, 10))  # baseline 02-02..02-29
    panel = pd.DataFrame(
        {
            "merchant_id": ["a", "a", "a", "b"],
            "date": [date(2024, 2, 10), date(2024, 3, 1), date(2024, 3, 5), date(2024, 3, 2)],
            "gmv": [280.0, 300.0, 100.0, 50.0],
            "private_gmv": [28.0, 30.0, 0.0, 50.0],
        }
    )
    averages = U.window_averages(panel, windows, pd.Series(["a", "b", "c"]))
    assert averages.loc["a", "gmv_baseline"] == pytest.approx(10.0)  # 280 / 28 days
    assert averages.loc["a", "gmv_programme"] == pytest.approx(40.0)  # 400 / 10 days
    assert averages.loc["b", "private_gmv_programme"] == pytest.approx(5.0)
    assert averages.loc["c"].fillna(0).sum() == 0  # a merchant without days: zeros


# --- the estimator by hand --------------------------------------------------------------


def test_ratio() -> None:
    assert U.raw_uplift(20, 60) == pytest.approx(2.0)
    assert U.raw_uplift(0, 5) is None


def test_match_controls_by_industry_then_size() -> None:
    industry = np.array(["a", "b"])
    size = np.array([10.0, 100.0])
    c_industry = np.array(["a", "a", "a", "a", "b"])
    c_size = np.array([9.0, 11.0, 1000.0, 1.0, 100.0])
    match = U.match_controls(industry, size, c_industry, c_size, k=2, min_same=3)
    # "a" has 4 controls: the 2 nearest in log size; "b" has one: nearest of all.
    assert match[0].tolist() == [1, 1, 0, 0, 0]
    assert match[1].tolist() == [0, 1, 0, 0, 1]  # log distance 2.2 beats 2.3
    own = U.match_controls(c_industry, c_size, c_industry, c_size, k=1, exclude_self=True)
    assert np.diag(own).sum() == 0


def test_ratio_of_ratios_did_by_hand() -> None:
    baseline, programme = np.array([10.0, 20.0]), np.array([30.0, 40.0])
    baseline_c, programme_c = np.array([10.0, 10.0, 5.0]), np.array([12.0, 18.0, 10.0])
    match = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    # g = (12 + 18) / (10 + 10) = 1.5 and 10 / 5 = 2: counterfactual 15 + 40 = 55.
    effect = U.did_effect(baseline, programme, baseline_c, programme_c, match)
    assert effect[0] == pytest.approx(70 / 55 - 1)
    # Weights: participant 2 twice, control 3 dropped -> its g falls back to the pool of
    # the weighted controls, (12 + 18) / 20 = 1.5: (30 + 80) / (15 + 60) - 1.
    weighted = U.did_effect(
        baseline,
        programme,
        baseline_c,
        programme_c,
        match,
        np.array([[1.0, 2.0]]),
        np.array([[1.0, 1.0, 0.0]]),
    )
    assert weighted[0] == pytest.approx(110 / 75 - 1)


def test_bootstrap_is_reproducible_and_brackets_the_estimate() -> None:
    rng = np.random.default_rng(1)
    base, base_c = rng.lognormal(5, 1, 12), rng.lognormal(5, 1, 20)
    prog = base * 1.5 * rng.lognormal(0, 0.1, 12)
    prog_c = base_c * rng.lognormal(0, 0.1, 20)
    match = U.match_controls(np.zeros(12), base, np.zeros(20), base_c)
    first = U.bootstrap_did(base, prog, base_c, prog_c, match, reps=500, seed=3)
    again = U.bootstrap_did(base, prog, base_c, prog_c, match, reps=500, seed=3)
    assert first == again
    assert first.low is not None and first.high is not None and first.estimate is not None
    assert first.low < first.estimate < first.high
    assert first.significant
    assert U.bootstrap_did(base, prog, base_c[:0], prog_c[:0], match[:, :0]) == U.NO_ESTIMATE


# --- simulated panels ----------------------------------------------------------------


def simulate_panel(
    rng: np.random.Generator,
    *,
    effect: float,
    n: int = 15,
    m: int = 25,
    season: tuple[float, ...] = (1.0, 1.3, 0.9),
    spread: float = 0.0,
    noise: float = 0.12,
    pre_drift: float = 0.0,
) -> dict[str, np.ndarray | float]:
    """Window averages of participants and non-participants of three industries with
    multiplicative seasons and effects; truth = sum(B * S * (1 + e)) / sum(B * S) - 1."""
    industries = np.arange(len(season))
    ind, ind_c = rng.choice(industries, n), rng.choice(industries, m)
    size, size_c = rng.lognormal(6, 1, n), rng.lognormal(6, 1, m)
    s, s_c = np.array(season)[ind], np.array(season)[ind_c]
    lift = (1 + effect) * rng.lognormal(-(spread**2) / 2, spread, n)

    def noisy(k: int) -> np.ndarray:
        return rng.lognormal(-(noise**2) / 2, noise, k)

    return {
        "industry": ind.astype(str),
        "industry_c": ind_c.astype(str),
        "pre": size * noisy(n) / (1 + pre_drift),
        "baseline": size * noisy(n),
        "programme": size * s * lift * noisy(n),
        "pre_c": size_c * noisy(m),
        "baseline_c": size_c * noisy(m),
        "programme_c": size_c * s_c * noisy(m),
        "truth": float((size * s * lift).sum() / (size * s).sum() - 1),
        "raw_truth": float((size * s * lift).sum() / size.sum() - 1),
    }


def estimate(panel: dict, reps: int = 400, seed: int = 0, pre: bool = False) -> U.Estimate:
    first, second = ("pre", "baseline") if pre else ("baseline", "programme")
    match = U.match_controls(
        panel["industry"], panel[first], panel["industry_c"], panel[f"{first}_c"]
    )
    return U.bootstrap_did(
        panel[first],
        panel[second],
        panel[f"{first}_c"],
        panel[f"{second}_c"],
        match,
        reps=reps,
        seed=seed,
    )


def test_interval_covers_the_truth_at_about_the_nominal_rate() -> None:
    rng = np.random.default_rng(20181022)
    covered = []
    for i in range(300):
        panel = simulate_panel(rng, effect=float(rng.uniform(0, 2)), spread=0.05)
        result = estimate(panel, seed=i)
        assert result.low is not None and result.high is not None
        covered.append(result.low <= panel["truth"] <= result.high)
    rate = float(np.mean(covered))
    assert 0.90 <= rate <= 0.99, rate


def test_a_placebo_cohort_shows_no_significant_effect() -> None:
    rng = np.random.default_rng(7)
    significant = [
        estimate(simulate_panel(rng, effect=0.0), seed=i).significant for i in range(200)
    ]
    assert np.mean(significant) <= 0.10


def test_a_seasonal_cohort_reads_far_better_raw_than_causal() -> None:
    panel = simulate_panel(np.random.default_rng(5), effect=0.2, season=(1.6, 1.7, 1.5))
    raw = U.raw_uplift(float(panel["baseline"].sum()), float(panel["programme"].sum()))
    result = estimate(panel)
    assert raw is not None and raw > 0.75  # about 1.2 * 1.6 - 1
    assert result.low is not None and result.high is not None and result.estimate is not None
    assert result.low <= panel["truth"] <= result.high
    assert raw > result.high


def test_pretrend_check_sees_a_cohort_that_was_already_rising() -> None:
    rng = np.random.default_rng(9)
    steady = estimate(simulate_panel(rng, effect=0.5), pre=True)
    rising = estimate(simulate_panel(rng, effect=0.5, pre_drift=0.3), pre=True)
    assert steady.estimate is not None and rising.estimate is not None
    assert not steady.significant and abs(steady.estimate) < U.PRETREND_LIMIT
    assert rising.significant and rising.estimate > U.PRETREND_LIMIT


def test_placebo_spread_of_single_merchants() -> None:
    rng = np.random.default_rng(2)
    base = rng.lognormal(6, 1, 30)
    spread = U.placebo_spread(base, base * rng.lognormal(0, 0.1, 30), np.zeros(30).astype(str))
    assert spread is not None
    low, high = spread
    assert -0.4 < low < 0 < high < 0.4
    assert U.placebo_spread(base[:3], base[:3], np.zeros(3).astype(str)) is None


# --- the demo's injected truth -------------------------------------------------------


def demo_panels(folder: Path) -> tuple[pd.DataFrame, dict]:
    """Merchant-day GMV and private GMV straight from a generated delivery's orders."""
    orders = pd.read_csv(
        folder / "orders.csv", usecols=["merchant_id", "ordered_at", "channel", "gmv"]
    )
    orders["date"] = pd.to_datetime(orders["ordered_at"].str[:10]).dt.date
    private = ~orders["channel"].isin(["store", "other_online"])
    orders["private_gmv"] = np.where(private, orders["gmv"], 0.0)
    panel = orders.groupby(["merchant_id", "date"], as_index=False)[["gmv", "private_gmv"]].sum()
    merchants = pd.read_csv(folder / "merchants.csv", keep_default_na=False)
    panel = panel.merge(merchants[["merchant_id", "industry", "cohort_id"]], on="merchant_id")
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    return panel, truth


def cohort_estimate(panel: pd.DataFrame, cohort: dict, metric: str) -> tuple[float, U.Estimate]:
    windows = U.make_windows(date.fromisoformat(cohort["start"]), date.fromisoformat(cohort["end"]))
    members = panel[panel["cohort_id"] == cohort["cohort_id"]]
    controls = panel[panel["cohort_id"] == ""]
    a, c = U.window_averages(members, windows), U.window_averages(controls, windows)
    industry = members.groupby("merchant_id")["industry"].first().loc[a.index].to_numpy()
    industry_c = controls.groupby("merchant_id")["industry"].first().loc[c.index].to_numpy()
    b, p = a[f"{metric}_baseline"].to_numpy(), a[f"{metric}_programme"].to_numpy()
    bc, pc = c[f"{metric}_baseline"].to_numpy(), c[f"{metric}_programme"].to_numpy()
    ok, ok_c = b > 0, bc > 0
    match = U.match_controls(industry[ok], b[ok], industry_c[ok_c], bc[ok_c])
    raw = U.raw_uplift(float(b.sum()), float(p.sum()))
    assert raw is not None
    return raw, U.bootstrap_did(b[ok], p[ok], bc[ok_c], pc[ok_c], match, reps=1000)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2018, 1, 2])
def test_causal_estimate_recovers_the_demo_truth(seed: int, tmp_path: Path) -> None:
    from pipelines.demo import generate_demo

    generate_demo(tmp_path / "demo", seed=seed)  # about 3 s
    panel, truth = demo_panels(tmp_path / "demo")
    private_covered = []
    for cohort in truth["cohorts"]:
        raw, result = cohort_estimate(panel, cohort, "gmv")
        assert result.low is not None and result.high is not None
        assert result.low <= cohort["true_effect_total"] <= result.high, cohort["cohort_id"]
        _, private = cohort_estimate(panel, cohort, "private_gmv")
        assert private.low is not None and private.high is not None
        private_covered.append(private.low <= cohort["true_effect_private"] <= private.high)
    # Private-domain GMV is noisier (few orders a day): a 95% interval may miss once.
    assert sum(private_covered) >= len(private_covered) - 1
    for cohort in truth["cohorts"]:
        if cohort["cohort_id"] == "C2018A":
            raw, result = cohort_estimate(panel, cohort, "gmv")
            assert raw == pytest.approx(3.76, abs=0.005)
            assert result.estimate is not None
            assert abs(np.log1p(result.estimate) - np.log1p(cohort["true_effect_total"])) < 0.2


def test_a_placebo_cohort_of_demo_non_participants(demo_delivery_dir: Path) -> None:
    """Half of the demo's non-participants, called a cohort over the first cohort's window,
    against the other half: no significant effect."""
    panel, truth = demo_panels(demo_delivery_dir)
    controls = sorted(truth["controls"])
    fake = set(controls[::2])
    panel = panel.assign(
        cohort_id=np.where(panel["merchant_id"].isin(fake), "PLACEBO", panel["cohort_id"])
    )
    first = truth["cohorts"][0]
    _, result = cohort_estimate(panel, {**first, "cohort_id": "PLACEBO"}, "gmv")
    assert result.low is not None and result.high is not None
    assert result.low < 0 < result.high


# --- from the database --------------------------------------------------------------


START, END = date(2024, 3, 1), date(2024, 3, 28)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _seed_database(engine: Engine) -> None:
    """Cohort C1 (2 merchants) and 6 non-participants, all of one industry: baseline
    2024-02-02..02-29, programme 03-01..03-28, post 03-29..04-05 (data end)."""
    merchants = [
        {"merchant_id": "P1", "name": "P one", "industry": "apparel", "cohort_id": "C1"},
        {"merchant_id": "P2", "name": "P two", "industry": "apparel", "cohort_id": "C1"},
    ] + [
        {"merchant_id": f"N{i}", "name": f"N {i}", "industry": "apparel", "cohort_id": None}
        for i in range(1, 7)
    ]
    # daily GMV: baseline, programme, post
    levels = {"P1": (100, 300, 200), "P2": (100, 200, 150)}
    levels |= {f"N{i}": (100, 150, 100) for i in range(1, 7)}
    rows = []
    for mid, (before, during, after) in levels.items():
        for day in _days(date(2024, 1, 5), date(2024, 4, 5)):
            value = before if day < START else during if day <= END else after
            rows.append({"merchant_id": mid, "date": day, "gmv": value, "private_gmv": value / 4})
    with engine.begin() as connection:
        connection.execute(
            insert(Cohort),
            [{"cohort_id": "C1", "name": "Spring", "start_date": START, "end_date": END}],
        )
        connection.execute(insert(Merchant), merchants)
        connection.execute(insert(MartMerchantDay), rows)


def test_cohort_uplift_from_the_mart(engine: Engine) -> None:
    _seed_database(engine)
    result = U.cohort_uplift(engine=engine, scope=EXEC, cohort_id="C1", reps=200)
    assert result is not None
    gmv = result.gmv
    # Cohort: 200/day before, 500/day during -> raw +150%; controls grew 1.5x, so the
    # counterfactual is 300/day and the causal effect 500 / 300 - 1.
    assert gmv.baseline == pytest.approx(200)
    assert gmv.programme == pytest.approx(500)
    assert gmv.post == pytest.approx(350)
    assert gmv.raw_uplift == pytest.approx(1.5)
    assert gmv.causal.estimate == pytest.approx(500 / 300 - 1)
    assert gmv.causal.low is not None and gmv.causal.high is not None
    assert gmv.causal.low < gmv.causal.estimate < gmv.causal.high
    assert result.controls == U.MATCHES  # both match the same five (all of one size)
    merchants = gmv.merchants.set_index("merchant_id")
    assert merchants.loc["P1", "raw_uplift"] == pytest.approx(2.0)
    assert merchants.loc["P1", "causal_uplift"] == pytest.approx(1.0)
    assert merchants.loc["P2", "causal_uplift"] == pytest.approx(200 / 150 - 1)
    assert list(gmv.merchants["merchant_id"]) == ["P1", "P2"]  # the race: best first
    assert result.private.raw_uplift == pytest.approx(1.5)
    # Pre-trend: flat before the baseline for everyone.
    assert gmv.pretrend.estimate == pytest.approx(0.0)
    # Chinese New Year 2024 (10 Feb) falls in the baseline: said, not hidden.
    assert [w.code for w in result.warnings] == ["season"]
    assert result.warnings[0].params == {"baseline": ["cny"], "programme": []}
    # Cumulative incremental GMV: 200 a day over the 28 programme days.
    assert result.cumulative["incremental"].iloc[0] == pytest.approx(200)
    assert result.cumulative.set_index("day").loc[28, "cumulative"] == pytest.approx(5600)
    weekly = result.weekly.set_index("week_start")
    assert weekly.loc[START, "cohort_daily"] == pytest.approx(500)
    assert weekly.loc[START, "counterfactual_daily"] == pytest.approx(300)

    report = U.uplift_report(result)
    assert report["cohort"] == "C1" and report["raw_uplift"] == pytest.approx(1.5)
    assert set(report["causal_uplift"]) == {"estimate", "low", "high"}
    assert report["merchants"][0]["merchant_id"] == "P1"
    json.dumps(report)  # JSON-ready


def test_scope_of_the_uplift(engine: Engine) -> None:
    _seed_database(engine)
    coach = Scope.coach(["C1"])
    result = U.cohort_uplift(engine=engine, scope=coach, cohort_id="C1", reps=100)
    assert result is not None and result.controls == U.MATCHES
    controls = U.control_panel(engine=engine, scope=coach, windows=[(START, END)])
    assert set(controls["merchant_id"]) == {f"control-0{i}" for i in range(1, 7)}
    assert U.cohort_uplift(engine=engine, scope=Scope.coach(["C9"]), cohort_id="C1") is None
    own = U.cohort_uplift(engine=engine, scope=Scope.merchant("P2"), cohort_id="C1", reps=100)
    assert own is not None and list(own.gmv.merchants["merchant_id"]) == ["P2"]


def test_too_few_non_participants_means_no_causal_figure(engine: Engine) -> None:
    _seed_database(engine)
    with engine.begin() as connection:
        connection.execute(
            MartMerchantDay.__table__.delete().where(
                MartMerchantDay.__table__.c.merchant_id.in_(["N1", "N2"])
            )
        )
    result = U.cohort_uplift(engine=engine, scope=EXEC, cohort_id="C1", reps=100)
    assert result is not None
    assert result.gmv.causal == U.NO_ESTIMATE
    assert "no_controls" in [w.code for w in result.warnings]


def test_the_demo_first_cohort_reads_376_with_a_season_warning(
    demo_db_url: str, ground_truth: dict[str, Any]
) -> None:
    from models.db import make_engine

    engine = make_engine(demo_db_url)
    result = U.cohort_uplift(engine=engine, scope=EXEC, cohort_id="C2018A")
    engine.dispose()
    assert result is not None
    first = next(c for c in ground_truth["cohorts"] if c["cohort_id"] == "C2018A")
    assert result.gmv.raw_uplift == pytest.approx(first["raw_uplift"], abs=0.005)
    truth = first["true_effect_total"]  # the effect the generator put in
    causal = result.gmv.causal
    assert causal.low is not None and causal.high is not None
    assert causal.low <= truth <= causal.high
    season = next(w for w in result.warnings if w.code == "season")
    assert "double_11" in season.params["programme"]


def test_the_overview_and_the_roi_page_read_the_same_raw_uplift(
    demo_db_url: str, ground_truth: dict[str, Any]
) -> None:
    """Raw uplift has one definition (`models.kpis.raw_uplift`): the overview's cohort table
    (SQL sums) and the ROI page's figure (the uplift panel) agree on every cohort, and both
    read what the generator published."""
    from models import queries
    from models.db import make_engine

    engine = make_engine(demo_db_url)
    table = queries.cohort_uplift_table(engine=engine, scope=EXEC).set_index("cohort_id")
    published = {c["cohort_id"]: c["raw_uplift"] for c in ground_truth["cohorts"]}
    for cohort_id, figure in published.items():
        result = U.cohort_uplift(engine=engine, scope=EXEC, cohort_id=cohort_id, reps=20)
        assert result is not None
        assert result.gmv.raw_uplift == pytest.approx(table.loc[cohort_id, "raw_uplift"])
        assert result.gmv.raw_uplift == pytest.approx(figure, abs=0.005)
    engine.dispose()


def test_the_cohort_windows_mart_gives_the_figures_of_the_merchants_days(
    demo_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The executive's pre28 figures come from `mart_cohort_windows`; read from the
    merchant-day mart instead (no baseline held by the mart) they are the same."""
    from sqlalchemy import create_engine

    from models import uplift_reads

    engine = create_engine(demo_db_url)
    marted = U.cohort_uplift(engine=engine, scope=EXEC, cohort_id="C2018A", reps=200)
    monkeypatch.setattr(uplift_reads, "MART_BASELINES", ())
    days = U.cohort_uplift(engine=engine, scope=EXEC, cohort_id="C2018A", reps=200)
    engine.dispose()
    assert marted is not None and days is not None and marted.controls == days.controls
    for metric in U.METRICS:
        a, b = marted.metric(metric), days.metric(metric)
        assert a.causal.estimate == pytest.approx(b.causal.estimate, rel=1e-12)
        assert a.pretrend.low == pytest.approx(b.pretrend.low, rel=1e-12)
        np.testing.assert_allclose(a.draws, b.draws, rtol=1e-12)
        pd.testing.assert_frame_equal(a.merchants, b.merchants, rtol=1e-12)
        pd.testing.assert_frame_equal(a.weekly, b.weekly, rtol=1e-12)
