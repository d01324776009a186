"""Where to add new places: greedy budgeted maximal covering with places-per-1000 targets.

Each candidate site k offers ``places[k]`` new places in region r(k). Choosing a set S of sites within
the budget (Σ places ≤ budget), the objective is

    f(S) = population newly within the threshold of some institution
           + target_weight × Σ_r min(shortfall_r, places added in r by S)

i.e. the 15-minute coverage gained (001 §一) plus the places that close a region's gap to its
places-per-1000 target (P35–P39), a place and a newly covered person counting alike by default.
Both terms are monotone submodular, so f is: greedy choice gives f(S) ≥ (1 − 1/e)·OPT when all
sites offer the same number of places (a cardinality constraint; Nemhauser, Wolsey & Fisher 1978),
and the better of the cost-benefit and the plain greedy gives f(S) ≥ ½(1 − 1/e)·OPT for any sizes
(Leskovec et al. 2007). The result also carries an a-posteriori upper bound on OPT.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tuoyu.engines.access.fca import coverage
from tuoyu.engines.access.regions import RegionPlaces, places_per_1000
from tuoyu.engines.access.search import pairs_within


@dataclass(frozen=True)
class SiteChoice:
    """One chosen site: its index in the candidate arrays and what it adds."""

    candidate: int
    region: Hashable
    places: float
    newly_covered_population: float
    places_toward_target: float


@dataclass(frozen=True, eq=False)
class SitingResult:
    """The chosen sites in the order the greedy took them, and the situation before and after.

    ``objective`` is f of the chosen set; ``upper_bound`` ≥ the best f any set within the budget
    reaches (so ``objective / upper_bound`` is a proven quality ratio for this instance);
    ``guarantee`` is the a-priori ratio, 1 − 1/e or ½(1 − 1/e).
    ``covered_after`` flags demand cells within the threshold once the sites are built.
    """

    sites: tuple[SiteChoice, ...]
    budget: float
    places_used: float
    population: float
    covered_population_before: float
    covered_population_after: float
    covered_after: np.ndarray
    regions_before: RegionPlaces
    regions_after: RegionPlaces
    objective: float
    upper_bound: float
    guarantee: float

    @property
    def covered_share_before(self) -> float:
        return self.covered_population_before / self.population if self.population > 0 else math.nan

    @property
    def covered_share_after(self) -> float:
        return self.covered_population_after / self.population if self.population > 0 else math.nan


def suggest_sites(
    *,
    demand_xy: np.ndarray,
    population: np.ndarray,
    supply_xy: np.ndarray,
    capacity: np.ndarray,
    supply_region: Sequence[Hashable],
    candidate_xy: np.ndarray,
    candidate_region: Sequence[Hashable],
    candidate_places: np.ndarray | float,
    budget: float,
    threshold: float,
    region_population: Mapping[Hashable, float],
    targets_per_1000: Mapping[Hashable, float] | float | None = None,
    target_weight: float = 1.0,
) -> SitingResult:
    """Choose candidate sites for at most ``budget`` new places (greedy; see the module docstring).

    Coordinates in projected metres, ``threshold`` in metres (the care-circle radius). ``population``
    is per demand cell (the people coverage counts); ``region_population`` the residents per region
    that places per 1000 is measured against; existing institutions have ``capacity`` and
    ``supply_region``. ``candidate_places``: places each candidate site would add (> 0).
    """
    population = np.asarray(population, dtype=np.float64)
    candidate_xy = np.asarray(candidate_xy, dtype=np.float64).reshape(-1, 2)
    n_candidates = len(candidate_xy)
    places = np.broadcast_to(np.asarray(candidate_places, dtype=np.float64), (n_candidates,)).copy()
    if not (np.isfinite(places) & (places > 0)).all():
        raise ValueError("candidate_places must be finite and > 0")
    if len(candidate_region) != n_candidates:
        raise ValueError("candidate_region and candidate_xy differ in length")
    budget = float(budget)
    if not (math.isfinite(budget) and budget >= 0):
        raise ValueError("budget must be finite and >= 0")
    target_weight = float(target_weight)
    if not (math.isfinite(target_weight) and target_weight >= 0):
        raise ValueError("target_weight must be finite and >= 0")

    before = places_per_1000(region_population, supply_region, capacity, targets_per_1000)
    try:
        candidate_position = np.array([before.position(r) for r in candidate_region], dtype=np.int64)
    except ValueError:
        unknown = next(r for r in candidate_region if r not in before.region)
        raise ValueError(f"candidate in unknown region {unknown!r}") from None
    reach = coverage(population, threshold, demand_xy=demand_xy, supply_xy=supply_xy)
    uncovered = np.flatnonzero(~reach.covered)
    pairs = pairs_within(np.asarray(demand_xy, dtype=np.float64)[uncovered], candidate_xy, threshold)
    by_candidate = np.argsort(pairs.destination, kind="stable")
    cells = uncovered[pairs.origin[by_candidate]]
    starts = np.searchsorted(pairs.destination[by_candidate], np.arange(n_candidates + 1))

    problem = _Problem(
        population=population,
        cells=cells,
        starts=starts,
        places=places,
        region=candidate_position,
        shortfall=before.shortfall,
        target_weight=target_weight,
    )
    plain = problem.greedy(budget, per_place=False)
    per_place = problem.greedy(budget, per_place=True)
    chosen = per_place if problem.value(per_place) > problem.value(plain) else plain
    uniform = n_candidates == 0 or bool((places == places[0]).all())

    newly = np.zeros(len(population), dtype=bool)
    added = np.zeros(len(before.region))
    remaining = before.shortfall.copy()
    sites = []
    for k in chosen:
        own = cells[starts[k] : starts[k + 1]]
        fresh = own[~newly[own]]
        newly[fresh] = True
        toward = min(places[k], remaining[candidate_position[k]])
        remaining[candidate_position[k]] -= toward
        added[candidate_position[k]] += places[k]
        sites.append(
            SiteChoice(
                candidate=int(k),
                region=candidate_region[k],
                places=float(places[k]),
                newly_covered_population=float(population[fresh].sum()),
                places_toward_target=float(toward),
            )
        )
    covered_after = reach.covered | newly
    objective = problem.value(chosen)
    return SitingResult(
        sites=tuple(sites),
        budget=budget,
        places_used=float(places[chosen].sum()) if chosen else 0.0,
        population=reach.population,
        covered_population_before=reach.covered_population,
        covered_population_after=float(population[covered_after].sum()),
        covered_after=covered_after,
        regions_before=before,
        regions_after=before.with_places(before.places + added),
        objective=objective,
        upper_bound=objective + problem.knapsack_bound(chosen, budget),
        guarantee=(1 - 1 / math.e) if uniform else (1 - 1 / math.e) / 2,
    )


@dataclass
class _Problem:
    population: np.ndarray
    cells: np.ndarray  # uncovered demand cells within reach of candidate k: cells[starts[k]:starts[k+1]]
    starts: np.ndarray
    places: np.ndarray
    region: np.ndarray
    shortfall: np.ndarray
    target_weight: float

    def _gain(self, k: int, covered: np.ndarray, remaining: np.ndarray) -> float:
        own = self.cells[self.starts[k] : self.starts[k + 1]]
        people = float(self.population[own[~covered[own]]].sum())
        return people + self.target_weight * min(self.places[k], remaining[self.region[k]])

    def greedy(self, budget: float, *, per_place: bool) -> list[int]:
        # Lazy greedy (Minoux 1978): a gain computed earlier is an upper bound on the gain now, so a
        # candidate whose fresh gain still tops the heap is the true best.
        covered = np.zeros(len(self.population), dtype=bool)
        remaining = self.shortfall.copy()
        left = budget
        chosen: list[int] = []
        heap = []
        for k in range(len(self.places)):
            gain = self._gain(k, covered, remaining)
            key = gain / self.places[k] if per_place else gain
            heap.append((-key, k, 0))
        heapq.heapify(heap)
        while heap:
            negative_key, k, stamp = heapq.heappop(heap)
            if self.places[k] > left:
                continue  # the budget only shrinks: this site never fits again
            if -negative_key <= 0:
                break
            if stamp != len(chosen):
                gain = self._gain(k, covered, remaining)
                key = gain / self.places[k] if per_place else gain
                heapq.heappush(heap, (-key, k, len(chosen)))
                continue
            chosen.append(k)
            left -= self.places[k]
            own = self.cells[self.starts[k] : self.starts[k + 1]]
            covered[own] = True
            remaining[self.region[k]] -= min(self.places[k], remaining[self.region[k]])
        return chosen

    def _state(self, chosen: list[int]):
        covered = np.zeros(len(self.population), dtype=bool)
        remaining = self.shortfall.copy()
        for k in chosen:
            covered[self.cells[self.starts[k] : self.starts[k + 1]]] = True
            remaining[self.region[k]] -= min(self.places[k], remaining[self.region[k]])
        return covered, remaining

    def value(self, chosen: list[int]) -> float:
        covered, remaining = self._state(chosen)
        closed = float((self.shortfall - remaining).sum())
        return float(self.population[covered].sum()) + self.target_weight * closed

    def knapsack_bound(self, chosen: list[int], budget: float) -> float:
        # OPT <= f(S) + Σ_{k in OPT} gain_k(S) (submodularity), and the sum is at most the best
        # fractional knapsack of the gains within the whole budget (Leskovec et al. 2007, thm. 4).
        covered, remaining = self._state(chosen)
        gains = np.array([self._gain(k, covered, remaining) for k in range(len(self.places))])
        order = np.argsort(-gains / self.places, kind="stable")
        bound, left = 0.0, budget
        for k in order:
            if gains[k] <= 0 or left <= 0:
                break
            take = min(1.0, left / self.places[k])
            bound += take * gains[k]
            left -= take * self.places[k]
        return bound
