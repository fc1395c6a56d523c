"""The `minsheng` command: run, compare and validate scenarios; fit the calibration; run
batch experiments and sensitivity analyses; serve the app.

Exit codes: 0 success, 2 bad input (scenario file or option), 1 anything else.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from minsheng.limits import MAX_RUNS
from minsheng.output import FolderInUse, atomic_dir
from model.problems import ResultsError, ScenarioError

if TYPE_CHECKING:
    from model.core import Results

# The model (Mesa, pandas, scipy) and the results' writers are imported inside the commands that
# run it: `minsheng --help` and `minsheng validate` need only the scenario loader.

EPILOG = "Results are tidy tables (scenario, seed, year, group, metric, value, unit) in Parquet, plus CSV summaries."


class UsageError(Exception):
    """A bad command-line value (exit code 2)."""


def load_scenario(path: Path):
    """`model.load_scenario`, imported when a command first reads a scenario (it brings
    pydantic, PyYAML and numpy, which `minsheng --help` does without)."""
    # minsheng uses no pydantic plugins; looking for them reads every installed package's
    # metadata (importlib.metadata), 20-35 ms of `minsheng validate`
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from model.scenario import load_scenario as load

    return load(path)


MAX_SEED = 2**63 - 1  # numpy's seeds are unsigned 64-bit; scenario files allow the same range
MAX_OUT_CHARS = 3800  # --out leaves room under PATH_MAX (4,096) for the results' own names
MAX_FORCED_WORKERS = 512  # processes even --force-workers may start


def check_out(text: str) -> Path:
    """--out: a folder that exists or can be created and written to; UsageError otherwise.

    Writes nothing lasting: whether the nearest existing folder is writable is tried by creating
    and at once removing an empty hidden folder in it.
    """
    shown = text.replace("\0", "\\0")
    if "\0" in text:
        raise UsageError(f"--out {shown}: a path with a NUL byte; allowed: a folder's path")
    path = Path(text)
    longest = max((len(part) for part in path.parts), default=0)
    if len(text) > MAX_OUT_CHARS or longest > 255:
        raise UsageError(
            f"--out: a path of {len(text):,} characters (its longest name {longest:,}); "
            f"allowed: at most {MAX_OUT_CHARS:,} characters and 255 per folder name"
        )
    existing = path
    while True:
        try:
            mode = os.stat(existing).st_mode
            break
        except FileNotFoundError:
            if existing.parent == existing:
                raise UsageError(f"--out {shown}: no existing folder on this path")
            existing = existing.parent
        except NotADirectoryError:
            raise UsageError(f"--out {shown}: a part of the path is a file; allowed: a folder")
        except OSError as exc:
            raise UsageError(f"--out {shown}: cannot be used ({exc.strerror}); allowed: a folder")
    if not stat.S_ISDIR(mode):
        what = "an existing file" if stat.S_ISREG(mode) else "a device or other special file"
        where = "" if existing == path else f" (its part {existing})"
        raise UsageError(
            f"--out {shown}: {what}{where}, not a folder; allowed: a folder, new or existing"
        )
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".minsheng-write-test-", dir=existing))
    except OSError as exc:
        raise UsageError(
            f"--out {shown}: the folder {existing} is not writable ({exc.strerror}); "
            "allowed: a folder you can write to"
        )
    return path


def check_households(households: int) -> None:
    """500 to MAX_HOUSEHOLDS, and (above 5 million) no more than this machine's memory holds."""
    from minsheng.limits import (
        MAX_HOUSEHOLDS,
        available_mib,
        households_that_fit,
        memory_needed_mib,
    )

    if not 500 <= households <= MAX_HOUSEHOLDS:
        raise UsageError(f"--households {households}: allowed 500 to {MAX_HOUSEHOLDS:,}")
    need, free = memory_needed_mib(households), available_mib()
    if households > 5_000_000 and free is not None and need > free:
        raise UsageError(
            f"--households {households:,}: a run this size needs about {need / 1024:.1f} GiB and "
            f"this machine has {free / 1024:.1f} GiB available; allowed: at most "
            f"{max(households_that_fit(free), 5_000_000):,} households here"
        )


