"""Property-based fuzzing of every input (issue 15): deterministic, bounded in time.

Hypothesis generates, in a fixed order (``derandomize=True``, no example database, so CI runs
the same cases every time):

- 1,100 files for the loader: YAML built from risky pieces (numbers in every notation, times,
  booleans, NaN, huge integers, control characters, tags, anchors and aliases, merge keys, lists
  and mappings as keys, duplicate years of two types), random edits of a valid reform, alias
  bombs and deep nesting, and `extends:`/`calibration:` pointing at devices, pipes, links and
  folders. Each must load, or raise ScenarioError with a short message naming the file;
- 80 scenarios with random parameters at the ends or inside of their registered ranges, and 40
  with population margins at the ends of their bands: each must be refused with a reason or run
  (300 households) with sound results (`model.results_check`);
- 120 experiment files of random sizes, sweeps and names: loaded with at most 10,000 implied
  runs, or refused with ExperimentError;
- 200 command lines of random option values: checked, or refused with UsageError.

The whole module takes about a minute (`pytest --durations=0 tests/test_fuzz.py`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from minsheng.cli import UsageError, build_parser, check_options
from minsheng.experiment import MAX_RUNS, ExperimentError, implied_runs, load_experiment
from model import ScenarioError, load_scenario, run_scenario
from model.consistency import inconsistencies
from model.registry import REGISTRY
from model.scenario import AssumptionSource
from model.yaml_reader import parse
from tests.conftest import SCENARIOS

BASE = SCENARIOS / "baseline.yaml"
MEASURE = SCENARIOS / "measures" / "medical_subsidy.yaml"
MAX_MESSAGE = 20_000


def fuzz(examples: int):
    """Deterministic settings: the same `examples` cases on every run, no time limit per case."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="minsheng-fuzz-") as d:
        yield Path(d)


def write(folder: Path, text: str | bytes, name: str = "fuzz.yaml") -> Path:
    p = folder / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8", errors="surrogatepass")
    return p


def clean_refusal(exc: ScenarioError, path: Path) -> None:
    """A refusal as the standards say: short, naming the file, the key, found and allowed."""
    message = str(exc)
    assert len(message) <= MAX_MESSAGE, len(message)
    assert path.name in message, message[:500]
    assert all(len(p) == 4 for p in exc.problems) and 1 <= len(exc.problems) <= 20


# ---------------------------------------------------------------- pieces of YAML

SCALARS = [
    "700",
    "7e2",
    "7E2",
    "2.5e3",
    "+700",
    "-0",
    "0700",
    "0o700",
    "0x2BC",
    "7_00",
    "1_000.5",
    "11:40",
    "1:00:00",
    ".nan",
    ".NaN",
    ".inf",
    "-.inf",
    "1e400",
    "-1e400",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "null",
    "~",
    "''",
    "'700'",
    '"7e2"',
    "2025-01-01",
    "七百",
    "1" + "0" * 5000,
    "-" + "9" * 4400,
    "1" + "0" * 90,
    "!!float 700",
    "!!int 7.5",
    "!!str 7",
    "!!binary aGk=",
    "!!python/name:os.system",
    "!local x",
    '"\\x00"',
    '"\\x1b[2J"',
    '"a\\u202eb"',
    "&a 700",
    "*a",
    "*nowhere",
    "[]",
    "{}",
    "[700, 800]",
    "{value: 700}",
    "x" * 300,
]
KEYS = [
    "name",
    "title",
    "description",
    "extends",
    "calibration",
    "run",
    "parameters",
    "unit",
    "values",
    "value",
    "source",
    "assumption",
    "document",
    "quote",
    "households",
    "seed",
    "end_year",
    "2025",
    "'2025'",
    "2025.0",
    "0x7E9",
    "1989",
    "true",
    "null",
    "[a, b]",
    "{a: 1}",
    "<<",
    "medical.resident_subsidy",
    "dibao.takeup_rural",
    "k",
    '"\\x00"',
]
VALUE = "{value: %s, source: {assumption: 'a value written by the fuzzer'}}"


