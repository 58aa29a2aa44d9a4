"""The rule editor's reasons in the reader's language: every sentence `models.segments`
raises for a definition that cannot run is said from the catalog, never in English in
Chinese (and a sentence this module does not know falls back to a general one)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from models import segments as sg
from tests.pages.language_scan import offences
from ui.segment_text import _REASONS, _WHOLE, field_label, op_label, reason

ROOT = Path(__file__).resolve().parents[2]


def _cond(field: str, op: str, value: object = None) -> dict:
    return {"field": field, "op": op, **({} if value is None else {"value": value})}


def _rules(*conditions: object, match: str = "all") -> dict:
    return {"match": match, "conditions": list(conditions)}


BROKEN = [
    (_rules(_cond("orders", "at_least", "many")), "条件 1（订单数 至少）：“many” 不是数字"),
    (_rules(_cond("orders", "at_least", 2.5)), "条件 1（订单数 至少）：“2.5” 必须是整数"),
    (
        _rules(_cond("r_score", "equals", 9)),
        "条件 1（最近购买评分（R） 等于）：“9” 超出 1 至 5 的范围",
    ),
    (_rules(_cond("orders", "between", [5, 2])), "条件 1（订单数 介于）：最低值 5 高于最高值 2"),
    (
        _rules(_cond("orders", "between", 3)),
        "条件 1（订单数 介于）：“介于”需要最低值和最高值（如 2-5）",
    ),
    (
        _rules(_cond("orders", "in", ["a"])),
        "条件 1：订单数 可用的运算符为 介于、至少、至多、等于，不能用 “in”",
    ),
    (_rules(_cond("colour", "in", ["red"])), "条件 1：未知字段 “colour”"),
    (_rules(_cond("member_level", "in", [])), "条件 1（会员等级 属于）：请至少选择一个取值"),
    (
        _rules(_cond("channels", "includes_any", ["tv"])),
        "条件 1（购买渠道 包含任一）：未知取值 “tv”；可选：门店 `store`、小程序 `mini_program`、"
        "企业微信导购 `wecom_guide`、社群 `community`、扫码购 `scan_to_buy`、直播 `livestream`、"
        "其他线上 `other_online`",
    ),
    (
        _rules(_cond("touchpoint", "has", ["fan", "cloud_user"])),
        "条件 1（触点 已有）：请只选一个触点",
    ),
    (_rules({"match": "any", "conditions": []}), "第 1 组：分组为空"),
    (
        _rules({"match": "any", "conditions": [{"match": "all", "conditions": []}]}),
        "第 1 组条件 1：分组只能嵌套一层",
    ),
    (_rules(match="some"), "规则：组合方式只能是“全部”或“任一”，不能是 “some”"),
    ({"match": "all", "conditions": "x"}, "规则：条件必须是列表"),
    ({"match": "all", "conditions": [], "extra": 1}, "规则：未知的键 “extra”"),
    (_rules(["orders"]), "条件 1：条件须包含字段、运算符和取值"),
    ("{not json", "规则不是有效的 JSON"),
    ([1, 2], "规则须包含组合方式和条件列表"),
]


@pytest.mark.parametrize(("definition", "chinese"), BROKEN)
def test_every_reason_is_said_in_chinese(definition: object, chinese: str) -> None:
    with pytest.raises(sg.SegmentError) as raised:
        sg.validate(definition)
    assert reason(raised.value, "zh") == chinese
    english = reason(raised.value, "en")
    assert english != "the rules cannot be read; check each row's field, operator and value"
    assert offences([english], "en") == []


def test_an_editor_row_without_an_operator() -> None:
    rows = pd.DataFrame([{"group": "", "field": "orders", "op": None, "value": "2"}])
    with pytest.raises(sg.SegmentError) as raised:
        sg.from_rows(rows, "all")
    assert reason(raised.value, "zh") == "第 1 行：请选择字段和运算符"


def test_a_sentence_it_does_not_know_is_not_shown_in_english() -> None:
    assert (
        reason("something new went wrong", "zh") == "无法读取规则；请检查每一行的字段、运算符和取值"
    )


def test_every_sentence_the_model_raises_has_a_pattern() -> None:
    """Each `raise SegmentError(...)` of the models/segments package, its placeholders filled
    with a sample, is read by one of the patterns (a new sentence there fails here)."""
    trees = [
        ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "models" / "segments").glob("*.py"))
    ]
    sentences = []
    for node in (node for tree in trees for node in ast.walk(tree)):
        if not (
            isinstance(node, ast.Raise)
            and isinstance(node.exc, ast.Call)
            and getattr(node.exc.func, "id", "") == "SegmentError"
        ):
            continue
        arg = node.exc.args[0]
        if isinstance(arg, ast.Constant):
            sentences.append(str(arg.value))
        elif isinstance(arg, ast.JoinedStr):
            parts = [
                str(v.value)
                if isinstance(v, ast.Constant)
                else "condition 1"
                if i == 0  # where the problem is
                else "'x'"
                if isinstance(v, ast.FormattedValue) and v.conversion == ord("r")
                else "2"
                for i, v in enumerate(arg.values)
            ]
            sentences.append("".join(parts))
    assert len(sentences) > 20
    unread = []
    for sentence in sentences:
        if sentence.startswith(("unknown operator", "1 to ", "compare ", "distribution by")):
            continue  # code errors (a caller's bug), never a merchant's rule
        if sentence.startswith(("merchant ", "no segment")):
            continue  # not about the rules: said by the page that saves
        whole = any(re.fullmatch(p, sentence, flags=re.DOTALL) for p, _ in _WHOLE)
        _where, _, what = sentence.partition(": ")
        part = any(re.fullmatch(p, what, flags=re.DOTALL) for p, _k, _n in _REASONS)
        if not (whole or part):
            unread.append(sentence)
    assert unread == []


@pytest.mark.parametrize("name", list(sg.FIELDS))
def test_every_field_and_its_operators_have_labels(name: str) -> None:
    assert field_label(name, "zh") != name
    for op in sg.OPERATORS[sg.FIELDS[name].kind]:
        assert op_label(op, "zh") != op
        assert offences([field_label(name, "zh"), op_label(op, "zh")], "zh") == []
