"""YAML read as people write it: numbers, times, merge keys, booleans, duplicate years (issue 15)."""

from __future__ import annotations

import math

import pytest

from minsheng.cli import main
from model import ScenarioError, load_scenario
from model.yaml_reader import parse
from tests.conftest import SCENARIOS

BASE = SCENARIOS / "baseline.yaml"
SOURCE = "{assumption: 'a value written by the test'}"


def reform(tmp_path, value: str = "750", year: str = "2025", extra: str = "", run: str = ""):
    p = tmp_path / "reform.yaml"
    p.write_text(
        f"name: test_reform\ntitle: test\nextends: {BASE}\n{run}parameters:\n"
        "  medical.resident_subsidy:\n    unit: yuan/person/year\n    values:\n"
        f"      {year}: {{value: {value}, source: {SOURCE}}}\n{extra}",
        encoding="utf-8",
    )
    return p


@pytest.mark.parametrize(
    "text,value",
    [
        ("5e6", 5e6),
        ("1.5e3", 1500.0),
        ("7E2", 700.0),
        ("0700", 700),  # decimal, not the octal 448 of YAML 1.1
        ("0o700", 448),
        ("0x2BC", 700),
        ("100_000", 100_000),
        ("-0", 0),
        (".inf", math.inf),
        ("11:40", "11:40"),  # text, not the base-60 number 700
        ("1:00:00", "1:00:00"),
        ("yes", "yes"),
        ("on", "on"),
        ("true", True),
        ("False", False),
        ("2025-01-01", "2025-01-01"),  # text, not a date
        ("~", None),
        ("", None),
    ],
)
def test_scalars_follow_yaml_1_2(text, value):
    got = parse(f"a: {text}\n")["a"]
    assert got == value and type(got) is type(value)


def test_nan_is_a_float_every_numeric_field_refuses():
    assert math.isnan(parse("a: .nan\n")["a"])


def test_5e6_is_a_number_in_a_scenario(tmp_path):
    sc = load_scenario(reform(tmp_path, "2.5e3"))
    assert sc.value("medical.resident_subsidy", 2025) == 2500
    sc = load_scenario(reform(tmp_path, run="run: {households: 5e3}\n"))
    assert sc.run.households == 5000


@pytest.mark.parametrize(
    "value,found",
    [
        ("11:40", "a number, found '11:40'"),
        (".nan", "a finite number, found nan"),
        (".inf", "a finite number, found inf"),
        ("true", "a number, found True"),
        ("'700'", "a number, found '700'"),
        ("1e400", "a finite number, found inf"),
    ],
)
def test_values_that_are_not_finite_numbers_are_refused(tmp_path, value, found):
    ((f, key, got, allowed),) = _problems(reform(tmp_path, value))
    assert key == "parameters.medical.resident_subsidy.values.2025.value" and allowed == found


@pytest.mark.parametrize("households", ["true", "'5000'", "2500.5", ".inf"])
def test_run_settings_take_whole_numbers_only(tmp_path, households):
    (problem,) = _problems(reform(tmp_path, run=f"run: {{households: {households}}}\n"))
    assert problem[1] == "run.households" and "number" in problem[3]


@pytest.mark.parametrize(
    "a,b", [("2025", "'2025'"), ("'2025'", "2025"), ("2025", "2025.0"), ("2025", "0x7E9")]
)
def test_the_same_year_written_twice_in_two_types_is_a_duplicate(tmp_path, a, b):
    extra = f"      {b}: {{value: 900, source: {SOURCE}}}\n"
    ((_, key, found, allowed),) = _problems(reform(tmp_path, year=a, extra=extra))
    assert (
        key.startswith("line 9,")
        and found.startswith("duplicate key")
        and allowed == "each key once in a mapping"
    )


def test_merge_keys_work_and_written_keys_override_merged_ones(tmp_path):
    p = reform(tmp_path)
    text = p.read_text().replace(
        "  medical.resident_subsidy:\n", "  medical.resident_subsidy: &block\n"
    )
    text += (
        "  medical.resident_contribution:\n    <<: *block\n    values:\n"
        f"      2025: {{value: 420, source: {SOURCE}}}\n"
    )
    p.write_text(text, encoding="utf-8")
    sc = load_scenario(p)
    assert sc.value("medical.resident_contribution", 2025) == 420
    assert sc.value("medical.resident_subsidy", 2025) == 750


def test_a_merge_of_something_not_a_mapping_is_a_plain_error():
    with pytest.raises(ScenarioError) as exc:
        parse("a: &x 1\nb:\n  <<: *x\n")
    assert "for merging" in exc.value.problems[0][2]


def test_the_cli_exits_2_on_a_mistyped_value(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["validate", str(reform(tmp_path, "11:40"))]) == 2
    err = capsys.readouterr().err
    assert "reform.yaml" in err and "found '11:40'" in err and "a number" in err
    assert not out.exists()


def _problems(path):
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    return exc.value.problems
