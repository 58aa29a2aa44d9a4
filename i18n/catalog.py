"""The one text catalog: every string the product shows, in English and Simplified Chinese.

The catalog is one dict, assembled from one module per area (`i18n/text/<area>.py`, each
with a TEXT dict) so that areas can grow without editing one another's text. `translate`
is pure; `ui.i18n.t` adds the language the user picked. Values passed as `fmt` are figures,
dates or file names, never markup.
"""

from __future__ import annotations

from types import ModuleType
from typing import cast

from i18n.format import Lang
from i18n.text import (
    alerts,
    audit,
    auth,
    connections,
    core,
    failures,
    merchant,
    predictions,
    rejections,
    roi,
    rules,
    segments,
    vocabulary,
)

LANGS: tuple[Lang, ...] = ("en", "zh")
DEFAULT_LANG: Lang = "en"

AREAS: tuple[ModuleType, ...] = (
    core,
    audit,
    auth,
    connections,
    roi,
    segments,
    predictions,
    alerts,
    merchant,
    rejections,
    rules,
    vocabulary,
    failures,
)


def _assemble() -> dict[str, dict[Lang, str]]:
    catalog: dict[str, dict[Lang, str]] = {}
    for module in AREAS:
        for key, texts in module.TEXT.items():
            if key in catalog:
                raise ValueError(f"text key {key!r} is defined twice ({module.__name__})")
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


# The vocabularies of the contract whose codes have a label (`i18n/text/vocabulary.py`).
VOCABULARIES = (
    "industry",
    "channel",
    "touchpoint",
    "action",
    "guide_role",
    "session_type",
    "group",
    "member_level",
    "entity",
)


def vocabulary_label(vocabulary: str, code: object, lang: str) -> str:
    """The label of one code of a vocabulary in `lang` (`home` -> 家居 / Home); a code the
    catalog does not know (a member level a merchant named) as delivered; a missing one as
    a dash."""
    if code is None or code != code or code == "":  # None, NaN
        return "—"
    key = f"vocab.{vocabulary}.{code}"
    return translate(key, lang) if key in CATALOG else str(code)


def vocabulary_list(vocabulary: str, codes: object, lang: str) -> str:
    """Several codes (`store, mini_program` or a list) as labels joined the language's way
    (、 in Chinese, `, ` in English)."""
    if isinstance(codes, str):
        items = [c.strip() for c in codes.split(",") if c.strip()]
    elif isinstance(codes, list | tuple):
        items = [str(c) for c in codes]
    else:
        return "—"
    if not items:
        return "—"
    return list_join([vocabulary_label(vocabulary, c, lang) for c in items], lang)


def list_join(items: list[str], lang: str) -> str:
    """Items of a list in a sentence: 、 between them in Chinese, a comma in English."""
    return ("、" if lang == "zh" else ", ").join(items)
