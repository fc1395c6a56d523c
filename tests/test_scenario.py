"""Strict scenario loading: every problem names the file, the key, what was found, what is allowed."""

from __future__ import annotations

from model import ScenarioError, load_scenario
from model.registry import REGISTRY
from tests.conftest import SCENARIOS, problems_of

BASE = str(SCENARIOS / "baseline.yaml")


def reform(tmp_path, body: str, name: str = "reform.yaml"):
    p = tmp_path / name
    p.write_text(f"name: test_reform\ntitle: test\nextends: {BASE}\n{body}", encoding="utf-8")
    return p


def problems(path) -> list[tuple[str, str, str, str]]:
    return problems_of(load_scenario, ScenarioError, path)


def test_all_shipped_scenarios_load():
    files = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "measures").glob("*.yaml"))
    assert len(files) >= 10
    for f in files:
        sc = load_scenario(f)
        assert set(sc.params) == set(REGISTRY), f


def test_override_merges_year_by_year(baseline, opinions):
    assert opinions.value("pension.resident_minimum", 2024) == 123
    assert opinions.value("pension.resident_minimum", 2025) == 143
    assert opinions.value("pension.resident_minimum", 2035) == 163  # the baseline's 2026 value
    assert baseline.value("pension.resident_minimum", 2035) == 163
    # the baseline's 2025 births survive an override file that does not mention births
    assert opinions.value("demography.births", 2026) == baseline.value("demography.births", 2026)


def test_unknown_parameter(tmp_path):
    p = reform(
        tmp_path,
        "parameters:\n  pension.resident_minimun:\n    unit: yuan/month\n    values:\n"
        "      2025: {value: 143, source: {assumption: 'a test value for the loader'}}\n",
    )
    ((f, key, found, allowed),) = problems(p)
    assert f.endswith("reform.yaml") and key == "parameters.pension.resident_minimun"
    assert "unknown" in found and "pension.resident_minimum" in allowed


def test_unknown_top_level_key(tmp_path):
    p = reform(tmp_path, "paramters: {}\n")
    ((f, key, found, allowed),) = problems(p)
    assert key == "paramters" and "Extra inputs are not permitted" in allowed


def test_duplicate_key(tmp_path):
    p = tmp_path / "dup.yaml"
    p.write_text("name: a\ntitle: t\nname: b\n", encoding="utf-8")
    ((f, key, found, allowed),) = problems(p)
    assert "duplicate key 'name'" in found and key.startswith("line 3")


def test_wrong_unit_and_range(tmp_path):
    p = reform(
        tmp_path,
        "parameters:\n  medical.resident_subsidy:\n    unit: yuan/month\n    values:\n"
        "      2025: {value: 70000, source: {assumption: 'a test value for the loader'}}\n",
    )
    found = {k: (fnd, allowed) for _, k, fnd, allowed in problems(p)}
    assert found["parameters.medical.resident_subsidy.unit"] == (
        "'yuan/month'",
        "'yuan/person/year'",
    )
    assert found["parameters.medical.resident_subsidy.values.2025"][0] == "70000.0"
    assert (
        "0 to 5000 yuan/person/year" in found["parameters.medical.resident_subsidy.values.2025"][1]
    )


def test_share_given_as_percent_is_refused(tmp_path):
    p = reform(
        tmp_path,
        "parameters:\n  population.urban_share:\n    unit: share\n    values:\n"
        "      2024: {value: 67, source: {assumption: 'a percent where a share is due'}}\n",
    )
    ((_, key, found, allowed),) = problems(p)
    assert key.endswith("values.2024") and found == "67.0" and "0.62 to 0.72 share" in allowed


def test_value_without_source(tmp_path):
    p = reform(
        tmp_path,
        "parameters:\n  medical.resident_subsidy:\n    unit: yuan/person/year\n    values:\n      2025: {value: 720}\n",
    )
    ((_, key, found, allowed),) = problems(p)
    assert (
        key == "parameters.medical.resident_subsidy.values.2025.source"
        and found == "nothing (missing)"
    )


def test_source_must_name_a_shared_document(tmp_path):
    p = reform(
        tmp_path,
        "parameters:\n  medical.resident_subsidy:\n    unit: yuan/person/year\n    values:\n"
        "      2025: {value: 720, source: {document: news.txt, quote: '720元'}}\n",
    )
    keys = [k for _, k, _, _ in problems(p)]
    assert any(k.startswith("parameters.medical.resident_subsidy.values.2025.source") for k in keys)


def test_wrong_type(tmp_path):
    p = reform(
        tmp_path,
        "parameters:\n  medical.resident_subsidy:\n    unit: yuan/person/year\n    values:\n"
        "      2025: {value: 'seven hundred', source: {assumption: 'a test value for the loader'}}\n",
    )
    ((_, key, found, _),) = problems(p)
    assert key.endswith("values.2025.value") and "seven hundred" in found


def test_missing_file_and_bad_yaml(tmp_path):
    ((f, key, found, _),) = problems(tmp_path / "nope.yaml")
    assert found == "no such file"
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    ((_, key, _, allowed),) = problems(bad)
    assert key.startswith("line") and "valid YAML" in allowed


def test_python_tags_are_not_executed(tmp_path):
    bad = tmp_path / "evil.yaml"
    bad.write_text(
        "name: !!python/object/apply:os.system ['echo hi']\ntitle: t\n", encoding="utf-8"
    )
    ((_, _, found, _),) = problems(bad)
    assert "python/object" in found


def test_extends_cycle(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("name: a\ntitle: a\nextends: b.yaml\n", encoding="utf-8")
    b.write_text("name: b\ntitle: b\nextends: a.yaml\n", encoding="utf-8")
    ((_, key, found, allowed),) = problems(a)
    assert key == "extends" and allowed == "no cycles"


def test_all_problems_reported_together(tmp_path):
    p = reform(
        tmp_path,
        "parameters:\n  foo.bar:\n    unit: share\n    values:\n      2025: {value: 1, source: {assumption: 'a test value for the loader'}}\n"
        "  dibao.takeup_rural:\n    unit: share\n    values:\n      2025: {value: 2, source: {assumption: 'a test value for the loader'}}\n",
    )
    assert len(problems(p)) == 2
