"""The results of a batch on disk: a Parquet dataset plus one manifest per run, kill-safe.

Layout under a batch folder (e.g. ``results/opinions_replications/batch``)::

    dataset/experiment=<experiment>/scenario=<variant>/run-<seed>.parquet
    manifests/<variant>/run-<seed>.json

The dataset is Hive-partitioned by experiment and scenario: ``pandas.read_parquet(".../dataset")``
reads every run with `experiment` and `scenario` columns (or use `load_runs`). A run is written
in two steps, each atomic: its Parquet file goes to a hidden temporary file that is flushed to
disk and then renamed into place (`os.replace`), and then its manifest the same way. The
manifest names the Parquet file's SHA-256, so a run counts as finished only when both are
there and agree. A process killed at any moment (even SIGKILL) leaves at most a hidden
temporary file (ignored by Parquet readers, removed on the next start) or a Parquet file
without a manifest (run again), never a visible half-written file, and loses no finished run.

A batch folder belongs to one experiment file: ``origin.json`` records the file that made it
(its path and SHA-256), and another file with the same `name:` is refused (`claim`) rather than
mixed in or cleaned. While a batch runs it holds ``.lock`` (an advisory ``flock``, released by
the system even if the process is killed), so a second batch into the same folder is refused
at once. Runs that are no longer in the experiment file are kept unless removing them is asked
for (`prune` with ``remove=True``, the ``--prune`` option).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from minsheng.runs import RunOutput, RunTask

TMP_MARK = ".tmp-"
ORIGIN = "origin.json"
LOCK = ".lock"


from minsheng.output import FolderInUse  # noqa: E402  (light to import, for the command line)


class FolderOfAnotherExperiment(Exception):
    """A batch folder made by another experiment file with the same name (exit code 2).

    Attributes:
        recorded: the experiment file that made the folder.
    """

    def __init__(self, message: str, recorded: str):
        super().__init__(message)
        self.recorded = recorded


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to a hidden temporary file beside `target`, flush it to disk, rename it over `target`."""
    tmp = target.parent / f".{target.name}{TMP_MARK}{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)


