"""Where the runs of a batch execute: this process, a local process pool, or a Dask cluster.

Every executor maps a function over tasks and yields results as they finish (in any order).
Results do not depend on the executor: a run's numbers depend only on its scenario, seed,
sample size and last year, so the same experiment gives the same dataset everywhere.

- `LocalExecutor(workers=1)` runs in this process; with more workers it uses a pool of fresh
  ("spawn") processes, each limited to one BLAS thread so the pool does not oversubscribe cores.
- `DaskExecutor()` starts a `distributed.LocalCluster` (processes, or threads with
  ``processes=False``); `DaskExecutor(scheduler="tcp://host:8786")` uses an existing cluster,
  whose workers need the minsheng package installed (but no scenario or results files).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Executor(Protocol):
    """Maps a function over tasks; `stop` ends it at once (used on Ctrl-C)."""

    description: str

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[Any]: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


def _ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group; only the parent decides what happens then
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class LocalExecutor:
    """Runs tasks in this process (workers=1) or in a pool of `workers` processes on this machine."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or available_cores())
        self._pool: Any = None
        self.description = (
            "this process" if self.workers == 1 else f"a local pool of {self.workers} processes"
        )

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[Any]:
        if self.workers == 1 or len(tasks) <= 1:
            for t in tasks:
                yield fn(t)
            return
        ctx = multiprocessing.get_context("spawn")
        with _environment(ONE_THREAD):
            self._pool = ctx.Pool(min(self.workers, len(tasks)), initializer=_ignore_sigint)
        yield from self._pool.imap_unordered(fn, tasks, chunksize=1)

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


class DaskExecutor:
    """Runs tasks on a Dask cluster: a new LocalCluster, or the one at `scheduler`.

    Args:
        workers: worker processes (or threads with processes=False) of a new LocalCluster.
        scheduler: address of an existing scheduler (``tcp://host:port``); no cluster is started.
        processes: LocalCluster workers as processes (True) or threads of this process (False).
    """

    def __init__(
        self, workers: int | None = None, scheduler: str | None = None, processes: bool = True
    ):
        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            self.client = Client(scheduler, timeout="30s")
            self.description = f"the Dask cluster at {scheduler}"
        else:
            n = max(1, workers or available_cores())
            # worker processes started now inherit an ignored SIGINT: Ctrl-C is the parent's to handle
            main = threading.current_thread() is threading.main_thread()
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
            try:
                self.cluster = LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            finally:
                if main:
                    signal.signal(signal.SIGINT, previous)
            self.client = Client(self.cluster)
            kind = "processes" if processes else "threads"
            self.description = f"a Dask LocalCluster of {n} worker {kind}"
        self._futures: list[Any] = []

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[Any]:
        from distributed import as_completed

        if not tasks:
            return
        self._futures = self.client.map(fn, list(tasks), pure=False)
        for fut in as_completed(self._futures):
            yield fut.result()
            fut.release()

    def stop(self) -> None:
        if self._futures:
            self.client.cancel(self._futures)
            self._futures = []
        self.close()

    def close(self) -> None:
        if self.client is None:
            return
        self.client.close()
        self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def make_executor(kind: str, workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor named on the command line: ``local`` or ``dask``."""
    if kind == "local":
        return LocalExecutor(workers)
    if kind == "dask":
        return DaskExecutor(workers, scheduler)
    raise ValueError(f"unknown executor {kind!r}")
