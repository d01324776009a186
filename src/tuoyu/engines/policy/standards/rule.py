"""How a standard is declared: once, with its title, parameter keys and provisions.

A rule has two halves. ``conditions`` evaluates its conditions for every subject row of a batch
at once (NumPy); ``explain`` turns one subject's typed facts and parameter values into the value,
limit and phrases of its finding. The engine (``engine``) joins them: statuses from the first,
wording from the second, sources from the parameters the second was given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tuoyu.engines.policy.standards.wording import Phrase
from tuoyu.engines.policy.vocabulary import CLASS_TYPES

if TYPE_CHECKING:
    from tuoyu.engines.policy.standards.columns import FactsBatch
    from tuoyu.engines.policy.standards.conditions import Conds

Values = Mapping[str, Any]  # parameter key → value in force (None when the profile sets none)


@dataclass(frozen=True, slots=True)
class Explained:
    """One subject's finding in words: its value and limit as reported, and a phrase per condition."""

    value: Any
    limit: Any
    phrases: Mapping[str, Phrase]
    unset: str = ""  # the message's tail when no condition applies; by default "not set by the profile"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str  # Chinese; heads every message (class rules: after the class type's name)
    provisions: tuple[str, ...]  # what it enforces; cited when no parameter applies
    keys: tuple[str, ...]  # every parameter it may look up, in the order its sources are cited
    conditions: Callable[[FactsBatch, Values, dt.date], Conds]
    explain: Callable[[Any, Values], Explained]
    scope: str = "institution"  # institution | home_point | any: which providers it applies to
    subject: str = "institution"  # institution | class | staff
    role: str | None = None  # staff rules: only staff in this role (None = everyone)
    # The keys one subject's finding rests on, when not all of them: a class rule reads only its
    # class type's keys, so a finding about an infant class cites only infant parameters.
    keys_for: Callable[[Any], tuple[str, ...]] | None = None

    def lookups(self, subject: Any) -> tuple[str, ...]:
        if self.keys_for is not None:
            return self.keys_for(subject)
        if self.subject == "class":
            return tuple(key for key in self.keys if key.rsplit(".", 1)[1] == subject.type)
        return self.keys

    def heading(self, subject: Any) -> str:
        if self.subject == "class":
            return CLASS_TYPES[subject.type] + self.title.removeprefix("班级")
        return self.title


DECLARED: dict[str, Rule] = {}


def standard(
    id: str,
    title: str,
    provisions: tuple[str, ...],
    keys: tuple[str, ...],
    *,
    explain: Callable[[Any, Values], Explained],
    scope: str = "institution",
    subject: str = "institution",
    role: str | None = None,
    keys_for: Callable[[Any], tuple[str, ...]] | None = None,
) -> Callable[[Callable[[FactsBatch, Values, dt.date], Conds]], Rule]:
    """Declare a rule; decorates its vectorised ``conditions`` and returns the ``Rule``."""

    def declare(conditions: Callable[[FactsBatch, Values, dt.date], Conds]) -> Rule:
        if id in DECLARED:
            raise ValueError(f"rule {id} is declared twice")
        rule = Rule(id, title, provisions, keys, conditions, explain, scope, subject, role, keys_for)
        DECLARED[id] = rule
        return rule

    return declare
