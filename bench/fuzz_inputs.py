"""A seeded fuzzer of minsheng's inputs, as a hostile or careless user would write them.

Generates scenario files, uploads, experiment files, command lines and results folders in
classes, runs each case in a forked child process with a time limit and a memory limit, and
counts what happened by class::

    .venv/bin/python bench/fuzz_inputs.py                 # about 1,300 cases, a few minutes
    .venv/bin/python bench/fuzz_inputs.py --seed 2 --only yaml_types,bounds --json out.json

Every case says what a correct program does with it: refuse it (`invalid`), accept it and run
it (`valid`), or either (`either`: a clean refusal and a clean run are both right). Outcomes:

- ok: accepted, as it should be; a scenario then runs (300 households to 2026) with finite
  results, shares in [0, 1] and counts >= 0 (only the base year's vital events are missing);
  a loaded value that the case states is the value read.
- clean: refused with the program's own error (ScenarioError, ExperimentError, UploadError,
  or exit code 2 from the command), a message under 20,000 characters that names the file
  (for files), before any simulation ran (for options).
- wrong_refusal: a valid input refused cleanly (e.g. ``5e6`` refused as "not a number").
- crash: any other exception or exit code (a traceback), a message that is too long or does
  not name the file, an accepted scenario whose run raises, an option refused only after the
  simulation ran.
- silent: an invalid input accepted (including a value read differently from what was
  written, such as ``11:40`` read as 700), a run whose results are not finite or out of range,
  an experiment accepted that implies more than 10,000 runs, or a finished run deleted.
- hang: over the time limit (8 s for loading, 60 s for runs) or over the memory limit (the
  parent's address space + 1 GiB).

The counts are the before/after numbers of issue 15 (see its note).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import random
import resource
import shutil
import signal
import stat
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from model import ScenarioError, load_scenario, run_scenario  # noqa: E402
from model.registry import REGISTRY  # noqa: E402

BASELINE = ROOT / "scenarios" / "baseline.yaml"
MEASURE = ROOT / "scenarios" / "measures" / "medical_subsidy.yaml"
OUTCOMES = ("ok", "clean", "wrong_refusal", "crash", "silent", "hang")
MAX_MESSAGE = 20_000
MAX_RUNS = 10_000
COUNTS = {
    "persons",
    "households",
    "beds",
    "slots",
    "places",
    "institutions",
    "agents",
    "counties",
    "visits",
}
BASE_YEAR_EVENTS = {
    "births",
    "deaths",
    "households_formed",
    "hukou_settlers",
    "new_employee_pensioners",
    "urban_movers",
}


@dataclass
class Case:
    """One input: its class, a short label, what a correct program does, and how to try it."""

    cls: str
    label: str
    expect: str  # invalid | valid | either
    run: Callable[[Path], dict]  # called in the child with a fresh folder
    timeout: int = 8


# ---------------------------------------------------------------- running a case in a child


def _vm_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 4 << 30


def run_in_child(case: Case, folder: Path) -> dict:
    """Run `case` in a forked child (time and memory limited); its report, or a hang/crash."""
    r, w = os.pipe()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(r)
        try:
            limit = _vm_bytes() + (1 << 30)
            resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(case.timeout)
            sink = io.StringIO()
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                report = case.run(folder)
        except MemoryError:
            report = {"status": "memory"}
        except BaseException as exc:  # noqa: BLE001 - the fuzzer reports everything
            try:
                msg = str(exc)
                report = {
                    "status": "exception",
                    "type": type(exc).__name__,
                    "message": msg[:300],
                    "message_len": len(msg),
                }
            except MemoryError:
                report = {"status": "memory"}
        try:
            os.write(w, json.dumps(report, default=str).encode())
        finally:
            os._exit(0)
    os.close(w)
    chunks = []
    while True:
        chunk = os.read(r, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    seconds = time.perf_counter() - t0
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return {"status": "timeout" if sig == signal.SIGALRM else f"signal {sig}", "s": seconds}
    try:
        report = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        report = {"status": "exception", "type": "unreadable report"}
    report["s"] = seconds
    return report


def classify(case: Case, report: dict) -> str:
    """One of OUTCOMES for a case's report."""
    status = report.get("status")
    if status in ("timeout", "memory"):
        return "hang"
    if status == "refused":
        if not report.get("clean", True):
            return "crash"
        return "wrong_refusal" if case.expect == "valid" else "clean"
    if status == "accepted":
        if report.get("run") not in (None, "ok"):
            return "crash" if report["run"].startswith("raised") else "silent"
        if report.get("value_mismatch"):
            return "silent"
        return "silent" if case.expect == "invalid" else "ok"
    if status == "lost":
        return "silent"
    return "crash"


# ---------------------------------------------------------------- what the cases call


def results_problem(frame) -> str | None:
    """None if a run's tidy results are sound; else what is wrong.

    Sound: no infinities; totals and counts never NaN (but the base year's vital events, which
    are not simulated); a rate may be NaN only as "undefined" (its denominator is zero, such as
    a group with nobody in it at a small sample); shares in [0, 1]; counts >= 0.
    """
    v = frame.value.to_numpy(dtype=float)
    events = (
        frame.metric.isin(BASE_YEAR_EVENTS).to_numpy() & (frame.year == frame.year.min()).to_numpy()
    )
    rate = ~frame.unit.isin(COUNTS | {"yuan/year"}).to_numpy()
    bad = np.isinf(v) | (np.isnan(v) & ~events & ~rate)
    if bad.any():
        row = frame[bad].iloc[0]
        return f"non-finite {row.metric}/{row.group}/{row.year}"
    share = (frame.unit == "share").to_numpy() & np.isfinite(v)
    if ((v[share] < -1e-9) | (v[share] > 1 + 1e-9)).any():
        row = frame[share & ((v < -1e-9) | (v > 1 + 1e-9))].iloc[0]
        return f"share {row.metric}/{row.group}/{row.year} = {row.value}"
    count = frame.unit.isin(COUNTS).to_numpy() & np.isfinite(v)
    if (v[count] < -1e-6).any():
        row = frame[count & (v < -1e-6)].iloc[0]
        return f"negative {row.metric}/{row.group}/{row.year} = {row.value}"
    return None


def try_run(scenario) -> str:
    """'ok', 'raised <Error>: ...' or 'bad results: ...' for a small run of `scenario`."""
    try:
        res = run_scenario(
            scenario, households=300, end_year=min(scenario.run.end_year, 2026), seed=1
        )
    except Exception as exc:  # noqa: BLE001
        return f"raised {type(exc).__name__}: {str(exc)[:200]}"
    problem = results_problem(res.frame)
    return "ok" if problem is None else f"bad results: {problem}"


def refused(exc: Exception, names: list[str]) -> dict:
    """The report of a clean refusal (bounded message naming one of `names`)."""
    msg = str(exc)
    named = any(n in msg for n in names)
    return {
        "status": "refused",
        "clean": len(msg) <= MAX_MESSAGE and named,
        "message_len": len(msg),
        "message": msg[:300],
    }


def load_file(path: Path, expect_values: dict | None = None, run: bool = True) -> dict:
    """Load a scenario file; run it if accepted; report."""
    try:
        sc = load_scenario(path)
    except ScenarioError as exc:
        return refused(exc, [path.name])
    report = {"status": "accepted"}
    for (pname, year), want in (expect_values or {}).items():
        got = sc.value(pname, year)
        if not math.isclose(got, want, rel_tol=1e-12):
            report["value_mismatch"] = f"{pname} {year}: read {got}, written {want}"
    if run:
        report["run"] = try_run(sc)
    return report


