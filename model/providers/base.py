"""Service providers as Mesa agents, and the vectorised allocation of their capacity.

A `Provider` is the capacity of one kind (childcare slots, nursing beds, day-care places,
primary-care visits) and one ownership (public, affordable 普惠, private) in one place of the
synthetic geography. Capacities are national weighted counts (a synthetic community stands for
many real ones). There are thousands of providers, so they are ordinary Mesa agents; the
millions of households that use them are matched to them by `allocate`, which never loops over
households in Python.
"""

from __future__ import annotations

import mesa
import numpy as np

from model.kernels import bincount

PUBLIC, AFFORDABLE, PRIVATE = "public", "affordable", "private"


class Provider(mesa.Agent):
    """Capacity of one kind and ownership in one community (or county).

    Attributes:
        kind: "childcare", "nursing" (institutional beds), "daycare" or "primary".
        ownership: public, affordable or private; only private providers respond to margins.
        place: community index (childcare, day care) or county index (nursing, primary).
        capacity: persons (or visits) it can serve in a year, national weighted count.
        price: yuan/month charged (visits: yuan per visit).
        served: persons (or visits) served this year.
        nursing_share: share of the capacity that is nursing-type (nursing beds only).
        integrated: medical-elderly integrated capacity included in `capacity`.
    """

    def __init__(
        self,
        model: mesa.Model,
        kind: str,
        ownership: str,
        place: int,
        capacity: float,
        price: float,
        other_capacity: float = 0.0,
        integrated: float = 0.0,
        scale: float = 1.0,
    ):
        super().__init__(model)
        self.scale = float(scale)  # local price and cost level relative to an urban place
        self.kind = kind
        self.ownership = ownership
        self.place = place
        self.capacity = float(capacity)
        self.other_capacity = float(other_capacity)  # non-nursing beds of an institution
        self.integrated = float(integrated)
        self.price = float(price)
        self.served = 0.0
        self.capacity_when_served = 0.0
        self.margin = 0.0
        self.removed = False

    def remove(self) -> None:
        """Leave the model (a market's `Roster` then drops it)."""
        self.removed = True
        super().remove()

    def record(self, served: float) -> None:
        """Set this year's use (the capacity it was allocated against is kept for checks)."""
        record_all([self], np.array([served]))

    @property
    def occupancy(self) -> float:
        return self.served / self.capacity if self.capacity > 0 else 0.0

    def adjust(self, **terms) -> None:
        """Adjust this provider for next year (`adjust_all`, which says how)."""
        adjust_all([self], **terms)


def record_all(providers: list[Provider], served: np.ndarray) -> None:
    """Set each provider's use of the year (persons or visits, `served[i]` for `providers[i]`);
    the capacity it was allocated against is kept for checks."""
    for a, sv in zip(providers, served.tolist(), strict=True):
        a.served = sv
        a.capacity_when_served = a.capacity


def adjust_all(
    providers: list[Provider],
    unit_cost: float,
    subsidy_month: float,
    response: float,
    price_response: float,
    target_occupancy: float,
    new_nursing_share: float | None = None,
    user_subsidy_month: float = 0.0,
) -> None:
    """Private providers grow or shrink with their margin and move their price with occupancy.

    margin = (occupancy x (price + subsidy per user per month) + subsidy per place per month
              - cost per place per month) / cost,
    with the cost (yuan per place per month) scaled to the local price level (`scale`).
    Capacity changes by `response` x margin (capped at +-10% a year); the price moves by
    `price_response` x (occupancy - target), never below half the cost. An agent stands for
    many real centres, so closures show as lost capacity; an agent whose capacity falls below
    one place is removed. Public and affordable providers keep their capacity and regulated
    price (public investment changes them); every provider's margin is recorded.

    Computed as arrays over the providers (the same arithmetic as one provider at a time), then
    written back to each agent.
    """
    if not providers:
        return
    capacity = np.array([a.capacity for a in providers])
    served = np.array([a.served for a in providers])
    price = np.array([a.price for a in providers])
    cost = unit_cost * np.array([a.scale for a in providers])
    occupancy = np.divide(served, capacity, out=np.zeros(len(capacity)), where=capacity > 0)
    margin = (occupancy * (price + user_subsidy_month) + subsidy_month - cost) / cost
    private = np.array([a.ownership == PRIVATE for a in providers])
    added = capacity * np.clip(response * margin, -0.10, 0.10)
    capacity = capacity + added
    price = np.maximum(0.5 * cost, price * (1 + price_response * (occupancy - target_occupancy)))
    extra_other = np.zeros(len(capacity))
    if new_nursing_share is not None:
        # new beds follow the nursing-type share required of new institutions; the rest are other beds
        grows = added > 0
        extra_other[grows] = added[grows] * (1 - new_nursing_share) / max(new_nursing_share, 1e-9)
    for a, m, own, cap, pr, other in zip(
        providers,
        margin.tolist(),
        private.tolist(),
        capacity.tolist(),
        price.tolist(),
        extra_other.tolist(),
        strict=True,
    ):
        a.margin = m
        if not own:
            continue
        a.capacity, a.price = cap, pr
        a.other_capacity += other
        if cap < 1.0:
            a.capacity = 0.0
            a.remove()


