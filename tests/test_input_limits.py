"""Bounded reading of scenario, calibration and experiment files (issue 15, each concrete case).

Every hostile or careless file gets a clean error fast: the file, the key, what was found and
what is allowed, in a message of bounded length; nothing blocks, nothing expands in memory.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from app import scenario_io
from minsheng.experiment import ExperimentError, load_experiment
from model import ScenarioError, load_scenario
from model.problems import MAX_PROBLEMS
from model.scenario import MAX_EXTENDS
from model.yaml_reader import MAX_BYTES, MAX_DEPTH, MAX_NODES, read_yaml
from tests.conftest import SCENARIOS

BASE = SCENARIOS / "baseline.yaml"
SOURCE = "{assumption: 'a value written by the test'}"


def bomb(levels: int = 9) -> str:
    """The "billion laughs": 9 levels of 9 aliases each is 9**9 = 387 million strings."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def reform(tmp_path: Path, body: str = "", head: str = "", name: str = "reform.yaml") -> Path:
    p = tmp_path / name
    p.write_text(
        f"name: test_reform\ntitle: test\nextends: {BASE}\n{head}parameters:\n"
        "  medical.resident_subsidy:\n    unit: yuan/person/year\n    values:\n"
        f"      2025: {{value: 750, source: {SOURCE}}}\n{body}",
        encoding="utf-8",
    )
    return p


def refused(path: Path | str, error: type[Exception] = ScenarioError, load=load_scenario):
    """The error loading `path` raises, checked to be fast and short."""
    t0 = time.perf_counter()
    with pytest.raises(error) as exc:
        load(path)
    assert time.perf_counter() - t0 < 5
    assert len(str(exc.value)) < 10_000
    return exc.value


def test_an_alias_bomb_of_557_bytes_is_refused_at_once(tmp_path):
    text = bomb()
    assert len(text) < 600
    p = tmp_path / "bomb.yaml"
    p.write_text(text, encoding="utf-8")
    err = refused(p)
    ((f, key, found, allowed),) = err.problems
    assert f == str(p) and f"more than {MAX_NODES:,} values" in found and "aliases count" in found


def test_an_alias_bomb_as_a_title_is_refused_in_the_app_too():
    text = (bomb() + "name: a\ntitle: *a8\nextends: baseline.yaml\n").encode()
    t0 = time.perf_counter()
    with pytest.raises(scenario_io.UploadError) as exc:
        scenario_io.read_upload("bomb.yaml", text)
    assert time.perf_counter() - t0 < 5
    assert "values" in exc.value.problems[0].found and len(str(exc.value)) < 5_000


@pytest.mark.parametrize("key", ["extends", "calibration"])
@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "link", "fifo", "folder"])
def test_extends_and_calibration_read_only_regular_files(tmp_path, key, target):
    if target == "link":
        os.symlink("/dev/zero", tmp_path / "link.yaml")
    elif target == "fifo":
        os.mkfifo(tmp_path / "fifo.yaml")
    elif target == "folder":
        (tmp_path / "folder.yaml").mkdir()
    path = target if target.startswith("/") else str(tmp_path / f"{target}.yaml")
    head = f"calibration: {path}\n" if key == "calibration" else ""
    p = reform(tmp_path, head=head) if key == "calibration" else tmp_path / "reform.yaml"
    if key == "extends":
        p.write_text(f"name: a\ntitle: a\nextends: {path}\n", encoding="utf-8")
    err = refused(p)
    # the file and key that pointed at the target come first, then what is wrong with it
    assert err.problems[0][:2] == (str(p), key)
    assert "not a file" in err.problems[1][2] or "symbolic link" in err.problems[1][2]


