"""Replication statistics: the t interval by hand, paired differences, missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from minsheng.experiment import Variant
from minsheng.summary import replication_summary, t_interval


def test_t_interval_by_hand():
    n, mean, lo, hi = t_interval(np.array([[1.0, 2.0, 3.0]]))
    # mean 2, sd 1, t(0.975, 2) = 4.3027: 2 ± 4.3027 / sqrt(3)
    assert n[0] == 3 and mean[0] == 2
    assert lo[0] == pytest.approx(2 - 4.302652729911275 / np.sqrt(3))
    assert hi[0] == pytest.approx(2 + 4.302652729911275 / np.sqrt(3))


def test_constant_values_give_an_exact_point_interval_and_one_value_none():
    n, mean, lo, hi = t_interval(np.array([[0.0, 0.0, 0.0, 0.0], [5.0, np.nan, np.nan, np.nan]]))
    assert (mean[0], lo[0], hi[0]) == (0.0, 0.0, 0.0)
    assert n[1] == 1 and mean[1] == 5 and np.isnan(lo[1]) and np.isnan(hi[1])


def test_differences_are_paired_by_seed():
    # B = A + 1 in every replication although A varies a lot: the difference is exactly 1 ± 0
    a = [10.0, 50.0, 90.0]
    rows = [("a", s, 2025, "all", "m", v, "share") for s, v in zip((1, 2, 3), a)]
    rows += [("b", s, 2025, "all", "m", v + 1, "share") for s, v in zip((1, 2, 3), a)]
    frame = pd.DataFrame(
        rows, columns=["scenario", "seed", "year", "group", "metric", "value", "unit"]
    )
    variants = [Variant("a", None, "a", None), Variant("b", None, "b", "a")]
    s = replication_summary(frame, variants).set_index("scenario")
    assert s.loc["b", "mean"] == 51 and s.loc["b", "ci_high"] - s.loc["b", "ci_low"] > 100
    assert (s.loc["b", "diff_mean"], s.loc["b", "diff_ci_low"], s.loc["b", "diff_ci_high"]) == (
        1,
        1,
        1,
    )
    assert np.isnan(s.loc["a", "diff_mean"])
