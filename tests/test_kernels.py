"""The compiled kernels (model/kernels.py) give exactly what their numpy expressions give."""

from __future__ import annotations

import numpy as np
import pytest

from model import kernels

RNG = np.random.default_rng(20251)


@pytest.mark.parametrize("index_type", [np.int8, np.int16, np.int32, np.int64, np.uint8])
@pytest.mark.parametrize("weight_type", [None, np.float64, np.float32, np.bool_])
def test_bincount_equals_numpy_to_the_last_bit(index_type, weight_type):
    x = RNG.integers(0, 31, 10_000).astype(index_type)
    w = None if weight_type is None else (RNG.random(10_000) * 1e6).astype(weight_type)
    got = kernels.bincount(x, weights=w, minlength=31)
    want = np.bincount(x, weights=w, minlength=31)
    assert got.dtype == want.dtype
    assert np.array_equal(got, want)  # exact: the same sums in the same order


def test_bincount_outside_minlength_and_bad_input_behave_as_numpy():
    x = np.array([0, 5, 2], dtype=np.int8)
    assert np.array_equal(kernels.bincount(x, minlength=3), [1, 0, 1, 0, 0, 1])  # grows
    with pytest.raises(ValueError):
        kernels.bincount(np.array([-1, 0], dtype=np.int8), minlength=2)
    assert np.array_equal(kernels.bincount([1, 1]), [0, 2])  # a list goes to numpy


def test_systematic_choice_is_the_cumulative_sum_rule():
    prob = RNG.random(100_000) * 0.05
    start = 0.37
    cum = np.cumsum(prob) + start
    want = np.floor(cum) > np.floor(cum - prob)
    got = kernels.systematic_choice(prob, start)
    assert np.array_equal(got, want)
    # the number chosen is the expected number, rounded one way or the other
    assert abs(int(got.sum()) - prob.sum()) < 1.0


def test_draw_by_household_equals_the_numpy_expression():
    hh = np.sort(RNG.integers(0, 1_000, 5_000)).astype(np.int32)
    eligible = RNG.random(5_000) < 0.8
    u = RNG.random(5_000, dtype=np.float32)
    prob = RNG.random(1_000)
    chosen, per_household = kernels.draw_by_household(eligible, u, prob, hh)
    want = eligible & (u < prob[hh])
    assert np.array_equal(chosen, want)
    assert np.array_equal(per_household, np.bincount(hh[want], minlength=1_000))


def test_households_with_age():
    hh = np.array([0, 0, 1, 2, 2, 2], dtype=np.int32)
    age = np.array([50, 3, 30, 10, 70, 16], dtype=np.int16)
    assert kernels.households_with_age(hh, age, 16, 44, 4).tolist() == [False, True, True, False]
    assert kernels.households_with_age(hh, age, 45, 200, 4).tolist() == [True, False, True, False]


def test_compile_all_reports_seconds():
    assert kernels.compile_all() >= 0.0


def test_sorted_sums_and_quantile_groups_equal_numpy():
    values, weights = RNG.random(5_000) * 1e5, RNG.random(5_000) * 100
    order = np.argsort(values, kind="stable")
    x, w, cw, cxw = kernels.sorted_sums(values, weights, order)
    assert np.array_equal(x, values[order]) and np.array_equal(w, weights[order])
    assert np.array_equal(cw, np.cumsum(weights[order]))
    assert np.array_equal(cxw, np.cumsum(values[order] * weights[order]))
    mid = (np.cumsum(w) - 0.5 * w) / np.cumsum(w)[-1]
    want = np.empty(5_000, dtype=np.int8)
    want[order] = np.minimum((mid * 10).astype(np.int64), 9)
    assert np.array_equal(kernels.quantile_groups(weights, order, 10), want)


