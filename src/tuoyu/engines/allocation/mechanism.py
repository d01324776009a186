"""Deferred acceptance with priorities, single lottery tie-breaking and age bands; re-allocation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain

import numpy as np

from tuoyu.engines.allocation._da import deferred_acceptance
from tuoyu.engines.allocation._gc import gc_paused
from tuoyu.engines.allocation.lottery import check_seed, lottery_keys
from tuoyu.engines.allocation.model import (
    PRIORITY_MAX,
    PRIORITY_MIN,
    AllocationInputError,
    Applicant,
    ApplicantColumns,
    Cutoff,
    Instance,
    Priority,
    PriorityColumns,
    Program,
    ProgramColumns,
    Result,
)

NO_PRIORITY = PRIORITY_MAX + 1
_UNBOUNDED = 1 << 40
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _check_id(value: object, table: str, row: int, zh: str, en: str) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise AllocationInputError(
            f"{zh}不能为空，也不能以空格开头或结尾",
            f"{en} must be a non-empty string without surrounding spaces",
            table=table,
            row=row,
        )


def _check_ids(values: Sequence[object], table: str, zh: str, en: str) -> None:
    """``_check_id`` for many values at once (the common case, all valid, at C speed)."""
    if set(map(type, values)) <= {str} and "" not in values:
        strip = str.strip
        if list(map(strip, values)) == values:  # type: ignore[arg-type]
            return
    for row, value in enumerate(values):
        _check_id(value, table, row, zh, en)


def _check_programs(programs: ProgramColumns) -> dict[str, int]:
    ids = programs.ids
    _check_ids(ids, "programs", "托班编号", "the program id")
    index = dict(zip(ids, range(len(ids)), strict=True))
    lows, highs = programs.min_age_months, programs.max_age_months
    valid = (
        len(index) == len(ids)
        and set(map(type, programs.capacity)) <= {int}
        and min(programs.capacity, default=0) >= 0
        and set(map(type, lows)) | set(map(type, highs)) <= {int, type(None)}
        and all(lo is None or hi is None or 0 <= lo < hi for lo, hi in zip(lows, highs, strict=True))
        and min((v for v in (*lows, *highs) if v is not None), default=0) >= 0
    )
    if valid:
        return index
    for j, pid in enumerate(ids):
        _check_program(j, pid, programs, index)
    return index


def _check_program(j: int, pid: str, programs: ProgramColumns, index: Mapping[str, int]) -> None:
    if index[pid] != j:
        raise AllocationInputError(
            f"托班编号“{pid}”重复",
            f"program id {pid!r} appears twice",
            table="programs",
            row=max(index[pid], j),
        )
    capacity = programs.capacity[j]
    if not _is_int(capacity):
        raise AllocationInputError(
            f"托班“{pid}”的容量必须是整数",
            f"program {pid!r}: capacity must be an integer",
            table="programs",
            row=j,
        )
    if capacity < 0:
        raise AllocationInputError(
            f"托班“{pid}”的容量不能小于0（当前为{capacity}）",
            f"program {pid!r}: capacity {capacity} < 0",
            table="programs",
            row=j,
        )
    low, high = programs.min_age_months[j], programs.max_age_months[j]
    for bound in (low, high):
        if bound is not None and (not _is_int(bound) or bound < 0):
            raise AllocationInputError(
                f"托班“{pid}”的年龄范围（月龄）必须是非负整数",
                f"program {pid!r}: age bounds must be non-negative integers of months",
                table="programs",
                row=j,
            )
    if low is not None and high is not None and low >= high:
        raise AllocationInputError(
            f"托班“{pid}”的最小月龄{low}应小于最大月龄{high}（不含）",
            f"program {pid!r}: min_age_months {low} must be below max_age_months {high} (exclusive)",
            table="programs",
            row=j,
        )


def _check_applicants(
    applicants: ApplicantColumns, program_index: Mapping[str, int]
) -> tuple[dict[str, int], list]:
    """The applicants' index by id and their choices flattened to program indices, validated."""
    ids = applicants.ids
    _check_ids(ids, "applicants", "申请编号", "the applicant id")
    index = dict(zip(ids, range(len(ids)), strict=True))
    if len(index) != len(ids):
        seen: set[str] = set()
        for i, aid in enumerate(ids):
            if aid in seen:
                raise AllocationInputError(
                    f"申请编号“{aid}”重复", f"applicant id {aid!r} appears twice", table="applicants", row=i
                )
            seen.add(aid)
    lists = applicants.choices
    if not {type(c) for c in lists} <= {tuple, list}:
        i = next(i for i, c in enumerate(lists) if not isinstance(c, tuple | list))
        raise AllocationInputError(
            f"申请“{ids[i]}”的志愿必须是托班编号的序列",
            f"applicant {ids[i]!r}: choices must be a sequence of program ids",
            table="applicants",
            row=i,
        )
    flat = list(map(program_index.get, chain.from_iterable(lists)))
    if None in flat:
        for i, choices in enumerate(lists):
            for c in choices:
                if c not in program_index:
                    raise AllocationInputError(
                        f"申请“{ids[i]}”的志愿中托班“{c}”不存在",
                        f"applicant {ids[i]!r}: choice {c!r} is not a known program",
                        table="applicants",
                        row=i,
                    )
    births = applicants.birth_dates
    if not {type(b) for b in births} <= {type(None), dt.date}:
        i = next(i for i, b in enumerate(births) if not isinstance(b, dt.date | None))
        raise AllocationInputError(
            f"申请“{ids[i]}”的出生日期必须是日期",
            f"applicant {ids[i]!r}: birth_date must be a date",
            table="applicants",
            row=i,
        )
    groups = applicants.lottery_groups
    for i in [i for i, g in enumerate(groups) if g is not None]:
        group = groups[i]
        _check_id(group, "applicants", i, "摇号组编号", "the lottery group")
        if group != ids[i] and group in index and groups[index[group]] != group:
            raise AllocationInputError(
                f"申请“{ids[i]}”的摇号组“{group}”与组外申请“{group}”的编号相同，两者会得到同一个摇号码",
                f"applicant {ids[i]!r}: lottery group {group!r} is the id of an applicant outside the group, "
                "who would share its key",
                table="applicants",
                row=i,
            )
    return index, flat


