"""Winners and losers (model/gains.py): hand-made households, and two model runs."""

from __future__ import annotations

import pandas as pd
import pytest

from model import run_scenario
from model.gains import NotTheSameHouseholds, winners_and_losers
from tests.conftest import SMALL


def table(net_benefit, weight=(100.0, 300.0, 600.0), persons=(1, 2, 3)):
    return pd.DataFrame(
        {
            "weight": weight,
            "persons": persons,
            "urban": [True, False, False],
            "province": [0, 1, 1],
            "decile": [0, 0, 9],
            "disposable_income_pc": [10_000.0, 5_000.0, 20_000.0],
            "net_benefit": net_benefit,
        }
    )


def test_shares_and_gain_by_hand():
    ref = table([0.0, 0.0, 0.0])
    alt = table([120.0, -60.0, 0.5])  # better, worse, unchanged (below one yuan)
    (row,) = winners_and_losers(ref, alt, by="all").to_dict("records")
    assert row["households_better"] == pytest.approx(100 / 1000)
    assert row["households_worse"] == pytest.approx(300 / 1000)
    assert row["households_unchanged"] == pytest.approx(600 / 1000)
    persons = 100 * 1 + 300 * 2 + 600 * 3  # 2,500
    assert row["persons_better"] == pytest.approx(100 / persons)
    assert row["persons_worse"] == pytest.approx(600 / persons)
    gain = 100 * 120 - 300 * 60 + 600 * 0.5  # -5,700 yuan
    assert row["gain_per_person"] == pytest.approx(gain / persons)
    income = 100 * 10_000 + 600 * 5_000 + 1_800 * 20_000
    assert row["gain_pct_of_income"] == pytest.approx(100 * gain / income)
    by_decile = winners_and_losers(ref, alt, by="decile")
    assert by_decile.group.tolist() == ["decile_1", "decile_10"]
    assert by_decile.households_better.tolist() == pytest.approx([0.25, 0.0])


def test_other_households_are_refused():
    with pytest.raises(NotTheSameHouseholds, match="same seed"):
        winners_and_losers(table([0, 0, 0]), table([0, 0, 0], weight=(1.0, 2.0, 3.0)))


@pytest.fixture(scope="module")
def runs(baseline, opinions):
    return [
        run_scenario(sc, households=SMALL, end_year=2027, household_years=[2027])
        for sc in (baseline, opinions)
    ]


def test_gain_by_decile_is_the_results_change_in_net_benefit(runs):
    base, alt = runs
    got = winners_and_losers(base.households_by_year[2027], alt.households_by_year[2027])
    for row in got.itertuples():
        change = alt.value("net_benefit", 2027, row.group) - base.value(
            "net_benefit", 2027, row.group
        )
        assert row.gain_per_person == pytest.approx(change, rel=1e-9, abs=1e-6)
    shares = got.households_better + got.households_worse + got.households_unchanged
    assert shares.tolist() == pytest.approx([1.0] * 10)


def test_a_run_against_itself_changes_nobody(runs):
    base, _ = runs
    t = base.households_by_year[2027]
    (row,) = winners_and_losers(t, t, by="all").to_dict("records")
    assert row["households_unchanged"] == 1.0 and row["gain_per_person"] == 0.0
