"""Experiment files: which scenarios to run, how often, with which parameter sweeps.

An experiment file is YAML read as strictly as a scenario (no unknown or duplicate keys; every
problem names the file, the key, what was found and what is allowed). Its shape::

    name: opinions_replications            # [a-z0-9_]+, names the results folder
    title: The 2025 Opinions against the baseline
    baseline: ../scenarios/baseline.yaml   # differences are taken from this scenario
    scenarios: [../scenarios/opinions_2025.yaml]   # paths relative to this file
    run: {households: 20000, end_year: 2030, seed: 20250610}
    replications: 10                       # replication r runs every scenario with seed + r
    sweeps:                                # optional: variants of some scenarios
      - name: subsidy
        vary: [opinions_2025]              # scenario names (the `name:` inside their files)
        from_year: 2025                    # the swept value holds from this year on
        grid: {medical.resident_subsidy: [700, 800, 900]}    # every combination, or
        # sample: {points: 8, seed: 1, ranges: {medical.resident_subsidy: [700, 900]}}
    metrics: [{metric: medical_coverage, group: all}]  # optional: the printed table's rows
    sensitivity: ...                       # optional: see `minsheng.sensitivity`

Every replication runs every scenario and every sweep variant with the same seed, so a
difference from the baseline is paired (common random numbers): a null reform differs by
exactly zero. A variant of a reform is compared with the same sweep point's variant of the
baseline when the sweep varies the baseline too (a behavioural parameter), else with the
baseline itself.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from minsheng.report import HEADLINES
from minsheng.targets import MetricRef
from model import ScenarioError, load_scenario, run_scenario
from model.registry import REGISTRY
from model.scenario import (
    AssumptionSource,
    Number,
    Scenario,
    Whole,
    read_yaml,
    regular_file,
    validation_problems,
)

Problem = tuple[str, str, str, str]

from minsheng.limits import MAX_RUNS  # noqa: E402  (re-exported: the experiment's limit)

_STRICT = ConfigDict(extra="forbid")
Name = Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=60)]
Num = Number  # a finite YAML number; a quoted "700", `true` or .nan is refused
Int = Whole  # a YAML whole number (5e3 is 5000); a quoted "5", `true` or 2.5 is refused


class ExperimentError(ScenarioError):
    """An experiment file that cannot be used. Carries one (file, key, found, allowed) per problem
    (the first 20, and how many more)."""

    title = "invalid experiment"


# ---------------------------------------------------------------- schema


class RunBlock(BaseModel):
    """Sample size, last year and base seed shared by every run of the experiment."""

    model_config = _STRICT
    households: Int = Field(20_000, ge=500, le=5_000_000)
    end_year: Int = Field(2035, ge=2024, le=2100)
    seed: Int = Field(20250610, ge=0, le=2**62)


class SampleSpec(BaseModel):
    """`points` Latin-hypercube points in the given ranges (low, high), drawn with `seed`."""

    model_config = _STRICT
    points: Int = Field(ge=1, le=100_000)
    seed: Int = Field(0, ge=0)
    ranges: dict[str, tuple[Num, Num]] = Field(min_length=1)


class Sweep(BaseModel):
    """Variants of some scenarios: a grid (every combination of the listed values) or a sample."""

    model_config = _STRICT
    name: Name
    vary: list[str] = Field(min_length=1)
    from_year: Int | None = None
    grid: dict[str, Annotated[list[Num], Field(min_length=1)]] | None = None
    sample: SampleSpec | None = None

    @model_validator(mode="after")
    def _one_design(self) -> Sweep:
        if (self.grid is None) == (self.sample is None):
            raise ValueError("exactly one of `grid` or `sample`")
        if self.grid is not None and not self.grid:
            raise ValueError("`grid` names at least one parameter")
        return self


class SensitivityParameter(BaseModel):
    """A parameter varied by the sensitivity analysis: its range and the scenarios it applies to."""

    model_config = _STRICT
    range: tuple[Num, Num]
    vary: list[str] = Field(min_length=1)
    from_year: Int | None = None


class SensitivityOutput(BaseModel):
    """One output: a metric of a scenario in a year, optionally minus the same of another scenario."""

    model_config = _STRICT
    name: Name
    scenario: str
    minus: str | None = None
    metric: str
    group: str = "all"
    year: Int


class SobolSettings(BaseModel):
    """Saltelli sampling with `samples` base points (a power of 2): samples x (parameters + 2) points."""

    model_config = _STRICT
    samples: Int = Field(ge=2, le=2**16)
    seed: Int = Field(0, ge=0)
    resamples: Int = Field(200, ge=10, le=10_000)

    @model_validator(mode="after")
    def _power_of_two(self) -> SobolSettings:
        if self.samples & (self.samples - 1):
            raise ValueError(
                f"samples must be a power of 2 (Sobol' sequences), found {self.samples}"
            )
        return self


class MorrisSettings(BaseModel):
    """Morris screening: `trajectories` x (parameters + 1) points on a grid of `levels` levels."""

    model_config = _STRICT
    trajectories: Int = Field(ge=2, le=10_000)
    levels: Int = Field(4, ge=2, le=20)
    seed: Int = Field(0, ge=0)
    resamples: Int = Field(200, ge=10, le=10_000)

    @model_validator(mode="after")
    def _even_levels(self) -> MorrisSettings:
        if self.levels % 2:
            raise ValueError(f"levels must be even (Morris' design), found {self.levels}")
        return self


class SensitivityBlock(BaseModel):
    """What `minsheng sensitivity` varies, what it measures and with which methods."""

    model_config = _STRICT
    parameters: dict[str, SensitivityParameter] = Field(min_length=1)
    outputs: list[SensitivityOutput] = Field(min_length=1)
    sobol: SobolSettings | None = None
    morris: MorrisSettings | None = None
    replications: Int = Field(1, ge=1, le=1000)

    @model_validator(mode="after")
    def _a_method(self) -> SensitivityBlock:
        if self.sobol is None and self.morris is None:
            raise ValueError("at least one method: `sobol` and/or `morris`")
        return self


class ExperimentFile(BaseModel):
    """The experiment file as written."""

    model_config = _STRICT
    name: Name
    title: str = Field(max_length=300)
    description: str | None = Field(None, max_length=20_000)
    baseline: str
    scenarios: list[str] = Field(default_factory=list)
    run: RunBlock = Field(default_factory=RunBlock)
    replications: Int = Field(10, ge=1, le=100_000)
    sweeps: list[Sweep] = Field(default_factory=list)
    metrics: list[MetricRef] | None = None
    sensitivity: SensitivityBlock | None = None


# ---------------------------------------------------------------- the resolved experiment


@dataclass(frozen=True)
class Variant:
    """One scenario to run in every replication: a scenario file, or a sweep point of one.

    Attributes:
        name: the name results carry (`scenario` column and partition), e.g. ``opinions_2025``
            or ``opinions_2025__subsidy_002``.
        base: the `name:` of the scenario file it comes from.
        reference: the variant its differences are taken from (None for the baseline).
        parameters: the swept values (registry name -> value in the registry's unit).
    """

    name: str
    scenario: Scenario
    base: str
    reference: str | None
    sweep: str | None = None
    point: int | None = None
    parameters: dict[str, float] = field(default_factory=dict)
    from_year: int | None = None


@dataclass
class Experiment:
    """A validated experiment: resolved scenarios, run settings and its variants."""

    name: str
    title: str
    path: Path
    spec: ExperimentFile
    baseline: str
    scenarios: dict[str, Scenario]  # by name, baseline first, in file order
    households: int
    end_year: int
    seed: int
    replications: int
    start_year: int
    metrics: list[tuple[str, str]]
    variants: list[Variant]

    @property
    def seeds(self) -> list[int]:
        """The seed of each replication: replication r uses seed + r in every scenario."""
        return [self.seed + r for r in range(self.replications)]

    def variant(self, name: str) -> Variant:
        """The variant called `name` (StopIteration if there is none)."""
        return next(v for v in self.variants if v.name == name)


def set_from(
    scenario: Scenario, name: str, values: dict[str, float], from_year: int, why: str
) -> Scenario:
    """A copy of `scenario` named `name` in which each parameter holds `values[p]` from `from_year` on.

    Later dated values of the scenario are replaced too, so the value really is in force from
    `from_year` to the end. The source of each set value is an assumption naming `why`.
    """
    src = AssumptionSource(assumption=why)
    changes = {}
    for pname, value in values.items():
        years = [from_year] + [v.year for v in scenario.params[pname] if v.year > from_year]
        changes[pname] = {y: (float(value), src) for y in years}
    return scenario.with_values(name, f"{scenario.title} [{why}]", changes)


@lru_cache(maxsize=4)
def _known_outputs(baseline_path: str, start_year: int) -> frozenset[tuple[str, str]]:
    """Every (metric, group) the model reports, from a one-year run of 500 households."""
    res = run_scenario(load_scenario(baseline_path), households=500, end_year=start_year, seed=0)
    return frozenset(zip(res.frame.metric, res.frame.group))


def known_outputs(baseline: Scenario) -> frozenset[tuple[str, str]]:
    """Every (metric, group) the model reports (cached)."""
    return _known_outputs(baseline.path, baseline.run.start_year)


def _check_parameter(
    file: str, key: str, pname: str, values: list[float], problems: list[Problem]
) -> None:
    if pname not in REGISTRY:
        close = [
            n
            for n in REGISTRY
            if n.split(".")[-1] == pname.split(".")[-1] or n.startswith(pname.split(".")[0] + ".")
        ]
        hint = f" (did you mean one of: {', '.join(close[:6])})" if close else ""
        problems.append((file, key, repr(pname), "a parameter name from model/registry.py" + hint))
        return
    spec = REGISTRY[pname]
    for i, v in enumerate(values):
        if not spec.lo <= v <= spec.hi:
            problems.append(
                (file, f"{key}[{i}]", repr(v), f"{spec.lo:g} to {spec.hi:g} {spec.unit}")
            )


def _check_names(
    file: str, key: str, names: list[str], known: list[str], problems: list[Problem]
) -> None:
    for i, n in enumerate(names):
        if n not in known:
            problems.append(
                (
                    file,
                    f"{key}[{i}]",
                    repr(n),
                    "the name of a scenario of this experiment: " + ", ".join(known),
                )
            )


def _check_year(
    file: str, key: str, year: int | None, start: int, end: int, problems: list[Problem]
) -> None:
    if year is not None and not start <= year <= end:
        problems.append((file, key, str(year), f"a year from {start} to run.end_year {end}"))


def _check_output(
    file: str,
    key: str,
    metric: str,
    group: str,
    known: frozenset[tuple[str, str]],
    problems: list[Problem],
) -> None:
    if (metric, group) in known:
        return
    groups = sorted(g for m, g in known if m == metric)
    if groups:
        problems.append(
            (file, f"{key}.group", repr(group), f"a group of {metric}: " + ", ".join(groups))
        )
    else:
        metrics = sorted({m for m, _ in known})
        problems.append(
            (
                file,
                f"{key}.metric",
                repr(metric),
                "a metric the model reports: " + ", ".join(metrics),
            )
        )


def latin_hypercube(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """`n` points in the unit cube [0, 1)^d with exactly one point in each of n equal slices of every axis."""
    strata = rng.permuted(np.tile(np.arange(n), (d, 1)), axis=1).T
    return (strata + rng.random((n, d))) / n


def sweep_points(sweep: Sweep) -> list[dict[str, float]]:
    """The parameter values of each point of a sweep, in a fixed order."""
    if sweep.grid is not None:
        names = list(sweep.grid)
        return [
            dict(zip(names, combo)) for combo in itertools.product(*(sweep.grid[n] for n in names))
        ]
    spec = sweep.sample
    names = list(spec.ranges)
    unit = latin_hypercube(spec.points, len(names), np.random.default_rng(spec.seed))
    lo = np.array([spec.ranges[n][0] for n in names])
    hi = np.array([spec.ranges[n][1] for n in names])
    values = lo + unit * (hi - lo)
    return [{n: float(row[j]) for j, n in enumerate(names)} for row in values]


def implied_runs(spec: ExperimentFile, scenarios: int, purpose: str = "batch") -> tuple[int, str]:
    """How many runs the experiment implies, from its declaration (nothing is expanded), and how.

    A batch runs every scenario and every sweep variant (grid: the product of the lists' lengths;
    sample: its points; times the scenarios it varies) in every replication. A sensitivity
    analysis runs at most (Sobol' samples x (parameters + 2) + Morris trajectories x
    (parameters + 1)) points for each scenario its outputs read, in each of its replications.
    """
    if purpose == "sensitivity" and spec.sensitivity is not None:
        sens = spec.sensitivity
        d = len(sens.parameters)
        points = (sens.sobol.samples * (d + 2) if sens.sobol else 0) + (
            sens.morris.trajectories * (d + 1) if sens.morris else 0
        )
        needed = len({n for o in sens.outputs for n in (o.scenario, o.minus) if n is not None})
        runs = points * needed * sens.replications
        return runs, (
            f"{points:,} points x {needed} scenarios x {sens.replications:,} replications"
        )
    variants = scenarios
    for sw in spec.sweeps:
        if sw.grid is not None:
            points = math.prod(len(values) for values in sw.grid.values())
        else:
            points = sw.sample.points
        variants += points * len(sw.vary)
    runs = variants * spec.replications
    return runs, f"{variants:,} scenarios and sweep variants x {spec.replications:,} replications"


def _check_size(
    file: str, spec: ExperimentFile, scenarios: int, purpose: str, max_runs: int
) -> None:
    """Refuse an experiment that implies more than `max_runs` runs (before building any)."""
    runs, how = implied_runs(spec, scenarios, purpose)
    if runs > max_runs:
        key = (
            "sensitivity"
            if purpose == "sensitivity"
            else ("sweeps" if spec.sweeps else "replications")
        )
        raise ExperimentError(
            [
                (
                    file,
                    key,
                    f"{runs:,} runs ({how})",
                    f"at most {max_runs:,} runs per experiment (raise the limit with --max-runs {runs})",
                )
            ]
        )


def _scenario_file(path: Path, key: str, rel: str) -> Path:
    """The scenario file `key: rel` of the experiment file `path` names (ScenarioError if none)."""
    try:
        return regular_file(path.parent / rel)
    except ScenarioError as exc:
        if exc.problems[0][2] == "no such file":
            raise ScenarioError(
                [
                    (
                        str(path),
                        key,
                        repr(rel),
                        f"a scenario file (paths are relative to {path.parent}); "
                        f"{path.parent / rel} does not exist",
                    )
                ]
            )
        raise exc.reached_from(str(path), key, rel, "a scenario file")


def load_experiment(
    path: str | Path, max_runs: int = MAX_RUNS, purpose: str = "batch"
) -> Experiment:
    """Read and check an experiment file and the scenario files it names, or raise ExperimentError.

    Everything is checked before anything runs: the schema, the scenario files, sweep and
    sensitivity parameters (registry names, values within the registry's range), scenario names
    in `vary`, years, metric names (against a 500-household one-year run), and the number of
    runs the file implies for `purpose` (``batch`` or ``sensitivity``), at most `max_runs`.
    """
    try:
        path = regular_file(path, "experiment file")
        raw = read_yaml(path, "experiment file")
    except ScenarioError as exc:  # the same strict reader as scenarios
        raise ExperimentError(exc.problems, omitted=exc.omitted)
    file = str(path)
    if not isinstance(raw, dict):
        found = type(raw).__name__ if raw is not None else "an empty file"
        raise ExperimentError(
            [
                (
                    file,
                    "-",
                    found,
                    "a mapping with name, title, baseline, scenarios, run, replications",
                )
            ]
        )
    try:
        spec = ExperimentFile.model_validate(raw)
    except ValidationError as exc:
        raise ExperimentError(validation_problems(path, exc))

    _check_size(file, spec, 1 + len(spec.scenarios), purpose, max_runs)

    problems: list[Problem] = []
    omitted = 0
    scenarios: dict[str, Scenario] = {}
    for key, rel in [("baseline", spec.baseline)] + [
        (f"scenarios[{i}]", s) for i, s in enumerate(spec.scenarios)
    ]:
        try:
            sc_path = _scenario_file(path, key, rel)
            try:
                sc = load_scenario(sc_path)
            except ScenarioError as exc:
                raise exc.reached_from(file, key, rel, "a scenario file")
        except ScenarioError as exc:
            problems.extend(exc.problems)
            omitted += exc.omitted
            continue
        if sc.name in scenarios:
            problems.append(
                (
                    file,
                    key,
                    f"a second scenario named {sc.name!r}",
                    "scenarios with different names",
                )
            )
            continue
        scenarios[sc.name] = sc
    if problems:
        raise ExperimentError(problems, omitted=omitted)

    baseline = next(iter(scenarios.values()))
    names = list(scenarios)
    start = baseline.run.start_year
    run = spec.run
    if run.end_year < start:
        problems.append(
            (file, "run.end_year", str(run.end_year), f"a year from the start year {start} to 2100")
        )
    known = known_outputs(baseline)

    for i, sw in enumerate(spec.sweeps):
        key = f"sweeps[{i}]"
        if sw.name in [s.name for s in spec.sweeps[:i]]:
            problems.append((file, f"{key}.name", repr(sw.name), "a name no other sweep has"))
        _check_names(file, f"{key}.vary", sw.vary, names, problems)
        _check_year(file, f"{key}.from_year", sw.from_year, start, run.end_year, problems)
        if sw.grid is not None:
            for pname, values in sw.grid.items():
                _check_parameter(file, f"{key}.grid.{pname}", pname, values, problems)
        else:
            for pname, (lo, hi) in sw.sample.ranges.items():
                _check_parameter(file, f"{key}.sample.ranges.{pname}", pname, [lo, hi], problems)
                if pname in REGISTRY and not lo < hi:
                    problems.append(
                        (
                            file,
                            f"{key}.sample.ranges.{pname}",
                            f"[{lo:g}, {hi:g}]",
                            "a range [low, high] with low < high",
                        )
                    )
    for i, m in enumerate(spec.metrics or []):
        _check_output(file, f"metrics[{i}]", m.metric, m.group, known, problems)

    if spec.sensitivity is not None:
        sens = spec.sensitivity
        for pname, par in sens.parameters.items():
            key = f"sensitivity.parameters.{pname}"
            _check_parameter(file, f"{key}.range", pname, list(par.range), problems)
            if pname in REGISTRY and not par.range[0] < par.range[1]:
                problems.append(
                    (
                        file,
                        f"{key}.range",
                        f"[{par.range[0]:g}, {par.range[1]:g}]",
                        "a range [low, high] with low < high",
                    )
                )
            _check_names(file, f"{key}.vary", par.vary, names, problems)
            _check_year(file, f"{key}.from_year", par.from_year, start, run.end_year, problems)
        seen: set[str] = set()
        for i, out in enumerate(sens.outputs):
            key = f"sensitivity.outputs[{i}]"
            if out.name in seen:
                problems.append((file, f"{key}.name", repr(out.name), "a name no other output has"))
            seen.add(out.name)
            _check_names(file, f"{key}.scenario", [out.scenario], names, problems)
            if out.minus is not None:
                _check_names(file, f"{key}.minus", [out.minus], names, problems)
            _check_output(file, key, out.metric, out.group, known, problems)
            _check_year(file, f"{key}.year", out.year, start, run.end_year, problems)
    if problems:
        raise ExperimentError(problems)

    metrics = (
        [(m.metric, m.group) for m in spec.metrics]
        if spec.metrics
        else [(m, g) for m, g, _, _ in HEADLINES]
    )
    return Experiment(
        name=spec.name,
        title=spec.title,
        path=path,
        spec=spec,
        baseline=baseline.name,
        scenarios=scenarios,
        households=run.households,
        end_year=run.end_year,
        seed=run.seed,
        replications=spec.replications,
        start_year=start,
        metrics=metrics,
        variants=_variants(spec, scenarios, baseline.name, start, file),
    )


def _variants(
    spec: ExperimentFile, scenarios: dict[str, Scenario], baseline: str, start: int, file: str
) -> list[Variant]:
    """The scenarios themselves, then each sweep's points applied to the scenarios it varies."""
    out = [
        Variant(name=n, scenario=sc, base=n, reference=None if n == baseline else baseline)
        for n, sc in scenarios.items()
    ]
    for i, sw in enumerate(spec.sweeps):
        points = sweep_points(sw)
        width = max(3, len(str(len(points) - 1)))
        from_year = sw.from_year if sw.from_year is not None else start
        # the baseline first, so reforms can name their reference
        for base in sorted(sw.vary, key=lambda n: n != baseline):
            for k, values in enumerate(points):
                vname = f"{base}__{sw.name}_{k:0{width}d}"
                if base == baseline:
                    reference = baseline
                elif baseline in sw.vary:
                    reference = f"{baseline}__{sw.name}_{k:0{width}d}"
                else:
                    reference = baseline
                why = f"sweep {sw.name!r} of experiment {spec.name!r}, point {k}"
                try:
                    scenario = set_from(scenarios[base], vname, values, from_year, why)
                except ScenarioError as exc:  # values that contradict the scenario's others
                    problem = exc.problems[0]
                    raise ExperimentError(
                        [(file, f"sweeps[{i}] point {k} of {base}", problem[2], problem[3])],
                        omitted=len(exc.problems) - 1 + exc.omitted,
                    )
                out.append(
                    Variant(
                        name=vname,
                        scenario=scenario,
                        base=base,
                        reference=reference,
                        sweep=sw.name,
                        point=k,
                        parameters=dict(values),
                        from_year=from_year,
                    )
                )
    return out
