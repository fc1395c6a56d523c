"""Accepted means it runs: rules across parameters, ranges that run, a check on every run (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest

from minsheng.cli import main
from minsheng.experiment import ExperimentError, load_experiment
from model import ScenarioError, load_scenario, results_check, run_scenario
from model.registry import PUBLISHED_2024, REGISTRY
from model.results_check import ResultsError
from model.scenario import AssumptionSource
from tests.conftest import SCENARIOS

BASE = SCENARIOS / "baseline.yaml"
SRC = AssumptionSource(assumption="a value set by the test")


def changed(baseline, **values):
    """The baseline with each parameter (dots written as __) set in every dated year."""
    changes = {}
    for key, v in values.items():
        name = key.replace("__", ".")
        changes[name] = {x.year: (float(v), SRC) for x in baseline.params[name]}
    return baseline.with_values("test", "test", changes)


def refused(baseline, **values) -> tuple[str, str, str, str]:
    with pytest.raises(ScenarioError) as exc:
        changed(baseline, **values)
    return exc.value.problems[0]


@pytest.mark.parametrize(
    "values,key,allowed",
    [
        (
            {"pension__resident_low_tier": 2000, "pension__resident_high_tier": 100},
            "parameters.pension.resident_low_tier, pension.resident_high_tier in 2024",
            "a low tier below the high tier",
        ),
        (
            {"income__mean_all": 20000},
            "parameters.income.mean_all in 2024",
            "between the urban and the rural",
        ),
        (
            {"primary__county_units": 1, "primary__medcom_counties": 3000},
            "parameters.primary.medcom_counties in 2024",
            "at most primary.county_units",
        ),
        (
            {"childcare__institutions": 0},
            "parameters.childcare.slots, childcare.institutions in 2024",
            "institutions > 0 when slots > 0",
        ),
        (
            {"elderly__integrated_beds": 4e6},
            "parameters.elderly.integrated_beds in 2024",
            "integrated beds at most the nursing-type beds",
        ),
        (
            {"retirement__men_target_age": 55},
            "parameters.retirement.men_target_age in 2024",
            "the law raises it",
        ),
    ],
)
def test_impossible_combinations_are_refused_with_a_reason(baseline, values, key, allowed):
    (f, k, found, allow) = refused(baseline, **values)
    assert f == str(BASE) and k == key and allowed in allow


def test_a_sweep_point_that_contradicts_the_scenario_is_refused(tmp_path):
    p = tmp_path / "e.yaml"
    p.write_text(
        f"name: e\ntitle: e\nbaseline: {BASE}\nrun: {{households: 500, end_year: 2025}}\nreplications: 1\n"
        "sweeps:\n  - {name: s, vary: [baseline], grid: {pension.resident_low_tier: [100, 800]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ExperimentError) as exc:
        load_experiment(p)
    ((f, key, found, allowed),) = exc.value.problems
    assert key == "sweeps[0] point 1 of baseline" and "low tier 800 and high tier 500" in found


def test_units_share_are_fractions_from_0_to_1():
    for name, spec in REGISTRY.items():
        if spec.unit == "share":
            assert 0 <= spec.lo <= spec.hi <= 1, name
    # ratios that may exceed 1 have their own unit
    for name in ("income.consumption_ratio_urban", "primary.medcom_capacity_gain"):
        assert REGISTRY[name].unit == "ratio" and REGISTRY[name].hi > 1


def test_population_bands_are_centred_on_the_baseline_values(baseline):
    for name, published in PUBLISHED_2024.items():
        assert baseline.value(name, 2024) == published, name
        spec = REGISTRY[name]
        assert spec.lo < published < spec.hi


@pytest.mark.parametrize(
    "values",
    [
        {"childcare__slots": 0, "childcare__institutions": 0},
        {"elderly__integrated_beds": 0, "elderly__integrated_institutions": 0},
        {
            "elderly__nursing_share": 0,
            "elderly__integrated_beds": 0,
            "elderly__integrated_institutions": 0,
        },
        {"outputs__poverty_line_share_of_median": 0},
        {"outputs__poverty_line_share_of_median": 1e-6, "pension__employee_average": 0.02},
        {"dibao__standard_scale": 0},
        {
            f"population__{k}": REGISTRY[f"population.{k}"].lo
            for k in ("total", "employed", "households")
        },
    ],
)
def test_values_that_crashed_the_model_now_run_with_sound_results(baseline, values):
    res = run_scenario(changed(baseline, **values), households=300, end_year=2026, seed=1)
    assert results_check.problems(res.frame) == []


def test_a_run_with_unsound_results_fails_loudly_and_writes_nothing(tmp_path, capsys, monkeypatch):
    real = results_check.problems

    def with_nan(frame):
        frame.loc[frame.metric == "pension_coverage", "value"] = np.inf
        return real(frame)

    monkeypatch.setattr(results_check, "problems", with_nan)
    with pytest.raises(ResultsError, match="pension_coverage/all/2024 = inf share: infinite"):
        run_scenario(load_scenario(BASE), households=500, end_year=2024)
    out = tmp_path / "out"
    assert (
        main(["run", str(BASE), "--households", "500", "--years", "2024", "--out", str(out)]) == 1
    )
    err = capsys.readouterr().err
    assert "gave unsound results" in err and "Nothing was written" in err
    assert not (out / "baseline").exists()


def test_a_batch_run_with_unsound_results_stops_the_batch_and_keeps_the_runs_written(
    tmp_path, capsys, monkeypatch
):
    exp = tmp_path / "e.yaml"
    exp.write_text(
        f"name: e\ntitle: e\nbaseline: {BASE}\nrun: {{households: 500, end_year: 2024}}\nreplications: 3\n",
        encoding="utf-8",
    )
    real, calls = results_check.problems, []

    def third_fails(frame):
        calls.append(1)
        return ["a problem planted by the test"] if len(calls) == 3 else real(frame)

    monkeypatch.setattr(results_check, "problems", third_fails)
    out = tmp_path / "out"
    assert main(["batch", str(exp), "--workers", "1", "--out", str(out)]) == 1
    assert "a problem planted by the test" in capsys.readouterr().err
    manifests = sorted((out / "e" / "batch" / "manifests").rglob("run-*.json"))
    assert len(manifests) == 2 and not (out / "e" / "batch" / "summary.csv").exists()
