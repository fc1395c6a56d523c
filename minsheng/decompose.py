"""How much of a package's difference from its reference each measure makes (leave one out).

The package is run again with each measure left out in turn (its parameters set back to the
reference's), on the same households and seed. A measure's contribution is the package minus the
package without it; what the contributions leave of the whole difference is the interaction of
the measures with one another. So, for every metric, group and year,

    package - reference = sum of the measures' contributions + interaction     (exactly).

The measures are the single-measure files of `scenarios/measures/` (each names the parameters it
sets); a parameter the package changes that no measure file sets is a measure of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from model import run_scenario
from model.core import Results
from model.scenario import Scenario, read_yaml

KEY = ["year", "group", "metric"]
INTERACTION = "interaction"


def measure_parameters(folder: Path) -> dict[str, set[str]]:
    """{measure name: the parameters its file sets} for the files of a measures folder."""
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        raw = read_yaml(path)
        if isinstance(raw, dict) and isinstance(raw.get("parameters"), dict):
            out[str(raw.get("name", path.stem))] = set(raw["parameters"])
    return out


def changed_parameters(reference: Scenario, package: Scenario) -> set[str]:
    """Parameters whose dated values differ between the two scenarios."""

    def series(sc: Scenario, name: str) -> list[tuple[int, float]]:
        return [(v.year, v.value) for v in sc.params[name]]

    return {n for n in package.params if series(package, n) != series(reference, n)}


def package_measures(
    reference: Scenario, package: Scenario, measures: dict[str, set[str]]
) -> dict[str, set[str]]:
    """The measures of `package` against `reference`: {name: the changed parameters it holds}."""
    changed = changed_parameters(reference, package)
    out = {}
    for name, params in measures.items():
        mine = params & changed
        if mine:
            out[name] = mine
    covered = set().union(*out.values()) if out else set()
    for name in sorted(changed - covered):
        out[name] = {name}
    return out


def without(package: Scenario, reference: Scenario, params: set[str], label: str) -> Scenario:
    """The package with `params` set back to the reference's values."""
    values = {k: (reference.params[k] if k in params else v) for k, v in package.params.items()}
    return Scenario(
        name=f"{package.name}_without_{label}",
        title=f"{package.title} without {label}",
        path=package.path,
        run=package.run.model_copy(),
        params=values,
    )


@dataclass
class Decomposition:
    """Each measure's contribution to the package's difference, in tidy form.

    `frame`: year, group, metric, measure, contribution (the measures, `interaction`, and
    `total` = package - reference).
    """

    frame: pd.DataFrame
    measures: dict[str, set[str]]

    def table(self, metric: str, year: int, group: str = "all") -> pd.Series:
        sel = self.frame[
            (self.frame.metric == metric) & (self.frame.year == year) & (self.frame.group == group)
        ]
        return sel.set_index("measure").contribution


def _values(frame: pd.DataFrame) -> pd.Series:
    return frame.set_index(KEY).value


def contributions(
    reference: pd.DataFrame,
    package: pd.DataFrame,
    reference_scenario: Scenario,
    package_scenario: Scenario,
    measures_folder: Path,
    run: Callable[[Scenario], pd.DataFrame],
    log: Callable[[str], None] = lambda m: None,
) -> Decomposition:
    """Leave each measure out of the package in turn; the contributions and the interaction.

    Args:
        reference, package: the two runs' tidy results (one seed).
        run: runs a scenario on the same households, years and seed and returns its tidy results.
    """
    measures = package_measures(
        reference_scenario, package_scenario, measure_parameters(measures_folder)
    )
    total = _values(package) - _values(reference)
    parts = {}
    for i, (name, params) in enumerate(measures.items(), 1):
        log(f"  {i}/{len(measures)}: the package without {name}")
        parts[name] = _values(package) - _values(
            run(without(package_scenario, reference_scenario, params, name))
        )
    frame = pd.DataFrame(parts)
    frame[INTERACTION] = total - frame.sum(axis=1)
    frame["total"] = total
    tidy = frame.reset_index().melt(id_vars=KEY, var_name="measure", value_name="contribution")
    return Decomposition(frame=tidy, measures=measures)


def decompose(
    reference: Results,
    package: Results,
    reference_scenario: Scenario,
    package_scenario: Scenario,
    measures_folder: Path,
    end_year: int | None = None,
    log: Callable[[str], None] = lambda m: None,
) -> Decomposition:
    """`contributions` for two runs of the command line (same households and seed)."""

    def run(sc: Scenario) -> pd.DataFrame:
        return run_scenario(
            sc, households=package.households, end_year=end_year, seed=package.seed
        ).frame

    return contributions(
        reference.frame,
        package.frame,
        reference_scenario,
        package_scenario,
        measures_folder,
        run,
        log,
    )


def default_measures_folder(package_path: str) -> Path:
    """The measures folder beside the package's file (scenarios/measures/)."""
    return Path(package_path).parent / "measures"


# what the printed table shows: (metric, group, label, scale, unit label)
TABLE = (
    ("cost.all", "central", "central", 1e8, "亿"),
    ("cost.all", "local", "local", 1e8, "亿"),
    ("cost.all", "government", "government", 1e8, "亿"),
    ("medical_coverage", "all", "medical cov.", 0.01, "pt"),
    ("pension_coverage", "all", "pension cov.", 0.01, "pt"),
    ("dibao_recipients", "all", "dibao", 1e4, "万"),
    ("poverty_rate", "all", "poverty", 0.01, "pt"),
    ("childcare_enrolment_rate", "all", "childcare", 0.01, "pt"),
)


def text_table(d: Decomposition, year: int) -> str:
    """Each measure's contribution to the headline differences in one year, as fixed-width text."""
    names = [m for m in d.measures] + [INTERACTION, "total"]
    width = max(len(n) for n in names) + 2
    head = f"{'measure':<{width}}" + "".join(f"{label:>14}" for _, _, label, _, _ in TABLE)
    units = f"{'':<{width}}" + "".join(f"{'(' + unit + ')':>14}" for *_, unit in TABLE)
    lines = [
        f"Each measure's contribution in {year} (the package minus the package without it)",
        head,
        units,
        "-" * len(head),
    ]
    cols = {(m, g): d.table(m, year, g) for m, g, *_ in TABLE}
    for name in names:
        if name == INTERACTION:
            lines.append("-" * len(head))
        cells = []
        for m, g, _, scale, _ in TABLE:
            v = cols[(m, g)].get(name, float("nan")) / scale
            cells.append(f"{v:>+14,.1f}" if abs(v) >= 0.05 or v == 0 else f"{v:>+14,.2f}")
        lines.append(f"{name:<{width}}" + "".join(cells))
    return "\n".join(lines)
