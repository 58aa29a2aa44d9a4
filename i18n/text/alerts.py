"""Text of operations: the alerts page, the watcher section of the Data page, and the
messages sent by email and webhook (`alerts.msg.*`, filled in by pipelines/notify.py in
the recipient's language)."""

from __future__ import annotations

from i18n.format import Lang

TEXT: dict[str, dict[Lang, str]] = {
    # --- page --------------------------------------------------------------------------
    "alerts.page": {"en": "Alerts", "zh": "预警"},
    "alerts.title": {"en": "Alerts", "zh": "预警"},
    "alerts.intro": {
        "en": "Rules are checked after every delivery and on the watcher's schedule. An alert "
        "is shown once, and again only after it has cleared.",
        "zh": "每次数据导入后以及按计划定时检查规则。每条预警只提醒一次，恢复正常后才会再次提醒。",
    },
    "alerts.inbox.header": {"en": "Inbox", "zh": "收件箱"},
    "alerts.inbox.none": {"en": "No alerts for you.", "zh": "暂无您的预警。"},
    "alerts.inbox.unread": {"en": "{n} unread", "zh": "{n} 条未读"},
    "alerts.inbox.open_only": {"en": "Open alerts only", "zh": "仅显示未恢复的预警"},
    "alerts.inbox.mark_read": {"en": "Mark all as read", "zh": "全部标为已读"},
    "alerts.prefs.header": {"en": "How you are told", "zh": "通知方式"},
    "alerts.prefs.lang": {"en": "Language of emails", "zh": "邮件语言"},
    "alerts.prefs.email": {"en": "Also send me emails", "zh": "同时发送邮件给我"},
    "alerts.prefs.save": {"en": "Save", "zh": "保存"},
    "alerts.prefs.saved": {"en": "Saved.", "zh": "已保存。"},
    "alerts.rules.header": {"en": "Rules", "zh": "规则"},
    "alerts.rules.none": {"en": "No rules yet.", "zh": "尚无规则。"},
    "alerts.rules.pick": {"en": "Rule", "zh": "规则"},
    "alerts.rules.pause": {"en": "Pause", "zh": "暂停"},
    "alerts.rules.resume": {"en": "Resume", "zh": "恢复"},
    "alerts.rules.delete": {"en": "Delete", "zh": "删除"},
    "alerts.rules.deleted": {"en": "Rule deleted.", "zh": "规则已删除。"},
    "alerts.new.header": {"en": "New rule", "zh": "新建规则"},
    "alerts.new.name": {"en": "Name", "zh": "名称"},
    "alerts.new.kind": {"en": "Kind", "zh": "类型"},
    "alerts.new.metric": {"en": "Figure", "zh": "指标"},
    "alerts.new.connection": {"en": "Connection", "zh": "连接"},
    "alerts.new.direction": {"en": "Fires when the figure is", "zh": "触发条件：指标"},
    "alerts.new.threshold": {"en": "Threshold", "zh": "阈值"},
    "alerts.new.threshold.help": {
        "en": "GMV in CNY per day; shares and rejection rates from 0 to 1; scores 0-100.",
        "zh": "成交额为每日元；占比与拒收率为 0 到 1；得分为 0-100。",
    },
    "alerts.new.weeks": {"en": "Weeks", "zh": "周数"},
    "alerts.new.days": {"en": "Days", "zh": "天数"},
    "alerts.new.cohort": {"en": "Cohort", "zh": "期次"},
    "alerts.new.all_cohorts": {"en": "All merchants", "zh": "全部商家"},
    "alerts.new.share": {
        "en": "Show to the merchant concerned",
        "zh": "同时告知相关商家",
    },
    "alerts.new.email": {"en": "Send email", "zh": "发送邮件"},
    "alerts.new.webhooks": {"en": "Webhooks", "zh": "Webhook"},
    "alerts.new.webhooks.none": {
        "en": "No webhooks configured",
        "zh": "尚未配置 Webhook",
    },
    "alerts.new.webhooks.help": {
        "en": "Webhooks are configured by the operator in the settings (their addresses are "
        "secrets and never shown here).",
        "zh": "Webhook 由运维在配置中设置（地址属于机密，不在此显示）。",
    },
    "alerts.new.add": {"en": "Add rule", "zh": "添加规则"},
    "alerts.new.added": {"en": "Rule added.", "zh": "规则已添加。"},
    "alerts.merchant_only": {
        "en": "Rules are kept by coaches and executives.",
        "zh": "规则由教练和管理层设置。",
    },
    # --- vocabulary ---------------------------------------------------------------------
    "alerts.kind.kpi": {"en": "KPI crosses a threshold", "zh": "指标越过阈值"},
    "alerts.kind.stall": {"en": "Merchant stalls", "zh": "商家停滞"},
    "alerts.kind.stage": {"en": "Connection stuck at a stage", "zh": "连接停留在某阶段"},
    "alerts.kind.late": {"en": "Delivery late", "zh": "数据逾期未交付"},
    "alerts.kind.rejections": {"en": "Rejection rate too high", "zh": "拒收率过高"},
    "alerts.metric.gmv": {"en": "Daily average GMV ({days} days)", "zh": "日均成交额（{days} 天）"},
    "alerts.metric.private_share": {
        "en": "Private-domain share ({days} days)",
        "zh": "私域占比（{days} 天）",
    },
    "alerts.metric.digitised_share": {
        "en": "Digitised share of visitors ({days} days)",
        "zh": "客流数字化占比（{days} 天）",
    },
    "alerts.metric.score_touchpoints": {"en": "Touchpoints score", "zh": "通触点得分"},
    "alerts.metric.score_performance": {"en": "Performance score", "zh": "通绩效得分"},
    "alerts.metric.score_data": {"en": "Data score", "zh": "通数据得分"},
    "alerts.connection.any": {"en": "Any of the three connections", "zh": "三通中任一"},
    "alerts.connection.touchpoints": {"en": "Touchpoints", "zh": "通触点"},
    "alerts.connection.performance": {"en": "Performance", "zh": "通绩效"},
    "alerts.connection.data": {"en": "Data", "zh": "通数据"},
    "alerts.stage.not_started": {"en": "not started", "zh": "未开始"},
    "alerts.stage.building": {"en": "building", "zh": "建设中"},
    "alerts.stage.running": {"en": "running", "zh": "运转中"},
    "alerts.stage.leading": {"en": "leading", "zh": "领先"},
    "alerts.stage.no_data": {"en": "no data", "zh": "无数据"},
    "alerts.direction.above": {"en": "above", "zh": "高于"},
    "alerts.direction.below": {"en": "below", "zh": "低于"},
    "alerts.programme": {"en": "Programme", "zh": "全项目"},
    "alerts.state.open": {"en": "open", "zh": "未恢复"},
    "alerts.state.cleared": {"en": "cleared", "zh": "已恢复"},
    "alerts.state.paused": {"en": "paused", "zh": "已暂停"},
    "alerts.state.active": {"en": "active", "zh": "生效中"},
    "alerts.col.fired": {"en": "Fired", "zh": "触发时间"},
    "alerts.col.rule": {"en": "Rule", "zh": "规则"},
    "alerts.col.merchant": {"en": "Merchant", "zh": "商家"},
    "alerts.col.what": {"en": "What happened", "zh": "情况"},
    "alerts.col.state": {"en": "State", "zh": "状态"},
    "alerts.col.read": {"en": "Read", "zh": "已读"},
    "alerts.col.kind": {"en": "Kind", "zh": "类型"},
    "alerts.col.cohort": {"en": "Cohort", "zh": "期次"},
    "alerts.col.condition": {"en": "Condition", "zh": "条件"},
    "alerts.col.open": {"en": "Open alerts", "zh": "未恢复预警"},
    "alerts.col.created_by": {"en": "Created by", "zh": "创建人"},
    # --- errors (models.alerts.RuleError keys) -------------------------------------------
    "alerts.error.not_allowed": {
        "en": "Only coaches and executives keep alert rules.",
        "zh": "只有教练和管理层可以设置预警规则。",
    },
    "alerts.error.name": {"en": "Give the rule a name.", "zh": "请填写规则名称。"},
    "alerts.error.kind": {"en": "Unknown kind {kind}.", "zh": "未知类型 {kind}。"},
    "alerts.error.metric": {"en": "Unknown figure {metric}.", "zh": "未知指标 {metric}。"},
    "alerts.error.period": {
        "en": "The number of weeks or days must be at least 1.",
        "zh": "周数或天数至少为 1。",
    },
    "alerts.error.share": {
        "en": "A rejection rate is a share from 0 to 1.",
        "zh": "拒收率是 0 到 1 之间的比例。",
    },
    "alerts.error.programme_only": {
        "en": "A rejection-rate rule watches whole deliveries: it cannot name a cohort.",
        "zh": "拒收率规则针对整批数据交付，不能指定期次。",
    },
    "alerts.error.cohort": {
        "en": "Cohort {cohort} is not one of yours.",
        "zh": "期次 {cohort} 不在您的负责范围内。",
    },
    # --- messages (email and webhooks) ---------------------------------------------------
    "alerts.msg.subject": {"en": "Alert: {rule}", "zh": "预警：{rule}"},
    "alerts.msg.kpi": {
        "en": "{merchant}: {metric} is {value}, {direction} {threshold}.",
        "zh": "{merchant}：{metric}为 {value}，{direction} {threshold}。",
    },
    "alerts.msg.stall": {
        "en": "{merchant}: daily average GMV has not grown over the last {period} weeks "
        "({value} against the {period} weeks before).",
        "zh": "{merchant}：近 {period} 周日均成交额没有增长（较前 {period} 周 {value}）。",
    },
    "alerts.msg.stage": {
        "en": "{merchant}: {connection} has been {stage} for {period} weeks.",
        "zh": "{merchant}：{connection}已连续 {period} 周处于{stage}阶段。",
    },
    "alerts.msg.late": {
        "en": "{merchant}: no delivery in the last {period} days.",
        "zh": "{merchant}：近 {period} 天没有交付数据。",
    },
    "alerts.msg.rejections": {
        "en": "Delivery #{batch} rejected {value} of its rows (limit {threshold}).",
        "zh": "第 {batch} 批数据拒收了 {value} 的行（上限 {threshold}）。",
    },
    "alerts.msg.footer": {
        "en": "Rule “{rule}”, fired {at}. Open the dashboard's Alerts page for details.",
        "zh": "规则“{rule}”，触发于 {at}。详情请打开看板的预警页面。",
    },
    # --- watcher (Data page section) -----------------------------------------------------
    "watch.header": {"en": "Automatic loads", "zh": "自动导入"},
    "watch.none": {
        "en": "No watcher has run on this database. Start one with "
        "`python -m pipelines watch FOLDER` (see docs/operations.md).",
        "zh": "此数据库尚未运行过自动导入服务。可用 `python -m pipelines watch 文件夹` 启动"
        "（见 docs/operations.md）。",
    },
    "watch.running": {
        "en": "Watching {folder} since {since} (last sign of life {beat}).",
        "zh": "自 {since} 起监视 {folder}（最近心跳 {beat}）。",
    },
    "watch.stale": {
        "en": "The watcher of {folder} has not been heard from since {beat}: it has stopped.",
        "zh": "{folder} 的自动导入服务自 {beat} 起没有心跳，已停止运行。",
    },
    "watch.source": {
        "en": "Database source {source}, pulled on schedule `{schedule}`.",
        "zh": "数据库来源 {source}，按计划 `{schedule}` 拉取。",
    },
    "watch.queue": {"en": "Queue", "zh": "队列"},
    "watch.queue.none": {"en": "Nothing waiting.", "zh": "没有等待中的交付。"},
    "watch.history": {"en": "Recent automatic loads", "zh": "最近的自动导入"},
    "watch.history.none": {"en": "None yet.", "zh": "暂无。"},
    "watch.state.waiting": {"en": "waiting to be complete", "zh": "等待传输完成"},
    "watch.state.loading": {"en": "loading", "zh": "导入中"},
    "watch.state.done": {"en": "done", "zh": "完成"},
    "watch.state.failed": {"en": "failed", "zh": "失败"},
    "watch.kind.folder": {"en": "folder", "zh": "文件夹"},
    "watch.kind.zip": {"en": "zip", "zh": "压缩包"},
    "watch.kind.database": {"en": "database", "zh": "数据库"},
    "watch.col.name": {"en": "Delivery", "zh": "交付"},
    "watch.col.kind": {"en": "Kind", "zh": "类型"},
    "watch.col.state": {"en": "State", "zh": "状态"},
    "watch.col.seen": {"en": "Seen", "zh": "发现时间"},
    "watch.col.finished": {"en": "Finished", "zh": "完成时间"},
    "watch.col.attempts": {"en": "Attempts", "zh": "尝试次数"},
    "watch.col.batch": {"en": "Batch", "zh": "批次"},
    "watch.col.message": {"en": "Message", "zh": "说明"},
}
