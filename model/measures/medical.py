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

from model import kernels
from model.measures.services import access_share
from model.state import ByProvince, PolicyYear, YearState, logistic


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


def assistance(s: YearState, p: PolicyYear, c: float) -> np.ndarray:
    """Medical assistance towards each member's contribution `c`, per household (yuan/person/year):
    all of it for dibao households, up to `near_dibao.medical_assistance` for identified
    near-dibao ones."""
    return np.where(
        s.cols["hh_dibao"],
        c,
        np.where(
            s.cols["hh_near_dibao_identified"], min(c, p["near_dibao.medical_assistance"]), 0.0
        ),
    )


def subsidy_term(p: PolicyYear) -> float:
    """The enrolment log-odds from the scheme's financing per enrollee (subsidy + contribution)
    relative to the level at which the intercept was fitted."""
    financing = p["medical.resident_subsidy"] + p["medical.resident_contribution"]
    return p["medical.enrolment_subsidy_coefficient"] * np.log(
        financing / p["medical.reference_financing"]
    )


def migrant_term(p: PolicyYear) -> float:
    """The enrolment log-odds migrants lose where services are not provided by residence."""
    return p["medical.migrant_barrier"] * (1 - access_share(p))


def enrolment_probability(s: YearState, p: PolicyYear, own_contribution: np.ndarray) -> np.ndarray:
    """Per-household probability that a member enrols in the resident scheme, given what each member pays.

    Everything it depends on is the household's (income, migration, dibao status), so it is
    computed once per household. The model runs the same rule compiled (`apply`); this is its
    readable form and the tests' reference.
    """
    # household per-capita income before dibao (as set by the dibao means test)
    income_pc = np.maximum(s.cols["hh_means_income_pc"], 1000.0)
    # x = intercept + price coefficient x log(contribution / income) + subsidy term - migrant
    # barrier, computed in place (one array per household)
    x = np.maximum(own_contribution, 1.0)
    x /= income_pc
    np.log(x, out=x)
    x *= p["medical.enrolment_price_coefficient"]
    x += p["medical.enrolment_intercept"]
    x += subsidy_term(p)
    x -= s.pop.hh_migrant * migrant_term(p)
    prob = logistic(x)
    prob[own_contribution <= 0] = 1.0
    return prob


def apply(s: YearState, p: PolicyYear) -> None:
    """Set resident medical enrolment and the flows of the resident scheme.

    The rules of `assistance` and `enrolment_probability`, with the draws of `u_med`, compiled
    (`kernels.resident_medical`); members of the employee scheme do not enrol.
    """
    pop = s.pop
    c = contribution(s, p)
    enrolled, subsidy, own, assisted = kernels.resident_medical(
        s.cols["medical_employee"],
        pop.u["u_med"],
        pop.hh,
        s.cols["hh_means_income_pc"],
        s.cols["hh_dibao"],
        s.cols["hh_near_dibao_identified"],
        pop.hh_migrant,
        c,
        p["near_dibao.medical_assistance"],
        (
            p["medical.enrolment_price_coefficient"],
            p["medical.enrolment_intercept"],
            subsidy_term(p),
            migrant_term(p),
        ),
        p["medical.resident_subsidy"],
    )
    s.cols["medical_resident"] = enrolled
    s.cols["medical_resident_contribution"] = c
    central = ByProvince(p.provincial("medical.subsidy_central_share"))
    s.add_household(
        "medical_resident", subsidy, {"central": central, "local": central.rest()}, cash=False
    )
    s.add_household("medical_resident", own, {"individuals": 1.0})
    s.add_household("medical_assistance", assisted, {"local": 1.0}, cash=False)
