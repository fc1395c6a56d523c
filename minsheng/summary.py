"""Replication statistics: mean and 95% confidence interval of levels and of paired differences.

For R replications of a scenario (seeds s, s+1, ..., s+R-1) the level of a metric in a year has
mean x̄ and the t interval x̄ ± t(0.975, R-1) · sd / √R. The difference from the reference
(usually the baseline) is taken run by run with the same seed before averaging, so what is
summarised is the policy effect with the sampling noise the two runs share removed (common
random numbers); a null reform gives differences of exactly 0 and so an interval of exactly
[0, 0]. With one replication the interval is not defined (empty).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from minsheng.experiment import Experiment, Variant
from minsheng.report import HEADLINES, NUM, Fmt

KEYS = ["metric", "group", "year", "unit"]
STAT_COLUMNS = [
    "replications",
    "mean",
    "ci_low",
    "ci_high",
    "diff_mean",
    "diff_ci_low",
    "diff_ci_high",
]


def t_interval(
    values: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Row-wise count, mean and t confidence interval of a (rows, replications) array, NaNs left out.

    Returns:
        (n, mean, low, high); low and high are NaN where fewer than two values are present.
    """
    n = np.sum(~np.isnan(values), axis=1)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(values, axis=1)
        sd = np.nanstd(values, axis=1, ddof=1)
        half = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    return n, mean, mean - half, mean + half


def replication_summary(
    frame: pd.DataFrame, variants: list[Variant], level: float = 0.95
) -> pd.DataFrame:
    """Levels and paired differences of every metric, group and year of every variant.

    Args:
        frame: tidy runs (``scenario, seed, year, group, metric, value, unit``), every variant
            run with the same seeds.
        variants: what was run; each names the variant its differences are taken from.

    Returns:
        One row per variant, metric, group and year: ``scenario, base_scenario, reference,
        sweep, point, <swept parameters>, metric, group, year, unit, replications, mean,
        ci_low, ci_high, diff_mean, diff_ci_low, diff_ci_high`` (differences empty for the
        baseline).
    """
    wide = frame.set_index(["scenario", *KEYS, "seed"]).value.unstack("seed").sort_index(axis=1)
    swept = sorted({p for v in variants for p in v.parameters})
    parts = []
    for v in variants:
        block = wide.loc[v.name]
        n, mean, lo, hi = t_interval(block.to_numpy(), level)
        part = block.index.to_frame(index=False)
        part["replications"], part["mean"], part["ci_low"], part["ci_high"] = n, mean, lo, hi
        if v.reference is not None:
            ref = wide.loc[v.reference].reindex(index=block.index, columns=block.columns)
            _, d_mean, d_lo, d_hi = t_interval(block.to_numpy() - ref.to_numpy(), level)
        else:
            d_mean = d_lo = d_hi = np.full(len(block), np.nan)
        part["diff_mean"], part["diff_ci_low"], part["diff_ci_high"] = d_mean, d_lo, d_hi
        meta = {
            "scenario": v.name,
            "base_scenario": v.base,
            "reference": v.reference,
            "sweep": v.sweep,
            "point": v.point,
        }
        meta.update({p: v.parameters.get(p, np.nan) for p in swept})
        for i, (k, val) in enumerate(meta.items()):
            part.insert(i, k, val)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _label_and_format(metric: str, group: str) -> tuple[str, Fmt]:
    for m, g, label, fmt in HEADLINES:
        if (m, g) == (metric, group):
            return label.strip(), fmt
    return f"{metric} ({group})", NUM


def summary_table(
    summary: pd.DataFrame, exp: Experiment, years: list[int], max_variants: int = 12
) -> str:
    """The experiment's table metrics as text: per scenario, level and difference with 95% CI.

    Each cell is ``level ±half-width`` for the baseline and ``difference ±half-width`` for
    other scenarios (the interval is the mean ± the half-width). Sweep variants are shown
    only when there are at most `max_variants` of them (all are in summary.csv).
    """
    variants = [v for v in exp.variants if v.sweep is None]
    swept = [v for v in exp.variants if v.sweep is not None]
    if len(swept) <= max_variants:
        variants += swept
    idx = summary.set_index(["scenario", "metric", "group", "year"])
    label_w = max(len(_label_and_format(m, g)[0]) for m, g in exp.metrics) + 2
    lines = [
        f"{exp.name}: {exp.replications} replications (seeds {exp.seed}..{exp.seed + exp.replications - 1}), "
        f"{exp.households:,} households; mean ±half-width of the 95% confidence interval"
    ]
    for v in variants:
        diff = v.reference is not None
        lines.append("")
        head = f"{v.name} − {v.reference}" if diff else f"{v.name} (levels)"
        if v.parameters:
            head += (
                "  ["
                + ", ".join(f"{k} = {val:g}" for k, val in v.parameters.items())
                + f" from {v.from_year}]"
            )
        lines.append(head)
        lines.append(f"{'':<{label_w}}" + "".join(f"{y:>26}" for y in years))
        for metric, group in exp.metrics:
            label, (fmt, fmt_d) = _label_and_format(metric, group)
            cells = []
            for y in years:
                key = (v.name, metric, group, y)
                if key not in idx.index:
                    cells.append(f"{'-':>26}")
                    continue
                row = idx.loc[key]
                mean, lo, hi = (
                    (row.diff_mean, row.diff_ci_low, row.diff_ci_high)
                    if diff
                    else (row["mean"], row.ci_low, row.ci_high)
                )
                if np.isnan(mean):
                    cells.append(f"{'n/a':>26}")
                    continue
                shown = fmt_d(mean) if diff else fmt(mean)
                half = "" if np.isnan(lo) else " ±" + fmt_d((hi - lo) / 2).lstrip("+")
                cells.append(f"{shown + half:>26}")
            lines.append(f"{label:<{label_w}}" + "".join(cells))
    if len(swept) > max_variants:
        lines.append(f"\n({len(swept)} sweep variants are not shown; they are in summary.csv)")
    return "\n".join(lines)
