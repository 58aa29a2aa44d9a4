"""The three connections (touchpoints, then performance, then data): the indicators'
configuration, scoring against targets, stages, the order rule and next actions. No
Streamlit here.

Targets, weights and class topics live in `config/connections.toml`; definitions in
`docs/connections.md`. The weekly indicator values are measured by the connections mart
(`pipelines/connections_measure.py`, run by `pipelines/mart_connections.py`); this module
scores them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from models.settings import PROJECT_ROOT

CONFIG_PATH = PROJECT_ROOT / "config" / "connections.toml"
CONNECTIONS = ("touchpoints", "performance", "data")
STAGES = ("not_started", "building", "running", "leading")
NO_DATA = "no_data"

Kind = Literal["higher", "lower", "detail"]
UNITS = ("share", "money", "count", "ratio", "days")  # how an indicator's value reads


# --- configuration -----------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    key: str
    connection: str
    kind: Kind
    weight: float = 0.0
    target: float | None = None
    worst: float | None = None
    industry: Mapping[str, float] = field(default_factory=dict)
    topic: str | None = None
    unit: str = "count"

    @property
    def scored(self) -> bool:
        return self.kind != "detail"

    def target_for(self, industry: str | None) -> float | None:
        if industry and industry in self.industry:
            return float(self.industry[industry])
        return self.target


@dataclass(frozen=True)
class Config:
    indicators: dict[str, Indicator]
    thresholds: dict[str, float]  # stage name -> lowest score of that stage
    format_mix: dict[str, tuple[float, float, float]]
    # a topic as delivered -> its name per language ("en", "zh"); `[topics]` of the file
    topics: dict[str, dict[str, str]] = field(default_factory=dict)

    def topic(self, topic: str, lang: str) -> str:
        """A class topic in `lang` as the programme's configuration names it; as
        delivered when the configuration does not list it."""
        names = self.topics.get(topic, {})
        return names.get(lang) or names.get("en") or topic

    def scored(self, connection: str | None = None) -> list[Indicator]:
        return [
            i
            for i in self.indicators.values()
            if i.scored and (connection is None or i.connection == connection)
        ]

    def mix_for(self, industry: str | None) -> tuple[float, float, float]:
        return self.format_mix.get(industry or "", self.format_mix["default"])


def parse_config(text: str) -> Config:
    raw = tomllib.loads(text)
    indicators = {}
    for key, spec in raw["indicators"].items():
        if spec["connection"] not in CONNECTIONS:
            raise ValueError(f"{key}: unknown connection {spec['connection']!r}")
        indicators[key] = Indicator(
            key=key,
            connection=spec["connection"],
            kind=spec["kind"],
            weight=float(spec.get("weight", 0.0)),
            target=spec.get("target"),
            worst=spec.get("worst"),
            industry=dict(spec.get("industry", {})),
            topic=spec.get("topic"),
            unit=spec.get("unit", "count"),
        )
        if indicators[key].unit not in UNITS:
            raise ValueError(f"{key}: unknown unit {spec['unit']!r} (one of {', '.join(UNITS)})")
        if spec["kind"] != "detail" and spec.get("target") is None:
            raise ValueError(f"{key}: a scored indicator needs a target")
        if spec["kind"] == "lower" and spec.get("worst") is None:
            raise ValueError(f"{key}: a lower-is-better indicator needs `worst`")
    stages = raw["stages"]
    thresholds = {
        "building": float(stages["building"]),
        "running": float(stages["running"]),
        "leading": float(stages["leading"]),
    }
    mix = {name: (float(v[0]), float(v[1]), float(v[2])) for name, v in raw["format_mix"].items()}
    topics: dict[str, dict[str, str]] = {}
    for topic, names in raw.get("topics", {}).items():
        if not (isinstance(names, dict) and names.get("en") and names.get("zh")):
            raise ValueError(f"topic {topic!r}: name it in both languages (en and zh)")
        topics[topic] = {"en": str(names["en"]), "zh": str(names["zh"])}
    return Config(indicators=indicators, thresholds=thresholds, format_mix=mix, topics=topics)


@lru_cache(maxsize=4)
def load_config(path: Path = CONFIG_PATH) -> Config:
    return parse_config(path.read_text(encoding="utf-8"))


# --- scoring -----------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def score_value(indicator: Indicator, value: float | None, industry: str | None) -> float | None:
    """0-100 against the target: higher-is-better scales linearly to the target (capped);
    lower-is-better is 100 at or below the target and 0 at `worst`. None: no value."""
    if not indicator.scored or _missing(value):
        return None
    assert value is not None
    target = indicator.target_for(industry)
    assert target is not None
    if indicator.kind == "higher":
        return float(min(100.0, max(0.0, 100.0 * value / target))) if target > 0 else 100.0
    worst = float(indicator.worst if indicator.worst is not None else target)
    if value <= target:
        return 100.0
    if value >= worst:
        return 0.0
    return float(100.0 * (worst - value) / (worst - target))


def connection_score(
    scores: Mapping[str, float | None], config: Config, connection: str
) -> float | None:
    """Weighted mean of the connection's indicator scores that have a value."""
    total = weight = 0.0
    for indicator in config.scored(connection):
        score = scores.get(indicator.key)
        if not _missing(score):
            assert score is not None
            total += indicator.weight * score
            weight += indicator.weight
    return total / weight if weight else None


