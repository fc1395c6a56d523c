"""What the measures of one year read and write: the policy in force and derived columns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.population import Population
from model.registry import REGIONS
from model.scenario import Scenario

PAYERS = ("central", "local", "individuals", "insurance_fund", "employers")


class PolicyYear:
    """The scenario's parameter values in force in one year."""

    def __init__(self, scenario: Scenario, year: int):
        self.year = year
        self._values = {name: scenario.value(name, year) for name in scenario.params}

    def __getitem__(self, name: str) -> float:
        return self._values[name]

    def regional(self, prefix: str) -> np.ndarray:
        """The four regional values of `prefix.<region>`, indexed by region code."""
        return np.array([self._values[f"{prefix}.{r}"] for r in REGIONS])


@dataclass
class YearState:
    """Per-person and per-household columns of one year, shared by the measures."""

    year: int
    pop: Population
    w: np.ndarray  # person weight
    urban: np.ndarray  # person lives in an urban area
    region: np.ndarray  # region code of the person's household
    migrant: np.ndarray  # person lives away from the hukou place
    hh_size: np.ndarray  # members per household
    other_pc: np.ndarray  # per-household per-capita income other than modelled transfers
    mean_income_urban: float  # published-trajectory means, independent of policy
    mean_income_rural: float
    income_index: float = 1.0  # nominal income level relative to the start year (prices and costs follow it)
    other_order: np.ndarray | None = None  # argsort of other_pc (ranks never change: all incomes grow alike)
    cols: dict[str, np.ndarray] = field(default_factory=dict)
    costs: dict[tuple[str, str], float] = field(default_factory=dict)  # (measure, payer) -> yuan/year
    net: np.ndarray | None = None  # per person: benefits received minus contributions paid
    cash: np.ndarray | None = None  # per person: the cash part of net (changes disposable income)

    def add_lump(self, measure: str, payer: str, total: float) -> None:
        """Record a cost not paid to persons (subsidies to providers, construction), yuan/year."""
        key = (measure, payer)
        self.costs[key] = self.costs.get(key, 0.0) + float(total)

    def add_sparse(self, measure: str, payer: str, idx: np.ndarray, amount: np.ndarray, cash: bool = True) -> None:
        """As `add`, for the persons `idx` only (amount[i] goes to person idx[i])."""
        if self.net is None:
            self.net = np.zeros(len(self.w))
            self.cash = np.zeros(len(self.w))
        amount = np.broadcast_to(np.asarray(amount, dtype=float), idx.shape)
        key = (measure, payer)
        self.costs[key] = self.costs.get(key, 0.0) + float(self.w[idx] @ amount)
        sign = -1.0 if payer == "individuals" else 1.0
        self.net[idx] += sign * amount
        if cash:
            self.cash[idx] += sign * amount

    def add(self, measure: str, payer: str, amount: np.ndarray, cash: bool = True) -> None:
        """Record money a measure moves this year, per person (yuan/year).

        When `payer` is a government or a fund, the person receives `amount`; when it is
        "individuals", the person pays it (a contribution). Cash flows change disposable income;
        in-kind ones (insurance subsidies) count in net benefit only.
        """
        if self.net is None:
            self.net = np.zeros(len(self.w))
            self.cash = np.zeros(len(self.w))
        key = (measure, payer)
        self.costs[key] = self.costs.get(key, 0.0) + float(self.w @ amount)
        if payer == "individuals":
            np.subtract(self.net, amount, out=self.net)
            if cash:
                np.subtract(self.cash, amount, out=self.cash)
        else:
            np.add(self.net, amount, out=self.net)
            if cash:
                np.add(self.cash, amount, out=self.cash)

    def person_household_pc(self, values: np.ndarray) -> np.ndarray:
        """Spread a per-person amount over the household: per-capita value for each person's household."""
        per_hh = np.bincount(self.pop.hh, weights=values, minlength=self.pop.n_households)
        return per_hh / np.maximum(self.hh_size, 1)


def logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return float(np.log(p / (1 - p)))
