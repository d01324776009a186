"""The outcome of one rule for one subject, with the sources it rests on."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from tuoyu.engines.policy.profiles import Source

PASS, FAIL, UNKNOWN, NOT_APPLICABLE = "pass", "fail", "unknown", "not_applicable"
STATUSES = (PASS, FAIL, UNKNOWN, NOT_APPLICABLE)
# Codes for the batch path; the order matters for ``combine``: fail beats unknown beats pass.
CODE = {PASS: 0, FAIL: 1, UNKNOWN: 2, NOT_APPLICABLE: 3}
STATUS_OF = dict(enumerate(STATUSES))


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict on one subject.

    ``subject`` is ``institution``, ``class[i]`` or ``staff[i]`` (0-based positions in the facts),
    or ``classes`` / ``staff`` when the whole list is missing. ``sources`` are all the parameter
    lookups the verdict rests on, ``source`` the main one (the first; None when no parameter
    applies); ``provision`` joins their P/N ids, or names the rule's provisions when none applies.
    """

    rule: str
    provision: str
    status: str
    subject: str
    value: Any
    limit: Any
    message: str
    source: Source | None = None
    sources: tuple[Source, ...] = ()

    @classmethod
    def cited(cls, rule: str, provision: str, status: str, subject: str, value: Any, limit: Any, message: str,
              sources: tuple[Source, ...] = ()) -> Finding:  # fmt: skip
        return cls(
            rule, provision, status, subject, value, limit, message, sources[0] if sources else None, sources
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "provision": self.provision,
            "status": self.status,
            "subject": self.subject,
            "value": self.value,
            "limit": self.limit,
            "message": self.message,
            "source": self.source.to_dict() if self.source else None,
            "sources": [s.to_dict() for s in self.sources],
        }


def combine(statuses: list[str]) -> str:
    """A rule's status from its conditions': any fail → fail; else any unknown → unknown; else pass.

    No applicable condition at all → not_applicable.
    """
    live = [s for s in statuses if s != NOT_APPLICABLE]
    if not live:
        return NOT_APPLICABLE
    if FAIL in live:
        return FAIL
    if UNKNOWN in live:
        return UNKNOWN
    return PASS


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for finding in findings:
        counts[finding.status] += 1
    return counts


def num(value: Decimal | int | None) -> int | float | None:
    """A Decimal as a JSON number: int when whole, else float."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def text(value: Decimal | int) -> str:
    """A number for a Chinese message: no exponent, no trailing zeros."""
    if isinstance(value, int):
        return str(value)
    out = format(value, "f")
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return out


def per(amount: Decimal, count: int) -> Decimal:
    """``amount / count`` rounded down to 0.01, so a shown ratio never overstates the facts."""
    return (amount / count).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
