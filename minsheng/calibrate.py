"""Fit the baseline's behavioural parameters to published figures; write calibration/calibrated.yaml.

Three stages, all with common random numbers (one seed, one sample, so the model is a
deterministic function of its parameters):

1. structural: the level and yearly decline of mortality (the 2010 census death rates scaled to
   life expectancy 79.0 in 2024 and 77.93 in 2020), the shapes of the income distribution (the
   urban and rural median/mean ratios and the national quintile means relative to the mean, all
   of 2025), and the rate at which young adults form households (family households 2025);
2. the joint fit: the behavioural parameters of the `role: fit` targets in
   calibration/targets.yaml, by weighted least squares on relative errors
   (`scipy.optimize.least_squares`), weights 1 / tolerance; identification is read off the
   Jacobian at the solution (a parameter the targets barely move is reported as not identified);
3. providers at rest: private childcare and nursing-bed costs and target occupancies such that
   the 2024 private stock neither grows nor shrinks (zero margin, stable prices).

The fitted parameters are not read by the population build, so the runs of a fit (and of the
report's comparisons) draw their sample once and start from a copy of it (`model.sample_cache`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from scipy.optimize import brentq, least_squares

from minsheng import __version__ as VERSION
from minsheng.targets import Target, compare, simulated
from model import age_structure, province_data
from model.core import MinshengModel, Results, run_scenario
from model.providers.base import PRIVATE, Provider
from model.provinces import KEYS as PROVINCE_KEYS
from model.provinces import PROVINCES
from model.registry import REGISTRY
from model.sample_cache import reusing_populations
from model.scenario import CalibratedSource, Scenario

# Stage 1: the structural targets of calibration/targets.yaml, by parameter group
MORTALITY_TARGET = "life_expectancy_2024"
INCOME_TARGETS = (
    "income_median_ratio_urban_2025",
    "income_median_ratio_rural_2025",
    *(f"income_quintile_{i}" for i in range(1, 6)),
)
HOUSEHOLD_TARGET = "households_2025"
INCOME_SHAPES = (
    "income.dagum_a_urban",
    "income.dagum_p_urban",
    "income.dagum_a_rural",
    "income.dagum_p_rural",
)
INCOME_BOUNDS = {"a": (1.05, 15.0), "p": (0.1, 5.0)}  # a > 1: the mean is finite

BOUNDS = {
    "employee.flexible_enrolment": (0.02, 1.0),
    "employee.medical_share": (0.05, 1.0),
    "pension.resident_contributor_share": (0.05, 1.0),
    "dibao.takeup_urban": (0.02, 1.0),
    "dibao.takeup_rural": (0.02, 1.0),
    "help.hardship_paid_share": (0.0, 1.0),
    "medical.enrolment_intercept": (-3.0, 12.0),
    "childcare.use_intercept": (-15.0, 10.0),
}
# Provider costs and target occupancies that put the 2024 private stock at rest. The stock existed
# in 2024 and barely grew (childcare slots 477万 in 2023, public-facts.md; about 480万 in 2024, 000).
AT_REST = {
    "childcare": ("childcare.unit_cost", "childcare.target_occupancy"),
    "nursing": ("elderly.unit_cost", "elderly.target_occupancy"),
}
STRUCTURAL = (
    "demography.mortality_scale",
    "demography.mortality_decline",
    *INCOME_SHAPES,
    "demography.household_formation",
)
IDENTIFIED_FRACTION = 1e-3  # a Jacobian column this small relative to the largest: not identified


@dataclass
class JointFit:
    """Result of the joint fit."""

    values: dict[str, float]
    residuals: dict[str, float]
    jacobian_norms: dict[str, float]
    evaluations: int
    not_identified: list[str] = field(default_factory=list)


def with_values(
    sc: Scenario, values: dict[str, float], why: dict[str, str] | None = None
) -> Scenario:
    """The scenario with the given start-year values (marked as calibrated)."""
    why = why or {}
    changes = {
        k: {
            sc.run.start_year: (
                float(v),
                CalibratedSource(calibrated=why.get(k, "calibration in progress")),
            )
        }
        for k, v in values.items()
    }
    return sc.with_values(sc.name, sc.title, changes)


def _residual(t: Target, value: float) -> float:
    tol = t.tolerance
    if tol.relative is not None:
        return (value / t.value - 1) / tol.relative
    if tol.absolute is not None:
        return (value - t.value) / tol.absolute
    raise ValueError(f"fit target {t.id} needs a relative or absolute tolerance")


@reusing_populations()
def fit_joint(
    baseline: Scenario,
    targets: list[Target],
    start: dict[str, float],
    households: int,
    seed: int | None,
    log: Callable[[str], None] = print,
    bounds: dict[str, float] | None = None,
) -> JointFit:
    """Weighted least squares of the `fit` targets over their parameters (one per target or fewer)."""
    bounds = bounds or BOUNDS
    names = list(dict.fromkeys(t.parameter for t in targets))
    last_year = max(t.year for t in targets)
    count = {"n": 0}

    def resid(x: np.ndarray) -> np.ndarray:
        count["n"] += 1
        r = run_scenario(
            with_values(baseline, dict(zip(names, x))),
            households=households,
            end_year=last_year,
            seed=seed,
        )
        out = np.array([_residual(t, simulated(t, r)) for t in targets])
        if count["n"] % 5 == 0:
            log(f"  evaluation {count['n']}: weighted squared error {float(np.sum(out**2)):.4g}")
        return out

    x0 = np.array([start[n] for n in names])
    lo = np.array([bounds[n][0] for n in names])
    hi = np.array([bounds[n][1] for n in names])
    x0 = np.clip(x0, lo + 1e-9, hi - 1e-9)
    # finite-difference steps of 2% of the range: the model is a step function of its parameters
    # at the scale of one sampled person, so tiny steps would see flat ground
    sol = least_squares(
        resid,
        x0,
        bounds=(lo, hi),
        x_scale=hi - lo,
        diff_step=0.02 * (hi - lo) / np.maximum(np.abs(x0), 1e-3),
        xtol=1e-6,
        ftol=1e-8,
        max_nfev=200,
    )
    norms = np.linalg.norm(sol.jac, axis=0)
    scale = np.maximum(norms.max(), 1e-12)
    return JointFit(
        values={n: float(v) for n, v in zip(names, sol.x)},
        residuals={t.id: float(r) for t, r in zip(targets, sol.fun)},
        jacobian_norms={n: float(v) for n, v in zip(names, norms)},
        evaluations=count["n"],
        not_identified=[n for n, v in zip(names, norms) if v < IDENTIFIED_FRACTION * scale],
    )


def fit_mortality(baseline: Scenario, target: Target) -> dict[str, float]:
    """Mortality level and yearly decline, from life expectancy (no simulation needed).

    The level makes the base year's life expectancy (both sexes) the target's; the decline is the
    yearly fall of death rates between the published life expectancies of 2020 and the base year
    (scenarios/data/population_history.yaml).
    """
    start = baseline.run.start_year
    srb = baseline.value("demography.sex_ratio_at_birth", start)
    level = age_structure.scale_for_life_expectancy(target.value, srb)
    le = age_structure.history()["life_expectancy"]
    earlier = max(y for y in le if y < start)
    level_then = age_structure.scale_for_life_expectancy(le[earlier], srb)
    decline = 1.0 - (level / level_then) ** (1.0 / (start - earlier))
    return {"demography.mortality_scale": level, "demography.mortality_decline": decline}


def fit_income(
    baseline: Scenario,
    values: dict[str, float],
    targets: list[Target],
    households: int,
    seed: int | None,
) -> tuple[dict[str, float], np.ndarray]:
    """The four Dagum shapes, by least squares on the income targets (relative misfit / tolerance)."""
    last = max(t.year for t in targets)

    def resid(x: np.ndarray) -> np.ndarray:
        v = dict(values, **dict(zip(INCOME_SHAPES, x)))
        r = run_scenario(with_values(baseline, v), households=households, end_year=last, seed=seed)
        return np.array([_residual(t, simulated(t, r)) for t in targets])

    lo = np.array([INCOME_BOUNDS[k.split("_")[1]][0] for k in INCOME_SHAPES])
    hi = np.array([INCOME_BOUNDS[k.split("_")[1]][1] for k in INCOME_SHAPES])
    x0 = np.clip([values[k] for k in INCOME_SHAPES], lo + 1e-6, hi - 1e-6)
    sol = least_squares(resid, x0, bounds=(lo, hi), diff_step=1e-3)
    return dict(zip(INCOME_SHAPES, map(float, sol.x))), sol.fun


def fit_households(
    baseline: Scenario, values: dict[str, float], target: Target, households: int, seed: int | None
) -> float:
    """The household-formation rate at which the model's household count meets the target."""

    def gap(rate: float) -> float:
        v = dict(values, **{"demography.household_formation": rate})
        r = run_scenario(
            with_values(baseline, v), households=households, end_year=target.year, seed=seed
        )
        return simulated(target, r) / target.value - 1

    return float(brentq(gap, 0.0, 0.5, xtol=1e-5))


