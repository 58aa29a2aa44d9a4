"""Class topics are named per programme, in both languages, in config/connections.toml."""

from __future__ import annotations

import tomllib

import pytest

from models.connections import CONFIG_PATH, load_config, parse_config
from pipelines.demo._names import CLASS_TOPICS, ONE_ON_ONE_TOPICS, WORKSHOP_TOPICS
from pipelines.demo._programme import _GENERIC_ONE_ON_ONE

BASE = CONFIG_PATH.read_text(encoding="utf-8").split("[topics]")[0]


def test_every_topic_the_programme_delivers_or_names_has_both_languages() -> None:
    config = load_config()
    delivered = {
        *CLASS_TOPICS,
        *WORKSHOP_TOPICS,
        *(t for ts in ONE_ON_ONE_TOPICS.values() for t in ts),
        *_GENERIC_ONE_ON_ONE,
        *(i.topic for i in config.indicators.values() if i.topic),
    }
    assert delivered <= set(config.topics)
    for names in config.topics.values():
        assert names["en"] and names["zh"] and names["en"] != names["zh"]


def test_a_topic_reads_in_the_language_asked_and_as_delivered_when_unknown() -> None:
    config = parse_config(
        BASE + '[topics]\n"Community layering" = { en = "Community layering", zh = "社群分层" }\n'
    )
    assert config.topic("Community layering", "zh") == "社群分层"
    assert config.topic("Community layering", "en") == "Community layering"
    assert config.topic("Our own class", "zh") == "Our own class"  # not configured


def test_a_topic_needs_both_languages() -> None:
    with pytest.raises(ValueError, match="both languages"):
        parse_config(BASE + '[topics]\n"Livestream" = { en = "Livestream" }\n')


def test_the_file_parses() -> None:
    assert tomllib.loads(CONFIG_PATH.read_text(encoding="utf-8"))["topics"]
