"""The frames the pages draw, computed from tidy results (pure pandas: no Streamlit, no model runs).

Every function takes tidy frames with the model's columns ``scenario, seed, year, group, metric,
value, unit`` (one or more seeds per scenario) and returns a tidy frame ready to chart and to
download as CSV. With several seeds (replications), values are the mean over seeds and
``low``/``high`` the 95% t interval of that mean (mean ± t(0.975, n−1)·sd/√n, sd over the n
replications; empty with one): sampling uncertainty only, not that of parameters or of the
model. Differences are taken seed by seed (baseline and reform share their draws), then
averaged, and their interval is that of the paired differences.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from app.catalogue import CHART_FIRST, DECILES, PERSON_GROUPS, SERVICE_WORDS, Card

KEYS = ["year", "group", "metric", "unit"]


def combine(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One tidy frame with `scenario` set to each frame's display label."""
    out = []
    for label, f in frames.items():
        f = f.copy()
        f["scenario"] = label
        out.append(f)
    return pd.concat(out, ignore_index=True)


LEVEL = 0.95  # the intervals' confidence level


def t_half_width(sd: pd.Series | np.ndarray, n: pd.Series | np.ndarray) -> np.ndarray:
    """Half the width of the 95% t interval of a mean of `n` values with standard deviation `sd`
    (same unit as the values): t(0.975, n−1)·sd/√n; NaN where n < 2."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(n - 1, 1))
        half = t * np.asarray(sd, dtype=float) / np.sqrt(n)
    return np.where(n >= 2, half, np.nan)


def summarise(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean over seeds, its 95% t interval (low, high) and the number of seeds, per scenario and key."""
    g = frame.groupby(["scenario", *KEYS], sort=False, dropna=False)["value"]
    out = g.agg(value="mean", sd="std", seeds="count").reset_index()
    half = t_half_width(out.pop("sd"), out.seeds)
    out.insert(out.columns.get_loc("seeds"), "low", out.value - half)
    out.insert(out.columns.get_loc("seeds"), "high", out.value + half)
    return out


def differences(frames: dict[str, pd.DataFrame], reference: str) -> pd.DataFrame:
    """Each scenario minus the reference, paired seed by seed when they share seeds.

    Returns tidy rows ``scenario, year, group, metric, unit, value, low, high, seeds`` where
    value is the mean difference over seeds (or the difference of means when seeds differ).
    """
    ref = frames[reference]
    out = []
    for label, f in frames.items():
        if label == reference:
            continue
        if set(f.seed) == set(ref.seed):
            m = f[["seed", *KEYS, "value"]].merge(
                ref[["seed", *KEYS, "value"]], on=["seed", *KEYS], suffixes=("", "_ref")
            )
            m["value"] = m["value"] - m["value_ref"]
            m["scenario"] = label
            out.append(summarise(m.drop(columns="value_ref")))
        else:
            a = summarise(f.assign(scenario=label))
            b = summarise(ref.assign(scenario=label))
            m = a.merge(
                b[["scenario", *KEYS, "value"]], on=["scenario", *KEYS], suffixes=("", "_ref")
            )
            m["value"] = m["value"] - m["value_ref"]
            m["low"] = m["high"] = float("nan")
            out.append(m.drop(columns="value_ref"))
    if not out:
        return pd.DataFrame(columns=["scenario", *KEYS, "value", "low", "high", "seeds"])
    return pd.concat(out, ignore_index=True)


def pick(
    summary: pd.DataFrame, metric: str, group: str, year: int, scenario: str
) -> pd.Series | None:
    """The summary row of one number, or None when the result does not have it."""
    sel = summary[
        (summary.metric == metric)
        & (summary.group == group)
        & (summary.year == year)
        & (summary.scenario == scenario)
    ]
    return None if sel.empty else sel.iloc[0]


