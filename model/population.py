"""The synthetic population: households and their members as numpy columns.

Households are drawn from composition templates (children, working-age adults, elderly) with
priors for residence, region, migration, hukou, employment, disability and employee-pension
history; then household weights are raked (`model.raking`) so that weighted counts equal the
national margins in the scenario's `population.*` parameters (public-facts.md). The priors below
only shape the joint distribution inside those margins; every margin itself comes from the
scenario. Income is a log-normal per-capita amount per household whose urban and rural means
are set exactly to `income.mean_urban` / `income.mean_rural` after weighting.

Columns (one entry per person unless noted ``hh_``):
    hh          household index
    age         years
    emp         employment status (EMP_* codes below)
    urban_hukou True for a non-agricultural hukou
    disabled    disabled or semi-disabled (people 60+)
    emp_pension True for people 60+ drawing an employee-scheme pension
    grad_year   year the person left school (-1 if never a student in the simulation)
    u_*         persistent uniform draws that make each person's decisions reproducible and
                monotone in policy (common random numbers)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.raking import rake

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
REGION_NAMES = ("east", "central", "west", "northeast")

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
# Children's single-year ages: births of 2024, 2023, 2022 for ages 0-2 (public-facts.md), even
# cohorts for 3-15 (the rest of the 0-15 total); elderly: even 60-64, then a geometric decline
# from 65 that puts about 16% of people 65+ at 80+ (a prior shape: only the 60+ and 65+ totals
# are raked).
CHILD_AGE_W = np.r_[[954, 902, 956], np.full(13, 1630.0)]
ELDER_AGES = np.arange(60, 101)
ELDER_AGE_W = np.r_[np.full(5, 1.0), 0.885 ** np.arange(36)]
# Students: share of 16-18 in school, and share of those still studying at 19-22.
P_STUDENT_16 = 0.9
P_STUDENT_CONTINUE_19 = 0.6
SCHOOL_LEAVING_AGE = 23
# Employment priors for non-students of working age: formal, flexible, farmer, unemployed, inactive.
EMP_CODES = np.array([EMP_FORMAL, EMP_FLEXIBLE, EMP_FARMER, EMP_UNEMPLOYED, EMP_INACTIVE])
EMP_P_URBAN = np.array([0.58, 0.26, 0.02, 0.05, 0.09])
EMP_P_MIGRANT = np.array([0.45, 0.42, 0.01, 0.04, 0.08])
EMP_P_RURAL = np.array([0.10, 0.14, 0.66, 0.03, 0.07])
# Rural people 60-69 who still farm; each year a share of the working-age labour force redraws
# its status from the priors (simple job turnover that keeps the structure stable).
P_RURAL_ELDER_FARMING = 0.55
ELDER_FARMING_MAX_AGE = 69
LABOUR_TURNOVER = 0.10
# Migration and hukou priors (household level).
P_MIGRANT_URBAN, P_MIGRANT_RURAL = 0.40, 0.05
P_URBAN_HUKOU = {"urban_native": 0.90, "urban_migrant": 0.35, "rural": 0.05}
# Employee-pension history of people 60+ (prior by residence and hukou).
P_EMP_PENSION = {"urban_uh": 0.85, "urban_rh": 0.35, "rural": 0.12}
# Income: log-income shifts by the household's labour attachment (before re-centring).
Z_SHIFT_FORMAL, Z_SHIFT_UNEMPLOYED = 0.45, -0.35


def is_employed(emp: np.ndarray) -> np.ndarray:
    """Formal, flexible or farming (the employed codes are contiguous)."""
    return (emp >= EMP_FORMAL) & (emp <= EMP_FARMER)


def disability_prevalence(age: np.ndarray) -> np.ndarray:
    """Prior share of people of a given age who are disabled or semi-disabled (0 below 60)."""
    return np.where(age >= 60, np.clip(0.02 + 0.008 * (age - 60), 0.0, 0.5), 0.0)


N_UNIFORMS = ("u_med", "u_pen", "u_emp", "u_tier", "u_help", "u_care", "u_day", "u_queue")


@dataclass
class Population:
    """Households and persons as columns. Weights are per household; members share them."""

    hh_weight: np.ndarray
    hh_urban: np.ndarray
    hh_region: np.ndarray
    hh_migrant: np.ndarray
    hh_urban_hukou: np.ndarray
    hh_z: np.ndarray  # standard-normal income rank of the household
    hh_u_dibao: np.ndarray
    hh_u_near: np.ndarray
    hh: np.ndarray
    age: np.ndarray
    emp: np.ndarray
    urban_hukou: np.ndarray
    disabled: np.ndarray
    emp_pension: np.ndarray
    grad_year: np.ndarray
    u: dict[str, np.ndarray] = field(default_factory=dict)
    # kept up to date as persons die and are born, instead of being derived again each year
    _per_person: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _size: np.ndarray | None = field(default=None, repr=False)

    PERSON_COLUMNS = ("hh", "age", "emp", "urban_hukou", "disabled", "emp_pension", "grad_year")

    @property
    def n_households(self) -> int:
        return len(self.hh_weight)

    @property
    def n_persons(self) -> int:
        return len(self.hh)

    def person_column(self, name: str) -> np.ndarray:
        """A household column (e.g. ``hh_urban``) repeated for each person; read-only.

        Kept in step with births and deaths, so it is gathered once per run, not once a year.
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
            self._size = self._size - np.bincount(self.hh[~mask], minlength=self.n_households)
        for c in self.PERSON_COLUMNS:
            setattr(self, c, getattr(self, c)[mask])
        for k in self.u:
            self.u[k] = self.u[k][mask]
        for k in self._per_person:
            self._per_person[k] = self._per_person[k][mask]

    def append(self, cols: dict[str, np.ndarray], rng: np.random.Generator) -> None:
        """Add persons (births); new persons get fresh persistent uniforms."""
        n = len(cols["hh"])
        new_hh = cols["hh"]
        if self._size is not None:
            self._size = self._size + np.bincount(new_hh, minlength=self.n_households)
        for c in self.PERSON_COLUMNS:
            setattr(
                self, c, np.concatenate([getattr(self, c), cols[c].astype(getattr(self, c).dtype)])
            )
        for k in self.u:
            self.u[k] = np.concatenate([self.u[k], rng.random(n, dtype=np.float32)])
        for k in self._per_person:
            self._per_person[k] = np.concatenate([self._per_person[k], getattr(self, k)[new_hh]])

    def household_sum(self, values: np.ndarray) -> np.ndarray:
        """Per-household sum of a person column."""
        return np.bincount(self.hh, weights=values, minlength=self.n_households)

    def household_size(self) -> np.ndarray:
        """Members per household; read-only (kept in step with births and deaths)."""
        if self._size is None:
            self._size = np.bincount(self.hh, minlength=self.n_households)
        return self._size


