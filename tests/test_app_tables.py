"""What the app computes for display: numbers formatted by unit, differences, cards, groups."""

from __future__ import annotations

import pandas as pd
import pytest

from app import fmt, tables
from app.catalogue import HEADLINE_CARDS, MEASURES, Card
from model.registry import REGISTRY


@pytest.mark.parametrize(
    "v,unit,lang,level,change",
    [
        (0.9589, "share", "zh", "95.89%", "+95.89个百分点"),
        (0.0036, "share", "en", "0.36%", "+0.36 pt"),
        (1_070_000_000, "persons", "zh", "10.70亿人", "+10.70亿人"),
        (5_230_000, "persons", "zh", "523万人", "+523万人"),
        (5_230_000, "persons", "en", "5.2 m", "+5.2 m"),
        (795_394_000_000, "yuan/year", "zh", "7,954亿元", "+7,954亿元"),
        (8.67e8, "yuan/year", "zh", "8.67亿元", "+8.67亿元"),
        (-1.2e7, "yuan/year", "zh", "-1,200万元", "-1,200万元"),
        (203.9e9, "yuan/year", "en", "¥203.9 bn", "+¥203.9 bn"),
        (700, "yuan/person/year", "zh", "700元/人·年", "+700元/人·年"),
        (798.1, "yuan/person/month", "zh", "798.1元/人·月", "+798.1元/人·月"),
        (62, "items", "en", "62 items", "+62 items"),
        (float("nan"), "share", "zh", "—", "—"),
    ],
)
def test_formats(v, unit, lang, level, change):
    assert fmt.value(v, unit, lang) == level
    assert fmt.delta(v, unit, lang) == change


