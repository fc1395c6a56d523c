"""Compiled loops (numba) for the model's most repeated array passes.

Each kernel gives exactly what its numpy counterpart gives (the same sums in the same order) and
falls back to numpy for any input it was not written for. Kernels compile once per argument type
and are cached on disk (numba's `cache=True`, beside this file in `__pycache__`), so only the
first run on a machine pays the compile time (`compile_all` reports it).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numba
import numpy as np
import scipy.sparse as sp

_INDEX_TYPES = (np.int8, np.int16, np.int32, np.int64, np.uint8)
_WEIGHT_TYPES = (np.float64, np.float32, np.bool_)


@numba.njit(cache=True, nogil=True)
def _weighted_counts(x, weights, n):  # pragma: no cover - compiled
    """out[k] = sum of weights[i] over i with x[i] == k, in order of i; ok False if out of range."""
    out = np.zeros(n, dtype=np.float64)
    for i in range(x.shape[0]):
        k = x[i]
        if k < 0 or k >= n:
            return out, False
        out[k] += weights[i]
    return out, True


@numba.njit(cache=True, nogil=True)
def _counts(x, n):  # pragma: no cover - compiled
    """out[k] = number of i with x[i] == k; ok False if an element is out of range."""
    out = np.zeros(n, dtype=np.int64)
    for i in range(x.shape[0]):
        k = x[i]
        if k < 0 or k >= n:
            return out, False
        out[k] += 1
    return out, True


def bincount(x: np.ndarray, weights: np.ndarray | None = None, minlength: int = 0) -> np.ndarray:
    """`np.bincount(x, weights, minlength)`, compiled when `minlength` covers every value of `x`.

    Sums in the same order as numpy (float64), so results are equal to the last bit. Any other
    input (a value at or above `minlength`, other dtypes, a list) goes to numpy unchanged.
    """
    if minlength > 0 and isinstance(x, np.ndarray) and x.ndim == 1 and x.dtype.type in _INDEX_TYPES:
        if weights is None:
            out, ok = _counts(x, minlength)
            if ok:
                return out.astype(np.intp, copy=False)
        elif (
            isinstance(weights, np.ndarray)
            and weights.shape == x.shape
            and weights.dtype.type in _WEIGHT_TYPES
        ):
            out, ok = _weighted_counts(x, weights, minlength)
            if ok:
                return out
    return np.bincount(x, weights=weights, minlength=minlength)


@numba.njit(cache=True, nogil=True)
def _group_products(group, left, right, n):  # pragma: no cover - compiled
    """out[k, g] = sum of left[k][i] * right[k][i] over i with group[i] == g, in order of i."""
    out = np.zeros((len(left), n))
    for i in range(group.shape[0]):
        g = group[i]
        if g < 0 or g >= n:
            return out, False
        for k in range(len(left)):
            out[k, g] += left[k][i] * right[k][i]
    return out, True


def group_sums(group: np.ndarray, columns: list, n: int) -> np.ndarray:
    """Sums by group of several columns in one pass: row k is
    ``np.bincount(group, weights=columns[k], minlength=n)`` to the last bit (float64).

    A column may be a pair (a, b), summed as the product a * b without making it (numpy's
    product, so the same numbers). Every group code must be in 0..n-1.
    """
    ones = None
    left, right = [], []
    for col in columns:
        a, b = col if isinstance(col, tuple) else (col, None)
        if b is None:
            ones = np.ones(len(group)) if ones is None else ones
            b = ones  # times 1.0 leaves each value as it is
        for x in (a, b):
            if np.shape(x) != group.shape:
                raise ValueError(f"group_sums: a column of {np.shape(x)} for {group.shape} groups")
        left.append(np.ascontiguousarray(a, dtype=np.float64))
        right.append(np.ascontiguousarray(b, dtype=np.float64))
    out, ok = _group_products(group, tuple(left), tuple(right), int(n))
    if not ok:
        raise ValueError(f"group_sums: a group code outside 0..{n - 1}")
    return out


@numba.njit(cache=True, nogil=True)
def _person_codes(hh, household_code, base, person_parts, scales):  # pragma: no cover - compiled
    out = np.empty(hh.shape[0], dtype=np.int32)
    with_base = base.shape[0] == hh.shape[0]
    for i in range(hh.shape[0]):
        c = household_code[hh[i]]
        if with_base:
            c += base[i]
        for k in range(len(person_parts)):
            c += scales[k] * person_parts[k][i]
        out[i] = c
    return out


def person_codes(
    hh: np.ndarray,
    household_code: np.ndarray,
    person_parts: tuple,
    scales: tuple[int, ...],
    base: np.ndarray | None = None,
) -> np.ndarray:
    """Each person's code (int32): their household's code, plus their `base` code if given,
    plus ``scale * part`` of each boolean person column:
    ``household_code[hh] + base + sum(scale_k * part_k)``, in one pass. Codes must be
    non-negative and fit in int32."""
    top = int(household_code.max(initial=0)) + sum(scales)
    top += 0 if base is None else int(base.max(initial=0))
    low = min(int(household_code.min(initial=0)), 0 if base is None else int(base.min(initial=0)))
    if top >= 2**31 or low < 0 or min(scales, default=0) < 0:
        raise ValueError("person_codes: the codes are negative or do not fit in int32")
    parts = tuple(as_bytes(p) for p in person_parts)
    base = np.zeros(0, dtype=np.int16) if base is None else base
    return _person_codes(hh, household_code, base, parts, np.array(scales, dtype=np.int64))


@numba.njit(cache=True, nogil=True, inline="always")
def _category(x, g, cdf, totals, codes):  # pragma: no cover - compiled
    """The category of uniform `x` in group `g` (see `draw_categories`)."""
    n = cdf.shape[1]
    target = x * totals[g]
    k = 0
    for j in range(n):
        k += cdf[g, j] <= target
    return codes[min(k, n - 1)]


@numba.njit(cache=True, nogil=True)
def _categories(u, group, cdf, totals, codes):  # pragma: no cover - compiled
    out = np.empty(u.shape[0], dtype=codes.dtype)
    for i in range(u.shape[0]):
        out[i] = _category(np.float64(u[i]), group[i], cdf, totals, codes)
    return out


def draw_categories(
    u: np.ndarray, group: np.ndarray, probs: np.ndarray, codes: np.ndarray
) -> np.ndarray:
    """The category of each unit from its uniform `u` and its group's row of `probs` (groups x
    categories, rows need not add up to one): the first category whose cumulative probability
    exceeds ``u * row total``, as ``codes[np.searchsorted(np.cumsum(row), u * row.sum(),
    side="right")]`` (the last category for u = 1), in one pass."""
    probs = np.asarray(probs, dtype=np.float64)
    if len(group) and (int(group.min()) < 0 or int(group.max()) >= len(probs)):
        raise ValueError(f"draw_categories: a group outside 0..{len(probs) - 1}")
    cdf = np.cumsum(probs, axis=1)
    totals = probs.sum(axis=1)
    return _categories(u, group, cdf, totals, np.asarray(codes))


@numba.njit(cache=True, nogil=True)
def _members(hh, listed):  # pragma: no cover - compiled
    n = 0
    for i in range(hh.shape[0]):  # count first (and check), then fill: no list grows
        h = hh[i]
        if h < 0 or h >= listed.shape[0]:
            return np.empty(0, dtype=np.int64), False
        n += listed[h]
    out = np.empty(n, dtype=np.int64)
    k = 0
    for i in range(hh.shape[0]):
        if listed[hh[i]]:
            out[k] = i
            k += 1
    return out, True


def members(hh: np.ndarray, households: np.ndarray, n_households: int) -> np.ndarray:
    """The persons (indices, ascending) whose household `hh[i]` is one of `households`:
    ``np.flatnonzero(np.isin(hh, households))``, in two passes without a person-sized mask."""
    listed = np.zeros(n_households, dtype=np.uint8)
    listed[households] = 1
    out, ok = _members(hh, listed)
    if not ok:
        raise ValueError(f"members: a household outside 0..{n_households - 1}")
    return out


def as_bytes(a: np.ndarray) -> np.ndarray:
    """A boolean array as the uint8 0/1 it is stored as (a view, no copy); any other array as it
    is. Compiled loops read uint8 several times faster than bool (a load of a bool is converted
    to a truth value first), and ``w * flag`` gives the same numbers with either."""
    a = np.ascontiguousarray(a)
    return a.view(np.uint8) if a.dtype == np.bool_ else a


def reads_bytes(kernel):
    """The compiled `kernel`, called with each boolean array argument as its bytes (`as_bytes`)."""

    @functools.wraps(kernel, updated=())
    def call(*args):
        return kernel(*(as_bytes(a) if isinstance(a, np.ndarray) else a for a in args))

    return call


@reads_bytes
@numba.njit(cache=True, nogil=True, boundscheck=True)
def school_and_jobs(
    u, v, age, emp, grad_year, hh, hh_urban, hh_migrant, year, rules, codes, cdf, totals, jobs
):  # pragma: no cover - compiled
    """School entry and leaving, then job turnover, in place, in one pass over the persons (the
    rules of `demography.school_and_jobs`, with its arithmetic); returns who entered the labour
    market.

    `rules`: the share of 16-year-olds who start upper secondary, the share continuing at 19,
    the school-leaving age, the working ages (from, below) and the yearly job turnover.
    `codes`: child, student, the first and the last labour-force code. Jobs are drawn from the
    employment priors (`cdf`, `totals`, `jobs`: `draw_categories`' tables) of each person's
    household residence and migration, with the uniform that decided the move rescaled to [0, 1).
    """
    p16, p19, leaving_age, from_age, below_age, turnover = (
        rules[0],
        rules[1],
        rules[2],
        rules[3],
        rules[4],
        rules[5],
    )
    child, student, first_job, last_job = codes[0], codes[1], codes[2], codes[3]
    entrants = np.zeros(u.shape[0], dtype=np.bool_)
    for i in range(u.shape[0]):
        a = age[i]
        ui = u[i]
        entrant = False
        x = ui
        if emp[i] == child and a == 16:
            if ui < p16:
                emp[i] = student
            else:
                entrant = True
                x = (ui - p16) / (1 - p16)
        elif emp[i] == student:
            stop_at_19 = a == 19 and ui >= p19
            if stop_at_19 or a >= leaving_age:
                entrant = True
                grad_year[i] = year
                if stop_at_19:
                    x = (ui - p19) / (1 - p19)
        h = hh[i]
        prior = np.int64(hh_urban[h]) * (1 + np.int64(hh_migrant[h]))
        if entrant:
            emp[i] = _category(x, prior, cdf, totals, jobs)
            entrants[i] = True
        elif ((from_age <= a) & (a < below_age) & (first_job <= emp[i]) & (emp[i] <= last_job)) & (
            v[i] < turnover
        ):  # every term evaluated: one branch, on the rare turnover
            emp[i] = _category(v[i] / turnover, prior, cdf, totals, jobs)
    return entrants


@numba.njit(cache=True, nogil=True)
def _systematic(prob, start):  # pragma: no cover - compiled
    """Systematic sampling along `prob`: unit i is chosen where floor(cum_i + start) passes an
    integer, cum_i the running sum of prob[0..i] (added in order, as np.cumsum does)."""
    out = np.empty(prob.shape[0], dtype=np.bool_)
    cum = 0.0
    for i in range(prob.shape[0]):
        cum += prob[i]
        shifted = cum + start
        out[i] = np.floor(shifted) > np.floor(shifted - prob[i])
    return out


def systematic_choice(prob: np.ndarray, start: float) -> np.ndarray:
    """True for the units chosen by systematic sampling with inclusion probabilities `prob`
    (float64) and the random start `start` in [0, 1): the arithmetic of
    ``cum = cumsum(prob) + start; floor(cum) > floor(cum - prob)``, in one pass."""
    return _systematic(np.ascontiguousarray(prob, dtype=np.float64), float(start))


@numba.njit(cache=True, nogil=True)
def _draw_by_household(eligible, u, prob, hh, n_households):  # pragma: no cover - compiled
    chosen = np.empty(u.shape[0], dtype=np.bool_)
    per_household = np.zeros(n_households, dtype=np.int64)
    for i in range(u.shape[0]):
        c = eligible[i] & (u[i] < prob[hh[i]])
        chosen[i] = c
        per_household[hh[i]] += c  # no branch per person
    return chosen, per_household


def draw_by_household(
    eligible: np.ndarray, u: np.ndarray, prob: np.ndarray, hh: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Persons chosen where `eligible` and their uniform `u` is below their household's (or
    other group's) `prob` (``eligible & (u < prob[hh])``), and the number chosen in each
    household, in one pass."""
    return _draw_by_household(as_bytes(eligible), u, prob, hh, len(prob))


@numba.njit(cache=True, nogil=True)
def _households_with_age(hh, age, lowest, highest, n_households):  # pragma: no cover - compiled
    out = np.zeros(n_households, dtype=np.uint8)
    for i in range(hh.shape[0]):  # no branch per person: an or of the test
        a = age[i]
        out[hh[i]] |= (a >= lowest) & (a <= highest)
    return out.view(np.bool_)


def households_with_age(
    hh: np.ndarray, age: np.ndarray, lowest: int, highest: int, n_households: int
) -> np.ndarray:
    """True for each household with a member aged `lowest` to `highest` (inclusive), one pass."""
    return _households_with_age(hh, age, int(lowest), int(highest), int(n_households))


RADIX_BITS = 8  # digits of an LSD radix sort: 256 buckets, whose write positions stay in cache


@numba.njit(cache=True, nogil=True)
def _digit_counts(keys, low, n_digits):  # pragma: no cover - compiled
    """How many `keys` (uint64) have each value of each RADIX_BITS-bit digit from bit `low` up:
    (digits, 2**RADIX_BITS), in one pass."""
    mask = np.uint64((1 << RADIX_BITS) - 1)
    counts = np.zeros((n_digits, 1 << RADIX_BITS), dtype=np.int64)
    for i in range(keys.shape[0]):
        k = keys[i]
        for d in range(n_digits):
            counts[d, (k >> np.uint64(low + d * RADIX_BITS)) & mask] += 1
    return counts


@numba.njit(cache=True, nogil=True, inline="always")
def _bucket_starts(counts):  # pragma: no cover - compiled
    """Where each bucket of one digit starts in the sorted order (the running sum of `counts`)."""
    start = np.empty(counts.shape[0], dtype=np.int64)
    run = 0
    for b in range(counts.shape[0]):
        start[b] = run
        run += counts[b]
    return start


@numba.njit(cache=True, nogil=True)
def _radix_sort(keys, low):  # pragma: no cover - compiled
    """`keys` (uint64) sorted ascending by a least-significant-digit radix sort of their bits
    from `low` up (the bits below must already be in ascending order: a stable sort keeps
    it): the digit counts in one pass, then one stable scatter per digit, skipping a digit
    that every key shares."""
    n = keys.shape[0]
    n_digits = (64 - low + RADIX_BITS - 1) // RADIX_BITS
    mask = np.uint64((1 << RADIX_BITS) - 1)
    counts = _digit_counts(keys, low, n_digits)
    src = keys
    dst = np.empty_like(keys)
    spare = keys  # the input is read once, then the two buffers take turns
    for d in range(n_digits):
        if counts[d].max() == n:
            continue
        start = _bucket_starts(counts[d])
        shift = np.uint64(low + d * RADIX_BITS)
        for i in range(n):
            k = src[i]
            b = (k >> shift) & mask
            dst[start[b]] = k
            start[b] += 1
        if spare is keys:
            spare = np.empty_like(keys)
        src, dst = dst, (spare if src is keys else src)
    return src


@numba.njit(cache=True, nogil=True)
def _radix_argsort(keys):  # pragma: no cover - compiled
    """The stable ascending order of `keys` (uint64) by a least-significant-digit radix sort of
    (key, index) pairs, skipping a digit that every key shares."""
    n = keys.shape[0]
    n_digits = (64 + RADIX_BITS - 1) // RADIX_BITS
    mask = np.uint64((1 << RADIX_BITS) - 1)
    counts = _digit_counts(keys, 0, n_digits)
    key_a, key_b = keys.copy(), np.empty_like(keys)
    idx_a, idx_b = np.arange(n), np.empty(n, dtype=np.int64)
    for d in range(n_digits):
        if counts[d].max() == n:
            continue
        start = _bucket_starts(counts[d])
        shift = np.uint64(d * RADIX_BITS)
        for i in range(n):
            k = key_a[i]
            b = (k >> shift) & mask
            j = start[b]
            key_b[j] = k
            idx_b[j] = idx_a[i]
            start[b] = j + 1
        key_a, key_b = key_b, key_a
        idx_a, idx_b = idx_b, idx_a
    return idx_a


def _unsigned(keys: np.ndarray) -> np.ndarray:
    """Int64 `keys` as uint64 that sort in the same order (the sign bit flipped)."""
    return (keys.astype(np.int64, copy=False) ^ np.int64(-(2**63))).view(np.uint64)


def argsort_keys(keys: np.ndarray) -> np.ndarray:
    """The stable ascending order of int64 `keys`: ``np.argsort(keys, kind="stable")``, by a
    radix sort (two to four times as fast at a million keys)."""
    return _radix_argsort(_unsigned(keys))


def float_keys(values: np.ndarray) -> np.ndarray | None:
    """Int64 keys that sort and compare as the float64 `values` do (their bit patterns), when
    every value is non-negative and none is NaN; None otherwise."""
    values = np.ascontiguousarray(values, dtype=np.float64)
    if np.any(np.signbit(values)) or np.isnan(values).any():
        return None
    return values.view(np.int64)


def sort_keys(keys: np.ndarray, ordered_low_bits: int = 0) -> np.ndarray:
    """Distinct int64 `keys` sorted ascending, as ``np.sort(keys)`` gives them, by a radix sort
    (about three times as fast at a million keys). `ordered_low_bits`: the keys' lowest bits
    that already ascend along the array (an index put there), which the sort need not read."""
    if not 0 <= ordered_low_bits < 64:
        raise ValueError(f"sort_keys: ordered_low_bits {ordered_low_bits} outside 0..63")
    return (_radix_sort(_unsigned(keys), ordered_low_bits) ^ np.uint64(2**63)).view(np.int64)


@numba.njit(cache=True, nogil=True)
def _index_keys(bits_of_values, low):  # pragma: no cover - compiled
    """`value_order`'s keys in one pass: each float's bit pattern (int64) made order-preserving,
    its `low` lowest bits replaced by the element's index, the sign bit flipped (`_unsigned`)."""
    n = bits_of_values.shape[0]
    keys = np.empty(n, dtype=np.int64)
    magnitude = np.int64(0x7FFFFFFFFFFFFFFF)
    sign = np.int64(-(2**63))
    for i in range(n):
        k = bits_of_values[i]
        if k < 0:
            k ^= magnitude  # larger magnitude, smaller value
        keys[i] = (((k >> low) << low) | i) ^ sign
    return keys


def value_order(values: np.ndarray, low: int) -> np.ndarray:
    """Indices that sort float64 `values` ascending by their bits above the `low` lowest, ties
    in index order (``2**low`` at least the number of values): one pass making the keys, one
    radix sort of the bits above `low`, one taking the indices back out (`outputs.value_order`)."""
    if len(values) > 2**low or not 0 < low < 63:
        raise ValueError(f"value_order: {len(values)} values do not fit in {low} low bits")
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.int64)
    ordered = _radix_sort(_index_keys(bits, low).view(np.uint64), low)
    return (ordered & np.uint64((1 << low) - 1)).view(np.int64)


