"""The Mesa model: owns the population, the seeded generator, the yearly step and the results.

`run_scenario(scenario) -> Results` is the one entry point the CLI and the app call.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import mesa
import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from model import (
    age_structure,
    demography,
    households,
    memory,
    outputs,
    province_data,
    results_check,
    sample_cache,
)
from model.geography import build_geography
from model.income import Incomes, area_means, area_scales, shape_values
from model.kernels import bincount
from model.measures import dibao, employee, medical, pension, services
from model.population import Population
from model.providers.childcare import ChildcareMarket
from model.providers.elderly import ElderlyCareMarket
from model.providers.primary import PrimaryCare
from model.scenario import Scenario
from model.state import PolicyYear, YearState

RESULT_COLUMNS = ["scenario", "seed", "year", "group", "metric", "value", "unit"]


class MinshengModel(mesa.Model):
    """Households as columns, stepped one year at a time under a scenario's policy.

    Args:
        policy: the resolved scenario (named `policy` because Mesa's Model has its own
            `scenario` attribute).
        households: number of sampled households (default: the scenario's).
        seed: seed of the run's one numpy Generator (default: the scenario's).
    """

    def __init__(self, policy: Scenario, households: int | None = None, seed: int | None = None):
        run = policy.run
        self.seed_value = run.seed if seed is None else int(seed)
        super().__init__(rng=self.seed_value)
        self.policy = policy
        self.n_households = households or run.households
        self.start_year = run.start_year
        self.year = run.start_year
        p0 = PolicyYear(policy, self.start_year)
        # a copy of the population of an earlier run of the same sample where populations are
        # reused (`sample_cache`: compare, batch workers, calibrate, the app); otherwise drawn
        # and raked here
        self.pop: Population
        self.pop, self.population_reused = sample_cache.build(
            p0._values, self.n_households, self.rng, self.start_year
        )
        pop = self.pop
        # income other than modelled transfers, so base-year means equal the published ones
        persons = pop.hh_weight * pop.household_size()
        mean_u, mean_r = area_means(
            persons,
            pop.hh_urban,
            p0["income.mean_all"],
            p0["income.mean_urban"],
            p0["income.mean_rural"],
        )
        # each province's income level (rural, urban) relative to the national published means
        by_area = [
            bincount(pop.hh_province, weights=persons * (pop.hh_urban == a), minlength=31)
            for a in (True, False)
        ]
        self.income_level = province_data.income_levels(*by_area)
        level = self.income_level[pop.hh_province, pop.hh_urban.astype(np.intp)]
        shape = shape_values(pop.hh_z, pop.hh_urban, p0._values) * level
        scales = area_scales(
            persons,
            pop.hh_urban,
            shape,
            {"urban": mean_u, "rural": mean_r},
            self.base_transfers_pc(p0),
        )
        self.incomes = Incomes(
            pop.hh_z, pop.hh_urban, p0._values, scales, pop.hh_province, self.income_level
        )
        # published base-year means, grown each year: the policy-independent income trajectory
        self.base_mean_income = {"urban": mean_u, "rural": mean_r}
        self.base_employee_pension = p0["pension.employee_average"]
        # the average pension of the base year's pensioners, raised each year (for reference)
        self.employee_pension_level = p0["pension.employee_average"]
        self.geo = build_geography(pop, self.rng, p0["geography.large_city_share"])
        self.childcare = ChildcareMarket(self, self.geo)
        self.elderly = ElderlyCareMarket(self, self.geo)
        self.primary = PrimaryCare(self, self.geo)
        self.providers_placed = False
        self.rows: list[tuple] = []
        # years whose households are kept (`outputs.household_table`), for winners and losers
        self.household_years: set[int] = set()
        self.households_kept: dict[int, pd.DataFrame] = {}
        self.state: YearState | None = None
        self.last_vital: dict[str, float] = {}
        self._evaluate(p0)

    @property
    def other_pc(self) -> np.ndarray:
        """Per-household per-capita income other than the modelled transfers, yuan/year."""
        return self.incomes.other_pc

    @property
    def income_index(self) -> float:
        """Nominal income level relative to the start year."""
        return self.incomes.index

    def base_transfers_pc(self, p0: PolicyYear) -> np.ndarray:
        """Per household: the per-capita pensions already inside the base year's published income.

        Employee pensioners at their pensions; resident pensioners at the base year's resident
        pension (minimum, provincial top-up and personal account), yuan/person/year.
        """
        pop = self.pop
        resident = (
            (pop.age >= p0["pension.resident_pension_age"])
            & ~pop.emp_pension
            & (
                pop.u["u_pen"]
                < p0.provincial("pension.resident_takeup")[pop.person_column("hh_province")]
            )
        )
        resident_pension = (
            p0["pension.resident_minimum"]
            + p0.provincial("pension.resident_provincial")[pop.hh_province[pop.hh]]
        )
        base_transfer = 12 * np.where(
            pop.emp_pension, pop.pension_amount, np.where(resident, resident_pension, 0.0)
        )
        return pop.household_sum(base_transfer) / np.maximum(pop.household_size(), 1)

    def step(self) -> None:
        """Advance one year: demography, household moves, incomes, every measure, the year's results."""
        self.year += 1
        p = PolicyYear(self.policy, self.year)
        urban_share = households.urban_share(self.pop)
        self.last_vital = demography.step(
            self.pop,
            self.year,
            p,
            scale=demography.mortality_scale(p, self.year, self.start_year),
            employee_enrolled=self.state.cols["in_employee_working"],
            rng=self.rng,
        )
        self.last_vital |= households.step(
            self.pop, self.geo, self.incomes, p, urban_share, self.rng
        )
        growth = self.grow_incomes(p)
        # providers' prices follow nominal incomes (their costs do too: markets scale costs by the index)
        for a in self.agents:
            a.price *= growth
        self._evaluate(p)

    def grow_incomes(self, p: PolicyYear) -> float:
        """Incomes and their published means grow for the year, and pensions already paid by the
        year's raise; returns the income growth factor."""
        growth = 1.0 + p["income.nominal_growth"]
        self.incomes.grow(growth)
        raise_ = 1.0 + p["pension.employee_raise"]
        self.employee_pension_level *= raise_
        self.pop.pension_amount *= np.float32(raise_)
        return growth

    def year_state(self) -> YearState:
        """The columns the measures of the current year read, with the income groups set."""
        order = self.incomes.order()
        # income groups (ranks of income other than modelled transfers; the same in every scenario)
        s = self.state_of(self.pop, self.other_pc, order)
        s.cols["_hh_decile"] = outputs.weighted_quantile_groups(s.other_pc, s.hh_persons, 10, order)
        return self.with_groups(s)

    def state_of(self, pop: Population, other_pc: np.ndarray, other_order: np.ndarray) -> YearState:
        """The current year's state of the households `pop`, with the model's income index and
        means; `other_pc`: their income other than the modelled transfers (yuan/person/year),
        `other_order` its argsort. The income groups are left to the caller (`with_groups`)."""
        return YearState(
            year=self.year,
            pop=pop,
            w=pop.person_weight(),
            urban=pop.person_column("hh_urban"),
            migrant=pop.person_column("hh_migrant"),
            hh_size=pop.household_size(),
            other_pc=other_pc,
            mean_income_urban=self.base_mean_income["urban"] * self.income_index,
            mean_income_rural=self.base_mean_income["rural"] * self.income_index,
            other_order=other_order,
            income_index=self.income_index,
            income_level=self.income_level,
        )

    @staticmethod
    def with_groups(s: YearState) -> YearState:
        """`s` with the quintile and the persons' group cells set from its `_hh_decile`."""
        s.cols["_hh_quintile"] = s.cols["_hh_decile"] // 2
        s.cols["_cell"] = outputs.person_cells(s)
        return s

    def apply_measures(self, s: YearState, p: PolicyYear) -> None:
        """The households' social-protection measures of the year, in order (each reads the ones before)."""
        services.apply(s, p)
        employee.apply(s, p)
        pension.apply(s, p)
        dibao.apply(s, p)
        pension.contributions(s, p)
        medical.apply(s, p)

    def _evaluate(self, p: PolicyYear) -> None:
        s = self.year_state()
        self.apply_measures(s, p)
        if not self.providers_placed:
            for market in (self.childcare, self.elderly, self.primary):
                market.place_initial_stock(s, p)
            self.providers_placed = True
        provider_rows = self.childcare.year(s, p, access=s.cols["migrant_access"])
        provider_rows += self.elderly.year(s, p)
        provider_rows += self.primary.year(s, p)
        self.state = s
        rows = outputs.collect(s, p) + provider_rows
        if self.year in self.household_years:
            self.households_kept[self.year] = pd.DataFrame(outputs.household_table(s))
        rows += self.demography_rows(p)
        self.rows.extend((self.year, g, m, v, u) for g, m, v, u in rows)

    def demography_rows(self, p: PolicyYear) -> list[tuple]:
        """Life expectancy of the year's mortality, and the year's vital events and moves."""
        scale = demography.mortality_scale(p, self.year, self.start_year)
        q = age_structure.death_probabilities(scale)
        srb = p["demography.sex_ratio_at_birth"]
        rows = [
            ("all", "life_expectancy", age_structure.life_expectancy_both(scale, srb), "years"),
            ("male", "life_expectancy", age_structure.life_expectancy(q[:, 0]), "years"),
            ("female", "life_expectancy", age_structure.life_expectancy(q[:, 1]), "years"),
        ]
        units = {"households_formed": "households"}
        for name in (
            "deaths",
            "births",
            "new_employee_pensioners",
            "urban_movers",
            "hukou_settlers",
            "households_formed",
        ):
            rows.append(
                ("all", name, self.last_vital.get(name, float("nan")), units.get(name, "persons"))
            )
        return rows

    def results_frame(self, scenario_name: str) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=["year", "group", "metric", "value", "unit"])
        df.insert(0, "seed", self.seed_value)
        df.insert(0, "scenario", scenario_name)
        return df[RESULT_COLUMNS]


