"""The synthetic population: households and their members as numpy columns.

Households are drawn from composition templates (children 0-15, adults 16-59, elderly 60+) with
priors for residence, region, migration, hukou, employment, disability and employee-pension
history. Ages and sexes come from the base-year table of `model.age_structure` (the 2010 census
carried forward to the base year with the published births and life expectancy): adults of a
household with children are of an age to be their parents, couples are a man and a woman. Then
household weights are raked (`model.raking`) so that weighted counts equal the national margins
in the scenario's `population.*` parameters (public-facts.md) and the base-year table's persons
by sex and age group (0-4, 5-9, 10-15, 16-19, 20-24, ..., 95-99, 100+). The priors only shape the
joint distribution inside those margins; every margin comes from the scenario or the table.

Columns (one entry per person unless noted ``hh_``):
    hh            household index
    age           completed years at the end of the year
    sex           0 man, 1 woman
    birth_month   0-11 (the retirement-age law counts months of birth)
    ret_group     retirement group of the law: 0 men (60 -> 63), 1 women whose original
                  statutory age is 55 (cadres; -> 58), 2 women whose original age is 50 (-> 55)
    emp           employment status (EMP_* codes below)
    urban_hukou   True for a non-agricultural hukou
    disabled      disabled or semi-disabled (people 60+)
    emp_pension   True for people drawing an employee-scheme pension
    contrib_years years of contributions to the employee pension scheme
    pension_amount employee pension of a pensioner, yuan/month (0 for others)
    grad_year     year the person left school (-1 if never a student in the simulation)
    u_*           persistent uniform draws that make each person's decisions reproducible and
                  monotone in policy (common random numbers)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model import age_structure, kernels, province_data
from model.age_structure import FEMALE, MALE, MAX_AGE
from model.kernels import bincount
from model.provinces import KEYS as PROVINCE_KEYS
from model.provinces import N_PROVINCES, REGION_OF, REGIONS
from model.raking import rake
from model.retirement import LawParams, reached_statutory_age

# Employment status codes
(
    EMP_CHILD,
    EMP_STUDENT,
    EMP_FORMAL,
    EMP_FLEXIBLE,
    EMP_FARMER,
    EMP_UNEMPLOYED,
    EMP_INACTIVE,
    EMP_RETIRED,
) = range(8)
EMP_NAMES = (
    "child",
    "student",
    "formal",
    "flexible",
    "farmer",
    "unemployed",
    "inactive",
    "retired",
)

# --- priors (shape inside the raked margins; see module docstring) -------------------------
# Household templates: (children 0-15, adults 16-59, elderly 60+), prior share urban, rural.
TEMPLATES = np.array(
    [
        (0, 1, 0),
        (0, 2, 0),
        (1, 2, 0),
        (2, 2, 0),
        (1, 1, 0),
        (0, 0, 1),
        (0, 0, 2),
        (1, 2, 1),
        (2, 2, 2),
        (1, 2, 2),
        (0, 1, 1),
        (0, 2, 1),
        (0, 2, 2),
    ]
)
TEMPLATE_P_URBAN = np.array(
    [0.17, 0.16, 0.15, 0.05, 0.04, 0.08, 0.10, 0.05, 0.03, 0.04, 0.05, 0.04, 0.03]
)
TEMPLATE_P_RURAL = np.array(
    [0.11, 0.12, 0.12, 0.06, 0.03, 0.09, 0.11, 0.08, 0.06, 0.06, 0.06, 0.06, 0.05]
)
# A parent's age is the oldest child's age plus the mother's age at that birth (drawn from the
# census fertility by age, 20-40); fathers are a couple of years older (a prior shape).
MOTHER_AGE_AT_BIRTH = (20, 40)
FATHER_AGE_GAP = 2
# Age groups of the raking margins (first ages; the last group is 100 and over): five-year
# groups, and single years at 50-69, the cohorts that cross 60 and 65 in the projection years.
# A group with fewer than MIN_CELL sampled persons of a sex is merged with its neighbours (small
# samples, the oldest ages), never across 16, 60 or 65, so the published 0-15, 16-59, 60+ and
# 65+ are always met exactly.
AGE_GROUP_STARTS = (
    0,
    5,
    10,
    16,
    20,
    25,
    30,
    35,
    40,
    45,
    *range(50, 70),
    70,
    75,
    80,
    85,
    90,
    95,
    100,
)
AGE_BOUNDARIES = (16, 60, 65)
MIN_CELL = 30
# a province's persons, urban residents or people 60+ are raked to its own figure when at least
# this many sampled persons stand for them, otherwise pooled with its region's others
MIN_PROVINCE_CELL = 50
# Students: share of 16-18 in school, and share of those still studying at 19-22.
P_STUDENT_16 = 0.9
P_STUDENT_CONTINUE_19 = 0.6
SCHOOL_LEAVING_AGE = 23
# Employment priors for non-students of working age: formal, flexible, farmer, unemployed, inactive.
EMP_CODES = np.array([EMP_FORMAL, EMP_FLEXIBLE, EMP_FARMER, EMP_UNEMPLOYED, EMP_INACTIVE])
EMP_P_URBAN = np.array([0.58, 0.26, 0.02, 0.05, 0.09])
EMP_P_MIGRANT = np.array([0.45, 0.42, 0.01, 0.04, 0.08])
EMP_P_RURAL = np.array([0.10, 0.14, 0.66, 0.03, 0.07])
EMP_PRIORS = np.stack([EMP_P_RURAL, EMP_P_URBAN, EMP_P_MIGRANT])  # rural, urban, urban migrant
# Rural people 60-69 who still farm; each year a share of the working-age labour force redraws
# its status from the priors (simple job turnover that keeps the structure stable).
P_RURAL_ELDER_FARMING = 0.55
ELDER_FARMING_MAX_AGE = 69
LABOUR_TURNOVER = 0.10
WORKING_AGE = (16, 60)  # ages 16-59: the labour-market ages of the employment priors
# Migration and hukou priors (household level).
P_MIGRANT_URBAN, P_MIGRANT_RURAL = 0.40, 0.05
P_URBAN_HUKOU = {"urban_native": 0.90, "urban_migrant": 0.35, "rural": 0.05}
# Employee-pension history of people past their statutory retirement age (prior by residence
# and hukou).
P_EMP_PENSION = {"urban_uh": 0.85, "urban_rh": 0.35, "rural": 0.12}
# Contribution records start at this age (the earliest age of a full-time job after school).
CONTRIBUTION_START_AGE = 20
# Income: log-income shifts by the household's labour attachment (before re-centring).
Z_SHIFT_FORMAL, Z_SHIFT_UNEMPLOYED = 0.45, -0.35


def is_employed(emp: np.ndarray) -> np.ndarray:
    """Formal, flexible or farming (the employed codes are contiguous)."""
    return (emp >= EMP_FORMAL) & (emp <= EMP_FARMER)


def disability_prevalence(age: np.ndarray) -> np.ndarray:
    """Prior share of people of a given age who are disabled or semi-disabled (0 below 60)."""
    return np.where(age >= 60, np.clip(0.02 + 0.008 * (age - 60), 0.0, 0.5), 0.0)


N_UNIFORMS = ("u_med", "u_pen", "u_emp", "u_emed", "u_tier", "u_help", "u_care", "u_day", "u_queue")
HH_UNIFORMS = ("hh_u_dibao", "hh_u_near", "hh_u_move")


# Rows a column's buffer keeps to spare after deaths and after growing, so that the year's
# births (about 0.7% of persons) and new households are written in place instead of copying
# every column: 1% of the rows, at least 4,096 (an assumption about speed, not about people:
# when more are needed the column is copied into a larger buffer, with the same numbers).
SPARE_SHARE, SPARE_MIN = 0.01, 4096


def spare_rows(rows: int) -> int:
    """Rows to keep to spare in a buffer holding `rows`."""
    return max(SPARE_MIN, int(rows * SPARE_SHARE))


def _has_room(a: np.ndarray) -> bool:
    """Whether `a` is the head of a larger buffer (a column with rows to spare)."""
    return isinstance(a.base, np.ndarray) and a.base.ndim == 1 and a.base.nbytes > a.nbytes


@dataclass
class Population:
    """Households and persons as columns. Weights are per household; members share them."""

    hh_weight: np.ndarray
    hh_urban: np.ndarray
    hh_region: np.ndarray
    hh_province: np.ndarray  # index into model.provinces.PROVINCES
    hh_migrant: np.ndarray
    hh_urban_hukou: np.ndarray
    hh_z: np.ndarray  # standard-normal income rank of the household
    hh_u_dibao: np.ndarray
    hh_u_near: np.ndarray
    hh_u_move: np.ndarray  # order in which rural households move to towns (urbanisation)
    hh: np.ndarray
    age: np.ndarray
    sex: np.ndarray
    birth_month: np.ndarray
    ret_group: np.ndarray
    emp: np.ndarray
    urban_hukou: np.ndarray
    disabled: np.ndarray
    emp_pension: np.ndarray
    contrib_years: np.ndarray
    pension_amount: np.ndarray
    grad_year: np.ndarray
    u: dict[str, np.ndarray] = field(default_factory=dict)
    # kept up to date as persons die and are born, instead of being derived again each year
    _per_person: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _size: np.ndarray | None = field(default=None, repr=False)
    # each column's buffer with rows to spare beyond it, and the rows in use (`_grown`)
    _room: dict[str, tuple[np.ndarray, int]] = field(default_factory=dict, repr=False)

    PERSON_COLUMNS = (
        "hh",
        "age",
        "sex",
        "birth_month",
        "ret_group",
        "emp",
        "urban_hukou",
        "disabled",
        "emp_pension",
        "contrib_years",
        "pension_amount",
        "grad_year",
    )
    HOUSEHOLD_COLUMNS = (
        "hh_weight",
        "hh_urban",
        "hh_region",
        "hh_province",
        "hh_migrant",
        "hh_urban_hukou",
        "hh_z",
        "hh_u_dibao",
        "hh_u_near",
        "hh_u_move",
    )

    COLUMNS = HOUSEHOLD_COLUMNS + PERSON_COLUMNS

    @property
    def n_households(self) -> int:
        return len(self.hh_weight)

    @property
    def n_persons(self) -> int:
        return len(self.hh)

    def person_column(self, name: str) -> np.ndarray:
        """A household column (e.g. ``hh_urban``) repeated for each person; read-only.

        Kept in step with births, deaths and moves, so it is gathered once per run, not once a year.
        """
        col = self._per_person.get(name)
        if col is None:
            col = self._per_person[name] = getattr(self, name)[self.hh]
        return col

    def person_weight(self) -> np.ndarray:
        """Each person's weight (the household's); read-only."""
        return self.person_column("hh_weight")

    def keep(self, mask: np.ndarray) -> None:
        """Drop persons where mask is False (deaths)."""
        if self._size is not None:
            self._size = self._size - bincount(self.hh[~mask], minlength=self.n_households)
        mask = np.ascontiguousarray(mask, dtype=bool)
        kept = int(np.count_nonzero(mask))
        for c in self.PERSON_COLUMNS:
            setattr(self, c, self._kept(c, getattr(self, c), mask, kept))
        for k in self.u:
            self.u[k] = self._kept(f"u.{k}", self.u[k], mask, kept)
        for k in self._per_person:
            self._per_person[k] = self._kept(f"per_person.{k}", self._per_person[k], mask, kept)

    def append(self, cols: dict[str, np.ndarray], rng: np.random.Generator) -> None:
        """Add persons (births); new persons get fresh persistent uniforms."""
        n = len(cols["hh"])
        new_hh = cols["hh"]
        if self._size is not None:
            self._size = self._size + bincount(new_hh, minlength=self.n_households)
        for c in self.PERSON_COLUMNS:
            setattr(self, c, self._grown(c, getattr(self, c), cols[c]))
        for k in self.u:
            self.u[k] = self._grown(f"u.{k}", self.u[k], rng.random(n, dtype=np.float32))
        for k in self._per_person:
            self._per_person[k] = self._grown(
                f"per_person.{k}", self._per_person[k], getattr(self, k)[new_hh]
            )

    def _kept(self, key: str, column: np.ndarray, mask: np.ndarray, kept: int) -> np.ndarray:
        """`column[mask]` (`kept` rows) in a new buffer with rows to spare for `_grown`."""
        buffer = np.empty(kept + spare_rows(kept), dtype=column.dtype)
        kernels.compact_into(column, mask, buffer)
        self._room[key] = (buffer, kept)
        return buffer[:kept]

    def _grown(self, key: str, column: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """`column` with `rows` after it (cast to its type), as ``np.concatenate`` gives it.

        Written in place into the rows the column's buffer has to spare when `column` is the
        whole used part of that buffer (so no other array sees those rows); otherwise copied
        into a new buffer with rows to spare for the next time.
        """
        n, k = len(column), len(rows)
        buffer, used = self._room.get(key, (None, -1))
        if (
            buffer is not None
            and column.base is buffer
            and used == n
            and n + k <= len(buffer)
            and column.ctypes.data == buffer.ctypes.data
        ):
            buffer[n : n + k] = rows
        else:
            buffer = np.empty(n + k + spare_rows(n + k), dtype=column.dtype)
            buffer[:n] = column
            buffer[n : n + k] = rows
        self._room[key] = (buffer, n + k)
        return buffer[: n + k]

    def members_of(self, idx: np.ndarray) -> np.ndarray:
        """The persons of the households `idx`, in person order."""
        return kernels.members(self.hh, idx, self.n_households)

    def set_households(
        self, values: dict[str, object], idx: np.ndarray, members: np.ndarray | None = None
    ) -> None:
        """Set household columns (name: value) for the households `idx`, and their members'
        cached copies; `members`: `members_of(idx)` when already known."""
        for name, value in values.items():
            getattr(self, name)[idx] = value
            if name in self._per_person:
                members = self.members_of(idx) if members is None else members
                self._per_person[name][members] = getattr(self, name)[self.hh[members]]

    def split_off(self, persons: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Each of `persons` leaves to form a one-person household; returns the new households.

        The new household is a copy of the one left (weight, residence, region, migration, hukou,
        income rank) with fresh household draws; the person's weight is unchanged.
        """
        parents = self.hh[persons]
        n = len(persons)
        H = self.n_households
        for c in self.HOUSEHOLD_COLUMNS:
            old = getattr(self, c)
            setattr(
                self, c, self._grown(c, old, rng.random(n) if c in HH_UNIFORMS else old[parents])
            )
        new_hh = np.arange(H, H + n, dtype=self.hh.dtype)
        self.hh[persons] = new_hh
        if self._size is not None:
            self._size = np.concatenate([self._size, np.ones(n, dtype=self._size.dtype)])
            np.subtract.at(self._size, parents, 1)
        return new_hh

    def copy(self) -> Population:
        """A copy whose columns (and kept per-person copies and sizes) share no memory with these."""
        fields = {name: getattr(self, name).copy() for name in self.COLUMNS}
        return Population(
            **fields,
            u={k: v.copy() for k, v in self.u.items()},
            _per_person={k: v.copy() for k, v in self._per_person.items()},
            _size=None if self._size is None else self._size.copy(),
        )

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns, the persistent uniforms and the kept copies (with the
        rows their buffers hold to spare)."""
        arrays = [getattr(self, name) for name in self.COLUMNS]
        arrays += [*self.u.values(), *self._per_person.values()]
        arrays += [] if self._size is None else [self._size]
        return sum(a.base.nbytes if _has_room(a) else a.nbytes for a in arrays)

    def household_sum(self, values: np.ndarray) -> np.ndarray:
        """Per-household sum of a person column."""
        return bincount(self.hh, weights=values, minlength=self.n_households)

    def household_size(self) -> np.ndarray:
        """Members per household; read-only (kept in step with births, deaths and moves)."""
        if self._size is None:
            self._size = bincount(self.hh, minlength=self.n_households)
        return self._size


def draw_employment(
    rng: np.random.Generator | np.ndarray, urban: np.ndarray, migrant: np.ndarray
) -> np.ndarray:
    """Employment status for labour-market entrants, from the priors by residence and migration.

    `rng` is the run's generator, or the uniforms to use (one per person): the yearly step passes
    uniforms drawn for everyone, so the number of draws never depends on who moves (which policy
    can change), and every later draw of the year is the same in every scenario.
    """
    u = rng if isinstance(rng, np.ndarray) else rng.random(len(urban))
    # prior of each person: 0 rural, 1 urban non-migrant, 2 urban migrant
    prior = kernels.as_bytes(urban) * (1 + kernels.as_bytes(migrant))
    return kernels.draw_categories(u, prior, EMP_PRIORS, EMP_CODES.astype(np.int8))


def draw_ages(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """`n` ages in random order with probabilities proportional to `weights` by age (0..MAX_AGE).

    Stratified: the i-th smallest uniform lies in [i/n, (i+1)/n), so the sample's ages follow
    the weights to within one person per age (less sampling noise than independent draws).
    """
    if n == 0:
        return np.zeros(0, dtype=np.int16)
    u = (rng.permutation(n) + rng.random(n)) / n
    cdf = np.cumsum(weights) / weights.sum()
    return np.minimum(kernels.entries_at_or_below(cdf, u), len(weights) - 1).astype(np.int16)


def age_sex_table(p: dict[str, float], year: int) -> np.ndarray:
    """The base-year persons by age and sex (`model.age_structure`), raked to the scenario's margins."""
    return age_structure.base_year_table(
        year,
        p["population.total"],
        p["population.male"],
        p["population.age_0_15"],
        p["population.age_60_plus"],
        p["population.age_65_plus"],
    )


