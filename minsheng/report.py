"""Readable tables and files from results: headline table, CSV summary, differences, manifest."""

from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from minsheng import __version__ as VERSION
from model.core import Results


def _pct(v: float) -> str:
    return f"{100 * v:.2f}%"


def _pct_d(v: float) -> str:
    return f"{100 * v:+.2f}pt"


def _yi(v: float) -> str:
    return f"{v / 1e8:,.2f}亿"


def _yi_d(v: float) -> str:
    return f"{v / 1e8:+,.2f}亿"


def _wan(v: float) -> str:
    return f"{v / 1e4:,.0f}万"


def _wan_d(v: float) -> str:
    return f"{v / 1e4:+,.0f}万"


def _num(v: float) -> str:
    return f"{v:.4f}"


def _num_d(v: float) -> str:
    return f"{v:+.4f}"


def _yuan(v: float) -> str:
    return f"{v:,.0f}"


def _yuan_d(v: float) -> str:
    return f"{v:+,.0f}"


def _num2(v: float) -> str:
    return f"{v:.2f}"


def _num2_d(v: float) -> str:
    return f"{v:+.2f}"


Fmt = tuple[Callable[[float], str], Callable[[float], str]]
PCT: Fmt = (_pct, _pct_d)
YI: Fmt = (_yi, _yi_d)
WAN: Fmt = (_wan, _wan_d)
NUM: Fmt = (_num, _num_d)
NUM2: Fmt = (_num2, _num2_d)
YUAN: Fmt = (_yuan, _yuan_d)

# (metric, group, label, format)
HEADLINES: list[tuple[str, str, str, Fmt]] = [
    ("pension_coverage", "all", "Pension coverage (16+, not in school)", PCT),
    ("medical_coverage", "all", "Medical insurance coverage", PCT),
    ("medical_coverage", "migrant", "  of which migrants", PCT),
    ("medical_insured_resident", "all", "Resident medical enrollees (persons)", YI),
    ("flexible_in_employee_scheme", "migrant", "Migrant flexible workers in employee schemes", PCT),
    ("pension_recipients", "all", "Pension recipients (persons)", YI),
    ("contributions_paid_by_government", "all", "Contributions paid by government (persons)", WAN),
    ("dibao_recipients", "all", "Dibao recipients (persons)", WAN),
    ("poverty_rate", "all", "Relative poverty rate (40% of median)", PCT),
    ("gini_disposable_income", "all", "Gini of disposable income", NUM),
    ("childcare_slots_per_1000", "all", "Childcare slots per 1,000 people", NUM2),
    ("childcare_enrolment_rate", "all", "Children under 3 in childcare", PCT),
    ("childcare_unmet_demand", "all", "Childcare waiting (persons)", WAN),
    ("elderly_nursing_beds", "all", "Nursing-type beds", WAN),
    ("elderly_nursing_share", "all", "Nursing-type share of beds", PCT),
    ("elderly_unmet_need", "all", "Disabled elders seeking care, unserved", WAN),
    ("primary_visit_share", "all", "Outpatient visits at primary level", PCT),
    ("oop_per_capita", "all", "Outpatient out-of-pocket (yuan/person)", YUAN),
    ("cost.all", "central", "Central government spending (yuan/year)", YI),
    ("cost.all", "local", "Local government spending (yuan/year)", YI),
    ("cost.all", "government", "Government spending: the net fiscal cost", YI),
    ("cost.all", "insurance_fund", "Insurance funds' benefits (yuan/year)", YI),
    ("cost.all", "individuals", "Contributions paid by people (yuan/year)", YI),
    ("cost.all", "employers", "Paid by employers: contributions, childcare", YI),
]
# the headline metrics of one province (`minsheng run/compare --province`), group province_<key>
PROVINCE_HEADLINES: list[tuple[str, str, Fmt]] = [
    ("population", "Population (persons)", WAN),
    ("population_60_plus", "  aged 60 and over", WAN),
    ("pension_recipients_resident", "Resident pension recipients", WAN),
    ("pension_recipients_employee", "Employee pension recipients", WAN),
    ("resident_pension_average", "Resident pension, average (yuan/month)", YUAN),
    ("dibao_recipients", "Dibao recipients (persons)", WAN),
    ("dibao_standard_urban", "Urban dibao standard (yuan/month)", YUAN),
    ("dibao_standard_rural", "Rural dibao standard (yuan/month)", YUAN),
    ("disposable_income_mean", "Disposable income, mean (yuan/person)", YUAN),
    ("spending.central", "Central government spending in the province", YI),
    ("spending.local", "Local government spending", YI),
    ("spending.government", "Government spending: the fiscal cost", YI),
    ("spending.insurance_fund", "Insurance funds' benefits", YI),
]
SUMMARY_METRICS = sorted(
    {(m, g) for m, g, _, _ in HEADLINES}
    | {
        ("medical_insured", "all"),
        ("pension_insured", "all"),
        ("medical_insured_employee", "all"),
        ("pension_recipients_resident", "all"),
        ("pension_recipients_employee", "all"),
        ("cost.all", "government"),
        ("cost.pension_resident", "central"),
        ("cost.pension_resident", "local"),
        ("cost.medical_resident", "central"),
        ("cost.medical_resident", "local"),
        ("cost.dibao", "central"),
        ("cost.dibao", "local"),
        ("disposable_income_mean", "all"),
        ("poverty_headcount", "all"),
        ("population", "all"),
    }
)