def cards(
    frames: dict[str, pd.DataFrame], reference: str, scenario: str, year: int, catalogue: list[Card]
) -> list[dict]:
    """The headline numbers of `scenario` in `year`, with their change from `reference`.

    Cards whose metric the results do not have are left out. Each entry: card, value (None for
    a "gain" card), delta (None when scenario is the reference), unit, low/high (the 95%
    interval of the value) and delta_low/delta_high (of the delta; NaN with one seed), seeds.
    """
    both = {k: frames[k] for k in dict.fromkeys([reference, scenario])}
    levels = summarise(combine(both))
    diffs = differences(both, reference)
    out = []
    for card in catalogue:
        row = pick(levels, card.metric, card.group, year, scenario)
        if row is None:
            continue
        d = pick(diffs, card.metric, card.group, year, scenario) if scenario != reference else None
        if card.kind == "gain" and d is None:
            continue
        out.append(
            {
                "card": card,
                "value": None if card.kind == "gain" else float(row["value"]),
                "low": float(row["low"]),
                "high": float(row["high"]),
                "delta": None if d is None else float(d["value"]),
                "delta_low": None if d is None else float(d["low"]),
                "delta_high": None if d is None else float(d["high"]),
                "unit": row["unit"],
                "seeds": int(row["seeds"]),
            }
        )
    return out


def metrics_in(frame: pd.DataFrame) -> list[str]:
    """Every metric of a result, the usual ones first."""
    present = list(dict.fromkeys(frame.metric))
    first = [m for m in CHART_FIRST if m in present]
    return first + [m for m in present if m not in first]


def groups_of(frame: pd.DataFrame, metric: str) -> list[str]:
    """The groups a metric is reported for, "all" (or the first payer) first."""
    gs = list(dict.fromkeys(frame.loc[frame.metric == metric, "group"]))
    order = (
        ["all", "government", "central", "local", "individuals", "insurance_fund"]
        + PERSON_GROUPS
        + DECILES
    )
    return sorted(gs, key=lambda g: order.index(g) if g in order else len(order))


def over_years(
    frames: dict[str, pd.DataFrame], metric: str, group: str, reference: str | None = None
) -> pd.DataFrame:
    """A metric for one group, by scenario and year (levels, or differences from `reference`)."""
    if reference is None:
        s = summarise(combine(frames))
    else:
        s = differences(frames, reference)
    s = s[(s.metric == metric) & (s.group == group)]
    return s[
        ["scenario", "year", "group", "metric", "unit", "value", "low", "high", "seeds"]
    ].reset_index(drop=True)


def by_group(
    frames: dict[str, pd.DataFrame], metric: str, year: int, reference: str | None = None
) -> pd.DataFrame:
    """A metric in `year` for every person group (residence, hukou, migrants, flexible workers,
    quintiles): levels, or each scenario minus `reference`."""
    s = summarise(combine(frames)) if reference is None else differences(frames, reference)
    s = s[(s.metric == metric) & (s.year == year) & s.group.isin(PERSON_GROUPS)].copy()
    s["order"] = s.group.map(PERSON_GROUPS.index)
    return s.sort_values(["order", "scenario"]).drop(columns="order").reset_index(drop=True)


def group_metrics(frame: pd.DataFrame) -> list[str]:
    """Metrics reported for at least two person groups besides "all" (coverage and the like)."""
    sub = frame[frame.group.isin(PERSON_GROUPS[1:])]
    counts = sub.groupby("metric").group.nunique()
    return [m for m in metrics_in(frame) if counts.get(m, 0) >= 2]


def net_benefit_by_decile(
    frames: dict[str, pd.DataFrame], reference: str, year: int
) -> pd.DataFrame:
    """Net benefit per person (benefits received minus contributions paid) by income decile in `year`.

    With a reference: each scenario's net benefit minus the reference's (what the change gives
    each decile); alone: the levels.
    """
    s = differences(frames, reference) if len(frames) > 1 else summarise(combine(frames))
    s = s[(s.metric == "net_benefit") & (s.year == year) & s.group.isin(DECILES)].copy()
    s["decile"] = s.group.str.replace("decile_", "").astype(int)
    return s.sort_values(["scenario", "decile"]).reset_index(drop=True)


PAYER_GROUPS = ("central", "local", "individuals", "insurance_fund", "employers")
TOTAL = "all_payers"  # the group of a measure's total over its payers
ALL = "cost.all"  # every measure together: by payer and by kind, last in the cost table


