"""Experiment files: strict loading (file, key, found, allowed; exit 2; nothing written), sweeps, seeds."""

from __future__ import annotations

import numpy as np
import pytest

from minsheng.cli import main
from minsheng.experiment import ExperimentError, latin_hypercube, load_experiment
from tests.conftest import SCENARIOS, problems_of

HEAD = f"""name: small
title: a small experiment
baseline: {SCENARIOS / "baseline.yaml"}
scenarios: [{SCENARIOS / "opinions_2025.yaml"}]
run: {{households: 1000, end_year: 2026, seed: 7}}
"""


def write(tmp_path, body: str, head: str = HEAD, name: str = "exp.yaml"):
    p = tmp_path / name
    p.write_text(head + body, encoding="utf-8")
    return p


def problems(path) -> list[tuple[str, str, str, str]]:
    return problems_of(load_experiment, ExperimentError, path)


def test_examples_load():
    root = SCENARIOS.parent / "experiments"
    reps = load_experiment(root / "opinions_replications.yaml")
    assert reps.replications == 10 and reps.baseline == "baseline"
    assert [v.name for v in reps.variants][:2] == ["baseline", "opinions_2025"]
    sens = load_experiment(root / "sensitivity_medical.yaml")
    assert sens.spec.sensitivity.sobol.samples == 64


def test_seeds_are_paired_across_scenarios(tmp_path):
    exp = load_experiment(write(tmp_path, "replications: 4\n"))
    assert exp.seeds == [7, 8, 9, 10]
    from minsheng.batch import plan

    tasks = plan(exp)
    assert len(tasks) == 8
    for seed in exp.seeds:  # every scenario runs with every replication's seed
        assert {t.variant for t in tasks if t.seed == seed} == {"baseline", "opinions_2025"}


def test_grid_sweep_variants_and_references(tmp_path):
    exp = load_experiment(
        write(
            tmp_path,
            "replications: 2\nsweeps:\n"
            "  - {name: sub, vary: [opinions_2025], from_year: 2025, grid: {medical.resident_subsidy: [700, 800, 900], pension.resident_minimum: [143, 163]}}\n"
            "  - {name: beh, vary: [baseline, opinions_2025], grid: {dibao.takeup_rural: [0.6, 0.8]}}\n",
        )
    )
    names = [v.name for v in exp.variants]
    assert len(names) == 2 + 3 * 2 + 2 * 2
    v = exp.variant("opinions_2025__sub_005")  # the last combination of the grid
    assert v.parameters == {"medical.resident_subsidy": 900, "pension.resident_minimum": 163}
    assert v.reference == "baseline"
    assert v.scenario.value("medical.resident_subsidy", 2024) == 670  # before from_year: unchanged
    assert v.scenario.value("medical.resident_subsidy", 2030) == 900
    assert v.scenario.value("pension.resident_minimum", 2035) == 163
    # a sweep that varies the baseline too is compared point by point
    assert exp.variant("opinions_2025__beh_001").reference == "baseline__beh_001"
    assert exp.variant("baseline__beh_001").reference == "baseline"
    assert exp.variant("baseline__beh_001").scenario.value("dibao.takeup_rural", 2024) == 0.8


def test_sweep_value_holds_over_later_dated_values(tmp_path):
    # opinions_2025 links the medical contribution to income from 2026; a sweep from 2025 replaces that too
    exp = load_experiment(
        write(
            tmp_path,
            "sweeps:\n  - {name: link, vary: [opinions_2025], from_year: 2025, "
            "grid: {medical.contribution_income_link: [0.0]}}\n",
        )
    )
    sc = exp.variant("opinions_2025__link_000").scenario
    assert [sc.value("medical.contribution_income_link", y) for y in (2025, 2026, 2035)] == [
        0,
        0,
        0,
    ]


def test_latin_hypercube_one_point_per_slice():
    u = latin_hypercube(10, 3, np.random.default_rng(1))
    assert u.shape == (10, 3)
    for j in range(3):
        assert sorted((u[:, j] * 10).astype(int)) == list(range(10))


def test_sampled_sweep_in_range(tmp_path):
    exp = load_experiment(
        write(
            tmp_path,
            "sweeps:\n  - {name: s, vary: [opinions_2025], sample: {points: 5, seed: 3, "
            "ranges: {medical.resident_subsidy: [700, 900]}}}\n",
        )
    )
    vals = [v.parameters["medical.resident_subsidy"] for v in exp.variants if v.sweep == "s"]
    assert len(vals) == 5 and all(700 <= x <= 900 for x in vals)


