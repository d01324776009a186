"""Distance-decay weights of the floating catchment methods, as in PySAL ``access.weights``."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

# Luo & Qi (2009) E2SFCA: three equal travel-time zones of a 30-minute catchment weighted 1, 0.68,
# 0.22 -- the default of ``access.enhanced_two_stage_fca``; here the zones are thirds of the threshold.
_LUO_QI = ((1 / 3, 1.0), (2 / 3, 0.68), (1.0, 0.22))
# Wan, Zou & Sternberg (2012) 3SFCA: zones 0-10, 10-20, 20-30, 30-60 minutes of a 60-minute
# catchment -- the default of ``access.three_stage_fca``; here as fractions of the threshold.
_WAN = ((1 / 6, 0.962), (1 / 3, 0.704), (1 / 2, 0.377), (1.0, 0.042))


@dataclass(frozen=True)
class Uniform:
    """Weight 1 for every pair within the threshold (the original 2SFCA)."""

    def __call__(self, cost: np.ndarray) -> np.ndarray:
        return np.ones_like(np.asarray(cost, dtype=np.float64))


@dataclass(frozen=True)
class Steps:
    """Step weights: ``weights[k]`` for ``breaks[k-1] < cost <= breaks[k]``, 0 beyond the last break.

    ``breaks`` are strictly increasing and positive, in the unit of the cost; ``weights`` are >= 0.
    Same rule as ``access.weights.step_fn``.
    """

    breaks: tuple[float, ...]
    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        breaks = tuple(float(b) for b in self.breaks)
        weights = tuple(float(w) for w in self.weights)
        if not breaks or len(breaks) != len(weights):
            raise ValueError("steps need as many weights as breaks, at least one")
        if not all(math.isfinite(b) and b > 0 for b in breaks):
            raise ValueError("step breaks must be positive and finite")
        if any(b2 <= b1 for b1, b2 in itertools.pairwise(breaks)):
            raise ValueError("step breaks must be strictly increasing")
        if not all(math.isfinite(w) and w >= 0 for w in weights):
            raise ValueError("step weights must be finite and not negative")
        object.__setattr__(self, "breaks", breaks)
        object.__setattr__(self, "weights", weights)

    @classmethod
    def luo_qi(cls, threshold: float) -> Steps:
        """Luo & Qi's 1 / 0.68 / 0.22 over thirds of ``threshold`` (the E2SFCA default)."""
        return cls(tuple(f * threshold for f, _ in _LUO_QI), tuple(w for _, w in _LUO_QI))

    @classmethod
    def wan(cls, threshold: float) -> Steps:
        """Wan et al.'s 0.962 / 0.704 / 0.377 / 0.042 zones scaled to ``threshold`` (3SFCA default)."""
        return cls(tuple(f * threshold for f, _ in _WAN), tuple(w for _, w in _WAN))

    def __call__(self, cost: np.ndarray) -> np.ndarray:
        cost = np.asarray(cost, dtype=np.float64)
        table = np.append(np.asarray(self.weights), 0.0)
        # side="left": a cost equal to a break takes that break's weight (cost <= break).
        return table[np.searchsorted(np.asarray(self.breaks), cost, side="left")]


@dataclass(frozen=True)
class Gaussian:
    """``exp(-cost² / (2 sigma²))``, 1 at cost 0, not normalised (as ``access.weights.gaussian``)."""

    sigma: float

    def __post_init__(self) -> None:
        sigma = float(self.sigma)
        if not (math.isfinite(sigma) and sigma > 0):
            raise ValueError("sigma must be positive and finite")
        object.__setattr__(self, "sigma", sigma)

    def __call__(self, cost: np.ndarray) -> np.ndarray:
        cost = np.asarray(cost, dtype=np.float64)
        # The same operations in the same order as access.weights.gaussian.
        return np.exp(-cost * cost / (2 * self.sigma**2))


Weight = Uniform | Steps | Gaussian
