"""Scenarios in and out of the app: shipped files, uploads, edits, YAML downloads, source tables.

No Streamlit here: the pages call these through `app/engine.py`, and tests call them directly.
Uploaded YAML goes through the model's own strict loader (`model.load_scenario`: a safe YAML
loader that refuses Python tags and duplicate keys); nothing in an upload is ever executed.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from model import Scenario, ScenarioError, load_scenario
from model.registry import REGISTRY
from model.scenario import (
    AssumptionSource,
    CalibratedSource,
    CalibrationFile,
    DocumentSource,
    ExternalSource,
    Source,
    read_yaml,
    regular_file,
)
from model.yaml_reader import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_DIR = ROOT / "scenarios"
CALIBRATION_DIR = ROOT / "calibration"
MAX_UPLOAD_BYTES = MAX_BYTES  # the limit of every scenario file (model.yaml_reader)


def results_dir() -> Path:
    """Where saved runs are looked for: $MINSHENG_RESULTS or results/ beside the scenarios."""
    return Path(os.environ.get("MINSHENG_RESULTS", ROOT / "results"))


def shipped_scenarios() -> dict[str, Path]:
    """Scenario files in scenarios/ (the package first, then single measures), by relative path."""
    files = sorted(
        SCENARIO_DIR.glob("*.yaml"),
        key=lambda p: (p.stem != "baseline", p.stem != "opinions_2025", p.stem),
    )
    files += sorted((SCENARIO_DIR / "measures").glob("*.yaml"))
    return {p.relative_to(SCENARIO_DIR).as_posix(): p for p in files}


# ---------------------------------------------------------------- uploads


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, in plain words: where, what was found, what is allowed."""

    file: str
    where: str
    found: str
    allowed: str


class UploadError(Exception):
    """An uploaded scenario that cannot be used; `problems` says why, one entry per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            "; ".join(
                f"{p.file}: {p.where}: found {p.found}; allowed {p.allowed}" for p in problems
            )
        )


def _inside(path: Path, folder: Path) -> bool:
    """True if `path` is `folder` or lies below it (False for any path that cannot be resolved)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError, RuntimeError):
        return False


def _shipped_file(path: Path) -> bool:
    """True if `path` is a regular file within the loader's limits (never blocks, never raises)."""
    try:
        regular_file(path)
        return True
    except ScenarioError:
        return False


def _plainer(key: str, found: str, allowed: str) -> tuple[str, str]:
    """Say the schema's terse messages in plain words."""
    from model.scenario import ScenarioFile

    if allowed == "Extra inputs are not permitted":
        if "." not in key:
            return f"an unknown key {key!r}", "only the keys " + ", ".join(
                ScenarioFile.model_fields
            )
        return (
            f"an unknown key {key.rsplit('.', 1)[-1]!r}",
            "only the keys of the scenario format (as in scenarios/baseline.yaml)",
        )
    if allowed.startswith("String should match pattern '^[a-z0-9_]+$'"):
        return found, "lower-case letters, digits and _ only"
    return found, allowed


