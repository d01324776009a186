"""Hand-made rounds whose answers are known, several from the matching literature."""

import datetime as dt
import hashlib

import pytest

from tests.engines.allocation.allocation_reference import Round, boston, reference_da
from tuoyu.engines.allocation import (
    AllocationInputError,
    Applicant,
    ChoiceStatus,
    Cutoff,
    Priority,
    Program,
    allocate,
    apply_responses,
    reallocate,
)

ADMISSION = dt.date(2024, 9, 1)


def priorities_from_orders(orders: dict[str, list[str]]) -> list[Priority]:
    """Strict program preferences as priority groups 1, 2, 3 …"""
    return [Priority(p, a, rank) for p, order in orders.items() for rank, a in enumerate(order, start=1)]


# --- Gale & Shapley (1962): three men, three women, cyclic preferences ------------------------------------
# Men α: A>B>C, β: B>C>A, γ: C>A>B; women A: β>γ>α, B: γ>α>β, C: α>β>γ. The man-optimal stable
# matching gives every man his first choice; the woman-optimal one every woman hers.

GS_PROGRAMS = [Program("A", 1), Program("B", 1), Program("C", 1)]
GS_APPLICANTS = [
    Applicant("alpha", ("A", "B", "C")),
    Applicant("beta", ("B", "C", "A")),
    Applicant("gamma", ("C", "A", "B")),
]
GS_PRIORITIES = priorities_from_orders(
    {"A": ["beta", "gamma", "alpha"], "B": ["gamma", "alpha", "beta"], "C": ["alpha", "beta", "gamma"]}
)


def test_gale_shapley_cycle_gives_every_applicant_their_first_choice():
    result = allocate(GS_PROGRAMS, GS_APPLICANTS, GS_PRIORITIES, seed="any")
    assert result.assignment == {"alpha": "A", "beta": "B", "gamma": "C"}


def test_gale_shapley_cycle_is_the_applicant_optimal_not_the_program_optimal_matching():
    # Program-optimal would be A-beta, B-gamma, C-alpha: every program's first choice. Swapping the
    # sides (programs propose) in the same engine gives exactly that, which pins the orientation.
    programs = [Program(a.id, 1) for a in GS_APPLICANTS]
    applicants = [Applicant(p, tuple(r.applicant for r in GS_PRIORITIES if r.program == p)) for p in "ABC"]
    reverse = [Priority(a.id, p, rank) for a in GS_APPLICANTS for rank, p in enumerate(a.choices)]
    swapped = allocate(programs, applicants, reverse, seed="any")
    assert swapped.assignment == {"A": "beta", "B": "gamma", "C": "alpha"}


# --- Boston and DA differ (in the manner of Abdulkadiroğlu & Sönmez 2003) ----------------------------------
# i1, i2: s1>s2>s3; i3: s2>s1>s3. Priorities s1: i3>i1>i2, s2: i2>i3>i1, s3: i1>i2>i3; one seat each.

AS_PROGRAMS = [Program("s1", 1), Program("s2", 1), Program("s3", 1)]
AS_APPLICANTS = [
    Applicant("i1", ("s1", "s2", "s3")),
    Applicant("i2", ("s1", "s2", "s3")),
    Applicant("i3", ("s2", "s1", "s3")),
]
AS_PRIORITIES = priorities_from_orders(
    {"s1": ["i3", "i1", "i2"], "s2": ["i2", "i3", "i1"], "s3": ["i1", "i2", "i3"]}
)


def test_deferred_acceptance_lets_priority_win_where_boston_rewards_ranking_first():
    result = allocate(AS_PROGRAMS, AS_APPLICANTS, AS_PRIORITIES, seed="x")
    assert result.assignment == {"i1": "s3", "i2": "s2", "i3": "s1"}
    assert boston(Round(AS_PROGRAMS, AS_APPLICANTS, AS_PRIORITIES, "x")) == {
        "i1": "s1",
        "i2": "s3",
        "i3": "s2",
    }


def test_boston_punishes_truth_where_deferred_acceptance_does_not():
    # Under Boston i2 gains by ranking s2 first (s3 → s2); under DA the lie changes nothing for i2.
    lie = [AS_APPLICANTS[0], Applicant("i2", ("s2", "s1", "s3")), AS_APPLICANTS[2]]
    assert boston(Round(AS_PROGRAMS, lie, AS_PRIORITIES, "x"))["i2"] == "s2"
    truthful = allocate(AS_PROGRAMS, AS_APPLICANTS, AS_PRIORITIES, seed="x").assignment["i2"]
    lying = allocate(AS_PROGRAMS, lie, AS_PRIORITIES, seed="x").assignment["i2"]
    assert truthful == lying == "s2"


