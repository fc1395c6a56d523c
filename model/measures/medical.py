"""Resident medical insurance: the fiscal subsidy, the individual contribution, voluntary enrolment.

Everyone outside the employee scheme may enrol in the resident scheme. The enrolment probability
is logistic in the log of the contribution relative to household per-capita income (slope from
Zhang & Liu 2023, public-facts.md: a 10% higher contribution lowers enrolment by 0.15
percentage points), plus a term in the scheme's total financing per enrollee (subsidy +
contribution) relative to the level at which the intercept was fitted, and a penalty for migrants where services are not
provided by residence. Dibao members have their contribution paid by medical assistance, as do
identified near-dibao members up to `near_dibao.medical_assistance`.
The fiscal cost is subsidy x enrollees, split central/local by province (its region's share)
(`001_3ac9c84125cde09e.txt`: "城乡居民医保人均财政补助标准再增加30元,达到每人每年700元").
"""

from __future__ import annotations

import numpy as np

from model.kernels import draw_by_household
from model.measures.services import access_share
from model.state import PolicyYear, YearState, logistic


def contribution(s: YearState, p: PolicyYear) -> float:
    """Individual contribution in force, yuan/person/year (flat, or linked to income)."""
    flat = p["medical.resident_contribution"]
    link = p["medical.contribution_income_link"]
    if link <= 0:
        return flat
    national_mean = s.mean_income_urban * s.urban.mean() + s.mean_income_rural * (
        1 - s.urban.mean()
    )
    return max(link * national_mean, 0.5 * flat)


def enrolment_probability(s: YearState, p: PolicyYear, own_contribution: np.ndarray) -> np.ndarray:
    """Per-household probability that a member enrols in the resident scheme, given what each member pays.

    Everything it depends on is the household's (income, migration, dibao status), so it is
    computed once per household.
    """
    # household per-capita income before dibao (as set by the dibao means test)
    income_pc = np.maximum(s.cols["hh_means_income_pc"], 1000.0)
    financing = p["medical.resident_subsidy"] + p["medical.resident_contribution"]
    # x = intercept + price coefficient x log(contribution / income) + subsidy term - migrant
    # barrier, computed in place (one array per household)
    x = np.maximum(own_contribution, 1.0)
    x /= income_pc
    np.log(x, out=x)
    x *= p["medical.enrolment_price_coefficient"]
    x += p["medical.enrolment_intercept"]
    x += p["medical.enrolment_subsidy_coefficient"] * np.log(
        financing / p["medical.reference_financing"]
    )
    x -= s.pop.hh_migrant * (p["medical.migrant_barrier"] * (1 - access_share(p)))
    prob = logistic(x)
    prob[own_contribution <= 0] = 1.0
    return prob


def apply(s: YearState, p: PolicyYear) -> None:
    """Set employee and resident medical enrolment and the flows of the resident scheme."""
    pop = s.pop
    c = contribution(s, p)
    eligible = ~s.cols["medical_employee"]  # members of the employee pension alone may enrol
    # medical assistance pays each member's contribution (dibao) or part of it (identified near-dibao)
    assistance = np.where(
        s.cols["hh_dibao"],
        c,
        np.where(
            s.cols["hh_near_dibao_identified"], min(c, p["near_dibao.medical_assistance"]), 0.0
        ),
    )
    own = c - assistance
    # who enrols, and the flows per household: its enrollees times the per-person amounts
    enrolled, enrollees = draw_by_household(
        eligible, pop.u["u_med"], enrolment_probability(s, p, own), pop.hh
    )
    s.cols["medical_resident"] = enrolled
    s.cols["medical_resident_contribution"] = c
    central = p.provincial("medical.subsidy_central_share")[pop.hh_province]
    s.add_household(
        "medical_resident",
        p["medical.resident_subsidy"] * enrollees,
        {"central": central, "local": 1 - central},
        cash=False,
    )
    s.add_household("medical_resident", own * enrollees, {"individuals": 1.0})
    s.add_household("medical_assistance", assistance * enrollees, {"local": 1.0}, cash=False)
