"""`minsheng batch`: deterministic replications, exact zero for a null reform, kill-safe resume,
identical results on every executor, Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from minsheng.batch import plan, run_batch
from minsheng.cli import main
from minsheng.executors import DaskExecutor, LocalExecutor
from minsheng.experiment import load_experiment
from minsheng.store import TMP_MARK, RunStore, load_dataset, sha256
from tests.conftest import ROOT, SCENARIOS

NULL_REFORM = f"""name: null_reform
title: restating the baseline
extends: {SCENARIOS / "baseline.yaml"}
parameters:
  pension.resident_minimum:
    unit: yuan/month
    values:
      2025: {{value: 143, source: {{assumption: 'restates the baseline value'}}}}
"""


def experiment(
    tmp_path: Path,
    replications: int = 3,
    households: int = 1000,
    end_year: int = 2026,
    extra: str = "",
    name: str = "small",
) -> Path:
    """An experiment with the baseline, the Opinions, a null reform and a two-point sweep."""
    (tmp_path / "null_reform.yaml").write_text(NULL_REFORM, encoding="utf-8")
    p = tmp_path / f"{name}.yaml"
    p.write_text(
        f"name: {name}\ntitle: test\nbaseline: {SCENARIOS / 'baseline.yaml'}\n"
        f"scenarios: [{SCENARIOS / 'opinions_2025.yaml'}, null_reform.yaml]\n"
        f"run: {{households: {households}, end_year: {end_year}, seed: 11}}\nreplications: {replications}\n"
        "sweeps:\n  - {name: sub, vary: [opinions_2025], from_year: 2025, grid: {medical.resident_subsidy: [750, 900]}}\n"
        + extra,
        encoding="utf-8",
    )
    return p


def quiet(msg: str) -> None:
    pass


def parquet_bytes(folder: Path) -> dict[str, bytes]:
    """Every visible Parquet file of a batch folder's dataset, by relative path."""
    root = folder / "dataset"
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*.parquet"))
        if not p.name.startswith(".")
    }


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    """An uninterrupted batch run in this process: the dataset other runs must reproduce."""
    tmp = tmp_path_factory.mktemp("reference")
    exp = load_experiment(experiment(tmp))
    outcome = run_batch(exp, tmp / "out", LocalExecutor(1), log=quiet)
    return exp, outcome


def test_dataset_layout_manifest_and_summary(reference_run):
    exp, outcome = reference_run
    assert not outcome.interrupted and outcome.ran == outcome.planned == 5 * 3
    folder = outcome.folder
    files = parquet_bytes(folder)
    assert (
        "experiment=small/scenario=opinions_2025__sub_001/run-13.parquet" in files
        and len(files) == 15
    )
    df = load_dataset(folder / "dataset")
    assert list(df.columns) == [
        "experiment",
        "scenario",
        "seed",
        "year",
        "group",
        "metric",
        "value",
        "unit",
    ]
    assert set(df.seed) == {11, 12, 13} and set(df.year) == {2024, 2025, 2026}
    m = json.loads((folder / "manifests" / "opinions_2025__sub_001" / "run-12.json").read_text())
    assert m["seed"] == 12 and m["replication"] == 1 and m["households"] == 1000
    assert m["parameters"] == {"medical.resident_subsidy": 900.0} and m["from_year"] == 2025
    assert m["content_hash"] == exp.variant("opinions_2025__sub_001").scenario.content_hash()
    assert m["package_version"] == "0.1.0" and "git_commit" in m and m["timings_s"]["total_s"] > 0
    assert m["parquet_sha256"] == sha256(folder / m["parquet"])
    summary = pd.read_csv(folder / "summary.csv")
    assert {
        "scenario",
        "reference",
        "metric",
        "group",
        "year",
        "mean",
        "ci_low",
        "ci_high",
        "diff_mean",
        "diff_ci_low",
        "diff_ci_high",
        "medical.resident_subsidy",
    } <= set(summary.columns)


def test_summary_mean_and_difference_by_hand(reference_run):
    exp, outcome = reference_run
    df = load_dataset(outcome.folder / "dataset")
    s = outcome.summary.set_index(["scenario", "metric", "group", "year"])

    def runs(scenario):
        sel = df[
            (df.scenario == scenario)
            & (df.metric == "cost.all")
            & (df.group == "central")
            & (df.year == 2026)
        ]
        return sel.sort_values("seed").value.to_numpy()

    a, b = runs("baseline"), runs("opinions_2025")
    row = s.loc[("opinions_2025", "cost.all", "central", 2026)]
    d = b - a
    half = 4.302652729911275 * d.std(ddof=1) / np.sqrt(3)  # t(0.975, 2 degrees of freedom)
    assert row["mean"] == pytest.approx(b.mean())
    assert row.diff_mean == pytest.approx(d.mean()) and row.diff_ci_high == pytest.approx(
        d.mean() + half
    )
    assert row.diff_ci_low > 0  # the package costs the centre more, clearly beyond sampling noise