def scenario_case(
    cls: str, label: str, text: str | bytes, expect: str, values: dict | None = None
) -> Case:
    """A scenario file with this text, loaded from a fresh folder."""

    def go(folder: Path) -> dict:
        p = folder / "fuzz.yaml"
        (p.write_bytes if isinstance(text, bytes) else p.write_text)(text)
        return load_file(p, values)

    return Case(cls, label, expect, go)


def upload_case(label: str, text: bytes, expect: str, values: dict | None = None) -> Case:
    """The same text through the app's upload."""

    def go(folder: Path) -> dict:
        from app import scenario_io

        try:
            sc = scenario_io.read_upload("fuzz_upload.yaml", text)
        except scenario_io.UploadError as exc:
            return refused(exc, ["fuzz_upload.yaml"])
        report = {"status": "accepted"}
        for (pname, year), want in (values or {}).items():
            if not math.isclose(sc.value(pname, year), want, rel_tol=1e-12):
                report["value_mismatch"] = f"{pname} {year}"
        report["run"] = try_run(sc)
        return report

    return Case("upload", label, expect, go)


# ---------------------------------------------------------------- scenario texts

SOURCE = "{assumption: 'a value written by the fuzzer'}"


def reform(params: dict[str, dict], extends: str | None = None, extra: str = "") -> str:
    """A reform file: extends the baseline (absolute path) and sets `params` {name: {year: token}}."""
    lines = [
        "name: fuzz_reform",
        "title: A fuzzed reform",
        f"extends: {extends or BASELINE}",
        "run: {households: 500, end_year: 2026, seed: 1}",
    ]
    if extra:
        lines.append(extra)
    lines.append("parameters:")
    for pname, years in params.items():
        lines += [f"  {pname}:", f"    unit: {REGISTRY[pname].unit}", "    values:"]
        for year, token in years.items():
            lines.append(f"      {year}: {{value: {token}, source: {SOURCE}}}")
    return "\n".join(lines) + "\n"


BASE_REFORM = {
    "medical.resident_subsidy": {2025: "750"},
    "pension.resident_minimum": {2025: "150", 2026: "170"},
    "dibao.takeup_rural": {2025: "0.8"},
    "childcare.voucher": {2025: "1200"},
}

# raw YAML tokens for a value of medical.resident_subsidy (0 to 5000 yuan/person/year):
# (token, expect, the number it means when accepted)
VALUE_TOKENS = [
    ("700", "valid", 700),
    ("7e2", "valid", 700),
    ("7E2", "valid", 700),
    ("7.0e+2", "valid", 700),
    ("2.5e3", "valid", 2500),
    ("700.0", "valid", 700),
    ("+700", "valid", 700),
    ("-0", "valid", 0),
    ("0700", "either", 700),
    ("700 # a comment", "either", 700),
    ("0x2BC", "either", 700),
    ("7_00", "either", 700),
    ("11:40", "invalid", None),
    ("1:00:00", "invalid", None),
    (".nan", "invalid", None),
    (".NaN", "invalid", None),
    (".inf", "invalid", None),
    ("-.inf", "invalid", None),
    ("1e400", "invalid", None),
    ("true", "invalid", None),
    ("false", "invalid", None),
    ("yes", "invalid", None),
    ("on", "invalid", None),
    ("null", "invalid", None),
    ("~", "invalid", None),
    ("'700'", "invalid", None),
    ('"7e2"', "invalid", None),
    ("[700]", "invalid", None),
    ("{a: 700}", "invalid", None),
    ("1" + "0" * 5000, "invalid", None),
    ("-" + "9" * 4400, "invalid", None),
    ("1" + "0" * 400, "invalid", None),
    ("!!float 700", "either", 700),
    ("!!str 700", "invalid", None),
    ("!!binary aGVsbG8=", "invalid", None),
    ("!!timestamp 2025-01-01", "invalid", None),
    ("2025-01-01", "invalid", None),
    ("!!python/object/apply:os.getcwd []", "invalid", None),
    ("!!python/name:os.system", "invalid", None),
    ("'\\x00'", "invalid", None),
    ('"\\x1b[31m"', "invalid", None),
    ("七百", "invalid", None),
    ("700元", "invalid", None),
]

# raw YAML keys for a year of medical.resident_subsidy
YEAR_TOKENS = [
    ("2025", "valid"),
    ("'2025'", "either"),
    ("2025.0", "either"),
    ("0x7E9", "either"),
    ("2_025", "either"),
    ("MMXXV", "invalid"),
    ("[2025]", "invalid"),
    ("{y: 2025}", "invalid"),
    ("? [2025, 2026]\n       ", "invalid"),
    ("1989", "invalid"),
    ("2101", "invalid"),
    ("true", "invalid"),
    ("null", "invalid"),
    ("-2025", "invalid"),
    ("2025-01-01", "invalid"),
    ("1" + "0" * 5000, "invalid"),
    (".nan", "invalid"),
]


