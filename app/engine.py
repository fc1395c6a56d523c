"""The app's one way into the model: load scenarios and run them, cached by the scenario's content.

Pages never call `model.run_scenario` themselves. `run()` does, through `st.cache_data` keyed by
`Scenario.content_hash()` (what affects results: run settings and every dated value), the sample
size, the last year and the seed. Two scenarios with the same content share one cached run
whatever their names, and an edit that changes nothing costs nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from app import scenario_io
from model import Scenario, load_scenario, run_scenario

UPLOADS = "uploaded_scenarios"  # session-state key: {option key: Scenario}


@st.cache_data(show_spinner=False, max_entries=64)
def _load(path: str, mtime: float) -> Scenario:
    return load_scenario(path)


def load(key: str) -> Scenario:
    """A scenario by option key: a path relative to scenarios/ or "upload:<name>"."""
    if key.startswith("upload:"):
        return st.session_state[UPLOADS][key]
    path = scenario_io.SCENARIO_DIR / key
    return _load(str(path), path.stat().st_mtime)


def scenario_options() -> list[str]:
    """Option keys of every scenario the user can pick: shipped files, then uploads."""
    return list(scenario_io.shipped_scenarios()) + list(st.session_state.get(UPLOADS, {}))


@st.cache_data(show_spinner=False, max_entries=32)
def _validate_upload(
    digest: str, filename: str, _data: bytes
) -> Scenario | list[scenario_io.Problem]:
    try:
        return scenario_io.read_upload(filename, _data)
    except scenario_io.UploadError as exc:
        return exc.problems


def add_upload(filename: str, data: bytes) -> tuple[str | None, list[scenario_io.Problem]]:
    """Validate an uploaded file; if it is a valid scenario, offer it as "upload:<name>".

    Returns (option key or None, problems).
    """
    out = _validate_upload(hashlib.sha256(data).hexdigest(), filename, data)
    if isinstance(out, list):
        return None, out
    key = f"upload:{out.name}"
    st.session_state.setdefault(UPLOADS, {})[key] = out
    return key, []


@st.cache_resource(show_spinner=False)
def warm_up() -> float:
    """Compile (first time on a machine) or load the model's compiled kernels once per server
    process, before any run, so no run's time includes it, and let runs of one sample reuse its
    population (`model.sample_cache`); seconds taken."""
    from model import kernels, sample_cache

    # a planner's runs come one after another on one sample: each starts from a copy of it
    sample_cache.reuse_from_now_on()
    return kernels.compile_all()


@st.cache_data(show_spinner=False, max_entries=256)
def _simulate(
    content_hash: str, households: int, end_year: int, seed: int, _scenario: Scenario, _label: str
) -> pd.DataFrame:
    # The progress bar is created inside the cached function, so a cache hit replays it (inside
    # the placeholder `run` clears) instead of touching a block created elsewhere.
    bar = st.progress(0.0, text=_label)

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"{_label} {done}/{total}")

    return run_scenario(
        _scenario, households=households, end_year=end_year, seed=seed, progress=progress
    ).frame


@st.cache_data(show_spinner=False, max_entries=64)
def _households(
    content_hash: str, households: int, year: int, seed: int, _scenario: Scenario, _label: str
) -> pd.DataFrame:
    bar = st.progress(0.0, text=_label)

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"{_label} {done}/{total}")

    res = run_scenario(
        _scenario,
        households=households,
        end_year=year,
        seed=seed,
        progress=progress,
        household_years=[year],
    )
    return res.households_by_year[year]


def households_of(
    scenario: Scenario, households: int, year: int, seed: int, label: str = ""
) -> pd.DataFrame:
    """One run's households in `year` (`model.outputs.household_table`), for winners and losers:
    a run of its own to `year` (cached), with a progress bar while it runs."""
    holder = st.empty()
    with holder.container():
        table = _households(
            scenario.content_hash(), int(households), int(year), int(seed), scenario, label
        )
    holder.empty()
    return table


def run(
    scenario: Scenario, households: int, end_year: int, seeds: list[int], label: str = ""
) -> pd.DataFrame:
    """Tidy results of `scenario` for each seed (one run per seed), with a progress bar while running.

    The `scenario` column is the scenario's name (cached runs are shared between scenarios of the
    same content, so it is set here).
    """
    holder = st.empty()
    frames = []
    with holder.container():
        for seed in seeds:
            frames.append(
                _simulate(
                    scenario.content_hash(),
                    int(households),
                    int(end_year),
                    int(seed),
                    scenario,
                    label,
                )
            )
    holder.empty()
    out = pd.concat(frames, ignore_index=True)
    out["scenario"] = scenario.name
    return out


def decomposition(
    reference: Scenario,
    package: Scenario,
    households: int,
    end_year: int,
    seed: int,
    label: str = "",
) -> pd.DataFrame:
    """Each measure's contribution to package - reference (tidy: year, group, metric, measure,
    contribution), from the package run without each measure (`minsheng.decompose`); every run
    goes through the same cache as `run`."""
    from minsheng import decompose

    def one(sc: Scenario) -> pd.DataFrame:
        return run(sc, households, end_year, [seed], label)

    d = decompose.contributions(
        one(reference),
        one(package),
        reference,
        package,
        decompose.default_measures_folder(package.path),
        one,
    )
    return d.frame


# ---------------------------------------------------------------- saved results (CLI and batch runs)


def saved_options() -> dict[str, tuple[Path, str]]:
    """Saved results under results/ (`minsheng run`/`compare`, batch runs): "saved:<folder>/<scenario>"."""
    out = {}
    root = scenario_io.results_dir()
    for f in sorted(root.glob("*/results.parquet")) if root.exists() else []:
        if f.parent.name.startswith("."):  # a run's temporary folder (`minsheng.output`)
            continue
        try:
            names = pd.read_parquet(f, columns=["scenario"]).scenario.unique()
        except (
            OSError,
            ValueError,
            KeyError,
        ):  # an unreadable file (or one without scenarios) is not offered
            continue
        for name in names:
            out[f"saved:{f.parent.name}/{name}"] = (f, str(name))
    return out


@st.cache_data(show_spinner=False, max_entries=32)
def _read_saved(path: str, mtime: float) -> pd.DataFrame:
    return pd.read_parquet(path)


def load_saved(key: str) -> pd.DataFrame:
    """The tidy rows of one saved scenario (every seed it was run with)."""
    path, name = saved_options()[key]
    df = _read_saved(str(path), path.stat().st_mtime)
    return df[df.scenario == name].reset_index(drop=True)


# ---------------------------------------------------------------- batch experiments (`minsheng batch`)

BATCH = "batch:"  # option keys "batch:<experiment>/<variant>"


def batch_folders() -> dict[str, Path]:
    """The batch folders under results/ (``results/<experiment>/batch``, see `minsheng.batch`),
    by experiment name (the dataset's partition, else the folder's name)."""
    root = scenario_io.results_dir()
    out = {}
    for folder in sorted(root.glob("*/batch")) if root.exists() else []:
        if folder.parent.name.startswith(".") or not (folder / "manifests").is_dir():
            continue
        parts = sorted((folder / "dataset").glob("experiment=*"))
        name = parts[0].name.removeprefix("experiment=") if parts else folder.parent.name
        out[name] = folder
    return out


def _variants(folder: Path) -> list[str]:
    """A batch's variants: scenarios.csv's order (written after the runs), else the manifests'."""
    table = folder / "scenarios.csv"
    if table.is_file():
        try:
            return [str(v) for v in pd.read_csv(table, usecols=["scenario"]).scenario]
        except (OSError, ValueError, KeyError):
            pass
    return sorted(d.name for d in (folder / "manifests").iterdir() if d.is_dir())


