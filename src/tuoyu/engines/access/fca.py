"""Two- and three-step floating catchment accessibility (2SFCA, E2SFCA, G2SFCA, 3SFCA) and coverage.

Semantics follow PySAL ``access`` (``fca.two_stage_fca`` / ``three_stage_fca``): a pair is in the
catchment when ``cost <= threshold``; the distance weight W is applied in both steps:

    D_j = Σ_i P_i W_ij            weighted demand in reach of institution j
    R_j = S_j / D_j               places per weighted person at j
    A_i = Σ_j R_j W_ij            places per person within reach of cell i

3SFCA (Wan, Zou & Sternberg 2012) replaces W_ij by G_ij W_ij with G_ij = W_ij / Σ_k W_ik over the
catchment of cell i. Where ``access`` yields NaN or inf (a cell with nothing in reach, an
institution whose weighted demand is 0) this module says so explicitly instead: the cell is
``covered=False`` with access NaN; the institution's ratio is NaN and it adds nothing to anyone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tuoyu.engines.access.search import (
    STRIPS_PER_THRESHOLD,
    CostTable,
    StripIndex,
    iter_pair_chunks,
    serpentine,
    strip_index,
)
from tuoyu.engines.access.weights import Gaussian, Steps, Uniform, Weight

METHODS = ("2sfca", "e2sfca", "g2sfca", "3sfca")

# "auto" uses the compiled kernels (when numba is installed) from this many expected pairs on: below
# it the NumPy path takes a few milliseconds anyway. Starting numba costs ~0.7 s once per process.
COMPILED_MIN_PAIRS = 200_000


@dataclass(frozen=True, eq=False)
class AccessResult:
    """Accessibility of each demand cell, in the caller's order.

    - ``access``: places per person within reach (weighted as the method says, not normalised, as
      ``access`` reports it); NaN exactly where ``covered`` is False.
    - ``covered``: at least one institution within the threshold; ``reachable`` counts them.
    - ``institution_demand``: D_j, weighted population within reach of each institution;
      ``institution_ratio``: R_j = capacity / D_j, NaN where D_j is 0.
    - ``population`` / ``covered_population``: sums over all / covered cells; ``covered_share``
      their ratio (NaN when the population is 0).
    """

    method: str
    threshold: float
    weight: Weight
    access: np.ndarray
    covered: np.ndarray
    reachable: np.ndarray
    institution_demand: np.ndarray
    institution_ratio: np.ndarray
    population: float
    covered_population: float
    pairs: int

    @property
    def covered_share(self) -> float:
        return self.covered_population / self.population if self.population > 0 else math.nan


@dataclass(frozen=True, eq=False)
class Coverage:
    """Which demand cells have at least one institution within the threshold.

    ``covered`` (bool) and ``reachable`` (institutions within reach, int32) are in the caller's order.
    """

    threshold: float
    covered: np.ndarray
    reachable: np.ndarray
    population: float
    covered_population: float

    @property
    def covered_share(self) -> float:
        return self.covered_population / self.population if self.population > 0 else math.nan


def method_weight(
    method: str, threshold: float, *, steps: Steps | None = None, sigma: float | None = None
) -> Weight:
    """The distance weight a method uses, with this engine's defaults.

    2SFCA: uniform. E2SFCA: ``steps``, default Luo & Qi's 1 / 0.68 / 0.22 over thirds of the threshold.
    G2SFCA: Gaussian of width ``sigma``, default threshold / 2 (weight e⁻² ≈ 0.135 at the edge).
    3SFCA: ``steps`` or a Gaussian of ``sigma`` if given, else Wan et al.'s steps scaled to the threshold.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    if method == "2sfca":
        if steps is not None or sigma is not None:
            raise ValueError("2sfca takes neither steps nor sigma")
        return Uniform()
    if method == "e2sfca":
        if sigma is not None:
            raise ValueError("e2sfca takes steps, not sigma")
        return steps if steps is not None else Steps.luo_qi(threshold)
    if method == "g2sfca":
        if steps is not None:
            raise ValueError("g2sfca takes sigma, not steps")
        return Gaussian(sigma if sigma is not None else threshold / 2)
    if steps is not None and sigma is not None:
        raise ValueError("3sfca takes steps or sigma, not both")
    if steps is not None:
        return steps
    return Gaussian(sigma) if sigma is not None else Steps.wan(threshold)