def write_text_atomic(target: Path, text: str) -> None:
    """Replace a text file in one step (summaries and tables written after a batch)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(target, text.encode("utf-8"))


class RunStore:
    """The runs of one experiment in one folder: which are finished, writing and reading them.

    Args:
        root: the folder (created on the first write).
        experiment: the experiment's name (the dataset's first partition).
    """

    def __init__(self, root: Path, experiment: str):
        self.root = Path(root)
        self.experiment = experiment
        self.dataset = self.root / "dataset"
        self.manifests = self.root / "manifests"

    def parquet_path(self, variant: str, seed: int) -> Path:
        """Where the run of `variant` with `seed` keeps its rows."""
        return (
            self.dataset
            / f"experiment={self.experiment}"
            / f"scenario={variant}"
            / f"run-{seed}.parquet"
        )

    def manifest_path(self, variant: str, seed: int) -> Path:
        """Where the run of `variant` with `seed` keeps its manifest (written last)."""
        return self.manifests / variant / f"run-{seed}.json"

    # ------------------------------------------------------------ who owns the folder

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder's lock while the block runs; FolderInUse if another process holds it."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            yield
            return
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = (
                    os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
                )
                raise FolderInUse(
                    f"{self.root} is in use by another minsheng command ({holder}); allowed: wait "
                    "for it to finish, or give this one another --out"
                )
            os.ftruncate(fd, 0)
            started = dt.datetime.now().isoformat(timespec="seconds")
            os.pwrite(fd, f"process {os.getpid()}, started {started}".encode(), 0)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def origin(self) -> dict[str, Any] | None:
        """Which experiment file made this folder: origin.json, or (for folders made before it
        was written) the experiment file named by any manifest; None for a new folder."""
        try:
            return json.loads((self.root / ORIGIN).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        for m in sorted(self.manifests.rglob("run-*.json")) if self.manifests.exists() else []:
            try:
                rec = json.loads(m.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if "experiment_file" in rec:
                return {
                    "experiment_file": rec["experiment_file"],
                    "experiment_file_sha256": rec.get("experiment_file_sha256"),
                }
        return None

    def claim(self, experiment_file: Path, file_sha256: str) -> None:
        """Record that `experiment_file` owns this folder, or refuse if another file does.

        The folder is this experiment's if it is new, was made by the same file (same path,
        even if edited since), or by a file with exactly the same content (a copy).

        Raises:
            FolderOfAnotherExperiment: the folder holds another experiment file's runs.
        """
        mine = str(Path(experiment_file).resolve())
        rec = self.origin()
        if rec is not None and rec.get("experiment_file") != mine:
            if rec.get("experiment_file_sha256") != file_sha256:
                raise FolderOfAnotherExperiment(
                    f"{self.root} holds the runs of another experiment file with the same name "
                    f"{self.experiment!r}: {rec.get('experiment_file')}",
                    str(rec.get("experiment_file")),
                )
        record = {
            "experiment": self.experiment,
            "experiment_file": rec.get("experiment_file", mine) if rec else mine,
            "experiment_file_sha256": file_sha256,
            "updated": dt.datetime.now().isoformat(timespec="seconds"),
        }
        self.root.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.root / ORIGIN, json.dumps(record, indent=2).encode("utf-8"))

    # ------------------------------------------------------------ reading state

    def read_manifest(self, variant: str, seed: int) -> dict[str, Any] | None:
        """The run's manifest, or None if there is none (or it cannot be parsed)."""
        try:
            return json.loads(self.manifest_path(variant, seed).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def is_finished(self, task: RunTask) -> bool:
        """True if the run has a manifest for the same inputs and a Parquet file with the recorded hash."""
        m = self.read_manifest(task.variant, task.seed)
        if m is None:
            return False
        same = (m.get("content_hash"), m.get("seed"), m.get("households"), m.get("end_year")) == (
            task.content_hash,
            task.seed,
            task.households,
            task.end_year,
        )
        if not same:
            return False
        parquet = self.parquet_path(task.variant, task.seed)
        return parquet.is_file() and sha256(parquet) == m.get("parquet_sha256")

    def prune(self, planned: Iterable[RunTask], remove: bool = False) -> int:
        """Remove temporary files; count (and with `remove`, delete) the runs not in `planned`.

        Call it while holding the lock (`locked`): temporary files are then no other batch's.

        Returns:
            how many finished runs (manifests) are not in `planned`: removed if `remove`, else
            kept (they stay in the dataset, and summaries, which read planned runs only, leave
            them out).
        """
        planned = list(planned)
        keep_parquet = {self.parquet_path(t.variant, t.seed) for t in planned}
        keep_manifest = {self.manifest_path(t.variant, t.seed) for t in planned}
        stale = 0
        for folder, keep in ((self.manifests, keep_manifest), (self.dataset, keep_parquet)):
            if not folder.exists():
                continue
            for p in sorted(folder.rglob("*")):
                if not p.is_file():
                    continue
                if TMP_MARK in p.name:
                    p.unlink()
                elif p not in keep:
                    if p.suffix == ".json":
                        stale += 1
                    if remove:
                        p.unlink()
            for d in sorted(
                (d for d in folder.rglob("*") if d.is_dir()), key=lambda d: -len(d.parts)
            ):
                if not any(d.iterdir()):
                    d.rmdir()
        return stale

    def remove_all(self) -> None:
        """Delete every run of this store (the `--fresh` option)."""
        for folder in (self.manifests, self.dataset):
            shutil.rmtree(folder, ignore_errors=True)

    # ------------------------------------------------------------ writing

    def write(self, out: RunOutput, extra: dict[str, Any]) -> Path:
        """Write one finished run: its Parquet file, then its manifest (each atomically).

        Args:
            out: what the worker returned.
            extra: manifest fields shared by the batch (experiment, parameters, versions...).
        """
        t = out.task
        parquet = self.parquet_path(t.variant, t.seed)
        parquet.parent.mkdir(parents=True, exist_ok=True)
        frame = out.frame.drop(columns=["scenario"]).reset_index(drop=True)
        sink = io.BytesIO()
        frame.to_parquet(sink, index=False)
        data = sink.getvalue()
        _write_atomic(parquet, data)
        manifest = {
            "experiment": self.experiment,
            "scenario": t.variant,
            "content_hash": t.content_hash,
            "seed": t.seed,
            "households": t.households,
            "end_year": t.end_year,
            **extra,
            "timings_s": {k: round(v, 4) for k, v in out.timings.items()},
            "worker": {"host": out.host, "pid": out.pid},
            "parquet": str(parquet.relative_to(self.root)),
            "parquet_sha256": hashlib.sha256(data).hexdigest(),
            "rows": len(frame),
        }
        path = self.manifest_path(t.variant, t.seed)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8"))
        return parquet

    # ------------------------------------------------------------ reading results

    def load_runs(self, tasks: Iterable[RunTask] | None = None) -> pd.DataFrame:
        """Tidy rows ``experiment, scenario, seed, year, group, metric, value, unit`` of finished runs.

        Args:
            tasks: read only these runs (default: every Parquet file of the dataset).
        """
        return load_dataset(
            self.dataset,
            None if tasks is None else [self.parquet_path(t.variant, t.seed) for t in tasks],
        )


def load_dataset(root: Path, files: list[Path] | None = None) -> pd.DataFrame:
    """Read a batch dataset (or some of its files) as one tidy frame, partition columns as strings."""
    partitioning = ds.partitioning(
        pa.schema([("experiment", pa.string()), ("scenario", pa.string())]), flavor="hive"
    )
    source = [str(f) for f in files] if files is not None else str(root)
    dataset = ds.dataset(
        source, format="parquet", partitioning=partitioning, partition_base_dir=str(root)
    )
    df = dataset.to_table().to_pandas()
    cols = ["experiment", "scenario", "seed", "year", "group", "metric", "value", "unit"]
    return (
        df[cols]
        .sort_values(["experiment", "scenario", "seed", "year", "group", "metric"], kind="stable")
        .reset_index(drop=True)
    )
