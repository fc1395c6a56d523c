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

from model import kernels
from model.measures import contribution_help
from model.population import EMP_CHILD, EMP_STUDENT
from model.state import ByProvince, PolicyYear, YearState, logistic, logit


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
    that amount). The model runs this rule compiled (`kernels.basic_pensions`); this is its
    readable form and the tests' reference.
    """
    above = p.provincial("pension.resident_provincial")[province]
    account = np.minimum(p["pension.resident_account"], above)
    return {"minimum": p["pension.resident_minimum"], "topup": above - account, "account": account}


def apply(s: YearState, p: PolicyYear) -> None:
    """Set pension recipients and resident contributors; add the year's pension flows.

    Employee pensioners draw their own pension (`Population.pension_amount`, set at retirement
    from their record and pay and raised every year) from the insurance fund. Resident
    pensioners draw the national minimum (central and local governments by region), the
    provincial top-up (local) and a personal-account pension (the fund's individual accounts),
    as `resident_pension` gives them. People under the resident pension age outside the
    employee scheme (neither working members nor its pensioners) may contribute to the resident
    scheme. The rules run compiled, with the draws of `u_pen`, in one pass
    (`kernels.basic_pensions`).
    """
    pop = s.pop
    account_cap = p["pension.resident_account"]
    cash, _ = s.person_flows()
    resident, eligible, voluntary, pension_income, sums = kernels.basic_pensions(
        pop.age,
        pop.emp,
        EMP_CHILD,
        EMP_STUDENT,
        pop.emp_pension,
        pop.pension_amount,
        s.cols["in_employee_working"],
        pop.u["u_pen"],
        pop.hh,
        pop.hh_province,
        s.w,
        p.provincial("pension.resident_takeup"),
        p["pension.resident_minimum"],
        p.provincial("pension.resident_provincial"),
        account_cap,
        p["pension.resident_pension_age"],
        p["pension.resident_contributor_share"],
        cash,
        pop.n_households,
    )
    # retired at the statutory age for their sex and cohort
    s.cols["pension_employee_recipient"] = pop.emp_pension
    s.cols["pension_resident_recipient"] = resident
    central = ByProvince(p.provincial("pension.minimum_central_share"))
    s.book_sums("pension_resident", sums[0], {"central": central, "local": central.rest()})
    s.book_sums("pension_resident_topup", sums[1], {"local": 1.0})
    s.book_sums("pension_resident_account", sums[2], {"insurance_fund": 1.0})
    s.book_sums("pension_employee", sums[3], {"insurance_fund": 1.0})
    # resident pensions by province (weighted yuan/month), for their average
    s.cols["_resident_pension_paid"] = sums[4]
    # pensions received by each household (yuan/year), for the dibao means test
    s.cols["hh_pension_income"] = pension_income
    s.cols["resident_pension_eligible"] = eligible
    s.cols["resident_contributor_voluntary"] = voluntary


def contributions(s: YearState, p: PolicyYear) -> None:
    """Contributions and government matches of resident-scheme contributors, the minimum-tier
    contributions government pays for people in hardship (`contribution_help`) included.

    An eligible working-age member of a hardship household is paid for with probability
    `help.hardship_paid_share` (the low tier, booked to local government as `contribution_help`);
    the other voluntary contributors pay the high tier with `high_tier_probability`, else the
    low tier (`pension_resident`, paid by individuals); local government matches every
    contribution (`pension_match`). One compiled pass (`kernels.resident_contributions`).
    """
    pop = s.pop
    cash, in_kind = s.person_flows()
    paid, contributor, high, sums = kernels.resident_contributions(
        s.cols["resident_pension_eligible"],
        s.cols["resident_contributor_voluntary"],
        contribution_help.hardship_households(s, p),
        pop.hh,
        pop.u["u_help"],
        pop.u["u_tier"],
        pop.hh_province,
        s.w,
        np.array([p["help.hardship_paid_share"], high_tier_probability(p)]),
        np.array(
            [
                p["pension.resident_low_tier"],
                p["pension.resident_high_tier"],
                p["pension.match_low_tier"],
                p["pension.match_high_tier"],
            ]
        ),
        cash,
        in_kind,
    )
    s.cols["contribution_paid_by_government"] = paid
    s.cols["pension_resident_contributor"] = contributor
    s.cols["pension_high_tier"] = high
    s.book_sums("contribution_help", sums[0], {"local": 1.0})
    s.book_sums("pension_resident", sums[1], {"individuals": 1.0})
    s.book_sums("pension_match", sums[2], {"local": 1.0})
    s.book_sums("pension_match", sums[3], {"local": 1.0})
