"""Benchmark: wall time and peak memory of `minsheng run`, and the speed of the yearly step.

Usage:  .venv/bin/python bench/bench_core.py [--sizes 100000 1000000] [--scenario FILE]

Everything runs on one core (the process and its children are pinned to it; BLAS uses one
thread). For each size it runs the real command in a fresh process (so peak memory is that run's
alone): `minsheng run SCENARIO --households N --years 2024-2035`, whose wall time includes
starting Python, imports and writing the results. Then, in this process, it times the model end
to end (building the population, every year's step, the results table: what `run_scenario`
does) and the yearly step alone, in household-years per second. Last, the commands people
start most: `minsheng --help`, `minsheng validate SCENARIO` and a small `minsheng run` (20,000
households to 2030), three times each, and the measured figures beside the project's speed goals.
Numbers depend on the machine and its load; they are measurements, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the code of this checkout, whichever environment runs it
PEAK = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter(); r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print(r.returncode, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def run_command(scenario: Path, households: int, end_year: int) -> dict[str, float]:
    """Wall time (s) and peak resident memory (MiB) of one `minsheng run`."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [  # `minsheng run` of this checkout's code (PYTHONPATH below)
            sys.executable,
            "-c",
            PEAK,
            sys.executable,
            "-m",
            "minsheng.cli",
            "run",
            str(scenario),
            "--households",
            str(households),
            "--years",
            str(end_year),
            "--out",
            out,
        ]
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        code, wall, peak_kib = subprocess.run(
            cmd, capture_output=True, text=True, check=True, env=env
        ).stdout.split()
    if code != "0":
        raise RuntimeError(f"minsheng run failed with exit code {code}")
    return {"wall_s": float(wall), "peak_mib": int(peak_kib) / 1024}


def kernel_times() -> tuple[float, float]:
    """Seconds to compile every kernel (an empty disk cache), then to load them from that cache
    (`kernels.compile_all`: a 500-household run of one year, which takes about 0.1 s of it).

    Each in a fresh process with its own `NUMBA_CACHE_DIR`, so the project's own cache is
    neither used nor touched.
    """
    code = "from model import kernels; print(kernels.compile_all())"
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        return tuple(
            float(
                subprocess.run(
                    [sys.executable, "-c", code],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.split()[-1]
            )
            for _ in range(2)
        )


def time_steps(scenario: Path, households: int, end_year: int) -> dict[str, float]:
    """Household-years per second of the yearly step (demography, measures, results)."""
    from model import load_scenario
    from model.core import MinshengModel, agents_frozen, run_conditions

    sc = load_scenario(scenario)
    with run_conditions():  # as run_scenario runs
        t0 = time.perf_counter()
        model = MinshengModel(sc, households=households)
        build = time.perf_counter() - t0
        steps = end_year - sc.run.start_year
        with agents_frozen():
            t1 = time.perf_counter()
            for _ in range(steps):
                model.step()
            dt = time.perf_counter() - t1
        model.results_frame(sc.name)
    return {
        "model_s": time.perf_counter() - t0,
        "build_s": build,
        "steps": steps,
        "step_s": dt,
        "household_years_per_s": households * steps / dt,
        "persons": model.pop.n_persons,
    }


# the speed goals the project has set itself (one core of its 2-core development machine)
GOALS = {
    "yearly step, 1M households": ">= 5,000,000 household-years/s",
    "model end to end, 1M households x 12 years": "<= 4 s",
    "minsheng --help": "<= 0.3 s",
    "minsheng validate": "<= 0.3 s",
    "minsheng run, 20,000 households to 2030": "<= 0.8 s",
}


def command_seconds(args: list[str], rounds: int = 3) -> list[float]:
    """Wall seconds of `rounds` runs of ``python -m minsheng.cli ARGS`` (this checkout's code)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(rounds):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "minsheng.cli", *[a.replace("{out}", out) for a in args]],
                cwd=ROOT,
                env=env,
                capture_output=True,
                check=True,
            )
            times.append(time.perf_counter() - t)
    return times


def start_up(scenario: Path) -> dict[str, list[float]]:
    """Seconds of the commands people start most, three runs each."""
    return {
        "minsheng --help": command_seconds(["--help"]),
        "minsheng validate": command_seconds(["validate", str(scenario)]),
        "minsheng run, 20,000 households to 2030": command_seconds(
            ["run", str(scenario), "--households", "20000", "--years", "2030", "--out", "{out}"]
        ),
    }


def print_goals(rows: list[dict], commands: dict[str, list[float]]) -> None:
    """The measured figures beside GOALS (the 1M-household figures when 1M was measured)."""
    measured = {name: f"{min(t):.2f}-{max(t):.2f} s" for name, t in commands.items()}
    big = [r for r in rows if r["households"] == 1_000_000]
    if big:
        measured["yearly step, 1M households"] = (
            f"{big[0]['household_years_per_s']:,.0f} household-years/s"
        )
        measured["model end to end, 1M households x 12 years"] = f"{big[0]['model_s']:.2f} s"
    print(f"{'':<44} {'measured':>32}   goal")
    for name, goal in GOALS.items():
        print(f"{name:<44} {measured.get(name, 'not measured'):>32}   {goal}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[100_000, 1_000_000],
        help="household counts (default 100000 1000000)",
    )
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "opinions_2025.yaml")
    ap.add_argument("--end-year", type=int, default=2035)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args()

    os.environ.update({"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})  # children inherit it
    compile_s, cached_s = kernel_times()
    rows = []
    for n in args.sizes:
        print(f"measuring {n:,} households ...", file=sys.stderr)
        rows.append(
            {
                "households": n,
                **run_command(args.scenario, n, args.end_year),
                **time_steps(args.scenario, n, args.end_year),
            }
        )
    print("measuring start-up ...", file=sys.stderr)
    commands = start_up(args.scenario)
    if args.json:
        print(
            json.dumps(
                {
                    "kernels_compile_s": compile_s,
                    "kernels_cached_s": cached_s,
                    "runs": rows,
                    "commands_s": commands,
                },
                indent=2,
            )
        )
        return 0
    print(
        f"one core (#{core}) of {os.cpu_count()}, Python {sys.version.split()[0]}; scenario {args.scenario.name}, 2024-{args.end_year}"
    )
    print(f"{'':>12} {'':>10} {'minsheng run':^21} | {'model (run_scenario)':^48}")
    print(
        f"{'households':>12} {'persons':>10} {'wall s':>10} {'peak MiB':>10} | {'end to end s':>12} {'build s':>8} "
        f"{'steps s':>8} {'household-years/s':>17}"
    )
    print(
        f"compiled kernels (model/kernels.py): {compile_s:.1f} s to compile on a new machine, "
        f"{cached_s:.2f} s to load from the disk cache afterwards"
    )
    for r in rows:
        print(
            f"{r['households']:>12,} {r['persons']:>10,} {r['wall_s']:>10.1f} {r['peak_mib']:>10.0f} | {r['model_s']:>12.2f} "
            f"{r['build_s']:>8.2f} {r['step_s']:>8.2f} {r['household_years_per_s']:>17,.0f}"
        )
    print()
    print_goals(rows, commands)
    return 0


if __name__ == "__main__":
    sys.exit(main())
