"""The idiomatic Mesa reference (bench/mesa_reference.py) as a statistical oracle for the vectorised model.

Both apply the same rules to the same households; they draw different random numbers, so their
aggregates differ by sampling error only. The test measures that error by running the reference
with several seeds on the same households, and asks the vectorised model to fall within 4.5
standard deviations of the references' mean. At 5,000 households that catches a rule difference
that moves medical coverage by more than about 1 percentage point, or dibao recipients by more
than about a fifth; smaller differences are within sampling error at this size.
"""

from __future__ import annotations

import sys

import mesa
import numpy as np
import pytest

from model.core import MinshengModel
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from mesa_reference import Household, ReferenceModel  # noqa: E402

SEEDS = 8
COST_METRICS = ("pension_resident", "pension_resident_topup", "dibao", "medical_resident")


def vectorised_aggregates(vm: MinshengModel) -> dict[str, float]:
    rows = {(g, m): v for y, g, m, v, u in vm.rows if y == vm.year}
    out = {
        k: rows[("all", k)]
        for k in (
            "medical_coverage",
            "pension_coverage",
            "dibao_recipients",
            "contributions_paid_by_government",
            "pension_recipients_resident",
        )
    }
    out["government_cost"] = sum(
        rows.get((g, f"cost.{m}"), 0.0) for m in COST_METRICS for g in ("central", "local")
    )
    return out


@pytest.mark.parametrize("scenario,years", [("baseline", 0), ("opinions_2025", 2)])
def test_vectorised_model_agrees_with_mesa_reference_within_sampling_error(
    baseline, opinions, scenario, years
):
    sc = {"baseline": baseline, "opinions_2025": opinions}[scenario]
    vm = MinshengModel(sc, households=5000, seed=3)
    for _ in range(
        years
    ):  # demography moves on in the vectorised model; the reference takes its state
        vm.step()
    vec = vectorised_aggregates(vm)
    refs = []
    for s in range(SEEDS):
        ref = ReferenceModel.from_vectorised(vm, seed=100 + s)
        ref.decide()
        refs.append(ref.aggregates())
    assert len(ref.agents) == int(np.sum(vm.pop.household_size() > 0)) and isinstance(
        ref.agents[0], Household
    )
    assert isinstance(ref, mesa.Model) and ref.year == vm.year
    for key, value in vec.items():
        draws = np.array([r[key] for r in refs])
        sd = draws.std(ddof=1)
        assert sd > 0, key
        # vectorised and each reference draw have about the same sampling sd given the households
        z = (value - draws.mean()) / (sd * np.sqrt(1 + 1 / SEEDS))
        assert abs(z) < 4.5, (key, value, draws.mean(), sd, z)


def test_reference_steps_a_year_like_the_model(opinions):
    vm = MinshengModel(opinions, households=1000, seed=5)
    ref = ReferenceModel.from_vectorised(vm, seed=1)
    ref.step()
    assert ref.year == 2025
    assert ref.employee_pension_level == pytest.approx(
        vm.employee_pension_level * (1 + opinions.value("pension.employee_raise", 2025))
    )
    # the 2025 package: resident pension minimum 143 yuan/month paid to every resident recipient
    agg = ref.aggregates()
    assert agg["pension_recipients_resident"] > 0
    assert ref.p["pension.resident_minimum"] == 143
