"""Drawing helpers shared by the pages: labels in the chosen language, cards, charts with CSV.

Every chart is drawn by `chart()`, which puts under it a CSV download of exactly the charted data
and the chart itself as PNG and SVG (`downloads`). Scenarios keep one colour, fixed by their key
(`scenario_colours`); cards show the 95% interval of the replications under their numbers.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from app import fmt, i18n, scenario_io
from app.catalogue import CARDS_PER_ROW, MEASURES, Card
from model import Scenario
from model.registry import REGISTRY


def lang() -> str:
    """The language in use ("zh" by default, "en" by the switch)."""
    return st.session_state.get("lang", i18n.DEFAULT)


def init(key: str, value: object, allowed: list | None = None) -> None:
    """Give a widget its first value through session state (not the widget's own default, so the
    language switch can store values back without a conflict); reset it if no longer allowed."""
    if key not in st.session_state or (
        allowed is not None and st.session_state[key] not in allowed
    ):
        st.session_state[key] = value


def T(key: str, **kw: object) -> str:
    """A label from the translation table in the language in use."""
    return i18n.t(key, lang(), **kw)


# Option formatters for select widgets, with the language fixed when they are made: Streamlit
# may call a format_func later, outside the page run, where the session's language is unknown.


def option_label(key: str, lg: str, title: str | None = None) -> str:
    """A scenario option's name in `lg`; a batch variant ("batch:<experiment>/<variant>") by its
    experiment and its scenario's translated name (a sweep's point by its own name)."""
    if key.startswith("batch:"):
        experiment, _, variant = key.removeprefix("batch:").partition("/")
        name = f"{variant}.yaml"
        shown = i18n.scenario_label(name, lg) if name in i18n.SCENARIOS else variant
        return i18n.t("batch_option", lg, experiment=experiment, name=shown)
    return i18n.scenario_label(key, lg, title=title)


def fmt_scenario(scenarios: dict[str, Scenario]) -> Callable[[str], str]:
    lg = lang()
    return lambda k: option_label(k, lg, title=scenarios[k].title if k in scenarios else None)


def fmt_metric() -> Callable[[str], str]:
    lg = lang()
    return lambda m: i18n.metric_label(m, lg)


def fmt_group() -> Callable[[str], str]:
    lg = lang()
    return lambda g: i18n.group_label(g, lg)


def fmt_area() -> Callable[[str], str]:
    """The area selector's options: "national" or a province's pinyin key, by name."""
    lg = lang()
    return lambda a: (
        i18n.t("compare.national", lg) if a == "national" else i18n.group_label(f"province_{a}", lg)
    )


def area_label(area: str) -> str:
    """An area's name in the language in use (see fmt_area)."""
    return fmt_area()(area)


def fmt_key(prefix: str) -> Callable[[str], str]:
    """Options shown as the label `prefix + option`, e.g. fmt_key("view.")("level")."""
    lg = lang()
    return lambda v: i18n.t(f"{prefix}{v}", lg)


def metric_label(metric: str) -> str:
    return i18n.metric_label(metric, lang())


def cost_measure_label(metric: str) -> str:
    return i18n.cost_measure_label(metric, lang())


def group_label(group: str) -> str:
    return i18n.group_label(group, lang())


def measure_label(measure: str) -> str:
    """A measure of the decomposition: its single-measure file's name, or the interaction/total."""
    if measure in ("interaction", "total"):
        return i18n.t(f"decompose.{measure}", lang())
    key = f"measures/{measure}.yaml"
    name = i18n.scenario_label(key, lang()) if key in i18n.SCENARIOS else measure
    for prefix in ("单项：", "Single measure: "):
        name = name.removeprefix(prefix)
    return name


def scenario_label(key: str, scenario: Scenario | None = None) -> str:
    """How a scenario option is shown: its translated name, or an upload's or saved run's own name."""
    return option_label(key, lang(), title=scenario.title if scenario is not None else None)


def param_value(param: str, value: float, switch: bool = True) -> str:
    """A parameter's value in its unit, e.g. "700元/人·年"; a switch as "是/否" (or 1/0 with switch=False)."""
    toggle = next((m for m in MEASURES if m.param == param and m.kind == "toggle"), None)
    if toggle is not None:
        if not switch:
            return f"{value:g}"
        return T("yes") if toggle.to_widget(value) else T("no")
    unit = REGISTRY[param].unit
    if unit in fmt.KNOWN_UNITS:
        return fmt.value(value, unit, lang())
    return f"{value:.6g}"


