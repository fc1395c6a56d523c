"""Benchmark: the vectorised model against the idiomatic Mesa reference, side by side, on one core.

Usage:  .venv/bin/python bench/bench_mesa.py [--sizes 10000 100000 1000000] [--mesa-years 3]

For each size, two fresh processes pinned to one core (and one BLAS thread) measure:

vectorised (`model/`): building the population (raking included) and the base year; the full
    yearly step (demography, every measure, every output) for 2025-2035, in household-years
    per second; end to end = build + 11 steps + the results table, i.e. 1 x `run_scenario`
    of 12 years; and the household step alone, the subset the Mesa reference covers
    (`vectorised_household_step`: every measure's decisions and three government costs, no
    demography, no outputs by group), in household-years per second.
Mesa (`bench/mesa_reference.py`): creating one Agent per household (from the same synthetic
    population) and `--mesa-years` years of its household step via `shuffle_do("step")`.

The ratio compared is household step against household step (the same work). Peak memory is
each process's maximum resident set size, interpreter and libraries included. Numbers depend on
the machine and its load; they are measurements, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the code of this checkout, whichever environment runs it
SCENARIO = ROOT / "scenarios" / "opinions_2025.yaml"
ONE_CORE_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def rss_mib() -> float:
    """Current resident set size of this process, MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mib() -> float:
    """Peak resident set size of this process so far, MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vectorised_household_step(model) -> dict[str, float]:
    """Advance incomes one year and run every measure's decisions (no demography, no outputs).

    The same work as one `shuffle_do("step")` of the Mesa reference: returns the same
    aggregates (weighted persons; yuan/year for the government cost).
    """
    from model.state import PolicyYear

    model.year += 1
    p = PolicyYear(model.policy, model.year)
    model.grow_incomes(p)
    s = model.year_state()
    model.apply_measures(s, p)
    c, w = s.cols, s.w
    insured = c["medical_employee"] | c["medical_resident"]
    gov = sum(
        v
        for (m, payer), v in s.costs.items()
        if m in ("pension_resident", "dibao", "medical_resident") and payer != "individuals"
    )
    return {
        "medical_coverage": float(w @ insured) / float(w.sum()),
        "dibao_recipients": float(s.hh_persons @ c["hh_dibao"]),
        "government_cost": gov,
    }


def child_vectorised(households: int, years: int, subset_years: int) -> dict[str, float]:
    from model.core import run_conditions

    with run_conditions():  # as run_scenario runs (the Mesa reference runs under the same)
        return _vectorised(households, years, subset_years)


def _vectorised(households: int, years: int, subset_years: int) -> dict[str, float]:
    from model import load_scenario
    from model.core import MinshengModel

    sc = load_scenario(SCENARIO)
    t0 = time.perf_counter()
    model = MinshengModel(sc, households=households)
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    for _ in range(years - 1):
        model.step()
    steps = time.perf_counter() - t1
    t2 = time.perf_counter()
    model.results_frame(sc.name)
    frame = time.perf_counter() - t2
    end_to_end = time.perf_counter() - t0
    t3 = time.perf_counter()
    for _ in range(subset_years):
        vectorised_household_step(model)
    subset = time.perf_counter() - t3
    return {
        "build_s": build,
        "full_step_s": steps,
        "frame_s": frame,
        "end_to_end_s": end_to_end,
        "full_hh_years_per_s": households * (years - 1) / steps,
        "subset_s": subset,
        "subset_hh_years_per_s": households * subset_years / subset,
        "persons": model.pop.n_persons,
        "peak_mib": peak_mib(),
    }


def child_mesa(households: int, years: int) -> dict[str, float]:
    from model.core import run_conditions

    with run_conditions():
        return _mesa(households, years)


def _mesa(households: int, years: int) -> dict[str, float]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from mesa_reference import ReferenceModel

    from model import load_scenario
    from model.core import MinshengModel

    sc = load_scenario(SCENARIO)
    vm = MinshengModel(sc, households=households)  # the same synthetic population
    before = rss_mib()
    t0 = time.perf_counter()
    ref = ReferenceModel.from_vectorised(vm, seed=1)
    agents = time.perf_counter() - t0
    agents_mib = rss_mib() - before
    t1 = time.perf_counter()
    for _ in range(years):
        ref.step()
    steps = time.perf_counter() - t1
    return {
        "agents_s": agents,
        "agents_mib": agents_mib,
        "subset_s": steps,
        "subset_hh_years_per_s": households * years / steps,
        "peak_mib": peak_mib(),
    }


def measure(kind: str, households: int, years: int, subset_years: int) -> dict[str, float]:
    """Run one measurement in a fresh process pinned to one core."""
    env = {**os.environ, **ONE_CORE_ENV}
    cmd = [
        sys.executable,
        __file__,
        "--child",
        kind,
        str(households),
        str(years),
        str(subset_years),
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if r.returncode != 0:
        raise RuntimeError(f"{kind} at {households:,} households failed:\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument(
        "--years",
        type=int,
        default=12,
        help="years of the vectorised run, base year included (default 12: 2024-2035)",
    )
    ap.add_argument(
        "--mesa-years",
        type=int,
        default=3,
        help="years of the household step timed for both (default 3)",
    )
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        kind, n, years, sub = args.child[0], *map(int, args.child[1:])
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        out = child_vectorised(n, years, sub) if kind == "vectorised" else child_mesa(n, sub)
        print(json.dumps(out))
        return 0

    rows = []
    for n in args.sizes:
        print(f"measuring {n:,} households: vectorised ...", file=sys.stderr)
        vec = measure("vectorised", n, args.years, args.mesa_years)
        print(f"measuring {n:,} households: Mesa ...", file=sys.stderr)
        mesa_ = measure("mesa", n, args.years, args.mesa_years)
        rows.append(
            {
                "households": n,
                "vectorised": vec,
                "mesa": mesa_,
                "ratio": vec["subset_hh_years_per_s"] / mesa_["subset_hh_years_per_s"],
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(
        f"one core of {os.cpu_count()}, Python {sys.version.split()[0]}; scenario {SCENARIO.name}; "
        f"vectorised 2024-{2023 + args.years}; household step timed over {args.mesa_years} years"
    )
    print(
        f"{'':>10} | {'vectorised model':^52} | {'household step (same work)':^36} | {'Mesa reference':^25}"
    )
    print(
        f"{'households':>10} | {'build s':>8} {'full step hh-yr/s':>18} {'end-to-end s':>12} {'peak MiB':>9} | "
        f"{'vect. hh-yr/s':>13} {'Mesa hh-yr/s':>12} {'ratio':>7} | {'agents s':>8} {'agents MiB':>10} {'peak':>5}"
    )
    for r in rows:
        v, m = r["vectorised"], r["mesa"]
        print(
            f"{r['households']:>10,} | {v['build_s']:>8.2f} {v['full_hh_years_per_s']:>18,.0f} {v['end_to_end_s']:>12.2f} "
            f"{v['peak_mib']:>9.0f} | {v['subset_hh_years_per_s']:>13,.0f} {m['subset_hh_years_per_s']:>12,.0f} "
            f"{r['ratio']:>6.0f}x | {m['agents_s']:>8.1f} {m['agents_mib']:>10.0f} {m['peak_mib']:>5.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