@numba.njit(cache=True, nogil=True)
def _compact(column, keep, out):  # pragma: no cover - compiled
    """Rows of `column` where `keep` (bytes) is set, in order, into `out` (one row longer than
    those kept: every row is written, and the next one overwrites it unless kept); their count,
    or -1 (and `out` partly written) when `out` is too short."""
    j = 0
    last = out.shape[0] - 1
    for i in range(column.shape[0]):
        if j > last:
            return -1
        out[j] = column[i]
        j += keep[i] != 0
    return j


_SAME_SIZE_UINT = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def compact_into(column: np.ndarray, keep: np.ndarray, out: np.ndarray) -> int:
    """Write ``column[keep]`` into the first rows of `out` (same type, at least one row more
    than are kept), in one pass; returns the rows written. The rows are copied as their bits
    (read as unsigned integers of their size), so every type takes one of four compiled loops."""
    if column.ndim != 1 or keep.shape != column.shape or out.dtype != column.dtype:
        raise ValueError("compact_into: one-dimensional column, keep of its shape, out of its type")
    uint = _SAME_SIZE_UINT[column.dtype.itemsize]
    written = _compact(np.ascontiguousarray(column).view(uint), as_bytes(keep), out.view(uint))
    if written < 0:
        raise ValueError(
            f"compact_into: out holds {len(out)} rows, needs {int(np.count_nonzero(keep)) + 1}"
        )
    return written