def draw_employment(rng: np.random.Generator, urban: np.ndarray, migrant: np.ndarray) -> np.ndarray:
    """Employment status for labour-market entrants, from the priors by residence and migration."""
    u = rng.random(len(urban))
    out = np.empty(len(urban), dtype=np.int8)
    for mask, p in (
        (urban & ~migrant, EMP_P_URBAN),
        (urban & migrant, EMP_P_MIGRANT),
        (~urban, EMP_P_RURAL),
    ):
        idx = np.searchsorted(np.cumsum(p), u[mask] * p.sum(), side="right")
        out[mask] = EMP_CODES[np.minimum(idx, len(p) - 1)]
    return out


def build_population(
    p: dict[str, float], n_households: int, rng: np.random.Generator
) -> Population:
    """Draw `n_households` households and rake their weights to the margins in `p`.

    Args:
        p: base-year values of the `population.*` and `income.*` parameters, plus
           `pension.employee_average` (yuan/month) and `income.base_resident_pension`.
        n_households: sample size (the weights make it national whatever the size).
        rng: the run's generator.
    """
    H = n_households
    region_p = np.array([p[f"population.region_share.{r}"] for r in REGION_NAMES])
    region_p = region_p / region_p.sum()  # published shares are rounded (they sum to 99.86%)
    hh_region = np.searchsorted(np.cumsum(region_p), rng.random(H), side="right").astype(np.int8)
    hh_urban = rng.random(H) < p["population.urban_share"]
    hh_migrant = np.where(
        hh_urban, rng.random(H) < P_MIGRANT_URBAN, rng.random(H) < P_MIGRANT_RURAL
    )

    # composition: migrants' households hold fewer elderly
    p_mig = TEMPLATE_P_URBAN * np.where(TEMPLATES[:, 2] > 0, 0.3, 1.0)
    u_t = rng.random(H)
    tpl = np.empty(H, dtype=np.int64)
    for mask, probs in (
        (hh_urban & ~hh_migrant, TEMPLATE_P_URBAN),
        (hh_urban & hh_migrant, p_mig),
        (~hh_urban, TEMPLATE_P_RURAL),
    ):
        cdf = np.cumsum(probs / probs.sum())
        tpl[mask] = np.minimum(np.searchsorted(cdf, u_t[mask], side="right"), len(cdf) - 1)
    n_c, n_a, n_e = TEMPLATES[tpl, 0], TEMPLATES[tpl, 1], TEMPLATES[tpl, 2]

    hh_idx = np.arange(H, dtype=np.int32)
    hh_c, hh_a, hh_e = np.repeat(hh_idx, n_c), np.repeat(hh_idx, n_a), np.repeat(hh_idx, n_e)
    age_c = rng.choice(16, size=len(hh_c), p=CHILD_AGE_W / CHILD_AGE_W.sum())
    with_kids = n_c[hh_a] > 0
    with_elders = n_e[hh_a] > 0
    age_a = np.where(
        with_kids,
        rng.integers(22, 50, len(hh_a)),
        np.where(with_elders, rng.integers(25, 60, len(hh_a)), rng.integers(16, 60, len(hh_a))),
    )
    age_e = rng.choice(ELDER_AGES, size=len(hh_e), p=ELDER_AGE_W / ELDER_AGE_W.sum())
    # persons ordered by household, and within it children, adults, elderly
    size = n_c + n_a + n_e
    start = np.cumsum(size) - size  # first person of each household
    P = int(size.sum())
    hh = np.repeat(hh_idx, size)
    age = np.empty(P, dtype=np.int16)
    for members, n_kind, ages, before in (
        (hh_c, n_c, age_c, 0),
        (hh_a, n_a, age_a, n_c),
        (hh_e, n_e, age_e, n_c + n_a),
    ):
        # members of this kind are listed household by household: each one's place among them
        # in its household, plus the household's start and the members of earlier kinds
        offset = start + before - (np.cumsum(n_kind) - n_kind)
        age[offset[members] + np.arange(len(members))] = ages

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
    working_age = (age >= 16) & (age < 60)
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
    emp_pension = elder & (u_p < p_pen) & (emp != EMP_FARMER)

    # ---- raking to the national margins
    total = p["population.total"]
    employed_codes = is_employed(emp)
    labour_force_urban = urban_p & (employed_codes | (emp == EMP_UNEMPLOYED))
    ur = p["population.urban_unemployment_rate"]
    urban_employed = p["population.employed_urban"]
    # Each margin is (indicator, national total). The indicator is per person, or, for household
    # columns (residence, hukou, migration, region), per household: all its members count.
    margins = {
        "age_0_15": (age <= 15, p["population.age_0_15"]),
        "age_60_plus": (age >= 60, p["population.age_60_plus"]),
        "age_65_plus": (age >= 65, p["population.age_65_plus"]),
        "urban": (hh_urban, p["population.urban_share"] * total),
        "urban_hukou": (hh_uh, p["population.urban_hukou_share"] * total),
        "migrants": (hh_migrant, p["population.migrants"]),
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
    for i, r in enumerate(REGION_NAMES):
        margins[f"region_{r}"] = (hh_region == i, region_p[i] * total)
    names = list(margins) + ["households"]
    # A household's row of the design is its members in each margin (0-7: templates have at most
    # 6 members), written as one integer of 3 bits a margin; households with the same row share
    # their raking factor, so the fit runs on the distinct rows only. Each person adds the digits
    # of their margins (16 margins x 3 bits < 53 bits, so the sums are exact in float64), and a
    # household column adds its digit once per member.
    assert TEMPLATES.sum(axis=1).max() < 8 and len(margins) * 3 < 53
    digit = 8 ** np.arange(len(margins), dtype=np.int64)
    code = np.zeros(P, dtype=np.int64)
    hh_code = np.zeros(H, dtype=np.int64)
    household_columns = {"urban", "urban_hukou", "migrants", *(f"region_{r}" for r in REGION_NAMES)}
    for j, (name, (m, _)) in enumerate(margins.items()):
        if name in household_columns:
            hh_code += m * digit[j]
        else:
            code += m * digit[j]
    key = np.bincount(hh, weights=code, minlength=H).astype(np.int64) + size * hh_code
    ukey, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    rows = np.column_stack([(ukey[:, None] // digit) % 8, np.ones(len(ukey), np.int64)])
    targets = np.array([t for _, t in margins.values()] + [p["population.households"]])
    base = total / P
    factor = rake(rows.astype(float), targets, base * counts.astype(float), names) / (base * counts)
    weight = base * factor[inverse.ravel()]

    # ---- income rank: labour attachment shifts the log income, then re-centre by area
    adults = np.maximum(np.bincount(hh[age >= 16], minlength=H), 1)
    formal_share = np.bincount(hh[emp == EMP_FORMAL], minlength=H) / adults
    any_unemp = np.bincount(hh[emp == EMP_UNEMPLOYED], minlength=H) > 0
    z = rng.standard_normal(H) + Z_SHIFT_FORMAL * formal_share + Z_SHIFT_UNEMPLOYED * any_unemp
    size = size.astype(float)
    for mask in (hh_urban, ~hh_urban):
        wz = weight[mask] * size[mask]
        mu = np.sum(wz * z[mask]) / wz.sum()
        sd = np.sqrt(np.sum(wz * (z[mask] - mu) ** 2) / wz.sum())
        z[mask] = (z[mask] - mu) / sd

    u = {k: rng.random(P, dtype=np.float32) for k in N_UNIFORMS}
    return Population(
        hh_weight=weight,
        hh_urban=hh_urban,
        hh_region=hh_region,
        hh_migrant=hh_migrant,
        hh_urban_hukou=hh_uh,
        hh_z=z,
        hh_u_dibao=rng.random(H),
        hh_u_near=rng.random(H),
        hh=hh.astype(np.int32),
        age=age,
        emp=emp,
        urban_hukou=urban_hukou,
        disabled=disabled,
        emp_pension=emp_pension,
        grad_year=np.full(P, -1, dtype=np.int16),
        u=u,
    )


def area_means(
    pop: Population, mean_all: float, mean_urban: float, mean_rural: float
) -> tuple[float, float]:
    """Urban and rural mean incomes that keep the published overall mean and urban/rural ratio.

    NBS's urban and rural means (household survey) imply an urban share below the resident
    urbanisation rate (for 2024: (41,314 - 23,119) / (54,188 - 23,119) = 58.6%, not 67%), so the
    three published means cannot all hold on a population that is 67% urban. We keep the
    overall mean and the ratio.
    """
    persons = pop.hh_weight * pop.household_size()
    urban_share = float(np.sum(persons[pop.hh_urban]) / persons.sum())
    ratio = mean_urban / mean_rural
    rural = mean_all / (urban_share * ratio + (1 - urban_share))
    return rural * ratio, rural


def other_income_scale(
    pop: Population,
    mean_urban: float,
    mean_rural: float,
    sigma_urban: float,
    sigma_rural: float,
    base_transfers_pc: np.ndarray,
) -> np.ndarray:
    """Per-capita income other than the modelled transfers, per household, in the base year.

    Chosen so that weighted mean (other income + base-year modelled transfers) equals the
    given urban and rural means exactly; log-normal with the given log-sd around that.
    """
    H = pop.n_households
    size = pop.household_size().astype(float)
    sigma = np.where(pop.hh_urban, sigma_urban, sigma_rural)
    shape = np.exp(sigma * pop.hh_z - sigma**2 / 2)
    other = np.empty(H)
    for mask, mean in ((pop.hh_urban, mean_urban), (~pop.hh_urban, mean_rural)):
        wp = pop.hh_weight[mask] * size[mask]
        need = mean * wp.sum() - np.sum(wp * base_transfers_pc[mask])
        other[mask] = shape[mask] * need / np.sum(wp * shape[mask])
    return np.maximum(other, 0.0)
