"""Each measure against numbers a reader can compute by hand."""

from __future__ import annotations

import numpy as np
import pytest

from model import run_scenario
from model.measures import dibao, employee, medical, pension, services
from model.population import EMP_FLEXIBLE, EMP_FORMAL, EMP_RETIRED, Population
from model.provinces import INDEX as PROVINCE_INDEX
from model.provinces import KEYS as PROVINCE_KEYS
from model.provinces import N_PROVINCES, REGION_OF
from model.scenario import AssumptionSource
from model.state import PolicyYear, YearState
from tests.conftest import SMALL

SRC = AssumptionSource(assumption="a value set by a unit test")
# the province a hand-made household of each region lives in (region codes of model/registry.py)
REGION_PROVINCE = {0: "jiangsu", 1: "henan", 2: "sichuan", 3: "liaoning"}
# every province at the national average standards of end 2024 (public-facts.md: urban 798.1,
# rural 593.9), so that hand computations use those two numbers
NATIONAL_STANDARDS = {
    **{f"dibao__standard_urban__{k}": 798.1 for k in PROVINCE_KEYS},
    **{f"dibao__standard_rural__{k}": 593.9 for k in PROVINCE_KEYS},
}


def tiny(
    hh_sizes,
    ages,
    emp,
    urban,
    region,
    other_pc,
    migrant=None,
    emp_pension=None,
    u=0.0,
    hh_u=0.0,
    sex=None,
    contrib_years=None,
    ret_group=None,
    pension_amount=None,
):
    """A hand-made population: households of given sizes, one weight each (men born in January
    with no contribution record unless a test says otherwise). `region` gives each household's
    region; it lives in that region's province of REGION_PROVINCE."""
    H = len(hh_sizes)
    province = np.array([PROVINCE_INDEX[REGION_PROVINCE[r]] for r in region], dtype=np.int8)
    P = sum(hh_sizes)
    hh = np.repeat(np.arange(H, dtype=np.int32), hh_sizes)
    migrant = np.zeros(H, bool) if migrant is None else np.asarray(migrant)
    pop = Population(
        hh_weight=np.full(H, 1000.0),
        hh_urban=np.asarray(urban),
        hh_region=REGION_OF[province],
        hh_province=province,
        hh_migrant=migrant,
        hh_urban_hukou=np.asarray(urban),
        hh_z=np.zeros(H),
        hh_u_dibao=np.full(H, hh_u),
        hh_u_near=np.full(H, hh_u),
        hh_u_move=np.full(H, hh_u),
        hh=hh,
        age=np.asarray(ages, dtype=np.int16),
        sex=np.zeros(P, np.int8) if sex is None else np.asarray(sex, dtype=np.int8),
        birth_month=np.zeros(P, np.int8),
        ret_group=np.zeros(P, np.int8) if ret_group is None else np.asarray(ret_group, np.int8),
        contrib_years=np.zeros(P, np.float32)
        if contrib_years is None
        else np.asarray(contrib_years, np.float32),
        pension_amount=np.zeros(P, np.float32)
        if pension_amount is None
        else np.asarray(pension_amount, np.float32),
        emp=np.asarray(emp, dtype=np.int8),
        urban_hukou=np.asarray(urban)[hh],
        disabled=np.zeros(P, bool),
        emp_pension=np.zeros(P, bool) if emp_pension is None else np.asarray(emp_pension),
        grad_year=np.full(P, -1, dtype=np.int16),
        u={
            k: np.full(P, u, dtype=np.float32)
            for k in ("u_med", "u_pen", "u_emp", "u_emed", "u_tier", "u_help")
        },
    )
    s = YearState(
        year=2025,
        pop=pop,
        w=pop.person_weight(),
        urban=pop.hh_urban[hh],
        migrant=migrant[hh],
        hh_size=pop.household_size(),
        other_pc=np.asarray(other_pc, dtype=float),
        mean_income_urban=50000.0,
        mean_income_rural=20000.0,
        income_level=np.ones((N_PROVINCES, 2)),  # every province at the national income level
    )
    s.cols["_hh_quintile"] = np.full(H, 2)  # a middle quintile unless a test says otherwise
    return s


def policy(baseline, year=2025, **changes):
    sc = baseline.with_values(
        "t", "t", {k.replace("__", "."): {2024: (v, SRC)} for k, v in changes.items()}
    )
    return PolicyYear(sc, year)


def cost(s: YearState, measure: str, payer: str) -> float:
    return s.costs.get((measure, payer), 0.0)


