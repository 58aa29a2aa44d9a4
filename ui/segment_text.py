"""The segment rule editor in the reader's language: field and operator labels, and the
reason a rule cannot run.

`models.segments` says what is wrong in a short English sentence a developer reads (it
stays free of the catalog); `reason` reads that sentence and says it from the catalog
(`i18n/text/rules.py`), figures and the reader's own values kept as they are. A sentence
this module does not know is said as a general "cannot be read", never in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from i18n.catalog import CATALOG, list_join, translate
from i18n.format import Lang


def field_label(name: object, lang: Lang) -> str:
    key = f"rules.field.{name}"
    return translate(key, lang) if key in CATALOG else str(name)


def op_label(op: object, lang: Lang) -> str:
    key = f"rules.op.{op}"
    return translate(key, lang) if key in CATALOG else str(op)


def _quoted(text: str) -> str:
    """A value as the reader typed it: `'abc'` (Python's repr) shown as “abc”."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return f"“{text}”"


def _where(text: str, lang: Lang) -> str:
    text = text.strip()
    extra = re.fullmatch(r"(.*) \((\w+) (\w+)\)", text)
    if extra:
        return translate(
            "rules.where.with",
            lang,
            where=_where(extra.group(1), lang),
            field=field_label(extra.group(2), lang),
            op=op_label(extra.group(3), lang),
        )
    if text == "rules":
        return translate("rules.where.rules", lang)
    found = re.fullmatch(r"group (\d+), condition (\d+)", text)
    if found:
        return translate("rules.where.group_condition", lang, g=found[1], n=found[2])
    for word, key in (("condition", "condition"), ("group", "group"), ("row", "row")):
        found = re.fullmatch(rf"{word} (\d+)", text)
        if found:
            return translate(f"rules.where.{key}", lang, n=found[1])
    return text


def _allowed(text: str, lang: Lang) -> str:
    """The codes a value may take, each as typed (code) after its label when it has one."""
    shown = []
    for code in (c.strip() for c in text.split(",")):
        key = f"vocab.channel.{code}"
        shown.append(f"{translate(key, lang)} `{code}`" if key in CATALOG else f"`{code}`")
    return list_join(shown, lang)


def _ops(text: str, lang: Lang) -> str:
    return list_join([op_label(o.strip(), lang) for o in text.split(",")], lang)


# The model's sentence after "where: ", the catalog key that says it, and what each group
# of the pattern fills in (a value as typed, a field, operators, allowed codes, a figure).
_REASONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"(.+) is not a number", "not_number", ("value",)),
    (r"(.+) is not a finite number", "not_finite", ("value",)),
    (r"(.+) must be a whole number", "not_whole", ("value",)),
    (r"(.+) is outside ([-\d.e+]+)\.\.([-\d.e+]+)", "outside", ("value", "lo", "hi")),
    (r"(.+) is not a text value", "not_text", ("value",)),
    (r"a value must be 1 to (\d+) characters", "text_length", ("n",)),
    (r"pick at least one value", "pick_value", ()),
    (r"at most ([\d,]+) values", "too_many_values", ("n",)),
    (r"unknown value (.+); allowed: (.+)", "unknown_value", ("value", "allowed")),
    (r"a condition is an object with field, op and value", "not_condition", ()),
    (r"unknown key (.+)", "unknown_key", ("value",)),
    (r"unknown field (.+?); fields: .*", "unknown_field", ("value",)),
    (r"(\w+) takes the operators (.+), not (.+)", "wrong_operator", ("field", "ops", "value")),
    (r"between takes \[lowest, highest\]", "between", ()),
    (r"the lowest value (\S+) is above the highest (\S+)", "low_above_high", ("lo", "hi")),
    (r"pick one touchpoint", "one_touchpoint", ()),
    (r"match is 'all' or 'any', not (.+)", "match", ("value",)),
    (r"conditions must be a list", "conditions_list", ()),
    (r"at most (\d+) conditions", "too_many_conditions", ("n",)),
    (r"groups go one level deep only", "nested", ()),
    (r"an empty group", "empty_group", ()),
    (r"pick a field and an operator", "pick_field", ()),
)
_FILL: dict[str, Callable[[str, Lang], str]] = {
    "value": lambda text, _lang: _quoted(text),
    "field": field_label,
    "ops": _ops,
    "allowed": _allowed,
}
_PARAM = {"ops": "allowed"}  # the catalog's placeholder for a group, where it differs


def _say(key: str, names: tuple[str, ...], found: re.Match[str], lang: Lang) -> str:
    fill = {
        _PARAM.get(name, name): _FILL.get(name, lambda text, _lang: text)(found[i + 1], lang)
        for i, name in enumerate(names)
    }
    return translate(f"rules.reason.{key}", lang, **fill)


_WHOLE: tuple[tuple[str, str], ...] = (
    (r"not valid JSON: .*", "rules.reason.json"),
    (r"a definition is an object with match and conditions", "rules.reason.definition"),
    (r"a segment needs a name of 1 to (?P<most>\d+) characters", "rules.reason.name"),
)


def reason(message: object, lang: Lang) -> str:
    """The reason `models.segments.SegmentError` gives, said in `lang`."""
    text = str(message).strip()
    for pattern, key in _WHOLE:
        whole = re.fullmatch(pattern, text, flags=re.DOTALL)
        if whole:
            return translate(key, lang, **whole.groupdict())
    where, sep, what = text.partition(": ")
    if sep:
        for pattern, key, names in _REASONS:
            found = re.fullmatch(pattern, what, flags=re.DOTALL)
            if found:
                colon = "：" if lang == "zh" else ": "
                return f"{_where(where, lang)}{colon}{_say(key, names, found, lang)}"
    return translate("rules.reason.other", lang)