def test_book_equals_numpy():
    n = 5_000
    group = RNG.integers(0, 31, n).astype(np.int8)
    w = RNG.random(n) * 1_000
    idx = np.sort(RNG.choice(n, 800, replace=False))
    amount = RNG.random(800) * 100
    share = RNG.random(800)
    flows = np.zeros(n)
    whole, (by_share,) = kernels.book(idx, group, w, amount, [share], flows, -1.0, 31)
    assert np.array_equal(whole, np.bincount(group[idx], weights=w[idx] * amount, minlength=31))
    assert np.array_equal(
        by_share, np.bincount(group[idx], weights=w[idx] * amount * share, minlength=31)
    )
    want = np.zeros(n)
    want[idx] -= amount
    assert np.array_equal(flows, want)
    one, _ = kernels.book(idx, group, w, 12.0, [], flows, 1.0, 31)
    assert np.array_equal(one, np.bincount(group[idx], weights=w[idx] * 12.0, minlength=31))
    every = RNG.random(n)
    flows = np.ones(n)
    whole, _ = kernels.book(None, group, w, every, [], flows, 1.0, 31)
    assert np.array_equal(whole, np.bincount(group, weights=w * every, minlength=31))
    assert np.array_equal(flows, 1.0 + every)
    with pytest.raises(IndexError):
        kernels.book(np.array([n]), group, w, 1.0, [], flows, 1.0, 31)
    with pytest.raises(IndexError):  # a province code of 31 among 31 provinces
        kernels.book(None, np.full(n, 31, dtype=np.int8), w, 1.0, [], flows, 1.0, 31)
    with pytest.raises(IndexError):
        kernels.book(np.array([-1]), group, w, 1.0, [], flows, 1.0, 31)


def test_book_by_code_is_book_of_the_gathered_amounts():
    n = 5_000
    group = RNG.integers(0, 31, n).astype(np.int8)
    w = RNG.random(n) * 1_000
    table = RNG.random(40) * 100
    code = RNG.integers(0, 40, n)
    flows, want_flows = np.ones(n), np.ones(n)
    got = kernels.book_by_code(group, w, table, code, flows, 1.0, 31)
    want, _ = kernels.book(None, group, w, table[code], [], want_flows, 1.0, 31)
    assert np.array_equal(got, want) and np.array_equal(flows, want_flows)
    assert np.array_equal(got, np.bincount(group, weights=w * table[code], minlength=31))
    kernels.book_by_code(group, w, table, code, flows, -1.0, 31)
    assert np.allclose(flows, 1.0, rtol=0, atol=1e-12)
    with pytest.raises(IndexError, match="code"):
        kernels.book_by_code(group, w, table, np.full(n, 40), flows, 1.0, 31)
    with pytest.raises(IndexError, match="group"):
        kernels.book_by_code(np.full(n, 31, dtype=np.int8), w, table, code, flows, 1.0, 31)
    with pytest.raises(ValueError, match="one value per unit"):
        kernels.book_by_code(group, w, table, code[:-1], flows, 1.0, 31)


def test_book_splits_among_three_payers_and_refuses_a_fourth():
    n = 1_000
    group, w, amount = RNG.integers(0, 4, n), RNG.random(n), RNG.random(n)
    shares = [np.full(n, 0.5), np.full(n, 0.3), np.full(n, 0.2)]
    whole, by_share = kernels.book(None, group, w, amount, shares, np.zeros(n), 1.0, 4)
    assert by_share.shape == (3, 4)
    assert np.allclose(by_share.sum(axis=0), whole, rtol=1e-12)  # the three shares add up
    assert np.allclose(by_share[0], 0.5 * whole, rtol=1e-12)
    with pytest.raises(ValueError, match="at most 3"):
        kernels.book(None, group, w, amount, shares + [shares[0]], np.zeros(n), 1.0, 4)


def test_booleans_are_read_as_their_bytes_without_a_copy():
    flags = RNG.random(100) < 0.5
    as_bytes = kernels.as_bytes(flags)
    assert as_bytes.dtype == np.uint8 and np.shares_memory(as_bytes, flags)
    assert np.array_equal(as_bytes, flags.astype(np.uint8))
    ages = np.arange(5, dtype=np.int16)
    assert kernels.as_bytes(ages) is ages
    chosen, per = kernels.draw_by_household(
        flags, RNG.random(100), np.full(100, 0.5), np.arange(100)
    )
    assert not chosen[~flags].any()  # only the flagged can be chosen
    assert np.array_equal(per, chosen.astype(np.int64))


def test_count_at_or_below_equals_the_broadcast_sum():
    cdf = np.cumsum(RNG.random((3, 31, 12)), axis=2)
    cdf /= cdf[:, :, -1:]
    kind = RNG.integers(0, 3, 2_000)
    place = RNG.integers(0, 31, 2_000).astype(np.int8)
    u = RNG.random(2_000)
    want = (u[:, None] >= cdf[kind, place]).sum(axis=1)
    assert np.array_equal(kernels.count_at_or_below(cdf, kind, place, u), want)


