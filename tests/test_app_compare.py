"""The Compare page, second pass: the cost table, intervals, batch results, plan-period totals,
distribution charts, chart images and colours. Driven with Streamlit's AppTest by widget key;
numbers checked against the model's own runs (see tests/test_app_pages.py for the helpers)."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest

from app import fmt, i18n
from model import run_scenario
from tests.test_app_pages import END, N, card, small, start


def interval_of(at, key: str, lang: str = "zh") -> str | None:
    """The interval line under the card `key` (None when the card shows none)."""
    from streamlit.testing.v1.element_tree import Block

    label = i18n.t(f"card.{key}", lang)

    def boxes(node):
        if isinstance(node, Block):
            yield node
            for child in node.children.values():
                yield from boxes(child)

    for box in boxes(at._tree):
        kids = list(box.children.values())
        if any(getattr(k, "type", None) == "metric" and k.label == label for k in kids):
            captions = [k.value for k in kids if getattr(k, "type", None) == "caption"]
            return captions[0] if captions else None
    raise AssertionError(f"no card {label}")


def charts(at) -> list[tuple[dict, pd.DataFrame]]:
    """Every chart of the page: its Vega-Lite spec and the data it draws."""
    import json

    import pyarrow as pa

    out = []
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        data = [pa.ipc.open_stream(d.data.data).read_pandas() for d in c.proto.datasets]
        out.append((spec, pd.concat(data, ignore_index=True) if data else pd.DataFrame()))
    return out


def chart_of(at, metric: str) -> tuple[dict, pd.DataFrame]:
    """The one chart that draws `metric` (and nothing else) over the years."""
    found = [
        (spec, d)
        for spec, d in charts(at)
        if "metric" in d and set(d.metric) == {metric} and d.year.nunique() > 1
    ]
    assert len(found) == 1, f"{metric}: {len(found)} charts"
    return found[0]


def costs_table(at, lang: str = "zh") -> pd.DataFrame:
    """The cost-by-measure table as the page passes it to st.dataframe."""
    payer = i18n.t("col.payer", lang)
    return next(d.value for d in at.dataframe if payer in d.value.columns and len(d.value) > 5)


def test_cost_table_opens_ranked_by_the_size_of_the_change(baseline, opinions):
    """The rows a reader sees first are the model's largest changes (in 亿元, as numbers), in
    descending order of their size."""
    at = start()
    small(at, "compare")
    at.number_input(key="compare_seeds").set_value(1).run()
    assert not at.exception, at.exception
    table = costs_table(at)
    diff = next(c for c in table.columns if " − " in c)
    assert table[diff].dtype.kind == "f"  # numbers, so sorting the column sorts numbers
    everything = i18n.cost_measure_label("cost.all", "zh")
    measures = table[table.iloc[:, 0] != everything]
    sizes = measures[diff].abs().tolist()
    assert sizes == sorted(sizes, reverse=True)
    # every measure together comes last, in the same order
    assert (table.iloc[len(measures) :, 0] == everything).all()
    tail = table.iloc[len(measures) :][diff].abs().tolist()
    assert tail == sorted(tail, reverse=True) and len(tail) >= 5
    # the model's own largest change, by payer or over all payers
    a = run_scenario(baseline, households=N, end_year=END).frame
    b = run_scenario(opinions, households=N, end_year=END, seed=baseline.run.seed).frame
    payers = ["central", "local", "individuals", "insurance_fund", "employers"]

    def costs(f):
        sel = f[f.metric.str.startswith("cost.") & (f.metric != "cost.all") & (f.year == 2030)]
        by = sel.set_index(["metric", "group"]).value
        tot = sel[sel.group.isin(payers)].groupby("metric").value.sum()
        tot.index = pd.MultiIndex.from_product([tot.index, ["all_payers"]])
        return pd.concat([by, tot])

    change = (costs(b) - costs(a)).dropna()
    (metric, group), top = max(change.items(), key=lambda kv: abs(kv[1]))
    first = table.iloc[0]
    assert first.iloc[0] == i18n.cost_measure_label(metric, "zh")
    payer = (
        i18n.t("col.all_payers", "zh") if group == "all_payers" else i18n.group_label(group, "zh")
    )
    assert first.iloc[1] == payer
    assert first[diff] == pytest.approx(top / 1e8)


T975_2 = 4.302653  # t(0.975, 2 degrees of freedom), from a t table


def test_three_replications_by_default_and_the_cards_interval_is_the_t_interval(baseline, opinions):
    """By default three replications with seeds s, s+1, s+2 for both scenarios; the card's value
    is the mean of the three runs and its interval mean ± t(0.975, 2)·sd/√3 of the paired
    differences, computed here by hand from the three pairs of runs."""
    at = start()
    small(at, "compare")
    assert at.number_input(key="compare_seeds").value == 3
    s = baseline.run.seed
    pairs = [
        (
            run_scenario(baseline, households=N, end_year=END, seed=s + i),
            run_scenario(opinions, households=N, end_year=END, seed=s + i),
        )
        for i in range(3)
    ]
    for key, metric, group, unit in [
        ("medical_coverage", "medical_coverage", "all", "share"),
        ("cost_central", "cost.all", "central", "yuan/year"),
    ]:
        levels = [b.value(metric, 2030, group) for _, b in pairs]
        diffs = [b.value(metric, 2030, group) - a.value(metric, 2030, group) for a, b in pairs]
        mean, sd = sum(diffs) / 3, statistics.stdev(diffs)
        half = T975_2 * sd / 3**0.5
        c = card(at, key)
        assert c.value == fmt.value(sum(levels) / 3, unit, "zh")
        assert c.delta == fmt.delta(mean, unit, "zh")
        assert interval_of(at, key) == i18n.t(
            "card_interval",
            "zh",
            low=fmt.delta(mean - half, unit, "zh"),
            high=fmt.delta(mean + half, unit, "zh"),
        ), key
    # a gain card: the change is the value, its interval beside it
    gains = [b.value("medical_insured", 2030) - a.value("medical_insured", 2030) for a, b in pairs]
    g_mean, g_half = sum(gains) / 3, T975_2 * statistics.stdev(gains) / 3**0.5
    gain = card(at, "newly_medical")
    assert gain.value == fmt.delta(g_mean, "persons", "zh")
    assert not gain.delta
    assert interval_of(at, "newly_medical") == i18n.t(
        "card_interval",
        "zh",
        low=fmt.delta(g_mean - g_half, "persons", "zh"),
        high=fmt.delta(g_mean + g_half, "persons", "zh"),
    )
    note = i18n.t("compare.interval_note", "zh", n=3, seeds=f"{s}, {s + 1}, {s + 2}")
    assert note in [x.value for x in at.caption]
    # one replication: no interval
    at.number_input(key="compare_seeds").set_value(1).run()
    assert interval_of(at, "medical_coverage") is None


@pytest.fixture(scope="module")
def tiny_batch(tmp_path_factory):
    """A batch made by the project's own batch function: the baseline and the Opinions, three
    replications of 2,000 households to 2027, in a results folder of its own."""
    from minsheng.batch import run_batch
    from minsheng.executors import LocalExecutor
    from minsheng.experiment import load_experiment
    from tests.conftest import SCENARIOS

    tmp = tmp_path_factory.mktemp("batch")
    path = tmp / "tiny.yaml"
    path.write_text(
        f"name: tiny\ntitle: a tiny batch\nbaseline: {SCENARIOS / 'baseline.yaml'}\n"
        f"scenarios: [{SCENARIOS / 'opinions_2025.yaml'}]\n"
        "run: {households: 2000, end_year: 2027, seed: 7}\nreplications: 3\n",
        encoding="utf-8",
    )
    outcome = run_batch(
        load_experiment(path), tmp / "results", LocalExecutor(1), log=lambda m: None
    )
    return tmp / "results", outcome


def test_a_batch_is_offered_and_its_cards_show_the_replications_intervals(tiny_batch, monkeypatch):
    """Each arm of a batch is an option; its cards show the mean over the batch's replications
    and the 95% interval of the paired differences: the batch's own summary.csv numbers."""
    results, outcome = tiny_batch
    monkeypatch.setenv("MINSHENG_RESULTS", str(results))
    at = start()
    options = at.multiselect(key="compare_scenarios").options
    names = {
        k: i18n.t("batch_option", "zh", experiment="tiny", name=i18n.scenario_label(k, "zh"))
        for k in ("baseline.yaml", "opinions_2025.yaml")
    }
    assert set(names.values()) <= set(options)
    at.multiselect(key="compare_scenarios").set_value(
        ["batch:tiny/baseline", "batch:tiny/opinions_2025"]
    ).run()
    assert not at.exception, at.exception
    assert at.select_slider(key="compare_year").value == 2027
    summary = pd.read_csv(results / "tiny" / "batch" / "summary.csv")
    for key, metric, group, unit in [
        ("medical_coverage", "medical_coverage", "all", "share"),
        ("cost_central", "cost.all", "central", "yuan/year"),
    ]:
        row = summary[
            (summary.scenario == "opinions_2025")
            & (summary.metric == metric)
            & (summary.group == group)
            & (summary.year == 2027)
        ].iloc[0]
        assert row.replications == 3
        c = card(at, key)
        assert c.value == fmt.value(row["mean"], unit, "zh")
        assert c.delta == fmt.delta(row.diff_mean, unit, "zh")
        assert interval_of(at, key) == i18n.t(
            "card_interval",
            "zh",
            low=fmt.delta(row.diff_ci_low, unit, "zh"),
            high=fmt.delta(row.diff_ci_high, unit, "zh"),
        ), key
    assert any(x.value == i18n.t("band_note", "zh", n=3) for x in at.caption)


