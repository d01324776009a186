"""Pair search: which demand cells lie within a Euclidean threshold of each institution.

Demand points are sorted into horizontal strips of height ``threshold / 8``, by x within a strip. For
one institution the points within reach of it lie, strip by strip, in one contiguous run of that
order, found by two binary searches; the runs cover the disc plus a thin margin (about 8 % more
candidates than true pairs), so exact distances are computed for few points that are not pairs.
This is the NumPy path's index; ``_compiled.cell_runs`` builds the same kind of runs in O(n).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Eight strips per threshold: more strips mean fewer wasted candidates (~2h/(pi T) of the true
# pairs) but more binary searches per institution; at 8 both are small.
STRIPS_PER_THRESHOLD = 8
# Candidate pairs handled at once by the NumPy path: bounds its temporary memory (~100 MB).
_CHUNK_CANDIDATES = 1 << 21


@dataclass(frozen=True)
class CostTable:
    """Travel costs from demand cells to institutions, by position in the caller's arrays.

    ``origin[k]`` indexes the demand arrays, ``destination[k]`` the supply arrays, ``cost[k]`` is in
    the unit of the threshold it is used with (metres, seconds …). Pairs absent from the table are
    out of reach. A pair may appear at most once.
    """

    origin: np.ndarray
    destination: np.ndarray
    cost: np.ndarray

    def __post_init__(self) -> None:
        origin = np.ascontiguousarray(self.origin, dtype=np.int64)
        destination = np.ascontiguousarray(self.destination, dtype=np.int64)
        cost = np.ascontiguousarray(self.cost, dtype=np.float64)
        if not (origin.ndim == destination.ndim == cost.ndim == 1):
            raise ValueError("origin, destination and cost must be one-dimensional")
        if not (len(origin) == len(destination) == len(cost)):
            raise ValueError("origin, destination and cost must have the same length")
        object.__setattr__(self, "origin", origin)
        object.__setattr__(self, "destination", destination)
        object.__setattr__(self, "cost", cost)

    def __len__(self) -> int:
        return len(self.cost)


@dataclass(frozen=True, eq=False)
class StripIndex:
    """Demand points and institutions sorted for the strip search, with each institution's runs.

    ``order`` maps sorted demand position → caller's demand index, ``supply_order`` the same for
    institutions. ``lo``/``hi`` (shape: institutions × strips, in sorted order) bound half-open runs
    of sorted demand positions; every demand point within ``threshold`` of sorted institution ``j``
    lies in one of row ``j``'s runs.
    """

    threshold: float
    order: np.ndarray
    x: np.ndarray
    y: np.ndarray
    supply_order: np.ndarray
    supply_x: np.ndarray
    supply_y: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    @property
    def candidates(self) -> int:
        return int((self.hi - self.lo).sum())


def _as_xy(xy: np.ndarray, name: str) -> np.ndarray:
    array = np.asarray(xy, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"{name} must have shape (n, 2)")
    if not np.isfinite(array).all():
        row = int(np.flatnonzero(~np.isfinite(array).all(axis=1))[0])
        raise ValueError(f"{name} row {row} is not finite")
    return array


def strip_index(demand_xy: np.ndarray, supply_xy: np.ndarray, threshold: float) -> StripIndex:
    """Build the strip search for Euclidean pairs with distance <= ``threshold`` (metres)."""
    demand_xy = _as_xy(demand_xy, "demand_xy")
    supply_xy = _as_xy(supply_xy, "supply_xy")
    threshold = float(threshold)
    if not (threshold > 0 and np.isfinite(threshold)):
        raise ValueError("threshold must be a positive finite number")
    n = len(demand_xy)
    m = len(supply_xy)
    supply_order = serpentine(supply_xy, threshold)
    sx = np.ascontiguousarray(supply_xy[supply_order, 0])
    sy = np.ascontiguousarray(supply_xy[supply_order, 1])
    if n == 0 or m == 0:
        empty = np.zeros((m, 0), dtype=np.int64)
        return StripIndex(
            threshold,
            np.arange(n, dtype=np.int64),
            np.ascontiguousarray(demand_xy[:, 0]),
            np.ascontiguousarray(demand_xy[:, 1]),
            supply_order,
            sx,
            sy,
            empty,
            empty.copy(),
        )

    x = demand_xy[:, 0]
    y = demand_xy[:, 1]
    x0 = float(x.min())
    y0 = float(y.min())
    width = float(x.max()) - x0
    height = float(y.max()) - y0
    # Strips finer than T/8 would not pay; more strips than points would only cost memory.
    strip = max(threshold / STRIPS_PER_THRESHOLD, height / max(n, 64))
    n_strips = int(height // strip) + 1
    # Runs of neighbouring strips must never overlap in key space, whatever x +- T is.
    stride = width + 2.0 * threshold + 2.0
    strip_of = np.minimum(((y - y0) // strip).astype(np.int64), n_strips - 1)
    key = strip_of * stride + (x - x0)
    order = np.argsort(key)
    key = key[order]

    per_supply = int(np.ceil(2.0 * threshold / strip)) + 2
    first = np.floor((sy - threshold - y0) / strip).astype(np.int64)
    rows = first[:, None] + np.arange(per_supply, dtype=np.int64)[None, :]
    valid = (rows >= 0) & (rows < n_strips)
    # A point may sit a few ulps outside its strip after rounding: widen strips by far more.
    eps = 1e-9 * (abs(y0) + height + threshold)
    bottom = y0 + rows * strip
    top = np.where(rows == n_strips - 1, np.inf, bottom + strip + eps)
    bottom = np.where(rows == 0, -np.inf, bottom - eps)
    gap = np.maximum(np.maximum(bottom - sy[:, None], sy[:, None] - top), 0.0)
    half = np.sqrt(np.maximum(threshold * threshold - gap * gap, 0.0))
    valid &= gap <= threshold
    # Keys carry rounding of a few 1e-16 of their size; widen runs by far more so no boundary point
    # is lost (the exact distance test comes later).
    slack = 1e-12 * stride * n_strips + 1e-9 * threshold
    base = rows * stride + (sx - x0)[:, None]
    lo = np.searchsorted(key, (base - half - slack).ravel(), side="left").reshape(rows.shape)
    hi = np.searchsorted(key, (base + half + slack).ravel(), side="right").reshape(rows.shape)
    hi = np.where(valid, hi, lo)
    return StripIndex(
        threshold,
        order,
        np.ascontiguousarray(x[order]),
        np.ascontiguousarray(y[order]),
        supply_order,
        sx,
        sy,
        lo.astype(np.int64),
        hi.astype(np.int64),
    )


def serpentine(points: np.ndarray, threshold: float) -> np.ndarray:
    # Institutions visited in this order have overlapping catchments one after another, so the demand
    # points they read are still in cache: on a 1M-cell city this halves the kernel time.
    if len(points) == 0:
        return np.zeros(0, dtype=np.int64)
    band = np.floor((points[:, 1] - points[:, 1].min()) / threshold).astype(np.int64)
    along = np.where(band % 2 == 0, points[:, 0], -points[:, 0])
    return np.lexsort((along, band)).astype(np.int64)


def iter_pair_chunks(index: StripIndex):
    """Yield ``(first, last, sorted_demand, sorted_supply, distance)`` for institutions ``first:last``.

    Pairs come grouped by institution, ascending; both indices are positions in the sorted arrays
    of ``index``. Memory per chunk is bounded, so the whole pair list is never held at once.
    """
    m = len(index.supply_x)
    if m == 0:
        return
    counts = index.hi - index.lo
    per_supply = counts.sum(axis=1)
    bounds = np.cumsum(per_supply)
    first = 0
    threshold = index.threshold
    while first < m:
        start = bounds[first - 1] if first else 0
        last = int(np.searchsorted(bounds, start + _CHUNK_CANDIDATES, side="right"))
        last = min(max(last, first + 1), m)
        run_counts = counts[first:last].ravel()
        run_lo = index.lo[first:last].ravel()
        total = int(run_counts.sum())
        if total == 0:
            empty_i = np.zeros(0, dtype=np.int64)
            yield first, last, empty_i, empty_i.copy(), np.zeros(0)
            first = last
            continue
        run_start = np.cumsum(run_counts) - run_counts
        demand = np.arange(total, dtype=np.int64) + np.repeat(run_lo - run_start, run_counts)
        supply = np.repeat(np.repeat(np.arange(first, last, dtype=np.int64), counts.shape[1]), run_counts)
        dx = index.x[demand] - index.supply_x[supply]
        dy = index.y[demand] - index.supply_y[supply]
        distance = np.sqrt(dx * dx + dy * dy)
        inside = distance <= threshold
        yield first, last, demand[inside], supply[inside], distance[inside]
        first = last


def pairs_within(demand_xy: np.ndarray, supply_xy: np.ndarray, threshold: float) -> CostTable:
    """All (demand, institution) pairs with Euclidean distance <= ``threshold``, as a cost table.

    Distances are in the unit of the coordinates (metres when projected). The table is grouped by
    institution. It holds every pair, so keep it for moderate sizes (the access functions search
    without materialising it).
    """
    index = strip_index(demand_xy, supply_xy, threshold)
    origin, destination, cost = [], [], []
    for _, _, demand, supply, distance in iter_pair_chunks(index):
        origin.append(index.order[demand])
        destination.append(index.supply_order[supply])
        cost.append(distance)
    if not cost:
        return CostTable(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    return CostTable(np.concatenate(origin), np.concatenate(destination), np.concatenate(cost))
