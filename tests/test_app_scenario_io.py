"""The app's scenario handling: edits, YAML downloads `minsheng run` accepts, strict uploads, sources."""

from __future__ import annotations

import pandas as pd
import pytest

from app import scenario_io
from minsheng.cli import main
from model import load_scenario, run_scenario
from model.scenario import AssumptionSource, ExternalSource
from tests.conftest import SCENARIOS


def test_an_edit_that_changes_nothing_is_the_starting_scenario(opinions):
    values = {
        p: opinions.value(p, 2025) for p in ("medical.resident_subsidy", "pension.resident_minimum")
    }
    edited, changes = scenario_io.edit(opinions, values, 2025)
    assert changes == []
    assert edited.content_hash() == opinions.content_hash()


def test_an_edit_holds_from_its_year_to_the_end_and_says_where_it_came_from(opinions):
    edited, changes = scenario_io.edit(
        opinions,
        {"services.residence_items": 70, "medical.resident_subsidy": 900},
        2026,
        name="mine",
    )
    assert [c.param for c in changes] == ["services.residence_items", "medical.resident_subsidy"]
    assert edited.name == "mine"
    # the package's later path (66 in 2027 ... 81 in 2035) is replaced by 70 from 2026 on
    assert [edited.value("services.residence_items", y) for y in (2025, 2026, 2030, 2035)] == [
        62,
        70,
        70,
        70,
    ]
    assert (
        edited.value("medical.resident_subsidy", 2025) == 700
    )  # before the edit's year: unchanged
    assert edited.value("medical.resident_subsidy", 2026) == 900
    src = edited.source("medical.resident_subsidy", 2030)
    assert (
        isinstance(src, AssumptionSource)
        and "set in the minsheng app" in src.assumption
        and "had 724" in src.assumption
    )
    assert isinstance(
        opinions.source("medical.resident_subsidy", 2030), ExternalSource
    )  # the original is untouched (the 2026 government work report's 724 yuan)


def test_out_of_range_edit_is_refused(baseline):
    from model import ScenarioError

    with pytest.raises(ScenarioError) as err:
        scenario_io.edit(baseline, {"dibao.takeup_rural": 1.5}, 2025)
    assert "dibao.takeup_rural" in str(err.value)


