"""The executive's answer, drawn at the top of the overview and of Cohort ROI: which
cohort is ahead by causal uplift, by how much, and how sure that is; the ranking as a
table and a chart; the ranking as CSV and a one-page printable summary.

Figures come from `models.uplift_ranking` (through `ui.data.roi`); this module words and
draws them. The sentence, the tables and the summary are pure functions (tests call them).
"""

from __future__ import annotations

import html
import re
from datetime import datetime

import pandas as pd
import streamlit as st

from i18n import format as fmt
from i18n.format import Lang
from models.clock import utcnow
from models.uplift import MetricUplift
from models.uplift_calendar import BASELINE_DAYS
from models.uplift_estimator import BOOTSTRAP_REPS
from models.uplift_ranking import Ranking
from ui import charts, charts_roi, widgets
from ui.i18n import translate

RAW_COLUMN = {
    "pre28": "roi.col.published_raw",
    "last_year": "roi.col.raw_last_year",
    "custom": "roi.col.raw_custom",
}
VERDICTS = {"ahead": "roi.answer.ahead", "not_certain": "roi.answer.not_certain"}
METRIC_NAMES = {"gmv": "roi.answer.metric.gmv", "private_gmv": "roi.answer.metric.private_gmv"}
BASELINE_NAMES = {
    "pre28": "roi.answer.baseline.pre28",
    "last_year": "roi.answer.baseline.last_year",
}
REASONS = {"no_baseline": "roi.reason.no_baseline", "no_controls": "roi.reason.no_controls"}
COLUMNS = {
    "rank": "roi.col.rank",
    "cohort_id": "col.cohort",
    "causal_uplift": "roi.col.causal",
    "interval": "roi.col.interval",
    "raw_uplift": "roi.col.published_raw",
}


def points(value: object) -> str:
    """A difference of two uplifts (1.24) in whole percentage points: `+124`."""
    if value is None or value != value:
        return fmt.MISSING
    return f"{round(float(value) * 100):+d}"  # type: ignore[arg-type]


def _interval(low: object, high: object, lang: Lang) -> str:
    if low is None or low != low:
        return fmt.MISSING
    return f"{fmt.percent_change(low, lang)} .. {fmt.percent_change(high, lang)}"


def sentence(ranking: Ranking, lang: Lang) -> str:
    """The answer in one sentence (markdown, bold on the figures)."""
    if ranking.leader is None:
        return translate("roi.answer.none", lang)
    first = ranking.row(ranking.leader)
    figures = {
        "leader": fmt.plain(ranking.leader),
        "causal": fmt.percent_change(first["causal_uplift"], lang),
        "low": fmt.percent_change(first["causal_low"], lang),
        "high": fmt.percent_change(first["causal_high"], lang),
    }
    if ranking.runner_up is None:
        return translate("roi.answer.only_one", lang, **figures)
    lead = ranking.difference
    return translate(
        VERDICTS[ranking.verdict],
        lang,
        **figures,
        runner=fmt.plain(ranking.runner_up),
        points=points(lead.estimate).lstrip("+"),
        dlow=points(lead.low),
        dhigh=points(lead.high),
    )


def basis(ranking: Ranking, lang: Lang) -> str:
    """What the figures are: metric and baseline."""
    return translate(
        "roi.answer.basis",
        lang,
        metric=translate(METRIC_NAMES[ranking.metric], lang),
        baseline=translate(
            BASELINE_NAMES.get(ranking.baseline, BASELINE_NAMES["pre28"]), lang, days=BASELINE_DAYS
        ),
    )


def shown_table(ranking: Ranking, lang: Lang) -> pd.DataFrame:
    """The ranking as text cells, one row per cohort (COLUMNS)."""
    table = ranking.table
    return table.assign(
        rank=[fmt.MISSING if r != r or r is None else f"{int(r)}" for r in table["rank"]],
        causal_uplift=[
            fmt.percent_change(v, lang) if v == v else translate("roi.answer.no_figure", lang)
            for v in table["causal_uplift"]
        ],
        interval=[
            _interval(lo, hi, lang)
            for lo, hi in zip(table["causal_low"], table["causal_high"], strict=True)
        ],
        raw_uplift=table["raw_uplift"].map(lambda v: fmt.percent_change(v, lang)),
        merchants=table["merchants"].map(lambda v: fmt.count(v, lang)),
    )


