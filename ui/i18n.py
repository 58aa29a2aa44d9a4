"""The language the user picked, and the catalog's text in it.

The catalog and `translate` live in `i18n.catalog` (pure, used outside the app too);
`t(key, **fmt)` here uses the language the user picked in the sidebar (session state
key `lang`).
"""

from __future__ import annotations

import streamlit as st

from i18n.catalog import CATALOG, DEFAULT_LANG, LANGS, has, translate
from i18n.format import Lang

__all__ = ["CATALOG", "DEFAULT_LANG", "LANGS", "LANG_KEY", "current_lang", "has", "t", "translate"]

LANG_KEY = "lang"


def current_lang() -> Lang:
    """The language picked in the sidebar (English until the user picks another)."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, **fmt: object) -> str:
    """The text for `key` in the current language."""
    return translate(key, current_lang(), **fmt)
