"""Scenarios: a baseline plus overrides, every parameter value dated and sourced.

A scenario file is YAML read by `model.yaml_reader` (safe, strict, bounded: at most 1 MB and
100,000 values, numbers as people write them). Its shape::

    name: opinions_2025
    title: The 2025 Opinions package
    extends: baseline.yaml            # optional: start from that scenario, then override
    calibration: ../calibration/calibrated.yaml   # optional: fitted behavioural parameters
    run: {start_year: 2024, end_year: 2035, households: 100000, seed: 20250610}
    parameters:
      pension.resident_minimum:
        unit: yuan/month
        values:
          2025: {value: 143, source: {document: 001_3ac9c84125cde09e.txt, quote: "..."}}

A value is in force from its year until the next dated value. Overrides merge year by year:
an override of 2025 replaces the baseline's 2025 value and leaves its other years alone.
Every problem found is reported with the file, the key, what was found and what is allowed.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from model.consistency import inconsistencies
from model.problems import ScenarioError, excerpt
from model.registry import REGISTRY, UNITS
from model.yaml_reader import read_yaml, regular_file

__all__ = ["ScenarioError", "read_yaml", "load_scenario", "Scenario"]

MAX_EXTENDS = 20  # scenario files in one chain of `extends:` (the shipped ones use at most 3)

SEED_DOCUMENTS = (
    "000_14fca7413bbe244a.txt",
    "001_3ac9c84125cde09e.txt",
    "002_8c3127101cf34643.txt",
    "003_37f00649db5601d2.txt",
    "004_0885c775db80b27a.txt",
)
DOCUMENTS = SEED_DOCUMENTS + ("public-facts.md",)


# ---------------------------------------------------------------- schema

_STRICT = ConfigDict(extra="forbid", strict=False)


class DocumentSource(BaseModel):
    """A figure quoted from a seed document or from public-facts.md."""

    model_config = _STRICT
    document: Literal[DOCUMENTS]  # type: ignore[valid-type]
    quote: str = Field(min_length=2)
    note: str | None = None


class ExternalSource(BaseModel):
    """A published rule not among the shared documents: the citation and what it says.

    Not checkable offline; `says` may paraphrase, so it is never presented as a verbatim quote.
    """

    model_config = _STRICT
    citation: str = Field(min_length=5)
    says: str = Field(min_length=2)
    note: str | None = None


class CalibratedSource(BaseModel):
    """A behavioural value fitted to a target; names the target."""

    model_config = _STRICT
    calibrated: str = Field(min_length=5)
    note: str | None = None


class AssumptionSource(BaseModel):
    """A modelling assumption with no figure behind it: says why, and is listed as such."""

    model_config = _STRICT
    assumption: str = Field(min_length=10)
    note: str | None = None


Source = DocumentSource | ExternalSource | CalibratedSource | AssumptionSource


def finite_number(v: Any) -> Any:
    """A YAML number that is finite (not true/false, not quoted, not .nan or .inf)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"a number, found {excerpt(v)}")
    if not math.isfinite(v):
        raise ValueError(f"a finite number, found {v!r}")
    if isinstance(v, int) and abs(v) > 1e300:
        raise ValueError("a number of at most 300 digits")
    return v


