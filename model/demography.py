"""Yearly population dynamics: deaths, ageing, births, schooling, labour-market moves, retirement.

Deaths follow the 2010 census death rates by age and sex, scaled to the year's mortality level
(`model.age_structure`); births go to women by the census fertility by age of mother, at the
rate that gives the year's national births; retirement follows the retirement-age law
(`model.retirement`): members of the employee scheme retire onto its pension at their statutory
age if they have the minimum contribution years, everyone else stops work at the resident
pension age. None of this depends on policy, so a baseline and a reform with the same seed draw
the same numbers here and age the same people (common random numbers).
"""

from __future__ import annotations

import numpy as np

from model import age_structure, kernels
from model.age_structure import FEMALE, MAX_AGE
from model.kernels import systematic_choice
from model.population import (
    ELDER_FARMING_MAX_AGE,
    EMP_CHILD,
    EMP_CODES,
    EMP_FARMER,
    EMP_FORMAL,
    EMP_INACTIVE,
    EMP_PRIORS,
    EMP_RETIRED,
    EMP_STUDENT,
    LABOUR_TURNOVER,
    P_STUDENT_16,
    P_STUDENT_CONTINUE_19,
    SCHOOL_LEAVING_AGE,
    WORKING_AGE,
    Population,
    disability_prevalence,
    wage_factor,
)
from model.retirement import LawParams, reached_statutory_age
from model.state import PolicyYear


def mortality_scale(p: PolicyYear, year: int, base_year: int) -> float:
    """The year's death rates relative to the 2010 census schedule (falling by the decline a year)."""
    return p["demography.mortality_scale"] * (1.0 - p["demography.mortality_decline"]) ** (
        year - base_year
    )


def disability_onset(age: np.ndarray) -> np.ndarray:
    """Annual probability that a person 60+ becomes disabled: the rise of the prevalence prior."""
    prev = disability_prevalence(age)
    prev_before = disability_prevalence(age - 1)
    return np.clip((prev - prev_before) / np.maximum(1 - prev_before, 1e-9), 0.0, 1.0)