def age_group_index(age: np.ndarray, starts: tuple[int, ...] = AGE_GROUP_STARTS) -> np.ndarray:
    """Index of each age's raking group (groups start at `starts`)."""
    return np.searchsorted(np.array(starts), age, side="right") - 1


def merge_small_groups(counts: np.ndarray, starts: tuple[int, ...], min_count: int) -> np.ndarray:
    """Map each age group to a merged group so that every merged group holds `min_count` persons.

    Groups are merged with the next older one (the oldest with the next younger one) inside the
    segments that AGE_BOUNDARIES cut; a segment with fewer persons than that stays one group.
    Returns the merged group index of each group (0, 1, ... in age order).
    """
    seg = np.searchsorted(np.array(AGE_BOUNDARIES), np.array(starts), side="right")
    out = np.empty(len(starts), dtype=np.int64)
    label = 0
    for sgm in np.unique(seg):
        idx = np.flatnonzero(seg == sgm)
        runs: list[list[int]] = []
        for i in idx:
            if runs and sum(counts[j] for j in runs[-1]) < min_count:
                runs[-1].append(i)
            else:
                runs.append([i])
        if len(runs) > 1 and sum(counts[j] for j in runs[-1]) < min_count:
            last = runs.pop()
            runs[-1] += last
        for run in runs:
            out[run] = label
            label += 1
    return out