def test_resident_pension_cost_and_central_share(baseline):
    # two people aged 70 outside the employee scheme, one in the east (50% central), one in the west (100%)
    s = tiny(
        [1, 1],
        ages=[70, 70],
        emp=[EMP_RETIRED] * 2,
        urban=[True, False],
        region=[0, 2],
        other_pc=[20000, 8000],
    )
    p = policy(
        baseline,
        pension__resident_minimum=143,
        **{f"pension__resident_takeup__{k}": 1.0 for k in PROVINCE_KEYS},
    )
    s.cols["in_employee_working"] = np.zeros(2, bool)
    pension.apply(s, p)
    assert cost(s, "pension_resident", "central") == pytest.approx(
        1000 * (0.5 * 143 * 12 + 143 * 12)
    )
    assert cost(s, "pension_resident", "local") == pytest.approx(1000 * 0.5 * 143 * 12)
    # above the minimum, each province's amount (Jiangsu, Sichuan): the personal-account pension
    # (the fund's) and the rest, the province's own basic pension (local)
    above = [p[f"pension.resident_provincial.{k}"] for k in ("jiangsu", "sichuan")]
    account = [min(p["pension.resident_account"], a) for a in above]
    assert cost(s, "pension_resident_topup", "local") == pytest.approx(
        1000 * 12 * (sum(above) - sum(account))
    )
    assert cost(s, "pension_resident_account", "insurance_fund") == pytest.approx(
        1000 * 12 * sum(account)
    )
    # what each household receives, for its means test: the three parts
    assert s.cols["hh_pension_income"][0] == pytest.approx(12 * (143 + above[0]))


def test_plus_20_yuan_costs_240_per_recipient_per_year(baseline):
    # the baseline's minimum of 2025 is 143; a reform of 163 in that year costs 20 x 12 per recipient
    reform = baseline.with_values(
        "plus_20", "plus 20", {"pension.resident_minimum": {2025: (163, SRC)}}
    )
    a = run_scenario(baseline, households=SMALL, end_year=2025)
    b = run_scenario(reform, households=SMALL, end_year=2025)
    recipients = a.value("pension_recipients_resident", 2025)
    assert recipients == b.value("pension_recipients_resident", 2025)
    delta = sum(
        b.value("cost.pension_resident", 2025, g) - a.value("cost.pension_resident", 2025, g)
        for g in ("central", "local")
    )
    assert delta == pytest.approx(20 * 12 * recipients, rel=1e-9)
    # people 60+ without an employee pension at the fitted take-up: 18,039万 at end 2024, 18,820万
    # at end 2025 (MoHRSS)
    assert recipients == pytest.approx(1.882e8, rel=0.03)


def test_medical_subsidy_cost_is_subsidy_times_enrollees(opinions, opinions_run):
    subsidy = opinions.uprated_value("medical.resident_subsidy", 2027)
    assert subsidy == pytest.approx(724 * 1.035)  # 724 yuan in 2026, then 3.5% a year
    enrollees = opinions_run.value("medical_insured_resident", 2027)
    fiscal = sum(opinions_run.value("cost.medical_resident", 2027, g) for g in ("central", "local"))
    assert fiscal == pytest.approx(subsidy * enrollees, rel=1e-9)


def test_dibao_fills_the_gap_to_the_standard(baseline):
    # rural household of 2 with 3,000 yuan/person/year: gap to 593.9 x 12 = 7,126.8 is 4,126.8 each
    # urban household of 1 at 9,000 (just under 798.1 x 12 = 9,577.2): gap 577.2, below the 20% floor (1,915.44)
    # rural household at 20,000: not eligible, above the near-dibao line (1.5 x 7,126.8)
    s = tiny(
        [2, 1, 1],
        ages=[40, 40, 40, 40],
        emp=[EMP_FLEXIBLE] * 4,
        urban=[False, True, False],
        region=[1, 0, 1],
        other_pc=[3000, 9000, 20000],
        hh_u=0.01,
    )
    s.cols["hh_pension_income"] = np.zeros(3)
    p = policy(baseline, year=2024, **NATIONAL_STANDARDS)  # end 2024 (uprated later)
    dibao.apply(s, p)
    assert list(s.cols["hh_dibao"]) == [True, True, False]
    total = cost(s, "dibao", "central") + cost(s, "dibao", "local")
    assert total == pytest.approx(1000 * (2 * 4126.8 + 0.2 * 9577.2))
    assert cost(s, "dibao", "central") == pytest.approx(0.6 * total)


def test_dibao_takeup_uses_the_household_draw(baseline):
    s = tiny(
        [1], ages=[40], emp=[EMP_FLEXIBLE], urban=[False], region=[1], other_pc=[3000], hh_u=0.75
    )
    s.cols["hh_pension_income"] = np.zeros(1)
    p = policy(baseline, dibao__takeup_rural=0.7)
    dibao.apply(s, p)  # take-up 0.7 < 0.75: excluded
    assert not s.cols["hh_dibao"][0]
    s.costs.clear()
    dibao.apply(s, policy(baseline, dibao__takeup_rural=0.7, dibao__monitoring_in_force=1))
    assert s.cols["hh_dibao"][0]  # 0.7 + 0.3 x 0.3 = 0.79 > 0.75
    s.pop.hh_migrant[:] = True  # living away from the hukou place: 0.79 x 0.2 < 0.75
    dibao.apply(s, policy(baseline, dibao__takeup_rural=0.7, dibao__monitoring_in_force=1))
    assert not s.cols["hh_dibao"][0]


