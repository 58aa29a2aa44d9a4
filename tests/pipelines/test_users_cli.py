"""`python -m pipelines users ...` as an operator uses it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from models import auth
from models.db import make_engine
from pipelines.cli import main


@pytest.fixture
def db(tmp_path: Path, tiny_delivery_dir: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    assert main(["load", str(tiny_delivery_dir), "--db", url, "--quiet"]) == 0
    capsys.readouterr()
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_add_with_a_generated_password_then_log_in(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "users", "--db", db, "add", "Li", "--role", "coach", "--cohort", "C1"
    )
    assert code == 0
    password = out.split("Password (shown once): ")[1].strip()
    result = auth.authenticate(make_engine(db), "li", password)
    assert result.outcome == "ok" and result.identity is not None
    assert result.identity.scope.cohort_ids == frozenset({"C1"})
    code, out, _ = run(capsys, "users", "--db", db, "list")
    assert "li" in out and "cohort:C1" in out


def test_password_from_stdin_reset_and_unlock(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password 1\n"))
    assert (
        run(
            capsys,
            "users",
            "--db",
            db,
            "add",
            "m1",
            "--role",
            "merchant",
            "--merchant",
            "M1",
            "--password-stdin",
        )[0]
        == 0
    )
    engine = make_engine(db)
    for _ in range(auth.MAX_FAILURES):
        auth.authenticate(engine, "m1", "wrong")
    assert auth.authenticate(engine, "m1", "a long password 1").outcome == "locked"
    assert run(capsys, "users", "--db", db, "unlock", "m1")[0] == 0
    assert auth.authenticate(engine, "m1", "a long password 1").outcome == "ok"
    monkeypatch.setattr("sys.stdin", io.StringIO("another password 2\n"))
    assert run(capsys, "users", "--db", db, "reset-password", "m1", "--password-stdin")[0] == 0
    assert auth.authenticate(engine, "m1", "another password 2").outcome == "ok"
    assert run(capsys, "users", "--db", db, "deactivate", "m1")[0] == 0
    assert auth.authenticate(engine, "m1", "another password 2").outcome == "inactive"
    code, out, _ = run(capsys, "users", "--db", db, "audit", "--limit", "20")
    assert code == 0 and "user_deactivate" in out and "user_unlock" in out


def test_errors_are_said_and_exit_non_zero(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "users", "--db", db, "add", "x", "--role", "merchant")
    assert code == 1 and "exactly one" in err
    code, _, err = run(capsys, "users", "--db", db, "grant", "nobody", "--cohort", "C1")
    assert code == 1 and "no user" in err