def _members(hh_idx: np.ndarray, n_kind: np.ndarray) -> np.ndarray:
    """Household index of each member of one kind, listed household by household."""
    return np.repeat(hh_idx, n_kind)


def _place(
    age: np.ndarray,
    start: np.ndarray,
    before: np.ndarray,
    members: np.ndarray,
    n_kind: np.ndarray,
    values: np.ndarray,
) -> None:
    """Write one kind's values into the person columns (persons ordered by household, kinds in order)."""
    offset = start + before - (np.cumsum(n_kind) - n_kind)
    age[offset[members] + np.arange(len(members))] = values


def draw_members(
    rng: np.random.Generator, table: np.ndarray, n_c: np.ndarray, n_a: np.ndarray, n_e: np.ndarray
):
    """Ages and sexes of every household's children, adults and elderly.

    Children: age from the table's 0-15, sex from the table at that age. Adults: in a household
    with children the mother is the oldest child's age plus an age at birth from the census
    fertility (20-40) and the father a couple of years older; other adults from the table's
    16-59 by sex; two adults are a man and a woman. Elderly: from the table's 60+ by sex, two
    elderly a man and a woman. Returns per-household lists as flat arrays in the
    order children, adults, elderly of each household (see `build_population`).
    """
    H = len(n_c)
    hh_idx = np.arange(H, dtype=np.int32)
    both = table.sum(axis=1)
    boys = np.divide(table[:, MALE], both, out=np.full(len(both), 0.5), where=both > 0)

    # children
    hh_c = _members(hh_idx, n_c)
    w_child = np.where(np.arange(MAX_AGE + 1) <= 15, both, 0.0)
    age_c = draw_ages(rng, w_child, len(hh_c))
    sex_c = (rng.random(len(hh_c)) >= boys[age_c]).astype(np.int8)
    oldest = np.full(H, -1, dtype=np.int16)
    np.maximum.at(oldest, hh_c, age_c)

    # adults: the first is a man when there are two, the second a woman
    hh_a = _members(hh_idx, n_a)
    rank_a = np.arange(len(hh_a)) - (np.cumsum(n_a) - n_a)[hh_a]
    couple = n_a[hh_a] == 2
    working = (np.arange(MAX_AGE + 1) >= 16) & (np.arange(MAX_AGE + 1) <= 59)
    men_share_16_59 = table[working, MALE].sum() / both[working].sum()
    sex_a = np.where(couple, rank_a, rng.random(len(hh_a)) >= men_share_16_59).astype(np.int8)
    # parents: the oldest child's age plus the mother's age at that birth
    with_kids = oldest[hh_a] >= 0
    fert = age_structure.fertility_by_age().copy()
    fert[: MOTHER_AGE_AT_BIRTH[0]] = 0.0
    fert[MOTHER_AGE_AT_BIRTH[1] + 1 :] = 0.0
    at_birth = draw_ages(rng, fert, len(hh_a))
    mother = oldest[hh_a] + at_birth
    age_a = np.clip(np.where(sex_a == MALE, mother + FATHER_AGE_GAP, mother), 16, 59).astype(
        np.int16
    )
    # the other adults fill in what the parents leave of the table's 16-59 by sex
    for s in (MALE, FEMALE):
        mine = sex_a == s
        want = np.where(working, table[:, s], 0.0)
        want *= mine.sum() / want.sum()
        parents = bincount(age_a[mine & with_kids], minlength=MAX_AGE + 1)
        rest = np.flatnonzero(mine & ~with_kids)
        age_a[rest] = draw_ages(rng, np.maximum(want - parents, 0.0), len(rest))

    # elderly: the first is a man when there are two, the second a woman
    hh_e = _members(hh_idx, n_e)
    rank_e = np.arange(len(hh_e)) - (np.cumsum(n_e) - n_e)[hh_e]
    pair = n_e[hh_e] == 2
    old = np.arange(MAX_AGE + 1) >= 60
    men_share_60 = table[old, MALE].sum() / both[old].sum()
    sex_e = np.where(pair, rank_e, rng.random(len(hh_e)) >= men_share_60).astype(np.int8)
    age_e = np.empty(len(hh_e), dtype=np.int16)
    for s in (MALE, FEMALE):
        idx = np.flatnonzero(sex_e == s)
        age_e[idx] = draw_ages(rng, np.where(old, table[:, s], 0.0), len(idx))
    return (hh_c, age_c, sex_c), (hh_a, age_a, sex_a), (hh_e, age_e, sex_e)


