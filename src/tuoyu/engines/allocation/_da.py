"""Applicant-proposing deferred acceptance on arrays (the solver behind ``allocate``).

The instance is in compressed rows: applicant ``i`` proposes, in order, to the pairs
``ptr[i] .. ptr[i+1]-1``; pair ``k`` is at program ``pair_program[k]`` and has the position
``pair_rank[k]`` in one global order of all pairs sorted by (program, priority, lottery). Ranks are a
permutation of ``0 .. P-1``, so within a program a smaller rank is a stronger claim.

Proposals are made in parallel rounds: every applicant without a held place proposes to its next pair,
every program keeps its best ``capacity`` among what it held and what it received, and the rest move
on. Because DA's outcome does not depend on the order in which proposals are made (Dubins & Freedman
1981), this yields exactly the sequential algorithm's applicant-optimal stable matching.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

# A round that touches more than this share of all pairs is sorted by marking a bitmap of ranks,
# which is linear; smaller rounds are sorted directly.
_DENSE_ROUND = 1 / 16


@dataclass(frozen=True)
class Solution:
    held_pair: np.ndarray  # int64[n]: the pair each applicant holds, -1 when unplaced
    rounds: int  # parallel rounds made before the last proposals went one by one


def deferred_acceptance(
    ptr: np.ndarray,
    pair_program: np.ndarray,
    pair_rank: np.ndarray,
    capacity: np.ndarray,
    *,
    sequential_below: int | None = None,
) -> Solution:
    n = ptr.shape[0] - 1
    m = capacity.shape[0]
    n_pairs = pair_program.shape[0]
    end = ptr[1:]
    rank_pair = np.empty(n_pairs, dtype=np.int64)
    rank_pair[pair_rank] = np.arange(n_pairs, dtype=np.int64)
    rank_program = pair_program[rank_pair]
    pair_applicant = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr))

    nxt = ptr[:-1].astype(np.int64, copy=True)
    # Program of the place each applicant holds; slot m means "holds nothing", so a gather through
    # ``touched`` (which has m + 1 slots) needs no mask.
    holding = np.full(n, m, dtype=np.int64)
    # An applicant clears program p while their pair's rank is <= cut[p]; a full program's cut is the
    # rank of its last admitted pair and only ever falls.
    cut = np.where(capacity > 0, n_pairs, -1).astype(np.int64)
    capacity = capacity.astype(np.int64, copy=False)

    active = np.flatnonzero(nxt < end)
    rounds = 0
    if sequential_below is None:
        # Below this many proposers a numpy round (a few dozen array passes, one over all applicants)
        # costs more than making the proposals one by one; long rejection chains end up here.
        sequential_below = 256 + n // 256
    touched = np.zeros(m + 1, dtype=bool)
    dense_marks = np.zeros(n_pairs, dtype=bool)
    while active.size:
        # Skip the choices whose program is already full of stronger claims.
        while True:
            pairs = nxt[active]
            beaten = pair_rank[pairs] > cut[pair_program[pairs]]
            if not beaten.any():
                break
            nxt[active[beaten]] += 1
            active = active[nxt[active] < end[active]]
            if not active.size:
                break
        if active.size < sequential_below:
            break
        rounds += 1
        new_ranks = pair_rank[nxt[active]]
        touched[rank_program[new_ranks]] = True
        holders = np.flatnonzero(touched[holding])
        touched[:] = False
        ranks = np.concatenate((pair_rank[nxt[holders]], new_ranks))
        if ranks.shape[0] > n_pairs * _DENSE_ROUND:
            dense_marks[ranks] = True
            ranks = np.flatnonzero(dense_marks)
            dense_marks[ranks] = False
        else:
            ranks.sort()
        programs = rank_program[ranks]
        starts = np.flatnonzero(np.concatenate(([True], programs[1:] != programs[:-1])))
        counts = np.diff(np.append(starts, ranks.shape[0]))
        position = np.arange(ranks.shape[0]) - np.repeat(starts, counts)
        keep = position < capacity[programs]
        applicants = pair_applicant[rank_pair[ranks]]
        kept = applicants[keep]
        holding[kept] = programs[keep]
        last = keep & (position == capacity[programs] - 1)
        cut[programs[last]] = ranks[last]
        rejected = applicants[~keep]
        holding[rejected] = m
        nxt[rejected] += 1
        active = rejected[nxt[rejected] < end[rejected]]

    if active.size:
        _propose_one_by_one(
            active, nxt, holding, cut, end, pair_program, pair_rank, rank_pair, pair_applicant, capacity
        )

    held_pair = np.where(holding < m, nxt, -1)
    return Solution(held_pair=held_pair, rounds=rounds)


def _propose_one_by_one(
    active: np.ndarray,
    nxt: np.ndarray,
    holding: np.ndarray,
    cut: np.ndarray,
    end: np.ndarray,
    pair_program: np.ndarray,
    pair_rank: np.ndarray,
    rank_pair: np.ndarray,
    pair_applicant: np.ndarray,
    capacity: np.ndarray,
) -> None:
    """Finish DA sequentially (McVitie & Wilson 1971) from the state the parallel rounds left."""
    m = capacity.shape[0]
    by_program = np.argsort(holding, kind="stable")
    bounds = np.searchsorted(holding[by_program], np.arange(m + 1))
    # Max-heaps (negated ranks) of the pairs each touched program holds, built on first touch: an
    # untouched program's holders are still those the parallel rounds left.
    heaps: dict[int, list[int]] = {}
    stack = active.tolist()
    while stack:
        i = stack.pop()
        stop = int(end[i])
        k = int(nxt[i])
        while k < stop:
            p = int(pair_program[k])
            r = int(pair_rank[k])
            if r > cut[p]:
                k += 1
                continue
            heap = heaps.get(p)
            if heap is None:
                holders = by_program[bounds[p] : bounds[p + 1]]
                heap = (-pair_rank[nxt[holders]]).tolist()
                heapq.heapify(heap)
                heaps[p] = heap
            holding[i] = p
            if len(heap) < capacity[p]:
                heapq.heappush(heap, -r)
            else:
                worst = -heapq.heappushpop(heap, -r)
                j = int(pair_applicant[rank_pair[worst]])
                holding[j] = m
                nxt[j] += 1
                stack.append(j)
            if len(heap) == capacity[p]:
                cut[p] = -heap[0]
            break
        nxt[i] = k
