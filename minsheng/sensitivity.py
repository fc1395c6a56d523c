"""`minsheng sensitivity`: Sobol' indices and Morris screening of parameters on chosen outputs.

The experiment file's ``sensitivity:`` section names the parameters (a range each, and the
scenarios each applies to: a behavioural parameter to the baseline and the reform alike, a
policy parameter to the reform only), the outputs (a metric of a scenario in a year, optionally
minus the same metric of another scenario, e.g. the package's fiscal cost in 2030) and the
methods::

    sensitivity:
      parameters:
        medical.enrolment_price_coefficient: {range: [-0.5, -0.05], vary: [baseline, opinions_2025]}
        medical.resident_subsidy: {range: [700, 900], vary: [opinions_2025], from_year: 2025}
      outputs:
        - {name: coverage_2030, scenario: opinions_2025, metric: medical_coverage, year: 2030}
        - {name: package_cost_2030, scenario: opinions_2025, minus: baseline,
           metric: cost.all, group: government, year: 2030}
      sobol: {samples: 64, seed: 1}            # samples x (parameters + 2) points
      morris: {trajectories: 10, levels: 4, seed: 1}   # trajectories x (parameters + 1) points
      replications: 1                          # seeds averaged at each point

Designs and estimators are SALib's (Saltelli's sampling with Sobol' sequences and the
Saltelli/Jansen estimators with bootstrap confidence intervals; Morris' elementary effects).
Every point is run with the same seed(s) (common random numbers), so the output is a
deterministic function of the parameters, as these estimators assume, and a parameter that
cannot affect an output gets indices of exactly zero. Points that leave a scenario unchanged
share one run. The runs are stored and resumed like a batch (`minsheng.store`) under
``OUT/<experiment>/sensitivity/``, with ``samples.csv`` (each point's parameters and outputs),
``sobol.csv`` and ``morris.csv``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from minsheng.batch import claimed_store, execute_planned
from minsheng.executors import Executor
from minsheng.experiment import Experiment, SensitivityBlock, set_from
from minsheng.runs import RunTask
from minsheng.store import RunStore, write_text_atomic
from model.scenario import Scenario

CONF_LEVEL = 0.95


def salib_problem(block: SensitivityBlock) -> dict[str, Any]:
    """The SALib problem: parameter names and bounds."""
    names = list(block.parameters)
    return {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(block.parameters[n].range) for n in names],
    }


def sobol_design(problem: dict[str, Any], samples: int, seed: int) -> np.ndarray:
    """Saltelli's design without second-order terms: samples x (D + 2) points (rows)."""
    from SALib.sample import sobol

    return sobol.sample(problem, samples, calc_second_order=False, seed=seed)


def morris_design(problem: dict[str, Any], trajectories: int, levels: int, seed: int) -> np.ndarray:
    """Morris trajectories: trajectories x (D + 1) points, one parameter moved per step."""
    from SALib.sample import morris

    return morris.sample(problem, trajectories, num_levels=levels, seed=seed)


