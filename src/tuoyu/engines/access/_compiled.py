"""Compiled (numba) pair search and fused floating-catchment kernels, for large problems.

Demand points are counting-sorted into cells (strips of height h = T/8, cut into columns); for one
institution the candidates in a strip are the cells its disc spans, which are consecutive in the
sorted order, so each strip gives one run. Each institution reads its runs twice: the first loop sums
the weighted demand D_j, the second spreads R_j = S_j / D_j onto the same points, still in cache.
Pairs are never stored, all reads are sequential, and institutions are visited in a serpentine
order so neighbours' runs overlap in cache.

Loops index slices from 0, which lets LLVM drop numba's negative-index checks and vectorise; sums
may be reassociated for SIMD ("reassoc"), so they agree with the NumPy path to ~1e-15 relative.
No other fast-math flag: distances are compared squared against ``_squared_limit`` bounds without
fused multiply-adds, which is exactly the test ``sqrt(dx² + dy²) <= limit`` of the NumPy path.
"""

from __future__ import annotations

import numpy as np
from numba import njit

UNIFORM, STEPS, GAUSSIAN = 0, 1, 2
_FAST = {"reassoc"}


@njit(cache=True)
def cell_runs(x, y, supply_x, supply_y, threshold, x0, y0, strip, n_strips, column, n_columns, per_supply):
    # Returns (order, sorted x, sorted y, lo, hi): sorted position -> demand index, and per
    # institution (in the given order) and strip the half-open run of sorted positions to test.
    n = x.shape[0]
    n_cells = n_strips * n_columns
    starts = np.zeros(n_cells + 1, dtype=np.int64)
    cell_of = np.empty(n, dtype=np.int64)
    for i in range(n):
        s = min(max(int((y[i] - y0) / strip), 0), n_strips - 1)
        c = min(max(int((x[i] - x0) / column), 0), n_columns - 1)
        cell_of[i] = s * n_columns + c
        starts[s * n_columns + c + 1] += 1
    for c in range(n_cells):
        starts[c + 1] += starts[c]
    fill = starts[:-1].copy()
    order = np.empty(n, dtype=np.int64)
    sorted_x = np.empty(n)
    sorted_y = np.empty(n)
    for i in range(n):
        position = fill[cell_of[i]]
        fill[cell_of[i]] += 1
        order[position] = i
        sorted_x[position] = x[i]
        sorted_y[position] = y[i]

    m = supply_x.shape[0]
    lo = np.zeros((m, per_supply), dtype=np.int64)
    hi = np.zeros((m, per_supply), dtype=np.int64)
    # A point may land a few ulps outside its cell after rounding: widen the cells by far more
    # (extra candidates are harmless, the exact distance test comes later).
    eps_y = 1e-9 * (abs(y0) + strip * n_strips + threshold)
    eps_x = 1e-9 * (abs(x0) + column * n_columns + threshold)
    for j in range(m):
        sx = supply_x[j]
        sy = supply_y[j]
        first = int(np.floor((sy - threshold - y0) / strip))
        for r in range(per_supply):
            s = first + r
            if s < 0 or s >= n_strips:
                continue
            bottom = y0 + s * strip - eps_y if s > 0 else -np.inf
            top = y0 + (s + 1) * strip + eps_y if s < n_strips - 1 else np.inf
            gap = max(bottom - sy, sy - top, 0.0)
            if gap > threshold:
                continue
            half = np.sqrt(threshold * threshold - gap * gap) + eps_x
            left = (sx - half - x0) / column
            right = (sx + half - x0) / column
            if right < 0 or left >= n_columns:
                continue
            c_lo = max(int(np.floor(left)), 0)
            c_hi = min(int(np.floor(right)), n_columns - 1)
            lo[j, r] = starts[s * n_columns + c_lo]
            hi[j, r] = starts[s * n_columns + c_hi + 1]
    return order, sorted_x, sorted_y, lo, hi


@njit(cache=True, inline="always")
def _weight(distance2, kind, break_limits2, values, two_sigma2):
    if kind == UNIFORM:
        return 1.0
    if kind == STEPS:
        for k in range(break_limits2.shape[0]):
            if distance2 <= break_limits2[k]:
                return values[k]
        return 0.0
    return np.exp(-distance2 / two_sigma2)


