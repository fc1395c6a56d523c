"""Whole-model properties: null reform, monotonicity, reproducibility, sample-size agreement."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from model import load_scenario, run_scenario
from model.core import MinshengModel
from model.provinces import INDEX as PROVINCE_INDEX
from model.scenario import AssumptionSource
from tests.conftest import ROOT, SCENARIOS, SMALL

SRC = AssumptionSource(assumption="a value set by a unit test")


def variant(sc, **changes):
    """The scenario with some parameters set from 2024 on."""
    return sc.with_values(
        "variant", "variant", {k.replace("__", "."): {2024: (v, SRC)} for k, v in changes.items()}
    )


def test_null_reform_equals_baseline(tmp_path, baseline, base_run):
    # a reform file that restates baseline values changes nothing, to the last digit
    p = tmp_path / "null.yaml"
    p.write_text(
        f"name: null_reform\ntitle: restating the baseline\nextends: {SCENARIOS / 'baseline.yaml'}\nparameters:\n"
        "  pension.resident_minimum:\n    unit: yuan/month\n    values:\n"
        "      2025: {value: 143, source: {assumption: 'restates the baseline value'}}\n"
        "  medical.resident_subsidy:\n    unit: yuan/person/year\n    values:\n"
        "      2026: {value: 724, source: {assumption: 'restates the baseline value'}}\n",
        encoding="utf-8",
    )
    null = run_scenario(load_scenario(p), households=SMALL, end_year=2030)
    a = base_run.frame.drop(columns="scenario").reset_index(drop=True)
    b = null.frame.drop(columns="scenario").reset_index(drop=True)
    assert a.equals(b)


def test_same_seed_same_numbers_other_seed_other_numbers(baseline, base_run):
    again = run_scenario(baseline, households=SMALL, end_year=2030)
    assert again.frame.equals(base_run.frame)
    other = run_scenario(baseline, households=SMALL, end_year=2030, seed=1)
    assert not np.allclose(
        other.frame.value.to_numpy(), base_run.frame.value.to_numpy(), equal_nan=True
    )


def test_demography_does_not_depend_on_policy(base_run, opinions_run):
    for metric in ("population", "deaths", "births"):
        assert base_run.series(metric).equals(opinions_run.series(metric)), metric


def test_every_pension_insured_person_is_an_adult(opinions):
    # outputs.collect counts pension coverage among adults with the pension-insured as numerator
    from model.population import EMP_CHILD, EMP_STUDENT

    m = MinshengModel(opinions, households=5_000)
    for _ in range(6):
        c, pop = m.state.cols, m.pop
        insured = (
            c["in_employee_working"]
            | c["pension_employee_recipient"]
            | c["pension_resident_recipient"]
            | c["pension_resident_contributor"]
        )
        adult = (pop.age >= 16) & (pop.emp != EMP_STUDENT) & (pop.emp != EMP_CHILD)
        assert insured.any() and not (insured & ~adult).any()
        m.step()


def test_the_income_order_kept_from_year_to_year_is_a_sort(opinions):
    """Households that move to towns or are formed are put back in the income order each year
    (`Incomes.order`, without a full sort): it must stay a sort of every household's income,
    and the incomes it keeps in that order must be theirs."""
    m = MinshengModel(opinions, households=5_000)
    for _ in range(4):
        m.step()
        order, other = m.incomes.order(), m.other_pc
        assert np.array_equal(np.sort(order), np.arange(len(other)))  # every household once
        assert np.all(np.diff(other[order]) >= 0)
        assert np.array_equal(m.incomes._sorted, other[order])
    assert m.last_vital["urban_movers"] > 0 and m.last_vital["households_formed"] > 0


def _enrolled(sc, year=2024):
    m = MinshengModel(sc, households=5_000)
    return m.state.cols["medical_resident"].copy(), m.state.cols["hh_dibao"].copy()


@pytest.mark.parametrize("low,high", [(600, 700), (700, 900), (670, 1500)])
def test_higher_subsidy_never_lowers_enrolment(baseline, low, high):
    a, _ = _enrolled(variant(baseline, medical__resident_subsidy=low))
    b, _ = _enrolled(variant(baseline, medical__resident_subsidy=high))
    assert np.all(b[a])  # everyone enrolled at the lower subsidy is enrolled at the higher
    assert b.sum() >= a.sum()


def test_lower_contribution_never_lowers_enrolment(baseline):
    a, _ = _enrolled(variant(baseline, medical__resident_contribution=400))
    b, _ = _enrolled(variant(baseline, medical__resident_contribution=300))
    assert np.all(b[a]) and b.sum() > a.sum()


@pytest.mark.parametrize("low,high", [(0.8, 0.9), (1.0, 1.3), (1.3, 2.0)])
def test_higher_dibao_standard_never_lowers_recipients(baseline, low, high):
    # every province's standards raised by one factor
    _, a = _enrolled(variant(baseline, dibao__standard_scale=low))
    _, b = _enrolled(variant(baseline, dibao__standard_scale=high))
    assert np.all(b[a]) and b.sum() > a.sum()


def test_a_province_standard_changes_only_that_province(baseline):
    # a higher standard in Sichuan only: recipients rise there and nowhere else (same seed)
    _, a = _enrolled(variant(baseline))
    _, b = _enrolled(variant(baseline, dibao__standard_rural__sichuan=900))
    m = MinshengModel(variant(baseline), households=5_000)
    sichuan = m.pop.hh_province == PROVINCE_INDEX["sichuan"]
    assert np.all(b[a]) and b[sichuan].sum() > a[sichuan].sum()
    assert np.array_equal(a[~sichuan], b[~sichuan])


def test_a_province_override_leaves_other_provinces_rows_identical(baseline, base_run):
    # Sichuan's rural dibao standard raised from 2024: every other province's results are the
    # same to the last digit (same seed, same sample), Sichuan's dibao rises
    run = run_scenario(
        variant(baseline, dibao__standard_rural__sichuan=900), households=SMALL, end_year=2026
    )
    a = base_run.frame[base_run.frame.year <= 2026].set_index(["year", "metric", "group"]).value
    b = run.frame.set_index(["year", "metric", "group"]).value
    others = [
        g
        for g in a.index.get_level_values("group").unique()
        if g.startswith("province_") and g != "province_sichuan"
    ]
    mask = a.index.get_level_values("group").isin(others)
    assert mask.sum() > 1000
    assert (a[mask] == b[a.index[mask]]).all()
    assert run.value("dibao_recipients", 2026, "province_sichuan") > base_run.value(
        "dibao_recipients", 2026, "province_sichuan"
    )


def test_one_provinces_central_share_moves_its_money_between_payers_only(baseline, base_run):
    """Fujian's central share of the resident medical subsidy from its region's 30% to 80%: in
    Fujian central spending rises by what local spending falls; enrolment, the other provinces
    and the national total of government spending are unchanged."""
    run = run_scenario(
        variant(baseline, medical__subsidy_central_share__fujian=0.8),
        households=SMALL,
        end_year=2025,
    )
    g = "province_fujian"
    central = run.value("spending.central", 2025, g) - base_run.value("spending.central", 2025, g)
    local = run.value("spending.local", 2025, g) - base_run.value("spending.local", 2025, g)
    subsidy = base_run.value("cost.medical_resident", 2025, "central") + base_run.value(
        "cost.medical_resident", 2025, "local"
    )
    assert central > 0 and central == pytest.approx(-local, rel=1e-9)
    assert central < 0.5 * subsidy  # only Fujian's part of the national subsidy moved
    assert run.value("medical_insured", 2025) == base_run.value("medical_insured", 2025)
    assert run.value("spending.central", 2025, "province_gansu") == base_run.value(
        "spending.central", 2025, "province_gansu"
    )
    assert run.value("cost.all", 2025, "government") == pytest.approx(
        base_run.value("cost.all", 2025, "government"), rel=1e-12
    )


def test_lifting_the_hukou_limit_raises_only_migrants_enrolment(base_run):
    reform = run_scenario(
        load_scenario(SCENARIOS / "measures" / "hukou_limit.yaml"), households=SMALL, end_year=2026
    )
    m = "flexible_in_employee_scheme"
    assert reform.value(m, 2026, "migrant") > base_run.value(m, 2026, "migrant") + 0.1
    assert reform.value(m, 2026, "non_migrant") == pytest.approx(
        base_run.value(m, 2026, "non_migrant"), abs=0.005
    )
    assert reform.value(m, 2024, "migrant") == base_run.value(
        m, 2024, "migrant"
    )  # lifted from 2025


def test_rates_agree_across_sample_sizes(baseline):
    small = run_scenario(baseline, households=20_000, end_year=2024, seed=11)
    large = run_scenario(baseline, households=200_000, end_year=2024, seed=12)
    # each share is of a part of the ~48,000 sampled persons at 20,000 households: everyone,
    # adults (about 80%), migrants (about 25%), flexible workers (about 9%); its s.e. is
    # sqrt(p(1-p)/n) times a design effect of 1.5 (unequal weights across provinces, and
    # members of a household share their draws); the 200,000-household run's own error is small
    sampled = {"all": 48_000, "adults": 38_000, "migrant": 12_000, "flexible": 4_300}
    for metric, group, part in [
        ("medical_coverage", "all", "all"),
        ("pension_coverage", "all", "adults"),
        ("medical_coverage", "migrant", "migrant"),
        ("flexible_in_employee_scheme", "all", "flexible"),
        ("poverty_rate", "all", "all"),
    ]:
        a, b = small.value(metric, 2024, group), large.value(metric, 2024, group)
        se = 1.5 * np.sqrt(max(a * (1 - a), 0.01) / sampled[part])
        assert abs(a - b) < 4 * se, (metric, group, a, b)


def test_outputs_are_tidy(base_run):
    df = base_run.frame
    assert list(df.columns) == ["scenario", "seed", "year", "group", "metric", "value", "unit"]
    assert not df.duplicated(["year", "group", "metric"]).any()
    assert set(df.year) == set(range(2024, 2031))
    assert df.unit.notna().all()


def test_importing_the_model_loads_no_front_end():
    code = "import sys, model; bad = [m for m in ('streamlit', 'minsheng') if m in sys.modules]; print(bad); sys.exit(bool(bad))"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