def law_params(p: dict[str, float]) -> LawParams:
    """The retirement-age law's parameters from a year's parameter values."""
    return LawParams.from_values(p)


def build_population(
    p: dict[str, float], n_households: int, rng: np.random.Generator, year: int = 2024
) -> Population:
    """Draw `n_households` households and rake their weights to the margins in `p`.

    Args:
        p: base-year values of the scenario's parameters (`population.*`, `retirement.*`, ...).
        n_households: sample size (the weights make it national whatever the size).
        rng: the run's generator.
        year: the base year (persons are as at its end).
    """
    H = n_households
    total = p["population.total"]
    prov_persons = province_data.population_margins(total)
    prov_urban = province_data.urban_margins(prov_persons, p["population.urban_share"] * total)
    hh_province = rng.choice(len(prov_persons), size=H, p=province_data.sample_shares()).astype(
        np.int8
    )
    hh_region = REGION_OF[hh_province]
    hh_urban = rng.random(H) < (prov_urban / prov_persons)[hh_province]
    hh_migrant = np.where(
        hh_urban, rng.random(H) < P_MIGRANT_URBAN, rng.random(H) < P_MIGRANT_RURAL
    )

    # composition: migrants' households hold fewer elderly; households with elderly are more
    # or less likely in proportion to the province's share of people 60+ relative to the nation
    p_mig = TEMPLATE_P_URBAN * np.where(TEMPLATES[:, 2] > 0, 0.3, 1.0)
    kind = np.where(hh_urban, np.where(hh_migrant, 1, 0), 2)
    older = province_data.age_60_plus_margins(prov_persons, 1.0) / (prov_persons / total)
    with_elderly = np.where(TEMPLATES[:, 2] > 0, 1.0, 0.0)
    probs = np.stack([TEMPLATE_P_URBAN, p_mig, TEMPLATE_P_RURAL])  # (kind, template)
    probs = probs[:, None, :] * np.where(with_elderly > 0, older[:, None], 1.0)[None]
    cdf = np.cumsum(probs / probs.sum(axis=2, keepdims=True), axis=2)  # (kind, province, tpl)
    u_t = rng.random(H)
    tpl = np.minimum(
        kernels.count_at_or_below(cdf, kind, hh_province, u_t), len(TEMPLATES) - 1
    ).astype(np.int64)
    n_c, n_a, n_e = TEMPLATES[tpl, 0], TEMPLATES[tpl, 1], TEMPLATES[tpl, 2]

    table = age_sex_table(p, year)
    kinds = draw_members(rng, table, n_c, n_a, n_e)
    # persons ordered by household, and within it children, adults, elderly
    size = n_c + n_a + n_e
    start = np.cumsum(size) - size  # first person of each household
    P = int(size.sum())
    hh = np.repeat(np.arange(H, dtype=np.int32), size)
    age = np.empty(P, dtype=np.int16)
    sex = np.empty(P, dtype=np.int8)
    for (members, ages, sexes), n_kind, before in zip(kinds, (n_c, n_a, n_e), (0, n_c, n_c + n_a)):
        _place(age, start, before, members, n_kind, ages)
        _place(sex, start, before, members, n_kind, sexes)
    birth_month = rng.integers(0, 12, P).astype(np.int8)
    women55 = rng.random(P) < p["retirement.women_original_55_share"]
    ret_group = np.where(sex == MALE, 0, np.where(women55, 1, 2)).astype(np.int8)

    urban_p, mig_p = hh_urban[hh], hh_migrant[hh]
    # hukou (household level)
    u_h = rng.random(H)
    hh_uh = np.where(
        hh_urban & ~hh_migrant,
        u_h < P_URBAN_HUKOU["urban_native"],
        np.where(hh_urban, u_h < P_URBAN_HUKOU["urban_migrant"], u_h < P_URBAN_HUKOU["rural"]),
    )
    urban_hukou = hh_uh[hh]

    # employment
    emp = np.full(P, EMP_CHILD, dtype=np.int8)
    u_s = rng.random(P)
    is_student = ((age >= 16) & (age <= 18) & (u_s < P_STUDENT_16)) | (
        (age >= 19) & (age < SCHOOL_LEAVING_AGE) & (u_s < P_STUDENT_16 * P_STUDENT_CONTINUE_19)
    )
    working_age = (age >= WORKING_AGE[0]) & (age < WORKING_AGE[1])
    emp[working_age] = draw_employment(rng, urban_p[working_age], mig_p[working_age])
    emp[is_student] = EMP_STUDENT
    elder = age >= 60
    emp[elder] = EMP_RETIRED
    farming = (
        elder & ~urban_p & (age <= ELDER_FARMING_MAX_AGE) & (rng.random(P) < P_RURAL_ELDER_FARMING)
    )
    emp[farming] = EMP_FARMER

    u_d = rng.random(P)
    disabled = elder & (u_d < disability_prevalence(np.arange(age.max() + 1))[age])  # by-age table
    # employee pensioners: people past their statutory age at the end of the base year (the
    # original ages of 60, 55 and 50 before the law's first year) with an employee-scheme record
    law = law_params(p)
    past_age = np.zeros(P, dtype=bool)
    old_enough = np.flatnonzero(age >= min(law.original_age))
    past_age[old_enough] = reached_statutory_age(
        year - age[old_enough], birth_month[old_enough], ret_group[old_enough], year, law
    )
    u_p = rng.random(P)
    # by residence and hukou: rural (either hukou), urban with rural hukou, urban with urban hukou
    p_pen = np.array(
        [
            P_EMP_PENSION["rural"],
            P_EMP_PENSION["rural"],
            P_EMP_PENSION["urban_rh"],
            P_EMP_PENSION["urban_uh"],
        ]
    )[2 * urban_p + urban_hukou]
    can_draw = past_age & (emp != EMP_FARMER) & (emp != EMP_STUDENT)
    # the priors' level is set in each province so that, at the design weights, they give the
    # province's published count (raking then only reshapes): the priors say who is more likely
    # to hold a pension, not how many do
    person_province = hh_province[hh]
    sampled_persons = bincount(hh_province, weights=size, minlength=N_PROVINCES)
    design = (prov_persons / np.maximum(sampled_persons, 1))[person_province]
    expected = bincount(
        person_province[can_draw], weights=(p_pen * design)[can_draw], minlength=N_PROVINCES
    )
    wanted = province_data.employee_pensioner_margins(p["population.employee_pensioners"])
    level = wanted / np.maximum(expected, 1.0)
    p_pen = np.minimum(p_pen * level[person_province], 1.0)
    emp_pension = can_draw & (u_p < p_pen)
    emp[emp_pension] = EMP_RETIRED
    contrib_years = initial_contribution_years(rng, age, emp, p)
    # people at work past their statutory age without an employee pension are short of the
    # minimum record (otherwise they would have retired onto it): up to five years short
    short = past_age & ~emp_pension & (emp >= EMP_FORMAL) & (emp <= EMP_INACTIVE)
    need = p["retirement.minimum_contribution_years"] - 5.0 * rng.random(int(short.sum()))
    contrib_years[short] = np.minimum(contrib_years[short], np.maximum(need - 0.5, 0.0)).astype(
        np.float32
    )

    weight = rake_weights(
        p,
        table,
        hh,
        age,
        sex,
        emp,
        urban_p,
        hh_urban,
        hh_uh,
        hh_migrant,
        hh_province,
        (prov_persons, prov_urban),
        disabled,
        emp_pension,
        size,
    )
    z = income_ranks(rng, weight, hh, age, emp, size, hh_urban)

    pop = Population(
        hh_weight=weight,
        hh_urban=hh_urban,
        hh_region=hh_region,
        hh_province=hh_province,
        hh_migrant=hh_migrant,
        hh_urban_hukou=hh_uh,
        hh_z=z,
        hh_u_dibao=np.empty(0),  # the persistent uniforms are drawn once the order is set
        hh_u_near=np.empty(0),
        hh_u_move=np.empty(0),
        hh=hh,
        age=age,
        sex=sex,
        birth_month=birth_month,
        ret_group=ret_group,
        emp=emp,
        urban_hukou=urban_hukou,
        disabled=disabled,
        emp_pension=emp_pension,
        contrib_years=contrib_years,
        pension_amount=base_pensions(emp_pension, z[hh], weight[hh], p),
        grad_year=np.full(P, -1, dtype=np.int16),
    )
    pop = in_weight_order(pop)
    pop.u = {k: rng.random(P, dtype=np.float32) for k in N_UNIFORMS}
    for c in HH_UNIFORMS:
        setattr(pop, c, rng.random(H))
    return pop


