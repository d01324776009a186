"""Random inspections (双随机一公开, P26): the verifiable draw of institutions and inspection teams.

Public API (the ``tuoyu inspect`` command uses only this):

- data: ``Institution``, ``Inspector``, ``Conflict`` in; ``Draw``, ``Team``, ``Quota`` out;
  ``InspectionInputError`` for input that allows no complete draw.
- ``draw(institutions, inspectors, *, targets, team_size, seed, joint=(), conflicts=())`` → ``Draw``;
  the algorithm, precisely enough to re-implement it, is the docstring of ``inspection.draw``.
- ``compare(draw, published_teams)`` → the ``Discrepancy`` list (empty when a published draw reproduces).
- ``csvio``: the published file formats, read and written byte-identically.

The seed is derived and committed to as for the lotteries (``allocation.derive_seed``,
``allocation.commitment``).
"""

from tuoyu.engines.inspection.draw import compare, draw
from tuoyu.engines.inspection.model import (
    Conflict,
    Discrepancy,
    Draw,
    InspectionInputError,
    Inspector,
    Institution,
    Quota,
    Team,
)

__all__ = [
    "Conflict",
    "Discrepancy",
    "Draw",
    "InspectionInputError",
    "Inspector",
    "Institution",
    "Quota",
    "Team",
    "compare",
    "draw",
]
