"""Drawing helpers shared by the pages: labels in the chosen language, cards, charts with CSV.

Every chart is drawn by `chart()`, which puts a CSV download of exactly the charted data under it.
"""

from __future__ import annotations

import re
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


def fmt_scenario(scenarios: dict[str, Scenario]) -> Callable[[str], str]:
    lg = lang()
    return lambda k: i18n.scenario_label(
        k, lg, title=scenarios[k].title if k in scenarios else None
    )


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
    return i18n.scenario_label(key, lang(), title=scenario.title if scenario is not None else None)


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
) -> None:
    """Draw a line ("line", with a band where several seeds give a range) or grouped bar ("bar")
    chart of `data` (tidy: value, low, high in the model's unit), then its CSV download.
    `difference`: the values are differences (shares are then in percentage points)."""
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
    col = alt.Color(
        f"{color}:N",
        title=T("scenario") if color == "scenario" else None,
        legend=alt.Legend(orient="bottom", labelLimit=400),
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
            layers.append(base.mark_area(opacity=0.18).encode(y=alt.Y("_low:Q"), y2="_high:Q"))
        layers.append(base.mark_line(point=True).encode(y=y.scale(zero=False), tooltip=tooltip))
        c = alt.layer(*layers)
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
    st.altair_chart(c.properties(height=height), width="stretch")
    cols = csv_columns(data)
    csv_download(with_labels(data[cols]), name, key)


def cards(entries: list[dict], reference_label: str, per_row: int = CARDS_PER_ROW) -> None:
    """Headline cards: value in the chosen year and change from the reference scenario."""
    lg = lang()
    rows = [entries[i : i + per_row] for i in range(0, len(entries), per_row)]
    for row in rows:
        cols = st.columns(per_row)
        for col, e in zip(cols, row):
            card: Card = e["card"]
            if card.kind == "gain":
                value, delta = fmt.delta(e["delta"], e["unit"], lg), None
            else:
                value = fmt.value(e["value"], e["unit"], lg)
                delta = None if e["delta"] is None else fmt.delta(e["delta"], e["unit"], lg)
            colour = {"up": "normal", "down": "inverse", "neutral": "off"}[card.good]
            help_text = T(f"card_help.{card.key}") if i18n.has(f"card_help.{card.key}") else None
            if e["delta"] is not None:
                extra = T("card_vs", ref=reference_label)
                if e["seeds"] > 1:
                    extra += " " + T(
                        "card_range",
                        n=e["seeds"],
                        low=fmt.delta(e["delta_low"], e["unit"], lg),
                        high=fmt.delta(e["delta_high"], e["unit"], lg),
                    )
                help_text = f"{help_text} {extra}" if help_text else extra
            with col:
                st.metric(
                    T(f"card.{card.key}"),
                    value,
                    delta,
                    delta_color=colour,
                    help=help_text,
                    border=True,
                    height="stretch",
                )


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
