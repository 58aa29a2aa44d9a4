"""What a reader of one language would trip over on a page: words of the other language and
raw vocabulary codes, in everything the page draws (text, labels, help, options, tables,
chart titles, ticks, legends and hover templates).

`offences(texts, lang, delivered)` is the check; `page_texts(at)` collects the texts of an
AppTest run. Delivered text (merchant, store, guide, cohort and campaign names, as a
merchant typed them) is not the product's and is left out before the check.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator

import pandas as pd
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from i18n.format import plain
from models import contract
from models.contract import ENTITIES
from models.segments import RFM_SEGMENT_NAMES

# Words that read the same in Chinese software: brand and product names, file formats,
# units and abbreviations a Chinese merchant uses as they are.
ALLOWED_IN_CHINESE = frozenset(
    {
        "GMV",
        "ROI",
        "KPI",
        "RFM",
        "CSV",
        "XLSX",
        "Excel",
        "UTF",
        "BOM",
        "GBK",
        "GB",
        "MB",
        "KB",
        "ID",
        "id",
        "SSO",
        "Streamlit",
        "Plotly",
        "Argon",
        "ZIP",
        "zip",
        "csv",
        "xlsx",
        "SQL",
        "AOV",
        "CLV",
        "TOP",
        "Top",
        "vs",
        "VS",
        "HTML",
        "JSON",
        "Webhook",
        "utf",
        "gbk",
        "UTF-16",
    }
)
# Texts shown as they are in any language: the language picker names each language in its
# own (English, 中文), and its label carries both so a reader of either finds it.
SAME_IN_BOTH = frozenset({"English", "中文", "简体中文", "语言 · Language", "Language · 语言"})
# The contract's column names: the exact headers a delivered file must carry, shown as
# identifiers (`cohort_id`, a list of a file's columns), not words of the text.
CONTRACT_COLUMNS = frozenset(c.name for e in ENTITIES.values() for c in e.columns)
_COLUMN_LIST = re.compile(r"^\s*\w+\*?(\s*,\s*\w+\*?)*\s*$")
# The codes of every vocabulary of the contract and of the product, as stored: shown raw,
# each one is an offence in either language.
VOCABULARY_CODES = frozenset(
    {
        *contract.INDUSTRIES,
        *contract.CHANNELS,
        *contract.TOUCHPOINTS,
        *contract.ACTIONS,
        *contract.GUIDE_ROLES,
        *contract.SESSION_TYPES,
        *contract.ASSIGNMENT_GROUPS,
        *RFM_SEGMENT_NAMES,
        "normal",
        "silver",
        "gold",
        "platinum",
    }
)
# Protobuf string fields that are not shown as text.
_NOT_TEXT = frozenset(
    {
        "id",
        "form_id",
        "key",
        "icon",
        "spec",
        "url",
        "page_script_hash",
        "page_name",
        "url_path",
        "format",
        "type",
        "theme",
        "css",
        "selection_mode",
        "mime",
        "data_id",
        "file_id",
        "file_name",
        "value",  # a widget's stored value (its shown label is among the options)
        "default",
        "min",
        "max",
        "arrow_data",
        "columns",  # a table's column configuration (JSON)
        "column_order",
        "column_config",
        "editing_mode",
        "width_config",
        "height_config",
        "color",
        "background_color",
        "delta_color",
        "body_type",
        "element_type",
        "name",
        "delta_arrow",
        "border",
        "gap",
        "placeholder_element",
        "deprecated_height",
        "arrow_style",
        "provider",
        "range",
        "layout",
        "sticky",
        "anchor",
        "divider",
        "autocomplete",
        "language",
        "page",
    }
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_PLACEHOLDER = re.compile(
    r"%\{[^}]*\}|<[^>]+>|&[a-z]+;"  # plotly placeholders, markup
    r"|`[^`]*`"  # inline code: a command or a field as typed
    r"|\]\([^)]*\)"  # a Markdown link's target
    r"|[\w./-]+\.(?:csv|xlsx|html|md|zip|toml)\b"  # a file name or path
    r"|\b[A-Z][a-z]+/[A-Za-z_]+\b"  # a time zone's name: Asia/Shanghai
    r"|\bGROWTH_[A-Z_]+\b"  # a setting's name
)


def _items(value: object) -> list[object]:
    if isinstance(value, str | bytes | Message) or not hasattr(value, "__iter__"):
        return [value]
    return list(value)


def _proto_texts(message: Message) -> Iterator[str]:
    for descriptor, value in message.ListFields():
        if descriptor.name in _NOT_TEXT:
            continue
        if descriptor.type == descriptor.TYPE_MESSAGE:
            for item in _items(value):
                if isinstance(item, Message):
                    yield from _proto_texts(item)
        elif descriptor.type == descriptor.TYPE_STRING:
            yield from (str(item) for item in _items(value))


def _figure_texts(spec: str) -> Iterator[str]:
    """The text a Plotly figure shows: titles, tick labels, legend entries, hover
    templates, annotation and bar text; a date axis without its own tick labels shows
    Plotly's English month names, said as such."""
    figure = json.loads(spec)
    layout = figure.get("layout", {})
    for key, axis in layout.items():
        if not (key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict)):
            continue
        title = axis.get("title")
        yield title.get("text", "") if isinstance(title, dict) else str(title or "")
        yield from (str(x) for x in axis.get("ticktext", []) or [])
        for part in ("tickformat", "hoverformat", "tickprefix", "ticksuffix"):
            yield _strftime_words(str(axis.get(part) or ""))
    title = layout.get("title")
    yield title.get("text", "") if isinstance(title, dict) else str(title or "")
    for note in layout.get("annotations", []) or []:
        yield str(note.get("text", ""))
    for trace in figure.get("data", []):
        if trace.get("showlegend") is not False:
            yield str(trace.get("name") or "")
        yield _strftime_words(str(trace.get("hovertemplate") or ""))
        texts = trace.get("text")
        if isinstance(texts, list):
            yield from (str(x) for x in texts)
        elif isinstance(texts, str):
            yield texts
        if trace.get("type") in ("bar", "scatter", "box") and trace.get("orientation") != "h":
            yield from _category_ticks(trace.get("x"))
        if trace.get("type") in ("bar", "scatter", "box", "heatmap"):
            yield from _category_ticks(trace.get("y"))
    yield from _date_axes_without_labels(figure)


