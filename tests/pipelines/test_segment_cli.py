"""`python -m pipelines segment` run as a scheduler would, on the demo database."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from models import segments as sg
from models.db import make_engine
from models.scope import Scope
from pipelines.cli import main
from pipelines.segment_cli import EXIT_BAD_INPUT, EXIT_EMPTY, EXIT_OK


def test_repurchase_tiers_to_csv(
    demo_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tiers.csv"
    code = main(["segment", "--merchant", "M006", "--template", "repurchase_tiers",
                 "--db", demo_db_url, "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == EXIT_OK
    frame = pd.read_csv(out, dtype=str)
    assert list(frame.columns) == ["customer_id", "segment"]
    assert frame["customer_id"].is_unique
    engine = make_engine(demo_db_url)
    stats = sg.tier_stats(
        engine=engine,
        scope=Scope.executive(),
        merchant_id="M006",
        tiers=sg.TEMPLATES["repurchase_tiers"].tiers,
    )
    engine.dispose()
    counts = frame["segment"].value_counts()
    lines = printed.splitlines()
    assert lines[0].startswith("Segment repurchase_tiers of merchant M006 (as of 2019-12-31): ")
    for number, row in enumerate(stats.itertuples(index=False), start=1):
        assert counts[row.segment] == row.customers
        assert lines[number] == (
            f"  {row.segment}: {row.customers:,} customers ({row.share_customers:.1%}), "
            f"{row.share_gmv:.1%} of GMV, offer: {row.offer}"
        )
    assert f"{len(frame):,} customers written to {out}" in printed


def test_rules_file_to_stdout(
    demo_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "fans.json"
    rules.write_text(json.dumps({"match": "all", "conditions": [
        {"field": "touchpoint", "op": "has", "value": "fan"},
        {"field": "last_order", "op": "never"}]}))  # fmt: skip
    code = main(["segment", "--merchant", "M006", "--rules", str(rules), "--db", demo_db_url])
    captured = capsys.readouterr()
    assert code == EXIT_OK
    lines = captured.out.splitlines()
    assert lines[0] == "customer_id,segment" and len(lines) > 2
    assert all(line.endswith(",fans") for line in lines[1:])
    assert "Segment fans of merchant M006" in captured.err


def test_bad_input(demo_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "evil.json"
    rules.write_text('{"conditions": [{"field": "1=1; DROP TABLE orders", "op": "in"}]}')
    assert main(["segment", "--merchant", "M006", "--rules", str(rules), "--db", demo_db_url]) == (
        EXIT_BAD_INPUT
    )
    assert "unknown field" in capsys.readouterr().err
    assert main(["segment", "--merchant", "M006", "--template", "nope", "--db", demo_db_url]) == (
        EXIT_BAD_INPUT
    )
    assert main(["segment", "--merchant", "M006", "--db", demo_db_url]) == EXIT_BAD_INPUT
    assert main(["segment", "--merchant", "NOPE", "--template", "lapsed_90d", "--db",
                 demo_db_url]) == EXIT_EMPTY  # fmt: skip
    capsys.readouterr()
    assert main(["segment", "--list-templates"]) == EXIT_OK
    listed = capsys.readouterr().out
    assert listed.startswith("repurchase_tiers ") and "cloud_users_lapsed_30d" in listed
