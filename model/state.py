"""What the measures of one year read and write: the policy in force and derived columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.special import expit

from model import kernels
from model.kernels import bincount, book
from model.population import Population
from model.provinces import KEYS as PROVINCE_KEYS
from model.provinces import N_PROVINCES, REGIONS
from model.scenario import Scenario

PAYERS = ("central", "local", "individuals", "insurance_fund", "employers")
# What each kind of flow is: government spending, insurance-fund spending, a contribution the
# funds receive (from people or employers), or employers' own spending (childcare they pay for).
KINDS = ("government", "insurance_fund", "contributions", "employers_spending")
CONTRIBUTION_MEASURES = ("employee_formal",)  # employers' payments that are contributions


def cost_kind(measure: str, payer: str) -> str:
    """The kind of a (measure, payer) flow: one of KINDS."""
    if payer in ("central", "local"):
        return "government"
    if payer == "insurance_fund":
        return "insurance_fund"
    if payer == "individuals" or measure in CONTRIBUTION_MEASURES:
        return "contributions"
    return "employers_spending"


class PolicyYear:
    """The scenario's parameter values in force in one year (uprated where the registry says so)."""

    def __init__(self, scenario: Scenario, year: int):
        self.year = year
        self._values = {name: scenario.uprated_value(name, year) for name in scenario.params}

    def __getitem__(self, name: str) -> float:
        return self._values[name]

    def regional(self, prefix: str) -> np.ndarray:
        """The four regional values of `prefix.<region>`, indexed by region code."""
        return np.array([self._values[f"{prefix}.{r}"] for r in REGIONS])

    def provincial(self, prefix: str) -> np.ndarray:
        """The 31 values of `prefix.<province>`, indexed by province (model/provinces.py)."""
        return np.array([self._values[f"{prefix}.{k}"] for k in PROVINCE_KEYS])


@dataclass(frozen=True)
class ByProvince:
    """A payer's share of a flow that depends on the province only: one value per province (31),
    applied to each province's total (instead of one value per person or household)."""

    values: np.ndarray

    def rest(self) -> ByProvince:
        """The other payer's share: one minus this one, province by province."""
        return ByProvince(1.0 - self.values)


def share_of(share: float | ByProvince, by_province: np.ndarray) -> np.ndarray:
    """A payer's part of a flow given by province (yuan/year, 31): a number's share of each
    province's total, or each province's own share."""
    return share.values * by_province if isinstance(share, ByProvince) else share * by_province