# --- the lottery and priority groups -------------------------------------------------------------------


def test_without_priorities_the_draw_is_serial_dictatorship_in_lottery_order():
    programs = [Program("A", 2), Program("B", 1)]
    applicants = [Applicant(f"a{i}", ("A", "B")) for i in range(5)]
    result = allocate(programs, applicants, seed="2024-autumn")
    by_key = sorted(applicants, key=lambda a: hashlib.sha256(f"2024-autumn:{a.id}".encode()).hexdigest())
    assert [result.assignment[a.id] for a in by_key] == ["A", "A", "B", None, None]


def test_a_priority_group_is_served_before_any_lottery_key():
    applicants = [Applicant(f"a{i}", ("A",)) for i in range(6)]
    result = allocate([Program("A", 1)], applicants, [Priority("A", "a4", 0)], seed="s")
    assert result.assignment["a4"] == "A"
    assert result.cutoff["A"] == Cutoff("A", 1, 1, 0, result.keys["a4"], "a4")


def test_an_applicant_without_a_priority_row_is_below_every_listed_group():
    applicants = [Applicant("high", ("A",)), Applicant("low", ("A",)), Applicant("none", ("A",))]
    priorities = [Priority("A", "high", -5), Priority("A", "low", 1000)]
    result = allocate([Program("A", 2)], applicants, priorities, seed="s")
    assert result.assignment == {"high": "A", "low": "A", "none": None}
    assert result.waitlists["A"] == ("none",)


def test_priorities_are_program_specific():
    applicants = [Applicant("x", ("A", "B")), Applicant("y", ("A", "B"))]
    priorities = [Priority("A", "y", 1), Priority("B", "x", 1)]
    result = allocate([Program("A", 1), Program("B", 1)], applicants, priorities, seed="s")
    assert result.assignment == {"x": "B", "y": "A"}


def test_lottery_key_is_the_sha256_of_seed_colon_id():
    result = allocate([Program("A", 1)], [Applicant("2024-0001", ("A",))], seed="abc")
    assert result.keys["2024-0001"] == hashlib.sha256(b"abc:2024-0001").hexdigest()


# --- twins ---------------------------------------------------------------------------------------------


def test_twins_share_the_key_of_their_group_and_sit_next_to_each_other():
    applicants = [Applicant(f"c{i}", ("A",)) for i in range(8)]
    applicants += [
        Applicant("t-2", ("A",), lottery_group="t-1"),
        Applicant("t-1", ("A",), lottery_group="t-1"),
    ]
    result = allocate([Program("A", 4)], applicants, seed="twins")
    group_key = hashlib.sha256(b"twins:t-1").hexdigest()
    assert result.keys["t-1"] == result.keys["t-2"] == group_key
    order = sorted(result.applicant_ids, key=lambda a: (result.keys[a], a))
    assert order.index("t-2") == order.index("t-1") + 1  # adjacent; the id separates them


def test_a_group_id_that_is_another_applicants_id_is_refused():
    applicants = [Applicant("a", ("A",)), Applicant("b", ("A",), lottery_group="a")]
    with pytest.raises(AllocationInputError) as error:
        allocate([Program("A", 1)], applicants, seed="s")
    assert error.value.row == 1


# --- age bands -----------------------------------------------------------------------------------------


def test_a_choice_outside_the_age_band_is_skipped_and_reported():
    programs = [Program("older", 5, 24, 36), Program("any", 5)]
    child = Applicant("c", ("older", "any"), birth_date=dt.date(2023, 1, 15))  # 19 months on 2024-09-01
    result = allocate(programs, [child], seed="s", admission_date=ADMISSION)
    assert result.assignment["c"] == "any"
    assert result.skipped("c") == ("older",)
    assert [o.status for o in result.outcomes("c")] == [ChoiceStatus.INELIGIBLE, ChoiceStatus.PLACED]


