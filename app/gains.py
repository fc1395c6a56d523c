"""Who gains: the change in net benefit as a share of disposable income (pure pandas).

What the results carry: net benefit per person (modelled benefits received minus contributions
paid, cash and in kind, yuan/person/year) by province and by income decile, and mean disposable
income per person by province (not by decile). So the gain as a share of income is given here by
province and for the nation (totals over provinces). The shares of households better off, worse
off and unchanged, by decile, come from the households of two runs compared one by one
(`model.gains`, shown by `app.ui.winners_table`).
"""

from __future__ import annotations

import pandas as pd

from app.tables import PROVINCE_PREFIX, summarise

KEYS = ["seed", "year", "group"]
NATIONAL = "all"


def _wide(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Net benefit, disposable income and population per province and seed in `year`."""
    sel = frame[
        (frame.year == year)
        & frame.group.str.startswith(PROVINCE_PREFIX)
        & frame.metric.isin(["net_benefit", "disposable_income_mean", "population"])
    ]
    return sel.pivot_table(index=KEYS, columns="metric", values="value")


def gain_share_of_income(
    frames: dict[str, pd.DataFrame], reference: str, year: int
) -> pd.DataFrame:
    """Each scenario's net benefit per person minus the reference's, as a share of the
    reference's mean disposable income per person, by province and for the nation, in `year`.

    Seed by seed (paired runs), then the mean and 95% interval over seeds (`tables.summarise`).
    The nation: the gains and incomes of the provinces weighted by their populations (total
    gain over total income). Returns tidy rows ``scenario, year, group, metric, unit, value,
    low, high, seeds`` (metric ``net_benefit_gain_share``, unit ``share``), the nation first,
    then provinces by value, largest first.
    """
    ref = _wide(frames[reference], year)
    out = []
    for label, frame in frames.items():
        if label == reference:
            continue
        mine = _wide(frame, year).reindex(ref.index)
        if mine.empty or ref.empty:
            continue
        gain = mine.net_benefit - ref.net_benefit
        prov = (gain / ref.disposable_income_mean).rename("value").reset_index()
        pop = ref.population
        by_seed = (gain * pop).groupby(level="seed").sum() / (
            ref.disposable_income_mean * pop
        ).groupby(level="seed").sum()
        nat = by_seed.rename("value").reset_index().assign(year=year, group=NATIONAL)
        rows = pd.concat([nat, prov], ignore_index=True)
        rows["scenario"], rows["metric"], rows["unit"] = label, "net_benefit_gain_share", "share"
        out.append(summarise(rows))
    if not out:
        return pd.DataFrame(
            columns=["scenario", "year", "group", "metric", "unit", "value", "low", "high", "seeds"]
        )
    s = pd.concat(out, ignore_index=True)
    s["national"] = s.group == NATIONAL
    s = s.sort_values(["scenario", "national", "value"], ascending=[True, False, False])
    return s.drop(columns="national").reset_index(drop=True)