def whole_number(v: Any) -> Any:
    """A YAML whole number (``500``, ``5e3``): not true/false, not quoted, no fraction."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"a whole number (an integer), found {excerpt(v)}")
    v = finite_number(v)
    if isinstance(v, float):
        if not v.is_integer():
            raise ValueError(f"a whole number (an integer), found {v!r}")
        return int(v)
    return v


Number = Annotated[float, BeforeValidator(finite_number)]
Whole = Annotated[int, BeforeValidator(whole_number)]


class DatedValue(BaseModel):
    model_config = _STRICT
    value: Number
    source: Source


class ParamBlock(BaseModel):
    model_config = _STRICT
    unit: str
    values: dict[Annotated[int, Field(ge=1990, le=2100)], DatedValue] = Field(min_length=1)
    doc: str | None = None


class RunSettings(BaseModel):
    model_config = _STRICT
    start_year: Whole = Field(2024, ge=2024, le=2024)
    end_year: Whole = Field(2035, ge=2024, le=2100)
    households: Whole = Field(100_000, ge=500, le=5_000_000)
    seed: Whole = Field(20250610, ge=0, le=2**63 - 1)


class ScenarioFile(BaseModel):
    model_config = _STRICT
    name: str = Field(pattern=r"^[a-z0-9_]+$", max_length=60)
    title: str = Field(max_length=300)
    description: str | None = Field(None, max_length=20_000)
    extends: str | None = None
    calibration: str | None = None
    run: RunSettings | None = None
    parameters: dict[str, ParamBlock] = Field(default_factory=dict)


class CalibrationFile(BaseModel):
    model_config = _STRICT
    fitted_on: str
    model_version: str
    households: int
    seed: int
    objective: float | None = None
    targets: list[str] = Field(default_factory=list)
    parameters: dict[str, ParamBlock]


# ---------------------------------------------------------------- resolved scenario


@dataclass(frozen=True)
class Value:
    year: int
    value: float
    source: Source


@dataclass
class Scenario:
    """A resolved scenario: run settings and, for every registered parameter, its dated values."""

    name: str
    title: str
    path: str
    run: RunSettings
    params: dict[str, list[Value]] = field(default_factory=dict)
    description: str | None = None

    def value(self, name: str, year: int) -> float:
        """The value in force in `year` (the latest dated value at or before it)."""
        series = self.params[name]
        current = series[0].value
        for v in series:
            if v.year <= year:
                current = v.value
            else:
                break
        return current

    def uprated_value(self, name: str, year: int) -> float:
        """The value in force in `year`, grown by its uprating parameter (the registry's
        `uprated_by`) in each year after the latest dated value; plain `value` otherwise."""
        growth = REGISTRY[name].uprated_by if name in REGISTRY else None
        series = self.params[name]
        dated = max((v.year for v in series if v.year <= year), default=series[0].year)
        v = self.value(name, year)
        if growth is None or growth not in self.params:
            return v
        for y in range(dated + 1, year + 1):
            v *= 1.0 + self.value(growth, y)
        return v

    def source(self, name: str, year: int) -> Source:
        """The source of the value in force in `year`."""
        series = self.params[name]
        chosen = series[0]
        for v in series:
            if v.year <= year:
                chosen = v
        return chosen.source

    def content(self) -> dict[str, Any]:
        """Everything that affects results, as plain data (for hashing and writing back)."""
        return {
            "run": self.run.model_dump(),
            "parameters": {
                k: [(v.year, v.value) for v in series] for k, series in sorted(self.params.items())
            },
        }

    def content_hash(self) -> str:
        """A short hash of what affects results (not names, titles or sources)."""
        blob = json.dumps(self.content(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def with_values(
        self, name: str, title: str, changes: dict[str, dict[int, tuple[float, Source]]]
    ) -> Scenario:
        """A copy with some dated values replaced (used by the app and by batch sweeps).

        Raises ScenarioError for unknown parameters, out-of-range values, or values that
        contradict others (`model.consistency`).
        """
        problems: list[tuple[str, str, str, str]] = []
        params = dict(self.params)  # unchanged series are shared (they are never changed in place)
        for pname, years in changes.items():
            if pname not in REGISTRY:
                problems.append(
                    (
                        self.path,
                        f"parameters.{pname}",
                        "an unknown parameter",
                        "a name from model/registry.py",
                    )
                )
                continue
            spec = REGISTRY[pname]
            merged = {v.year: v for v in params[pname]}
            for year, (val, src) in years.items():
                if not spec.lo <= val <= spec.hi:
                    problems.append(
                        (
                            self.path,
                            f"parameters.{pname}.values.{year}",
                            repr(val),
                            f"{spec.lo} to {spec.hi} {spec.unit}",
                        )
                    )
                merged[year] = Value(year, float(val), src)
            params[pname] = [merged[y] for y in sorted(merged)]
        if problems:
            raise ScenarioError(problems)
        edited = Scenario(
            name=name, title=title, path=self.path, run=self.run.model_copy(), params=params
        )
        problems = inconsistencies(edited)
        if problems:
            raise ScenarioError(problems)
        return edited


def validation_problems(
    path: Path, exc: ValidationError, prefix: str = ""
) -> list[tuple[str, str, str, str]]:
    """A pydantic error as (file, key, found, allowed) problems, readable for people."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
        # pydantic names union members in the location; keep it readable
        for member in ("DocumentSource", "ExternalSource", "CalibratedSource", "AssumptionSource"):
            loc = loc.replace(f".{member}", "")
        found = "nothing (missing)" if err["type"] == "missing" else excerpt(err.get("input"))
        allowed = err["msg"].removeprefix("Value error, ")
        if "source" in loc:
            allowed += (
                " (a source is one of: {document: <seed file or public-facts.md>, quote: ...};"
                " {citation: ..., says: ...}; {calibrated: <target>}; {assumption: <why>})"
            )
        out.append((str(path), f"{prefix}{loc}", found, allowed))
    return out


