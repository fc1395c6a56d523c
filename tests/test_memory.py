"""Freed memory is kept for reuse during a run (`model.memory`), and given back after it."""

from __future__ import annotations

import resource

import numpy as np
import pytest

from model import memory

BIG = 8_000_000  # float64: 64 MB, above glibc's largest threshold for fresh mappings (32 MiB)


def faults_of_one_big_array() -> int:
    """Minor page faults of making (and filling) one 64 MB array after one was freed."""
    np.ones(BIG)  # made and freed: its memory is what the next one may reuse
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    a = np.ones(BIG)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    del a
    return faults


@pytest.mark.skipif(memory._glibc() is None, reason="glibc's allocator only")
def test_during_a_run_a_freed_big_array_is_reused_without_page_faults():
    outside = faults_of_one_big_array()
    with memory.kept_for_reuse() as kept:
        assert kept
        inside = faults_of_one_big_array()
    after = faults_of_one_big_array()
    # a fresh 64 MB mapping faults at least once per 2 MiB huge page (32), usually per 4 KiB
    assert outside >= 32 and after >= 32
    assert inside < outside / 4


def test_runs_in_threads_share_the_setting_until_the_last_ends():
    with memory.kept_for_reuse():
        with memory.kept_for_reuse():
            assert memory._runs == (2 if memory._glibc() else 0)
        assert memory._runs == (1 if memory._glibc() else 0)
    assert memory._runs == 0
