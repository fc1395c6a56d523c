"""The year's results as tidy rows: (group, metric, value, unit), national weighted totals.

Groups: ``all``; ``urban`` / ``rural`` (residence); ``urban_hukou`` / ``rural_hukou``;
``migrant`` / ``non_migrant``; ``flexible_worker``; ``quintile_1..5`` and ``decile_1..10`` of
household per-capita income other than the modelled transfers (policy-independent, so the same
people are in the same group in every scenario of a run). Costs are ``cost.<measure>`` with the
payer as group, in yuan/year.
"""

from __future__ import annotations

import numpy as np

from model.population import EMP_CHILD, EMP_FLEXIBLE, EMP_STUDENT
from model.state import PAYERS, PolicyYear, YearState

Row = tuple[str, str, float, str]


def weighted_quantile_groups(values: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Group index 0..n-1 of each element: equal weighted shares after sorting by value.

    An element belongs to the group its cumulative-weight midpoint falls in.
    """
    order = np.argsort(values, kind="stable")
    w = weights[order]
    cum = np.cumsum(w)
    mid = (cum - 0.5 * w) / cum[-1]
    grp = np.empty(len(values), dtype=np.int8)
    grp[order] = np.minimum((mid * n).astype(np.int64), n - 1)
    return grp


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2)])


def gini(values: np.ndarray, weights: np.ndarray) -> float:
    """Gini coefficient of `values` with population weights (0 = equal, 1 = one takes all)."""
    order = np.argsort(values, kind="stable")
    x, w = values[order], weights[order]
    cw = np.cumsum(w)
    cxw = np.cumsum(x * w)
    total_w, total_xw = cw[-1], cxw[-1]
    # area under the Lorenz curve by trapezoids
    lorenz = cxw / total_xw
    prev = np.r_[0.0, lorenz[:-1]]
    area = np.sum((lorenz + prev) * w) / (2 * total_w)
    return float(1 - 2 * area)


def collect(s: YearState, p: PolicyYear) -> list[Row]:
    """All metrics of one year, after every measure has run."""
    pop = s.pop
    w = s.w
    c = s.cols
    rows: list[Row] = []
    H = pop.n_households
    hh_pw = pop.hh_weight * s.hh_size  # persons represented by each household

    # groups (person masks)
    hh_quint = weighted_quantile_groups(s.other_pc, hh_pw, 5)
    hh_dec = weighted_quantile_groups(s.other_pc, hh_pw, 10)
    quint, dec = hh_quint[pop.hh], hh_dec[pop.hh]
    groups: dict[str, np.ndarray] = {
        "all": np.ones(pop.n_persons, dtype=bool),
        "urban": s.urban,
        "rural": ~s.urban,
        "urban_hukou": pop.urban_hukou,
        "rural_hukou": ~pop.urban_hukou,
        "migrant": s.migrant,
        "non_migrant": ~s.migrant,
        "flexible_worker": pop.emp == EMP_FLEXIBLE,
    }
    for q in range(5):
        groups[f"quintile_{q + 1}"] = quint == q

    def total(mask: np.ndarray) -> float:
        return float(np.sum(w[mask]))

    def share(num: np.ndarray, den: np.ndarray) -> float:
        d = total(den)
        return float(np.sum(w[num & den]) / d) if d > 0 else float("nan")

    adult = (pop.age >= 16) & (pop.emp != EMP_STUDENT) & (pop.emp != EMP_CHILD)
    pension_insured = (
        c["in_employee_working"] | c["pension_employee_recipient"] | c["pension_resident_recipient"] | c["pension_resident_contributor"]
    )
    medical_insured = c["medical_employee"] | c["medical_resident"]
    for g, m in groups.items():
        rows.append((g, "population", total(m), "persons"))
        rows.append((g, "pension_coverage", share(pension_insured, adult & m), "share"))
        rows.append((g, "medical_coverage", share(medical_insured, m), "share"))
        rows.append((g, "pension_insured", total(pension_insured & m), "persons"))
        rows.append((g, "medical_insured", total(medical_insured & m), "persons"))
    flex = groups["flexible_worker"]
    for g in ("all", "migrant", "non_migrant"):
        rows.append((g, "flexible_in_employee_scheme", share(c["flexible_enrolled"], flex & groups[g]), "share"))

    rows += [
        ("all", "households", float(pop.hh_weight.sum()), "households"),
        ("all", "pension_insured_employee", total(c["in_employee_working"] | c["pension_employee_recipient"]), "persons"),
        ("all", "pension_insured_resident", total(c["pension_resident_contributor"] | c["pension_resident_recipient"]), "persons"),
        ("all", "medical_insured_employee", total(c["medical_employee"]), "persons"),
        ("all", "medical_insured_resident", total(c["medical_resident"]), "persons"),
        ("all", "pension_recipients_employee", total(c["pension_employee_recipient"]), "persons"),
        ("all", "pension_recipients_resident", total(c["pension_resident_recipient"]), "persons"),
        ("all", "pension_recipients", total(c["pension_employee_recipient"] | c["pension_resident_recipient"]), "persons"),
        ("all", "resident_pension_contributors", total(c["pension_resident_contributor"]), "persons"),
        ("all", "resident_pension_high_tier", total(c["pension_high_tier"]), "persons"),
        ("all", "contributions_paid_by_government", total(c["contribution_paid_by_government"]), "persons"),
        ("all", "si_subsidised_workers", total(c["si_subsidised"]), "persons"),
        ("all", "near_dibao_identified", total(c["near_dibao_member"]), "persons"),
        ("all", "resident_medical_contribution", float(c["medical_resident_contribution"]), "yuan/person/year"),
        ("all", "migrant_service_access", float(c["migrant_access"]), "share"),
        ("urban", "dibao_standard", c["_dibao_standard"][0] / 12, "yuan/person/month"),
        ("rural", "dibao_standard", c["_dibao_standard"][1] / 12, "yuan/person/month"),
    ]
    for g in ("all", "urban", "rural"):
        rows.append((g, "dibao_recipients", total(c["dibao_member"] & groups[g]), "persons"))
    rows.append(("all", "dibao_households", float(np.sum(pop.hh_weight[c["hh_dibao"]])), "households"))
    rows.append(("all", "dibao_eligible_not_receiving", float(np.sum(hh_pw[c["hh_dibao_eligible"] & ~c["hh_dibao"]])), "persons"))

    # money: costs by measure and payer; net benefit and disposable income
    totals: dict[tuple[str, str], float] = {}
    cash = np.zeros(pop.n_persons)
    net = np.zeros(pop.n_persons)
    for f in s.flows:
        amount = f.amount.astype(np.float64)
        key = (f.measure, f.payer)
        totals[key] = totals.get(key, 0.0) + float(w @ amount)
        sign = -1.0 if f.payer == "individuals" else 1.0
        net += sign * amount
        if f.cash:
            cash += sign * amount
    measures = sorted({m for m, _ in totals})
    for m in measures:
        for payer in PAYERS:
            if (m, payer) in totals:
                rows.append((payer, f"cost.{m}", totals[(m, payer)], "yuan/year"))
    for payer in PAYERS:
        rows.append((payer, "cost.all", sum(v for (m, pp), v in totals.items() if pp == payer), "yuan/year"))
    rows.append(("government", "cost.all", sum(v for (m, pp), v in totals.items() if pp in ("central", "local")), "yuan/year"))

    disp_pc = s.other_pc + np.bincount(pop.hh, weights=cash, minlength=H) / np.maximum(s.hh_size, 1)
    net_pc_hh = np.bincount(pop.hh, weights=net, minlength=H)
    occupied = s.hh_size > 0
    dw = hh_pw[occupied]
    disp = disp_pc[occupied]
    rows.append(("all", "disposable_income_mean", float(np.sum(disp * dw) / dw.sum()), "yuan/person/year"))
    rows.append(("all", "gini_disposable_income", gini(disp, dw), "coefficient"))
    # NBS-style quintile means: households ranked by per-capita disposable income
    q_disp = weighted_quantile_groups(disp, dw, 5)
    for q in range(5):
        m = q_disp == q
        rows.append((f"quintile_{q + 1}", "income_quintile_mean", float(np.sum(disp[m] * dw[m]) / np.sum(dw[m])), "yuan/person/year"))
    line = p["outputs.poverty_line_share_of_median"] * weighted_median(disp, dw)
    poor = disp < line
    rows.append(("all", "poverty_line", line, "yuan/person/year"))
    rows.append(("all", "poverty_headcount", float(np.sum(dw[poor])), "persons"))
    rows.append(("all", "poverty_rate", float(np.sum(dw[poor]) / dw.sum()), "share"))
    rows.append(("all", "poverty_gap", float(np.sum(dw[poor] * (line - disp[poor])) / (line * dw.sum())), "share"))
    for d in range(10):
        m = hh_dec == d
        persons = float(np.sum(hh_pw[m]))
        rows.append((f"decile_{d + 1}", "net_benefit", float(np.sum(pop.hh_weight[m] * net_pc_hh[m]) / persons) if persons else 0.0, "yuan/person/year"))
    return rows
