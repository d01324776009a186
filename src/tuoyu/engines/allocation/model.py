"""The allocation engine's data: what goes in (programs, applicants, priorities) and what comes out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


# Priorities are 32-bit signed integers so that "no priority row" can sit strictly below all of them.
PRIORITY_MIN = -(2**31)
PRIORITY_MAX = 2**31 - 1


class AllocationInputError(ValueError):
    """Input the engine cannot allocate, with a Chinese and an English reason.

    ``table`` is ``"programs"``, ``"applicants"``, ``"priorities"`` (or, from the CSV readers,
    ``"result"``, ``"cutoffs"``) or ``None`` (the round itself, e.g. the seed); ``row`` is the 0-based
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
class Program:
    """A class (托班) that admits applicants: ``capacity`` places, optionally an age band.

    The age band is half-open, in completed months on the round's admission date:
    ``min_age_months <= age < max_age_months``; either end may be ``None`` (unbounded), so the
    classes 6–12, 12–24 and 24–36 months do not overlap.
    """

    id: str
    capacity: int
    min_age_months: int | None = None
    max_age_months: int | None = None

    @property
    def has_age_band(self) -> bool:
        return self.min_age_months is not None or self.max_age_months is not None

    def admits_age(self, age_months: int) -> bool:
        if self.min_age_months is not None and age_months < self.min_age_months:
            return False
        return self.max_age_months is None or age_months < self.max_age_months


@dataclass(frozen=True, slots=True)
class Applicant:
    """One child's application: program ids, most preferred first.

    ``lottery_group`` joins children who apply together (twins, siblings): every member's lottery key
    is the key of the group id instead of their own id, so they sit next to each other in every
    program where they have the same priority. The group id must not be the id of an applicant
    outside the group; using the application number of one member is the convention.
    """

    id: str
    choices: tuple[str, ...]
    birth_date: dt.date | None = None
    lottery_group: str | None = None

    @property
    def lottery_identity(self) -> str:
        return self.lottery_group if self.lottery_group is not None else self.id


@dataclass(frozen=True, slots=True)
class Priority:
    """The applicant's priority group at one program: lower is served first.

    An applicant with no ``Priority`` for a program is in that program's lowest group, below every
    listed value. Values are 32-bit signed integers.
    """

    program: str
    applicant: str
    priority: int


@dataclass(frozen=True, slots=True)
class Cutoff:
    """What a program publishes with the result so each family can check its own placement.

    When ``admitted < capacity`` the program has seats left and every eligible applicant who ranked it
    clears it. Otherwise the last admitted applicant is given by (``priority``, ``lottery``,
    ``applicant``); ``priority`` ``None`` means the lowest group (no priority row). A program with
    capacity 0 has no last admitted applicant and nobody clears it.
    """

    program: str
    capacity: int
    admitted: int
    priority: int | None = None
    lottery: str | None = None
    applicant: str | None = None

    @property
    def has_seats_left(self) -> bool:
        return self.admitted < self.capacity


class ProgramColumns(Sequence[Program]):
    """Programs stored column by column — what the CSV reader builds; still a ``Sequence[Program]``."""

    __slots__ = ("capacity", "ids", "max_age_months", "min_age_months")

    def __init__(
        self,
        ids: list[str],
        capacity: list[int],
        min_age_months: list[int | None] | None = None,
        max_age_months: list[int | None] | None = None,
    ):
        self.ids = ids
        self.capacity = capacity
        self.min_age_months = min_age_months if min_age_months is not None else [None] * len(ids)
        self.max_age_months = max_age_months if max_age_months is not None else [None] * len(ids)

    @classmethod
    def of(cls, programs: Sequence[Program]) -> ProgramColumns:
        if isinstance(programs, cls):
            return programs
        return cls(
            [p.id for p in programs],
            [p.capacity for p in programs],
            [p.min_age_months for p in programs],
            [p.max_age_months for p in programs],
        )

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return Program(self.ids[i], self.capacity[i], self.min_age_months[i], self.max_age_months[i])