def _ages_in_months(birth_dates: Sequence[dt.date], on: dt.date) -> np.ndarray:
    # Completed months, as identifiers.age_in_months counts them (满…个月).
    # Through ordinals: numpy converts date objects one by one, ten times slower.
    days = (np.array([b.toordinal() for b in birth_dates], dtype=np.int64) - _EPOCH_ORDINAL).astype(
        "datetime64[D]"
    )
    months = days.astype("datetime64[M]")
    month_index = months.astype(np.int64)  # months since 1970-01
    day = (days - months).astype(np.int64) + 1
    return (on.year - 1970) * 12 + on.month - 1 - month_index - (on.day < day)


def _priority_table(
    priorities: PriorityColumns, program_index: Mapping[str, int], applicant_index: Mapping[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """(applicant * m + program) keys and priority values of the priority rows, validated."""
    m = len(program_index)
    programs = list(map(program_index.get, priorities.programs))
    applicants = list(map(applicant_index.get, priorities.applicants))
    values = priorities.priorities
    in_range = {type(v) for v in values} <= {int} and (
        not values or (min(values) >= PRIORITY_MIN and max(values) <= PRIORITY_MAX)
    )
    if None in programs or None in applicants or not in_range:
        for r in range(len(priorities)):
            program, applicant, value = priorities.programs[r], priorities.applicants[r], values[r]
            if programs[r] is None:
                raise AllocationInputError(
                    f"优先级中的托班“{program}”不存在",
                    f"priority for unknown program {program!r}",
                    table="priorities",
                    row=r,
                )
            if applicants[r] is None:
                raise AllocationInputError(
                    f"优先级中的申请“{applicant}”不在申请名单中",
                    f"priority for applicant {applicant!r}, who is not on the applicant list",
                    table="priorities",
                    row=r,
                )
            if not _is_int(value) or not PRIORITY_MIN <= value <= PRIORITY_MAX:
                raise AllocationInputError(
                    "优先级必须是-2147483648到2147483647之间的整数",
                    "the priority must be an integer from -2147483648 to 2147483647",
                    table="priorities",
                    row=r,
                )
    keys = np.array(applicants, dtype=np.int64) * m + np.array(programs, dtype=np.int64)
    if keys.size:
        order = np.argsort(keys, kind="stable")
        same = np.flatnonzero(keys[order][1:] == keys[order][:-1])
        if same.size:
            r = int(max(order[same[0]], order[same[0] + 1]))
            program, applicant = priorities.programs[r], priorities.applicants[r]
            raise AllocationInputError(
                f"申请“{applicant}”在托班“{program}”的优先级重复",
                f"applicant {applicant!r} has two priorities at program {program!r}",
                table="priorities",
                row=r,
            )
    return keys, np.array(values, dtype=np.int64)


def _lottery_order(applicant_ids: Sequence[str], keys: Sequence[str]) -> np.ndarray:
    """Position of each applicant in the order (key, id)."""
    n = len(keys)
    # Sort by the keys' first 64 bits; only equal prefixes (in practice: one lottery group's shared
    # key) need the full key and the id, compared in Python.
    prefix = np.frombuffer(bytes.fromhex("".join(keys)), dtype=">u8")[::4] if n else np.zeros(0, np.uint64)
    order = np.argsort(prefix, kind="stable")
    sorted_prefix = prefix[order]
    tied = np.flatnonzero(sorted_prefix[1:] == sorted_prefix[:-1])
    if tied.size:
        run_start = tied[np.concatenate(([True], tied[1:] != tied[:-1] + 1))]
        for start in run_start.tolist():
            stop = start + 1
            while stop < n and sorted_prefix[stop] == sorted_prefix[start]:
                stop += 1
            members = order[start:stop].tolist()
            order[start:stop] = sorted(members, key=lambda i: (keys[i], applicant_ids[i]))
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n, dtype=np.int64)
    return position


@gc_paused()
def compile_instance(
    programs: Sequence[Program],
    applicants: Sequence[Applicant],
    priorities: Sequence[Priority] = (),
    *,
    seed: str,
    admission_date: dt.date | None = None,
) -> Instance:
    """Validate the inputs and compile them to arrays; raises ``AllocationInputError``."""
    check_seed(seed)
    programs = ProgramColumns.of(programs)
    applicants = ApplicantColumns.of(applicants)
    priorities = PriorityColumns.of(priorities)
    program_index = _check_programs(programs)
    applicant_index, flat = _check_applicants(applicants, program_index)
    n, m = len(applicants), len(programs)

    lengths = np.fromiter(map(len, applicants.choices), dtype=np.int64, count=n)
    ptr_all = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr_all[1:])
    flat_program = np.array(flat, dtype=np.int64)
    flat_applicant = np.repeat(np.arange(n, dtype=np.int64), lengths)
    flat_choice = np.arange(flat_program.shape[0], dtype=np.int64) - np.repeat(ptr_all[:-1], lengths)
    flat_keys = np.sort(flat_applicant * m + flat_program)
    twice = np.flatnonzero(flat_keys[1:] == flat_keys[:-1])
    if twice.size:
        i, j = divmod(int(flat_keys[twice[0]]), m)
        raise AllocationInputError(
            f"申请“{applicants.ids[i]}”的志愿中托班“{programs.ids[j]}”出现了不止一次",
            f"applicant {applicants.ids[i]!r} lists program {programs.ids[j]!r} more than once",
            table="applicants",
            row=i,
        )

    eligible = np.ones(flat_program.shape[0], dtype=bool)
    lows, highs = programs.min_age_months, programs.max_age_months
    banded = np.array(
        [lo is not None or hi is not None for lo, hi in zip(lows, highs, strict=True)], dtype=bool
    )
    if banded.any():
        if admission_date is None:
            raise AllocationInputError(
                "托班设有年龄范围，需要给出入托日期（按该日的月龄判断是否符合）",
                "programs have age bands, so the admission date is needed (ages are taken on that date)",
            )
        lo = np.array([-_UNBOUNDED if v is None else v for v in lows], dtype=np.int64)
        hi = np.array([_UNBOUNDED if v is None else v for v in highs], dtype=np.int64)
        births = applicants.birth_dates
        has_birth = np.array([b is not None for b in births], dtype=bool)
        missing = banded[flat_program] & ~has_birth[flat_applicant]
        if missing.any():
            i = int(flat_applicant[np.argmax(missing)])
            program = programs.ids[int(flat_program[np.argmax(missing)])]
            raise AllocationInputError(
                f"申请“{applicants.ids[i]}”填报了有年龄范围的托班“{program}”，但没有出生日期",
                f"applicant {applicants.ids[i]!r} chose program {program!r}, which has an age band, but has "
                "no birth date",
                table="applicants",
                row=i,
            )
        age = np.zeros(n, dtype=np.int64)
        with_birth = np.flatnonzero(has_birth)
        age[with_birth] = _ages_in_months([births[i] for i in with_birth.tolist()], admission_date)
        pair_age = age[flat_applicant]
        eligible = ~banded[flat_program] | ((lo[flat_program] <= pair_age) & (pair_age < hi[flat_program]))

    skipped = np.flatnonzero(~eligible)
    ineligible = np.stack((flat_applicant[skipped], flat_choice[skipped]), axis=1)
    pair_program = flat_program[eligible]
    pair_applicant = flat_applicant[eligible]
    pair_choice = flat_choice[eligible]
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(pair_applicant, minlength=n), out=ptr[1:])

    pair_priority = np.full(pair_program.shape[0], NO_PRIORITY, dtype=np.int64)
    row_keys, row_values = _priority_table(priorities, program_index, applicant_index)
    if row_keys.size and pair_program.size:
        # Look each pair up among the (fewer) priority rows; a row for a program the applicant did not
        # choose is simply never looked up.
        pair_keys = pair_applicant * m + pair_program
        order = np.argsort(row_keys)
        at = np.minimum(np.searchsorted(row_keys, pair_keys, sorter=order), row_keys.shape[0] - 1)
        found = row_keys[order[at]] == pair_keys
        pair_priority[found] = row_values[order[at[found]]]

    groups = applicants.lottery_groups
    identities = (
        applicants.ids
        if groups.count(None) == n
        else [a if g is None else g for a, g in zip(applicants.ids, groups, strict=True)]
    )
    keys = lottery_keys(seed, identities)
    applicant_ids = tuple(applicants.ids)
    lottery_position = _lottery_order(applicant_ids, keys)

    levels = np.unique(np.append(row_values, NO_PRIORITY))
    group = np.searchsorted(levels, pair_priority)
    n_groups = levels.shape[0]
    if max(m, 1) * n_groups * max(n, 1) < 2**62:
        order = np.argsort((pair_program * n_groups + group) * n + lottery_position[pair_applicant])
    else:
        order = np.lexsort((lottery_position[pair_applicant], group, pair_program))
    pair_rank = np.empty(order.shape[0], dtype=np.int64)
    pair_rank[order] = np.arange(order.shape[0], dtype=np.int64)

    return Instance(
        seed=seed,
        program_ids=tuple(programs.ids),
        capacity=np.array(programs.capacity, dtype=np.int64),
        applicant_ids=applicant_ids,
        choices=applicants.choices,
        keys=tuple(keys),
        ptr=ptr,
        pair_program=pair_program,
        pair_choice=pair_choice,
        pair_priority=pair_priority,
        pair_rank=pair_rank,
        ineligible=ineligible,
    )


