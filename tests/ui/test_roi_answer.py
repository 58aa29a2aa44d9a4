"""The executive's answer in words: the sentence in both languages, the ranking table,
the CSV (formatted percentages beside fractions, names beside ids) and the printable
summary (self-contained HTML)."""

from __future__ import annotations

import io
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from models.uplift import MERCHANT_COLUMNS, NO_ESTIMATE, Estimate, MetricUplift
from models.uplift_ranking import RANKING_COLUMNS, Ranking
from ui import roi_answer

LEAD = Estimate(1.24, -0.40, 2.90)


def ranking(
    verdict: str = "not_certain",
    lead: Estimate = LEAD,
    baseline: str = "pre28",
    rows: int = 2,
) -> Ranking:
    table = pd.DataFrame(
        [
            [1, "C2018A", "Autumn", 17, 3.76, 2.95, 1.62, 4.64, True, None],
            [2, "C2019A", "Spring", 16, 1.73, 1.71, 0.87, 2.56, True, None],
            [None, "C2020A", "New", 15, 0.5, np.nan, np.nan, np.nan, False, "no_controls"],
        ][:rows],
        columns=RANKING_COLUMNS,
    )
    leader = "C2018A" if rows else None
    runner = "C2019A" if rows > 1 else None
    return Ranking("gmv", baseline, table, leader, runner, lead, verdict)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "lang, verdict, lead, expected",
    [
        (
            "en",
            "not_certain",
            Estimate(1.24, -0.40, 2.90),
            "**C2018A** is ahead: **+295%** causal uplift (95%: +162% .. +464%), **124 points** "
            "more than C2019A; the lead is not yet certain (95%: -40 .. +290 points), so C2019A "
            "may be level or ahead.",
        ),
        (
            "zh",
            "not_certain",
            Estimate(1.24, -0.40, 2.90),
            "**C2018A** 领先：因果提升 **+295%**（95%：+162% 至 +464%），比 C2019A 高 "
            "**124 个百分点**；但领先尚不确定（95%：-40 至 +290 个百分点），"
            "C2019A 可能持平甚至领先。",
        ),
        (
            "en",
            "ahead",
            Estimate(1.24, 0.31, 2.90),
            "**C2018A** is ahead: **+295%** causal uplift (95%: +162% .. +464%), **124 points** "
            "more than C2019A; the lead is certain (95%: +31 .. +290 points).",
        ),
        (
            "zh",
            "ahead",
            Estimate(1.24, 0.31, 2.90),
            "**C2018A** 领先：因果提升 **+295%**（95%：+162% 至 +464%），比 C2019A 高 "
            "**124 个百分点**；领先已可确认（95%：+31 至 +290 个百分点）。",
        ),
    ],
)
def test_the_sentence_in_both_languages(
    lang: str, verdict: str, lead: Estimate, expected: str
) -> None:
    assert roi_answer.sentence(ranking(verdict, lead), lang) == expected  # type: ignore[arg-type]


def test_one_or_no_cohort_with_a_figure() -> None:
    alone = ranking("only_one", NO_ESTIMATE, rows=1)
    assert roi_answer.sentence(alone, "en").startswith("**C2018A** is the only cohort")
    assert "只有 **C2018A**" in roi_answer.sentence(alone, "zh")
    nobody = ranking("none", NO_ESTIMATE, rows=0)
    assert roi_answer.sentence(nobody, "en").startswith("No cohort has a causal figure")


@pytest.mark.parametrize(
    "baseline, header",
    [
        ("pre28", "Published raw uplift"),
        ("last_year", "Raw uplift vs last year"),
        ("custom", "Raw uplift vs your window"),
    ],
)
def test_published_only_on_the_28_day_baseline(baseline: str, header: str) -> None:
    from ui.i18n import translate

    names = roi_answer.columns(ranking(baseline=baseline))
    assert translate(names["raw_uplift"], "en") == header


def test_the_ranking_table_says_why_a_cohort_has_no_figure() -> None:
    shown = roi_answer.shown_table(ranking(rows=3), "en")
    assert shown["causal_uplift"].tolist()[:2] == ["+295%", "+171%"]
    assert shown["interval"].tolist()[0] == "+162% .. +464%"
    assert "too few comparable non-participants" in shown["causal_uplift"].iloc[2]
    assert shown["rank"].tolist() == ["1", "2", "—"]


def test_the_csv_holds_fractions_beside_percentages_and_names_beside_ids() -> None:
    frame = roi_answer.export_frame(ranking(rows=3), "en")
    again = pd.read_csv(io.StringIO(frame.to_csv(index=False)))
    first = again.iloc[0]
    assert (first["cohort_id"], first["cohort_name"]) == ("C2018A", "Autumn")
    assert first["raw_uplift"] == pytest.approx(3.76) and first["raw_uplift_pct"] == "+376%"
    assert first["causal_uplift_pct"] == "+295%" and first["causal_low_pct"] == "+162%"
    assert first["lead_over_runner_up_points"] == pytest.approx(124.0)
    assert first["lead_low_points"] == pytest.approx(-40.0)
    assert first["answer"].startswith("C2018A is ahead: +295%")  # no Markdown left
    assert again["no_figure_reason"].iloc[2] == "no_controls"
    assert roi_answer.export_frame(ranking(rows=3), "zh")["raw_uplift_pct"].iloc[0] == "+376%"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_summary_is_one_printable_page_that_needs_nothing_outside(lang: str) -> None:
    page = roi_answer.summary_html(ranking(rows=3), lang, datetime(2026, 12, 2, 9, 30)).decode()  # type: ignore[arg-type]
    assert page.startswith("<!DOCTYPE html>") and "@page" in page
    for outside in ("http:", "https:", "<script", "<link", "@import", "url("):
        assert outside not in page
    assert "<strong>C2018A</strong>" in page and "<strong>+295%</strong>" in page
    assert "Autumn" in page and "C2020A" in page and page.count("<tr>") == 4
    assert ("领先" in page) == (lang == "zh")


def test_the_race_lists_every_merchant_it_cannot_draw() -> None:
    merchants = pd.DataFrame(
        [
            ["m1", "Tea", "tea", 10.0, 20.0, np.nan, 1.0, 0.8, 0.5, 1.2, True, 5.0, None],
            ["m2", "Cafe", "tea", 0.0, 20.0, np.nan, None, np.nan, np.nan, np.nan, False,
             np.nan, "no_baseline"],
        ],
        columns=MERCHANT_COLUMNS,
    )  # fmt: skip
    figures = MetricUplift(
        "private_gmv", 10, 40, None, 3.0, None, NO_ESTIMATE, NO_ESTIMATE, merchants
    )
    assert roi_answer.race_missing(figures, "en") == (
        "Not in the chart (1): Cafe (no private-domain GMV in the baseline)."
    )
    assert "基期无私域成交额" in str(roi_answer.race_missing(figures, "zh"))
    export = roi_answer.merchant_export(figures, "C1", "Spring", "en")
    assert list(export.columns[:2]) == ["cohort_id", "cohort_name"]
    assert export["causal_uplift_pct"].tolist() == ["+80%", "—"]
    assert export["no_figure_reason"].tolist() == ["", "no private-domain GMV in the baseline"]
    assert (
        roi_answer.race_missing(
            MetricUplift("gmv", 1, 2, None, 1.0, None, NO_ESTIMATE, NO_ESTIMATE, merchants[:1]),
            "en",
        )
        is None
    )
