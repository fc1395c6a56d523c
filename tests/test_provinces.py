"""Provinces: the table of published figures, the weights by province, results by province."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from model import province_data
from model.core import MinshengModel
from model.provinces import INDEX, KEYS, PROVINCES, REGION_OF, REGIONS
from model.scenario import DocumentSource, ExternalSource
from tests.conftest import ROOT, SCENARIOS, SMALL


@pytest.fixture(scope="module")
def model(baseline):
    return MinshengModel(baseline, households=SMALL)


def test_every_provincial_figure_has_a_source_that_prints_it():
    rows = province_data.table()
    assert list(rows) == list(KEYS) and len(rows) == 31
    n = 0
    for key, row in rows.items():
        for name, fig in row:
            if name in ("code", "name", "region", "fiscal_tier") or fig is None:
                continue
            n += 1
            assert isinstance(fig.source, ExternalSource | DocumentSource), (key, name)
            assert fig.source.says.strip(), (key, name)
    assert n > 250  # population, urban share, ages, incomes, pensions for most provinces


def test_regions_follow_the_nbs_division():
    # NBS: 东部10省(市), 中部6省, 西部12省(区、市), 东北3省
    counts = np.bincount(REGION_OF, minlength=4)
    assert dict(zip(REGIONS, counts)) == {"east": 10, "central": 6, "west": 12, "northeast": 3}


def test_provincial_populations_add_up_to_the_national_total(baseline):
    total = baseline.value("population.total", 2024)
    margins = province_data.population_margins(total)
    assert margins.sum() == pytest.approx(total, rel=1e-12)
    # the published figures add up to 0.17% less (armed forces, four earlier years)
    assert province_data.values("population").sum() / total == pytest.approx(0.9983, abs=0.001)


def test_weights_meet_each_provinces_margins(model, baseline):
    pop = model.pop
    persons = pop.hh_weight * pop.household_size()
    by = np.bincount(pop.hh_province, weights=persons, minlength=31)
    total = baseline.value("population.total", 2024)
    assert by == pytest.approx(province_data.population_margins(total), rel=1e-8)
    urban = np.bincount(pop.hh_province, weights=persons * pop.hh_urban, minlength=31)
    national_urban = baseline.value("population.urban_share", 2024) * total
    assert urban.sum() == pytest.approx(national_urban, rel=1e-8)
    target_urban = province_data.urban_margins(by, national_urban)
    assert urban == pytest.approx(target_urban, rel=1e-6)
    w = pop.person_weight()
    prov = pop.person_column("hh_province")
    old = np.bincount(prov[pop.age >= 60], weights=w[pop.age >= 60], minlength=31)
    # Tibet's 60+ share is about 10% and Liaoning's about 30% (2020 census, latest figures)
    share = old / by
    assert share[INDEX["xizang"]] < 0.12 and share[INDEX["liaoning"]] > 0.28


def test_small_provinces_are_oversampled_and_weighted_down(model):
    pop = model.pop
    sampled = np.bincount(pop.hh_province, minlength=31) / pop.n_households
    persons = np.bincount(pop.hh_province, weights=pop.hh_weight * pop.household_size())
    share = persons / persons.sum()
    tibet, guangdong = INDEX["xizang"], INDEX["guangdong"]
    assert sampled[tibet] > 2.5 * share[tibet]  # 0.26% of people, about 1% of households
    assert sampled[guangdong] < share[guangdong]
    # square-root allocation: every province has at least 150 households at 20,000
    assert np.bincount(pop.hh_province, minlength=31).min() >= 150


def test_national_totals_are_those_of_the_national_model(base_run):
    # the national model before provinces (commit 97b8c24), at the same sample size and seed:
    # population margins are exact; counts and costs move within sampling error (about 1-2% at
    # 20,000 households) and the refit of dibao and resident pension take-up
    before = {
        ("population", "age_60_plus", 2030): 388_669_197,
        ("pension_recipients_employee", "all", 2030): 172_320_178,
        ("pension_recipients_resident", "all", 2024): 180_394_683,
        ("dibao_recipients", "all", 2024): 39_961_565,
        ("medical_insured", "all", 2030): 1_313_821_297,
        ("pension_insured", "all", 2030): 1_088_593_299,
        ("cost.medical_resident", "central", 2030): 4103.1e8,
        ("cost.pension_resident", "central", 2030): 3572.1e8,
    }
    for (metric, group, year), value in before.items():
        assert base_run.value(metric, year, group) == pytest.approx(value, rel=0.03), metric


def test_province_rows_add_up_to_the_national_ones(base_run):
    for metric, national in (
        ("population", ("population", "all")),
        ("dibao_recipients", ("dibao_recipients", "all")),
        ("pension_recipients_resident", ("pension_recipients_resident", "all")),
    ):
        total = sum(base_run.value(metric, 2026, f"province_{k}") for k in KEYS)
        assert total == pytest.approx(base_run.value(national[0], 2026, national[1]), rel=1e-9)
    # every payer's money is spent in a province: the provinces add up to the national cost
    for payer in ("central", "local", "insurance_fund", "employers"):
        in_provinces = sum(base_run.value(f"spending.{payer}", 2026, f"province_{k}") for k in KEYS)
        assert in_provinces == pytest.approx(base_run.value("cost.all", 2026, payer), rel=1e-9)
    unallocated = base_run.value("spending.unallocated", 2026)
    spent = sum(
        base_run.value(f"spending.{payer}", 2026, f"province_{k}")
        for k in KEYS
        for payer in ("central", "local", "insurance_fund", "employers")
    )
    national = sum(
        base_run.value("cost.all", 2026, payer)
        for payer in ("central", "local", "insurance_fund", "employers")
    )
    assert spent + unallocated == pytest.approx(national, rel=1e-9)
    assert unallocated == 0.0


def test_provider_subsidies_and_construction_are_spent_in_provinces(base_run, opinions_run):
    """The package's childcare and elderly-care lumps (construction, conversions, operating
    subsidies) are booked where the slots and beds are: the provinces' central and local
    spending add up to the national cost, package and baseline alike."""
    for run in (base_run, opinions_run):
        for payer in ("central", "local"):
            total = sum(run.value(f"spending.{payer}", 2027, f"province_{k}") for k in KEYS)
            assert total == pytest.approx(run.value("cost.all", 2027, payer), rel=1e-9)
    built = opinions_run.value("cost.childcare_construction", 2027, "central")
    assert built > 0  # the package builds public slots, so the check above covers them


def test_each_provinces_standard_and_pension_are_its_own(base_run, baseline):
    # Beijing's published standard (1,395 yuan a month, one for urban and rural) against Henan's
    # assumed one; Shanghai's resident pension about 1,749 yuan a month against Henan's 184
    v = base_run.value
    assert v("dibao_standard_urban", 2024, "province_beijing") == pytest.approx(1395)
    assert v("dibao_standard_urban", 2024, "province_henan") < 800
    assert v("resident_pension_average", 2024, "province_shanghai") == pytest.approx(
        110.8e8 / 52.8e4 / 12, rel=1e-3
    )
    assert v("resident_pension_average", 2024, "province_henan") == pytest.approx(
        355.1e8 / 1610.2e4 / 12, rel=1e-3
    )


def test_the_baselines_provincial_values_agree_with_the_table():
    sys.path.insert(0, str(ROOT / "scripts"))
    import provincial_parameters

    text = (SCENARIOS / "baseline.yaml").read_text(encoding="utf-8")
    blocks = provincial_parameters.blocks(text)
    assert len(blocks) == 5 * 31  # dibao standards (2), resident pension, central shares (2)
    for name, lines in blocks.items():
        assert "\n".join(lines) in text, name


def test_run_prints_one_provinces_table(tmp_path):
    cmd = [sys.executable, "-m", "minsheng.cli", "run", str(SCENARIOS / "baseline.yaml")]
    opts = ["--households", "2000", "--years", "2025", "--out", str(tmp_path)]
    out = subprocess.run(cmd + opts + ["--province", "四川"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "Sichuan (四川)" in out.stdout and "Dibao recipients" in out.stdout
    empty = tmp_path / "bad"
    opts[-1] = str(empty)
    bad = subprocess.run(cmd + opts + ["--province", "Atlantis"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert "sichuan (四川)" in bad.stderr and not empty.exists()


def test_province_names_are_unique_and_complete():
    assert len({p.key for p in PROVINCES}) == len({p.code for p in PROVINCES}) == 31