@pytest.mark.parametrize(
    ("birth", "eligible"),
    [
        (dt.date(2022, 9, 1), True),  # exactly 24 completed months: the band includes its lower end
        (dt.date(2022, 9, 2), False),  # one day short of 24 months
        (dt.date(2021, 9, 2), True),  # 35 months
        (dt.date(2021, 9, 1), False),  # 36 months: the band excludes its upper end
    ],
)
def test_age_band_is_half_open_in_completed_months(birth, eligible):
    result = allocate(
        [Program("B", 1, 24, 36)], [Applicant("c", ("B",), birth)], seed="s", admission_date=ADMISSION
    )
    assert (result.assignment["c"] == "B") is eligible


def test_age_bands_need_an_admission_date():
    with pytest.raises(AllocationInputError):
        allocate([Program("B", 1, 24, 36)], [Applicant("c", ("B",), dt.date(2022, 1, 1))], seed="s")


def test_choosing_a_banded_program_needs_a_birth_date():
    with pytest.raises(AllocationInputError) as error:
        allocate([Program("B", 1, 24, 36)], [Applicant("c", ("B",))], seed="s", admission_date=ADMISSION)
    assert error.value.table == "applicants"


# --- cutoffs and waitlists -----------------------------------------------------------------------------


def test_a_program_with_seats_left_publishes_no_cutoff_and_a_closed_one_admits_nobody():
    applicants = [Applicant("a", ("closed", "open"))]
    result = allocate([Program("closed", 0), Program("open", 3)], applicants, seed="s")
    assert result.cutoff["open"] == Cutoff("open", 3, 1)
    assert result.cutoff["closed"] == Cutoff("closed", 0, 0)
    assert result.assignment["a"] == "open"
    assert result.waitlist_rank("a", "closed") == 1


def test_waitlist_ranks_follow_the_programs_order():
    applicants = [Applicant(f"a{i}", ("A", "B")) for i in range(4)]
    result = allocate([Program("A", 1), Program("B", 1)], applicants, [Priority("A", "a3", 1)], seed="w")
    assert result.assignment["a3"] == "A"
    waiting = result.waitlists["A"]
    assert len(waiting) == 3 and "a3" not in waiting
    for rank, applicant in enumerate(waiting, start=1):
        assert result.waitlist_rank(applicant, "A") == rank
    assert waiting == tuple(sorted(waiting, key=lambda a: result.keys[a]))


def test_the_result_agrees_with_the_textbook_algorithm_on_a_mixed_round():
    programs = [
        Program("infant", 2, 6, 12),
        Program("young", 3, 12, 24),
        Program("older", 3, 24, 36),
        Program("mixed", 2),
    ]
    births = [
        dt.date(2024, 1, 5),
        dt.date(2023, 6, 1),
        dt.date(2022, 5, 20),
        dt.date(2023, 11, 30),
        dt.date(2022, 10, 1),
    ]
    applicants = [
        Applicant(f"k{i}", choices, births[i % 5], "k0" if i in (0, 1) else None)
        for i, choices in enumerate(
            [
                ("infant", "mixed"),
                ("infant", "mixed"),
                ("older", "young", "mixed"),
                ("young", "mixed"),
                ("older", "mixed"),
                ("mixed", "young"),
                ("young", "older", "mixed"),
                ("mixed",),
                ("older",),
                ("young", "infant"),
            ]
        )
    ]
    priorities = [Priority("mixed", "k7", 0), Priority("young", "k3", 1), Priority("older", "k9", 0)]
    result = allocate(programs, applicants, priorities, seed="mixed-round", admission_date=ADMISSION)
    assert result.assignment == reference_da(Round(programs, applicants, priorities, "mixed-round"))


# --- re-allocation after declines ----------------------------------------------------------------------


def test_a_declined_place_goes_to_the_next_family_and_nobody_else_loses():
    programs = [Program("A", 1), Program("B", 1)]
    applicants = [Applicant("x", ("A", "B")), Applicant("y", ("A", "B")), Applicant("z", ("A", "B"))]
    priorities = [Priority("A", "x", 1), Priority("A", "y", 2), Priority("B", "y", 1), Priority("B", "z", 2)]
    first = allocate(programs, applicants, priorities, seed="d")
    assert first.assignment == {"x": "A", "y": "B", "z": None}
    again = reallocate(programs, applicants, priorities, previous=first, declines={"x": "A"})
    assert again.result.assignment == {"x": None, "y": "A", "z": "B"}
    assert set(again.moved) == {"x", "y", "z"}
    assert again.applicants[0].choices == ()


