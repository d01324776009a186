"""Running the standards: every rule over a batch of institutions, and one institution as a batch of one.

``check_batch`` evaluates every rule's conditions over all rows at once and counts the findings of
each status per institution; ``BatchResult.findings(i)`` words institution ``i``'s findings only
when they are asked for. ``check`` is a batch of one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tuoyu.engines.policy.facts import Facts
from tuoyu.engines.policy.findings import CODE, NOT_APPLICABLE, STATUS_OF, UNKNOWN, Finding
from tuoyu.engines.policy.profiles import Params, Profile, Recorder, Source, jsonable
from tuoyu.engines.policy.standards.columns import ROLE, FactsBatch
from tuoyu.engines.policy.standards.conditions import Conds, combine
from tuoyu.engines.policy.standards.rule import Rule
from tuoyu.engines.policy.standards.wording import NOT_SET, message

_OUT_OF_SCOPE = {
    "institution": "家庭托育点不适用本项（适用家庭托育点的规定）",
    "home_point": "非家庭托育点，不适用",
}
_MISSING_LIST = {"class": ("classes", "班级信息未填报"), "staff": ("staff", "工作人员名单未填报")}


def _provision(rule: Rule, sources: tuple[Source, ...]) -> str:
    seen: list[str] = []
    for source in sources:
        if source.provision not in seen:
            seen.append(source.provision)
    return "/".join(seen or rule.provisions)


def _out_of_scope(rule: Rule) -> Finding:
    return Finding.cited(
        rule.id,
        "/".join(rule.provisions),
        NOT_APPLICABLE,
        "institution",
        None,
        None,
        f"{rule.title}：{_OUT_OF_SCOPE[rule.scope]}",
    )


def _missing_list(rule: Rule, recorder: Recorder) -> Finding:
    """The one finding of a class or staff rule when the facts leave out the whole list."""
    for key in rule.keys:
        recorder.get(key)
    sources = tuple(p.source for p in recorder.used)
    subject, what = _MISSING_LIST[rule.subject]
    status = UNKNOWN if sources else NOT_APPLICABLE
    text = f"{rule.title}无法核实：{what}" if sources else f"{rule.title}：{NOT_SET}"
    return Finding.cited(rule.id, _provision(rule, sources), status, subject, None, None, text, sources)


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: Rule
    conds: Conds  # per subject row: institutions, classes or staff
    status: np.ndarray


class BatchResult:
    """Every rule's statuses for every institution of a batch."""

    def __init__(
        self,
        batch: FactsBatch,
        profile: Profile,
        on: dt.date,
        params: Params,
        results: list[RuleResult],
        counts: np.ndarray,
    ):
        self.batch, self.profile, self.on, self.params = batch, profile, on, params
        self.results = results
        self.counts = counts  # (n, 4): findings per status, in the order of findings.CODE

    def summary(self, i: int) -> dict[str, int]:
        return {STATUS_OF[k]: int(self.counts[i, k]) for k in range(4)}

    def failing(self) -> np.ndarray:
        """Indices of the institutions with at least one ``fail``."""
        return np.flatnonzero(self.counts[:, CODE["fail"]] > 0)

    def findings(self, i: int) -> list[Finding]:
        """Institution ``i``'s findings, in rule order and then subject order."""
        b, out = self.batch, []
        home = bool(b.inst["home"][i])
        institution = None
        for result in self.results:
            rule = result.rule
            if (rule.scope == "institution" and home) or (rule.scope == "home_point" and not home):
                out.append(_out_of_scope(rule))
            elif rule.subject == "institution":
                institution = institution or b.institution(i)
                out.append(self._finding(result, i, "institution", institution))
            elif rule.subject == "class":
                if not b.inst["classes_known"][i]:
                    out.append(_missing_list(rule, self.params.recorder()))
                    continue
                for row in range(int(b.class_start[i]), int(b.class_start[i + 1])):
                    out.append(
                        self._finding(result, row, f"class[{int(b.cls['pos'][row])}]", b.class_facts[row])
                    )
            else:
                if not b.inst["staff_known"][i]:
                    out.append(_missing_list(rule, self.params.recorder()))
                    continue
                for row in range(int(b.staff_start[i]), int(b.staff_start[i + 1])):
                    member = b.staff_facts[row]
                    if rule.role is None or member.role == rule.role:
                        out.append(self._finding(result, row, f"staff[{int(b.staff['pos'][row])}]", member))
        return out

    def _finding(self, result: RuleResult, row: int, subject: str, facts: Any) -> Finding:
        rule = result.rule
        recorder = self.params.recorder()
        values = {key: recorder.value(key) for key in rule.lookups(facts)}
        explained = rule.explain(facts, values)
        verdict = [(name, STATUS_OF[int(status[row])]) for name, status in result.conds]
        text = message(rule.heading(facts), verdict, explained.phrases, explained.unset)
        sources = tuple(param.source for param in recorder.used)
        status = STATUS_OF[int(result.status[row])]
        return Finding.cited(
            rule.id,
            _provision(rule, sources),
            status,
            subject,
            jsonable(explained.value),
            jsonable(explained.limit),
            text,
            sources,
        )


