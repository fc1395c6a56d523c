"""An idiomatic Mesa version of the household step: one `mesa.Agent` per household.

Kept as a reference and as a statistical oracle for the vectorised model (`model/`): the same
rules written the way a Mesa tutorial would write them, person by person, with
``model.agents.shuffle_do("step")`` and aggregates read with ``model.agents.agg``.
`tests/test_mesa_reference.py` checks that both agree on aggregates within sampling error, and
`bench/bench_mesa.py` times both.

What it covers: each year's policy decisions of a household and its members, with the rules of
`model/measures/`:

- employee schemes (`employee.py`): formal employees enrol with a fixed probability; flexible
  workers with a probability that falls with the share of the contribution they pay (the
  social-insurance subsidy for graduates and people aged 50+) and is reduced for migrants while
  the hukou limit is in force;
- basic pensions (`pension.py`): employee pensioners; resident pension take-up at pension age;
  voluntary resident contributors among working-age people outside the employee scheme;
- dibao and near-dibao (`dibao.py`): means test against the standard (or the consumption-linked
  standard), take-up with dynamic monitoring, inclusion error in the near-dibao band,
  identification of near-dibao households, the gap-filling benefit with its floor;
- contribution help (`contribution_help.py`): minimum-tier contributions paid for hardship people;
- resident medical insurance (`medical.py`): enrolment logistic in the price relative to income
  and in financing, the migrant barrier, contributions paid by medical assistance;
- each year incomes, the employee pension and the published means grow as in `model/core.py`.

What it leaves out: demography (deaths, births, ageing, schooling, job moves, retirement), the
pension contribution tiers and matches, the payer split of costs, and the outputs by group
(deciles, Gini, poverty). It starts from a population built by `model.population` (the raked
synthetic sample), not from one of its own.

Randomness: every decision draws from ``self.random``, the stdlib generator Mesa seeds from the
model's one seed (idiomatic Mesa, and the fastest draw in pure Python, so the comparison is fair
to Mesa). The vectorised model instead gives each person persistent uniforms (common random
numbers), so the two agree in distribution, not draw by draw.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from model.core import MinshengModel
from model.measures.services import N_ITEMS
from model.population import EMP_CHILD, EMP_FLEXIBLE, EMP_FORMAL, EMP_STUDENT, Population
from model.provinces import KEYS as PROVINCE_KEYS
from model.scenario import Scenario
from model.state import PolicyYear

DIFFICULTY_AGE = 50  # as in model/measures/employee.py


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


class Person:
    """A household member: age (years), employment code, employee-pension history and its amount
    (yuan/month), year left school."""

    __slots__ = ("age", "emp", "emp_pension", "pension_amount", "grad_year")

    def __init__(
        self, age: int, emp: int, emp_pension: bool, pension_amount: float, grad_year: int
    ):
        self.age, self.emp, self.emp_pension, self.grad_year = age, emp, emp_pension, grad_year
        self.pension_amount = pension_amount


class Household(mesa.Agent):
    """A household: where it lives, its per-capita income other than transfers (yuan/year), its members.

    After `step`, its weighted counts (persons) and government costs (yuan/year) of the year are
    attributes the model aggregates.
    """

    def __init__(
        self,
        model: ReferenceModel,
        weight: float,
        urban: bool,
        migrant: bool,
        other_pc: float,
        members: list[Person],
        urban_hukou: bool = False,
        province: int = 0,
    ):
        super().__init__(model)
        self.weight, self.urban, self.migrant, self.other_pc = weight, urban, migrant, other_pc
        self.urban_hukou, self.province = urban_hukou, province
        self.members = members
        self.persons = weight * len(members)
        self.medical_insured = self.adults = self.pension_insured_adults = 0.0
        self.dibao_persons = self.help_paid = self.resident_recipients = self.government_cost = 0.0

    def step(self) -> None:
        """This year's decisions of the household and its members."""
        m = self.model
        p = m.p
        rnd = self.random.random
        year = m.year
        pension_age = p["pension.resident_pension_age"]

        # employee schemes and pensions, person by person
        working, resident_pension, pension_income, contrib_eligible, voluntary = [], [], [], [], []
        employee_medical = []
        for person in self.members:
            enrolled = False
            if person.emp == EMP_FORMAL:
                enrolled = rnd() < p["employee.formal_enrolment"]
            elif person.emp == EMP_FLEXIBLE:
                graduate = (
                    person.grad_year >= 0 and year - person.grad_year < p["subsidy.graduate_years"]
                )
                share = (
                    p["subsidy.si_subsidy_share"]
                    if (graduate or person.age >= DIFFICULTY_AGE)
                    else 0.0
                )
                prob = _logistic(
                    _logit(p["employee.flexible_enrolment"])
                    + p["employee.enrolment_price_coefficient"] * math.log(max(1.0 - share, 1e-3))
                )
                if self.migrant and p["hukou.limit_in_force"] > 0:
                    prob *= p["hukou.limited_relative_enrolment"]
                enrolled = rnd() < prob
            working.append(enrolled)
            employee_medical.append(
                (enrolled or person.emp_pension) and rnd() < p["employee.medical_share"]
            )
            at_age = person.age >= pension_age
            employee_pensioner = person.emp_pension  # retired at the statutory age
            resident = (
                at_age
                and not person.emp_pension
                and rnd() < p[f"pension.resident_takeup.{PROVINCE_KEYS[self.province]}"]
            )
            resident_pension.append(resident)
            pension_income.append(
                (12.0 * m.resident_pension[self.province] if resident else 0.0)
                + (12.0 * person.pension_amount if employee_pensioner else 0.0)
            )
            eligible = (
                not at_age
                and person.emp not in (EMP_CHILD, EMP_STUDENT)
                and not enrolled
                and not person.emp_pension
            )
            contrib_eligible.append(eligible)
            voluntary.append(eligible and rnd() < p["pension.resident_contributor_share"])

        # dibao and near-dibao: the household's means test
        n = len(self.members)
        pensions_pc = sum(pension_income) / n
        income = self.other_pc + pensions_pc
        urban_programme = self.urban and self.urban_hukou
        standard = (m.dibao_standard_urban if urban_programme else m.dibao_standard_rural)[
            self.province
        ]
        prog = "urban" if urban_programme else "rural"
        means = income
        eligible = means < standard
        band = not eligible and means < p["near_dibao.line_multiple"] * standard
        u = rnd()
        base = p[f"dibao.takeup_{prog}"]
        takeup = base + m.monitoring_gain * (1 - base)
        migrant = p["dibao.migrant_takeup_factor"] if self.migrant else 1.0
        dibao = (eligible and u < takeup * migrant) or (
            band and u < p["dibao.inclusion_error"] * base * migrant
        )
        near = band and not dibao and rnd() < p["near_dibao.identified_share"]
        benefit_pc = (
            max(standard - means, p["dibao.minimum_benefit_share"] * standard) if dibao else 0.0
        )

        # contribution help, resident medical insurance, and what the year adds up to
        hardship = dibao or (near and p["help.covers_near_dibao"] > 0)
        c = m.medical_contribution
        assistance = c if dibao else (min(c, p["near_dibao.medical_assistance"]) if near else 0.0)
        own = c - assistance
        if own <= 0:
            prob_medical = 1.0
        else:
            x = (
                p["medical.enrolment_intercept"]
                + p["medical.enrolment_price_coefficient"]
                * math.log(max(own, 1.0) / max(income, 1000.0))
                + m.medical_financing_term
                - (p["medical.migrant_barrier"] * (1 - m.migrant_access) if self.migrant else 0.0)
            )
            prob_medical = _logistic(x)
        w = self.weight
        insured = adults = pension_insured = helped = residents = 0
        cost = benefit_pc * n
        for i, person in enumerate(self.members):
            paid = contrib_eligible[i] and hardship and rnd() < p["help.hardship_paid_share"]
            helped += paid
            in_employee = employee_medical[i]
            medical = in_employee or rnd() < prob_medical
            insured += medical
            if medical and not in_employee:
                cost += p["medical.resident_subsidy"]
            resident = resident_pension[i]
            residents += resident
            if resident:  # the minimum (central and local) and the province's own part (local)
                cost += 12.0 * m.resident_pension_government[self.province]
            if person.age >= 16 and person.emp not in (EMP_STUDENT, EMP_CHILD):
                adults += 1
                employee_pensioner = person.emp_pension
                pension_insured += (
                    working[i] or employee_pensioner or resident or voluntary[i] or paid
                )
        self.medical_insured, self.adults, self.pension_insured_adults = (
            w * insured,
            w * adults,
            w * pension_insured,
        )
        self.dibao_persons = w * n if dibao else 0.0
        self.help_paid, self.resident_recipients, self.government_cost = (
            w * helped,
            w * residents,
            w * cost,
        )