def fit_structural(
    baseline: Scenario,
    values: dict[str, float],
    targets: list[Target],
    households: int,
    seed: int | None,
    log: Callable[[str], None],
) -> dict[str, float]:
    """Mortality, the income distribution's shapes and household formation, each on its own targets."""
    by_id = {t.id: t for t in targets}
    values = dict(values)
    values.update(fit_mortality(baseline, by_id[MORTALITY_TARGET]))
    log(
        f"mortality: level {values['demography.mortality_scale']:.4f} of the 2010 schedule, "
        f"falling {values['demography.mortality_decline']:.4%} a year"
    )
    shapes, misfit = fit_income(
        baseline, values, [by_id[i] for i in INCOME_TARGETS], households, seed
    )
    values.update(shapes)
    log(
        "income: "
        + ", ".join(f"{k.split('.')[1]} {v:.3f}" for k, v in shapes.items())
        + f"; weighted misfits {np.round(misfit, 2)}"
    )
    values["demography.household_formation"] = fit_households(
        baseline, values, by_id[HOUSEHOLD_TARGET], households, seed
    )
    log(f"household formation: {values['demography.household_formation']:.4f} a year")
    return values


def providers_at_rest(
    baseline: Scenario, values: dict[str, float], households: int, seed: int | None
) -> dict[str, float]:
    """Unit costs and target occupancies at which the 2024 private providers are at rest."""
    model = MinshengModel(with_values(baseline, values), households=households, seed=seed)
    out = {}
    for kind, (cost_name, occ_name) in AT_REST.items():
        private = [
            a
            for a in model.agents
            if isinstance(a, Provider) and a.kind == kind and a.ownership == PRIVATE
        ]
        cap = np.array([a.capacity_when_served for a in private])
        served = np.array([a.served for a in private])
        price = np.array([a.price for a in private])
        scale = np.array([a.scale for a in private])
        out[cost_name] = float(np.sum(served * price) / np.sum(cap * scale))
        out[occ_name] = float(served.sum() / cap.sum())
    return out