class ApplicantColumns(Sequence[Applicant]):
    """Applicants stored column by column — what the CSV reader builds; still a ``Sequence[Applicant]``."""

    __slots__ = ("birth_dates", "choices", "ids", "lottery_groups")

    def __init__(
        self,
        ids: list[str],
        choices: list[Sequence[str]],
        birth_dates: list[dt.date | None] | None = None,
        lottery_groups: list[str | None] | None = None,
    ):
        self.ids = ids
        self.choices = choices
        self.birth_dates = birth_dates if birth_dates is not None else [None] * len(ids)
        self.lottery_groups = lottery_groups if lottery_groups is not None else [None] * len(ids)

    @classmethod
    def of(cls, applicants: Sequence[Applicant]) -> ApplicantColumns:
        if isinstance(applicants, cls):
            return applicants
        return cls(
            [a.id for a in applicants],
            [a.choices for a in applicants],
            [a.birth_date for a in applicants],
            [a.lottery_group for a in applicants],
        )

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return Applicant(self.ids[i], tuple(self.choices[i]), self.birth_dates[i], self.lottery_groups[i])


class PriorityColumns(Sequence[Priority]):
    """Priority rows stored column by column — what the CSV reader builds; still a ``Sequence[Priority]``."""

    __slots__ = ("applicants", "priorities", "programs")

    def __init__(self, programs: list[str], applicants: list[str], priorities: list[int]):
        self.programs = programs
        self.applicants = applicants
        self.priorities = priorities

    @classmethod
    def of(cls, rows: Sequence[Priority]) -> PriorityColumns:
        if isinstance(rows, cls):
            return rows
        return cls([r.program for r in rows], [r.applicant for r in rows], [r.priority for r in rows])

    def __len__(self) -> int:
        return len(self.programs)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return Priority(self.programs[i], self.applicants[i], self.priorities[i])


class ChoiceStatus(StrEnum):
    PLACED = "placed"
    WAITLISTED = "waitlisted"  # ranked above the placement (or no placement); a rank on the waitlist
    NOT_REACHED = "not_reached"  # ranked below the placement
    INELIGIBLE = "ineligible"  # outside the program's age band on the admission date: skipped


@dataclass(frozen=True, slots=True)
class ChoiceOutcome:
    program: str
    status: ChoiceStatus
    waitlist_rank: int | None = None  # 1-based, only for WAITLISTED


@dataclass(frozen=True, slots=True)
class Instance:
    """An allocation problem compiled to arrays (built by ``mechanism.compile_instance``).

    Pairs are the eligible (applicant, program) choices in compressed rows: applicant ``i`` owns
    pairs ``ptr[i] .. ptr[i+1]-1`` in their order of preference. ``pair_rank`` is each pair's position
    in one global order sorted by (program, priority, lottery key, applicant id).
    """

    seed: str
    program_ids: tuple[str, ...]
    capacity: np.ndarray  # int64[m]
    applicant_ids: tuple[str, ...]
    choices: Sequence[Sequence[str]]  # as given, including ineligible choices; never modified
    keys: tuple[str, ...]  # lottery key of each applicant (the group's key for group members)
    ptr: np.ndarray  # int64[n+1]
    pair_program: np.ndarray  # int64[P]
    pair_choice: np.ndarray  # int64[P]: position of the pair in the applicant's own list
    pair_priority: np.ndarray  # int64[P]: PRIORITY_MAX + 1 for "no priority row"
    pair_rank: np.ndarray  # int64[P]
    ineligible: np.ndarray  # int64[k, 2]: (applicant index, choice position) of choices skipped for age


