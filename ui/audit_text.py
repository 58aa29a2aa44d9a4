"""The audit log in the reader's language. The models write an action code and a short
English detail for operators (`models/auth.py`, `pipelines/load.py`); this says both from
the catalog (`i18n/text/audit.py`); a detail it does not know is shown as written (a file
or table name, a column mapping)."""

from __future__ import annotations

import ast
import re

from i18n.catalog import CATALOG, list_join, translate
from i18n.format import Lang

_LOGIN = {
    "unknown user": "unknown_user",
    "inactive": "inactive",
    "no password (SSO only)": "no_password",
    "locked": "locked",
    "wrong password": "wrong_password",
    "no local user": "no_local_user",
    "demo data removed": "demo_removed",
    "expired": "session_expired",
    "by user": "by_user",
}


def action(code: object, lang: Lang) -> str:
    key = f"audit.act.{code}"
    return translate(key, lang) if key in CATALOG else str(code)


def actor(name: object, lang: Lang) -> str:
    key = f"audit.actor.{name}"
    return translate(key, lang) if key in CATALOG else str(name)


def _ids(text: str, lang: Lang) -> str:
    try:
        items = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return list_join([str(i) for i in items], lang) if items else translate("audit.none", lang)


def _role(code: str, lang: Lang) -> str:
    key = f"role.{code}"
    return translate(key, lang) if key in CATALOG else code


def detail(code: object, text: object, lang: Lang) -> str:
    """The detail of one audit entry of action `code` in `lang`."""
    if text is None or text != text or text == "":
        return "—"
    text = str(text)
    if text in _LOGIN:
        return translate(f"audit.detail.{_LOGIN[text]}", lang)
    if code == "export" and f"audit.detail.export.{text}" in CATALOG:
        return translate(f"audit.detail.export.{text}", lang)
    found = re.fullmatch(r"role (\w+); cohorts (\[.*?\]); merchants (\[.*?\])", text)
    if found:
        return translate(
            "audit.detail.scope",
            lang,
            role=_role(found[1], lang),
            cohorts=_ids(found[2], lang),
            merchants=_ids(found[3], lang),
        )
    found = re.fullmatch(r"cohorts (\[.*?\]); merchants (\[.*?\])", text)
    if found:
        return translate(
            "audit.detail.scopes",
            lang,
            cohorts=_ids(found[1], lang),
            merchants=_ids(found[2], lang),
        )
    found = re.fullmatch(r"(\w+) -> (\w+); scopes cleared", text)
    if found:
        return translate(
            "audit.detail.role_change",
            lang,
            before=_role(found[1], lang),
            after=_role(found[2], lang),
        )
    found = re.match(
        r"(\w+): ([\d,]+) rows read, ([\d,]+) new, ([\d,]+) replaced, ([\d,]+) rejected rows",
        text,
    )
    if found:
        status = f"status.short.{found[1]}"
        return translate(
            "audit.detail.load",
            lang,
            status=translate(status, lang) if status in CATALOG else found[1],
            read=found[2],
            new=found[3],
            replaced=found[4],
            rejected=found[5],
        )
    return text


def scopes(text: object, lang: Lang) -> str:
    """A user's scopes as `models.auth` lists them (`cohort:C2018A, merchant:M001`), named:
    期次 C2018A、商家 M001 / Cohort C2018A, merchant M001."""
    if not isinstance(text, str) or not text.strip():
        return "—"
    shown = []
    for item in (i.strip() for i in text.split(",")):
        kind, _, value = item.partition(":")
        key = f"audit.scope.{kind}"
        shown.append(translate(key, lang, id=value) if key in CATALOG else item)
    return list_join(shown, lang)
