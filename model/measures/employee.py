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

from model import kernels
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


def flexible_probabilities(p: PolicyYear) -> tuple[float, float]:
    """Flexible workers' enrolment probability with and without the subsidy (the net price is
    1 - the subsidy's share of the contribution)."""
    net_price = max(1.0 - p["subsidy.si_subsidy_share"], 1e-3)
    base = logit(p["employee.flexible_enrolment"])
    with_subsidy = float(
        logistic(np.array(base + p["employee.enrolment_price_coefficient"] * np.log(net_price)))
    )
    return with_subsidy, float(logistic(np.array(base)))


def flexible_enrolment_probability(s: YearState, p: PolicyYear, eligible: np.ndarray) -> np.ndarray:
    """Per-person enrolment probability of flexible workers (0 for everyone else). The model
    runs this rule compiled (`apply`); this is its readable form and the tests' reference."""
    with_subsidy, without = flexible_probabilities(p)
    f = np.flatnonzero(s.pop.emp == EMP_FLEXIBLE)
    prob_f = np.where(eligible[f], with_subsidy, without)
    if p["hukou.limit_in_force"] > 0:
        prob_f = np.where(s.migrant[f], prob_f * p["hukou.limited_relative_enrolment"], prob_f)
    prob = np.zeros(s.pop.n_persons)
    prob[f] = prob_f
    return prob


def enrolment_rules(s: YearState, p: PolicyYear) -> np.ndarray:
    """The numbers of `kernels.employee_schemes`' rules: the year, graduate years, difficulty
    age, formal enrolment, flexible enrolment with and without the subsidy, migrants' relative
    enrolment under the hukou limit (1 without it), employee medical share."""
    with_subsidy, without = flexible_probabilities(p)
    limit = p["hukou.limited_relative_enrolment"] if p["hukou.limit_in_force"] > 0 else 1.0
    return np.array(
        [
            s.year,
            p["subsidy.graduate_years"],
            DIFFICULTY_AGE,
            p["employee.formal_enrolment"],
            with_subsidy,
            without,
            limit,
            p["employee.medical_share"],
        ],
        dtype=np.float64,
    )


def contribution_rates(p: PolicyYear) -> np.ndarray:
    """The amounts of `kernels.employee_schemes`: flexible workers' pension and medical
    contributions (yuan/year), the subsidy's share, the contribution base (yuan/year) and the
    employee's and employer's pension and medical rates."""
    return np.array(
        [
            p["employee.flexible_contribution"],
            p["employee.flexible_medical_contribution"],
            p["subsidy.si_subsidy_share"],
            p["employee.contribution_base"],
            p["employee.pension_rate_individual"],
            p["employee.medical_rate_individual"],
            p["employee.pension_rate_employer"],
            p["employee.medical_rate_employer"],
        ],
        dtype=np.float64,
    )


def apply(s: YearState, p: PolicyYear) -> None:
    """Set `in_employee` (working members enrolled, plus employee pensioners) and the flows.

    The rules of `subsidy_eligible`, `flexible_enrolment_probability` and the contributions
    (below), with the draws of `u_emp` and `u_emed`, in one compiled pass
    (`kernels.employee_schemes`). Flexible workers pay both shares themselves and the subsidy
    pays part for the eligible; formal employees' own share is booked to individuals (in kind:
    published disposable income is already net of it, so it does not lower the model's), the
    employer's to employers (received by the funds), on the average contribution base.
    """
    pop = s.pop
    s.cols["_graduate_years"] = p["subsidy.graduate_years"]
    cash, in_kind = s.person_flows()
    working, flexible, subsidised, in_medical, sums = kernels.employee_schemes(
        pop.emp,
        EMP_FORMAL,
        EMP_FLEXIBLE,
        pop.u["u_emp"],
        pop.u["u_emed"],
        pop.grad_year,
        pop.age,
        pop.hh,
        s.cols["_hh_quintile"],
        pop.hh_migrant,
        pop.emp_pension,
        pop.hh_province,
        s.w,
        enrolment_rules(s, p),
        contribution_rates(p),
        cash,
        in_kind,
    )
    # employee medical insurance: a share of the pension scheme's members (workers and retirees),
    # the same people every year (a persistent draw)
    s.cols["in_employee_working"] = working
    s.cols["in_employee"] = working | pop.emp_pension  # the employee pension scheme
    s.cols["medical_employee"] = (working | pop.emp_pension) & in_medical
    s.cols["flexible_enrolled"] = flexible
    s.cols["si_subsidised"] = subsidised
    central = p["subsidy.central_share"]
    s.book_sums("si_subsidy", sums[0], {"central": central, "local": 1 - central})
    s.book_sums("employee_flexible", sums[1], {"individuals": 1.0})
    s.book_sums("employee_formal", sums[2], {"individuals": 1.0})
    s.book_sums("employee_formal", sums[3], {"employers": 1.0})
