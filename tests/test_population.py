"""The synthetic population: weighted margins equal the national totals in public-facts.md."""

from __future__ import annotations

import numpy as np
import pytest

from model.core import MinshengModel
from model.population import EMP_FARMER, EMP_FLEXIBLE, EMP_FORMAL, EMP_UNEMPLOYED
from model.raking import RakingError, rake


@pytest.fixture(scope="module")
def model(baseline):
    return MinshengModel(baseline, households=20_000)


def test_margins_are_met(model, baseline):
    pop = model.pop
    w = pop.person_weight()
    p = lambda k: baseline.value(k, 2024)  # noqa: E731
    urban = pop.hh_urban[pop.hh]
    employed = np.isin(pop.emp, [EMP_FORMAL, EMP_FLEXIBLE, EMP_FARMER])
    checks = {
        "age 0-15 (23,999万)": (w[pop.age <= 15].sum(), p("population.age_0_15")),
        "age 60+ (31,031万)": (w[pop.age >= 60].sum(), p("population.age_60_plus")),
        "age 65+ (22,023万)": (w[pop.age >= 65].sum(), p("population.age_65_plus")),
        "urban residents (67%)": (w[urban].sum(), 0.67 * p("population.total")),
        "employed (73,439万)": (w[employed].sum(), p("population.employed")),
        "flexible workers (2亿)": (
            w[pop.emp == EMP_FLEXIBLE].sum(),
            p("population.flexible_workers"),
        ),
        "employee pensioners (14,739万)": (
            w[pop.emp_pension].sum(),
            p("population.employee_pensioners"),
        ),
        "migrants (37,582万)": (w[pop.hh_migrant[pop.hh]].sum(), p("population.migrants")),
        "households (51,465万)": (pop.hh_weight.sum(), p("population.households")),
    }
    for label, (got, want) in checks.items():
        assert got == pytest.approx(want, rel=1e-6), label


def test_total_population(model):
    # the region shares are rounded and sum to 99.86%; they are normalised, so the total holds
    assert model.pop.person_weight().sum() == pytest.approx(1408280000, rel=1e-6)


def test_urban_unemployment_rate(model):
    pop = model.pop
    w = pop.person_weight()
    urban = pop.hh_urban[pop.hh]
    lf = urban & np.isin(pop.emp, [EMP_FORMAL, EMP_FLEXIBLE, EMP_FARMER, EMP_UNEMPLOYED])
    rate = w[lf & (pop.emp == EMP_UNEMPLOYED)].sum() / w[lf].sum()
    assert rate == pytest.approx(0.051, abs=1e-4)


def test_income_mean_and_quintiles(base_run):
    # published: mean 41,314 (2024); quintile means relative to the mean (2025): .234 .523 .819 1.281 2.392
    published = np.array([10150, 22702, 35536, 55586, 103778]) / 43377
    mean = base_run.value("disposable_income_mean", 2024)
    q = (
        np.array(
            [base_run.value("income_quintile_mean", 2024, f"quintile_{i}") for i in range(1, 6)]
        )
        / mean
    )
    # the model's disposable income is net of modelled contributions (about 1.6% of income)
    assert mean == pytest.approx(41314, rel=0.03)
    assert q == pytest.approx(published, rel=0.10)


def test_weights_are_not_extreme(model):
    w = model.pop.hh_weight
    assert w.max() / w.mean() < 10 and w.min() / w.mean() > 0.1


def test_same_seed_same_population(baseline):
    a = MinshengModel(baseline, households=2_000, seed=7).pop
    b = MinshengModel(baseline, households=2_000, seed=7).pop
    c = MinshengModel(baseline, households=2_000, seed=8).pop
    assert np.array_equal(a.age, b.age) and np.array_equal(a.hh_weight, b.hh_weight)
    assert not np.array_equal(a.hh_weight, c.hh_weight)


def test_raking_hits_targets_and_reports_inconsistency():
    design = np.array([[1, 1], [1, 0], [0, 1], [1, 1.0]])
    w = rake(design, np.array([30.0, 25.0]), np.ones(4), ["a", "b"])
    assert design.T @ w == pytest.approx([30, 25])
    with pytest.raises(RakingError, match="margin"):
        # 'b' counts a subset of 'a''s members, so b > a is impossible
        rake(np.array([[2.0, 1.0], [1.0, 0.0]]), np.array([10.0, 20.0]), np.ones(2), ["a", "b"])
