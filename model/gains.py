"""Winners and losers: two runs of the same households compared household by household.

A baseline and a reform run with the same seed and sample size draw the same households (the
demography and household moves do not depend on policy: common random numbers), so each
household's change in net benefit is the reform's effect on it. `winners_and_losers` gives, by
group, the shares of households and of persons better off, worse off and unchanged, and the
average gain as a percent of disposable income, as PolicyEngine reports them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.provinces import KEYS as PROVINCE_KEYS

# a change smaller than this (yuan per household per year) counts as unchanged: rounding in
# the flows, not a policy effect (an assumption; one yuan a year is below any benefit amount)
UNCHANGED_YUAN = 1.0
GROUPINGS = ("all", "decile", "residence", "province")


class NotTheSameHouseholds(ValueError):
    """The two runs do not hold the same households (other seeds, sizes or start years)."""


def _groups(table: pd.DataFrame, by: str) -> pd.Series:
    """Each household's group label under the grouping `by`."""
    if by == "all":
        return pd.Series("all", index=table.index)
    if by == "decile":
        return "decile_" + (table["decile"].astype(int) + 1).astype(str)
    if by == "residence":
        return table["urban"].map({True: "urban", False: "rural"})
    if by == "province":
        return "province_" + table["province"].map(dict(enumerate(PROVINCE_KEYS)))
    raise ValueError(f"grouping {by!r}: expected one of {', '.join(GROUPINGS)}")


def winners_and_losers(
    reference: pd.DataFrame, reform: pd.DataFrame, by: str = "decile"
) -> pd.DataFrame:
    """Shares better off, worse off and unchanged, by group (weighted; empty households count not).

    Args:
        reference, reform: `Results.households_by_year[year]` of the two runs.
        by: ``all``, ``decile`` (of the reference's income other than modelled transfers),
            ``residence`` or ``province``.

    Returns one row per group: ``households_better``, ``households_worse``,
    ``households_unchanged``, ``persons_better``, ``persons_worse``, ``persons_unchanged``
    (shares, 0-1), ``gain_per_person`` (yuan/person/year) and ``gain_pct_of_income`` (the
    group's total gain over its total disposable income in the reference, percent).
    """
    same = (
        len(reference) == len(reform)
        and np.array_equal(reference["weight"].to_numpy(), reform["weight"].to_numpy())
        and np.array_equal(reference["persons"].to_numpy(), reform["persons"].to_numpy())
    )
    if not same:
        raise NotTheSameHouseholds(
            "the two runs do not hold the same households: run both with the same seed, "
            "number of households and start year"
        )
    live = reference["persons"].to_numpy() > 0
    ref, alt = reference[live], reform[live]
    gain = alt["net_benefit"].to_numpy() - ref["net_benefit"].to_numpy()  # yuan/household/year
    w = ref["weight"].to_numpy()
    persons = w * ref["persons"].to_numpy()
    frame = pd.DataFrame(
        {
            "group": _groups(ref, by).to_numpy(),
            "w": w,
            "p": persons,
            "better": gain > UNCHANGED_YUAN,
            "worse": gain < -UNCHANGED_YUAN,
            "gain": w * gain,
            "income": persons * ref["disposable_income_pc"].to_numpy(),
        }
    )
    rows = []
    for group, g in frame.groupby("group", sort=True):
        unchanged = ~(g.better | g.worse)
        rows.append(
            {
                "group": group,
                "households_better": g.w[g.better].sum() / g.w.sum(),
                "households_worse": g.w[g.worse].sum() / g.w.sum(),
                "households_unchanged": g.w[unchanged].sum() / g.w.sum(),
                "persons_better": g.p[g.better].sum() / g.p.sum(),
                "persons_worse": g.p[g.worse].sum() / g.p.sum(),
                "persons_unchanged": g.p[unchanged].sum() / g.p.sum(),
                "gain_per_person": g.gain.sum() / g.p.sum(),
                "gain_pct_of_income": 100 * g.gain.sum() / g.income.sum(),
            }
        )
    out = pd.DataFrame(rows)
    if by == "decile":  # decile_10 after decile_9
        out = out.sort_values("group", key=lambda s: s.str.split("_").str[1].astype(int))
    return out.reset_index(drop=True)
