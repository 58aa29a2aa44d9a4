"""Text of the frame, the executive overview and the data page (en, zh)."""

from __future__ import annotations

from i18n.format import Lang

TEXT: dict[str, dict[Lang, str]] = {
    # --- frame ----------------------------------------------------------------------
    "app.title": {"en": "Doubling plan dashboard", "zh": "倍增计划看板"},
    "nav.programme": {"en": "Programme", "zh": "计划"},
    "nav.data": {"en": "Data", "zh": "数据"},
    "page.overview": {"en": "Overview", "zh": "总览"},
    "page.data": {"en": "Data deliveries", "zh": "数据交付"},
    "sidebar.language": {"en": "Language · 语言", "zh": "语言 · Language"},
    "lang.en": {"en": "English", "zh": "English"},
    "lang.zh": {"en": "简体中文", "zh": "简体中文"},
    "sidebar.zone": {
        "en": "All times are {zone} time (set for the deployment by GROWTH_TIMEZONE).",
        "zh": "所有时间均为 {zone} 时间（由部署设置 GROWTH_TIMEZONE 决定）。",
    },
    "sidebar.filters": {"en": "Filters", "zh": "筛选"},
    "sidebar.cohort": {"en": "Cohort", "zh": "期次"},
    "sidebar.cohort.help": {
        "en": "Limit the cards and the movers to one cohort's merchants. Picking a cohort "
        "moves the period to its programme window.",
        "zh": "只看某一期商家的指标卡和涨跌排行。选择期次后，时间段会切换到该期的计划周期。",
    },
    "sidebar.all_cohorts": {"en": "All cohorts", "zh": "全部期次"},
    "sidebar.cohort_option": {"en": "{cohort_id} · {name}", "zh": "{cohort_id} · {name}"},
    "sidebar.period": {"en": "Period", "zh": "时间段"},
    "sidebar.period.help": {
        "en": "Figures cover these days and are compared with the same number of days "
        "just before. It starts on the latest programme window. Data runs from {first} "
        "to {last}.",
        "zh": "指标覆盖所选日期，并与紧邻之前相同天数的时段比较。默认为最近一期的计划周期。"
        "数据范围：{first}至{last}。",
    },
    "sidebar.no_data": {"en": "No data loaded yet.", "zh": "尚未加载数据。"},
    "widget.merchant": {"en": "Merchant", "zh": "商家"},
    "widget.merchant.option": {"en": "{name} ({merchant_id})", "zh": "{name}（{merchant_id}）"},
    "widget.merchant.none": {
        "en": "No merchant to show here: none is in your scope (or in the chosen cohort).",
        "zh": "此处没有可显示的商家：您的权限范围（或所选期次）内没有商家。",
    },
    "demo.building": {
        "en": "First start: building the demo database — {step}",
        "zh": "首次启动：正在生成演示数据库 — {step}",
    },
    "demo.failed": {
        "en": "The demo database could not be built. Load a delivery on the Data "
        "deliveries page instead.",
        "zh": "演示数据库生成失败。请改在“数据交付”页面加载数据。",
    },
    # --- missing inputs -------------------------------------------------------------
    "missing.no_data": {
        "en": "Nothing is loaded yet. Deliver the two required files, merchants.csv and "
        "orders.csv, on the Data deliveries page (templates are there); every other file "
        "is optional and adds figures.",
        "zh": "尚未加载任何数据。请在“数据交付”页面上传两个必需文件 merchants.csv 和 "
        "orders.csv（页面上有模板）；其余文件均为可选，可补充更多指标。",
    },
    "missing.file": {
        "en": "{what} needs {file}. Deliver it on the Data deliveries page with at least "
        "the columns {columns}; a template is there.",
        "zh": "“{what}”需要 {file}。请在“数据交付”页面上传，至少包含以下列：{columns}；"
        "页面上有模板。",
    },
    "missing.go_to_data": {"en": "Open Data deliveries", "zh": "前往数据交付"},
    # --- overview -------------------------------------------------------------------
    "overview.title": {"en": "Programme overview", "zh": "计划总览"},
    "overview.answer.more": {
        "en": "Open Cohort ROI: each cohort, its merchants and the baselines",
        "zh": "打开期次成效：各期次、其商家和不同基期",
    },
    "overview.cards.vs_uplift": {
        "en": "The cards compare the programme window of {cohort} with the {days} days "
        "before it. The published raw uplift of {cohort} ({raw}) compares it with the "
        "{baseline_days} days before its start, so the GMV cards' change differs from it.",
        "zh": "指标卡将 {cohort} 的计划期与其之前的 {days} 天比较；{cohort} 的公布口径原始提升"
        "（{raw}）对比的是开营前 {baseline_days} 天，因此成交额指标卡的变化与之不同。",
    },
    "overview.caption": {
        "en": "{cohort} · {start} – {end}, compared with {prev_start} – {prev_end}",
        "zh": "{cohort} · {start} – {end}，对比 {prev_start} – {prev_end}",
    },
    "overview.no_period": {
        "en": "Pick a period in the sidebar.",
        "zh": "请在侧边栏选择时间段。",
    },
    "kpi.gmv": {"en": "GMV", "zh": "成交额（GMV）"},
    "kpi.gmv.help": {
        "en": "Total order value in the period, before refunds.",
        "zh": "所选时段订单金额合计（未扣退款）。",
    },
    "kpi.daily_gmv": {"en": "Daily average GMV", "zh": "日均成交额"},
    "kpi.daily_gmv.help": {
        "en": "GMV divided by the number of days in the period: the figure the doubling "
        "plan sets out to double.",
        "zh": "成交额除以时段天数：倍增计划要翻倍的指标。",
    },
    "kpi.private_share": {"en": "Private-domain share", "zh": "私域成交占比"},
    "kpi.private_share.help": {
        "en": "Share of GMV placed through the merchant's own channels: mini-program, "
        "WeCom guides, communities, scan-to-buy and livestream.",
        "zh": "通过商家自有渠道（小程序、企业微信导购、社群、扫码购、直播）成交的GMV占比。",
    },
    "kpi.cloud_users": {"en": "Cloud users", "zh": "云用户"},
    "kpi.cloud_users.help": {
        "en": "Customers reachable outside the store (mini-program fans, guide contacts, "
        "community members) on the last day of the period.",
        "zh": "时段最后一天可在店外触达的顾客数（小程序粉丝、导购企微好友、社群成员）。",
    },
    "kpi.active_merchants": {"en": "Active merchants", "zh": "活跃商家"},
    "kpi.active_merchants.help": {
        "en": "Merchants with at least one order in the period.",
        "zh": "所选时段内至少有一笔订单的商家数。",
    },
    "kpi.digitised": {"en": "Digitised share of visitors", "zh": "客流数字化率"},
    "kpi.digitised.help": {
        "en": "Identified visitors as a share of store visitors; the target is more than half.",
        "zh": "到店客流中被识别为数字化用户的比例；目标是过半。",
    },
    "kpi.vs_previous": {"en": "vs previous period", "zh": "较上一时段"},
    "kpi.spark_alt": {
        "en": "Weekly trend of {name} over the period",
        "zh": "{name}在所选时段的每周走势",
    },
    "overview.gmv.header": {"en": "Daily GMV by cohort", "zh": "各期次每日成交额"},
    "overview.gmv.caption": {
        "en": "The chart shows the period and the one before it; the dashed line marks "
        "where the period starts. Shaded bands are each cohort's programme window. "
        "Non-participants are merchants outside the programme, shown as a control.",
        "zh": "图中为所选时段及其之前的同长度时段，虚线为所选时段的开始。阴影为各期计划周期。"
        "未参与商家为不在计划内的商家，作为对照组展示。",
    },
    "chart.per_merchant": {"en": "Per-merchant average", "zh": "按商家平均"},
    "chart.per_merchant.help": {
        "en": "Divide each line by its number of merchants, so groups of different sizes "
        "can be compared.",
        "zh": "每条线除以其商家数，便于比较规模不同的组。",
    },
    "chart.rolling": {"en": "{days}-day rolling mean", "zh": "{days}日滚动平均"},
    "chart.rolling.help": {
        "en": "Smooth out the weekly pattern (mean of each day and the {before} before it).",
        "zh": "平滑周内波动（当天及之前 {before} 天的平均值）。",
    },
    "chart.cohort_gmv.title": {"en": "Daily GMV", "zh": "每日成交额"},
    "chart.cohort_gmv.title_per_merchant": {
        "en": "Daily GMV per merchant",
        "zh": "商家平均每日成交额",
    },
    "chart.period_start": {"en": "Period starts ▸", "zh": "所选时段开始 ▸"},
    "chart.axis.date": {"en": "Date", "zh": "日期"},
    "chart.axis.gmv": {"en": "GMV (¥)", "zh": "成交额（¥）"},
    "chart.axis.gmv_per_merchant": {"en": "GMV per merchant (¥)", "zh": "商家平均成交额（¥）"},
    "chart.legend.cohort": {"en": "Cohort", "zh": "期次"},
    "chart.control": {"en": "Non-participants (control)", "zh": "未参与商家（对照组）"},
    "chart.hover.merchants": {"en": "{n} merchants", "zh": "{n} 家商家"},
    "chart.empty": {"en": "No GMV in this period.", "zh": "该时段没有成交额。"},
    "overview.cohorts.header": {"en": "Cohort results", "zh": "各期次成效"},
    "overview.cohorts.caption": {
        "en": "Daily average GMV in the {days} days before each programme against the "
        "programme window. Raw uplift is the published period-over-period figure, not a "
        "causal effect.",
        "zh": "每期计划开始前{days}天与计划期间的日均成交额对比。原始提升为公开口径的"
        "环比数字，并非因果效应。",
    },
    "overview.movers.header": {"en": "Biggest movers", "zh": "变化最大的商家"},
    "overview.movers.caption": {
        "en": "Daily average GMV in the period against the previous period of the same "
        "length: the {n} largest rises and falls.",
        "zh": "所选时段与之前同样长度时段的日均成交额对比：涨幅和跌幅最大的各{n}家。",
    },
    "overview.movers.none": {
        "en": "No merchant has GMV in both periods to compare.",
        "zh": "没有商家在两个时段都有成交额，无法比较。",
    },
    "chart.movers.title": {"en": "Change in daily average GMV", "zh": "日均成交额变化"},
    "chart.axis.change": {"en": "Change vs previous period", "zh": "较上一时段变化"},
    # --- table columns --------------------------------------------------------------
    "col.cohort": {"en": "Cohort", "zh": "期次"},
    "col.name": {"en": "Name", "zh": "名称"},
    "col.merchants": {"en": "Merchants", "zh": "商家数"},
    "col.window": {"en": "Programme window", "zh": "计划周期"},
    "col.baseline_daily_gmv": {"en": "Baseline daily GMV", "zh": "基线日均成交额"},
    "col.programme_daily_gmv": {"en": "Programme daily GMV", "zh": "计划期日均成交额"},
    "col.file": {"en": "File", "zh": "文件"},
    "col.entity": {"en": "Contract file", "zh": "契约文件"},
    "col.encoding": {"en": "Encoding", "zh": "编码"},
    "col.rows_read": {"en": "Rows read", "zh": "读取行数"},
    "col.rows_new": {"en": "New", "zh": "新增"},
    "col.rows_replaced": {"en": "Replaced", "zh": "替换"},
    "col.rows_rejected": {"en": "Rejected", "zh": "拒绝"},
    "col.unknown_columns": {"en": "Unknown columns", "zh": "未知列"},
    "col.note": {"en": "Note", "zh": "备注"},
    "col.line": {"en": "Line", "zh": "行号"},
    "col.column": {"en": "Column", "zh": "列"},
    "col.value": {"en": "Value", "zh": "值"},
    "col.reason": {"en": "Reason", "zh": "原因"},
    "col.batch": {"en": "Delivery", "zh": "交付编号"},
    "col.started": {"en": "Started", "zh": "开始时间"},
    "col.finished": {"en": "Finished", "zh": "完成时间"},
    "col.status": {"en": "Status", "zh": "状态"},
    "col.loaded_by": {"en": "Loaded by", "zh": "加载人"},
    "col.all_or_nothing": {"en": "All or nothing", "zh": "全部成功才加载"},
    "col.required_file": {"en": "Required file", "zh": "必需文件"},
    "col.columns": {"en": "Columns (* required)", "zh": "列（* 为必填）"},
    "col.description": {"en": "What it holds", "zh": "内容"},
    "common.yes": {"en": "yes", "zh": "是"},
    "common.no": {"en": "no", "zh": "否"},
    "common.choose": {"en": "Choose", "zh": "请选择"},
    # --- data page ------------------------------------------------------------------
    "data.title": {"en": "Data deliveries", "zh": "数据交付"},
    "data.intro": {
        "en": "A delivery is one or more contract files, each named after its entity "
        "(for example `orders.csv`), as CSV (UTF-8 or GBK) or XLSX. `merchants.csv` and "
        "`orders.csv` are required; the others are optional. A re-delivered key replaces its "
        "row, and every "
        "rejected row is listed with its reason.",
        "zh": "一次交付包含一个或多个契约文件，文件以实体命名（例如 `orders.csv`），"
        "格式为 CSV（UTF-8 或 GBK）或 XLSX。`merchants.csv` 和 `orders.csv` 为必需文件，"
        "其余可选。"
        "重复交付的主键会替换原有行，每一条被拒绝的行都会列出原因。",
    },
    "data.upload.header": {"en": "Load a delivery", "zh": "加载交付"},
    "data.upload.label": {"en": "Contract files (CSV or XLSX)", "zh": "契约文件（CSV 或 XLSX）"},
    "data.upload.help": {
        "en": "Select several files at once; at most {mb} MB per file.",
        "zh": "可一次选择多个文件；每个文件不超过 {mb} MB。",
    },
    "data.all_or_nothing": {"en": "All or nothing", "zh": "全部成功才加载"},
    "data.all_or_nothing.help": {
        "en": "Refuse the whole delivery if any row or file is rejected. When off, good "
        "rows load and rejected rows are listed.",
        "zh": "只要有任何行或文件被拒绝，就拒绝整个交付。关闭时，合格的行会加载，"
        "被拒绝的行会列出。",
    },
    "data.load_button": {"en": "Load delivery", "zh": "加载交付"},
    "data.choose_files": {
        "en": "Choose one or more files above, then load them.",
        "zh": "请先在上方选择一个或多个文件，再加载。",
    },
    "data.loading": {"en": "Loading — {step}", "zh": "正在加载 — {step}"},
    "progress.start": {"en": "starting", "zh": "准备中"},
    "data.refused.header": {"en": "Files not loaded", "zh": "未加载的文件"},
    "data.refused.extension": {
        "en": "Only .csv and .xlsx files can be loaded.",
        "zh": "只能加载 .csv 和 .xlsx 文件。",
    },
    "data.refused.size": {
        "en": "Larger than the {mb} MB limit.",
        "zh": "超过 {mb} MB 的上限。",
    },
    "data.refused.name": {"en": "The file name cannot be used.", "zh": "文件名无法使用。"},
    "data.refused.duplicate": {
        "en": "Another file in this upload has the same name.",
        "zh": "本次上传中有同名文件。",
    },
    "data.refused.all_or_nothing": {
        "en": "Nothing was loaded: all or nothing is on and some files were refused.",
        "zh": "未加载任何数据：已开启“全部成功才加载”，且有文件被拒绝。",
    },
    "data.summary.header": {"en": "Result of delivery {batch}", "zh": "交付 {batch} 的结果"},
    "data.summary.header_unrecorded": {"en": "Result of the delivery", "zh": "交付结果"},
    "data.summary.counts": {
        "en": "{files} files · {read} rows read · {new} new · {replaced} replaced · "
        "{rejected} rows rejected",
        "zh": "{files} 个文件 · 读取 {read} 行 · 新增 {new} 行 · 替换 {replaced} 行 · "
        "拒绝 {rejected} 行",
    },
    "status.loaded": {"en": "Loaded.", "zh": "已加载。"},
    "status.partial": {
        "en": "Loaded, except the rejected rows listed below.",
        "zh": "已加载，下方列出的被拒绝行除外。",
    },
    "status.refused": {
        "en": "Refused: nothing was loaded. Fix the rows listed below and deliver again.",
        "zh": "已拒绝：未加载任何数据。请修正下方列出的行后重新交付。",
    },
    "status.failed": {
        "en": "The load failed and nothing was changed. Try again; if it fails again, "
        "send the files to the data team.",
        "zh": "加载失败，数据未做任何更改。请重试；如仍失败，请将文件发给数据团队。",
    },
    "status.empty": {
        "en": "Nothing to load: no contract file with rows was found.",
        "zh": "没有可加载的内容：未找到含数据行的契约文件。",
    },
    "status.short.loaded": {"en": "loaded", "zh": "已加载"},
    "status.short.partial": {"en": "partly loaded", "zh": "部分加载"},
    "status.short.refused": {"en": "refused", "zh": "已拒绝"},
    "status.short.failed": {"en": "failed", "zh": "失败"},
    "status.short.empty": {"en": "empty", "zh": "无内容"},
    "data.not_contract": {"en": "not a contract file", "zh": "非契约文件"},
    "data.rejections.header": {"en": "Rejected rows", "zh": "被拒绝的行"},
    "data.rejections.shown": {
        "en": "{shown} of {total} rejected rows shown.",
        "zh": "显示 {total} 条被拒绝行中的 {shown} 条。",
    },
    "data.rejections.none": {"en": "No row was rejected.", "zh": "没有被拒绝的行。"},
    "data.filter.file": {"en": "Files", "zh": "文件"},
    "data.filter.column": {"en": "Columns", "zh": "列"},
    "data.filter.placeholder": {"en": "All", "zh": "全部"},
    "data.rejections.download": {
        "en": "Download rejected rows (CSV)",
        "zh": "下载被拒绝的行（CSV）",
    },
    "data.history.header": {"en": "Delivery history", "zh": "交付记录"},
    "data.history.none": {
        "en": "No delivery has been loaded yet.",
        "zh": "还没有加载过任何交付。",
    },
    "data.history.pick": {"en": "Show the files of delivery", "zh": "查看交付的文件"},
    "data.history.files": {"en": "Files of delivery {batch}", "zh": "交付 {batch} 的文件"},
    "data.templates.header": {"en": "Templates", "zh": "模板"},
    "data.templates.caption": {
        "en": "Header-only CSV files in UTF-8 that Excel opens correctly. Columns marked * "
        "are required; `merchants.csv` and `orders.csv` are required files.",
        "zh": "仅含表头的 UTF-8 CSV 文件，Excel 可直接打开。标 * 的列为必填；"
        "`merchants.csv` 和 `orders.csv` 为必需文件。",
    },
    "data.template.download": {"en": "Download {file}", "zh": "下载 {file}"},
    # --- contract files -------------------------------------------------------------
    "contract.cohorts": {
        "en": "One programme intake: 15–20 merchants, about two months.",
        "zh": "一期计划：15–20 家商家，约两个月。",
    },
    "contract.merchants": {
        "en": "The merchants; a blank cohort_id means outside the programme (a control).",
        "zh": "商家名单；cohort_id 为空表示不在计划内（对照组）。",
    },
    "contract.stores": {"en": "Physical stores of each merchant.", "zh": "各商家的门店。"},
    "contract.guides": {
        "en": "Shopping guides and programme roles (the 3+1 roles).",
        "zh": "导购与计划角色（3+1 角色）。",
    },
    "contract.customers": {
        "en": "Customers; customer_id is unique within a merchant.",
        "zh": "顾客；customer_id 在同一商家内唯一。",
    },
    "contract.orders": {
        "en": "Orders with channel and GMV; a blank customer_id is an anonymous walk-in.",
        "zh": "订单（含渠道与金额）；customer_id 为空表示匿名到店顾客。",
    },
    "contract.touchpoint_events": {
        "en": "Follows, contacts, group joins, visits and messages on private-domain touchpoints.",
        "zh": "私域触点上的关注、加好友、入群、访问与消息。",
    },
    "contract.store_traffic": {
        "en": "Daily foot traffic, with identified (digitised) visitors.",
        "zh": "每日到店客流，含被识别（数字化）的顾客数。",
    },
    "contract.campaigns": {
        "en": "Campaigns with their cost; campaign_id is unique across merchants.",
        "zh": "营销活动及其成本；campaign_id 在所有商家中唯一。",
    },
    "contract.campaign_assignments": {
        "en": "Treatment or holdout, per campaign and customer.",
        "zh": "每个活动中每位顾客属于实验组还是对照组。",
    },
    "contract.attendance": {
        "en": "Who attended which class, workshop or one-to-one session.",
        "zh": "各商家参加课程、工作坊及一对一辅导的记录。",
    },
}
