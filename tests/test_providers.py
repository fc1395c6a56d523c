"""Service providers: allocation arithmetic, capacity limits, conservation, monotone responses, costs."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

from model import load_scenario, run_scenario
from model.core import MinshengModel
from model.providers.base import (
    PRIVATE,
    PUBLIC,
    Provider,
    Roster,
    allocate,
    allocate_local_then_county,
    fill_cheapest_first,
)
from model.scenario import AssumptionSource
from tests.conftest import SCENARIOS, SMALL

SRC = AssumptionSource(assumption="a value set by a unit test")
YEARS = range(2024, 2031)


def variant(sc, year=2025, **changes):
    return sc.with_values(
        "variant", "variant", {k.replace("__", "."): {year: (v, SRC)} for k, v in changes.items()}
    )


def test_allocate_serves_in_queue_order_up_to_capacity():
    # place 0 has 10 places: weights 6 and 3 fit, the third (5) gets the last 1 of its 5
    frac = allocate(
        np.array([0, 0, 0, 1]),
        np.array([6.0, 3.0, 5.0, 4.0]),
        np.array([0.1, 0.2, 0.3, 0.0]),
        np.array([10.0, 0.0]),
    )
    assert frac == pytest.approx([1.0, 1.0, 0.2, 0.0])
    # queue order is by priority, not by position
    frac = allocate(np.array([0, 0]), np.array([6.0, 6.0]), np.array([0.9, 0.1]), np.array([6.0]))
    assert frac == pytest.approx([0.0, 1.0])


def test_spillover_to_the_county():
    # two communities of one county: A has 10 places and 4 demanders' worth; B has none and 8 who travel
    local, away, used = allocate_local_then_county(
        community=np.array([0, 1]),
        community_county=np.array([0, 0]),
        weight=np.array([4.0, 8.0]),
        priority=np.array([0.5, 0.5]),
        travels=np.array([True, True]),
        capacity=np.array([10.0, 0.0]),
    )
    assert local == pytest.approx([1.0, 0.0])
    assert away == pytest.approx([0.0, 6 / 8])  # the 6 places left in A
    assert used == pytest.approx([10.0, 0.0])


def test_fill_cheapest_first():
    served = fill_cheapest_first(
        np.array([0, 0, 1]),
        np.array([2000.0, 1000.0, 500.0]),
        np.array([10.0, 5.0, 3.0]),
        np.array([7.0, 3.0]),
    )
    assert served == pytest.approx([2.0, 5.0, 3.0])


def test_private_provider_adjusts_to_its_margin():
    model = mesa.Model(rng=1)
    a = Provider(model, "nursing", PRIVATE, 0, capacity=100.0, price=3000.0)
    a.served = 90.0  # occupancy 0.9: revenue 2,700 a bed-month against a cost of 2,000
    a.adjust(
        unit_cost=2000.0,
        subsidy_month=0.0,
        response=0.5,
        price_response=0.1,
        target_occupancy=0.5,
        new_nursing_share=0.8,
    )
    assert a.margin == pytest.approx(0.35)
    assert a.capacity == pytest.approx(100 * (1 + 0.10))  # 0.5 x 0.35 = 17.5%, capped at 10%
    assert a.other_capacity == pytest.approx(10 * 0.2 / 0.8)  # new beds: 80% nursing-type
    assert a.price == pytest.approx(3000 * (1 + 0.1 * 0.4))


def test_roster_drops_providers_that_close():
    model = mesa.Model(rng=1)
    roster = Roster(model, "childcare")
    small = roster.open(PRIVATE, 0, capacity=1.05, price=1000.0)
    kept = roster.open(PUBLIC, 1, capacity=50.0, price=1000.0)
    assert roster() == [small, kept]
    small.record(0.0)  # empty: it loses money and shrinks by 10%, below one place
    small.adjust(
        unit_cost=2000.0, subsidy_month=0.0, response=1.0, price_response=0.1, target_occupancy=0.8
    )
    assert small not in model.agents
    assert roster() == [kept] == list(model.agents)
    assert roster.open(PRIVATE, 2, capacity=10.0, price=1000.0) in roster()


@pytest.fixture(scope="module")
def package_model(opinions):
    m = MinshengModel(opinions, households=SMALL)
    for _ in range(6):
        m.step()
    return m


def test_capacity_is_never_exceeded(package_model):
    provs = [a for a in package_model.agents if isinstance(a, Provider)]
    assert len(provs) > 300  # thousands at the default 100,000 households
    for a in provs:
        assert a.served <= a.capacity_when_served * (1 + 1e-9) + 1e-6, (
            a.kind,
            a.ownership,
            a.place,
        )


def test_markets_see_the_providers_in_the_model(package_model):
    m = package_model
    for kind, roster in (
        ("childcare", m.childcare.roster),
        ("nursing", m.elderly.rosters["nursing"]),
        ("daycare", m.elderly.rosters["daycare"]),
        ("primary", m.primary.networks),
    ):
        in_model = [a for a in m.agents if isinstance(a, Provider) and a.kind == kind]
        assert in_model and roster() == in_model, kind  # the same providers, in the same order


def test_people_are_conserved(opinions_run):
    r = opinions_run
    for y in YEARS:
        assert r.value("childcare_served", y) + r.value(
            "childcare_unmet_demand", y
        ) == pytest.approx(r.value("childcare_demand", y), rel=1e-9)
        modes = sum(
            r.value(f"elderly_served_{m}", y)
            for m in ("institution", "daycare", "home_bed", "family")
        )
        assert modes == pytest.approx(r.value("elderly_disabled", y), rel=1e-9)
        assert r.value("childcare_served", y) <= r.value("childcare_slots", y)


def test_a_higher_voucher_never_lowers_childcare_use(baseline):
    runs = [
        run_scenario(variant(baseline, childcare__voucher=v), households=SMALL, end_year=2028)
        for v in (0, 2000, 6000)
    ]
    for y in range(2025, 2029):
        served = [r.value("childcare_served", y) for r in runs]
        assert served[0] <= served[1] <= served[2], (y, served)
    assert runs[2].value("childcare_served", 2025) > runs[0].value("childcare_served", 2025)


def test_adding_public_slots_never_lowers_slots_and_serves_more_while_added(base_run):
    # once additions stop at the target, private providers that lost families to cheaper public
    # places near them go on shrinking, so children in care and waiting lists can end a little
    # worse off than without the slots in some later years (crowding out); the slots stay more
    slots = run_scenario(
        load_scenario(SCENARIOS / "measures" / "childcare_slots.yaml"),
        households=SMALL,
        end_year=2030,
    )
    for y in YEARS:
        assert slots.value("childcare_slots", y) >= base_run.value("childcare_slots", y), y
    for y in (2025, 2026):  # the years slots are added
        assert slots.value("childcare_served", y) > base_run.value("childcare_served", y), y
    assert slots.value("childcare_unmet_demand", 2025) < base_run.value(
        "childcare_unmet_demand", 2025
    )
    assert slots.value("childcare_slots", 2030) > base_run.value("childcare_slots", 2030)


def test_childcare_costs_by_hand(opinions_run):
    r = opinions_run
    for y in (2025, 2027):
        assert r.value("cost.childcare_construction", y, "central") == pytest.approx(
            10_000 * r.value("childcare_new_public_slots", y), rel=1e-9
        )
        assert r.value("cost.childcare_operating", y, "local") == pytest.approx(
            2_400 * r.value("childcare_affordable_slots", y), rel=1e-9
        )
        # 3,600 yuan a child under 3, 90% of it central
        assert r.value("cost.childcare_subsidy", y, "central") == pytest.approx(
            0.9 * 3_600 * r.value("childcare_children_under3", y), rel=1e-9
        )
    # public slots are added until there are 4.5 per 1,000 people, then only embedded centres add
    # (59万 a year is the most added in a year)
    assert 0 < r.value("childcare_new_public_slots", 2025)
    met = [y for y in range(2025, 2031) if r.value("childcare_slots_per_1000", y) >= 4.5]
    assert met, "the target of 4.5 slots per 1,000 people is reached by 2030"


def test_elderly_costs_by_hand(opinions_run):
    r = opinions_run
    y = 2027
    assert r.value("cost.elderly_bed_subsidy", y, "local") == pytest.approx(
        1_200 * r.value("elderly_served_institution", y), rel=1e-9
    )
    assert r.value("cost.elderly_home_beds", y, "local") == pytest.approx(
        3_000 * r.value("elderly_served_home_bed", y), rel=1e-9
    )
    assert r.value("elderly_served_home_bed", y) == pytest.approx(
        500_000, rel=1e-9
    )  # the programme's 50万 beds, all used
    pop = r.value("population", y)
    assert r.value("cost.public_health", y, "central") + r.value(
        "cost.public_health", y, "local"
    ) == pytest.approx(99 * pop, rel=1e-9)


def test_nursing_share_rises_under_the_80_percent_rule(base_run):
    rule = run_scenario(
        load_scenario(SCENARIOS / "measures" / "nursing_beds.yaml"), households=SMALL, end_year=2030
    )
    assert base_run.value("elderly_nursing_share", 2024) == pytest.approx(0.657)
    assert (
        rule.value("elderly_nursing_share", 2030)
        > base_run.value("elderly_nursing_share", 2030) + 0.05
    )


def test_county_medical_communities(base_run, opinions_run):
    assert base_run.value("medcom_counties", 2024) == pytest.approx(2188, abs=2844 / 10)
    assert opinions_run.value("medcom_counties", 2028) == pytest.approx(2844)
    assert opinions_run.value("primary_visit_share", 2028) > base_run.value(
        "primary_visit_share", 2028
    )


def test_procurement_lowers_out_of_pocket_costs(baseline, base_run):
    more = run_scenario(
        variant(baseline, year=2024, primary__procurement_coverage=0.6),
        households=SMALL,
        end_year=2024,
    )
    # drug factor 1 - 0.4 x 0.5 x 0.3 = 0.94 becomes 1 - 0.4 x 0.5 x 0.6 = 0.88
    assert more.value("oop_per_capita", 2024) == pytest.approx(
        base_run.value("oop_per_capita", 2024) * 0.88 / 0.94, rel=1e-9
    )


def test_base_year_stock_matches_the_documents(base_run):
    assert base_run.value("childcare_slots", 2024) == pytest.approx(4_800_000, rel=1e-9)
    assert base_run.value("childcare_institutions", 2024) == pytest.approx(100_000, rel=1e-9)
    assert base_run.value("elderly_integrated_beds", 2024) == pytest.approx(2_000_000, rel=1e-9)
    assert base_run.value("elderly_integrated_institutions", 2024) == pytest.approx(7_800, rel=1e-9)
    assert base_run.value("elderly_nursing_beds", 2024) == pytest.approx(
        5_077_000 * 0.657, rel=1e-9
    )