def columns(ranking: Ranking) -> dict[str, str]:
    """COLUMNS with the raw uplift named for its baseline ("published" only for pre28)."""
    return COLUMNS | {"raw_uplift": RAW_COLUMN.get(ranking.baseline, RAW_COLUMN["custom"])}


def export_frame(ranking: Ranking, lang: Lang) -> pd.DataFrame:
    """The ranking for a spreadsheet: cohort names beside ids, each figure as a fraction
    (3.76) and formatted (+376%), the baseline and metric named on every row, and the
    leader's lead over the runner-up on the leader's row."""
    table = ranking.table
    out = pd.DataFrame(
        {
            "rank": table["rank"],
            "cohort_id": table["cohort_id"],
            "cohort_name": table["name"],
            "merchants": table["merchants"],
            "metric": ranking.metric,
            "baseline": ranking.baseline,
        }
    )
    for column in ("causal_uplift", "causal_low", "causal_high", "raw_uplift"):
        out[column] = table[column]
        out[f"{column}_pct"] = table[column].map(lambda v: fmt.percent_change(v, lang))
    out["interval_excludes_zero"] = table["significant"]
    out["no_figure_reason"] = table["reason"]
    lead = ranking.difference
    leader = out["cohort_id"] == ranking.leader
    out["lead_over_runner_up_points"] = [
        round(lead.estimate * 100, 1) if is_leader and lead.estimate is not None else None
        for is_leader in leader
    ]
    out["lead_low_points"] = [
        round(lead.low * 100, 1) if is_leader and lead.low is not None else None
        for is_leader in leader
    ]
    out["lead_high_points"] = [
        round(lead.high * 100, 1) if is_leader and lead.high is not None else None
        for is_leader in leader
    ]
    out["answer"] = [plain_text(sentence(ranking, lang)) if x else "" for x in leader]
    return out


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ESCAPED = re.compile(r"\\(.)")


def plain_text(markdown: str) -> str:
    """The sentence without its Markdown: no bold marks, no escapes."""
    return _ESCAPED.sub(r"\1", markdown.replace("**", ""))


_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", Arial, sans-serif;
  color: #1a1a1a; max-width: 180mm; margin: 0 auto; font-size: 12pt; line-height: 1.45; }}
