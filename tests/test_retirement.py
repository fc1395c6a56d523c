"""The retirement-age law and the minimum contribution period (model/retirement.py, demography.retire)."""

from __future__ import annotations

import numpy as np
import pytest

from model import demography
from model.population import EMP_FORMAL, EMP_RETIRED
from model.retirement import LawParams, reached_statutory_age, statutory_age_months
from model.state import PolicyYear
from tests.test_measures import tiny

MEN, WOMEN55, WOMEN50 = 0, 1, 2


@pytest.fixture(scope="module")
def law(baseline):
    return LawParams.from_values(PolicyYear(baseline, 2025))


def months(law, year, month, group):
    return int(statutory_age_months(np.array([year]), np.array([month]), np.array([group]), law)[0])


def test_statutory_age_by_birth_month(law):
    # before the law: original ages; then one month more for each 4 (men, women cadres) or 2
    # (women workers) months of original retirement dates from January 2025
    assert months(law, 1964, 11, MEN) == 60 * 12  # retired December 2024
    assert months(law, 1965, 0, MEN) == 60 * 12 + 1  # January-April 1965: 60 years 1 month
    assert months(law, 1965, 3, MEN) == 60 * 12 + 1
    assert months(law, 1965, 4, MEN) == 60 * 12 + 2  # May 1965: 60 years 2 months
    assert months(law, 1976, 8, MEN) == 63 * 12  # September 1976 on: 63
    assert months(law, 1990, 0, MEN) == 63 * 12
    assert months(law, 1970, 0, WOMEN55) == 55 * 12 + 1
    assert months(law, 1975, 0, WOMEN50) == 50 * 12 + 1  # January 1975: 50 years 1 month
    assert months(law, 1975, 2, WOMEN50) == 50 * 12 + 2  # March 1975: the 2-month pace
    assert months(law, 1984, 10, WOMEN50) == 55 * 12  # November 1984 on: 55


def test_reached_by_the_end_of_the_year(law):
    by = np.array([1965, 1965])
    bm = np.array([0, 11])
    g = np.array([MEN, MEN])
    # January 1965: February 2025; December 1965: original December 2025 + 3 months = March 2026
    assert reached_statutory_age(by, bm, g, 2025, law).tolist() == [True, False]
    assert reached_statutory_age(by, bm, g, 2026, law).tolist() == [True, True]


def two_men_aged_60(contrib_years=(20, 20), months=(0, 11)):
    s = tiny(
        [2],
        ages=[60, 60],
        emp=[EMP_FORMAL, EMP_FORMAL],
        urban=[True],
        region=[0],
        other_pc=[50000],
        contrib_years=contrib_years,
    )
    s.pop.birth_month[:] = months
    return s.pop


def test_a_member_retires_at_the_statutory_age_for_his_cohort_and_not_before(baseline):
    pop = two_men_aged_60()  # both 60 at the end of 2025, born January and December 1965
    pensioned = demography.retire(pop, 2025, PolicyYear(baseline, 2025), np.array([True, True]))
    assert pensioned.tolist() == [True, False]
    assert pop.emp_pension.tolist() == [True, False]
    # the December-born member is 60 (the resident pension age) but not yet at his statutory
    # age (60 years 3 months): he goes on working
    assert pop.emp.tolist() == [EMP_RETIRED, EMP_FORMAL]
    assert pop.contrib_years.tolist() == [21, 21]  # the year's contributions counted first


def test_14_years_gives_the_resident_pension_16_the_employee_pension_before_2030(baseline):
    pop = two_men_aged_60(contrib_years=(13, 15), months=(0, 0))  # 14 and 16 after this year's
    demography.retire(pop, 2025, PolicyYear(baseline, 2025), np.array([True, True]))
    assert pop.emp_pension.tolist() == [False, True]
    assert pop.emp.tolist() == [EMP_RETIRED, EMP_RETIRED]  # both stop work at 60


def test_the_minimum_rises_from_2030(baseline):
    assert PolicyYear(baseline, 2029)["retirement.minimum_contribution_years"] == 15
    assert PolicyYear(baseline, 2030)["retirement.minimum_contribution_years"] == 15.5
    assert PolicyYear(baseline, 2039)["retirement.minimum_contribution_years"] == 20
    # 15.2 years at the statutory age: an employee pension in 2029, not in 2030
    for year, expected in ((2029, True), (2030, False)):
        s = tiny(
            [1],
            ages=[63],
            emp=[EMP_FORMAL],
            urban=[True],
            region=[0],
            other_pc=[50000],
            contrib_years=[14.2],
        )
        demography.retire(s.pop, year, PolicyYear(baseline, year), np.array([True]))
        assert s.pop.emp_pension.tolist() == [expected], year


def test_women_workers_retire_at_50_plus_their_delay(baseline):
    s = tiny(
        [1],
        ages=[50],
        emp=[EMP_FORMAL],
        urban=[True],
        region=[0],
        other_pc=[50000],
        sex=[1],
        ret_group=[WOMEN50],
        contrib_years=[25],
    )
    s.pop.birth_month[:] = [0]  # January 1975: 50 years 1 month, February 2025
    demography.retire(s.pop, 2025, PolicyYear(baseline, 2025), np.array([True]))
    assert s.pop.emp_pension.tolist() == [True]


def test_the_model_retires_by_the_law(baseline, base_run):
    from model.core import MinshengModel

    # employee pensioners include women in their fifties (statutory ages 50 and 55), no men under 60
    pop = MinshengModel(baseline, households=5_000).pop
    w = pop.person_weight()
    women_50s = pop.emp_pension & (pop.sex == 1) & (pop.age >= 50) & (pop.age < 60)
    assert w[women_50s].sum() > 1e7
    assert not (pop.emp_pension & (pop.sex == 0) & (pop.age < 60)).any()
    for year in range(2025, 2031):
        assert base_run.value("new_employee_pensioners", year) > 0, year


def test_the_compiled_test_of_the_age_equals_the_retirement_month_rule():
    from model.retirement import retirement_month

    law = LawParams(2025, (60.0, 55.0, 50.0), (63.0, 58.0, 55.0), (4.0, 4.0, 2.0))
    rng = np.random.default_rng(3)
    by = rng.integers(1940, 2000, 5000).astype(np.int16)
    bm = rng.integers(0, 12, 5000).astype(np.int8)
    g = rng.integers(0, 3, 5000).astype(np.int8)
    for year in (2024, 2025, 2030, 2040):
        want = retirement_month(by, bm, g, law) <= year * 12 + 11
        assert np.array_equal(reached_statutory_age(by, bm, g, year, law), want)
