"""Calibration weighting (raking): adjust household weights so weighted counts hit national totals.

This is the Deville-Särndal raking estimator: w_i = d_i * exp(x_i . lambda), with lambda solved by
Newton's method so that sum_i w_i x_i = T exactly. x_i holds, for household i, the number of its
members in each margin (persons aged 60+, urban residents, ...), so person-level totals are met
with one weight per household (integrated weighting: members share their household's weight).
"""

from __future__ import annotations

import numpy as np


class RakingError(RuntimeError):
    """The margins cannot be met (inconsistent targets or a margin no household contributes to)."""


def rake(
    design: np.ndarray,
    targets: np.ndarray,
    base: np.ndarray,
    names: list[str],
    tol: float = 1e-10,
    max_iter: int = 60,
) -> np.ndarray:
    """Return weights w with design.T @ w == targets (to `tol`, relative).

    Args:
        design: (households, margins) counts of members per margin.
        targets: (margins,) weighted totals to reach.
        base: (households,) starting weights.
        names: margin names, for error messages.
    """
    x = design
    lam = np.zeros(x.shape[1])
    for _ in range(max_iter):
        w = base * np.exp(np.clip(x @ lam, -30, 30))
        resid = (x.T @ w - targets) / targets
        if np.max(np.abs(resid)) < tol:
            return w
        jac = (x * w[:, None]).T @ x
        step = np.linalg.lstsq(jac, resid * targets, rcond=None)[0]
        # damp long steps: no household's log weight moves by more than 1 in one iteration
        move = float(np.max(np.abs(x @ step)))
        lam -= step * min(1.0, 1.0 / max(move, 1e-12))
    worst = int(np.argmax(np.abs(resid)))
    raise RakingError(
        f"raking did not converge: margin {names[worst]!r} is off by {resid[worst]:+.2%} "
        "(the targets may be inconsistent with each other)"
    )