@dataclass
class YearState:
    """Per-person and per-household columns of one year, shared by the measures."""

    year: int
    pop: Population
    w: np.ndarray  # person weight
    urban: np.ndarray  # person lives in an urban area
    migrant: np.ndarray  # person lives away from the hukou place
    hh_size: np.ndarray  # members per household
    other_pc: np.ndarray  # per-household per-capita income other than modelled transfers
    mean_income_urban: float  # published-trajectory means, independent of policy
    mean_income_rural: float
    income_index: float = (
        1.0  # nominal income level relative to the start year (prices and costs follow it)
    )
    # (provinces, 2) income level of each province's rural and urban residents relative to the
    # national means (model/province_data.py income_levels)
    income_level: np.ndarray | None = None
    other_order: np.ndarray | None = (
        None  # argsort of other_pc (ranks never change: all incomes grow alike)
    )
    cols: dict[str, np.ndarray] = field(default_factory=dict)
    costs: dict[tuple[str, str], float] = field(
        default_factory=dict
    )  # (measure, payer) -> yuan/year
    # (measure, payer) -> yuan/year in each province (31); lumps not paid to persons are here only
    # when the measure says where they are spent (see `add_lump`)
    costs_by_province: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    # money received minus contributions paid, yuan/year: cash (changes disposable income) and in
    # kind (insurance subsidies, vouchers). Booked per person as it comes (`person_cash`,
    # `person_in_kind`, only the persons concerned touched) or per household (`hh_cash`,
    # `hh_in_kind`); `household_flows` adds the persons' to their households once, at the end.
    person_cash: np.ndarray | None = None
    person_in_kind: np.ndarray | None = None
    hh_cash: np.ndarray | None = None
    hh_in_kind: np.ndarray | None = None

    @cached_property
    def hh_persons(self) -> np.ndarray:
        """Persons each household represents (its weight times its members)."""
        return self.pop.hh_weight * self.hh_size

    def _hh_flows(self, cash: bool) -> np.ndarray:
        if self.hh_cash is None:
            self.hh_cash = np.zeros(self.pop.n_households)
            self.hh_in_kind = np.zeros(self.pop.n_households)
        return self.hh_cash if cash else self.hh_in_kind

    def _person_flows(self, cash: bool) -> np.ndarray:
        if self.person_cash is None:
            self.person_cash = np.zeros(self.pop.n_persons)
            self.person_in_kind = np.zeros(self.pop.n_persons)
        return self.person_cash if cash else self.person_in_kind

    def person_flows(self) -> tuple[np.ndarray, np.ndarray]:
        """The persons' cash and in-kind net receipts booked so far this year (yuan/year), for a
        compiled measure to add to in place."""
        return self._person_flows(True), self._person_flows(False)

    def book_sums(
        self, measure: str, by_province: np.ndarray, shares: dict[str, float | ByProvince]
    ) -> None:
        """Record a flow a compiled measure has summed by province already (weighted yuan/year,
        31) and booked to persons itself; `shares` maps each payer to its share (a number, or one
        per province)."""
        for payer, share in shares.items():
            part = share_of(share, by_province)
            self._book(measure, payer, part.sum(), part)

    def household_flows(self) -> tuple[np.ndarray, np.ndarray]:
        """Each household's cash and in-kind net receipts of the year (yuan/year, all members)."""
        cash, in_kind = (np.array(self._hh_flows(c)) for c in (True, False))
        if self.person_cash is not None:
            n = self.pop.n_households
            persons = kernels.group_sums(self.pop.hh, [self.person_cash, self.person_in_kind], n)
            cash += persons[0]
            in_kind += persons[1]
        return cash, in_kind

    @cached_property
    def person_province(self) -> np.ndarray:
        """Each person's province (index into model.provinces.PROVINCES)."""
        return self.pop.person_column("hh_province")

    def _book(
        self, measure: str, payer: str, total: float, by_province: np.ndarray | None = None
    ) -> None:
        key = (measure, payer)
        self.costs[key] = self.costs.get(key, 0.0) + float(total)
        if by_province is not None:
            before = self.costs_by_province.get(key)
            self.costs_by_province[key] = by_province if before is None else before + by_province

    def by_province(self, province: np.ndarray, weighted: np.ndarray) -> np.ndarray:
        """Yuan per province: `weighted` (weight times amount) summed by `province`."""
        return bincount(province, weights=weighted, minlength=N_PROVINCES)

    def add_lump(
        self, measure: str, payer: str, total: float, by_province: np.ndarray | None = None
    ) -> None:
        """Record a cost not paid to persons (subsidies to providers, construction), yuan/year.

        `by_province`: the same cost in each province (31, adding up to `total`) when the
        measure knows where it is spent; otherwise it counts nationally only.
        """
        self._book(measure, payer, total, by_province)

    def add_by_code(
        self, measure: str, payer: str, table: np.ndarray, code: np.ndarray, cash: bool = True
    ) -> None:
        """Record money a measure moves this year to every person, person i's amount being
        ``table[code[i]]`` (yuan/year): for amounts that depend on a few of the person's traits
        only, read from their table in the booking's pass.

        When `payer` is a government or a fund, the person receives the amount; when it is
        "individuals", the person pays it (a contribution). Cash flows change disposable income;
        in-kind ones (insurance subsidies) count in net benefit only.
        """
        whole = kernels.book_by_code(
            self.person_province,
            self.w,
            table,
            code,
            self._person_flows(cash),
            flow_sign({payer: 1.0}),
            N_PROVINCES,
        )
        self.book_sums(measure, whole, {payer: 1.0})

    def add_household(
        self,
        measure: str,
        amount: np.ndarray,
        shares: dict[str, float | np.ndarray],
        cash: bool = True,
    ) -> None:
        """Record money per household (the total its members receive, or pay), yuan/year.

        For measures decided per household (dibao, the resident medical scheme's contribution and
        subsidy): one operation per household instead of one per person. `shares` maps each payer
        to its share of the amount (a number, or one per household; they add up to one); when the
        only payer is "individuals", the household pays the amount.
        """
        self._book_shares(
            measure,
            shares,
            None,
            self.pop.hh_province,
            self.pop.hh_weight,
            amount,
            self._hh_flows(cash),
        )

    def add_sparse(
        self,
        measure: str,
        payer: str,
        idx: np.ndarray,
        amount: np.ndarray | float,
        cash: bool = True,
    ) -> None:
        """Record money for the persons `idx` only (amount[i] goes to person idx[i]), from one
        `payer` (as `add_by_code` says); yuan/year."""
        self.add_sparse_split(measure, idx, amount, {payer: 1.0}, cash)

    def add_sparse_split(
        self,
        measure: str,
        idx: np.ndarray,
        amount: np.ndarray | float,
        shares: dict[str, float | np.ndarray],
        cash: bool = True,
    ) -> None:
        """Record money for the persons `idx` only (amount[i], or one amount for all, to person idx[i]).

        `shares` maps each payer to its share (a number, or one per person of `idx`; they add up
        to one); when the only payer is "individuals", the persons pay the amount.
        """
        self._book_shares(
            measure, shares, idx, self.person_province, self.w, amount, self._person_flows(cash)
        )

    def _book_shares(
        self,
        measure: str,
        shares: dict[str, float | np.ndarray],
        idx: np.ndarray | None,
        province: np.ndarray,
        weight: np.ndarray,
        amount: np.ndarray | float,
        flows: np.ndarray,
    ) -> None:
        """Book `amount` (yuan/year) of the units `idx` (None: all) by payer and province, and
        add it to (or, when the only payer is "individuals", take it from) their `flows`.

        A payer's share is a number (its share of the whole), one value per unit, or one value
        per province (`ByProvince`)."""
        arrays = [v for v in shares.values() if isinstance(v, np.ndarray)]
        sign = flow_sign(shares)
        whole, by_share = book(idx, province, weight, amount, arrays, flows, sign, N_PROVINCES)
        k = 0
        for payer, share in shares.items():
            if isinstance(share, np.ndarray):
                by_province, k = by_share[k], k + 1
            else:
                by_province = share_of(share, whole)
            self._book(measure, payer, by_province.sum(), by_province)


def flow_sign(shares: dict[str, object]) -> float:
    """+1 when the payers pay the units, -1 when the only payer is "individuals" (they pay)."""
    return -1.0 if list(shares) == ["individuals"] else 1.0


def logistic(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), in one pass (scipy's expit: the same numbers)."""
    return expit(x)


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return float(np.log(p / (1 - p)))
