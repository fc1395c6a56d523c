"""Family calculator: what a scenario means for one described family, year by year.

The numbers come from app/family.py: the model's own measures run on the family as a
one-household population (nothing here computes a benefit).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import engine, family, ui
from app.catalogue import PLACES
from app.ui import T

PLACES_HOUSEHOLDS = 20_000  # the model run that gives the chances of a place (as Adjust's default)
WORK = ("child", "student", "formal", "flexible", "farmer", "unemployed", "inactive", "retired")
DEFAULT_MEMBERS = pd.DataFrame(
    {
        "age": [68, 40, 38, 1],
        "sex": ["female", "male", "female", "male"],
        "work": ["inactive", "flexible", "formal", "child"],
        "urban_hukou": [False, False, False, False],
        "employee_pension": [0.0, 0.0, 0.0, 0.0],
    }
)


@st.cache_data(show_spinner=False, max_entries=64)
def calculate(key: str, content: str, fam: family.Family, end_year: int, seed: int) -> pd.DataFrame:
    """The family's receipts and payments under the scenario `key` (cached by its content)."""
    return family.calculate(engine.load(key), fam, end_year, seed=seed)


st.title(T("family.title"))
st.caption(T("family.intro"))

options = [k for k in engine.scenario_options() if not k.startswith("saved:")]
scenarios = {k: engine.load(k) for k in options}
ui.init("family_scenario", "opinions_2025.yaml", options)
ui.init("family_reference", "baseline.yaml", options)
ui.init("family_province", "sichuan", PLACES[1:])
ui.init("family_end", 2030)
with st.container(border=True):
    c1, c2, c3 = st.columns([3, 3, 2])
    key = c1.selectbox(
        T("family.scenario"), options, key="family_scenario", format_func=ui.fmt_scenario(scenarios)
    )
    ref_key = c2.selectbox(
        T("adjust.reference"),
        options,
        key="family_reference",
        format_func=ui.fmt_scenario(scenarios),
    )
    end_year = c3.slider(T("end_year"), 2025, 2035, key="family_end")
    c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
    province = c1.selectbox(
        T("family.province"), PLACES[1:], key="family_province", format_func=ui.fmt_area()
    )
    urban = c2.radio(
        T("family.residence"),
        [True, False],
        key="family_urban",
        format_func=lambda u: T("family.urban") if u else T("family.rural"),
        horizontal=True,
    )
    migrant = c3.toggle(T("family.migrant"), key="family_migrant", help=T("family.migrant_help"))
    income = c4.number_input(
        T("family.income"),
        min_value=0.0,
        max_value=10_000_000.0,
        value=12_000.0,
        step=1_000.0,
        key="family_income",
        help=T("family.income_help"),
    )
    st.markdown(f"**{T('family.members')}**")
    members = st.data_editor(
        DEFAULT_MEMBERS,
        num_rows="dynamic",
        hide_index=True,
        key="family_members",
        column_config={
            "age": st.column_config.NumberColumn(
                T("family.age"), min_value=0, max_value=100, step=1
            ),
            "sex": st.column_config.SelectboxColumn(
                T("family.sex"),
                options=["male", "female"],
                required=True,
                format_func=ui.fmt_key("family.sex."),
            ),
            "work": st.column_config.SelectboxColumn(
                T("family.work"),
                options=list(WORK),
                required=True,
                format_func=ui.fmt_key("family.work."),
            ),
            "urban_hukou": st.column_config.CheckboxColumn(T("family.urban_hukou")),
            "employee_pension": st.column_config.NumberColumn(
                T("family.employee_pension"), min_value=0.0, max_value=100_000.0, step=100.0
            ),
        },
    )
    st.caption(T("family.codes"))

people = members.dropna(subset=["age", "sex", "work"])
if people.empty:
    st.warning(T("family.no_members"))
    st.stop()
fam = family.Family(
    members=tuple(
        family.Member(
            age=int(r.age),
            sex=str(r.sex),
            work=str(r.work),
            urban_hukou=bool(r.urban_hukou),
            employee_pension=float(r.employee_pension or 0.0),
        )
        for r in people.itertuples()
    ),
    urban=bool(urban),
    province=province,
    income_pc=float(income),
    migrant=bool(migrant),
)
seed = scenarios[ref_key].run.seed
labels = {k: ui.scenario_label(k, scenarios[k]) for k in (ref_key, key)}
frames = {
    labels[k]: calculate(k, scenarios[k].content_hash(), fam, end_year, seed).assign(
        scenario=labels[k]
    )
    for k in (ref_key, key)
}
both = pd.concat(frames.values(), ignore_index=True)

st.subheader(T("family.net_title"))
net = both[both.measure == "net"].groupby(["scenario", "year"], as_index=False).amount.sum()
data = net.rename(columns={"amount": "value"}).assign(
    metric="net_benefit", group="all", unit="yuan/year"
)
ui.chart(data, "line", "yuan/year", "family_net", "family_net_benefit")

st.subheader(T("family.by_measure"))
# what the family receives from each payer (+) and pays (−); employers' contributions for
# their employees are the employers' money, not the family's
money = both[(both.measure != "net") & (both.payer != "employers")].copy()
money["signed"] = money.amount.where(money.payer != "individuals", -money.amount)
years = sorted(both.year.unique())
ui.init("family_year", min(2030, years[-1]), years)
year_shown = st.select_slider(T("compare.year"), years, key="family_year")
table = (
    money[money.year == year_shown]
    .pivot_table(index=["measure", "payer"], columns="scenario", values="signed", aggfunc="sum")
    .reindex(columns=list(frames))
    .fillna(0.0)
)
shown = pd.DataFrame(
    {
        T("col.measure"): [ui.cost_measure_label(f"cost.{m}") for m, _ in table.index],
        T("col.payer"): [ui.group_label(p) for _, p in table.index],
        **{
            T("family.yuan_year", name=name): [f"{v:+,.0f}" for v in table[name]] for name in frames
        },
    }
)
st.dataframe(shown, hide_index=True, width="stretch", key="family_table")
ui.csv_download(money.drop(columns="signed"), "family_by_measure", "family_table")
st.caption(T("family.note"))

# ------------------------------------------------------------------ places the providers allocate
# childcare places and elderly care go to whole communities through the providers, not to one
# household: the family's chance is its residence's share in the full model run
ages = [m.age for m in fam.members]
children, elders = any(a <= 2 for a in ages), any(a >= 60 for a in ages)
if children or elders:
    st.subheader(T("family.places", year=year_shown))
    area = "urban" if fam.urban else "rural"
    st.caption(T("family.places_note", n=f"{PLACES_HOUSEHOLDS:,}", area=ui.group_label(area)))
    chances = []
    for k in (ref_key, key):
        run = engine.run(scenarios[k], PLACES_HOUSEHOLDS, end_year, [seed], label=labels[k])
        row = run[(run.year == year_shown) & (run.group == area)].set_index("metric").value
        chance = {T("scenario"): labels[k]}
        if children:
            chance[T("family.childcare_place")] = row.get("childcare_enrolment_rate")
        if elders:
            chance[T("family.elderly_care")] = row.get("elderly_formal_care_share")
        chances.append(chance)
    places = pd.DataFrame(chances)
    config = {
        c: st.column_config.NumberColumn(c, format="percent")
        for c in places.columns
        if c != T("scenario")
    }
    st.dataframe(
        places, hide_index=True, width="stretch", key="family_places", column_config=config
    )
