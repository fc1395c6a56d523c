"""Yearly population dynamics: deaths, ageing, births, schooling and labour-market moves.

None of this depends on policy, so a baseline and a reform with the same seed draw the same
numbers here and age the same people (common random numbers).
"""

from __future__ import annotations

import numpy as np

from model.population import (
    disability_prevalence,
    ELDER_FARMING_MAX_AGE,
    EMP_CHILD,
    EMP_FARMER,
    EMP_FORMAL,
    EMP_INACTIVE,
    EMP_RETIRED,
    EMP_STUDENT,
    LABOUR_TURNOVER,
    P_STUDENT_16,
    P_STUDENT_CONTINUE_19,
    SCHOOL_LEAVING_AGE,
    Population,
    draw_employment,
)

MAX_AGE = 110
FERTILE_AGES = (20, 40)


def death_probability(age: np.ndarray, level: float, slope: float) -> np.ndarray:
    """Gompertz: annual death probability a*exp(b*age), capped at 1."""
    return np.minimum(level * np.exp(slope * age), 1.0)


def life_expectancy(level: float, slope: float) -> float:
    """Period life expectancy at birth implied by the Gompertz schedule (years)."""
    ages = np.arange(MAX_AGE + 1)
    q = death_probability(ages, level, slope)
    survive = np.cumprod(np.r_[1.0, 1 - q[:-1]])
    return float(np.sum(survive * (1 - q / 2)))


def disability_onset(age: np.ndarray) -> np.ndarray:
    """Annual probability that a person 60+ becomes disabled: the rise of the prevalence prior."""
    prev = disability_prevalence(age)
    prev_before = disability_prevalence(age - 1)
    return np.clip((prev - prev_before) / np.maximum(1 - prev_before, 1e-9), 0.0, 1.0)


def step(
    pop: Population,
    year: int,
    births: float,
    mortality_level: float,
    mortality_slope: float,
    pension_age: float,
    employee_enrolled: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, float]:
    """Move the population from the end of year-1 to the end of `year`.

    Args:
        births: national births in the year (persons, weighted).
        employee_enrolled: last year's employee-scheme membership of each person (decides who
            retires with an employee pension).

    Returns:
        Weighted counts of deaths and births, for reporting.
    """
    # deaths (drawn on last year's ages)
    ages = np.arange(MAX_AGE + 2, dtype=float)
    q = death_probability(ages, mortality_level, mortality_slope)[
        np.minimum(pop.age, MAX_AGE + 1)
    ]  # by-age table
    alive = rng.random(pop.n_persons) >= q
    deaths = float(np.sum(pop.hh_weight[pop.hh[~alive]]))
    employee_enrolled = employee_enrolled[alive]
    pop.keep(alive)

    pop.age += 1
    age = pop.age

    def new_jobs(who: np.ndarray) -> np.ndarray:
        """Employment drawn from the priors of the residence and migration of each `who` person's household."""
        return draw_employment(
            rng, pop.person_column("hh_urban")[who], pop.person_column("hh_migrant")[who]
        )

    # school: 16-year-olds mostly start upper secondary; some continue at 19; all leave at 23
    u = rng.random(pop.n_persons)
    start = (pop.emp == EMP_CHILD) & (age == 16)
    pop.emp[start & (u < P_STUDENT_16)] = EMP_STUDENT
    leaving = ((pop.emp == EMP_STUDENT) & (age == 19) & (u >= P_STUDENT_CONTINUE_19)) | (
        (pop.emp == EMP_STUDENT) & (age >= SCHOOL_LEAVING_AGE)
    )
    entrants = (start & (u >= P_STUDENT_16)) | leaving
    pop.emp[entrants] = new_jobs(entrants)
    pop.grad_year[leaving] = year

    # job turnover among the working-age labour force
    working_age = (
        (age >= 16) & (age < pension_age) & (pop.emp != EMP_STUDENT) & (pop.emp != EMP_CHILD)
    )
    move = working_age & (rng.random(pop.n_persons) < LABOUR_TURNOVER) & ~entrants
    pop.emp[move] = new_jobs(move)

    # retirement at pension age: members of the employee scheme retire onto its pension
    # formal, flexible, farmer, unemployed and inactive are the contiguous codes 2-6
    retiring = (age >= pension_age) & (pop.emp >= EMP_FORMAL) & (pop.emp <= EMP_INACTIVE)
    keeps_farming = (
        retiring
        & (pop.emp == EMP_FARMER)
        & (age <= ELDER_FARMING_MAX_AGE)
        & ~pop.person_column("hh_urban")
    )
    retiring &= ~keeps_farming
    pop.emp_pension |= retiring & employee_enrolled
    pop.emp[retiring] = EMP_RETIRED
    pop.emp[(pop.emp == EMP_FARMER) & (age > ELDER_FARMING_MAX_AGE)] = EMP_RETIRED

    # disability onset among people 60+, following the prevalence-by-age prior of the build
    onset_by_age = disability_onset(np.arange(MAX_AGE + 2))
    u = rng.random(pop.n_persons)
    old = np.flatnonzero((age >= 60) & ~pop.disabled)
    pop.disabled[old[u[old] < onset_by_age[np.minimum(age[old], MAX_AGE + 1)]]] = True

    # births: to households with a member aged 20-39, at a rate that gives the national total
    fertile = (age >= FERTILE_AGES[0]) & (age < FERTILE_AGES[1])
    hh_fertile = np.zeros(pop.n_households, dtype=bool)
    hh_fertile[pop.hh[fertile]] = True
    exposure = float(np.sum(pop.hh_weight[hh_fertile]))
    rate = min(births / exposure, 1.0) if exposure > 0 else 0.0
    mothers = np.flatnonzero(hh_fertile & (rng.random(pop.n_households) < rate)).astype(np.int32)
    n = len(mothers)
    pop.append(
        {
            "hh": mothers,
            "age": np.zeros(n, dtype=np.int16),
            "emp": np.full(n, EMP_CHILD, dtype=np.int8),
            "urban_hukou": pop.hh_urban_hukou[mothers],
            "disabled": np.zeros(n, dtype=bool),
            "emp_pension": np.zeros(n, dtype=bool),
            "grad_year": np.full(n, -1, dtype=np.int16),
        },
        rng,
    )
    return {"deaths": deaths, "births": float(np.sum(pop.hh_weight[mothers]))}
