"""The compiled measures against their rules written in numpy (the readable form), on a real
population: the same persons enrol and receive, and the same money is booked."""

from __future__ import annotations

import numpy as np
import pytest

from model import load_scenario
from model.core import MinshengModel
from model.kernels import draw_by_household
from model.measures import contribution_help, employee, medical, pension
from model.population import EMP_CHILD, EMP_FLEXIBLE, EMP_FORMAL, EMP_STUDENT
from model.state import PolicyYear
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def year():
    """The state and policy of 2026 in a 3,000-household run of the 2025 Opinions."""
    model = MinshengModel(load_scenario(ROOT / "scenarios" / "opinions_2025.yaml"), households=3000)
    model.step()
    model.step()
    return model.state, PolicyYear(model.policy, model.year)


def booked(s, measure: str, payer: str) -> float:
    return s.costs[(measure, payer)]


def test_employee_schemes_follow_the_numpy_rules(year):
    s, p = year
    pop = s.pop
    eligible = employee.subsidy_eligible(s)
    formal = (pop.emp == EMP_FORMAL) & (pop.u["u_emp"] < p["employee.formal_enrolment"])
    flexible = pop.u["u_emp"] < employee.flexible_enrolment_probability(s, p, eligible)
    assert flexible.any() and (flexible & eligible).any()
    assert np.array_equal(s.cols["flexible_enrolled"], flexible)
    assert np.array_equal(s.cols["in_employee_working"], formal | flexible)
    assert np.array_equal(s.cols["si_subsidised"], flexible & eligible)
    in_medical = pop.u["u_emed"] < p["employee.medical_share"]
    contribution = p["employee.flexible_contribution"] + np.where(
        in_medical, p["employee.flexible_medical_contribution"], 0.0
    )
    subsidy = p["subsidy.si_subsidy_share"] * contribution * (flexible & eligible)
    assert booked(s, "si_subsidy", "central") + booked(s, "si_subsidy", "local") == pytest.approx(
        float(s.w @ subsidy), rel=1e-12
    )
    assert booked(s, "employee_flexible", "individuals") == pytest.approx(
        float(s.w @ (contribution * flexible - subsidy)), rel=1e-12
    )
    employer_rate = p["employee.pension_rate_employer"] + np.where(
        in_medical, p["employee.medical_rate_employer"], 0.0
    )
    assert booked(s, "employee_formal", "employers") == pytest.approx(
        float(s.w @ (p["employee.contribution_base"] * employer_rate * formal)), rel=1e-12
    )


def test_basic_pensions_follow_the_numpy_rules(year):
    s, p = year
    pop = s.pop
    age_ok = pop.age >= p["pension.resident_pension_age"]
    takeup = p.provincial("pension.resident_takeup")[s.person_province]
    resident = age_ok & ~pop.emp_pension & (pop.u["u_pen"] < takeup)
    assert np.array_equal(s.cols["pension_resident_recipient"], resident)
    parts = pension.resident_pension(p, s.person_province)
    topup = 12.0 * parts["topup"] * resident
    assert booked(s, "pension_resident_topup", "local") == pytest.approx(float(s.w @ topup))
    account = 12.0 * parts["account"] * resident
    assert booked(s, "pension_resident_account", "insurance_fund") == pytest.approx(
        float(s.w @ account)
    )
    employee_paid = 12.0 * pop.pension_amount.astype(float) * pop.emp_pension
    assert booked(s, "pension_employee", "insurance_fund") == pytest.approx(
        float(s.w @ employee_paid), rel=1e-6
    )
    per_person = topup + account + 12.0 * parts["minimum"] * resident + employee_paid
    household = np.bincount(pop.hh, weights=per_person, minlength=pop.n_households)
    assert s.cols["hh_pension_income"] == pytest.approx(household, rel=1e-6)
    eligible = (
        ~age_ok
        & (pop.emp != EMP_CHILD)
        & (pop.emp != EMP_STUDENT)
        & ~s.cols["in_employee_working"]
        & ~pop.emp_pension
    )
    assert np.array_equal(s.cols["resident_pension_eligible"], eligible)


def test_resident_medical_enrolment_follows_the_numpy_rules(year):
    s, p = year
    pop = s.pop
    c = medical.contribution(s, p)
    own = c - medical.assistance(s, p, c)
    prob = medical.enrolment_probability(s, p, own)
    enrolled, enrollees = draw_by_household(
        ~s.cols["medical_employee"], pop.u["u_med"], prob, pop.hh
    )
    assert 0 < enrolled.mean() < 1
    assert np.array_equal(s.cols["medical_resident"], enrolled)
    subsidy = p["medical.resident_subsidy"] * enrollees
    total = booked(s, "medical_resident", "central") + booked(s, "medical_resident", "local")
    assert total == pytest.approx(float(pop.hh_weight @ subsidy), rel=1e-12)
    assert booked(s, "medical_resident", "individuals") == pytest.approx(
        float(pop.hh_weight @ (own * enrollees)), rel=1e-12
    )