@dataclass
class Results:
    """Tidy results of one run: `scenario, seed, year, group, metric, value, unit`."""

    scenario: str
    seed: int
    households: int
    frame: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)
    content_hash: str = ""
    # the households of the years asked for (`run_scenario(household_years=...)`), one row each
    households_by_year: dict[int, pd.DataFrame] = field(default_factory=dict)
    # the population was a copy of an earlier run's (`sample_cache`): `build_s` drew nothing
    population_reused: bool = False

    def value(self, metric: str, year: int, group: str = "all") -> float:
        """One number: e.g. ``value("medical_coverage", 2030)``."""
        sel = self.frame[
            (self.frame.metric == metric) & (self.frame.year == year) & (self.frame.group == group)
        ]
        if len(sel) != 1:
            raise KeyError(f"{metric}/{group}/{year}: {len(sel)} rows")
        return float(sel.value.iloc[0])

    def series(self, metric: str, group: str = "all") -> pd.Series:
        sel = self.frame[(self.frame.metric == metric) & (self.frame.group == group)]
        return sel.set_index("year").value


@contextmanager
def run_conditions() -> Iterator[None]:
    """What a run runs under (`run_scenario`, and the benchmarks that time the model): BLAS on
    one thread, since the model's sums are single dot products and threads only add overhead
    (and processes of a batch each take a core); freed memory kept for reuse (`model.memory`)."""
    with threadpool_limits(1), memory.kept_for_reuse():
        yield


