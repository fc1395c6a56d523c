"""The base-year age and sex table: the 2010 census carried forward (model/age_structure.py)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from model import age_structure as ages
from model.age_structure import FEMALE, MALE, MAX_AGE
from model.scenario import DocumentSource, ExternalSource
from tests.conftest import SCENARIOS


def test_census_tables_add_up_as_printed():
    pop = ages.census().population
    # the table's own total; the communiqué's 0-14 share (16.60%, armed forces included)
    assert pop.sum() == 1_332_810_869
    assert pop[:, MALE].sum() == 682_329_104
    assert pop[:15].sum() / pop.sum() == pytest.approx(0.1660, abs=0.0005)


def test_death_rates_give_the_published_2010_life_expectancy_by_sex():
    q = ages.death_probabilities(1.0)
    assert ages.life_expectancy(q[:, MALE]) == pytest.approx(72.38, abs=1e-3)
    assert ages.life_expectancy(q[:, FEMALE]) == pytest.approx(77.37, abs=1e-3)
    assert (q[:-1] < 1).all() and (q[MAX_AGE] == 1).all()


def test_mortality_scale_for_life_expectancy_79():
    scale = ages.scale_for_life_expectancy(79.0, 111.3)
    assert ages.life_expectancy_both(scale, 111.3) == pytest.approx(79.0, abs=1e-6)
    q = ages.death_probabilities(scale)
    gap = ages.life_expectancy(q[:, FEMALE]) - ages.life_expectancy(q[:, MALE])
    assert (
        4.0 < gap < 5.5
    )  # the census's sex gap (4.99 years in 2010) narrows a little as rates fall


def held_out(year: int, what: str) -> float:
    return ages.history()["year_end_population"][f"{year}_{what}"]


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_census_carried_forward_meets_the_published_years_it_was_not_raked_to(year):
    """Raked at the 2020 census only, the table's 2021-2023 ages are the method's own prediction."""
    h = ages.history()
    t = np.zeros((MAX_AGE + 1, 2))
    t[: ages.OPEN_AGE + 1] = ages.census().population
    for y in range(2011, year + 1):
        srb = ages._interpolate(h["sex_ratio_at_birth"], y)
        scale = ages.scale_for_life_expectancy(ages._interpolate(h["life_expectancy"], y), srb)
        t = ages.age_one_year(
            t, ages.death_probabilities(scale), h["births"][y], ages.boys_share(srb)
        )
        if y == 2020:
            c = h["census_2020"]
            groups = [
                (0, 14, c["age_0_14"]),
                (15, 59, c["age_15_59"]),
                (60, 64, c["age_60_plus"] - c["age_65_plus"]),
                (65, MAX_AGE, c["age_65_plus"]),
            ]
            t = ages.rake_table(t, groups, c["male"], c["female"])
    assert t.sum() == pytest.approx(held_out(year, "total"), rel=0.005)
    assert t[16:60].sum() == pytest.approx(held_out(year, "age_16_59"), rel=0.01)
    # the 60+ fall short by 0.5-1.5% (the census's two months and its count of the oldest)
    assert t[60:].sum() == pytest.approx(held_out(year, "age_60_plus"), rel=0.02)
    assert t[65:].sum() == pytest.approx(held_out(year, "age_65_plus"), rel=0.02)


def test_base_year_table_meets_its_margins_and_keeps_the_cohorts():
    t = ages.base_year_table(
        2024, 1_408_280_000, 719_090_000, 239_990_000, 310_310_000, 220_230_000
    )
    assert t.sum() == pytest.approx(1_408_280_000, rel=1e-9)
    assert t[:, MALE].sum() == pytest.approx(719_090_000, rel=1e-9)
    assert t[:16].sum() == pytest.approx(239_990_000, rel=1e-9)
    assert t[60:].sum() == pytest.approx(310_310_000, rel=1e-9)
    assert t[65:].sum() == pytest.approx(220_230_000, rel=1e-9)
    by_age = t.sum(axis=1)
    # the 1962-1975 birth cohorts (ages 49-62 at the end of 2024) are the largest; the famine
    # cohort of 1960-1961 (ages 63-64) and the low births of 2024 are small
    assert by_age[49:63].min() > by_age[63:65].max()
    assert by_age[55] > 2 * by_age[63]


def test_every_history_figure_has_a_source():
    raw = yaml.safe_load(
        (SCENARIOS / "data" / "population_history.yaml").read_text(encoding="utf-8")
    )
    for block in raw.values():
        for key, v in block["values"].items():
            src = v["source"]
            assert ("document" in src and DocumentSource(**src)) or ExternalSource(**src), key
            assert isinstance(v["value"], (int, float)), key