def period_table(at, lang: str = "zh") -> pd.DataFrame:
    """The plan-period cost table (its amounts in 亿元, not 亿元/年)."""
    unit = i18n.t("unit.period_yuan", lang)
    payer = i18n.t("col.payer", lang)
    return next(
        d.value
        for d in at.dataframe
        if payer in d.value.columns and any(c.endswith(f"（{unit}）") for c in d.value.columns)
    )


def test_plan_period_totals_are_the_sums_of_the_yearly_rows(baseline, opinions):
    """2026-2030 by default; each total is the sum of the model's five yearly costs (nominal);
    in 2024 terms each year is divided by (1 + nominal income growth)^(year - 2024) first."""
    at = start()
    small(at, "compare")
    at.number_input(key="compare_seeds").set_value(1).run()
    assert at.slider(key="compare_period").value == (2026, 2030)
    a = run_scenario(baseline, households=N, end_year=END)
    b = run_scenario(opinions, households=N, end_year=END, seed=baseline.run.seed)
    years = range(2026, 2031)
    table = period_table(at)
    label = i18n.scenario_label("opinions_2025.yaml", "zh")
    col = next(c for c in table.columns if c.startswith(label) and " − " not in c)
    diff = next(c for c in table.columns if " − " in c)

    def row(metric, group):
        measure = table.iloc[:, 0] == i18n.cost_measure_label(metric, "zh")
        return table[measure & (table.iloc[:, 1] == i18n.group_label(group, "zh"))].iloc[0]

    for metric, group in [("cost.all", "central"), ("cost.dibao", "local")]:
        total = sum(b.value(metric, y, group) for y in years)
        change = total - sum(a.value(metric, y, group) for y in years)
        r = row(metric, group)
        assert r[col] == pytest.approx(total / 1e8, rel=1e-12)
        assert r[diff] == pytest.approx(change / 1e8, rel=1e-12)
    # in 2024 terms: the baseline's nominal income growth, 4.99% a year
    g = baseline.value("income.nominal_growth", 2024)
    assert g == pytest.approx(0.0499)
    at.toggle(key="compare_period_real").set_value(True).run()
    assert not at.exception, at.exception
    table = period_table(at)
    real = sum(b.value("cost.all", y, "central") / (1 + g) ** (y - 2024) for y in years)
    assert row("cost.all", "central")[col] == pytest.approx(real / 1e8, rel=1e-12)
    # a shorter period: 2027-2028 only
    at.slider(key="compare_period").set_value((2027, 2028))
    at.toggle(key="compare_period_real").set_value(False).run()
    table = period_table(at)
    two = sum(b.value("cost.all", y, "central") for y in (2027, 2028))
    assert row("cost.all", "central")[col] == pytest.approx(two / 1e8, rel=1e-12)