def widget_label(param: str) -> str:
    """What a measure's widget says."""
    return i18n.widget_label(param, lang())


def param_label(param: str) -> str:
    """A parameter's name in the language in use."""
    return i18n.param_label(param, lang())


def source_caption(src: object, edited: bool = False) -> str:
    """One line saying where a value comes from (quotes are shown as written in their document)."""
    kind = scenario_io.source_kind(src)
    where, text, _ = scenario_io.source_parts(src)
    short = text if len(text) <= 90 else text[:88] + "…"
    label = T(f"kind.{kind}")
    if kind == "document":
        seed = re.match(r"^(\d{3})_[0-9a-f]+\.txt$", where)
        where = T("doc_short", n=seed.group(1)) if seed else where
    elif kind == "external":
        where = where if len(where) <= 60 else where[:58] + "…"
    else:
        return T("source_plain", kind=label, text=short)
    return T("source_where", kind=label, where=where, text=short)


CSV_COLUMNS = (
    "scenario",
    "year",
    "group",
    "metric",
    "unit",
    "value",
    "low",
    "high",
    "seeds",
    "decile",
)


def csv_columns(data: pd.DataFrame) -> list[str]:
    """The columns of charted data a CSV download carries (those of CSV_COLUMNS it has)."""
    return [c for c in CSV_COLUMNS if c in data]


def csv_download(data: pd.DataFrame, name: str, key: str) -> None:
    """A button that downloads `data` as CSV (UTF-8 with BOM, so spreadsheets read Chinese)."""
    st.download_button(
        T("download_csv"),
        data.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{key}",
        icon=":material/download:",
    )


def with_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Adds label columns (in the language in use) beside the metric and group codes."""
    out = df.copy()
    if "metric" in out:
        out.insert(out.columns.get_loc("metric") + 1, "metric_label", out.metric.map(metric_label))
    if "group" in out:
        out.insert(out.columns.get_loc("group") + 1, "group_label", out.group.map(group_label))
    return out


# Scenario colours, fixed by the scenario's option key (never by its label, language or place in
# the list): the baseline grey and the 2025 package red everywhere, any other scenario a colour
# of PALETTE chosen by a checksum of its key (the next free one if two chosen keys share one).
FIXED_COLOURS = {"baseline.yaml": "#6e6e6e", "opinions_2025.yaml": "#c8102e"}
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
)


def colour_key(key: str) -> str:
    """The key a scenario's colour follows: saved results and batch arms of a shipped scenario
    ("saved:<folder>/baseline", "batch:<experiment>/opinions_2025") take that scenario's."""
    if key.startswith(("saved:", "batch:")):
        name = key.rpartition("/")[2]
        if f"{name}.yaml" in FIXED_COLOURS:
            return f"{name}.yaml"
    return key


def scenario_colours(keys_by_label: dict[str, str]) -> dict[str, str]:
    """A colour (hex) for each scenario label, fixed by its option key (see FIXED_COLOURS)."""
    taken: set[str] = set()
    by_key: dict[str, str] = {}
    keys = sorted(
        set(keys_by_label.values()), key=lambda k: (colour_key(k) not in FIXED_COLOURS, k)
    )
    for key in keys:
        ck = colour_key(key)
        colour = FIXED_COLOURS.get(ck)
        if colour is None or colour in taken:
            start = zlib.crc32(ck.encode("utf-8")) % len(PALETTE)
            free = [PALETTE[(start + i) % len(PALETTE)] for i in range(len(PALETTE))]
            colour = next((c for c in free if c not in taken), free[0])
        taken.add(colour)
        by_key[key] = colour
    return {label: by_key[key] for label, key in keys_by_label.items()}


def chart(
    data: pd.DataFrame,
    kind: str,
    unit: str,
    key: str,
    name: str,
    x: str = "year",
    color: str = "scenario",
    x_title: str | None = None,
    x_sort: list[str] | None = None,
    height: int = 320,
    difference: bool = False,
    colours: dict[str, str] | None = None,
) -> None:
    """Draw a line ("line", with a band where several seeds give an interval), grouped bar
    ("bar") or horizontal bar ("barh") chart of `data` (tidy: value, low, high in the model's
    unit), then its downloads: the data as CSV, the chart as PNG and SVG.
    `difference`: the values are differences (shares are then in percentage points).
    `colours`: each scenario label's colour (`scenario_colours`), so a scenario keeps its colour."""
    c = chart_spec(data, kind, unit, x, color, x_title, x_sort, height, difference, colours)
    st.altair_chart(c, width="stretch")
    cols = csv_columns(data)
    downloads(c, with_labels(data[cols]), name, key)


