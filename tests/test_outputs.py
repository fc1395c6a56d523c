"""The distribution statistics of the outputs, on examples small enough to work out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from model.outputs import SortedDistribution, weighted_quantile_groups


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
    assert SortedDistribution(np.full(5, 7.0), np.arange(1.0, 6.0)).gini() == pytest.approx(0.0, abs=1e-12)


def test_group_means_agree_with_quantile_groups():
    rng = np.random.default_rng(3)
    x, w = rng.lognormal(size=1001), rng.random(1001)
    groups = weighted_quantile_groups(x, w, 5)
    expect = np.bincount(groups, weights=x * w) / np.bincount(groups, weights=w)
    assert SortedDistribution(x, w).group_means(5) == pytest.approx(expect, rel=1e-12)
