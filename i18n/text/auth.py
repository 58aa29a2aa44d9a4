"""Text of logging in, demo mode, roles, the audit log and the merchant's home page."""

from __future__ import annotations

from i18n.format import Lang

TEXT: dict[str, dict[Lang, str]] = {
    # --- logging in ---------------------------------------------------------------------
    "auth.title": {"en": "Log in", "zh": "登录"},
    "auth.sso": {"en": "Log in with single sign-on", "zh": "使用单点登录"},
    "auth.username": {"en": "Username", "zh": "用户名"},
    "auth.password": {"en": "Password", "zh": "密码"},
    "auth.submit": {"en": "Log in", "zh": "登录"},
    "auth.failed": {
        "en": "Wrong username or password, or the account is locked for a while after too "
        "many failed attempts.",
        "zh": "用户名或密码错误，或因多次失败该账号暂时被锁定。",
    },
    "auth.no_users": {
        "en": "No accounts exist yet. An operator creates them on the server: "
        "python -m pipelines users add NAME --role executive",
        "zh": "尚无账号。请运维人员在服务器上创建："
        "python -m pipelines users add NAME --role executive",
    },
    "auth.expired": {
        "en": "Your session expired after a period without activity. Please log in again.",
        "zh": "长时间未操作，会话已过期。请重新登录。",
    },
    "auth.gone": {
        "en": "Your account is no longer active. Ask an operator if this is unexpected.",
        "zh": "您的账号已停用。如有疑问请联系运维人员。",
    },
    "auth.sso_no_access": {
        "en": "{email} has no account here. Ask an operator to add one with this email.",
        "zh": "{email} 在此没有账号。请运维人员用该邮箱为您创建账号。",
    },
    "auth.logout": {"en": "Log out", "zh": "退出登录"},
    "auth.logged_in_as": {"en": "Logged in as {name} ({role})", "zh": "当前用户：{name}（{role}）"},
    "auth.no_pages": {
        "en": "There is no page for your role yet.",
        "zh": "您的角色暂时没有可用页面。",
    },
    "role.executive": {"en": "executive", "zh": "高管"},
    "role.coach": {"en": "coach", "zh": "教练"},
    "role.merchant": {"en": "merchant", "zh": "商家"},
    # --- demo mode ------------------------------------------------------------------------
    "demo.banner": {
        "en": "Demo mode: an invented programme. Switch who you view it as in the sidebar. "
        "Demo mode ends as soon as a real delivery is loaded.",
        "zh": "演示模式：虚构的计划数据。可在侧边栏切换查看身份。"
        "一旦加载真实数据，演示模式即结束。",
    },
    "demo.view_as": {"en": "View as", "zh": "查看身份"},
    "demo.view_as.help": {
        "en": "See the product as an executive, as the coach of one cohort, or as one "
        "merchant. Only in demo mode.",
        "zh": "以高管、某一期的教练或某个商家的身份查看产品。仅限演示模式。",
    },
    "demo.as.executive": {"en": "Executive (all cohorts)", "zh": "高管（全部期次）"},
    "demo.as.coach": {"en": "Coach of {cohort_id}", "zh": "{cohort_id} 的教练"},
    "demo.as.merchant": {"en": "Merchant: {name}", "zh": "商家：{name}"},
    # --- audit log --------------------------------------------------------------------------
    "nav.admin": {"en": "Administration", "zh": "管理"},
    "page.audit": {"en": "Audit log", "zh": "审计日志"},
    "audit.title": {"en": "Audit log", "zh": "审计日志"},
    "audit.caption": {
        "en": "Logins, failed logins, deliveries, exports and user changes, newest first.",
        "zh": "登录、登录失败、数据交付、导出和用户变更记录，最新在前。",
    },
    "audit.action": {"en": "Action", "zh": "操作"},
    "audit.all_actions": {"en": "All actions", "zh": "全部操作"},
    "audit.failures_only": {"en": "Failures only", "zh": "仅看失败"},
    "audit.empty": {"en": "No events recorded yet.", "zh": "暂无记录。"},
    "audit.download": {"en": "Download as CSV", "zh": "下载 CSV"},
    "col.at": {"en": "When", "zh": "时间"},
    "col.actor": {"en": "Who", "zh": "用户"},
    "col.action": {"en": "Action", "zh": "操作"},
    "col.target": {"en": "Target", "zh": "对象"},
    "col.detail": {"en": "Detail", "zh": "详情"},
    "col.success": {"en": "Succeeded", "zh": "成功"},
    # --- a merchant's own page ------------------------------------------------------------
    "page.business": {"en": "My business", "zh": "我的经营"},
    "nav.merchant": {"en": "My business", "zh": "我的经营"},
    "business.title": {"en": "My business", "zh": "我的经营"},
    "business.caption": {
        "en": "{start} – {end}, compared with {prev_start} – {prev_end}.",
        "zh": "{start}至{end}，对比{prev_start}至{prev_end}。",
    },
    "business.peers.header": {"en": "You and your peers", "zh": "您与同行"},
    "business.peers.too_few": {
        "en": "Peer comparisons need at least {n} peers; there are fewer here, so none is shown.",
        "zh": "同行对比至少需要 {n} 家同行；此处不足，因此不显示。",
    },
    "business.peers.caption.cohort": {
        "en": "Peers: the {n} other merchants of cohort {group}. Only aggregates are shown; "
        "no peer is named.",
        "zh": "同行：{group} 期的其他 {n} 家商家。仅显示汇总数据，不显示任何同行名称。",
    },
    "business.peers.caption.industry": {
        "en": "Peers: {n} merchants of the same industry ({group}) outside the programme. "
        "Only aggregates are shown; no peer is named.",
        "zh": "同行：计划外同行业（{group}）的 {n} 家商家。仅显示汇总数据，不显示任何同行名称。",
    },
    "business.col.metric": {"en": "Measure", "zh": "指标"},
    "business.col.own": {"en": "You", "zh": "您"},
    "business.col.peer_median": {"en": "Peer median", "zh": "同行中位数"},
    "business.col.middle": {"en": "Middle half of peers", "zh": "同行中间 50%"},
    "business.metric.daily_gmv": {"en": "Daily average GMV", "zh": "日均成交额"},
    "business.metric.private_share": {"en": "Private-domain share", "zh": "私域占比"},
    "business.metric.cloud_users": {"en": "Cloud users", "zh": "云用户"},
    "business.metric.digitised": {"en": "Digitised share of visitors", "zh": "客流数字化率"},
    "business.metric.repeat_share": {"en": "Repeat buyers' share", "zh": "复购顾客占比"},
    "business.chart.title": {
        "en": "Daily GMV: you and your peers' median",
        "zh": "日成交额：您与同行中位数",
    },
    "business.chart.own": {"en": "You", "zh": "您"},
    "business.chart.peer_median": {"en": "Peer median", "zh": "同行中位数"},
    "error.unexpected": {
        "en": "Something went wrong on our side and this page could not be shown. Nothing "
        "was changed. Try again; if it happens again, give the operator incident {incident}.",
        "zh": "服务端出现问题，本页无法显示。没有任何数据被修改。请重试；如果再次出现，"
        "请把事件编号 {incident} 告诉运维人员。",
    },
    "error.database": {
        "en": "The database cannot be reached right now, so nothing can be shown. Nothing "
        "was changed. Try again in a few minutes; if it persists, give the operator "
        "incident {incident}.",
        "zh": "当前无法连接数据库，因此无法显示任何内容。没有任何数据被修改。请几分钟后重试；"
        "如果问题持续，请把事件编号 {incident} 告诉运维人员。",
    },
    "error.page": {"en": "Error", "zh": "错误"},
    "setup.page": {"en": "Setting up", "zh": "正在准备"},
    "setup.header": {
        "en": "First real delivery: create the first executive account",
        "zh": "首次加载真实数据：请创建第一个主管账号",
    },
    "setup.intro": {
        "en": "This database holds an invented demo programme. Loading your own delivery "
        "ends demo mode for good: every invented row is removed first (the real database "
        "starts empty), and from then on every page needs a login. Create the first "
        "executive account to continue; you will be logged in with it.",
        "zh": "当前数据库中是虚构的演示项目。加载您自己的数据将永久结束演示模式：先删除全部虚构数据"
        "（真实数据库从空开始），此后每个页面都需要登录。请先创建第一个主管账号，"
        "创建后将自动以该账号登录。",
    },
    "setup.username": {"en": "Username of the first executive", "zh": "第一个主管的用户名"},
    "setup.password": {"en": "Password (at least {n} characters)", "zh": "密码（至少 {n} 个字符）"},
    "setup.repeat": {"en": "Password again", "zh": "再次输入密码"},
    "setup.mismatch": {"en": "The two passwords differ.", "zh": "两次输入的密码不一致。"},
    "setup.failed": {
        "en": "The account could not be created: {reason}. Nothing was changed.",
        "zh": "无法创建账号：{reason}。没有任何数据被修改。",
    },
    "setup.done": {
        "en": "Demo mode has ended: the invented programme was removed and you are logged "
        "in as {name}.",
        "zh": "演示模式已结束：虚构项目已删除，您已以 {name} 登录。",
    },
    "business.peers.day_blank": {
        "en": "Days with fewer than {n} peers with data show no peer median (a figure over "
        "so few would reveal a peer's own).",
        "zh": "有数据的同行少于 {n} 家的日子不显示同行中位数（人数太少会暴露单个同行的数据）。",
    },
    # --- accepting an invitation ----------------------------------------------------------
    "invite.title": {"en": "Accept your invitation", "zh": "接受邀请"},
    "invite.header": {
        "en": "Welcome, {user}: choose your password",
        "zh": "欢迎，{user}：请设置您的密码",
    },
    "invite.caption": {
        "en": "This invitation opens once. Once your password is set you are logged in; "
        "next time log in with your username and this password.",
        "zh": "此邀请只能使用一次。设置密码后您将自动登录；以后请用用户名和此密码登录。",
    },
    "invite.password": {
        "en": "Your password (at least {n} characters)",
        "zh": "您的密码（至少 {n} 个字符）",
    },
    "invite.repeat": {"en": "Password again", "zh": "再次输入密码"},
    "invite.submit": {"en": "Set my password and log in", "zh": "设置密码并登录"},
    "invite.short": {
        "en": "A password needs at least {n} characters.",
        "zh": "密码至少需要 {n} 个字符。",
    },
    "invite.invalid": {
        "en": "This invitation is not valid: it was already used, it expired, or the code "
        "is mistyped. Ask whoever invited you for a new one, or log in below.",
        "zh": "此邀请无效：已被使用、已过期或邀请码有误。"
        "请向邀请您的人索取新的邀请，或在下方登录。",
    },
    "invite.done": {
        "en": "Welcome, {name}: your password is set and you are logged in.",
        "zh": "欢迎，{name}：密码已设置，您已登录。",
    },
    "invite.have_code": {"en": "I have an invitation code", "zh": "我有邀请码"},
    "invite.code": {"en": "Invitation code", "zh": "邀请码"},
    "invite.open": {"en": "Use this code", "zh": "使用邀请码"},
}
