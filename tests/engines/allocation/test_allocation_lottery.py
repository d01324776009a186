"""The verifiable lottery: commitment, seed derivation, keys, cutoffs and verification."""

import hashlib
from dataclasses import replace

import pytest

from tuoyu.engines.allocation import (
    AllocationInputError,
    Applicant,
    Cutoff,
    Priority,
    Program,
    PublishedRow,
    allocate,
    canonical_numbers,
    check_family,
    clears,
    commitment,
    derive_seed,
    first_cleared_choice,
    lottery_key,
    new_secret,
    seed_material,
    verify,
    verify_commitment,
)

SECRET = "9f2c1e7a" * 8


def test_commitment_is_the_sha256_of_the_secret():
    assert commitment("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert verify_commitment("abc", commitment("abc").upper())
    assert not verify_commitment("abd", commitment("abc"))


def test_a_new_secret_has_256_bits():
    secret = new_secret()
    assert len(secret) == 64 and int(secret, 16) >= 0 and secret != new_secret()


def test_the_seed_is_the_sha256_of_the_documented_canonical_string():
    material = seed_material(SECRET, "0042", "03 07 12 19 25 31 + 09")
    assert material == f"tuoyu-lottery-v1/{SECRET}/42/3.7.12.19.25.31.9/"
    assert (
        derive_seed(SECRET, "0042", "03 07 12 19 25 31 + 09") == hashlib.sha256(material.encode()).hexdigest()
    )


def test_each_part_of_the_seed_changes_it():
    base = derive_seed(SECRET, 42, "1 2 3")
    assert base != derive_seed(SECRET[:-1] + "0", 42, "1 2 3")
    assert base != derive_seed(SECRET, 43, "1 2 3")
    assert base != derive_seed(SECRET, 42, "1 2 4")
    assert base != derive_seed(SECRET, 42, "3 2 1")  # the draw's order counts


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("7", "7"),
        ("007", "7"),
        ("0", "0"),
        ("1, 2，3、4 + 5|6", "1.2.3.4.5.6"),
        (" 12  34 ", "12.34"),
        (17, "17"),
        ("3.07.12", "3.7.12"),
    ],
)
def test_drawn_numbers_are_written_canonically(written, canonical):
    assert canonical_numbers(written) == canonical


@pytest.mark.parametrize("written", ["", "  ", "-3", "12a", "1e3", "一二", "１２", "2025-001"])
def test_a_drawn_number_that_is_not_a_list_of_integers_is_refused(written):
    with pytest.raises(AllocationInputError):
        canonical_numbers(written)


@pytest.mark.parametrize("secret", ["", "a/b", "line\nbreak"])
def test_a_secret_that_would_make_the_seed_ambiguous_is_refused(secret):
    with pytest.raises(AllocationInputError):
        derive_seed(secret, 1, 2)


def test_lottery_key_is_the_hex_sha256_of_seed_colon_id():
    assert lottery_key("s", "申请-1") == hashlib.sha256("s:申请-1".encode()).hexdigest()


# --- cutoffs -------------------------------------------------------------------------------------------

LAST = Cutoff("A", 2, 2, priority=1, lottery="8" + "0" * 63, applicant="m")


@pytest.mark.parametrize(
    ("priority", "key", "applicant", "expected"),
    [
        (0, "f" * 64, "z", True),  # a higher group clears whatever the key
        (1, "7" + "f" * 63, "z", True),  # same group, smaller key
        (1, "8" + "0" * 63, "m", True),  # the last admitted itself
        (1, "8" + "0" * 63, "a", True),  # a twin of the last admitted, earlier id
        (1, "8" + "0" * 63, "z", False),  # a twin of the last admitted, later id
        (1, "8" + "0" * 62 + "1", "a", False),  # same group, larger key
        (None, "0" * 64, "a", False),  # no priority row: below every group
    ],
)
def test_clearing_a_full_programs_cutoff_compares_group_then_key_then_id(priority, key, applicant, expected):
    assert clears(LAST, priority=priority, key=key, applicant=applicant) is expected


def test_a_program_with_seats_left_is_cleared_by_everyone_and_a_closed_one_by_nobody():
    assert clears(Cutoff("A", 3, 2), priority=None, key="f" * 64, applicant="x")
    assert not clears(Cutoff("A", 0, 0), priority=-100, key="0" * 64, applicant="x")