def systematic_draw(prob: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """True for the units chosen by systematic sampling with inclusion probabilities `prob`.

    The units are taken in their order (persons in order of their household's weight, see
    `population.in_weight_order`), the probabilities cumulated, and a unit is chosen where the
    running sum passes an integer shifted by one random start: each unit is chosen with its own
    probability, the number chosen is the expected number rounded, and units of similar weight
    are drawn together, so yearly deaths and births carry much less sampling noise than
    independent draws would give.
    """
    return systematic_choice(prob, rng.random())


def deaths(pop: Population, scale: float, rng: np.random.Generator) -> tuple[float, np.ndarray]:
    """Draw the year's deaths on last year's ages; returns the weighted deaths and who survives."""
    q = age_structure.death_probabilities(scale).ravel()  # index age * 2 + sex
    idx = np.minimum(pop.age, MAX_AGE).astype(np.intp) * 2 + pop.sex
    alive = ~systematic_draw(q[idx], rng)
    dead = float(np.sum(pop.person_weight()[~alive]))
    return dead, alive


def school_and_jobs(pop: Population, year: int, rng: np.random.Generator) -> np.ndarray:
    """School entry and leaving, then job turnover; returns who entered the labour market.

    School: 16-year-olds mostly start upper secondary (`P_STUDENT_16`); some continue at 19
    (`P_STUDENT_CONTINUE_19`); all leave at `SCHOOL_LEAVING_AGE`. Whoever enters the labour
    market draws a job (the employment priors of their household's residence and migration)
    with the uniform that decided it, rescaled to [0, 1) (uniform again, and independent of the
    decision), so no draw depends on how many move. Then a share `LABOUR_TURNOVER` of the
    working-age labour force (formal .. inactive) draws a job again, with a second uniform.
    One compiled pass (`kernels.school_and_jobs`) over two uniforms per person.
    """
    u = rng.random(pop.n_persons)
    v = rng.random(pop.n_persons)
    probs = np.asarray(EMP_PRIORS, dtype=np.float64)
    return kernels.school_and_jobs(
        u,
        v,
        pop.age,
        pop.emp,
        pop.grad_year,
        pop.hh,
        pop.hh_urban,
        pop.hh_migrant,
        year,
        np.array(
            [
                P_STUDENT_16,
                P_STUDENT_CONTINUE_19,
                SCHOOL_LEAVING_AGE,
                WORKING_AGE[0],
                WORKING_AGE[1],
                LABOUR_TURNOVER,
            ],
            dtype=np.float64,
        ),
        np.array([EMP_CHILD, EMP_STUDENT, EMP_FORMAL, EMP_INACTIVE], dtype=pop.emp.dtype),
        np.cumsum(probs, axis=1),
        probs.sum(axis=1),
        EMP_CODES.astype(np.int8),
    )


def retire(
    pop: Population,
    year: int,
    p: PolicyYear,
    employee_enrolled: np.ndarray,
    pension_level: float | None = None,
) -> np.ndarray:
    """Retirement by the law; returns who retired onto an employee pension this year.

    `employee_enrolled`: last year's working members of the employee scheme. Their year of
    contributions is counted first. A member who has reached the statutory age for their sex,
    birth cohort and group and has at least the minimum contribution years retires onto an
    employee pension. A member short of the minimum goes on working (and contributing) until
    the record is complete or the resident pension age is reached; at that age, as everyone
    else still at work, they stop work and draw the resident pension (rural people go on
    farming to 69). Paying the missing years in one sum is not modelled.
    """
    age = pop.age
    pop.contrib_years += employee_enrolled  # a year more for each member (adds 1.0 or 0.0)
    at_work = (pop.emp >= EMP_FORMAL) & (pop.emp <= EMP_INACTIVE)
    law = LawParams.from_values(p)
    # the statutory age only matters for working members old enough to have reached it
    members = np.flatnonzero(at_work & employee_enrolled & (age >= min(law.original_age)))
    reached_m = reached_statutory_age(
        year - age[members], pop.birth_month[members], pop.ret_group[members], year, law
    )
    due = members[reached_m]
    pensioned = np.zeros(pop.n_persons, dtype=bool)
    pensioned[due[pop.contrib_years[due] >= p["retirement.minimum_contribution_years"]]] = True
    pop.emp_pension |= pensioned
    pop.emp[pensioned] = EMP_RETIRED
    new = np.flatnonzero(pensioned)
    pop.pension_amount[new] = new_pensions(
        pop, new, p, p["pension.employee_average"] if pension_level is None else pension_level
    )
    before_age = employee_enrolled.copy()  # working members not yet at their statutory age
    before_age[due] = False
    # everyone else at work stops at the resident pension age: members short of the record
    # once they reach the statutory age, members before it (men 60-62 during the phase-in) not yet
    at_work &= ~pensioned & ~before_age
    old = at_work & (age >= p["pension.resident_pension_age"])
    keeps_farming = (
        old
        & (pop.emp == EMP_FARMER)
        & (age <= ELDER_FARMING_MAX_AGE)
        & ~pop.person_column("hh_urban")
    )
    pop.emp[old & ~keeps_farming] = EMP_RETIRED
    pop.emp[(pop.emp == EMP_FARMER) & (age > ELDER_FARMING_MAX_AGE)] = EMP_RETIRED
    return pensioned


def new_pensions(pop: Population, who: np.ndarray, p: PolicyYear, level: float) -> np.ndarray:
    """Employee pensions of new retirees (yuan/month), in proportion to their contribution years
    and their pay: `level` for `pension.employee_reference_years` years on average pay (the
    basic pension is 1% of the base a year of contributions, 国发〔2005〕38号)."""
    years = pop.contrib_years[who] / p["pension.employee_reference_years"]
    return (
        level * years * wage_factor(pop.hh_z[pop.hh[who]], p["pension.employee_wage_spread"])
    ).astype(np.float32)


def births(pop: Population, year: int, p: PolicyYear, rng: np.random.Generator) -> float:
    """Births to women by the census fertility by age, at the rate that gives the national total.

    Returns the weighted births. The newborn joins the mother's household.
    """
    fert = age_structure.fertility_by_age()
    women = np.flatnonzero(
        (pop.sex == FEMALE)
        & (pop.age >= age_structure.FERTILE_AGES[0])
        & (pop.age <= age_structure.FERTILE_AGES[1])
    )
    rate = fert[pop.age[women]]
    w = pop.person_weight()[women]
    exposure = float(w @ rate)
    factor = p["demography.births"] / exposure if exposure > 0 else 0.0
    mothers = women[systematic_draw(np.minimum(rate * factor, 1.0), rng)]
    hh = pop.hh[mothers]
    n = len(mothers)
    boys = age_structure.boys_share(p["demography.sex_ratio_at_birth"])
    sex = (rng.random(n) >= boys).astype(np.int8)
    women55 = rng.random(n) < p["retirement.women_original_55_share"]
    pop.append(
        {
            "hh": hh,
            "age": np.zeros(n, dtype=np.int16),
            "sex": sex,
            "birth_month": rng.integers(0, 12, n).astype(np.int8),
            "ret_group": np.where(sex == 0, 0, np.where(women55, 1, 2)).astype(np.int8),
            "emp": np.full(n, EMP_CHILD, dtype=np.int8),
            "urban_hukou": pop.hh_urban_hukou[hh],
            "disabled": np.zeros(n, dtype=bool),
            "emp_pension": np.zeros(n, dtype=bool),
            "contrib_years": np.zeros(n, dtype=np.float32),
            "pension_amount": np.zeros(n, dtype=np.float32),
            "grad_year": np.full(n, -1, dtype=np.int16),
        },
        rng,
    )
    return float(np.sum(pop.hh_weight[hh]))


def step(
    pop: Population,
    year: int,
    p: PolicyYear,
    scale: float,
    employee_enrolled: np.ndarray,
    rng: np.random.Generator,
    pension_level: float | None = None,
) -> dict[str, float]:
    """Move the population from the end of year-1 to the end of `year`.

    Args:
        scale: the year's mortality relative to the 2010 census schedule (`mortality_scale`).
        employee_enrolled: last year's employee-scheme membership of each person (their year
            of contributions, and who retires with an employee pension).
        pension_level: the employee pension (yuan/month) of a new retiree with the reference
            record on average pay (default: the base-year average).

    Returns:
        Weighted counts of deaths, births and new employee pensioners, for reporting.
    """
    dead, alive = deaths(pop, scale, rng)
    employee_enrolled = employee_enrolled[alive]
    pop.keep(alive)
    pop.age += 1
    school_and_jobs(pop, year, rng)
    pensioned = retire(pop, year, p, employee_enrolled, pension_level)
    new_pensioners = float(pop.person_weight()[pensioned].sum())

    # disability onset among people 60+, following the prevalence-by-age prior of the build
    onset_by_age = disability_onset(np.arange(MAX_AGE + 2))
    u = rng.random(pop.n_persons)
    old = np.flatnonzero((pop.age >= 60) & ~pop.disabled)
    pop.disabled[old[u[old] < onset_by_age[np.minimum(pop.age[old], MAX_AGE + 1)]]] = True

    born = births(pop, year, p, rng)
    return {"deaths": dead, "births": born, "new_employee_pensioners": new_pensioners}