def chart_spec(
    data: pd.DataFrame,
    kind: str,
    unit: str,
    x: str = "year",
    color: str = "scenario",
    x_title: str | None = None,
    x_sort: list[str] | None = None,
    height: int = 320,
    difference: bool = False,
    colours: dict[str, str] | None = None,
) -> alt.TopLevelMixin:
    """The Altair chart `chart` draws (see there), in the language in use."""
    factor, unit_label = fmt.scale(unit, lang())
    if difference and unit == "share":
        unit_label = T("percentage_points")
    plot = data.copy()
    for c in ("value", "low", "high"):
        if c in plot:
            plot[f"_{c}"] = plot[c] * factor
    if "group" in plot:
        plot["_group"] = plot.group.map(group_label)
    y = alt.Y("_value:Q", title=unit_label or None)
    scale = alt.Undefined
    if colours and color == "scenario":
        shown = [lb for lb in colours if lb in set(plot.scenario)]
        scale = alt.Scale(domain=shown, range=[colours[lb] for lb in shown])
    col = alt.Color(
        f"{color}:N",
        title=T("scenario") if color == "scenario" else None,
        legend=alt.Legend(orient="bottom", labelLimit=400),
        scale=scale,
    )
    tooltip = [
        alt.Tooltip(f"{color}:N", title=T("scenario")),
        alt.Tooltip(f"{x}:{'Q' if x == 'year' else 'N'}", title=x_title or T("year")),
        alt.Tooltip("_value:Q", title=unit_label or T("value"), format=",.2f"),
    ]
    if kind == "line":
        base = alt.Chart(plot).encode(
            x=alt.X(
                "year:Q",
                title=T("year"),
                axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(zero=False),
            ),
            color=col,
        )
        layers = []
        if "seeds" in plot and (plot["seeds"] > 1).any() and plot["_low"].notna().any():
            # the band: pale, filled by its own channel and out of the legend (which shows the
            # lines, in full colour); the same colours, from the same domain
            band = alt.Fill(f"{color}:N", scale=scale, legend=None)
            layers.append(
                alt.Chart(plot)
                .mark_area(opacity=0.18)
                .encode(x=base.encoding.x, y=alt.Y("_low:Q"), y2="_high:Q", fill=band)
            )
        layers.append(base.mark_line(point=True).encode(y=y.scale(zero=False), tooltip=tooltip))
        c = alt.layer(*layers).resolve_legend(color="independent", fill="independent")
    elif kind == "bar":
        xs = alt.X(
            f"{x}:N", title=x_title, sort=x_sort, axis=alt.Axis(labelAngle=0, labelLimit=160)
        )
        c = (
            alt.Chart(plot)
            .mark_bar()
            .encode(x=xs, xOffset=alt.XOffset(f"{color}:N"), y=y, color=col, tooltip=tooltip)
        )
        if "seeds" in plot and (plot["seeds"] > 1).any() and plot["_low"].notna().any():
            c = c + alt.Chart(plot).mark_rule().encode(
                x=xs, xOffset=alt.XOffset(f"{color}:N"), y="_low:Q", y2="_high:Q"
            )
    else:  # "barh": one bar per category and scenario, categories down the side
        ys = alt.Y(f"{x}:N", title=None, sort=x_sort, axis=alt.Axis(labelLimit=220))
        xq = alt.X("_value:Q", title=unit_label or None)
        c = (
            alt.Chart(plot)
            .mark_bar()
            .encode(y=ys, yOffset=alt.YOffset(f"{color}:N"), x=xq, color=col, tooltip=tooltip)
        )
        if "seeds" in plot and (plot["seeds"] > 1).any() and plot["_low"].notna().any():
            c = c + alt.Chart(plot).mark_rule().encode(
                y=ys, yOffset=alt.YOffset(f"{color}:N"), x="_low:Q", x2="_high:Q"
            )
    return c.properties(height=height)


IMAGE_WIDTH = 760  # pixels: the width of a downloaded chart (the page's charts fill their column)


