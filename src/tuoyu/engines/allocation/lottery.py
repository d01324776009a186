"""The verifiable lottery: commitment, seed derivation, lottery keys, cutoffs and verification.

In the spirit of RFC 3797 (publicly verifiable random selection), no single party controls the draw:

1. Before the draw the regulator freezes and publishes the applicant list with its SHA-256
   (``digest``) and the commitment to a secret, ``commitment(secret)`` = hex SHA-256 of the secret.
2. At the draw the secret is revealed, a number is drawn live in front of the notary, and a public
   result fixed in advance (e.g. a named national lottery draw) becomes known. The seed is
   ``derive_seed(secret, live, public)``: the hex SHA-256 of the UTF-8 string
   ``"tuoyu-lottery-v1/{secret}/{live}/{public}/"`` where ``live`` and ``public`` are written in
   canonical form (``canonical_numbers``). Anyone can recompute it, e.g. with ``sha256sum``.
3. Each applicant's key is ``lottery_key(seed, id)`` = hex SHA-256 of UTF-8 ``"{seed}:{id}"``
   (``id`` is the lottery group for twins/siblings applying together); a smaller hex string ranks
   earlier. Within a program applicants are ordered by (priority group ascending, key, applicant id);
   the id only separates members of one group.
4. The result comes with each program's cutoff, so each family checks its own placement
   (``check_family``), and anyone recomputes everything from the published data (``verify``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

from tuoyu.engines.allocation._gc import gc_paused
from tuoyu.engines.allocation.model import (
    AllocationInputError,
    Applicant,
    Cutoff,
    Priority,
    Program,
    Result,
)

SEED_SCHEME = "tuoyu-lottery-v1"
_NUMBERS = re.compile(r"[0-9]+")
# Separators a drawn or published number sequence may be written with: spaces, commas (also the
# full-width and enumeration commas of Chinese text), semicolons, plus signs, bars and full stops —
# the last so that the canonical form reads back as itself.
_NUMBER_SEPARATORS = re.compile(r"[\s,，、;；+|.]+")


def _utf8(text: str, what_zh: str, what_en: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise AllocationInputError(
            f"{what_zh}含有无法编码为UTF-8的字符", f"{what_en} is not valid UTF-8"
        ) from None


def digest(data: bytes) -> str:
    """Hex SHA-256 of published bytes (the frozen applicant list, a result file)."""
    return hashlib.sha256(data).hexdigest()


def new_secret() -> str:
    """A fresh secret for a draw: 64 hex characters (256 bits) from the operating system."""
    import secrets  # imports random and more; a draw needs it once

    return secrets.token_hex(32)


def _check_secret(secret: str) -> None:
    if not secret:
        raise AllocationInputError("秘密值不能为空", "the secret must not be empty")
    if "/" in secret or any(ord(c) < 32 or ord(c) == 127 for c in secret):
        raise AllocationInputError(
            "秘密值不能含有“/”或控制字符（如换行）", "the secret must not contain '/' or control characters"
        )


def commitment(secret: str) -> str:
    """Hex SHA-256 of the UTF-8 secret; published before the draw, checked after it."""
    if not secret:
        raise AllocationInputError("秘密值不能为空", "the secret must not be empty")
    return hashlib.sha256(_utf8(secret, "秘密值", "the secret")).hexdigest()


def verify_commitment(secret: str, published: str) -> bool:
    return commitment(secret) == published.strip().lower()


def canonical_numbers(text: str | int, what_zh: str = "号码", what_en: str = "number") -> str:
    """One or more non-negative integers written canonically: no leading zeros, joined by ".".

    ``"03 07 12 + 09"`` → ``"3.7.12.9"``. The order is kept: the draw's order is part of its result.
    """
    raw = str(text).strip()
    parts = [p for p in _NUMBER_SEPARATORS.split(raw) if p]
    if not parts or not all(_NUMBERS.fullmatch(p) for p in parts):
        raise AllocationInputError(
            f"{what_zh}“{raw}”应为一个或多个非负整数（可用空格、逗号、加号或点分隔）",
            f"{what_en} {raw!r} must be one or more non-negative integers "
            "separated by spaces, commas, '+' or '.'",
        )
    return ".".join(str(int(p)) for p in parts)


def seed_material(secret: str, live: str | int, public: str | int) -> str:
    """The canonical string whose SHA-256 is the seed: ``tuoyu-lottery-v1/{secret}/{live}/{public}/``."""
    _check_secret(secret)
    live_c = canonical_numbers(live, "现场摇出的号码", "the live-drawn number")
    public_c = canonical_numbers(public, "事先指定的公开开奖结果", "the public result")
    return f"{SEED_SCHEME}/{secret}/{live_c}/{public_c}/"


def derive_seed(secret: str, live: str | int, public: str | int) -> str:
    """The draw's seed: hex SHA-256 of ``seed_material(secret, live, public)`` in UTF-8."""
    material = seed_material(secret, live, public)
    return hashlib.sha256(_utf8(material, "秘密值", "the secret")).hexdigest()


