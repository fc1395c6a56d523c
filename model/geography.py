"""Where households live: synthetic counties and communities.

Households are grouped into communities and communities into counties, within strata of
province x residence (urban districts, rural counties). A synthetic county stands for many real
ones (the sample is national), so capacities placed in it are national weighted counts.
Each county and community also gets a fixed random rank: the order in which it gains a county
medical community or embedded childcare as the covered share rises, so coverage grows
monotonically and identically across scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.kernels import bincount
from model.population import Population
from model.provinces import N_PROVINCES, REGION_OF

HOUSEHOLDS_PER_COMMUNITY = 100
COMMUNITIES_PER_COUNTY = 5
# Synthetic communities are a resolution, not a census: beyond this many, more households make
# communities fuller, not more numerous (so providers stay in the thousands at any sample size).
MAX_COMMUNITIES = 2000


@dataclass
class Geography:
    """Index columns linking households, communities and counties."""

    hh_community: np.ndarray  # (households,) community index
    community_county: np.ndarray  # (communities,) county index
    county_urban: np.ndarray  # (counties,) urban district (True) or rural county
    county_province: np.ndarray  # (counties,) province index (model/provinces.py)
    county_large_city: np.ndarray  # (counties,) urban district of a large city
    county_rank: np.ndarray  # (counties,) order of gaining a county medical community
    community_rank: np.ndarray  # (communities,) order of gaining embedded childcare
    # derived once and kept in step with moves: county of each household, residence of each community
    _hh_county: np.ndarray = field(init=False, repr=False)
    _community_urban: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._hh_county = self.community_county.astype(np.intp)[self.hh_community]
        self._community_urban = self.county_urban[self.community_county]
        for a in (self._hh_county, self._community_urban):
            a.setflags(write=False)

    def _refresh(self) -> None:
        self._hh_county = self.community_county.astype(np.intp)[self.hh_community]
        self._hh_county.setflags(write=False)

    @property
    def county_region(self) -> np.ndarray:
        """(counties,) region code (model/provinces.py REGION_OF)."""
        return REGION_OF[self.county_province]

    def move_to_towns(
        self, idx: np.ndarray, province: np.ndarray, rng: np.random.Generator
    ) -> None:
        """Households `idx` (of the provinces `province`, one each) move to a town of their
        province: a random urban community there."""
        if len(idx) == 0:
            return
        comm_province = self.county_province[self.community_county]
        for r in np.unique(province):
            movers = idx[province == r]
            towns = np.flatnonzero(self._community_urban & (comm_province == r))
            if len(towns) == 0:  # a province without a sampled town: any town
                towns = np.flatnonzero(self._community_urban)
            self.hh_community[movers] = towns[rng.integers(0, len(towns), len(movers))]
        self._refresh()

    def split_off(self, parents: np.ndarray) -> None:
        """New households (numbered after the others) live in their parents' communities."""
        if len(parents) == 0:
            return
        self.hh_community = np.concatenate([self.hh_community, self.hh_community[parents]])
        self._refresh()

    @property
    def n_communities(self) -> int:
        return len(self.community_county)

    @property
    def n_counties(self) -> int:
        return len(self.county_urban)

    def hh_county(self) -> np.ndarray:
        """(households,) county index (read-only)."""
        return self._hh_county

    def community_urban(self) -> np.ndarray:
        """(communities,) urban community (read-only)."""
        return self._community_urban

    def by_province(self, places: np.ndarray, amounts: np.ndarray, level: str) -> np.ndarray:
        """(31,) `amounts` (yuan) at `places` (county or community indices, `level` "county" or
        "community") summed by the places' province."""
        county = places if level == "county" else self.community_county[places]
        province = self.county_province[np.asarray(county, dtype=np.intp)]
        return bincount(province, weights=amounts, minlength=N_PROVINCES)


def first_share(rank: np.ndarray, eligible: np.ndarray, share: float) -> np.ndarray:
    """The eligible units whose rank is among the lowest `share` of eligible units (exactly).

    Raising `share` only adds units, so coverage grows monotonically and identically across
    scenarios of the same run.
    """
    idx = np.flatnonzero(eligible)
    n = int(round(min(max(share, 0.0), 1.0) * len(idx)))
    out = np.zeros(len(rank), dtype=bool)
    out[idx[np.argsort(rank[idx], kind="stable")[:n]]] = True
    return out


def build_geography(
    pop: Population, rng: np.random.Generator, large_city_share: float
) -> Geography:
    """Assign every household to a community, and communities to counties, by province and residence."""
    H = pop.n_households
    hh_community = np.empty(H, dtype=np.int32)
    community_county: list[np.ndarray] = []
    county_urban: list[bool] = []
    county_province: list[int] = []
    n_comm = n_county = 0
    stratum = pop.hh_province.astype(np.int64) * 2 + pop.hh_urban
    per_community = max(HOUSEHOLDS_PER_COMMUNITY, H / MAX_COMMUNITIES)
    for s in np.unique(stratum):
        members = np.flatnonzero(stratum == s)
        k = max(1, round(len(members) / (per_community * COMMUNITIES_PER_COUNTY)))
        c = k * COMMUNITIES_PER_COUNTY
        hh_community[members] = n_comm + rng.integers(0, c, len(members))
        community_county.append(n_county + np.repeat(np.arange(k), COMMUNITIES_PER_COUNTY))
        county_urban += [bool(s % 2)] * k
        county_province += [int(s // 2)] * k
        n_comm += c
        n_county += k
    urban = np.array(county_urban)
    return Geography(
        hh_community=hh_community,
        community_county=np.concatenate(community_county).astype(np.int32),
        county_urban=urban,
        county_province=np.array(county_province, dtype=np.int8),
        county_large_city=urban & (rng.random(n_county) < large_city_share),
        county_rank=rng.random(n_county),
        community_rank=rng.random(n_comm),
    )
