"""Employee schemes (pension and medical), the hukou limit and social-insurance subsidies.

Measures (1) of the Opinions, `003_37f00649db5601d2.txt`: "取消就业地参保户籍限制" and
"对高校毕业生、就业困难人员等给予社会保险补贴". Formal employees enrol with a fixed probability;
flexible workers enrol with a probability that falls with the contribution they pay themselves
(log-odds slope `employee.enrolment_price_coefficient`). While the hukou limit is in force,
flexible workers living away from their hukou place (migrants) can enrol where they work only
at a reduced rate (`hukou.limited_relative_enrolment`). Graduates in their first years out of
school and people with employment difficulties (就业困难人员: approximated as flexible workers
aged 50+ in the lowest income quintile, since registration targets older, low-income workers)
have a share of the contribution paid by government.
"""

from __future__ import annotations

import numpy as np

from model.population import EMP_FLEXIBLE, EMP_FORMAL
from model.state import PolicyYear, YearState, logistic, logit

DIFFICULTY_AGE = 50  # flexible workers this old, in the lowest income quintile, count as having employment difficulties


def subsidy_eligible(s: YearState) -> np.ndarray:
    """Flexible workers eligible for the social-insurance subsidy (graduates, employment difficulties)."""
    pop = s.pop
    f = np.flatnonzero(pop.emp == EMP_FLEXIBLE)
    left_school = pop.grad_year[f]
    graduate = (left_school >= 0) & (s.year - left_school < s.cols["_graduate_years"])
    difficulty = (pop.age[f] >= DIFFICULTY_AGE) & (s.cols["_hh_quintile"][pop.hh[f]] == 0)
    eligible = np.zeros(pop.n_persons, dtype=bool)
    eligible[f] = graduate | difficulty
    return eligible


def flexible_enrolment_probability(s: YearState, p: PolicyYear, eligible: np.ndarray) -> np.ndarray:
    """Per-person enrolment probability of flexible workers (0 for everyone else)."""
    # two values: with and without the subsidy (the net price is 1 - share of the contribution)
    net_price = max(1.0 - p["subsidy.si_subsidy_share"], 1e-3)
    base = logit(p["employee.flexible_enrolment"])
    with_subsidy = float(
        logistic(np.array(base + p["employee.enrolment_price_coefficient"] * np.log(net_price)))
    )
    without = float(logistic(np.array(base)))
    f = np.flatnonzero(s.pop.emp == EMP_FLEXIBLE)
    prob_f = np.where(eligible[f], with_subsidy, without)
    if p["hukou.limit_in_force"] > 0:
        prob_f = np.where(s.migrant[f], prob_f * p["hukou.limited_relative_enrolment"], prob_f)
    prob = np.zeros(s.pop.n_persons)
    prob[f] = prob_f
    return prob


def apply(s: YearState, p: PolicyYear) -> None:
    """Set `in_employee` (working members enrolled, plus employee pensioners) and the flows."""
    pop = s.pop
    s.cols["_graduate_years"] = p["subsidy.graduate_years"]
    eligible = subsidy_eligible(s)
    formal = (pop.emp == EMP_FORMAL) & (pop.u["u_emp"] < p["employee.formal_enrolment"])
    flexible = pop.u["u_emp"] < flexible_enrolment_probability(s, p, eligible)
    working = formal | flexible
    # employee medical insurance: a share of the pension scheme's members (workers and retirees),
    # the same people every year (a persistent draw)
    in_medical = pop.u["u_emed"] < p["employee.medical_share"]
    s.cols["in_employee_working"] = working
    s.cols["in_employee"] = working | pop.emp_pension  # the employee pension scheme
    s.cols["medical_employee"] = (working | pop.emp_pension) & in_medical
    s.cols["flexible_enrolled"] = flexible
    s.cols["si_subsidised"] = flexible & eligible

    # flexible workers pay both shares themselves; the subsidy pays part for the eligible
    f = np.flatnonzero(flexible)
    contribution = p["employee.flexible_contribution"] + np.where(
        in_medical[f], p["employee.flexible_medical_contribution"], 0.0
    )
    subsidy = p["subsidy.si_subsidy_share"] * contribution
    subsidised = eligible[f]
    central = p["subsidy.central_share"]
    s.add_sparse_split(
        "si_subsidy", f[subsidised], subsidy[subsidised], {"central": central, "local": 1 - central}
    )
    s.add_sparse(
        "employee_flexible",
        "individuals",
        f,
        np.where(subsidised, contribution - subsidy, contribution),
    )
    formal_contributions(s, p, np.flatnonzero(formal), in_medical)


def formal_contributions(
    s: YearState, p: PolicyYear, idx: np.ndarray, in_medical: np.ndarray
) -> None:
    """Contributions of formal employees `idx` and their employers to the employee schemes (yuan/year).

    On the average contribution base: the employee's share is booked to individuals (in kind:
    published disposable income is already net of it, so it does not lower the model's), the
    employer's to employers (received by the funds).
    """
    base = p["employee.contribution_base"]
    medical = in_medical[idx]
    own = base * (
        p["employee.pension_rate_individual"]
        + np.where(medical, p["employee.medical_rate_individual"], 0.0)
    )
    employer = base * (
        p["employee.pension_rate_employer"]
        + np.where(medical, p["employee.medical_rate_employer"], 0.0)
    )
    s.add_sparse("employee_formal", "individuals", idx, own, cash=False)
    by_province = s.by_province(s.person_province[idx], s.w[idx] * employer)
    s.add_lump("employee_formal", "employers", float(by_province.sum()), by_province)
