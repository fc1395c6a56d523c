"""The family calculator: the model's own measures on a one-household population."""

from __future__ import annotations

import numpy as np
import pytest

from app import family
from model import run_scenario
from model.core import MinshengModel
from model.state import PolicyYear


@pytest.fixture(scope="module")
def model(opinions):
    return MinshengModel(opinions, households=family.SAMPLE, seed=opinions.run.seed)


def test_the_calculator_gives_the_models_numbers_for_the_models_own_households(model, opinions):
    p = PolicyYear(opinions, model.year)
    whole = model.year_state()
    model.apply_measures(whole, p)  # the measures on the whole sample, as the model runs them
    cash, in_kind = whole.household_flows()
    checked = 0
    for h in range(0, model.pop.n_households, 7):
        one = family.household_of(model.pop, h)
        s = family.family_state(model, one, float(whole.other_pc[h]))
        assert s.cols["_hh_decile"][0] == whole.cols["_hh_decile"][h]
        model.apply_measures(s, p)
        c, k = s.household_flows()
        assert c[0] == pytest.approx(cash[h], rel=1e-9, abs=1e-6), h
        assert k[0] == pytest.approx(in_kind[h], rel=1e-9, abs=1e-6), h
        for col in ("pension_resident_recipient", "medical_resident", "hh_dibao"):
            mine = s.cols[col]
            rows = [h] if col.startswith("hh_") else model.pop.hh == h  # household or persons
            theirs = whole.cols[col][rows]
            assert np.array_equal(mine, theirs), (h, col)
        checked += abs(cash[h]) > 0
    assert checked > 20  # households that receive or pay something


def test_a_described_family_year_by_year(opinions, baseline):
    grandmother = family.Member(68, "female", "inactive", urban_hukou=False)
    father = family.Member(40, "male", "flexible", urban_hukou=False)
    baby = family.Member(1, "male", "child", urban_hukou=False)
    fam = family.Family(
        (grandmother, father, baby), urban=False, province="sichuan", income_pc=6000
    )
    rows = family.calculate(opinions, fam, 2027)
    assert sorted(rows.year.unique()) == [2024, 2025, 2026, 2027]
    pension = rows[rows.measure == "pension_resident"].groupby("year").amount.sum()
    for year in (2025, 2026):  # the grandmother's resident pension minimum, 12 months
        assert pension[year] == pytest.approx(12 * opinions.value("pension.resident_minimum", year))
    subsidy = rows[rows.measure == "medical_resident"].groupby("year").amount.sum()
    # the grandmother and the baby in the resident scheme, each with the scenario's subsidy; the
    # father, a flexible worker who takes up what he may, in the employee schemes (he pays)
    assert subsidy[2025] == pytest.approx(2 * opinions.value("medical.resident_subsidy", 2025))
    assert (rows[rows.measure == "employee_flexible"].payer == "individuals").all()
    assert (
        rows[rows.measure == "dibao"].amount > 0
    ).any()  # 6,000 yuan a person is below the standard
    # the baby's childcare subsidy while under 3: aged 1 in 2024 (no subsidy yet) and 2 in 2025
    care = rows[rows.measure == "childcare_subsidy"].groupby("year").amount.sum()
    assert opinions.value("childcare.child_subsidy", 2024) == 0
    assert care.to_dict() == {2025: pytest.approx(opinions.value("childcare.child_subsidy", 2025))}
    # same seed, same numbers
    assert rows.equals(family.calculate(opinions, fam, 2027))


def test_the_family_page_shows_the_calculators_numbers(opinions):
    from streamlit.testing.v1 import AppTest

    from app import i18n
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=300)
    at.session_state["family_end"] = 2027
    at.run()
    at.switch_page("views/family.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == i18n.t("family.title", "zh")
    grandmother = family.Member(68, "female", "inactive", urban_hukou=False)
    father = family.Member(40, "male", "flexible", urban_hukou=False)
    mother = family.Member(38, "female", "formal", urban_hukou=False)
    baby = family.Member(1, "male", "child", urban_hukou=False)
    fam = family.Family(
        (grandmother, father, mother, baby), urban=True, province="sichuan", income_pc=12_000
    )
    rows = family.calculate(opinions, fam, 2027, seed=opinions.run.seed)
    column = i18n.t("family.yuan_year", "zh", name=i18n.scenario_label("opinions_2025.yaml", "zh"))
    table = next(d.value for d in at.dataframe if column in d.value.columns)
    shown = dict(zip(zip(table.iloc[:, 0], table.iloc[:, 1]), table[column]))
    mine = rows[(rows.year == 2027) & (rows.measure != "net") & (rows.payer != "employers")]
    assert len(mine) == len(shown) > 5
    for r in mine.itertuples():
        key = (i18n.cost_measure_label(f"cost.{r.measure}", "zh"), i18n.group_label(r.payer, "zh"))
        signed = -r.amount if r.payer == "individuals" else r.amount
        assert shown[key] == f"{signed:+,.0f}", key


def test_the_familys_chances_of_a_place_are_its_residences_shares_in_the_model(opinions):
    """Childcare places and elderly care are allocated over the whole population: the page gives
    the share of children under 3 in care and of disabled elders served where the family lives
    (urban, the default family), from the model's run of the scenario."""
    from streamlit.testing.v1 import AppTest

    from app import i18n
    from app.views.family import PLACES_HOUSEHOLDS
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=300)
    at.session_state["family_end"] = 2027
    at.run()
    at.switch_page("views/family.py").run()
    assert not at.exception, at.exception
    child = i18n.t("family.childcare_place", "zh")
    places = next(d.value for d in at.dataframe if child in d.value.columns)
    year = at.select_slider(key="family_year").value
    res = run_scenario(
        opinions, households=PLACES_HOUSEHOLDS, end_year=2027, seed=opinions.run.seed
    )
    row = places[
        places[i18n.t("scenario", "zh")] == i18n.scenario_label("opinions_2025.yaml", "zh")
    ]
    assert row[child].iloc[0] == res.value("childcare_enrolment_rate", year, "urban")
    elder = row[i18n.t("family.elderly_care", "zh")].iloc[0]
    assert elder == res.value("elderly_formal_care_share", year, "urban")


def test_the_family_page_speaks_one_language():
    import re

    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    for lang in ("zh", "en"):
        at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=300)
        at.session_state["family_end"] = 2026
        at.query_params["lang"] = lang
        at.run()
        at.switch_page("views/family.py").run()
        assert not at.exception, at.exception
        labels = [at.title[0].value, *(s.value for s in at.subheader)]
        labels += [
            w.label
            for kind in ("selectbox", "slider", "number_input", "radio", "toggle")
            for w in at.get(kind)
            if w.key != "lang"
        ]
        for text in labels:
            cjk = bool(re.search(r"[\u4e00-\u9fff]", text))
            assert cjk == (lang == "zh") or re.fullmatch(r"[\d\s]*", text), (lang, text)