def batch_options() -> dict[str, tuple[Path, str, str]]:
    """Every variant of every batch with at least one finished run:
    "batch:<experiment>/<variant>" -> (batch folder, experiment, variant)."""
    out = {}
    for experiment, folder in batch_folders().items():
        for variant in _variants(folder):
            if any((folder / "manifests" / variant).glob("run-*.json")):
                out[f"{BATCH}{experiment}/{variant}"] = (folder, experiment, variant)
    return out


def finished_runs(folder: Path, experiment: str, variant: str) -> list[Path]:
    """The Parquet files of a variant's finished runs: those whose manifest names the file's
    SHA-256 (a run killed half-way, or a file without its manifest, is left out)."""
    from minsheng.store import RunStore, sha256

    store = RunStore(folder, experiment)
    files = []
    for m in sorted((folder / "manifests" / variant).glob("run-*.json")):
        seed = int(m.stem.removeprefix("run-"))
        manifest = store.read_manifest(variant, seed)
        parquet = store.parquet_path(variant, seed)
        if manifest and parquet.is_file() and sha256(parquet) == manifest.get("parquet_sha256"):
            files.append(parquet)
    return files


@st.cache_data(show_spinner=False, max_entries=32)
def _read_batch(folder: str, experiment: str, variant: str, stamp: tuple) -> pd.DataFrame:
    from minsheng.store import load_dataset

    files = finished_runs(Path(folder), experiment, variant)
    df = load_dataset(Path(folder) / "dataset", files)
    return df.drop(columns="experiment")


def load_batch(key: str) -> pd.DataFrame:
    """The tidy rows of one batch variant, every finished replication (one seed each)."""
    folder, experiment, variant = batch_options()[key]
    manifests = sorted((folder / "manifests" / variant).glob("run-*.json"))
    stamp = tuple((m.name, m.stat().st_mtime_ns) for m in manifests)
    return _read_batch(str(folder), experiment, variant, stamp)


def load_results(key: str) -> pd.DataFrame:
    """Saved results by option key: "saved:..." (results.parquet) or "batch:..." (a batch)."""
    return load_batch(key) if key.startswith(BATCH) else load_saved(key)


def sensitivity_studies() -> dict[str, tuple[pd.DataFrame, dict]]:
    """Finished sensitivity experiments under the results folder (`minsheng sensitivity`):
    experiment name -> (its samples.csv: one row per parameter draw with the outputs, and its
    experiment file's parsed `sensitivity` block)."""
    import yaml

    out = {}
    for samples in sorted(scenario_io.results_dir().glob("*/sensitivity/samples.csv")):
        folder = samples.parent
        try:
            spec = yaml.safe_load((folder / "experiment.yaml").read_text(encoding="utf-8"))
            out[folder.parent.name] = (pd.read_csv(samples), spec["sensitivity"])
        except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError):
            continue  # an unfinished or foreign folder: nothing to show
    return out


def is_result(key: str) -> bool:
    """Whether an option is saved results (nothing to run) rather than a scenario."""
    return key.startswith(("saved:", BATCH))
