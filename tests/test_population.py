"""The synthetic population: weighted margins equal the national totals in public-facts.md."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from model.core import MinshengModel
from model.population import (
    EMP_FARMER,
    EMP_FLEXIBLE,
    EMP_FORMAL,
    EMP_UNEMPLOYED,
    SPARE_MIN,
    _runs_of_equal,
    distinct_households,
)
from model.raking import RakingError, _solve, rake, subsample_spacing


@pytest.fixture(scope="module")
def model(baseline):
    return MinshengModel(baseline, households=20_000)


def test_margins_are_met(model, baseline):
    pop = model.pop
    w = pop.person_weight()
    p = lambda k: baseline.value(k, 2024)  # noqa: E731
    urban = pop.hh_urban[pop.hh]
    employed = np.isin(pop.emp, [EMP_FORMAL, EMP_FLEXIBLE, EMP_FARMER])
    checks = {
        "age 0-15 (23,999万)": (w[pop.age <= 15].sum(), p("population.age_0_15")),
        "age 60+ (31,031万)": (w[pop.age >= 60].sum(), p("population.age_60_plus")),
        "age 65+ (22,023万)": (w[pop.age >= 65].sum(), p("population.age_65_plus")),
        "urban residents (67%)": (w[urban].sum(), 0.67 * p("population.total")),
        "employed (73,439万)": (w[employed].sum(), p("population.employed")),
        "flexible workers (2亿)": (
            w[pop.emp == EMP_FLEXIBLE].sum(),
            p("population.flexible_workers"),
        ),
        "employee pensioners (14,739万)": (
            w[pop.emp_pension].sum(),
            p("population.employee_pensioners"),
        ),
        "migrants (37,582万)": (w[pop.hh_migrant[pop.hh]].sum(), p("population.migrants")),
        "households (51,089万)": (pop.hh_weight.sum(), p("population.households")),
        "men (71,909万)": (w[pop.sex == 0].sum(), p("population.male")),
    }
    for label, (got, want) in checks.items():
        assert got == pytest.approx(want, rel=1e-6), label


def test_total_population(model):
    # the region shares are rounded and sum to 99.86%; they are normalised, so the total holds
    assert model.pop.person_weight().sum() == pytest.approx(1408280000, rel=1e-6)


def test_urban_unemployment_rate(model):
    pop = model.pop
    w = pop.person_weight()
    urban = pop.hh_urban[pop.hh]
    lf = urban & np.isin(pop.emp, [EMP_FORMAL, EMP_FLEXIBLE, EMP_FARMER, EMP_UNEMPLOYED])
    rate = w[lf & (pop.emp == EMP_UNEMPLOYED)].sum() / w[lf].sum()
    assert rate == pytest.approx(0.051, abs=1e-4)


def test_income_mean_and_quintiles(base_run):
    # published: mean 41,314 (2024); quintile means relative to the mean (2025): .234 .523 .819 1.281 2.392
    published = np.array([10150, 22702, 35536, 55586, 103778]) / 43377
    mean = base_run.value("disposable_income_mean", 2024)
    q = (
        np.array(
            [base_run.value("income_quintile_mean", 2024, f"quintile_{i}") for i in range(1, 6)]
        )
        / mean
    )
    # the model's disposable income is net of modelled contributions (about 1.6% of income)
    assert mean == pytest.approx(41314, rel=0.03)
    assert q == pytest.approx(published, rel=0.10)


def test_weights_are_not_extreme(model):
    """Raking moves each household's weight less than tenfold from its design weight (its
    province's persons over the province's sampled persons: small provinces are oversampled)."""
    pop = model.pop
    persons = pop.hh_weight * pop.household_size()
    sampled = np.bincount(pop.hh_province, weights=pop.household_size(), minlength=31)
    design = (np.bincount(pop.hh_province, weights=persons, minlength=31) / sampled)[
        pop.hh_province
    ]
    ratio = pop.hh_weight / design
    assert ratio.max() < 10 and ratio.min() > 0.1


def test_same_seed_same_population(baseline):
    a = MinshengModel(baseline, households=2_000, seed=7).pop
    b = MinshengModel(baseline, households=2_000, seed=7).pop
    c = MinshengModel(baseline, households=2_000, seed=8).pop
    assert np.array_equal(a.age, b.age) and np.array_equal(a.hh_weight, b.hh_weight)
    assert not np.array_equal(a.hh_weight, c.hh_weight)


def test_raking_hits_targets_and_reports_inconsistency():
    design = np.array([[1, 1], [1, 0], [0, 1], [1, 1.0]])
    w = rake(design, np.array([30.0, 25.0]), np.ones(4), ["a", "b"])
    assert design.T @ w == pytest.approx([30, 25])
    with pytest.raises(RakingError, match="margin"):
        # 'b' counts a subset of 'a''s members, so b > a is impossible
        rake(np.array([[2.0, 1.0], [1.0, 0.0]]), np.array([10.0, 20.0]), np.ones(2), ["a", "b"])


def test_the_newton_matrix_subsample_is_at_least_every_32nd_household():
    """About `jacobian_rows` households, but no sparser than every 32nd (the steps needed grow
    with the spacing): the 1M-household build's 548,196 rows give every 16th, the 10M build's
    3,178,379 rows every 32nd (not every 96th), a small sample all of them."""
    assert subsample_spacing(548_196, 33_000) == 16
    assert subsample_spacing(3_178_379, 33_000) == 32
    assert subsample_spacing(20_000, 33_000) == 1


def test_raking_on_a_subsample_matrix_meets_the_margins_as_the_exact_one_does():
    """With a Newton matrix estimated on every k-th household (kept once the margins are within
    1%), the margins are met to the same tolerance as with the exact matrix: only the path
    differs, so the weights agree to that tolerance too."""
    rng = np.random.default_rng(11)
    design = sp.csc_matrix((rng.random((6_000, 12)) < 0.3).astype(float))
    base = rng.uniform(0.5, 1.5, 6_000)
    targets = design.T @ (base * rng.uniform(0.8, 1.25, 6_000))
    names = [f"m{j}" for j in range(12)]
    exact = rake(design, targets, base, names)
    estimated = rake(design, targets, base, names, jacobian_rows=500)  # every 12th household
    for w in (exact, estimated):
        assert design.T @ w == pytest.approx(targets, rel=1e-9)
    assert estimated == pytest.approx(exact, rel=1e-6)
    # and it is the estimated matrix that gets there (not the exact one `rake` falls back to)
    lam, converged = _solve(design, design.T.tocsr(), targets, base, 1e-10, 60, 12, np.zeros(12))
    assert converged


def test_persons_by_sex_and_age_group_are_the_base_year_table(model, baseline):
    from model.age_structure import MAX_AGE
    from model.population import AGE_GROUP_STARTS, age_sex_table

    pop = model.pop
    w = pop.person_weight()
    table = age_sex_table({k: baseline.value(k, 2024) for k in baseline.params}, 2024)
    bounds = list(AGE_GROUP_STARTS) + [MAX_AGE + 1]
    for sex in (0, 1):
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            got = w[(pop.sex == sex) & (pop.age >= lo) & (pop.age < hi)].sum()
            want = table[lo:hi, sex].sum()
            # at 20,000 households every group is raked on its own (no merged cells below 90)
            if lo < 90:
                assert got == pytest.approx(want, rel=1e-6), (sex, lo)


def test_working_age_population_falls_every_year(base_run):
    s = base_run.series("population", "age_16_59")
    assert (np.diff(s.to_numpy()) < 0).all(), s
    old = base_run.series("population", "age_60_plus")
    assert (np.diff(old.to_numpy()) > 0).all(), old


def test_urbanisation_and_hukou_move_people(base_run):
    urban = base_run.series("population", "urban") / base_run.series("population")
    assert urban[2025] == pytest.approx(0.6789, abs=0.001)
    assert urban[2030] == pytest.approx(0.6789 + 5 * 0.0079, abs=0.002)
    hukou = base_run.series("population", "urban_hukou") / base_run.series("population")
    assert (np.diff(hukou.to_numpy()) > 0).all()
    assert base_run.value("hukou_settlers", 2025) == pytest.approx(15e6, rel=0.05)


def test_households_grow_while_the_population_falls(base_run):
    hh = base_run.series("households")
    assert (np.diff(hh.to_numpy()) > 0).all()
    size = base_run.series("household_size_mean")
    assert (np.diff(size.to_numpy()) < 0).all()


def test_runs_of_equal_pairs_are_numpy_unique_of_the_pairs():
    rng = np.random.default_rng(3)
    first_key = rng.integers(0, 5, 200).astype(float)  # many equal first keys
    second_key = rng.integers(0, 3, 200).astype(float)
    first, group, count = _runs_of_equal(first_key, second_key)
    pairs = np.stack([first_key, second_key], axis=1)
    _, index, inverse, counts = np.unique(
        pairs, axis=0, return_index=True, return_inverse=True, return_counts=True
    )
    assert np.array_equal(first, index)
    assert np.array_equal(group, inverse.ravel())
    assert np.array_equal(count, counts)


def _random_households(seed: int, H: int, largest: int, person_codes: int, hh_codes: int):
    """`H` households of 1 to `largest` members with random member and household codes, as
    `distinct_households` takes them: (hh of each person, person codes, household codes)."""
    rng = np.random.default_rng(seed)
    hh = np.repeat(np.arange(H), rng.integers(1, largest + 1, H))
    return hh, rng.integers(0, person_codes, len(hh)), rng.integers(0, hh_codes, H)


def test_households_sharing_the_first_hash_are_told_apart_by_the_second(monkeypatch):
    """A collision of the first hash (every code hashed to 1) must not merge households whose
    members differ: the groups are those of the (member codes, household code) themselves."""
    H = 300
    hh, person_code, hh_code = _random_households(5, H, largest=3, person_codes=4, hh_codes=3)
    real = np.random.default_rng

    class FirstHashCollides:
        """The hash generator of `distinct_households`, with the first hash constant."""

        def __init__(self, seed):
            self.calls, self.gen = 0, real(seed)

        def integers(self, low, high, size):
            self.calls += 1
            values = self.gen.integers(low, high, size=size)
            return np.ones_like(values) if self.calls <= 2 else values

    monkeypatch.setattr(np.random, "default_rng", FirstHashCollides)
    group, count, first = distinct_households(hh, person_code, hh_code)
    monkeypatch.setattr(np.random, "default_rng", real)
    members = [tuple(sorted(person_code[hh == h])) + (hh_code[h],) for h in range(H)]
    for h in range(H):  # same group exactly when the members and household code are the same
        same = group == group[h]
        assert all((members[j] == members[h]) == same[j] for j in range(H))
    assert np.array_equal(count, np.bincount(group).astype(float))
    assert np.array_equal(first, [np.flatnonzero(group == g)[0] for g in range(group.max() + 1)])


def test_a_second_key_that_splits_no_run_changes_no_group():
    """Where the first key tells the values apart (the second is the same within each run of
    equal first keys), grouping by the pair gives the groups, order, counts and first indices of
    the first key alone; a second key that splits one run splits exactly that group in two."""
    rng = np.random.default_rng(6)
    first_key = rng.integers(0, 50, 2_000).astype(float)
    second_key = first_key * 7.0 + 1.0  # a function of the first: splits nothing
    _, index, inverse, counts = np.unique(
        first_key, return_index=True, return_inverse=True, return_counts=True
    )
    alone = (index, inverse, counts)
    for a, b in zip(alone, _runs_of_equal(first_key, second_key)):
        assert np.array_equal(a, b)
    second_key[first_key == 3.0] = np.arange((first_key == 3.0).sum()) % 2  # split value 3
    first, group, count = _runs_of_equal(first_key, second_key)
    assert len(count) == len(alone[2]) + 1
    assert sorted(count[[3, 4]]) == sorted(
        [((first_key == 3.0) & (second_key == k)).sum() for k in (0, 1)]
    )


def test_raking_leaves_a_design_with_unsorted_columns_as_it_was():
    """`rake` works on a row-sorted copy of the design: the caller's arrays are not reordered."""
    design = sp.csr_matrix(
        (np.array([1.0, 2.0, 1.0]), np.array([1, 0, 0]), np.array([0, 2, 3])), shape=(2, 2)
    )
    indices = design.indices.copy()
    w = rake(design, np.array([5.0, 2.0]), np.ones(2), ["a", "b"])  # weights 2 and 1
    assert np.array_equal(design.indices, indices)
    assert w == pytest.approx([2.0, 1.0], rel=1e-9)


