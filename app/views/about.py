"""About the model: what is modelled and what is not, its assumptions, and how to cite it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import engine, scenario_io, ui
from app.ui import T
from minsheng.report import VERSION

st.title(T("about.title"))
st.markdown(T("about.intro"))

left, right = st.columns(2, gap="large")
with left:
    st.subheader(T("about.modelled"))
    st.markdown(T("about.modelled_text"))
with right:
    st.subheader(T("about.not_modelled"))
    st.markdown(T("about.not_modelled_text"))
    st.subheader(T("about.simplifications"))
    st.markdown(T("about.simplifications_text"))

st.subheader(T("about.assumptions"))
st.caption(T("about.assumptions_intro"))
rows = []
for key in ("baseline.yaml", "opinions_2025.yaml"):
    sc = engine.load(key)
    table = scenario_io.sources_table(sc)
    for _, r in table[table.kind == "assumption"].iterrows():
        rows.append(
            {
                "scenario": sc.name,
                "parameter": r.parameter,
                "year": r.year,
                "value": r.value,
                "unit": r.unit,
                "reason": r.text,
            }
        )
assumptions = (
    pd.DataFrame(rows).drop_duplicates(["parameter", "year", "value"]).reset_index(drop=True)
)
shown = pd.DataFrame(
    {
        T("col.parameter"): assumptions.parameter,
        T("col.label"): assumptions.parameter.map(ui.param_label),
        T("col.year"): assumptions.year.astype(str),
        T("col.value"): [
            ui.param_value(p, v, switch=False)
            for p, v in zip(assumptions.parameter, assumptions.value)
        ],
        T("col.reason"): assumptions.reason,
    }
)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    key="about_assumptions",
    column_config={
        T("col.label"): st.column_config.TextColumn(width="medium"),
        T("col.reason"): st.column_config.TextColumn(width="large"),
    },
)
ui.csv_download(assumptions, "assumptions", "about_assumptions")

scope = scenario_io.SCENARIO_DIR / "SCOPE.md"
with st.expander(T("about.scope_file"), icon=":material/description:"):
    st.markdown(scope.read_text(encoding="utf-8"))

st.subheader(T("about.cite"))
st.markdown(T("about.cite_text"))
commit = scenario_io.git_commit() or "—"
st.code(T("about.citation", version=VERSION, commit=commit[:12]), language="text", wrap_lines=True)
