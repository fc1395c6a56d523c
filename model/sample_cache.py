"""The population a run built, kept in this process for the next run of the same sample.

A comparison runs two or more scenarios on one sample: the same number of households, drawn with
the same seed from the same base-year values. Drawing and raking that sample is about a quarter
of a run at a million households (the build's 2.4-2.9 s in the README's speed section). Within
`reusing_populations()` (`minsheng compare` and its decomposition), or in a process that called
`reuse_from_now_on()` (the app's server, a batch's workers), the first run's population is kept
as it was built, with the state of the run's generator after the build; a later run of the same
sample starts from a copy of both, so its numbers are those of a fresh build to the last bit
(`tests/test_sample_cache.py`).

What counts as the same sample: the base-year values of every parameter (any of them may reach
the build), the number of households, the base year and the generator's state before the build.
A scenario whose changes start after the base year reuses its baseline's sample; one that changes
a base-year value builds its own.

Only one population is kept, and none above `MAX_KEPT_HOUSEHOLDS`: the kept copy is memory on top
of the run's own.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from model.population import Population, build_population

# A kept population holds about 230 MB per million households (its columns, `Population.nbytes`:
# 228 MB at 1M households on 2026-12-03), so at this size at most about 0.5 GB sits beside a run
# that itself needs about 1.7 GB (`minsheng.limits`: 280 MiB + 700 MiB per million). Above it every
# run builds its own: the largest runs, which `minsheng.limits` weighs against the machine's
# memory from 5M households, carry no copy.
MAX_KEPT_HOUSEHOLDS = 2_000_000


@dataclass
class _Kept:
    key: str
    population: Population
    rng_state: dict


_lock = threading.Lock()  # the app runs sessions in threads
_depth = 0  # open `reusing_populations()` scopes
_always = False  # `reuse_from_now_on()` was called in this process
_kept: _Kept | None = None


def sample_key(
    values: dict[str, float], n_households: int, rng: np.random.Generator, year: int
) -> str:
    """A digest of what the build reads: base-year values, sample size, base year, generator state."""
    text = json.dumps(
        [
            n_households,
            year,
            sorted((name, repr(value)) for name, value in values.items()),
            rng.bit_generator.state,
        ],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


@contextmanager
def reusing_populations() -> Iterator[None]:
    """Within this scope, runs of the same sample reuse the population built first; on leaving
    the outermost scope the kept population is dropped (unless `reuse_from_now_on` was called)."""
    global _depth, _kept
    with _lock:
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and not _always:
                _kept = None


def reuse_from_now_on() -> None:
    """Reuse populations for the rest of this process: the app's server, whose runs of one
    sample come one after another as a planner changes a measure, and a batch's workers, which
    receive a replication's runs one after another. Calling it again changes nothing."""
    global _always
    with _lock:
        _always = True


def build(
    values: dict[str, float], n_households: int, rng: np.random.Generator, year: int
) -> tuple[Population, bool]:
    """`build_population(values, n_households, rng, year)`, or, within `reusing_populations()`,
    a copy of the population kept from a run of the same sample; `rng` is left as the build
    leaves it either way. Returns the population and whether it was reused."""
    global _kept
    if n_households > MAX_KEPT_HOUSEHOLDS:
        return build_population(values, n_households, rng, year), False
    with _lock:
        if _depth == 0 and not _always:
            kept, key = None, ""
        else:
            key = sample_key(values, n_households, rng, year)
            kept = _kept if _kept is not None and _kept.key == key else None
            if kept is None:
                _kept = None  # the memory of the old sample is free before the new one is built
    if kept is not None:
        rng.bit_generator.state = kept.rng_state
        return kept.population.copy(), True
    pop = build_population(values, n_households, rng, year)
    if key:
        with _lock:
            if _depth > 0 or _always:
                _kept = _Kept(key, pop.copy(), rng.bit_generator.state)
    return pop, False