def cost_by_measure(frames: dict[str, pd.DataFrame], reference: str, year: int) -> pd.DataFrame:
    """Cost of every measure by payer in `year`, in yuan/year (numbers, never text).

    One column per scenario (the mean over seeds) and one per difference from `reference`
    ("<scenario> − <reference>"); besides each payer's row, a row with group ``all_payers``: the
    measure's total over its payers (central, local, individuals, insurance funds, employers).
    Rows are sorted by the largest absolute value of the first difference column (of the first
    scenario when there is no difference), largest first; the rows of ``cost.all`` (every
    measure together, by payer and by kind: ``government``, ``contributions``...) come last,
    in the same order, with no total over payers (contributions and the funds' spending of
    them would count the same money twice).
    """
    s = summarise(combine(frames))
    s = s[s.metric.str.startswith("cost.") & (s.year == year)]
    return cost_wide(s, list(frames), reference)


def cost_wide(s: pd.DataFrame, labels: list[str], reference: str) -> pd.DataFrame:
    """Tidy cost rows (scenario, metric, group, value; one per key) as the cost table: a column
    per scenario in `labels`' order, the totals over payers, the differences, sorted (see
    `cost_by_measure`)."""
    wide = s.pivot_table(index=["metric", "group"], columns="scenario", values="value", sort=False)
    wide = wide[[c for c in labels if c in wide.columns]]
    measures = wide.index.get_level_values("metric")
    payers = wide[wide.index.get_level_values("group").isin(PAYER_GROUPS) & (measures != ALL)]
    total = payers.groupby(level="metric", sort=False).sum(min_count=1)
    total.index = pd.MultiIndex.from_product([total.index, [TOTAL]], names=["metric", "group"])
    wide = pd.concat([wide, total])
    for c in list(wide.columns):
        if c != reference and reference in wide.columns:
            wide[f"{c} − {reference}"] = wide[c] - wide[reference]
    diff_cols = [c for c in wide.columns if " − " in str(c)]
    order = diff_cols[0] if diff_cols else wide.columns[0]
    wide = wide.sort_values(order, ascending=False, key=abs, kind="stable")
    is_all = wide.index.get_level_values("metric") == ALL
    out = pd.concat([wide[~is_all], wide[is_all]]).reset_index()
    out.columns.name = None
    return out


# the 15th Five-Year Plan (2026-2030): the plan period the totals open with
PLAN_PERIOD = (2026, 2030)
BASE_PRICE_YEAR = 2024
DEFLATOR = "income.nominal_growth"  # the model has no consumer price index: see income_index


def income_index(scenario, years: list[int]) -> pd.Series:
    """Per-capita income in each year relative to 2024 (2024 = 1), from the scenario's nominal
    income growth (`income.nominal_growth`, the rate dated in year k being the growth from k to
    k+1): the deflator of the "2024 terms" totals, since the model carries no price index."""
    out = {}
    for y in years:
        level = 1.0
        for k in range(BASE_PRICE_YEAR, y):
            level *= 1.0 + scenario.value(DEFLATOR, k)
        out[y] = level
    return pd.Series(out, name="index")


def cost_period(
    frames: dict[str, pd.DataFrame],
    reference: str,
    first: int,
    last: int,
    index: pd.Series | None = None,
) -> pd.DataFrame:
    """Cost of every measure by payer summed over the years `first`..`last` (yuan over the
    period, nominal; divided year by year by `index` (2024 = 1) when given, i.e. in 2024 terms).
    The same table as `cost_by_measure` (means over seeds, totals over payers, differences)."""
    s = summarise(combine(frames))
    s = s[s.metric.str.startswith("cost.") & s.year.between(first, last)].copy()
    if index is not None:
        s["value"] = s.value / s.year.map(index)
    summed = s.groupby(["scenario", "metric", "group"], sort=False).value.sum(min_count=1)
    return cost_wide(summed.reset_index(), list(frames), reference)


def service_metrics(frame: pd.DataFrame) -> list[str]:
    """Metrics of the service providers (slots, beds, waiting lists) present in a result."""
    return [m for m in metrics_in(frame) if any(w in m for w in SERVICE_WORDS)]


def headline_rows(
    frames: dict[str, pd.DataFrame], reference: str, year: int, rows: list[tuple[str, str]]
) -> pd.DataFrame:
    """The (metric, group) rows in `year`: one column per scenario plus each difference from the reference."""
    s = summarise(combine(frames))
    s = s[s.year == year]
    out = []
    for metric, group in rows:
        sel = s[(s.metric == metric) & (s.group == group)]
        if sel.empty:
            continue
        rec = {"metric": metric, "group": group, "unit": sel.unit.iloc[0]}
        vals = dict(zip(sel.scenario, sel.value))
        for label in frames:
            rec[label] = vals.get(label, float("nan"))
        for label in frames:
            if label != reference:
                rec[f"{label} − {reference}"] = rec[label] - rec[reference]
        out.append(rec)
    return pd.DataFrame(out)


