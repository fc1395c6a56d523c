"""Elderly care for disabled and semi-disabled people 60+: nursing beds, day care, home-care beds.

Baseline (public-facts.md): registered institutions hold 507.7万 beds, 65.7% of them nursing-type;
community facilities the rest of the 799.3万; medical-elderly integrated institutions hold 200万
beds (`000_14fca7413bbe244a.txt`: "医养结合机构有 7800 多家，床位总数达 200 万张"). Disabled elderly
seek a nursing bed in their county with a probability logistic in the log of its price relative
to their household's per-capita income; those who do not seek one, or find none, may seek
community day care; a national programme of home-care beds (家庭养老床位) goes to the poorest of
those left; the rest are cared for by family. Only nursing-type beds serve the disabled. New beds
follow the nursing-type share required of new institutions (`001_3ac9c84125cde09e.txt`:
"新建养老机构护理型床位占比原则上不低于80%"); the Opinions also convert existing beds.
"""

from __future__ import annotations

import numpy as np

from model.geography import Geography
from model.kernels import bincount
from model.outputs import group_ratios
from model.providers.base import (
    PRIVATE,
    PUBLIC,
    Provider,
    Roster,
    adjust_all,
    allocate,
    allocate_local_then_county,
    fill_cheapest_first,
    record_all,
)
from model.provinces import N_PROVINCES
from model.state import PolicyYear, YearState, logistic

NURSING, DAYCARE = "nursing", "daycare"


