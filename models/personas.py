"""Demo personas: whom a visitor of the demo can view it as, built on the server from the
demo database (`models.auth.persona_identity` makes one an identity)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from models.schema import Merchant
from models.scope import Role, Scope


@dataclass(frozen=True)
class Persona:
    """Someone to view the demo as: built on the server from the demo database."""

    key: str
    role: Role
    label_id: str  # cohort or merchant id shown in the switch ("" for the executive)
    label_name: str
    scope: Scope


def demo_personas(engine: Engine) -> list[Persona]:
    """An executive, a coach of each cohort, and a merchant of each cohort (its first by
    name): enough to see the three experiences."""
    from models.schema import Cohort

    personas = [Persona("executive", "executive", "", "", Scope.executive(user="demo"))]
    with engine.connect() as connection:
        cohorts = connection.execute(
            select(Cohort.cohort_id, Cohort.name).order_by(Cohort.start_date)
        ).fetchall()
        for cohort_id, name in cohorts:
            personas.append(
                Persona(
                    f"coach:{cohort_id}",
                    "coach",
                    cohort_id,
                    name,
                    Scope.coach({cohort_id}, user="demo"),
                )
            )
        for cohort_id, _name in cohorts:
            first = connection.execute(
                select(Merchant.merchant_id, Merchant.name)
                .where(Merchant.cohort_id == cohort_id)
                .order_by(Merchant.name)
                .limit(1)
            ).first()
            if first is not None:
                personas.append(
                    Persona(
                        f"merchant:{first.merchant_id}",
                        "merchant",
                        first.merchant_id,
                        first.name,
                        Scope.merchant(first.merchant_id, user="demo"),
                    )
                )
    return personas
