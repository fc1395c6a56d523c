"""Fit the baseline's behavioural parameters to published figures; write calibration/calibrated.yaml.

Each fitted parameter has one target it is fitted to (a published count or ratio). The fits use
common random numbers (one seed, one sample), so each target is a monotone function of its
parameter and one-dimensional root finding (`scipy.optimize.brentq`) or least squares applies.
Parameters interact (the employee scheme takes people out of the resident ones), so the
one-dimensional fits are repeated until the values settle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy.optimize import brentq, least_squares

from model.core import MinshengModel, run_scenario
from model.providers.base import PRIVATE, Provider
from model.demography import life_expectancy
from model.scenario import CalibratedSource, Scenario

VERSION = "0.1.0"


@dataclass(frozen=True)
class Target:
    """A published figure a parameter is fitted to."""

    id: str
    parameter: str
    metric: str
    group: str
    year: int
    value: float
    source: str


# The quintile means are for 2025; they are compared as ratios to the overall mean.
QUINTILE_RATIOS = np.array([10150, 22702, 35536, 55586, 103778]) / 43377
LIFE_EXPECTANCY = 79.0
CRUDE_DEATH_RATE = 0.00776

TARGETS = [
    Target("employee_medical_2024", "employee.formal_enrolment", "medical_insured_employee", "all", 2024, 379_480_000,
           "public-facts.md: employee enrolled 2024: 37,948万"),
    Target("pension_insured_2024", "pension.resident_contributor_share", "pension_insured", "all", 2024, 1_070_000_000,
           "001_3ac9c84125cde09e.txt: 10.7亿人参加基本养老保险"),
    Target("contributions_paid_2024", "help.hardship_paid_share", "contributions_paid_by_government", "all", 2024, 15_380_000,
           "000_14fca7413bbe244a.txt: 上半年，我国共为 1538 万困难人员代缴城乡居民养老保险费"),
    Target("resident_medical_2024", "medical.enrolment_intercept", "medical_insured_resident", "all", 2024, 947_140_000,
           "public-facts.md: resident enrolled 2024: about 94,714 (total − employee)"),
    Target("childcare_use", "childcare.use_intercept", "childcare_enrolment_rate", "all", 2024, 0.055,
           "public-facts.md: measured use rate of under-3s (入托率) 5.5% (NHC survey, 2021), used for 2024"),
]
# Provider costs and target occupancies that put the 2024 private stock at rest (zero margin,
# stable prices): the stock existed in 2024 and barely grew (childcare slots 477万 in 2023,
# public-facts.md; about 480万 in 2024, 000).
AT_REST = {"childcare": ("childcare.unit_cost", "childcare.target_occupancy"),
           "nursing": ("elderly.unit_cost", "elderly.target_occupancy")}
BOUNDS = {
    "employee.formal_enrolment": (0.05, 1.0),
    "pension.resident_contributor_share": (0.05, 1.0),
    "help.hardship_paid_share": (0.0, 1.0),
    "medical.enrolment_intercept": (-3.0, 12.0),
    "childcare.use_intercept": (-15.0, 10.0),
}


def _set(sc: Scenario, values: dict[str, float], why: dict[str, str]) -> Scenario:
    changes = {
        k: {sc.run.start_year: (v, CalibratedSource(calibrated=why.get(k, "calibration in progress")))}
        for k, v in values.items()
    }
    return sc.with_values(sc.name, sc.title, changes)


def fit(
    baseline: Scenario,
    households: int = 50_000,
    seed: int | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, object]:
    """Fit the calibrated parameters of `baseline`; return values, fitted targets and misfits."""
    start = baseline.run.start_year
    values = {k: baseline.value(k, start) for k in (
        "demography.mortality_level", "demography.mortality_slope", "income.sigma_urban", "income.sigma_rural",
        *BOUNDS, *(name for pair in AT_REST.values() for name in pair),
    )}
    why = {
        "demography.mortality_level": f"life expectancy {LIFE_EXPECTANCY:g} (public-facts.md), given the slope",
        "demography.mortality_slope": f"crude death rate {CRUDE_DEATH_RATE * 1000:g}‰ in 2024 (public-facts.md)",
        "income.sigma_urban": "income quintile means relative to the mean, 2025 (public-facts.md)",
        "income.sigma_rural": "income quintile means relative to the mean, 2025 (public-facts.md)",
        **{t.parameter: f"{t.metric} {t.year} = {t.value:,.4g} ({t.source})" for t in TARGETS},
        **{cost: f"private {kind} providers at zero margin in {start} (the 2024 stock at rest)" for kind, (cost, _) in AT_REST.items()},
        **{occ: f"private {kind} prices stable in {start}: the 2024 private occupancy" for kind, (_, occ) in AT_REST.items()},
    }

    def run(vals: dict[str, float], end: int) -> object:
        return run_scenario(_set(baseline, vals, why), households=households, end_year=end, seed=seed)

    # 1. mortality: level from life expectancy (analytic), slope from the crude death rate (one step)
    def level_for(slope: float) -> float:
        return float(np.exp(brentq(lambda la: life_expectancy(np.exp(la), slope) - LIFE_EXPECTANCY, np.log(1e-7), np.log(1e-2))))

    def cdr_gap(slope: float) -> float:
        v = dict(values, **{"demography.mortality_slope": slope, "demography.mortality_level": level_for(slope)})
        r = run(v, start + 1)
        return r.value("deaths", start + 1) / r.value("population", start) - CRUDE_DEATH_RATE

    # the crude death rate is not monotone in the slope at fixed life expectancy (it has a minimum
    # near 0.07); adult Gompertz slopes are near 0.08-0.11, so search above the minimum
    slope = brentq(cdr_gap, 0.075, 0.12, xtol=1e-5)
    values["demography.mortality_slope"] = slope
    values["demography.mortality_level"] = level_for(slope)
    log(f"mortality: slope {slope:.5f}, level {values['demography.mortality_level']:.3e}")

    # 2. income dispersion: quintile means / overall mean (least squares on 5 ratios, 2 parameters)
    def quintile_ratios(vals: dict[str, float]) -> np.ndarray:
        r = run(vals, start)
        q = np.array([r.value("income_quintile_mean", start, f"quintile_{i}") for i in range(1, 6)])
        return q / r.value("disposable_income_mean", start)

    def resid(x: np.ndarray) -> np.ndarray:
        v = dict(values, **{"income.sigma_urban": x[0], "income.sigma_rural": x[1]})
        return quintile_ratios(v) / QUINTILE_RATIOS - 1

    sol = least_squares(resid, [values["income.sigma_urban"], values["income.sigma_rural"]], bounds=([0.1, 0.1], [1.5, 1.5]), diff_step=1e-3)
    values["income.sigma_urban"], values["income.sigma_rural"] = map(float, sol.x)
    log(f"income: sigma urban {sol.x[0]:.4f}, rural {sol.x[1]:.4f}; quintile misfits {np.round(sol.fun, 3)}")

    # 3. enrolment and help: one-dimensional fits, repeated until they settle
    for round_ in range(3):
        before = dict(values)
        for t in TARGETS:
            def gap(x: float, t: Target = t) -> float:
                return run(dict(values, **{t.parameter: x}), start).value(t.metric, t.year, t.group) / t.value - 1
            lo, hi = BOUNDS[t.parameter]
            g_lo, g_hi = gap(lo), gap(hi)
            if g_lo * g_hi > 0:
                values[t.parameter] = lo if abs(g_lo) < abs(g_hi) else hi
                log(f"  {t.parameter}: target {t.id} out of reach in [{lo}, {hi}] (misfit {min(g_lo, g_hi, key=abs):+.2%}); kept at the bound")
                continue
            values[t.parameter] = brentq(gap, lo, hi, xtol=1e-6)
        change = max(abs(values[k] - before[k]) for k in BOUNDS)
        log(f"round {round_ + 1}: " + ", ".join(f"{k} {values[k]:.4f}" for k in BOUNDS) + f" (largest change {change:.2e})")
        if change < 1e-4:
            break

    # 4. providers at rest in the base year: cost = occupancy x price, target = occupancy
    model = MinshengModel(_set(baseline, values, why), households=households, seed=seed)
    for kind, (cost_name, occ_name) in AT_REST.items():
        private = [a for a in model.agents if isinstance(a, Provider) and a.kind == kind and a.ownership == PRIVATE]
        cap = np.array([a.capacity for a in private])
        served = np.array([a.served for a in private])
        price = np.array([a.price for a in private])
        scale = np.array([a.scale for a in private])
        values[cost_name] = float(np.sum(served * price) / np.sum(cap * scale))
        values[occ_name] = float(served.sum() / cap.sum())
        log(f"{kind}: private occupancy {values[occ_name]:.3f}, unit cost at rest {values[cost_name]:.1f} yuan/month")

    final = run(values, start)
    misfit = {t.id: final.value(t.metric, t.year, t.group) / t.value - 1 for t in TARGETS}
    return {"values": values, "why": why, "misfit": misfit, "quintile_misfit": [float(x) for x in sol.fun],
            "households": households, "seed": seed if seed is not None else baseline.run.seed}


def write(result: dict[str, object], path: Path, start_year: int) -> None:
    """Write the fitted values as a calibration file (atomically)."""
    values: dict[str, float] = result["values"]  # type: ignore[assignment]
    why: dict[str, str] = result["why"]  # type: ignore[assignment]
    misfit: dict[str, float] = result["misfit"]  # type: ignore[assignment]
    doc = {
        "fitted_on": dt.date.today().isoformat(),
        "model_version": VERSION,
        "households": int(result["households"]),  # type: ignore[arg-type]
        "seed": int(result["seed"]),  # type: ignore[arg-type]
        "objective": float(sum(m**2 for m in misfit.values()) + sum(m**2 for m in result["quintile_misfit"])),  # type: ignore[union-attr]
        "targets": [f"{k}: relative misfit {v:+.4%}" for k, v in misfit.items()],
        "parameters": {
            k: {"unit": _unit(k), "values": {start_year: {"value": float(round(v, 8)), "source": {"calibrated": why[k]}}}}
            for k, v in values.items()
        },
    }
    header = "# Fitted behavioural parameters, written by `minsheng calibrate`. Do not edit by hand.\n"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    tmp.replace(path)


def _unit(name: str) -> str:
    from model.registry import REGISTRY

    return REGISTRY[name].unit