def test_gain_as_a_share_of_income_by_province_and_for_the_nation():
    """Sichuan gains 200 yuan on an income of 10,000 (2%), Gansu 50 on 5,000 (1%); the nation
    weighs them by population: (200·1m + 50·3m) / (10,000·1m + 5,000·3m) = 1.4%."""
    from app import gains

    def frame(nb_sichuan, nb_gansu):
        rows = []
        for prov, nb, inc, pop in (
            ("sichuan", nb_sichuan, 10_000.0, 1e6),
            ("gansu", nb_gansu, 5_000.0, 3e6),
        ):
            g = f"province_{prov}"
            rows += [
                (1, 2030, g, "net_benefit", nb, "yuan/person/year"),
                (1, 2030, g, "disposable_income_mean", inc, "yuan/person/year"),
                (1, 2030, g, "population", pop, "persons"),
            ]
        return pd.DataFrame(rows, columns=["seed", "year", "group", "metric", "value", "unit"])

    d = gains.gain_share_of_income({"A": frame(100, 50), "B": frame(300, 100)}, "A", 2030)
    assert list(d.group) == ["all", "province_sichuan", "province_gansu"]
    assert list(d.value) == pytest.approx([0.014, 0.02, 0.01])
    assert set(d.unit) == {"share"} and set(d.scenario) == {"B"}


