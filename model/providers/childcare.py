"""Childcare (0-3): slots in communities, families deciding on care, providers adjusting.

Baseline stock: `000_14fca7413bbe244a.txt`: "目前，全国提供托育服务的机构已近 10 万个，托位约 480 万个".
Families with a child under 3 use care with a probability that is logistic in the log of the
net monthly price relative to household per-capita income, higher when all adults work and when
the community has embedded care. Vouchers (`000`: "抵扣金额最高可达 2000 元") lower the price for
those eligible where they live (migrants only as far as services are provided by residence);
employers may pay part of the price for formal employees (`003`: "推动普惠托育纳入企事业单位职工
福利体系"). Demand is served in the family's community, then elsewhere in the county, cheapest
providers first. Public investment adds affordable slots (`000`: "中央预算内投资 16 亿元支持 48 个托育
综合服务中心、2 万多个普惠托位建设"); embedded care comes to a rising share of large-city communities
(`003`: "10年左右推动大城市嵌入式普惠托育覆盖80%以上社区"). Private providers grow or shrink with
their margin (see `Provider.adjust`).
"""

from __future__ import annotations

import numpy as np

from model.geography import Geography, first_share
from model.kernels import bincount
from model.outputs import group_ratios
from model.population import EMP_FORMAL, is_employed
from model.providers.base import (
    AFFORDABLE,
    PRIVATE,
    PUBLIC,
    Provider,
    Roster,
    adjust_all,
    allocate_local_then_county,
    fill_cheapest_first,
    record_all,
)
from model.provinces import N_PROVINCES
from model.state import PolicyYear, YearState, logistic

KIND = "childcare"
RURAL_DEMAND_FACTOR = 0.4  # initial slots per child in rural communities relative to urban ones


def young_children(s: YearState) -> np.ndarray:
    """The person indices of children under 3 (those the childcare subsidy is paid for)."""
    return np.flatnonzero(s.pop.age <= 2)


def child_subsidy(s: YearState, p: PolicyYear, child: np.ndarray) -> None:
    """The childcare subsidy for each child under 3 (`childcare.child_subsidy`, yuan a year),
    split between central and local government (`childcare.child_subsidy_central_share`)."""
    central = p["childcare.child_subsidy_central_share"]
    s.add_sparse_split(
        "childcare_subsidy",
        child,
        p["childcare.child_subsidy"],
        {"central": central, "local": 1 - central},
    )


