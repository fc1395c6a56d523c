"""The Compare page, second pass: the cost table, intervals, batch results, plan-period totals,
distribution charts, chart images and colours. Driven with Streamlit's AppTest by widget key;
numbers checked against the model's own runs (see tests/test_app_pages.py for the helpers)."""

from __future__ import annotations

import pandas as pd
import pytest

from app import i18n
from model import run_scenario
from tests.test_app_pages import END, N, small, start


def costs_table(at, lang: str = "zh") -> pd.DataFrame:
    """The cost-by-measure table as the page passes it to st.dataframe."""
    payer = i18n.t("col.payer", lang)
    return next(d.value for d in at.dataframe if payer in d.value.columns and len(d.value) > 5)


def test_cost_table_opens_ranked_by_the_size_of_the_change(baseline, opinions):
    """The rows a reader sees first are the model's largest changes (in 亿元, as numbers), in
    descending order of their size."""
    at = start()
    small(at, "compare")
    at.number_input(key="compare_seeds").set_value(1).run()
    assert not at.exception, at.exception
    table = costs_table(at)
    diff = next(c for c in table.columns if " − " in c)
    assert table[diff].dtype.kind == "f"  # numbers, so sorting the column sorts numbers
    sizes = table[diff].abs().tolist()
    assert sizes == sorted(sizes, reverse=True)
    # the model's own largest change, by payer or over all payers
    a = run_scenario(baseline, households=N, end_year=END).frame
    b = run_scenario(opinions, households=N, end_year=END, seed=baseline.run.seed).frame
    payers = ["central", "local", "individuals", "insurance_fund", "employers"]

    def costs(f):
        sel = f[f.metric.str.startswith("cost.") & (f.year == 2030)]
        by = sel.set_index(["metric", "group"]).value
        tot = sel[sel.group.isin(payers)].groupby("metric").value.sum()
        tot.index = pd.MultiIndex.from_product([tot.index, ["all_payers"]])
        return pd.concat([by, tot])

    change = (costs(b) - costs(a)).dropna()
    (metric, group), top = max(change.items(), key=lambda kv: abs(kv[1]))
    first = table.iloc[0]
    assert first.iloc[0] == i18n.cost_measure_label(metric, "zh")
    payer = (
        i18n.t("col.all_payers", "zh") if group == "all_payers" else i18n.group_label(group, "zh")
    )
    assert first.iloc[1] == payer
    assert first[diff] == pytest.approx(top / 1e8)
