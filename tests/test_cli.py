"""The `minsheng` command: outputs, exit codes, messages, and nothing half-written on bad input."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from minsheng.cli import UsageError, main, parse_years
from tests.conftest import ROOT, SCENARIOS

BASE = str(SCENARIOS / "baseline.yaml")
OPIN = str(SCENARIOS / "opinions_2025.yaml")


def test_run_writes_tidy_parquet_summary_and_manifest(tmp_path, capsys):
    assert (
        main(["run", BASE, "--households", "3000", "--years", "2026", "--out", str(tmp_path)]) == 0
    )
    out = tmp_path / "baseline"
    df = pd.read_parquet(out / "results.parquet")
    assert list(df.columns) == ["scenario", "seed", "year", "group", "metric", "value", "unit"]
    assert sorted(df.year.unique()) == [2024, 2025, 2026]
    summary = pd.read_csv(out / "summary.csv")
    assert {"scenario", "metric", "group", "unit", "2024", "2026"} <= set(summary.columns)
    assert (out / "manifest.json").exists()
    printed = capsys.readouterr().out
    assert "Medical insurance coverage" in printed and "Results written to" in printed


def test_compare_null_difference_is_zero(tmp_path):
    assert (
        main(
            ["compare", BASE, BASE, "--households", "2000", "--years", "3", "--out", str(tmp_path)]
        )
        == 0
    )
    diff = pd.read_csv(tmp_path / "compare_baseline_vs_baseline" / "differences.csv")
    assert set(diff.year) == {2024, 2025, 2026}
    assert (diff.difference.fillna(0) == 0).all()


def test_compare_shows_the_package_costs_more(tmp_path):
    assert (
        main(
            [
                "compare",
                BASE,
                OPIN,
                "--households",
                "3000",
                "--years",
                "2026",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    diff = pd.read_csv(tmp_path / "compare_baseline_vs_opinions_2025" / "differences.csv")
    row = diff[(diff.metric == "cost.all") & (diff.group == "central") & (diff.year == 2026)]
    assert row.difference.iloc[0] > 0
    # winners and losers of the last year: everyone, by residence, by decile; shares add to one
    gains = pd.read_csv(tmp_path / "compare_baseline_vs_opinions_2025" / "winners_losers.csv")
    assert gains.group.tolist() == ["all", "rural", "urban"] + [f"decile_{d}" for d in range(1, 11)]
    assert set(gains.year) == {2026}
    shares = gains.households_better + gains.households_worse + gains.households_unchanged
    assert shares.tolist() == pytest.approx([1.0] * 13)
    # each decile's mean gain is the change in its net benefit per person in the results
    results = pd.read_parquet(tmp_path / "compare_baseline_vs_opinions_2025" / "results.parquet")
    net = results[(results.metric == "net_benefit") & (results.year == 2026)]
    change = net.pivot(index="group", columns="scenario", values="value")
    change = change["opinions_2025"] - change["baseline"]
    deciles = gains[gains.group.str.startswith("decile_")].set_index("group").gain_per_person
    assert deciles.to_numpy() == pytest.approx(change[deciles.index].to_numpy(), rel=1e-9)


def test_bad_scenario_exit_2_clear_message_nothing_written(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f"name: bad\ntitle: bad\nextends: {BASE}\nparameters:\n  dibao.takeup_rural:\n    unit: share\n    values:\n"
        "      2025: {value: 1.7, source: {assumption: 'out of range on purpose'}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", str(bad), "--households", "1000", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert (
        str(bad) in err
        and "parameters.dibao.takeup_rural.values.2025" in err
        and "found 1.7" in err
        and "allowed: 0 to 1 share" in err
    )
    assert "Nothing was written" in err
    assert not out.exists()


def test_compare_checks_both_files_before_running(tmp_path, capsys):
    bad = tmp_path / "typo.yaml"
    bad.write_text("name: typo\ntitle: t\nextends: nowhere.yaml\n", encoding="utf-8")
    assert main(["compare", BASE, str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "nowhere.yaml" in capsys.readouterr().err


def test_existing_results_survive_a_failed_run(tmp_path, monkeypatch):
    assert (
        main(["run", BASE, "--households", "1000", "--years", "2024", "--out", str(tmp_path)]) == 0
    )
    before = (tmp_path / "baseline" / "results.parquet").read_bytes()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr("minsheng.report.summary_frame", boom)
    with pytest.raises(RuntimeError):
        main(["run", BASE, "--households", "1000", "--years", "2025", "--out", str(tmp_path)])
    assert (tmp_path / "baseline" / "results.parquet").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["baseline"]


def test_validate(capsys):
    assert main(["validate", BASE, OPIN]) == 0
    assert "OK" in capsys.readouterr().out


def test_years_option():
    assert parse_years("2035", 2024) == 2035
    assert parse_years("2024-2030", 2024) == 2030
    assert parse_years("12", 2024) == 2035
    for bad in ("2025-2030", "abc", "2020"):
        with pytest.raises(UsageError):
            parse_years(bad, 2024)


def test_bad_option_values_exit_2(capsys):
    assert main(["run", BASE, "--years", "soon"]) == 2
    assert main(["run", BASE, "--households", "10"]) == 2


@pytest.mark.parametrize(
    "cmd,options",
    [
        ("run", ["--households", "--years", "--seed", "--out"]),
        ("compare", ["--households", "--years", "--seed", "--out"]),
        ("validate", ["SCENARIO.yaml"]),
        ("calibrate", ["--baseline", "--households", "--seed", "--output"]),
        ("app", ["--port", "--host", "--headless"]),
    ],
)
def test_help_explains_every_option(cmd, options):
    r = subprocess.run(
        [sys.executable, "-m", "minsheng.cli", cmd, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0
    for o in options:
        assert o in r.stdout


def test_console_script_is_installed():
    from pathlib import Path

    r = subprocess.run(
        [str(Path(sys.executable).parent / "minsheng"), "--help"], capture_output=True, text=True
    )
    assert r.returncode == 0 and "compare" in r.stdout


def test_app_command_serves_the_app_with_streamlit():
    from minsheng.cli import app_command, build_parser

    cmd = app_command(build_parser().parse_args(["app", "--port", "8600", "--headless"]))
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith("app/main.py")
    assert cmd[cmd.index("--server.port") + 1] == "8600" and "--server.headless" in cmd
    assert main(["app", "--port", "0"]) == 2