class ChildcareMarket:
    """The childcare providers of one model run and their yearly market."""

    def __init__(self, model, geo: Geography):
        self.model = model
        self.geo = geo
        self.embedded = np.zeros(geo.n_communities, dtype=bool)
        self.roster = Roster(model, KIND)

    def providers(self) -> list[Provider]:
        return self.roster()

    def _young_children(
        self, s: YearState
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Children under 3: person index, household, community and weight of each."""
        child = young_children(s)
        hh = s.pop.hh[child]
        return child, hh, self.geo.hh_community[hh], s.w[child]

    def _price_scales(self, s: YearState) -> np.ndarray:
        """Per community: prices follow local income, rural communities pay the rural/urban income ratio."""
        return np.where(self.geo.community_urban(), 1.0, s.mean_income_rural / s.mean_income_urban)

    def embedded_target(self, p: PolicyYear) -> np.ndarray:
        """Large-city communities that have embedded care at the share in force."""
        geo = self.geo
        return first_share(
            geo.community_rank,
            geo.county_large_city[geo.community_county],
            p["childcare.embedded_share"],
        )

    def place_initial_stock(self, s: YearState, p: PolicyYear) -> None:
        """Spread the 2024 slots over communities in proportion to young children (fewer in rural areas).

        Communities with embedded care in the base year have it within this stock.
        """
        geo = self.geo
        self.embedded = self.embedded_target(p)
        _, _, comm, w = self._young_children(s)
        kids = bincount(comm, weights=w, minlength=geo.n_communities)
        factor = np.where(geo.community_urban(), 1.0, RURAL_DEMAND_FACTOR)
        slots = kids * factor
        slots *= p["childcare.slots"] / slots.sum()
        aff = p["childcare.affordable_share"]
        scale = self._price_scales(s)
        price_aff = p["childcare.price_affordable"] * scale * s.income_index
        price_priv = p["childcare.price_private"] * scale * s.income_index
        for c in np.flatnonzero(
            slots > 0
        ):  # two providers (Mesa agents) per community with young children
            self.roster.open(AFFORDABLE, int(c), slots[c] * aff, price_aff[c], scale=scale[c])
            self.roster.open(PRIVATE, int(c), slots[c] * (1 - aff), price_priv[c], scale=scale[c])

    def invest(
        self, s: YearState, p: PolicyYear, children: tuple[np.ndarray, ...] | None = None
    ) -> None:
        """Public investment: new affordable slots where young children are least served; embedded care.

        `children` is `_young_children(s)` when the caller has it already.
        """
        geo = self.geo
        _, _, comm, w = self._young_children(s) if children is None else children
        kids = bincount(comm, weights=w, minlength=geo.n_communities)
        provs = self.providers()
        cap = bincount(
            np.array([a.place for a in provs], dtype=np.int64),
            weights=np.array([a.capacity for a in provs], dtype=float),
            minlength=geo.n_communities,
        )
        by_place = {a.place: a for a in provs if a.ownership == PUBLIC}
        scale = self._price_scales(s)
        price = p["childcare.price_affordable"] * scale * s.income_index

        new_by_province = np.zeros(N_PROVINCES)  # new public slots, by province

        def add_public(c: int, slots: float) -> None:
            new_by_province[geo.county_province[geo.community_county[c]]] += slots
            if c in by_place:
                by_place[c].capacity += slots
            else:
                by_place[c] = self.roster.open(PUBLIC, c, slots, price[c], scale=scale[c])

        new_public = 0.0
        # public slots are added towards the stated target of slots per 1,000 people and stop once
        # it is met
        room = p["childcare.slots_target_per_1000"] / 1000 * float(s.w.sum()) - float(cap.sum())
        added = min(p["childcare.public_slots_added"], max(room, 0.0))
        if added > 0:
            gap = np.maximum(kids * 0.25 - cap, 0.0)  # towards a quarter of young children
            weights = gap if gap.sum() > 0 else kids
            where = np.flatnonzero(weights > 0)
            for c, slots in zip(where.tolist(), (added * weights[where] / weights.sum()).tolist()):
                add_public(c, slots)
            new_public += added
        # embedded care: communities of large cities, in the order of their fixed rank
        target = self.embedded_target(p)
        new = np.flatnonzero(target & ~self.embedded)
        embedded_slots = p["childcare.embedded_capacity_share"] * kids[new]
        for c, slots in zip(new.tolist(), embedded_slots.tolist()):
            if slots > 0:
                add_public(c, slots)
                new_public += slots
        self.embedded |= target
        subsidy = p["childcare.construction_subsidy"]
        s.add_lump(
            "childcare_construction", "central", new_public * subsidy, new_by_province * subsidy
        )
        s.cols["childcare_new_public_slots"] = new_public

    def market_price(
        self, place: np.ndarray, cap: np.ndarray, price: np.ndarray, private: np.ndarray
    ) -> np.ndarray:
        """The monthly price a family weighs, per community: the market (private) price.

        Families decide at the market price; public and affordable places, cheaper, are then
        rationed among those who want care (cheapest first), so adding public places adds
        capacity without drawing in more demand than it can serve. The price is the
        capacity-weighted private price in the community, else in its county, else the mean
        price of whatever places the community (or county) has; NaN where there are none.
        """
        geo = self.geo

        def mean_price(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            c = bincount(place[mask], weights=cap[mask], minlength=geo.n_communities)
            v = bincount(place[mask], weights=cap[mask] * price[mask], minlength=geo.n_communities)
            ck = bincount(geo.community_county, weights=c, minlength=geo.n_counties)
            vk = bincount(geo.community_county, weights=v, minlength=geo.n_counties)
            comm = np.divide(v, c, out=np.full(geo.n_communities, np.nan), where=c > 0)
            county = np.divide(vk, ck, out=np.full(geo.n_counties, np.nan), where=ck > 0)[
                geo.community_county
            ]
            return comm, county

        priv_comm, priv_county = mean_price(private)
        all_comm, all_county = mean_price(np.ones(len(place), dtype=bool))
        out = priv_comm
        for fallback in (priv_county, all_comm, all_county):
            out = np.where(np.isnan(out), fallback, out)
        return out

    def year(self, s: YearState, p: PolicyYear, access: float) -> list[tuple[str, str, float, str]]:
        """Demand, allocation, costs and results of the year; then providers adjust for next year."""
        geo, pop = self.geo, s.pop
        child, hh, comm, w = children = self._young_children(s)
        self.invest(s, p, children)
        provs = self.providers()
        place = np.array([a.place for a in provs], dtype=np.int64)
        cap = np.array([a.capacity for a in provs])
        price = np.array([a.price for a in provs])
        comm_cap = bincount(place, weights=cap, minlength=geo.n_communities)
        expected = self.market_price(
            place, cap, price, np.array([a.ownership == PRIVATE for a in provs], dtype=bool)
        )

        working, formal = self._families_at_work(s, hh)
        migrant = s.migrant[child]
        eligible_local = ~migrant | (pop.u["u_queue"][child] < access)
        voucher = np.where(eligible_local, p["childcare.voucher"], 0.0)
        gross = expected[comm]
        has_care = ~np.isnan(gross)
        gross = np.nan_to_num(gross)
        employer = np.where(formal, p["childcare.employer_price_share"] * gross, 0.0)
        net = np.maximum(gross - voucher / 12 - employer, 0.05 * gross)
        income_month = np.maximum(s.cols["hh_means_income_pc"][hh] / 12, 100.0)
        x = (
            p["childcare.use_intercept"]
            + p["childcare.price_coefficient"] * np.log(np.maximum(net, 1.0) / income_month)
            + p["childcare.work_coefficient"] * working
            + p["childcare.embedded_coefficient"] * self.embedded[comm]
        )
        wants = has_care & (pop.u["u_care"][child] < logistic(x))

        d = np.flatnonzero(wants)
        travels = pop.u["u_care"][child[d]] < p["childcare.travel_share"] * logistic(x[d])
        local, away, used = allocate_local_then_county(
            comm[d], geo.community_county, w[d], pop.u["u_queue"][child[d]], travels, comm_cap
        )
        served = np.zeros(len(child))  # fraction of each child's weight in care
        served[d] = local + away

        prov_served = fill_cheapest_first(place, price, cap, used)
        record_all(provs, prov_served)
        paid_price = np.divide(
            bincount(place, weights=prov_served * price, minlength=geo.n_communities),
            used,
            out=np.zeros(geo.n_communities),
            where=used > 0,
        )

        # money (per child, for the share of the year's weight in care)
        s.add_sparse("childcare_voucher", "local", child, voucher * served, cash=False)
        s.add_sparse("childcare_employer", "employers", child, employer * 12 * served, cash=False)
        child_subsidy(s, p, child)
        affordable = [a for a in provs if a.ownership != PRIVATE]
        aff_slots = sum(a.capacity for a in affordable)
        operating = np.array([a.capacity for a in affordable]) * p["childcare.operating_subsidy"]
        s.add_lump(
            "childcare_operating",
            "local",
            float(operating.sum()),
            self.geo.by_province(
                np.array([a.place for a in affordable], dtype=np.intp), operating, "community"
            ),
        )
        fee_month = np.maximum(paid_price[comm] - voucher / 12 - employer, 0.0)

        # results
        in_care = w * served
        waiting = w * wants * (1 - served)
        kids_total = float(w.sum())
        total_cap = float(cap.sum())
        used_total = float(used.sum())
        rows: list[tuple[str, str, float, str]] = [
            ("all", "childcare_slots", total_cap, "slots"),
            (
                "all",
                "childcare_slots_per_1000",
                1000 * total_cap / float(s.w.sum()),
                "slots/1000 persons",
            ),
            ("all", "childcare_affordable_slots", aff_slots, "slots"),
            (
                "all",
                "childcare_new_public_slots",
                float(s.cols["childcare_new_public_slots"]),
                "slots",
            ),
            (
                "all",
                "childcare_institutions",
                # counted at the base year's mean size (none without a base-year stock)
                total_cap / p["childcare.slots"] * p["childcare.institutions"]
                if p["childcare.slots"] > 0
                else 0.0,
                "institutions",
            ),
            ("all", "childcare_children_under3", kids_total, "persons"),
            ("all", "childcare_demand", float(w[wants].sum()), "persons"),
            ("all", "childcare_served", float(in_care.sum()), "persons"),
            ("all", "childcare_unmet_demand", float(waiting.sum()), "persons"),
            (
                "all",
                "childcare_vacancy_rate",
                1 - used_total / total_cap if total_cap else float("nan"),
                "share",
            ),
            (
                "all",
                "childcare_net_price",
                float(np.sum(in_care * fee_month) / max(in_care.sum(), 1e-9)),
                "yuan/month",
            ),
            ("all", "childcare_providers", float(len(provs)), "agents"),
        ]
        cell = s.cols["_cell"][child]
        for g, v in group_ratios(cell, in_care, w):
            rows.append((g, "childcare_enrolment_rate", v, "share"))
        for g, v in group_ratios(cell, waiting, w):
            rows.append((g, "childcare_unmet_share", v, "share"))
        s.cols["childcare_in_care"] = (child, served)

        # providers adjust for next year
        terms = dict(
            unit_cost=p["childcare.unit_cost"] * s.income_index,
            subsidy_month=0.0,
            response=p["providers.capacity_response"],
            price_response=p["providers.price_response"],
            target_occupancy=p["childcare.target_occupancy"],
        )
        adjust_all(provs, **terms)
        self._entry(p, comm[d], w[d], served[d], s)
        return rows

    def _families_at_work(self, s: YearState, hh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For households `hh`: all adults (16-59) work and there is at least one; a member is a formal employee.

        Only the members of these households are looked at (not every person).
        """
        pop = s.pop
        H = pop.n_households
        members = pop.members_of(hh)
        member_hh, age, emp = pop.hh[members], pop.age[members], pop.emp[members]
        adult = (age >= 16) & (age < 60)
        has_adult, has_idle_adult, formal = (
            np.zeros(H, dtype=bool),
            np.zeros(H, dtype=bool),
            np.zeros(H, dtype=bool),
        )
        has_adult[member_hh[adult]] = True
        has_idle_adult[member_hh[adult & ~is_employed(emp)]] = True
        formal[member_hh[emp == EMP_FORMAL]] = True
        return has_adult[hh] & ~has_idle_adult[hh], formal[hh]

    def _entry(
        self, p: PolicyYear, comm: np.ndarray, w: np.ndarray, served: np.ndarray, s: YearState
    ) -> None:
        """New private providers open where unmet demand is large and a provider would break even."""
        unmet = bincount(comm, weights=w * (1 - served), minlength=self.geo.n_communities)
        demand = bincount(comm, weights=w, minlength=self.geo.n_communities)
        price = p["childcare.price_private"] * s.income_index
        # opens at a size the unmet demand would fill to the target occupancy, if that pays
        if not p["childcare.target_occupancy"] * price >= p["childcare.unit_cost"] * s.income_index:
            return
        scale = self._price_scales(s)
        size = unmet * p["providers.entry_share"] / p["childcare.target_occupancy"]
        for c in np.flatnonzero(
            (unmet > 0.2 * np.maximum(demand, 1e-9)) & (unmet > 0)
        ):  # one provider (Mesa agent) each
            self.roster.open(PRIVATE, int(c), size[c], price * scale[c], scale=scale[c])
