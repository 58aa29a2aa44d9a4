"""Text of the three connections: the coach workshop, the self-assessment, indicator
names, next actions and the questionnaire, in English and Simplified Chinese."""

from __future__ import annotations

from i18n.format import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "connections.page.workshop": {"en": "Coach workshop", "zh": "教练工作坊"},
    "connections.page.assessment": {"en": "Self-assessment", "zh": "自我评估"},
    "connections.name.touchpoints": {"en": "Touchpoints", "zh": "通触点"},
    "connections.name.performance": {"en": "Performance", "zh": "通绩效"},
    "connections.name.data": {"en": "Data", "zh": "通数据"},
    "connections.stage.not_started": {"en": "Not started", "zh": "未起步"},
    "connections.stage.building": {"en": "Building", "zh": "建设中"},
    "connections.stage.running": {"en": "Running", "zh": "已运转"},
    "connections.stage.leading": {"en": "Leading", "zh": "领先"},
    "connections.stage.no_data": {"en": "No data", "zh": "无数据"},
    "connections.ind.cloud_users_per_store": {"en": "Cloud users per store", "zh": "每店云用户"},
    "connections.act.cloud_users_per_store": {
        "en": "Turn store visitors into cloud users: follow, "
        "add a guide, join a group at the till.",
        "zh": "在收银台引导到店顾客关注小程序、添加导购、入群，沉淀云用户。",
    },
    "connections.ind.mp_fans_per_store": {
        "en": "Mini-program fans per store",
        "zh": "每店小程序粉丝",
    },
    "connections.act.mp_fans_per_store": {
        "en": "Give fans a reason to visit the flagship store "
        "weekly (new arrivals, member prices).",
        "zh": "用上新和会员价让粉丝每周回访小程序旗舰店。",
    },
    "connections.ind.guides_connected_share": {"en": "Guides connected", "zh": "已连接导购占比"},
    "connections.act.guides_connected_share": {
        "en": "Get every shopping guide onto WeCom with customers of their own.",
        "zh": "让每位导购都在企业微信上连接自己的顾客。",
    },
    "connections.ind.contacts_per_guide": {"en": "Contacts per guide", "zh": "人均导购联系人"},
    "connections.act.contacts_per_guide": {
        "en": "Set a contacts target per guide and track it weekly.",
        "zh": "为每位导购设定联系人目标并每周跟踪。",
    },
    "connections.ind.contacts_reachable_share": {
        "en": "Contacts reached in 4 weeks",
        "zh": "四周内触达联系人占比",
    },
    "connections.act.contacts_reachable_share": {
        "en": "Plan regular one-to-one messages so light contacts become medium and heavy.",
        "zh": "规划定期一对一沟通，让轻度联系人变成中度、重度。",
    },
    "connections.ind.community_active_share": {
        "en": "Active community members",
        "zh": "社群活跃成员占比",
    },
    "connections.act.community_active_share": {
        "en": "Layer the groups (official, guide, hot fans) and give each a content rhythm.",
        "zh": "按官方、导购、热粉分层运营社群，并为每层设定内容节奏。",
    },
    "connections.ind.digitised_share": {
        "en": "Digitised store visitors",
        "zh": "到店客流数字化占比",
    },
    "connections.act.digitised_share": {
        "en": "Digitise more than half of store visitors (scan-to-buy, member sign-up).",
        "zh": "通过扫码购、会员注册让一半以上到店客流数字化。",
    },
    "connections.ind.format_mix_fit": {"en": "Format mix fit", "zh": "触点结构匹配度"},
    "connections.act.format_mix_fit": {
        "en": "Rebalance mini-program, guides and communities towards your industry's mix.",
        "zh": "按所在行业的合适比例调整小程序、导购和社群的结构。",
    },
    "connections.ind.roles_staffed": {"en": "3+1 roles staffed", "zh": "3+1 角色到位"},
    "connections.act.roles_staffed": {
        "en": "Name owners for acquisition, content, coaching and overall management.",
        "zh": "明确拉新、内容、辅导和统筹管理的负责人。",
    },
    "connections.ind.active_guide_share": {"en": "Guides selling", "zh": "有成交的导购占比"},
    "connections.act.active_guide_share": {
        "en": "Give every guide a weekly sales KPI and an incentive tied to it.",
        "zh": "给每位导购设定周销售指标和配套激励。",
    },
    "connections.ind.guide_gmv_share": {
        "en": "Private-domain GMV via guides",
        "zh": "导购带来的私域成交占比",
    },
    "connections.act.guide_gmv_share": {
        "en": "Attribute private-domain orders to guides and make it the top-down KPI.",
        "zh": "把私域订单归属到导购，并作为一把手工程的核心指标。",
    },
    "connections.ind.guide_productivity": {
        "en": "GMV per selling guide per week",
        "zh": "导购周人效",
    },
    "connections.act.guide_productivity": {
        "en": "Raise daily sales step by step with quick wins the guides can repeat.",
        "zh": "用导购可复制的快速见效做法，阶梯式提高日销。",
    },
    "connections.ind.top_median_ratio": {"en": "Top vs median guide", "zh": "头部与中位导购差距"},
    "connections.act.top_median_ratio": {
        "en": "Spread the best guides' posts and scripts to every store.",
        "zh": "把优秀导购的内容和话术推广到所有门店。",
    },
    "connections.ind.identified_order_share": {
        "en": "Orders with a known customer",
        "zh": "可识别顾客的订单占比",
    },
    "connections.act.identified_order_share": {
        "en": "Ask for membership at every checkout so orders carry a customer.",
        "zh": "每次结账都引导会员识别，让订单带上顾客身份。",
    },
    "connections.ind.cross_channel_share": {
        "en": "Customers seen across channels",
        "zh": "跨渠道统一识别的顾客占比",
    },
    "connections.act.cross_channel_share": {
        "en": "Unify customer IDs across store and mini-program.",
        "zh": "打通门店和小程序的顾客身份。",
    },
    "connections.ind.attributable_order_share": {
        "en": "Orders attributed to a guide or campaign",
        "zh": "可归因到导购或活动的订单占比",
    },
    "connections.act.attributable_order_share": {
        "en": "Tag every order with its guide or campaign for omni-channel attribution.",
        "zh": "为每笔订单打上导购或活动标签，实现全渠道归因。",
    },
    "connections.ind.freshness_days": {"en": "Days since the last data", "zh": "数据新鲜度（天）"},
    "connections.act.freshness_days": {
        "en": "Deliver data at least weekly, automatically.",
        "zh": "至少每周自动交付一次数据。",
    },
    "connections.ind.rejection_rate": {"en": "Rejected delivery rows", "zh": "交付数据拒收率"},
    "connections.act.rejection_rate": {
        "en": "Fix the rejected rows at the source system.",
        "zh": "在源系统修正被拒收的数据行。",
    },
    "connections.q.t1": {
        "en": "Our mini-program flagship store is live and promoted in every store.",
        "zh": "我们的小程序官方旗舰店已上线，并在每家门店推广。",
    },
    "connections.q.t2": {
        "en": "We know how many customers follow our mini-program and how many visit it each week.",
        "zh": "我们知道有多少顾客关注小程序、每周有多少人访问。",
    },
    "connections.q.t3": {
        "en": "Our shopping guides connect with customers on WeCom, not personal WeChat.",
        "zh": "我们的导购用企业微信而非个人微信连接顾客。",
    },
    "connections.q.t4": {
        "en": "We split guide contacts into light, medium and heavy users and treat "
        "them differently.",
        "zh": "我们把导购联系人分为轻度、中度、重度用户并区别运营。",
    },
    "connections.q.t5": {
        "en": "Our communities are layered (official, guide, hot fans) and have active members.",
        "zh": "我们的社群按官方、导购、热粉分层，并有活跃成员。",
    },
    "connections.q.t6": {
        "en": "More than half of our store visitors become identified digital users.",
        "zh": "一半以上的到店顾客成为可识别的数字化用户。",
    },
    "connections.q.p1": {
        "en": "Someone owns recruiting fans and building groups.",
        "zh": "有专人负责拉新和建群。",
    },
    "connections.q.p2": {
        "en": "Someone creates the content that guides and groups post.",
        "zh": "有专人为导购和社群生产内容。",
    },
    "connections.q.p3": {
        "en": "Someone teaches guides what to post and how.",
        "zh": "有专人辅导导购发什么、怎么发。",
    },
    "connections.q.p4": {
        "en": "Management sees which guide's posts produced sales.",
        "zh": "管理层能看到哪位导购的内容带来了成交。",
    },
    "connections.q.p5": {
        "en": "Every guide has KPIs and incentives for private-domain sales.",
        "zh": "每位导购都有私域销售的指标和激励。",
    },
    "connections.q.p6": {
        "en": "The best guides' practice is spread to every store.",
        "zh": "优秀导购的做法会推广到所有门店。",
    },
    "connections.q.d1": {
        "en": "Most orders carry an identified customer.",
        "zh": "大部分订单都带有可识别的顾客。",
    },
    "connections.q.d2": {
        "en": "A customer is one identity across store, mini-program and guides.",
        "zh": "同一顾客在门店、小程序和导购渠道是同一身份。",
    },
    "connections.q.d3": {
        "en": "We can attribute orders to a channel, a guide or a campaign.",
        "zh": "我们能把订单归因到渠道、导购或活动。",
    },
    "connections.q.d4": {
        "en": "We track each campaign's return on investment, with a holdout group.",
        "zh": "我们用对照组跟踪每个活动的投资回报。",
    },
    "connections.q.d5": {
        "en": "Our data arrives at least weekly and is checked on arrival.",
        "zh": "我们的数据至少每周到达一次，并在到达时检查。",
    },
    "connections.q.d6": {
        "en": "Customer data is protected: access is controlled and leaks are prevented.",
        "zh": "顾客数据受到保护：访问受控，防止泄露。",
    },
    "connections.assessment.level.0": {"en": "Not at all", "zh": "完全没有"},
    "connections.assessment.level.1": {"en": "Planned", "zh": "已计划"},
    "connections.assessment.level.2": {"en": "Partly", "zh": "部分做到"},
    "connections.assessment.level.3": {"en": "Mostly", "zh": "大部分做到"},
    "connections.assessment.level.4": {"en": "Fully, and measured", "zh": "全面做到并衡量"},
    "connections.session.class": {"en": "Class", "zh": "课程"},
    "connections.session.one_on_one": {"en": "One-to-one", "zh": "一对一"},
    "connections.session.workshop": {"en": "Workshop", "zh": "工作坊"},
    "connections.chart.gap": {"en": "Self-assessed vs measured", "zh": "自评与实测"},
    "connections.chart.history": {"en": "Scores over the programme", "zh": "计划期间的得分变化"},
    "connections.chart.score": {"en": "Score", "zh": "得分"},
    "connections.chart.week": {"en": "Week", "zh": "周"},
    "connections.col.attended": {"en": "Attended", "zh": "出席"},
    "connections.col.author": {"en": "By", "zh": "记录人"},
    "connections.col.connection": {"en": "Connection", "zh": "连接"},
    "connections.col.date": {"en": "Date", "zh": "日期"},
    "connections.col.indicator": {"en": "Indicator", "zh": "指标"},
    "connections.col.note": {"en": "Note", "zh": "笔记"},
    "connections.col.score": {"en": "Score", "zh": "得分"},
    "connections.col.topic": {"en": "Topic", "zh": "主题"},
    "connections.col.type": {"en": "Type", "zh": "类型"},
    "connections.col.value": {"en": "Value", "zh": "数值"},
    "connections.col.when": {"en": "When", "zh": "时间"},
    "connections.measured": {"en": "Measured", "zh": "实测"},
    "connections.self": {"en": "Self-assessed", "zh": "自评"},
    "connections.no": {"en": "No", "zh": "否"},
    "connections.yes": {"en": "Yes", "zh": "是"},
    "connections.none": {
        "en": "No connection scores yet: they are built from orders, touchpoint "
        "events, store traffic and guides when a delivery is loaded.",
        "zh": "暂无三通得分：加载包含订单、触点事件、客流和导购的数据后生成。",
    },
    "connections.order_rule": {
        "en": "{merchant}: {later} scores ahead of {earlier}, which is not "
        "running yet — the method goes touchpoints, then performance, "
        "then data.",
        "zh": "{merchant}：{later}得分领先于尚未运转的{earlier}——"
        "方法的顺序是先通触点，再通绩效，最后通数据。",
    },
    "connections.presentation": {"en": "Presentation mode", "zh": "投屏模式"},
    "connections.presentation.help": {
        "en": "The whole cohort on one projected screen, in large type; the sidebar is "
        "hidden (switch off to get it back).",
        "zh": "整期商家在一屏投影上显示，大字号；隐藏侧边栏（关闭即可恢复）。",
    },
    "connections.report.title": {
        "en": "Cohort workshop {cohort}, week of {week}",
        "zh": "{cohort} 工作坊，{week} 当周",
    },
    "connections.action": {
        "en": "**{n}. {action}** ({connection}) — class: {topic}, {status}",
        "zh": "**{n}. {action}**（{connection}）——课程：{topic}，{status}",
    },
    "connections.topic.attended": {"en": "attended", "zh": "已参加"},
    "connections.topic.missed": {"en": "not attended yet", "zh": "尚未参加"},
    "connections.workshop.title": {"en": "Coach workshop", "zh": "教练工作坊"},
    "connections.act_short.cloud_users_per_store": {
        "en": "Grow cloud users in every store",
        "zh": "每店扩大云用户",
    },
    "connections.act_short.mp_fans_per_store": {
        "en": "Promote the mini-program in store",
        "zh": "在店内推广小程序",
    },
    "connections.act_short.guides_connected_share": {
        "en": "Put every guide on WeCom",
        "zh": "让每位导购用上企业微信",
    },
    "connections.act_short.contacts_per_guide": {
        "en": "Set guides a weekly contact target",
        "zh": "给导购定每周加粉目标",
    },
    "connections.act_short.contacts_reachable_share": {
        "en": "Message light contacts regularly",
        "zh": "定期触达轻度联系人",
    },
    "connections.act_short.community_active_share": {
        "en": "Layer the groups, set a rhythm",
        "zh": "社群分层并定节奏",
    },
    "connections.act_short.digitised_share": {
        "en": "Digitise half of store visitors",
        "zh": "让一半到店客流数字化",
    },
    "connections.act_short.format_mix_fit": {
        "en": "Rebalance the format mix",
        "zh": "调整触点结构",
    },
    "connections.act_short.roles_staffed": {"en": "Staff the 3+1 roles", "zh": "配齐 3+1 角色"},
    "connections.act_short.active_guide_share": {
        "en": "Weekly sales KPI for every guide",
        "zh": "每位导购设周销售指标",
    },
    "connections.act_short.guide_gmv_share": {
        "en": "Make guide GMV the top KPI",
        "zh": "把导购业绩设为一把手指标",
    },
    "connections.act_short.guide_productivity": {
        "en": "Step up daily sales with quick wins",
        "zh": "用快速见效提升日销",
    },
    "connections.act_short.top_median_ratio": {
        "en": "Spread the best guides' scripts",
        "zh": "推广优秀导购话术",
    },
    "connections.act_short.identified_order_share": {
        "en": "Identify the member at checkout",
        "zh": "结账时识别会员",
    },
    "connections.act_short.cross_channel_share": {
        "en": "Unify IDs across channels",
        "zh": "打通各渠道顾客身份",
    },
    "connections.act_short.attributable_order_share": {
        "en": "Tag orders with guide or campaign",
        "zh": "订单标注导购或活动",
    },
    "connections.act_short.freshness_days": {
        "en": "Deliver data weekly, automatically",
        "zh": "每周自动交付数据",
    },
    "connections.act_short.rejection_rate": {
        "en": "Fix rejected rows at the source",
        "zh": "在源头修正拒收数据",
    },
    "connections.board.header": {"en": "Cohort board", "zh": "期次看板"},
    "connections.board.sort": {"en": "Sort by", "zh": "排序"},
    "connections.board.sort.blocker": {"en": "Blocker", "zh": "卡点"},
    "connections.board.sort.score": {"en": "Score", "zh": "得分"},
    "connections.board.sort.name": {"en": "Name", "zh": "名称"},
    "connections.board.filter": {"en": "Blocked on", "zh": "卡在"},
    "connections.board.filtered": {
        "en": "{shown} of {n} merchants shown",
        "zh": "显示 {n} 家中的 {shown} 家",
    },
    "connections.board.none": {
        "en": "No merchant is blocked on the picked connections.",
        "zh": "没有商家卡在所选的环节。",
    },
    "connections.board.col.merchant": {"en": "Merchant", "zh": "商家"},
    "connections.board.col.stage": {"en": "Stage", "zh": "阶段"},
    "connections.board.col.blocker": {"en": "Blocked on", "zh": "卡在"},
    "connections.board.col.behind": {"en": "Most behind target", "zh": "离目标最远的指标"},
    "connections.board.col.action": {"en": "Next action", "zh": "下一步行动"},
    "connections.board.col.topic": {"en": "Class", "zh": "课程"},
    "connections.board.col.target": {"en": "Target", "zh": "目标"},
    "connections.board.unblocked": {"en": "All running", "zh": "三通均已运转"},
    "connections.board.behind": {
        "en": "{indicator}: {value} / {target}",
        "zh": "{indicator}：{value} / {target}",
    },
    "connections.step.start": {"en": "Step through merchants", "zh": "逐个讲解商家"},
    "connections.step.start.help": {
        "en": "One merchant a screen, in the board's order. Keys: → next, ← previous, B board.",
        "zh": "按看板顺序，一屏一个商家。按键：→ 下一个，← 上一个，B 返回看板。",
    },
    "connections.step.previous": {"en": "Previous", "zh": "上一个"},
    "connections.step.next": {"en": "Next", "zh": "下一个"},
    "connections.step.back": {"en": "Back to the board", "zh": "返回看板"},
    "connections.step.position": {
        "en": "{n} of {total} · {name}",
        "zh": "第 {n} / {total} 家 · {name}",
    },
    "connections.step.action": {
        "en": "**{n}. {action}** — class: {topic}",
        "zh": "**{n}. {action}**——课程：{topic}",
    },
    "connections.drill.back": {"en": "[↑ Back to the board](#board)", "zh": "[↑ 返回看板](#board)"},
    "connections.indicators.header": {"en": "Every indicator", "zh": "全部指标"},
    "connections.indicators.caption": {
        "en": "Each indicator's score (0–100 against its target) per merchant, grouped by "
        "connection, in the board's order.",
        "zh": "各商家每个指标的得分（按目标计 0–100），按三通分组，顺序同看板。",
    },
    "connections.report.board": {"en": "Cohort board", "zh": "期次看板"},
    "connections.report.merchants": {"en": "Merchant by merchant", "zh": "逐个商家"},
    "connections.report.holding_back": {"en": "What holds it back", "zh": "拖后腿的指标"},
    "connections.report.project": {
        "en": "One-to-one projects: {projects}",
        "zh": "一对一项目：{projects}",
    },
    "connections.report.action": {
        "en": "{action} ({connection}) — class: {topic}, {status}",
        "zh": "{action}（{connection}）——课程：{topic}，{status}",
    },
    "connections.report.footer": {
        "en": "Scores 0–100 against each indicator's target. Printable: A4 landscape.",
        "zh": "得分按各指标目标计 0–100 分。可打印：A4 横向。",
    },
    "connections.workshop.caption": {
        "en": "Week of {week} · {n} merchants · scores 0–100 against each indicator's target",
        "zh": "{week} 当周 · {n} 家商家 · 按各指标目标计 0–100 分",
    },
    "connections.workshop.stages": {"en": "Merchants per stage", "zh": "各阶段商家数"},
    "connections.workshop.export": {
        "en": "Download the workshop report (HTML)",
        "zh": "下载工作坊报告（HTML）",
    },
    "connections.workshop.drill.header": {"en": "One merchant", "zh": "单个商家"},
    "connections.workshop.holding_back": {"en": "Indicators holding it back", "zh": "拖后腿的指标"},
    "connections.workshop.holding_back.none": {
        "en": "No indicator is below the running threshold.",
        "zh": "没有低于运转线的指标。",
    },
    "connections.workshop.attendance": {"en": "Attendance", "zh": "出勤"},
    "connections.workshop.classes": {"en": "Classes attended", "zh": "参加课程"},
    "connections.workshop.one_on_one": {
        "en": "One-to-one sessions attended",
        "zh": "参加一对一辅导",
    },
    "connections.workshop.next_actions": {"en": "Next actions", "zh": "下一步行动"},
    "connections.workshop.notes": {"en": "Coach notes", "zh": "教练笔记"},
    "connections.workshop.note": {"en": "New note", "zh": "新笔记"},
    "connections.workshop.note.save": {"en": "Save note", "zh": "保存笔记"},
    "connections.workshop.note.saved": {"en": "Note saved.", "zh": "笔记已保存。"},
    "connections.workshop.note.empty": {
        "en": "Nothing saved: the note is empty.",
        "zh": "未保存：笔记为空。",
    },
    "connections.workshop.notes.none": {
        "en": "No notes on this merchant yet.",
        "zh": "暂无该商家的笔记。",
    },
    "connections.assessment.title": {
        "en": "Three-connection self-assessment",
        "zh": "三通自我评估",
    },
    "connections.assessment.caption": {
        "en": "{n} assessments taken. Answer all 18 questions; you can retake it any time.",
        "zh": "已完成 {n} 次评估。请回答全部 18 题；可随时重新评估。",
    },
    "connections.assessment.form": {"en": "Take the assessment", "zh": "开始评估"},
    "connections.assessment.submit": {"en": "Submit", "zh": "提交"},
    "connections.assessment.incomplete": {
        "en": "Please answer every question.",
        "zh": "请回答所有问题。",
    },
    "connections.assessment.saved": {"en": "Assessment saved.", "zh": "评估已保存。"},
    "connections.assessment.none": {
        "en": "No assessment yet: take it above to see your gap and next actions.",
        "zh": "暂无评估：完成上方问卷后即可看到差距和下一步行动。",
    },
    "connections.assessment.gap.header": {"en": "Self-assessed vs measured", "zh": "自评与实测"},
    "connections.assessment.gap.line": {
        "en": "**{connection}**: self-assessed {self}, measured {measured} (gap {gap}).",
        "zh": "**{connection}**：自评 {self}，实测 {measured}（差距 {gap}）。",
    },
    "connections.assessment.gap.unmeasured": {
        "en": "{connection}: not measured yet.",
        "zh": "{connection}：暂无实测。",
    },
    "connections.assessment.history.header": {"en": "Your assessments over time", "zh": "历次评估"},
    "connections.assessment.change": {
        "en": "Since the previous assessment: touchpoints "
        "{touchpoints}, performance {performance}, data {data}.",
        "zh": "与上次相比：通触点 {touchpoints}，通绩效 {performance}，通数据 {data}。",
    },
    "connections.assessment.peers.header": {
        "en": "Where you stand in your cohort",
        "zh": "在本期中的位置",
    },
    "connections.assessment.peers.caption": {
        "en": "How many of the other merchants of your cohort you score higher than "
        "(anonymous; shown only with at least {min_peers} peers).",
        "zh": "您的得分高于本期多少家其他商家（匿名；至少 {min_peers} 家同期商家时才显示）。",
    },
    "connections.assessment.peers.too_few": {
        "en": "Not shown: {n} peers (fewer than {min_peers})",
        "zh": "不显示：同期商家 {n} 家（少于 {min_peers} 家）",
    },
    "connections.assessment.actions.header": {
        "en": "Your three next actions",
        "zh": "你的三项下一步行动",
    },
    "connections.assessment.action": {
        "en": "**{n}. {action}** ({connection}) — class: {topic}",
        "zh": "**{n}. {action}**（{connection}）——课程：{topic}",
    },
    "connections.overview.header": {"en": "Three connections per cohort", "zh": "各期三通得分"},
    "connections.overview.caption": {
        "en": "Mean score (0–100) of each cohort's merchants in the last "
        "week of its programme, and how many are running or "
        "leading.",
        "zh": "各期商家在计划最后一周的平均得分（0–100），以及已运转或领先的商家数。",
    },
    "connections.overview.cell": {
        "en": "{score} · {running}/{n} running",
        "zh": "{score} · {running}/{n} 已运转",
    },
}
