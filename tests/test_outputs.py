"""The distribution statistics of the outputs, on examples small enough to work out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from model import kernels
from model.outputs import SortedDistribution, value_order, weighted_quantile_groups


def test_four_equal_weights():
    d = SortedDistribution(np.array([3.0, 1.0, 4.0, 2.0]), np.ones(4))
    assert d.mean() == pytest.approx(2.5)
    assert d.median() == 2.0
    # sum over ordered pairs |xi - xj| = 20; Gini = 20 / (2 x 4^2 x 2.5) = 0.25
    assert d.gini() == pytest.approx(0.25)
    assert d.group_means(2) == pytest.approx([1.5, 3.5])
    assert d.below(3.0) == pytest.approx((2.0, 3.0))  # values 1 and 2: shortfalls 2 + 1
    assert d.below(1.0) == (0.0, 0.0)


def test_weights_count_as_repeated_values_and_zero_weights_count_for_nothing():
    weighted = SortedDistribution(np.array([1.0, 2.0, 9.0]), np.array([2.0, 1.0, 0.0]))
    repeated = SortedDistribution(np.array([1.0, 1.0, 2.0]), np.ones(3))
    for stat in ("mean", "gini", "median"):
        assert getattr(weighted, stat)() == pytest.approx(getattr(repeated, stat)())
    assert weighted.below(5.0) == pytest.approx(repeated.below(5.0))


def test_equal_incomes_have_gini_zero():
    assert SortedDistribution(np.full(5, 7.0), np.arange(1.0, 6.0)).gini() == pytest.approx(
        0.0, abs=1e-12
    )


def test_group_means_agree_with_quantile_groups():
    rng = np.random.default_rng(3)
    x, w = rng.lognormal(size=1001), rng.random(1001)
    groups = weighted_quantile_groups(x, w, 5)
    expect = np.bincount(groups, weights=x * w) / np.bincount(groups, weights=w)
    assert SortedDistribution(x, w).group_means(5) == pytest.approx(expect, rel=1e-12)


def test_sides_by_hand_and_against_each_side_alone():
    # values 3, 1, 4, 2 with sides T, F, T, F: False holds 1 and 2 (weights 1, 3), True 3 and 4
    d = SortedDistribution(np.array([3.0, 1.0, 4.0, 2.0]), np.array([1.0, 1.0, 1.0, 3.0]))
    (mean_f, median_f), (mean_t, median_t) = d.sides(np.array([True, False, True, False]))
    assert (mean_f, median_f) == (pytest.approx(7 / 4), 2.0)  # (1 + 3 x 2) / 4; half of 4 at 2
    assert (mean_t, median_t) == (pytest.approx(3.5), 3.0)
    rng = np.random.default_rng(4)
    x, w, side = rng.lognormal(size=2001), rng.random(2001), rng.random(2001) < 0.3
    for k, (mean, median) in enumerate(SortedDistribution(x, w).sides(side)):
        alone = SortedDistribution(x[side == k], w[side == k])
        assert mean == pytest.approx(alone.mean(), rel=1e-12)
        assert median == alone.median()
    empty = SortedDistribution(x, w).sides(np.ones(2001, dtype=bool))[0]
    assert np.isnan(empty[0]) and np.isnan(empty[1])


def test_value_order_sorts_negative_and_positive_values():
    rng = np.random.default_rng(5)
    x = np.r_[rng.normal(0, 1e4, 5000), -0.0, 0.0, 1e-300, -1e300, 3.5, 3.5]
    order = value_order(x)
    assert sorted(order.tolist()) == list(range(len(x)))  # a permutation
    xs = x[order]
    # ascending up to the documented relative precision
    assert np.all(np.diff(xs) >= -1e-9 * np.abs(xs[:-1]))
    assert np.array_equal(np.sort(x), np.sort(xs))


def test_value_order_is_the_stable_sort_of_the_documented_keys():
    """The keys as the docstring gives them, sorted by numpy: bit pattern made order-preserving,
    low bits replaced by the index (values that close are ties, in index order)."""
    rng = np.random.default_rng(6)
    x = np.r_[rng.normal(0, 1e4, 3000), -0.0, 0.0, np.inf, -np.inf, 2.0, 2.0, 2.0 + 1e-13]
    x = x[rng.permutation(len(x))]
    bits = (len(x) - 1).bit_length()
    key = x.view(np.int64).copy()
    key[key < 0] ^= np.int64(0x7FFFFFFFFFFFFFFF)
    key = ((key >> bits) << bits) | np.arange(len(x))
    assert np.array_equal(value_order(x), np.argsort(key, kind="stable"))
    with pytest.raises(ValueError, match="low bits"):
        kernels.value_order(x, 2)  # 3,007 indices do not fit in 2 bits


def test_statistics_from_value_order_match_an_exact_sort():
    rng = np.random.default_rng(8)
    x, w = rng.lognormal(10, 1, 100_001) - 2000, rng.random(100_001)
    fast, exact = SortedDistribution(x, w), SortedDistribution(x, w, order=np.argsort(x))
    for stat in ("mean", "gini", "median"):
        assert getattr(fast, stat)() == pytest.approx(getattr(exact, stat)(), rel=1e-9)
    assert fast.group_means(5) == pytest.approx(exact.group_means(5), rel=1e-9)
    assert fast.below(20000.0) == pytest.approx(exact.below(20000.0), rel=1e-9)


def test_poverty_by_group_adds_up_to_the_national_rate(base_run):
    """Persons in poor households, by residence, sex and age: the groups' rates weighted by their
    populations give the national rate (each partition covers everyone once)."""
    f = base_run.frame[base_run.frame.year == 2030]

    def value(metric, group):
        return float(f[(f.metric == metric) & (f.group == group)].value.iloc[0])

    everyone = value("poverty_rate", "all")
    for parts in (("urban", "rural"), ("male", "female"), ("age_0_15", "age_16_59", "age_60_plus")):
        people = {g: value("population", g) for g in parts}
        weighted = sum(people[g] * value("poverty_rate", g) for g in parts) / sum(people.values())
        assert weighted == pytest.approx(everyone, rel=1e-9), parts
    assert value("poverty_rate", "rural") > value("poverty_rate", "urban")