def image_bytes(c: alt.TopLevelMixin, kind: str) -> bytes:
    """A chart as an image file, drawn by vl-convert (no browser): "svg" (text, UTF-8) or "png"
    (twice the pixels, for print), IMAGE_WIDTH wide, with the fonts installed on the machine."""
    import vl_convert

    spec = c.properties(width=IMAGE_WIDTH).to_dict()
    if kind == "svg":
        return vl_convert.vegalite_to_svg(spec).encode("utf-8")
    return vl_convert.vegalite_to_png(spec, scale=2)


def image_download(c: alt.TopLevelMixin, name: str, key: str, kind: str) -> None:
    """A button that downloads the chart as PNG or SVG, drawn only when it is clicked."""
    st.download_button(
        T(f"download_{kind}"),
        lambda: image_bytes(c, kind),
        file_name=f"{name}.{kind}",
        mime="image/svg+xml" if kind == "svg" else "image/png",
        key=f"{kind}_{key}",
        icon=":material/image:",
    )


def downloads(c: alt.TopLevelMixin, data: pd.DataFrame, name: str, key: str) -> None:
    """A chart's downloads side by side: its data as CSV, the chart as PNG and as SVG."""
    with st.container(horizontal=True):
        csv_download(data, name, key)
        image_download(c, name, key, "png")
        image_download(c, name, key, "svg")


def payer_label(group: str) -> str:
    """A payer's name; a measure's total over payers is ``all_payers``."""
    return T("col.all_payers") if group == "all_payers" else group_label(group)


def parameter_uncertainty(samples: pd.DataFrame, spec: dict) -> pd.DataFrame:
    """Each output of a sensitivity experiment over its parameter draws (every design point of
    samples.csv): the median and the central 95% (2.5th to 97.5th percentile), and the
    parameters drawn with their ranges. Numbers as in the experiment's outputs (their units)."""
    params = spec.get("parameters", {})
    ranges = "; ".join(
        f"{param_label(n)} {b['range'][0]:g}-{b['range'][1]:g}" for n, b in params.items()
    )
    rows = []
    for o in spec.get("outputs", []):
        y = samples[o["name"]].dropna()
        rows.append(
            {
                T("col.output"): o["name"],
                T("col.median"): y.median(),
                T("col.low"): y.quantile(0.025),
                T("col.high"): y.quantile(0.975),
                T("col.draws"): len(y),
                T("col.parameters"): ranges,
            }
        )
    return pd.DataFrame(rows)


def card_inputs(cards: list) -> None:
    """Under the cards: the main inputs each depends on, each a link to its sources (the Sources
    page searched for the parameter)."""
    from urllib.parse import quote

    from app.catalogue import CARD_INPUTS

    sep, colon = ("、", "：") if lang() == "zh" else (", ", ": ")
    with st.expander(T("cards.inputs"), icon=":material/link:"):
        for c in cards:
            names = CARD_INPUTS.get(c.key, ())
            links = sep.join(
                f"[{param_label(n)}](sources?q={quote(n)}&lang={lang()})" for n in names
            )
            if links:
                st.markdown(f"**{T(f'card.{c.key}')}**{colon}{links}")


def winners_table(reference: pd.DataFrame, reform: pd.DataFrame) -> pd.DataFrame:
    """Shows the winners and losers of `reform` against `reference` (`model.gains`: the same
    households in both runs), for everyone, by residence and by income decile; returns the
    numbers shown (shares 0-1, yuan/person/year, percent) for the CSV."""
    from model.gains import winners_and_losers

    data = pd.concat(
        [winners_and_losers(reference, reform, by) for by in ("all", "residence", "decile")],
        ignore_index=True,
    )
    shown = pd.DataFrame({T("group"): data.group.map(group_label)})
    columns = {
        "households_better": ("col.better", "%.1f%%", 100),
        "households_worse": ("col.worse", "%.1f%%", 100),
        "households_unchanged": ("col.unchanged", "%.1f%%", 100),
        "persons_better": ("col.persons_better", "%.1f%%", 100),
        "gain_per_person": ("col.gain_per_person", "%+.0f", 1),
        "gain_pct_of_income": ("col.gain_pct", "%+.2f%%", 1),
    }
    config = {}
    for column, (label, number_format, factor) in columns.items():
        shown[T(label)] = data[column].to_numpy() * factor
        config[T(label)] = st.column_config.NumberColumn(T(label), format=number_format)
    st.dataframe(
        shown, hide_index=True, width="stretch", key="compare_winners", column_config=config
    )
    return data