TAKEUP = "pension.resident_takeup"


def fit_takeup_by_province(
    baseline: Scenario,
    values: dict[str, float],
    households: int,
    seed: int | None,
    log: Callable[[str], None],
    rounds: int = 3,
) -> dict[str, float]:
    """Each province's resident pension take-up, so that its recipients at the end of the base
    year are the published ones (China Statistical Yearbook 2025, table 24-27).

    Recipients are in proportion to take-up (a person draws when their fixed uniform is below
    it), so each round scales every province's take-up by published over simulated recipients
    (capped at one); returns the values with the fitted take-ups.
    """
    start = baseline.run.start_year
    published = province_data.values("resident_pension_recipients")
    values = dict(values)
    for i in range(rounds):
        r = run_scenario(
            with_values(baseline, values), households=households, end_year=start, seed=seed
        )
        simulated = np.array(
            [r.value("pension_recipients_resident", start, f"province_{k}") for k in PROVINCE_KEYS]
        )
        ratio = published / np.maximum(simulated, 1.0)
        for k, f in zip(PROVINCE_KEYS, ratio):
            values[f"{TAKEUP}.{k}"] = float(min(max(values[f"{TAKEUP}.{k}"] * f, 0.01), 1.0))
        log(
            f"  take-up by province, round {i + 1}: simulated / published recipients"
            f" {np.min(1 / ratio):.3f} to {np.max(1 / ratio):.3f}"
        )
    return values


