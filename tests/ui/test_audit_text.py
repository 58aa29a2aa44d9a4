"""The audit log in both languages: actions, the details the models write, and scopes."""

from __future__ import annotations

import pytest

from tests.pages.language_scan import offences
from ui import audit_text


@pytest.mark.parametrize(
    ("action", "detail", "zh", "en"),
    [
        ("login", "wrong password", "密码错误", "wrong password"),
        ("login", "locked", "已锁定", "locked"),
        ("login_sso", "no local user", "无对应本地用户", "no local user"),
        (
            "user_add",
            "role coach; cohorts ['C2018A', 'C2019A']; merchants []",
            "角色：教练；期次：C2018A、C2019A；商家：无",
            "role coach; cohorts C2018A, C2019A; merchants none",
        ),
        ("user_grant", "cohorts []; merchants ['M001']", "期次：无；商家：M001", None),
        (
            "user_role",
            "coach -> executive; scopes cleared",
            "教练 → 高管；已清除权限范围",
            "coach → executive; scopes cleared",
        ),
        (
            "delivery",
            "partial: 1,200 rows read, 1,000 new, 150 replaced, 50 rejected rows (see the file)",
            "部分加载：读取 1,200 行，新增 1,000 行，替换 150 行，拒收 50 行",
            None,
        ),
        ("export", "audit log", "审计日志", "audit log"),
        ("export", "cohorts_2019", "cohorts_2019", "cohorts_2019"),  # a table's file name
        ("demo_off", "demo data removed", "已删除演示数据", "demo data removed"),
        ("logout", None, "—", "—"),
    ],
)
def test_details(action: str, detail: str | None, zh: str, en: str | None) -> None:
    assert audit_text.detail(action, detail, "zh") == zh
    if en is not None:
        assert audit_text.detail(action, detail, "en") == en


def test_actions_actors_and_scopes() -> None:
    assert audit_text.action("delivery", "zh") == "数据交付"
    assert audit_text.action("user_invite", "en") == "User invited"
    assert audit_text.actor("demo builder", "zh") == "演示数据生成器"
    assert audit_text.actor("ana", "zh") == "ana"  # a person's name as they have it
    assert audit_text.scopes("cohort:C2018A, merchant:M001", "zh") == "期次 C2018A、商家 M001"
    assert audit_text.scopes("cohort:C2018A, merchant:M001", "en") == "cohort C2018A, merchant M001"
    assert audit_text.scopes("", "zh") == "—"
    assert (
        offences([audit_text.action(a, "zh") for a in ("login", "export", "user_add")], "zh") == []
    )
