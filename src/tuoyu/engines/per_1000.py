"""Places per 1000 residents, the measure the planning documents set their norms and targets in
(P35–P39; N31, N32): defined, rounded and turned into places here only.

One rounding rule: half up to two decimal places, on the exact ratio. The documents state the
measure to two places (Longmatan's 2024 target 4.04, 泸龙府办发〔2023〕6号 §三; the national 2.03,
3.38 and 4.08 of N32; the catalogue's ``decimal`` kind), and a figure shown coarser than the target
beside it misleads: 4.04 against 4.04 would read "4.0", met.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

PER = 1000
DECIMALS = 2
_STEP = Decimal(1).scaleb(-DECIMALS)


def _exact(number: float | int | Decimal) -> Decimal:
    # Through str, so 4.7 is the 4.7 written in the profile, not its binary neighbour.
    return number if isinstance(number, Decimal) else Decimal(str(number))


def rate(places: float | None, population: float | None) -> float | None:
    """Places per 1000 residents, unrounded, to compare with a target; None when the population is
    unknown or 0."""
    if not population:
        return None
    return (places or 0) * PER / population


def rounded(places: float | None, population: float | None) -> Decimal | None:
    """The rate as shown and exported: half up to DECIMALS places (4.045 → 4.05)."""
    if not population:
        return None
    return (_exact(places or 0) * PER / _exact(population)).quantize(_STEP, rounding=ROUND_HALF_UP)


def text(places: float | None, population: float | None) -> str:
    """A measured rate for a table cell: always DECIMALS places ("4.00"), "—" without a population."""
    value = rounded(places, population)
    return "—" if value is None else f"{value:.{DECIMALS}f}"


def stated(value: float | int | Decimal | None) -> str:
    """A norm or target as a document states it, rounded by the same rule: "8", "4.7", "4.04"."""
    if value is None:
        return "—"
    shown = f"{_exact(value).quantize(_STEP, rounding=ROUND_HALF_UP):f}"
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def places_needed(per_1000: float | int | Decimal, population: float | int) -> int:
    """The fewest whole places that reach ``per_1000`` for ``population`` residents: 4.7 per 1000 of
    52 300 residents needs 246 (245.81 rounded up). In decimal, so 4.4 × 50 000 is 220, not 221."""
    return max(0, math.ceil(_exact(per_1000) * _exact(population) / PER))
