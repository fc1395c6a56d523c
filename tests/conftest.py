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


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write a scenario file next to copies of the baseline's dependencies."""
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p
