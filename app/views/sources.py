"""Sources and calibration: every parameter value with its source, searchable; calibration targets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import engine, fmt, i18n, scenario_io, ui
from app.ui import T

st.title(T("sources.title"))
st.caption(T("sources.intro"))

options = engine.scenario_options()
scenarios = {k: engine.load(k) for k in options}
ui.init("sources_kinds", list(scenario_io.KINDS))
c1, c2, c3 = st.columns([3, 3, 3])
key = c1.selectbox(
    T("sources.scenario"), options, key="sources_scenario", format_func=ui.fmt_scenario(scenarios)
)
query = c2.text_input(
    T("sources.search"), key="sources_search", placeholder=T("sources.search_hint")
)
kinds = c3.multiselect(
    T("sources.kinds"),
    list(scenario_io.KINDS),
    key="sources_kinds",
    format_func=ui.fmt_key("kind."),
)
scenario = scenarios[key]
table = scenario_io.sources_table(scenario)

counts = table.kind.value_counts()
for col, kind in zip(st.columns(len(scenario_io.KINDS)), scenario_io.KINDS):
    col.metric(
        T(f"kind.{kind}"), f"{int(counts.get(kind, 0))}", help=T(f"kind_help.{kind}"), border=True
    )

found = scenario_io.search(table[table.kind.isin(kinds)], query).reset_index(drop=True)
st.caption(T("sources.found", n=len(found), total=len(table)))
shown = pd.DataFrame(
    {
        T("col.parameter"): found.parameter,
        T("col.label"): found.parameter.map(ui.param_label),
        T("col.year"): found.year.astype(str),
        T("col.value"): [
            ui.param_value(p, v, switch=False) for p, v in zip(found.parameter, found.value)
        ],
        T("col.kind"): found.kind.map(lambda k: T(f"kind.{k}")),
        T("col.where"): found["where"],
        T("col.text"): found.text,
        T("col.note"): found.note,
        T("col.meaning"): found.meaning,
    }
)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    height=420,
    key="sources_table",
    column_config={T("col.text"): st.column_config.TextColumn(width="large")},
)
ui.csv_download(found, f"sources_{scenario.name}", "sources_table")

# ------------------------------------------------------------------ one value in full
if not found.empty:
    lg = ui.lang()  # fixed now: Streamlit may call format_func after the run
    pick = st.selectbox(
        T("sources.detail"),
        list(found.index),
        key="sources_detail",
        format_func=lambda i: (
            f"{found.parameter[i]} · {found.year[i]} · {i18n.param_label(found.parameter[i], lg)}"
        ),
    )
    row = found.loc[pick]
    src = scenario.source(row.parameter, int(row.year))
    with st.container(border=True):
        st.markdown(
            f"**{ui.param_label(row.parameter)}** `{row.parameter}` · {row.year} · {ui.param_value(row.parameter, row.value, switch=False)}"
        )
        st.caption(T(f"kind.{row.kind}") + (f" · {row['where']}" if row["where"] else ""))
        context = scenario_io.quote_context(src)
        if context:
            before, quote, after = context
            st.markdown(T("sources.in_context", document=row["where"]))
            st.text(f"…{before}{T('mark_open')}{quote}{T('mark_close')}{after}…")
        else:
            st.text(row.text)
        if row.note:
            st.caption(T("col.note") + "：" + row.note)

# ------------------------------------------------------------------ calibration
st.subheader(T("sources.calibration"))
cal = scenario_io.calibration_file()
st.caption(
    T(
        "sources.calibration_intro",
        date=cal["fitted_on"],
        n=f"{cal['households']:,}",
        seed=cal["seed"],
    )
)
tlist = scenario_io.target_list()
if tlist:
    from minsheng.targets import evaluate
    from model.core import Results

    runs = {}
    for name in sorted({t.scenario for t in tlist}):
        sc = engine.load(f"{name}.yaml")
        last = max(t.year for t in tlist if t.scenario == name)
        frame = engine.run(
            sc,
            cal["households"],
            max(last, sc.run.start_year + 1),
            [cal["seed"]],
            label=T("running", name=ui.scenario_label(f"{name}.yaml", sc)),
        )
        runs[name] = Results(name, cal["seed"], cal["households"], frame)
    comps = evaluate(tlist, runs)
    targets = scenario_io.targets().assign(
        simulated=[c.simulated for c in comps],
        relative_difference=[c.misfit for c in comps],
        within_tolerance=[c.within for c in comps],
        tolerance=[c.describe_tolerance() for c in comps],
    )
    tshown = pd.DataFrame(
        {
            T("col.indicator"): targets.metric.map(ui.metric_label),
            T("col.role"): targets.role.map(lambda r: T(f"role.{r}")),
            T("col.year"): targets.year.astype(str),
            T("col.target"): [
                fmt.value(v, u, ui.lang()) for v, u in zip(targets.target, targets.unit)
            ],
            T("col.simulated"): [
                fmt.value(v, u, ui.lang()) for v, u in zip(targets.simulated, targets.unit)
            ],
            T("col.difference"): [f"{100 * d:+.2f}%" for d in targets.relative_difference],
            T("col.tolerance"): targets.tolerance,
            T("col.within"): [T("yes") if w else T("no") for w in targets.within_tolerance],
            T("col.source"): targets.source,
        }
    )
    st.dataframe(tshown, hide_index=True, width="stretch", key="calibration_targets")
    ui.csv_download(targets, "calibration_targets", "calibration_targets")
    st.caption(T("sources.target_roles"))
st.markdown(f"**{T('sources.fitted')}**")
params = cal["parameters"]
pshown = pd.DataFrame(
    {
        T("col.parameter"): params.parameter,
        T("col.label"): params.parameter.map(ui.param_label),
        T("col.value"): [f"{v:.6g}" for v in params.value],
        T("col.unit"): params.unit,
        T("col.target"): params.target,
    }
)
st.dataframe(pshown, hide_index=True, width="stretch", key="calibration_parameters")
ui.csv_download(params, "calibration_parameters", "calibration_parameters")
if not cal["misfits"].empty:
    st.caption(T("sources.misfits") + " " + "；".join(cal["misfits"].text))
