"""The audit log's actions and details (`ui/audit_text.py` says what the models wrote)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "audit.act.login": {"en": "Login", "zh": "登录"},
    "audit.act.login_sso": {"en": "Single sign-on login", "zh": "单点登录"},
    "audit.act.logout": {"en": "Logout", "zh": "退出登录"},
    "audit.act.delivery": {"en": "Delivery", "zh": "数据交付"},
    "audit.act.export": {"en": "Export", "zh": "导出"},
    "audit.act.column_mapping": {"en": "Column mapping", "zh": "列映射"},
    "audit.act.predictions": {"en": "Predictions refreshed", "zh": "更新客户预测"},
    "audit.act.demo_on": {"en": "Demo mode on", "zh": "开启演示模式"},
    "audit.act.demo_off": {"en": "Demo mode ended", "zh": "结束演示模式"},
    "audit.act.user_add": {"en": "User added", "zh": "新增用户"},
    "audit.act.user_invite": {"en": "User invited", "zh": "邀请用户"},
    "audit.act.user_role": {"en": "Role changed", "zh": "变更角色"},
    "audit.act.user_grant": {"en": "Access granted", "zh": "授予权限"},
    "audit.act.user_revoke": {"en": "Access revoked", "zh": "收回权限"},
    "audit.act.user_password": {"en": "Password reset", "zh": "重置密码"},
    "audit.act.user_activate": {"en": "User activated", "zh": "启用用户"},
    "audit.act.user_deactivate": {"en": "User deactivated", "zh": "停用用户"},
    "audit.act.user_unlock": {"en": "User unlocked", "zh": "解锁用户"},
    "audit.detail.unknown_user": {"en": "unknown user", "zh": "未知用户"},
    "audit.detail.inactive": {"en": "inactive", "zh": "已停用"},
    "audit.detail.session_expired": {"en": "session expired", "zh": "会话已过期"},
    "audit.detail.by_user": {"en": "by the user", "zh": "用户自行退出"},
    "audit.detail.no_password": {
        "en": "no password (single sign-on only)",
        "zh": "无密码（仅单点登录）",
    },
    "audit.detail.locked": {"en": "locked", "zh": "已锁定"},
    "audit.detail.wrong_password": {"en": "wrong password", "zh": "密码错误"},
    "audit.detail.no_local_user": {"en": "no local user", "zh": "无对应本地用户"},
    "audit.detail.demo_removed": {"en": "demo data removed", "zh": "已删除演示数据"},
    "audit.detail.scope": {
        "en": "role {role}; cohorts {cohorts}; merchants {merchants}",
        "zh": "角色：{role}；期次：{cohorts}；商家：{merchants}",
    },
    "audit.detail.scopes": {
        "en": "cohorts {cohorts}; merchants {merchants}",
        "zh": "期次：{cohorts}；商家：{merchants}",
    },
    "audit.detail.role_change": {
        "en": "{before} → {after}; scopes cleared",
        "zh": "{before} → {after}；已清除权限范围",
    },
    "audit.detail.load": {
        "en": "{status}: {read} rows read, {new} new, {replaced} replaced, {rejected} rejected",
        "zh": "{status}：读取 {read} 行，新增 {new} 行，替换 {replaced} 行，拒收 {rejected} 行",
    },
    "audit.detail.export.rejected rows": {"en": "rejected rows", "zh": "被拒收的行"},
    "audit.detail.export.audit log": {"en": "audit log", "zh": "审计日志"},
    "audit.detail.export.workshop report": {"en": "workshop report", "zh": "工作坊报告"},
    "audit.actor.demo builder": {"en": "demo builder", "zh": "演示数据生成器"},
    "audit.none": {"en": "none", "zh": "无"},
    "audit.scope.cohort": {"en": "cohort {id}", "zh": "期次 {id}"},
    "audit.scope.merchant": {"en": "merchant {id}", "zh": "商家 {id}"},
}
