"""The closed list of scenario parameters: name, unit, allowed range and meaning.

A scenario may only set parameters listed here, in the unit listed here, within the range
listed here. The loader (`model.scenario`) enforces it; the baseline must give every one.
Region-specific parameters carry the region as the last part of the name. Every value within
its range, in any combination the rules of `model.consistency` allow, runs (tested by
tests/test_fuzz.py); a unit ``share`` is a fraction from 0 to 1.

The population margins are the base year's published figures (`PUBLISHED_2024`, the values and
sources of scenarios/baseline.yaml) within a band: the synthetic population is raked to all of
them at once, and the census age structure, the household templates and the employment priors
can meet them together only near the published values. Within 5% of each count (2% for the
total and for men: the number of women moves with both), 0.05 of each share and 0.03 of the
unemployment rate, every combination of the bands' ends was raked at 300, 3,000 and 20,000
households (450 combinations, 0 failures); at 10% and 0.08 one combination in eight failed
(e.g. more employed than people of working age). Each region holds at least 3% of the people,
so that a sample of a few hundred households has households in every region.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.provinces import KEYS as PROVINCE_KEYS

UNITS: dict[str, str] = {
    "yuan/month": "yuan per person per month",
    "yuan/person/month": "yuan per person per month",
    "yuan/person/year": "yuan per person per year",
    "share": "a fraction between 0 and 1 (never a percent)",
    "rate/year": "a fraction per year (growth or hazard), may be negative",
    "persons": "number of people (national, weighted)",
    "households": "number of households (national, weighted)",
    "years": "age or duration in years",
    "year": "a calendar year",
    "months": "a number of months",
    "per 100": "a ratio per 100 (boys per 100 girls)",
    "per 1,000": "a number per 1,000 people",
    "share/year": "a change of a share per year (e.g. 0.008 = 0.8 percentage points a year)",
    "persons/year": "persons per year (national, weighted)",
    "coefficient": "a dimensionless coefficient of a behavioural equation",
    "logit": "a shift on the log-odds scale",
    "items": "number of items (of the 81 national basic public-service items)",
    "multiple": "a multiple of another quantity (x times)",
    "ratio": "a ratio of two amounts, or a relative change (0.1 = +10%); may exceed 1",
    "yuan/year": "yuan per year (national total)",
    "slots": "childcare places (national count)",
    "beds": "elderly-care beds (national count)",
    "places": "community day-care places (national count)",
    "institutions": "number of institutions (national count)",
    "counties": "number of county-level units",
    "slots/year": "childcare places added per year",
    "beds/year": "elderly-care beds added per year",
    "places/year": "day-care places added per year",
    "yuan/slot": "yuan per childcare place (one-off)",
    "yuan/bed": "yuan per bed or place (one-off)",
    "yuan/slot/year": "yuan per childcare place per year",
    "yuan/bed/year": "yuan per bed per year",
    "yuan/visit": "yuan per outpatient visit",
    "visits/person/year": "outpatient visits per person per year",
}


@dataclass(frozen=True)
class ParamSpec:
    """What one parameter is: its unit, allowed range and a one-line meaning.

    `uprated_by` names a growth parameter (rate/year): in the years after its latest dated value
    the parameter grows by that rate each year (a dated value resets the level).
    """

    unit: str
    lo: float
    hi: float
    doc: str
    uprated_by: str | None = None


def _provincial(
    prefix: str, unit: str, lo: float, hi: float, doc: str, uprated_by: str | None = None
) -> dict[str, ParamSpec]:
    """One parameter per province, `<prefix>.<pinyin>` (model/provinces.py)."""
    return {
        f"{prefix}.{k}": ParamSpec(unit, lo, hi, f"{doc} ({k})", uprated_by) for k in PROVINCE_KEYS
    }


def provincial_prefixes() -> list[str]:
    """The prefixes of the per-province parameters (`<prefix>.<pinyin>`)."""
    keys = set(PROVINCE_KEYS)
    return sorted({n.rsplit(".", 1)[0] for n in REGISTRY if n.rsplit(".", 1)[-1] in keys})


# the base-year (2024) margins of scenarios/baseline.yaml, where each has its source
PUBLISHED_2024 = {
    "population.total": 1_408_280_000,
    "population.male": 719_090_000,
    "population.age_0_15": 239_990_000,
    "population.age_60_plus": 310_310_000,
    "population.age_65_plus": 220_230_000,
    "population.urban_share": 0.67,
    "population.urban_hukou_share": 0.483,
    "population.migrants": 375_820_000,
    "population.households": 510_890_000,
    "population.employed": 734_390_000,
    "population.employed_urban": 473_450_000,
    "population.flexible_workers": 200_000_000,
    "population.urban_unemployment_rate": 0.051,
    "population.employee_pensioners": 147_390_000,
    "population.disabled_elderly_share": 0.116,
}
COUNT_BAND = 0.05  # counts: within 5% of the published value
TOTAL_BAND = 0.02  # the total and men
SHARE_BAND = 0.05  # shares: within 0.05
UNEMPLOYMENT_BAND = 0.03


def _margin(name: str, unit: str, doc: str) -> ParamSpec:
    """A population margin: the published base-year value within its band (module docstring)."""
    v = PUBLISHED_2024[name]
    if unit == "share":
        band = UNEMPLOYMENT_BAND if name.endswith("unemployment_rate") else SHARE_BAND
        lo, hi = v - band, v + band
    else:
        band = TOTAL_BAND if name in ("population.total", "population.male") else COUNT_BAND
        lo, hi = v * (1 - band), v * (1 + band)
    return ParamSpec(unit, round(lo, 6), round(hi, 6), doc)


REGISTRY: dict[str, ParamSpec] = {
    # --- population margins (weighted national totals the synthetic population is raked to)
    "population.total": _margin(
        "population.total", "persons", "resident population, end of base year"
    ),
    "population.male": _margin(
        "population.male", "persons", "men (the rest of the total are women)"
    ),
    "population.age_0_15": _margin("population.age_0_15", "persons", "people aged 0-15"),
    "population.age_60_plus": _margin(
        "population.age_60_plus", "persons", "people aged 60 and over"
    ),
    "population.age_65_plus": _margin(
        "population.age_65_plus", "persons", "people aged 65 and over"
    ),
    "population.urban_share": _margin(
        "population.urban_share", "share", "share living in urban areas, end of base year"
    ),
    "population.urbanisation_gain": ParamSpec(
        "share/year",
        0,
        0.05,
        "rise of the urban share in the year (rural households move to towns)",
    ),
    "population.hukou_settlement": ParamSpec(
        "persons/year", 0, 1e8, "migrants in towns who obtain a local urban hukou in the year"
    ),
    "population.urban_hukou_share": _margin(
        "population.urban_hukou_share", "share", "share with an urban (non-agricultural) hukou"
    ),
    "population.migrants": _margin(
        "population.migrants", "persons", "people living away from their hukou place"
    ),
    "population.households": _margin("population.households", "households", "family households"),
    "population.employed": _margin("population.employed", "persons", "employed persons"),
    "population.employed_urban": _margin(
        "population.employed_urban", "persons", "employed persons in urban areas"
    ),
    "population.flexible_workers": _margin(
        "population.flexible_workers", "persons", "flexible / new-form workers"
    ),
    "population.urban_unemployment_rate": _margin(
        "population.urban_unemployment_rate", "share", "surveyed urban unemployment"
    ),
    "population.employee_pensioners": _margin(
        "population.employee_pensioners", "persons", "retirees drawing an employee-scheme pension"
    ),
    "population.disabled_elderly_share": _margin(
        "population.disabled_elderly_share",
        "share",
        "disabled or semi-disabled share of people 60+",
    ),
    # --- income
    "income.mean_all": ParamSpec(
        "yuan/person/year", 1e3, 1e6, "mean per-capita disposable income, all residents"
    ),
    "income.mean_urban": ParamSpec(
        "yuan/person/year",
        1e3,
        1e6,
        "mean per-capita disposable income, urban residents (its ratio to the rural mean is used)",
    ),
    "income.mean_rural": ParamSpec(
        "yuan/person/year",
        1e3,
        1e6,
        "mean per-capita disposable income, rural residents (its ratio to the urban mean is used)",
    ),
    **{
        f"income.dagum_{k}_{area}": ParamSpec(
            "coefficient", lo, 20.0, f"Dagum shape {k} of per-capita income, {area} households"
        )
        for area in ("urban", "rural")
        for k, lo in (("a", 1.05), ("p", 0.05))  # a > 1 keeps the mean finite
    },
    "income.nominal_growth": ParamSpec(
        "rate/year", -0.2, 0.3, "nominal growth of per-capita income"
    ),
    "income.consumption_ratio_urban": ParamSpec(
        "ratio", 0, 1.5, "per-capita consumption / disposable income, urban"
    ),
    "income.consumption_ratio_rural": ParamSpec(
        "ratio", 0, 1.5, "per-capita consumption / disposable income, rural"
    ),
    # --- demography
    "demography.births": ParamSpec("persons", 0, 3e7, "births in the year"),
    "demography.mortality_scale": ParamSpec(
        "coefficient",
        0.05,
        3,
        "death rates by age and sex relative to the 2010 census schedule, in the base year",
    ),
    "demography.mortality_decline": ParamSpec(
        "rate/year", 0, 0.1, "yearly fall of death rates at every age (mortality improvement)"
    ),
    "demography.sex_ratio_at_birth": ParamSpec("per 100", 90, 130, "boys born per 100 girls"),
    "demography.household_formation": ParamSpec(
        "share",
        0,
        1,
        "share of adults aged 20-34 living with a parent who set up their own household in a year",
    ),
    # --- the retirement-age law (employee schemes)
    "retirement.law_start_year": ParamSpec(
        "year", 2025, 2100, "first year of the gradual raise of the statutory retirement age"
    ),
    **{
        f"retirement.{g}_original_age": ParamSpec(
            "years", 45, 70, f"statutory retirement age before the law ({label})"
        )
        for g, label in (
            ("men", "men"),
            ("women55", "women cadres: 55"),
            ("women50", "women workers: 50"),
        )
    },
    **{
        f"retirement.{g}_target_age": ParamSpec(
            "years", 45, 70, f"statutory retirement age the law raises it to ({label})"
        )
        for g, label in (("men", "men"), ("women55", "women cadres"), ("women50", "women workers"))
    },
    **{
        f"retirement.{g}_months_per_step": ParamSpec(
            "months", 1, 24, f"months of birth per month of delay ({label})"
        )
        for g, label in (("men", "men"), ("women55", "women cadres"), ("women50", "women workers"))
    },
    "retirement.women_original_55_share": ParamSpec(
        "share",
        0,
        1,
        "share of women whose original statutory retirement age is 55 (cadres), not 50",
    ),
    "retirement.minimum_contribution_years": ParamSpec(
        "years", 0, 40, "contribution years needed for a monthly employee pension"
    ),
    # --- pensions
    "pension.resident_pension_age": ParamSpec(
        "years", 50, 70, "age from which the resident basic pension is paid"
    ),
    "pension.contribution_density_formal": ParamSpec(
        "share", 0, 1, "share of years since age 20 a formal employee has contributed (base year)"
    ),
    "pension.contribution_density_other": ParamSpec(
        "share",
        0,
        1,
        "share of years since age 20 others of working age have contributed (base year)",
    ),
    "pension.resident_minimum": ParamSpec(
        "yuan/month", 0, 2000, "resident basic pension, national minimum"
    ),
    **_provincial(
        "pension.resident_provincial",
        "yuan/month",
        0,
        5000,
        "average resident pension above the national minimum (provincial basic pension and"
        " personal account)",
    ),
    "pension.resident_account": ParamSpec(
        "yuan/month",
        0,
        5000,
        "average personal-account part of the resident pension (from past contributions)",
    ),
    "pension.employee_reference_years": ParamSpec(
        "years",
        5,
        45,
        "contribution years at which a new retiree on average pay gets the average employee pension",
    ),
    "pension.employee_wage_spread": ParamSpec(
        "coefficient",
        0,
        1.5,
        "log-sd of employee pensions from differences in pay (at equal records)",
    ),
    "pension.employee_average": ParamSpec(
        "yuan/month", 0, 20000, "average employee-scheme pension in the base year"
    ),
    "pension.employee_raise": ParamSpec(
        "rate/year", -0.1, 0.2, "annual raise of retirees' basic pension"
    ),
    **_provincial(
        "pension.minimum_central_share", "share", 0, 1, "central share of the national minimum"
    ),
    **_provincial(
        "pension.resident_takeup",
        "share",
        0,
        1,
        "share of people at the resident pension age outside the employee scheme drawing it",
    ),
    "pension.resident_contributor_share": ParamSpec(
        "share",
        0,
        1,
        "share of eligible 16-59 outside the employee scheme contributing to the resident scheme",
    ),
    "pension.resident_low_tier": ParamSpec(
        "yuan/person/year", 0, 10000, "lowest resident-pension contribution tier"
    ),
    "pension.resident_high_tier": ParamSpec(
        "yuan/person/year", 0, 10000, "contribution of the tier chosen by high-tier contributors"
    ),
    "pension.match_low_tier": ParamSpec(
        "yuan/person/year", 0, 2000, "government match on the lowest tier (local)"
    ),
    "pension.match_high_tier": ParamSpec(
        "yuan/person/year", 0, 2000, "government match on tiers of 500 yuan and above (local)"
    ),
    "pension.high_tier_share": ParamSpec(
        "share",
        0,
        1,
        "share of contributors choosing a tier of 500 yuan or more at the base-year match",
    ),
    "pension.high_tier_reference_match": ParamSpec(
        "yuan/person/year", 0, 2000, "high-tier match at which the high-tier share was observed"
    ),
    "pension.high_tier_match_response": ParamSpec(
        "coefficient",
        0,
        0.1,
        "log-odds change of choosing a high tier per yuan of extra high-tier match",
    ),
    # --- employee schemes, hukou limit, social-insurance subsidies
    "employee.formal_enrolment": ParamSpec(
        "share", 0, 1, "enrolment of formal employees in the employee schemes"
    ),
    "employee.flexible_enrolment": ParamSpec(
        "share", 0, 1, "enrolment of flexible workers not facing a hukou limit"
    ),
    "employee.medical_share": ParamSpec(
        "share",
        0,
        1,
        "share of the employee pension scheme's members (workers and retirees) also in employee medical insurance",
    ),
    "employee.flexible_medical_contribution": ParamSpec(
        "yuan/person/year",
        0,
        1e5,
        "employee medical contribution a flexible worker in that scheme pays",
    ),
    "employee.contribution_base": ParamSpec(
        "yuan/person/year", 0, 1e6, "average contribution base (declared pay) of formal employees"
    ),
    "employee.pension_rate_individual": ParamSpec(
        "share", 0, 0.5, "employee pension contribution rate paid by the employee"
    ),
    "employee.pension_rate_employer": ParamSpec(
        "share", 0, 0.5, "employee pension contribution rate paid by the employer"
    ),
    "employee.medical_rate_individual": ParamSpec(
        "share", 0, 0.5, "employee medical contribution rate paid by the employee"
    ),
    "employee.medical_rate_employer": ParamSpec(
        "share", 0, 0.5, "employee medical contribution rate paid by the employer"
    ),
    "employee.flexible_contribution": ParamSpec(
        "yuan/person/year",
        0,
        1e5,
        "employee-scheme contribution a flexible worker pays (pension + medical)",
    ),
    "employee.enrolment_price_coefficient": ParamSpec(
        "coefficient",
        -10,
        0,
        "log-odds change of flexible enrolment per unit log of the net contribution",
    ),
    "hukou.limit_in_force": ParamSpec(
        "share",
        0,
        1,
        "1 while flexible workers can enrol in the employee schemes only at their hukou place, 0 once lifted",
    ),
    "hukou.limited_relative_enrolment": ParamSpec(
        "share",
        0,
        1,
        "enrolment of migrant flexible workers facing the limit, relative to those who do not",
    ),
    "subsidy.si_subsidy_share": ParamSpec(
        "share",
        0,
        1,
        "share of employee-scheme contributions paid for eligible graduates and people with employment difficulties",
    ),
    "subsidy.graduate_years": ParamSpec(
        "years", 0, 10, "years after leaving school during which a graduate is eligible"
    ),
    "subsidy.central_share": ParamSpec(
        "share", 0, 1, "central share of social-insurance subsidies"
    ),
    # --- resident medical insurance
    "medical.resident_subsidy": ParamSpec(
        "yuan/person/year",
        0,
        5000,
        "fiscal subsidy per resident enrollee",
        uprated_by="medical.subsidy_growth",
    ),
    "medical.subsidy_growth": ParamSpec(
        "rate/year",
        -0.2,
        0.5,
        "yearly uprating of the resident medical subsidy after its latest dated value",
    ),
    "medical.resident_contribution": ParamSpec(
        "yuan/person/year",
        0,
        5000,
        "individual contribution to the resident scheme",
        uprated_by="medical.contribution_growth",
    ),
    "medical.contribution_growth": ParamSpec(
        "rate/year",
        -0.2,
        0.5,
        "yearly uprating of the resident medical contribution after its latest dated value",
    ),
    "medical.contribution_income_link": ParamSpec(
        "share",
        0,
        0.1,
        "if > 0, contribution = this share of the local per-capita income (floored at the flat contribution x 0.5)",
    ),
    **_provincial(
        "medical.subsidy_central_share",
        "share",
        0,
        1,
        "central share of the resident medical subsidy",
    ),
    "medical.enrolment_intercept": ParamSpec("logit", -10, 15, "intercept of resident enrolment"),
    "medical.enrolment_price_coefficient": ParamSpec(
        "coefficient", -10, 0, "log-odds change per unit log of contribution / per-capita income"
    ),
    "medical.enrolment_subsidy_coefficient": ParamSpec(
        "coefficient",
        0,
        10,
        "log-odds change per unit log of (subsidy + contribution) relative to the base year",
    ),
    "medical.reference_financing": ParamSpec(
        "yuan/person/year",
        1,
        10000,
        "subsidy + contribution at which the enrolment intercept was fitted",
    ),
    "medical.migrant_barrier": ParamSpec(
        "logit",
        0,
        10,
        "log-odds penalty for migrants where services are not provided by residence, times the share not so provided",
    ),
    # --- contribution help (代缴)
    "help.hardship_paid_share": ParamSpec(
        "share",
        0,
        1,
        "share of hardship people (dibao, near-dibao when covered) whose minimum-tier contribution the government pays",
    ),
    "help.covers_near_dibao": ParamSpec(
        "share", 0, 1, "1 if contributions are also paid for identified near-dibao people"
    ),
    # --- dibao and near-dibao
    **_provincial(
        "dibao.standard_urban",
        "yuan/person/month",
        0,
        5000,
        "urban dibao standard (average)",
        uprated_by="dibao.standard_growth_urban",
    ),
    **_provincial(
        "dibao.standard_rural",
        "yuan/person/month",
        0,
        5000,
        "rural dibao standard (average)",
        uprated_by="dibao.standard_growth_rural",
    ),
    "dibao.standard_scale": ParamSpec(
        "coefficient",
        0,
        5,
        "every province's dibao standards times this (1: the standards as set)",
    ),
    "dibao.standard_growth_urban": ParamSpec(
        "rate/year",
        -0.2,
        0.5,
        "yearly uprating of the urban dibao standard after its latest dated value",
    ),
    "dibao.standard_growth_rural": ParamSpec(
        "rate/year",
        -0.2,
        0.5,
        "yearly uprating of the rural dibao standard after its latest dated value",
    ),
    "dibao.consumption_link_urban": ParamSpec(
        "share",
        0,
        1,
        "if > 0, urban standard = max(standard, this share of urban per-capita consumption)",
    ),
    "dibao.consumption_link_rural": ParamSpec(
        "share",
        0,
        1,
        "if > 0, rural standard = max(standard, this share of rural per-capita consumption)",
    ),
    "dibao.takeup_urban": ParamSpec(
        "share",
        0,
        1,
        "share of eligible households of the urban programme (urban hukou living in towns) receiving dibao",
    ),
    "dibao.takeup_rural": ParamSpec(
        "share", 0, 1, "share of eligible households of the rural programme receiving dibao"
    ),
    "dibao.migrant_takeup_factor": ParamSpec(
        "share",
        0,
        1,
        "take-up of eligible households living away from their hukou place, relative to others",
    ),
    "dibao.inclusion_error": ParamSpec(
        "share",
        0,
        1,
        "households just above the standard (up to the near-dibao line) wrongly receiving dibao, as a share of the programme's take-up",
    ),
    "dibao.minimum_benefit_share": ParamSpec(
        "share", 0, 1, "floor of the dibao benefit as a share of the standard"
    ),
    "dibao.monitoring_takeup_gain": ParamSpec(
        "share", 0, 1, "share of the excluded eligible brought in by dynamic monitoring"
    ),
    "dibao.monitoring_in_force": ParamSpec("share", 0, 1, "1 when dynamic monitoring runs"),
    "dibao.central_share": ParamSpec("share", 0, 1, "central share of dibao spending"),
    "near_dibao.line_multiple": ParamSpec(
        "multiple", 1, 3, "near-dibao line as a multiple of the dibao standard"
    ),
    "near_dibao.identified_share": ParamSpec(
        "share", 0, 1, "share of near-dibao households identified"
    ),
    "near_dibao.medical_assistance": ParamSpec(
        "yuan/person/year",
        0,
        5000,
        "medical assistance per identified near-dibao person (pays the resident contribution first)",
    ),
    # --- services where people live
    "services.residence_items": ParamSpec(
        "items", 0, 81, "national basic public-service items provided by residence (of 81)"
    ),
    # --- geography
    "geography.large_city_share": ParamSpec(
        "share",
        0,
        1,
        "share of urban districts that belong to large cities (embedded childcare targets them)",
    ),
    # --- providers (shared behaviour)
    "providers.capacity_response": ParamSpec(
        "coefficient", 0, 5, "yearly capacity change of private providers per unit of margin"
    ),
    "providers.price_response": ParamSpec(
        "coefficient",
        0,
        2,
        "yearly price change of private providers per unit of occupancy above target",
    ),
    "providers.entry_share": ParamSpec(
        "share",
        0,
        1,
        "share of a community's unmet demand a new private provider is sized to serve",
    ),
    # --- childcare
    "childcare.slots": ParamSpec("slots", 0, 5e7, "childcare slots in the base year"),
    "childcare.institutions": ParamSpec(
        "institutions", 0, 1e6, "childcare institutions in the base year (sets the mean size)"
    ),
    "childcare.affordable_share": ParamSpec(
        "share", 0, 1, "share of base-year slots that are affordable (puhui) at a regulated price"
    ),
    "childcare.price_private": ParamSpec(
        "yuan/month",
        0,
        20000,
        "private childcare price in urban areas (rural: times the rural/urban income ratio)",
    ),
    "childcare.price_affordable": ParamSpec(
        "yuan/month", 0, 20000, "regulated price of public and affordable slots in urban areas"
    ),
    "childcare.unit_cost": ParamSpec(
        "yuan/month", 1, 20000, "cost of a private slot per month (urban level)"
    ),
    "childcare.target_occupancy": ParamSpec(
        "share", 0.01, 1, "occupancy at which private prices are stable"
    ),
    "childcare.operating_subsidy": ParamSpec(
        "yuan/slot/year", 0, 50000, "operating subsidy per public or affordable slot"
    ),
    "childcare.construction_subsidy": ParamSpec(
        "yuan/slot", 0, 1e6, "central investment per new public slot"
    ),
    "childcare.public_slots_added": ParamSpec(
        "slots/year", 0, 1e7, "public and affordable slots added by public investment each year"
    ),
    "childcare.slots_target_per_1000": ParamSpec(
        "per 1,000",
        0,
        100,
        "childcare slots per 1,000 people that public investment adds slots towards (it stops once met)",
    ),
    "childcare.child_subsidy_central_share": ParamSpec(
        "share", 0, 1, "central share of the childcare subsidy"
    ),
    "childcare.voucher": ParamSpec(
        "yuan/person/year", 0, 50000, "childcare voucher per child in care"
    ),
    "childcare.child_subsidy": ParamSpec(
        "yuan/person/year", 0, 50000, "childcare subsidy per child under 3, in cash"
    ),
    "childcare.embedded_share": ParamSpec(
        "share", 0, 1, "share of large-city communities with embedded affordable childcare"
    ),
    "childcare.embedded_capacity_share": ParamSpec(
        "share",
        0,
        1,
        "slots an embedded centre adds, as a share of the community's children under 3",
    ),
    "childcare.employer_price_share": ParamSpec(
        "share", 0, 1, "share of the price employers pay for formal employees' children"
    ),
    "childcare.use_intercept": ParamSpec(
        "logit", -20, 20, "intercept of families' use of childcare"
    ),
    "childcare.price_coefficient": ParamSpec(
        "coefficient", -10, 0, "log-odds change per unit log of net price / per-capita income"
    ),
    "childcare.work_coefficient": ParamSpec(
        "logit", -5, 5, "log-odds shift when all adults of the household work"
    ),
    "childcare.embedded_coefficient": ParamSpec(
        "logit", -5, 5, "log-odds shift when the community has embedded care"
    ),
    "childcare.travel_share": ParamSpec(
        "share", 0, 1, "share of families who would use care elsewhere in the county"
    ),
    # --- elderly care
    "elderly.institution_beds": ParamSpec(
        "beds", 0, 5e7, "beds of registered elderly-care institutions in the base year"
    ),
    "elderly.institutions": ParamSpec(
        "institutions", 0, 1e6, "registered elderly-care institutions in the base year"
    ),
    "elderly.nursing_share": ParamSpec(
        "share", 0, 1, "nursing-type share of institution beds in the base year"
    ),
    "elderly.integrated_beds": ParamSpec(
        "beds", 0, 5e7, "beds of medical-elderly integrated institutions in the base year"
    ),
    "elderly.integrated_institutions": ParamSpec(
        "institutions", 0, 1e6, "medical-elderly integrated institutions in the base year"
    ),
    "elderly.community_places": ParamSpec(
        "places", 0, 5e7, "community elderly-care places (day care) in the base year"
    ),
    "elderly.public_share": ParamSpec(
        "share", 0, 1, "share of institution beds in public institutions"
    ),
    "elderly.price_private": ParamSpec(
        "yuan/month", 0, 50000, "monthly price of a private nursing bed (urban level)"
    ),
    "elderly.price_public": ParamSpec(
        "yuan/month", 0, 50000, "monthly price of a public nursing bed (urban level)"
    ),
    "elderly.price_daycare": ParamSpec(
        "yuan/month", 0, 50000, "monthly price of community day care (urban level)"
    ),
    "elderly.unit_cost": ParamSpec(
        "yuan/month", 1, 50000, "cost of a private nursing bed per month (urban level)"
    ),
    "elderly.target_occupancy": ParamSpec(
        "share", 0.01, 1, "occupancy at which private bed prices are stable"
    ),
    "elderly.new_nursing_share": ParamSpec("share", 0.01, 1, "nursing-type share of new beds"),
    "elderly.conversion_rate": ParamSpec(
        "share", 0, 1, "share of non-nursing beds converted to nursing-type each year"
    ),
    "elderly.conversion_cost": ParamSpec(
        "yuan/bed", 0, 1e6, "cost of converting a bed to nursing-type"
    ),
    "elderly.public_beds_added": ParamSpec(
        "beds/year", 0, 1e7, "beds added to public institutions each year"
    ),
    "elderly.daycare_places_added": ParamSpec(
        "places/year", 0, 1e7, "community day-care places added each year"
    ),
    "elderly.construction_subsidy": ParamSpec(
        "yuan/bed", 0, 1e6, "central investment per new public bed or place"
    ),
    "elderly.bed_subsidy": ParamSpec(
        "yuan/bed/year", 0, 1e5, "operating subsidy per nursing bed occupied by a disabled elder"
    ),
    "elderly.home_beds": ParamSpec("beds", 0, 5e7, "home-care beds funded"),
    "elderly.home_bed_subsidy": ParamSpec("yuan/bed/year", 0, 1e5, "subsidy per home-care bed"),
    "elderly.institution_intercept": ParamSpec(
        "logit", -20, 20, "intercept of disabled elders seeking a nursing bed"
    ),
    "elderly.daycare_intercept": ParamSpec(
        "logit", -20, 20, "intercept of disabled elders seeking day care"
    ),
    "elderly.price_coefficient": ParamSpec(
        "coefficient", -10, 0, "log-odds change per unit log of price / per-capita income"
    ),
    # --- primary care
    "primary.visits_per_capita": ParamSpec(
        "visits/person/year", 0, 50, "outpatient visits per person under 60 (twice that at 60+)"
    ),
    "primary.primary_share": ParamSpec(
        "share",
        0,
        1,
        "share of visits people would make at primary level without a county medical community",
    ),
    "primary.medcom_effect": ParamSpec(
        "share", 0, 1, "extra share of visits at primary level in counties with a medical community"
    ),
    "primary.medcom_capacity_gain": ParamSpec(
        "ratio", 0, 5, "rise of primary capacity in counties with a medical community"
    ),
    "primary.capacity_slack": ParamSpec(
        "multiple", 0.1, 5, "base-year primary capacity relative to base-year primary demand"
    ),
    "primary.medcom_counties": ParamSpec(
        "counties", 0, 3000, "counties with a close-knit county medical community"
    ),
    "primary.county_units": ParamSpec("counties", 1, 3000, "county-level units"),
    "primary.cost_primary": ParamSpec("yuan/visit", 0, 5000, "cost of a primary-care visit"),
    "primary.cost_hospital": ParamSpec(
        "yuan/visit", 0, 5000, "cost of a hospital outpatient visit"
    ),
    "primary.reimbursement": ParamSpec(
        "share", 0, 1, "share of outpatient cost reimbursed to the insured"
    ),
    "primary.drug_share": ParamSpec("share", 0, 1, "share of outpatient cost that is drugs"),
    "primary.procurement_cut": ParamSpec(
        "share", 0, 1, "average price cut of drugs in volume-based procurement"
    ),
    "primary.procurement_coverage": ParamSpec(
        "share", 0, 1, "share of outpatient drug spending on procured drugs"
    ),
    "primary.public_health_funding": ParamSpec(
        "yuan/person/year", 0, 1000, "basic public-health subsidy per person"
    ),
    "primary.public_health_central_share": ParamSpec(
        "share", 0, 1, "central share of the public-health subsidy"
    ),
    # --- outputs
    "outputs.poverty_line_share_of_median": ParamSpec(
        "share", 0, 1, "relative poverty line as a share of median per-capita disposable income"
    ),
}


def spec(name: str) -> ParamSpec:
    """The spec of a registered parameter (KeyError if unknown)."""
    return REGISTRY[name]