def test_declining_keeps_the_family_on_the_waitlists_it_ranked_higher():
    applicants = [Applicant("x", ("A", "B")), Applicant("y", ("A",))]
    first = allocate([Program("A", 1), Program("B", 1)], applicants, [Priority("A", "y", 0)], seed="d")
    assert first.assignment == {"x": "B", "y": "A"}
    lists = apply_responses(applicants, declines={"x": "B"})
    assert lists[0].choices == ("A",)
    again = reallocate(
        [Program("A", 1), Program("B", 1)],
        applicants,
        [Priority("A", "y", 0)],
        previous=first,
        declines={"x": "B"},
        accepted_final={"y": "A"},
    )
    assert again.result.assignment == {"x": None, "y": "A"}


def test_a_final_acceptance_leaves_the_higher_waitlists():
    applicants = [Applicant("x", ("A", "B"))]
    assert apply_responses(applicants, accepted_final={"x": "B"})[0].choices == ("B",)


def test_responding_to_a_place_one_was_not_given_is_refused():
    first = allocate(GS_PROGRAMS, GS_APPLICANTS, GS_PRIORITIES, seed="s")
    with pytest.raises(AllocationInputError):
        reallocate(GS_PROGRAMS, GS_APPLICANTS, GS_PRIORITIES, previous=first, declines={"alpha": "B"})


def test_a_capacity_cut_during_reallocation_that_would_hurt_a_family_is_refused():
    applicants = [Applicant("x", ("A",)), Applicant("y", ("A",)), Applicant("z", ("B",))]
    first = allocate([Program("A", 2), Program("B", 1)], applicants, seed="d")
    with pytest.raises(AllocationInputError):
        reallocate([Program("A", 1), Program("B", 1)], applicants, previous=first, declines={"z": "B"})


# --- inputs the engine refuses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("programs", "applicants", "priorities", "table", "row"),
    [
        ([Program("A", 1), Program("A", 2)], [], [], "programs", 1),
        ([Program("A", -1)], [], [], "programs", 0),
        ([Program("A", 1, 24, 24)], [], [], "programs", 0),
        ([Program("", 1)], [], [], "programs", 0),
        ([Program("A", 1)], [Applicant("a", ("A",)), Applicant("a", ())], [], "applicants", 1),
        ([Program("A", 1)], [Applicant("a", ("Z",))], [], "applicants", 0),
        ([Program("A", 1)], [Applicant("a", ("A", "A"))], [], "applicants", 0),
        ([Program("A", 1)], [Applicant(" a", ("A",))], [], "applicants", 0),
        ([Program("A", 1)], [Applicant("a", ("A",))], [Priority("Z", "a", 1)], "priorities", 0),
        ([Program("A", 1)], [Applicant("a", ("A",))], [Priority("A", "b", 1)], "priorities", 0),
        (
            [Program("A", 1)],
            [Applicant("a", ("A",))],
            [Priority("A", "a", 1), Priority("A", "a", 2)],
            "priorities",
            1,
        ),
        ([Program("A", 1)], [Applicant("a", ("A",))], [Priority("A", "a", 2**31)], "priorities", 0),
    ],
)
def test_bad_input_names_the_table_and_row(programs, applicants, priorities, table, row):
    with pytest.raises(AllocationInputError) as error:
        allocate(programs, applicants, priorities, seed="s")
    assert (error.value.table, error.value.row) == (table, row)
    assert error.value.zh and error.value.en


def test_an_empty_seed_is_refused():
    with pytest.raises(AllocationInputError):
        allocate([Program("A", 1)], [], seed="")


def test_an_empty_round_allocates_nothing():
    result = allocate([Program("A", 1)], [], seed="s")
    assert result.placements == () and result.cutoff["A"] == Cutoff("A", 1, 0)


def test_the_garbage_collector_is_left_as_the_caller_had_it():
    import gc

    assert gc.isenabled()
    allocate(GS_PROGRAMS, GS_APPLICANTS, GS_PRIORITIES, seed="gc")
    assert gc.isenabled()
    gc.disable()
    try:
        allocate(GS_PROGRAMS, GS_APPLICANTS, GS_PRIORITIES, seed="gc")
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(AllocationInputError):
        allocate([Program("A", -1)], [], seed="gc")
    assert gc.isenabled()