def test_null_reform_difference_and_its_ci_are_exactly_zero(reference_run):
    _, outcome = reference_run
    s = outcome.summary
    null = s[s.scenario == "null_reform"].dropna(subset=["diff_mean"])
    assert len(null) > 100
    for col in ("diff_mean", "diff_ci_low", "diff_ci_high"):
        assert (null[col] == 0).all(), col
    # ...while the levels do vary between replications (the zero is not for lack of noise)
    base = s[
        (s.scenario == "baseline")
        & (s.metric == "medical_coverage")
        & (s.group == "all")
        & (s.year == 2026)
    ].iloc[0]
    assert base.ci_high - base.ci_low > 1e-4


def test_replications_are_deterministic(reference_run, tmp_path):
    exp, outcome = reference_run
    again = run_batch(exp, tmp_path, LocalExecutor(1), log=quiet)
    assert parquet_bytes(again.folder) == parquet_bytes(outcome.folder)
    df = load_dataset(outcome.folder / "dataset")
    cov = df[
        (df.scenario == "baseline")
        & (df.metric == "medical_coverage")
        & (df.group == "all")
        & (df.year == 2026)
    ]
    assert cov.value.nunique() == 3  # each replication is a different sample


def test_local_pool_and_dask_give_identical_results(reference_run, tmp_path):
    exp, outcome = reference_run
    pool = run_batch(exp, tmp_path / "pool", LocalExecutor(2), log=quiet)
    dask = DaskExecutor(workers=1, processes=False)
    try:
        on_dask = run_batch(exp, tmp_path / "dask", dask, log=quiet)
    finally:
        dask.close()
    expected = parquet_bytes(outcome.folder)
    assert parquet_bytes(pool.folder) == expected
    assert parquet_bytes(on_dask.folder) == expected
    pd.testing.assert_frame_equal(on_dask.summary, outcome.summary)


def test_rerun_skips_finished_runs_and_follows_the_experiment_file(tmp_path):
    path = experiment(tmp_path, replications=2)
    first = run_batch(load_experiment(path), tmp_path / "out", LocalExecutor(1), log=quiet)
    assert first.ran == 10
    again = run_batch(load_experiment(path), tmp_path / "out", LocalExecutor(1), log=quiet)
    assert (again.ran, again.skipped, again.removed) == (0, 10, 0)
    fewer = run_batch(
        load_experiment(experiment(tmp_path, replications=1)),
        tmp_path / "out",
        LocalExecutor(1),
        log=quiet,
    )
    # one replication fewer: its runs are kept (left out of the summary) unless pruned
    assert (fewer.ran, fewer.skipped, fewer.removed, fewer.kept) == (0, 5, 0, 5)
    assert set(load_dataset(fewer.folder / "dataset").seed) == {11, 12}
    assert fewer.summary.replications.max() == 1
    pruned = run_batch(
        load_experiment(experiment(tmp_path, replications=1)),
        tmp_path / "out",
        LocalExecutor(1),
        prune=True,
        log=quiet,
    )
    assert (pruned.ran, pruned.skipped, pruned.removed, pruned.kept) == (0, 5, 5, 0)
    assert set(load_dataset(pruned.folder / "dataset").seed) == {11}
    # a different sample size makes every run stale
    bigger = run_batch(
        load_experiment(experiment(tmp_path, replications=1, households=1200)),
        tmp_path / "out",
        LocalExecutor(1),
        log=quiet,
    )
    assert bigger.ran == 5


KILLER = """
import os, signal, sys
calls = 0
real_replace = os.replace
def replace(src, dst):
    global calls
    calls += 1
    if calls == {kill_at}:
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)
os.replace = replace
from minsheng.cli import main
sys.exit(main(["batch", {exp!r}, "--workers", "1", "--out", {out!r}]))
"""


def _check_nothing_half_written(folder: Path) -> int:
    """Every visible Parquet file reads; every manifest matches its Parquet file. Returns finished runs."""
    for p in (folder / "dataset").rglob("*.parquet"):
        if not p.name.startswith("."):
            assert len(pd.read_parquet(p)) > 0
    manifests = list((folder / "manifests").rglob("run-*.json"))
    for m in manifests:
        data = json.loads(m.read_text())
        assert sha256(folder / data["parquet"]) == data["parquet_sha256"]
    return len(manifests)