def test_dibao_standard_linked_to_consumption(baseline):
    s = tiny([1], ages=[40], emp=[EMP_FLEXIBLE], urban=[True], region=[0], other_pc=[50000])
    p = policy(baseline, year=2024, dibao__consumption_link_urban=0.3, **NATIONAL_STANDARDS)
    urban, rural = dibao.standards(s, p)  # every province at the national income level here
    assert urban == pytest.approx(max(798.1 * 12, 0.3 * 50000 * 0.6377))
    assert rural == pytest.approx(593.9 * 12)
    # a province at 1.5 times the national urban income: its linked standard is 1.5 times higher
    s.income_level[PROVINCE_INDEX["jiangsu"], 1] = 1.5
    urban, _ = dibao.standards(s, p)
    assert urban[PROVINCE_INDEX["jiangsu"]] == pytest.approx(0.3 * 50000 * 1.5 * 0.6377)


def test_contribution_help_pays_the_lowest_tier(baseline):
    s = tiny(
        [1, 1],
        ages=[40, 40],
        emp=[EMP_FLEXIBLE] * 2,
        urban=[False, False],
        region=[1, 1],
        other_pc=[1000, 30000],
    )
    s.cols.update(in_employee_working=np.zeros(2, bool))
    p = policy(baseline, help__hardship_paid_share=1.0)
    pension.apply(s, p)
    dibao.apply(s, p)
    pension.contributions(s, p)
    assert list(s.cols["contribution_paid_by_government"]) == [True, False]
    assert cost(s, "contribution_help", "local") == pytest.approx(1000 * 100)


def test_hukou_limit_halves_migrant_flexible_enrolment(baseline):
    s = tiny(
        [1, 1],
        ages=[30, 30],
        emp=[EMP_FLEXIBLE] * 2,
        urban=[True, True],
        region=[0, 0],
        other_pc=[30000] * 2,
        migrant=[True, False],
    )
    s.cols["_graduate_years"] = 2
    with_limit = employee.flexible_enrolment_probability(s, policy(baseline), np.zeros(2, bool))
    lifted = employee.flexible_enrolment_probability(
        s, policy(baseline, hukou__limit_in_force=0), np.zeros(2, bool)
    )
    f = policy(baseline)["employee.flexible_enrolment"]
    assert with_limit == pytest.approx([f * 0.5, f])
    assert lifted == pytest.approx([f, f])


def test_social_insurance_subsidy_cost(baseline):
    # a graduate (left school 2024) in a flexible job who enrols: 2/3 of 9,100 paid by government
    s = tiny([1], ages=[23], emp=[EMP_FLEXIBLE], urban=[True], region=[0], other_pc=[30000], u=0.0)
    s.pop.grad_year[:] = 2024
    p = policy(baseline, subsidy__si_subsidy_share=2 / 3)
    employee.apply(s, p)
    assert s.cols["si_subsidised"][0]
    assert cost(s, "si_subsidy", "central") + cost(s, "si_subsidy", "local") == pytest.approx(
        1000 * 9100 * 2 / 3
    )
    assert cost(s, "employee_flexible", "individuals") == pytest.approx(1000 * 9100 / 3)


def test_medical_enrolment_price_response_matches_the_published_estimate(baseline):
    # at p = 0.92, a 10% higher contribution should lower enrolment by about 0.15 points
    s = tiny([1], ages=[40], emp=[EMP_FLEXIBLE], urban=[False], region=[1], other_pc=[20000])
    s.cols.update(hh_means_income_pc=s.other_pc)
    p = policy(baseline)
    base = medical.enrolment_probability(s, p, np.array([400.0]))[0]
    # shift the intercept so the base probability is 0.92
    shift = np.log(0.92 / 0.08) - np.log(base / (1 - base))
    p2 = policy(baseline, medical__enrolment_intercept=p["medical.enrolment_intercept"] + shift)
    p0 = medical.enrolment_probability(s, p2, np.array([400.0]))[0]
    p1 = medical.enrolment_probability(s, p2, np.array([440.0]))[0]
    assert p0 == pytest.approx(0.92)
    assert p0 - p1 == pytest.approx(0.0015, abs=0.0001)


