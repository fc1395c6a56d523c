"""The Adjust page's edits in the address, so a reload or a shared link reopens the same reform.

The address carries the starting scenario (``start=opinions_2025.yaml``), the year the new values
take effect (``from=2026``) and the changed parameters in their model units
(``edit=medical.resident_subsidy:900,childcare.child_subsidy:3600``). What comes back from an
address is checked as strictly as an upload: only parameters of the page's measures, finite
numbers within the registry's range, each parameter once, at most `MAX_CHARS` characters.
Anything else is refused with a problem (in the loader's (file, key, found, allowed) shape, so
`app.messages` says it in the page's language) and never applied. No Streamlit here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.scenario_io import Problem
from model.registry import REGISTRY

MAX_CHARS = 2_000  # longest `edit=` value read from an address
YEARS = range(2025, 2036)  # the years new values may take effect from (the page's choices)


@dataclass
class State:
    """What an address asks for; None or empty where it asks for nothing (or was refused)."""

    start: str | None = None
    from_year: int | None = None
    edits: dict[str, float] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def number_text(v: float) -> str:
    """A value as short as it can be written without losing it (900, 0.85, 1250000)."""
    return f"{int(v)}" if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def encode(edits: dict[str, float]) -> str:
    """The changed parameters as ``name:value,name:value`` (sorted, so one reform, one address)."""
    return ",".join(f"{p}:{number_text(v)}" for p, v in sorted(edits.items()))


def _edit_problem(
    name: str, text: str, year: int, allowed: set[str], where_file: str
) -> tuple[float | None, Problem | None]:
    """One ``name:value`` checked: (the value, None) or (None, the problem)."""
    where = f"parameters.{name}"
    if name not in REGISTRY:
        return None, Problem(where_file, where, "an unknown parameter", "a name from the registry")
    if name not in allowed:
        return None, Problem(where_file, where, "a parameter not on this page", "not_adjustable")
    try:
        v = float(text)
    except ValueError:
        v = math.nan
    if not math.isfinite(v):
        return None, Problem(where_file, f"{where}.values.{year}", repr(text), "a number")
    spec = REGISTRY[name]
    if not spec.lo <= v <= spec.hi:
        return None, Problem(
            where_file,
            f"{where}.values.{year}",
            f"{v:g}",
            f"{spec.lo:g} to {spec.hi:g} {spec.unit}",
        )
    return v, None


def decode(
    query: dict[str, str], starts: list[str], adjustable: set[str], where_file: str = "URL"
) -> State:
    """What an address's query asks for, every part checked; refused parts become problems.

    `starts`: the scenarios a page may start from; `adjustable`: the parameters it can change.
    """
    state = State()
    start = query.get("start")
    if start is not None:
        if start in starts:
            state.start = start
        else:
            state.problems.append(Problem(where_file, "start", repr(start[:80]), "url_start"))
    year_text = query.get("from")
    if year_text is not None:
        if year_text.isdigit() and int(year_text) in YEARS:
            state.from_year = int(year_text)
        else:
            state.problems.append(Problem(where_file, "from", repr(year_text[:20]), "url_year"))
    text = query.get("edit")
    if not text:
        return state
    if len(text) > MAX_CHARS:
        state.problems.append(Problem(where_file, "edit", f"{len(text):,}", "url_too_long"))
        return state
    year = state.from_year or YEARS[0]
    for item in text.split(","):
        name, sep, value = item.partition(":")
        name = name.strip()
        if not sep or not name:
            state.problems.append(Problem(where_file, "edit", repr(item[:80]), "url_item"))
            continue
        if name in state.edits:
            state.problems.append(Problem(where_file, f"parameters.{name}", "twice", "url_twice"))
            continue
        v, problem = _edit_problem(name, value.strip(), year, adjustable, where_file)
        if problem is not None:
            state.problems.append(problem)
        else:
            state.edits[name] = v
    return state