def floating_catchment(
    population: np.ndarray,
    capacity: np.ndarray,
    threshold: float,
    *,
    method: str = "2sfca",
    demand_xy: np.ndarray | None = None,
    supply_xy: np.ndarray | None = None,
    costs: CostTable | None = None,
    steps: Steps | None = None,
    sigma: float | None = None,
    backend: str = "auto",
) -> AccessResult:
    """Floating catchment accessibility of demand cells to institutions.

    ``population`` (n,) people per demand cell and ``capacity`` (m,) places per institution, both
    finite and >= 0. Reach is either Euclidean — ``demand_xy`` (n, 2) and ``supply_xy`` (m, 2) in
    projected metres, ``threshold`` in metres — or given by ``costs`` (any unit, same as
    ``threshold``; pairs not in the table are out of reach). ``method`` is one of ``METHODS``;
    weights as in ``method_weight``. ``backend``: "auto", "numpy" or "compiled" (numba).

    Invariant: Σ_i P_i A_i over covered cells = Σ capacity of institutions with D_j > 0.
    """
    threshold = _check_threshold(threshold)
    weight = method_weight(method, threshold, steps=steps, sigma=sigma)
    population = _check_amounts(population, "population")
    capacity = _check_amounts(capacity, "capacity")
    n, m = len(population), len(capacity)
    three_step = method == "3sfca"

    access = np.zeros(n)
    reachable = np.zeros(n, dtype=np.int32)
    demand = np.zeros(m)
    if costs is not None:
        if demand_xy is not None or supply_xy is not None:
            raise ValueError("give either costs or coordinates, not both")
        origin, destination, cost = _pairs_in_reach(costs, n, m, threshold)
        _pairs_step(
            origin, destination, weight(cost), population, capacity, three_step, access, reachable, demand
        )
        pairs = len(cost)
    else:
        if demand_xy is None or supply_xy is None:
            raise ValueError("give demand_xy and supply_xy, or costs")
        demand_xy, supply_xy = _check_xy(demand_xy, n, "demand"), _check_xy(supply_xy, m, "supply")
        if _use_compiled(backend, demand_xy, supply_xy, threshold):
            index = _compiled_index(demand_xy, supply_xy, threshold)
            run = _compiled_run
        else:
            index = strip_index(demand_xy, supply_xy, threshold)
            run = _numpy_run
        sorted_access, sorted_reach, sorted_demand = run(
            index, population[index.order], capacity[index.supply_order], weight, three_step
        )
        access[index.order] = sorted_access
        reachable[index.order] = sorted_reach
        demand[index.supply_order] = sorted_demand
        pairs = int(reachable.sum(dtype=np.int64))

    covered = reachable > 0
    access[~covered] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(demand > 0, capacity / demand, np.nan)
    return AccessResult(
        method=method,
        threshold=threshold,
        weight=weight,
        access=access,
        covered=covered,
        reachable=reachable,
        institution_demand=demand,
        institution_ratio=ratio,
        population=float(population.sum()),
        covered_population=float(population[covered].sum()),
        pairs=pairs,
    )


