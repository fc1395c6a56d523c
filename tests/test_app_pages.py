"""Every page of the app, driven by widget keys with Streamlit's AppTest; numbers checked against the model.

The displayed numbers must be exactly what `run_scenario` gives for the same scenario, sample,
years and seed, formatted as the app formats them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import fmt, i18n, scenario_io
from app.catalogue import SERVICE_DEFAULT
from minsheng.report import PROVINCE_HEADLINES
from model import run_scenario
from model.provinces import PROVINCES
from tests.conftest import ROOT

MAIN = str(ROOT / "app" / "main.py")
N = 5_000  # households in the app's runs here (the app's smallest choice)
END = 2030


def start(page: str | None = None, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=120)
    for prefix in ("compare", "adjust"):  # small runs from the first one on
        at.session_state[f"{prefix}_households"] = N
        at.session_state[f"{prefix}_end"] = END
    at.run()
    assert not at.exception, at.exception
    if lang != "zh":
        at.radio(key="lang").set_value(lang).run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def card(at: AppTest, key: str, lang: str = "zh", tab: int = 0):
    """The card `key`; on the Adjust page after an edit, tab 0 compares with the reference and
    tab 1 with the starting scenario."""
    label = i18n.t(f"card.{key}", lang)
    found = [m for m in at.metric if m.label == label]
    assert len(found) in (1, 2), f"{label}: {[m.label for m in at.metric]}"
    return found[tab]


def small(at: AppTest, prefix: str) -> None:
    at.select_slider(key=f"{prefix}_households").set_value(N)
    at.slider(key=f"{prefix}_end").set_value(END)
    at.run()
    assert not at.exception, at.exception


def chrome(at: AppTest) -> list[str]:
    """The labels a person reads as the page's own words (not data such as quotes or tables)."""
    out = [e.value for e in (*at.title, *at.header, *at.subheader)]
    for kind in (
        "selectbox",
        "multiselect",
        "select_slider",
        "slider",
        "number_input",
        "toggle",
        "radio",
        "text_input",
        "button",
        "download_button",
        "file_uploader",
        "expander",
        "tab",
    ):
        out += [e.label for e in at.get(kind) if e.key != "lang"]
    out += [m.label for m in at.metric]
    return out


# ------------------------------------------------------------------ compare


def test_compare_cards_equal_the_model(baseline, opinions):
    at = start()
    small(at, "compare")
    assert at.multiselect(key="compare_scenarios").value == ["baseline.yaml", "opinions_2025.yaml"]
    assert at.select_slider(key="compare_year").value == 2030
    a = run_scenario(baseline, households=N, end_year=END)
    b = run_scenario(opinions, households=N, end_year=END, seed=baseline.run.seed)
    for key, metric, group, unit in [
        ("medical_coverage", "medical_coverage", "all", "share"),
        ("cost_central", "cost.all", "central", "yuan/year"),
        ("dibao", "dibao_recipients", "all", "persons"),
    ]:
        va, vb = a.value(metric, 2030, group), b.value(metric, 2030, group)
        c = card(at, key)
        assert (c.value, c.delta) == (fmt.value(vb, unit, "zh"), fmt.delta(vb - va, unit, "zh")), (
            key
        )
    gain = card(at, "newly_medical")
    assert gain.value == fmt.delta(
        b.value("medical_insured", 2030) - a.value("medical_insured", 2030), "persons", "zh"
    )
    # the providers' cards: childcare enrolment and nursing beds
    for key, metric, unit in [
        ("childcare_enrolment", "childcare_enrolment_rate", "share"),
        ("nursing_beds", "elderly_nursing_beds", "beds"),
    ]:
        va, vb = a.value(metric, 2030), b.value(metric, 2030)
        assert (card(at, key).value, card(at, key).delta) == (
            fmt.value(vb, unit, "zh"),
            fmt.delta(vb - va, unit, "zh"),
        ), key


def test_compare_every_chart_can_be_downloaded():
    at = start()
    small(at, "compare")
    charts = at.get("vega_lite_chart")
    csv = [b.key for b in at.get("download_button") if b.key.startswith("csv_")]
    services = [f"csv_compare_service_{m}" for m in SERVICE_DEFAULT]
    assert len(charts) == 7 + len(services)  # the map, six charts, the services'
    assert {
        "csv_compare_gains",
        "csv_compare_poverty",
        "csv_compare_gini",
        "csv_compare_map",
        "csv_compare_over_years",
        "csv_compare_by_group",
        "csv_compare_deciles",
        *services,
    } <= set(csv)
    assert {"csv_compare_table", "csv_compare_costs"} <= set(csv)