def test_the_gains_chart_is_on_the_page():
    at = start()
    small(at, "compare")
    assert "csv_compare_gains" in [b.key for b in at.get("download_button")]
    assert i18n.t("compare.gains", "zh", year=2030) in [s.value for s in at.subheader]


def test_poverty_and_gini_over_the_years_are_the_models_rows(baseline, opinions):
    at = start()
    small(at, "compare")
    at.number_input(key="compare_seeds").set_value(1).run()
    runs = {
        i18n.scenario_label("baseline.yaml", "zh"): run_scenario(
            baseline, households=N, end_year=END
        ),
        i18n.scenario_label("opinions_2025.yaml", "zh"): run_scenario(
            opinions, households=N, end_year=END, seed=baseline.run.seed
        ),
    }
    for metric in ("poverty_rate", "gini_disposable_income"):
        _, data = chart_of(at, metric)
        assert set(data.scenario) == set(runs)
        for label, r in runs.items():
            mine = data[data.scenario == label].set_index("year").value
            assert list(mine.index) == list(range(2024, END + 1))
            assert mine.to_dict() == r.series(metric).to_dict(), (metric, label)


def test_every_chart_downloads_as_csv_png_and_svg():
    at = start()
    small(at, "compare")
    at.number_input(key="compare_seeds").set_value(1).run()
    keys = [b.key for b in at.get("download_button")]
    n_charts = len(at.get("vega_lite_chart"))
    for kind in ("csv", "png", "svg"):
        of_charts = [k for k in keys if k.startswith(f"{kind}_")]
        assert len(of_charts) >= n_charts, kind
    assert len([k for k in keys if k.startswith("svg_")]) == n_charts
    assert {k.removeprefix("svg_") for k in keys if k.startswith("svg_")} == {
        k.removeprefix("png_") for k in keys if k.startswith("png_")
    }


