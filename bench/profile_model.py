"""Where the time of a run goes: seconds per phase of `run_scenario`, and cProfile's top functions.

Usage:  .venv/bin/python bench/profile_model.py [--households 1000000] [--top 20]

Runs the 2025 Opinions for 2024-2035 in this process, pinned to one core with one BLAS thread
(set before numpy loads), with a timer around each phase: the population build (and within it
the raking), the yearly demography, each measure, the providers' base-year stock and each service
market's year (investment, demand, allocation, providers' adjustment), the outputs, and the
results table. Then
(with --top) the same run under cProfile, sorted by time spent in each function itself.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import functools  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the code of this checkout, whichever environment runs it


def instrument() -> dict[str, float]:
    """Wrap each phase's function with a timer; returns the dict the timers add to (seconds)."""
    import model.core as core
    from model import demography, outputs, population, raking, sample_cache
    from model.measures import dibao, employee, medical, pension, services
    from model.providers.childcare import ChildcareMarket
    from model.providers.elderly import ElderlyCareMarket
    from model.providers.primary import PrimaryCare

    spent: dict[str, float] = defaultdict(float)
    spent["population build (incl. raking)"] = spent["  of which raking"] = (
        0.0  # printed in this order
    )

    def timed(label, fn):
        @functools.wraps(fn)
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[label] += time.perf_counter() - t

        return wrapper

    sample_cache.build_population = timed(
        "population build (incl. raking)", sample_cache.build_population
    )
    population.rake = timed("  of which raking", population.rake)
    raking.rake = population.rake
    demography.step = timed("demography", demography.step)
    for mod, fn in (
        (services, "apply"),
        (employee, "apply"),
        (pension, "apply"),
        (dibao, "apply"),
        (pension, "contributions"),
        (medical, "apply"),
    ):
        name = mod.__name__.split(".")[-1] + ("" if fn == "apply" else f".{fn}")
        setattr(mod, fn, timed(f"measure {name}", getattr(mod, fn)))
    for cls, label in (
        (ChildcareMarket, "childcare"),
        (ElderlyCareMarket, "elderly care"),
        (PrimaryCare, "primary care"),
    ):
        cls.place_initial_stock = timed("providers' base-year stock", cls.place_initial_stock)
        cls.year = timed(f"providers {label} (market year)", cls.year)
    outputs.collect = timed("outputs (groups, Gini, poverty, costs)", outputs.collect)
    core.MinshengModel.results_frame = timed("results table", core.MinshengModel.results_frame)
    return spent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument(
        "--top", type=int, default=0, help="also print cProfile's N most expensive functions"
    )
    args = ap.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    spent = instrument()
    from model import load_scenario, run_scenario

    sc = load_scenario(ROOT / "scenarios" / "opinions_2025.yaml")
    t0 = time.perf_counter()
    run_scenario(sc, households=args.households, end_year=2035)
    total = time.perf_counter() - t0
    print(
        f"{args.households:,} households, 2024-2035, one core: {total:.2f} s end to end (after imports)"
    )
    for label, s in spent.items():  # in the order the phases first ran
        print(f"  {label:<42} {s:7.2f} s  {100 * s / total:5.1f}%")
    print(
        f"  {'other (PolicyYear, YearState, income growth)':<42} "
        f"{total - sum(v for k, v in spent.items() if not k.startswith('  ')):7.2f} s"
    )
    if args.top:
        prof = cProfile.Profile()
        prof.enable()
        run_scenario(sc, households=args.households, end_year=2035)
        prof.disable()
        pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