def read_upload(filename: str, data: bytes) -> Scenario:
    """Validate an uploaded scenario file with the strict loader and return the scenario.

    `extends:` is resolved against the shipped scenarios (a file saved from scenarios/ says
    ``extends: baseline.yaml``; one from scenarios/measures/ says ``extends: ../baseline.yaml``);
    it may not point outside them, nor `calibration:` outside calibration/.

    Raises:
        UploadError: with every problem found, naming the uploaded file.
    """
    shown = Path(filename).name or "upload.yaml"
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            [
                Problem(
                    shown,
                    "-",
                    f"{len(data):,} bytes",
                    f"a scenario file of at most {MAX_UPLOAD_BYTES:,} bytes",
                )
            ]
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise UploadError(
            [Problem(shown, "-", "a file that is not UTF-8 text", "a YAML text file in UTF-8")]
        )
    with tempfile.TemporaryDirectory(prefix="minsheng-upload-") as tmp:
        tmp_path = Path(tmp)
        scen = tmp_path / "scenarios"
        shutil.copytree(SCENARIO_DIR, scen)
        shutil.copytree(CALIBRATION_DIR, tmp_path / "calibration")
        name = f"_uploaded_{hashlib.sha256(data).hexdigest()[:12]}.yaml"
        probe = tmp_path / name
        probe.write_bytes(data)

        def plain(exc: ScenarioError) -> UploadError:
            out = []
            for f, key, found, allowed in exc.problems:
                fp = Path(f.replace("\0", ""))
                if fp.name == name:
                    f = shown
                elif _inside(fp, tmp_path):
                    f = fp.resolve().relative_to(tmp_path.resolve()).as_posix()
                hide = str(tmp_path) + os.sep
                found, allowed = _plainer(key, found.replace(hide, ""), allowed.replace(hide, ""))
                out.append(Problem(f, key, found, allowed))
            if exc.omitted:
                out.append(
                    Problem(
                        shown,
                        "…",
                        f"{exc.omitted:,} more problems",
                        f"fix the ones above first (the first {len(exc.problems)} are shown)",
                    )
                )
            return UploadError(out)

        try:
            raw = read_yaml(probe)
        except ScenarioError as exc:
            raise plain(exc)
        folder = scen
        if isinstance(raw, dict) and isinstance(raw.get("extends"), str):
            ext = raw["extends"]
            found = [
                d
                for d in (scen, scen / "measures")
                if _inside(d / ext, scen) and _shipped_file(d / ext)
            ]
            if not found:
                choices = ", ".join(shipped_scenarios())
                raise UploadError(
                    [
                        Problem(
                            shown,
                            "extends",
                            repr(ext),
                            f"the name of a scenario in scenarios/ ({choices})",
                        )
                    ]
                )
            folder = found[0]
        if (
            isinstance(raw, dict)
            and isinstance(raw.get("calibration"), str)
            and not _inside(folder / raw["calibration"], tmp_path / "calibration")
        ):
            raise UploadError(
                [
                    Problem(
                        shown,
                        "calibration",
                        repr(raw["calibration"]),
                        "a file in calibration/ (e.g. ../calibration/calibrated.yaml)",
                    )
                ]
            )
        target = folder / name
        shutil.move(probe, target)
        try:
            scenario = load_scenario(target)
        except ScenarioError as exc:
            raise plain(exc)
    scenario.path = f"upload:{shown}"
    return scenario


# ---------------------------------------------------------------- edits and downloads


def describe(src: Source) -> str:
    """A source in one line (for notes and captions)."""
    if isinstance(src, DocumentSource):
        return f"{src.document}: {src.quote}"
    if isinstance(src, ExternalSource):
        return f"{src.citation}: {src.says}"
    if isinstance(src, CalibratedSource):
        return f"calibrated to {src.calibrated}"
    return f"assumption: {src.assumption}"


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@dataclass(frozen=True)
class Change:
    """One edited parameter: the value in force from `year` on, and what it replaced."""

    param: str
    year: int
    old: float
    new: float
    old_source: Source


def edit(
    base: Scenario,
    values: dict[str, float],
    from_year: int,
    name: str | None = None,
    title: str | None = None,
) -> tuple[Scenario, list[Change]]:
    """The scenario with `values` in force from `from_year` to the end of the run.

    Only parameters whose value differs from the one in force in `from_year` are changed (so an
    edit that changes nothing gives exactly the starting scenario). Later dated values of a changed
    parameter are replaced too, so the new value holds to the end. Each new value's source says it
    was set in the app and what it replaced.

    Raises:
        ScenarioError: for unknown parameters or values out of their allowed range.
    """
    changes: dict[str, dict[int, tuple[float, Source]]] = {}
    record: list[Change] = []
    for param, new in values.items():
        old = base.value(param, from_year)
        if same(float(new), old):
            continue
        old_src = base.source(param, from_year)
        unit = REGISTRY[param].unit if param in REGISTRY else ""
        src = AssumptionSource(
            assumption=f"set in the minsheng app: {float(new):g} {unit} from {from_year} "
            f"(scenario {base.name} had {old:g}; its source: {describe(old_src)})"
        )
        years = [from_year] + [v.year for v in base.params[param] if v.year > from_year]
        changes[param] = {y: (float(new), src) for y in years}
        record.append(Change(param, from_year, old, float(new), old_src))
    if not changes:
        return base, []
    name = name or f"{base.name}_edited"
    title = title or f"{base.title} (edited)"
    edited = base.with_values(name, title, changes)
    edited.description = (base.description or "").strip() or None
    return edited, record


def clean_name(text: str, fallback: str) -> str:
    """A scenario name the loader accepts (lower-case letters, digits and _)."""
    out = re.sub(r"[^a-z0-9_]+", "_", text.strip().lower()).strip("_")
    return out or fallback


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() and abs(v) < 1e15 else float(v)