@contextmanager
def agents_frozen() -> Iterator[None]:
    """The objects alive on entry (the model and its agents, which live for the whole run: about
    100,000 at a million households) left out of the garbage collector's searches for cycles."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run_scenario(
    scenario: Scenario,
    households: int | None = None,
    end_year: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    household_years: Iterable[int] = (),
) -> Results:
    """Run a scenario from its start year to `end_year` and return tidy results.

    Args:
        households: sample size (default: the scenario's `run.households`).
        end_year: last simulated year (default: the scenario's `run.end_year`).
        seed: the run's seed (default: the scenario's `run.seed`); same seed, same numbers.
        progress: called as progress(done_years, total_years) after each year.
        household_years: years whose households are kept in `Results.households_by_year`
            (`outputs.household_table`: weight, persons, income decile, disposable income, net
            benefit), to compare two runs household by household (`model.gains`).

    Raises:
        ResultsError: the results are not sound (`model.results_check`): nothing is returned.
    """
    t0 = time.perf_counter()
    with run_conditions():
        model = MinshengModel(scenario, households=households, seed=seed)
        model.household_years = set(household_years)
        t_build = time.perf_counter() - t0
        last = end_year or scenario.run.end_year
        total = last - scenario.run.start_year
        if progress:
            progress(0, total)
        with agents_frozen():
            for i in range(total):
                model.step()
                if progress:
                    progress(i + 1, total)
    frame = model.results_frame(scenario.name)
    results_check.check(frame, scenario.name, model.seed_value, model.n_households)
    t_all = time.perf_counter() - t0
    return Results(
        scenario=scenario.name,
        seed=model.seed_value,
        households=model.n_households,
        frame=frame,
        timings={"build_s": t_build, "total_s": t_all, "step_s": t_all - t_build},
        content_hash=scenario.content_hash(),
        households_by_year=model.households_kept,
        population_reused=model.population_reused,
    )