def _category_ticks(values: object) -> Iterator[str]:
    """Categories Plotly writes on an axis as they are (strings that are not dates)."""
    if isinstance(values, list):
        for value in values:
            if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}", value):
                yield value


def _strftime_words(template: str) -> str:
    """A template's literal text, plus a word for each directive Plotly fills with an
    English name (%b, %B, %a, %A) or an SI suffix (~s)."""
    words = []
    if re.search(r"%[-_0^#]?[bBaAp]", template):
        words.append("Plotly-English-month-or-day-name")
    if re.search(r"[:|]?~?s\b", template) and re.search(r"\.?\d*~s|,~s|~s", template):
        words.append("Plotly-SI-suffix")
    return " ".join([_PLACEHOLDER.sub(" ", re.sub(r"%[-_0^#]?[a-zA-Z]", " ", template)), *words])


def _date_axes_without_labels(figure: dict) -> Iterator[str]:
    layout = figure.get("layout", {})
    for trace in figure.get("data", []):
        x = trace.get("x")
        if not (isinstance(x, list) and x and isinstance(x[0], str)):
            continue
        if not re.match(r"^\d{4}-\d{2}-\d{2}", x[0]):
            continue
        axis_name = "xaxis" + str(trace.get("xaxis", "x"))[1:]
        axis = layout.get(axis_name, {})
        if axis.get("visible") is False or axis.get("showticklabels") is False:
            continue
        if not (axis.get("ticktext") or axis.get("tickformat") or axis.get("tickformatstops")):
            yield "Plotly-English-month-names-on-a-date-axis"


def page_texts(at: AppTest) -> list[str]:
    """Every text a user can read on the page AppTest ran."""
    texts: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if kind == "plotly_chart" and proto is not None and proto.spec:
            texts.extend(_figure_texts(proto.spec))
        elif kind == "dataframe":
            value = node.value  # type: ignore[attr-defined]
            editable = getattr(node, "editing_mode", "read_only") != "read_only"
            if isinstance(value, pd.DataFrame):
                if not editable:  # an editor's headers are its column configuration's
                    texts.extend(str(c) for c in value.columns)
                for column in value.columns:
                    cells = value[column].dropna().unique()
                    texts.extend(v for v in cells if isinstance(v, str))
        if isinstance(proto, Message) and kind not in ("plotly_chart", "code", "html"):
            texts.extend(_proto_texts(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return [text for text in texts if text and text.strip()]


def _without(text: str, delivered: Iterable[str]) -> str:
    for name in delivered:
        for shown in (name, plain(name)):  # as typed, or escaped for Markdown
            if shown and shown in text:
                text = text.replace(shown, " ")
    if _COLUMN_LIST.match(text) and all(w.strip(" *") in CONTRACT_COLUMNS for w in text.split(",")):
        return ""
    text = re.sub(  # a column named as a term: 「gmv」
        r"「(\w+)」", lambda m: " " if m[1] in CONTRACT_COLUMNS else m[0], text
    )
    return re.sub(
        r"\b[a-z]+(?:_[a-z0-9]+)+\b",
        lambda m: " " if m[0] in CONTRACT_COLUMNS else m[0],
        text,
    )


def offences(texts: Iterable[str], lang: str, delivered: Iterable[str] = ()) -> list[str]:
    """Texts a reader of `lang` would not expect: in Chinese, an English word outside
    `ALLOWED_IN_CHINESE`; in English, a Chinese character; in both, a raw vocabulary code."""
    names = sorted({n for n in delivered if n}, key=len, reverse=True)
    found: list[str] = []
    for text in texts:
        if text.strip() in SAME_IN_BOTH or _all_same_in_both(text):
            continue
        stripped = _PLACEHOLDER.sub(" ", _without(text, names))
        if stripped.strip() in VOCABULARY_CODES or re.search(
            r"\b(" + "|".join(c for c in VOCABULARY_CODES if "_" in c) + r")\b", stripped
        ):
            found.append(f"raw code: {text!r}")
            continue
        if lang == "zh":
            words = [
                w
                for w in _WORD.findall(stripped)
                if w not in ALLOWED_IN_CHINESE and not _is_code(w, stripped)
            ]
            if words:
                found.append(f"English {words[:5]}: {text[:160]!r}")
        elif _HAN.search(stripped):
            found.append(f"Chinese: {text[:160]!r}")
    return found


def _all_same_in_both(text: str) -> bool:
    """A widget's option list written out (`['English', '中文']`) of names that read the
    same in both languages."""
    try:
        items = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return False
    return isinstance(items, list) and bool(items) and all(i in SAME_IN_BOTH for i in items)


def _is_code(word: str, text: str) -> bool:
    """An id or a unit next to a figure: `C2018A`, `M001`, `2.5x`, a single letter."""
    if len(word) == 1:
        return True
    return bool(re.search(rf"(\d{re.escape(word)}|{re.escape(word)}\d)", text))