def check_options(args: argparse.Namespace) -> None:
    """Every option's value, before any work (UsageError on the first bad one)."""
    households = getattr(args, "households", None)
    if households is not None:
        check_households(households)
    seed = getattr(args, "seed", None)
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise UsageError(f"--seed {seed}: allowed 0 to {MAX_SEED:,} (2**63 - 1)")
    if getattr(args, "out", None) is not None:
        check_out(args.out)
    if hasattr(args, "workers"):
        check_workers(args)
    if getattr(args, "max_runs", None) is not None and args.max_runs < 1:
        raise UsageError(f"--max-runs {args.max_runs}: allowed 1 or more")


def check_workers(args: argparse.Namespace) -> None:
    """--workers: 1 to this machine's cores (to MAX_FORCED_WORKERS with --force-workers)."""
    from minsheng.executors import available_cores

    if args.scheduler and args.executor != "dask":
        raise UsageError(f"--scheduler {args.scheduler}: only with --executor dask")
    n = args.workers
    if n is None or args.scheduler:  # an existing Dask cluster has its own workers
        return
    cores = available_cores()
    if n < 1:
        raise UsageError(f"--workers {n}: allowed 1 or more")
    if args.force_workers:
        if n > MAX_FORCED_WORKERS:
            raise UsageError(
                f"--workers {n}: allowed at most {MAX_FORCED_WORKERS} processes, even with --force-workers"
            )
    elif n > cores:
        raise UsageError(
            f"--workers {n}: this machine has {cores} core{'s' * (cores > 1)}; allowed 1 to {cores} "
            f"(add --force-workers to start {n} processes anyway)"
        )


def parse_years(text: str | None, start: int) -> int | None:
    """--years: '2035' (last year), '2024-2035' (range from the start year) or '12' (years simulated)."""
    if text is None:
        return None
    try:
        if "-" in text:
            a, b = (int(x) for x in text.split("-", 1))
            if a != start:
                raise UsageError(
                    f"--years {text}: the range must begin at the scenario's start year {start}"
                )
            end = b
        else:
            n = int(text)
            end = n if n >= 1000 else start + n - 1
    except ValueError:
        raise UsageError(
            f"--years {text!r}: expected a last year (2035), a range (2024-2035) or a count of years (12)"
        )
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


def _run(path: str, args: argparse.Namespace, keep_last_households: bool = False) -> Results:
    """Run the scenario file `path` with the command's options; with `keep_last_households`,
    its households of the last year are kept (for winners and losers)."""
    from model.core import run_scenario

    scenario = load_scenario(path)
    end = parse_years(args.years, scenario.run.start_year)
    update, close = _progress(scenario.name)
    try:
        return run_scenario(
            scenario,
            households=args.households,
            end_year=end,
            seed=args.seed,
            progress=update,
            household_years=[end] if keep_last_households else [],
        )
    finally:
        close()


def province_key(text: str | None) -> str | None:
    """The province named by `text` (pinyin key, Chinese name, English name or two-digit code);
    raises ScenarioError listing the allowed names when it names none."""
    if text is None:
        return None
    from model.provinces import PROVINCES

    t = text.strip().lower().removeprefix("province_")
    for p in PROVINCES:
        if t in (p.key, p.name_zh, p.name_en.lower(), str(p.code)):
            return p.key
    raise ScenarioError(
        [
            (
                "--province",
                "-",
                repr(text),
                "a province: " + ", ".join(f"{p.key} ({p.name_zh})" for p in PROVINCES),
            )
        ]
    )


def cmd_run(args: argparse.Namespace) -> int:
    from minsheng import report

    province = province_key(args.province)
    res = _run(args.scenario, args)
    out = Path(args.out) / res.scenario
    with atomic_dir(out) as tmp:
        report.write_results(tmp, [res])
    print(report.headline_table([res], province))
    print(
        f"\n{res.households:,} households, seed {res.seed}: built in {res.timings['build_s']:.2f} s, "
        f"simulated in {res.timings['step_s']:.2f} s.\nResults written to {out}/"
    )
    return 0


def _decomposition(args: argparse.Namespace, a: Results, b: Results):
    """The package B's effect split by measure (`minsheng.decompose`), from the runs `a`, `b`."""
    from minsheng import decompose

    sa, sb = load_scenario(args.a), load_scenario(args.b)
    print(f"decomposing: the package {b.scenario} without each of its measures", file=sys.stderr)
    return decompose.decompose(
        a,
        b,
        sa,
        sb,
        decompose.default_measures_folder(args.b),
        end_year=int(b.frame.year.max()),
        log=lambda m: print(m, file=sys.stderr),
    )