def test_dibao_members_pay_no_medical_contribution(baseline):
    s = tiny(
        [1], ages=[40], emp=[EMP_FLEXIBLE], urban=[False], region=[1], other_pc=[1000], u=0.999
    )
    s.cols.update(
        hh_means_income_pc=s.other_pc,
        medical_employee=np.zeros(1, bool),
        hh_dibao=np.ones(1, bool),
        hh_near_dibao_identified=np.zeros(1, bool),
    )
    medical.apply(s, policy(baseline))
    assert s.cols["medical_resident"][0]  # enrolled although its draw is 0.999
    assert cost(s, "medical_assistance", "local") == pytest.approx(1000 * 400)
    assert cost(s, "medical_resident", "individuals") == 0


def test_services_access_share(baseline):
    assert services.access_share(policy(baseline)) == pytest.approx(62 / 81)


def test_employee_pensioners_draw_the_employee_pension(baseline):
    s = tiny(
        [1],
        ages=[65],
        emp=[EMP_RETIRED],
        urban=[True],
        region=[0],
        other_pc=[30000],
        emp_pension=[True],
        pension_amount=[3876],
    )
    s.cols["in_employee_working"] = np.zeros(1, bool)
    pension.apply(s, policy(baseline))  # their own pension, 3,876 yuan a month
    assert cost(s, "pension_employee", "insurance_fund") == pytest.approx(1000 * 3876 * 12)
    assert cost(s, "pension_resident", "central") == 0


def test_a_new_pension_follows_the_record_and_pay(baseline):
    from model.demography import new_pensions

    # 30 years (the reference) on average pay (rank z = 0.35 / 2 puts the log-normal factor at 1)
    # gets the level; 15 years half of it
    p = policy(baseline)
    spread = p["pension.employee_wage_spread"]
    s = tiny(
        [2],
        ages=[63, 63],
        emp=[EMP_RETIRED] * 2,
        urban=[True],
        region=[0],
        other_pc=[30000],
        contrib_years=[30, 15],
    )
    s.pop.hh_z[:] = spread / 2
    got = new_pensions(s.pop, np.arange(2), p, level=4000.0)
    assert got == pytest.approx([4000.0, 2000.0], rel=1e-6)


def test_employment_difficulty_means_older_and_low_income(baseline):
    # three flexible workers aged 55: lowest quintile (eligible), middle quintile, and aged 45 in the lowest
    s = tiny(
        [1, 1, 1],
        ages=[55, 55, 45],
        emp=[EMP_FLEXIBLE] * 3,
        urban=[True] * 3,
        region=[0, 0, 0],
        other_pc=[9000, 40000, 9000],
    )
    s.cols["_hh_quintile"] = np.array([0, 2, 0])
    s.cols["_graduate_years"] = 2
    assert list(employee.subsidy_eligible(s)) == [True, False, False]


def test_formal_employees_enrol_with_the_calibrated_probability(baseline):
    s = tiny(
        [1, 1],
        ages=[30, 30],
        emp=[EMP_FORMAL] * 2,
        urban=[True] * 2,
        region=[0, 0],
        other_pc=[30000] * 2,
    )
    s.pop.u["u_emp"][:] = [0.01, 0.99]
    employee.apply(s, policy(baseline))
    assert list(s.cols["in_employee"]) == [True, False]


def test_flows_add_up_per_household_with_their_payers_and_signs():
    # two households of 2 and 1 persons, weight 1000 each
    s = tiny(
        [2, 1],
        ages=[40, 40, 70],
        emp=[EMP_FLEXIBLE, EMP_FLEXIBLE, EMP_RETIRED],
        urban=[True, False],
        region=[0, 1],
        other_pc=[30000, 10000],
    )
    s.add_sparse_split(
        "pension", np.array([2]), 1200.0, {"central": 0.75, "local": 0.25}
    )  # cash to person 2
    s.add_sparse(
        "contribution", "individuals", np.array([0, 1]), np.array([100.0, 300.0])
    )  # paid by persons 0, 1
    s.add_household(
        "medical",
        np.array([0.0, 700.0]),
        {"central": np.array([0.5, 1.0]), "local": np.array([0.5, 0.0])},
        cash=False,
    )  # in kind to household 1
    s.add_lump("construction", "central", 5e6)
    assert cost(s, "pension", "central") == pytest.approx(1000 * 900) and cost(
        s, "pension", "local"
    ) == pytest.approx(1000 * 300)
    assert cost(s, "contribution", "individuals") == pytest.approx(1000 * 400)
    assert (
        cost(s, "medical", "central") == pytest.approx(1000 * 700)
        and cost(s, "medical", "local") == 0
    )
    assert cost(s, "construction", "central") == 5e6
    cash, in_kind = s.household_flows()
    assert list(cash) == [-400.0, 1200.0]
    assert list(in_kind) == [0.0, 700.0]