@numba.njit(cache=True, nogil=True)
def _merge_changed(order, ordered_values, changed, new, new_values):  # pragma: no cover
    """One pass of `merge_changed`: the kept entries in their order, each new one (ascending)
    placed after every kept entry of a value at or below its own."""
    n_kept = 0
    for k in range(order.shape[0]):
        n_kept += not changed[order[k]]
    m = new.shape[0]
    out_order = np.empty(n_kept + m, dtype=order.dtype)
    out_values = np.empty(n_kept + m)
    j = 0
    at = 0
    for k in range(order.shape[0]):
        h = order[k]
        if changed[h]:
            continue
        v = ordered_values[k]
        while j < m and new_values[j] < v:
            out_order[at] = new[j]
            out_values[at] = new_values[j]
            at += 1
            j += 1
        out_order[at] = h
        out_values[at] = v
        at += 1
    while j < m:
        out_order[at] = new[j]
        out_values[at] = new_values[j]
        at += 1
        j += 1
    return out_order, out_values


def merge_changed(
    order: np.ndarray,
    ordered_values: np.ndarray,
    changed: np.ndarray,
    new: np.ndarray,
    new_values: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """An ascending order with its changed entries put back in their place, in one pass.

    `order` (indices) and `ordered_values` (float64, ascending along it); `changed` (boolean, by
    index) marks the entries to take out; `new` (indices) with `new_values` (ascending) go back
    in, each after every kept entry whose value is at or below its own. The result equals
    numpy's ``np.insert(kept, np.searchsorted(kept_values, new_values, side="right"), new)``
    and the same for the values, with ``kept = order[~changed[order]]``.
    """
    if len(new) > 1 and bool(np.any(new_values[1:] < new_values[:-1])):
        raise ValueError("merge_changed: new_values must ascend")
    return _merge_changed(
        order,
        np.ascontiguousarray(ordered_values, dtype=np.float64),
        as_bytes(changed),
        new.astype(order.dtype, copy=False),
        np.ascontiguousarray(new_values, dtype=np.float64),
    )


@numba.njit(cache=True, nogil=True)
def sorted_sums(values, weights, order):  # pragma: no cover - compiled
    """values[order], weights[order] and their running sums of w and of x * w (float64), in one
    pass: the arithmetic of ``np.cumsum(w)`` and ``np.cumsum(x * w)``."""
    n = order.shape[0]
    x = np.empty(n)
    w = np.empty(n)
    cw = np.empty(n)
    cxw = np.empty(n)
    run_w = 0.0
    run_xw = 0.0
    for i in range(n):
        j = order[i]
        xi = values[j]
        wi = weights[j]
        x[i] = xi
        w[i] = wi
        run_w += wi
        run_xw += xi * wi
        cw[i] = run_w
        cxw[i] = run_xw
    return x, w, cw, cxw


@numba.njit(cache=True, nogil=True)
def _sides_mean_median(x, w, order, side):  # pragma: no cover - compiled
    total = np.zeros(2)
    xw = np.zeros(2)
    sides = np.empty(x.shape[0], dtype=np.uint8)  # in sorted order, gathered once
    for i in range(x.shape[0]):
        k = side[order[i]]
        sides[i] = k
        total[k] += w[i]
        xw[k] += w[i] * x[i]
    median = np.full(2, np.nan)
    run = np.zeros(2)
    for i in range(x.shape[0]):  # the first element whose running weight reaches half its side's
        k = sides[i]
        before = run[k]
        run[k] += w[i]
        if before < total[k] / 2 and run[k] >= total[k] / 2:
            median[k] = x[i]
    return total, xw, median


def sides_mean_median(
    x: np.ndarray, w: np.ndarray, order: np.ndarray, side: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weight, weighted sum and weighted median of each side (False, True) of a sorted
    distribution, in two passes: `x`, `w` sorted, `order` the sort, `side` unsorted (bool).

    The median of a side is its first value whose running weight reaches half the side's
    (`np.searchsorted(np.cumsum(w_side), total / 2)`); NaN for a side without weight.
    """
    return _sides_mean_median(x, w, order, as_bytes(side))


@numba.njit(cache=True, nogil=True)
def quantile_groups(weights, order, n_groups):  # pragma: no cover - compiled
    """Group 0..n_groups-1 of each element, sorted by `order`: the group its cumulative-weight
    midpoint falls in, ``min(int((cum - w / 2) / total * n), n - 1)``, as numpy computes it."""
    n = order.shape[0]
    cum = np.empty(n)
    w = np.empty(n)  # the weights in order, gathered once: the second pass reads them in turn
    run = 0.0
    for i in range(n):
        w[i] = weights[order[i]]
        run += w[i]
        cum[i] = run
    total = cum[n - 1] if n > 0 else 1.0
    groups = np.empty(n, dtype=np.int8)
    for i in range(n):
        g = int((cum[i] - 0.5 * w[i]) / total * n_groups)
        groups[order[i]] = min(g, n_groups - 1)
    return groups


@numba.njit(cache=True, nogil=True)
def _book(
    idx, every, group, w, amount, stride, s0, s1, s2, n_shares, flows, sign, n_groups
):  # pragma: no cover
    """The loop of `book`; returns ok False (having stopped) at a unit or group out of range."""
    whole = np.zeros(n_groups)
    by_share = np.zeros((n_shares, n_groups))
    n_units = group.shape[0]
    n = n_units if every else idx.shape[0]
    for k in range(n):
        i = k if every else idx[k]
        if i < 0 or i >= n_units:
            return whole, by_share, False
        g = group[i]
        if g < 0 or g >= n_groups:
            return whole, by_share, False
        a = amount[k * stride]
        v = w[i] * a
        whole[g] += v
        if n_shares > 0:  # the same test for every unit: predicted, not a cost
            by_share[0, g] += v * s0[k]
        if n_shares > 1:
            by_share[1, g] += v * s1[k]
        if n_shares > 2:
            by_share[2, g] += v * s2[k]
        flows[i] += sign * a
    return whole, by_share, True


@numba.njit(cache=True, nogil=True)
def _book_by_code(group, w, table, code, flows, sign, n_groups):  # pragma: no cover
    """The loop of `book_by_code`; returns ok False (having stopped) at a code or group out of
    range."""
    whole = np.zeros(n_groups)
    for i in range(code.shape[0]):
        c = code[i]
        g = group[i]
        if c < 0 or c >= table.shape[0] or g < 0 or g >= n_groups:
            return whole, False
        a = table[c]
        whole[g] += w[i] * a
        flows[i] += sign * a
    return whole, True


def book_by_code(
    group: np.ndarray,
    w: np.ndarray,
    table: np.ndarray,
    code: np.ndarray,
    flows: np.ndarray,
    sign: float,
    n_groups: int,
) -> np.ndarray:
    """`book` of every unit with the amount ``table[code]`` (yuan/year), read in the pass instead
    of gathered first: adds ``sign * table[code[i]]`` to ``flows[i]`` and returns the weighted
    amounts summed by `group`, the arithmetic of ``book(None, group, w, table[code], ...)``.
    Raises IndexError for a code or a group out of range (flows may then be partly booked)."""
    if not (len(group) == len(w) == len(code) == len(flows)):
        raise ValueError("book_by_code: group, w, code and flows must have one value per unit")
    whole, ok = _book_by_code(
        group,
        np.ascontiguousarray(w, dtype=np.float64),
        np.ascontiguousarray(table, dtype=np.float64),
        code,
        flows,
        float(sign),
        n_groups,
    )
    if not ok:
        raise IndexError(
            f"book_by_code: a code outside 0..{len(table) - 1} or a group outside 0..{n_groups - 1}"
        )
    return whole


MAX_SHARE_ARRAYS = 3  # payers with a share per unit in one booking (medical: central, local)


def book(
    idx: np.ndarray | None,
    group: np.ndarray,
    w: np.ndarray,
    amount: np.ndarray | float,
    shares: list[np.ndarray],
    flows: np.ndarray,
    sign: float,
    n_groups: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Money to (sign 1) or from (sign -1) the units `idx` (distinct; None: every unit), in one pass.

    Adds ``sign * amount[k]`` (or one `amount` for all) to ``flows[idx[k]]``, and returns the
    weighted amounts ``w[idx] * amount`` summed by ``group[idx]`` (e.g. province), and those
    times each array of `shares` (one value per unit of `idx`, at most MAX_SHARE_ARRAYS) summed
    the same way: the arithmetic of ``np.bincount(group[idx], weights=w[idx] * amount * share)``.
    Raises IndexError for a unit or a group out of range (flows may then be partly booked).
    """
    every = idx is None
    idx = np.zeros(0, dtype=np.int64) if every else np.asarray(idx, dtype=np.int64)
    n = len(group) if every else len(idx)
    if np.ndim(amount) == 0:
        amount, stride = np.array([amount], dtype=np.float64), 0
    else:
        amount, stride = np.ascontiguousarray(amount, dtype=np.float64), 1
        if amount.shape != (n,):
            raise ValueError(f"book: {amount.shape[0]} amounts for {n} units")
    if len(shares) > MAX_SHARE_ARRAYS:
        raise ValueError(f"book: {len(shares)} share arrays; at most {MAX_SHARE_ARRAYS}")
    columns = [np.ascontiguousarray(s, dtype=np.float64) for s in shares]
    for column in columns:
        if column.shape != (n,):
            raise ValueError(f"book: {column.shape[0]} shares for {n} units")
    padded = columns + [amount[:0]] * (MAX_SHARE_ARRAYS - len(columns))
    whole, by_share, ok = _book(
        idx, every, group, w, amount, stride, *padded, len(columns), flows, float(sign), n_groups
    )
    if not ok:
        raise IndexError(
            f"book: a unit outside 0..{len(group) - 1} or a group outside 0..{n_groups - 1}"
        )
    return whole, by_share


@numba.njit(cache=True, nogil=True)
def squared_rmatvec(indptr, indices, data, w, n_columns):  # pragma: no cover - compiled
    """``A2.T @ w`` where A2 is the CSR matrix (`indptr`, `indices`, `data`) with each stored
    entry squared, summed in scipy's order (rows ascending: equal to its product to the last
    bit); `n_columns` entries."""
    out = np.zeros(n_columns)
    for r in range(indptr.shape[0] - 1):
        wr = w[r]
        for j in range(indptr[r], indptr[r + 1]):
            d = data[j]
            out[indices[j]] += (d * d) * wr
    return out


@numba.njit(cache=True, nogil=True)
def statutory_age_reached(
    birth_year, birth_month, group, original, target, step, start_year, last_month
):  # pragma: no cover - compiled
    """True where a person's statutory retirement month (`retirement.retirement_month`: birth
    month plus the original age, `original[group]` months, delayed by ``k // step + 1`` months
    for an original date k months after January of `start_year`, up to `target[group]`
    months) is at or before `last_month` (year * 12 + month), in one pass with its arithmetic."""
    out = np.empty(birth_year.shape[0], dtype=np.bool_)
    for i in range(birth_year.shape[0]):
        g = group[i]
        o = original[g]
        k = (np.float64(birth_year[i]) - start_year) * 12.0 + birth_month[i] + o
        delay = 0.0 if k < 0 else np.floor(k / step[g]) + 1.0
        months = min(o + delay, target[g])
        born = np.int64(birth_year[i]) * 12 + birth_month[i]
        out[i] = born + months <= last_month
    return out


LOOKUP_BUCKETS = 4096  # buckets of [0, 1) in `entries_at_or_below` (a power of two: exact edges)


@numba.njit(cache=True, nogil=True)
def _entries_at_or_below(cdf, u, start):  # pragma: no cover - compiled
    n = cdf.shape[0]
    out = np.empty(u.shape[0], dtype=np.int64)
    for i in range(u.shape[0]):
        x = u[i]
        b = min(max(int(x * LOOKUP_BUCKETS), 0), LOOKUP_BUCKETS - 1)
        k = start[b] if x >= 0 else 0
        while k < n and cdf[k] <= x:
            k += 1
        out[i] = k
    return out


def entries_at_or_below(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """For each of `u` (uniforms in [0, 1]), how many entries of the ascending `cdf` are at or
    below it: ``np.searchsorted(cdf, u, side="right")``. A table of where each of
    LOOKUP_BUCKETS equal slices of [0, 1) starts in `cdf` leaves one or two comparisons per
    uniform instead of a binary search."""
    cdf = np.ascontiguousarray(cdf, dtype=np.float64)
    if len(cdf) > 1 and np.any(cdf[1:] < cdf[:-1]):
        raise ValueError("entries_at_or_below: cdf is not ascending")
    edges = np.arange(LOOKUP_BUCKETS) / LOOKUP_BUCKETS
    start = np.searchsorted(cdf, edges, side="right")
    return _entries_at_or_below(cdf, np.ascontiguousarray(u, dtype=np.float64), start)


@numba.njit(cache=True, nogil=True)
def contribution_years(
    age, emp, spread, start_age, density_formal, density_other, codes
):  # pragma: no cover - compiled
    """Employee-pension contribution years of each person at the end of the base year (float32):
    ``min(years * density * spread, years)`` with ``years = max(age - start_age, 0)`` (float32),
    the density of formal employees (``codes[0]``) or of everyone else, and 0 for children and
    students (``codes[1]``, ``codes[2]``): the arithmetic of `population.
    initial_contribution_years`, in one pass."""
    out = np.empty(age.shape[0], dtype=np.float32)
    for i in range(age.shape[0]):
        e = emp[i]
        if e == codes[1] or e == codes[2]:
            out[i] = 0.0
            continue
        years = max(np.float32(age[i]) - np.float32(start_age), np.float32(0.0))
        density = density_formal if e == codes[0] else density_other
        y = np.float64(years)
        out[i] = np.float32(min(y * density * np.float64(spread[i]), y))
    return out


@numba.njit(cache=True, nogil=True, boundscheck=True)
def count_at_or_below(cdf, kind, place, u):  # pragma: no cover - compiled
    """For each unit i, how many entries of the row ``cdf[kind[i], place[i]]`` are at or below
    ``u[i]``: ``(u[:, None] >= cdf[kind, place]).sum(axis=1)`` without the (units x entries)
    array."""
    out = np.empty(u.shape[0], dtype=np.int64)
    for i in range(u.shape[0]):
        row = cdf[kind[i], place[i]]
        n = 0
        for j in range(row.shape[0]):
            if u[i] >= row[j]:
                n += 1
        out[i] = n
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _row_entries(h, d, cols, values):  # pragma: no cover - compiled
    """The design's entries of household `h` into `cols` and `values`; returns how many.

    Counts of members are entries where positive; a household margin's wherever it applies.
    `d`: the households' and persons' columns, as `raking_design` packs them.
    """
    (
        start,
        size,
        cell,
        person_bits,
        n_pm,
        hh_bits,
        n_hm,
        old,
        pensioner,
        hh_urban,
        province,
        province_columns,
        block_offsets,
        n_columns,
    ) = d
    a, b = start[h], start[h] + size[h]
    n_cells = block_offsets[0]
    k = 0
    for i in range(a, b):  # members by age-sex cell
        q = 0
        while q < k and cols[q] != cell[i]:
            q += 1
        if q == k:
            cols[k] = cell[i]
            values[k] = 0.0
            k += 1
        values[q] += 1.0
    for j in range(n_pm):  # members in each person margin
        n = 0
        for i in range(a, b):
            n += (person_bits[i] >> j) & 1
        if n > 0:
            cols[k] = n_cells + j
            values[k] = n
            k += 1
    for j in range(n_hm):  # every member, where the household is in the margin
        if (hh_bits[h] >> (j + 1)) & 1:
            cols[k] = n_cells + n_pm + j
            values[k] = size[h]
            k += 1
    n_old = 0
    n_pensioner = 0
    for i in range(a, b):
        n_old += old[i]
        n_pensioner += pensioner[i]
    for blk in range(4):  # the province's persons, urban residents, people 60+, pensioners
        if blk == 0:
            v = float(size[h])
        elif blk == 1:
            v = float(size[h]) if hh_urban[h] else 0.0
        elif blk == 2:
            v = float(n_old)
        else:
            v = float(n_pensioner)
        if v > 0:
            cols[k] = block_offsets[1 + blk] + province_columns[blk, province[h]]
            values[k] = v
            k += 1
    cols[k] = n_columns - 1  # households
    values[k] = 1.0
    return k + 1


@numba.njit(cache=True, nogil=True)
def _design(row_of, n_rows, n_columns, d):  # pragma: no cover - compiled
    """The raking design as compressed sparse rows, columns ascending within each row.

    Households are read in their order (members are contiguous) and each row's entries
    gathered into a slot of its own, once, in column order; then the slots are packed."""
    cols = np.empty(64, dtype=np.int64)
    values = np.empty(64)
    # a row has at most 8 cells (members), one entry per person and household margin, four
    # provincial entries and the households column: each row's entries go to its own slot
    n_pm, n_hm = d[4], d[6]
    slot = 8 + n_pm + n_hm + 5
    per_row = np.zeros(n_rows, dtype=np.int64)
    row_cols = np.empty(n_rows * slot, dtype=np.int16)  # fewer than 32,768 columns
    row_values = np.empty(n_rows * slot, dtype=np.uint8)  # counts of at most 8 members
    for h in range(row_of.shape[0]):
        r = row_of[h]
        if r >= 0:
            m = _row_entries(h, d, cols, values)
            _sort_entries(cols, values, m)
            per_row[r] = m
            for q in range(m):
                row_cols[r * slot + q] = cols[q]
                row_values[r * slot + q] = values[q]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    for r in range(n_rows):
        indptr[r + 1] = indptr[r] + per_row[r]
    data = np.empty(indptr[n_rows])
    indices = np.empty(indptr[n_rows], dtype=np.int32)
    for r in range(n_rows):
        at = indptr[r]
        for q in range(per_row[r]):
            data[at + q] = row_values[r * slot + q]
            indices[at + q] = row_cols[r * slot + q]
    return data, indices, indptr


@numba.njit(cache=True, nogil=True)
def _sort_entries(cols, values, m):  # pragma: no cover - compiled
    """The first `m` entries (`cols`, `values`) in ascending column order (an insertion sort:
    a row has at most a few dozen entries, most already in order)."""
    for i in range(1, m):
        c, v = cols[i], values[i]
        j = i - 1
        while j >= 0 and cols[j] > c:
            cols[j + 1] = cols[j]
            values[j + 1] = values[j]
            j -= 1
        cols[j + 1] = c
        values[j + 1] = v


@dataclass(frozen=True)
class DesignColumns:
    """What the raking design counts (see `raking_design`).

    Person arrays (persons stored household by household): `cell` (age-sex cell, 0..n_cells-1),
    `person_bits` (bit j: in person margin j), `old` (aged 60+), `pensioner`. Household
    arrays: `size`, `hh_bits` (bit j + 1: in household margin j), `urban`, `province`.
    `province_columns`: for the provinces' persons, urban residents, people 60+ and pensioners,
    the column of each province within its block.
    """

    cell: np.ndarray
    n_cells: int
    person_bits: np.ndarray
    n_person_margins: int
    hh_bits: np.ndarray
    n_household_margins: int
    old: np.ndarray
    pensioner: np.ndarray
    size: np.ndarray
    urban: np.ndarray
    province: np.ndarray
    province_columns: tuple[np.ndarray, ...]


def raking_design(first: np.ndarray, hh: np.ndarray, c: DesignColumns) -> sp.csr_matrix:
    """The raking design of the households `first` (row r: household first[r]), sparse by rows
    (columns ascending within each row: both of the raking's products stream over it once).

    Columns: age-sex cells, person margins, household margins (every member counts), then the
    four provincial blocks (persons, urban residents, people 60+, employee pensioners of each
    province's column), and households. Entries are members counted (positive counts only; a
    household margin's wherever it applies). Built in compiled passes that read the households
    in their order. Persons must be stored household by household (`hh` non-decreasing, as
    built), in households of at most 8 members.
    """
    if len(hh) and not np.all(hh[1:] >= hh[:-1]):
        raise ValueError("raking_design: persons must be stored household by household")
    if len(c.size) and int(c.size.max()) > 8:
        raise ValueError("raking_design: a household of more than 8 members")
    row_of = np.full(len(c.size), -1, dtype=np.int64)
    row_of[first] = np.arange(len(first))
    widths = [int(col.max()) + 1 for col in c.province_columns]
    offsets = np.cumsum([c.n_cells + c.n_person_margins + c.n_household_margins, *widths])
    n_columns = int(offsets[-1]) + 1
    if n_columns >= 2**15 or len(first) >= 2**31:
        raise ValueError("raking_design: too many columns or rows for the compact indices")
    size = np.asarray(c.size, dtype=np.int64)
    packed = (
        np.cumsum(size) - size,  # each household's first person
        size,
        c.cell,
        c.person_bits,
        int(c.n_person_margins),
        c.hh_bits,
        int(c.n_household_margins),
        as_bytes(c.old),
        as_bytes(c.pensioner),
        as_bytes(c.urban),
        c.province,
        np.stack([np.asarray(col, dtype=np.int64) for col in c.province_columns]),
        np.r_[c.n_cells, offsets].astype(np.int64),
        n_columns,
    )
    data, indices, indptr = _design(row_of, len(first), n_columns, packed)
    return sp.csr_matrix((data, indices, indptr), shape=(len(first), n_columns))


MAX_TOTAL_FLAGS = 16  # named flags one person_tallies call reads (2**16 patterns)


@reads_bytes
@numba.njit(cache=True, nogil=True, boundscheck=True)
def dibao_households(
    means,
    urban_programme,
    province,
    standard_urban,
    standard_rural,
    migrant,
    size,
    u,
    u_near,
    takeup_urban,
    takeup_rural,
    monitoring_gain,
    migrant_factor,
    inclusion_error,
    line_multiple,
    minimum_benefit_share,
    identified_share,
):  # pragma: no cover - compiled
    """The dibao means test and take-up of each household, in one pass (see `measures.dibao`).

    `means`: per-capita income the test counts (yuan/person/year); standards by province
    (yuan/person/year); `u`, `u_near`: the household's persistent uniforms. Returns eligible,
    recipient, near-dibao (in the band above the standard, not receiving), near-dibao
    identified, and the benefit (yuan/year, the household's total: the gap to the standard, at
    least the minimum share of it, times its members).
    """
    n = means.shape[0]
    eligible = np.empty(n, dtype=np.bool_)
    recipient = np.empty(n, dtype=np.bool_)
    near = np.empty(n, dtype=np.bool_)
    identified = np.empty(n, dtype=np.bool_)
    benefit = np.empty(n)
    for h in range(n):
        if urban_programme[h]:
            standard, base = standard_urban[province[h]], takeup_urban
        else:
            standard, base = standard_rural[province[h]], takeup_rural
        m = means[h]
        e = m < standard
        band = (not e) and m < line_multiple * standard
        factor = migrant_factor if migrant[h] else 1.0
        takeup = base + monitoring_gain * (1 - base)
        r = (e and u[h] < takeup * factor) or (band and u[h] < inclusion_error * base * factor)
        eligible[h] = e
        recipient[h] = r
        near[h] = band and not r
        identified[h] = near[h] and u_near[h] < identified_share
        gap = max(standard - m, minimum_benefit_share * standard)
        benefit[h] = gap * size[h] if r else 0.0
    return eligible, recipient, near, identified, benefit


@reads_bytes
@numba.njit(cache=True, nogil=True, boundscheck=True)
def basic_pensions(
    age,
    emp,
    child_code,
    student_code,
    emp_pension,
    pension_amount,
    in_employee_working,
    u_pen,
    hh,
    province,
    w,
    takeup,
    minimum,
    above,
    account_cap,
    pension_age,
    contributor_share,
    person_cash,
    n_households,
):  # pragma: no cover - compiled
    """Pension recipients, their pensions and who may contribute to the resident scheme, in one
    pass over the persons (the rules of `measures.pension.apply`, with its arithmetic).

    A person at `pension_age` or older outside the employee scheme draws the resident pension
    where their uniform `u_pen` is below their province's `takeup`: the national `minimum`, the
    province's amount `above` it less the personal-account pension (at most `account_cap`) and
    that account pension (yuan/month); an employee pensioner draws their own `pension_amount`
    (yuan/month, float32). Adds the year's pensions to `person_cash`. Returns the resident
    recipients, those eligible to contribute and the voluntary contributors (uniform below
    `contributor_share`, a float32 comparison) per person; the pensions each household receives
    (yuan/year); and by province (31) the weighted yuan of the minimum, the top-up, the account
    pensions and the employee pensions, and the weighted resident pensions a month.
    """
    n = age.shape[0]
    resident = np.empty(n, dtype=np.bool_)
    eligible = np.empty(n, dtype=np.bool_)
    voluntary = np.empty(n, dtype=np.bool_)
    from_resident = np.zeros(n_households)
    from_employee = np.zeros(n_households)
    sums = np.zeros((5, 31))
    share = np.float32(contributor_share)
    for i in range(n):
        h = hh[i]
        g = province[h]
        age_ok = age[i] >= pension_age
        employee = emp_pension[i] != 0
        u = u_pen[i]
        # the flags without a branch each (`&` evaluates every term; the rules are the same)
        r = age_ok & (not employee) & (u < takeup[g])
        e = (
            (not age_ok)
            & (emp[i] != child_code)
            & (emp[i] != student_code)
            & (in_employee_working[i] == 0)
            & (not employee)
        )
        resident[i] = r
        eligible[i] = e
        voluntary[i] = e & (u < share)
        if r:
            account = min(account_cap, above[g])
            topup = above[g] - account
            wi = w[i]
            sums[0, g] += wi * (12.0 * minimum)
            sums[1, g] += wi * (12.0 * topup)
            sums[2, g] += wi * (12.0 * account)
            person_cash[i] += 12.0 * minimum
            person_cash[i] += 12.0 * topup
            person_cash[i] += 12.0 * account
            month = minimum + topup + account
            sums[4, g] += wi * month
            from_resident[h] += 12.0 * month
        elif employee:  # an employee pensioner draws no resident pension
            amount = np.float64(np.float32(12.0) * pension_amount[i])
            sums[3, g] += w[i] * amount
            person_cash[i] += amount
            from_employee[h] += amount
    return resident, eligible, voluntary, from_resident + from_employee, sums


@reads_bytes
@numba.njit(cache=True, nogil=True, boundscheck=True)
def employee_schemes(
    emp,
    formal_code,
    flexible_code,
    u_emp,
    u_emed,
    grad_year,
    age,
    hh,
    hh_quintile,
    hh_migrant,
    emp_pension,
    province,
    w,
    rules,
    rates,
    person_cash,
    person_in_kind,
):  # pragma: no cover - compiled
    """Who the employee schemes cover this year and what they pay, in one pass over the persons
    (the rules of `measures.employee`, with its arithmetic); `emp` the employment codes, of
    which `formal_code` and `flexible_code` are the two the schemes enrol.

    `rules` (float64): year, graduate years, difficulty age, formal enrolment (compared in
    float32, as numpy compares a float32 uniform with a number), flexible enrolment with and
    without the subsidy, migrants' relative enrolment (1 without the hukou limit), medical share
    (float32 comparison). `rates` (float64, yuan/year): flexible contribution, flexible medical
    contribution, subsidy share, contribution base, employee and employer pension and medical
    rates. Adds subsidies to `person_cash` and takes contributions from it (flexible workers)
    or from `person_in_kind` (formal employees' own share). Returns flags (working, flexible,
    subsidised, in the medical scheme) per person and the weighted yuan by province of the
    subsidy, flexible contributions, formal employees' and employers' contributions (4, 31).
    """
    year, graduate_years, difficulty_age = rules[0], rules[1], rules[2]
    formal_share, medical_share = np.float32(rules[3]), np.float32(rules[7])
    with_subsidy, without, migrant_factor = rules[4], rules[5], rules[6]
    flex_c, flex_med_c, share = rates[0], rates[1], rates[2]
    base = rates[3]
    n = emp.shape[0]
    working = np.empty(n, dtype=np.bool_)
    flexible = np.empty(n, dtype=np.bool_)
    subsidised = np.empty(n, dtype=np.bool_)
    medical = np.empty(n, dtype=np.bool_)
    sums = np.zeros((4, 31))
    for i in range(n):
        g = province[hh[i]]
        in_med = u_emed[i] < medical_share
        medical[i] = in_med
        is_formal = emp[i] == formal_code and u_emp[i] < formal_share
        is_flex = False
        elig = False
        if emp[i] == flexible_code:
            left = grad_year[i]
            elig = (left >= 0 and year - left < graduate_years) or (
                age[i] >= difficulty_age and hh_quintile[hh[i]] == 0
            )
            prob = with_subsidy if elig else without
            if hh_migrant[hh[i]]:
                prob = prob * migrant_factor
            is_flex = u_emp[i] < prob
        if is_flex:
            c = flex_c + (flex_med_c if in_med else 0.0)
            subsidy = share * c
            if elig:
                sums[0, g] += w[i] * subsidy
                person_cash[i] += subsidy
                c = c - subsidy
            sums[1, g] += w[i] * c
            person_cash[i] -= c
        if is_formal:
            own = base * (rates[4] + (rates[5] if in_med else 0.0))
            employer = base * (rates[6] + (rates[7] if in_med else 0.0))
            sums[2, g] += w[i] * own
            person_in_kind[i] -= own
            sums[3, g] += w[i] * employer
        working[i] = is_formal or is_flex
        flexible[i] = is_flex
        subsidised[i] = is_flex and elig
    return working, flexible, subsidised, medical, sums


@reads_bytes
@numba.njit(cache=True, nogil=True, boundscheck=True)
def resident_contributions(
    eligible,
    voluntary,
    hardship,
    hh,
    u_help,
    u_tier,
    province,
    w,
    shares,
    amounts,
    person_cash,
    person_in_kind,
):  # pragma: no cover - compiled
    """Resident-scheme contributions of the year in one pass over the persons (the rules of
    `contribution_help.hardship_households` and `pension.contributions`, with their arithmetic).

    A person `eligible` for the resident scheme in a `hardship` household has the minimum-tier
    contribution paid by the government where their uniform `u_help` is below `shares[0]`;
    the other `voluntary` contributors pay the high tier where `u_tier` is below `shares[1]`
    (both float32 comparisons, as numpy compares a float32 uniform with a number), else the
    low tier. `amounts` (yuan/year): low tier, high tier, the local match of each, in that
    order. The government's payments and the matches are added to `person_in_kind`, own
    contributions taken from `person_cash`. Returns per person who is paid for, who
    contributes and who pays the high tier; and the weighted yuan by province (4, 31) of the
    help, the own contributions, the matches of voluntary contributors and those of the helped.
    """
    help_share, high_share = np.float32(shares[0]), np.float32(shares[1])
    low, high, match_low, match_high = amounts[0], amounts[1], amounts[2], amounts[3]
    n = eligible.shape[0]
    paid = np.empty(n, dtype=np.bool_)
    contributor = np.empty(n, dtype=np.bool_)
    high_tier = np.empty(n, dtype=np.bool_)
    sums = np.zeros((4, 31))
    for i in range(n):
        h = hh[i]
        g = province[h]
        helped = eligible[i] and hardship[h] and u_help[i] < help_share
        own = voluntary[i] and not helped
        is_high = own and u_tier[i] < high_share
        paid[i] = helped
        contributor[i] = own or helped
        high_tier[i] = is_high
        if helped:  # the low tier paid for them, and its match
            sums[0, g] += w[i] * low
            person_in_kind[i] += low
            sums[3, g] += w[i] * match_low
            person_in_kind[i] += match_low
        if own:
            amount = high if is_high else low
            sums[1, g] += w[i] * amount
            person_cash[i] += -1.0 * amount
            match = match_high if is_high else match_low
            sums[2, g] += w[i] * match
            person_in_kind[i] += match
    return paid, contributor, high_tier, sums


@reads_bytes
@numba.njit(cache=True, nogil=True, boundscheck=True)
def _medical_price(means, dibao, identified, contribution, near_assistance):  # pragma: no cover
    """Per household: medical assistance towards each member's contribution (all of it for
    dibao members, up to `near_assistance` for identified near-dibao ones) and the members' own
    contribution relative to income, ``max(own, 1) / max(means, 1000)``."""
    n = means.shape[0]
    assistance = np.empty(n)
    ratio = np.empty(n)
    for h in range(n):
        if dibao[h]:
            a = contribution
        elif identified[h]:
            a = min(contribution, near_assistance)
        else:
            a = 0.0
        assistance[h] = a
        ratio[h] = max(contribution - a, 1.0) / max(means[h], 1000.0)
    return assistance, ratio


@reads_bytes
@numba.njit(cache=True, nogil=True, boundscheck=True)
def _minus_log_odds(log_ratio, migrant, coefficients):  # pragma: no cover - compiled
    """In place: minus the enrolment log-odds ``price * log_ratio + intercept + subsidy term -
    migrant * migrant term`` (`coefficients` in that order), ready for exp."""
    price, intercept, subsidy_term, migrant_term = coefficients
    for h in range(log_ratio.shape[0]):
        x = log_ratio[h] * price
        x += intercept
        x += subsidy_term
        x -= migrant[h] * migrant_term
        log_ratio[h] = -x


@reads_bytes
@numba.njit(cache=True, nogil=True, boundscheck=True)
def _medical_draws(
    employee_member, u, hh, exp_minus_x, assistance, contribution, subsidy
):  # pragma: no cover - compiled
    """Who enrols (outside the employee scheme, uniform below ``1 / (1 + exp(-x))``, or always
    where a member pays nothing) and, per household, the subsidy, own contributions and
    assistance of its enrollees (yuan/year)."""
    n = assistance.shape[0]
    prob = np.empty(n)
    for h in range(n):
        prob[h] = 1.0 if contribution - assistance[h] <= 0 else 1.0 / (1.0 + exp_minus_x[h])
    enrolled = np.empty(u.shape[0], dtype=np.bool_)
    enrollees = np.zeros(n)
    for i in range(u.shape[0]):
        c = (employee_member[i] == 0) & (u[i] < prob[hh[i]])  # both terms, no branch
        enrolled[i] = c
        enrollees[hh[i]] += c
    own_paid = prob  # reused: the probabilities are not needed any more
    for h in range(n):
        k = enrollees[h]
        own_paid[h] = (contribution - assistance[h]) * k
        assistance[h] *= k
        enrollees[h] = subsidy * k
    return enrolled, enrollees, own_paid, assistance


def resident_medical(
    employee_member: np.ndarray,
    u: np.ndarray,
    hh: np.ndarray,
    means: np.ndarray,
    dibao: np.ndarray,
    identified: np.ndarray,
    migrant: np.ndarray,
    contribution: float,
    near_assistance: float,
    coefficients: tuple[float, float, float, float],
    subsidy: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Resident medical enrolment and its flows per household (the rules of `measures.medical`).

    Per household: medical assistance pays the whole `contribution` of dibao members and up to
    `near_assistance` of identified near-dibao members (yuan/person/year); the enrolment
    probability is ``logistic(price * log(max(own, 1) / max(means, 1000)) + intercept +
    subsidy_term - migrant * migrant_term)`` (`coefficients` in that order), or 1 where a
    member pays nothing. A person outside the employee scheme (`employee_member` False) enrols
    where their uniform `u` is below it. Returns who enrols (per person) and, per household,
    the subsidy, the members' own contributions and the assistance (yuan/year, all its
    enrollees). Compiled passes, with numpy's vectorised log and exp between them.
    """
    assistance, x = _medical_price(means, dibao, identified, contribution, near_assistance)
    np.log(x, out=x)
    _minus_log_odds(x, migrant, np.array(coefficients, dtype=np.float64))
    np.exp(x, out=x)
    return _medical_draws(employee_member, u, hh, x, assistance, contribution, subsidy)


@numba.njit(cache=True, nogil=True)
def _person_tallies(
    w,
    flags,
    cell,
    static_mask,
    cell_groups,
    n_cells,
    province,
    province_groups,
    n_provinces,
    age,
    sex,
    n_ages,
    band_of_age,
    hh,
    poor_household,
):  # pragma: no cover - compiled
    """The loop of `person_tallies`: every sum in person order, one pass."""
    n_bands = band_of_age.max() + 1
    everyone = np.zeros(n_cells)
    static = np.zeros(n_cells)
    by_cell = np.zeros((cell_groups.shape[0], n_cells))
    by_province = np.zeros((province_groups.shape[0], n_provinces))
    by_pattern = np.zeros(1 << len(flags))
    by_age_sex = np.zeros(n_ages * 2)
    band_all = np.zeros((n_bands, 2))
    band_poor = np.zeros((n_bands, 2))
    last_band = band_of_age.shape[0] - 1
    pattern = np.zeros(w.shape[0], dtype=np.int32)  # flag by flag: each loop vectorises
    f = 0
    for flag in flags:
        for i in range(w.shape[0]):
            pattern[i] |= np.int32(flag[i]) << f
        f += 1
    for i in range(w.shape[0]):
        wi = w[i]
        bits = pattern[i]
        c = cell[i]
        everyone[c] += wi
        static[c & static_mask] += wi
        for k in range(cell_groups.shape[0]):  # no branch: adding 0.0 leaves a sum as it was
            by_cell[k, c] += wi * ((bits & cell_groups[k]) != 0)
        g = province[i]
        for k in range(province_groups.shape[0]):
            by_province[k, g] += wi * ((bits & province_groups[k]) != 0)
        by_pattern[bits] += wi
        a, s = age[i], sex[i]
        by_age_sex[a * 2 + s] += wi
        b = band_of_age[min(a, last_band)]
        band_all[b, s] += wi
        band_poor[b, s] += wi * poor_household[hh[i]]
    return everyone, static, by_cell, by_province, by_pattern, by_age_sex, band_all, band_poor


@dataclass(frozen=True)
class PersonTallies:
    """Weighted persons of one year, summed in one pass (`person_tallies`).

    `everyone`, `static` (by the cell code with only the bits of the static mask) and
    `by_cell` (one row per group of flags) by cell; `by_province` (one row per group) by
    province; `by_age_sex` (age * 2 + sex); `band_all` and `band_poor` by age band and sex (the
    poor: in a poor household); `by_pattern` by the pattern of all the flags, for `total`.
    """

    everyone: np.ndarray
    static: np.ndarray
    by_cell: np.ndarray
    by_province: np.ndarray
    by_age_sex: np.ndarray
    band_all: np.ndarray
    band_poor: np.ndarray
    by_pattern: np.ndarray
    bits: dict[str, int]

    def total(self, *names: str) -> float:
        """Weighted persons with any of the flags `names`."""
        group = sum(1 << self.bits[n] for n in set(names))
        patterns = np.arange(len(self.by_pattern), dtype=np.int64)
        return float(self.by_pattern[(patterns & group) != 0].sum())


def person_tallies(
    w: np.ndarray,
    flags: dict[str, np.ndarray],
    cell: np.ndarray,
    static_mask: int,
    cell_groups: list[tuple[str, ...]],
    n_cells: int,
    province: np.ndarray,
    province_groups: list[tuple[str, ...]],
    n_provinces: int,
    age: np.ndarray,
    sex: np.ndarray,
    band_of_age: np.ndarray,
    hh: np.ndarray,
    poor_household: np.ndarray,
) -> PersonTallies:
    """The year's weighted person counts in one pass over the persons (`w` their weights).

    `flags`: named boolean person columns (at most MAX_TOTAL_FLAGS). A group is a tuple of
    flag names standing for their or; `cell_groups` are summed by `cell` (codes below
    `n_cells`), `province_groups` by `province`. Each sum runs in person order without a
    branch per person, so it equals a bincount of the same weights to the last bit; `total`
    adds the pattern sums (within 1e-15 of a direct sum).
    """
    if len(flags) > MAX_TOTAL_FLAGS:
        raise ValueError(f"person_tallies: {len(flags)} flags, at most {MAX_TOTAL_FLAGS}")
    bits = {name: k for k, name in enumerate(flags)}
    columns = []
    for name, column in flags.items():
        if column.shape != w.shape:
            raise ValueError(f"person_tallies: {name} has {column.shape[0]} for {w.shape[0]}")
        columns.append(as_bytes(column))
    # the compiled loop trusts its indices: every code is checked here
    for codes, n in (
        (cell, n_cells),
        (province, n_provinces),
        (sex, 2),
        (hh, len(poor_household)),
        (age, 2**15),
    ):
        if len(codes) and (int(codes.min()) < 0 or int(codes.max()) >= n):
            raise ValueError(f"person_tallies: codes outside 0..{n - 1}")
    if len(band_of_age) == 0 or int(band_of_age.min()) < 0:
        raise ValueError("person_tallies: band_of_age must give a band (0 or more) to every age")

    def masks(groups):
        return np.array([sum(1 << bits[n] for n in set(g)) for g in groups], dtype=np.int64)

    n_ages = int(age.max(initial=0)) + 1
    sums = _person_tallies(
        np.ascontiguousarray(w, dtype=np.float64),
        tuple(columns),
        cell,
        static_mask,
        masks(cell_groups),
        n_cells,
        province,
        masks(province_groups),
        n_provinces,
        age,
        sex,
        n_ages,
        band_of_age,
        hh,
        as_bytes(poor_household),
    )
    everyone, static, by_cell, by_province, by_pattern, by_age_sex, band_all, band_poor = sums
    return PersonTallies(
        everyone, static, by_cell, by_province, by_age_sex, band_all, band_poor, by_pattern, bits
    )


def compile_all() -> float:
    """Compile (or load from the on-disk cache) every kernel with the types the model gives it,
    by running the baseline scenario at 500 households for one year (and, with the design's
    types, the one kernel only a raking of 66,000 households or more calls); seconds taken."""
    from pathlib import Path

    from model import load_scenario, run_scenario

    start = time.perf_counter()
    baseline = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml")
    run_scenario(baseline, households=500, end_year=baseline.run.start_year + 1)
    design = sp.csr_matrix(np.ones((2, 2)))  # indptr and indices int32, data float64
    squared_rmatvec(design.indptr, design.indices, design.data, np.ones(2), 2)
    return time.perf_counter() - start
