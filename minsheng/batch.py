"""`minsheng batch`: run an experiment's scenarios, sweeps and replications; summarise them.

Runs already finished (found by their manifest, see `minsheng.store`) are skipped, so running
the same command again after an interruption (Ctrl-C, a killed process, a lost machine)
continues where it stopped. Results go to ``OUT/<experiment>/batch/``:

- ``dataset/experiment=<name>/scenario=<variant>/run-<seed>.parquet``: tidy rows of each run;
- ``manifests/<variant>/run-<seed>.json``: the run's inputs (scenario content hash, seed,
  households, last year, swept parameters), package version, git commit and timings;
- ``summary.csv``: for every metric, group and year of every variant, the mean and 95% CI of
  the level and of the paired difference from its reference (`minsheng.summary`);
- ``scenarios.csv``: the variants (sweep, point, swept values, reference, content hash);
- ``experiment.yaml``: a copy of the experiment file.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from minsheng.executors import Executor
from minsheng.experiment import Experiment, ExperimentError, Variant
from minsheng.runs import RunTask, run_task
from minsheng.store import FolderOfAnotherExperiment, RunStore, write_text_atomic
from minsheng.summary import replication_summary


@dataclass
class BatchOutcome:
    """What a batch did: runs planned, found finished, run now; whether it was interrupted."""

    folder: Path
    planned: int
    skipped: int
    ran: int
    removed: int
    interrupted: bool
    seconds: float
    summary: pd.DataFrame | None = None
    kept: int = 0  # finished runs no longer in the experiment, kept (no --prune)


def plan(exp: Experiment) -> list[RunTask]:
    """Every run of the experiment: each replication's seed for every variant (replication-major)."""
    return [
        RunTask(
            variant=v.name,
            scenario=v.scenario,
            seed=seed,
            households=exp.households,
            end_year=exp.end_year,
        )
        for seed in exp.seeds
        for v in exp.variants
    ]


def _git_commit() -> str | None:
    try:
        r = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
            cwd=Path(__file__).resolve().parent,
        )
        return r.stdout.strip()
    except Exception:
        return None


def provenance() -> dict[str, Any]:
    """Package version, git commit of the code, Python and key library versions."""

    def version(pkg: str) -> str | None:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return None

    return {
        "package_version": version("minsheng"),
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "mesa": version("mesa"),
    }


def variant_fields(v: Variant, seed: int, base_seed: int) -> dict[str, Any]:
    """Manifest fields describing a variant and the replication of a run."""
    return {
        "base_scenario": v.base,
        "reference": v.reference,
        "sweep": v.sweep,
        "point": v.point,
        "parameters": v.parameters,
        "from_year": v.from_year,
        "replication": seed - base_seed,
    }


def execute(
    tasks: Sequence[RunTask],
    store: RunStore,
    executor: Executor,
    fields: Callable[[RunTask], dict[str, Any]],
    label: str,
) -> tuple[int, bool]:
    """Run `tasks` on `executor`, writing each run as soon as it arrives.

    Shows a progress bar with an ETA (on a terminal). Ctrl-C, or a run that raises, stops the
    executor at once; runs already written stay written.

    Returns:
        (runs written, interrupted?)
    """
    from tqdm import tqdm

    written = 0
    bar = tqdm(
        total=len(tasks), desc=label, unit="run", file=sys.stderr, disable=None, smoothing=0.05
    )
    try:
        for out in executor.map_unordered(run_task, tasks):
            store.write(out, fields(out.task))
            written += 1
            bar.update(1)
        executor.close()
    except KeyboardInterrupt:
        bar.close()
        executor.stop()
        return written, True
    except Exception:  # a run failed (e.g. its results check): stop the others, keep the written
        executor.stop()
        raise
    finally:
        bar.close()
    return written, False


def claim_folder(store: RunStore, exp: Experiment) -> None:
    """Make the folder `exp`'s, or refuse (ExperimentError) if another experiment file made it."""
    try:
        store.claim(exp.path, file_sha256(exp))
    except FolderOfAnotherExperiment as exc:
        raise ExperimentError(
            [
                (
                    str(exp.path),
                    "name",
                    f"{exp.name!r}, the name of the results folder {store.root}, which holds the "
                    f"runs of another experiment file ({exc.recorded})",
                    "a name no other experiment file uses in this --out folder: rename this "
                    "experiment, or give it another --out",
                )
            ]
        )


def file_sha256(exp: Experiment) -> str:
    """SHA-256 of the experiment file's bytes."""
    return hashlib.sha256(exp.path.read_bytes()).hexdigest()


def stale_note(count: int, removed: bool) -> str:
    """What happened to finished runs no longer in the experiment file (for the log line)."""
    if not count:
        return ""
    if removed:
        return f"; removed {count} runs no longer in the experiment (--prune)"
    return (
        f"; kept {count} finished runs no longer in the experiment (left out of the summary; "
        "--prune removes them)"
    )