def coverage(
    population: np.ndarray,
    threshold: float,
    *,
    demand_xy: np.ndarray | None = None,
    supply_xy: np.ndarray | None = None,
    costs: CostTable | None = None,
    backend: str = "auto",
) -> Coverage:
    """Demand cells with at least one institution within ``threshold`` (``cost <= threshold``).

    Reach is Euclidean (``demand_xy``, ``supply_xy`` in metres) or from ``costs``.
    Monotone: a larger threshold never uncovers a cell.
    """
    threshold = _check_threshold(threshold)
    population = _check_amounts(population, "population")
    n = len(population)
    reachable = np.zeros(n, dtype=np.int32)
    if costs is not None:
        if demand_xy is not None or supply_xy is not None:
            raise ValueError("give either costs or coordinates, not both")
        origin, _, _ = _pairs_in_reach(costs, n, None, threshold)
        reachable += np.bincount(origin, minlength=n).astype(np.int32)
    else:
        if demand_xy is None or supply_xy is None:
            raise ValueError("give demand_xy and supply_xy, or costs")
        demand_xy, supply_xy = _check_xy(demand_xy, n, "demand"), _check_xy(supply_xy, None, "supply")
        sorted_reach = np.zeros(n, dtype=np.int32)
        if _use_compiled(backend, demand_xy, supply_xy, threshold):
            from tuoyu.engines.access import _compiled

            index = _compiled_index(demand_xy, supply_xy, threshold)
            _compiled.reach_counts(
                index.x, index.y, index.supply_x, index.supply_y, index.lo, index.hi,
                _squared_limit(threshold), sorted_reach,
            )  # fmt: skip
        else:
            index = strip_index(demand_xy, supply_xy, threshold)
            for _, _, demand_sorted, _, _ in iter_pair_chunks(index):
                sorted_reach += np.bincount(demand_sorted, minlength=n).astype(np.int32)
        reachable[index.order] = sorted_reach
    covered = reachable > 0
    return Coverage(
        threshold=threshold,
        covered=covered,
        reachable=reachable,
        population=float(population.sum()),
        covered_population=float(population[covered].sum()),
    )


def _check_threshold(threshold: float) -> float:
    threshold = float(threshold)
    if not (math.isfinite(threshold) and threshold > 0):
        raise ValueError("threshold must be a positive finite number")
    return threshold


def _check_amounts(values: np.ndarray, name: str) -> np.ndarray:
    array = np.ascontiguousarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    bad = ~(np.isfinite(array) & (array >= 0))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name}[{row}] = {array[row]!r} is not a finite number >= 0")
    return array


def _pairs_in_reach(costs: CostTable, n: int, m: int | None, threshold: float):
    origin, destination, cost = costs.origin, costs.destination, costs.cost
    if len(cost):
        if origin.min() < 0 or origin.max() >= n:
            raise ValueError("costs.origin out of range of the demand cells")
        if destination.min() < 0 or (m is not None and destination.max() >= m):
            raise ValueError("costs.destination out of range of the institutions")
        bad = ~(np.isfinite(cost) & (cost >= 0))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(f"costs.cost[{row}] = {cost[row]!r} is not a finite number >= 0")
        # A repeated pair would count its institution twice for that cell.
        key = np.sort(origin * (int(destination.max()) + 1) + destination)
        if (key[1:] == key[:-1]).any():
            raise ValueError("costs list a (origin, destination) pair more than once")
    keep = cost <= threshold
    return origin[keep], destination[keep], cost[keep]


def _pairs_step(origin, destination, w, population, capacity, three_step, access, reachable, demand):
    n, m = len(population), len(capacity)
    if three_step:
        totals = np.bincount(origin, weights=w, minlength=n)
        with np.errstate(divide="ignore"):
            selection = np.where(totals > 0, 1.0 / totals, 0.0)
        w = w * w * selection[origin]
    demand += np.bincount(destination, weights=population[origin] * w, minlength=m)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(demand > 0, capacity / demand, 0.0)
    access += np.bincount(origin, weights=ratio[destination] * w, minlength=n)
    reachable += np.bincount(origin, minlength=n).astype(np.int32)


