"""Age and sex: the base-year population table and the age- and sex-specific rates of the step.

The 2010 census (``scenarios/data/census2010_age_sex.csv``, by single year of age and sex) is
carried forward one year at a time to the end of the base year:

- survivors move up one year of age under the census's own death rates by age and sex
  (``census2010_deaths.csv``), scaled so that the two sexes' life expectancies are the published
  2010 ones (72.38 and 77.37), then scaled down each year so that life expectancy follows its
  published path (74.83 in 2010, 77.93 in 2020, 79.0 in 2024; linear in between);
- each year's published births enter at age 0, split by the published sex ratio at birth;
- at the 2020 census the table is raked to the census's age groups and sex totals (which also
  corrects the 2010 census's known undercount of young children), and at the base year to the
  scenario's margins (total, men, 0-15, 60+ and 65+).

Within those groups the single-year shape is the cohorts' own, so the large 1962-1975 birth
cohorts reach 60 in the years they really do. All figures and their sources are in
``scenarios/data/population_history.yaml`` and the census files' headers.

The same death rates, scaled by ``demography.mortality_scale`` (fitted to life expectancy 79 in
2024) and falling by ``demography.mortality_decline`` a year, are the model's mortality; the
census's fertility by age of mother (``census2010_fertility.csv``) shapes who gives birth.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy.optimize import brentq

DATA = Path(__file__).resolve().parents[1] / "scenarios" / "data"
CENSUS_YEAR = 2010
OPEN_AGE = 100  # the census tables' last group is 100 and over
MAX_AGE = 110  # nobody lives past this age in the model
MALE, FEMALE = 0, 1
FERTILE_AGES = (15, 49)  # the census fertility table's ages


def _read_csv(name: str) -> np.ndarray:
    """A census table as floats (comment lines start with #; the first other line is the header)."""
    with open(DATA / name, encoding="utf-8") as f:
        rows = [r for r in csv.reader(line for line in f if not line.startswith("#"))]
    return np.array([[float(v) if v.strip() else 0.0 for v in r] for r in rows[1:]])


@lru_cache(maxsize=1)
def history() -> dict:
    """The published figures of ``population_history.yaml`` as {series: {key: value}}."""
    raw = yaml.safe_load((DATA / "population_history.yaml").read_text(encoding="utf-8"))
    return {
        name: {k: float(v["value"]) for k, v in block["values"].items()}
        for name, block in raw.items()
    }


@dataclass(frozen=True)
class CensusTables:
    """The 2010 census tables the model is built on."""

    population: np.ndarray  # (OPEN_AGE + 1, 2) persons by age and sex, 1 Nov 2010
    death_rate: (
        np.ndarray
    )  # (MAX_AGE + 1, 2) deaths per person-year, ages past 100 at the 100+ rate
    fertility: np.ndarray  # (MAX_AGE + 1,) births per woman-year by age of mother (0 outside 15-49)


@lru_cache(maxsize=1)
def census() -> CensusTables:
    """Read the census tables once."""
    pop = _read_csv("census2010_age_sex.csv")
    deaths = _read_csv("census2010_deaths.csv")
    fert = _read_csv("census2010_fertility.csv")
    rate = np.empty((MAX_AGE + 1, 2))
    rate[: OPEN_AGE + 1] = deaths[:, 8:10] / 1000.0
    rate[OPEN_AGE + 1 :] = rate[OPEN_AGE]
    fertility = np.zeros(MAX_AGE + 1)
    fertility[fert[:, 0].astype(int)] = fert[:, 3] / 1000.0
    return CensusTables(population=pop[:, 2:4].copy(), death_rate=rate, fertility=fertility)


def life_expectancy(q: np.ndarray) -> float:
    """Period life expectancy at birth (years) of annual death probabilities q by age 0..MAX_AGE."""
    survive = np.cumprod(np.r_[1.0, 1.0 - q[:-1]])
    return float(np.sum(survive * (1.0 - q / 2.0)))


@lru_cache(maxsize=1)
def sex_factors() -> tuple[float, float]:
    """Multipliers of the census death rates that give the published 2010 life expectancy by sex.

    Census deaths are under-reported (the raw rates give 75.6 and 80.4 years), so each sex's
    rates are scaled up until they give the published 72.38 and 77.37.
    """
    rate = census().death_rate
    le = history()["life_expectancy_2010_by_sex"]
    out = []
    for s, target in ((MALE, le["male"]), (FEMALE, le["female"])):
        out.append(
            brentq(
                lambda k, s=s, t=target: life_expectancy(1 - np.exp(-k * rate[:, s])) - t, 0.2, 5.0
            )
        )
    return out[0], out[1]


def death_probabilities(scale: float) -> np.ndarray:
    """Annual death probability by age (0..MAX_AGE) and sex at `scale` times the 2010 level.

    `scale` = 1 is the 2010 schedule (life expectancy 72.38 men, 77.37 women); the model's
    `demography.mortality_scale` is fitted to life expectancy 79 in 2024. Everyone at MAX_AGE dies.
    """
    k = np.array(sex_factors())
    q = 1.0 - np.exp(-scale * k[None, :] * census().death_rate)
    q[MAX_AGE] = 1.0
    return q


def boys_share(sex_ratio_at_birth: float) -> float:
    """Share of births that are boys, from the sex ratio at birth (boys per 100 girls)."""
    return sex_ratio_at_birth / (100.0 + sex_ratio_at_birth)


def life_expectancy_both(scale: float, sex_ratio_at_birth: float) -> float:
    """Life expectancy at birth of both sexes together (a birth cohort with that sex ratio), years."""
    q = death_probabilities(scale)
    b = boys_share(sex_ratio_at_birth)
    return b * life_expectancy(q[:, MALE]) + (1 - b) * life_expectancy(q[:, FEMALE])


def scale_for_life_expectancy(target: float, sex_ratio_at_birth: float) -> float:
    """The mortality scale at which both sexes' life expectancy is `target` years."""
    return brentq(lambda s: life_expectancy_both(s, sex_ratio_at_birth) - target, 0.05, 3.0)


def _interpolate(points: dict, year: int) -> float:
    """Linear interpolation of {year: value} (held flat outside the first and last years)."""
    xs = sorted(int(k) for k in points)
    return float(np.interp(year, xs, [points[x] for x in xs]))


def rake_table(
    table: np.ndarray, groups: list[tuple[int, int, float]], men: float, women: float
) -> np.ndarray:
    """Scale an (age, sex) table so that age groups and sex totals hit their targets (IPF).

    Args:
        groups: (first age, last age, persons) covering every age once.
        men, women: persons.
    """
    t = table.copy()
    for _ in range(200):
        for lo, hi, target in groups:
            t[lo : hi + 1] *= target / t[lo : hi + 1].sum()
        t[:, MALE] *= men / t[:, MALE].sum()
        t[:, FEMALE] *= women / t[:, FEMALE].sum()
        err = max(abs(t[lo : hi + 1].sum() / target - 1) for lo, hi, target in groups)
        if err < 1e-12:
            break
    return t


def age_one_year(table: np.ndarray, q: np.ndarray, births: float, boys: float) -> np.ndarray:
    """The (age, sex) table a year later: survivors one year older, births at age 0.

    Newborns face half a year of infant mortality before the year ends.
    """
    survivors = table * (1.0 - q)
    out = np.zeros_like(table)
    out[1:] = survivors[:-1]
    out[-1] += survivors[-1]
    out[0] = births * np.array([boys, 1 - boys]) * (1.0 - q[0] / 2.0)
    return out


@lru_cache(maxsize=8)
def base_year_table(
    year: int, total: float, men: float, age_0_15: float, age_60_plus: float, age_65_plus: float
) -> np.ndarray:
    """Persons by single year of age (0..MAX_AGE) and sex at the end of `year`, raked to the margins.

    The 2010 census carried forward with the published births and life expectancy, raked at the
    2020 census and at `year` (see the module docstring). Read-only.
    """
    h = history()
    table = np.zeros((MAX_AGE + 1, 2))
    table[: OPEN_AGE + 1] = census().population
    for y in range(CENSUS_YEAR + 1, year + 1):
        srb = _interpolate(h["sex_ratio_at_birth"], y)
        scale = scale_for_life_expectancy(_interpolate(h["life_expectancy"], y), srb)
        table = age_one_year(table, death_probabilities(scale), h["births"][y], boys_share(srb))
        if y == 2020:
            c = h["census_2020"]
            table = rake_table(
                table,
                [
                    (0, 14, c["age_0_14"]),
                    (15, 59, c["age_15_59"]),
                    (60, 64, c["age_60_plus"] - c["age_65_plus"]),
                    (65, MAX_AGE, c["age_65_plus"]),
                ],
                c["male"],
                c["female"],
            )
    groups = [
        (0, 15, age_0_15),
        (16, 59, total - age_0_15 - age_60_plus),
        (60, 64, age_60_plus - age_65_plus),
        (65, MAX_AGE, age_65_plus),
    ]
    table = rake_table(table, groups, men, total - men)
    table.setflags(write=False)
    return table


def fertility_by_age() -> np.ndarray:
    """Relative fertility by age of mother, 0..MAX_AGE (2010 census rates; zero outside 15-49)."""
    return census().fertility