def sobol_indices(
    problem: dict[str, Any], y: np.ndarray, resamples: int = 200, seed: int = 0
) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol' indices with 95% bootstrap confidence intervals.

    Args:
        y: the output at each point of `sobol_design` (in its order).

    Returns:
        One row per parameter: ``parameter, S1, S1_ci_low, S1_ci_high, ST, ST_ci_low,
        ST_ci_high`` (NaN when the output does not vary at all).
    """
    from SALib.analyze import sobol

    names = problem["names"]
    if not np.all(np.isfinite(y)) or np.var(y) == 0:
        nan = np.full(len(names), np.nan)
        return pd.DataFrame(
            {
                "parameter": names,
                "S1": nan,
                "S1_ci_low": nan,
                "S1_ci_high": nan,
                "ST": nan,
                "ST_ci_low": nan,
                "ST_ci_high": nan,
            }
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = sobol.analyze(
            problem,
            np.asarray(y, dtype=float),
            calc_second_order=False,
            num_resamples=resamples,
            conf_level=CONF_LEVEL,
            seed=seed,
        )
    return pd.DataFrame(
        {
            "parameter": names,
            "S1": r["S1"],
            "S1_ci_low": r["S1"] - r["S1_conf"],
            "S1_ci_high": r["S1"] + r["S1_conf"],
            "ST": r["ST"],
            "ST_ci_low": r["ST"] - r["ST_conf"],
            "ST_ci_high": r["ST"] + r["ST_conf"],
        }
    )


def morris_indices(
    problem: dict[str, Any],
    x: np.ndarray,
    y: np.ndarray,
    levels: int,
    resamples: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """Morris screening: mean (mu), mean absolute (mu_star, with a 95% CI) and sd (sigma) of elementary effects.

    Elementary effects are in output units per unit of the parameter's range scaled to 0..1
    (SALib's convention), so they compare across parameters.
    """
    from SALib.analyze import morris

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = morris.analyze(
            problem,
            x,
            np.asarray(y, dtype=float),
            num_resamples=resamples,
            conf_level=CONF_LEVEL,
            num_levels=levels,
            seed=seed,
        )
    mu_star, conf = np.asarray(r["mu_star"], float), np.asarray(r["mu_star_conf"], float)
    return pd.DataFrame(
        {
            "parameter": problem["names"],
            "mu": np.asarray(r["mu"], float),
            "mu_star": mu_star,
            "mu_star_ci_low": mu_star - conf,
            "mu_star_ci_high": mu_star + conf,
            "sigma": np.asarray(r["sigma"], float),
        }
    )


@dataclass
class Design:
    """One method's points and, for each point and scenario, the variant that runs it."""

    method: str
    x: np.ndarray
    point_variant: list[dict[str, str]]  # point -> scenario name -> variant name


@dataclass
class SensitivityOutcome:
    """What `run_sensitivity` did and found."""

    exp: Experiment
    folder: Path
    planned: int
    skipped: int
    ran: int
    interrupted: bool
    seconds: float
    files: list[str] = field(default_factory=list)
    indices: dict[str, pd.DataFrame] = field(default_factory=dict)  # method -> table


def needed_scenarios(block: SensitivityBlock) -> list[str]:
    """Scenarios the outputs read, in order of first mention."""
    names: list[str] = []
    for o in block.outputs:
        for n in (o.scenario, o.minus):
            if n is not None and n not in names:
                names.append(n)
    return names


def _apply(
    scenario: Scenario, name: str, values: dict[str, float], from_years: dict[str, int], why: str
) -> Scenario:
    sc = scenario
    for year in sorted(set(from_years[p] for p in values)):
        sc = set_from(
            sc, name, {p: v for p, v in values.items() if from_years[p] == year}, year, why
        )
    return sc


def build_designs(exp: Experiment) -> tuple[list[Design], dict[str, Scenario]]:
    """The points of each method and the scenarios (variants) they need, shared where identical."""
    block = exp.spec.sensitivity
    problem = salib_problem(block)
    names = problem["names"]
    from_years = {
        p: (par.from_year if par.from_year is not None else exp.start_year)
        for p, par in block.parameters.items()
    }
    designs = []
    if block.sobol is not None:
        designs.append(("sobol", sobol_design(problem, block.sobol.samples, block.sobol.seed)))
    if block.morris is not None:
        designs.append(
            (
                "morris",
                morris_design(
                    problem, block.morris.trajectories, block.morris.levels, block.morris.seed
                ),
            )
        )

    variants: dict[str, Scenario] = {}
    seen: dict[tuple, str] = {}
    out = []
    for method, x in designs:
        width = len(str(len(x) - 1))
        point_variant = []
        for i, row in enumerate(x):
            per_scenario = {}
            for sc_name in needed_scenarios(block):
                values = {
                    p: float(row[j])
                    for j, p in enumerate(names)
                    if sc_name in block.parameters[p].vary
                }
                key = (sc_name, tuple(sorted(values.items())))
                if key not in seen:
                    vname = sc_name if not values else f"{sc_name}__{method}_{i:0{width}d}"
                    why = f"sensitivity analysis of experiment {exp.name!r} ({method}, point {i})"
                    variants[vname] = (
                        _apply(exp.scenarios[sc_name], vname, values, from_years, why)
                        if values
                        else exp.scenarios[sc_name]
                    )
                    seen[key] = vname
                per_scenario[sc_name] = seen[key]
            point_variant.append(per_scenario)
        out.append(Design(method, x, point_variant))
    return out, variants


def output_values(exp: Experiment, design: Design, frame: pd.DataFrame) -> pd.DataFrame:
    """Each output at each point of a design (mean over the replications' seeds)."""
    block = exp.spec.sensitivity
    keys = {(o.metric, o.group, o.year) for o in block.outputs}
    sel = frame[[k in keys for k in zip(frame.metric, frame.group, frame.year)]]
    means = sel.groupby(["scenario", "metric", "group", "year"]).value.mean()
    cols = {}
    for o in block.outputs:
        val = np.array(
            [means[(pv[o.scenario], o.metric, o.group, o.year)] for pv in design.point_variant]
        )
        if o.minus is not None:
            val = val - np.array(
                [means[(pv[o.minus], o.metric, o.group, o.year)] for pv in design.point_variant]
            )
        cols[o.name] = val
    return pd.DataFrame(cols)


def run_sensitivity(
    exp: Experiment,
    out: Path,
    executor: Executor,
    fresh: bool = False,
    prune: bool = False,
    log: Callable[[str], None] = print,
) -> SensitivityOutcome:
    """Run the sensitivity design of `exp` (resuming finished runs), then estimate the indices.

    The folder is locked and claimed as for a batch (`minsheng.batch.run_batch`); `prune`
    deletes finished runs no longer in the design (else they are kept).
    """
    with claimed_store(out, exp, "sensitivity") as store:
        return _run_sensitivity(exp, store, executor, fresh, prune, log)


def _run_sensitivity(
    exp: Experiment,
    store: RunStore,
    executor: Executor,
    fresh: bool,
    prune: bool,
    log: Callable[[str], None],
) -> SensitivityOutcome:
    t0 = time.perf_counter()
    block = exp.spec.sensitivity
    folder = store.root
    if fresh:
        store.remove_all()
    designs, variants = build_designs(exp)
    seeds = [exp.seed + r for r in range(block.replications)]
    tasks = [
        RunTask(variant=n, scenario=sc, seed=s, households=exp.households, end_year=exp.end_year)
        for s in seeds
        for n, sc in variants.items()
    ]
    points = ", ".join(f"{d.method} {len(d.x)} points" for d in designs)
    done = execute_planned(
        exp,
        store,
        tasks,
        executor,
        prune,
        log,
        f"{exp.name}: sensitivity of {len(block.outputs)} outputs to {len(block.parameters)} "
        f"parameters ({points}); {len(tasks)} runs ({exp.households:,} households, "
        f"{exp.start_year}-{exp.end_year}, {len(seeds)} seed(s))",
        lambda t: {"replication": t.seed - exp.seed},
        f"{exp.name} sensitivity",
        shared={"purpose": "sensitivity"},
    )
    outcome = SensitivityOutcome(
        exp=exp,
        folder=folder,
        planned=done.planned,
        skipped=done.skipped,
        ran=done.ran,
        interrupted=done.interrupted,
        seconds=time.perf_counter() - t0,
    )
    if done.interrupted:
        return outcome

    frame = store.load_runs(tasks)
    problem = salib_problem(block)
    samples = []
    for d in designs:
        y = output_values(exp, d, frame)
        pts = pd.DataFrame(d.x, columns=problem["names"])
        pts.insert(0, "point", range(len(d.x)))
        pts.insert(0, "method", d.method)
        samples.append(pd.concat([pts, y], axis=1))
        tables = []
        for o in block.outputs:
            if d.method == "sobol":
                t = sobol_indices(
                    problem, y[o.name].to_numpy(), block.sobol.resamples, block.sobol.seed
                )
            else:
                t = morris_indices(
                    problem,
                    d.x,
                    y[o.name].to_numpy(),
                    block.morris.levels,
                    block.morris.resamples,
                    block.morris.seed,
                )
            t.insert(0, "output", o.name)
            tables.append(t)
        outcome.indices[d.method] = pd.concat(tables, ignore_index=True)
        write_text_atomic(folder / f"{d.method}.csv", outcome.indices[d.method].to_csv(index=False))
        outcome.files.append(f"{d.method}.csv")
    write_text_atomic(
        folder / "samples.csv", pd.concat(samples, ignore_index=True).to_csv(index=False)
    )
    write_text_atomic(folder / "experiment.yaml", exp.path.read_text(encoding="utf-8"))
    outcome.files = ["dataset/", "manifests/", "samples.csv", *outcome.files]
    return outcome


def _describe_output(exp: Experiment, name: str) -> str:
    o = next(o for o in exp.spec.sensitivity.outputs if o.name == name)
    what = f"{o.metric} ({o.group}) of {o.scenario}" + (f" minus {o.minus}" if o.minus else "")
    return f"{name}: {what}, {o.year}"


def sensitivity_table(outcome: SensitivityOutcome) -> str:
    """The indices as text: per output, one line per parameter."""
    lines = []
    exp = outcome.exp
    for method, table in outcome.indices.items():
        if method == "sobol":
            lines.append(
                f"Sobol' indices (first order S1, total ST; 95% bootstrap CI), {exp.spec.sensitivity.sobol.samples} base samples"
            )
            header = f"  {'parameter':<42}{'S1':>8}{'95% CI':>18}{'ST':>8}{'95% CI':>18}"
        else:
            lines.append(
                f"Morris screening (mu*: mean |elementary effect|, 95% CI; sigma: its sd), "
                f"{exp.spec.sensitivity.morris.trajectories} trajectories"
            )
            header = f"  {'parameter':<42}{'mu*':>12}{'95% CI':>26}{'sigma':>12}"
        for name, rows in table.groupby("output", sort=False):
            lines.append(_describe_output(exp, name))
            lines.append(header)
            for r in rows.itertuples():
                if method == "sobol":
                    lines.append(
                        f"  {r.parameter:<42}{r.S1:>8.3f}{f'[{r.S1_ci_low:.3f}, {r.S1_ci_high:.3f}]':>18}"
                        f"{r.ST:>8.3f}{f'[{r.ST_ci_low:.3f}, {r.ST_ci_high:.3f}]':>18}"
                    )
                else:
                    lines.append(
                        f"  {r.parameter:<42}{r.mu_star:>12.4g}{f'[{r.mu_star_ci_low:.4g}, {r.mu_star_ci_high:.4g}]':>26}"
                        f"{r.sigma:>12.4g}"
                    )
        lines.append("")
    return "\n".join(lines).rstrip()
