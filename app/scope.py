"""What the About page says the model covers, read from scenarios/SCOPE.md and the registry.

Nothing here is written by hand: the measures of the Opinions and their status are the table at
the top of SCOPE.md, what is left out its "Left out:" lists, and the model's measures the
registry's parameter families (the first part of each name), so the page cannot go stale when
a measure is added. No Streamlit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from model.provinces import KEYS as PROVINCE_KEYS
from model.registry import REGISTRY

SCOPE = Path(__file__).resolve().parents[1] / "scenarios" / "SCOPE.md"

# registry families that describe the population and the model rather than a policy measure
NOT_MEASURES = frozenset({"population", "income", "demography", "geography", "outputs"})
REGIONS = frozenset({"east", "central", "west", "northeast"})


@dataclass(frozen=True)
class ScopeRow:
    """One measure of the Opinions in SCOPE.md's table: how (or why not) it is modelled."""

    area: str
    measure: str
    in_model: str
    parameters: str
    status: str

    @property
    def modelled(self) -> bool:
        """True when a scenario parameter changes the simulation ("modelled ...")."""
        return self.status.startswith("modelled")


def scope_rows(path: Path = SCOPE) -> list[ScopeRow]:
    """The table of the Opinions' measures at the top of SCOPE.md (the first table)."""
    rows, started = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("| # |"):
            started = True
            continue
        if started and re.fullmatch(r"\|[-| ]+\|", line.strip()):
            continue
        if started and line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 5:
                rows.append(ScopeRow(*cells))
        elif started:
            break
    return rows


def left_out(path: Path = SCOPE) -> dict[str, list[str]]:
    """Each section's "Left out:" list, by the section's heading (bullets joined into lines)."""
    out: dict[str, list[str]] = {}
    heading, collecting = "", False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading, collecting = line[3:].strip(), False
        elif line.strip().lower().startswith("left out"):
            collecting = True
            out.setdefault(heading, [])
        elif collecting and line.startswith("- "):
            out[heading].append(line[2:].strip())
        elif collecting and line.startswith("  ") and out[heading]:
            out[heading][-1] += " " + line.strip()
        elif collecting and line.strip() and not line.startswith(" "):
            collecting = False
    return out


def family(param: str) -> str:
    """A parameter's family: the first part of its name (``childcare.child_subsidy`` -> childcare)."""
    return param.split(".", 1)[0]


def measures() -> list[str]:
    """The model's measures: the registry's families of policy parameters, in registry order."""
    return list(dict.fromkeys(family(p) for p in REGISTRY if family(p) not in NOT_MEASURES))


def parameters_of(measure: str) -> list[str]:
    """The parameters of one measure, one name for all provinces' or regions' versions
    (``dibao.standard_urban.sichuan`` and the others as ``dibao.standard_urban.<province>``)."""
    out = []
    for p in REGISTRY:
        if family(p) != measure:
            continue
        head, _, last = p.rpartition(".")
        if last in PROVINCE_KEYS:
            p = f"{head}.<province>"
        elif last in REGIONS:
            p = f"{head}.<region>"
        if p not in out:
            out.append(p)
    return out
