"""Shared fixtures: scenario paths, small cached runs, the shared documents folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import load_scenario, run_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHARED = ROOT.parent / "shared"
SMALL = 20_000  # households in the quick runs; totals are national at any size


@pytest.fixture(scope="session")
def baseline():
    return load_scenario(SCENARIOS / "baseline.yaml")


@pytest.fixture(scope="session")
def opinions():
    return load_scenario(SCENARIOS / "opinions_2025.yaml")


@pytest.fixture(scope="session")
def base_run(baseline):
    return run_scenario(baseline, households=SMALL, end_year=2030)


@pytest.fixture(scope="session")
def opinions_run(opinions):
    return run_scenario(opinions, households=SMALL, end_year=2030)


def problems_of(load, error: type[Exception], path: Path) -> list[tuple[str, str, str, str]]:
    """The (file, key, found, allowed) problems `load(path)` raises as `error` (fails if it loads)."""
    with pytest.raises(error) as exc:
        load(path)
    return exc.value.problems