def test_downloaded_yaml_is_accepted_by_minsheng_run_from_any_folder(tmp_path, opinions):
    edited, changes = scenario_io.edit(
        opinions, {"pension.resident_minimum": 200}, 2025, name="my_package"
    )
    text = scenario_io.to_yaml(edited, scenario_io.edit_header(opinions, changes, 20_000))
    assert "pension.resident_minimum: 143 -> 200 from 2025" in text
    path = tmp_path / "elsewhere" / "my_package.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    again = load_scenario(path)
    assert again.content_hash() == edited.content_hash()
    assert again.source("pension.resident_minimum", 2030) == edited.source(
        "pension.resident_minimum", 2030
    )
    assert (
        main(
            [
                "run",
                str(path),
                "--households",
                "2000",
                "--years",
                "2026",
                "--out",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    res = pd.read_parquet(tmp_path / "out" / "my_package" / "results.parquet")
    assert set(res.year) == {2024, 2025, 2026}


def test_upload_extending_a_shipped_scenario(baseline, opinions):
    text = b"name: mine\ntitle: the baseline by another name\nextends: baseline.yaml\n"
    assert scenario_io.read_upload("mine.yaml", text).content_hash() == baseline.content_hash()
    # a single-measure file says extends: ../baseline.yaml, as it does in scenarios/measures/
    measure = (SCENARIOS / "measures" / "medical_subsidy.yaml").read_bytes()
    up = scenario_io.read_upload("medical_subsidy.yaml", measure)
    assert (
        up.value("medical.resident_subsidy", 2025) == 700
        and up.path == "upload:medical_subsidy.yaml"
    )


@pytest.mark.parametrize(
    "text,where,found",
    [
        (
            b"name: a\ntitle: b\nextends: baseline.yaml\nparameters:\n  dibao.takeup_rural:\n    unit: share\n    values:\n"
            b"      2025: {value: 1.7, source: {assumption: 'out of range on purpose'}}\n",
            "parameters.dibao.takeup_rural.values.2025",
            "1.7",
        ),
        (b"name: a\ntitle: b\nextends: /etc/passwd\n", "extends", "/etc/passwd"),
        (b"name: a\ntitle: b\nextends: ../../model/core.py\n", "extends", "core.py"),
        (
            b"name: a\ntitle: b\nextends: baseline.yaml\ncalibration: /etc/hosts\n",
            "calibration",
            "/etc/hosts",
        ),
        (b"name: a\nname: b\ntitle: c\n", "line 2, column 1", "duplicate key 'name'"),
        (
            b"name: a\ntitle: b\nextends: baseline.yaml\nparameterz: {}\n",
            "parameterz",
            "an unknown key 'parameterz'",
        ),
        (b"name: My Scenario\ntitle: b\nextends: baseline.yaml\n", "name", "'My Scenario'"),
        (b"\xff\xfe\x00", "-", "not UTF-8"),
    ],
)
def test_bad_uploads_are_explained_in_plain_words(text, where, found):
    with pytest.raises(scenario_io.UploadError) as err:
        scenario_io.read_upload("mine.yaml", text)
    problems = err.value.problems
    assert all(p.file == "mine.yaml" for p in problems), problems
    assert any(p.where == where and found in p.found for p in problems), problems
    assert all(
        "minsheng-upload" not in p.found + p.allowed for p in problems
    )  # no temporary paths shown


def test_yaml_in_an_upload_is_never_executed(tmp_path):
    marker = tmp_path / "executed"
    text = f"!!python/object/apply:os.system ['touch {marker}']\n".encode()
    with pytest.raises(scenario_io.UploadError) as err:
        scenario_io.read_upload("evil.yaml", text)
    assert "python/object/apply" in err.value.problems[0].found
    assert not marker.exists()


def test_uploads_are_limited_in_size():
    with pytest.raises(scenario_io.UploadError) as err:
        scenario_io.read_upload("big.yaml", b"#" * (scenario_io.MAX_UPLOAD_BYTES + 1))
    assert "bytes" in err.value.problems[0].found


def test_sources_table_has_every_value_and_is_searchable(opinions):
    table = scenario_io.sources_table(opinions)
    assert len(table) == sum(len(v) for v in opinions.params.values())
    assert set(table.kind) == set(scenario_io.KINDS)
    hit = scenario_io.search(table, "700 医保")
    assert ("medical.resident_subsidy", 2025) in set(zip(hit.parameter, hit.year))
    assert scenario_io.search(table, "no such words anywhere").empty


def test_quote_is_found_in_its_document(opinions):
    before, quote, after = scenario_io.quote_context(
        opinions.source("medical.resident_subsidy", 2025)
    )
    assert quote.startswith("城乡居民医保人均财政补助标准") and quote.endswith("700元")
    assert before and after


def test_calibration_targets_come_from_the_registry():
    targets = scenario_io.targets()
    row = targets[targets.id == "pension_insured_2024"].iloc[0]
    assert (row.metric, row.year, row.target, row.role) == (
        "pension_insured",
        2024,
        1_070_000_000,
        "check",
    )
    assert {"fit", "check", "validation"} <= set(targets.role)
    assert row.source.startswith("001_3ac9c84125cde09e.txt: ")


def test_no_targets_file_means_no_targets(tmp_path):
    assert scenario_io.targets(tmp_path / "none.yaml").empty


def test_saved_results_folders_are_offered(tmp_path, monkeypatch, baseline):
    res = run_scenario(baseline, households=1000, end_year=2025)
    (tmp_path / "run1").mkdir()
    res.frame.to_parquet(tmp_path / "run1" / "results.parquet")
    monkeypatch.setenv("MINSHENG_RESULTS", str(tmp_path))
    from app import engine

    assert list(engine.saved_options()) == ["saved:run1/baseline"]
    assert engine.load_saved("saved:run1/baseline").equals(res.frame)


def test_an_upload_reports_every_problem_not_only_the_schemas():
    text = (
        b"name: three\nextends: baseline.yaml\nparameters:\n  medical.resident_subsidyy:\n"
        b"    unit: yuan/person/year\n    values:\n      2025: {value: 900, source: {assumption: 'a misspelt name'}}\n"
        b"  childcare.child_subsidy:\n    unit: yuan/person/year\n    values:\n"
        b"      2025: {value: -100, source: {assumption: 'a negative subsidy'}}\n"
    )  # no title, a misspelt name, a negative subsidy
    with pytest.raises(scenario_io.UploadError) as err:
        scenario_io.read_upload("three.yaml", text)
    assert [(p.where, p.found) for p in err.value.problems] == [
        ("title", "nothing (missing)"),
        ("parameters.medical.resident_subsidyy", "an unknown parameter"),
        ("parameters.childcare.child_subsidy.values.2025", "-100"),
    ]