def test_raking_design_counts_each_households_members():
    """The design, built by hand densely for a few households, equals the compiled one."""
    size = np.array([2, 1, 3, 2])
    hh = np.repeat(np.arange(4), size)
    cell = np.array([0, 1, 1, 2, 2, 0, 1, 1])  # age-sex cell of each person
    person_bits = np.array([1, 0, 3, 2, 0, 1, 0, 1])  # bit j: in person margin j
    hh_bits = np.array([2, 0, 2, 0])  # bit 1: in the household margin
    old = np.array([0, 0, 1, 0, 0, 1, 0, 0], dtype=bool)
    pensioner = np.array([0, 0, 1, 0, 0, 0, 0, 0], dtype=bool)
    urban = np.array([True, False, True, False])
    province = np.array([0, 1, 0, 2], dtype=np.int8)
    columns = [np.array([0, 1, 1]), np.array([0, 0, 0]), np.array([0, 1, 0]), np.zeros(3, int)]
    first = np.array([2, 0, 3])  # rows: households 2, 0 and 3 (household 1 is in none)
    got = kernels.raking_design(
        first,
        hh,
        kernels.DesignColumns(
            cell=cell,
            n_cells=3,
            person_bits=person_bits,
            n_person_margins=2,
            hh_bits=hh_bits,
            n_household_margins=1,
            old=old,
            pensioner=pensioner,
            size=size,
            urban=urban,
            province=province,
            province_columns=tuple(columns),
        ),
    )
    n_cols = got.shape[1]
    assert got.format == "csr" and got.has_sorted_indices  # columns ascend within each row
    offsets = np.cumsum([3 + 2 + 1] + [int(c.max()) + 1 for c in columns])
    want = np.zeros((3, n_cols))
    for r, h in enumerate(first):
        members = np.flatnonzero(hh == h)
        for i in members:
            want[r, cell[i]] += 1
            for j in range(2):
                want[r, 3 + j] += (person_bits[i] >> j) & 1
        want[r, 5] = size[h] * ((hh_bits[h] >> 1) & 1)
        by_block = (size[h], size[h] * urban[h], old[members].sum(), pensioner[members].sum())
        for b, value in enumerate(by_block):
            want[r, offsets[b] + columns[b][province[h]]] += value
        want[r, -1] = 1
    assert np.array_equal(got.toarray(), want)


def test_dibao_households_equals_the_array_rules():
    n = 5_000
    means = RNG.random(n) * 20_000
    urban_prog, migrant = RNG.random(n) < 0.5, RNG.random(n) < 0.2
    province = RNG.integers(0, 31, n).astype(np.int8)
    std_u, std_r = 8_000 + RNG.random(31) * 4_000, 5_000 + RNG.random(31) * 3_000
    size = RNG.integers(1, 6, n)
    u, u_near = RNG.random(n), RNG.random(n)
    k = dict(tu=0.6, tr=0.7, gain=0.1, mig=0.8, incl=0.05, line=1.5, floor=0.1, ident=0.4)
    got = kernels.dibao_households(
        means, urban_prog, province, std_u, std_r, migrant, size, u, u_near, *k.values()
    )
    std = np.where(urban_prog, std_u[province], std_r[province])
    eligible = means < std
    band = ~eligible & (means < k["line"] * std)
    base = np.where(urban_prog, k["tu"], k["tr"])
    factor = np.where(migrant, k["mig"], 1.0)
    recipient = (eligible & (u < (base + k["gain"] * (1 - base)) * factor)) | (
        band & (u < k["incl"] * base * factor)
    )
    near = band & ~recipient
    benefit = np.where(recipient, np.maximum(std - means, k["floor"] * std) * size, 0.0)
    for a, b in zip(got, (eligible, recipient, near, near & (u_near < k["ident"]), benefit)):
        assert np.array_equal(a, b)