def flow(children):
    """Lists and mappings (flow style) of `children`, with risky keys."""
    lists = st.lists(children, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
    maps = st.lists(st.tuples(st.sampled_from(KEYS), children), max_size=4).map(
        lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
    )
    return lists | maps


NODES = st.recursive(st.sampled_from(SCALARS), flow, max_leaves=12)


def reform_text(value: str = "750", year: str = "2025", extra: str = "") -> str:
    return (
        f"name: fuzz_reform\ntitle: A fuzzed reform\nextends: {BASE}\n"
        "run: {households: 500, end_year: 2026, seed: 1}\nparameters:\n"
        "  medical.resident_subsidy:\n    unit: yuan/person/year\n    values:\n"
        f"      {year}: {VALUE % value}\n{extra}"
    )


@st.composite
def documents(draw) -> str:
    """A whole document: top-level pairs of risky keys and nested values."""
    pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS), NODES), max_size=8))
    head = draw(
        st.sampled_from(["", "name: a\ntitle: b\n", f"name: a\ntitle: b\nextends: {BASE}\n"])
    )
    return head + "".join(f"{k}: {v}\n" for k, v in pairs)


@st.composite
def placed(draw) -> str:
    """A valid reform with one risky piece in a value, a year, a key or the run block."""
    piece = draw(NODES)
    where = draw(st.sampled_from(["value", "year", "key", "households", "title", "twice"]))
    if where == "value":
        return reform_text(value=piece)
    if where == "year":
        return reform_text(year=piece)
    if where == "key":
        return reform_text(extra=f"  {piece}: 1\n")
    if where == "twice":  # the same year in another type, or any other second key
        return reform_text(extra=f"      {draw(st.sampled_from(KEYS))}: {VALUE % '900'}\n")
    return reform_text().replace(
        "households: 500" if where == "households" else "A fuzzed reform", piece
    )


