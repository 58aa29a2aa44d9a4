"""The one text catalog: every string the UI shows, in English and Simplified Chinese.

`translate(key, lang, **fmt)` is pure (tests call it); `t(key, **fmt)` uses the
language the user picked in the sidebar (session state key `lang`).
Values passed as `fmt` are figures, dates or file names, never markup.
"""

from __future__ import annotations

import importlib
from typing import cast

import streamlit as st

from ui.format import Lang

LANGS: tuple[Lang, ...] = ("en", "zh")
DEFAULT_LANG: Lang = "en"
LANG_KEY = "lang"

# The catalog is one dict, assembled from one module per area (ui/text/<area>.py, each
# with a TEXT dict) so that areas can grow without editing one another's text.
CATALOG_MODULES = (
    "core",
    "auth",
    "connections",
    "roi",
    "segments",
    "predictions",
    "alerts",
    "merchant",
)


def _assemble() -> dict[str, dict[Lang, str]]:
    catalog: dict[str, dict[Lang, str]] = {}
    for name in CATALOG_MODULES:
        module = importlib.import_module(f"ui.text.{name}")
        for key, texts in module.TEXT.items():
            if key in catalog:
                raise ValueError(f"text key {key!r} is defined twice (ui/text/{name}.py)")
            catalog[key] = texts
    return catalog


CATALOG: dict[str, dict[Lang, str]] = _assemble()


def translate(key: str, lang: str, **fmt: object) -> str:
    """The text for `key` in `lang` ("en" or "zh"), with `fmt` values filled in."""
    entry = CATALOG[key]
    text = entry.get(cast(Lang, lang)) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    """Whether the catalog holds `key` (for keys built from data, like a load status)."""
    return key in CATALOG


def current_lang() -> Lang:
    """The language picked in the sidebar (English until the user picks another)."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, **fmt: object) -> str:
    """The text for `key` in the current language."""
    return translate(key, current_lang(), **fmt)