def in_weight_order(pop: Population) -> Population:
    """The same population with households numbered in order of weight (members in that order).

    Yearly draws that run along the persons (`demography.systematic_draw`) then pass households of
    similar weight together: the weighted numbers of deaths and births vary little between samples.
    The persistent uniforms (`Population.u`, `HH_UNIFORMS`) are not carried: they are drawn after.
    """
    w = pop.hh_weight
    keys = kernels.float_keys(w)  # non-negative weights: their bit patterns, radix-sorted
    order = np.argsort(w, kind="stable") if keys is None else kernels.argsort_keys(keys)
    # np.take: the same elements as fancy indexing, a fifth to a third faster at 10M households
    for c in Population.HOUSEHOLD_COLUMNS:
        if c not in HH_UNIFORMS:
            setattr(pop, c, np.take(getattr(pop, c), order))
    size = bincount(pop.hh, minlength=len(order))
    persons = members_in_order(pop.hh, order, size)
    # the members of the k-th household in the new numbering are the k-th run of persons
    pop.hh = np.repeat(np.arange(len(order), dtype=pop.hh.dtype), size[order])
    for c in Population.PERSON_COLUMNS:
        if c != "hh":
            setattr(pop, c, np.take(getattr(pop, c), persons))
    pop.u = {}
    pop._per_person, pop._size = {}, None
    return pop