@gc_paused()
def solve(instance: Instance) -> Result:
    """Run deferred acceptance on a compiled instance and assemble the published result."""
    inst = instance
    n, m = len(inst.applicant_ids), len(inst.program_ids)
    solution = deferred_acceptance(inst.ptr, inst.pair_program, inst.pair_rank, inst.capacity)
    held = solution.held_pair
    n_pairs = inst.pair_program.shape[0]
    pair_applicant = np.repeat(np.arange(n, dtype=np.int64), np.diff(inst.ptr))

    placed = np.flatnonzero(held >= 0)
    placed_program = inst.pair_program[held[placed]]
    program_of = np.full(n, m, dtype=np.int64)
    program_of[placed] = placed_program
    placements = tuple(map((*inst.program_ids, None).__getitem__, program_of.tolist()))

    # The last admitted pair of a full program is its held pair of highest rank; ranks are grouped by
    # program, so after sorting the held ranks each program's last one ends its run.
    rank_pair = np.empty(n_pairs, dtype=np.int64)
    rank_pair[inst.pair_rank] = np.arange(n_pairs, dtype=np.int64)
    admitted = np.bincount(placed_program, minlength=m)
    held_ranks = np.sort(inst.pair_rank[held[placed]])
    run_end = np.searchsorted(inst.pair_program[rank_pair[held_ranks]], np.arange(m), side="right") - 1
    full = np.flatnonzero((admitted == inst.capacity) & (inst.capacity > 0))
    last_pair = rank_pair[held_ranks[run_end[full]]]
    priorities: list[int | None] = [None] * m
    lotteries: list[str | None] = [None] * m
    lasts: list[str | None] = [None] * m
    for j, value, i in zip(
        full.tolist(), inst.pair_priority[last_pair].tolist(), pair_applicant[last_pair].tolist(), strict=True
    ):
        priorities[j] = None if value == NO_PRIORITY else value
        lotteries[j] = inst.keys[i]
        lasts[j] = inst.applicant_ids[i]
    cutoffs = tuple(
        map(Cutoff, inst.program_ids, inst.capacity.tolist(), admitted.tolist(), priorities, lotteries, lasts)
    )

    # A choice ranked above the placement (or any choice of an unplaced applicant) is a waitlist
    # entry; its rank is its place among that program's entries in the program's own order.
    limit = np.where(held >= 0, held, inst.ptr[1:])
    waiting = np.arange(n_pairs) < limit[pair_applicant]
    in_order = np.zeros(n_pairs, dtype=bool)
    in_order[inst.pair_rank[waiting]] = True
    by_order = rank_pair[np.flatnonzero(in_order)]
    programs_in_order = inst.pair_program[by_order]
    starts = np.flatnonzero(np.concatenate(([True], programs_in_order[1:] != programs_in_order[:-1])))
    counts = np.diff(np.append(starts, by_order.shape[0]))
    waitlist_rank = np.zeros(n_pairs, dtype=np.int64)
    waitlist_rank[by_order] = np.arange(by_order.shape[0]) - np.repeat(starts, counts) + 1

    return Result(
        seed=inst.seed,
        applicant_ids=inst.applicant_ids,
        program_ids=inst.program_ids,
        placements=placements,
        lottery_keys=inst.keys,
        cutoffs=cutoffs,
        _instance=inst,
        _held_pair=held,
        _waitlist_rank=waitlist_rank,
    )


