"""The baseline as current policy: uprating, separate memberships, payers, and the decomposition."""

from __future__ import annotations

import numpy as np
import pytest

from minsheng import decompose
from model import load_scenario, run_scenario
from model.measures import dibao
from model.population import EMP_FLEXIBLE
from model.state import KINDS, PAYERS, PolicyYear, cost_kind
from tests.conftest import SCENARIOS
from tests.test_measures import NATIONAL_STANDARDS, SRC, tiny


def test_dibao_standards_are_uprated_at_their_2020_2024_pace(baseline):
    frozen = load_scenario(SCENARIOS / "baseline_frozen.yaml")
    # (798.1 / 677.6)^(1/4) - 1 = 4.17% a year; (593.9 x 12 / 5,962.3)^(1/4) - 1 = 4.56%
    # (the national averages' pace, applied to every province: Beijing's 1,395 yuan as an example)
    urban, rural = "dibao.standard_urban.beijing", "dibao.standard_rural.beijing"
    assert PolicyYear(baseline, 2024)[urban] == pytest.approx(1395)
    assert PolicyYear(baseline, 2025)[urban] == pytest.approx(1395 * 1.0417)
    assert PolicyYear(baseline, 2030)[rural] == pytest.approx(1395 * 1.0456**6)
    assert PolicyYear(frozen, 2030)[urban] == pytest.approx(1395)
    # announced amounts, then uprating; the freeze holds the 2024 amounts
    assert [
        PolicyYear(baseline, y)["medical.resident_subsidy"] for y in (2024, 2025, 2026, 2027)
    ] == pytest.approx([670, 700, 724, 724 * 1.035])
    assert PolicyYear(frozen, 2030)["medical.resident_subsidy"] == 670
    assert PolicyYear(baseline, 2030)["pension.resident_minimum"] == 163
    assert PolicyYear(frozen, 2030)["pension.resident_minimum"] == 123


def test_the_consumption_rule_by_hand(baseline):
    # the Opinions' link at the end-2024 ratio (798.1 x 12 / 34,557 = 0.2771 of urban consumption)
    # fed the 2025 urban consumption (35,869 yuan, public-facts.md) gives 0.2771 x 35,869 / 12 =
    # 828.3 yuan a month; the standard in force is the higher of that and the trend-uprated
    # 798.1 x 1.0417 = 831.4 (no published end-2025 average standard was found to compare with)
    s = tiny([1], ages=[40], emp=[EMP_FLEXIBLE], urban=[True], region=[0], other_pc=[50000])
    ratio = baseline.value("income.consumption_ratio_urban", 2024)
    s.mean_income_urban = 35869 / ratio  # the mean income at which consumption is 35,869
    # every province at the national average standard, at the national income level (tiny)
    national = {k.replace("__", "."): {2024: (v, SRC)} for k, v in NATIONAL_STANDARDS.items()}
    p = PolicyYear(
        baseline.with_values(
            "l", "l", {**national, "dibao.consumption_link_urban": {2025: (0.2771, SRC)}}
        ),
        2025,
    )
    urban, _ = dibao.standards(s, p)
    assert 0.2771 * 35869 / 12 == pytest.approx(828.3, abs=0.05)
    assert urban / 12 == pytest.approx(max(798.1 * 1.0417, 0.2771 * 35869 / 12))


def test_memberships_are_separate(base_run):
    v = base_run.value
    assert v("pension_insured_employee", 2024) > v("medical_insured_employee", 2024) * 1.3
    # the 10.7亿 of the two pension schemes, and the employee medical count within the pension one
    assert v("pension_insured", 2024) == pytest.approx(
        v("pension_insured_employee", 2024) + v("pension_insured_resident", 2024)
    )


def test_every_cost_has_a_kind_and_kinds_add_up(base_run):
    f = base_run.frame
    y = f[(f.year == 2026) & f.metric.str.startswith("cost.") & (f.metric != "cost.all")]
    assert set(y.group) <= set(PAYERS)
    kinds = {cost_kind(m[5:], g) for m, g in zip(y.metric, y.group)}
    assert kinds <= set(KINDS) and {"government", "insurance_fund", "contributions"} <= kinds
    total = lambda g: base_run.value("cost.all", 2026, g)  # noqa: E731
    assert total("government") == pytest.approx(total("central") + total("local"))
    by_kind = sum(total(k) for k in KINDS)
    assert by_kind == pytest.approx(sum(total(p) for p in PAYERS))
    # the childcare subsidy is mostly central; employers' contributions are contributions
    assert cost_kind("employee_formal", "employers") == "contributions"
    assert cost_kind("childcare_employer", "employers") == "employers_spending"


def test_decomposition_adds_up_exactly(baseline, opinions):
    a = run_scenario(baseline, households=2_000, end_year=2026)
    b = run_scenario(opinions, households=2_000, end_year=2026)
    d = decompose.decompose(a, b, baseline, opinions, SCENARIOS / "measures", end_year=2026)
    assert "childcare_subsidy" in d.measures and "hukou_limit" in d.measures
    for metric, group in (
        ("cost.all", "central"),
        ("medical_coverage", "all"),
        ("dibao_recipients", "all"),
    ):
        t = d.table(metric, 2026, group)
        parts = t.drop(["total"]).sum()
        assert parts == pytest.approx(t["total"], rel=1e-12, abs=1e-9)
        assert t["total"] == pytest.approx(
            b.value(metric, 2026, group) - a.value(metric, 2026, group), rel=1e-12, abs=1e-9
        )
    # a measure left out of the package gives the package without it: the childcare subsidy's
    # contribution to central cost is its central cost
    t = d.table("cost.childcare_subsidy", 2026, "central")
    assert t["childcare_subsidy"] == pytest.approx(
        b.value("cost.childcare_subsidy", 2026, "central")
    )
    assert np.isfinite(t).all()