@njit(cache=True, fastmath=_FAST)
def uniform(x, y, population, supply_x, supply_y, capacity, lo, hi, limit2, access, reachable, demand):
    # 2SFCA without weights: recomputing the distance in the second loop beats storing it.
    for j in range(supply_x.shape[0]):
        sx = supply_x[j]
        sy = supply_y[j]
        total = 0.0
        for r in range(lo.shape[1]):
            xs = x[lo[j, r] : hi[j, r]]
            ys = y[lo[j, r] : hi[j, r]]
            people = population[lo[j, r] : hi[j, r]]
            for t in range(xs.shape[0]):
                dx = xs[t] - sx
                dy = ys[t] - sy
                total += people[t] if dx * dx + dy * dy <= limit2 else 0.0
        demand[j] = total
        # An institution with no demand in reach serves no one (access would give inf or NaN).
        ratio = capacity[j] / total if total > 0.0 else 0.0
        for r in range(lo.shape[1]):
            xs = x[lo[j, r] : hi[j, r]]
            ys = y[lo[j, r] : hi[j, r]]
            got = access[lo[j, r] : hi[j, r]]
            count = reachable[lo[j, r] : hi[j, r]]
            for t in range(xs.shape[0]):
                dx = xs[t] - sx
                dy = ys[t] - sy
                inside = dx * dx + dy * dy <= limit2
                got[t] += ratio if inside else 0.0
                count[t] += np.int32(1) if inside else np.int32(0)


@njit(cache=True, fastmath=_FAST)
def weighted(
    x,
    y,
    population,
    selection,
    three_step,
    supply_x,
    supply_y,
    capacity,
    lo,
    hi,
    limit2,
    kind,
    break_limits2,
    values,
    two_sigma2,
    access,
    reachable,
    demand,
):
    # Weighted 2SFCA and 3SFCA. Each candidate's weight (-1 when out of reach) waits in a buffer
    # between the two loops, so the weight function runs once per pair. With three_step the pair
    # weight is G·W = W² · selection[k], selection being 1 / ΣW over the cell's catchment.
    longest = 0
    for j in range(lo.shape[0]):
        run = 0
        for r in range(lo.shape[1]):
            run += hi[j, r] - lo[j, r]
        longest = max(longest, run)
    buffer = np.empty(longest, dtype=np.float64)
    for j in range(supply_x.shape[0]):
        sx = supply_x[j]
        sy = supply_y[j]
        total = 0.0
        position = 0
        for r in range(lo.shape[1]):
            xs = x[lo[j, r] : hi[j, r]]
            ys = y[lo[j, r] : hi[j, r]]
            people = population[lo[j, r] : hi[j, r]]
            chosen = selection[lo[j, r] : hi[j, r]]  # empty, and never read, unless three_step
            kept = buffer[position : position + xs.shape[0]]
            for t in range(xs.shape[0]):
                dx = xs[t] - sx
                dy = ys[t] - sy
                distance2 = dx * dx + dy * dy
                if distance2 <= limit2:
                    w = _weight(distance2, kind, break_limits2, values, two_sigma2)
                    if three_step:
                        w = w * w * chosen[t]
                    kept[t] = w
                    total += people[t] * w
                else:
                    kept[t] = -1.0
            position += xs.shape[0]
        demand[j] = total
        ratio = capacity[j] / total if total > 0.0 else 0.0
        position = 0
        for r in range(lo.shape[1]):
            got = access[lo[j, r] : hi[j, r]]
            count = reachable[lo[j, r] : hi[j, r]]
            kept = buffer[position : position + got.shape[0]]
            for t in range(got.shape[0]):
                w = kept[t]
                got[t] += ratio * w if w >= 0.0 else 0.0
                count[t] += np.int32(1) if w >= 0.0 else np.int32(0)
            position += got.shape[0]


@njit(cache=True, fastmath=_FAST)
def weight_sums(x, y, supply_x, supply_y, lo, hi, limit2, kind, break_limits2, values, two_sigma2, out):
    # 3SFCA's first stage: Σ_j W_ij for every demand point.
    for j in range(supply_x.shape[0]):
        sx = supply_x[j]
        sy = supply_y[j]
        for r in range(lo.shape[1]):
            xs = x[lo[j, r] : hi[j, r]]
            ys = y[lo[j, r] : hi[j, r]]
            sums = out[lo[j, r] : hi[j, r]]
            for t in range(xs.shape[0]):
                dx = xs[t] - sx
                dy = ys[t] - sy
                distance2 = dx * dx + dy * dy
                if distance2 <= limit2:
                    sums[t] += _weight(distance2, kind, break_limits2, values, two_sigma2)


@njit(cache=True, fastmath=_FAST)
def reach_counts(x, y, supply_x, supply_y, lo, hi, limit2, reachable):
    for j in range(supply_x.shape[0]):
        sx = supply_x[j]
        sy = supply_y[j]
        for r in range(lo.shape[1]):
            xs = x[lo[j, r] : hi[j, r]]
            ys = y[lo[j, r] : hi[j, r]]
            count = reachable[lo[j, r] : hi[j, r]]
            for t in range(xs.shape[0]):
                dx = xs[t] - sx
                dy = ys[t] - sy
                count[t] += np.int32(1) if dx * dx + dy * dy <= limit2 else np.int32(0)