def allocate(
    programs: Sequence[Program],
    applicants: Sequence[Applicant],
    priorities: Sequence[Priority] = (),
    *,
    seed: str,
    admission_date: dt.date | None = None,
) -> Result:
    """The applicant-optimal stable matching of one round.

    Each program orders the applicants who chose it and are eligible by (priority ascending — no row is
    the lowest group —, lottery key, applicant id). Choices outside a program's age band on
    ``admission_date`` are skipped (``Result.skipped``). Deterministic: the same inputs and seed give
    the same result, whatever the order of ``priorities``. Raises ``AllocationInputError``.
    """
    return solve(compile_instance(programs, applicants, priorities, seed=seed, admission_date=admission_date))


# --- re-allocation after families respond -------------------------------------------------------------


@dataclass(frozen=True)
class Reallocation:
    result: Result
    applicants: tuple[Applicant, ...]  # the choice lists the re-run used: publish these with the result
    moved: tuple[str, ...]  # applicants whose placement changed (never for the worse)


def apply_responses(
    applicants: Sequence[Applicant],
    *,
    declines: Mapping[str, str] | None = None,
    accepted_final: Mapping[str, str] | None = None,
) -> tuple[Applicant, ...]:
    """The choice lists after families respond to their offers.

    A family that declines program p keeps only the choices it ranked above p: it stays on those
    waitlists and gives up p and everything below. A family that accepts p as final keeps p and what
    is below, leaving the waitlists above (it can then never be moved). Others are unchanged.
    """
    declines = declines or {}
    accepted_final = accepted_final or {}
    both = declines.keys() & accepted_final.keys()
    if both:
        a = min(both)
        raise AllocationInputError(
            f"申请“{a}”不能同时放弃和确认录取",
            f"applicant {a!r} cannot both decline and accept",
            table="applicants",
        )
    out = []
    for i, a in enumerate(applicants):
        program = declines.get(a.id) or accepted_final.get(a.id)
        if program is None:
            out.append(a)
            continue
        if program not in a.choices:
            raise AllocationInputError(
                f"申请“{a.id}”没有填报托班“{program}”",
                f"applicant {a.id!r} did not choose program {program!r}",
                table="applicants",
                row=i,
            )
        at = a.choices.index(program)
        kept = a.choices[:at] if a.id in declines else a.choices[at:]
        out.append(replace(a, choices=tuple(kept)))
    return tuple(out)