def members_in_order(hh: np.ndarray, order: np.ndarray, size: np.ndarray) -> np.ndarray:
    """The persons of the households `order`, household by household (members in their order);
    `size`: the members of each household (``bincount(hh)``).

    Persons stored household by household (`hh` non-decreasing, as built) are gathered without a
    sort: each household's members are a run starting at its first person.
    """
    if len(hh) and not np.all(hh[1:] >= hh[:-1]):
        return np.argsort(order.argsort()[hh], kind="stable")
    first = np.cumsum(size) - size  # first person of each household
    new_size = size[order]
    new_first = np.cumsum(new_size) - new_size
    return np.repeat(first[order] - new_first, new_size) + np.arange(len(hh))


def wage_factor(z: np.ndarray, spread: float) -> np.ndarray:
    """Relative pay from an income rank: log-normal with log-sd `spread` and mean one."""
    return np.exp(spread * z - spread**2 / 2)


def base_pensions(
    pensioner: np.ndarray, z: np.ndarray, w: np.ndarray, p: dict[str, float]
) -> np.ndarray:
    """Employee pensions of the base year's pensioners (yuan/month): spread with pay around the
    published average, which their weighted mean equals exactly."""
    amount = np.zeros(len(pensioner), dtype=np.float32)
    f = wage_factor(z[pensioner], p["pension.employee_wage_spread"])
    f *= w[pensioner].sum() / (w[pensioner] @ f) if pensioner.any() else 1.0
    amount[pensioner] = p["pension.employee_average"] * f
    return amount