@pytest.mark.parametrize("kill_at", [6, 7])
def test_sigkill_at_any_write_then_resume_gives_the_same_dataset(reference_run, tmp_path, kill_at):
    # os.replace is called once for origin.json, then twice per run (Parquet, then manifest): 6
    # kills the third run before its Parquet file is in place, 7 after it but before its manifest.
    exp, outcome = reference_run
    out = tmp_path / "out"
    code = KILLER.format(kill_at=kill_at, exp=str(exp.path), out=str(out))
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == -signal.SIGKILL, r.stderr
    folder = out / "small" / "batch"
    assert _check_nothing_half_written(folder) == 2
    # one hidden temporary file (the Parquet or the manifest being written), ignored by readers
    (hidden,) = [p for p in folder.rglob("*") if TMP_MARK in p.name]
    assert hidden.name.startswith(".") and (".parquet" if kill_at == 6 else ".json") in hidden.name
    visible = [p for p in (folder / "dataset").rglob("*.parquet") if not p.name.startswith(".")]
    assert len(visible) == (2 if kill_at == 6 else 3)  # at 7: a Parquet file without its manifest
    per_run = (
        len(load_dataset(outcome.folder / "dataset")) // 15
    )  # rows of one run in the finished dataset
    assert len(load_dataset(folder / "dataset")) == len(visible) * per_run
    assert main(["batch", str(exp.path), "--workers", "1", "--out", str(out)]) == 0
    assert parquet_bytes(folder) == parquet_bytes(outcome.folder)
    assert not [p for p in folder.rglob("*") if TMP_MARK in p.name]
    assert _check_nothing_half_written(folder) == 15


def test_sigkill_from_outside_then_resume(tmp_path):
    path = experiment(tmp_path, replications=4, households=1500, end_year=2028, name="slow")
    out = tmp_path / "out"
    folder = out / "slow" / "batch"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "minsheng.cli",
            "batch",
            str(path),
            "--workers",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((folder / "manifests").rglob("run-*.json"))) < 3:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    done = _check_nothing_half_written(folder)
    assert 3 <= done < 20
    exp = load_experiment(path)
    resumed = run_batch(exp, out, LocalExecutor(1), log=quiet)
    assert resumed.skipped == done and resumed.ran == 20 - done
    uninterrupted = run_batch(exp, tmp_path / "clean", LocalExecutor(1), log=quiet)
    assert parquet_bytes(resumed.folder) == parquet_bytes(uninterrupted.folder)


class InterruptAfter:
    """A local executor that behaves as if Ctrl-C came after `n` runs."""

    description = "a test executor"

    def __init__(self, n: int):
        self.n, self.stopped = n, False

    def map_unordered(self, fn, tasks):
        for i, t in enumerate(tasks):
            if i == self.n:
                raise KeyboardInterrupt
            yield fn(t)

    def stop(self):
        self.stopped = True

    def close(self):
        pass


def test_ctrl_c_stops_cleanly_and_keeps_finished_runs(tmp_path, monkeypatch, capsys):
    path = experiment(tmp_path, replications=1)
    ex = InterruptAfter(2)
    monkeypatch.setattr("minsheng.executors.make_executor", lambda *a, **k: ex)
    assert main(["batch", str(path), "--out", str(tmp_path / "out")]) == 130
    assert ex.stopped
    err = capsys.readouterr().err
    assert "interrupted after 2 of 5 runs" in err and "Run the same command again to resume" in err
    folder = tmp_path / "out" / "small" / "batch"
    assert _check_nothing_half_written(folder) == 2
    assert not (folder / "summary.csv").exists()
    store = RunStore(folder, "small")
    assert sum(store.is_finished(t) for t in plan(load_experiment(path))) == 2


def test_cli_batch_prints_differences_with_intervals(tmp_path, capsys):
    assert (
        main(
            [
                "batch",
                str(experiment(tmp_path, replications=2)),
                "--workers",
                "1",
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "opinions_2025 − baseline" in out and "Medical insurance coverage" in out and "±" in out
    assert "null_reform − baseline" in out and "+0.00pt ±0.00pt" in out


def test_batch_help_explains_every_option():
    r = subprocess.run(
        [sys.executable, "-m", "minsheng.cli", "batch", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0
    for o in ("--executor", "--workers", "--scheduler", "--out", "--fresh", "EXPERIMENT.yaml"):
        assert o in r.stdout


def test_fresh_removes_earlier_runs(tmp_path):
    path = experiment(tmp_path, replications=1)
    run_batch(load_experiment(path), tmp_path, LocalExecutor(1), log=quiet)
    again = run_batch(load_experiment(path), tmp_path, LocalExecutor(1), fresh=True, log=quiet)
    assert (again.ran, again.skipped) == (5, 0)


def test_cli_dask_executor_on_a_local_cluster_of_processes(reference_run, tmp_path):
    # the command-line path: a LocalCluster with a worker process (nanny), then closed
    exp, outcome = reference_run
    assert (
        main(
            ["batch", str(exp.path), "--executor", "dask", "--workers", "1", "--out", str(tmp_path)]
        )
        == 0
    )
    assert parquet_bytes(tmp_path / "small" / "batch") == parquet_bytes(outcome.folder)
