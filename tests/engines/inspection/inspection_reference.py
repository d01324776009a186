"""The draw re-implemented from the docstring of ``tuoyu.engines.inspection.draw`` alone, by brute force.

It shares no code with the engine (not even the key function) and decides "some valid assignment
exists" by enumerating every assignment, so it only runs on tiny pools; agreeing with the engine
shows that the docstring is precise enough to verify a published draw.
"""

from __future__ import annotations

import hashlib
from itertools import combinations, product

from tuoyu.engines.inspection import Conflict, Inspector, Institution


def key(seed: str, text: str) -> str:
    return hashlib.sha256(f"{seed}:{text}".encode()).hexdigest()


def pool_allows_a_draw(institutions, inspectors, team_size, joint, conflicts) -> bool:
    banned = {(c.inspector, c.institution) for c in conflicts}
    if not len(joint) <= team_size <= len(inspectors):
        return False
    for institution in institutions:
        free = [p for p in inspectors if (p.id, institution.id) not in banned]
        if len(free) < team_size or any(all(p.department != d for p in free) for d in joint):
            return False
    return all(any(p.department == d for p in inspectors) for d in joint)


def targets(institutions: list[Institution], count: int, seed: str) -> list[str]:
    strata: dict[str, list[Institution]] = {}
    for institution in institutions:
        strata.setdefault(institution.stratum or "", []).append(institution)
    n = len(institutions)
    quota = {s: count * len(members) // n for s, members in strata.items()}
    left = count - sum(quota.values())
    for s in sorted(strata, key=lambda s: (-(count * len(strata[s]) % n), key(seed, s), s))[:left]:
        quota[s] += 1
    drawn = []
    for s, members in strata.items():
        drawn += sorted(members, key=lambda i: (key(seed, i.id), i.id))[: quota[s]]
    return [i.id for i in sorted(drawn, key=lambda i: (key(seed, i.id), i.id))]


def draw(
    institutions: list[Institution],
    inspectors: list[Inspector],
    count: int,
    team_size: int,
    seed: str,
    joint: tuple[str, ...] = (),
    conflicts: list[Conflict] = (),
) -> tuple[list[tuple[str, tuple[str, ...]]], int, int] | None:
    """(rows, floor, ceiling), or None when the pool allows no draw."""
    if not pool_allows_a_draw(institutions, inspectors, team_size, joint, conflicts):
        return None
    banned = {(c.inspector, c.institution) for c in conflicts}
    department = {p.id: p.department for p in inspectors}
    chosen_targets = targets(institutions, count, seed)
    teams_for = []
    for t in chosen_targets:
        free = [p.id for p in inspectors if (p.id, t) not in banned]
        teams_for.append(
            [
                frozenset(team)
                for team in combinations(free, team_size)
                if all(any(department[p] == d for p in team) for d in joint)
            ]
        )

    def loads(assignment):
        counted = dict.fromkeys(department, 0)
        for team in assignment:
            for p in team:
                counted[p] += 1
        return counted.values()

    every = list(product(*teams_for))
    ceiling = min(max(loads(a)) for a in every)
    floor = max(min(loads(a)) for a in every if max(loads(a)) <= ceiling)
    alive = [a for a in every if floor <= min(loads(a)) and max(loads(a)) <= ceiling]

    rows = []
    load = dict.fromkeys(department, 0)
    for k, t in enumerate(chosen_targets):
        team: list[str] = []
        for _ in range(team_size):
            candidates = sorted(
                (p.id for p in inspectors if (p.id, t) not in banned and p.id not in team),
                key=lambda p: (load[p], key(seed, f"{t}/{p}"), p),
            )
            for p in candidates:
                keeping = [a for a in alive if {*team, p} <= a[k]]
                if keeping:
                    alive = keeping
                    team.append(p)
                    load[p] += 1
                    break
            else:
                raise AssertionError("the docstring promises a candidate")
        rows.append((t, tuple(team)))
    return rows, floor, ceiling