@st.composite
def edited(draw) -> str:
    """A valid reform (with an anchor and a merge) cut, garbled or reordered."""
    text = reform_text(
        extra="  medical.resident_contribution:\n    <<: {unit: yuan/person/year}\n"
        f"    values: {{2025: {VALUE % '420'}}}\n"
    )
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["cut", "drop", "dup", "swap", "insert", "indent"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "cut":
            lines = lines[:i] + [lines[i][: draw(st.integers(0, len(lines[i])))]]
        elif op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            ch = draw(
                st.sampled_from(
                    [
                        "\x00",
                        "\x1b",
                        ":",
                        "{",
                        "[",
                        "'",
                        '"',
                        "&a ",
                        "*a",
                        "!!",
                        "\t",
                        "\ufeff",
                        "<<: ",
                    ]
                )
            )
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + ch + lines[i][pos:]
        else:
            lines[i] = draw(st.sampled_from(["", " ", "\t"])) + lines[i].lstrip(" ")
        if not lines:
            lines = [""]
    return "".join(lines)


def bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + f"\nname: a\ntitle: *a{levels - 1}\n"


BOUNDS = st.one_of(
    st.builds(bomb, st.integers(2, 12), st.integers(2, 12)),
    st.integers(30, 1200).map(lambda d: "name: " + "[" * d + "]" * d + "\n"),
    st.integers(30, 700).map(lambda d: "".join(" " * i + f"k{i}:\n" for i in range(d)) + "\n"),
    st.integers(1, 20).map(
        lambda k: reform_text() + "".join(f"k{i}: 1\n" for i in range(k * 1500))
    ),
    st.integers(0, 3).map(lambda k: reform_text() + "#" * (999_000 + k * 1000) + "\n"),
)


def check_load(path: Path) -> None:
    """The loader's promise: a scenario whose values keep every rule, or a clean refusal."""
    try:
        sc = load_scenario(path)
    except ScenarioError as exc:
        clean_refusal(exc, path)
        return
    assert inconsistencies(sc) == []
    for name, series in sc.params.items():
        spec = REGISTRY[name]
        assert all(spec.lo <= v.value <= spec.hi for v in series), name


@fuzz(300)
@given(text=documents())
def test_documents_of_risky_pieces(folder, text):
    path = write(folder, text)
    try:
        parse(text, str(path))
    except ScenarioError as exc:
        clean_refusal(exc, path)
    check_load(path)


@fuzz(350)
@given(text=placed())
def test_a_risky_piece_in_a_valid_reform(folder, text):
    check_load(write(folder, text))


@fuzz(350)
@given(text=edited())
def test_edits_of_a_valid_reform(folder, text):
    check_load(write(folder, text))


@fuzz(60)
@given(text=BOUNDS)
def test_bombs_deep_nesting_many_keys_and_big_files(folder, text):
    check_load(write(folder, text))


SPECIAL = [
    "/dev/zero",
    "/dev/urandom",
    "/dev/null",
    "/dev/stdin",
    "fifo",
    "link",
    "loop",
    "folder",
    "missing",
    "long",
    "outside",
    "base\\0line.yaml",
    "self",
]


@fuzz(40)
@given(key=st.sampled_from(["extends", "calibration", "the file"]), target=st.sampled_from(SPECIAL))
def test_devices_pipes_links_and_folders_are_never_read(key, target):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        made = {
            "fifo": lambda: os.mkfifo(folder / "fifo.yaml"),
            "link": lambda: os.symlink("/dev/zero", folder / "link.yaml"),
            "loop": lambda: (
                os.symlink(folder / "loop.yaml", folder / "loop2.yaml"),
                os.symlink(folder / "loop2.yaml", folder / "loop.yaml"),
            ),
            "folder": lambda: (folder / "folder.yaml").mkdir(),
            "outside": lambda: os.symlink(BASE, folder / "outside.yaml"),
        }
        if target in made:
            made[target]()
        path = {"missing": "nowhere.yaml", "long": "x" * 300 + ".yaml", "self": "fuzz.yaml"}.get(
            target, target if target.startswith(("/", "base")) else f"{target}.yaml"
        )
        if key == "the file":
            p = folder / path if not path.startswith("/") else Path(path)
            with pytest.raises(ScenarioError) as exc:
                load_scenario(p if "\\0" not in str(p) else str(p).replace("\\0", "\0"))
            assert len(str(exc.value)) <= MAX_MESSAGE
            return
        line = f'{key}: "{path}"\n'
        text = (
            f"name: a\ntitle: a\n{line}"
            if key == "extends"
            else reform_text().replace("run:", line + "run:")
        )
        p = write(folder, text)
        with pytest.raises(ScenarioError) as exc:
            load_scenario(p)
        clean_refusal(exc.value, p)


# ---------------------------------------------------------------- registry ranges that run

SRC = AssumptionSource(assumption="a value drawn by the fuzzer")
NAMES = sorted(REGISTRY)
WHOLE_UNITS = {"years", "year", "months", "items", "counties"}


def value_in_range(name: str, where: float) -> float:
    spec = REGISTRY[name]
    v = spec.lo + (spec.hi - spec.lo) * where
    if spec.unit in WHOLE_UNITS:
        v = min(max(round(v), spec.lo), spec.hi)
    return float(v)


def runs_or_is_refused(baseline, values: dict[str, float], end_year: int = 2026) -> None:
    changes = {n: {x.year: (v, SRC) for x in baseline.params[n]} for n, v in values.items()}
    try:
        scenario = baseline.with_values("fuzz", "fuzz", changes)
    except ScenarioError as exc:  # a combination the rules refuse, with a reason
        assert exc.problems and all(p[3] for p in exc.problems)
        event("refused by a rule")
        return
    run_scenario(scenario, households=300, end_year=end_year, seed=1)  # raises if unsound
    event("ran")


@fuzz(80)
@given(
    picks=st.lists(
        st.tuples(st.sampled_from(NAMES), st.sampled_from([0.0, 1.0, 0.0, 1.0, 1e-6, 0.5, 0.999])),
        min_size=1,
        max_size=12,
    )
)
def test_registry_values_in_any_combination_run_or_are_refused(baseline, picks):
    runs_or_is_refused(baseline, {n: value_in_range(n, w) for n, w in picks})


MARGINS = [
    n
    for n in NAMES
    if n.startswith("population.") and REGISTRY[n].unit in ("persons", "households", "share")
]


@fuzz(40)
@given(
    ends=st.lists(st.sampled_from([0.0, 1.0, 0.5]), min_size=len(MARGINS), max_size=len(MARGINS))
)
def test_population_margins_at_the_ends_of_their_bands_are_raked(baseline, ends):
    values = {n: value_in_range(n, w) for n, w in zip(MARGINS, ends) if "region_share" not in n}
    runs_or_is_refused(baseline, values, end_year=2024)


# ---------------------------------------------------------------- experiment files


@st.composite
def experiments(draw) -> str:
    reps = draw(
        st.sampled_from(
            ["1", "2", "0", "-1", "true", "2.5", "1e1", "'2'", "100000", "5001", "1" + "0" * 500]
        )
    )
    size = draw(st.sampled_from(["500", "5e2", "true", "499", "'500'", ".nan"]))
    grid_len = draw(st.integers(1, 150))
    params = draw(
        st.lists(
            st.sampled_from(
                [
                    "medical.resident_subsidy",
                    "pension.resident_minimum",
                    "dibao.takeup_rural",
                    "pension.resident_low_tier",
                    "nope.nope",
                    "[a]",
                ]
            ),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    grid = (
        "{"
        + ", ".join(
            f"{p}: [" + ", ".join(str(100 + i) for i in range(grid_len)) + "]" for p in params
        )
        + "}"
    )
    sample = f"{{points: {draw(st.sampled_from(['2', '10000', '100000', '0']))}, ranges: {{medical.enrolment_price_coefficient: [-0.6, -0.05]}}}}"
    vary = draw(
        st.sampled_from(
            ["[baseline]", "[medical_subsidy]", "[baseline, medical_subsidy]", "[nobody]", "[]"]
        )
    )
    design = draw(
        st.sampled_from([f"grid: {grid}", f"sample: {sample}", f"grid: {grid}, sample: {sample}"])
    )
    sweeps = draw(st.sampled_from(["", f"sweeps:\n  - {{name: s, vary: {vary}, {design}}}\n"]))
    baseline = draw(st.sampled_from([str(BASE), "/dev/zero", "nowhere.yaml", str(SCENARIOS)]))
    return (
        f"name: fuzz_experiment\ntitle: t\nbaseline: {baseline}\nscenarios: [{MEASURE}]\n"
        f"run: {{households: {size}, end_year: 2025, seed: 7}}\nreplications: {reps}\n{sweeps}"
    )


@fuzz(120)
@given(text=experiments())
def test_experiment_files_load_within_the_run_limit_or_are_refused(folder, text):
    path = write(folder, text, "fuzz_experiment.yaml")
    try:
        exp = load_experiment(path)
    except ExperimentError as exc:
        clean_refusal(exc, path)
        return
    runs, _ = implied_runs(exp.spec, len(exp.scenarios))
    assert runs == len(exp.variants) * exp.replications <= MAX_RUNS


# ---------------------------------------------------------------- command lines


@fuzz(200)
@given(
    seed=st.integers(-(2**70), 2**70),
    workers=st.integers(-5, 10**6),
    force=st.booleans(),
    out=st.sampled_from(
        ["results", "/dev/null", "/dev/null/x", "/proc/x", "x" * 300, "a\0b", "", "."]
    ),
)
def test_options_are_checked_or_refused(seed, workers, force, out):
    args = build_parser().parse_args(
        ["batch", "e.yaml", "--workers", str(workers), "--out", out]
        + (["--force-workers"] if force else [])
    )
    args.seed = seed
    try:
        check_options(args)
    except UsageError as exc:
        assert str(exc).startswith(("--", "--out")) and len(str(exc)) < 1000
        return
    assert 0 <= seed < 2**63 and workers >= 1 and out in ("results", "", ".")
