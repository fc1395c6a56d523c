"""Start-up: `minsheng --help` imports no library at all, `minsheng validate` only the scenario
loader (pydantic, PyYAML: not numpy)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import SCENARIOS

HEAVY = ("mesa", "pandas", "pyarrow", "scipy", "streamlit", "numba", "numpy")
LOADER = ("pydantic", "yaml", "importlib.metadata")
PROBE = (
    "import json, sys\n"
    "from minsheng.cli import main\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "except SystemExit as e:\n"
    "    code = e.code\n"
    "print(json.dumps([code, sorted(m for m in {heavy} if m in sys.modules)]))\n"
)


def imported_by(*argv: str, heavy: tuple[str, ...] = HEAVY) -> tuple[int, list[str]]:
    """(exit code, the modules of `heavy` imported) of one command, in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=heavy), *argv],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    code, mods = json.loads(out.strip().splitlines()[-1])
    return code, mods


def test_validate_does_not_import_the_model():
    assert imported_by("validate", str(SCENARIOS / "opinions_2025.yaml")) == (0, [])


def test_validate_does_not_look_for_pydantic_plugins():
    """Looking for plugins reads every installed package's metadata; minsheng has none, so
    pydantic's plugin list is never filled (it stays None until the first search)."""
    probe = (
        "import sys\n"
        "from minsheng.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "loader = sys.modules.get('pydantic.plugin._loader')\n"
        "print(code, loader is not None and loader._plugins is None)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, "validate", str(SCENARIOS / "opinions_2025.yaml")],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"},
    ).stdout
    assert out.strip().splitlines()[-1] == "0 True"


def test_help_does_not_import_the_model():
    assert imported_by("--help") == (0, [])


def test_help_does_not_import_even_the_loader():
    assert imported_by("--help", heavy=HEAVY + LOADER) == (0, [])


def test_the_version_is_still_one_attribute_away():
    import minsheng

    assert isinstance(minsheng.__version__, str) and minsheng.__version__


def test_a_bad_file_is_refused_without_the_model(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbaseline: nowhere.yaml\n", encoding="utf-8")
    assert imported_by("validate", str(bad)) == (2, [])


def test_the_model_is_still_one_attribute_away():
    import model

    assert model.run_scenario.__module__ == "model.core"
