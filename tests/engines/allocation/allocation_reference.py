"""Independent, deliberately plain reference mechanisms and checks for the allocation tests.

Nothing here uses the engine's solver: deferred acceptance is the textbook queue of proposals
(Gale & Shapley 1962), Boston is immediate acceptance round by round (the foil of Abdulkadiroğlu &
Sönmez 2003), and the lottery keys are recomputed with hashlib from the documented formula.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict

from hypothesis import strategies as st

from tuoyu.engines.allocation import Applicant, Priority, Program
from tuoyu.engines.identifiers import age_in_months

ADMISSION = dt.date(2024, 9, 1)
LOWEST = float("inf")


def key_of(seed: str, applicant: Applicant) -> str:
    ident = applicant.lottery_group if applicant.lottery_group is not None else applicant.id
    return hashlib.sha256(f"{seed}:{ident}".encode()).hexdigest()


class Round:
    """One round's inputs, indexed for the reference mechanisms and checks."""

    def __init__(self, programs, applicants, priorities, seed, admission=ADMISSION):
        self.programs = {p.id: p for p in programs}
        self.applicants = list(applicants)
        self.priority = {(r.program, r.applicant): r.priority for r in priorities}
        self.seed = seed
        self.key = {a.id: key_of(seed, a) for a in self.applicants}
        self.admission = admission

    def eligible(self, applicant: Applicant, program: str) -> bool:
        p = self.programs[program]
        if p.min_age_months is None and p.max_age_months is None:
            return True
        age = age_in_months(applicant.birth_date, self.admission)
        low = p.min_age_months if p.min_age_months is not None else -(10**9)
        high = p.max_age_months if p.max_age_months is not None else 10**9
        return low <= age < high

    def eligible_choices(self, applicant: Applicant) -> list[str]:
        return [c for c in applicant.choices if self.eligible(applicant, c)]

    def rank(self, program: str, applicant: Applicant) -> tuple:
        return (self.priority.get((program, applicant.id), LOWEST), self.key[applicant.id], applicant.id)


def reference_da(r: Round) -> dict[str, str | None]:
    """Applicant-proposing deferred acceptance, one proposal at a time."""
    lists = {a.id: r.eligible_choices(a) for a in r.applicants}
    by_id = {a.id: a for a in r.applicants}
    nxt = dict.fromkeys(lists, 0)
    held: dict[str, list[str]] = defaultdict(list)
    free = [a.id for a in r.applicants]
    while free:
        a = free.pop()
        if nxt[a] >= len(lists[a]):
            continue
        p = lists[a][nxt[a]]
        held[p].append(a)
        held[p].sort(key=lambda x, p=p: r.rank(p, by_id[x]))
        if len(held[p]) > r.programs[p].capacity:
            loser = held[p].pop()
            nxt[loser] += 1
            free.append(loser)
    placed: dict[str, str | None] = dict.fromkeys(lists)
    for p, members in held.items():
        for a in members:
            placed[a] = p
    return placed


def boston(r: Round) -> dict[str, str | None]:
    """Immediate acceptance: round k, each unplaced applicant applies to their k-th choice."""
    lists = {a.id: r.eligible_choices(a) for a in r.applicants}
    by_id = {a.id: a for a in r.applicants}
    seats = {p: prog.capacity for p, prog in r.programs.items()}
    placed: dict[str, str | None] = dict.fromkeys(lists)
    longest = max((len(v) for v in lists.values()), default=0)
    for k in range(longest):
        applying: dict[str, list[str]] = defaultdict(list)
        for a, choices in lists.items():
            if placed[a] is None and k < len(choices):
                applying[choices[k]].append(a)
        for p, group in applying.items():
            group.sort(key=lambda x, p=p: r.rank(p, by_id[x]))
            for a in group[: seats[p]]:
                placed[a] = p
            seats[p] -= min(seats[p], len(group))
    return placed


def blocking_pairs(r: Round, placed: dict[str, str | None]) -> list[tuple[str, str]]:
    """(applicant, program) pairs where the applicant prefers the program and it would take them."""
    members: dict[str, list[Applicant]] = defaultdict(list)
    by_id = {a.id: a for a in r.applicants}
    for a, p in placed.items():
        if p is not None:
            members[p].append(by_id[a])
    found = []
    for a in r.applicants:
        for p in r.eligible_choices(a):
            if p == placed[a.id]:
                break
            prog = r.programs[p]
            if len(members[p]) < prog.capacity or any(r.rank(p, a) < r.rank(p, b) for b in members[p]):
                found.append((a.id, p))
    return found


def true_rank(r: Round, applicant: Applicant, program: str | None) -> int:
    """Position of a placement in the applicant's true eligible list; unplaced and unacceptable last."""
    choices = r.eligible_choices(applicant)
    if program is None:
        return len(choices)
    return choices.index(program) if program in choices else len(choices) + 1


# --- random instances ----------------------------------------------------------------------------------

_BANDS = [(None, None), (None, None), (6, 12), (12, 24), (24, 36), (12, None), (None, 24)]


@st.composite
def rounds(draw, max_applicants: int = 9, max_programs: int = 4, bands: bool = True, groups: bool = True):
    """(programs, applicants, priorities, seed) of a small random round."""
    m = draw(st.integers(1, max_programs))
    programs = []
    for j in range(m):
        low, high = draw(st.sampled_from(_BANDS)) if bands else (None, None)
        programs.append(Program(f"P{j}", draw(st.integers(0, 3)), low, high))
    ids = [p.id for p in programs]
    n = draw(st.integers(0, max_applicants))
    rows = []
    for i in range(n):
        order = draw(st.permutations(ids))
        length = draw(st.integers(0, m))
        months = draw(st.integers(0, 40))
        day = draw(st.integers(1, 28))
        year, month = divmod(ADMISSION.year * 12 + ADMISSION.month - 1 - months, 12)
        group = None
        if groups and rows and draw(st.integers(0, 4)) == 0:
            previous = rows[-1]
            group = previous["group"] or previous["id"]
            previous["group"] = group
        rows.append(
            {
                "id": f"A{i}",
                "choices": tuple(order[:length]),
                "birth": dt.date(year, month + 1, day),
                "group": group,
            }
        )
    applicants = [Applicant(r["id"], r["choices"], r["birth"], r["group"]) for r in rows]
    priorities = []
    for a in applicants:
        for p in ids:
            if draw(st.integers(0, 3)) == 0:
                priorities.append(Priority(p, a.id, draw(st.integers(-1, 2))))
    seed = draw(st.text(alphabet="abcdef0123456789", min_size=1, max_size=8))
    return programs, applicants, priorities, seed


def random_round(rng: random.Random, n: int, m: int, *, max_choices: int = 5, priority_share: float = 0.2):
    """A larger random round with popular programs and scarce seats (numbers from ``rng``)."""
    weights = [rng.lognormvariate(0, 1) for _ in range(m)]
    total = sum(weights)
    programs = [
        Program(f"P{j}", max(0, round(0.7 * n * w / total + rng.uniform(-1, 1))))
        for j, w in enumerate(weights)
    ]
    ids = [p.id for p in programs]
    applicants = []
    priorities = []
    for i in range(n):
        wanted = rng.randint(1, max_choices)
        choices: list[str] = []
        while len(choices) < min(wanted, m):
            pick = rng.choices(ids, weights)[0]
            if pick not in choices:
                choices.append(pick)
        applicants.append(Applicant(f"A{i}", tuple(choices)))
        for p in choices:
            if rng.random() < priority_share:
                priorities.append(Priority(p, f"A{i}", rng.randint(0, 2)))
    return programs, applicants, priorities