def _check_blocks(
    path: Path, blocks: dict[str, ParamBlock], prefix: str = "parameters"
) -> list[tuple[str, str, str, str]]:
    problems = []
    for name, block in blocks.items():
        key = f"{prefix}.{name}"
        if name not in REGISTRY:
            close = [
                n
                for n in REGISTRY
                if n.split(".")[-1] == name.split(".")[-1] or n.startswith(name.split(".")[0] + ".")
            ]
            hint = f" (did you mean one of: {', '.join(close[:6])})" if close else ""
            problems.append(
                (str(path), key, "an unknown parameter", "a name from model/registry.py" + hint)
            )
            continue
        spec = REGISTRY[name]
        if block.unit != spec.unit:
            problems.append(
                (
                    str(path),
                    f"{key}.unit",
                    repr(block.unit),
                    repr(spec.unit)
                    + (" (units: " + ", ".join(UNITS) + ")" if block.unit not in UNITS else ""),
                )
            )
        for year, dv in block.values.items():
            if not spec.lo <= dv.value <= spec.hi:
                problems.append(
                    (
                        str(path),
                        f"{key}.values.{year}",
                        repr(dv.value),
                        f"{spec.lo:g} to {spec.hi:g} {spec.unit}",
                    )
                )
    return problems


def _raw_problems(path: Path, raw: dict) -> list[tuple[str, str, str, str]]:
    """The names and ranges of the parameters of a file that failed the schema, so that one
    message lists every problem (the schema's, then these): unknown names and numbers outside
    their range, read from the raw mapping; anything else malformed is the schema's to report."""
    blocks = raw.get("parameters")
    if not isinstance(blocks, dict):
        return []
    good: dict[str, ParamBlock] = {}
    for name, block in blocks.items():
        values = block.get("values") if isinstance(block, dict) else None
        if not isinstance(values, dict):
            values = {}
        numbers = {
            y: DatedValue.model_construct(value=dv["value"], source=None)
            for y, dv in values.items()
            if isinstance(dv, dict)
            and isinstance(dv.get("value"), (int, float))
            and not isinstance(dv.get("value"), bool)
            and math.isfinite(dv["value"])
        }
        unit = REGISTRY[name].unit if name in REGISTRY else ""
        good[str(name)] = ParamBlock.model_construct(unit=unit, values=numbers)
    return _check_blocks(path, good)


def _blocks_to_values(blocks: dict[str, ParamBlock]) -> dict[str, list[Value]]:
    return {
        name: [Value(y, float(dv.value), dv.source) for y, dv in sorted(b.values.items())]
        for name, b in blocks.items()
    }


def load_calibration(path: Path) -> dict[str, list[Value]]:
    """Read a calibration file (fitted behavioural parameters) strictly."""
    raw = read_yaml(path, "calibration file")
    if not isinstance(raw, dict):
        raise ScenarioError([(str(path), "-", type(raw).__name__, "a mapping")])
    try:
        cal = CalibrationFile.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(path, exc))
    problems = _check_blocks(path, cal.parameters)
    for name, block in cal.parameters.items():
        for year, dv in block.values.items():
            if not isinstance(dv.source, CalibratedSource):
                problems.append(
                    (
                        str(path),
                        f"parameters.{name}.values.{year}.source",
                        "a non-calibrated source",
                        "{calibrated: <target>} in a calibration file",
                    )
                )
    if problems:
        raise ScenarioError(problems)
    return _blocks_to_values(cal.parameters)