h1 {{ font-size: 18pt; color: #0B6E4F; margin-bottom: 4pt; }}
p.answer {{ font-size: 14pt; border-left: 4pt solid #0B6E4F; padding-left: 8pt; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 10pt; }}
th, td {{ border-bottom: 1px solid #bbb; padding: 4pt 6pt; text-align: left; }}
th {{ background: #eef5f2; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.small {{ color: #555; font-size: 9.5pt; }}
</style></head><body>
<h1>{title}</h1>
<p class="answer">{answer}</p>
<p class="small">{basis} {method}</p>
<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
<p class="small">{made}</p>
</body></html>
"""


def summary_html(ranking: Ranking, lang: Lang, made: datetime) -> bytes:
    """A one-page printable summary: the sentence and the ranking (self-contained HTML: no
    script, no outside font or image)."""
    shown = shown_table(ranking, lang)
    names = {"rank": "roi.col.rank", "cohort_id": "col.cohort", "name": "roi.col.cohort_name"}
    names |= columns(ranking) | {"merchants": "roi.col.merchants"}
    head = "".join(f"<th>{html.escape(translate(k, lang))}</th>" for k in names.values())
    numeric = {"rank", "causal_uplift", "interval", "raw_uplift", "merchants"}
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=n' if c in numeric else ''}>{html.escape(str(row[c]))}</td>"
            for c in names
        )
        + "</tr>"
        for _, row in shown.iterrows()
    )
    answer = _BOLD.sub(
        r"<strong>\1</strong>", html.escape(_ESCAPED.sub(r"\1", sentence(ranking, lang)))
    )
    page = _PAGE.format(
        lang="zh-Hans" if lang == "zh" else "en",
        title=html.escape(translate("roi.answer.summary.title", lang)),
        answer=answer,
        basis=html.escape(basis(ranking, lang)),
        method=html.escape(
            translate("roi.answer.basis.help", lang, reps=fmt.count(BOOTSTRAP_REPS, lang))
        ),
        head=head,
        rows=rows,
        made=html.escape(
            translate("roi.answer.summary.made", lang, when=fmt.timestamp(made, lang))
        ),
    )
    return page.encode("utf-8")


def render(
    ranking: Ranking, lang: Lang, *, key: str, cohort_ids: list[str], note: str | None = None
) -> None:
    """The answer block: the sentence, what it is based on, the ranking table beside its
    chart, and the two exports. `cohort_ids` (oldest first) fixes each cohort's colour."""
    with st.container(border=True):
        st.markdown(f"#### {translate('roi.answer.header', lang)}")
        st.markdown(sentence(ranking, lang))
        st.caption(
            basis(ranking, lang) + (f" {note}" if note else ""),
            help=translate("roi.answer.basis.help", lang, reps=fmt.count(BOOTSTRAP_REPS, lang)),
        )
        # the table wider than its chart: at 1280 px half the main area cut its last
        # column ("Published raw uplift") and scrolled sideways
        left, right = st.columns([3, 2])
        with left:
            widgets.table(
                shown_table(ranking, lang), columns(ranking), key=f"{key}_table", whole=True
            )
        figure = charts_roi.cohort_ranking(ranking.table, lang=lang, cohort_ids=cohort_ids)
        if figure is not None:
            right.plotly_chart(figure, config=charts.CONFIG, key=f"{key}_chart")
        csv, page = st.columns(2)
        name = f"cohort-ranking-{ranking.metric}-{ranking.baseline}"
        with csv:
            widgets.export_button(
                "roi.answer.csv",
                export_frame(ranking, lang).to_csv(index=False).encode("utf-8-sig"),
                f"{name}.csv",
                key=f"{key}_csv",
                what=name,
            )
        with page:
            widgets.export_button(
                "roi.answer.summary",
                summary_html(ranking, lang, utcnow()),
                f"{name}-summary.html",
                key=f"{key}_html",
                what=f"{name}-summary",
                mime="text/html",
            )


def merchant_export(
    figures: MetricUplift, cohort_id: str, cohort_name: str, lang: Lang
) -> pd.DataFrame:
    """A cohort's merchants for a spreadsheet: the cohort beside each row, each uplift as
    a fraction (3.76) and formatted (+376%), and why a merchant has no causal figure."""
    merchants = figures.merchants
    out = merchants.drop(columns=["reason"]).assign(
        cohort_id=cohort_id, cohort_name=cohort_name, metric=figures.metric
    )
    for column in ("raw_uplift", "causal_uplift", "causal_low", "causal_high"):
        out.insert(
            out.columns.get_loc(column) + 1,
            f"{column}_pct",
            merchants[column].map(lambda v: fmt.percent_change(v, lang)),
        )
    out["no_figure_reason"] = [
        reason_text(r, figures.metric, lang) if isinstance(r, str) else ""
        for r in merchants["reason"]
    ]
    return out[
        [
            "cohort_id",
            "cohort_name",
            *[c for c in out.columns if c not in ("cohort_id", "cohort_name")],
        ]
    ]


def reason_text(reason: str, metric: str, lang: Lang) -> str:
    """Why a merchant has no causal figure, in words."""
    return translate(
        REASONS.get(reason, REASONS["no_controls"]),
        lang,
        metric=translate(METRIC_NAMES.get(metric, METRIC_NAMES["gmv"]), lang),
    )


def race_missing(figures: MetricUplift, lang: Lang) -> str | None:
    """The merchants the race cannot draw, each with the reason; None when all are in."""
    missing = figures.merchants[figures.merchants["causal_uplift"].isna()]
    if missing.empty:
        return None
    items = [
        translate(
            "roi.race.missing.item",
            lang,
            name=fmt.plain(name),
            reason=reason_text(str(reason or "no_controls"), figures.metric, lang),
        )
        for name, reason in zip(missing["name"], missing["reason"], strict=True)
    ]
    return translate("roi.race.missing", lang, n=len(items), names="; ".join(items))
