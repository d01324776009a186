"""Policy as code: dated, cited parameters per locality; standards findings; subsidies; targets.

Pure Python and NumPy; never imports Django. The public API:

- ``list_profiles()``, ``load_profile(name)``, ``profile_for_division(code, overrides=None)``
- ``check(facts, profile, on) -> list[Finding]`` and ``check_many(facts_list, profile, on)``
- ``subsidies(facts, profile, month) -> SubsidyResult``
- ``targets(profile, on) -> list[Param]`` (planning norms and targets)

Facts are the parsed JSON of docs/facts.md or ``Facts``; a profile is a name or a ``Profile``;
dates are ``datetime.date`` or ISO strings. Bad input raises ``PolicyInputError`` (Chinese and
English message); a broken profile file raises ``ProfileError`` naming the file, key and problem.
"""

from __future__ import annotations

import datetime as dt

from tuoyu.engines.policy.dates import parse_date
from tuoyu.engines.policy.errors import PolicyError, PolicyInputError, ProfileError, UnknownProfile
from tuoyu.engines.policy.facts import Facts, load_facts, read_facts_file
from tuoyu.engines.policy.findings import Finding, summary
from tuoyu.engines.policy.profiles import (
    Param,
    Profile,
    ProfileSet,
    Source,
    diff,
    list_profiles,
    load_profile,
    profile_for_division,
)


def resolve(profile: Profile | str, on: dt.date | str) -> tuple[Profile, dt.date]:
    """A profile (by name or as is) and a date (or ISO string); PolicyInputError when either is bad."""
    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        try:
            on = parse_date(on)
        except ValueError:
            raise PolicyInputError(
                f"日期无效：{on!r}（应为 YYYY-MM-DD）", f"invalid date {on!r} (expected YYYY-MM-DD)"
            ) from None
    return profile, on


from tuoyu.engines.policy.money import SubsidyLine, SubsidyResult, subsidies  # noqa: E402
from tuoyu.engines.policy.standards import RULES, check, check_many  # noqa: E402 — needs resolve()
from tuoyu.engines.policy.targets import TARGET_KEYS, targets  # noqa: E402

__all__ = [
    "RULES",
    "TARGET_KEYS",
    "Facts",
    "Finding",
    "Param",
    "PolicyError",
    "PolicyInputError",
    "Profile",
    "ProfileError",
    "ProfileSet",
    "Source",
    "SubsidyLine",
    "SubsidyResult",
    "UnknownProfile",
    "check",
    "check_many",
    "diff",
    "list_profiles",
    "load_facts",
    "load_profile",
    "profile_for_division",
    "read_facts_file",
    "resolve",
    "subsidies",
    "summary",
    "targets",
]
