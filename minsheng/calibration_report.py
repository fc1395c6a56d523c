"""The calibration report: every target against the model, with its source, as Markdown and a plot."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from minsheng.targets import Comparison

ROLE_TITLES = {
    "fit": "Fitted jointly (weighted least squares)",
    "structural": "Fitted first (mortality, income spread)",
    "check": "Checks (inputs or implied by fitted targets)",
    "validation": "Validation (held out of the fit)",
}


def _fmt(v: float, unit: str) -> str:
    if unit in ("persons", "slots", "beds", "institutions", "counties", "yuan/year"):
        return (
            f"{v / 1e8:,.3f}亿"
            if abs(v) >= 1e8
            else f"{v / 1e4:,.1f}万"
            if abs(v) >= 1e4
            else f"{v:,.0f}"
        )
    if unit == "share":
        return f"{v:.4f}"
    return f"{v:,.2f}"


def write_plot(comparisons: list[Comparison], path: Path) -> None:
    """Simulated / target for every target, with the tolerance drawn around 1."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(comparisons)
    fig, ax = plt.subplots(figsize=(9, 0.32 * n + 1.2))
    colours = {
        "fit": "#1f77b4",
        "structural": "#9467bd",
        "check": "#7f7f7f",
        "validation": "#d62728",
    }
    for i, c in enumerate(comparisons):
        y = n - 1 - i
        t = c.target.tolerance
        if t.relative is not None:
            lo, hi = 1 - t.relative, 1 + t.relative
        elif t.absolute is not None:
            lo, hi = 1 - t.absolute / c.target.value, 1 + t.absolute / c.target.value
        elif t.band is not None:
            lo, hi = t.band
        elif t.bound == "at_least":
            lo, hi = 1.0, 1.6
        else:
            lo, hi = 0.4, 1.0
        ax.plot([lo, hi], [y, y], color="#cccccc", lw=6, solid_capstyle="butt")
        ratio = c.simulated / c.target.value if c.target.value else np.nan
        ax.plot(
            [min(max(ratio, 0.3), 1.7)],
            [y],
            "o",
            color=colours[c.target.role],
            ms=6,
            markerfacecolor=colours[c.target.role] if c.within else "white",
        )
    ax.axvline(1.0, color="black", lw=0.8)
    ax.set_yticks(range(n))
    ax.set_yticklabels(
        [f"{c.target.id} ({c.target.role})" for c in reversed(comparisons)], fontsize=8
    )
    ax.set_xlim(0.3, 1.7)
    ax.set_xlabel("simulated / published (grey: tolerance; hollow: outside it)")
    ax.set_title("minsheng calibration: the model against the documents' figures")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(
    path: Path,
    comparisons: list[Comparison],
    meta: dict[str, object],
    spread: dict[str, float],
    fitted: dict[str, float],
    why: dict[str, str],
    jacobian: dict[str, float],
    not_identified: list[str],
    plot_name: str,
    context: list[str] | None = None,
) -> None:
    """Markdown report: fitted values, targets by role, sampling error, notes on the population
    and income (`context`, from `population_context`), honesty notes."""
    lines = [
        "# Calibration report",
        "",
        f"Written by `minsheng calibrate` on {meta['date']}: model {meta['version']}, {meta['households']:,} households, "
        f"seed {meta['seed']}, {meta['seconds']:.0f} s. Targets: `calibration/targets.yaml`; fitted values: "
        "`calibration/calibrated.yaml` (the baseline reads them).",
        "",
        f"![targets]({plot_name})",
        "",
        "## Fitted parameters",
        "",
        "| parameter | value | fitted to | identified |",
        "|---|---|---|---|",
    ]
    for k, v in fitted.items():
        ident = (
            "—"
            if k not in jacobian
            else (
                "**no** (flat objective)"
                if k in not_identified
                else f"yes (Jacobian norm {jacobian[k]:.3g})"
            )
        )
        lines.append(f"| `{k}` | {v:.6g} | {why.get(k, '')} | {ident} |")
    n_ok = sum(c.within for c in comparisons)
    lines += ["", f"## Targets: {n_ok} of {len(comparisons)} within tolerance", ""]
    for role, title in ROLE_TITLES.items():
        rows = [c for c in comparisons if c.target.role == role]
        if not rows:
            continue
        lines += [
            f"### {title}",
            "",
            "| target | year | scenario | simulated | published | misfit | tolerance | sampling s.d. | within | source |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for c in rows:
            t = c.target
            sd = spread.get(t.id)
            lines.append(
                f"| {t.id} | {t.year} | {t.scenario} | {_fmt(c.simulated, t.unit)} | {_fmt(t.value, t.unit)} | {c.misfit:+.2%} | "
                f"{c.describe_tolerance()} ({t.tolerance.why}) | {'' if sd is None else f'{sd:.2%}'} | {'yes' if c.within else '**NO**'} | "
                f"{t.cite()} |"
            )
            if t.known_gap and not c.within:
                lines.append(f"|  | | | | | | *known gap*: {t.known_gap} | | | |")
        lines.append("")
    lines += context or []
    lines += [
        "## Reading this honestly",
        "",
        "- *Fitted* targets are met by construction; they show the fit converged, not that the model is right.",
        "  *Checks* reproduce inputs or sums of fitted targets: they test the bookkeeping.",
        "  Only the *validation* figures, held out of the fit, test the model's own predictions.",
        "- Sampling s.d. is the spread of the relative misfit across three other seeds at the same sample size:",
        "  the regression tests in CI run at this size, and every tolerance is wider than it.",
        "- The behavioural parameters without a target (the `assumption:` values listed in",
        "  `scenarios/SCOPE.md`) are not calibrated; they are the first candidates for sensitivity analysis.",
    ]
    if not_identified:
        lines.append(
            f"- Not identified by the targets (flat objective): {', '.join(f'`{n}`' for n in not_identified)}."
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# Published levels the report sets beside the model's (public-facts.md), for reading, not fitting.
MEDIANS_2025 = {"urban": 51115, "rural": 20711, "all": 36231}


def population_context(run) -> list[str]:
    """Notes on the population and the income distribution from a baseline run (Markdown lines)."""
    v = run.value
    lines = [
        "## Population and income: what the fit gives",
        "",
        "| figure | 2024 | 2025 | 2030 | 2035 |",
        "|---|---|---|---|---|",
    ]
    years = [y for y in (2024, 2025, 2030, 2035) if (run.frame.year == y).any()]

    def row(
        label: str, metric: str, group: str = "all", scale: float = 1e4, fmt: str = "{:,.0f}万"
    ) -> None:
        cells = [fmt.format(v(metric, y, group) / scale) for y in years]
        lines.append(f"| {label} | " + " | ".join(cells + [""] * (4 - len(cells))) + " |")

    row("population", "population")
    row("aged 60+", "population", "age_60_plus")
    row("aged 65+", "population", "age_65_plus")
    row("aged 16-59", "population", "age_16_59")
    row("households", "households")
    row("persons per household", "household_size_mean", scale=1, fmt="{:.2f}")
    urban = [f"{100 * v('population', y, 'urban') / v('population', y):.2f}%" for y in years]
    lines.append("| urban share | " + " | ".join(urban + [""] * (4 - len(urban))) + " |")
    lines += [
        "",
        "Income medians in level (yuan per person, 2025), against the published ones:",
        "",
    ]
    lines += [
        "| area | model mean | model median | published median | model median / mean | published median / mean |",
        "|---|---|---|---|---|---|",
    ]
    published_means = {"urban": 56502, "rural": 24456, "all": 43377}
    for area in ("all", "urban", "rural"):
        mean, median = (
            v("disposable_income_mean", 2025, area),
            v("disposable_income_median", 2025, area),
        )
        lines.append(
            f"| {area} | {mean:,.0f} | {median:,.0f} | {MEDIANS_2025[area]:,} | {median / mean:.3f} | {MEDIANS_2025[area] / published_means[area]:.3f} |"
        )
    lines += [
        "",
        "The model keeps the published national mean and the urban/rural ratio on a 67% urban population, so its "
        "area means (and medians) sit about 6% below the published levels, whose urban/rural split implies a 58.6% "
        "urban share; the medians' ratios to the means are the fitted targets.",
        "",
        "People whose household income is below the dibao standard of their programme (2024), before take-up "
        "(urban programme: urban hukou living in towns; rural: everyone else), and the recipients:",
        "",
    ]
    total = v("population", 2024)
    for area in ("urban", "rural", "all"):
        eligible, recipients = v("dibao_eligible", 2024, area), v("dibao_recipients", 2024, area)
        lines.append(
            f"- {area}: {eligible / 1e4:,.0f}万 below the standard ({eligible / total:.1%} of the population), "
            f"{recipients / 1e4:,.0f}万 recipients"
        )
    le = [v("life_expectancy", 2024, g) for g in ("male", "female")]
    lines += [
        "",
        f"Life expectancy 2024: men {le[0]:.2f}, women {le[1]:.2f} (the 2010 census's sex gap of 4.99 years, narrowing as rates fall).",
        "",
    ]
    return lines


def province_context(run, sampling: dict[str, dict[str, float]] | None = None) -> list[str]:
    """The provinces in the base year against their published figures (Markdown lines).

    `sampling`: {metric: {province key: relative s.d. across seeds}} at a larger sample, from
    `province_sampling`.
    """
    from model import province_data
    from model.provinces import PROVINCES

    v = run.value
    start = int(run.frame.year.min())
    published = {
        "recipients": province_data.values("resident_pension_recipients"),
        "spend": province_data.values("resident_pension_expenditure"),
        "dibao_u": province_data.values("dibao_recipients_urban"),
        "dibao_r": province_data.values("dibao_recipients_rural"),
    }
    sd = sampling or {}
    head = "| province | population | 60+ | resident pension recipients (model / published) | resident pension, yuan/month (model / published) | dibao recipients (model / published) | urban dibao standard | s.d. at 100,000 households: dibao, 60+, government spending |"
    lines = [
        f"## Provinces in {start}: the model against each province's published figures",
        "",
        "Population, urban residents, people 60+ and employee pensioners of each province are raking margins",
        "(met by construction); each province's resident pension take-up is fitted to its recipients, and",
        "its pension per recipient is an input (its spending over its recipients in the same table), so those",
        "columns check the bookkeeping. The dibao caseload is not fitted by province: where a province's",
        "count was found it tests the model (its standard is mostly an assumption, see scenarios/SCOPE.md).",
        "",
        head,
        "|---|---|---|---|---|---|---|---|",
    ]
    for i, p in enumerate(PROVINCES):
        g = f"province_{p.key}"
        avg_pub = published["spend"][i] / published["recipients"][i] / 12
        dibao_pub = published["dibao_u"][i] + published["dibao_r"][i]
        dibao_pub_text = "—" if np.isnan(dibao_pub) else f"{dibao_pub / 1e4:,.1f}万"
        spread = ", ".join(
            f"{sd[m][p.key]:.0%}" if m in sd and p.key in sd[m] else "—"
            for m in ("dibao_recipients", "population_60_plus", "spending.government")
        )
        lines.append(
            f"| {p.name_en} ({p.name_zh}) | {v('population', start, g) / 1e4:,.0f}万 | "
            f"{v('population_60_plus', start, g) / v('population', start, g):.1%} | "
            f"{v('pension_recipients_resident', start, g) / 1e4:,.1f}万 / {published['recipients'][i] / 1e4:,.1f}万 | "
            f"{v('resident_pension_average', start, g):,.0f} / {avg_pub:,.0f} | "
            f"{v('dibao_recipients', start, g) / 1e4:,.1f}万 / {dibao_pub_text} | "
            f"{v('dibao_standard_urban', start, g):,.0f} | {spread} |"
        )
    lines += [
        "",
        "Seed 004 (`004_0885c775db80b27a.txt`, Shanxi's review of 2020) reports 26.4万 urban and 99.2万 rural dibao",
        'recipients in Shanxi ("保障城市低保对象26.4万人、农村低保对象99.2万人"). Those are 2020 figures and the',
        f"model starts at the end of {start}, so they are not a validation figure; the model's Shanxi caseload of "
        f"{v('dibao_recipients', start, 'province_shanxi') / 1e4:,.1f}万 in {start} is shown beside them for reading only",
        "(nationally, recipients fell from 805.1万 urban and 3,620.8万 rural in 2020, the Ministry of Civil Affairs'",
        "2020 bulletin cited in `calibration/targets.yaml`, to 625.0万 and 3,361.5万 at the end of 2024, public-facts.md).",
        "",
    ]
    return lines


def province_sampling(scenario, households: int, seeds: list[int]) -> dict[str, dict[str, float]]:
    """Relative s.d. across `seeds` of some provincial figures in the base year, at `households`."""
    from model.core import run_scenario
    from model.provinces import PROVINCES

    metrics = ("dibao_recipients", "population_60_plus", "spending.government")
    start = scenario.run.start_year
    values = {m: {p.key: [] for p in PROVINCES} for m in metrics}
    for seed in seeds:
        r = run_scenario(scenario, households=households, end_year=start, seed=seed)
        for m in metrics:
            for p in PROVINCES:
                values[m][p.key].append(r.value(m, start, f"province_{p.key}"))
    return {
        m: {k: float(np.std(x, ddof=1) / max(abs(np.mean(x)), 1e-9)) for k, x in by.items()}
        for m, by in values.items()
    }
