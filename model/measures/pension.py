"""Basic pensions: the resident scheme's national minimum, employee pensions, contribution tiers.

The resident basic pension national minimum is paid to people at pension age outside the
employee scheme (`pension.resident_minimum`, yuan/month; +20 in 2025: `001_3ac9c84125cde09e.txt`
"城乡居民全国基础养老金月最低标准再提高20元"). Its cost is split between central and local
government by province (its region's rule, public-facts.md: 100% central in central and western regions, 50% in the
east); provinces add their own basic pension and recipients draw a personal-account pension as
well (public-facts.md: "The resident basic pension's national minimum is a floor"): each
province's average above the minimum is its resident-fund spending per recipient (China
Statistical Yearbook 2025, table 24-27) less the minimum. Employee pensions
are each pensioner's own, grow by the annual raise and are paid by the insurance fund.
Working-age people outside the employee scheme contribute to the resident scheme at the lowest
tier or a high tier; the high-tier share responds to the extra match on high tiers.
"""

from __future__ import annotations

import numpy as np

from model.kernels import bincount, draw_by_household
from model.population import EMP_CHILD, EMP_STUDENT
from model.state import PolicyYear, YearState, logistic, logit


def high_tier_probability(p: PolicyYear) -> float:
    """Share of resident contributors choosing a high tier, given the high-tier match (yuan)."""
    x = logit(p["pension.high_tier_share"]) + p["pension.high_tier_match_response"] * (
        p["pension.match_high_tier"] - p["pension.high_tier_reference_match"]
    )
    return float(logistic(np.array(x)))


def resident_pension(p: PolicyYear, province: np.ndarray) -> dict[str, np.ndarray | float]:
    """The resident pension's parts (yuan/month) for recipients in `province`: the national
    minimum, the provincial basic pension above it, the personal-account pension.

    A province's average amount above the minimum (`pension.resident_provincial.<province>`) is
    its own basic pension plus the personal-account pension (`pension.resident_account`, at most
    that amount).
    """
    above = p.provincial("pension.resident_provincial")[province]
    account = np.minimum(p["pension.resident_account"], above)
    return {"minimum": p["pension.resident_minimum"], "topup": above - account, "account": account}


def apply(s: YearState, p: PolicyYear) -> None:
    """Set pension recipients and resident contributors; add the year's pension flows.

    Employee pensioners draw their own pension (`Population.pension_amount`, set at retirement
    from their record and pay and raised every year) from the insurance fund. Resident
    pensioners draw the national minimum (central and local governments by region), the
    provincial top-up (local) and a personal-account pension (the fund's individual accounts).
    """
    pop = s.pop
    age_ok = pop.age >= p["pension.resident_pension_age"]
    emp_pensioner = pop.emp_pension  # retired at the statutory age for their sex and cohort
    resident_recipient, _ = (
        draw_by_household(  # each person's draw against their province's take-up
            age_ok & ~pop.emp_pension,
            pop.u["u_pen"],
            p.provincial("pension.resident_takeup"),
            s.person_province,
        )
    )
    s.cols["pension_employee_recipient"] = emp_pensioner
    s.cols["pension_resident_recipient"] = resident_recipient

    r, e = np.flatnonzero(resident_recipient), np.flatnonzero(emp_pensioner)
    home = pop.hh[r]
    province = pop.hh_province[home]
    parts = resident_pension(p, province)
    central_share = p.provincial("pension.minimum_central_share")[province]
    s.add_sparse_split(
        "pension_resident",
        r,
        12.0 * parts["minimum"],
        {"central": central_share, "local": 1 - central_share},
    )
    s.add_sparse("pension_resident_topup", "local", r, 12.0 * parts["topup"])
    s.add_sparse("pension_resident_account", "insurance_fund", r, 12.0 * parts["account"])
    employee = 12.0 * pop.pension_amount[e]
    s.add_sparse("pension_employee", "insurance_fund", e, employee)
    # pensions received by each household (yuan/year), for the dibao means test
    H = pop.n_households
    resident_month = parts["minimum"] + parts["topup"] + parts["account"]  # yuan/month each
    s.cols["_resident_pension_month"] = resident_month
    resident_total = 12.0 * resident_month
    s.cols["hh_pension_income"] = bincount(
        pop.hh[r], weights=resident_total, minlength=H
    ) + bincount(pop.hh[e], weights=employee, minlength=H)

    # people under the resident pension age outside the employee scheme (neither working
    # members nor its pensioners) may contribute to the resident scheme
    eligible = (
        ~age_ok
        & (pop.emp != EMP_CHILD)
        & (pop.emp != EMP_STUDENT)
        & ~s.cols["in_employee_working"]
        & ~pop.emp_pension
    )
    s.cols["resident_pension_eligible"] = eligible
    s.cols["resident_contributor_voluntary"] = eligible & (
        pop.u["u_pen"] < p["pension.resident_contributor_share"]
    )


def contributions(s: YearState, p: PolicyYear) -> None:
    """Contributions and government matches of resident-scheme contributors (after contribution help)."""
    pop = s.pop
    paid_by_gov = s.cols["contribution_paid_by_government"]
    voluntary = s.cols["resident_contributor_voluntary"] & ~paid_by_gov
    s.cols["pension_resident_contributor"] = voluntary | paid_by_gov
    v = np.flatnonzero(voluntary)
    high_v = pop.u["u_tier"][v] < high_tier_probability(p)
    s.add_sparse(
        "pension_resident",
        "individuals",
        v,
        np.where(high_v, p["pension.resident_high_tier"], p["pension.resident_low_tier"]),
    )
    s.add_sparse(
        "pension_match",
        "local",
        v,
        np.where(high_v, p["pension.match_high_tier"], p["pension.match_low_tier"]),
        cash=False,
    )
    s.add_sparse(
        "pension_match",
        "local",
        np.flatnonzero(paid_by_gov),
        p["pension.match_low_tier"],
        cash=False,
    )
    high = np.zeros(pop.n_persons, dtype=bool)
    high[v[high_v]] = True
    s.cols["pension_high_tier"] = high