def test_a_chart_as_svg_and_png(base_run, opinions_run):
    """The image files are drawn from the same chart as the page's: an SVG document with the
    scenarios' names in it, and a PNG file."""
    from app import tables, ui

    frames = {"基准": base_run.frame, "意见": opinions_run.frame}
    data = tables.over_years(frames, "medical_coverage", "all")
    c = ui.chart_spec(data, "line", "share")
    svg = ui.image_bytes(c, "svg")
    assert svg.startswith(b"<svg")
    text = svg.decode("utf-8")
    assert "基准" in text and "意见" in text
    assert ui.image_bytes(c, "png").startswith(b"\x89PNG\r\n\x1a\n")


def colour_scale(spec: dict) -> dict[str, str]:
    """A chart's scenario colours: label -> colour, from its Vega-Lite spec."""
    for layer in spec.get("layer", [spec]):
        scale = layer.get("encoding", {}).get("color", {}).get("scale")
        if scale:
            return dict(zip(scale["domain"], scale["range"]))
    raise AssertionError("no colour scale")


def test_a_scenario_keeps_its_colour_across_languages_and_orders():
    """Colours follow the scenario's key: the same in Chinese and English, whichever is the
    reference, first in the list or picked with others."""
    at = start()
    small(at, "compare")
    at.number_input(key="compare_seeds").set_value(1).run()
    medical = "measures/medical_subsidy.yaml"
    pick = ["baseline.yaml", "opinions_2025.yaml", medical]
    at.multiselect(key="compare_scenarios").set_value(pick).run()

    def colours(lang: str) -> dict[str, str]:
        spec, _ = chart_of(at, "medical_coverage")  # the over-years chart opens on it
        by_label = colour_scale(spec)
        return {k: by_label[i18n.scenario_label(k, lang)] for k in pick if k in keys_shown(lang)}

    def keys_shown(lang: str) -> set[str]:
        spec, _ = chart_of(at, "medical_coverage")
        labels = set(colour_scale(spec))
        return {k for k in pick if i18n.scenario_label(k, lang) in labels}

    zh = colours("zh")
    assert set(zh) == set(pick)
    assert zh["baseline.yaml"] == "#6e6e6e" and zh["opinions_2025.yaml"] == "#c8102e"
    assert len(set(zh.values())) == 3
    at.radio(key="lang").set_value("en").run()
    assert colours("en") == zh
    # another order and another reference
    at.multiselect(key="compare_scenarios").set_value([medical, "opinions_2025.yaml"]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="compare_reference").value == medical
    assert colours("en") == {k: zh[k] for k in (medical, "opinions_2025.yaml")}


def test_a_batch_beside_a_run_with_other_seeds_claims_no_paired_interval(tiny_batch, monkeypatch):
    """The batch ran with seeds 7, 8, 9 and the page with the baseline's: the changes cannot be
    paired, so the cards give no interval for them and the page says why."""
    results, _ = tiny_batch
    monkeypatch.setenv("MINSHENG_RESULTS", str(results))
    at = start()
    small(at, "compare")
    at.slider(key="compare_end").set_value(2027)
    at.multiselect(key="compare_scenarios").set_value(
        ["baseline.yaml", "batch:tiny/opinions_2025"]
    ).run()
    assert not at.exception, at.exception
    assert i18n.t("compare.interval_unpaired", "zh") in [c.value for c in at.caption]
    assert card(at, "medical_coverage").delta  # a change, but no interval for it
    assert interval_of(at, "medical_coverage") is None