class ReferenceModel(mesa.Model):
    """The household step of minsheng written the Mesa way.

    Args:
        scenario: the policy (parameter values by year).
        pop: a synthetic population (`model.population.build_population`).
        other_pc: per-household per-capita income other than transfers, yuan/year.
        year: the year of `pop` and `other_pc`.
        employee_pension_level: average employee pension in `year`, yuan/month.
        mean_income: published-trajectory mean per-capita income in `year`, (urban, rural), yuan/year.
        seed: the seed of Mesa's generators.
    """

    def __init__(
        self,
        scenario: Scenario,
        pop: Population,
        other_pc: np.ndarray,
        year: int,
        employee_pension_level: float,
        mean_income: tuple[float, float],
        seed: int,
        income_level: np.ndarray,
    ):
        super().__init__(rng=seed)
        self.scenario = scenario
        self.income_level = income_level  # (province, [rural, urban]) relative to the nation
        self.year = year
        self.employee_pension_level = employee_pension_level
        self.mean_income_urban, self.mean_income_rural = mean_income
        # members of a household are contiguous once persons are ordered by household
        # (births are appended at the end of the columns)
        order = np.argsort(pop.hh, kind="stable")
        starts = np.r_[0, np.cumsum(pop.household_size())]
        ages, emps = pop.age[order].tolist(), pop.emp[order].tolist()
        pens, grads = pop.emp_pension[order].tolist(), pop.grad_year[order].tolist()
        amounts = pop.pension_amount[order].tolist()
        n_urban_persons = 0
        for h in range(pop.n_households):
            members = [
                Person(ages[i], emps[i], pens[i], amounts[i], grads[i])
                for i in range(starts[h], starts[h + 1])
            ]
            if members:
                Household(
                    self,
                    float(pop.hh_weight[h]),
                    bool(pop.hh_urban[h]),
                    bool(pop.hh_migrant[h]),
                    float(other_pc[h]),
                    members,
                    bool(pop.hh_urban_hukou[h]),
                    int(pop.hh_province[h]),
                )
                n_urban_persons += len(members) * bool(pop.hh_urban[h])
        # the model's medical income link uses the sample's (unweighted) share of urban persons
        self.urban_person_share = n_urban_persons / pop.n_persons
        self._set_policy()

    @classmethod
    def from_vectorised(cls, vm: MinshengModel, seed: int) -> ReferenceModel:
        """The same households, incomes and year as a vectorised model's current state."""
        means = (
            vm.base_mean_income["urban"] * vm.income_index,
            vm.base_mean_income["rural"] * vm.income_index,
        )
        return cls(
            vm.policy,
            vm.pop,
            vm.other_pc,
            vm.year,
            vm.employee_pension_level,
            means,
            seed,
            vm.income_level,
        )

    def _set_policy(self) -> None:
        """The year's parameter values and the quantities every household shares."""
        self.p = PolicyYear(self.scenario, self.year)._values
        p = self.p
        # each province's standards (yuan/year), at least the linked share of its consumption
        scale = 12.0 * p["dibao.standard_scale"]
        self.dibao_standard_urban, self.dibao_standard_rural = [], []
        for i, key in enumerate(PROVINCE_KEYS):
            std_u = scale * p[f"dibao.standard_urban.{key}"]
            std_r = scale * p[f"dibao.standard_rural.{key}"]
            if p["dibao.consumption_link_urban"] > 0:
                std_u = max(
                    std_u,
                    p["dibao.consumption_link_urban"]
                    * self.mean_income_urban
                    * self.income_level[i, 1]
                    * p["income.consumption_ratio_urban"],
                )
            if p["dibao.consumption_link_rural"] > 0:
                std_r = max(
                    std_r,
                    p["dibao.consumption_link_rural"]
                    * self.mean_income_rural
                    * self.income_level[i, 0]
                    * p["income.consumption_ratio_rural"],
                )
            self.dibao_standard_urban.append(std_u)
            self.dibao_standard_rural.append(std_r)
        self.monitoring_gain = p["dibao.monitoring_in_force"] * p["dibao.monitoring_takeup_gain"]
        # the resident pension by province (yuan/month): the minimum plus the province's amount
        # above it, of which the personal account (at most that amount) is the fund's
        above = [p[f"pension.resident_provincial.{k}"] for k in PROVINCE_KEYS]
        minimum = p["pension.resident_minimum"]
        self.resident_pension = [minimum + a for a in above]
        self.resident_pension_government = [
            minimum + a - min(p["pension.resident_account"], a) for a in above
        ]
        flat = p["medical.resident_contribution"]
        if p["medical.contribution_income_link"] > 0:
            national = self.mean_income_urban * self.urban_person_share + self.mean_income_rural * (
                1 - self.urban_person_share
            )
            self.medical_contribution = max(
                p["medical.contribution_income_link"] * national, 0.5 * flat
            )
        else:
            self.medical_contribution = flat
        financing = p["medical.resident_subsidy"] + flat
        self.medical_financing_term = p["medical.enrolment_subsidy_coefficient"] * math.log(
            financing / p["medical.reference_financing"]
        )
        self.migrant_access = p["services.residence_items"] / N_ITEMS

    def decide(self) -> None:
        """Every household makes this year's decisions, in random order."""
        self.agents.shuffle_do("step")

    def step(self) -> None:
        """Advance one year: incomes and the employee pension grow, then every household decides."""
        self.year += 1
        p = PolicyYear(self.scenario, self.year)
        growth = 1.0 + p["income.nominal_growth"]
        self.mean_income_urban *= growth
        self.mean_income_rural *= growth
        raise_ = 1.0 + p["pension.employee_raise"]
        self.employee_pension_level *= raise_
        for h in self.agents:
            h.other_pc *= growth
            for person in h.members:
                person.pension_amount *= raise_
        self._set_policy()
        self.decide()

    def aggregates(self) -> dict[str, float]:
        """National weighted totals of the year (persons; yuan/year) and the two coverage rates (shares)."""
        total = {
            a: self.agents.agg(a, sum)
            for a in (
                "persons",
                "medical_insured",
                "adults",
                "pension_insured_adults",
                "dibao_persons",
                "help_paid",
                "resident_recipients",
                "government_cost",
            )
        }
        return {
            "medical_coverage": total["medical_insured"] / total["persons"],
            "pension_coverage": total["pension_insured_adults"] / total["adults"],
            "dibao_recipients": total["dibao_persons"],
            "contributions_paid_by_government": total["help_paid"],
            "pension_recipients_resident": total["resident_recipients"],
            "government_cost": total["government_cost"],
        }
