"""Why a row was rejected, in the reader's language. The loader writes its reasons in
English for the operator's log and the rejections file (`pipelines/validate.py`,
`pipelines/load.py`); this reads each and says it from the catalog
(`i18n/text/rejections.py`), column names and values kept as delivered. A reason it does
not know is shown as written."""

from __future__ import annotations

import re

from i18n.catalog import CATALOG, list_join, translate
from i18n.format import Lang

# The contract column whose codes are a vocabulary with labels (i18n/text/vocabulary.py).
_VOCABULARY = {
    "industry": "industry",
    "channel": "channel",
    "touchpoint": "touchpoint",
    "action": "action",
    "role": "guide_role",
    "session_type": "session_type",
    "group": "group",
}
# (pattern of the loader's reason, catalog key, the names of the pattern's groups)
_REASONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"not a finite number \(inf and nan are refused\)", "not_finite", ()),
    (r"ambiguous number: .*", "ambiguous", ()),
    (r"not a number \(expected .*\)", "not_money", ()),
    (r"not a number", "not_number", ()),
    (r"(\w+) must be ≥ 0", "negative", ("column",)),
    (r"(\w+) is too large \(at most ([\d,.]+)\)", "too_large", ("column", "max")),
    (r"(\w+) must be a whole number", "not_whole", ("column",)),
    (r"(\w+) must be between 0 and 1", "not_share", ("column",)),
    (r"holds a control character \(such as NUL\); remove it", "control", ()),
    (r"(\w+) is longer than (\d+) characters", "too_long", ("column", "n")),
    (r"(\w+) is required but blank", "blank", ("column",)),
    (r"not a valid date \(expected YYYY-MM-DD\)", "date", ()),
    (r"not a valid timestamp \(expected .*\)", "timestamp", ()),
    (r"not a yes/no value \(allowed: (.*)\)", "flag", ("allowed",)),
    (r"not an allowed (\w+); allowed: (.*)", "vocabulary", ("column", "codes")),
    (r"(\w+) is in the future \(after (.*)\)", "future", ("column", "when")),
    (r"merchant does not exist \(.*\)", "no_merchant", ()),
    (r"cohort does not exist \(.*\)", "no_cohort", ()),
    (r"store does not exist for this merchant \(.*\)", "no_store", ()),
    (r"guide does not exist for this merchant \(.*\)", "no_guide", ()),
    (r"campaign does not exist for this merchant \(.*\)", "no_campaign_here", ()),
    (r"campaign does not exist \(deliver campaigns .*\)", "no_campaign", ()),
    (r"end_date is before start_date", "end_before_start", ()),
    (r"refund is larger than gmv", "refund_above_gmv", ()),
    (r"identified_visitors is larger than visitors", "identified_above_visitors", ()),
    (
        r"row is for another merchant; only merchant (.+)'s own rows are loaded here",
        "other_merchant",
        ("own",),
    ),
    (r"only merchant (.+)'s own data is loaded here", "only_own", ("own",)),
    (
        r"required column is missing from the header; no row of this file loads",
        "missing_column",
        (),
    ),
    (r"duplicate key \((.+)\): the same key is on line (\d+)", "duplicate", ("columns", "line")),
    (r"(.+); no row of this file loads", "file_damaged", ("problem",)),
)  # fmt: skip


def _codes(column: str, codes: str, lang: Lang) -> str:
    vocabulary = _VOCABULARY.get(column)
    shown = []
    for code in (c.strip() for c in codes.split(",")):
        key = f"vocab.{vocabulary}.{code}"
        shown.append(f"{translate(key, lang)} `{code}`" if key in CATALOG else f"`{code}`")
    return list_join(shown, lang)


def reason(text: object, lang: Lang) -> str:
    """The loader's reason for a rejected row or file, said in `lang`."""
    if not isinstance(text, str):
        return "—" if text is None or text != text else str(text)
    for pattern, key, names in _REASONS:
        found = re.fullmatch(pattern, text.strip(), flags=re.DOTALL)
        if found is None:
            continue
        fill = dict(zip(names, found.groups(), strict=True))
        if "codes" in fill:
            fill["allowed"] = _codes(fill["column"], fill.pop("codes"), lang)
        return translate(f"reject.{key}", lang, **fill)
    return text