def test_group_sums_equal_bincount_to_the_last_bit():
    n = 20_000
    group = RNG.integers(0, 7, n).astype(np.int8)
    a, b, flag = RNG.random(n), RNG.random(n).astype(np.float32), RNG.random(n) < 0.5
    got = kernels.group_sums(group, [a, (a, b), (a, flag)], 7)
    assert got.shape == (3, 7)
    assert np.array_equal(got[0], np.bincount(group, weights=a, minlength=7))
    assert np.array_equal(got[1], np.bincount(group, weights=a * b, minlength=7))
    assert np.array_equal(got[2], np.bincount(group, weights=a * flag, minlength=7))
    # by hand: groups 0, 1, 0 with values 1, 2, 4
    assert kernels.group_sums(np.array([0, 1, 0]), [np.array([1.0, 2.0, 4.0])], 2).tolist() == [
        [5.0, 2.0]
    ]
    with pytest.raises(ValueError, match="outside 0..6"):
        kernels.group_sums(np.full(n, 7), [a], 7)
    with pytest.raises(ValueError, match="a column of"):
        kernels.group_sums(group, [a[:5]], 7)


def test_person_codes_add_household_and_person_parts():
    hh = np.array([0, 0, 1, 2, 2])
    code = kernels.person_codes(
        hh, np.array([0, 16, 33]), (np.array([1, 0, 1, 0, 1], bool), np.ones(5, bool)), (2, 8)
    )
    assert code.dtype == np.int32
    assert code.tolist() == [10, 8, 26, 41, 43]
    with pytest.raises(ValueError, match="int32"):
        kernels.person_codes(hh, np.array([0, 16, 2**31 - 2]), (np.ones(5, bool),), (2,))


def test_draw_categories_is_searchsorted_on_each_groups_cumulative_row():
    probs = np.array([[0.2, 0.3, 0.5], [1.0, 1.0, 2.0]])  # the second row adds up to 4
    codes = np.array([7, 8, 9], dtype=np.int8)
    u = np.array([0.0, 0.2, 0.49, 0.5, 1.0, 0.3, 0.5, 0.99])
    group = np.array([0, 0, 0, 0, 0, 1, 1, 1])
    # row 1: u x 4 = 1.2 (after 1.0: second), 2.0 (reaches 2.0: third), 3.96 (third)
    assert kernels.draw_categories(u, group, probs, codes).tolist() == [7, 8, 8, 9, 9, 8, 9, 9]
    u = RNG.random(10_000).astype(np.float32)
    group = RNG.integers(0, 2, 10_000)
    want = np.empty(10_000, dtype=np.int8)
    for g in (0, 1):
        k = np.searchsorted(np.cumsum(probs[g]), u[group == g] * probs[g].sum(), side="right")
        want[group == g] = codes[np.minimum(k, 2)]
    assert np.array_equal(kernels.draw_categories(u, group, probs, codes), want)
    with pytest.raises(ValueError, match="a group outside"):
        kernels.draw_categories(u, np.full(10_000, 2), probs, codes)


def test_members_are_the_persons_of_the_listed_households():
    hh = np.array([0, 0, 1, 2, 2, 2, 4], dtype=np.int32)
    assert kernels.members(hh, np.array([2, 0]), 5).tolist() == [0, 1, 3, 4, 5]
    assert kernels.members(hh, np.array([], dtype=np.int64), 5).tolist() == []
    hh = RNG.integers(0, 1_000, 20_000)
    listed = RNG.choice(1_000, 300, replace=False)
    assert np.array_equal(kernels.members(hh, listed, 1_000), np.flatnonzero(np.isin(hh, listed)))
    with pytest.raises(ValueError, match="a household outside"):
        kernels.members(np.array([0, 5]), np.array([0]), 5)


def test_radix_sorts_equal_numpys_stable_sorts():
    rng = np.random.default_rng(7)
    cases = [
        rng.integers(-(2**63), 2**63 - 1, 5000, dtype=np.int64),
        rng.integers(-3, 4, 5000, dtype=np.int64),  # many ties: the stable order must hold
        np.full(10, 42, dtype=np.int64),  # every digit shared: no pass runs
        np.zeros(0, dtype=np.int64),
    ]
    for keys in cases:
        assert np.array_equal(kernels.argsort_keys(keys), np.argsort(keys, kind="stable"))
        distinct = np.unique(keys)[rng.permutation(len(np.unique(keys)))]
        assert np.array_equal(kernels.sort_keys(distinct), np.sort(distinct))