def test_compare_one_province_shows_its_own_figures(baseline, opinions):
    """Sichuan's cards and headline table are the model's rows for group province_sichuan."""
    at = start()
    small(at, "compare")
    at.selectbox(key="compare_province").set_value("sichuan").run()
    assert not at.exception, at.exception
    a = run_scenario(baseline, households=N, end_year=END)
    b = run_scenario(opinions, households=N, end_year=END, seed=baseline.run.seed)
    g = "province_sichuan"
    for key, metric, unit in [
        ("dibao", "dibao_recipients", "persons"),
        ("prov_government", "spending.government", "yuan/year"),
        ("prov_dibao_urban", "dibao_standard_urban", "yuan/person/month"),
    ]:
        va, vb = a.value(metric, 2030, g), b.value(metric, 2030, g)
        c = card(at, key)
        assert (c.value, c.delta) == (fmt.value(vb, unit, "zh"), fmt.delta(vb - va, unit, "zh"))
    table = next(d for d in at.dataframe if i18n.t("col.indicator", "zh") in d.value.columns)
    assert len(table.value) == len(PROVINCE_HEADLINES)
    assert i18n.t("compare.province_note", "zh") in [c.value for c in at.caption]
    # national again
    at.selectbox(key="compare_province").set_value("national").run()
    assert card(at, "medical_coverage").value == fmt.value(
        b.value("medical_coverage", 2030), "share", "zh"
    )


def test_compare_map_ranks_provinces_by_the_models_numbers(baseline, opinions):
    """The map's table: provinces by the package's government cost per resident, largest first,
    and dibao recipients per 1,000 residents as a level."""
    at = start()
    small(at, "compare")
    a = run_scenario(baseline, households=N, end_year=END)
    b = run_scenario(opinions, households=N, end_year=END, seed=baseline.run.seed)
    per = {
        p.key: (
            b.value("spending.government", 2030, f"province_{p.key}")
            - a.value("spending.government", 2030, f"province_{p.key}")
        )
        / a.value("population", 2030, f"province_{p.key}")
        for p in PROVINCES
    }
    top = max(per, key=per.get)
    table = next(d.value for d in at.dataframe if d.value.columns[0] == i18n.t("province", "zh"))
    first = table.iloc[0]
    assert first.iloc[0] == i18n.group_label(f"province_{top}", "zh")
    assert first.iloc[1] == fmt.delta(per[top], "yuan/person/year", "zh")
    at.radio(key="compare_map_view").set_value("level").run()
    at.selectbox(key="compare_map_metric").set_value("dibao_recipients").run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if d.value.columns[0] == i18n.t("province", "zh"))
    assert len(table) == 31
    assert table.iloc[:, 1].str.endswith("人/千人").all()


def test_compare_replications_give_means_and_bands(baseline, opinions):
    at = start()
    small(at, "compare")
    at.number_input(key="compare_seeds").set_value(2).run()
    assert not at.exception
    seeds = [baseline.run.seed, baseline.run.seed + 1]
    vals = [
        run_scenario(opinions, households=N, end_year=END, seed=s).value("medical_coverage", 2030)
        for s in seeds
    ]
    assert card(at, "medical_coverage").value == fmt.value(sum(vals) / 2, "share", "zh")
    assert any(c.value == i18n.t("band_note", "zh", n=2) for c in at.caption)


def test_compare_three_scenarios_in_tabs():
    at = start()
    small(at, "compare")
    at.multiselect(key="compare_scenarios").set_value(
        ["baseline.yaml", "opinions_2025.yaml", "measures/medical_subsidy.yaml"]
    ).run()
    assert not at.exception
    assert [t.label for t in at.tabs] == [
        i18n.scenario_label(k, "zh")
        for k in ("opinions_2025.yaml", "measures/medical_subsidy.yaml")
    ]


