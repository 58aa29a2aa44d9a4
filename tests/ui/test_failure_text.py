"""Offer and account reasons in the reader's language: every sentence `models.offers` and
the account models raise is read by a pattern and said from the catalog (a new sentence
without a pattern fails here), and one it does not know is never said in English in
Chinese."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from models import offers
from models.permissions import NotAllowed
from tests.pages.language_scan import offences
from ui.failure_text import _ACCOUNT, _OFFER, account_reason, offer_reason

ROOT = Path(__file__).resolve().parents[2]


def _raised(paths: list[Path], names: tuple[str, ...]) -> list[str]:
    """The sentences of each `raise <name>(...)` in these files, placeholders sampled."""
    sentences = []
    for tree in (ast.parse(p.read_text(encoding="utf-8")) for p in paths):
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in names or not node.exc.args:
                continue
            arg = node.exc.args[0]
            if isinstance(arg, ast.Constant):
                sentences.append(str(arg.value))
            elif isinstance(arg, ast.JoinedStr):
                sentences.append(
                    "".join(
                        str(v.value)
                        if isinstance(v, ast.Constant)
                        else "'x'"
                        if isinstance(v, ast.FormattedValue) and v.conversion == ord("r")
                        else "2"
                        for v in arg.values
                    )
                )
    return sentences


def _read(sentence: str, table: tuple[tuple[str, str, tuple[str, ...]], ...]) -> bool:
    return any(re.fullmatch(p, sentence, flags=re.DOTALL) for p, _k, _n in table)


def test_every_sentence_the_offer_model_raises_has_a_pattern() -> None:
    sentences = _raised([ROOT / "models" / "offers.py"], ("OfferError",))
    assert len(sentences) >= 10
    assert [s for s in sentences if not _read(s, _OFFER)] == []


def test_every_sentence_the_account_models_raise_has_a_pattern() -> None:
    paths = [ROOT / "models" / f"{m}.py" for m in ("auth", "accounts", "grants", "permissions")]
    sentences = _raised(paths, ("AuthError", "NotAllowed", "PermissionError"))
    assert len(sentences) >= 15
    # check_scope_values names its kind, a cohort or a merchant
    sentences = [
        s.replace("unknown 2:", f"unknown {kind}:")
        for s in sentences
        for kind in ("cohort", "merchant")
    ]
    assert [s for s in sentences if not _read(s, _ACCOUNT)] == []


def test_an_offer_reason_in_chinese_and_english() -> None:
    with pytest.raises(offers.OfferError) as raised:
        offers.check_start(offers.date(2024, 5, 1), offers.date(2024, 5, 3), already_ran=False)
    zh = offer_reason(raised.value, "zh")
    assert zh.startswith("开始日期 2024年5月1日 早于 2024年5月3日")
    assert offences([zh], "zh") == []
    assert offences([offer_reason(raised.value, "en")], "en") == []
    with pytest.raises(offers.OfferError) as raised:
        offers.holdout_groups("C", ["a"], 0.95)
    assert offer_reason(raised.value, "zh") == "对照组比例须在 0 至 90% 之间"
    assert offer_reason("something new", "zh") == "活动设置无法使用；请逐项检查"


def test_an_account_reason_in_chinese() -> None:
    assert account_reason("user 'li.na' exists already", "zh") == "用户 “li.na” 已存在"
    assert account_reason("unknown cohort: C1, C2 (load it first)", "zh") == (
        "未知批次：C1、C2（请先导入）"
    )
    assert account_reason(NotAllowed("a coach may not write users"), "zh") == (
        "你的角色无权执行此操作"
    )
    assert account_reason("something new", "zh") == "账号未能修改"
    for _pattern, key, _names in _ACCOUNT:
        assert offences([account_reason("x", "zh")], "zh") == [], key