def stage_of(score: float | None, config: Config) -> str:
    if _missing(score):
        return NO_DATA
    assert score is not None
    t = config.thresholds
    if score >= t["leading"]:
        return "leading"
    if score >= t["running"]:
        return "running"
    if score >= t["building"]:
        return "building"
    return "not_started"


def is_running(stage: str) -> bool:
    return stage in ("running", "leading")


def order_rule(scores: Mapping[str, float | None], config: Config) -> dict[str, str | None]:
    """For each connection, the first earlier connection that is not yet running and that
    it scores ahead of (the method goes touchpoints -> performance -> data), or None."""
    out: dict[str, str | None] = {}
    for k, later in enumerate(CONNECTIONS):
        out[later] = None
        later_score = scores.get(later)
        if _missing(later_score):
            continue
        assert later_score is not None
        for earlier in CONNECTIONS[:k]:
            earlier_score = scores.get(earlier)
            if _missing(earlier_score):
                continue
            assert earlier_score is not None
            if not is_running(stage_of(earlier_score, config)) and later_score > earlier_score:
                out[later] = earlier
                break
    return out


def next_actions(
    indicators: pd.DataFrame, stages: Mapping[str, str], config: Config, n: int = 3
) -> pd.DataFrame:
    """The `n` next actions of one merchant-week, from its indicator rows (indicator,
    value, score): the weakest indicators of the earliest connection not yet running
    first (the order of the method), then by weighted shortfall; one per class topic."""
    columns = ["connection", "indicator", "value", "score", "topic"]
    rank = {c: i for i, c in enumerate(CONNECTIONS)}
    candidates = []
    for row in indicators.itertuples(index=False):
        spec = config.indicators.get(str(row.indicator))
        if spec is None or not spec.scored or _missing(row.score) or float(row.score) >= 100:
            continue
        later = 0 if not is_running(stages.get(spec.connection, NO_DATA)) else 3
        shortfall = (100.0 - float(row.score)) * spec.weight
        candidates.append(
            (later + rank[spec.connection], -shortfall, spec.key, spec, row.value, row.score)
        )
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    chosen, topics = [], set()
    for _, _, key, spec, value, score in candidates:
        if spec.topic in topics:
            continue
        topics.add(spec.topic)
        chosen.append((spec.connection, key, value, score, spec.topic))
        if len(chosen) == n:
            break
    return pd.DataFrame(chosen, columns=columns)


def holding_back(
    indicators: pd.DataFrame, config: Config, below: float | None = None
) -> pd.DataFrame:
    """Scored indicators under the `running` threshold, weakest first."""
    limit = config.thresholds["running"] if below is None else below
    scored = indicators[indicators["indicator"].isin([i.key for i in config.scored()])]
    scored = scored[scored["score"].notna()]
    scored = scored[scored["score"].astype(float) < limit]
    return scored.sort_values(["score", "indicator"]).reset_index(drop=True)


def percentile_rank(value: float, peers: list[float]) -> float:
    """Share of peers scoring below `value` (ties count half), 0-100."""
    if not peers:
        raise ValueError("no peers")
    below = sum(p < value for p in peers)
    equal = sum(p == value for p in peers)
    return 100.0 * (below + 0.5 * equal) / len(peers)
