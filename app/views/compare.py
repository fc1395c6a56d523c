"""Compare scenarios: headline cards with changes, charts over the years, by group, by income decile."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import engine, fmt, gains, tables, ui
from app import map as china_map
from app.catalogue import (
    DEFAULT_HOUSEHOLDS,
    DEFAULT_REPLICATIONS,
    HEADLINE_CARDS,
    HOUSEHOLD_CHOICES,
    MAX_REPLICATIONS,
    PLACES,
    SERVICE_DEFAULT,
    province_cards,
)
from app.ui import T
from minsheng.report import HEADLINES, PROVINCE_HEADLINES

st.title(T("compare.title"))
st.caption(T("compare.intro"))

# ------------------------------------------------------------------ what to compare
saved = engine.saved_options()
with st.expander(T("upload_expander"), icon=":material/upload_file:"):
    ui.upload_box("compare_upload")
options = engine.scenario_options() + list(saved) + list(engine.batch_options())
scenarios = {k: engine.load(k) for k in options if not engine.is_result(k)}

ui.init("compare_scenarios", ["baseline.yaml", "opinions_2025.yaml"])
st.session_state["compare_scenarios"] = [
    k for k in st.session_state["compare_scenarios"] if k in options
]
ui.init("compare_households", DEFAULT_HOUSEHOLDS)
ui.init("compare_end", 2035)
ui.init("compare_seeds", DEFAULT_REPLICATIONS)
with st.container(border=True):
    left, right = st.columns([3, 2], gap="large")
    with left:
        chosen = st.multiselect(
            T("compare.pick"),
            options,
            key="compare_scenarios",
            format_func=ui.fmt_scenario(scenarios),
            help=T("compare.pick_help"),
        )
        if chosen:
            ui.init("compare_reference", chosen[0], chosen)
        reference = (
            st.selectbox(
                T("compare.reference"),
                chosen,
                key="compare_reference",
                format_func=ui.fmt_scenario(scenarios),
            )
            if chosen
            else None
        )
        ui.init("compare_province", "national")
        area = st.selectbox(
            T("compare.province"),
            PLACES,
            key="compare_province",
            format_func=ui.fmt_area(),
            help=T("compare.province_help"),
        )
    with right:
        households = st.select_slider(
            T("households"),
            HOUSEHOLD_CHOICES,
            key="compare_households",
            format_func=lambda n: f"{n:,}",
            help=T("households_help"),
        )
        end_year = st.slider(T("end_year"), 2025, 2035, key="compare_end")
        n_seeds = st.number_input(
            T("replications"), 1, MAX_REPLICATIONS, key="compare_seeds", help=T("replications_help")
        )

if not chosen:
    st.info(T("compare.none"))
    st.stop()

# ------------------------------------------------------------------ run (cached) or read saved results
frames: dict[str, pd.DataFrame] = {}
keys_by_label: dict[str, str] = {}
# paired seeds: every scenario run with the same seeds s, s+1, ... (s: the reference's seed)
base_seed = next((scenarios[k].run.seed for k in [reference, *chosen] if k in scenarios), 0)
seeds = [base_seed + i for i in range(int(n_seeds))]
for key in dict.fromkeys([reference, *chosen]):
    label = ui.scenario_label(key, scenarios.get(key))
    while label in frames:
        label += "′"
    if engine.is_result(key):
        frames[label] = engine.load_results(key)
    else:
        sc = scenarios[key]
        frames[label] = engine.run(sc, households, end_year, seeds, label=T("running", name=label))
    keys_by_label[label] = key
ref_label = next(iter(frames))
colours = ui.scenario_colours(keys_by_label)
years = sorted(set.intersection(*(set(f.year) for f in frames.values())))
if not years:
    st.warning(T("compare.no_common_years"))
    st.stop()
first = next(iter(frames.values()))

ui.init("compare_year", min(2030, years[-1]), years)
year = st.select_slider(T("compare.year"), years, key="compare_year")
st.caption(T("compare.settings", n=f"{households:,}", seeds=int(n_seeds), ref=ref_label))

# ------------------------------------------------------------------ headline cards
if area == "national":
    st.subheader(T("compare.cards", year=year))
    catalogue = HEADLINE_CARDS
    head_rows = [(m, g) for m, g, _, _ in HEADLINES]
else:
    st.subheader(T("compare.province_cards", province=ui.area_label(area), year=year))
    st.caption(T("compare.province_note"))
    catalogue = province_cards(area)
    head_rows = [(m, f"province_{area}") for m, _, _ in PROVINCE_HEADLINES]
others = [lb for lb in frames if lb != ref_label]
n_reps = max(int(f.seed.nunique()) for f in frames.values())
seed_sets = {tuple(sorted(set(f.seed))) for f in frames.values()}
if n_reps > 1 and len(seed_sets) == 1:
    shown_seeds = ", ".join(map(str, next(iter(seed_sets))))
    st.caption(T("compare.interval_note", n=n_reps, seeds=shown_seeds))
elif n_reps > 1:
    st.caption(T("compare.interval_unpaired"))
if not others:
    ui.cards(tables.cards(frames, ref_label, ref_label, year, catalogue), ref_label)
elif len(others) == 1:
    st.caption(T("compare.cards_vs", name=others[0], ref=ref_label))
    ui.cards(tables.cards(frames, ref_label, others[0], year, catalogue), ref_label)
else:
    for tab, lb in zip(st.tabs(others), others):
        with tab:
            st.caption(T("compare.cards_vs", name=lb, ref=ref_label))
            ui.cards(tables.cards(frames, ref_label, lb, year, catalogue), ref_label)
ui.card_inputs(catalogue)

head = tables.headline_rows(frames, ref_label, year, head_rows)
with st.expander(T("compare.table", year=year), icon=":material/table:"):
    shown = pd.DataFrame(
        {
            T("col.indicator"): [
                ui.metric_label(m) + ("" if g == "all" else f"（{ui.group_label(g)}）")
                for m, g in zip(head.metric, head.group)
            ]
        }
    )
    for c in head.columns[3:]:
        is_diff = "−" in c
        shown[c] = [
            (fmt.delta if is_diff else fmt.value)(v, u, ui.lang())
            for v, u in zip(head[c], head.unit)
        ]
    st.dataframe(shown, hide_index=True, width="stretch", key="compare_table")
    ui.csv_download(ui.with_labels(head), f"headline_{year}", "compare_table")

# ------------------------------------------------------------------ by province: the map
st.subheader(T("compare.map", year=year))
st.caption(T("compare.map_intro"))
pmetrics = tables.province_metrics(first)
if not pmetrics:
    st.caption(T("compare.map_none"))
else:
    m1, m2, m3 = st.columns([3, 2, 2])
    ui.init("compare_map_metric", "spending.government", pmetrics)
    pmetric = m1.selectbox(
        T("metric"), pmetrics, key="compare_map_metric", format_func=ui.fmt_metric()
    )
    pview = m2.radio(
        T("compare.view"),
        ["difference", "level"],
        key="compare_map_view",
        horizontal=True,
        format_func=ui.fmt_key("view."),
        disabled=len(frames) < 2,
    )
    pdiff = pview == "difference" and len(frames) > 1
    ui.init("compare_map_per_person", True)
    per_person = m3.toggle(
        T("compare.map_per_person"),
        key="compare_map_per_person",
        help=T("compare.map_per_person_help"),
    )
    shown_in = others if pdiff else list(frames)
    ui.init("compare_map_scenario", shown_in[0], shown_in)
    pscen = (
        st.selectbox(T("compare.map_scenario"), shown_in, key="compare_map_scenario")
        if len(shown_in) > 1
        else shown_in[0]
    )
    pdata = tables.by_province(
        frames, pmetric, year, ref_label if pdiff else None, per_person=per_person
    )
    pdata = pdata[pdata.scenario == pscen]
    if not pdata.empty:
        punit = pdata.unit.iloc[0]
        map_chart = china_map.province_map(
            pdata, punit, ui.lang(), pdiff, highlight=None if area == "national" else area
        )
        st.altair_chart(map_chart, width="stretch", key="compare_map_chart")
        with st.expander(T("compare.map_table"), icon=":material/format_list_numbered:"):
            ranked = pd.DataFrame(
                {
                    T("province"): pdata.group.map(ui.group_label),
                    ui.metric_label(pdata.metric.iloc[0]): [
                        (fmt.delta if pdiff else fmt.value)(v, punit, ui.lang())
                        for v in pdata.value
                    ],
                }
            )
            st.dataframe(ranked, hide_index=True, width="stretch", key="compare_map_table")
        cols = ui.csv_columns(pdata)
        ui.downloads(
            map_chart,
            ui.with_labels(pdata[cols]),
            f"{pdata.metric.iloc[0].replace('/', '_per_')}_by_province_{year}_{pview}",
            "compare_map",
        )

# ------------------------------------------------------------------ what each measure contributes
files = [k for k in dict.fromkeys([reference, *chosen]) if not engine.is_result(k)]
with st.expander(T("compare.decompose", year=year), icon=":material/stacked_bar_chart:"):
    if len(files) != 2 or len(frames) != 2:
        st.caption(T("compare.decompose_only_two"))
    else:
        ref_sc, pkg_sc = scenarios[files[0]], scenarios[files[1]]
        measures = tables.package_measures(ref_sc, pkg_sc)
        st.caption(T("compare.decompose_intro", name=others[0], ref=ref_label, n=len(measures)))
        if st.button(T("compare.decompose_run"), key="compare_decompose") or st.session_state.get(
            "compare_decomposed"
        ) == (files[0], files[1], households, end_year):
            st.session_state["compare_decomposed"] = (files[0], files[1], households, end_year)
            parts = engine.decomposition(
                ref_sc,
                pkg_sc,
                households,
                end_year,
                ref_sc.run.seed,
                label=T("running", name=others[0]),
            )
            table = tables.decomposition_table(parts, year)
            shown = pd.DataFrame({T("col.measure"): [ui.measure_label(m) for m in table.measure]})
            for (m, g), u in zip(tables.DECOMPOSE_METRICS, tables.DECOMPOSE_UNITS):
                label = ui.metric_label(m) + ("" if g == "all" else f"（{ui.group_label(g)}）")
                shown[label] = [fmt.delta(v, u, ui.lang()) for v in table[f"{m}|{g}"]]
            st.dataframe(shown, hide_index=True, width="stretch", key="compare_decomposition")
            ui.csv_download(parts, f"decomposition_{year}", "compare_decomposition")

# ------------------------------------------------------------------ over the years
st.subheader(T("compare.over_years"))
c1, c2, c3 = st.columns([3, 2, 2])
metric = c1.selectbox(
    T("metric"), tables.metrics_in(first), key="compare_metric", format_func=ui.fmt_metric()
)
group = c2.selectbox(
    T("group"), tables.groups_of(first, metric), key="compare_group", format_func=ui.fmt_group()
)
view = c3.radio(
    T("compare.view"),
    ["level", "difference"],
    key="compare_view",
    horizontal=True,
    format_func=ui.fmt_key("view."),
    disabled=len(frames) < 2,
)
data = tables.over_years(
    frames, metric, group, ref_label if view == "difference" and len(frames) > 1 else None
)
if not data.empty:
    ui.chart(
        data,
        "line",
        data.unit.iloc[0],
        "compare_over_years",
        f"{metric}_{group}_{view}",
        difference=view == "difference",
        colours=colours,
    )
    if (data.seeds > 1).any():
        st.caption(T("band_note", n=int(data.seeds.max())))

# ------------------------------------------------------------------ by group
st.subheader(T("compare.by_group", year=year))
g1, g2 = st.columns([3, 2])
gmetric = g1.selectbox(
    T("metric"),
    tables.group_metrics(first),
    key="compare_group_metric",
    format_func=ui.fmt_metric(),
)
gview = g2.radio(
    T("compare.view"),
    ["difference", "level"],
    key="compare_group_view",
    horizontal=True,
    format_func=ui.fmt_key("view."),
    disabled=len(frames) < 2,
)
gdata = tables.by_group(
    frames, gmetric, year, ref_label if gview == "difference" and len(frames) > 1 else None
)
if not gdata.empty:
    gdata["group_name"] = gdata.group.map(ui.group_label)
    ui.chart(
        gdata,
        "barh",
        gdata.unit.iloc[0],
        "compare_by_group",
        f"{gmetric}_by_group_{year}_{gview}",
        x="group_name",
        x_title=T("group"),
        x_sort=[ui.group_label(g) for g in dict.fromkeys(gdata.group)],
        height=36 * gdata.group.nunique() + 40,
        difference=gview == "difference",
        colours=colours,
    )

# ------------------------------------------------------------------ poverty and inequality over the years
st.subheader(T("compare.poverty"))
line_key = next((k for k in (reference, "baseline.yaml") if k in scenarios), None)
st.caption(
    T(
        "compare.poverty_note",
        share=f"{scenarios[line_key].value('outputs.poverty_line_share_of_median', year):.0%}",
    )
    if line_key is not None
    else T("compare.poverty_note_saved")
)
for pmetric_key, chart_key in (
    ("poverty_rate", "compare_poverty"),
    ("gini_disposable_income", "compare_gini"),
):
    series = tables.over_years(frames, pmetric_key, "all")
    if series.empty:
        continue
    st.markdown(f"**{ui.metric_label(pmetric_key)}**")
    ui.chart(
        series, "line", series.unit.iloc[0], chart_key, pmetric_key, height=260, colours=colours
    )

# ------------------------------------------------------------------ net benefit by decile
st.subheader(T("compare.deciles", year=year))
st.caption(
    T("compare.deciles_note", ref=ref_label) if len(frames) > 1 else T("compare.deciles_note_one")
)
ddata = tables.net_benefit_by_decile(frames, ref_label, year)
if not ddata.empty:
    ddata["decile_name"] = ddata.group.map(ui.group_label)
    ui.chart(
        ddata,
        "bar",
        "yuan/person/year",
        "compare_deciles",
        f"net_benefit_by_decile_{year}",
        x="decile_name",
        x_title=T("decile"),
        x_sort=[ui.group_label(f"decile_{d}") for d in range(1, 11)],
        difference=len(frames) > 1,
        colours=colours,
    )

# ------------------------------------------------------------------ who gains, as a share of income
if len(frames) > 1:
    st.subheader(T("compare.gains", year=year))
    st.caption(T("compare.gains_note", ref=ref_label))
    gains_data = gains.gain_share_of_income(frames, ref_label, year)
    if not gains_data.empty:
        gscen = others[0]
        if len(others) > 1:
            ui.init("compare_gains_scenario", others[0], others)
            gscen = st.selectbox(T("scenario"), others, key="compare_gains_scenario")
        gshown = gains_data[gains_data.scenario == gscen].copy()
        gshown["group_name"] = gshown.group.map(ui.group_label)
        ui.chart(
            gshown,
            "barh",
            "share",
            "compare_gains",
            f"gain_share_of_income_by_province_{year}",
            x="group_name",
            x_title=T("province"),
            x_sort=list(gshown.group_name),
            height=18 * len(gshown) + 60,
            colours=colours,
        )

# ------------------------------------------------------------------ parameter uncertainty (stored sensitivity)
studies = engine.sensitivity_studies()
if studies and st.toggle(T("compare.param_uncertainty"), key="compare_param_uncertainty"):
    st.caption(T("compare.param_uncertainty_note"))
    for name, (samples, spec) in studies.items():
        st.markdown(f"**{name}**")
        st.dataframe(
            ui.parameter_uncertainty(samples, spec),
            hide_index=True,
            width="stretch",
            key=f"compare_param_{name}",
        )

# ------------------------------------------------------------------ winners and losers, household by household
runnable = [lb for lb in frames if not engine.is_result(keys_by_label[lb])]
if others and ref_label in runnable and any(lb in runnable for lb in others):
    st.subheader(T("compare.winners", year=year))
    st.caption(T("compare.winners_note", ref=ref_label, seed=base_seed))
    wscen = next(lb for lb in others if lb in runnable)
    choices = [lb for lb in others if lb in runnable]
    if len(choices) > 1:
        ui.init("compare_winners_scenario", choices[0], choices)
        wscen = st.selectbox(T("scenario"), choices, key="compare_winners_scenario")

    def _households(label: str) -> pd.DataFrame:
        sc = scenarios[keys_by_label[label]]
        return engine.households_of(sc, households, year, base_seed, label=T("running", name=label))

    winners = ui.winners_table(_households(ref_label), _households(wscen))
    ui.csv_download(winners, f"winners_losers_{year}", "compare_winners")

# ------------------------------------------------------------------ costs by measure and payer
st.subheader(T("compare.costs", year=year))
st.caption(T("compare.costs_note"))
costs = tables.cost_by_measure(frames, ref_label, year)
ui.cost_table(costs, "compare_costs")
ui.csv_download(ui.with_labels(costs), f"costs_{year}", "compare_costs")

# ------------------------------------------------------------------ costs over the plan period
if len(years) > 1:
    st.subheader(T("compare.period"))
    lo = max(tables.PLAN_PERIOD[0], years[0])
    hi = min(tables.PLAN_PERIOD[1], years[-1])
    if lo > hi:
        lo, hi = years[0], years[-1]
    period = st.session_state.get("compare_period")
    if not (isinstance(period, tuple | list) and years[0] <= period[0] <= period[1] <= years[-1]):
        st.session_state["compare_period"] = (lo, hi)
    p1, p2 = st.columns([3, 2])
    first_year, last_year = p1.slider(
        T("compare.period_years"), years[0], years[-1], key="compare_period"
    )
    real = p2.toggle(T("compare.period_real"), key="compare_period_real")
    deflator_key = next((k for k in (reference, "baseline.yaml") if k in scenarios), None)
    index = None
    if real and deflator_key is not None:
        index = tables.income_index(scenarios[deflator_key], years)
        st.caption(
            T(
                "compare.period_real_note",
                scenario=ui.scenario_label(deflator_key, scenarios[deflator_key]),
                param=tables.DEFLATOR,
                rate=f"{scenarios[deflator_key].value(tables.DEFLATOR, 2024):.2%}",
            )
        )
    else:
        st.caption(T("compare.period_nominal_note"))
    ptable = tables.cost_period(frames, ref_label, first_year, last_year, index)
    ui.cost_table(ptable, "compare_period_costs", unit="yuan")
    ui.csv_download(
        ui.with_labels(ptable),
        f"costs_{first_year}_{last_year}_{'2024_terms' if index is not None else 'nominal'}",
        "compare_period_costs",
    )

# ------------------------------------------------------------------ service supply and demand
st.subheader(T("compare.services"))
service = tables.service_metrics(first)
if not service:
    st.caption(T("compare.services_none"))
else:
    shown = st.multiselect(
        T("compare.services_pick"),
        service,
        default=[m for m in SERVICE_DEFAULT if m in service],
        format_func=ui.metric_label,
        key="compare_services",
    )
    for m in shown:
        sdata = tables.over_years(frames, m, tables.groups_of(first, m)[0])
        st.markdown(f"**{ui.metric_label(m)}**")
        ui.chart(
            sdata,
            "line",
            sdata.unit.iloc[0],
            f"compare_service_{m}",
            f"{m}",
            height=240,
            colours=colours,
        )
