"""No finished run deleted by mistake; a results folder is complete at every instant (issue 15)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from minsheng.cli import main
from minsheng.output import leftovers, recover
from minsheng.store import ORIGIN, RunStore
from tests.conftest import ROOT, SCENARIOS

BASE = SCENARIOS / "baseline.yaml"
MEASURE = SCENARIOS / "measures" / "medical_subsidy.yaml"


def experiment(folder: Path, scenarios: str = f"[{MEASURE}]", name: str = "same") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{name}.yaml"
    p.write_text(
        f"name: {name}\ntitle: t\nbaseline: {BASE}\nscenarios: {scenarios}\n"
        "run: {households: 500, end_year: 2024, seed: 3}\nreplications: 2\n",
        encoding="utf-8",
    )
    return p


def batch(path: Path, out: Path, *more: str) -> int:
    return main(["batch", str(path), "--workers", "1", "--out", str(out), *more])


def finished(out: Path, name: str = "same") -> list[str]:
    root = out / name / "batch" / "manifests"
    return sorted(str(p.relative_to(root)) for p in root.rglob("run-*.json"))


def test_another_experiment_file_with_the_same_name_is_refused_and_cleans_nothing(tmp_path, capsys):
    a = experiment(tmp_path / "a")
    b = experiment(tmp_path / "b", scenarios="[]")  # another file, the same name, fewer runs
    out = tmp_path / "out"
    assert batch(a, out) == 0
    before = finished(out)
    assert len(before) == 4
    capsys.readouterr()
    assert batch(b, out) == 2
    err = capsys.readouterr().err
    assert f"{b}: name: found 'same', the name of the results folder" in err
    assert f"runs of another experiment file ({a})" in err and "give it another --out" in err
    assert finished(out) == before
    assert batch(b, out, "--fresh") == 2 and finished(out) == before  # --fresh cannot clean it
    origin = json.loads((out / "same" / "batch" / ORIGIN).read_text())
    assert origin["experiment_file"] == str(a)


def test_a_copy_of_the_same_file_may_continue_its_runs(tmp_path):
    a = experiment(tmp_path / "a")
    out = tmp_path / "out"
    assert batch(a, out) == 0
    copy = tmp_path / "elsewhere" / "same.yaml"
    copy.parent.mkdir()
    copy.write_bytes(a.read_bytes())
    assert batch(copy, out) == 0 and len(finished(out)) == 4


def test_runs_that_left_the_experiment_are_kept_unless_pruned(tmp_path, capsys):
    a = experiment(tmp_path)
    out = tmp_path / "out"
    assert batch(a, out) == 0
    experiment(tmp_path, scenarios="[]")  # the measure removed from the same file
    capsys.readouterr()
    assert batch(a, out) == 0
    assert len(finished(out)) == 4
    assert "kept 2 finished runs no longer in the experiment" in capsys.readouterr().err
    summary = pd.read_csv(out / "same" / "batch" / "summary.csv")
    assert set(summary.scenario) == {"baseline"}
    assert batch(a, out, "--prune") == 0
    assert len(finished(out)) == 2
    assert "removed 2 runs no longer in the experiment (--prune)" in capsys.readouterr().err


def test_a_second_batch_into_a_folder_in_use_is_refused(tmp_path, capsys):
    a = experiment(tmp_path)
    out = tmp_path / "out"
    store = RunStore(out / "same" / "batch", "same")
    with store.locked():
        assert batch(a, out) == 2
    err = capsys.readouterr().err
    assert f"{store.root} is in use by another minsheng command (process {os.getpid()}" in err
    assert finished(out) == []
    assert batch(a, out) == 0  # the lock goes with its holder


SLOW_BATCH = """
import sys, time
import minsheng.batch, minsheng.runs
def slow(task, real=minsheng.runs.run_task):
    time.sleep(1.0)  # each run takes a second: the second batch starts while this one writes
    return real(task)
minsheng.batch.run_task = slow
from minsheng.cli import main
sys.exit(main(["batch", {exp!r}, "--workers", "1", "--out", {out!r}]))
"""


def test_a_second_batch_started_while_the_first_writes(tmp_path):
    exp = experiment(tmp_path, name="slow")
    out = tmp_path / "out"
    code = SLOW_BATCH.format(exp=str(exp), out=str(out))
    first = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = out / "slow" / "batch" / ".lock"
    while first.poll() is None and not (lock.exists() and lock.read_text()):
        pass
    cmd = [
        sys.executable,
        "-m",
        "minsheng.cli",
        "batch",
        str(exp),
        "--workers",
        "1",
        "--out",
        str(out),
    ]
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    _, first_err = first.communicate(timeout=120)
    assert first.returncode == 0, first_err
    assert second.returncode == 2 and "is in use by another minsheng command" in second.stderr
    assert len(finished(out, "slow")) == 4


KILL_DURING_REPLACE = """
import os, signal, sys
import minsheng.output as output
step = {step!r}
if step == "after the swap":
    real = output.exchange
    def exchange(a, b):
        real(a, b)
        os.kill(os.getpid(), signal.SIGKILL)
    output.exchange = exchange
else:  # a system without the swap, killed between its two renames
    output.exchange = lambda a, b: False
    real_rename = os.rename
    from pathlib import Path
    def rename(self, target):
        real_rename(self, target)
        if ".old-" in str(target):
            os.kill(os.getpid(), signal.SIGKILL)
        return Path(target)
    Path.rename = rename
from minsheng.cli import main
sys.exit(main(["run", {base!r}, "--households", "500", "--years", "2025", "--out", {out!r}]))
"""


def complete(folder: Path) -> set[int]:
    """The years of a complete results folder (every file there and readable)."""
    assert json.loads((folder / "manifest.json").read_text())
    assert len(pd.read_csv(folder / "summary.csv")) > 0
    return set(pd.read_parquet(folder / "results.parquet").year)


@pytest.mark.parametrize("step", ["after the swap", "between the renames"])
def test_run_replaces_its_folder_so_old_or_new_results_are_complete(tmp_path, step):
    out = tmp_path / "out"
    assert (
        main(["run", str(BASE), "--households", "500", "--years", "2024", "--out", str(out)]) == 0
    )
    code = KILL_DURING_REPLACE.format(step=step, base=str(BASE), out=str(out))
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == -signal.SIGKILL, r.stderr
    target = out / "baseline"
    if step == "after the swap":
        assert complete(target) == {2024, 2025}  # the new results, in place at once
        assert len(leftovers(target)["tmp"]) == 1  # the old ones, not yet deleted
    else:
        assert not target.exists() and len(leftovers(target)["old"]) == 1
        recover(target)  # what the next run into the folder does first
        assert complete(target) == {2024}  # the old results, put back
    recover(target)
    assert leftovers(target) == {"tmp": [], "old": []}
    assert (
        main(["run", str(BASE), "--households", "500", "--years", "2026", "--out", str(out)]) == 0
    )
    assert complete(target) == {2024, 2025, 2026}
    assert sorted(p.name for p in out.iterdir()) == ["baseline"]
