"""Properties of the allocation on random rounds (hypothesis), checked against plain references."""

import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engines.allocation.allocation_reference import (
    ADMISSION,
    Round,
    blocking_pairs,
    boston,
    random_round,
    reference_da,
    rounds,
    true_rank,
)
from tuoyu.engines.allocation import (
    Applicant,
    allocate,
    check_family,
    compile_instance,
    csvio,
    reallocate,
)
from tuoyu.engines.allocation._da import deferred_acceptance

FEW = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(programs, applicants, priorities, seed):
    return allocate(programs, applicants, priorities, seed=seed, admission_date=ADMISSION)


@FEW
@given(rounds())
def test_the_result_is_the_textbook_applicant_optimal_stable_matching(case):
    programs, applicants, priorities, seed = case
    result = run(programs, applicants, priorities, seed)
    assert result.assignment == reference_da(Round(programs, applicants, priorities, seed))


@FEW
@given(rounds())
def test_no_family_and_program_would_both_rather_have_each_other(case):
    programs, applicants, priorities, seed = case
    result = run(programs, applicants, priorities, seed)
    assert blocking_pairs(Round(programs, applicants, priorities, seed), result.assignment) == []


@FEW
@given(rounds())
def test_no_class_is_over_capacity_and_nobody_is_placed_outside_their_choices_or_age_band(case):
    programs, applicants, priorities, seed = case
    r = Round(programs, applicants, priorities, seed)
    result = run(programs, applicants, priorities, seed)
    for p in programs:
        assert sum(1 for v in result.placements if v == p.id) <= p.capacity
    for a in applicants:
        placed = result.assignment[a.id]
        assert placed is None or placed in r.eligible_choices(a)
        assert set(result.skipped(a.id)) == set(a.choices) - set(r.eligible_choices(a))


@FEW
@given(rounds(), st.data())
def test_truthful_ranking_never_loses_against_a_misreport(case, data):
    programs, applicants, priorities, seed = case
    if not applicants:
        return
    r = Round(programs, applicants, priorities, seed)
    i = data.draw(st.integers(0, len(applicants) - 1))
    liar = applicants[i]
    order = data.draw(st.permutations([p.id for p in programs]))
    lie = tuple(order[: data.draw(st.integers(0, len(order)))])
    reported = [
        *applicants[:i],
        Applicant(liar.id, lie, liar.birth_date, liar.lottery_group),
        *applicants[i + 1 :],
    ]
    honest = run(programs, applicants, priorities, seed).assignment[liar.id]
    lying = run(programs, reported, priorities, seed).assignment[liar.id]
    assert true_rank(r, liar, honest) <= true_rank(r, liar, lying)


def test_boston_fails_strategy_proofness_on_some_random_round_and_deferred_acceptance_does_not():
    rng = random.Random(7)
    for attempt in range(400):
        programs, applicants, priorities = random_round(rng, n=6, m=3, max_choices=3, priority_share=0.4)
        r = Round(programs, applicants, priorities, seed=f"s{attempt}")
        honest = boston(r)
        for i, a in enumerate(applicants):
            for lie in _reorderings(a.choices):
                lied = [*applicants[:i], Applicant(a.id, lie), *applicants[i + 1 :]]
                gain = true_rank(r, a, boston(Round(programs, lied, priorities, r.seed))[a.id])
                if gain < true_rank(r, a, honest[a.id]):
                    da_honest = allocate(programs, applicants, priorities, seed=r.seed).assignment[a.id]
                    da_lying = allocate(programs, lied, priorities, seed=r.seed).assignment[a.id]
                    assert true_rank(r, a, da_honest) <= true_rank(r, a, da_lying)
                    return
    raise AssertionError("no profitable Boston misreport found")


def _reorderings(choices):
    from itertools import permutations

    for k in range(1, len(choices) + 1):
        yield from permutations(choices, k)


@FEW
@given(rounds())
def test_each_family_is_placed_at_the_first_choice_whose_published_cutoff_it_clears(case):
    programs, applicants, priorities, seed = case
    r = Round(programs, applicants, priorities, seed)
    result = run(programs, applicants, priorities, seed)
    published = csvio.read_cutoffs(csvio.cutoffs_csv(result))[0]
    cutoffs = {c.program: c for c in published}
    for a in applicants:
        own = {p: v for (p, who), v in r.priority.items() if who == a.id}
        assert check_family(
            result.assignment[a.id],
            a.choices,
            cutoffs,
            key=r.key[a.id],
            applicant=a.id,
            priorities=own,
            eligible=set(r.eligible_choices(a)),
        )


@FEW
@given(rounds(), st.randoms(use_true_random=False))
def test_same_inputs_and_seed_give_byte_identical_result_files(case, shuffler):
    programs, applicants, priorities, seed = case
    first = run(programs, applicants, priorities, seed)
    shuffled = list(priorities)
    shuffler.shuffle(shuffled)
    second = run(programs, applicants, shuffled, seed)
    for write in (csvio.result_csv, csvio.cutoffs_csv, csvio.choices_csv):
        assert write(first) == write(second)


@FEW
@given(rounds(), st.data())
def test_reallocation_after_declines_never_makes_another_family_worse_off(case, data):
    programs, applicants, priorities, seed = case
    first = run(programs, applicants, priorities, seed)
    placed = [a for a in first.applicant_ids if first.assignment[a] is not None]
    declining = data.draw(st.lists(st.sampled_from(placed), unique=True)) if placed else []
    declines = {a: first.assignment[a] for a in declining}
    again = reallocate(
        programs, applicants, priorities, previous=first, declines=declines, admission_date=ADMISSION
    )
    r = Round(programs, applicants, priorities, seed)
    for a in applicants:
        before, after = first.assignment[a.id], again.result.assignment[a.id]
        if a.id in declines:
            assert after != before
        else:
            assert true_rank(r, a, after) <= true_rank(r, a, before)
    assert blocking_pairs(Round(programs, again.applicants, priorities, seed), again.result.assignment) == []


def test_parallel_rounds_and_one_by_one_proposals_agree_with_the_textbook_on_large_rounds():
    rng = random.Random(2024)
    for n, m in ((3000, 40), (2000, 400)):
        programs, applicants, priorities = random_round(rng, n, m)
        inst = compile_instance(programs, applicants, priorities, seed="large")
        expected = reference_da(Round(programs, applicants, priorities, "large"))
        for sequential_below in (None, 0, n + 1):
            solution = deferred_acceptance(
                inst.ptr, inst.pair_program, inst.pair_rank, inst.capacity, sequential_below=sequential_below
            )
            held = solution.held_pair
            got = {
                a: (None if held[i] < 0 else inst.program_ids[inst.pair_program[held[i]]])
                for i, a in enumerate(inst.applicant_ids)
            }
            assert got == expected


def test_a_long_rejection_chain_is_solved_exactly():
    # Applicant k holds P(k) until k-1 arrives; every round of proposals moves the chain one step.
    n = 3000
    from tuoyu.engines.allocation import Priority, Program

    programs = [Program(f"P{k}", 1) for k in range(n)]
    applicants = [Applicant("A0", ("P1",))] + [
        Applicant(f"A{k}", (f"P{k}", f"P{k + 1}") if k + 1 < n else (f"P{k}",)) for k in range(1, n)
    ]
    priorities = [Priority(f"P{k + 1}", f"A{k}", 0) for k in range(n - 1)]
    result = allocate(programs, applicants, priorities, seed="chain")
    expected = reference_da(Round(programs, applicants, priorities, "chain"))
    assert result.assignment == expected
    assert np.count_nonzero([v is None for v in result.placements]) == 1