def _numpy_run(index: StripIndex, population, capacity, weight: Weight, three_step: bool):
    n, m = len(population), len(capacity)
    access = np.zeros(n)
    reachable = np.zeros(n, dtype=np.int32)
    demand = np.zeros(m)
    selection = None
    if three_step:
        totals = np.zeros(n)
        for _, _, demand_sorted, _, distance in iter_pair_chunks(index):
            totals += np.bincount(demand_sorted, weights=weight(distance), minlength=n)
        with np.errstate(divide="ignore"):
            selection = np.where(totals > 0, 1.0 / totals, 0.0)
    uniform = isinstance(weight, Uniform) and selection is None
    for first, last, demand_sorted, supply, distance in iter_pair_chunks(index):
        local = supply - first
        if uniform:  # weight 1: skip the multiplications
            w = None
            chunk_demand = np.bincount(local, weights=population[demand_sorted], minlength=last - first)
        else:
            w = weight(distance)
            if selection is not None:
                w = w * w * selection[demand_sorted]
            chunk_demand = np.bincount(local, weights=population[demand_sorted] * w, minlength=last - first)
        demand[first:last] = chunk_demand
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(chunk_demand > 0, capacity[first:last] / chunk_demand, 0.0)
        spread = ratio[local] if w is None else ratio[local] * w
        access += np.bincount(demand_sorted, weights=spread, minlength=n)
        reachable += np.bincount(demand_sorted, minlength=n).astype(np.int32)
    return access, reachable, demand


def expected_pairs(demand_xy: np.ndarray, supply_xy: np.ndarray, threshold: float) -> float:
    """Rough count of pairs within ``threshold`` (metres), for choosing a backend.

    It assumes both sets spread evenly over the demand's bounding box; clustered cities have more.
    """
    if len(demand_xy) == 0 or len(supply_xy) == 0:
        return 0.0
    _, (width, height) = _bounds(np.asarray(demand_xy, dtype=np.float64))
    area = (width + 2 * threshold) * (height + 2 * threshold)
    return len(demand_xy) * len(supply_xy) * min(1.0, math.pi * threshold * threshold / area)


def numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:  # numba is optional: the NumPy path gives the same results, slower.
        return False
    return True


def load_compiled(method: str = "2sfca") -> bool:
    """Load numba and, from its cache, the kernels ``method`` runs; False without numba.

    The first compiled call in a process pays this (~0.4 s with a warm cache, the compile time with
    an empty one); a program can pay it on another thread while it reads its inputs. It runs the
    method on two points, so the kernels are loaded for exactly the argument types of a real call.
    """
    if not numba_available():
        return False
    floating_catchment(
        np.ones(2), np.ones(1), 1.0, method=method, demand_xy=np.array([[0.0, 0.0], [3.0, 0.0]]),
        supply_xy=np.array([[0.5, 0.0]]), backend="compiled",
    )  # fmt: skip
    return True


def _use_compiled(backend: str, demand_xy, supply_xy, threshold: float) -> bool:
    if backend not in ("auto", "numpy", "compiled"):
        raise ValueError("backend must be 'auto', 'numpy' or 'compiled'")
    if backend == "compiled" and not numba_available():
        raise ValueError(
            "backend 'compiled' needs numba, which is not installed (pip install 'tuoyu[compiled]')"
        )
    if backend != "auto":
        return backend == "compiled"
    return expected_pairs(demand_xy, supply_xy, threshold) >= COMPILED_MIN_PAIRS and numba_available()


