"""Calibration weighting (raking): adjust household weights so weighted counts hit national totals.

This is the Deville-Särndal raking estimator: w_i = d_i * exp(x_i . lambda), with lambda solved by
Newton's method so that sum_i w_i x_i = T exactly. In large samples the Newton matrix is
estimated on an evenly spaced subsample of households and its rows and columns rescaled so that
its diagonal is the full sample's (which one pass gives); the residuals are always exact, so the
solution is the same and only the path to it changes. x_i holds, for household i, the number of its
members in each margin (persons aged 60+, urban residents, ...), so person-level totals are met
with one weight per household (integrated weighting: members share their household's weight).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from model import kernels

# with an estimated Newton matrix, keep the last one once every margin is within this (relative):
# the steps after it converge as fast without it (measured on the 1M-household build: 15 steps
# either way, 4 matrices instead of 15)
KEEP_MATRIX_BELOW = 1e-2
# the subsample for the Newton matrix holds at least every 32nd household: the steps needed grow
# with the spacing, not with the subsample's size (measured on the dumped designs, tolerance
# 1e-10: at 10M households, 3,178,379 rows, every 96th took 52 steps and every 31st 20; at 1M,
# 548,196 rows, every 16th took 16 steps and every 32nd 21)
MAX_SPACING = 32


class RakingError(RuntimeError):
    """The margins cannot be met (inconsistent targets or a margin no household contributes to)."""


def rake(
    design: np.ndarray,
    targets: np.ndarray,
    base: np.ndarray,
    names: list[str],
    tol: float = 1e-10,
    max_iter: int = 60,
    jacobian_rows: int = 33_000,
) -> np.ndarray:
    """Return weights w with design.T @ w == targets (to `tol`, relative).

    Args:
        design: (households, margins) counts of members per margin (dense, or a scipy sparse
            matrix: households have few members, so most entries are zero).
        targets: (margins,) weighted totals to reach.
        base: (households,) starting weights.
        names: margin names, for error messages.
        jacobian_rows: above this many households the Newton matrix is estimated on every k-th
            household (k = households // jacobian_rows, at most MAX_SPACING), scaled by k; the
            exact matrix is used again if that has not converged in `max_iter` steps.
    """
    if sp.issparse(design):  # by rows: its transpose (by columns) is a view, and both
        x = sp.csr_matrix(design)  # products (x @ lam, x.T @ w) stream over the entries once
        if not x.has_sorted_indices:  # a sorted copy: a caller's design is left as it was
            x = x.sorted_indices()
        xt = x.T
    else:
        x, xt = design, design.T
    k = subsample_spacing(x.shape[0], jacobian_rows)
    lam = np.zeros(x.shape[1])
    for every in (k, 1) if k > 1 else (1,):
        lam, converged = _solve(x, xt, targets, base, tol, max_iter, every, lam)
        if converged:
            return base * np.exp(np.clip(x @ lam, -30, 30))
    w = base * np.exp(np.clip(x @ lam, -30, 30))
    resid = (xt @ w - targets) / targets
    worst = int(np.argmax(np.abs(resid)))
    raise RakingError(
        f"raking did not converge: margin {names[worst]!r} is off by {resid[worst]:+.2%} "
        "(the targets may be inconsistent with each other)"
    )


def subsample_spacing(rows: int, jacobian_rows: int) -> int:
    """k: the Newton matrix is estimated on every k-th of `rows` households (1: on all of them),
    so that about `jacobian_rows` are used, but at least every MAX_SPACING-th."""
    return min(max(1, rows // jacobian_rows), MAX_SPACING)


def _newton_matrix(sub, subt, squares, w: np.ndarray, k: int) -> np.ndarray:
    """The Newton matrix sum_i w_i x_i x_i' (margins x margins) of every k-th household, scaled
    by k and, when k > 1, rescaled so its diagonal is the full sample's (from `squares`, the
    full design: rare margins are few in the subsample)."""
    ws = w[::k] * k if k > 1 else w
    if sp.issparse(sub):
        jac = (subt @ sp.diags(ws) @ sub).toarray()
    else:
        jac = (sub * ws[:, None]).T @ sub
    if k > 1:
        full, part = _squares_times(squares, w), np.diag(jac)
        scale = np.sqrt(np.divide(full, part, out=np.ones_like(full), where=part > 0))
        jac = jac * scale[:, None] * scale[None, :]
    return jac


def _squares_times(x, w: np.ndarray) -> np.ndarray:
    """sum_i w_i x_ij^2 for each margin j, from the design `x` (households x margins, by rows
    when sparse): ``(x with each entry squared).T @ w``, without making the squared matrix."""
    if sp.issparse(x):
        x = sp.csr_matrix(x)
        w = np.asarray(w, float)
        return kernels.squared_rmatvec(x.indptr, x.indices, x.data, w, x.shape[1])
    return (x * x).T @ w


def _solve(
    x, xt, targets: np.ndarray, base: np.ndarray, tol: float, max_iter: int, k: int, lam: np.ndarray
) -> tuple[np.ndarray, bool]:
    """Newton's method from `lam` with the Newton matrix of every k-th household.

    With a subsample (k > 1) the matrix is an estimate, so convergence is linear whatever the
    iterate; once every margin is within KEEP_MATRIX_BELOW the last matrix is kept (a chord
    step), which converges at the same rate for a fraction of the work. Returns the
    multipliers and whether the margins were met.
    """
    sub = x[::k] if k > 1 else x
    if sp.issparse(sub):
        sub = sp.csr_matrix(sub)
    subt = sub.T.tocsr() if sp.issparse(sub) else sub.T
    squares = x if k > 1 else None  # the full sample's diagonal comes from it
    eta = x @ lam  # each household's log weight change, kept in step with lam
    jac = inverse = None
    for _ in range(max_iter):
        w = base * np.exp(np.clip(eta, -30, 30))
        resid = (xt @ w - targets) / targets
        if np.max(np.abs(resid)) < tol:
            return lam, True
        if jac is None or k == 1 or np.max(np.abs(resid)) > KEEP_MATRIX_BELOW:
            jac, inverse = _newton_matrix(sub, subt, squares, w, k), None
            step = np.linalg.lstsq(jac, resid * targets, rcond=None)[0]
        else:  # the kept matrix: its pseudo-inverse once (what lstsq solves with), then products
            inverse = np.linalg.pinv(jac) if inverse is None else inverse
            step = inverse @ (resid * targets)
        # damp long steps: no household's log weight moves by more than 1 in one iteration
        x_step = x @ step
        damping = min(1.0, 1.0 / max(float(np.max(np.abs(x_step))), 1e-12))
        lam = lam - damping * step
        eta -= damping * x_step
    return lam, False