def test_compare_by_group_and_deciles_switch_views():
    at = start()
    small(at, "compare")
    at.selectbox(key="compare_group_metric").set_value("pension_coverage")
    at.radio(key="compare_group_view").set_value("level")
    at.selectbox(key="compare_metric").set_value("cost.all")
    at.run()
    assert not at.exception
    assert at.selectbox(key="compare_group").options[0] == i18n.group_label("government", "zh")


def test_upload_a_scenario_and_compare_it(tmp_path):
    at = start()
    small(at, "compare")
    text = (
        b"name: my_subsidy\ntitle: subsidy 900\nextends: baseline.yaml\nparameters:\n  medical.resident_subsidy:\n"
        b"    unit: yuan/person/year\n    values:\n      2025: {value: 900, source: {assumption: 'a planner tries 900 yuan'}}\n"
    )
    at.file_uploader(key="compare_upload").set_value(
        ("my_subsidy.yaml", text, "application/x-yaml")
    ).run()
    assert not at.exception
    assert any("my_subsidy" in s.value for s in at.success)
    assert (
        i18n.scenario_label("upload:my_subsidy", "zh", title="subsidy 900")
        in at.multiselect(key="compare_scenarios").options
    )
    at.multiselect(key="compare_scenarios").set_value(["baseline.yaml", "upload:my_subsidy"]).run()
    assert not at.exception
    assert card(at, "medical_coverage").delta.startswith("+")


def test_a_bad_upload_is_explained_and_not_run(tmp_path):
    at = start()
    marker = tmp_path / "ran"
    at.file_uploader(key="compare_upload").set_value(
        ("bad.yaml", f"!!python/object/apply:os.system ['touch {marker}']\n".encode(), "text/yaml")
    ).run()
    assert not at.exception
    assert (
        len(at.error) == 1
        and "bad.yaml" in at.error[0].value
        and "python/object/apply" in at.error[0].value
    )
    assert not marker.exists()
    bad = (
        b"name: b\ntitle: b\nextends: baseline.yaml\nparameters:\n  dibao.takeup_rural:\n    unit: share\n    values:\n"
        b"      2025: {value: 1.7, source: {assumption: 'out of range on purpose'}}\n"
    )
    at.file_uploader(key="compare_upload").set_value(("bad.yaml", bad, "text/yaml")).run()
    msg = at.error[0].value
    assert (
        "parameters.dibao.takeup_rural.values.2025" in msg
        and "1.7" in msg
        and i18n.t("msg.range", "zh", lo="0.00%", hi="100.00%") in msg
    )
    assert msg.startswith(i18n.t("upload_invalid", "zh", n=1))


# ------------------------------------------------------------------ adjust


def test_adjust_raising_the_medical_subsidy_moves_the_cards_by_the_models_amounts(
    baseline, opinions
):
    at = start("adjust")
    small(at, "adjust")
    assert at.selectbox(key="adjust_base").value == "opinions_2025.yaml"
    assert at.number_input(key="m_medical_resident_subsidy").value == 700
    before = {
        k: (card(at, k).value, card(at, k).delta) for k in ("resident_medical", "cost_government")
    }

    at.number_input(key="m_medical_resident_subsidy").set_value(900).run()
    assert not at.exception
    edited, _ = scenario_io.edit(
        opinions, {"medical.resident_subsidy": 900}, 2025, name="opinions_2025_edited"
    )
    ref = run_scenario(baseline, households=N, end_year=END)
    new = run_scenario(edited, households=N, end_year=END, seed=baseline.run.seed)
    old = run_scenario(opinions, households=N, end_year=END, seed=baseline.run.seed)
    for key, metric, group, unit in [
        ("resident_medical", "medical_insured_resident", "all", "persons"),
        ("cost_government", "cost.all", "government", "yuan/year"),
    ]:
        v, r = new.value(metric, 2030, group), ref.value(metric, 2030, group)
        assert (card(at, key).value, card(at, key).delta) == (
            fmt.value(v, unit, "zh"),
            fmt.delta(v - r, unit, "zh"),
        )
        assert before[key][0] == fmt.value(old.value(metric, 2030, group), unit, "zh")
        assert v > old.value(metric, 2030, group)  # more subsidy: more enrollees, more cost
        # the edit's own effect, against the unedited package
        own = card(at, key, tab=1)
        assert (own.value, own.delta) == (
            fmt.value(v, unit, "zh"),
            fmt.delta(v - old.value(metric, 2030, group), unit, "zh"),
        )
    # the edit's own effect by decile: the edited package minus the unedited one
    from tests.test_app_compare import charts

    deciles = [d for _, d in charts(at) if "decile_name" in d and len(set(d.scenario)) == 1]
    own_deciles = deciles[-1]  # after the chart against the reference
    for row in own_deciles.itertuples():
        change = new.value("net_benefit", 2030, row.group) - old.value(
            "net_benefit", 2030, row.group
        )
        assert row.value == pytest.approx(change), row.group
    # the widget says what it replaced and where that came from
    caption = next(c.value for c in at.caption if "700" in c.value and "补助" in c.value)
    assert i18n.t("adjust.was", "zh", value="700元/人·年") in caption


