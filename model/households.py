"""Yearly moves of whole households: to towns, into an urban hukou, and young adults leaving home.

- **Urbanisation**: each year rural households move to towns until the urban share has risen by
  `population.urbanisation_gain` (67.00% at end 2024, 67.89% at end 2025: public-facts.md).
  Movers are households with a member aged 16-44, taken in a fixed random order
  (`Population.hh_u_move`); they keep their members and their income rank, take the urban
  income at that rank (`model.income`), live in a town of their province, and count as migrants
  (living away from their hukou place). Their farmers find non-farm work (migrant priors).
- **Hukou**: each year `population.hukou_settlement` persons among migrants living in towns with
  a rural hukou obtain a local urban hukou (the Ministry of Public Security's 1.5亿 since 2014);
  they are no longer migrants.
- **Household formation**: each year a share (`demography.household_formation`, fitted to the
  family households of 2020 and 2025) of adults aged 20-34 who live with a parent sets up a
  one-person household, so the household count grows while the population falls, as published.

None of this depends on policy: the same households move in every scenario of a run.
"""

from __future__ import annotations

import numpy as np

from model.geography import Geography
from model.income import Incomes
from model.kernels import households_with_age
from model.population import EMP_FARMER, EMP_STUDENT, Population, draw_employment

MOVER_AGES = (16, 44)  # a household moves to town only with a member of these ages
LEAVER_AGES = (20, 34)  # adults of these ages may leave their parents' household
PARENT_AGE = 45  # a member this old counts as of the parents' generation of someone aged 20-34


def _weighted_persons(pop: Population) -> np.ndarray:
    return pop.hh_weight * pop.household_size()


def first_by_draw(u: np.ndarray, persons: np.ndarray, need: float) -> np.ndarray:
    """Indices of the units with the lowest draws `u`, in order, enough to hold `need` persons.

    Sorts only the units with the lowest draws, as many as hold twice the expected need at the
    units' mean size (found by a partial sort), instead of all of them; falls back to a full
    sort when they are not enough.
    """
    total = float(persons.sum())
    few_units = int(2.0 * need / max(total, 1.0) * len(u)) + 100
    if few_units < len(u):
        bound = np.partition(u, few_units)[few_units]
        few = np.flatnonzero(u <= bound)
        if float(persons[few].sum()) >= need:
            return few[np.argsort(u[few], kind="stable")]
    return np.argsort(u, kind="stable")


def urban_share(pop: Population) -> float:
    """Share of persons (weighted) living in urban areas."""
    persons = _weighted_persons(pop)
    return float(persons @ pop.hh_urban / persons.sum())


def urbanise(
    pop: Population, geo: Geography, incomes: Incomes, target: float, rng: np.random.Generator
) -> float:
    """Move rural households to towns until the urban share reaches `target`; returns persons moved."""
    persons = _weighted_persons(pop)
    need = (target - urban_share(pop)) * persons.sum()
    if need <= 0:
        return 0.0
    young = households_with_age(pop.hh, pop.age, *MOVER_AGES, pop.n_households)
    candidates = np.flatnonzero(~pop.hh_urban & young & (persons > 0))
    order = first_by_draw(pop.hh_u_move[candidates], persons[candidates], need)
    k = int(np.searchsorted(np.cumsum(persons[candidates[order]]), need)) + 1
    candidates = candidates[order]
    movers = np.sort(candidates[:k])
    members = pop.members_of(movers)
    pop.set_households({"hh_urban": True, "hh_migrant": True}, movers, members)
    geo.move_to_towns(movers, pop.hh_province[movers], rng)
    incomes.move_to_towns(movers, pop.hh_z, pop.hh_province)
    u = rng.random(len(members))  # one draw per member of a moving household
    farmer = pop.emp[members] == EMP_FARMER
    ones = np.ones(int(farmer.sum()), dtype=bool)
    pop.emp[members[farmer]] = draw_employment(u[farmer], ones, ones)
    return float(persons[movers].sum())


def settle_hukou(pop: Population, settlers: float, rng: np.random.Generator) -> float:
    """Give `settlers` persons among rural-hukou migrants in towns a local urban hukou; returns persons."""
    persons = _weighted_persons(pop)
    candidates = np.flatnonzero(pop.hh_urban & pop.hh_migrant & ~pop.hh_urban_hukou & (persons > 0))
    if settlers <= 0 or len(candidates) == 0:
        return 0.0
    order = first_by_draw(rng.random(len(candidates)), persons[candidates], settlers)
    candidates = candidates[order]
    k = int(np.searchsorted(np.cumsum(persons[candidates]), settlers)) + 1
    chosen = np.sort(candidates[:k])
    members = pop.members_of(chosen)
    pop.set_households({"hh_urban_hukou": True, "hh_migrant": False}, chosen, members)
    pop.urban_hukou[members] = True
    return float(persons[chosen].sum())


def living_with_parent(pop: Population) -> np.ndarray:
    """Persons aged 20-34, not in school, in a household with a member of their parents'
    generation (aged PARENT_AGE or more)."""
    age = pop.age
    older = households_with_age(pop.hh, age, PARENT_AGE, np.iinfo(age.dtype).max, pop.n_households)
    return (
        (age >= LEAVER_AGES[0]) & (age <= LEAVER_AGES[1]) & (pop.emp != EMP_STUDENT) & older[pop.hh]
    )


def form_households(
    pop: Population, geo: Geography, incomes: Incomes, rate: float, rng: np.random.Generator
) -> float:
    """A share `rate` of adults living with a parent leave to a household of their own; returns households formed."""
    eligible = np.flatnonzero(living_with_parent(pop))
    leavers = eligible[rng.random(len(eligible)) < rate]
    if len(leavers) == 0:
        return 0.0
    parents = pop.hh[leavers]
    pop.split_off(leavers, rng)
    geo.split_off(parents)
    incomes.split_off(parents)
    return float(pop.hh_weight[parents].sum())


def step(
    pop: Population,
    geo: Geography,
    incomes: Incomes,
    p,
    last_urban_share: float,
    rng: np.random.Generator,
) -> dict[str, float]:
    """The year's household moves, in order: to towns, hukou, new households. Weighted counts.

    `last_urban_share`: the urban share at the end of last year; this year's target is that plus
    the year's gain (births and deaths move the share a little too, so the target is a level).
    """
    target = last_urban_share + p["population.urbanisation_gain"]
    return {
        "urban_movers": urbanise(pop, geo, incomes, target, rng),
        "hukou_settlers": settle_hukou(pop, p["population.hukou_settlement"], rng),
        "households_formed": form_households(
            pop, geo, incomes, p["demography.household_formation"], rng
        ),
    }