def initial_contribution_years(
    rng: np.random.Generator, age: np.ndarray, emp: np.ndarray, p: dict[str, float]
) -> np.ndarray:
    """Employee-pension contribution years of each person at the end of the base year.

    The years since `CONTRIBUTION_START_AGE` times a density (`pension.contribution_density_formal`
    for formal employees, `..._other` for everyone else of working age), spread uniformly between
    none and twice the density per person and never more than the years since that age.
    """
    spread = rng.random(len(age), dtype=np.float32)
    spread *= np.float32(2.0)
    return kernels.contribution_years(
        age,
        emp,
        spread,
        CONTRIBUTION_START_AGE,
        p["pension.contribution_density_formal"],
        p["pension.contribution_density_other"],
        np.array([EMP_FORMAL, EMP_CHILD, EMP_STUDENT], dtype=emp.dtype),
    )


def rake_weights(
    p,
    table,
    hh,
    age,
    sex,
    emp,
    urban_p,
    hh_urban,
    hh_uh,
    hh_migrant,
    hh_province,
    province_margins,
    disabled,
    emp_pension,
    size,
) -> np.ndarray:
    """Household weights meeting every margin: national persons by sex and age group, national
    person and household margins, and each province's persons, urban residents and people 60+.

    `province_margins`: (persons, urban residents) per province. The raking starts from weights
    that undo the sample's allocation over provinces (each province's persons over its sampled
    persons).
    """
    P = len(hh)
    total = p["population.total"]
    employed_codes = is_employed(emp)
    labour_force_urban = urban_p & (employed_codes | (emp == EMP_UNEMPLOYED))
    ur = p["population.urban_unemployment_rate"]
    urban_employed = p["population.employed_urban"]
    # person margins: (indicator per person, national total)
    person = {
        "employed": (employed_codes, p["population.employed"]),
        "employed_urban": (employed_codes & urban_p, urban_employed),
        "unemployed_urban": (
            labour_force_urban & (emp == EMP_UNEMPLOYED),
            urban_employed * ur / (1 - ur),
        ),
        "flexible": (emp == EMP_FLEXIBLE, p["population.flexible_workers"]),
        "disabled_elderly": (
            disabled,
            p["population.disabled_elderly_share"] * p["population.age_60_plus"],
        ),
        "employee_pensioners": (emp_pension, p["population.employee_pensioners"]),
    }
    # household margins: every member counts
    household = {
        "urban_hukou": (hh_uh, p["population.urban_hukou_share"] * total),
        "migrants": (hh_migrant, p["population.migrants"]),
    }
    # persons by sex and age group, from the base-year table
    starts = AGE_GROUP_STARTS
    n_groups = len(starts)
    # each person's sex and fine age group as one code (sex * groups + group), counted at once
    ages = np.arange(max(int(age.max(initial=0)), MAX_AGE) + 1)
    group_of_age = age_group_index(ages, starts).astype(np.int16)  # a table, looked up by age
    fine = group_of_age[age] + np.int16(n_groups) * sex.astype(np.int16)
    counts = bincount(fine, minlength=2 * n_groups).reshape(2, n_groups)
    bounds = np.array(list(starts) + [MAX_AGE + 1])
    by_age = np.stack([np.add.reduceat(table[:, s], bounds[:-1]) for s in (MALE, FEMALE)])
    cell_of_code = np.empty(2 * n_groups, dtype=np.int64)
    cell_targets: list[float] = []
    names: list[str] = []
    for s in (MALE, FEMALE):
        merged = merge_small_groups(counts[s], starts, MIN_CELL)
        cell_of_code[s * n_groups : (s + 1) * n_groups] = len(cell_targets) + merged
        for g in range(merged.max() + 1):
            cell_targets.append(float(by_age[s][merged == g].sum()))
            names.append(
                f"{'male' if s == MALE else 'female'}_{starts[np.flatnonzero(merged == g)[0]]}"
            )
    cell = cell_of_code[fine]
    n_cells = len(cell_targets)
    # provinces: persons, urban residents and people 60+ (these add up to the table's 60+); a
    # province with too few sampled persons in one of them is pooled with the others of its
    # region in that margin (small samples)
    prov_persons, prov_urban = province_margins
    prov_60 = province_data.age_60_plus_margins(prov_persons, float(table[60:].sum()))
    persons_in, urban_in, rural_in = (
        bincount(hh_province, weights=size * w, minlength=N_PROVINCES)
        for w in (1, hh_urban, ~hh_urban)
    )
    # a margin needs enough sampled persons on both of its sides (urban and rural residents)
    prov_pensioners = province_data.employee_pensioner_margins(p["population.employee_pensioners"])
    sampled = [
        persons_in,
        np.minimum(urban_in, rural_in),
        bincount(hh_province[hh[age >= 60]], minlength=N_PROVINCES),
        bincount(hh_province[hh[emp_pension]], minlength=N_PROVINCES),
    ]
    province_columns = []
    prov_names: list[str] = []
    prov_targets: list[np.ndarray] = []
    for label, margin, n in zip(
        ("", "_urban", "_60_plus", "_employee_pensioners"),
        (prov_persons, prov_urban, prov_60, prov_pensioners),
        sampled,
    ):
        column, names_, targets_ = province_groups(n >= MIN_PROVINCE_CELL, label)
        province_columns.append(column)
        prov_names += names_
        prov_targets.append(bincount(column, weights=margin, minlength=len(names_)))
    names += list(person) + list(household) + prov_names + ["households"]
    targets = np.concatenate(
        [
            cell_targets,
            [t for _, t in person.values()],
            [t for _, t in household.values()],
            *prov_targets,
            [p["population.households"]],
        ]
    )
    # each person's part of the design as one code (age-sex cell and person margins), each
    # household's part as another (province, household margins, residence and size):
    # households with the same codes have the same row and share their raking factor
    person_bits = np.zeros(P, dtype=np.int64)
    for j, (m, _) in enumerate(person.values()):
        person_bits |= m.astype(np.int64) << j
    person_code = cell * (1 << len(person)) + person_bits
    hh_bits = hh_urban.astype(np.int64)
    for j, (m, _) in enumerate(household.values()):
        hh_bits |= m.astype(np.int64) << (j + 1)
    hh_code = (hh_bits * len(PROVINCE_KEYS) + hh_province) * 8 + size  # at most 7 members
    group, count, first = distinct_households(hh, person_code, hh_code)
    design = kernels.raking_design(
        first,
        hh,
        kernels.DesignColumns(
            cell=cell,
            n_cells=n_cells,
            person_bits=person_bits,
            n_person_margins=len(person),
            hh_bits=hh_bits,
            n_household_margins=len(household),
            old=age >= 60,
            pensioner=emp_pension,
            size=size,
            urban=hh_urban,
            province=hh_province,
            province_columns=tuple(province_columns),
        ),
    )
    # starting weights: each province's persons over its sampled persons
    sampled = bincount(hh_province, weights=size, minlength=len(prov_persons))
    base = (prov_persons / np.maximum(sampled, 1))[hh_province[first]] * count
    return (rake(design, targets, base, names) / count)[group]