def test_adjust_shows_each_measures_source_and_resets():
    at = start("adjust")
    small(at, "adjust")
    captions = [c.value for c in at.caption]
    assert any(
        i18n.t("adjust.current", "zh", value="143元/月") in c and "001号文件" in c for c in captions
    )
    at.toggle(key="m_dibao_monitoring_in_force").set_value(False).run()
    assert at.toggle(key="m_dibao_monitoring_in_force").value is False
    assert any(c.value.startswith(i18n.t("adjust.changes", "zh", n=1)) for c in at.caption)
    at.button(key="adjust_reset").click().run()
    assert at.toggle(key="m_dibao_monitoring_in_force").value is True
    assert any(c.value == i18n.t("adjust.no_changes", "zh") for c in at.caption)


def test_adjust_starting_scenario_sets_the_widgets():
    at = start("adjust")
    small(at, "adjust")
    at.selectbox(key="adjust_base").set_value("baseline.yaml").run()
    assert at.number_input(key="m_pension_resident_minimum").value == 143  # current policy in 2025
    assert (
        at.toggle(key="m_hukou_limit_in_force").value is False
    )  # the limit is in force: not lifted
    at.selectbox(key="adjust_base").set_value("opinions_2025.yaml").run()
    assert at.number_input(key="m_pension_resident_minimum").value == 143
    assert at.toggle(key="m_hukou_limit_in_force").value is True


# ------------------------------------------------------------------ sources, about


def test_sources_search_and_calibration(base_run):
    at = start("sources")
    at.selectbox(key="sources_scenario").set_value("opinions_2025.yaml")
    at.text_input(key="sources_search").set_value("700").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "medical.resident_subsidy" in set(table.iloc[:, 0])
    targets = next(
        d.value for d in at.dataframe if i18n.t("col.simulated", "zh") in d.value.columns
    )
    assert len(targets) == len(scenario_io.target_list())
    # every target within its tolerance at the fitted sample and seed, as in calibration/report.md,
    # but the held-out figures marked as known gaps
    gaps = sum(1 for t in scenario_io.target_list() if t.known_gap)
    within = targets[i18n.t("col.within", "zh")]
    assert gaps > 0 and (within == i18n.t("no", "zh")).sum() == gaps
    assert (within == i18n.t("yes", "zh")).sum() == len(targets) - gaps


def test_sources_detail_shows_the_quote_in_its_document():
    at = start("sources")
    at.selectbox(key="sources_scenario").set_value("opinions_2025.yaml")
    at.text_input(key="sources_search").set_value("medical.resident_subsidy 2025").run()
    assert "【城乡居民医保人均财政补助标准再增加30元" in at.text[0].value


def test_about_lists_assumptions_and_how_to_cite():
    at = start("about")
    assert at.title[0].value == i18n.t("about.title", "zh")
    table = at.dataframe[0].value
    assert "dibao.inclusion_error" in set(table.iloc[:, 0])
    assert "0.1.0" in at.code[0].value


# ------------------------------------------------------------------ languages


@pytest.mark.parametrize("page", ["compare", "adjust", "sources", "about"])
def test_no_mixed_languages_on_a_screen(page):
    allowed = {"CSV", "YAML", "SCOPE", "md"}
    at = start(page)
    for text in chrome(at):
        words = set(re.findall(r"[A-Za-z]{2,}", text)) - allowed
        assert not words, f"{page} (zh): {text!r}"
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    for text in chrome(at):
        assert not re.search(r"[\u3400-\u9fff]", text), f"{page} (en): {text!r}"
    assert at.title[0].value == i18n.t(f"page.{page}", "en") or at.title[0].value == i18n.t(
        f"{page}.title", "en"
    )