def test_flexible_workers_are_the_only_ones_subsidised(year):
    s, _ = year
    assert not (s.cols["si_subsidised"] & (s.pop.emp != EMP_FLEXIBLE)).any()


def school_and_jobs_in_numpy(pop, year: int, u: np.ndarray, v: np.ndarray):
    """`demography.school_and_jobs` written with numpy arrays: the reference (emp, grad_year and
    entrants after the year)."""
    from model.population import (
        EMP_INACTIVE,
        LABOUR_TURNOVER,
        P_STUDENT_16,
        P_STUDENT_CONTINUE_19,
        SCHOOL_LEAVING_AGE,
        WORKING_AGE,
        draw_employment,
    )

    age, emp, grad_year = pop.age, pop.emp.copy(), pop.grad_year.copy()
    urban, migrant = pop.hh_urban[pop.hh], pop.hh_migrant[pop.hh]
    start = (emp == EMP_CHILD) & (age == 16)
    emp[start & (u < P_STUDENT_16)] = EMP_STUDENT
    student = emp == EMP_STUDENT
    stop_at_19 = student & (age == 19) & (u >= P_STUDENT_CONTINUE_19)
    leaving = stop_at_19 | (student & (age >= SCHOOL_LEAVING_AGE))
    entrants = (start & (u >= P_STUDENT_16)) | leaving
    e = np.flatnonzero(entrants)
    ue = np.where(start[e], (u[e] - P_STUDENT_16) / (1 - P_STUDENT_16), u[e])
    ue = np.where(stop_at_19[e], (ue - P_STUDENT_CONTINUE_19) / (1 - P_STUDENT_CONTINUE_19), ue)
    emp[e] = draw_employment(ue, urban[e], migrant[e])
    grad_year[leaving] = year
    working = (age >= WORKING_AGE[0]) & (age < WORKING_AGE[1])
    working &= (emp >= EMP_FORMAL) & (emp <= EMP_INACTIVE)
    m = np.flatnonzero(working & (v < LABOUR_TURNOVER) & ~entrants)
    emp[m] = draw_employment(v[m] / LABOUR_TURNOVER, urban[m], migrant[m])
    return emp, grad_year, entrants


def test_school_and_jobs_follow_the_numpy_rules(year):
    import copy

    from model import demography

    s, _ = year
    pop = copy.deepcopy(s.pop)
    rng = np.random.default_rng(5)
    u, v = rng.random(pop.n_persons), rng.random(pop.n_persons)
    want_emp, want_grad, want_entrants = school_and_jobs_in_numpy(pop, 2027, u, v)
    entrants = demography.school_and_jobs(pop, 2027, np.random.default_rng(5))
    assert entrants.any() and (want_emp != s.pop.emp).sum() > entrants.sum()  # turnover too
    assert np.array_equal(entrants, want_entrants)
    assert np.array_equal(pop.emp, want_emp)
    assert np.array_equal(pop.grad_year, want_grad)


def test_resident_contributions_follow_the_numpy_rules(year):
    """Contribution help and resident contributions (`kernels.resident_contributions`) against
    their rules in numpy: who is paid for, who contributes at which tier, and the yuan booked."""
    s, p = year
    pop = s.pop
    hardship = contribution_help.hardship_households(s, p)
    paid = (
        s.cols["resident_pension_eligible"]
        & hardship[pop.hh]
        & (pop.u["u_help"] < p["help.hardship_paid_share"])
    )
    voluntary = s.cols["resident_contributor_voluntary"] & ~paid
    high = voluntary & (pop.u["u_tier"] < pension.high_tier_probability(p))
    assert paid.any() and high.any() and (voluntary & ~high).any()
    assert np.array_equal(s.cols["contribution_paid_by_government"], paid)
    assert np.array_equal(s.cols["pension_resident_contributor"], voluntary | paid)
    assert np.array_equal(s.cols["pension_high_tier"], high)
    low_tier, high_tier = p["pension.resident_low_tier"], p["pension.resident_high_tier"]
    assert booked(s, "contribution_help", "local") == pytest.approx(
        float(s.w @ paid) * low_tier, rel=1e-12
    )
    own = np.where(high, high_tier, low_tier) * voluntary
    assert booked(s, "pension_resident", "individuals") == pytest.approx(
        float(s.w @ own), rel=1e-12
    )
    match = np.where(high, p["pension.match_high_tier"], p["pension.match_low_tier"]) * voluntary
    match += p["pension.match_low_tier"] * paid
    assert booked(s, "pension_match", "local") == pytest.approx(float(s.w @ match), rel=1e-12)
