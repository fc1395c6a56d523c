"""Primary care: where outpatient visits happen, what they cost households, and county medical communities.

Each county has a primary-care network (a Mesa agent) with a yearly visit capacity. People make
`primary.visits_per_capita` visits a year (twice that at 60+); a share prefers primary care, higher
where the county has a close-knit county medical community (`001_3ac9c84125cde09e.txt`:
"截至2024年底,全国已有2188个县(市、区)推进紧密型县域医共体建设"; 2025: "推进90%以上的县域建成紧密型
县域医共体"), which also raises primary capacity. Visits beyond capacity go to hospitals. Out of
pocket: the visit cost, less insurance reimbursement for the insured, with drug costs cut by
volume-based procurement (`000_14fca7413bbe244a.txt`: "纳入 374 种药品，平均降价超 50%").
The fiscal cost is the basic public-health subsidy per person (`001`: "基本公共卫生服务经费人均财政补助
标准进一步提高,达到每人每年99元").
"""

from __future__ import annotations

import numpy as np

from model import kernels
from model.geography import Geography, first_share
from model.kernels import bincount
from model.outputs import GROUP_CELLS, REPORT_GROUPS, group_ratios
from model.providers.base import PUBLIC, Provider, Roster, record_all
from model.state import PolicyYear, YearState

KIND = "primary"
ELDERLY_VISIT_MULTIPLE = 2.0  # people 60+ make twice the visits of younger people
N_CELLS = len(GROUP_CELLS["all"])  # cells of the group partition (see model.outputs)


