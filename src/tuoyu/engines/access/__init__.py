"""Planning engine: catchments, 15-minute coverage, places per 1000, the 2SFCA family, siting.

Pure Python + NumPy (numba, when installed, for large problems; pyproj for lon/lat); no Django.
The public API is what this module exports; docs/access.md describes it.
"""

from tuoyu.engines.access.coords import DATUMS, LocalProjection, gcj02_to_wgs84, to_wgs84, wgs84_to_gcj02
from tuoyu.engines.access.fca import (
    METHODS,
    AccessResult,
    Coverage,
    coverage,
    expected_pairs,
    floating_catchment,
    method_weight,
)
from tuoyu.engines.access.regions import RegionPlaces, places_per_1000
from tuoyu.engines.access.search import CostTable, pairs_within
from tuoyu.engines.access.siting import SiteChoice, SitingResult, suggest_sites
from tuoyu.engines.access.weights import Gaussian, Steps, Uniform, Weight

__all__ = [
    "DATUMS",
    "METHODS",
    "AccessResult",
    "CostTable",
    "Coverage",
    "Gaussian",
    "LocalProjection",
    "RegionPlaces",
    "SiteChoice",
    "SitingResult",
    "Steps",
    "Uniform",
    "Weight",
    "coverage",
    "expected_pairs",
    "floating_catchment",
    "gcj02_to_wgs84",
    "method_weight",
    "pairs_within",
    "places_per_1000",
    "suggest_sites",
    "to_wgs84",
    "wgs84_to_gcj02",
]