@dataclass(frozen=True)
class Result:
    """The outcome of one draw, aligned with the input order of applicants and programs.

    ``placements[i]`` is the program of ``applicant_ids[i]`` (``None``: unplaced) and
    ``lottery_keys[i]`` its lottery key. The matching is the applicant-optimal stable matching:
    every applicant is placed at the first of their eligible choices whose cutoff they clear.
    """

    seed: str
    applicant_ids: tuple[str, ...]
    program_ids: tuple[str, ...]
    placements: tuple[str | None, ...]
    lottery_keys: tuple[str, ...]
    cutoffs: tuple[Cutoff, ...]
    _instance: Instance = field(repr=False, compare=False)
    _held_pair: np.ndarray = field(repr=False, compare=False)
    _waitlist_rank: np.ndarray = field(repr=False, compare=False)  # int64[P], 0 unless waitlisted

    @cached_property
    def assignment(self) -> dict[str, str | None]:
        return dict(zip(self.applicant_ids, self.placements, strict=True))

    @cached_property
    def keys(self) -> dict[str, str]:
        return dict(zip(self.applicant_ids, self.lottery_keys, strict=True))

    @cached_property
    def cutoff(self) -> dict[str, Cutoff]:
        return {c.program: c for c in self.cutoffs}

    @cached_property
    def _applicant_index(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.applicant_ids)}

    @property
    def placed_count(self) -> int:
        return int((self._held_pair >= 0).sum())

    def outcomes(self, applicant: str) -> tuple[ChoiceOutcome, ...]:
        """Each of the applicant's choices, in their order, with what happened to it."""
        inst = self._instance
        i = self._applicant_index[applicant]
        choices = inst.choices[i]
        statuses: list[ChoiceOutcome | None] = [None] * len(choices)
        held = int(self._held_pair[i])
        for k in range(int(inst.ptr[i]), int(inst.ptr[i + 1])):
            position = int(inst.pair_choice[k])
            rank = int(self._waitlist_rank[k])
            if k == held:
                outcome = ChoiceOutcome(choices[position], ChoiceStatus.PLACED)
            elif rank:
                outcome = ChoiceOutcome(choices[position], ChoiceStatus.WAITLISTED, rank)
            else:
                outcome = ChoiceOutcome(choices[position], ChoiceStatus.NOT_REACHED)
            statuses[position] = outcome
        return tuple(
            s if s is not None else ChoiceOutcome(choices[p], ChoiceStatus.INELIGIBLE)
            for p, s in enumerate(statuses)
        )

    def skipped(self, applicant: str) -> tuple[str, ...]:
        """The applicant's choices that were skipped because the child is outside the age band."""
        return tuple(o.program for o in self.outcomes(applicant) if o.status is ChoiceStatus.INELIGIBLE)

    @property
    def ineligible_count(self) -> int:
        """How many choices were skipped because the child is outside the age band."""
        return int(self._instance.ineligible.shape[0])

    @cached_property
    def ineligible_choices(self) -> tuple[tuple[str, str], ...]:
        """Every skipped (applicant, program) choice, in input order."""
        inst = self._instance
        return tuple((inst.applicant_ids[i], inst.choices[i][c]) for i, c in inst.ineligible.tolist())

    def eligible_choices(self, applicant: str) -> tuple[str, ...]:
        """The applicant's choices whose age band admits the child, in their order."""
        return tuple(o.program for o in self.outcomes(applicant) if o.status is not ChoiceStatus.INELIGIBLE)

    def priorities_of(self, applicant: str) -> dict[str, int]:
        """The applicant's priority at each eligible choice where it has one (absent: lowest group)."""
        inst = self._instance
        i = self._applicant_index[applicant]
        found = {}
        for k in range(int(inst.ptr[i]), int(inst.ptr[i + 1])):
            value = int(inst.pair_priority[k])
            if value <= PRIORITY_MAX:
                found[inst.program_ids[inst.pair_program[k]]] = value
        return found

    def waitlist_rank(self, applicant: str, program: str) -> int | None:
        """1-based rank on the program's waitlist, or ``None`` if not on it."""
        for outcome in self.outcomes(applicant):
            if outcome.program == program:
                return outcome.waitlist_rank
        return None

    @cached_property
    def waitlists(self) -> dict[str, tuple[str, ...]]:
        """Per program, in order: the eligible applicants who ranked it above their placement."""
        import numpy as np  # only results use it, and a result was computed with it

        inst = self._instance
        pairs = np.flatnonzero(self._waitlist_rank)
        order = pairs[np.argsort(inst.pair_rank[pairs], kind="stable")]
        applicant_of_pair = np.repeat(np.arange(len(inst.applicant_ids)), np.diff(inst.ptr))
        lists: dict[str, list[str]] = {p: [] for p in inst.program_ids}
        for k in order.tolist():
            lists[inst.program_ids[inst.pair_program[k]]].append(inst.applicant_ids[applicant_of_pair[k]])
        return {p: tuple(v) for p, v in lists.items()}
