"""Sensitivity analysis: the estimators on functions with known answers, and on the model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from minsheng.cli import main
from minsheng.sensitivity import morris_design, morris_indices, sobol_design, sobol_indices
from tests.conftest import SCENARIOS

ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """f = sin x1 + a sin² x2 + b x3⁴ sin x1, each x uniform on [-π, π]."""
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_the_ishigami_function():
    # analytic values for a = 7, b = 0.1 (Ishigami & Homma 1990; Saltelli et al. 2008):
    # V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2; V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V13 = b²π⁸(1/18 - 1/50)
    a, b = 7.0, 0.1
    v1, v2 = 0.5 * (1 + b * np.pi**4 / 5) ** 2, a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    s1 = np.array([v1 / v, v2 / v, 0.0])
    st = np.array([(v1 + v13) / v, v2 / v, v13 / v])
    assert s1 == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4) and st == pytest.approx(
        [0.5576, 0.4424, 0.2437], abs=1e-4
    )

    x = sobol_design(ISHIGAMI, 2048, seed=1)
    assert x.shape == (2048 * (3 + 2), 3)
    t = sobol_indices(ISHIGAMI, ishigami(x), resamples=200, seed=1)
    assert t.S1.to_numpy() == pytest.approx(s1, abs=0.03)
    assert t.ST.to_numpy() == pytest.approx(st, abs=0.03)
    # the intervals are intervals around the estimates, and cover the truth
    assert (t.S1_ci_low <= s1 + 0.01).all() and (s1 - 0.01 <= t.S1_ci_high).all()
    assert (t.ST_ci_low <= st + 0.01).all() and (st - 0.01 <= t.ST_ci_high).all()


def test_morris_on_a_linear_function_gives_its_slopes():
    # f = 2 x1 - 0.5 x2 + 0 x3 on [0, 1]³: every elementary effect of x_i is its coefficient
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}
    x = morris_design(problem, trajectories=6, levels=4, seed=2)
    assert x.shape == (6 * 4, 3)
    t = morris_indices(problem, x, 2 * x[:, 0] - 0.5 * x[:, 1], levels=4, seed=2)
    assert t.mu_star.to_numpy() == pytest.approx([2.0, 0.5, 0.0], abs=1e-12)
    assert t.mu.to_numpy() == pytest.approx([2.0, -0.5, 0.0], abs=1e-12)
    assert t.sigma.to_numpy() == pytest.approx([0.0, 0.0, 0.0], abs=1e-12)


def test_constant_output_gives_no_sobol_indices():
    x = sobol_design(ISHIGAMI, 8, seed=0)
    assert sobol_indices(ISHIGAMI, np.ones(len(x))).S1.isna().all()


def test_sensitivity_command_on_the_model(tmp_path, capsys):
    # the poverty line share cannot change medical coverage or costs: its indices are exactly 0;
    # the package's extra cost depends on the subsidy it sets
    p = tmp_path / "sens.yaml"
    p.write_text(
        f"name: sens\ntitle: test\nbaseline: {SCENARIOS / 'baseline.yaml'}\nscenarios: [{SCENARIOS / 'opinions_2025.yaml'}]\n"
        "run: {households: 800, end_year: 2026, seed: 3}\n"
        "sensitivity:\n  parameters:\n"
        "    medical.enrolment_intercept: {range: [2.0, 4.0], vary: [baseline, opinions_2025]}\n"
        "    outputs.poverty_line_share_of_median: {range: [0.3, 0.5], vary: [baseline, opinions_2025]}\n"
        "    medical.resident_subsidy: {range: [700, 900], vary: [opinions_2025], from_year: 2025}\n"
        "  outputs:\n"
        "    - {name: coverage, scenario: opinions_2025, metric: medical_coverage, year: 2026}\n"
        "    - {name: cost, scenario: opinions_2025, minus: baseline, metric: cost.all, group: government, year: 2026}\n"
        "  sobol: {samples: 8, seed: 1}\n  morris: {trajectories: 3, seed: 1}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["sensitivity", str(p), "--workers", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Sobol' indices" in printed and "Morris screening" in printed
    folder = out / "sens" / "sensitivity"
    sobol = pd.read_csv(folder / "sobol.csv").set_index(["output", "parameter"])
    morris = pd.read_csv(folder / "morris.csv").set_index(["output", "parameter"])
    for o in ("coverage", "cost"):
        row = sobol.loc[(o, "outputs.poverty_line_share_of_median")]
        assert (row.S1, row.ST, row.ST_ci_low, row.ST_ci_high) == (0, 0, 0, 0)
        assert morris.loc[(o, "outputs.poverty_line_share_of_median")].mu_star == 0
    assert sobol.loc[("cost", "medical.resident_subsidy")].ST > 0.5
    assert sobol.loc[("coverage", "medical.enrolment_intercept")].ST > 0.3
    samples = pd.read_csv(folder / "samples.csv")
    assert len(samples) == 8 * (3 + 2) + 3 * (3 + 1)
    # cost = extra government spending: at a higher subsidy (in the Sobol' points) it is higher
    sob = samples[samples.method == "sobol"]
    assert np.corrcoef(sob["medical.resident_subsidy"], sob["cost"])[0, 1] > 0.9
    # resuming finds everything done
    assert main(["sensitivity", str(p), "--workers", "1", "--out", str(out)]) == 0
    assert "0 runs in" in capsys.readouterr().out
