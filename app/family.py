"""One family under a scenario, year by year, computed by the model's own measures.

A described family becomes a one-household population in the model's column format
(`model.population.Population`, weight 1), and each year the model's measures
(`MinshengModel.apply_measures`: services, employee schemes, pensions, dibao, contribution help,
resident contributions, medical insurance; and the childcare subsidy the childcare market pays,
`model.providers.childcare.child_subsidy`) run on it with the scenario's parameters. With a
weight of 1 the measures' money by measure and payer (`YearState.costs`, yuan/year) is the
family's own: what it receives from each payer, and (payer "individuals") what it pays.

What the family cannot take from its own columns comes from a small run of the model with the
same scenario and seed: the year's income index and published-trajectory means, the provinces'
income levels, and where the family's income falls among the income deciles.

Take-up: the model draws a uniform number per person for each choice (enrolling, taking up a
pension or dibao); the family's are all 0 unless given, so it takes up every scheme it is
entitled to. The family as described is a year older each year; other changes (school leaving,
retirement, births) are not projected for it. Service places (childcare places and their
vouchers, elderly-care beds) are allocated by the model's providers over the whole population,
so they are not part of one family's sums.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.core import MinshengModel
from model.population import (
    EMP_NAMES,
    EMP_RETIRED,
    N_UNIFORMS,
    Population,
)
from model.providers import childcare
from model.provinces import KEYS as PROVINCE_KEYS
from model.provinces import REGION_OF
from model.scenario import Scenario
from model.state import PolicyYear, YearState

SAMPLE = 500  # households of the model run that gives the income index, means and deciles


@dataclass(frozen=True)
class Member:
    """One person: age (years), sex ("male"/"female"), work (a model employment status:
    child, student, formal, flexible, farmer, unemployed, inactive, retired), urban hukou,
    employee pension (yuan/month; more than 0 for an employee-scheme pensioner)."""

    age: int
    sex: str = "male"
    work: str = "formal"
    urban_hukou: bool = True
    employee_pension: float = 0.0
    contribution_years: float = 0.0
    disabled: bool = False
    women55: bool = False  # a woman whose original retirement age is 55 (cadres)


@dataclass(frozen=True)
class Family:
    """A household: its members, urban or rural residence, province (pinyin key), whether it
    lives away from its hukou place, and its income other than the modelled transfers in the
    start year (yuan per person per year)."""

    members: tuple[Member, ...]
    urban: bool
    province: str
    income_pc: float
    migrant: bool = False


def population(family: Family, draws: float = 0.0) -> Population:
    """The family as a one-household population of weight 1; every uniform draw is `draws`."""
    m = family.members
    n = len(m)
    province = PROVINCE_KEYS.index(family.province)
    pop = Population(
        hh_weight=np.ones(1),
        hh_urban=np.array([family.urban]),
        hh_region=np.array([REGION_OF[province]], dtype=np.int8),
        hh_province=np.array([province], dtype=np.intp),
        hh_migrant=np.array([family.migrant]),
        hh_urban_hukou=np.array([any(x.urban_hukou for x in m)]),
        hh_z=np.zeros(1),
        hh_u_dibao=np.full(1, draws),
        hh_u_near=np.full(1, draws),
        hh_u_move=np.ones(1),
        hh=np.zeros(n, dtype=np.intp),
        age=np.array([x.age for x in m], dtype=np.int16),
        sex=np.array([0 if x.sex == "male" else 1 for x in m], dtype=np.int8),
        birth_month=np.zeros(n, dtype=np.int8),
        ret_group=np.array(
            [0 if x.sex == "male" else (1 if x.women55 else 2) for x in m], dtype=np.int8
        ),
        emp=np.array(
            [EMP_RETIRED if x.employee_pension > 0 else EMP_NAMES.index(x.work) for x in m],
            dtype=np.int8,
        ),
        urban_hukou=np.array([x.urban_hukou for x in m]),
        disabled=np.array([x.disabled for x in m]),
        emp_pension=np.array([x.employee_pension > 0 for x in m]),
        contrib_years=np.array([x.contribution_years for x in m], dtype=np.float32),
        pension_amount=np.array([x.employee_pension for x in m], dtype=np.float32),
        grad_year=np.full(n, -1, dtype=np.int16),
    )
    pop.u = {k: np.full(n, draws, dtype=np.float32) for k in N_UNIFORMS}
    return pop


def decile_of(model: MinshengModel, other_pc: float) -> int:
    """The income decile (0-9) of a household with `other_pc` among the model's households
    (the highest decile of a model household with no more income), yuan/person/year."""
    s = model.state
    below = s.other_pc <= other_pc
    return int(s.cols["_hh_decile"][below].max()) if below.any() else 0


def family_state(model: MinshengModel, pop: Population, other_pc: float) -> YearState:
    """The year's state of a one-household population, as `MinshengModel.year_state` builds
    it for the whole sample, with the model's income index, means and the family's decile."""
    s = model.state_of(pop, np.array([other_pc]), np.zeros(1, dtype=np.intp))
    s.cols["_hh_decile"] = np.array([decile_of(model, other_pc)], dtype=np.int8)
    return model.with_groups(s)


def calculate(
    scenario: Scenario,
    family: Family,
    end_year: int,
    seed: int | None = None,
    sample: int = SAMPLE,
    draws: float = 0.0,
) -> pd.DataFrame:
    """What the scenario's measures pay the family and take from it, year by year.

    Returns rows year, measure, payer, amount (yuan/year; for payer "individuals" what the
    family pays), plus "net" rows: cash and in-kind receipts less contributions.
    """
    model = MinshengModel(scenario, households=sample, seed=seed)
    pop = population(family, draws)
    rows = []
    for year in range(scenario.run.start_year, end_year + 1):
        if year > model.year:
            model.step()
            pop.age = pop.age + 1
            pop.pension_amount = pop.pension_amount * np.float32(
                1.0 + PolicyYear(scenario, year)["pension.employee_raise"]
            )
        p = PolicyYear(scenario, model.year)
        s = family_state(model, pop, family.income_pc * model.income_index)
        model.apply_measures(s, p)
        childcare.child_subsidy(s, p, childcare.young_children(s))
        rows += [(model.year, m, payer, v) for (m, payer), v in s.costs.items() if v != 0]
        cash, in_kind = s.household_flows()
        rows += [(model.year, "net", "cash", float(cash[0]))]
        rows += [(model.year, "net", "in_kind", float(in_kind[0]))]
    return pd.DataFrame(rows, columns=["year", "measure", "payer", "amount"])


def household_of(pop: Population, h: int) -> Population:
    """Household `h` of a model population as a one-household population of weight 1, with its
    own members, columns and uniform draws (to check the calculator against the model)."""
    members = np.flatnonzero(pop.hh == h)
    one = Population(
        **{c: np.array(getattr(pop, c)[[h]]) for c in Population.HOUSEHOLD_COLUMNS},
        **{c: np.array(getattr(pop, c)[members]) for c in Population.PERSON_COLUMNS},
    )
    one.hh_weight = np.ones(1)
    one.hh = np.zeros(len(members), dtype=pop.hh.dtype)
    one.u = {k: np.array(v[members]) for k, v in pop.u.items()}
    return one