def _check_xy(xy, count: int | None, name: str) -> np.ndarray:
    xy = np.asarray(xy, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2 or (count is not None and len(xy) != count):
        raise ValueError(f"{name}_xy must have shape ({count if count is not None else 'm'}, 2)")
    if not np.isfinite(xy).all():
        finite = np.isfinite(xy).all(axis=1)
        raise ValueError(f"{name}_xy row {int(np.flatnonzero(~finite)[0])} is not finite")
    return xy


def _bounds(xy: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    # Column by column: NumPy reduces an (n, 2) array along axis 0 some 15 times slower.
    x, y = xy[:, 0], xy[:, 1]
    x0, y0 = float(x.min()), float(y.min())
    return (x0, y0), (float(x.max()) - x0, float(y.max()) - y0)


def _compiled_index(demand_xy: np.ndarray, supply_xy: np.ndarray, threshold: float) -> StripIndex:
    from tuoyu.engines.access import _compiled

    n = len(demand_xy)
    supply_order = serpentine(supply_xy, threshold)
    supply_x = np.ascontiguousarray(supply_xy[supply_order, 0])
    supply_y = np.ascontiguousarray(supply_xy[supply_order, 1])
    if n == 0:
        empty = np.zeros((len(supply_x), 0), dtype=np.int64)
        return StripIndex(threshold, np.zeros(0, np.int64), np.zeros(0), np.zeros(0),
                          supply_order, supply_x, supply_y, empty, empty.copy())  # fmt: skip
    (x0, y0), (width, height) = _bounds(demand_xy)
    strip = max(threshold / STRIPS_PER_THRESHOLD, height / max(n, 64))
    n_strips = int(height // strip) + 1
    # Columns of a quarter strip add ~2 % candidates at the ends of runs; at most ~2n cells.
    column = strip / 4
    most = max((2 * n + 1024) // n_strips, 1)
    if int(width // column) + 1 > most:
        column = max(width / max(most - 1, 1), column)
    n_columns = int(width // column) + 1
    per_supply = int(np.ceil(2.0 * threshold / strip)) + 2
    order, x, y, lo, hi = _compiled.cell_runs(
        np.ascontiguousarray(demand_xy[:, 0]), np.ascontiguousarray(demand_xy[:, 1]), supply_x, supply_y,
        threshold, x0, y0, strip, n_strips, column, n_columns, per_supply,
    )  # fmt: skip
    return StripIndex(threshold, order, x, y, supply_order, supply_x, supply_y, lo, hi)


def _squared_limit(limit: float) -> float:
    # The largest double x with sqrt(x) <= limit, so that `d² <= x` is exactly `sqrt(d²) <= limit`.
    x = limit * limit
    while math.sqrt(x) > limit:
        x = math.nextafter(x, -math.inf)
    while math.sqrt(math.nextafter(x, math.inf)) <= limit:
        x = math.nextafter(x, math.inf)
    return x


def _compiled_run(index: StripIndex, population, capacity, weight: Weight, three_step: bool):
    from tuoyu.engines.access import _compiled

    n, m = len(population), len(capacity)
    access = np.zeros(n)
    reachable = np.zeros(n, dtype=np.int32)
    demand = np.zeros(m)
    limit2 = _squared_limit(index.threshold)
    if isinstance(weight, Uniform) and not three_step:
        _compiled.uniform(
            index.x, index.y, population, index.supply_x, index.supply_y, capacity,
            index.lo, index.hi, limit2, access, reachable, demand,
        )  # fmt: skip
        return access, reachable, demand
    if isinstance(weight, Steps):
        kind = _compiled.STEPS
        breaks = np.array([_squared_limit(b) for b in weight.breaks])
        values = np.array(weight.weights)
        two_sigma2 = 1.0
    elif isinstance(weight, Gaussian):
        kind, breaks, values = _compiled.GAUSSIAN, np.zeros(1), np.zeros(1)
        two_sigma2 = 2 * weight.sigma**2
    else:
        kind, breaks, values, two_sigma2 = _compiled.UNIFORM, np.zeros(1), np.zeros(1), 1.0
    selection = np.zeros(0)
    if three_step:
        totals = np.zeros(n)
        _compiled.weight_sums(
            index.x, index.y, index.supply_x, index.supply_y, index.lo, index.hi,
            limit2, kind, breaks, values, two_sigma2, totals,
        )  # fmt: skip
        with np.errstate(divide="ignore"):
            selection = np.where(totals > 0, 1.0 / totals, 0.0)
    _compiled.weighted(
        index.x, index.y, population, selection, three_step, index.supply_x, index.supply_y, capacity,
        index.lo, index.hi, limit2, kind, breaks, values, two_sigma2, access, reachable, demand,
    )  # fmt: skip
    return access, reachable, demand
