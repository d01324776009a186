"""The inspection draw's data: the pools and conflicts that go in, the teams that come out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class InspectionInputError(ValueError):
    """Input the engine cannot draw from, with a Chinese and an English reason.

    ``table`` is ``"institutions"``, ``"inspectors"``, ``"conflicts"``, ``"draw"`` (a published draw)
    or ``None`` (the draw itself: the seed, the numbers, the pool as a whole); ``row`` is the 0-based
    position of the offending item in the sequence passed in, so a caller that read the items from a
    file can name the line; the CSV readers set ``line`` (1-based, the header is line 1) instead.
    """

    def __init__(
        self, zh: str, en: str, *, table: str | None = None, row: int | None = None, line: int | None = None
    ):
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.table = table
        self.row = row
        self.line = line


@dataclass(frozen=True, slots=True)
class Institution:
    """An institution in the pool; ``stratum`` (risk level, rating, model …) or ``None``."""

    id: str
    stratum: str | None = None


@dataclass(frozen=True, slots=True)
class Inspector:
    """An inspector; ``department`` is a code of ``vocabulary.DEPARTMENTS`` (``health``, ``fire`` …)."""

    id: str
    department: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """The inspector must not inspect the institution (paired with it, worked there, inspected it last)."""

    inspector: str
    institution: str


@dataclass(frozen=True, slots=True)
class Team:
    """One drawn institution and its inspectors, in the order they were chosen."""

    institution: str
    inspectors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quota:
    """How many targets a stratum received, of how many institutions (``stratum`` ``None``: unnamed)."""

    stratum: str | None
    size: int
    targets: int


@dataclass(frozen=True)
class Draw:
    """A complete draw.

    ``teams`` in draw order (one per target); ``quotas`` per stratum in order of first appearance;
    ``loads`` maps every inspector, in input order, to the number of teams they are on;
    ``load_floor`` and ``load_ceiling`` are the bounds every load was kept within (module ``draw``).
    """

    seed: str
    teams: tuple[Team, ...]
    quotas: tuple[Quota, ...]
    loads: Mapping[str, int]
    load_floor: int
    load_ceiling: int


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One way a published draw differs from its recomputation; ``subject`` is an institution or ``"order"``."""

    subject: str
    zh: str
    en: str
