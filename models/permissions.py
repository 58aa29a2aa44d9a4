"""Who may write what: one table of rules, enforced by the model function that writes.

Pages may hide a button a role cannot use, but the decision is here: a write called by a
role not listed for it raises `NotAllowed`, whatever called it. A merchant (cohort, row)
outside the caller's scope is `OutOfScope`, the one error for "not in your scope", read or
write (`models/scope_check.py` asks the database).
"""

from __future__ import annotations

from models.scope import Role, Scope

WRITES: dict[str, frozenset[Role]] = {
    "margin_rate": frozenset({"executive", "merchant"}),  # a merchant knows its own margin
    "coach_note": frozenset({"executive", "coach"}),
    "assessment": frozenset({"executive", "coach", "merchant"}),
    "segment": frozenset({"executive", "coach", "merchant"}),
    "campaign": frozenset({"executive", "coach", "merchant"}),
    "users": frozenset({"executive"}),
}


class NotAllowed(PermissionError):
    """This role may not make this write (or the row is outside the scope: `OutOfScope`)."""


class OutOfScope(NotAllowed):
    """The merchant, cohort or row asked about is not in the caller's scope."""


def may_write(scope: Scope, what: str) -> bool:
    return scope.role in WRITES[what]


def require(scope: Scope, what: str) -> None:
    """Raise NotAllowed unless the scope's role may write `what`."""
    if not may_write(scope, what):
        raise NotAllowed(f"a {scope.role} may not write {what.replace('_', ' ')}")