def test_views_only_draw():
    """Pages call the model through app/engine.py only; no model logic in a page."""
    for f in Path(ROOT / "app" / "views").glob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert "run_scenario" not in text and "MinshengModel" not in text, f.name
        assert not re.search(
            r"^from model(\.\w+)? import (?!ScenarioError\b)", text, re.MULTILINE
        ), f.name


def test_runs_are_cached_by_content(monkeypatch, baseline):
    from app import engine

    calls = []
    real = engine.run_scenario
    monkeypatch.setattr(engine, "run_scenario", lambda *a, **k: calls.append(1) or real(*a, **k))
    engine._simulate.clear()
    same_content = baseline.with_values("another_name", "same numbers", {})
    first = engine.run(baseline, 1000, 2025, [1])
    second = engine.run(same_content, 1000, 2025, [1])
    assert len(calls) == 1
    assert (second.scenario == "another_name").all() and first.drop(columns="scenario").equals(
        second.drop(columns="scenario")
    )
    engine.run(baseline, 1000, 2025, [2])
    assert len(calls) == 2


def test_choices_survive_a_language_switch():
    at = start("adjust")
    small(at, "adjust")
    at.selectbox(key="adjust_reference").set_value("measures/medical_subsidy.yaml")
    at.number_input(key="m_medical_resident_subsidy").set_value(900).run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.selectbox(key="adjust_reference").value == "measures/medical_subsidy.yaml"
    assert at.number_input(key="m_medical_resident_subsidy").value == 900
    assert card(at, "resident_medical", "en").label == "Resident medical enrollees"
    at.switch_page("views/compare.py").run()
    at.switch_page("views/adjust.py").run()
    assert (
        at.number_input(key="m_medical_resident_subsidy").value == 900
    )  # kept after a visit elsewhere


def test_fewer_years_keep_the_shown_year_valid():
    at = start()
    at.slider(key="compare_end").set_value(2027).run()
    assert not at.exception
    assert at.select_slider(key="compare_year").value == 2027
    at.multiselect(key="compare_scenarios").set_value(["opinions_2025.yaml"]).run()
    assert not at.exception and at.selectbox(key="compare_reference").value == "opinions_2025.yaml"


def test_saved_runs_with_several_seeds_show_bands(tmp_path, monkeypatch, baseline, opinions):
    """Results written by `minsheng run`/`compare` or a batch (several seeds) are compared without rerunning."""
    frames = [
        run_scenario(sc, households=1000, end_year=2027, seed=s).frame
        for sc in (baseline, opinions)
        for s in (1, 2)
    ]
    (tmp_path / "batch").mkdir()
    import pandas as pd

    pd.concat(frames).to_parquet(tmp_path / "batch" / "results.parquet")
    monkeypatch.setenv("MINSHENG_RESULTS", str(tmp_path))
    at = start()
    at.multiselect(key="compare_scenarios").set_value(
        ["saved:batch/baseline", "saved:batch/opinions_2025"]
    ).run()
    assert not at.exception
    assert at.select_slider(key="compare_year").value == 2027
    mean = (
        sum(
            f[(f.metric == "medical_coverage") & (f.group == "all") & (f.year == 2027)].value.iloc[
                0
            ]
            for f in frames[2:]
        )
        / 2
    )
    assert card(at, "medical_coverage").value == fmt.value(mean, "share", "zh")
    assert any(c.value == i18n.t("band_note", "zh", n=2) for c in at.caption)


def test_compare_splits_the_difference_by_measure():
    at = start("compare")
    small(at, "compare")
    at.button(key="compare_decompose").click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if i18n.t("col.measure", "zh") in d.value.columns)
    names = list(table[i18n.t("col.measure", "zh")])
    assert names[-2:] == [i18n.t("decompose.interaction", "zh"), i18n.t("decompose.total", "zh")]
    assert len(names) > 10  # one row per measure of the package


@pytest.fixture(autouse=True)
def one_replication_by_default(monkeypatch):
    """The tests above compare the cards with one run of the model: they open the Compare page
    with one replication (its default is three; tests/test_app_compare.py checks the default
    and the intervals)."""
    import app.catalogue

    monkeypatch.setattr(app.catalogue, "DEFAULT_REPLICATIONS", 1)