def _tally(owners: np.ndarray, statuses: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(owners.astype(np.int64) * 4 + statuses, minlength=4 * n).reshape(n, 4)


def check_batch(batch: FactsBatch, profile: Profile | str, on: dt.date | str) -> BatchResult:
    """Every standards rule over every institution of ``batch``.

    The result's ``counts`` (n × 4) are ready at once; ``findings(i)`` words one institution's
    findings, the same as ``check(facts_i, profile, on)``.
    """
    from tuoyu.engines.policy import resolve
    from tuoyu.engines.policy.standards import RULES

    profile, on = resolve(profile, on)
    params = profile.params(on)
    n = batch.n
    home = batch.inst["home"]
    scopes = {"institution": ~home, "home_point": home, "any": np.ones(n, dtype=bool)}
    everyone = np.arange(n)
    counts = np.zeros((n, 4), dtype=np.int64)
    results: list[RuleResult] = []
    for rule in RULES:
        values = {key: params.value(key) for key in rule.keys}
        conds = rule.conditions(batch, values, on)
        status = combine(conds)
        in_scope = scopes[rule.scope]
        counts[:, CODE[NOT_APPLICABLE]] += ~in_scope
        if rule.subject == "institution":
            counts[everyone, status] += in_scope
        else:
            cols = batch.cls if rule.subject == "class" else batch.staff
            known = batch.inst["classes_known" if rule.subject == "class" else "staff_known"]
            # a missing list is one finding: unknown when the profile sets any of the rule's keys
            missing = UNKNOWN if any(v is not None for v in values.values()) else NOT_APPLICABLE
            counts[:, CODE[missing]] += in_scope & ~known
            owner = cols["inst"]
            take = in_scope[owner]
            if rule.role is not None:
                take &= cols["role"] == ROLE[rule.role]
            if take.any():
                rows = np.flatnonzero(take)
                counts += _tally(owner[rows], status[rows], n)
        results.append(RuleResult(rule, conds, status))
    return BatchResult(batch, profile, on, params, results, counts)


def check_many(
    items: Sequence[Facts | dict], profile: Profile | str, on: dt.date | str
) -> list[list[Finding]]:
    """``check`` for many institutions at once; one list of findings per institution."""
    result = check_batch(FactsBatch.from_facts(items), profile, on)
    return [result.findings(i) for i in range(result.batch.n)]


def check(facts: Facts | dict, profile: Profile | str, on: dt.date | str) -> list[Finding]:
    """Every standards rule over one institution's facts, with the profile in force on ``on``.

    ``facts`` may be the parsed JSON (dict) or ``Facts``; ``profile`` a name or a ``Profile``;
    ``on`` a date or an ISO string. Raises PolicyInputError for bad facts, names or dates.
    Findings come in rule order (``RULES``), then subject order.
    """
    from tuoyu.engines.policy import resolve

    profile, on = resolve(profile, on)
    return check_batch(FactsBatch.from_facts([facts]), profile, on).findings(0)
