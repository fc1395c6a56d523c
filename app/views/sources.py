"""Sources and calibration: every parameter value with its source, searchable; calibration targets."""

from __future__ import annotations

import zlib

import pandas as pd
import streamlit as st

from app import documents, engine, fmt, i18n, scenario_io, ui
from app.ui import T

st.title(T("sources.title"))
st.caption(T("sources.intro"))

ALL = "_all"  # the scenario choice "every scenario"


@st.cache_data(show_spinner=False, max_entries=8)
def every_source(keys: tuple[str, ...], hashes: tuple[str, ...]) -> pd.DataFrame:
    """The values and sources of the scenarios `keys` (each once), keyed by their content."""
    return scenario_io.all_sources({k: engine.load(k) for k in keys})


@st.cache_data(show_spinner=False)
def shared_documents() -> dict:
    """The shared documents by file name (title, issuer, date), read from ../shared."""
    return documents.catalogue()


options = engine.scenario_options()
scenarios = {k: engine.load(k) for k in options}
docs = shared_documents()
ui.init("sources_kinds", list(scenario_io.KINDS))
ui.init("sources_scenario", ALL, [ALL, *options])
c1, c2, c3 = st.columns([3, 3, 3])
label_of = ui.fmt_scenario(scenarios)
key = c1.selectbox(
    T("sources.scenario"),
    [ALL, *options],
    key="sources_scenario",
    format_func=lambda k: T("sources.all_scenarios") if k == ALL else label_of(k),
)
if "sources_search" not in st.session_state and st.query_params.get("q"):
    st.session_state["sources_search"] = str(st.query_params["q"])[:100]  # a card's input link
query = c2.text_input(
    T("sources.search"), key="sources_search", placeholder=T("sources.search_hint")
)
kinds = c3.multiselect(
    T("sources.kinds"),
    list(scenario_io.KINDS),
    key="sources_kinds",
    format_func=ui.fmt_key("kind."),
)
chosen = options if key == ALL else [key]
table = every_source(tuple(chosen), tuple(scenarios[k].content_hash() for k in chosen))
table = table.assign(
    label=table.parameter.map(ui.param_label),
    document=[
        documents.describe(w, docs).title if k == "document" else w
        for w, k in zip(table["where"], table.kind)
    ],
)

counts = table.kind.value_counts()
for col, kind in zip(st.columns(len(scenario_io.KINDS)), scenario_io.KINDS):
    col.metric(
        T(f"kind.{kind}"), f"{int(counts.get(kind, 0))}", help=T(f"kind_help.{kind}"), border=True
    )


def in_scenarios(names: str) -> str:
    """The scenarios a value is in: "every scenario" when it is in all of those searched."""
    keys = names.split(", ")
    if len(chosen) > 1 and len(keys) == len(chosen):
        return T("sources.all_scenarios")
    return "、".join(ui.scenario_label(k, scenarios.get(k)) for k in keys)


found = scenario_io.search(table[table.kind.isin(kinds)], query).reset_index(drop=True)
st.caption(T("sources.found", n=len(found), total=len(table)))
shown = pd.DataFrame(
    {
        T("col.parameter"): found.parameter,
        T("col.label"): found.label,
        T("col.year"): found.year.astype(str),
        T("col.value"): [
            ui.param_value(p, v, switch=False) for p, v in zip(found.parameter, found.value)
        ],
        T("col.kind"): found.kind.map(lambda k: T(f"kind.{k}")),
        T("col.where"): found.document,
        T("col.text"): found.text.map(documents.plain_text),
        T("col.note"): found.note,
        T("sources.in_scenarios"): found.scenarios.map(in_scenarios),
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
ui.csv_download(found, "sources", "sources_table")

# ------------------------------------------------------------------ one value in full
if not found.empty:
    # each value by what it is (not by its row number), so a new search never shows a stale one
    ids = [
        f"{p}|{y}|{v!r}|{i}"
        for p, y, v, i in zip(
            found.parameter,
            found.year,
            found.value,
            found.text.map(lambda t: zlib.crc32(t.encode())),
        )
    ]
    rows = dict(zip(ids, found.index))
    ui.init("sources_detail", ids[0], ids)
    lg = ui.lang()  # fixed now: Streamlit may call format_func after the run
    pick = st.selectbox(
        T("sources.detail"),
        ids,
        key="sources_detail",
        format_func=lambda i: (
            f"{i.split('|')[0]} · {i.split('|')[1]} · {i18n.param_label(i.split('|')[0], lg)}"
        ),
    )
    row = found.loc[rows[pick]]
    src = scenarios[row.scenarios.split(", ")[0]].source(row.parameter, int(row.year))
    with st.container(border=True):
        st.markdown(
            f"**{ui.param_label(row.parameter)}** `{row.parameter}` · {row.year} · {ui.param_value(row.parameter, row.value, switch=False)}"
        )
        st.caption(
            T(f"kind.{row.kind}")
            + " · "
            + T("sources.in_scenarios")
            + "："
            + in_scenarios(row.scenarios)
        )
        if row.kind == "document":
            doc = documents.describe(row["where"], docs)
            section = documents.section_of(row["where"], row.text)
            st.markdown(
                T(
                    "sources.document",
                    title=doc.title,
                    issuer=doc.issuer or "—",
                    date=doc.date or "—",
                    file=doc.file,
                )
                + (T("sources.section", section=section) if section else "")
            )
        elif row["where"]:
            st.caption(row["where"])
        context = scenario_io.quote_context(src)
        if context:
            before, quote, after = (documents.plain_text(x) for x in context)
            st.markdown(T("sources.in_context", document=row["where"]))
            st.text(f"…{before}{T('mark_open')}{quote}{T('mark_close')}{after}…")
        else:
            st.text(documents.plain_text(row.text))
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
