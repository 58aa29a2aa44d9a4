"""A number that is a rule of a model (the fewest peers a comparison is shown with, the
shortest password, the published uplift's windows, an alert KPI's days) is said by
the catalog through a placeholder filled from that rule's constant, never written into the
text: the words cannot disagree with the rule."""

from __future__ import annotations

import re

import pytest

from models.alerts import GMV_DAYS, SHARE_DAYS
from models.auth import MIN_PASSWORD
from models.clusters import K_RANGE
from models.peers import MIN_PEERS
from models.planning import ALPHA, POWER, WINDOW_DAYS
from models.segments.store import NAME_MAX
from models.uplift_calendar import BASELINE_DAYS, POST_DAYS
from models.uplift_estimator import BOOTSTRAP_REPS, PRETREND_LIMIT
from ui.charts import ROLLING_DAYS
from ui.i18n import CATALOG, translate

WORDS = {5: ("five", "五"), 6: ("six", "六"), 10: ("ten", "十")}


def _spelled(value: int) -> str:
    """The value as digits or as a word, in either language."""
    return "|".join(re.escape(w) for w in (str(value), *WORDS.get(value, ())))


# rule: (its value, patterns of the text that would write it by hand)
RULES = {
    "models.peers.MIN_PEERS": (
        MIN_PEERS,
        [
            rf"\b({_spelled(MIN_PEERS)})\s+(peers|merchants)\b",
            rf"(fewer|less) than ({_spelled(MIN_PEERS)})\b",
            rf"(至少|少于|不足)\s*({_spelled(MIN_PEERS)})\s*家",
        ],
    ),
    "models.auth.MIN_PASSWORD": (
        MIN_PASSWORD,
        [rf"\b({_spelled(MIN_PASSWORD)})\s+characters", rf"({_spelled(MIN_PASSWORD)})\s*个字符"],
    ),
    "models.uplift_calendar.BASELINE_DAYS": (
        BASELINE_DAYS,
        [rf"\b{BASELINE_DAYS} days before", rf"开营前\s*{BASELINE_DAYS}\s*天"],
    ),
    "models.alerts.GMV_DAYS": (GMV_DAYS, [rf"\({GMV_DAYS} days\)", rf"（{GMV_DAYS} 天）"]),
    "models.alerts.SHARE_DAYS": (SHARE_DAYS, [rf"\({SHARE_DAYS} days\)", rf"（{SHARE_DAYS} 天）"]),
    "models.uplift_estimator.BOOTSTRAP_REPS": (
        BOOTSTRAP_REPS,
        [
            rf"\b{BOOTSTRAP_REPS:,} replicates",
            rf"\b{BOOTSTRAP_REPS} replicates",
            rf"{BOOTSTRAP_REPS} 次",
        ],
    ),
    "models.planning.POWER, ALPHA": (
        POWER,
        [rf"{POWER:.0%}\s*(power|检验力)", rf"{ALPHA:.0%}\s*(level|显著性)"],
    ),
    "models.planning.WINDOW_DAYS": (
        WINDOW_DAYS,
        [rf"spend over {WINDOW_DAYS} days", rf"顾客\s*{WINDOW_DAYS}\s*天消费"],
    ),
    "models.clusters.K_RANGE": (
        K_RANGE[0],
        [
            rf"\bfrom {K_RANGE[0]} to {K_RANGE[-1]}\b",
            rf"{K_RANGE[0]}\s*(到|至)\s*{K_RANGE[-1]}\s*之间",
        ],
    ),
    "models.segments.store.NAME_MAX": (
        NAME_MAX,
        [rf"\bto {NAME_MAX} characters", rf"至\s*{NAME_MAX}\s*个字符"],
    ),
    "models.uplift_estimator.PRETREND_LIMIT": (
        PRETREND_LIMIT,
        [rf"(±|\+-|beyond|超过)\s*±?{PRETREND_LIMIT:.0%}"],
    ),
    "ui.charts.ROLLING_DAYS": (
        ROLLING_DAYS,
        [
            rf"\b{ROLLING_DAYS}-day rolling",
            rf"{ROLLING_DAYS}\s*日滚动",
            rf"\b({_spelled(ROLLING_DAYS - 1)}) before it",
            rf"之前\s*({_spelled(ROLLING_DAYS - 1)})\s*天",
        ],
    ),
    "models.uplift_calendar.POST_DAYS": (
        POST_DAYS,
        [rf"\b{POST_DAYS} days after", rf"结束后的?\s*{POST_DAYS}\s*天"],
    ),
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_no_entry_writes_a_rule_number_by_hand(rule: str) -> None:
    _value, patterns = RULES[rule]
    found = [
        (key, lang)
        for key, entry in CATALOG.items()
        for lang, text in entry.items()
        for pattern in patterns
        if re.search(pattern, text, flags=re.IGNORECASE)
    ]
    assert found == [], f"{rule} written by hand in {found}"


def test_the_patterns_find_the_old_words() -> None:
    """The check fails on the sentences this catalog used to hold."""
    old = [
        "shown only with at least five peers",
        "Not shown: 3 peers (fewer than five)",
        "不显示：同期商家 3 家（少于五家）",
        "Password (at least 10 characters)",
        "密码（至少 10 个字符）",
        "each cohort's 28 days before its start",
        "与什么比较：开营前 28 天（公布口径）",
        "Post-programme window: the 28 days after the programme end",
        "结营后时段：计划结束后的 28 天",
        "Daily average GMV (7 days)",
        "Intervals: merchant-level bootstrap, 2,000 replicates",
        "区间：按商家自助抽样 2000 次",
        "can detect (80% power, 5% level), from the spread of spend over 30 days",
        "最小人均成交额提升（80% 检验力，5% 显著性），依据您自己顾客 30 天消费的离散程度",
        "私域占比（28 天）",
        "an interval excluding zero or a figure beyond ±15% means the comparison",
        "区间不含零或超过 ±15% 说明开营前对照组",
        "a campaign needs a name of 1 to 200 characters",
        "优惠内容须为 1 至 200 个字符",
        "the number of groups with the best silhouette from 2 to 6; always",
        "分组数按轮廓系数在 2 到 6 之间选取",
        "7-day rolling mean",
        "7日滚动平均",
        "Smooth out the weekly pattern (mean of each day and the six before it).",
        "平滑周内波动（当天及之前六天的平均值）。",
    ]
    patterns = [p for _value, ps in RULES.values() for p in ps]
    assert all(any(re.search(p, s, flags=re.IGNORECASE) for p in patterns) for s in old)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_peer_words_follow_the_constant(lang: str) -> None:
    """Said with another threshold, the sentences say that threshold."""
    for key in ("connections.assessment.peers.caption", "connections.assessment.peers.too_few"):
        text = translate(key, lang, n=3, min_peers=7)
        assert "7" in text and not re.search(rf"\b{MIN_PEERS}\b|five|五", text), (key, text)
    assert "12" in translate("setup.password", lang, n=12)
    for key in ("roi.baseline.pre28", "roi.raw_what.pre28", "roi.answer.baseline.pre28"):
        assert "35" in translate(key, lang, days=35), key
    assert "35" in translate("roi.warning.incomplete.term", lang, post_days=35)
    assert "500" in translate("roi.answer.basis.help", lang, reps=500)
    said = translate("roi.warning.pretrend.term", lang, estimate="", low="", high="", limit="20%")
    assert "±20%" in said and "15%" not in said
    for key in ("offer.reason.name", "offer.reason.offer", "rules.reason.name"):
        assert "80" in translate(key, lang, most=80), key
    said = translate("segments.clusters.caption", lang, low=3, high=9)
    assert "3" in said and "9" in said and "6" not in said
    assert "14" in translate("chart.rolling", lang, days=14)
    assert "13" in translate("chart.rolling.help", lang, before=13)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_name_too_long_is_said_with_the_models_limit(lang: str) -> None:
    """The sentence a model gives for a name too long says its NAME_MAX in either language."""
    from ui import failure_text, segment_text

    for said in (
        failure_text.offer_reason(f"a campaign needs a name of 1 to {NAME_MAX} characters", lang),
        failure_text.offer_reason(f"an offer needs 1 to {NAME_MAX} characters", lang),
        segment_text.reason(f"a segment needs a name of 1 to {NAME_MAX} characters", lang),
    ):
        assert str(NAME_MAX) in said, said


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_alert_names_the_days_its_model_gives(lang: str) -> None:
    """The days of a KPI rule travel with the facts (models.alerts.METRIC_DAYS)."""
    from i18n.alert_messages import sentence
    from models.alerts import METRIC_DAYS

    facts = {"kind": "kpi", "metric": "private_share", "merchant_id": "M1", "merchant_name": "A",
             "value": 0.1, "direction": "below", "threshold": 0.2}  # fmt: skip
    said = sentence(facts | {"days": METRIC_DAYS["private_share"]}, lang)
    assert f"{SHARE_DAYS} " in said and "{days}" not in said
    assert "35 " in sentence(facts | {"days": 35}, lang)
