"""The language the user picked, and the catalog's text in it.

The catalog and `translate` live in `i18n.catalog` (pure, used outside the app too);
`t(key, **fmt)` here uses the language the user picked in the sidebar (session state
key `lang`).
"""

from __future__ import annotations

import streamlit as st

from i18n.catalog import (
    CATALOG,
    DEFAULT_LANG,
    LANGS,
    has,
    translate,
    vocabulary_label,
    vocabulary_list,
)
from i18n.format import Lang

__all__ = [
    "CATALOG",
    "DEFAULT_LANG",
    "LANGS",
    "LANG_KEY",
    "current_lang",
    "has",
    "label",
    "labels",
    "t",
    "translate",
]

LANG_KEY = "lang"


def current_lang() -> Lang:
    """The language picked in the sidebar (English until the user picks another)."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, **fmt: object) -> str:
    """The text for `key` in the current language."""
    return translate(key, current_lang(), **fmt)


def label(vocabulary: str, code: object) -> str:
    """One code of a contract vocabulary (`industry`, `channel`, ...) in the current language."""
    return vocabulary_label(vocabulary, code, current_lang())


def labels(vocabulary: str, codes: object) -> str:
    """Several codes (`store, mini_program`) as labels in the current language."""
    return vocabulary_list(vocabulary, codes, current_lang())