class Roster:
    """The providers of one kind, in the order they opened (their order in `model.agents`).

    A market reads its providers from here rather than scanning every agent of the model. A
    provider removed from the model (`Provider.adjust` removes those that shrink below one place)
    is dropped the next time the roster is read.
    """

    def __init__(self, model: mesa.Model, kind: str):
        self.model = model
        self.kind = kind
        self._agents: list[Provider] = []

    def open(self, ownership: str, place: int, capacity: float, price: float, **kwargs) -> Provider:
        """A new provider of this kind (see `Provider`), kept on the roster."""
        agent = Provider(self.model, self.kind, ownership, place, capacity, price, **kwargs)
        self._agents.append(agent)
        return agent

    def __call__(self) -> list[Provider]:
        """The providers of this kind still in the model, oldest first."""
        self._agents = [a for a in self._agents if not a.removed]
        return list(self._agents)


def _sum_ahead_in_place(place_sorted: np.ndarray, values_sorted: np.ndarray) -> np.ndarray:
    """For items sorted by place, the sum of the values of the items before each in its place."""
    cum = np.cumsum(values_sorted)
    start = np.r_[True, place_sorted[1:] != place_sorted[:-1]]
    place_start = np.maximum.accumulate(np.where(start, cum - values_sorted, 0.0))
    return cum - values_sorted - place_start


def allocate(
    place: np.ndarray, weight: np.ndarray, priority: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """Serve demanders place by place, lowest `priority` first, until the place's capacity is used.

    Args:
        place: place index of each demander.
        weight: persons each demander stands for (national weights).
        priority: queue position (lower first), e.g. a persistent uniform draw.
        capacity: capacity of each place, in persons.

    Returns:
        The served fraction of each demander, in [0, 1]: 1 for those ahead in the queue, a part for
        the one at the boundary, 0 behind it. So a place serves exactly min(demand, capacity):
        capacity is never exceeded, served + waiting = demand, and more demand never means
        fewer served.
    """
    n = len(place)
    if n == 0:
        return np.zeros(0)
    order = np.lexsort((priority, place))
    p, w = place[order], weight[order]
    ahead = _sum_ahead_in_place(p, w)  # weight queued ahead in the same place
    frac = np.empty(n)
    frac[order] = np.clip(np.divide(capacity[p] - ahead, w, out=np.zeros(n), where=w > 0), 0.0, 1.0)
    return frac


def fill_cheapest_first(
    place: np.ndarray, price: np.ndarray, capacity: np.ndarray, used: np.ndarray
) -> np.ndarray:
    """Split the capacity used in each place among its providers, cheapest first.

    Args:
        place, price, capacity: per provider.
        used: per place, the capacity used (<= the place's total capacity).

    Returns:
        served per provider.
    """
    if len(place) == 0:
        return np.zeros(0)
    order = np.lexsort((price, place))
    p, c = place[order], capacity[order]
    cap_before = _sum_ahead_in_place(p, c)  # capacity of cheaper providers in the same place
    served_sorted = np.clip(used[p] - cap_before, 0.0, c)
    served = np.empty(len(place))
    served[order] = served_sorted
    return served


def allocate_local_then_county(
    community: np.ndarray,
    community_county: np.ndarray,
    weight: np.ndarray,
    priority: np.ndarray,
    travels: np.ndarray,
    capacity: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Serve demanders in their own community first; those left over who travel try the county.

    Args:
        community: community of each demander.
        community_county: county of each community.
        weight, priority: as in `allocate`.
        travels: demanders willing to use a provider elsewhere in the county.
        capacity: per community.

    Returns:
        (fraction served in own community, fraction served elsewhere in the county, capacity used
        per community). The use of no community exceeds its capacity.
    """
    n_comm = len(capacity)
    local = allocate(community, weight, priority, capacity)
    used = bincount(community, weights=weight * local, minlength=n_comm)
    remaining = np.maximum(capacity - used, 0.0)
    n_county = int(community_county.max()) + 1 if n_comm else 0
    pool = bincount(community_county, weights=remaining, minlength=n_county)
    away = np.zeros(len(community))
    idx = np.flatnonzero((local < 1) & travels)
    if len(idx):
        left = weight[idx] * (1 - local[idx])
        got = allocate(community_county[community[idx]], left, priority[idx], pool)
        away[idx] = (1 - local[idx]) * got
        county_used = bincount(
            community_county[community[idx]], weights=left * got, minlength=n_county
        )
        share = np.divide(
            remaining,
            pool[community_county],
            out=np.zeros(n_comm),
            where=pool[community_county] > 0,
        )
        used = used + share * county_used[community_county]
    return local, away, used