def to_yaml(scenario: Scenario, header: list[str] | None = None) -> str:
    """The scenario as one self-contained YAML file: every parameter with its dated values and sources.

    It needs no other file, so ``minsheng run FILE.yaml`` accepts it wherever it is saved, and
    the app accepts it as an upload.
    """
    params = {}
    for pname in sorted(scenario.params):
        series = scenario.params[pname]
        params[pname] = {
            "unit": REGISTRY[pname].unit,
            "values": {
                v.year: {
                    "value": _number(v.value),
                    "source": v.source.model_dump(exclude_none=True),
                }
                for v in series
            },
        }
    doc = {"name": scenario.name, "title": scenario.title}
    if scenario.description:
        doc["description"] = scenario.description
    doc["run"] = scenario.run.model_dump()
    doc["parameters"] = params
    lines = [f"# {h}" for h in (header or [])]
    lines.append("# Self-contained: every parameter with its dated values and sources. Run it with")
    lines.append("#   minsheng run THIS_FILE.yaml")
    body = yaml.safe_dump(
        doc, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000
    )
    return "\n".join(lines) + "\n" + body


def edit_header(base: Scenario, changes: list[Change], households: int) -> list[str]:
    """Comment lines for a downloaded edited scenario: where it started and what changed."""
    where = base.path
    if _inside(Path(where), ROOT):
        where = Path(where).resolve().relative_to(ROOT).as_posix()
    out = [
        f"Edited in the minsheng app on {date.today().isoformat()}, starting from {base.name} ({where})."
    ]
    for c in changes:
        out.append(f"  {c.param}: {c.old:g} -> {c.new:g} from {c.year}")
    out.append(
        f"The app ran it with {households:,} households; run.households below is the scenario's own."
    )
    return out


# ---------------------------------------------------------------- sources and calibration

KINDS = ("document", "external", "calibrated", "assumption")


def source_kind(src: Source) -> str:
    """document (quoted from a shared document), external (a cited rule), calibrated, or assumption."""
    return {
        DocumentSource: "document",
        ExternalSource: "external",
        CalibratedSource: "calibrated",
        AssumptionSource: "assumption",
    }[type(src)]


def source_parts(src: Source) -> tuple[str, str, str]:
    """(where, text, note): the document or citation, the quote or what it says or why, and the note."""
    if isinstance(src, DocumentSource):
        return src.document, src.quote, src.note or ""
    if isinstance(src, ExternalSource):
        return src.citation, src.says, src.note or ""
    if isinstance(src, CalibratedSource):
        return "calibration/calibrated.yaml", src.calibrated, src.note or ""
    return "", src.assumption, src.note or ""


def sources_table(scenario: Scenario) -> pd.DataFrame:
    """Every dated value of a scenario with its source: one row per parameter and year."""
    rows = []
    for pname in sorted(scenario.params):
        spec = REGISTRY.get(pname)
        for v in scenario.params[pname]:
            where, text, note = source_parts(v.source)
            rows.append(
                {
                    "parameter": pname,
                    "year": v.year,
                    "value": v.value,
                    "unit": spec.unit if spec else "",
                    "kind": source_kind(v.source),
                    "where": where,
                    "text": text,
                    "note": note,
                    "meaning": spec.doc if spec else "",
                }
            )
    return pd.DataFrame(rows)


def all_sources(scenarios: dict[str, Scenario]) -> pd.DataFrame:
    """Every dated value of every scenario with its source, once: a value several scenarios
    share (as those that extend the baseline do) is one row, `scenarios` listing them all."""
    tables = []
    for key, sc in scenarios.items():
        t = sources_table(sc)
        t["scenario"] = key
        tables.append(t)
    keys = ["parameter", "year", "value", "kind", "where", "text", "note"]
    if not tables:
        return pd.DataFrame(columns=[*keys, "unit", "meaning", "scenarios"])
    allv = pd.concat(tables, ignore_index=True)
    out = (
        allv.groupby(keys, sort=False, dropna=False)
        .agg(
            unit=("unit", "first"),
            meaning=("meaning", "first"),
            scenarios=("scenario", lambda s: ", ".join(dict.fromkeys(s))),
        )
        .reset_index()
    )
    return out.sort_values(["parameter", "year"], kind="stable").reset_index(drop=True)


_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?%?$")


def _number_matches(table: pd.DataFrame, word: str) -> pd.Series:
    """Rows whose value (or year) is the number `word`: 700 is a value of 700, 80% a share of
    0.8; never a number inside another (700 is not 1,700, nor a 700 in a list of tiers)."""
    pct = word.endswith("%")
    n = float(word.rstrip("%").replace(",", ""))
    values = table["value"].astype(float)
    hit = (values - (n / 100 if pct else n)).abs() <= 1e-9 * max(1.0, abs(n))
    if not pct and "unit" in table:
        hit |= (table["unit"] == "share") & ((values * 100 - n).abs() <= 1e-9 * max(1.0, abs(n)))
    if "year" in table and float(n).is_integer():
        hit |= table["year"] == int(n)
    return hit


