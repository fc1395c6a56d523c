"""The population a run built, kept in this process for the next run of the same sample.

A comparison runs two or more scenarios on one sample: the same number of households, drawn with
the same seed from the same base-year values. Drawing and raking that sample is about a quarter
of a run at a million households (the build's 2.4-2.9 s in the README's speed section). Within
`reusing_populations()` (`minsheng compare` and its decomposition), or in a process that called
`reuse_from_now_on()` (the app's server, a batch's workers), the first run's population is kept
as it was built, with the state of the run's generator after the build; a later run of the same
sample starts from a copy of both, so its numbers are those of a fresh build to the last bit
(`tests/test_sample_cache.py`).

What counts as the same sample: the number of households, the base year, the generator's state
before the build, and the base-year values the build read (31 of the 358 parameters: the
`population.*` margins, the retirement law, the employee pension's level, spread and contribution
densities). The build is a function of what it reads, so a run whose values agree on those reads
the same values in the same order and draws the same households: a scenario that changes only
later years, or base-year values the build never reads (take-up rates, benefits, the calibrated
behaviour), reuses the sample; one that changes a margin builds its own.

Only one population is kept, and none above `MAX_KEPT_HOUSEHOLDS`: the kept copy is memory on top
of the run's own.
"""

from __future__ import annotations

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


_MISSING = object()  # stands for a name the build asked for and did not find


@dataclass
class _Kept:
    sample: tuple  # households, base year, the generator's state before the build
    read: dict[str, object]  # the base-year values the build read, by name
    population: Population
    rng_state: dict

    def serves(self, values: dict[str, float], sample: tuple) -> bool:
        """Whether a build from `values` and `sample` would be this one: it would read the same
        values in the same order, the build being a function of what it reads."""
        return self.sample == sample and all(
            _same(values.get(name, _MISSING), v) for name, v in self.read.items()
        )


def _same(a: object, b: object) -> bool:
    """The same value to the bit (floats by repr: 0.0 and -0.0 differ, NaN is NaN), or both missing."""
    return a is b or (type(a) is type(b) and repr(a) == repr(b))


class _ReadValues(dict):
    """The base-year values as the build sees them, recording each name it asks for; `whole` is
    set when it looks at them all (iterates or copies them), and then every value counts."""

    def __init__(self, values: dict[str, float]):
        super().__init__(values)
        self.read: dict[str, object] = {}
        self.whole = False

    def __getitem__(self, name):
        value = super().__getitem__(name)
        self.read[name] = value
        return value

    def get(self, name, default=None):
        self.read[name] = super().get(name, _MISSING)
        return super().get(name, default)

    def __contains__(self, name) -> bool:
        self.read[name] = super().get(name, _MISSING)
        return super().__contains__(name)

    def _looks_at_all(method):
        """`method` of dict, marking that the build looked at every value."""

        def whole(self, *args):
            self.whole = True
            return method(self, *args)

        return whole

    __iter__ = _looks_at_all(dict.__iter__)
    keys = _looks_at_all(dict.keys)
    items = _looks_at_all(dict.items)
    values = _looks_at_all(dict.values)
    copy = _looks_at_all(dict.copy)
    del _looks_at_all

    def recorded(self) -> dict[str, object]:
        """What the build read, by name: every value when it looked at them all."""
        return dict(super().items()) if self.whole else dict(self.read)


_lock = threading.Lock()  # the app runs sessions in threads
_depth = 0  # open `reusing_populations()` scopes
_always = False  # `reuse_from_now_on()` was called in this process
_kept: _Kept | None = None


def _reusing() -> bool:
    """Whether runs in this process reuse populations now (the caller holds `_lock`)."""
    return _depth > 0 or _always


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
            if not _reusing():
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
    """`build_population(values, n_households, rng, year)`, or, where populations are reused, a
    copy of the one kept from a run of the same sample; `rng` is left as the build leaves it
    either way. Returns the population and whether it was reused."""
    global _kept
    sample = (n_households, year, json.dumps(rng.bit_generator.state, sort_keys=True))
    with _lock:
        reusing = _reusing() and n_households <= MAX_KEPT_HOUSEHOLDS
        kept = _kept if reusing and _kept is not None and _kept.serves(values, sample) else None
        if reusing and kept is None:
            _kept = None  # the memory of the old sample is free before the new one is built
    if kept is not None:
        rng.bit_generator.state = kept.rng_state
        return kept.population.copy(), True
    if not reusing:
        return build_population(values, n_households, rng, year), False
    watched = _ReadValues(values)
    pop = build_population(watched, n_households, rng, year)
    with _lock:
        if _reusing():
            _kept = _Kept(sample, watched.recorded(), pop.copy(), rng.bit_generator.state)
    return pop, False
