"""Text of the ROI area: cohort uplift (roi.*) and campaign payback (campaigns.*)."""

from __future__ import annotations

from i18n.format import Lang

TEXT: dict[str, dict[Lang, str]] = {
    # --- cohort ROI ---------------------------------------------------------------------
    "roi.page": {"en": "Cohort ROI", "zh": "期次成效"},
    "campaigns.page": {"en": "Campaign payback", "zh": "活动回报"},
    "roi.title": {
        "en": "Cohort ROI: published and causal uplift",
        "zh": "期次成效：公布口径与因果口径提升",
    },
    "roi.cohort": {"en": "Cohort", "zh": "期次"},
    "roi.cohort.header": {"en": "Cohort {cohort} in detail", "zh": "期次 {cohort} 详情"},
    # --- the executive's answer (overview and Cohort ROI) -------------------------------
    "roi.answer.header": {"en": "Which cohort is ahead", "zh": "哪个期次领先"},
    "roi.answer.ahead": {
        "en": "**{leader}** is ahead: **{causal}** causal uplift (95%: {low} .. {high}), "
        "**{points} points** more than {runner}; the lead is certain (95%: {dlow} .. {dhigh} "
        "points).",
        "zh": "**{leader}** 领先：因果提升 **{causal}**（95%：{low} 至 {high}），比 {runner} 高 "
        "**{points} 个百分点**；领先已可确认（95%：{dlow} 至 {dhigh} 个百分点）。",
    },
    "roi.answer.not_certain": {
        "en": "**{leader}** is ahead: **{causal}** causal uplift (95%: {low} .. {high}), "
        "**{points} points** more than {runner}; the lead is not yet certain (95%: {dlow} .. "
        "{dhigh} points), so {runner} may be level or ahead.",
        "zh": "**{leader}** 领先：因果提升 **{causal}**（95%：{low} 至 {high}），比 {runner} 高 "
        "**{points} 个百分点**；但领先尚不确定（95%：{dlow} 至 {dhigh} 个百分点），"
        "{runner} 可能持平甚至领先。",
    },
    "roi.answer.only_one": {
        "en": "**{leader}** is the only cohort with a causal figure: **{causal}** (95%: {low} "
        ".. {high}); there is no other cohort to compare it with.",
        "zh": "只有 **{leader}** 有因果口径：**{causal}**（95%：{low} 至 {high}）；"
        "没有其他期次可以比较。",
    },
    "roi.answer.none": {
        "en": "No cohort has a causal figure yet: there are too few comparable non-participants.",
        "zh": "暂无期次可计算因果口径：可比的未参与商家太少。",
    },
    "roi.answer.basis": {
        "en": "Causal uplift: {metric} beyond what comparable non-participants did over the "
        "same dates (the season taken out), against {baseline}.",
        "zh": "因果提升：扣除可比未参与商家同期变化（剔除季节因素）之后的{metric}提升，"
        "对比{baseline}。",
    },
    "roi.answer.basis.help": {
        "en": "Difference-in-differences against matched non-participants (same industry, "
        "similar size). Intervals: merchant-level bootstrap, {reps} replicates; the lead's "
        "interval comes from the same replicates for both cohorts (paired resampling), so "
        "'certain' means the lead's 95% interval excludes zero.",
        "zh": "与匹配的未参与商家（同行业、规模相近）做双重差分。区间：按商家自助抽样 {reps} 次；"
        "领先幅度的区间用两个期次相同的抽样计算（配对重抽样），“可确认”指其 95% 区间不含零。",
    },
    "roi.answer.custom": {
        "en": "The ranking compares every cohort with its own {days} days before (a custom window "
        "belongs to one cohort).",
        "zh": "排名中各期次均对比各自开营前 {days} 天（自选时间段只适用于单个期次）。",
    },
    "roi.answer.metric.gmv": {"en": "GMV", "zh": "成交额"},
    "roi.answer.metric.private_gmv": {"en": "private-domain GMV", "zh": "私域成交额"},
    "roi.answer.baseline.pre28": {
        "en": "each cohort's {days} days before its start",
        "zh": "各期次开营前 {days} 天",
    },
    "roi.answer.baseline.last_year": {
        "en": "the same dates a year earlier",
        "zh": "去年同期",
    },
    "roi.answer.no_figure": {
        "en": "no figure: too few comparable non-participants",
        "zh": "无：可比的未参与商家太少",
    },
    "roi.answer.chart.title": {
        "en": "Causal uplift by cohort (95% interval)",
        "zh": "各期次因果提升（95% 区间）",
    },
    "roi.answer.summary": {"en": "Executive summary (HTML)", "zh": "高管摘要（HTML）"},
    "roi.answer.csv": {"en": "Ranking (CSV)", "zh": "排名（CSV）"},
    "roi.answer.summary.title": {
        "en": "Which cohort is ahead: executive summary",
        "zh": "哪个期次领先：高管摘要",
    },
    "roi.answer.summary.made": {
        "en": "Made {when} from the programme database; figures as on the dashboard.",
        "zh": "{when} 根据计划数据库生成；数字与看板一致。",
    },
    "roi.col.rank": {"en": "Rank", "zh": "排名"},
    "roi.col.cohort_name": {"en": "Name", "zh": "名称"},
    "roi.col.published_raw": {"en": "Published raw uplift", "zh": "公布口径原始提升"},
    "roi.col.raw_last_year": {"en": "Raw uplift vs last year", "zh": "原始提升（对比去年同期）"},
    "roi.col.raw_custom": {"en": "Raw uplift vs your window", "zh": "原始提升（对比自选时间段）"},
    "roi.col.merchants": {"en": "Merchants", "zh": "商家数"},
    "roi.baseline": {"en": "Baseline", "zh": "基期"},
    "roi.baseline.help": {
        "en": "What the programme is compared with: the {days} days before the start (the "
        "published figure), the same dates last year, or any window you pick.",
        "zh": "与什么比较：开营前 {days} 天（公布口径）、去年同期，或自选时间段。",
    },
    "roi.baseline.pre28": {"en": "{days} days before", "zh": "开营前 {days} 天"},
    "roi.baseline.last_year": {"en": "Same period last year", "zh": "去年同期"},
    "roi.baseline.custom": {"en": "Custom window", "zh": "自选时间段"},
    "roi.baseline.window": {"en": "Baseline window", "zh": "基期时间段"},
    "roi.baseline.pick": {
        "en": "Pick the first and the last day of the baseline.",
        "zh": "请选择基期的起止日期。",
    },
    "roi.private": {"en": "Private-domain GMV only", "zh": "仅看私域成交额"},
    "roi.private.help": {
        "en": "Mini-program, WeCom guides, communities, scan-to-buy and livestream orders.",
        "zh": "小程序、企业微信导购、社群、扫码购和直播订单。",
    },
    "roi.none": {"en": "This cohort is not in your scope.", "zh": "该期次不在您的权限范围内。"},
    "roi.summary": {
        "en": "**Cohort {cohort}**: daily average GMV rose from {before} to {during}, "
        "**{raw}** ({raw_what}). Against {controls} comparable non-participants the "
        "programme's effect is **{causal}** (95% interval {low} to {high}).",
        "zh": "**期次 {cohort}**：日均成交额从 {before} 升至 {during}，"
        "**{raw}**（{raw_what}）。与 {controls} 家可比的未参与商家相比，"
        "计划带来的效果为 **{causal}**（95% 区间 {low} 至 {high}）。",
    },
    "roi.summary.raw_only": {
        "en": "**Cohort {cohort}**: daily average GMV rose from {before} to {during}, "
        "**{raw}** ({raw_what}). There are too few comparable non-participants for a causal "
        "figure ({controls}).",
        "zh": "**期次 {cohort}**：日均成交额从 {before} 升至 {during}，"
        "**{raw}**（{raw_what}）。可比的未参与商家太少（{controls}），无法给出因果口径。",
    },
    "roi.raw_what.pre28": {
        "en": "the published raw uplift: against the {days} days before, season left in",
        "zh": "公布口径原始提升：对比开营前 {days} 天，含季节影响",
    },
    "roi.raw_what.last_year": {
        "en": "raw uplift against the same period last year, trend left in",
        "zh": "对比去年同期的原始提升，含趋势影响",
    },
    "roi.raw_what.custom": {
        "en": "raw uplift against your window, season and trend left in",
        "zh": "对比自选时间段的原始提升，含季节和趋势影响",
    },
    "roi.windows": {
        "en": "Baseline {baseline} · programme {programme} · after {post}",
        "zh": "基期 {baseline} · 计划期 {programme} · 结营后 {post}",
    },
    "roi.warning.season": {
        "en": "Big shopping dates fall in these windows (baseline: {baseline}; programme: "
        "{programme}). The raw uplift includes that seasonal lift; the causal figure takes "
        "it out.",
        "zh": "这些时段内有大促节点（基期：{baseline}；计划期：{programme}）。原始提升包含"
        "这部分季节性增长；因果口径已将其剔除。",
    },
    "roi.warning.season.term": {
        "en": "Season: retail calendar effects (Chinese New Year, 618, Double 11, Double 12, "
        "National Day) in the baseline or programme window; the difference-in-differences "
        "removes them because comparable non-participants live the same calendar.",
        "zh": "季节因素：基期或计划期内的零售日历效应（春节、618、双十一、双十二、国庆）；"
        "双重差分利用同期可比的未参与商家将其剔除。",
    },
    "roi.warning.pretrend": {
        "en": "Before the programme, these merchants were already growing {direction} than "
        "comparable non-participants ({estimate}): part of the uplift may not be the "
        "programme's. Read the causal figure with care.",
        "zh": "开营之前，这些商家的增长就已经{direction}可比的未参与商家（{estimate}）："
        "提升中可能有一部分并非计划带来的，请谨慎解读因果口径。",
    },
    "roi.warning.pretrend.faster": {"en": "faster", "zh": "快于"},
    "roi.warning.pretrend.slower": {"en": "slower", "zh": "慢于"},
    "roi.warning.pretrend.term": {
        "en": "Pre-trend check (parallel-trends assumption): the same estimator on the "
        "window before the baseline, where no programme ran, gives {estimate} (95% {low} to "
        "{high}); an interval excluding zero or a figure beyond ±{limit} means the comparison "
        "group did not move in parallel before the programme.",
        "zh": "开营前趋势检验（平行趋势假设）：在基期之前、尚无计划的时段上用同一方法估计，"
        "结果为 {estimate}（95% {low} 至 {high}）；区间不含零或超过 ±{limit} 说明开营前对照组"
        "并未同步变化。",
    },
    "roi.warning.no_controls": {
        "en": "Fewer than {n} comparable non-participants with sales in the baseline: no "
        "causal figure, only the raw one.",
        "zh": "基期有成交的可比未参与商家少于 {n} 家：无法给出因果口径，只有原始口径。",
    },
    "roi.warning.no_controls.term": {
        "en": "Comparison group: the difference-in-differences needs at least {n} "
        "non-participants (blank cohort) with baseline GMV to match against.",
        "zh": "对照组：双重差分至少需要 {n} 家基期有成交的未参与商家（期次为空）用于匹配。",
    },
    "roi.warning.incomplete.term": {
        "en": "Post-programme window: the {post_days} days after the programme end; the data "
        "delivered so far ends before it.",
        "zh": "结营后时段：计划结束后的 {post_days} 天；目前交付的数据在此之前结束。",
    },
    "roi.warning.terms": {
        "en": "What these warnings mean, technically",
        "zh": "这些提示的技术含义",
    },
    "roi.warning.incomplete": {
        "en": "No data after the programme yet: no post-programme figure.",
        "zh": "尚无结营后的数据：暂无结营后指标。",
    },
    "roi.event.cny": {"en": "Chinese New Year", "zh": "春节"},
    "roi.event.618": {"en": "618", "zh": "618 大促"},
    "roi.event.national_day": {"en": "National Day", "zh": "国庆"},
    "roi.event.double_11": {"en": "Double 11", "zh": "双十一"},
    "roi.event.double_12": {"en": "Double 12", "zh": "双十二"},
    "roi.event.none": {"en": "none", "zh": "无"},
    "roi.kpi.baseline": {"en": "Baseline daily GMV", "zh": "基期日均成交额"},
    "roi.kpi.programme": {"en": "Programme daily GMV", "zh": "计划期日均成交额"},
    "roi.kpi.raw": {"en": "Raw uplift (published)", "zh": "原始提升（公布口径）"},
    "roi.kpi.raw.last_year": {"en": "Raw uplift vs last year", "zh": "原始提升（对比去年同期）"},
    "roi.kpi.raw.custom": {"en": "Raw uplift vs your window", "zh": "原始提升（对比自选时间段）"},
    "roi.kpi.raw.help": {
        "en": "Programme daily average / baseline daily average - 1. Season and trend stay in.",
        "zh": "计划期日均 / 基期日均 - 1，包含季节和趋势影响。",
    },
    "roi.kpi.causal": {"en": "Causal uplift", "zh": "因果提升"},
    "roi.kpi.causal.help": {
        "en": "Difference-in-differences against non-participants of the same industry and "
        "size: what the cohort did beyond what the calendar did to comparable merchants.",
        "zh": "与同行业、同规模未参与商家做双重差分：剔除日历对可比商家的影响后，计划带来的提升。",
    },
    "roi.interval": {
        "en": "95% interval {low} to {high} (merchant-level bootstrap; {controls} "
        "comparable non-participants).",
        "zh": "95% 区间 {low} 至 {high}（按商家自助抽样；{controls} 家可比的未参与商家）。",
    },
    "roi.steps.header": {
        "en": "Step by step: weekly daily-average GMV",
        "zh": "阶梯式提升：每周日均成交额",
    },
    "roi.race.header": {"en": "Results race", "zh": "效果竞逐"},
    "roi.race.caption": {
        "en": "Merchants ranked by causal uplift with 95% intervals; the diamond is the raw "
        "uplift. Green: beats what non-participants do by chance; grey: within the noise; "
        "red: behind beyond chance. Values beyond the axis are cut at its edge and marked ▶ "
        "with their figure.",
        "zh": "按因果提升排序，横线为 95% 区间，菱形为原始提升。绿色：超出未参与商家的随机波动；"
        "灰色：在波动之内；红色：低于随机波动。超出坐标轴的数值截于边缘，以 ▶ 标出并注明数值。",
    },
    "roi.race.missing": {
        "en": "Not in the chart ({n}): {names}.",
        "zh": "未列入图中（{n} 家）：{names}。",
    },
    "roi.race.missing.item": {"en": "{name} ({reason})", "zh": "{name}（{reason}）"},
    "roi.reason.no_baseline": {
        "en": "no {metric} in the baseline",
        "zh": "基期无{metric}",
    },
    "roi.reason.no_controls": {
        "en": "too few comparable non-participants",
        "zh": "可比的未参与商家太少",
    },
    "roi.private.applies": {
        "en": "Private-domain GMV only: every figure, chart and table on this page (the "
        "ranking, cards, weekly steps, results race, merchants and cumulative GMV).",
        "zh": "仅私域成交额：本页所有数字、图表和表格（排名、指标卡、每周阶梯、效果竞逐、"
        "商家表与累计增量）均按私域成交额计算。",
    },
    "roi.chart.beats": {"en": "Beats chance", "zh": "超出随机波动"},
    "roi.chart.noise": {"en": "Within the noise", "zh": "在波动之内"},
    "roi.chart.behind": {"en": "Behind beyond chance", "zh": "低于随机波动"},
    "roi.chart.clipped": {"en": "Cut at the axis edge ▶", "zh": "截于坐标轴边缘 ▶"},
    "roi.race.none": {"en": "No merchant has a causal figure.", "zh": "没有商家可计算因果口径。"},
    "roi.cumulative.header": {"en": "Cumulative incremental GMV", "zh": "累计增量成交额"},
    "roi.cumulative.none": {
        "en": "No comparison group: no incremental GMV.",
        "zh": "没有对照组：无法计算增量成交额。",
    },
    "roi.col.merchant": {"en": "Merchant", "zh": "商家"},
    "roi.col.industry": {"en": "Industry", "zh": "行业"},
    "roi.col.baseline": {"en": "Baseline daily GMV", "zh": "基期日均"},
    "roi.col.programme": {"en": "Programme daily GMV", "zh": "计划期日均"},
    "roi.col.post": {"en": "After daily GMV", "zh": "结营后日均"},
    "roi.col.raw": {"en": "Raw uplift", "zh": "原始提升"},
    "roi.col.causal": {"en": "Causal uplift", "zh": "因果提升"},
    "roi.col.interval": {"en": "95% interval", "zh": "95% 区间"},
    "roi.download": {"en": "Download CSV", "zh": "下载 CSV"},
    "roi.chart.steps.title": {"en": "Daily average GMV per week", "zh": "每周日均成交额"},
    "roi.chart.cohort": {"en": "Cohort", "zh": "本期商家"},
    "roi.chart.counterfactual": {
        "en": "Without the programme (comparison group)",
        "zh": "若无计划（对照组推算）",
    },
    "roi.chart.programme": {"en": "Programme", "zh": "计划期"},
    "roi.chart.race.title": {"en": "Uplift by merchant", "zh": "各商家提升"},
    "roi.chart.raw": {"en": "Raw uplift", "zh": "原始提升"},
    "roi.chart.cumulative.title": {"en": "Cumulative incremental GMV", "zh": "累计增量成交额"},
    "roi.chart.axis.daily_gmv": {"en": "Daily average GMV", "zh": "日均成交额"},
    "roi.chart.axis.day": {"en": "Days since start", "zh": "开始后天数"},
    "roi.chart.axis.gmv": {"en": "GMV", "zh": "成交额"},
    "roi.chart.axis.uplift": {"en": "Uplift", "zh": "提升"},
    # --- campaigns ----------------------------------------------------------------------
    "campaigns.title": {"en": "Campaign and channel payback", "zh": "活动与渠道回报"},
    "campaigns.all_merchants": {"en": "All merchants", "zh": "全部商家"},
    "campaigns.list.header": {"en": "Campaigns", "zh": "活动"},
    "campaigns.channels.header": {"en": "ROI by traffic channel", "zh": "各流量渠道 ROI"},
    "campaigns.channels.caption": {
        "en": "Sums over each channel's campaigns; campaigns without a holdout count their "
        "attributed GMV (observational).",
        "zh": "按渠道汇总各活动；无对照组的活动按归因成交额计（观察性）。",
    },
    "campaigns.detail.header": {"en": "One campaign", "zh": "单个活动"},
    "campaigns.pick": {"en": "Campaign", "zh": "活动"},
    "campaigns.option": {"en": "{name} ({campaign_id})", "zh": "{name}（{campaign_id}）"},
    "campaigns.none": {
        "en": "This campaign is not in your scope.",
        "zh": "该活动不在您的权限范围内。",
    },
    "campaigns.kpi.cost": {"en": "Cost", "zh": "成本"},
    "campaigns.kpi.incremental": {"en": "Incremental GMV", "zh": "增量成交额"},
    "campaigns.kpi.roi": {"en": "ROI", "zh": "投资回报率"},
    "campaigns.kpi.margin_roi": {"en": "Margin per ¥1 of cost", "zh": "每 1 元成本的增量毛利"},
    "campaigns.kpi.margin_help": {
        "en": "Incremental GMV x margin rate / cost: pays back at 1.",
        "zh": "增量成交额 × 毛利率 / 成本；达到 1 即回本。",
    },
    "campaigns.kpi.payback": {"en": "Payback day", "zh": "回本天数"},
    "campaigns.kpi.repurchase": {
        "en": "Repurchase rate, treatment / holdout",
        "zh": "复购率（实验组 / 对照组）",
    },
    "campaigns.kpi.gmv_per_customer": {
        "en": "GMV per customer, treatment / holdout",
        "zh": "人均成交额（实验组 / 对照组）",
    },
    "campaigns.holdout.header": {"en": "Treatment against holdout", "zh": "实验组对比对照组"},
    "campaigns.holdout.summary": {
        "en": "{treatment} treated customers against {holdout} held out: GMV per customer "
        "**{lift}** (95% interval {low} to {high}); incremental margin {margin}, {per_cost} "
        "per unit of cost.",
        "zh": "{treatment} 位实验组顾客对比 {holdout} 位对照组顾客：人均成交额 **{lift}**"
        "（95% 区间 {low} 至 {high}）；增量毛利 {margin}，每单位成本 {per_cost}。",
    },
    "campaigns.observational": {
        "en": "No holdout: this ROI is observational (the GMV of orders tagged with the "
        "campaign), not the incremental effect.",
        "zh": "没有对照组：此 ROI 为观察性口径（带活动标记订单的成交额），并非增量效果。",
    },
    "campaigns.margin.caption": {"en": "Margin rate used: {rate}.", "zh": "所用毛利率：{rate}。"},
    "campaigns.margin.header": {"en": "Margin rate of this merchant", "zh": "该商家的毛利率"},
    "campaigns.margin.rate": {"en": "Margin rate (%)", "zh": "毛利率（%）"},
    "campaigns.margin.save": {"en": "Save margin rate", "zh": "保存毛利率"},
    "campaigns.margin.saved": {"en": "Saved.", "zh": "已保存。"},
    "campaigns.method.holdout": {"en": "Holdout", "zh": "对照实验"},
    "campaigns.method.observational": {"en": "Observational", "zh": "观察性"},
    "campaigns.col.name": {"en": "Campaign", "zh": "活动"},
    "campaigns.col.merchant": {"en": "Merchant", "zh": "商家"},
    "campaigns.col.channel": {"en": "Channel", "zh": "渠道"},
    "campaigns.col.method": {"en": "Method", "zh": "方法"},
    "campaigns.col.cost": {"en": "Cost", "zh": "成本"},
    "campaigns.col.incremental": {"en": "Incremental GMV", "zh": "增量成交额"},
    "campaigns.col.roi": {"en": "ROI", "zh": "投资回报"},
    "campaigns.col.margin_roi": {"en": "Margin ROI", "zh": "毛利回报"},
    "campaigns.col.lift": {"en": "Lift", "zh": "提升"},
    "campaigns.chart.curve.title": {
        "en": "Cumulative ROI by days since launch",
        "zh": "上线后累计 ROI",
    },
    "campaigns.chart.roi": {"en": "ROI (GMV / cost)", "zh": "ROI（成交额 / 成本）"},
    "campaigns.chart.margin_roi": {"en": "Margin / cost", "zh": "毛利 / 成本"},
    "campaigns.chart.ten": {"en": "10×", "zh": "10 倍"},
    "campaigns.chart.payback": {"en": "Payback", "zh": "回本线"},
    "campaigns.chart.axis.roi": {"en": "Return per ¥1", "zh": "每 1 元回报"},
    "campaigns.chart.channels.title": {"en": "ROI by traffic channel", "zh": "各流量渠道 ROI"},
    "campaigns.channel.store": {"en": "Store", "zh": "门店"},
    "campaigns.channel.mini_program": {"en": "Mini-program", "zh": "小程序"},
    "campaigns.channel.wecom_guide": {"en": "WeCom guide", "zh": "企业微信导购"},
    "campaigns.channel.community": {"en": "Community", "zh": "社群"},
    "campaigns.channel.scan_to_buy": {"en": "Scan to buy", "zh": "扫码购"},
    "campaigns.channel.livestream": {"en": "Livestream", "zh": "直播"},
    "campaigns.channel.other_online": {"en": "Other online", "zh": "其他线上"},
    "campaigns.channel.other": {"en": "Not given", "zh": "未填写"},
}
