"""Adjust a scenario: change the main measures, see each value's source, run, compare, download YAML.

The edits are kept as the changed parameters (`_adjust_edits`, model units) and written to the
address (app/url_state.py), so changing the start year keeps them and a reload or a shared link
reopens the same reform. Boxes take their ranges from the registry, as the loader does; a value
outside it is refused next to its box and nothing is run with it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import engine, fmt, messages, scenario_io, tables, ui, url_state
from app.catalogue import AREAS, DEFAULT_HOUSEHOLDS, HEADLINE_CARDS, HOUSEHOLD_CHOICES, MEASURES
from app.ui import T
from model import ScenarioError

st.title(T("adjust.title"))
st.caption(T("adjust.intro"))

with st.expander(T("upload_expander"), icon=":material/upload_file:"):
    ui.upload_box("adjust_upload")
options = engine.scenario_options()
scenarios = {k: engine.load(k) for k in options}


def read_address() -> None:
    """Once a session: take the starting scenario, year and edits from the address, checked."""
    if st.session_state.get("_adjust_address_read"):
        return
    st.session_state["_adjust_address_read"] = True
    shipped = [k for k in options if not k.startswith(("upload:", "saved:"))]
    state = url_state.decode(
        {k: st.query_params[k] for k in st.query_params},
        shipped,
        {m.param for m in MEASURES},
        where_file=T("adjust.address"),
    )
    if state.start:
        st.session_state["adjust_base"] = state.start
    if state.from_year:
        st.session_state["adjust_from_year"] = state.from_year
    st.session_state["_adjust_edits"] = dict(state.edits)
    st.session_state["_adjust_address_problems"] = state.problems


read_address()
ui.init("adjust_base", "opinions_2025.yaml", options)
ui.init("adjust_reference", "baseline.yaml", options)
ui.init("adjust_households", DEFAULT_HOUSEHOLDS)
ui.init("adjust_end", 2035)
ui.init("adjust_from_year", 2025, list(url_state.YEARS))
refused = st.session_state.get("_adjust_address_problems") or []
if refused:
    lines = [messages.line(m, ui.lang(), False) for m in messages.explain_all(refused, ui.lang())]
    st.warning(T("msg.url_refused") + "\n\n" + "\n".join(f"- {x}" for x in lines))

with st.container(border=True):
    c1, c2, c3, c4, c5 = st.columns([3, 3, 2, 2, 2])
    base_key = c1.selectbox(
        T("adjust.start"), options, key="adjust_base", format_func=ui.fmt_scenario(scenarios)
    )
    ref_key = c2.selectbox(
        T("adjust.reference"),
        options,
        key="adjust_reference",
        format_func=ui.fmt_scenario(scenarios),
    )
    from_year = c3.selectbox(
        T("adjust.from_year"),
        list(url_state.YEARS),
        key="adjust_from_year",
        help=T("adjust.from_year_help"),
    )
    households = c4.select_slider(
        T("households"),
        HOUSEHOLD_CHOICES,
        key="adjust_households",
        format_func=lambda n: f"{n:,}",
        help=T("households_help"),
    )
    end_year = c5.slider(T("end_year"), 2025, 2035, key="adjust_end")

base = scenarios[base_key]
reference = scenarios[ref_key]
measures = [m for m in MEASURES if m.param in base.params]

# Widgets take their values from session state: the edits where there are any, else the starting
# scenario's value in the chosen year. They are set again when the scenario or the year changes
# (the edits stay), on "reset" (the edits go), and after a visit to another page.
edits: dict[str, float] = st.session_state.setdefault("_adjust_edits", {})
if st.session_state.pop("_adjust_reset", False):
    edits.clear()
    st.session_state["_adjust_context"] = None
context = (base_key, base.content_hash(), from_year)
if st.session_state.get("_adjust_context") != context or any(
    m.key not in st.session_state for m in measures
):
    for m in measures:
        st.session_state[m.key] = m.to_widget(edits.get(m.param, base.value(m.param, from_year)))
    st.session_state["_adjust_context"] = context


def draw_measure(m) -> bool:
    """One measure's box (or switch) with its source; False if its value is out of range."""
    if m.kind == "toggle":  # a switch's label is a sentence: the whole width, its source below
        st.toggle(ui.widget_label(m.param), key=m.key)
        right = st.container()
    else:
        left, right = st.columns([2, 3], vertical_alignment="center")
        with left:
            st.number_input(
                ui.widget_label(m.param),
                step=float(m.step),
                key=m.key,
                format=f"%.{m.decimals}f",
                help=T(f"unit_hint.{m.kind}") if m.kind == "percent" else None,
            )
    new = m.from_widget(st.session_state[m.key])
    old = base.value(m.param, from_year)
    if not messages.allowed(m.param, new):
        st.error(messages.out_of_range(m.param, new, from_year, ui.lang()), icon=":material/block:")
        right.caption(T("adjust.current", value=ui.param_value(m.param, old)))
        return False
    changed = not scenario_io.same(new, old)
    if changed:
        edits[m.param] = new
    else:
        edits.pop(m.param, None)
    now = T("adjust.was" if changed else "adjust.current", value=ui.param_value(m.param, old))
    right.caption(
        f"{':orange[**' + now + '**]' if changed else now} · {ui.source_caption(base.source(m.param, from_year))}"
    )
    return True


