"""What the measures of one year read and write: the policy in force and derived columns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.population import Population
from model.registry import REGIONS
from model.scenario import Scenario

PAYERS = ("central", "local", "individuals", "insurance_fund")


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
class Flow:
    """Money moved by a measure in one year, per person (yuan/year).

    `payer` pays and the person receives when payer is government or a fund; when payer is
    "individuals", the person pays (a contribution). `cash` flows change disposable income;
    in-kind ones (insurance subsidies) count in net benefit only.
    """

    measure: str
    payer: str
    amount: np.ndarray
    cash: bool


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
    flows: list[Flow] = field(default_factory=list)
    cols: dict[str, np.ndarray] = field(default_factory=dict)

    def add(self, measure: str, payer: str, amount: np.ndarray, cash: bool = True) -> None:
        self.flows.append(Flow(measure, payer, amount.astype(np.float32, copy=False), cash))

    def person_household_pc(self, values: np.ndarray) -> np.ndarray:
        """Spread a per-person amount over the household: per-capita value for each person's household."""
        per_hh = np.bincount(self.pop.hh, weights=values, minlength=self.pop.n_households)
        return per_hh / np.maximum(self.hh_size, 1)


def logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return float(np.log(p / (1 - p)))
