"""Runs of one sample within `reusing_populations()` start from a copy of its population and give
the rows of a fresh build, to the last bit; another sample is built afresh."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from model import run_scenario, sample_cache
from model.population import Population
from model.scenario import AssumptionSource
from tests.conftest import SMALL

SRC = AssumptionSource(assumption="a value set by a unit test")


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch):
    """Each test starts outside any scope with nothing kept (the app's server enables reuse for
    its whole process; a test of the app in this process must not leak into these)."""
    monkeypatch.setattr(sample_cache, "_depth", 0)
    monkeypatch.setattr(sample_cache, "_always", False)
    monkeypatch.setattr(sample_cache, "_kept", None)


def from_2024(sc, name: str, value: float, year: int = 2024):
    """The scenario with one parameter set from `year` on."""
    return sc.with_values("variant", "variant", {name: {year: (value, SRC)}})


def test_runs_of_one_sample_reuse_it_and_give_the_rows_of_a_fresh_build(
    baseline, opinions, base_run, opinions_run
):
    # the fixtures' runs were built fresh; each run below mutates its own copy in place
    # (pensions raised, households split off), so a copy sharing memory with the kept
    # population would change the runs after it
    with sample_cache.reusing_populations():
        runs = [
            run_scenario(sc, households=SMALL, end_year=2030)
            for sc in (opinions, baseline, opinions)
        ]
    assert [r.population_reused for r in runs] == [False, True, True]
    assert runs[0].frame.equals(opinions_run.frame)
    assert runs[1].frame.equals(base_run.frame)
    assert runs[2].frame.equals(opinions_run.frame)


def test_a_change_after_the_base_year_reuses_the_sample_a_base_year_change_does_not(baseline):
    later = from_2024(baseline, "pension.resident_minimum", 300.0, year=2026)
    at_start = from_2024(baseline, "population.urban_share", 0.66)
    with sample_cache.reusing_populations():
        first = run_scenario(baseline, households=SMALL, end_year=2025)
        assert run_scenario(later, households=SMALL, end_year=2025).population_reused
        assert not run_scenario(at_start, households=SMALL, end_year=2025).population_reused
        assert not run_scenario(baseline, households=SMALL, end_year=2025, seed=1).population_reused
        assert not run_scenario(baseline, households=SMALL // 2, end_year=2025).population_reused
    assert not first.population_reused


def test_a_base_year_value_the_build_does_not_read_reuses_the_sample(baseline):
    # the calibration varies such values (take-up rates) from the base year on
    takeup = from_2024(baseline, "dibao.takeup_urban", 0.5)
    fresh = run_scenario(takeup, households=SMALL, end_year=2026)
    with sample_cache.reusing_populations():
        run_scenario(baseline, households=SMALL, end_year=2026)
        again = run_scenario(takeup, households=SMALL, end_year=2026)
    assert again.population_reused and not fresh.population_reused
    assert again.frame.equals(fresh.frame)
    assert not again.frame.equals(run_scenario(baseline, households=SMALL, end_year=2026).frame)


def test_the_values_seen_by_the_build_record_what_it_reads():
    seen = sample_cache._ReadValues({"a": 1.0, "b": 2.0})
    assert seen["a"] == 1.0 and seen.get("c") is None and "b" in seen
    assert set(seen.recorded()) == {"a", "b", "c"} and not seen.whole
    kept = sample_cache._Kept((1,), seen.recorded(), None, {})
    assert kept.serves({"a": 1.0, "b": 2.0, "d": 9.0}, (1,))  # d was never read
    assert not kept.serves({"a": 1.0, "b": 2.0, "c": 0.0}, (1,))  # c is there now
    assert not kept.serves({"a": 1.0, "b": -2.0}, (1,))
    assert not kept.serves({"a": 1.0, "b": 2.0}, (2,))  # another sample
    dict(seen)  # a copy looks at every value
    assert seen.whole and seen.recorded() == {"a": 1.0, "b": 2.0}


def test_outside_a_scope_and_above_the_size_limit_every_run_builds(baseline, monkeypatch):
    with sample_cache.reusing_populations():
        run_scenario(baseline, households=2_000, end_year=2025)
    assert sample_cache._kept is None  # dropped on leaving the scope
    assert not run_scenario(baseline, households=2_000, end_year=2025).population_reused
    monkeypatch.setattr(sample_cache, "MAX_KEPT_HOUSEHOLDS", 1_999)
    with sample_cache.reusing_populations():
        for _ in range(2):
            assert not run_scenario(baseline, households=2_000, end_year=2025).population_reused
        assert sample_cache._kept is None


def test_a_population_copy_holds_every_field_and_shares_no_memory(baseline):
    from model.core import MinshengModel

    pop = MinshengModel(baseline, households=2_000).pop
    names = {f.name for f in dataclasses.fields(Population)}
    # `_room` (the buffers with rows to spare behind the columns) is not copied: a copy's
    # columns are arrays of their own, given rows to spare at their first deaths or births
    assert names == set(Population.COLUMNS) | {"u", "_per_person", "_size", "_room"}
    assert pop._per_person and pop._size is not None  # the kept copies are filled by then
    twin = pop.copy()
    assert twin._room == {}
    pairs = [(getattr(pop, n), getattr(twin, n)) for n in Population.COLUMNS]
    pairs += [(pop.u[k], twin.u[k]) for k in pop.u]
    pairs += [(pop._per_person[k], twin._per_person[k]) for k in pop._per_person]
    pairs += [(pop._size, twin._size)]
    assert twin.u.keys() == pop.u.keys() and twin._per_person.keys() == pop._per_person.keys()
    for a, b in pairs:
        assert a.dtype == b.dtype and np.array_equal(a, b) and not np.shares_memory(a, b)
    assert twin.nbytes == pop.nbytes == sum(a.nbytes for a, _ in pairs)


def test_a_batch_worker_draws_each_replications_sample_once(baseline, opinions, monkeypatch):
    from minsheng.runs import RunTask, run_task

    pair = (("baseline", baseline), ("opinions_2025", opinions))
    tasks = [RunTask(name, sc, seed, 2_000, 2026) for seed in (5, 6) for name, sc in pair]
    fresh = [run_scenario(t.scenario, households=2_000, end_year=2026, seed=t.seed) for t in tasks]
    builds = []
    build_population = sample_cache.build_population
    monkeypatch.setattr(
        sample_cache,
        "build_population",
        lambda *a: builds.append(a[1]) or build_population(*a),
    )
    outputs = [run_task(t) for t in tasks]  # one worker, tasks replication by replication
    assert builds == [2_000, 2_000]  # once per seed
    for out, expected in zip(outputs, fresh, strict=True):
        assert out.frame.equals(expected.frame)