inputs, results = st.columns([3, 2], gap="large")
with inputs:
    st.subheader(T("adjust.measures", year=from_year))
    invalid = 0
    for area in AREAS:
        with st.container(border=True):
            st.markdown(f"**{T('area.' + area)}**")
            for m in (m for m in measures if m.area == area):
                invalid += not draw_measure(m)
    if st.button(T("adjust.reset"), key="adjust_reset", icon=":material/undo:"):
        st.session_state["_adjust_reset"] = True
        st.rerun()

# the address says what the page shows: the start, the year and the edits
st.query_params["start"] = base_key
st.query_params["from"] = str(from_year)
if edits:
    st.query_params["edit"] = url_state.encode(edits)
elif "edit" in st.query_params:
    del st.query_params["edit"]

# ------------------------------------------------------------------ the edited scenario
with results:
    st.subheader(T("adjust.results"))
    if invalid:
        st.error(T("msg.box_invalid", n=invalid))
        st.stop()
    values = {m.param: edits.get(m.param, base.value(m.param, from_year)) for m in measures}
    name = scenario_io.clean_name(st.session_state.get("adjust_name", ""), f"{base.name}_edited")
    try:
        edited, changes = scenario_io.edit(base, values, from_year, name=name)
    except ScenarioError as exc:
        ui.problems([scenario_io.Problem(*p) for p in exc.problems])
        st.stop()

    edited_label = T("adjust.edited_label", name=ui.scenario_label(base_key, base))
    ref_label = ui.scenario_label(ref_key, reference)
    seed = [reference.run.seed]
    frames = {
        ref_label: engine.run(
            reference, households, end_year, seed, label=T("running", name=ref_label)
        )
    }
    frames[edited_label] = engine.run(
        edited, households, end_year, seed, label=T("running", name=edited_label)
    )
    years = sorted(frames[ref_label].year.unique())
    if changes:
        st.caption(
            T("adjust.changes", n=len(changes))
            + " "
            + "；".join(
                f"{ui.param_label(c.param)}: {ui.param_value(c.param, c.old)} → {ui.param_value(c.param, c.new)}"
                for c in changes
            )
        )
    else:
        st.caption(T("adjust.no_changes"))
    ui.init("adjust_year", min(2030, years[-1]), years)
    year = st.select_slider(T("compare.year"), years, key="adjust_year")
    base_label = ui.scenario_label(base_key, base)
    start_frames = {
        base_label: engine.run(
            base, households, end_year, seed, label=T("running", name=base_label)
        ),
        edited_label: frames[edited_label],
    }
    if changes and base_key != ref_key:
        # the edit's own effect: the edited scenario against its starting point, same seed
        vs_ref, vs_start = st.tabs(
            [T("adjust.vs_reference", ref=ref_label), T("adjust.vs_start", start=base_label)]
        )
        with vs_ref:
            ui.cards(
                tables.cards(frames, ref_label, edited_label, year, HEADLINE_CARDS), ref_label, 2
            )
        with vs_start:
            ui.cards(
                tables.cards(start_frames, base_label, edited_label, year, HEADLINE_CARDS),
                base_label,
                2,
            )
    else:
        ui.cards(tables.cards(frames, ref_label, edited_label, year, HEADLINE_CARDS), ref_label, 2)
    if changes:
        st.markdown(f"**{T('adjust.cost_by_measure', year=year)}**")
        costs = tables.cost_by_measure(start_frames, base_label, year)
        diff = f"{edited_label} − {base_label}"
        costs = costs[costs[diff].abs() > 0.5].reset_index(drop=True)  # yuan a year
        if costs.empty:
            st.caption(T("adjust.cost_none"))
        else:
            st.dataframe(
                pd.DataFrame(
                    {
                        T("col.measure"): costs.metric.map(ui.cost_measure_label),
                        T("col.payer"): costs.group.map(ui.group_label),
                        T("adjust.cost_change"): [
                            fmt.delta(v, "yuan/year", ui.lang()) for v in costs[diff]
                        ],
                    }
                ),
                hide_index=True,
                width="stretch",
                key="adjust_costs",
            )
            ui.csv_download(ui.with_labels(costs), f"{edited.name}_costs_{year}", "adjust_costs")