def test_a_family_finds_its_place_from_the_published_cutoffs():
    cutoffs = {"A": LAST, "B": Cutoff("B", 1, 1, None, "c" * 64, "q"), "C": Cutoff("C", 5, 1)}
    key = "a" * 64
    assert first_cleared_choice(["A", "B", "C"], cutoffs, key=key, applicant="x") == "B"
    assert first_cleared_choice(["A", "B", "C"], cutoffs, key=key, applicant="x", eligible={"A", "C"}) == "C"
    assert first_cleared_choice(["A", "B"], cutoffs, key=key, applicant="x", priorities={"A": 0}) == "A"
    assert check_family("B", ["A", "B", "C"], cutoffs, key=key, applicant="x")
    assert not check_family("C", ["A", "B", "C"], cutoffs, key=key, applicant="x")


# --- verification --------------------------------------------------------------------------------------

PROGRAMS = [Program("A", 2), Program("B", 1)]
APPLICANTS = [Applicant(f"a{i}", ("A", "B")) for i in range(5)]
PRIORITIES = [Priority("B", "a3", 1)]
SEED = derive_seed(SECRET, 42, "5 6 7")


def published_of(result):
    rows = [
        PublishedRow(a, p, k)
        for a, p, k in zip(result.applicant_ids, result.placements, result.lottery_keys, strict=True)
    ]
    return rows, list(result.cutoffs)


def test_a_genuine_draw_verifies_from_its_published_parts():
    rows, cutoffs = published_of(allocate(PROGRAMS, APPLICANTS, PRIORITIES, seed=SEED))
    check = verify(
        PROGRAMS,
        APPLICANTS,
        PRIORITIES,
        published=rows,
        published_cutoffs=cutoffs,
        secret=SECRET,
        live="42",
        public="5 6 7",
        published_commitment=commitment(SECRET),
    )
    assert check.ok and check.discrepancies == () and check.seed == SEED


def test_verification_finds_a_moved_placement():
    rows, cutoffs = published_of(allocate(PROGRAMS, APPLICANTS, PRIORITIES, seed=SEED))
    placed = next(k for k, r in enumerate(rows) if r.program == "A")
    unplaced = next(k for k, r in enumerate(rows) if r.program is None)
    rows[placed], rows[unplaced] = replace(rows[placed], program=None), replace(rows[unplaced], program="A")
    check = verify(PROGRAMS, APPLICANTS, PRIORITIES, published=rows, published_cutoffs=cutoffs, seed=SEED)
    assert not check.ok
    assert {d.subject for d in check.discrepancies} == {rows[placed].applicant, rows[unplaced].applicant}


def test_verification_finds_a_forged_key_a_forged_cutoff_and_missing_rows():
    rows, cutoffs = published_of(allocate(PROGRAMS, APPLICANTS, PRIORITIES, seed=SEED))
    rows[0] = replace(rows[0], lottery="0" * 64)
    cutoffs[0] = replace(cutoffs[0], admitted=cutoffs[0].admitted - 1)
    check = verify(
        PROGRAMS, APPLICANTS, PRIORITIES, published=rows[:-1], published_cutoffs=cutoffs, seed=SEED
    )
    subjects = {d.subject for d in check.discrepancies}
    assert {rows[0].applicant, "A", APPLICANTS[-1].id} <= subjects


def test_verification_refuses_a_secret_that_does_not_match_the_commitment():
    rows, _ = published_of(allocate(PROGRAMS, APPLICANTS, PRIORITIES, seed=SEED))
    check = verify(
        PROGRAMS,
        APPLICANTS,
        PRIORITIES,
        published=rows,
        secret=SECRET,
        live=42,
        public="5 6 7",
        published_commitment=commitment("another secret"),
    )
    assert not check.ok and check.discrepancies[0].subject == "commitment"


def test_verification_of_a_different_seed_fails():
    rows, _ = published_of(allocate(PROGRAMS, APPLICANTS, PRIORITIES, seed=SEED))
    assert not verify(PROGRAMS, APPLICANTS, PRIORITIES, published=rows, seed=SEED + "x").ok
