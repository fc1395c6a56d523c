"""One run of a batch: what an executor's worker receives (`RunTask`) and returns (`RunOutput`).

`run_task` is the function workers call. It touches no file: the results travel back to the
process that started the batch, which alone writes them, so a Dask worker on another machine
needs the minsheng package but neither the scenario files nor the results folder.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field

import pandas as pd

from model import run_scenario, sample_cache
from model.scenario import Scenario


@dataclass(frozen=True)
class RunTask:
    """A scenario (variant) to run with one seed.

    Attributes:
        variant: the name the results carry (`scenario` column).
        scenario: the resolved scenario, sent whole so workers need no files.
        seed: the run's seed (replication r of an experiment: its base seed + r).
        households: sample size.
        end_year: last simulated year.
    """

    variant: str
    scenario: Scenario = field(compare=False, repr=False)
    seed: int
    households: int
    end_year: int

    @property
    def content_hash(self) -> str:
        """The scenario's hash of everything that affects results (`Scenario.content_hash`)."""
        return self.scenario.content_hash()


@dataclass
class RunOutput:
    """What a worker sends back: the tidy frame and how long the run took (s), and where."""

    task: RunTask
    frame: pd.DataFrame
    timings: dict[str, float]
    host: str
    pid: int


def run_task(task: RunTask) -> RunOutput:
    """Run one task (in whichever process or machine the executor chose).

    The process keeps the population of its last run for the next run of the same sample
    (`model.sample_cache`): the tasks come replication by replication (`batch.plan`), so a
    worker draws each replication's sample once, and its runs give the rows of fresh builds.
    """
    sample_cache.reuse_from_now_on()
    res = run_scenario(
        task.scenario, households=task.households, end_year=task.end_year, seed=task.seed
    )
    frame = res.frame.assign(scenario=task.variant)
    return RunOutput(
        task=task, frame=frame, timings=res.timings, host=socket.gethostname(), pid=os.getpid()
    )
