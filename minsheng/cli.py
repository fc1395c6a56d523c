"""The `minsheng` command: run, compare and validate scenarios; fit the calibration; serve the app.

Exit codes: 0 success, 2 bad input (scenario file or option), 1 anything else.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from model import ScenarioError, load_scenario, run_scenario
from model.core import Results
from minsheng import report
from minsheng.output import atomic_dir

EPILOG = "Results are tidy tables (scenario, seed, year, group, metric, value, unit) in Parquet, plus CSV summaries."


class UsageError(Exception):
    """A bad command-line value (exit code 2)."""


def parse_years(text: str | None, start: int) -> int | None:
    """--years: '2035' (last year), '2024-2035' (range from the start year) or '12' (years simulated)."""
    if text is None:
        return None
    try:
        if "-" in text:
            a, b = (int(x) for x in text.split("-", 1))
            if a != start:
                raise UsageError(f"--years {text}: the range must begin at the scenario's start year {start}")
            end = b
        else:
            n = int(text)
            end = n if n >= 1000 else start + n - 1
    except ValueError:
        raise UsageError(f"--years {text!r}: expected a last year (2035), a range (2024-2035) or a count of years (12)")
    if not start <= end <= 2100:
        raise UsageError(f"--years {text}: the last year must be between {start} and 2100")
    return end


def _progress(label: str):
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None, lambda: None
    bar = tqdm(total=1, desc=label, unit="year", leave=False, disable=None, file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close


def _run(path: str, args: argparse.Namespace) -> Results:
    scenario = load_scenario(path)
    end = parse_years(args.years, scenario.run.start_year)
    update, close = _progress(scenario.name)
    try:
        return run_scenario(scenario, households=args.households, end_year=end, seed=args.seed, progress=update)
    finally:
        close()


def cmd_run(args: argparse.Namespace) -> int:
    res = _run(args.scenario, args)
    out = Path(args.out) / res.scenario
    with atomic_dir(out) as tmp:
        report.write_results(tmp, [res])
    print(report.headline_table([res]))
    print(f"\n{res.households:,} households, seed {res.seed}: built in {res.timings['build_s']:.2f} s, "
          f"simulated in {res.timings['step_s']:.2f} s.\nResults written to {out}/")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    # validate both before running either, so a typo in B does not cost the run of A
    for path in (args.a, args.b):
        load_scenario(path)
    a = _run(args.a, args)
    b = _run(args.b, args)
    out = Path(args.out) / f"compare_{a.scenario}_vs_{b.scenario}"
    with atomic_dir(out) as tmp:
        report.write_results(tmp, [a, b])
        diff = report.differences(a, b)
        diff.to_csv(tmp / "differences.csv", index=False)
    print(report.headline_table([a, b]))
    print(f"\nSame seed ({a.seed}) and sample ({a.households:,} households) in both runs: differences are due to policy alone.")
    print(f"Results written to {out}/ (results.parquet, summary.csv, differences.csv)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    for path in args.scenarios:
        sc = load_scenario(path)
        n_values = sum(len(v) for v in sc.params.values())
        kinds: dict[str, int] = {}
        for series in sc.params.values():
            for v in series:
                kinds[type(v.source).__name__] = kinds.get(type(v.source).__name__, 0) + 1
        print(f"{path}: OK — {sc.name} ({sc.title}), {len(sc.params)} parameters, {n_values} dated values; sources: "
              + ", ".join(f"{k.replace('Source', '').lower()} {n}" for k, n in sorted(kinds.items())))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from minsheng import calibrate

    path = Path(args.baseline)
    scenario = load_scenario(path)
    t0 = time.perf_counter()
    result = calibrate.fit(scenario, households=args.households or 50_000, seed=args.seed,
                           log=lambda m: print(m, file=sys.stderr))
    target = Path(args.output)
    calibrate.write(result, target, scenario.run.start_year)
    print(json.dumps({"misfit": result["misfit"], "seconds": round(time.perf_counter() - t0, 1)}, indent=2))
    print(f"Wrote {target}")
    return 0


def app_command(args: argparse.Namespace) -> list[str]:
    """The `streamlit run` command line that serves the planners' app."""
    import app

    main_script = Path(app.__file__).resolve().parent / "main.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(main_script), "--server.port", str(args.port),
           "--server.address", args.host, "--client.toolbarMode", "viewer", "--browser.gatherUsageStats", "false"]
    if args.headless:
        cmd += ["--server.headless", "true"]
    return cmd


def cmd_app(args: argparse.Namespace) -> int:
    import os
    import subprocess

    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: allowed 1 to 65535")
    cmd = app_command(args)
    print(f"Serving the minsheng app at http://{args.host}:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        return subprocess.call(cmd, env=dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false"))
    except KeyboardInterrupt:
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minsheng",
        description="minsheng: an agent-based model of China's livelihood (民生) policies.",
        epilog=EPILOG,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--households", type=int, default=None, metavar="N",
                       help="households in the synthetic sample (default: the scenario's run.households, 100,000); weights make totals national at any size")
        p.add_argument("--years", default=None, metavar="Y",
                       help="last simulated year (2035), a range from the start year (2024-2035) or a number of years (12); default: the scenario's run.end_year")
        p.add_argument("--seed", type=int, default=None, metavar="S",
                       help="seed of the run's random generator (default: the scenario's run.seed); same seed, same numbers")
        p.add_argument("--out", default="results", metavar="DIR", help="folder for results (default: results/)")

    p = sub.add_parser("run", help="run one scenario and write its results", description="Run one scenario year by year and write tidy results (Parquet + CSV summary).")
    p.add_argument("scenario", metavar="SCENARIO.yaml")
    common(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("compare", help="run two scenarios on the same sample and seed; print and write differences",
                       description="Run A and B with the same households and seed (common random numbers) and report B - A year by year.")
    p.add_argument("a", metavar="A.yaml")
    p.add_argument("b", metavar="B.yaml")
    common(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("validate", help="check scenario files without running them",
                       description="Load scenario files strictly (unknown or duplicate keys, units, ranges, sources) and report problems. Exit 2 on any problem.")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO.yaml")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("calibrate", help="fit the behavioural parameters to published figures",
                       description="Fit the calibrated parameters of the baseline to their targets and write calibration/calibrated.yaml.")
    p.add_argument("--baseline", default="scenarios/baseline.yaml", metavar="SCENARIO.yaml", help="scenario whose calibrated values are fitted (default: scenarios/baseline.yaml)")
    p.add_argument("--households", type=int, default=None, metavar="N", help="sample size for the fit (default 50,000)")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="seed (default: the scenario's)")
    p.add_argument("--output", default="calibration/calibrated.yaml", metavar="FILE", help="where to write the fitted values")
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("app", help="serve the planners' app (Streamlit) in the browser",
                       description="Serve the planners' app: compare scenarios, adjust measures, see every value's source (Chinese and English).")
    p.add_argument("--port", type=int, default=8501, metavar="N", help="port to serve on (default 8501)")
    p.add_argument("--host", default="localhost", metavar="ADDR", help="address to listen on (default localhost; 0.0.0.0 for every interface)")
    p.add_argument("--headless", action="store_true", help="do not open a browser window")
    p.set_defaults(func=cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "households", None) is not None and not 500 <= args.households <= 5_000_000:
        print(f"minsheng: --households {args.households}: allowed 500 to 5,000,000", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"minsheng: {exc}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"minsheng: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nminsheng: interrupted; nothing was written.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