@pytest.mark.parametrize(
    "dtype", [np.bool_, np.int8, np.int16, np.int32, np.float32, np.float64, np.int64]
)
def test_compact_into_is_boolean_indexing(dtype):
    rng = np.random.default_rng(11)
    column = (rng.random(1000) * 100 - 50).astype(dtype)
    keep = rng.random(1000) < 0.7
    keep[-1] = False  # the last row is written, then left beyond those kept
    out = np.full(1000, 7, dtype=dtype)
    kept = kernels.compact_into(column, keep, out)
    assert kept == keep.sum() and np.array_equal(out[:kept], column[keep])
    assert out[kept:].tolist() == [column[-1]] + [dtype(7)] * (999 - kept)
    with pytest.raises(ValueError, match="needs"):
        kernels.compact_into(column, keep, np.empty(int(keep.sum()), dtype=dtype))
    with pytest.raises(ValueError, match="type"):
        kernels.compact_into(
            column, keep, np.empty(1000, dtype=np.uint8 if dtype != np.uint8 else np.int8)
        )


def test_merge_changed_is_numpys_insert_after_searchsorted_right():
    rng = np.random.default_rng(10)
    n = 3000
    values = np.round(rng.random(n) * 50, 0)  # few distinct values: ties everywhere
    order = np.argsort(values, kind="stable")
    changed_idx = np.unique(rng.integers(0, n, 400))
    values[changed_idx] = np.round(
        rng.random(len(changed_idx)) * 60 - 5, 0
    )  # some below all, some above
    new = np.concatenate([changed_idx, np.arange(n, n + 50)])  # and 50 households formed
    all_values = np.concatenate([values, rng.choice(values, 50)])
    new = new[np.argsort(all_values[new], kind="stable")]
    changed = np.zeros(n + 50, dtype=bool)
    changed[new] = True
    kept = order[~changed[order]]
    at = np.searchsorted(all_values[kept], all_values[new], side="right")
    got_order, got_values = kernels.merge_changed(
        order, all_values[order], changed, new, all_values[new]
    )
    assert np.array_equal(got_order, np.insert(kept, at, new))
    assert np.array_equal(got_values, np.insert(all_values[kept], at, all_values[new]))
    assert np.all(np.diff(got_values) >= 0)
    nothing = np.zeros(0, dtype=np.int64)
    same_order, same_values = kernels.merge_changed(
        order, values[order], np.zeros(n, dtype=bool), nothing, np.zeros(0)
    )
    assert np.array_equal(same_order, order) and np.array_equal(same_values, values[order])
    with pytest.raises(ValueError, match="ascend"):
        kernels.merge_changed(order, values[order], changed[:n], new[::-1], all_values[new][::-1])


def test_sort_keys_needs_not_read_low_bits_that_already_ascend():
    # value bits above, the element's index in the 10 lowest bits (as outputs.value_order does)
    rng = np.random.default_rng(8)
    keys = (rng.integers(0, 2**40, 1000, dtype=np.int64) << 10) | np.arange(1000)
    assert np.array_equal(kernels.sort_keys(keys, ordered_low_bits=10), np.sort(keys))
    with pytest.raises(ValueError, match="ordered_low_bits"):
        kernels.sort_keys(keys, ordered_low_bits=64)


def test_float_keys_order_as_the_floats_and_refuse_negative_values():
    x = np.array([3.5, 0.0, 1e-300, 2.0, 1e300, 2.0])
    keys = kernels.float_keys(x)
    assert np.array_equal(kernels.argsort_keys(keys), np.argsort(x, kind="stable"))
    assert kernels.float_keys(np.array([1.0, -0.5])) is None
    assert kernels.float_keys(np.array([1.0, np.nan])) is None


def test_entries_at_or_below_is_searchsorted_right():
    rng = np.random.default_rng(9)
    weights = rng.random(101)
    weights[[3, 4, 50]] = 0.0  # repeated cdf entries: every one at or below u counts
    cdf = np.cumsum(weights) / weights.sum()
    u = np.r_[rng.random(20_000), 0.0, 1.0, cdf[10], cdf[3], np.nextafter(cdf[60], 0)]
    want = np.searchsorted(cdf, u, side="right")
    assert np.array_equal(kernels.entries_at_or_below(cdf, u), want)
    with pytest.raises(ValueError, match="not ascending"):
        kernels.entries_at_or_below(np.array([0.5, 0.2, 1.0]), u)


def test_contribution_years_are_the_float32_rule():
    age = np.array([10, 20, 30, 45, 70], dtype=np.int16)
    emp = np.array([0, 1, 2, 3, 2], dtype=np.int8)  # child, student, formal, other, formal
    spread = np.array([1.0, 1.0, 1.5, 0.5, 2.0], dtype=np.float32)
    out = kernels.contribution_years(age, emp, spread, 20, 0.8, 0.4, np.array([2, 0, 1], np.int8))
    # formal at 30: 10 years x 0.8 x 1.5 = 12, capped at 10; other at 45: 25 x 0.4 x 0.5 = 5
    assert out.dtype == np.float32
    assert out.tolist() == [0.0, 0.0, 10.0, 5.0, 50.0]


