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

from model.geography import Geography, first_share
from model.providers.base import PUBLIC, Provider
from model.outputs import REPORT_GROUPS, group_ratios
from model.state import PolicyYear, YearState

KIND = "primary"
ELDERLY_VISIT_MULTIPLE = 2.0  # people 60+ make twice the visits of younger people


class PrimaryCare:
    """County primary-care networks and the year's outpatient visits."""

    def __init__(self, model, geo: Geography):
        self.model = model
        self.geo = geo
        self.base_capacity: np.ndarray | None = None

    def providers(self) -> list[Provider]:
        return sorted((a for a in self.model.agents if isinstance(a, Provider) and a.kind == KIND), key=lambda a: a.place)

    def medcom(self, p: PolicyYear) -> np.ndarray:
        """Counties with a county medical community (rural counties, in their fixed rank order)."""
        share = p["primary.medcom_counties"] / p["primary.county_units"]
        return first_share(self.geo.county_rank, ~self.geo.county_urban, share)

    def _visits(self, s: YearState, p: PolicyYear) -> tuple[np.ndarray, np.ndarray]:
        pop = s.pop
        v = p["primary.visits_per_capita"] * np.where(pop.age >= 60, ELDERLY_VISIT_MULTIPLE, 1.0)
        county = self.geo.hh_county()[pop.hh]
        return v, county

    def preference(self, p: PolicyYear, medcom: np.ndarray) -> np.ndarray:
        """Share of visits people would make at primary level, per county."""
        return np.clip(p["primary.primary_share"] + p["primary.medcom_effect"] * medcom, 0.0, 1.0)

    def place_initial_stock(self, s: YearState, p: PolicyYear) -> None:
        """Primary capacity per county: the 2024 primary demand times the slack."""
        v, county = self._visits(s, p)
        pref = self.preference(p, self.medcom(p))
        demand = np.bincount(county, weights=s.w * v, minlength=self.geo.n_counties) * pref
        self.base_capacity = demand * p["primary.capacity_slack"]
        for k in range(self.geo.n_counties):
            Provider(self.model, KIND, PUBLIC, k, self.base_capacity[k], p["primary.cost_primary"])

    def year(self, s: YearState, p: PolicyYear) -> list[tuple[str, str, float, str]]:
        pop = s.pop
        medcom = self.medcom(p)
        provs = self.providers()
        for a in provs:
            # a county medical community raises primary capacity over the county's base
            a.capacity = self.base_capacity[a.place] * (1 + p["primary.medcom_capacity_gain"] * medcom[a.place])
        cap = np.array([a.capacity for a in provs])
        v, county = self._visits(s, p)
        pref = self.preference(p, medcom)
        wanted = np.bincount(county, weights=s.w * v, minlength=self.geo.n_counties) * pref
        served = np.minimum(wanted, cap)
        for a, sv in zip(provs, served):
            a.record(sv)
        # each person's visits split as their county's: served primary share
        total_visits = np.bincount(county, weights=s.w * v, minlength=self.geo.n_counties)
        primary_share = np.divide(served, total_visits, out=np.zeros_like(served), where=total_visits > 0)[county]
        drug_factor = 1 - p["primary.drug_share"] * p["primary.procurement_cut"] * p["primary.procurement_coverage"]
        cost = v * (primary_share * p["primary.cost_primary"] + (1 - primary_share) * p["primary.cost_hospital"]) * drug_factor * s.income_index
        insured = s.cols["medical_employee"] | s.cols["medical_resident"]
        reimb = np.where(insured, p["primary.reimbursement"], 0.0)
        oop = cost * (1 - reimb)
        s.add("outpatient_reimbursement", "insurance_fund", cost * reimb, cash=False)
        # the same for everyone, so it is booked as a lump (it does not change who gains relative to whom)
        funding = p["primary.public_health_funding"] * float(s.w.sum())
        s.add_lump("public_health", "central", funding * p["primary.public_health_central_share"])
        s.add_lump("public_health", "local", funding * (1 - p["primary.public_health_central_share"]))

        wsum = float(s.w.sum())
        rows: list[tuple[str, str, float, str]] = [
            ("all", "primary_visit_share", float(served.sum() / total_visits.sum()), "share"),
            ("all", "outpatient_visits", float(total_visits.sum()), "visits"),
            ("all", "medcom_counties", p["primary.county_units"] * float(np.mean(medcom[~self.geo.county_urban])) if (~self.geo.county_urban).any() else 0.0, "counties"),
            ("all", "oop_per_capita", float(s.w @ oop / wsum), "yuan/person/year"),
            ("all", "primary_capacity_used", float(served.sum() / cap.sum()), "share"),
        ]
        cell = s.cols["_cell"]
        for g, val in group_ratios(cell, s.w * oop, s.w, REPORT_GROUPS[1:]):
            rows.append((g, "oop_per_capita", val, "yuan/person/year"))
        wv = s.w * v
        for g, val in group_ratios(cell, wv * primary_share, wv, REPORT_GROUPS[1:]):
            rows.append((g, "primary_visit_share", val, "share"))
        return rows
