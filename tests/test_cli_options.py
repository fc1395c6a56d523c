"""Options checked before any work: exit 2 at once, nothing run, nothing written (issue 15)."""

from __future__ import annotations

import pytest

import model.core
from minsheng import cli
from minsheng.cli import MAX_SEED, main
from minsheng.executors import available_cores
from tests.conftest import SCENARIOS

BASE = str(SCENARIOS / "baseline.yaml")
RUN = ["run", BASE, "--households", "500", "--years", "2024"]


@pytest.fixture
def no_model(monkeypatch):
    """Fail the test if a model is built (the option must be refused before any work)."""

    def built(*a, **k):
        raise AssertionError("the model was built before the option was checked")

    monkeypatch.setattr(model.core.MinshengModel, "__init__", built)


def experiment(tmp_path, runs: str = "replications: 2\n"):
    p = tmp_path / "exp.yaml"
    p.write_text(
        f"name: tiny\ntitle: t\nbaseline: {BASE}\nrun: {{households: 500, end_year: 2024}}\n{runs}",
        encoding="utf-8",
    )
    return str(p)


@pytest.mark.parametrize("seed", ["-1", str(2**63), str(2**70)])
def test_seed_outside_0_to_2_63_is_refused_at_once(tmp_path, capsys, no_model, seed):
    assert main(RUN + ["--seed", seed, "--out", str(tmp_path / "o")]) == 2
    assert f"--seed {seed}: allowed 0 to {MAX_SEED:,}" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_the_largest_seed_runs(tmp_path):
    assert main(RUN + ["--seed", str(MAX_SEED), "--out", str(tmp_path)]) == 0


@pytest.mark.parametrize(
    "out,says",
    [
        ("file", "an existing file"),
        ("/dev/null", "a device or other special file"),
        ("/dev/null/results", "a part of the path is a file"),
        ("/proc/minsheng-results", "is not writable"),
        ("x" * 300, "its longest name 300"),
        ("/".join(["y" * 200] * 25), "characters"),
        ("a\0b", "NUL byte"),
    ],
)
def test_bad_out_is_refused_before_running(tmp_path, capsys, no_model, out, says):
    if out == "file":
        out = str(tmp_path / "file")
        (tmp_path / "file").write_text("not a folder")
    elif not out.startswith("/"):
        out = str(tmp_path / out)
    for command in (RUN, ["compare", BASE, BASE], ["batch", experiment(tmp_path)]):
        assert main(command + ["--out", out]) == 2, command
        assert says in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["exp.yaml"] + (["file"] if "file" in out else [])
    )


def test_a_read_only_folder_is_refused(tmp_path, capsys, no_model, monkeypatch):
    # as root every folder is writable, so make creating the test folder fail as it would
    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cli.tempfile, "mkdtemp", refuse)
    assert main(RUN + ["--out", str(tmp_path / "ro")]) == 2
    assert "is not writable (Permission denied)" in capsys.readouterr().err


def test_workers_are_capped_by_the_cores_unless_forced(tmp_path, capsys, no_model):
    cores = available_cores()
    args = ["batch", experiment(tmp_path), "--out", str(tmp_path / "o")]
    assert main(args + ["--workers", str(cores + 78)]) == 2
    err = capsys.readouterr().err
    assert f"this machine has {cores} core" in err and "--force-workers" in err
    assert main(args + ["--workers", "0"]) == 2
    assert main(args + ["--workers", "100000", "--force-workers"]) == 2
    assert "at most 512" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_forced_workers_start(tmp_path, monkeypatch):
    from minsheng.executors import LocalExecutor

    asked = []

    def make(kind, workers=None, scheduler=None):
        asked.append(workers)
        return LocalExecutor(1)  # runs in this process whatever was asked for

    monkeypatch.setattr("minsheng.executors.make_executor", make)
    args = ["batch", experiment(tmp_path), "--out", str(tmp_path / "o"), "--force-workers"]
    assert main(args + ["--workers", str(available_cores() + 1)]) == 0
    assert asked == [available_cores() + 1]


@pytest.mark.parametrize(
    "runs,count,how",
    [
        (
            "replications: 100000\n",
            "100,000 runs",
            "1 scenarios and sweep variants x 100,000 replications",
        ),
        (
            "replications: 1\nsweeps:\n  - {name: s, vary: [baseline], grid: {"
            + ", ".join(
                f"{p}: [{', '.join(str(lo + i) for i in range(100))}]"
                for p, lo in (
                    ("medical.resident_subsidy", 700),
                    ("pension.resident_minimum", 100),
                    ("childcare.voucher", 0),
                )
            )
            + "}}\n",
            "1,000,001 runs",
            "1,000,001 scenarios and sweep variants x 1 replications",
        ),
        (
            "replications: 1\nsweeps:\n  - {name: s, vary: [baseline], sample: {points: 100000, "
            "ranges: {medical.enrolment_price_coefficient: [-0.6, -0.05]}}}\n",
            "100,001 runs",
            "100,001 scenarios",
        ),
    ],
)
def test_experiments_implying_over_10000_runs_are_refused_before_expanding(
    tmp_path, capsys, no_model, runs, count, how
):
    assert main(["batch", experiment(tmp_path, runs), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert count in err and how in err and "at most 10,000 runs" in err and "--max-runs" in err
    assert not (tmp_path / "o").exists()


def test_max_runs_raises_the_limit(tmp_path, capsys):
    exp = experiment(tmp_path, "replications: 3\n")
    assert (
        main(["batch", exp, "--out", str(tmp_path / "o"), "--workers", "1", "--max-runs", "2"]) == 2
    )
    assert "3 runs" in capsys.readouterr().err
    assert (
        main(["batch", exp, "--out", str(tmp_path / "o"), "--workers", "1", "--max-runs", "3"]) == 0
    )


def test_a_sensitivity_design_over_10000_runs_is_refused(tmp_path, capsys):
    section = (
        "sensitivity:\n  parameters: {dibao.takeup_rural: {range: [0.5, 0.9], vary: [baseline]}}\n"
        "  outputs: [{name: o, scenario: baseline, metric: dibao_recipients, year: 2024}]\n"
        "  sobol: {samples: 4096}\n"
    )
    exp = experiment(tmp_path, "replications: 1\n" + section)
    assert main(["sensitivity", exp, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "12,288 runs (12,288 points x 1 scenarios x 1 replications)" in err
    # the same file is a small batch: its sensitivity section does not count there
    assert main(["batch", exp, "--out", str(tmp_path / "o"), "--workers", "1"]) == 0


def test_households_up_to_ten_million_where_memory_allows(monkeypatch):
    from minsheng import cli, limits

    with pytest.raises(cli.UsageError, match="allowed 500 to 10,000,000"):
        cli.check_households(20_000_000)
    monkeypatch.setattr(limits, "available_mib", lambda: 4_000.0)  # a 4 GiB machine
    # 1.1 x (280 + 7.5 x 700) MiB = 6,083 MiB
    with pytest.raises(cli.UsageError, match=r"needs about 5\.9 GiB .* 3\.9 GiB available"):
        cli.check_households(7_500_000)
    cli.check_households(5_000_000)  # up to 5 million: no memory check
    monkeypatch.setattr(limits, "available_mib", lambda: 7_500.0)  # (7,500 / 1.1 - 280) / 700
    with pytest.raises(cli.UsageError, match=r"at most 9,340,259 households here"):
        cli.check_households(10_000_000)
    monkeypatch.setattr(limits, "available_mib", lambda: 8_100.0)  # 8,008 MiB needed at 10M
    cli.check_households(10_000_000)
