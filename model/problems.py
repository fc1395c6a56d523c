"""Problems with an input file, reported as (file, key, found, allowed), bounded in size.

Every message about bad input names the file, the key, what was found and what is allowed.
However large or hostile the input, a message shows at most `MAX_PROBLEMS` problems (then
"and N more problems") and each part of a problem at most a short excerpt, so formatting an
error can never take long or much memory.
"""

from __future__ import annotations

import reprlib
from typing import Any

Problem = tuple[str, str, str, str]  # (file, key, found, allowed)

MAX_PROBLEMS = 20
# longest text of each part of a problem: file, key, found, allowed
PART_LIMITS = (400, 200, 600, 2000)
EXCERPT = 200  # longest excerpt of an input value

_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6
_REPR.maxstring = _REPR.maxother = 100
_REPR.maxlong = 40


def excerpt(value: Any) -> str:
    """A short repr of any value (nested containers and long strings cut, never built in full)."""
    return clip(_REPR.repr(value), EXCERPT)


def clip(text: str, limit: int, middle: bool = False) -> str:
    """`text` cut to `limit` characters: at the end, or in the middle (paths keep their file name)."""
    if len(text) <= limit:
        return text
    if middle:
        half = (limit - 1) // 2
        return text[:half] + "…" + text[-half:]
    return text[: limit - 1] + "…"


def bounded(problem: tuple) -> Problem:
    """A problem with every part a string of bounded length (file and key cut in the middle)."""
    parts = tuple(str(x) for x in problem)
    return tuple(
        clip(text, limit, middle=i < 2) for i, (text, limit) in enumerate(zip(parts, PART_LIMITS))
    )  # type: ignore[return-value]


class ScenarioError(Exception):
    """A scenario (or calibration, targets, experiment) file that cannot be used.

    Carries the first `MAX_PROBLEMS` problems found, each a (file, key, found, allowed) of
    bounded length, and how many more there were (`omitted`).
    """

    title = "invalid scenario"

    def __init__(self, problems: list[tuple], omitted: int = 0, chain: bool = False):
        problems = list(problems)
        self.problems: list[Problem] = [bounded(p) for p in problems[:MAX_PROBLEMS]]
        self.omitted = omitted + max(0, len(problems) - MAX_PROBLEMS)
        self.chain = chain  # the problem is the chain of `extends:` itself (cycle, too long)
        super().__init__(self.message())

    def message(self) -> str:
        """The problems one per line, then how many were left out."""
        lines = [
            f"{f}: {k}: found {found}; allowed: {allowed}" for f, k, found, allowed in self.problems
        ]
        if self.omitted:
            lines.append(
                f"... and {self.omitted:,} more problem{'s' * (self.omitted > 1)} "
                f"(the first {MAX_PROBLEMS} are shown)"
            )
        return self.title + "\n  " + "\n  ".join(lines)

    def __str__(self) -> str:
        return self.message()

    def reached_from(self, file: str, key: str, value: str, what: str) -> ScenarioError:
        """The same error, preceded by the problem of the file and key that pointed at the file."""
        if self.chain:
            return self
        lead = (file, key, excerpt(value), f"{what} that loads (its problems follow)")
        err = type(self)([lead, *self.problems], omitted=self.omitted)
        return err


class ResultsError(RuntimeError):
    """A run whose results break the rules of `model.results_check`: a fault of the model,
    never of the input (the command exits with code 1 and writes nothing)."""