@pytest.mark.parametrize(
    "body,key,found,allowed",
    [
        ("replication: 3\n", "replication", "3", "Extra inputs are not permitted"),
        ("replications: ten\n", "replications", "'ten'", "integer"),
        (
            "sweeps:\n  - {name: s, vary: [opinions_2025], grid: {medical.resident_subsidyy: [700]}}\n",
            "sweeps[0].grid.medical.resident_subsidyy",
            "'medical.resident_subsidyy'",
            "medical.resident_subsidy",
        ),
        (
            "sweeps:\n  - {name: s, vary: [opinions_2025], grid: {medical.resident_subsidy: [700, 9000]}}\n",
            "sweeps[0].grid.medical.resident_subsidy[1]",
            "9000.0",
            "0 to 5000 yuan/person/year",
        ),
        (
            "sweeps:\n  - {name: s, vary: [opinions], grid: {medical.resident_subsidy: [700]}}\n",
            "sweeps[0].vary[0]",
            "'opinions'",
            "baseline, opinions_2025",
        ),
        (
            "sweeps:\n  - {name: s, vary: [opinions_2025], grid: {medical.resident_subsidy: ['700']}}\n",
            "sweeps.0.grid.medical.resident_subsidy.0",
            "'700'",
            "number",
        ),
        (
            "sweeps:\n  - {name: s, vary: [opinions_2025], from_year: 2040, grid: {medical.resident_subsidy: [700]}}\n",
            "sweeps[0].from_year",
            "2040",
            "2024 to run.end_year 2026",
        ),
        (
            "metrics: [{metric: medical_coverag}]\n",
            "metrics[0].metric",
            "'medical_coverag'",
            "medical_coverage",
        ),
        (
            "metrics: [{metric: medical_coverage, group: town}]\n",
            "metrics[0].group",
            "'town'",
            "migrant",
        ),
        (
            "sensitivity:\n  parameters: {dibao.takeup_rural: {range: [0.5, 0.9], vary: [baseline]}}\n"
            "  outputs: [{name: o, scenario: baseline, metric: dibao_recipients, year: 2026}]\n  sobol: {samples: 10}\n",
            "sensitivity.sobol",
            "",
            "power of 2",
        ),
        (
            "sensitivity:\n  parameters: {dibao.takeup_rural: {range: [0.9, 0.5], vary: [baseline]}}\n"
            "  outputs: [{name: o, scenario: baseline, metric: dibao_recipients, year: 2030}]\n  morris: {trajectories: 4}\n",
            "sensitivity.parameters.dibao.takeup_rural.range",
            "[0.9, 0.5]",
            "low < high",
        ),
    ],
)
def test_invalid_experiment_names_file_key_found_allowed(tmp_path, body, key, found, allowed):
    path = write(tmp_path, body)
    probs = problems(path)
    match = [p for p in probs if p[1] == key]
    assert match, probs
    f, _, got, allow = match[0]
    assert f == str(path) and found in got and allowed in allow


def test_output_year_after_end_year(tmp_path):
    probs = problems(
        write(
            tmp_path,
            "sensitivity:\n  parameters: {dibao.takeup_rural: {range: [0.5, 0.9], vary: [baseline]}}\n"
            "  outputs: [{name: o, scenario: baseline, metric: dibao_recipients, year: 2030}]\n"
            "  morris: {trajectories: 4}\n",
        )
    )
    assert ("sensitivity.outputs[0].year", "2030") in [(p[1], p[2]) for p in probs]


def test_missing_scenario_file(tmp_path):
    head = HEAD.replace(str(SCENARIOS / "opinions_2025.yaml"), "nowhere.yaml")
    ((f, key, found, allowed),) = problems(write(tmp_path, "", head=head))
    assert key == "scenarios[0]" and "nowhere.yaml" in found and "does not exist" in allowed


def test_duplicate_key(tmp_path):
    ((f, key, found, allowed),) = problems(write(tmp_path, "replications: 2\nreplications: 3\n"))
    assert "duplicate key 'replications'" in found and key.startswith("line 7")


@pytest.mark.parametrize("command", ["batch", "sensitivity"])
def test_cli_invalid_file_exit_2_clear_message_nothing_written(tmp_path, capsys, command):
    path = write(
        tmp_path,
        "sweeps:\n  - {name: s, vary: [opinions_2025], grid: {medical.resident_subsidy: [700, 9000]}}\n",
    )
    out = tmp_path / "out"
    assert main([command, str(path), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "invalid experiment" in err and str(path) in err
    assert (
        "sweeps[0].grid.medical.resident_subsidy[1]: found 9000.0; allowed: 0 to 5000 yuan/person/year"
        in err
    )
    assert "Nothing was written" in err
    assert not out.exists()


def test_sensitivity_needs_a_sensitivity_section(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sensitivity", str(write(tmp_path, "")), "--out", str(out)]) == 2
    assert "no `sensitivity:` section" in capsys.readouterr().err
    assert not out.exists()


def test_scheduler_only_with_dask(tmp_path, capsys):
    assert (
        main(
            [
                "batch",
                str(write(tmp_path, "")),
                "--scheduler",
                "tcp://127.0.0.1:1",
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 2
    )
    assert "only with --executor dask" in capsys.readouterr().err
