"""Why an offer or an account change was not done, in the reader's language.

`models.offers` (OfferError) and the account models (`models.auth`, `models.accounts`,
`models.grants`: AuthError; `models.permissions`: NotAllowed) say what is wrong in a short
English sentence a developer reads; `offer_reason` and `account_reason` read that sentence
and say it from the catalog (`i18n/text/failures.py`), names and figures kept as they are.
A sentence this module does not know is said as a general one, never in English in
Chinese (tests/ui/test_failure_text.py fails on a new sentence without a pattern).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from i18n import format as fmt
from i18n.catalog import list_join, translate
from i18n.format import Lang


def _quoted(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text


# The model's sentence, the catalog key that says it, and the placeholder each group fills.
_OFFER: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        r"the start (\S+) is before (\S+), the day after the last data; to record a "
        r"campaign that already ran, say so",
        "start",
        ("start", "earliest"),
    ),
    (r"a tier's cost cannot be negative", "tier_cost", ()),
    (r"the cost cannot be negative", "cost", ()),
    (r"unknown cost split (.+); allowed: .*", "split", ("value",)),
    (r"the holdout share must be between 0 and (\S+)", "holdout", ("most",)),
    (r"a campaign needs a name of 1 to (\d+) characters", "name", ("most",)),
    (r"an offer needs 1 to (\d+) characters", "offer", ("most",)),
    (r"the segment has no customers", "empty", ()),
    (r"the end date is before the start date", "end", ()),
    (r"unknown channel (.+); allowed: .*", "channel", ("value",)),
    (r"give an offer for (.+)", "tier_offer", ("tier",)),
)

_ACCOUNT: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"you cannot deactivate your own account", "own", ()),
    (r"this invitation link is not valid \(used, expired or unknown\)", "invitation", ()),
    (r"not logged in", "login", ()),
    (r"the current password is not right", "current", ()),
    (r"a password needs at least (\d+) characters", "short", ("n",)),
    (r"no user (.+)", "no_user", ("value",)),
    (r"unknown cohort: (.+) \(load it first\)", "unknown_cohort", ("values",)),
    (r"unknown merchant: (.+) \(load it first\)", "unknown_merchant", ("values",)),
    (r"role must be one of .*", "role", ()),
    (r"a merchant user needs exactly one --merchant", "one_merchant", ()),
    (r"only merchant users have a merchant", "merchant_only", ()),
    (r"only coaches have cohorts", "coach_only", ()),
    (r"a username is required", "username", ()),
    (r"user (.+) exists already", "exists", ("value",)),
    (r"a merchant user has exactly one merchant; revoke it first", "has_merchant", ()),
    (r"an? \w+ may not write .+", "not_allowed", ()),
)


def _say(
    area: str,
    table: tuple[tuple[str, str, tuple[str, ...]], ...],
    message: object,
    lang: Lang,
    fill: dict[str, Callable[[str], str]],
) -> str:
    text = str(message).strip()
    for pattern, key, names in table:
        found = re.fullmatch(pattern, text, flags=re.DOTALL)
        if found:
            values = {name: fill.get(name, _quoted)(found[i + 1]) for i, name in enumerate(names)}
            return translate(f"{area}.reason.{key}", lang, **values)
    return translate(f"{area}.reason.other", lang)


def offer_reason(message: object, lang: Lang, tier: Callable[[str], str] | None = None) -> str:
    """The reason `models.offers.OfferError` gives, said in `lang` (`tier` names a tier)."""
    fill: dict[str, Callable[[str], str]] = {
        "start": lambda text: fmt.day(text, lang),
        "earliest": lambda text: fmt.day(text, lang),
        "tier": tier or _quoted,
    }
    return _say("offer", _OFFER, message, lang, fill)


def account_reason(message: object, lang: Lang) -> str:
    """The reason an account change was refused (AuthError, NotAllowed), said in `lang`."""
    fill: dict[str, Callable[[str], str]] = {
        "values": lambda text: list_join([_quoted(n) for n in text.split(", ")], lang),
    }
    return _say("account", _ACCOUNT, message, lang, fill)
