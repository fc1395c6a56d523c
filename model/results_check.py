"""A check on every run's results: sound numbers, or a loud failure before anything is written.

Sound: no infinity anywhere; totals and counts never NaN (except the base year's vital events,
which are not simulated); a rate may be NaN only where it is undefined because its denominator
is zero (a group with nobody in it in a small sample, a vacancy rate without places); shares
within [0, 1]; counts (persons, households, beds, slots, places, institutions...) never below
zero. `run_scenario` calls `check` on every run, so `minsheng run`, `compare`, batches and the
app never write or show a result that breaks these rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COUNT_UNITS = frozenset(
    {
        "persons",
        "households",
        "beds",
        "slots",
        "places",
        "institutions",
        "agents",
        "counties",
        "visits",
    }
)
TOTAL_UNITS = COUNT_UNITS | {"yuan/year"}  # never NaN: sums over everybody
BASE_YEAR_EVENTS = (
    frozenset(  # NaN in the base year: deaths, births and moves start with the first step
        {
            "births",
            "deaths",
            "households_formed",
            "hukou_settlers",
            "new_employee_pensioners",
            "urban_movers",
        }
    )
)
SHOWN = 5  # problems named in the message


from model.problems import ResultsError  # noqa: E402  (defined with the input problems: light to import)


def problems(frame: pd.DataFrame) -> list[str]:
    """Every broken rule in tidy results (``year, group, metric, value, unit``), one line each."""
    v = frame.value.to_numpy(dtype=float)
    unit = frame.unit.to_numpy()
    total = np.isin(unit, list(TOTAL_UNITS))
    events = (
        frame.metric.isin(BASE_YEAR_EVENTS).to_numpy() & (frame.year == frame.year.min()).to_numpy()
    )
    rules = [
        (np.isinf(v), "infinite"),
        (np.isnan(v) & total & ~events, "NaN in a total or count"),
        ((unit == "share") & ((v < -1e-9) | (v > 1 + 1e-9)), "a share outside [0, 1]"),
        (np.isin(unit, list(COUNT_UNITS)) & (v < -1e-6), "a negative count"),
    ]
    out = []
    for bad, what in rules:
        for i in np.flatnonzero(bad):
            row = frame.iloc[i]
            out.append(
                f"{row.metric}/{row.group}/{row.year} = {float(row.value)!r} {row.unit}: {what}"
            )
    return out


def check(frame: pd.DataFrame, scenario: str, seed: int, households: int) -> None:
    """Raise ResultsError naming the run and its first problems if its results are not sound."""
    found = problems(frame)
    if found:
        more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
        raise ResultsError(
            f"the run of {scenario} (seed {seed}, {households:,} households) gave unsound results: "
            + "; ".join(found[:SHOWN])
            + more
            + ". This is a fault of the model, not of the scenario: please report it with the "
            "scenario file and the command."
        )
