"""About the model: what is modelled and what is not (from scenarios/SCOPE.md and the registry,\nso it cannot go stale), its assumptions, and how to cite it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import engine, scenario_io, scope, ui
from app.ui import T
from minsheng.report import VERSION

st.title(T("about.title"))
st.markdown(T("about.intro"))

# what is modelled: the registry's measures and SCOPE.md's table, never a hand-written list
st.subheader(T("about.modelled"))
st.caption(T("about.generated"))


def shown_name(param: str) -> str:
    """A parameter's label; one line for all provinces' (or regions') versions of it."""
    for part, key in ((".<province>", "about.each_province"), (".<region>", "about.each_region")):
        if param.endswith(part):
            return ui.param_label(param.removesuffix(part)) + T(key)
    return ui.param_label(param)


columns = st.columns(2, gap="medium")
for i, measure in enumerate(scope.measures()):
    params = scope.parameters_of(measure)
    with columns[i % 2].expander(
        T("about.measure_title", name=T(f"about.measure.{measure}"), n=len(params))
    ):
        st.markdown("\n".join(f"- {shown_name(p)} `{p}`" for p in params))

rows = scope.scope_rows()
st.markdown(f"**{T('about.opinions_table')}**")
st.table(  # static tables: the assumptions below are the page's one data table
    pd.DataFrame(
        {
            T("about.col.area"): [r.area for r in rows if r.modelled],
            T("about.col.measure"): [r.measure for r in rows if r.modelled],
            T("about.col.in_model"): [r.in_model for r in rows if r.modelled],
            T("about.col.parameters"): [r.parameters.replace("`", "") for r in rows if r.modelled],
            T("about.col.status"): [r.status for r in rows if r.modelled],
        }
    ),
    hide_index=True,
)

st.subheader(T("about.not_modelled"))
st.table(
    pd.DataFrame(
        {
            T("about.col.area"): [r.area for r in rows if not r.modelled],
            T("about.col.measure"): [r.measure for r in rows if not r.modelled],
            T("about.col.why"): [
                r.status.removeprefix("not modelled").lstrip(": ") for r in rows if not r.modelled
            ],
        }
    ),
    hide_index=True,
)
st.subheader(T("about.simplifications"))
for heading, items in scope.left_out().items():
    st.markdown(f"**{heading}**\n\n" + "\n".join(f"- {x}" for x in items))

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