c1, c2 = st.columns([3, 2])
metric = c1.selectbox(
    T("metric"),
    tables.metrics_in(frames[ref_label]),
    key="adjust_metric",
    format_func=ui.fmt_metric(),
)
group = c2.selectbox(
    T("group"),
    tables.groups_of(frames[ref_label], metric),
    key="adjust_group",
    format_func=ui.fmt_group(),
)
own_effect = bool(changes) and base_key != ref_key  # the edit against its own starting point too
shown_frames = {**frames, base_label: start_frames[base_label]} if own_effect else frames
data = tables.over_years(shown_frames, metric, group)
ui.chart(data, "line", data.unit.iloc[0], "adjust_over_years", f"{edited.name}_{metric}_{group}")

st.markdown(f"**{T('compare.deciles', year=year)}**")
st.caption(T("compare.deciles_note", ref=ref_label))


def decile_chart(against: dict[str, pd.DataFrame], reference: str, key: str, name: str) -> None:
    """Net benefit per person by income decile in `year`, minus that of `reference`."""
    data = tables.net_benefit_by_decile(against, reference, year)
    data["decile_name"] = data.group.map(ui.group_label)
    ui.chart(
        data,
        "bar",
        "yuan/person/year",
        key,
        name,
        x="decile_name",
        x_title=T("decile"),
        x_sort=[ui.group_label(f"decile_{d}") for d in range(1, 11)],
        height=260,
    )


decile_chart(frames, ref_label, "adjust_deciles", f"{edited.name}_net_benefit_by_decile_{year}")
if own_effect:
    st.markdown(f"**{T('adjust.deciles_own', start=base_label, year=year)}**")
    decile_chart(
        start_frames, base_label, "adjust_deciles_own", f"{edited.name}_own_effect_by_decile_{year}"
    )

# ------------------------------------------------------------------ download
st.subheader(T("adjust.download_title"))
st.text_input(
    T("adjust.name"),
    key="adjust_name",
    placeholder=f"{base.name}_edited",
    help=T("adjust.name_help"),
)
yaml_text = scenario_io.to_yaml(edited, scenario_io.edit_header(base, changes, households))
st.download_button(
    T("adjust.download"),
    yaml_text.encode("utf-8"),
    file_name=f"{edited.name}.yaml",
    mime="application/x-yaml",
    key="adjust_download_yaml",
    icon=":material/download:",
    type="primary",
)
st.caption(T("adjust.download_note"))