class ElderlyCareMarket:
    """Nursing-bed institutions (per county) and day-care centres (per community)."""

    def __init__(self, model, geo: Geography):
        self.model = model
        self.geo = geo
        self.rosters = {NURSING: Roster(model, NURSING), DAYCARE: Roster(model, DAYCARE)}

    def providers(self, kind: str) -> list[Provider]:
        return self.rosters[kind]()

    def _scales(self, urban: np.ndarray, s: YearState) -> np.ndarray:
        """Prices and costs follow local income: rural places pay the rural/urban income ratio."""
        return np.where(urban, 1.0, s.mean_income_rural / s.mean_income_urban)

    def _elders(self, s: YearState, disabled_only: bool = True) -> tuple[np.ndarray, ...]:
        """Persons 60+ (by default the disabled only): person index, household, weight, county, community."""
        pop, geo = s.pop, self.geo
        who = np.flatnonzero(pop.disabled & (pop.age >= 60) if disabled_only else pop.age >= 60)
        hh = pop.hh[who]
        return who, hh, s.w[who], geo.hh_county()[hh], geo.hh_community[hh]

    def _per_place(self, elders: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Weighted persons of `_elders` per county and per community."""
        geo, (_, _, w, county, comm) = self.geo, elders
        return (
            bincount(county, weights=w, minlength=geo.n_counties),
            bincount(comm, weights=w, minlength=geo.n_communities),
        )

    def place_initial_stock(self, s: YearState, p: PolicyYear) -> None:
        geo = self.geo
        elders_county, elders_comm = self._per_place(self._elders(s, disabled_only=False))
        beds = elders_county / elders_county.sum() * p["elderly.institution_beds"]
        nursing = beds * p["elderly.nursing_share"]
        # integrated beds are nursing beds (model.consistency: at most the nursing-type beds)
        integrated_share = (
            p["elderly.integrated_beds"] / nursing.sum() if nursing.sum() > 0 else 0.0
        )
        pub = p["elderly.public_share"]
        sc = self._scales(geo.county_urban, s)
        for k in np.flatnonzero(
            beds > 0
        ):  # a public and a private institution (Mesa agents) per county
            for own, share, price in (
                (PUBLIC, pub, p["elderly.price_public"]),
                (PRIVATE, 1 - pub, p["elderly.price_private"]),
            ):
                self.rosters[NURSING].open(
                    own,
                    int(k),
                    nursing[k] * share,
                    price * sc[k],
                    other_capacity=(beds[k] - nursing[k]) * share,
                    integrated=nursing[k] * share * integrated_share,
                    scale=sc[k],
                )
        places = elders_comm / elders_comm.sum() * p["elderly.community_places"]
        sc = self._scales(geo.community_urban(), s)
        for c in np.flatnonzero(places > 0):  # a day-care centre per community
            self.rosters[DAYCARE].open(
                PUBLIC, int(c), places[c], p["elderly.price_daycare"] * sc[c], scale=sc[c]
            )

    def invest(
        self, s: YearState, p: PolicyYear, elders: tuple[np.ndarray, ...] | None = None
    ) -> None:
        """Conversions of existing beds to nursing-type, public nursing beds and day-care places.

        `elders` is `_elders(s)` (the disabled 60+) when the caller has it already.
        """
        geo = self.geo
        rate = p["elderly.conversion_rate"]
        insts = self.providers(NURSING)
        moved = np.zeros(len(insts))  # beds converted, by institution
        if rate > 0:
            for i, a in enumerate(insts):
                moved[i] = a.other_capacity * rate
                a.other_capacity -= moved[i]
                a.capacity += moved[i]
        cost = moved * p["elderly.conversion_cost"]
        counties = np.array([a.place for a in insts], dtype=np.intp)
        s.add_lump(
            "elderly_conversion",
            "local",
            float(cost.sum()),
            geo.by_province(counties, cost, "county"),
        )
        added = p["elderly.public_beds_added"]
        places = p["elderly.daycare_places_added"]
        built = np.zeros(N_PROVINCES)  # new public beds and day-care places, by province
        need, need_c = self._per_place(
            self._elders(s) if elders is None else elders
        )  # disabled elders per county and community
        if added > 0:
            public = {a.place: a for a in insts if a.ownership == PUBLIC}
            share = p["elderly.new_nursing_share"]
            where = np.flatnonzero(need > 0)
            sc = self._scales(geo.county_urban, s)
            beds_by_county = added * need[where] / need.sum()
            built += geo.by_province(where, beds_by_county, "county")
            for k, beds in zip(where.tolist(), beds_by_county.tolist()):
                if k in public:
                    public[k].capacity += beds * share
                    public[k].other_capacity += beds * (1 - share)
                else:
                    public[k] = self.rosters[NURSING].open(
                        PUBLIC,
                        k,
                        beds * share,
                        p["elderly.price_public"] * sc[k] * s.income_index,
                        other_capacity=beds * (1 - share),
                        scale=sc[k],
                    )
        if places > 0:
            centres = {a.place: a for a in self.providers(DAYCARE)}
            where = np.flatnonzero(need_c > 0)
            sc = self._scales(geo.community_urban(), s)
            places_by_community = places * need_c[where] / need_c.sum()
            built += geo.by_province(where, places_by_community, "community")
            for c, extra in zip(where.tolist(), places_by_community.tolist()):
                if c in centres:
                    centres[c].capacity += extra
                else:
                    centres[c] = self.rosters[DAYCARE].open(
                        PUBLIC,
                        c,
                        extra,
                        p["elderly.price_daycare"] * sc[c] * s.income_index,
                        scale=sc[c],
                    )
        subsidy = p["elderly.construction_subsidy"]
        s.add_lump("elderly_construction", "central", (added + places) * subsidy, built * subsidy)

    def year(self, s: YearState, p: PolicyYear) -> list[tuple[str, str, float, str]]:
        geo, pop = self.geo, s.pop
        who, hh, w, county, comm = elders = self._elders(s)
        self.invest(s, p, elders)
        insts = self.providers(NURSING)
        centres = self.providers(DAYCARE)
        i_place = np.array([a.place for a in insts], dtype=np.int64)
        i_cap = np.array([a.capacity for a in insts])
        i_price = np.array([a.price for a in insts])
        county_cap = bincount(i_place, weights=i_cap, minlength=geo.n_counties)
        county_price = np.divide(
            bincount(i_place, weights=i_cap * i_price, minlength=geo.n_counties),
            county_cap,
            out=np.zeros(geo.n_counties),
            where=county_cap > 0,
        )
        c_place = np.array([a.place for a in centres], dtype=np.int64)
        c_cap = np.array([a.capacity for a in centres])
        c_price = np.array([a.price for a in centres])
        comm_cap = bincount(c_place, weights=c_cap, minlength=geo.n_communities)

        income_month = np.maximum(s.cols["hh_means_income_pc"][hh] / 12, 100.0)
        queue = pop.u["u_queue"][who]
        beta = p["elderly.price_coefficient"]

        price_i = county_price[county]
        p_inst = np.where(
            price_i > 0,
            logistic(
                p["elderly.institution_intercept"]
                + beta * np.log(np.maximum(price_i, 1.0) / income_month)
            ),
            0.0,
        )
        wants_inst = pop.u["u_care"][who] < p_inst
        d = np.flatnonzero(wants_inst)
        in_inst = np.zeros(len(who))  # fraction of each elder's weight in each mode
        in_inst[d] = allocate(county[d], w[d], queue[d], county_cap)
        used_i = bincount(county, weights=w * in_inst, minlength=geo.n_counties)

        comm_price = np.divide(
            bincount(c_place, weights=c_cap * c_price, minlength=geo.n_communities),
            comm_cap,
            out=np.zeros(geo.n_communities),
            where=comm_cap > 0,
        )
        price_d = comm_price[comm]
        p_day = logistic(
            p["elderly.daycare_intercept"] + beta * np.log(np.maximum(price_d, 1.0) / income_month)
        )
        # day care is sought by those who want it and are not (wholly) in an institution
        wants_day = (in_inst < 1) & (pop.u["u_day"][who] < p_day)
        d2 = np.flatnonzero(wants_day)
        left = 1 - in_inst[d2]
        local, away, used_c = allocate_local_then_county(
            comm[d2],
            geo.community_county,
            w[d2] * left,
            queue[d2],
            np.ones(len(d2), bool),
            comm_cap,
        )
        in_day = np.zeros(len(who))
        in_day[d2] = left * (local + away)

        rest = 1 - in_inst - in_day
        home = np.zeros(len(who))
        r = np.flatnonzero(rest > 1e-12)
        if p["elderly.home_beds"] > 0 and len(r):
            # the programme reaches the poorest first
            home[r] = rest[r] * allocate(
                np.zeros(len(r), dtype=np.int64),
                w[r] * rest[r],
                income_month[r],
                np.array([p["elderly.home_beds"]]),
            )
        family = 1 - in_inst - in_day - home
        sought = wants_inst | wants_day
        unmet = np.where(sought, family, 0.0)

        record_all(insts, fill_cheapest_first(i_place, i_price, i_cap, used_i))
        record_all(centres, fill_cheapest_first(c_place, c_price, c_cap, used_c))

        s.add_sparse(
            "elderly_bed_subsidy", "local", who, in_inst * p["elderly.bed_subsidy"], cash=False
        )
        s.add_sparse(
            "elderly_home_beds", "local", who, home * p["elderly.home_bed_subsidy"], cash=False
        )

        nursing = float(i_cap.sum())
        other = float(sum(a.other_capacity for a in insts))
        integrated = float(sum(a.integrated for a in insts))
        total = float(w.sum())
        rows: list[tuple[str, str, float, str]] = [
            ("all", "elderly_disabled", total, "persons"),
            ("all", "elderly_beds", nursing + other, "beds"),
            ("all", "elderly_nursing_beds", nursing, "beds"),
            (
                "all",
                "elderly_nursing_share",
                nursing / (nursing + other) if nursing + other else float("nan"),
                "share",
            ),
            ("all", "elderly_integrated_beds", integrated, "beds"),
            (
                "all",
                "elderly_integrated_institutions",
                integrated / p["elderly.integrated_beds"] * p["elderly.integrated_institutions"]
                if p["elderly.integrated_beds"] > 0
                else 0.0,
                "institutions",
            ),
            ("all", "elderly_daycare_places", float(c_cap.sum()), "places"),
            ("all", "elderly_home_beds", float(w @ home), "beds"),
            (
                "all",
                "elderly_nursing_occupancy",
                float(used_i.sum() / nursing) if nursing else float("nan"),
                "share",
            ),
        ]
        modes = {"institution": in_inst, "daycare": in_day, "home_bed": home, "family": family}
        for name, frac in modes.items():
            rows.append(("all", f"elderly_served_{name}", float(w @ frac), "persons"))
        rows.append(("all", "elderly_unmet_need", float(w @ unmet), "persons"))
        cell = s.cols["_cell"][who]
        for g, v in group_ratios(cell, w * (in_inst + in_day + home), w):
            rows.append((g, "elderly_formal_care_share", v, "share"))
        for g, v in group_ratios(cell, w * unmet, w):
            rows.append((g, "elderly_unmet_share", v, "share"))

        terms = dict(
            unit_cost=p["elderly.unit_cost"] * s.income_index,
            subsidy_month=0.0,
            user_subsidy_month=p["elderly.bed_subsidy"] / 12,
            response=p["providers.capacity_response"],
            price_response=p["providers.price_response"],
            target_occupancy=p["elderly.target_occupancy"],
            new_nursing_share=p["elderly.new_nursing_share"],
        )
        adjust_all(insts, **terms)
        return rows
