"""Allocation of places by verifiable lottery and deferred acceptance (003 §四(三), 001 §四12).

Public API (stable; the enrolment app and the ``tuoyu allocate`` command use only this):

- data: ``Program``, ``Applicant``, ``Priority`` in; ``Result``, ``Cutoff``, ``ChoiceOutcome`` out;
  ``AllocationInputError`` for input that cannot be allocated.
- ``allocate(programs, applicants, priorities, *, seed, admission_date)`` → ``Result``: the
  applicant-optimal stable matching (applicant-proposing deferred acceptance), programs ordering
  applicants by (priority, lottery key, id), choices outside an age band skipped.
- ``reallocate(...)`` after declines, ``apply_responses(...)`` for the new choice lists.
- lottery: ``commitment(secret)``, ``derive_seed(secret, live, public)``, ``lottery_key(seed, id)``,
  ``clears``, ``first_cleared_choice``, ``check_family``, ``verify(...)``, ``digest(bytes)``.
- ``csvio``: the published file formats, read and written byte-identically.
"""

from tuoyu.engines.allocation.lottery import (
    SEED_SCHEME,
    Discrepancy,
    PublishedRow,
    Verification,
    canonical_numbers,
    check_family,
    clears,
    commitment,
    derive_seed,
    digest,
    first_cleared_choice,
    lottery_key,
    lottery_keys,
    new_secret,
    seed_material,
    verify,
    verify_commitment,
)
from tuoyu.engines.allocation.model import (
    AllocationInputError,
    Applicant,
    ChoiceOutcome,
    ChoiceStatus,
    Cutoff,
    Priority,
    Program,
    Result,
)

__all__ = [
    "SEED_SCHEME",
    "AllocationInputError",
    "Applicant",
    "ChoiceOutcome",
    "ChoiceStatus",
    "Cutoff",
    "Discrepancy",
    "Priority",
    "Program",
    "PublishedRow",
    "Reallocation",
    "Result",
    "Verification",
    "allocate",
    "apply_responses",
    "canonical_numbers",
    "check_family",
    "clears",
    "commitment",
    "compile_instance",
    "derive_seed",
    "digest",
    "first_cleared_choice",
    "lottery_key",
    "lottery_keys",
    "new_secret",
    "reallocate",
    "seed_material",
    "solve",
    "verify",
    "verify_commitment",
]

_MECHANISM = ("Reallocation", "allocate", "apply_responses", "compile_instance", "reallocate", "solve")


def __getattr__(name: str):
    # The mechanism needs NumPy (~60 ms to import): it is loaded on first use, so that commitments,
    # seeds and the published files' formats are at hand without it.
    if name in _MECHANISM:
        from tuoyu.engines.allocation import mechanism

        return getattr(mechanism, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