class PrimaryCare:
    """County primary-care networks and the year's outpatient visits."""

    def __init__(self, model, geo: Geography):
        self.model = model
        self.geo = geo
        self.base_capacity: np.ndarray | None = None
        self.networks = Roster(model, KIND)

    def providers(self) -> list[Provider]:
        return sorted(self.networks(), key=lambda a: a.place)

    def medcom(self, p: PolicyYear) -> np.ndarray:
        """Counties with a county medical community (rural counties, in their fixed rank order)."""
        share = p["primary.medcom_counties"] / p["primary.county_units"]
        return first_share(self.geo.county_rank, ~self.geo.county_urban, share)

    def _visits(self, p: PolicyYear) -> np.ndarray:
        """Visits a year of a person under 60 and of a person 60+ (indexed by age >= 60)."""
        return p["primary.visits_per_capita"] * np.array([1.0, ELDERLY_VISIT_MULTIPLE])

    def _persons(self, s: YearState) -> tuple[np.ndarray, np.ndarray]:
        """Each person's code of county, 60+, insured and group cell; the weighted persons per code.

        Visits, their cost and its reimbursement depend on these only. Returns the code of each
        person and the persons, shaped (county, 60+, insured, cell).
        """
        pop = s.pop
        # persons are counted by county x 60+ x insured x group cell; the household's part of the
        # code (read each year: households move to towns and new ones form), then the person's
        code = kernels.person_codes(
            pop.hh,
            self.geo.hh_county() * (4 * N_CELLS),
            (pop.age >= 60, s.cols["medical_employee"] | s.cols["medical_resident"]),
            (2 * N_CELLS, N_CELLS),
            base=s.cols["_cell"],
        )
        K = self.geo.n_counties
        return code, bincount(code, weights=s.w, minlength=K * 4 * N_CELLS).reshape(
            K, 2, 2, N_CELLS
        )

    def preference(self, p: PolicyYear, medcom: np.ndarray) -> np.ndarray:
        """Share of visits people would make at primary level, per county."""
        return np.clip(p["primary.primary_share"] + p["primary.medcom_effect"] * medcom, 0.0, 1.0)

    def place_initial_stock(self, s: YearState, p: PolicyYear) -> None:
        """Primary capacity per county: the 2024 primary demand times the slack."""
        _, persons = self._persons(s)
        pref = self.preference(p, self.medcom(p))
        demand = persons.sum(axis=(2, 3)) @ self._visits(p) * pref
        self.base_capacity = demand * p["primary.capacity_slack"]
        for k in range(self.geo.n_counties):
            self.networks.open(PUBLIC, k, self.base_capacity[k], p["primary.cost_primary"])

    def year(self, s: YearState, p: PolicyYear) -> list[tuple[str, str, float, str]]:
        """Visits served at primary level per county, what they cost households and the insurance fund.

        Everything depends on a person's county, age (60+ or not), insurance and group cell
        only, so persons are counted once per such combination and each person's
        reimbursement is looked up in a small table.
        """
        medcom = self.medcom(p)
        provs = self.providers()  # one network per county, in county order
        # a county medical community raises primary capacity over the county's base
        cap = self.base_capacity * (1 + p["primary.medcom_capacity_gain"] * medcom)
        cap_of = cap.tolist()
        for a in provs:
            a.capacity = cap_of[a.place]
        v = self._visits(p)

        code, persons = self._persons(s)
        by_county_age = persons.sum(axis=(2, 3))

        total_visits = by_county_age @ v
        wanted = total_visits * self.preference(p, medcom)
        served = np.minimum(wanted, cap)
        record_all(provs, served)
        # each person's visits split as their county's: served primary share
        primary_share = np.divide(
            served, total_visits, out=np.zeros_like(served), where=total_visits > 0
        )
        drug_factor = (
            1
            - p["primary.drug_share"]
            * p["primary.procurement_cut"]
            * p["primary.procurement_coverage"]
        )
        visit_cost = (
            primary_share * p["primary.cost_primary"]
            + (1 - primary_share) * p["primary.cost_hospital"]
        )
        cost = (
            v[None, :] * visit_cost[:, None] * drug_factor * s.income_index
        )  # (county, 60+) per person
        reimb = np.array([0.0, p["primary.reimbursement"]])  # (insured)
        reimbursed = cost[:, :, None] * reimb  # (county, 60+, insured) per person
        oop = cost[:, :, None] * (1 - reimb)
        s.add_by_code(
            "outpatient_reimbursement",
            "insurance_fund",
            np.repeat(reimbursed.ravel(), N_CELLS),
            code,
            cash=False,
        )
        # the same for everyone, so it is booked as a lump (it does not change who gains relative to whom)
        wsum = float(s.w.sum())
        residents = s.by_province(s.person_province, s.w)  # funding is per resident
        funding = p["primary.public_health_funding"] * residents
        central = p["primary.public_health_central_share"]
        s.add_lump("public_health", "central", float(funding.sum()) * central, funding * central)
        s.add_lump(
            "public_health", "local", float(funding.sum()) * (1 - central), funding * (1 - central)
        )

        cells = np.arange(N_CELLS)
        oop_cell = np.einsum("koic,koi->c", persons, oop)
        persons_cell = persons.sum(axis=(0, 1, 2))
        visits = persons.sum(axis=2) * v[None, :, None]  # (county, 60+, cell)
        rows: list[tuple[str, str, float, str]] = [
            ("all", "primary_visit_share", float(served.sum() / total_visits.sum()), "share"),
            ("all", "outpatient_visits", float(total_visits.sum()), "visits"),
            (
                "all",
                "medcom_counties",
                p["primary.county_units"] * float(np.mean(medcom[~self.geo.county_urban]))
                if (~self.geo.county_urban).any()
                else 0.0,
                "counties",
            ),
            ("all", "oop_per_capita", float(oop_cell.sum() / wsum), "yuan/person/year"),
            ("all", "primary_capacity_used", float(served.sum() / cap.sum()), "share"),
        ]
        for g, val in group_ratios(cells, oop_cell, persons_cell, REPORT_GROUPS[1:]):
            rows.append((g, "oop_per_capita", val, "yuan/person/year"))
        primary_visits_cell = np.einsum("koc,k->c", visits, primary_share)
        for g, val in group_ratios(
            cells, primary_visits_cell, visits.sum(axis=(0, 1)), REPORT_GROUPS[1:]
        ):
            rows.append((g, "primary_visit_share", val, "share"))
        return rows