def search(table: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows that match every word of `text`: a number matches a value or year equal to it
    (`_number_matches`); any other word is found in any column (case-insensitive)."""
    words = [w for w in text.lower().split() if w]
    if not words:
        return table
    hay = table.astype(str).apply(lambda r: " ".join(r).lower(), axis=1)
    mask = pd.Series(True, index=table.index)
    for w in words:
        if _NUMBER.match(w) and "value" in table:
            mask &= _number_matches(table, w)
        else:
            mask &= hay.str.contains(w, regex=False)
    return table[mask]


def calibration_file(path: Path | None = None) -> dict:
    """The calibration file: when and how it was fitted, its target lines and fitted values."""
    path = path or CALIBRATION_DIR / "calibrated.yaml"
    cal = CalibrationFile.model_validate(read_yaml(path))
    rows = []
    for pname, block in cal.parameters.items():
        for year, dv in block.values.items():
            rows.append(
                {
                    "parameter": pname,
                    "year": year,
                    "value": dv.value,
                    "unit": block.unit,
                    "target": dv.source.calibrated
                    if isinstance(dv.source, CalibratedSource)
                    else describe(dv.source),
                }
            )
    misfits = []
    for line in cal.targets:
        target, _, rest = line.partition(":")
        m = re.search(r"([+-]?\d+(?:\.\d+)?)%", rest)
        misfits.append(
            {
                "target": target.strip(),
                "relative_misfit": float(m.group(1)) / 100 if m else float("nan"),
                "text": line,
            }
        )
    return {
        "fitted_on": cal.fitted_on,
        "households": cal.households,
        "seed": cal.seed,
        "objective": cal.objective,
        "model_version": cal.model_version,
        "parameters": pd.DataFrame(rows),
        "misfits": pd.DataFrame(misfits),
    }


def target_list(path: Path | None = None) -> list:
    """The calibration targets of calibration/targets.yaml (minsheng.targets.Target), [] if none."""
    from minsheng.targets import load_targets

    path = path or CALIBRATION_DIR / "targets.yaml"
    return load_targets(path) if path.exists() else []


def targets(path: Path | None = None) -> pd.DataFrame:
    """Calibration targets as rows: id, role, scenario, metric, group, year, target, unit, tolerance, why, source."""
    rows = []
    for t in target_list(path):
        o = t.output
        metric = o.metric if o.metric is not None else o.sum[0].metric
        group = o.group if o.metric is not None else o.sum[0].group
        rows.append(
            {
                "id": t.id,
                "role": t.role,
                "scenario": t.scenario,
                "metric": metric,
                "group": group,
                "year": t.year,
                "target": t.value,
                "unit": t.unit,
                "tolerance": t.tolerance,
                "why": t.tolerance.why,
                "source": t.cite(markdown=False),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "role",
            "scenario",
            "metric",
            "group",
            "year",
            "target",
            "unit",
            "tolerance",
            "why",
            "source",
        ],
    )


def shared_dir() -> Path:
    """The shared documents (seeds/ and public-facts.md): $MINSHENG_SHARED or ../shared beside the project."""
    return Path(os.environ.get("MINSHENG_SHARED", ROOT.parent / "shared"))


def quote_context(src: Source, width: int = 240) -> tuple[str, str, str] | None:
    """A document quote in its place: (text before, the quote as written in the document, text after).

    Whitespace and full-width forms are ignored when matching, as the source tests do. None when
    the source is not a document quote or the document is not at hand.
    """
    import unicodedata

    if not isinstance(src, DocumentSource):
        return None
    from model.sources import document_path, normalise

    path = document_path(shared_dir(), src.document)
    if not path.exists():
        return None
    raw = path.read_text(encoding="utf-8")
    norm_chars, where = [], []
    for i, ch in enumerate(raw):
        for c in unicodedata.normalize("NFKC", ch):
            if not c.isspace():
                norm_chars.append(c)
                where.append(i)
    pos = "".join(norm_chars).find(normalise(src.quote))
    if pos < 0:
        return None
    start, end = where[pos], where[pos + len(normalise(src.quote)) - 1] + 1
    return raw[max(0, start - width) : start], raw[start:end], raw[end : end + width]


def git_commit() -> str | None:
    """The project's git commit, when it runs from a git checkout."""
    import subprocess

    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