def test_squared_rmatvec_is_the_transposed_product_of_the_squared_matrix():
    import scipy.sparse as sp

    rng = np.random.default_rng(10)
    a = sp.random(300, 40, density=0.1, format="csr", random_state=11)
    a.data = np.round(a.data * 5) + 1  # member counts 1..6
    w = rng.random(300)
    want = a.multiply(a).tocsr().T @ w
    got = kernels.squared_rmatvec(a.indptr, a.indices, a.data, w, 40)
    assert np.array_equal(got, want)


def tallies_of(n: int = 20_000, **flags):
    """Tallies of `n` random persons in 8 households' worth of codes, with the given flags."""
    rng = np.random.default_rng(12)
    persons = {
        "w": rng.random(n) * 1_000,
        "cell": rng.integers(0, 80, n).astype(np.int32),
        "province": rng.integers(0, 31, n).astype(np.int8),
        "age": rng.integers(0, 101, n).astype(np.int16),
        "sex": rng.integers(0, 2, n).astype(np.int8),
        "hh": rng.integers(0, 1000, n).astype(np.int32),
    }
    poor = rng.random(1000) < 0.2
    band_of_age = np.minimum(np.arange(102) // 60, 1).astype(np.int8)  # under 60, 60+
    names = list(flags)
    tallies = kernels.person_tallies(
        persons["w"],
        flags,
        persons["cell"],
        ~8,
        [(names[0],), tuple(names)],
        80,
        persons["province"],
        [(names[-1],)],
        31,
        persons["age"],
        persons["sex"],
        band_of_age,
        persons["hh"],
        poor,
    )
    return tallies, persons, poor, band_of_age


def test_person_tallies_equal_bincounts_to_the_last_bit():
    rng = np.random.default_rng(13)
    a, b = rng.random(20_000) < 0.3, rng.random(20_000) < 0.6
    t, x, poor, band_of_age = tallies_of(a=a, b=b)
    w, cell = x["w"], x["cell"]
    assert np.array_equal(t.everyone, np.bincount(cell, weights=w, minlength=80))
    assert np.array_equal(t.static, np.bincount(cell & ~8, weights=w, minlength=80))
    assert np.array_equal(t.by_cell[0], np.bincount(cell, weights=w * a, minlength=80))
    assert np.array_equal(t.by_cell[1], np.bincount(cell, weights=w * (a | b), minlength=80))
    assert np.array_equal(t.by_province[0], np.bincount(x["province"], weights=w * b, minlength=31))
    assert np.array_equal(t.by_age_sex, np.bincount(x["age"] * 2 + x["sex"], weights=w))
    band = band_of_age[x["age"]].astype(np.int64) * 2 + x["sex"]
    assert np.array_equal(t.band_all.ravel(), np.bincount(band, weights=w, minlength=4))
    in_poor = poor[x["hh"]]
    assert np.array_equal(t.band_poor.ravel(), np.bincount(band, weights=w * in_poor, minlength=4))
    assert t.total("a", "b") == pytest.approx(w[a | b].sum(), rel=1e-12)
    assert t.total("b") == pytest.approx(w[b].sum(), rel=1e-12)


def test_person_tallies_refuse_bad_codes_and_too_many_flags():
    a = np.zeros(20_000, dtype=bool)
    with pytest.raises(ValueError, match="at most"):
        tallies_of(**{f"f{k}": a for k in range(kernels.MAX_TOTAL_FLAGS + 1)})
    with pytest.raises(ValueError, match="has 9 for 20000"):
        tallies_of(a=a, b=np.zeros(9, dtype=bool))
    with pytest.raises(ValueError, match="codes outside 0..30"):
        kernels.person_tallies(
            np.ones(1),
            {"a": np.ones(1, bool)},
            np.zeros(1, np.int32),
            -1,
            [("a",)],
            80,
            np.array([31], np.int8),
            [("a",)],
            31,
            np.zeros(1, np.int16),
            np.zeros(1, np.int8),
            np.zeros(1, np.int8),
            np.zeros(1, np.int32),
            np.zeros(1, bool),
        )