def _target(path: Path, key: str, value: str, kind: str) -> Path:
    """The file that `key: value` in `path` points at, checked to be a regular file."""
    try:
        return regular_file(path.parent / value, kind)
    except ScenarioError as exc:
        raise exc.reached_from(str(path), key, value, f"a {kind}")


def _extends_target(path: Path, value: str, chain: tuple[Path, ...]) -> Path:
    """The file `extends: value` in `path` points at; refused if the chain loops or is too long."""
    target = _target(path, "extends", value, "scenario file")
    names = " -> ".join(p.name for p in (*chain, path, target))
    if target in chain or target == path:
        raise ScenarioError([(str(path), "extends", names, "no cycles")], chain=True)
    if len(chain) + 2 > MAX_EXTENDS:
        raise ScenarioError(
            [
                (
                    str(path),
                    "extends",
                    f"{value!r}, file {len(chain) + 2} of a chain of extends ({names})",
                    f"chains of at most {MAX_EXTENDS} scenario files",
                )
            ],
            chain=True,
        )
    return target


def load_scenario(path: str | Path, _chain: tuple[Path, ...] = ()) -> Scenario:
    """Load and validate a scenario file (following `extends:`), or raise ScenarioError.

    Every override is validated before any is applied; the resolved scenario must give a
    value for every registered parameter, and its values must agree with each other
    (`model.consistency`). A problem in a file that `extends:` or `calibration:` points at is
    reported after the file and key that pointed at it. Chains of `extends:` are at most
    MAX_EXTENDS files long.
    """
    path = regular_file(path) if not _chain else Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise ScenarioError(
            [
                (
                    str(path),
                    "-",
                    type(raw).__name__ if raw is not None else "an empty file",
                    "a mapping with name, title, parameters",
                )
            ]
        )
    try:
        sf = ScenarioFile.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(path, exc) + _raw_problems(path, raw))

    problems = _check_blocks(path, sf.parameters)
    if problems:
        raise ScenarioError(problems)

    if sf.extends:
        target = _extends_target(path, sf.extends, _chain)
        try:
            base = load_scenario(target, _chain + (path,))
        except ScenarioError as exc:
            raise exc.reached_from(str(path), "extends", sf.extends, "a scenario file")
        params = {k: list(v) for k, v in base.params.items()}
        run = (
            base.run.model_copy(update=sf.run.model_dump(exclude_unset=True))
            if sf.run
            else base.run
        )
    else:
        params = {}
        run = sf.run or RunSettings()

    if sf.calibration:
        cal_path = _target(path, "calibration", sf.calibration, "calibration file")
        try:
            calibrated = load_calibration(cal_path)
        except ScenarioError as exc:
            raise exc.reached_from(str(path), "calibration", sf.calibration, "a calibration file")
        for name, series in calibrated.items():
            if name in sf.parameters:
                problems.append(
                    (
                        str(path),
                        f"parameters.{name}",
                        "also set in " + str(cal_path),
                        "each parameter in one place",
                    )
                )
            params[name] = series
    if problems:
        raise ScenarioError(problems)

    for name, series in _blocks_to_values(sf.parameters).items():
        merged = {v.year: v for v in params.get(name, [])}
        merged.update({v.year: v for v in series})
        params[name] = [merged[y] for y in sorted(merged)]

    missing = sorted(set(REGISTRY) - set(params))
    if missing:
        raise ScenarioError(
            [
                (
                    str(path),
                    f"parameters.{m}",
                    "nothing (missing)",
                    f"a dated, sourced value in {REGISTRY[m].unit}",
                )
                for m in missing
            ]
        )
    for name, series in params.items():
        if series[0].year > run.start_year:
            problems.append(
                (
                    str(path),
                    f"parameters.{name}",
                    f"first value dated {series[0].year}",
                    f"a value in force in the start year {run.start_year}",
                )
            )
    if run.end_year < run.start_year:
        problems.append(
            (str(path), "run.end_year", str(run.end_year), f">= start_year {run.start_year}")
        )
    if problems:
        raise ScenarioError(problems)
    scenario = Scenario(
        name=sf.name,
        title=sf.title,
        path=str(path),
        run=run,
        params=params,
        description=sf.description,
    )
    problems = inconsistencies(scenario)
    if problems:
        raise ScenarioError(problems)
    return scenario