def yaml_type_cases(rng: random.Random) -> list[Case]:
    """Every kind of scalar YAML can produce where a number, a year or a key is expected."""
    out = []
    for token, expect, number in VALUE_TOKENS:
        text = reform({**BASE_REFORM, "medical.resident_subsidy": {2025: token}})
        values = {("medical.resident_subsidy", 2025): number} if number is not None else None
        out.append(scenario_case("yaml_types", f"value {token[:20]}", text, expect, values))
        # the same token in the run block and as a whole source
        if expect == "invalid":
            bad_run = text.replace("households: 500", f"households: {token}")
            out.append(scenario_case("yaml_types", f"households {token[:20]}", bad_run, "invalid"))
    for token, expect in YEAR_TOKENS:
        body = reform(BASE_REFORM).replace(
            "      2025: {value: 750", f"      {token}: {{value: 750"
        )
        out.append(scenario_case("yaml_types", f"year key {token[:20]}", body, expect))
    # duplicate years of mixed types: the later must not silently win
    for a, b in (("2025", "'2025'"), ("2025", "2025.0"), ("2025", "0x7E9"), ("'2025'", "2025")):
        text = reform(
            {**BASE_REFORM, "medical.resident_subsidy": {a: "750", b: "900"}},
        )
        out.append(scenario_case("yaml_types", f"duplicate years {a} {b}", text, "invalid"))
    # complex keys and keys of every type at every level
    for key in (
        "[a, b]",
        "{a: 1}",
        "? [a]\n ",
        "1",
        "true",
        "null",
        "1.5",
        "'x' ",
        "!!binary aGk=",
    ):
        text = reform(BASE_REFORM) + f"{key}: 1\n"
        out.append(scenario_case("yaml_types", f"top-level key {key[:12]}", text, "invalid"))
        text = reform(BASE_REFORM).replace(
            "  medical.resident_subsidy:", f"  {key}: 1\n  medical.resident_subsidy:"
        )
        out.append(scenario_case("yaml_types", f"parameter key {key[:12]}", text, "invalid"))
    # merge keys: work (a block reused with an override) or a plain message
    merged = reform(BASE_REFORM).replace(
        "  medical.resident_subsidy:\n", "  medical.resident_subsidy: &blk\n"
    ) + (
        "  medical.resident_contribution:\n    <<: *blk\n    values:\n"
        f"      2025: {{value: 420, source: {SOURCE}}}\n"
    )
    out.append(
        scenario_case(
            "yaml_types",
            "merge key",
            merged,
            "valid",
            {("medical.resident_contribution", 2025): 420},
        )
    )
    anchors = reform(BASE_REFORM).replace("{value: 750,", "{value: &v 750,") + (
        "  childcare.child_subsidy:\n    unit: yuan/person/year\n    values:\n"
        f"      2025: {{value: *v, source: {SOURCE}}}\n"
    )
    out.append(
        scenario_case(
            "yaml_types",
            "alias of a number",
            anchors,
            "either",
            {("childcare.child_subsidy", 2025): 750},
        )
    )
    # control characters and long strings in names, titles, sources
    for s, expect in (
        ('"a\\x1b[2Jb"', "invalid"),
        ('"a\\x00b"', "invalid"),
        ('"line\\u2028break"', "either"),
        ('"tab\\tok"', "either"),
        ("'" + "x" * 300_000 + "'", "invalid"),
        ("'标题 with unicode'", "valid"),
    ):
        text = reform(BASE_REFORM).replace("title: A fuzzed reform", f"title: {s}")
        out.append(scenario_case("yaml_types", f"title {s[:12]}", text, expect))
    text = reform(BASE_REFORM).replace(SOURCE, "{assumption: '" + "y" * 200_000 + "'}", 1)
    out.append(scenario_case("yaml_types", "long assumption", text, "either"))
    name = reform(BASE_REFORM).replace("name: fuzz_reform", "name: " + "a" * 5000)
    out.append(scenario_case("yaml_types", "long name", name, "invalid"))
    # byte-order marks, CRLF, tabs, other encodings
    base = reform(BASE_REFORM)
    out.append(scenario_case("yaml_types", "BOM", "\ufeff" + base, "either"))
    out.append(scenario_case("yaml_types", "CRLF", base.replace("\n", "\r\n"), "valid"))
    out.append(scenario_case("yaml_types", "tabs", base.replace("  ", "\t"), "invalid"))
    out.append(scenario_case("yaml_types", "UTF-16", base.encode("utf-16"), "invalid"))
    out.append(
        scenario_case(
            "yaml_types", "latin-1", "# \xe9\n".encode("latin-1") + base.encode(), "invalid"
        )
    )
    out.append(scenario_case("yaml_types", "two documents", base + "---\n" + base, "invalid"))
    out.append(scenario_case("yaml_types", "empty", "", "invalid"))
    out.append(scenario_case("yaml_types", "a list", "- 1\n- 2\n", "invalid"))
    out.append(scenario_case("yaml_types", "a number", "5e6\n", "invalid"))
    rng.shuffle(out)
    return out


