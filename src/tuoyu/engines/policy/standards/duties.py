"""Standards that only ask whether an institution does what the profile requires: yes, no or not reported."""

from __future__ import annotations

from collections.abc import Mapping

from tuoyu.engines.policy.standards.columns import FLAGS, Institution
from tuoyu.engines.policy.standards.conditions import flag
from tuoyu.engines.policy.standards.rule import Explained, Rule, Values, standard
from tuoyu.engines.policy.standards.wording import yes


def duty(
    rule_id: str,
    title: str,
    provisions: tuple[str, ...],
    key: str,
    column: str,
    words: tuple[str, str],
    *,
    scope: str,
) -> Rule:
    """One yes/no fact (``columns.FLAGS``), required when the profile's ``key`` is true."""

    def explain(s: Institution, p: Values) -> Explained:
        return Explained(FLAGS[column](s.facts), p[key], {"flag": yes(*words)})

    @standard(rule_id, title, provisions, (key,), explain=explain, scope=scope)
    def conditions(b, p, on):
        return [("flag", flag(p[key], b.inst[column]))]

    return conditions


def duties(
    rule_id: str,
    title: str,
    provisions: tuple[str, ...],
    key: str,
    words: Mapping[str, tuple[str, str]],
    *,
    scope: str,
) -> Rule:
    """Several yes/no facts required together by one key; the value names each by its column."""

    def explain(s: Institution, p: Values) -> Explained:
        value = {column: FLAGS[column](s.facts) for column in words}
        return Explained(value, p[key], {column: yes(*w) for column, w in words.items()})

    @standard(rule_id, title, provisions, (key,), explain=explain, scope=scope)
    def conditions(b, p, on):
        return [(column, flag(p[key], b.inst[column])) for column in words]

    return conditions
