"""The published figures of each province, from ``scenarios/data/provinces.yaml``.

One entry per province, every value with its source (population, urban share, share aged 60+,
per-capita disposable income, dibao, resident and employee pensions). This module reads the table
strictly and derives what the population build needs: the sample's allocation over provinces, the
raking margins and each province's income level.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from model.provinces import INDEX, KEYS, PROVINCES
from model.scenario import ScenarioError, Source, validation_problems

DATA = Path(__file__).resolve().parents[1] / "scenarios" / "data" / "provinces.yaml"

_STRICT = ConfigDict(extra="forbid")


class Figure(BaseModel):
    """One published figure of a province: the value (in the field's unit), its year, its source."""

    model_config = _STRICT
    value: float
    year: int | None = Field(None, ge=2000, le=2100)
    source: Source


class ProvinceRow(BaseModel):
    """A province's entry in provinces.yaml. Units: persons, shares (0-1), yuan/person/year for
    incomes, yuan/person/month for standards and pensions, yuan/year for fund spending."""

    model_config = _STRICT
    code: int
    name: str
    region: Literal["east", "central", "west", "northeast"]
    fiscal_tier: int = Field(ge=1, le=5)  # 国办发〔2018〕67号 tier (central share of shared items)
    population: Figure
    urban_share: Figure | None = None
    age_60_plus_share_2020: Figure | None = None
    age_60_plus_share_latest: Figure | None = None
    income_all: Figure | None = None
    income_urban: Figure | None = None
    income_rural: Figure | None = None
    dibao_standard_urban: Figure | None = None
    dibao_standard_rural: Figure | None = None
    dibao_standard_rural_year: Figure | None = None
    dibao_recipients_urban: Figure | None = None
    dibao_recipients_rural: Figure | None = None
    resident_basic_pension: Figure | None = None
    resident_pension_recipients: Figure | None = None
    resident_pension_expenditure: Figure | None = None
    employee_pension_retirees: Figure | None = None
    employee_pension_expenditure: Figure | None = None


class ProvinceTable(BaseModel):
    model_config = _STRICT
    provinces: dict[str, ProvinceRow]


@cache
def table(path: Path = DATA) -> dict[str, ProvinceRow]:
    """The provinces' published figures, validated (every value has a source), in PROVINCES order.

    Raises ScenarioError naming the file and key when the table is malformed or a province is
    missing or unknown.
    """
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where built
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        rows = ProvinceTable.model_validate(raw).provinces
    except ValidationError as exc:
        raise ScenarioError(validation_problems(path, exc))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError([(str(path), "-", type(exc).__name__, "a readable YAML table")])
    problems = [
        (str(path), f"provinces.{k}", "an unknown province", "one of " + ", ".join(KEYS))
        for k in rows
        if k not in INDEX
    ] + [
        (str(path), f"provinces.{k}", "nothing (missing)", "an entry for every province")
        for k in KEYS
        if k not in rows
    ]
    for p in PROVINCES:
        row = rows.get(p.key)
        if row is not None and (row.code != p.code or row.region != p.region):
            problems.append(
                (
                    str(path),
                    f"provinces.{p.key}",
                    f"code {row.code}, region {row.region}",
                    f"code {p.code}, region {p.region}",
                )
            )
    if problems:
        raise ScenarioError(problems)
    return {k: rows[k] for k in KEYS}


def values(field: str) -> np.ndarray:
    """One figure of every province (NaN where the table has none), in PROVINCES order."""
    rows = table()
    return np.array(
        [getattr(rows[k], field).value if getattr(rows[k], field) else np.nan for k in KEYS]
    )


# ---------------------------------------------------------------- what the population build needs

# Square-root allocation (Kish): a province's share of the sample is proportional to the square
# root of its population, so small provinces get enough households for usable figures while the
# national design effect stays small; weights undo the oversampling.
ALLOCATION_POWER = 0.5
# NBS's national 60+ share in the years provinces published theirs: the 2020 census and end 2024
# (public-facts.md); a year between is interpolated (an assumption: the share rose steadily).
NATIONAL_60_PLUS_SHARE = {2020: 0.1870, 2024: 0.2203}


def sample_shares() -> np.ndarray:
    """Each province's share of the sampled households (square-root allocation), sums to one."""
    w = values("population") ** ALLOCATION_POWER
    return w / w.sum()


def population_margins(national_total: float) -> np.ndarray:
    """Persons per province, scaled to the national total (persons).

    The provinces' published figures add up to 0.15% less than the national total, which also
    counts the armed forces and some provinces' figures are of earlier years; each is scaled by the
    same factor so that the margins agree with the national one.
    """
    pop = values("population")
    return pop * (national_total / pop.sum())


def urban_margins(population: np.ndarray, national_urban: float) -> np.ndarray:
    """Urban residents per province (persons), adding up to the national urban total.

    Provinces with a published urban share get it; a province without one gets its region's
    population-weighted share (an assumption, listed in scenarios/SCOPE.md). All are then scaled by
    one factor so that they add up to the national total (the shares are of different years).
    """
    share = values("urban_share")
    for region in set(p.region for p in PROVINCES):
        mine = np.array([p.region == region for p in PROVINCES])
        known = mine & ~np.isnan(share)
        share[mine & np.isnan(share)] = np.average(share[known], weights=population[known])
    urban = share * population
    return np.minimum(urban * (national_urban / urban.sum()), population)


def employee_pensioner_margins(national: float) -> np.ndarray:
    """Employee pensioners per province (persons), adding up to the national count.

    The provinces' retirees of the employee scheme at the end of 2024 (China Statistical Yearbook
    2025, table 24-26; 41.1万 retirees are not assigned to a province there), scaled to the
    national figure.
    """
    retirees = values("employee_pension_retirees")
    return retirees * (national / retirees.sum())


def _national_60_share(year: int) -> float:
    years = sorted(NATIONAL_60_PLUS_SHARE)
    return float(np.interp(year, years, [NATIONAL_60_PLUS_SHARE[y] for y in years]))


def age_60_plus_margins(population: np.ndarray, national_60_plus: float) -> np.ndarray:
    """Persons aged 60+ per province, adding up to the national total (persons).

    Each province's published share (the latest year found, else the 2020 census) relative to the
    nation's share of that year, applied to its population; a province without any figure ages as
    the nation (relative share one). The margins are then scaled to the national total.
    """
    rows = table()
    rel = np.ones(len(KEYS))
    for i, k in enumerate(KEYS):
        fig = rows[k].age_60_plus_share_latest or rows[k].age_60_plus_share_2020
        if fig is not None:
            rel[i] = fig.value / _national_60_share(fig.year or 2020)
    m = rel * population
    return m * (national_60_plus / m.sum())


# National per-capita disposable income (all, urban, rural; yuan/person/year) of the years the
# provinces' figures are of: 2024 from public-facts.md ("disposable income, all / urban / rural |
# 41,314 / 54,188 / 23,119"); 2023 from NBS as reported by China News Service, 17 January 2024
# ("2023年,全国居民人均可支配收入39218元 … 城镇居民人均可支配收入51821元 … 农村居民人均可支配收入
# 21691元"; stored copy http://223.94.76.10:9001/api/show.php?d8cw=Cf.html).
NATIONAL_INCOME = {2023: (39218.0, 51821.0, 21691.0), 2024: (41314.0, 54188.0, 23119.0)}


def income_levels(urban: np.ndarray, rural: np.ndarray) -> np.ndarray:
    """(provinces, 2) income level of each province's rural [0] and urban [1] residents relative
    to the national means.

    Args:
        urban, rural: persons per province living in urban and in rural areas (the margins).

    A province's published urban and rural means (of 2023 or 2024) give their ratios to the
    national means of the same year. A province publishing only its all-resident mean gets one
    ratio for both areas: that mean over the national mean adjusted to its urban share (with the
    national urban/rural ratio, as `model.income.area_means` does). A province publishing
    neither is at the national level (an assumption, listed in scenarios/SCOPE.md). The levels
    are then scaled in each area so that their population-weighted mean is one.
    """
    rows = table()
    national_share = urban.sum() / (urban.sum() + rural.sum())
    total = urban + rural
    # a province with no household sampled (only at a few hundred households) takes the nation's
    share = np.divide(urban, total, out=np.full(len(total), national_share), where=total > 0)
    level = np.ones((len(KEYS), 2))
    for i, k in enumerate(KEYS):
        row = rows[k]
        figs = (row.income_rural, row.income_urban, row.income_all)
        year = next((f.year for f in figs if f is not None), None)
        if year is None:
            continue
        nat_all, nat_urban, nat_rural = NATIONAL_INCOME[year]
        ratio = nat_urban / nat_rural
        expected_all = nat_all * (share[i] * ratio + 1 - share[i])
        expected_all /= national_share * ratio + 1 - national_share
        for a, fig, nat in ((0, row.income_rural, nat_rural), (1, row.income_urban, nat_urban)):
            if fig is not None:
                level[i, a] = fig.value / nat
            elif row.income_all is not None:
                level[i, a] = row.income_all.value / expected_all
    for a, persons in ((0, rural), (1, urban)):
        level[:, a] *= persons.sum() / (persons @ level[:, a])
    return level


# ---------------------------------------------------------------- the baseline's provincial values

DIBAO_FIELDS = {"urban": "dibao_standard_urban", "rural": "dibao_standard_rural"}
# national average dibao standards, end 2024, yuan/person/month (public-facts.md: "dibao (低保)
# average standard, end 2024, yuan/person/month | urban 798.1 · rural 593.9")
NATIONAL_DIBAO_STANDARD = {"urban": 798.1, "rural": 593.9}


# The central government's shares of shared measures, by region: the published rules (the
# provinces' own shares, where they differ from their region's, were not found; scenarios/SCOPE.md).
_PENSION_RULE = "100% in central and western regions, 50% in eastern regions"
_MEDICAL_EAST = "a smaller share (10–50%) for each eastern province"
_MEDICAL_REST = "commonly cited as 80% in western and 60% in central regions"
CENTRAL_SHARE_RULES: dict[str, dict[str, tuple[float, str, str | None]]] = {
    # parameter prefix -> region -> (share, the quote of public-facts.md, a note)
    "pension.minimum_central_share": {
        "east": (0.5, _PENSION_RULE, None),
        "central": (1.0, _PENSION_RULE, None),
        "west": (1.0, _PENSION_RULE, None),
        "northeast": (1.0, _PENSION_RULE, "the northeast is treated as a central region"),
    },
    "medical.subsidy_central_share": {
        "east": (0.3, _MEDICAL_EAST, "midpoint of 10-50%"),
        "central": (0.6, _MEDICAL_REST, None),
        "west": (0.8, _MEDICAL_REST, None),
        "northeast": (0.6, _MEDICAL_REST, "the northeast is treated as a central region"),
    },
}


def central_shares() -> dict[str, tuple[float, dict]]:
    """Each province's central shares of the resident pension minimum and of the resident
    medical subsidy: its region's rule, with the rule's source and a note naming the region."""
    out: dict[str, tuple[float, dict]] = {}
    for prefix, rule in CENTRAL_SHARE_RULES.items():
        for prov in PROVINCES:
            region = prov.region
            share, quote, note = rule[region]
            where = f"{prov.name_zh} is in the {region} region"
            out[f"{prefix}.{prov.key}"] = (
                share,
                {
                    "document": "public-facts.md",
                    "quote": quote,
                    "note": f"{where}; {note}" if note else where,
                },
            )
    return out


def baseline_parameters(p: dict[str, float]) -> dict[str, tuple[float, dict]]:
    """The baseline's per-province values (base year) with their sources, from the table.

    `p`: the base-year values of the national parameters (`pension.resident_minimum`,
    `population.total`, `population.urban_share`). Returns {parameter name: (value, source as a mapping)}.

    - dibao standards: the province's published average standard where found; otherwise the
      national average times the province's income level in the area (standards follow local
      consumption), an assumption.
    - resident pension above the minimum: the province's resident-fund spending over its
      recipients (China Statistical Yearbook 2025, table 24-27), a month, less the national
      minimum of the base year.
    """
    rows = table()
    total = p["population.total"]
    persons = population_margins(total)
    urban = urban_margins(persons, p["population.urban_share"] * total)
    level = income_levels(urban, persons - urban)
    out: dict[str, tuple[float, dict]] = {}
    for i, prov in enumerate(PROVINCES):
        row = rows[prov.key]
        for a, area in enumerate(("rural", "urban")):
            fig = getattr(row, DIBAO_FIELDS[area])
            national = NATIONAL_DIBAO_STANDARD[area]
            if fig is not None:
                src = fig.source.model_dump(exclude_none=True)
                out[f"dibao.standard_{area}.{prov.key}"] = (fig.value, src)
                continue
            yearly = row.dibao_standard_rural_year if area == "rural" else None
            if yearly is not None:  # published per year: a twelfth a month
                src = yearly.source.model_dump(exclude_none=True)
                src["note"] = f"{src.get('note', '')}; {yearly.value:g} a year / 12".lstrip("; ")
                out[f"dibao.standard_{area}.{prov.key}"] = (round(yearly.value / 12, 1), src)
                continue
            value = round(national * level[i, a], 1)
            out[f"dibao.standard_{area}.{prov.key}"] = (
                value,
                {
                    "assumption": f"no published average {area} dibao standard of {prov.name_zh}"
                    f" was found (scenarios/SCOPE.md): the national average {national:g}"
                    f" (public-facts.md) times the province's {area} income level"
                    f" {level[i, a]:.3f} (model/province_data.py income_levels, from"
                    " scenarios/data/provinces.yaml), as standards follow local consumption"
                    " (003_37f00649db5601d2.txt: 与城乡居民人均消费支出挂钩)"
                },
            )
        rec, spend = row.resident_pension_recipients, row.resident_pension_expenditure
        average = spend.value / rec.value / 12
        value = round(average - p["pension.resident_minimum"], 1)
        out[f"pension.resident_provincial.{prov.key}"] = (
            value,
            {
                "citation": spend.source.citation,
                "says": spend.source.says,
                "note": f"resident-fund spending {spend.value / 1e8:g}亿 over {rec.value / 1e4:g}万"
                f" recipients is {average:.1f} yuan a month; less the national minimum of"
                f" {p['pension.resident_minimum']:g}. The spending includes funeral grants and"
                " transfers (as the national average of 245.8 does)",
            },
        )
    out.update(central_shares())
    return out