def test_deaths_births_and_new_households_give_the_columns_concatenation_gives(model):
    """Deaths, then births, then new households: every column as boolean indexing and
    np.concatenate give it; births and new households are written into the rows the columns
    keep to spare, and an array read before a birth keeps what it held."""
    pop = model.pop.copy()
    rng = np.random.default_rng(5)
    alive = rng.random(pop.n_persons) > 0.05
    want = {c: getattr(pop, c)[alive] for c in pop.PERSON_COLUMNS}
    want_u = {k: v[alive] for k, v in pop.u.items()}
    pop.keep(alive)
    for c in pop.PERSON_COLUMNS:
        assert np.array_equal(getattr(pop, c), want[c]) and getattr(pop, c).dtype == want[c].dtype
    assert all(np.array_equal(pop.u[k], want_u[k]) for k in want_u)
    age_before, buffer = pop.age, pop.age.base
    n = 10
    born = {c: getattr(pop, c)[:n].copy() for c in pop.PERSON_COLUMNS}
    born["age"] = np.zeros(n, dtype=np.int64)  # cast to the column's type, as concatenate.astype
    pop.append(born, np.random.default_rng(6))
    assert pop.age.base is buffer  # written in place: no copy of the column
    assert np.array_equal(pop.age, np.concatenate([want["age"], np.zeros(n, dtype=np.int16)]))
    assert len(age_before) == len(want["age"]) and np.array_equal(age_before, want["age"])
    for c in pop.PERSON_COLUMNS:
        assert np.array_equal(
            getattr(pop, c), np.concatenate([want[c], born[c].astype(want[c].dtype)])
        )
    # a column replaced by another array is copied, not written through to the old buffer
    pop.emp = pop.emp.copy()
    emp_before = pop.emp
    pop.append({c: getattr(pop, c)[:1].copy() for c in pop.PERSON_COLUMNS}, rng)
    assert pop.emp.base is not emp_before and len(emp_before) == len(pop.emp) - 1
    # more births than rows to spare: a larger buffer, the same values
    many = SPARE_MIN + len(pop.age.base)
    rows = {c: np.resize(getattr(pop, c), many) for c in pop.PERSON_COLUMNS}
    before = pop.grad_year.copy()
    pop.append(rows, rng)
    assert np.array_equal(pop.grad_year, np.concatenate([before, rows["grad_year"]]))
    weight = pop.hh_weight.copy()
    parents = pop.hh[[0, 1]].copy()
    new = pop.split_off(np.array([0, 1]), rng)
    assert np.array_equal(pop.hh_weight, np.concatenate([weight, weight[parents]]))
    assert np.array_equal(pop.hh[[0, 1]], new)