def _frame(scenario: str, rows: list[tuple[int, int, str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["seed", "year", "group", "metric", "value", "unit"]).assign(
        scenario=scenario
    )


A = _frame(
    "a",
    [
        (1, 2030, "all", "medical_insured", 100.0, "persons"),
        (2, 2030, "all", "medical_insured", 110.0, "persons"),
        (1, 2030, "central", "cost.all", 10.0, "yuan/year"),
        (2, 2030, "central", "cost.all", 12.0, "yuan/year"),
    ],
)
B = _frame(
    "b",
    [
        (1, 2030, "all", "medical_insured", 103.0, "persons"),
        (2, 2030, "all", "medical_insured", 117.0, "persons"),
        (1, 2030, "central", "cost.all", 11.0, "yuan/year"),
        (2, 2030, "central", "cost.all", 12.0, "yuan/year"),
    ],
)


def test_differences_pair_seeds():
    d = tables.differences({"A": A, "B": B}, "A")
    row = d[d.metric == "medical_insured"].iloc[0]
    # seed 1: +3, seed 2: +7: mean 5, sd 2√2, t(0.975, 1) = 12.7062 -> 5 ± 12.7062·2√2/√2
    assert (row.value, row.seeds) == (5.0, 2)
    assert (row.low, row.high) == pytest.approx((5 - 2 * 12.7062047, 5 + 2 * 12.7062047))


def test_cards_show_only_metrics_present_and_gains_as_differences():
    cards = tables.cards({"A": A, "B": B}, "A", "B", 2030, HEADLINE_CARDS)
    keys = [c["card"].key for c in cards]
    assert keys == ["newly_medical", "cost_central"]  # no childcare or nursing-bed numbers made up
    gain = cards[0]
    assert gain["value"] is None and gain["delta"] == 5.0
    cost = cards[1]
    assert (cost["value"], cost["delta"]) == (11.5, 0.5)
    # differences 1 and 0: sd √½, half width t(0.975, 1)·√½/√2 = 12.7062/2
    assert (cost["delta_low"], cost["delta_high"]) == pytest.approx(
        (0.5 - 12.7062047 / 2, 0.5 + 12.7062047 / 2)
    )


def test_reference_alone_has_no_deltas():
    cards = tables.cards({"A": A}, "A", "A", 2030, [Card("x", "cost.all", "central")])
    assert cards[0]["value"] == 11.0 and cards[0]["delta"] is None


def test_net_benefit_by_decile_is_the_difference(base_run, opinions_run):
    frames = {"base": base_run.frame, "package": opinions_run.frame}
    d = tables.net_benefit_by_decile(frames, "base", 2030)
    assert list(d.decile) == list(range(1, 11))
    for dec in (1, 10):
        expect = opinions_run.value("net_benefit", 2030, f"decile_{dec}") - base_run.value(
            "net_benefit", 2030, f"decile_{dec}"
        )
        assert d[d.decile == dec].value.iloc[0] == pytest.approx(expect)


def test_by_group_covers_the_person_groups(base_run):
    d = tables.by_group({"base": base_run.frame}, "medical_coverage", 2030)
    assert list(d.group) == [
        "all",
        "urban",
        "rural",
        "urban_hukou",
        "rural_hukou",
        "migrant",
        "non_migrant",
        "flexible_worker",
        "quintile_1",
        "quintile_2",
        "quintile_3",
        "quintile_4",
        "quintile_5",
    ]
    assert d[d.group == "migrant"].value.iloc[0] == base_run.value(
        "medical_coverage", 2030, "migrant"
    )
    assert "medical_coverage" in tables.group_metrics(base_run.frame)


def test_service_metrics_appear_only_when_reported(base_run):
    services = tables.service_metrics(base_run.frame)
    assert {
        "childcare_slots",
        "childcare_unmet_demand",
        "elderly_nursing_beds",
        "elderly_unmet_need",
        "primary_visit_share",
    } <= set(services)
    assert "medical_coverage" not in services
    assert tables.service_metrics(base_run.frame[~base_run.frame.metric.isin(services)]) == []


def test_cost_table_has_levels_and_differences(base_run, opinions_run):
    t = tables.cost_by_measure({"A": base_run.frame, "B": opinions_run.frame}, "A", 2030)
    row = t[(t.metric == "cost.pension_resident") & (t.group == "central")].iloc[0]
    assert row["B − A"] == pytest.approx(
        opinions_run.value("cost.pension_resident", 2030, "central")
        - base_run.value("cost.pension_resident", 2030, "central")
    )


@pytest.mark.parametrize("m", MEASURES, ids=lambda m: m.param)
def test_measure_widgets_round_trip(m, opinions):
    v = opinions.value(m.param, 2025)
    assert m.from_widget(m.to_widget(v)) == pytest.approx(v)
    assert REGISTRY[m.param].lo <= v <= REGISTRY[m.param].hi


def test_by_province_per_resident_is_the_models_ratio(base_run, opinions_run):
    """Per resident: the difference of government spending over the province's population, and
    dibao recipients per 1,000 residents, as a reader can compute from the model's rows."""
    frames = {"A": base_run.frame, "B": opinions_run.frame}
    d = tables.by_province(frames, "spending.government", 2030, "A", per_person=True)
    assert len(d) == 31 and set(d.unit) == {"yuan/person/year"}
    assert list(d.value) == sorted(d.value, reverse=True)  # largest first
    g = "province_sichuan"
    pop = base_run.value("population", 2030, g)
    assert opinions_run.value("population", 2030, g) == pop  # measures do not move people
    expect = (
        opinions_run.value("spending.government", 2030, g)
        - base_run.value("spending.government", 2030, g)
    ) / pop
    assert d[d.province == "sichuan"].value.iloc[0] == pytest.approx(expect)
    lv = tables.by_province({"A": base_run.frame}, "dibao_recipients", 2030, per_person=True)
    assert set(lv.unit) == {"persons/1000 persons"}
    assert lv[lv.province == "gansu"].value.iloc[0] == pytest.approx(
        1000
        * base_run.value("dibao_recipients", 2030, "province_gansu")
        / base_run.value("population", 2030, "province_gansu")
    )
    # a metric per person already (a standard) is shown as it is
    st = tables.by_province({"A": base_run.frame}, "dibao_standard_urban", 2030, per_person=True)
    assert st[st.province == "beijing"].value.iloc[0] == base_run.value(
        "dibao_standard_urban", 2030, "province_beijing"
    )
    assert "net_benefit" in tables.province_metrics(base_run.frame)


def test_province_net_benefit_is_per_resident(base_run):
    """The provinces' net benefit is per person, like the deciles': their population-weighted
    mean is the national net benefit per person (total over persons)."""
    rows = tables.by_province({"A": base_run.frame}, "net_benefit", 2030)
    pops = tables.by_province({"A": base_run.frame}, "population", 2030).set_index("province")
    per = rows.set_index("province").value
    national = (per * pops.value.reindex(per.index)).sum() / pops.value.sum()
    deciles = base_run.frame[
        (base_run.frame.metric == "net_benefit")
        & (base_run.frame.year == 2030)
        & base_run.frame.group.str.startswith("decile_")
    ]
    # deciles hold equal numbers of persons (to within one household's weight)
    assert national == pytest.approx(deciles.value.mean(), rel=0.02)


def test_cost_table_keeps_numbers_adds_totals_and_ranks_by_change():
    """Numbers stay numbers; a measure's total over payers is their sum; the rows open sorted by
    the size of the change, largest first (a reader can check: 9 > 6 > 3 > 2 > 1 > 0), then
    every measure together (cost.all, no total over payers: it would count money twice)."""
    rows = [
        # measure, payer, A, B  -> change B - A
        ("cost.dibao", "central", 10.0, 11.0),  # +1
        ("cost.dibao", "local", 5.0, 3.0),  # -2
        ("cost.pension_resident", "central", 20.0, 26.0),  # +6
        ("cost.pension_resident", "local", 7.0, 10.0),  # +3
        ("cost.medical_resident", "individuals", 4.0, 4.0),  # 0
        ("cost.all", "central", 30.0, 37.0),  # +7: every measure together, listed last
        ("cost.all", "government", 42.0, 50.0),  # +8
    ]
    a = _frame("a", [(1, 2030, p, m, va, "yuan/year") for m, p, va, _ in rows])
    b = _frame("b", [(1, 2030, p, m, vb, "yuan/year") for m, p, _, vb in rows])
    t = tables.cost_by_measure({"A": a, "B": b}, "A", 2030)
    assert t["B − A"].dtype.kind == "f"
    got = list(zip(t.metric, t.group, t["B − A"]))
    assert got == [
        ("cost.pension_resident", "all_payers", 9.0),
        ("cost.pension_resident", "central", 6.0),
        ("cost.pension_resident", "local", 3.0),
        ("cost.dibao", "local", -2.0),
        ("cost.dibao", "central", 1.0),
        ("cost.dibao", "all_payers", -1.0),
        ("cost.medical_resident", "individuals", 0.0),
        ("cost.medical_resident", "all_payers", 0.0),
        ("cost.all", "government", 8.0),
        ("cost.all", "central", 7.0),
    ]
    total = t[(t.metric == "cost.dibao") & (t.group == "all_payers")].iloc[0]
    assert (total["A"], total["B"]) == (15.0, 14.0)


def test_three_replications_give_the_t_interval():
    """Three paired runs: the interval is mean ± t(0.975, 2)·sd/√3, t(0.975, 2) = 4.302653."""
    a = _frame("a", [(s, 2030, "all", "x", v, "persons") for s, v in ((1, 10), (2, 12), (3, 14))])
    b = _frame("b", [(s, 2030, "all", "x", v, "persons") for s, v in ((1, 11), (2, 15), (3, 16))])
    lv = tables.summarise(tables.combine({"A": a}))
    assert (lv.value[0], lv.low[0], lv.high[0]) == pytest.approx(
        (12, 12 - 4.302653 * 2 / 3**0.5, 12 + 4.302653 * 2 / 3**0.5)
    )
    d = tables.differences({"A": a, "B": b}, "A").iloc[0]  # differences 1, 3, 2: sd 1
    assert (d.value, d.low, d.high) == pytest.approx(
        (2, 2 - 4.302653 / 3**0.5, 2 + 4.302653 / 3**0.5)
    )
    one = tables.summarise(tables.combine({"A": a[a.seed == 1]}))
    assert one.low.isna().all() and one.high.isna().all()  # one replication: no interval
