"""Who may write what is decided in the model that writes, with one error type
(models/permissions.py): refused writes raise NotAllowed whoever calls them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from models.accounts import create_account
from models.offers import create_campaign
from models.permissions import WRITES, NotAllowed, OutOfScope, may_write, require
from models.scope import Scope
from models.segments import save_segment
from pipelines.load import load_delivery

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "role, what, allowed",
    [
        ("coach", "margin_rate", False),
        ("merchant", "margin_rate", True),
        ("merchant", "coach_note", False),
        ("coach", "users", False),
        ("merchant", "users", False),
        ("executive", "users", True),
    ],
)
def test_the_table_decides(role: str, what: str, allowed: bool) -> None:
    scope = Scope(role)  # type: ignore[arg-type]
    assert may_write(scope, what) is allowed
    if allowed:
        require(scope, what)
    else:
        with pytest.raises(NotAllowed, match=what.replace("_", " ")):
            require(scope, what)


def test_every_write_in_the_table_is_enforced_by_a_model() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "models").rglob("*.py"))
    for what in WRITES:
        assert f'require(scope, "{what}")' in sources, what


def test_refused_writes_raise_one_error(engine: Engine, tiny_delivery_dir: Path) -> None:
    assert load_delivery(tiny_delivery_dir, engine=engine).ok
    other = Scope.merchant("M_NOT_THERE")
    with pytest.raises(OutOfScope):
        save_segment(
            engine=engine,
            scope=other,
            merchant_id="M1",
            name="x",
            definition={"match": "all", "conditions": []},
        )
    with pytest.raises(OutOfScope):
        create_campaign(
            engine=engine,
            scope=other,
            merchant_id="M1",
            name="x",
            customer_ids=["C1"],
            offer="coupon",
            holdout_share=0.2,
            start_date=date(2019, 1, 1),
        )
    with pytest.raises(NotAllowed):
        create_account(
            engine=engine, scope=Scope.coach({"C1"}), username="newcomer", role="merchant"
        )
