"""Household income other than the modelled transfers: a Dagum distribution in each area.

Each household has a standard-normal income rank z (`Population.hh_z`); its per-capita income
other than the modelled transfers is the Dagum quantile of Φ(z) for its area (urban or rural),
times the area's scale. The Dagum distribution, F(x) = (1 + (x/b)^-a)^-p, has a heavier lower
and upper tail than a log-normal of the same median, and its two shapes per area are fitted to
the published median/mean ratios by area and the national quintile means
(`minsheng calibrate`, calibration/report.md). The scale makes the weighted mean of income
(other income plus the base-year modelled transfers) equal the area mean.

A household that moves to a town keeps its rank z and takes the urban distribution's income at
that rank (movers keep their place in the income distribution of the area they join).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from model import kernels

AREAS = ("rural", "urban")  # indexed by hh_urban
U_CLIP = 1e-12  # ranks are kept inside (0, 1) so the quantile stays finite


def dagum_quantile(u: np.ndarray, a: float, p: float) -> np.ndarray:
    """The Dagum quantile at probability u for scale 1: (u^(-1/p) - 1)^(-1/a)."""
    u = np.clip(u, U_CLIP, 1.0 - U_CLIP)
    return (u ** (-1.0 / p) - 1.0) ** (-1.0 / a)


def shape_values(z: np.ndarray, urban: np.ndarray, params: dict[str, float]) -> np.ndarray:
    """Per household: the Dagum quantile (scale 1) of its rank Φ(z) in its area's distribution."""
    u = ndtr(z)
    out = np.empty(len(z))
    for is_urban, area in ((False, "rural"), (True, "urban")):
        m = urban == is_urban
        out[m] = dagum_quantile(
            u[m], params[f"income.dagum_a_{area}"], params[f"income.dagum_p_{area}"]
        )
    return out


def area_means(
    persons: np.ndarray, urban: np.ndarray, mean_all: float, mean_urban: float, mean_rural: float
) -> tuple[float, float]:
    """Urban and rural mean incomes that keep the published overall mean and urban/rural ratio.

    NBS's urban and rural means (household survey) imply an urban share below the resident
    urbanisation rate (for 2024: (41,314 - 23,119) / (54,188 - 23,119) = 58.6%, not 67%), so the
    three published means cannot all hold on a population that is 67% urban. We keep the
    overall mean and the ratio.

    Args:
        persons: persons each household represents.
        urban: households in urban areas.
    """
    urban_share = float(np.sum(persons[urban]) / persons.sum())
    ratio = mean_urban / mean_rural
    rural = mean_all / (urban_share * ratio + (1 - urban_share))
    return rural * ratio, rural


def area_scales(
    persons: np.ndarray,
    urban: np.ndarray,
    shape: np.ndarray,
    means: dict[str, float],
    transfers_pc: np.ndarray,
) -> dict[str, float]:
    """Yuan per unit of shape in each area, so that mean(other income + transfers) = the area mean.

    Args:
        persons: persons each household represents.
        shape: `shape_values` of each household.
        means: {"urban": yuan, "rural": yuan} per person per year.
        transfers_pc: per-capita modelled transfers already inside the published income.
    """
    out = {}
    for is_urban, area in ((False, "rural"), (True, "urban")):
        m = urban == is_urban
        wp = persons[m]
        need = means[area] * wp.sum() - np.sum(wp * transfers_pc[m])
        out[area] = float(max(need, 0.0) / np.sum(wp * shape[m]))
    return out


class Incomes:
    """Per-household per-capita income other than the modelled transfers (yuan/person/year).

    Each household's income is its area's Dagum quantile at its rank, times the area's scale,
    times its province's income level in the area (`levels[province, urban]`, relative to the
    nation). Grows with the nominal income index; `move_to_towns` and `split_off` keep it in step
    with the households' moves.
    """

    def __init__(
        self,
        z: np.ndarray,
        urban: np.ndarray,
        params: dict[str, float],
        scales: dict[str, float],
        province: np.ndarray,
        levels: np.ndarray,
    ):
        self.params = {k: params[k] for k in params if k.startswith("income.dagum_")}
        self.scales = scales
        self.levels = levels
        self.index = 1.0
        self.other_pc = (
            shape_values(z, urban, self.params)
            * np.where(urban, scales["urban"], scales["rural"])
            * levels[province, urban.astype(np.intp)]
        )
        # incomes are continuous (no ties), so any sort gives this order: a radix sort of
        # their bit patterns when none is negative
        keys = kernels.float_keys(self.other_pc)
        self._order = np.argsort(self.other_pc) if keys is None else kernels.argsort_keys(keys)
        # the incomes in that order (`other_pc[_order]`), kept in step, so that putting changed
        # households back reads them in one pass instead of gathering them along the order
        self._sorted = self.other_pc[self._order]
        self._pending: list[np.ndarray] = []  # households to put back in order

    def grow(self, growth: float) -> None:
        """Nominal growth of the year (a factor, e.g. 1.05); ranks are unchanged."""
        self.other_pc = self.other_pc * growth
        self._sorted = self._sorted * growth  # the same products: still other_pc[_order]
        self.index *= growth

    def move_to_towns(self, idx: np.ndarray, z: np.ndarray, province: np.ndarray) -> None:
        """Households `idx` now live in towns of their province: the urban income at their rank."""
        if len(idx) == 0:
            return
        urban = np.ones(len(idx), dtype=bool)
        self.other_pc[idx] = (
            shape_values(z[idx], urban, self.params)
            * self.scales["urban"]
            * self.levels[province[idx], 1]
            * self.index
        )
        self._pending.append(idx)

    def split_off(self, parents: np.ndarray) -> None:
        """New households formed from `parents` (numbered after the others) keep their income."""
        if len(parents) == 0:
            return
        H = len(self.other_pc)
        self.other_pc = np.concatenate([self.other_pc, self.other_pc[parents]])
        self._pending.append(np.arange(H, H + len(parents)))

    def _reinsert(self, idx: np.ndarray) -> None:
        """Put the households `idx` (changed or new) in their place in the income order.

        One pass over the others and a sort of the few changed ones, instead of a full sort; a
        new household equal to its parent goes right after it.
        """
        changed = np.zeros(len(self.other_pc), dtype=bool)
        changed[idx] = True
        new = idx[np.argsort(self.other_pc[idx], kind="stable")]
        self._order, self._sorted = kernels.merge_changed(
            self._order, self._sorted, changed, new, self.other_pc[new]
        )

    def order(self) -> np.ndarray:
        """Households in ascending order of income (the same in every scenario of a run).

        Households moved or formed since the last call are put in their place first, in one pass.
        """
        if self._pending:
            self._reinsert(np.unique(np.concatenate(self._pending)))
            self._pending = []
        return self._order
