"""The words of an alert in one language, from the facts of a firing: the inbox line on
the Alerts page and the text of an email or webhook post are the same sentence.

Pure (no Streamlit): pipelines/notify.py uses it outside the app. The facts are those
`models.alerts_inbox` lets the recipient's scope see, so a message never carries more.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import pandas as pd

from i18n import format as fmt
from i18n.format import Lang
from i18n.text.alerts import TEXT


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


def _metric(row: Mapping[str, Any], lang: Lang) -> str:
    """A KPI's name with the days it is read over (`days`, given with the facts by the
    model that owns the windows, `models.alerts.METRIC_DAYS`)."""
    metric, days = row.get("metric") or "", row.get("days")
    shown = "" if _missing(days) else int(cast(float, days))
    return say(f"alerts.metric.{metric}", lang, days=shown)


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
            metric=_metric(facts, language),
            value=_figure(metric, value, language),
            direction=say(f"alerts.direction.{facts['direction']}", language),
            threshold=_figure(metric, facts.get("threshold"), language),
        )
    if kind == "stall":
        change = fmt.percent_change(value, language)
        return say("alerts.msg.stall", language, merchant=merchant, period=period, value=change)
    if kind == "stage":
        # a rule on any connection says which one in its detail: "connection:stage"
        connection, _, stage = str(facts.get("detail") or "").rpartition(":")
        return say(
            "alerts.msg.stage",
            language,
            merchant=merchant,
            connection=say(f"alerts.connection.{connection or metric}", language),
            stage=say(f"alerts.stage.{stage or 'no_data'}", language),
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


def inbox_view(inbox: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The inbox as shown: when, which rule, which merchant, what happened, open or not."""
    rows = inbox.to_dict("records")
    return pd.DataFrame(
        {
            "fired": [fmt.timestamp(r["fired_at"], lang) for r in rows],
            "rule": [r["rule_name"] for r in rows],
            "merchant": [_merchant(r, lang) for r in rows],
            "what": [sentence(r, lang) for r in rows],
            "state": [
                say(
                    "alerts.state.open" if _missing(r["cleared_at"]) else "alerts.state.cleared",
                    lang,
                )
                for r in rows
            ],
            "read": ["✓" if r["read"] else "" for r in rows],
        }
    )


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _condition(rule: Mapping[str, Any], lang: Lang) -> str:
    kind, metric = rule["kind"], rule["metric"] or ""
    if kind == "kpi":
        direction = say(f"alerts.direction.{rule['direction']}", lang)
        threshold = _figure(metric, rule["threshold"], lang)
        return f"{_metric(rule, lang)} {direction} {threshold}"
    if kind == "stage":
        weeks = say("alerts.new.weeks", lang)
        return f"{say(f'alerts.connection.{metric}', lang)} · {weeks} {rule['period']}"
    if kind in ("stall", "late"):
        unit = say("alerts.new.weeks" if kind == "stall" else "alerts.new.days", lang)
        return f"{unit} {rule['period']}"
    return f"> {fmt.percent(rule['threshold'], lang)}"


def rules_view(rules: list[dict[str, Any]], lang: Lang) -> pd.DataFrame:
    """The rules as shown: name, kind, condition, cohort, state, open firings, author."""
    return pd.DataFrame(
        {
            "rule": [r["name"] for r in rules],
            "kind": [say(f"alerts.kind.{r['kind']}", lang) for r in rules],
            "condition": [_condition(r, lang) for r in rules],
            "cohort": [r["cohort_id"] or say("alerts.new.all_cohorts", lang) for r in rules],
            "state": [
                say("alerts.state.active" if r["active"] else "alerts.state.paused", lang)
                for r in rules
            ],
            "open": [fmt.count(r["open_firings"], lang) for r in rules],
            "created_by": [r["created_by"] for r in rules],
        }
    )
