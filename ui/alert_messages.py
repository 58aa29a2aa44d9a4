"""The words of an alert in one language, from the facts of a firing: the inbox line on
the Alerts page and the text of an email or webhook post are the same sentence.

Pure (no Streamlit): pipelines/notify.py uses it outside the app. The facts are those
`models.alerts_inbox` lets the recipient's scope see, so a message never carries more.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from ui import format as fmt
from ui.format import Lang
from ui.text.alerts import TEXT


def say(key: str, lang: str, **values: object) -> str:
    """The catalog text for `key` in `lang` (English when `lang` is unknown)."""
    entry = TEXT[key]
    text = entry.get(cast(Lang, lang)) or entry["en"]
    return text.format(**values) if values else text


def _figure(metric: str, value: object, lang: Lang) -> str:
    if metric == "gmv":
        return fmt.money(value, lang)
    if metric.endswith("_share"):
        return fmt.percent(value, lang)
    return fmt.count(value, lang)  # connection scores, 0-100


def _merchant(facts: Mapping[str, Any], lang: Lang) -> str:
    if facts.get("merchant_id") is None:
        return say("alerts.programme", lang)
    return f"{facts.get('merchant_name') or facts['merchant_id']} ({facts['merchant_id']})"


def sentence(facts: Mapping[str, Any], lang: str) -> str:
    """What happened, in one sentence."""
    language = cast(Lang, lang if lang in ("en", "zh") else "en")
    kind, metric, value = facts["kind"], facts.get("metric") or "", facts.get("value")
    merchant = _merchant(facts, language)
    period = facts.get("period") or 0
    if kind == "kpi":
        return say(
            "alerts.msg.kpi",
            language,
            merchant=merchant,
            metric=say(f"alerts.metric.{metric}", language),
            value=_figure(metric, value, language),
            direction=say(f"alerts.direction.{facts['direction']}", language),
            threshold=_figure(metric, facts.get("threshold"), language),
        )
    if kind == "stall":
        change = fmt.percent_change(value, language)
        return say("alerts.msg.stall", language, merchant=merchant, period=period, value=change)
    if kind == "stage":
        return say(
            "alerts.msg.stage",
            language,
            merchant=merchant,
            connection=say(f"alerts.connection.{metric}", language),
            stage=say(f"alerts.stage.{facts.get('detail') or 'no_data'}", language),
            period=period,
        )
    if kind == "late":
        return say("alerts.msg.late", language, merchant=merchant, period=period)
    return say(
        "alerts.msg.rejections",
        language,
        batch=facts.get("detail") or "-",
        value=fmt.percent(value, language),
        threshold=fmt.percent(facts.get("threshold"), language),
    )


def message(facts: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(subject, body) of an email or a webhook post."""
    subject = say("alerts.msg.subject", lang, rule=facts["rule_name"])
    footer = say(
        "alerts.msg.footer",
        lang,
        rule=facts["rule_name"],
        at=fmt.timestamp(facts["fired_at"], cast(Lang, lang if lang in ("en", "zh") else "en")),
    )
    return subject, f"{sentence(facts, lang)}\n{footer}"