def reallocate(
    programs: Sequence[Program],
    applicants: Sequence[Applicant],
    priorities: Sequence[Priority] = (),
    *,
    previous: Result,
    declines: Mapping[str, str] | None = None,
    accepted_final: Mapping[str, str] | None = None,
    admission_date: dt.date | None = None,
) -> Reallocation:
    """Re-run the round after declines, with the previous round's seed, inputs and choice lists.

    Each ``declines[a]`` and ``accepted_final[a]`` must be the program ``a`` was placed at in
    ``previous``. The previous matching minus the decliners has no justified envy under the new lists,
    so the new applicant-optimal stable matching is at least as good for every family (Wu & Roth
    2018): nobody who did not decline is moved except to a program they ranked higher. That is checked;
    a violation (inputs other than the responses changed, e.g. a capacity was cut) raises
    ``AllocationInputError``. Chain rounds by passing the returned ``applicants`` and ``result``.
    """
    declines = dict(declines or {})
    accepted_final = dict(accepted_final or {})
    if tuple(a.id for a in applicants) != previous.applicant_ids:
        raise AllocationInputError(
            "重新分配的申请名单必须与上一轮完全相同",
            "re-allocation needs exactly the previous round's applicants",
        )
    before = previous.assignment
    for a, program in (*declines.items(), *accepted_final.items()):
        if a not in before:
            raise AllocationInputError(
                f"申请“{a}”不在上一轮名单中", f"applicant {a!r} was not in the previous round"
            )
        if before[a] != program:
            raise AllocationInputError(
                f"申请“{a}”上一轮未被托班“{program}”录取，不能对其作出答复",
                f"applicant {a!r} was not placed at {program!r}, so cannot respond to it",
            )
    lists = apply_responses(applicants, declines=declines, accepted_final=accepted_final)
    result = allocate(programs, lists, priorities, seed=previous.seed, admission_date=admission_date)
    moved = []
    for a, old, new, original in zip(
        previous.applicant_ids, previous.placements, result.placements, applicants, strict=True
    ):
        if old == new:
            continue
        if a not in declines:
            old_at = original.choices.index(old) if old is not None else len(original.choices)
            new_at = original.choices.index(new) if new is not None else len(original.choices)
            if new_at > old_at:
                raise AllocationInputError(
                    f"重新分配会让未放弃的申请“{a}”变差，请检查托班容量、优先级等是否被改动",
                    f"re-allocation would move applicant {a!r}, who did not decline, to a worse place; "
                    "were capacities or priorities changed?",
                )
        moved.append(a)
    return Reallocation(result=result, applicants=lists, moved=tuple(moved))
