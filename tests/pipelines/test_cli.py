"""The operator's command line, run as a user would: exit codes and what it prints."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.cli import EXIT_NOTHING_LOADED, EXIT_OK, EXIT_REFUSED, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_load_prints_a_summary_and_the_first_rejections(
    tmp_path: Path, bad_delivery_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    out_csv = tmp_path / "rejected.csv"
    code, out = run(
        capsys,
        "load",
        str(bad_delivery_dir),
        "--db",
        db,
        "--quiet",
        "--rejections-out",
        str(out_csv),
    )
    assert code == EXIT_OK
    assert "partial" in out and "orders.csv" in out
    assert "orders.csv:4 [channel] value 'telepathy'" in out
    assert f"Full list: {out_csv}" in out
    lines = out_csv.read_text("utf-8-sig").splitlines()
    assert lines[0] == "file_name,line,column,value,reason" and len(lines) == 8

    code, out = run(capsys, "history", "--db", db)
    assert code == EXIT_OK and "partial" in out


def test_all_or_nothing_refuses_and_exits_non_zero(
    tmp_path: Path, bad_delivery_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    code, out = run(
        capsys,
        "load",
        str(bad_delivery_dir),
        "--db",
        db,
        "--quiet",
        "--all-or-nothing",
        "--rejections-out",
        str(tmp_path / "r.csv"),
    )
    assert code == EXIT_REFUSED
    assert "refused" in out and "nothing was loaded" in out


def test_nothing_usable_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "delivery"
    folder.mkdir()
    (folder / "merchants.csv").write_text("merchant_id,name,industry\nM1,A,spaceships\n")
    (folder / "orders.csv").write_text("order_id,merchant_id,ordered_at,channel,gmv\n")
    code, out = run(
        capsys,
        "load",
        str(folder),
        "--db",
        f"sqlite:///{tmp_path / 'x.db'}",
        "--quiet",
        "--rejections-out",
        str(tmp_path / "r.csv"),
    )
    assert code == EXIT_NOTHING_LOADED
    assert "not an allowed industry" in out


def test_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["load", str(tmp_path / "nope"), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert code == EXIT_NOTHING_LOADED
    assert "not a folder" in capsys.readouterr().err


def test_rejections_command_writes_csv(
    tmp_path: Path, bad_delivery_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    run(
        capsys,
        "load",
        str(bad_delivery_dir),
        "--db",
        db,
        "--quiet",
        "--rejections-out",
        str(tmp_path / "first.csv"),
    )
    code, out = run(capsys, "rejections", "1", "--db", db, "--out", str(tmp_path / "again.csv"))
    assert code == EXIT_OK and "7 rejected rows" in out
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "first.csv").read_bytes()


def test_upgrade_and_rebuild_marts(
    tmp_path: Path, tiny_delivery_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "upgrade", "--db", db)[0] == EXIT_OK
    run(capsys, "load", str(tiny_delivery_dir), "--db", db, "--quiet")
    code, out = run(capsys, "rebuild-marts", "--db", db)
    assert code == EXIT_OK and "3 merchants" in out
    shutil.rmtree(tiny_delivery_dir)