def cost_table(costs: pd.DataFrame, key: str, unit: str = "yuan/year") -> None:
    """A table of costs (tidy numbers from `tables.cost_by_measure` or the plan-period totals):
    numbers stay numbers (sorted as numbers), shown in 亿元 (billion yuan) with two decimals.
    unit: "yuan/year" (one year's costs) or "yuan" (a period's totals)."""
    factor, unit_label = fmt.scale("yuan/year", lang())
    if unit == "yuan":
        unit_label = T("unit.period_yuan")
    shown = pd.DataFrame(
        {
            T("col.measure"): costs.metric.map(cost_measure_label),
            T("col.payer"): costs.group.map(payer_label),
        }
    )
    config = {}
    values = [c for c in costs.columns if c not in ("metric", "group")]
    # the changes first (the rows are sorted by them), then each scenario's level
    for c in sorted(values, key=lambda c: " − " not in str(c)):
        name = f"{c}（{unit_label}）" if lang() == "zh" else f"{c} ({unit_label})"
        shown[name] = costs[c].to_numpy() * factor
        fmt_str = "%+.2f" if " − " in str(c) else "%.2f"
        config[name] = st.column_config.NumberColumn(name, format=fmt_str)
    st.dataframe(shown, hide_index=True, width="stretch", key=key, column_config=config)


def interval_text(low: float, high: float, unit: str, signed: bool) -> str | None:
    """The 95% interval as the cards show it, e.g. "95%区间（抽样不确定性）：+1.2 至 +1.6个百分点";
    None when there is no interval (one replication)."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return None
    f = fmt.delta if signed else fmt.value
    return T("card_interval", low=f(low, unit, lang()), high=f(high, unit, lang()))


def card_parts(e: dict) -> tuple[str, str | None, str | None]:
    """What one card shows: (value, delta, the interval line under them). A "gain" card shows
    the change as its value and the change's interval; a level card its value and change, and
    the change's interval (the value's when it is the reference)."""
    lg = lang()
    if e["card"].kind == "gain":
        return (
            fmt.delta(e["delta"], e["unit"], lg),
            None,
            interval_text(e["delta_low"], e["delta_high"], e["unit"], signed=True),
        )
    value = fmt.value(e["value"], e["unit"], lg)
    if e["delta"] is None:
        return value, None, interval_text(e["low"], e["high"], e["unit"], signed=False)
    return (
        value,
        fmt.delta(e["delta"], e["unit"], lg),
        interval_text(e["delta_low"], e["delta_high"], e["unit"], signed=True),
    )


def cards(entries: list[dict], reference_label: str, per_row: int = CARDS_PER_ROW) -> None:
    """Headline cards: value in the chosen year and change from the reference scenario, with
    the 95% interval (sampling uncertainty over the replications) under each when there are
    several replications."""
    rows = [entries[i : i + per_row] for i in range(0, len(entries), per_row)]
    for row in rows:
        cols = st.columns(per_row)
        for col, e in zip(cols, row):
            card: Card = e["card"]
            value, delta, interval = card_parts(e)
            colour = {"up": "normal", "down": "inverse", "neutral": "off"}[card.good]
            help_text = T(f"card_help.{card.key}") if i18n.has(f"card_help.{card.key}") else None
            if e["delta"] is not None:
                extra = T("card_vs", ref=reference_label)
                if e["seeds"] > 1:
                    extra += " " + T("card_replications", n=e["seeds"])
                help_text = f"{help_text} {extra}" if help_text else extra
            with col, st.container(border=True, height="stretch"):
                st.metric(
                    T(f"card.{card.key}"),
                    value,
                    delta,
                    delta_color=colour,
                    help=help_text,
                )
                if interval is not None:  # under the number, in full (it wraps)
                    st.caption(interval)


def problems(items: list[scenario_io.Problem]) -> None:
    """Show what is wrong with a file, one sentence per problem in the page's language
    (app/messages.py: the parameter by its label, and what to do)."""
    from app import messages

    lines = [messages.line(m, lang()) for m in messages.explain_all(items, lang())]
    st.error(T("upload_invalid", n=len(items)) + "\n\n" + "\n".join(f"- {line}" for line in lines))


def upload_box(key: str) -> str | None:
    """A file uploader for scenario YAML: valid files become options, problems are explained."""
    from app import engine

    f = st.file_uploader(T("upload_label"), type=["yaml", "yml"], key=key, help=T("upload_help"))
    if f is None:
        return None
    option, found = engine.add_upload(f.name, f.getvalue())
    if found:
        problems(found)
        return None
    st.success(T("upload_ok", name=engine.load(option).name))
    return option
