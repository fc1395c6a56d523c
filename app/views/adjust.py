"""Adjust a scenario: change the main measures, see each value's source, run, compare, download YAML."""

from __future__ import annotations

import streamlit as st

from app import engine, scenario_io, tables, ui
from app.catalogue import AREAS, DEFAULT_HOUSEHOLDS, HEADLINE_CARDS, HOUSEHOLD_CHOICES, MEASURES
from app.ui import T
from model import ScenarioError

st.title(T("adjust.title"))
st.caption(T("adjust.intro"))

with st.expander(T("upload_expander"), icon=":material/upload_file:"):
    ui.upload_box("adjust_upload")
options = engine.scenario_options()
scenarios = {k: engine.load(k) for k in options}

ui.init("adjust_base", "opinions_2025.yaml", options)
ui.init("adjust_reference", "baseline.yaml", options)
ui.init("adjust_households", DEFAULT_HOUSEHOLDS)
ui.init("adjust_end", 2035)
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
        list(range(2025, 2036)),
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

# Widgets take their values from session state: set them from the starting scenario when it or
# the year changes (or on "reset"), and restore the user's values after a visit to another page.
context = (base_key, base.content_hash(), from_year)
keys = [m.key for m in measures]
if st.session_state.get("_adjust_context") != context or st.session_state.pop(
    "_adjust_reset", False
):
    for m in measures:
        st.session_state[m.key] = m.to_widget(base.value(m.param, from_year))
    st.session_state["_adjust_context"] = context
elif any(k not in st.session_state for k in keys):
    saved = st.session_state.get("_adjust_values", {})
    for m in measures:
        st.session_state[m.key] = saved.get(m.key, m.to_widget(base.value(m.param, from_year)))

st.subheader(T("adjust.measures", year=from_year))
area_columns = st.columns(2, gap="medium")
for i, area in enumerate(AREAS):
    with area_columns[i % 2].container(border=True):
        st.markdown(f"**{T('area.' + area)}**")
        for m in (m for m in measures if m.area == area):
            if (
                m.kind == "toggle"
            ):  # a switch's label is a sentence: the whole width, its source below
                st.toggle(ui.widget_label(m.param), key=m.key)
                right = st.container()
            else:
                left, right = st.columns([2, 3], vertical_alignment="center")
                with left:
                    st.number_input(
                        ui.widget_label(m.param),
                        min_value=float(m.lo),
                        max_value=float(m.hi),
                        step=float(m.step),
                        key=m.key,
                        format=f"%.{m.decimals}f",
                        help=T(f"unit_hint.{m.kind}") if m.kind == "percent" else None,
                    )
            old = base.value(m.param, from_year)
            changed = not scenario_io.same(m.from_widget(st.session_state[m.key]), old)
            now = (
                T("adjust.was", value=ui.param_value(m.param, old))
                if changed
                else T("adjust.current", value=ui.param_value(m.param, old))
            )
            right.caption(
                f"{':orange[**' + now + '**]' if changed else now} · {ui.source_caption(base.source(m.param, from_year))}"
            )
st.session_state["_adjust_values"] = {k: st.session_state[k] for k in keys}
if st.button(T("adjust.reset"), key="adjust_reset", icon=":material/undo:"):
    st.session_state["_adjust_reset"] = True
    st.rerun()

# ------------------------------------------------------------------ the edited scenario
values = {m.param: m.from_widget(st.session_state[m.key]) for m in measures}
name = scenario_io.clean_name(st.session_state.get("adjust_name", ""), f"{base.name}_edited")
try:
    edited, changes = scenario_io.edit(base, values, from_year, name=name)
except ScenarioError as exc:
    ui.problems([scenario_io.Problem(*p) for p in exc.problems])
    st.stop()

edited_label = T("adjust.edited_label", name=ui.scenario_label(base_key, base))
ref_label = ui.scenario_label(ref_key, reference)
frames = {
    ref_label: engine.run(
        reference, households, end_year, [reference.run.seed], label=T("running", name=ref_label)
    )
}
frames[edited_label] = engine.run(
    edited, households, end_year, [reference.run.seed], label=T("running", name=edited_label)
)
years = sorted(frames[ref_label].year.unique())

st.subheader(T("adjust.results"))
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
if changes and base_key != ref_key:
    # the edit's own effect: the edited scenario against its starting point, same seed
    base_label = ui.scenario_label(base_key, base)
    start_frames = {
        base_label: engine.run(
            base, households, end_year, [reference.run.seed], label=T("running", name=base_label)
        ),
        edited_label: frames[edited_label],
    }
    vs_ref, vs_start = st.tabs(
        [T("adjust.vs_reference", ref=ref_label), T("adjust.vs_start", start=base_label)]
    )
    with vs_ref:
        ui.cards(tables.cards(frames, ref_label, edited_label, year, HEADLINE_CARDS), ref_label)
    with vs_start:
        ui.cards(
            tables.cards(start_frames, base_label, edited_label, year, HEADLINE_CARDS), base_label
        )
else:
    ui.cards(tables.cards(frames, ref_label, edited_label, year, HEADLINE_CARDS), ref_label)

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
data = tables.over_years(frames, metric, group)
ui.chart(data, "line", data.unit.iloc[0], "adjust_over_years", f"{edited.name}_{metric}_{group}")

st.markdown(f"**{T('compare.deciles', year=year)}**")
st.caption(T("compare.deciles_note", ref=ref_label))
ddata = tables.net_benefit_by_decile(frames, ref_label, year)
ddata["decile_name"] = ddata.group.map(ui.group_label)
ui.chart(
    ddata,
    "bar",
    "yuan/person/year",
    "adjust_deciles",
    f"{edited.name}_net_benefit_by_decile_{year}",
    x="decile_name",
    x_title=T("decile"),
    x_sort=[ui.group_label(f"decile_{d}") for d in range(1, 11)],
    height=260,
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
