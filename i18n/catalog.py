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
from i18n.text import alerts, auth, connections, core, merchant, predictions, roi, segments

LANGS: tuple[Lang, ...] = ("en", "zh")
DEFAULT_LANG: Lang = "en"

AREAS: tuple[ModuleType, ...] = (
    core,
    auth,
    connections,
    roi,
    segments,
    predictions,
    alerts,
    merchant,
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
