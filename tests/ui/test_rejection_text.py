"""Why a row was rejected, in Chinese: every reason the loader gives for the bad fixture
delivery, and every reason written in pipelines/validate.py, reads as Chinese."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import Engine, text

from pipelines.load import load_delivery
from tests.pages.language_scan import offences
from ui.rejection_text import _REASONS, reason

ROOT = Path(__file__).resolve().parents[2]


def test_the_reasons_of_a_bad_delivery_read_as_chinese(
    sqlite_engine: Engine, bad_delivery_dir: Path
) -> None:
    report = load_delivery(bad_delivery_dir, engine=sqlite_engine, loaded_by="tests")
    assert report.rows_rejected > 0
    with sqlite_engine.connect() as connection:
        reasons = set(connection.execute(text("SELECT reason FROM load_rejections")).scalars())
    assert len(reasons) >= 3
    shown = [reason(r, "zh") for r in reasons]
    assert offences(shown, "zh") == [], shown
    assert offences([reason(r, "en") for r in reasons], "en") == []


def test_every_reason_the_validator_writes_has_a_pattern() -> None:
    """Each literal reason in pipelines/validate.py and pipelines/load.py (its placeholders
    filled with a sample) is read by a pattern: a new reason without one fails here."""
    import re

    samples = []
    for name in ("validate.py", "load.py"):
        tree = ast.parse((ROOT / "pipelines" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            value = None
            if isinstance(node, ast.keyword) and node.arg in ("error", "reason"):
                value = node.value
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    if isinstance(k, ast.Constant) and k.value == "reason":
                        value = v
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                samples.append(value.value)
            elif isinstance(value, ast.JoinedStr):
                parts, first = [], True
                for v in value.values:
                    if isinstance(v, ast.Constant):
                        parts.append(str(v.value))
                    else:  # a column's name first, then figures
                        parts.append("gmv" if first and not parts else "2")
                        first = False
                samples.append("".join(parts))
    for call in re.findall(r'RowRule\(\s*"\w+",\s*((?:f?"[^"]*"\s*)+)', _source("validate.py")):
        samples.append("".join(re.findall(r'f?"([^"]*)"', call)).replace("{target[:-1]}", "store"))
    assert len(samples) > 15
    unread = [
        s
        for s in samples
        if "{" not in s and not any(re.fullmatch(p, s, flags=re.DOTALL) for p, _k, _n in _REASONS)
    ]
    assert unread == []


def _source(name: str) -> str:
    return (ROOT / "pipelines" / name).read_text(encoding="utf-8")
