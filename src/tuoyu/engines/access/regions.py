"""Places per 1000 residents by region (subdistrict, county …) against a target."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tuoyu.engines.per_1000 import PER, places_needed


@dataclass(frozen=True, eq=False)
class RegionPlaces:
    """Places and residents per region, in the order the regions were given.

    - ``population``: residents; ``places``: sum of institution capacities in the region.
    - ``per_1000``: places per 1000 residents, NaN where the population is 0.
    - ``target_per_1000``: NaN where the region has no target.
    - ``target_places``: the fewest whole places that reach the target, ceil(target × population /
      1000); NaN where no target.
    - ``shortfall``: places still missing to reach the target (0 when met or when no target).
    """

    region: tuple[Hashable, ...]
    population: np.ndarray
    places: np.ndarray
    per_1000: np.ndarray
    target_per_1000: np.ndarray
    target_places: np.ndarray
    shortfall: np.ndarray

    def position(self, region: Hashable) -> int:
        return self.region.index(region)

    def with_places(self, places: np.ndarray) -> RegionPlaces:
        """The same regions and targets with other place counts (e.g. after siting)."""
        return _table(
            self.region, self.population, np.asarray(places, dtype=np.float64), self.target_per_1000
        )


def places_per_1000(
    region_population: Mapping[Hashable, float],
    institution_region: Sequence[Hashable],
    capacity: np.ndarray,
    targets_per_1000: Mapping[Hashable, float] | float | None = None,
) -> RegionPlaces:
    """Places per 1000 residents for each region of ``region_population`` (residents, >= 0).

    ``institution_region[j]`` is the region of institution ``j`` with ``capacity[j]`` places (>= 0);
    every such region must be listed in ``region_population``. ``targets_per_1000`` is one target
    for all regions, a mapping (regions left out have none), or None.
    """
    regions = tuple(region_population)
    population = np.array([float(region_population[r]) for r in regions], dtype=np.float64)
    bad = ~(np.isfinite(population) & (population >= 0))
    if bad.any():
        raise ValueError(f"population of region {regions[int(np.flatnonzero(bad)[0])]!r} is not >= 0")
    capacity = np.asarray(capacity, dtype=np.float64)
    if capacity.shape != (len(institution_region),):
        raise ValueError("institution_region and capacity differ in length")
    if not (np.isfinite(capacity) & (capacity >= 0)).all():
        raise ValueError("capacity must be finite and >= 0")
    position = {r: k for k, r in enumerate(regions)}
    try:
        where = np.fromiter((position[r] for r in institution_region), dtype=np.int64, count=len(capacity))
    except KeyError as missing:
        raise ValueError(f"institution in unknown region {missing.args[0]!r}") from None
    places = np.bincount(where, weights=capacity, minlength=len(regions))

    if targets_per_1000 is None:
        target = np.full(len(regions), np.nan)
    elif isinstance(targets_per_1000, Mapping):
        unknown = set(targets_per_1000) - set(position)
        if unknown:
            raise ValueError(f"target for unknown region {sorted(map(str, unknown))[0]!r}")
        target = np.array([float(targets_per_1000.get(r, math.nan)) for r in regions])
    else:
        target = np.full(len(regions), float(targets_per_1000))
    if (target[~np.isnan(target)] < 0).any() or np.isinf(target).any():
        raise ValueError("targets must be finite and >= 0")
    return _table(regions, population, places, target)


def _table(regions, population, places, target) -> RegionPlaces:
    with np.errstate(divide="ignore", invalid="ignore"):
        per_1000 = np.where(population > 0, places * float(PER) / population, np.nan)
    # Whole places, counted as the planning pages count them (one region at a time: regions are few).
    needed = np.array(
        [
            math.nan if math.isnan(t) else float(places_needed(t, n))
            for t, n in zip(target.tolist(), population.tolist(), strict=True)
        ],
        dtype=np.float64,
    )
    shortfall = np.where(np.isnan(needed), 0.0, np.maximum(needed - places, 0.0))
    return RegionPlaces(
        region=tuple(regions),
        population=population,
        places=places,
        per_1000=per_1000,
        target_per_1000=target,
        target_places=needed,
        shortfall=shortfall,
    )