@contextmanager
def claimed_store(out: Path, exp: Experiment, part: str) -> Iterator[RunStore]:
    """The folder ``out/<experiment>/<part>``, locked while in use and claimed for `exp`.

    Raises:
        FolderInUse: another process is writing to the folder.
        ExperimentError: the folder holds another experiment file's runs.
    """
    store = RunStore(Path(out) / exp.name / part, exp.name)
    with store.locked():
        claim_folder(store, exp)
        yield store


@dataclass
class Execution:
    """What running an experiment's planned runs did (counts of runs)."""

    planned: int
    skipped: int  # finished before
    ran: int
    stale: int  # finished runs no longer planned (removed with --prune, else kept)
    interrupted: bool


def execute_planned(
    exp: Experiment,
    store: RunStore,
    tasks: Sequence[RunTask],
    executor: Executor,
    prune: bool,
    log: Callable[[str], None],
    plan_note: str,
    fields: Callable[[RunTask], dict[str, Any]],
    label: str,
    shared: dict[str, Any] | None = None,
) -> Execution:
    """Run the unfinished `tasks` of `exp` into `store`, logging the plan first.

    `plan_note` opens the log line (what is planned); each run's manifest gets the experiment's
    file, title and hash, `shared`, the code's provenance and `fields(task)`.
    """
    stale = store.prune(tasks, remove=prune)
    todo = [t for t in tasks if not store.is_finished(t)]
    log(
        f"{plan_note}; {len(tasks) - len(todo)} already finished, {len(todo)} to run on "
        f"{executor.description}" + stale_note(stale, prune)
    )
    common = {
        "experiment_title": exp.title,
        "experiment_file": str(exp.path),
        "experiment_file_sha256": file_sha256(exp),
        **(shared or {}),
        **provenance(),
    }
    written, interrupted = execute(todo, store, executor, lambda t: {**common, **fields(t)}, label)
    return Execution(len(tasks), len(tasks) - len(todo), written, stale, interrupted)


def run_batch(
    exp: Experiment,
    out: Path,
    executor: Executor,
    fresh: bool = False,
    prune: bool = False,
    log: Callable[[str], None] = print,
) -> BatchOutcome:
    """Run every unfinished run of `exp`, then (unless interrupted) write the summary.

    The batch folder is locked while it runs and must be this experiment file's (see
    `minsheng.store`).

    Args:
        out: the results folder; this experiment's go to ``out/<name>/batch``.
        executor: where runs execute (`minsheng.executors`).
        fresh: delete this experiment's previous runs first (e.g. after changing the model's
            code, which the manifests' inputs do not capture).
        prune: delete finished runs no longer in the experiment file (else they are kept).
        log: where progress messages go.

    Raises:
        FolderInUse: another batch is writing to the folder.
        ExperimentError: the folder holds another experiment file's runs.
    """
    with claimed_store(out, exp, "batch") as store:
        return _run_batch(exp, store, executor, fresh, prune, log)


def _run_batch(
    exp: Experiment,
    store: RunStore,
    executor: Executor,
    fresh: bool,
    prune: bool,
    log: Callable[[str], None],
) -> BatchOutcome:
    t0 = time.perf_counter()
    folder = store.root
    if fresh:
        store.remove_all()
    tasks = plan(exp)
    n_var = len(exp.variants)
    by_name = {v.name: v for v in exp.variants}
    done = execute_planned(
        exp,
        store,
        tasks,
        executor,
        prune,
        log,
        f"{exp.name}: {len(tasks)} runs ({n_var} scenario{'s' * (n_var > 1)} x "
        f"{exp.replications} replications, {exp.households:,} households, "
        f"{exp.start_year}-{exp.end_year})",
        lambda t: variant_fields(by_name[t.variant], t.seed, exp.seed),
        exp.name,
    )
    outcome = BatchOutcome(
        folder=folder,
        planned=done.planned,
        skipped=done.skipped,
        ran=done.ran,
        removed=done.stale if prune else 0,
        kept=0 if prune else done.stale,
        interrupted=done.interrupted,
        seconds=time.perf_counter() - t0,
    )
    if done.interrupted:
        return outcome

    frame = store.load_runs(tasks)
    summary = replication_summary(frame, exp.variants)
    summary.insert(0, "experiment", exp.name)
    write_text_atomic(folder / "summary.csv", summary.to_csv(index=False))
    write_text_atomic(folder / "scenarios.csv", scenarios_frame(exp).to_csv(index=False))
    write_text_atomic(folder / "experiment.yaml", exp.path.read_text(encoding="utf-8"))
    outcome.summary = summary
    return outcome


def scenarios_frame(exp: Experiment) -> pd.DataFrame:
    """One row per variant: its scenario file, sweep, point, swept values, reference and content hash."""
    rows = []
    for v in exp.variants:
        rows.append(
            {
                "scenario": v.name,
                "base_scenario": v.base,
                "scenario_file": v.scenario.path,
                "reference": v.reference,
                "sweep": v.sweep,
                "point": v.point,
                "from_year": v.from_year,
                "content_hash": v.scenario.content_hash(),
                **v.parameters,
            }
        )
    return pd.DataFrame(rows)