def test_winners_and_losers_are_the_models_household_by_household(baseline, opinions):
    """The winners-and-losers table of the page's year equals model.gains on the same two runs."""
    from model.gains import winners_and_losers

    at = start()
    small(at, "compare")
    at.number_input(key="compare_seeds").set_value(1).run()
    assert not at.exception, at.exception
    year = at.select_slider(key="compare_year").value
    better = i18n.t("col.better", "zh")
    table = next(d.value for d in at.dataframe if better in d.value.columns)
    seed = baseline.run.seed
    ref, alt = (
        run_scenario(sc, households=N, end_year=year, seed=seed, household_years=[year])
        for sc in (baseline, opinions)
    )
    want = winners_and_losers(ref.households_by_year[year], alt.households_by_year[year], "decile")
    shown = table.iloc[-10:]  # the deciles come last
    assert list(shown[i18n.t("group", "zh")]) == [
        i18n.group_label(f"decile_{d}", "zh") for d in range(1, 11)
    ]
    assert shown[better].to_numpy() == pytest.approx(100 * want.households_better.to_numpy())
    gain = shown[i18n.t("col.gain_per_person", "zh")].to_numpy()
    assert gain == pytest.approx(want.gain_per_person.to_numpy())


def test_parameter_uncertainty_from_a_stored_sensitivity_analysis(tmp_path, monkeypatch):
    """With a sensitivity experiment's samples in the results folder, the switch shows each
    output's median and central 95% over the parameter draws: numbers a reader can check."""
    folder = tmp_path / "sens" / "sensitivity"
    folder.mkdir(parents=True)
    draws = pd.DataFrame(
        {
            "method": "sobol",
            "point": range(41),
            "dibao.takeup_rural": [0.5 + 0.01 * i for i in range(41)],
            "coverage_gain_2030": [0.001 * i for i in range(41)],  # 0 to 0.04
        }
    )
    draws.to_csv(folder / "samples.csv", index=False)
    (folder / "experiment.yaml").write_text(
        "name: sens\nsensitivity:\n  parameters:\n    dibao.takeup_rural: {range: [0.5, 0.9]}\n"
        "  outputs:\n    - {name: coverage_gain_2030, metric: medical_coverage}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("MINSHENG_RESULTS", str(tmp_path))
    at = start()
    small(at, "compare")
    at.number_input(key="compare_seeds").set_value(1).run()
    at.toggle(key="compare_param_uncertainty").set_value(True).run()
    assert not at.exception, at.exception
    median = i18n.t("col.median", "zh")
    table = next(d.value for d in at.dataframe if median in d.value.columns)
    row = table.iloc[0]
    assert row[i18n.t("col.output", "zh")] == "coverage_gain_2030"
    assert row[median] == pytest.approx(0.02)
    assert row[i18n.t("col.low", "zh")] == pytest.approx(0.001)  # 2.5th percentile of 0..0.04
    assert row[i18n.t("col.high", "zh")] == pytest.approx(0.039)
    assert row[i18n.t("col.draws", "zh")] == 41
    assert "0.5-0.9" in row[i18n.t("col.parameters", "zh")]


def test_cards_link_to_the_sources_of_their_inputs():
    """Every input a card names is a parameter of the registry, and its link opens the Sources
    page searched for it (which then lists that parameter)."""
    from app.catalogue import CARD_INPUTS, HEADLINE_CARDS
    from model.registry import REGISTRY

    assert {c.key for c in HEADLINE_CARDS} <= set(CARD_INPUTS)
    assert {n for names in CARD_INPUTS.values() for n in names} <= set(REGISTRY)
    at = start()
    small(at, "compare")
    at.number_input(key="compare_seeds").set_value(1).run()
    links = " ".join(m.value for m in at.markdown)
    assert "(sources?q=medical.resident_subsidy&lang=zh)" in links
    at.query_params["q"] = "medical.resident_subsidy"
    at.switch_page("views/sources.py").run()
    assert not at.exception, at.exception
    assert at.text_input(key="sources_search").value == "medical.resident_subsidy"
