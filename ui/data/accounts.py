"""Accounts for the users page: the list, the manager's writes and one's own password.

Not cached: the list is read right after its own writes and changes from the command line
(`python -m pipelines users ...`) too, so a cached copy would show an account that is gone.
The rules (who may manage, what is handed over once) are `models.accounts`'; these are the
page's names for them."""

from __future__ import annotations

from models.accounts import (
    INVITATION_DAYS,
    Handed,
    accounts,
    change_password,
    create_account,
    reset,
    set_active,
    unlock,
)
from models.auth import AuthError
from models.permissions import NotAllowed

__all__ = [
    "INVITATION_DAYS",
    "AuthError",
    "Handed",
    "NotAllowed",
    "accounts",
    "change_password",
    "create_account",
    "reset",
    "set_active",
    "unlock",
]