def bomb(depth: int, width: int = 9) -> str:
    """A "billion laughs" document: each level repeats the one before `width` times."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, depth):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def bounds_cases(rng: random.Random) -> list[Case]:
    """Files that are small but expand, or large, deep or wide."""
    out = []
    for depth in (4, 6, 9):
        text = bomb(depth)
        out.append(scenario_case("bounds", f"alias bomb {depth} levels", text, "invalid"))
        out.append(
            scenario_case(
                "bounds",
                f"alias bomb {depth} in a reform",
                reform(BASE_REFORM) + text.replace("a0:", "x0:", 1),
                "invalid",
            )
        )
        body = reform(BASE_REFORM).replace("title: A fuzzed reform", "title: *a" + str(depth - 1))
        out.append(scenario_case("bounds", f"alias bomb {depth} as title", text + body, "invalid"))
    for n in (80_000, 200_000):
        keys = "".join(f"k{i}: 1\n" for i in range(n))
        out.append(
            scenario_case("bounds", f"{n} unknown keys", reform(BASE_REFORM) + keys, "invalid")
        )
    out.append(
        scenario_case(
            "bounds",
            "30,000 unknown parameters",
            reform(BASE_REFORM)
            + "".join(
                f"  p{i}.x: {{unit: share, values: {{2025: {{value: 1, source: {SOURCE}}}}}}}\n"
                for i in range(30_000)
            ),
            "invalid",
        )
    )
    out.append(
        scenario_case(
            "bounds",
            "20 MB of comments",
            reform(BASE_REFORM) + ("#" * 99 + "\n") * 200_000,
            "invalid",
        )
    )
    out.append(
        scenario_case(
            "bounds",
            "1.2 MB of comments",
            reform(BASE_REFORM) + ("#" * 99 + "\n") * 12_000,
            "either",
        )
    )
    out.append(
        scenario_case(
            "bounds", "a 50 MB string", "name: a\ntitle: '" + "x" * 50_000_000 + "'\n", "invalid"
        )
    )
    out.append(
        scenario_case(
            "bounds",
            "a 5 MB list",
            "name: a\ntitle: b\nx: [" + "1," * 2_500_000 + "1]\n",
            "invalid",
        )
    )
    for depth in (50, 500, 990, 5000):
        out.append(
            scenario_case(
                "bounds",
                f"flow nesting {depth}",
                "name: " + "[" * depth + "]" * depth + "\n",
                "invalid",
            )
        )
        block = "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v\n"
        out.append(scenario_case("bounds", f"block nesting {depth}", block, "invalid"))
    out.append(
        scenario_case(
            "bounds", "one 900 KB line", "name: a\ntitle: b\n" + "x" * 900_000 + "\n", "invalid"
        )
    )
    out.append(
        scenario_case(
            "bounds",
            "100,000 list items as values",
            reform(BASE_REFORM).replace("{value: 750,", "{value: [" + "1," * 100_000 + "1],"),
            "invalid",
        )
    )
    rng.shuffle(out)
    return out


def special_file_cases(rng: random.Random) -> list[Case]:
    """`extends:`, `calibration:` and the file itself as devices, pipes, links, folders, chains."""

    def pointing(
        key: str, make: Callable[[Path], str], label: str, expect: str = "invalid"
    ) -> Case:
        def go(folder: Path) -> dict:
            target = make(folder)
            p = folder / "fuzz.yaml"
            if key == "extends":
                p.write_text(reform(BASE_REFORM, extends=json.dumps(target)))
            else:
                p.write_text(reform(BASE_REFORM, extra=f"calibration: {json.dumps(target)}"))
            return load_file(p)

        return Case("special_files", f"{key} {label}", expect, go)

    def fifo(folder: Path) -> str:
        os.mkfifo(folder / "pipe.yaml")
        return str(folder / "pipe.yaml")

    def link_to(target: str):
        def make(folder: Path) -> str:
            os.symlink(target, folder / "link.yaml")
            return str(folder / "link.yaml")

        return make

    def loop(folder: Path) -> str:
        os.symlink(folder / "b.yaml", folder / "a.yaml")
        os.symlink(folder / "a.yaml", folder / "b.yaml")
        return str(folder / "a.yaml")

    def directory(folder: Path) -> str:
        (folder / "dir.yaml").mkdir()
        return str(folder / "dir.yaml")

    def outside_link(folder: Path) -> str:
        (folder / "outside").mkdir()
        (folder / "inner").mkdir()
        (folder / "outside" / "secret.yaml").write_text("secret: 42\n")
        os.symlink(folder / "outside" / "secret.yaml", folder / "inner" / "link.yaml")
        return str(folder / "inner" / "link.yaml")

    makers = [
        ("/dev/zero", lambda f: "/dev/zero"),
        ("/dev/urandom", lambda f: "/dev/urandom"),
        ("/dev/null", lambda f: "/dev/null"),
        ("/dev/stdin", lambda f: "/dev/stdin"),
        ("/proc/self/environ", lambda f: "/proc/self/environ"),
        ("a fifo", fifo),
        ("a link to /dev/zero", link_to("/dev/zero")),
        ("a link to /dev/urandom", link_to("/dev/urandom")),
        ("a link loop", loop),
        ("a folder", directory),
        ("a NUL byte", lambda f: "base\0line.yaml"),
        ("a missing file", lambda f: str(f / "nowhere.yaml")),
        ("a 5,000-character path", lambda f: "x" * 5000 + ".yaml"),
        ("a link outside the tree", outside_link),
        ("/etc/passwd", lambda f: "/etc/passwd"),
    ]
    out = [pointing(k, m, label) for k in ("extends", "calibration") for label, m in makers]

    def chain(n: int, expect: str) -> Case:
        def go(folder: Path) -> dict:
            prev = BASELINE
            for i in range(n):
                p = folder / f"c{i}.yaml"
                p.write_text(f"name: c{i}\ntitle: link {i}\nextends: {prev}\n")
                prev = p
            return load_file(prev)

        return Case("special_files", f"extends chain of {n}", expect, go, timeout=20)

    out += [chain(5, "valid"), chain(25, "either"), chain(1500, "invalid"), chain(5000, "invalid")]

    def cycle(folder: Path) -> dict:
        (folder / "a.yaml").write_text("name: a\ntitle: a\nextends: b.yaml\n")
        (folder / "b.yaml").write_text("name: b\ntitle: b\nextends: a.yaml\n")
        return load_file(folder / "a.yaml")

    out.append(Case("special_files", "extends cycle", "invalid", cycle))

    def broken_target(folder: Path) -> dict:
        (folder / "mid.yaml").write_text(reform(BASE_REFORM).replace("750", "75000"))
        p = folder / "fuzz.yaml"
        p.write_text("name: top\ntitle: top\nextends: mid.yaml\n")
        return load_file(p)

    out.append(Case("special_files", "a broken extends target", "invalid", broken_target))

    def top_level(make: Callable[[Path], str], label: str) -> Case:
        def go(folder: Path) -> dict:
            target = make(folder)
            try:
                sc = load_scenario(target)
            except ScenarioError as exc:
                return refused(exc, [Path(target).name[:50].replace("\0", "\\0") or target])
            except Exception:
                raise
            return {"status": "accepted", "run": try_run(sc)}

        return Case("special_files", f"the file itself: {label}", "invalid", go)

    out += [top_level(m, label) for label, m in makers if label not in ("a link outside the tree",)]
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------- mutations of a valid file


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, path + (i,))
    yield path


JUNK = [
    None,
    True,
    "",
    "x",
    "2025",
    0,
    -1,
    1,
    0.5,
    1e300,
    -1e300,
    float("nan"),
    float("inf"),
    10**30,
    [],
    [1, 2],
    {},
    {"a": 1},
    "\x00",
    "\u202e",
    "x" * 10_000,
]


def mutate_structure(doc: dict, rng: random.Random) -> dict:
    """Delete, replace or retype one random part of a parsed scenario."""
    doc = json.loads(json.dumps(doc))
    paths = [p for p in _leaves(doc) if p]
    path = rng.choice(paths)
    parent = doc
    for k in path[:-1]:
        parent = parent[k]
    op = rng.choice(["delete", "junk", "junk", "rename", "number"])
    key = path[-1]
    if op == "delete":
        del parent[key]
    elif op == "junk":
        parent[key] = rng.choice(JUNK)
    elif op == "rename" and isinstance(parent, dict):
        parent[str(key) + rng.choice(["s", "_", "x", ""]) + "2"] = parent.pop(key)
    else:
        parent[key] = rng.choice([0, 1, -1, 0.0, 1e-12, 2**63, 2**64, -(2**63), 1e6, 0.999999])
    return doc


def mutate_text(text: str, rng: random.Random) -> str:
    """Cut, duplicate, swap, or garble lines and characters of a YAML text."""
    lines = text.splitlines(keepends=True)
    op = rng.choice(["truncate", "drop", "dup", "swap", "chars", "indent", "insert"])
    if op == "truncate":
        return text[: rng.randrange(len(text))]
    i = rng.randrange(len(lines))
    if op == "drop":
        del lines[i]
    elif op == "dup":
        lines.insert(i, lines[i])
    elif op == "swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "indent":
        lines[i] = rng.choice([" ", "  ", "\t", ""]) + lines[i].lstrip(" ")
    elif op == "insert":
        lines.insert(
            i,
            rng.choice(
                [
                    "&a ",
                    "*a\n",
                    "<<: *a\n",
                    "? x\n",
                    "- x\n",
                    "!!set\n",
                    "%YAML 1.1\n",
                    "--- \n",
                    "...\n",
                ]
            ),
        )
    else:
        chars = list(lines[i])
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(chars) + 1)
            chars.insert(
                pos,
                rng.choice(
                    [
                        "\x00",
                        "\x07",
                        "\x1b",
                        ":",
                        "{",
                        "}",
                        "[",
                        "'",
                        '"',
                        "#",
                        "&",
                        "*",
                        "!",
                        "|",
                        ">",
                        "%",
                        "@",
                        "`",
                        "\u3000",
                        "，",
                        "：",
                    ]
                ),
            )
        lines[i] = "".join(chars)
    return "".join(lines)


def mutation_cases(rng: random.Random, n: int) -> list[Case]:
    """`n` random mutations of a valid reform (structure and text)."""
    base_text = reform(BASE_REFORM)
    base_doc = yaml.safe_load(base_text)
    out = []
    for i in range(n):
        if rng.random() < 0.5:
            doc = base_doc
            for _ in range(rng.randint(1, 3)):
                doc = mutate_structure(doc, rng)
            text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        else:
            text = base_text
            for _ in range(rng.randint(1, 3)):
                text = mutate_text(text, rng)
        out.append(scenario_case("mutation", f"mutant {i}", text, "either"))
    return out


# ---------------------------------------------------------------- combinations


def cross_field_cases(rng: random.Random) -> list[Case]:
    """Values each within its range whose combination is impossible: must be refused."""
    combos = [
        (
            "tiers reversed",
            {
                "pension.resident_low_tier": {2024: "2000"},
                "pension.resident_high_tier": {2024: "100"},
            },
        ),
        ("tiers reversed later", {"pension.resident_low_tier": {2026: "9000"}}),
        (
            "tiers equal",
            {
                "pension.resident_low_tier": {2024: "500"},
                "pension.resident_high_tier": {2024: "500"},
            },
        ),
        (
            "3,000 medical communities in one county",
            {"primary.county_units": {2024: "1"}, "primary.medcom_counties": {2024: "3000"}},
        ),
        ("medical communities above counties", {"primary.medcom_counties": {2025: "2999"}}),
        ("childcare slots without institutions", {"childcare.institutions": {2024: "0"}}),
        ("beds without institutions", {"elderly.institutions": {2024: "0"}}),
        ("integrated beds without institutions", {"elderly.integrated_institutions": {2024: "0"}}),
        ("national mean below both", {"income.mean_all": {2024: "1000"}}),
        ("national mean above both", {"income.mean_all": {2024: "900000"}}),
        (
            "65+ more than 60+",
            {
                "population.age_65_plus": {2024: "400000000"},
                "population.age_60_plus": {2024: "300000000"},
            },
        ),
        (
            "children and elders above the total",
            {
                "population.age_0_15": {2024: "500000000"},
                "population.age_60_plus": {2024: "600000000"},
                "population.total": {2024: "1000000000"},
            },
        ),
        (
            "men above the total",
            {"population.male": {2024: "1150000000"}, "population.total": {2024: "1100000000"}},
        ),
        (
            "urban employed above employed",
            {
                "population.employed_urban": {2024: "900000000"},
                "population.employed": {2024: "500000000"},
            },
        ),
        (
            "flexible workers above employed",
            {
                "population.flexible_workers": {2024: "500000000"},
                "population.employed": {2024: "400000000"},
            },
        ),
        (
            "employed above the total",
            {"population.employed": {2024: "1200000000"}, "population.total": {2024: "1000000000"}},
        ),
        (
            "migrants above the total",
            {"population.migrants": {2024: "800000000"}, "population.total": {2024: "1000000000"}},
        ),
        (
            "pensioners above 50+",
            {
                "population.employee_pensioners": {2024: "500000000"},
                "population.age_60_plus": {2024: "100000000"},
            },
        ),
        (
            "integrated beds above all beds",
            {
                "elderly.integrated_beds": {2024: "40000000"},
                "elderly.institution_beds": {2024: "1000000"},
            },
        ),
        ("a share given as 1.2", {"income.consumption_ratio_urban": {2024: "1.2"}}),
        ("a share given as 3", {"primary.medcom_capacity_gain": {2024: "3"}}),
        ("target age below original", {"retirement.men_target_age": {2024: "50"}}),
        (
            "urban hukou above urban",
            {
                "population.urban_hukou_share": {2024: "0.95"},
                "population.urban_share": {2024: "0.5"},
            },
        ),
        (
            "households above persons",
            {
                "population.households": {2024: "999000000"},
                "population.total": {2024: "1000000000"},
            },
        ),
        (
            "medcom effect pushes primary share above 1",
            {"primary.primary_share": {2024: "0.9"}, "primary.medcom_effect": {2024: "0.9"}},
        ),
    ]
    either = {"medcom effect pushes primary share above 1"}  # the model clips the share at 1
    out = []
    for label, params in combos:
        full = {**BASE_REFORM, **params}
        units = {}
        for p in params:
            if p in ("income.consumption_ratio_urban", "primary.medcom_capacity_gain"):
                units[p] = "share"  # the file says share
        text = reform(full)
        for p, u in units.items():
            text = text.replace(f"  {p}:\n    unit: {REGISTRY[p].unit}", f"  {p}:\n    unit: {u}")
        out.append(
            scenario_case("cross_field", label, text, "either" if label in either else "invalid")
        )
    rng.shuffle(out)
    return out


def registry_cases(rng: random.Random, n: int) -> list[Case]:
    """Random valid values (at the ends of their ranges, zero, or inside) of random parameters:
    must run, or be refused with a reason."""
    base = load_scenario(BASELINE)
    names = sorted(REGISTRY)
    out = []
    for i in range(n):
        k = rng.choice([1, 1, 2, 3, 5, 10])
        chosen = rng.sample(names, k)
        params = {}
        for pname in chosen:
            spec = REGISTRY[pname]
            lo, hi = spec.lo, spec.hi
            if spec.unit == "share" and hi > 1:
                hi = 1.0
            v = rng.choice([lo, hi, lo, hi, lo + (hi - lo) * rng.random(), lo + (hi - lo) * 1e-6])
            if spec.unit in ("years", "year", "months", "items", "counties"):
                v = round(v)
                v = min(max(v, math.ceil(lo)), math.floor(hi))
            years = [x.year for x in base.params[pname]]
            params[pname] = {y: repr(float(v)) for y in years}
        label = ", ".join(f"{p}={float(list(y.values())[0]):g}" for p, y in params.items())
        out.append(
            Case("registry", label[:120], "either", _registry_go(reform(params)), timeout=60)
        )
    return out


def _registry_go(text: str) -> Callable[[Path], dict]:
    def go(folder: Path) -> dict:
        p = folder / "fuzz.yaml"
        p.write_text(text)
        return load_file(p)

    return go


# ---------------------------------------------------------------- uploads


def upload_cases(rng: random.Random, n_mut: int) -> list[Case]:
    """The app's upload: self-contained files, files extending a shipped scenario, and the
    hostile classes above."""
    out = []

    def shipped(text: str) -> bytes:
        return text.replace(f"extends: {BASELINE}", "extends: baseline.yaml").encode()

    for token, expect, number in VALUE_TOKENS:
        text = shipped(reform({**BASE_REFORM, "medical.resident_subsidy": {2025: token}}))
        values = {("medical.resident_subsidy", 2025): number} if number is not None else None
        out.append(upload_case(f"value {token[:20]}", text, expect, values))
    for depth in (6, 9):
        out.append(upload_case(f"alias bomb {depth}", bomb(depth).encode(), "invalid"))
        out.append(
            upload_case(
                f"alias bomb {depth} as title",
                (bomb(depth) + shipped(reform(BASE_REFORM)).decode())
                .replace("title: A fuzzed reform", f"title: *a{depth - 1}")
                .encode(),
                "invalid",
            )
        )
    out.append(
        upload_case(
            "80,000 unknown keys",
            shipped(reform(BASE_REFORM)) + b"".join(b"k%d: 1\n" % i for i in range(80_000)),
            "invalid",
        )
    )
    out.append(upload_case("2 MB", b"#" * 2_000_000, "invalid"))
    for target in (
        "/dev/zero",
        "/dev/urandom",
        "../../../../../dev/zero",
        "/etc/passwd",
        "base\0line.yaml",
        "../calibration/calibrated.yaml",
    ):
        text = reform(BASE_REFORM, extends=json.dumps(target)).encode()
        out.append(upload_case(f"extends {target[:24]}", text, "invalid"))
        text = shipped(reform(BASE_REFORM, extra=f"calibration: {json.dumps(target)}"))
        out.append(upload_case(f"calibration {target[:24]}", text, "invalid"))
    out.append(upload_case("a measure file", MEASURE.read_bytes(), "valid"))
    base_text = shipped(reform(BASE_REFORM)).decode()
    base_doc = yaml.safe_load(base_text)
    for i in range(n_mut):
        if rng.random() < 0.5:
            doc = mutate_structure(base_doc, rng)
            text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        else:
            text = mutate_text(base_text, rng)
        out.append(upload_case(f"mutant {i}", text.encode("utf-8", "surrogatepass"), "either"))
    for label, params in [
        (
            "tiers reversed",
            {
                "pension.resident_low_tier": {2024: "2000"},
                "pension.resident_high_tier": {2024: "100"},
            },
        ),
        ("slots without institutions", {"childcare.institutions": {2024: "0"}}),
    ]:
        out.append(upload_case(label, shipped(reform({**BASE_REFORM, **params})), "invalid"))
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------- experiment files


def experiment_text(**over) -> str:
    """A small valid experiment (baseline and one measure, a two-point sweep), with overrides."""
    parts = {
        "name": "fuzz_experiment",
        "title": "A fuzzed experiment",
        "baseline": str(BASELINE),
        "scenarios": f"[{MEASURE}]",
        "run": "{households: 500, end_year: 2025, seed: 7}",
        "replications": "2",
        "sweeps": "\n  - {name: sub, vary: [medical_subsidy], from_year: 2025, grid: {medical.resident_subsidy: [700, 800]}}",
    }
    parts.update(over)
    return "".join(f"{k}: {v}\n" for k, v in parts.items() if v is not None)


def experiment_case(label: str, text: str | bytes, expect: str) -> Case:
    def go(folder: Path) -> dict:
        from minsheng.experiment import ExperimentError, load_experiment

        p = folder / "fuzz_experiment.yaml"
        (p.write_bytes if isinstance(text, bytes) else p.write_text)(text)
        import inspect

        purpose = {}
        if (
            "sensitivity:" in str(text)
            and "purpose" in inspect.signature(load_experiment).parameters
        ):
            purpose = {"purpose": "sensitivity"}
        try:
            exp = load_experiment(p, **purpose)
        except ExperimentError as exc:
            return refused(exc, [p.name])
        except ScenarioError as exc:
            return refused(exc, [p.name])
        runs = len(exp.variants) * exp.replications
        if runs > MAX_RUNS:
            return {"status": "accepted", "run": f"bad results: {runs} runs accepted"}
        return {"status": "accepted", "runs": runs}

    return Case("experiment", label, expect, go, timeout=12)


def experiment_cases(rng: random.Random, n_mut: int) -> list[Case]:
    """Sizes, types, names and files of experiments; random mutations."""
    grid3x100 = (
        "{"
        + ", ".join(
            f"{p}: [" + ", ".join(str(lo + i) for i in range(100)) + "]"
            for p, lo in (
                ("medical.resident_subsidy", 700),
                ("pension.resident_minimum", 100),
                ("childcare.voucher", 0),
            )
        )
        + "}"
    )
    cases = [
        ("valid", {}, "valid"),
        ("100,000 replications", {"replications": "100000"}, "invalid"),
        ("5,001 replications x 2 scenarios", {"replications": "5001"}, "invalid"),
        (
            "a grid of 3 x 100 values",
            {"sweeps": f"\n  - {{name: big, vary: [medical_subsidy], grid: {grid3x100}}}"},
            "invalid",
        ),
        (
            "a sample of 100,000 points",
            {
                "sweeps": "\n  - {name: s, vary: [baseline, medical_subsidy], sample: {points: 100000, ranges: {medical.enrolment_price_coefficient: [-0.6, -0.05]}}}"
            },
            "invalid",
        ),
        (
            "a sample of 4,000 points x 2",
            {
                "sweeps": "\n  - {name: s, vary: [baseline, medical_subsidy], sample: {points: 4000, ranges: {medical.enrolment_price_coefficient: [-0.6, -0.05]}}}"
            },
            "invalid",
        ),
        ("replications true", {"replications": "true"}, "invalid"),
        ("replications 2.5", {"replications": "2.5"}, "invalid"),
        ("replications 1e1", {"replications": "1e1"}, "either"),
        ("replications '2'", {"replications": "'2'"}, "invalid"),
        ("replications 0", {"replications": "0"}, "invalid"),
        ("replications -1", {"replications": "-1"}, "invalid"),
        ("replications huge", {"replications": "1" + "0" * 5000}, "invalid"),
        ("households true", {"run": "{households: true, end_year: 2025}"}, "invalid"),
        ("households 5e3", {"run": "{households: 5e3, end_year: 2025}"}, "either"),
        ("seed -1", {"run": "{households: 500, end_year: 2025, seed: -1}"}, "invalid"),
        ("seed 2**70", {"run": f"{{households: 500, end_year: 2025, seed: {2**70}}}"}, "invalid"),
        ("end_year 11:40", {"run": "{households: 500, end_year: '11:40'}"}, "invalid"),
        (
            "grid with NaN",
            {
                "sweeps": "\n  - {name: sub, vary: [medical_subsidy], grid: {medical.resident_subsidy: [.nan]}}"
            },
            "invalid",
        ),
        (
            "grid with inf",
            {
                "sweeps": "\n  - {name: sub, vary: [medical_subsidy], grid: {medical.resident_subsidy: [.inf]}}"
            },
            "invalid",
        ),
        (
            "grid with true",
            {
                "sweeps": "\n  - {name: sub, vary: [medical_subsidy], grid: {medical.resident_subsidy: [true]}}"
            },
            "invalid",
        ),
        (
            "grid with 7e2",
            {
                "sweeps": "\n  - {name: sub, vary: [medical_subsidy], grid: {medical.resident_subsidy: [7e2]}}"
            },
            "valid",
        ),
        (
            "grid out of range",
            {
                "sweeps": "\n  - {name: sub, vary: [medical_subsidy], grid: {medical.resident_subsidy: [70000]}}"
            },
            "invalid",
        ),
        (
            "grid share above 1",
            {
                "sweeps": "\n  - {name: sub, vary: [medical_subsidy], grid: {dibao.takeup_rural: [1.5]}}"
            },
            "invalid",
        ),
        (
            "grid list key",
            {"sweeps": "\n  - {name: sub, vary: [medical_subsidy], grid: {[a]: [1]}}"},
            "invalid",
        ),
        (
            "unknown vary",
            {
                "sweeps": "\n  - {name: sub, vary: [nobody], grid: {medical.resident_subsidy: [700]}}"
            },
            "invalid",
        ),
        (
            "from_year 1990",
            {
                "sweeps": "\n  - {name: sub, vary: [medical_subsidy], from_year: 1990, grid: {medical.resident_subsidy: [700]}}"
            },
            "invalid",
        ),
        (
            "range reversed",
            {
                "sweeps": "\n  - {name: s, vary: [medical_subsidy], sample: {points: 2, ranges: {medical.resident_subsidy: [900, 700]}}}"
            },
            "invalid",
        ),
        (
            "grid and sample",
            {
                "sweeps": "\n  - {name: s, vary: [medical_subsidy], grid: {medical.resident_subsidy: [700]}, sample: {points: 2, ranges: {medical.resident_subsidy: [700, 900]}}}"
            },
            "invalid",
        ),
        (
            "duplicate sweep names",
            {
                "sweeps": "\n  - {name: s, vary: [medical_subsidy], grid: {medical.resident_subsidy: [700]}}\n  - {name: s, vary: [medical_subsidy], grid: {medical.resident_subsidy: [800]}}"
            },
            "invalid",
        ),
        ("unknown metric", {"metrics": "[{metric: happiness}]"}, "invalid"),
        ("baseline /dev/zero", {"baseline": "/dev/zero"}, "invalid"),
        ("baseline /dev/urandom", {"baseline": "/dev/urandom"}, "invalid"),
        ("baseline a folder", {"baseline": str(ROOT / "scenarios")}, "invalid"),
        ("baseline NUL", {"baseline": '"base\\0line.yaml"'}, "invalid"),
        ("scenario twice", {"scenarios": f"[{MEASURE}, {MEASURE}]"}, "invalid"),
        ("name with a slash", {"name": "'../../etc'"}, "invalid"),
        ("name 300 characters", {"name": "a" * 300}, "invalid"),
        (
            "sensitivity of 2**16 samples x 20 parameters",
            {
                "sensitivity": "\n  parameters: {"
                + ", ".join(
                    f"{p}: {{range: [0.1, 0.2], vary: [baseline]}}"
                    for p in [n for n in sorted(REGISTRY) if REGISTRY[n].unit == "share"][:20]
                )
                + "}\n  outputs: [{name: o, scenario: baseline, metric: medical_coverage, year: 2025}]\n  sobol: {samples: 65536}"
            },
            "invalid",
        ),
    ]
    out = [experiment_case(label, experiment_text(**over), expect) for label, over, expect in cases]
    out.append(experiment_case("alias bomb", bomb(9) + experiment_text(), "invalid"))
    out.append(
        experiment_case(
            "80,000 unknown keys",
            experiment_text() + "".join(f"k{i}: 1\n" for i in range(80_000)),
            "invalid",
        )
    )
    out.append(experiment_case("2 MB", experiment_text() + ("#" * 99 + "\n") * 20_000, "invalid"))
    out.append(experiment_case("UTF-16", experiment_text().encode("utf-16"), "invalid"))

    def fifo_baseline(folder: Path) -> dict:
        os.mkfifo(folder / "pipe.yaml")
        return experiment_case(
            "", experiment_text(baseline=str(folder / "pipe.yaml")), "invalid"
        ).run(folder)

    out.append(Case("experiment", "baseline a fifo", "invalid", fifo_baseline))

    def fifo_itself(folder: Path) -> dict:
        from minsheng.experiment import ExperimentError, load_experiment

        os.mkfifo(folder / "exp.yaml")
        try:
            load_experiment(folder / "exp.yaml")
        except ExperimentError as exc:
            return refused(exc, ["exp.yaml"])
        return {"status": "accepted"}

    out.append(Case("experiment", "the file a fifo", "invalid", fifo_itself))
    base_text = experiment_text()
    base_doc = yaml.safe_load(base_text)
    for i in range(n_mut):
        if rng.random() < 0.5:
            text = yaml.safe_dump(mutate_structure(base_doc, rng), sort_keys=False)
        else:
            text = mutate_text(base_text, rng)
        out.append(experiment_case(f"mutant {i}", text, "either"))
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------- command lines


def cli_case(label: str, argv: Callable[[Path], list[str]], expect: str, timeout: int = 60) -> Case:
    """`minsheng ARGV`: exit 2 before any simulation (invalid) or exit 0 (valid)."""

    def go(folder: Path) -> dict:
        import model.core
        from minsheng import cli

        started = []
        real = model.core.MinshengModel.__init__

        def spy(self, *a, **k):
            started.append(1)
            return real(self, *a, **k)

        model.core.MinshengModel.__init__ = spy
        args = argv(folder)
        try:
            code = cli.main(args)
        except SystemExit as exc:  # argparse
            code = exc.code
        if code == 0:
            return {"status": "accepted"}
        if code == 2:
            return {
                "status": "refused",
                "clean": not started,
                "message": "after the run" if started else "",
            }
        return {"status": "exception", "type": f"exit code {code}"}

    return Case("cli", label, expect, go, timeout=timeout)


def tiny_experiment(folder: Path, name: str = "tiny", scenarios: str = "[]") -> Path:
    p = folder / f"{name}.yaml"
    p.write_text(
        f"name: {name}\ntitle: t\nbaseline: {BASELINE}\nscenarios: {scenarios}\n"
        "run: {households: 500, end_year: 2024, seed: 3}\nreplications: 2\n"
    )
    return p


def cli_cases() -> list[Case]:
    """Option values of run, compare, validate and batch."""
    run = ["run", str(BASELINE), "--households", "500", "--years", "2024"]

    def ro(folder: Path) -> str:
        return "/proc/minsheng-fuzz"

    def a_file(folder: Path) -> str:
        (folder / "file").write_text("x")
        return str(folder / "file")

    cases = [
        ("run ok", lambda f: run + ["--out", str(f / "o")], "valid"),
        ("--seed -1", lambda f: run + ["--seed", "-1", "--out", str(f / "o")], "invalid"),
        ("--seed 2**63", lambda f: run + ["--seed", str(2**63), "--out", str(f / "o")], "invalid"),
        ("--seed 2**70", lambda f: run + ["--seed", str(2**70), "--out", str(f / "o")], "invalid"),
        (
            "--seed 2**63-1",
            lambda f: run + ["--seed", str(2**63 - 1), "--out", str(f / "o")],
            "valid",
        ),
        ("--seed abc", lambda f: run + ["--seed", "abc"], "invalid"),
        ("--out an existing file", lambda f: run + ["--out", a_file(f)], "invalid"),
        ("--out /dev/null", lambda f: run + ["--out", "/dev/null"], "invalid"),
        ("--out /dev/null/x", lambda f: run + ["--out", "/dev/null/x"], "invalid"),
        ("--out not writable", lambda f: run + ["--out", ro(f)], "invalid"),
        ("--out a 300-character name", lambda f: run + ["--out", str(f / ("x" * 300))], "invalid"),
        (
            "--out a 5,000-character path",
            lambda f: run + ["--out", str(f / "/".join(["y" * 200] * 25))],
            "invalid",
        ),
        ("--out a NUL byte", lambda f: run + ["--out", str(f / "a\0b")], "invalid"),
        ("--households 499", lambda f: run[:3] + ["--households", "499"], "invalid"),
        ("--households 1e5", lambda f: run[:3] + ["--households", "1e5"], "invalid"),
        ("--years 2101", lambda f: run[:3] + ["--households", "500", "--years", "2101"], "invalid"),
        ("--years 2023", lambda f: run[:3] + ["--households", "500", "--years", "2023"], "invalid"),
        ("--years 0", lambda f: run[:3] + ["--households", "500", "--years", "0"], "invalid"),
        (
            "--years 2024-99999999999999999999",
            lambda f: run[:3] + ["--households", "500", "--years", "2024-99999999999999999999"],
            "invalid",
        ),
        (
            "compare --seed -5",
            lambda f: [
                "compare",
                str(BASELINE),
                str(MEASURE),
                "--households",
                "500",
                "--years",
                "2024",
                "--seed",
                "-5",
                "--out",
                str(f / "o"),
            ],
            "invalid",
        ),
        (
            "compare --out a file",
            lambda f: [
                "compare",
                str(BASELINE),
                str(MEASURE),
                "--households",
                "500",
                "--years",
                "2024",
                "--out",
                a_file(f),
            ],
            "invalid",
        ),
        ("validate /dev/zero", lambda f: ["validate", "/dev/zero"], "invalid"),
        (
            "batch ok",
            lambda f: ["batch", str(tiny_experiment(f)), "--workers", "1", "--out", str(f / "o")],
            "valid",
        ),
        (
            "batch --workers 80",
            lambda f: ["batch", str(tiny_experiment(f)), "--workers", "80", "--out", str(f / "o")],
            "invalid",
        ),
        (
            "batch --workers 0",
            lambda f: ["batch", str(tiny_experiment(f)), "--workers", "0", "--out", str(f / "o")],
            "invalid",
        ),
        (
            "batch --workers 10**6",
            lambda f: [
                "batch",
                str(tiny_experiment(f)),
                "--workers",
                str(10**6),
                "--out",
                str(f / "o"),
            ],
            "invalid",
        ),
        (
            "batch --out a file",
            lambda f: ["batch", str(tiny_experiment(f)), "--workers", "1", "--out", a_file(f)],
            "invalid",
        ),
        (
            "batch --out /dev/null",
            lambda f: ["batch", str(tiny_experiment(f)), "--workers", "1", "--out", "/dev/null"],
            "invalid",
        ),
        (
            "batch --out not writable",
            lambda f: ["batch", str(tiny_experiment(f)), "--workers", "1", "--out", ro(f)],
            "invalid",
        ),
        ("app --port 0", lambda f: ["app", "--port", "0"], "invalid"),
    ]
    return [cli_case(label, argv, expect) for label, argv, expect in cases]


# ---------------------------------------------------------------- results folders


def folder_cases() -> list[Case]:
    """Finished runs must survive another experiment of the same name, a changed experiment,
    a second batch into the same folder; `run` must leave a complete folder."""
    from minsheng.cli import main

    def finished(out: Path, name: str) -> int:
        return len(list((out / name / "batch" / "manifests").rglob("run-*.json")))

    def same_name(folder: Path) -> dict:
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        a = tiny_experiment(folder / "a", "same", scenarios=f"[{MEASURE}]")
        b = tiny_experiment(folder / "b", "same")  # another file, the same name, fewer runs
        out = folder / "o"
        assert main(["batch", str(a), "--workers", "1", "--out", str(out)]) == 0
        before = finished(out, "same")
        code = main(["batch", str(b), "--workers", "1", "--out", str(out)])
        after = finished(out, "same")
        if after < before:
            return {"status": "lost", "message": f"{before} -> {after} runs, exit {code}"}
        if code == 0:
            return {"status": "accepted"}
        return {"status": "refused", "clean": code == 2}

    def dropped_scenario(folder: Path) -> dict:
        exp = tiny_experiment(folder, "drop", scenarios=f"[{MEASURE}]")
        out = folder / "o"
        assert main(["batch", str(exp), "--workers", "1", "--out", str(out)]) == 0
        before = finished(out, "drop")
        tiny_experiment(folder, "drop")  # the measure removed from the file
        code = main(["batch", str(exp), "--workers", "1", "--out", str(out)])
        after = finished(out, "drop")
        if after < before:
            return {"status": "lost", "message": f"{before} -> {after} runs, exit {code}"}
        return {"status": "accepted"}

    def second_batch(folder: Path) -> dict:
        import subprocess

        exp = folder / "slow.yaml"
        exp.write_text(
            f"name: slow\ntitle: t\nbaseline: {BASELINE}\nscenarios: [{MEASURE}]\n"
            "run: {households: 500, end_year: 2024, seed: 3}\nreplications: 3\n"
        )
        out = folder / "o"
        argv = ["batch", str(exp), "--workers", "1", "--out", str(out)]
        slow = (  # each run takes a second, so the second batch starts while the first writes
            "import sys, time, minsheng.batch, minsheng.runs\n"
            "real = minsheng.runs.run_task\n"
            "minsheng.batch.run_task = lambda t: (time.sleep(1), real(t))[1]\n"
            f"from minsheng.cli import main\nsys.exit(main({argv!r}))\n"
        )
        first = subprocess.Popen(
            [sys.executable, "-c", slow],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.time() + 30
        while time.time() < deadline and not (out / "slow" / "batch").exists():
            time.sleep(0.02)
        cmd = [sys.executable, "-m", "minsheng.cli", *argv]
        second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
        first_err = first.communicate(timeout=120)[1].decode()
        if first.returncode != 0:
            return {"status": "lost", "message": f"the first batch failed: {first_err[-300:]}"}
        if second.returncode == 2:
            return {"status": "refused", "clean": True}
        if second.returncode == 0:
            return {"status": "accepted"}
        return {"status": "exception", "type": f"second exit {second.returncode}"}

    return [
        Case(
            "folders", "another experiment file of the same name", "invalid", same_name, timeout=60
        ),
        Case(
            "folders",
            "a scenario dropped from the experiment",
            "valid",
            dropped_scenario,
            timeout=60,
        ),
        Case("folders", "a second batch into a busy folder", "invalid", second_batch, timeout=240),
    ]


# ---------------------------------------------------------------- main


def all_cases(seed: int, scale: float) -> list[Case]:
    rng = random.Random(seed)
    s = lambda n: max(1, int(n * scale))  # noqa: E731
    return (
        yaml_type_cases(rng)
        + bounds_cases(rng)
        + special_file_cases(rng)
        + mutation_cases(rng, s(600))
        + cross_field_cases(rng)
        + registry_cases(rng, s(120))
        + upload_cases(rng, s(120))
        + experiment_cases(rng, s(150))
        + cli_cases()
        + folder_cases()
    )


def warm_up() -> None:
    """Load what every child would load anyway (the baseline, known outputs) once, before forking."""
    from minsheng.experiment import known_outputs

    known_outputs(load_scenario(BASELINE))
    import app.scenario_io  # noqa: F401


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies the random cases")
    ap.add_argument("--only", default=None, help="comma-separated classes")
    ap.add_argument("--json", default=None, help="write every case's outcome here")
    ap.add_argument("--show", type=int, default=3, help="examples shown per class and bad outcome")
    args = ap.parse_args(argv)
    warnings.filterwarnings(
        "ignore", category=DeprecationWarning
    )  # fork() with threads: we exec nothing
    warm_up()
    cases = all_cases(args.seed, args.scale)
    if args.only:
        wanted = set(args.only.split(","))
        cases = [c for c in cases if c.cls in wanted]
    table: dict[str, Counter] = defaultdict(Counter)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    records = []
    t0 = time.perf_counter()
    for i, case in enumerate(cases):
        folder = Path(tempfile.mkdtemp(prefix="minsheng-fuzz-"))
        try:
            report = run_in_child(case, folder)
        finally:
            for p in folder.rglob("*"):  # fifos and links first: rmtree does not follow them anyway
                with contextlib.suppress(OSError):
                    if stat.S_ISFIFO(p.lstat().st_mode):
                        p.unlink()
            shutil.rmtree(folder, ignore_errors=True)
        outcome = classify(case, report)
        table[case.cls][outcome] += 1
        detail = (
            report.get("message")
            or report.get("run")
            or report.get("value_mismatch")
            or report.get("type")
            or report.get("status")
        )
        if outcome not in ("ok", "clean"):
            examples[(case.cls, outcome)].append(f"{case.label}: {str(detail)[:160]!r}")
        records.append(
            {
                "class": case.cls,
                "label": case.label,
                "expect": case.expect,
                "outcome": outcome,
                "seconds": round(report.get("s", 0), 3),
                "detail": str(detail)[:300],
            }
        )
        if (i + 1) % 100 == 0:
            print(
                f"  {i + 1}/{len(cases)} cases, {time.perf_counter() - t0:.0f} s", file=sys.stderr
            )
    print(f"\n{len(cases)} cases, seed {args.seed}, {time.perf_counter() - t0:.0f} s\n")
    header = f"{'class':<14}" + "".join(f"{h:>14}" for h in ("cases",) + OUTCOMES)
    print(header)
    total: Counter = Counter()
    for cls in dict.fromkeys(c.cls for c in cases):
        row = table[cls]
        total.update(row)
        print(f"{cls:<14}{sum(row.values()):>14}" + "".join(f"{row[o]:>14}" for o in OUTCOMES))
    print(f"{'all':<14}{sum(total.values()):>14}" + "".join(f"{total[o]:>14}" for o in OUTCOMES))
    for (cls, outcome), lines in sorted(examples.items()):
        print(f"\n{cls} / {outcome} ({len(lines)}):")
        for line in lines[: args.show]:
            print("  " + line)
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