def check_seed(seed: str) -> None:
    if not seed:
        raise AllocationInputError("摇号种子不能为空", "the seed must not be empty")
    _utf8(seed, "摇号种子", "the seed")


def lottery_key(seed: str, applicant_id: str) -> str:
    """Hex SHA-256 of the UTF-8 string ``"{seed}:{applicant_id}"``; smaller ranks earlier."""
    return hashlib.sha256(f"{seed}:{applicant_id}".encode()).hexdigest()


def lottery_keys(seed: str, identities: Iterable[str]) -> list[str]:
    """``lottery_key`` for many identities (equal identities get equal keys)."""
    # The hash state after "{seed}:" is computed once and copied for every identity.
    copy = hashlib.sha256(f"{seed}:".encode()).copy
    keys = []
    append = keys.append
    for ident in identities:
        h = copy()
        h.update(ident.encode())
        append(h.hexdigest())
    return keys


# --- cutoffs: what each family can check on its own ---------------------------------------------------


def _claim(priority: int | None, key: str, applicant: str) -> tuple[float, str, str]:
    return (float("inf") if priority is None else priority, key, applicant)


def clears(cutoff: Cutoff, *, priority: int | None, key: str, applicant: str) -> bool:
    """Whether an eligible applicant with this claim would have been admitted by the program.

    ``priority`` ``None`` is the lowest group. A program with seats left is cleared by everyone; a
    full one by claims (priority, key, applicant id) not after its last admitted one.
    """
    if cutoff.has_seats_left:
        return True
    if cutoff.lottery is None:
        return False
    return _claim(priority, key, applicant) <= _claim(cutoff.priority, cutoff.lottery, cutoff.applicant or "")


def first_cleared_choice(
    choices: Sequence[str],
    cutoffs: Mapping[str, Cutoff],
    *,
    key: str,
    applicant: str,
    priorities: Mapping[str, int] | None = None,
    eligible: Container[str] | None = None,
) -> str | None:
    """The first choice (most preferred first) the applicant is eligible for and whose cutoff they clear.

    ``priorities`` maps program → the applicant's priority there (absent: lowest group);
    ``eligible`` the programs whose age band admits the child (``None``: all of them).
    """
    priorities = priorities or {}
    for program in choices:
        if eligible is not None and program not in eligible:
            continue
        if clears(cutoffs[program], priority=priorities.get(program), key=key, applicant=applicant):
            return program
    return None


def check_family(
    placement: str | None,
    choices: Sequence[str],
    cutoffs: Mapping[str, Cutoff],
    *,
    key: str,
    applicant: str,
    priorities: Mapping[str, int] | None = None,
    eligible: Container[str] | None = None,
) -> bool:
    """Whether a published placement is the first choice whose published cutoff the family clears."""
    found = first_cleared_choice(
        choices, cutoffs, key=key, applicant=applicant, priorities=priorities, eligible=eligible
    )
    return found == placement


# --- verification -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One way a published draw differs from its recomputation; ``subject`` is an applicant or program."""

    subject: str
    zh: str
    en: str


@dataclass(frozen=True)
class Verification:
    ok: bool
    discrepancies: tuple[Discrepancy, ...]
    result: Result
    seed: str


@dataclass(frozen=True, slots=True)
class PublishedRow:
    applicant: str
    program: str | None
    lottery: str