# what the decomposition table shows: (metric, group) and the unit of each
DECOMPOSE_METRICS = (
    ("cost.all", "central"),
    ("cost.all", "local"),
    ("cost.all", "government"),
    ("medical_coverage", "all"),
    ("pension_coverage", "all"),
    ("dibao_recipients", "all"),
    ("poverty_rate", "all"),
)
DECOMPOSE_UNITS = ("yuan/year", "yuan/year", "yuan/year", "share", "share", "persons", "share")


def package_measures(reference, package) -> list[str]:
    """The measures (single-measure files) a package changes against a reference."""
    from minsheng import decompose

    folder = decompose.default_measures_folder(package.path)
    return list(
        decompose.package_measures(reference, package, decompose.measure_parameters(folder))
    )


def decomposition_table(parts: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per measure (then the interaction and the total), one column per headline metric
    ("metric|group"), the contributions in `year`; measures in order of their central cost."""
    sel = parts[parts.year == year]
    out = sel.pivot_table(
        index="measure", columns=["metric", "group"], values="contribution", sort=False
    )
    cols = {
        f"{m}|{g}": out[(m, g)] if (m, g) in out.columns else float("nan")
        for m, g in DECOMPOSE_METRICS
    }
    table = pd.DataFrame(cols, index=out.index)
    tail = [k for k in ("interaction", "total") if k in table.index]
    body = table.drop(index=tail).sort_values("cost.all|central", ascending=False, key=abs)
    return pd.concat([body, table.loc[tail]]).reset_index()


# ---------------------------------------------------------------- provinces

PROVINCE_PREFIX = "province_"


def province_metrics(frame: pd.DataFrame) -> list[str]:
    """Metrics reported by province (groups ``province_<key>``), in the results' order."""
    return list(dict.fromkeys(frame.metric[frame.group.str.startswith(PROVINCE_PREFIX)]))


def per_population(frame: pd.DataFrame, metric: str) -> tuple[pd.DataFrame, str] | None:
    """`metric` by province divided by the province's population, seed by seed: counts of persons
    per 1,000 residents, yuan a year per resident. None for other units (shares, amounts per
    person already). Returns (tidy rows, the new unit)."""
    rows = frame[frame.group.str.startswith(PROVINCE_PREFIX)]
    unit = rows.unit[rows.metric == metric]
    if unit.empty:
        return None
    unit = unit.iloc[0]
    factor, new_unit = {
        "persons": (1000.0, "persons/1000 persons"),
        "yuan/year": (1.0, "yuan/person/year"),
    }.get(unit, (None, None))
    if factor is None:
        return None
    keys = ["scenario", "seed", "year", "group"]
    num = rows[rows.metric == metric].set_index(keys).value
    pop = rows[rows.metric == "population"].set_index(keys).value
    out = (factor * num / pop.reindex(num.index)).rename("value").reset_index()
    out["metric"], out["unit"] = f"{metric}/population", new_unit
    return out, new_unit


def by_province(
    frames: dict[str, pd.DataFrame],
    metric: str,
    year: int,
    reference: str | None = None,
    per_person: bool = False,
) -> pd.DataFrame:
    """A metric in `year` for each of the 31 provinces: levels, or each scenario minus `reference`
    (seed by seed). `per_person`: counts per 1,000 residents and yuan per resident (each
    scenario's own provincial population), where the unit allows; otherwise the metric as it is.

    Returns tidy rows with ``province`` (the pinyin key), ``scenario, year, metric, unit, value,
    low, high, seeds``, sorted by scenario then value.
    """
    if per_person:
        scaled = {}
        for label, f in frames.items():
            pp = per_population(f, metric)
            if pp is None:
                scaled = None
                break
            scaled[label] = pp[0]
        if scaled is not None:
            frames, metric = scaled, f"{metric}/population"
    s = summarise(combine(frames)) if reference is None else differences(frames, reference)
    s = s[(s.metric == metric) & (s.year == year) & s.group.str.startswith(PROVINCE_PREFIX)].copy()
    s["province"] = s.group.str.removeprefix(PROVINCE_PREFIX)
    return s.sort_values(["scenario", "value"], ascending=[True, False]).reset_index(drop=True)
