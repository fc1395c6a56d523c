"""Checks across parameters: values each within its range that together cannot be meant.

`model.registry` bounds each parameter on its own; these rules bound combinations, so that a
scenario the loader accepts is one the model can run and that means something. Each rule is
checked in every year in which a value changes (the start year and every dated year), and a
problem names the parameters, the year, the values found and the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model.scenario import Scenario

Values = Callable[[str], float]
Finding = tuple[str, str, str]  # (parameters, found, allowed)


def _tiers(v: Values) -> Iterator[Finding]:
    """The lowest resident-pension contribution tier is below the high tier."""
    low, high = v("pension.resident_low_tier"), v("pension.resident_high_tier")
    if not low < high:
        yield (
            "pension.resident_low_tier, pension.resident_high_tier",
            f"low tier {low:g} and high tier {high:g} yuan/person/year",
            "a low tier below the high tier",
        )


def _mean_income(v: Values) -> Iterator[Finding]:
    """The national mean income lies between the urban and the rural mean."""
    mean, urban, rural = v("income.mean_all"), v("income.mean_urban"), v("income.mean_rural")
    if not min(urban, rural) <= mean <= max(urban, rural):
        yield (
            "income.mean_all",
            f"{mean:g} with an urban mean of {urban:g} and a rural mean of {rural:g}",
            "a national mean between the urban and the rural means",
        )


STOCKS = (  # (capacity, institutions, what the capacity is)
    ("childcare.slots", "childcare.institutions", "slots"),
    ("elderly.institution_beds", "elderly.institutions", "beds"),
    ("elderly.integrated_beds", "elderly.integrated_institutions", "beds"),
)


def _institutions(v: Values) -> Iterator[Finding]:
    """Capacity and institutions exist together, with at least one place per institution."""
    for cap_name, inst_name, unit in STOCKS:
        cap, inst = v(cap_name), v(inst_name)
        if (cap > 0) != (inst > 0) or inst > cap:
            yield (
                f"{cap_name}, {inst_name}",
                f"{cap:g} {unit} in {inst:g} institutions",
                f"institutions > 0 when {unit} > 0 (and none without), at most one institution "
                f"per {unit[:-1]}",
            )


def _integrated(v: Values) -> Iterator[Finding]:
    """Integrated (medical-elderly) beds are nursing beds: no more than the nursing-type beds."""
    integrated = v("elderly.integrated_beds")
    nursing = v("elderly.institution_beds") * v("elderly.nursing_share")
    if integrated > nursing:
        yield (
            "elderly.integrated_beds",
            f"{integrated:g} beds with {nursing:g} nursing-type beds "
            "(elderly.institution_beds x elderly.nursing_share)",
            "integrated beds at most the nursing-type beds",
        )


def _counties(v: Values) -> Iterator[Finding]:
    """Counties with a medical community are among the county-level units."""
    medcom, units = v("primary.medcom_counties"), v("primary.county_units")
    if medcom > units:
        yield (
            "primary.medcom_counties",
            f"{medcom:g} counties with a medical community of {units:g} county-level units",
            "at most primary.county_units",
        )


def _retirement(v: Values) -> Iterator[Finding]:
    """The retirement-age law raises each statutory age (its target is not below the original)."""
    for group in ("men", "women55", "women50"):
        original = v(f"retirement.{group}_original_age")
        target = v(f"retirement.{group}_target_age")
        if target < original:
            yield (
                f"retirement.{group}_target_age",
                f"{target:g} years, below the original age {original:g}",
                f"a target age of at least retirement.{group}_original_age (the law raises it)",
            )


RULES = (_tiers, _mean_income, _institutions, _integrated, _counties, _retirement)


def check_years(scenario: Scenario) -> list[int]:
    """The years in which some value of the scenario changes (from the start year on)."""
    start = scenario.run.start_year
    years = {start}
    for series in scenario.params.values():
        years.update(v.year for v in series if v.year > start)
    return sorted(years)


def inconsistencies(scenario: Scenario) -> list[tuple[str, str, str, str]]:
    """Every broken rule as (file, key, found, allowed); the key names the parameters and year."""
    out = []
    seen: set[tuple[str, str]] = set()
    for year in check_years(scenario):

        def value(name: str, year: int = year) -> float:
            return scenario.value(name, year)

        for rule in RULES:
            for params, found, allowed in rule(value):
                if (params, allowed) in seen:  # the same rule broken again later: once is enough
                    continue
                seen.add((params, allowed))
                out.append((scenario.path, f"parameters.{params} in {year}", found, allowed))
    return out