def distinct_households(hh: np.ndarray, person_code: np.ndarray, hh_code: np.ndarray):
    """Households with the same members' codes and the same household code, grouped.

    Told apart by two 40-bit hashes (sums of a hash of each member's code, plus the household's;
    exact integer sums in float64), grouped by the pair: sorted by the first, and by the second
    only within the runs of equal first hashes that it splits (two distinct households share the
    first hash: not seen at 1M households, 0.55 million distinct; seen at 10M, 3.2 million
    distinct). Returns each household's group, the households per group, and the first
    household of each group.
    """
    H = len(hh_code)
    salt = np.random.default_rng(0x5EED)  # a fixed hash, not a model draw
    keys = []
    for _ in range(2):
        hp = salt.integers(1, 2**40, size=int(person_code.max()) + 1).astype(float)
        hh_hash = salt.integers(1, 2**40, size=int(hh_code.max()) + 1).astype(float)
        keys.append(bincount(hh, weights=hp[person_code], minlength=H) + hh_hash[hh_code])
    first, group, count = _runs_of_equal(keys[0], keys[1])
    return group, count.astype(float), first


def _runs_of_equal(
    keys: np.ndarray, second: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct pairs (`keys`, `second`) in ascending order: the first index of each, each
    element's distinct pair and the elements per pair (`np.unique`'s index, inverse and counts),
    from one sort of `keys` (any sort: the order within a run of equal values changes none of
    the three); the runs of equal `keys` whose `second` differs are then sorted by `second`,
    each on its own."""
    if len(keys) == 0:
        return (np.zeros(0, dtype=np.intp),) * 3
    order = _ascending(keys)
    sorted_keys = keys[order]
    new = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]  # the first of a distinct value
    sorted_second = _split_runs_by(second, order, new)
    new[1:] |= sorted_second[1:] != sorted_second[:-1]
    starts = np.flatnonzero(new)
    group = np.empty(len(keys), dtype=np.intp)
    group[order] = np.cumsum(new) - 1
    first = np.minimum.reduceat(order, starts)
    count = np.diff(np.r_[starts, len(keys)])
    return first, group, count


def _split_runs_by(second: np.ndarray, order: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Sort, in place and stably by `second`, each run of `order` (runs start where `new`) in
    which `second` is not constant; returns `second[order]` in the new order. Where a hash
    tells the values apart the runs are single values, so only the few elements of the runs
    that two values share are sorted again."""
    sorted_second = second[order]
    split = ~new[1:] & (sorted_second[1:] != sorted_second[:-1])  # a change within a run
    if not split.any():
        return sorted_second
    run = np.cumsum(new) - 1  # the run of each element
    is_split = np.zeros(run[-1] + 1, dtype=bool)
    is_split[run[1:][split]] = True
    chosen = np.flatnonzero(is_split[run])  # the elements of split runs, run by run
    by = np.lexsort((sorted_second[chosen], run[chosen]))  # stable: ties keep their order
    order[chosen] = order[chosen][by]
    sorted_second[chosen] = sorted_second[chosen][by]
    return sorted_second


def _ascending(keys: np.ndarray) -> np.ndarray:
    """The stable ascending order of float64 `keys` (a radix sort of their bit patterns when
    none is negative or NaN)."""
    bits = kernels.float_keys(keys)  # bit patterns sort as the values (equal iff equal)
    return np.argsort(keys, kind="stable") if bits is None else kernels.argsort_keys(bits)


def province_groups(own: np.ndarray, label: str) -> tuple[np.ndarray, list[str], None]:
    """The raking column of each province in one provincial margin: its own where `own`, else
    its region's pooled column. Returns (column per province, column names, None)."""
    column = np.empty(N_PROVINCES, dtype=np.intp)
    names = [f"province_{k}{label}" for k, o in zip(PROVINCE_KEYS, own) if o]
    column[own] = np.arange(len(names))
    for r in np.unique(REGION_OF[~own]):
        column[~own & (REGION_OF == r)] = len(names)
        names.append(f"region_{REGIONS[r]}_rest{label}")
    return column, names, None


def income_ranks(rng: np.random.Generator, weight, hh, age, emp, size, hh_urban) -> np.ndarray:
    """Standard-normal income rank of each household, shifted by its labour attachment.

    Re-centred and re-scaled within urban and rural areas (persons weighted), so that the
    income distribution's shape parameters alone set its spread.
    """
    H = len(weight)
    adults = np.maximum(bincount(hh[age >= 16], minlength=H), 1)
    formal_share = bincount(hh[emp == EMP_FORMAL], minlength=H) / adults
    any_unemp = bincount(hh[emp == EMP_UNEMPLOYED], minlength=H) > 0
    z = rng.standard_normal(H) + Z_SHIFT_FORMAL * formal_share + Z_SHIFT_UNEMPLOYED * any_unemp
    fsize = size.astype(float)
    for mask in (hh_urban, ~hh_urban):
        wz = weight[mask] * fsize[mask]
        mu = np.sum(wz * z[mask]) / wz.sum()
        sd = np.sqrt(np.sum(wz * (z[mask] - mu) ** 2) / wz.sum())
        z[mask] = (z[mask] - mu) / sd
    return z