@gc_paused()
def verify(
    programs: Sequence[Program],
    applicants: Sequence[Applicant],
    priorities: Sequence[Priority] = (),
    *,
    published: Sequence[PublishedRow],
    seed: str | None = None,
    secret: str | None = None,
    live: str | int | None = None,
    public: str | int | None = None,
    published_commitment: str | None = None,
    published_cutoffs: Sequence[Cutoff] | None = None,
    admission_date: dt.date | None = None,
    max_discrepancies: int = 1000,
) -> Verification:
    """Recompute a published draw from its inputs and say whether every published figure matches.

    The seed is either given or derived from (``secret``, ``live``, ``public``); with both, they must
    agree. Checks: the secret against ``published_commitment``; every applicant's key and placement;
    every cutoff (if published); and, from the published figures alone, that each family's placement
    is the first choice whose published cutoff it clears. Raises ``AllocationInputError`` for inputs
    that cannot be allocated at all.
    """
    # Imported here: the mechanism uses this module's key functions.
    from tuoyu.engines.allocation.mechanism import allocate

    found: list[Discrepancy] = []

    def note(subject: str, zh: str, en: str) -> None:
        if len(found) < max_discrepancies:
            found.append(Discrepancy(subject, zh, en))

    if secret is not None:
        if live is None or public is None:
            raise AllocationInputError(
                "由秘密值推导种子还需要现场号码和公开开奖结果",
                "deriving the seed needs the live number and public result too",
            )
        derived = derive_seed(secret, live, public)
        if seed is not None and seed != derived:
            note(
                "seed",
                "公布的种子与由秘密值、现场号码和公开结果推导出的种子不一致",
                "the published seed differs from the derived one",
            )
        seed = derived
        if published_commitment is not None and not verify_commitment(secret, published_commitment):
            note(
                "commitment",
                "揭示的秘密值与事先公布的承诺值不符",
                "the revealed secret does not match the published commitment",
            )
    if seed is None:
        raise AllocationInputError(
            "需要种子，或秘密值、现场号码和公开结果",
            "a seed, or secret + live number + public result, is needed",
        )

    result = allocate(programs, applicants, priorities, seed=seed, admission_date=admission_date)

    rows: dict[str, PublishedRow] = {}
    for row in published:
        if row.applicant in rows:
            note(
                row.applicant,
                f"公布的结果中申请“{row.applicant}”出现了不止一次",
                f"applicant {row.applicant!r} appears twice in the result",
            )
        rows[row.applicant] = row
    for applicant, program, key in zip(
        result.applicant_ids, result.placements, result.lottery_keys, strict=True
    ):
        row = rows.pop(applicant, None)
        if row is None:
            note(applicant, f"公布的结果缺少申请“{applicant}”", f"the result lacks applicant {applicant!r}")
            continue
        if row.lottery != key:
            note(
                applicant,
                f"申请“{applicant}”的摇号码不符：公布 {row.lottery}，应为 {key}",
                f"applicant {applicant!r}: lottery key {row.lottery} published, {key} recomputed",
            )
        if row.program != program:
            note(
                applicant,
                f"申请“{applicant}”的录取结果不符：公布“{row.program or '未录取'}”，应为“{program or '未录取'}”",
                f"applicant {applicant!r}: placed at {row.program!r} published, {program!r} recomputed",
            )
    for applicant in rows:
        note(
            applicant,
            f"公布的结果中有不在申请名单里的“{applicant}”",
            f"the result has {applicant!r}, who is not on the applicant list",
        )

    if published_cutoffs is not None:
        recomputed = result.cutoff
        seen = set()
        for cutoff in published_cutoffs:
            seen.add(cutoff.program)
            expected = recomputed.get(cutoff.program)
            if expected is None:
                note(
                    cutoff.program,
                    f"公布的分数线中有不存在的托班“{cutoff.program}”",
                    f"the cutoffs name unknown program {cutoff.program!r}",
                )
            elif expected != cutoff:
                note(
                    cutoff.program,
                    f"托班“{cutoff.program}”的录取线不符",
                    f"program {cutoff.program!r}: the published cutoff differs from the recomputed one",
                )
        for program in result.program_ids:
            if program not in seen:
                note(program, f"公布的录取线缺少托班“{program}”", f"the cutoffs lack program {program!r}")
        if not found:
            # Every family's own check, from published figures only: it cannot fail when the figures
            # above matched (the placement of a stable matching clears exactly these cutoffs), and it
            # is what a family does by hand.
            by_applicant = {row.applicant: row for row in published}
            cutoff_by_program = {c.program: c for c in published_cutoffs}
            for applicant in result.applicant_ids:
                row = by_applicant[applicant]
                if not check_family(
                    row.program,
                    result.eligible_choices(applicant),
                    cutoff_by_program,
                    key=row.lottery,
                    applicant=applicant,
                    priorities=result.priorities_of(applicant),
                ):
                    note(
                        applicant,
                        f"申请“{applicant}”的录取结果不是其第一个达到录取线的志愿",
                        f"applicant {applicant!r} is not placed at the first choice whose cutoff it clears",
                    )
    return Verification(ok=not found, discrepancies=tuple(found), result=result, seed=seed)