@reusing_populations()
def fit(
    baseline: Scenario,
    targets: list[Target],
    households: int = 20_000,
    seed: int | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, object]:
    """All three stages. Returns the fitted values, why each was fitted, and fit diagnostics."""
    t0 = time.perf_counter()
    start = baseline.run.start_year
    fit_targets = [t for t in targets if t.role == "fit"]
    names = (*STRUCTURAL, *BOUNDS, *(n for pair in AT_REST.values() for n in pair))
    values = {k: baseline.value(k, start) for k in names}

    log("stage 1: mortality, income distribution, household formation")
    values = fit_structural(baseline, values, targets, households, seed, log)
    names_takeup = [f"{TAKEUP}.{k}" for k in PROVINCE_KEYS]
    values.update({k: baseline.value(k, start) for k in names_takeup})
    log(
        "stage 2: each province's resident pension take-up, then the joint fit of "
        f"{len(fit_targets)} targets"
    )
    values = fit_takeup_by_province(baseline, values, households, seed, log)
    joint = fit_joint(with_values(baseline, values), fit_targets, values, households, seed, log)
    values.update(joint.values)
    values = fit_takeup_by_province(baseline, values, households, seed, log)
    for name, norm in joint.jacobian_norms.items():
        log(
            f"  {name} = {values[name]:.5g} (Jacobian column norm {norm:.3g}){' NOT IDENTIFIED' if name in joint.not_identified else ''}"
        )
    log("stage 3: providers at rest in the base year")
    values.update(providers_at_rest(baseline, values, households, seed))

    why = {
        "demography.mortality_scale": "target life_expectancy_2024: 79 years (001), both sexes",
        "demography.mortality_decline": "life expectancy 77.93 in 2020 and 79.0 in 2024 (NBS; scenarios/data/population_history.yaml)",
        **{
            k: "targets income_median_ratio_*_2025 and income_quintile_1..5 (public-facts.md), jointly"
            for k in INCOME_SHAPES
        },
        "demography.household_formation": "target households_2025: 51,465万 family households (public-facts.md)",
        **{
            t.parameter: f"target {t.id}: {t.value:,.4g} {t.unit} in {t.year} ({t.source_name()})"
            for t in fit_targets
        },
        **{
            f"{TAKEUP}.{k}": f"resident pension recipients of {prov.name_en}, end {start}:"
            f" {recipients / 1e4:,.1f}万 (China Statistical Yearbook 2025, table 24-27)"
            for k, prov, recipients in zip(
                PROVINCE_KEYS, PROVINCES, province_data.values("resident_pension_recipients")
            )
        },
        **{
            cost: f"private {kind} providers at zero margin in {start} (the 2024 stock at rest)"
            for kind, (cost, _) in AT_REST.items()
        },
        **{
            occ: f"private {kind} prices stable in {start}: the 2024 private occupancy"
            for kind, (_, occ) in AT_REST.items()
        },
    }
    return {
        "values": values,
        "why": why,
        "joint": joint,
        "households": households,
        "seed": seed if seed is not None else baseline.run.seed,
        "seconds": time.perf_counter() - t0,
    }


def write(result: dict[str, object], path: Path, start_year: int) -> None:
    """Write the fitted values as a calibration file (atomically)."""
    values: dict[str, float] = result["values"]  # type: ignore[assignment]
    why: dict[str, str] = result["why"]  # type: ignore[assignment]
    joint: JointFit = result["joint"]  # type: ignore[assignment]
    doc = {
        "fitted_on": dt.date.today().isoformat(),
        "model_version": VERSION,
        "households": int(result["households"]),  # type: ignore[arg-type]
        "seed": int(result["seed"]),  # type: ignore[arg-type]
        "objective": float(sum(r**2 for r in joint.residuals.values())),
        "targets": [f"{k}: weighted residual {v:+.4f}" for k, v in joint.residuals.items()],
        "parameters": {
            k: {
                "unit": REGISTRY[k].unit,
                "values": {
                    start_year: {"value": float(round(v, 8)), "source": {"calibrated": why[k]}}
                },
            }
            for k, v in values.items()
        },
    }
    header = (
        "# Fitted behavioural parameters, written by `minsheng calibrate`. Do not edit by hand.\n"
    )
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200),
        encoding="utf-8",
    )
    tmp.replace(path)


@reusing_populations()
def target_runs(
    baseline: Scenario,
    scenarios: dict[str, Scenario],
    targets: list[Target],
    households: int,
    seed: int | None,
) -> dict[str, Results]:
    """One run per scenario the targets name, to the last year they need."""
    out = {}
    for name in sorted({t.scenario for t in targets}):
        sc = baseline if name == baseline.name else scenarios[name]
        out[name] = run_scenario(
            sc,
            households=households,
            end_year=max(t.year for t in targets if t.scenario == name),
            seed=seed,
        )
    return out


@reusing_populations()
def sampling_spread(
    baseline: Scenario,
    scenarios: dict[str, Scenario],
    targets: list[Target],
    households: int,
    seeds: list[int],
) -> dict[str, float]:
    """Standard deviation of each target's relative misfit across seeds (the sampling error)."""
    misfits: dict[str, list[float]] = {t.id: [] for t in targets}
    for s in seeds:
        runs = target_runs(baseline, scenarios, targets, households, s)
        for t in targets:
            misfits[t.id].append(compare(t, simulated(t, runs[t.scenario])).misfit)
    return {k: float(np.std(v, ddof=1)) for k, v in misfits.items()}