def cmd_compare(args: argparse.Namespace) -> int:
    from minsheng import report
    from model.sample_cache import reusing_populations

    # validate both before running either, so a typo in B does not cost the run of A
    province = province_key(args.province)
    for path in (args.a, args.b):
        load_scenario(path)
    with reusing_populations():  # one sample: the runs after the first start from its copy
        a = _run(args.a, args, keep_last_households=True)
        b = _run(args.b, args, keep_last_households=True)
        decomposition = _decomposition(args, a, b) if args.decompose else None
    gains = report.winners_frame(a, b)
    out = Path(args.out) / f"compare_{a.scenario}_vs_{b.scenario}"
    with atomic_dir(out) as tmp:
        report.write_results(tmp, [a, b])
        diff = report.differences(a, b)
        diff.to_csv(tmp / "differences.csv", index=False)
        if decomposition is not None:
            decomposition.frame.to_csv(tmp / "decomposition.csv", index=False)
        if gains is not None:
            gains.to_csv(tmp / "winners_losers.csv", index=False)
    print(report.headline_table([a, b], province))
    if gains is not None:
        print()
        print(report.winners_table(gains))
    if decomposition is not None:
        from minsheng import decompose

        years = report.show_years(int(a.frame.year.min()), int(a.frame.year.max()))
        print()
        print(decompose.text_table(decomposition, years[len(years) // 2]))
    print(
        f"\nSame seed ({a.seed}) and sample ({a.households:,} households) in both runs: differences are due to policy alone."
    )
    files = (
        "results.parquet, summary.csv, differences.csv"
        + (", winners_losers.csv" if gains is not None else "")
        + (", decomposition.csv" if decomposition is not None else "")
    )
    print(f"Results written to {out}/ ({files})")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    for path in args.scenarios:
        sc = load_scenario(path)
        n_values = sum(len(v) for v in sc.params.values())
        kinds: dict[str, int] = {}
        for series in sc.params.values():
            for v in series:
                kinds[type(v.source).__name__] = kinds.get(type(v.source).__name__, 0) + 1
        print(
            f"{path}: OK — {sc.name} ({sc.title}), {len(sc.params)} parameters, {n_values} dated values; sources: "
            + ", ".join(f"{k.replace('Source', '').lower()} {n}" for k, n in sorted(kinds.items()))
        )
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    import datetime as dt

    from minsheng import calibrate, calibration_report
    from minsheng.targets import evaluate, load_targets
    from model import provinces
    from model.core import run_scenario

    def log(m: str) -> None:
        print(m, file=sys.stderr, flush=True)

    base_path = Path(args.baseline)
    targets_path = Path(args.targets)
    targets = load_targets(targets_path)
    baseline = load_scenario(base_path)
    others = {t.scenario for t in targets} - {baseline.name}
    scenarios = {name: load_scenario(base_path.parent / f"{name}.yaml") for name in sorted(others)}
    households = args.households or 20_000
    seed = args.seed if args.seed is not None else baseline.run.seed
    t0 = time.perf_counter()
    if args.report_only:
        fitted_values = {
            k: baseline.value(k, baseline.run.start_year)
            for k in (
                *calibrate.STRUCTURAL,
                *calibrate.BOUNDS,
                *(f"{calibrate.TAKEUP}.{k}" for k in provinces.KEYS),
                *(n for pair in calibrate.AT_REST.values() for n in pair),
            )
        }
        why = {k: baseline.source(k, baseline.run.start_year).calibrated for k in fitted_values}  # type: ignore[union-attr]
        jacobian, not_identified = {}, []
    else:
        result = calibrate.fit(baseline, targets, households=households, seed=seed, log=log)
        calibrate.write(result, Path(args.output), baseline.run.start_year)
        log(f"wrote {args.output}")
        fitted_values, why = result["values"], result["why"]
        jacobian, not_identified = result["joint"].jacobian_norms, result["joint"].not_identified
        baseline = load_scenario(base_path)  # now with the new values
        scenarios = {
            name: load_scenario(base_path.parent / f"{name}.yaml") for name in sorted(others)
        }
    log("comparing every target with the model")
    runs = calibrate.target_runs(baseline, scenarios, targets, households, seed)
    comparisons = evaluate(targets, runs)
    log("sampling error: the same comparison at three other seeds")
    spread = calibrate.sampling_spread(
        baseline, scenarios, targets, households, [seed + 1, seed + 2, seed + 3]
    )
    log("provinces: the sampling error of provincial figures at 100,000 households, four seeds")
    province_spread = calibration_report.province_sampling(
        baseline, 100_000, [seed + 11, seed + 12, seed + 13, seed + 14]
    )
    base_run = run_scenario(
        baseline, households=households, end_year=baseline.run.end_year, seed=seed
    )
    out_dir = Path(args.report).parent
    out_dir.mkdir(parents=True, exist_ok=True)
    plot = Path(args.report).with_suffix(".png")
    calibration_report.write_plot(comparisons, plot)
    meta = {
        "date": dt.date.today().isoformat(),
        "version": calibrate.VERSION,
        "households": households,
        "seed": seed,
        "seconds": time.perf_counter() - t0,
    }
    calibration_report.write_report(
        Path(args.report),
        comparisons,
        meta,
        spread,
        fitted_values,
        why,
        jacobian,
        not_identified,
        plot.name,
        context=calibration_report.population_context(base_run)
        + calibration_report.province_context(base_run, province_spread),
    )
    width = max(len(c.target.id) for c in comparisons)
    for c in comparisons:
        print(
            f"{c.target.id:<{width}}  {c.target.role:<10}  misfit {c.misfit:+8.2%}  {'ok' if c.within else 'OUTSIDE TOLERANCE'}"
        )
    n_ok = sum(c.within for c in comparisons)
    print(
        f"\n{n_ok} of {len(comparisons)} targets within tolerance. Report: {args.report} (plot {plot})"
    )
    return 0


def _executor(args: argparse.Namespace):
    """The executor chosen by --executor/--workers/--scheduler (UsageError on a bad combination)."""
    from minsheng.executors import make_executor

    check_workers(args)
    try:
        return make_executor(args.executor, args.workers, args.scheduler)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"--scheduler {args.scheduler}: cannot use this Dask scheduler ({exc})")


def _run_experiment(args: argparse.Namespace, runner, table, files, sensitivity: bool) -> int:
    """Load the experiment, run it on the chosen executor, print its table; 130 when interrupted."""
    from minsheng.experiment import load_experiment

    exp = load_experiment(
        args.experiment,
        max_runs=args.max_runs,
        purpose="sensitivity" if sensitivity else "batch",
    )
    if sensitivity and exp.spec.sensitivity is None:
        raise UsageError(
            f"{exp.path}: has no `sensitivity:` section (see README: minsheng sensitivity)"
        )
    executor = _executor(args)
    try:
        outcome = runner(
            exp,
            Path(args.out),
            executor,
            fresh=args.fresh,
            prune=args.prune,
            log=lambda m: print(m, file=sys.stderr),
        )
    finally:
        executor.close()
    if outcome.interrupted:
        print(
            f"\nminsheng: interrupted after {outcome.skipped + outcome.ran} of {outcome.planned} runs; finished runs are "
            f"saved in {outcome.folder}/. Run the same command again to resume.",
            file=sys.stderr,
        )
        return 130
    print(table(outcome, exp))
    print(
        f"\n{outcome.ran} runs in {outcome.seconds:.1f} s ({outcome.skipped} already finished). "
        f"Results written to {outcome.folder}/ ({files(outcome)})"
    )
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from minsheng import report
    from minsheng.batch import run_batch
    from minsheng.summary import summary_table

    return _run_experiment(
        args,
        run_batch,
        lambda o, exp: summary_table(
            o.summary, exp, report.show_years(exp.start_year, exp.end_year)
        ),
        lambda o: "dataset/, manifests/, summary.csv, scenarios.csv",
        sensitivity=False,
    )


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from minsheng.sensitivity import run_sensitivity, sensitivity_table

    return _run_experiment(
        args,
        run_sensitivity,
        lambda o, exp: sensitivity_table(o),
        lambda o: ", ".join(o.files),
        sensitivity=True,
    )


def app_command(args: argparse.Namespace) -> list[str]:
    """The `streamlit run` command line that serves the planners' app."""
    import app

    main_script = Path(app.__file__).resolve().parent / "main.py"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(main_script),
        "--server.port",
        str(args.port),
        "--server.address",
        args.host,
        "--client.toolbarMode",
        "viewer",
        "--browser.gatherUsageStats",
        "false",
    ]
    if args.headless:
        cmd += ["--server.headless", "true"]
    return cmd


STOP_GRACE = 10.0  # seconds the Streamlit server has to stop before it is killed


def serve(cmd: list[str], env: dict[str, str]) -> int:
    """Run the server `cmd` as a child in its own process group until it ends or we are stopped.

    Ctrl-C (SIGINT), SIGTERM and SIGHUP are passed on to the child's whole group (Streamlit and
    anything it started); if it has not stopped within STOP_GRACE seconds the group is killed.
    Whatever of the group is left when the child ends is killed before the child is reaped (so
    the group's id cannot have been reused). The server never outlives `minsheng app`.
    Returns the child's exit code, or 0 when it was stopped.
    """
    import os
    import signal
    import subprocess
    import threading

    child = subprocess.Popen(cmd, env=env, start_new_session=True)
    stopping: list[int] = []
    timers: list[threading.Timer] = []

    def kill_group(sig: int) -> None:
        try:
            os.killpg(child.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def forward(signum: int, _frame: object) -> None:
        stopping.append(signum)
        kill_group(signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)
        if not timers:
            timers.append(threading.Timer(STOP_GRACE, kill_group, (signal.SIGKILL,)))
            timers[0].daemon = True
            timers[0].start()

    handled = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s]
    previous = {s: signal.signal(s, forward) for s in handled}
    try:
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # ended, not yet reaped
        for t in timers:
            t.cancel()
        kill_group(signal.SIGKILL)  # anything it started and left behind
        code = child.wait()
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
    return 0 if stopping else code


def cmd_app(args: argparse.Namespace) -> int:
    import os

    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: allowed 1 to 65535")
    cmd = app_command(args)
    print(
        f"Serving the minsheng app at http://{args.host}:{args.port}/ (Ctrl+C to stop)",
        file=sys.stderr,
    )
    return serve(cmd, dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false"))


def out_and_province(p: argparse.ArgumentParser) -> None:
    """The results folder and the province of the printed table (run, compare, batch, sensitivity)."""
    p.add_argument(
        "--out", default="results", metavar="DIR", help="folder for results (default: results/)"
    )
    p.add_argument(
        "--province",
        default=None,
        metavar="NAME",
        help="print this province's headline table instead of the national one (pinyin as in "
        "results, e.g. sichuan; or 四川, or the code 51); every province is in the results",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minsheng",
        description="minsheng: an agent-based model of China's livelihood (民生) policies.",
        epilog=EPILOG,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--households",
            type=int,
            default=None,
            metavar="N",
            help="households in the synthetic sample (default: the scenario's run.households, 100,000); weights make totals national at any size",
        )
        p.add_argument(
            "--years",
            default=None,
            metavar="Y",
            help="last simulated year (2035), a range from the start year (2024-2035) or a number of years (12); default: the scenario's run.end_year",
        )
        p.add_argument(
            "--seed",
            type=int,
            default=None,
            metavar="S",
            help="seed of the run's random generator (default: the scenario's run.seed); same seed, same numbers",
        )
        out_and_province(p)

    p = sub.add_parser(
        "run",
        help="run one scenario and write its results",
        description="Run one scenario year by year and write tidy results (Parquet + CSV summary).",
    )
    p.add_argument("scenario", metavar="SCENARIO.yaml")
    common(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "compare",
        help="run two scenarios on the same sample and seed; print and write differences",
        description="Run A and B with the same households and seed (common random numbers) and report B - A year by year.",
    )
    p.add_argument("a", metavar="A.yaml")
    p.add_argument("b", metavar="B.yaml")
    common(p)
    p.add_argument(
        "--decompose",
        action="store_true",
        help="also run B without each of its measures (the files of scenarios/measures/ beside B) and report each "
        "measure's contribution to B - A and the interaction (they add up to B - A exactly); one more run per measure",
    )
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "validate",
        help="check scenario files without running them",
        description="Load scenario files strictly (unknown or duplicate keys, units, ranges, sources) and report problems. Exit 2 on any problem.",
    )
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO.yaml")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "calibrate",
        help="fit the behavioural parameters to published figures; write the report",
        description="Fit the calibrated parameters of the baseline to the targets in calibration/targets.yaml, "
        "write calibration/calibrated.yaml, then compare every target with the model and write "
        "calibration/report.md and report.png. Takes about half a minute at 20,000 households.",
    )
    p.add_argument(
        "--baseline",
        default="scenarios/baseline.yaml",
        metavar="SCENARIO.yaml",
        help="scenario whose calibrated values are fitted (default: scenarios/baseline.yaml); other scenarios named by targets are read from its folder",
    )
    p.add_argument(
        "--targets",
        default="calibration/targets.yaml",
        metavar="FILE",
        help="the targets (default: calibration/targets.yaml)",
    )
    p.add_argument(
        "--households",
        type=int,
        default=None,
        metavar="N",
        help="sample size for the fit and the report (default 20,000, the size the CI regression tests use)",
    )
    p.add_argument(
        "--seed", type=int, default=None, metavar="S", help="seed (default: the scenario's)"
    )
    p.add_argument(
        "--output",
        default="calibration/calibrated.yaml",
        metavar="FILE",
        help="where to write the fitted values",
    )
    p.add_argument(
        "--report",
        default="calibration/report.md",
        metavar="FILE",
        help="where to write the report (the plot goes beside it as .png)",
    )
    p.add_argument(
        "--report-only",
        action="store_true",
        help="do not fit: compare the current calibrated values with the targets and write the report",
    )
    p.set_defaults(func=cmd_calibrate)

    def experiment_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "experiment",
            metavar="EXPERIMENT.yaml",
            help="the experiment file (format: README, section Batch experiments)",
        )
        p.add_argument(
            "--executor",
            choices=("local", "dask"),
            default="local",
            help="local: a process pool on this machine (default); dask: a Dask LocalCluster, or the cluster given by --scheduler",
        )
        p.add_argument(
            "--workers",
            type=int,
            default=None,
            metavar="N",
            help="worker processes (default: this machine's cores; 1 runs in this process; at most the cores "
            "unless --force-workers)",
        )
        p.add_argument(
            "--force-workers",
            action="store_true",
            help=f"allow --workers above this machine's cores (at most {MAX_FORCED_WORKERS})",
        )
        p.add_argument(
            "--scheduler",
            default=None,
            metavar="tcp://HOST:PORT",
            help="with --executor dask: use this existing Dask scheduler (its workers need minsheng installed)",
        )
        out_and_province(p)
        p.add_argument(
            "--fresh",
            action="store_true",
            help="delete this experiment's earlier runs first instead of resuming (e.g. after changing the model's code)",
        )
        p.add_argument(
            "--prune",
            action="store_true",
            help="remove the runs of scenarios, sweep points or replications no longer in the experiment file "
            "(without it they are kept and left out of the summary)",
        )
        p.add_argument(
            "--max-runs",
            type=int,
            default=MAX_RUNS,
            metavar="N",
            help=f"refuse an experiment that implies more than N runs (default {MAX_RUNS:,})",
        )

    p = sub.add_parser(
        "batch",
        help="run an experiment: scenarios x sweeps x replications, with confidence intervals",
        description="Run every scenario and sweep variant of an experiment in every replication (paired seeds), "
        "write a Parquet dataset with a manifest per run, and summarise levels and differences from "
        "the baseline with 95% confidence intervals. Finished runs are skipped: rerun to resume.",
    )
    experiment_options(p)
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser(
        "sensitivity",
        help="Sobol' indices and Morris screening of chosen parameters on chosen outputs",
        description="Run the sensitivity design of an experiment file's `sensitivity:` section (Sobol' first- and "
        "total-order indices with confidence intervals, and/or Morris screening). Resumable like batch.",
    )
    experiment_options(p)
    p.set_defaults(func=cmd_sensitivity)

    p = sub.add_parser(
        "app",
        help="serve the planners' app (Streamlit) in the browser",
        description="Serve the planners' app: compare scenarios, adjust measures, see every value's source (Chinese and English).",
    )
    p.add_argument(
        "--port", type=int, default=8501, metavar="N", help="port to serve on (default 8501)"
    )
    p.add_argument(
        "--host",
        default="localhost",
        metavar="ADDR",
        help="address to listen on (default localhost; 0.0.0.0 for every interface)",
    )
    p.add_argument("--headless", action="store_true", help="do not open a browser window")
    p.set_defaults(func=cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        check_options(args)
        return args.func(args)
    except ScenarioError as exc:
        print(f"minsheng: {exc}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 2
    except (UsageError, FolderInUse) as exc:
        print(f"minsheng: {exc}", file=sys.stderr)
        return 2
    except ResultsError as exc:
        print(f"minsheng: {exc}", file=sys.stderr)
        print("Nothing was written for this run.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nminsheng: interrupted; nothing was written.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