def show_years(start: int, end: int) -> list[int]:
    """A few years for the printed table: the first reform year, the middle and the end."""
    years = sorted({min(start + 1, end), (start + end + 1) // 2, end})
    return years


def headline_table(results: list[Results], province: str | None = None) -> str:
    """The headline metrics as a fixed-width text table (one or two scenarios); with `province`
    (a key of model/provinces.py), that province's headline metrics."""
    frames = [r.frame for r in results]
    start, end = int(frames[0].year.min()), int(frames[0].year.max())
    years = show_years(start, end)
    if province is None:
        rows = HEADLINES
        title = ""
    else:
        from model.provinces import INDEX, PROVINCES

        prov = PROVINCES[INDEX[province]]
        rows = [(m, f"province_{province}", label, fmt) for m, label, fmt in PROVINCE_HEADLINES]
        title = f"{prov.name_en} ({prov.name_zh}): "
    label_w = max(len(h[2]) for h in rows) + 2
    names = [r.scenario for r in results]
    lines = []
    if len(results) == 1:
        header = f"{'':<{label_w}}" + "".join(f"{y:>12}" for y in years)
        lines += [
            f"{title}{names[0]}: {results[0].households:,} households, seed {results[0].seed}",
            header,
        ]
    else:
        lines.append(
            f"{title}A = {names[0]}, B = {names[1]}: {results[0].households:,} households, seed {results[0].seed}"
        )
        lines.append(f"{'':<{label_w}}" + "".join(f"{y:>36}" for y in years))
        lines.append(
            f"{'':<{label_w}}" + "".join(f"{'A':>12}{'B':>12}{'B - A':>12}" for _ in years)
        )
    lines.append("-" * len(lines[-1]))
    for metric, group, label, (fmt, fmt_d) in rows:
        if label.startswith("Central"):
            lines.append("Cost of the modelled measures")
        cells = []
        for y in years:
            vals = [r.value(metric, y, group) for r in results]
            cells.append(f"{fmt(vals[0]):>12}")
            if len(vals) == 2:
                cells.append(f"{fmt(vals[1]):>12}{fmt_d(vals[1] - vals[0]):>12}")
        lines.append(f"{label:<{label_w}}" + "".join(cells))
    return "\n".join(lines)


def summary_frame(results: list[Results]) -> pd.DataFrame:
    """The summary metrics of each scenario, one row per scenario, metric and group; years as columns."""
    df = pd.concat([r.frame for r in results])
    keys = pd.MultiIndex.from_tuples(SUMMARY_METRICS, names=["metric", "group"])
    df = df.set_index(["metric", "group"]).loc[lambda d: d.index.isin(keys)].reset_index()
    wide = df.pivot_table(
        index=["scenario", "metric", "group", "unit"], columns="year", values="value", sort=False
    )
    return wide.reset_index()


def cost_kinds(df: pd.DataFrame) -> pd.Series:
    """For cost rows (metric cost.<measure>, group the payer): what the money is (a KINDS name:
    government spending, insurance-fund benefits, contributions received, employers' spending);
    empty for other rows."""
    from model.state import PAYERS, cost_kind

    def kind(metric: str, group: str) -> str:
        if not metric.startswith("cost.") or metric == "cost.all" or group not in PAYERS:
            return ""
        return cost_kind(metric[5:], group)

    return pd.Series([kind(m, g) for m, g in zip(df.metric, df.group)], index=df.index, dtype=str)


def differences(a: Results, b: Results) -> pd.DataFrame:
    """B - A for every metric, group and year (tidy, with both levels); cost rows say their kind."""
    keys = ["year", "group", "metric", "unit"]
    m = a.frame[keys + ["value"]].merge(b.frame[keys + ["value"]], on=keys, suffixes=("_a", "_b"))
    m.insert(0, "scenario_b", b.scenario)
    m.insert(0, "scenario_a", a.scenario)
    m["difference"] = m.value_b - m.value_a
    m["cost_kind"] = cost_kinds(m)
    return m


def winners_frame(a: Results, b: Results) -> pd.DataFrame | None:
    """Winners and losers of B against A in their last year, for everyone, by residence and by
    income decile (`model.gains`); None when the runs do not hold the same households."""
    from model.gains import NotTheSameHouseholds, winners_and_losers

    years = sorted(set(a.households_by_year) & set(b.households_by_year))
    if not years:
        return None
    year = years[-1]
    try:
        parts = [
            winners_and_losers(a.households_by_year[year], b.households_by_year[year], by)
            for by in ("all", "residence", "decile")
        ]
    except NotTheSameHouseholds:
        return None
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(0, "year", year)
    frame.insert(0, "against", a.scenario)
    frame.insert(0, "scenario", b.scenario)
    return frame


def winners_table(gains: pd.DataFrame) -> str:
    """The winners-and-losers frame as text: shares of households, the gain per person and as
    a percent of disposable income."""
    first = gains.iloc[0]
    lines = [
        f"Who gains in {first.year}: {first.scenario} against {first.against}, household by "
        "household (same households; deciles of income before the modelled transfers)",
        f"{'group':<12}{'better off':>12}{'worse off':>12}{'unchanged':>12}"
        f"{'gain yuan/person':>18}{'gain % income':>15}",
    ]
    for r in gains.itertuples():
        lines.append(
            f"{r.group:<12}{r.households_better:>12.1%}{r.households_worse:>12.1%}"
            f"{r.households_unchanged:>12.1%}{r.gain_per_person:>+18,.0f}{r.gain_pct_of_income:>+14.2f}%"
        )
    lines.append("Shares are of households; winners_losers.csv has the shares of persons too.")
    return "\n".join(lines)


def _git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
    except Exception:
        return None


def write_results(folder: Path, results: list[Results]) -> None:
    """results.parquet (tidy), summary.csv (headline metrics, years as columns), manifest.json."""
    pd.concat([r.frame for r in results]).to_parquet(folder / "results.parquet", index=False)
    summary_frame(results).to_csv(folder / "summary.csv", index=False)
    manifest = {
        "package_version": VERSION,
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "runs": [
            {
                "scenario": r.scenario,
                "content_hash": r.content_hash,
                "seed": r.seed,
                "households": r.households,
                "timings_s": {k: round(v, 3) for k, v in r.timings.items()},
            }
            for r in results
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
