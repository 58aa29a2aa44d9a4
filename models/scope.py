"""Who may see which merchants.

Every query that can see merchant data takes a `Scope` and turns it into a SQL
filter with `Scope.merchant_filter`. A scope is built on the server from the
authenticated identity, never from a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, false, select, true

from models.schema import Merchant

Role = Literal["executive", "coach", "merchant"]


@dataclass(frozen=True)
class Scope:
    role: Role
    cohort_ids: frozenset[str] | None = None
    merchant_ids: frozenset[str] | None = None
    user: str = ""

    @classmethod
    def executive(cls, user: str = "") -> Scope:
        return cls("executive", user=user)

    @classmethod
    def coach(cls, cohort_ids: frozenset[str] | set[str] | list[str], user: str = "") -> Scope:
        return cls("coach", cohort_ids=frozenset(cohort_ids), user=user)

    @classmethod
    def merchant(cls, merchant_id: str, user: str = "") -> Scope:
        return cls("merchant", merchant_ids=frozenset([merchant_id]), user=user)

    @property
    def sees_everything(self) -> bool:
        return self.role == "executive"

    def merchant_filter(self, merchant_col: ColumnElement[str]) -> ColumnElement[bool]:
        """A WHERE clause that keeps only the merchants this scope may see."""
        if self.role == "executive":
            return true()
        if self.role == "merchant":
            return (
                merchant_col.in_(sorted(self.merchant_ids or ())) if self.merchant_ids else false()
            )
        if not self.cohort_ids:
            return false()
        in_cohorts = select(Merchant.merchant_id).where(
            Merchant.cohort_id.in_(sorted(self.cohort_ids))
        )
        return merchant_col.in_(in_cohorts)

    def cohort_filter(self, cohort_col: ColumnElement[str]) -> ColumnElement[bool]:
        """A WHERE clause on a cohort id column (cohort lists, windows)."""
        if self.role == "executive":
            return true()
        if self.role == "coach":
            return cohort_col.in_(sorted(self.cohort_ids or ())) if self.cohort_ids else false()
        own = select(Merchant.cohort_id).where(
            Merchant.merchant_id.in_(sorted(self.merchant_ids or ()))
        )
        return cohort_col.in_(own)