def test_a_named_pipe_never_blocks(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    err = refused(tmp_path / "pipe.yaml")
    assert err.problems[0][2] == "a named pipe, not a file"


def test_a_link_out_of_its_folder_is_refused_a_link_beside_it_is_followed(tmp_path):
    (tmp_path / "inside").mkdir()
    os.symlink(BASE, tmp_path / "inside" / "out.yaml")
    ((_, _, found, allowed),) = refused(tmp_path / "inside" / "out.yaml").problems
    assert found == f"a symbolic link to {BASE}" and "own folder" in allowed
    reform(tmp_path / "inside")
    os.symlink("reform.yaml", tmp_path / "inside" / "latest.yaml")
    assert load_scenario(tmp_path / "inside" / "latest.yaml").name == "test_reform"


def test_a_symlink_loop_and_a_nul_byte_are_clean_errors(tmp_path):
    os.symlink(tmp_path / "b.yaml", tmp_path / "a.yaml")
    os.symlink(tmp_path / "a.yaml", tmp_path / "b.yaml")
    assert "loops" in refused(tmp_path / "a.yaml").problems[0][2]
    assert "NUL" in refused(str(tmp_path / "a\0b.yaml")).problems[0][2]
    p = tmp_path / "nul.yaml"
    p.write_text('name: a\ntitle: a\nextends: "base\\0line.yaml"\n', encoding="utf-8")
    assert "control character" in refused(p).problems[0][2]


def test_files_over_one_megabyte_are_refused_before_reading(tmp_path):
    p = reform(tmp_path, body="#" * MAX_BYTES)
    ((f, _, found, allowed),) = refused(p).problems
    assert found == f"a file of {p.stat().st_size:,} bytes" and "1,000,000 bytes (1 MB)" in allowed
    with pytest.raises(scenario_io.UploadError) as exc:
        scenario_io.read_upload("big.yaml", p.read_bytes())
    assert "1,000,000 bytes" in exc.value.problems[0].allowed


def test_deep_nesting_is_refused(tmp_path):
    for text in (
        "name: " + "[" * 900 + "]" * 900,
        "".join(" " * i + f"k{i}:\n" for i in range(600)),
    ):
        p = tmp_path / "deep.yaml"
        p.write_text(text + "\n", encoding="utf-8")
        assert "nested" in refused(p).problems[0][2]
    p.write_text("a:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(MAX_DEPTH)) + "\n")
    assert f"more than {MAX_DEPTH} deep" in refused(p).problems[0][2]


def test_80000_unknown_keys_give_a_short_message(tmp_path):
    # 80,000 keys are 160,000 values: over the limit, refused before the schema looks at them
    p = reform(tmp_path, body="".join(f"k{i}: 1\n" for i in range(80_000)))
    assert f"more than {MAX_NODES:,} values" in refused(p).problems[0][2]
    # 20,000 keys are within it: the first 20 problems are shown, then how many more
    p = reform(tmp_path, body="".join(f"k{i}: 1\n" for i in range(20_000)))
    err = refused(p)
    assert len(err.problems) == MAX_PROBLEMS and err.omitted == 20_000 - MAX_PROBLEMS
    assert str(err).endswith(
        f"... and {20_000 - MAX_PROBLEMS:,} more problems (the first 20 are shown)"
    )


def test_a_chain_of_1500_extends_stops_at_the_limit_naming_the_file_and_key(tmp_path):
    prev = BASE
    for i in range(1500):
        p = tmp_path / f"c{i}.yaml"
        p.write_text(f"name: c{i}\ntitle: link {i}\nextends: {prev}\n", encoding="utf-8")
        prev = p
    ((f, key, found, allowed),) = refused(prev).problems
    assert key == "extends" and f"chains of at most {MAX_EXTENDS} scenario files" == allowed
    assert f == str(tmp_path / f"c{1500 - MAX_EXTENDS}.yaml") and "file 21" in found
    # within the limit a chain loads
    assert load_scenario(tmp_path / "c5.yaml").name == "c5"


def test_problems_in_an_extends_target_name_the_file_and_key_that_pointed_at_it(tmp_path):
    mid = reform(tmp_path, name="mid.yaml")
    mid.write_text(mid.read_text().replace("750", "75000"), encoding="utf-8")
    top = tmp_path / "top.yaml"
    top.write_text("name: top\ntitle: top\nextends: mid.yaml\n", encoding="utf-8")
    (first, second) = refused(top).problems
    assert first == (
        str(top),
        "extends",
        "'mid.yaml'",
        "a scenario file that loads (its problems follow)",
    )
    assert second[:2] == (str(mid), "parameters.medical.resident_subsidy.values.2025")


@pytest.mark.parametrize("digits", [4301, 5000])
def test_integers_of_thousands_of_digits_are_clean_errors(tmp_path, digits):
    p = reform(tmp_path)
    p.write_text(p.read_text().replace("750", "9" * digits), encoding="utf-8")
    ((_, key, found, allowed),) = refused(p).problems
    assert key.startswith("line 8,") and found == f"a number of {digits:,} digits"


@pytest.mark.parametrize("key", ["[a, b]", "{a: 1}", "? [2025, 2026]\n      "])
def test_lists_and_mappings_as_keys_are_clean_errors(tmp_path, key):
    p = reform(tmp_path)
    p.write_text(p.read_text().replace("      2025:", f"      {key}:"), encoding="utf-8")
    ((_, _, found, allowed),) = refused(p).problems
    assert (
        found in ("a list as a key", "a mapping as a key")
        and allowed == "a name or a year as a key"
    )


def test_python_and_other_tags_are_refused(tmp_path):
    for tag in (
        "!!python/object/apply:os.system ['true']",
        "!!binary aGk=",
        "!!set {a}",
        "!local x",
    ):
        p = reform(tmp_path)
        p.write_text(p.read_text().replace("title: test", f"title: {tag}"), encoding="utf-8")
        assert "the YAML tag" in refused(p).problems[0][2]


def test_experiment_files_are_read_within_the_same_limits(tmp_path):
    p = tmp_path / "exp.yaml"
    p.write_text(bomb(), encoding="utf-8")
    assert "values" in refused(p, ExperimentError, load_experiment).problems[0][2]
    os.mkfifo(tmp_path / "pipe.yaml")
    err = refused(tmp_path / "pipe.yaml", ExperimentError, load_experiment)
    assert "named pipe" in err.problems[0][2] and "experiment file" in err.problems[0][3]
    p.write_text("name: e\ntitle: e\nbaseline: /dev/zero\n", encoding="utf-8")
    err = refused(p, ExperimentError, load_experiment)
    assert err.problems[0][:2] == (str(p), "baseline") and "character device" in err.problems[1][2]


def test_read_yaml_refuses_what_the_issue_lists(tmp_path):
    for text, found in [
        ("a: 1\n---\nb: 2\n", "expected a single document"),
        ("a: \x07\n", "characters are not allowed"),
        ('a: "\\x1b[2J"\n', "control character"),
    ]:
        p = tmp_path / "x.yaml"
        p.write_text(text, encoding="utf-8")
        with pytest.raises(ScenarioError) as exc:
            read_yaml(p)
        assert found in exc.value.problems[0][2], exc.value
    p.write_bytes("a: 1\n".encode("utf-16"))
    with pytest.raises(ScenarioError, match="not UTF-8"):
        read_yaml(p)
