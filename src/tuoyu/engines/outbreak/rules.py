"""The outbreak thresholds a profile sets on a day, as rules with their Chinese wording and sources.

Two families, both dated, cited profile parameters (docs/policy.md, keys ``outbreak.*``):

- **The class rule** (2012规范; NATIONAL.md "Health and infectious disease"): cases with similar
  symptoms in one class — ``outbreak.class_cluster.same_day.cases`` (3) on one day, or
  ``outbreak.class_cluster.consecutive_days.cases`` (5) within ``….consecutive_days.days`` (3)
  consecutive days — are reported to the CDC within ``outbreak.report_hours`` (24).
  *Similar symptoms* are judged symptom by symptom: children who share one of the symptoms listed in
  ``outbreak.class_cluster.symptoms`` (fever, rash, diarrhoea, vomiting, jaundice) are similar cases
  of it, so each listed symptom is a rule of its own (``…same_day.fever``, ``…same_day.rash`` …).
  Three children with fever, rash and diarrhoea respectively are not a cluster; a child with fever
  and rash counts for both. The Chinese description says so (相似症状按同一症状计).
- **Diagnoses** (the Zhejiang standard the national profile cites): per code of
  ``vocabulary.DIAGNOSES``, ``outbreak.disease.<code>.institution.cases`` within ``….days`` in one
  institution, and where the profile sets one, ``outbreak.disease.<code>.class.*`` in one class
  (hand-foot-mouth: 2 within 7 days, the standard's "7天内" governing both of its thresholds). Only
  a row's diagnosis counts here, never its symptoms.

A rule applies on a day when its parameters and ``outbreak.report_hours`` are in force then; every
alert carries that deadline (the class rule's 24 hours, the only reporting time the national rules
give for a cluster; a notifiable disease is reported at once, case by case, which is not this
engine's business). A profile that sets a threshold without its window (or the reverse) is refused.
"""

from __future__ import annotations

import datetime as dt
import functools

from tuoyu.engines.outbreak.model import OutbreakInputError, Rule
from tuoyu.engines.policy.profiles import CLAUSE_UNKNOWN, Param, Profile, Source, citation
from tuoyu.engines.policy.vocabulary import DIAGNOSES, SYMPTOMS

SCOPES = ("institution", "class")
_SYMPTOMS = "outbreak.class_cluster.symptoms"
_SAME_DAY = "outbreak.class_cluster.same_day.cases"
_RUN_CASES = "outbreak.class_cluster.consecutive_days.cases"
_RUN_DAYS = "outbreak.class_cluster.consecutive_days.days"
_HOURS = "outbreak.report_hours"
_WHERE = {"institution": "同一托育机构", "class": "同一班级"}


_PAIRS = (
    (_RUN_CASES, _RUN_DAYS),
    *(
        (f"outbreak.disease.{d}.{scope}.cases", f"outbreak.disease.{d}.{scope}.days")
        for d in DIAGNOSES
        for scope in SCOPES
    ),
)
_KEYS = (_HOURS, _SYMPTOMS, _SAME_DAY, *(key for pair in _PAIRS for key in pair))


def rules_on(profile: Profile, on: dt.date) -> tuple[Rule, ...]:
    """Every outbreak rule ``profile`` sets on ``on``, in the order alerts are listed."""
    found = tuple(profile.lookup(key, on) for key in _KEYS)
    given = dict(zip(_KEYS, found, strict=True))
    for first, second in _PAIRS:
        if (given[first] is None) != (given[second] is None):
            present, missing = (first, second) if given[second] is None else (second, first)
            raise OutbreakInputError(
                f"政策配置 {profile.name} 在 {on.isoformat()} 设定了 {present} 却未设定 {missing}，无法判定暴发疫情",
                f"profile {profile.name} sets {present} but not {missing} on {on.isoformat()}",
            )
    return _rules(found)


# A scan asks for the rules of every day with a case; the parameters seldom change from one to the next.
@functools.lru_cache(maxsize=64)
def _rules(found: tuple[Param | None, ...]) -> tuple[Rule, ...]:
    given = dict(zip(_KEYS, found, strict=True))
    hours = given[_HOURS]
    if hours is None:
        return ()
    out: list[Rule] = []
    listed, same_day = given[_SYMPTOMS], given[_SAME_DAY]
    run_cases, run_days = given[_RUN_CASES], given[_RUN_DAYS]
    for symptom in (s for s in SYMPTOMS if listed is not None and s in listed.value):
        name = SYMPTOMS[symptom]
        if same_day is not None:
            condition = f"同一班级同一天内{same_day.value}名及以上婴幼儿出现{name}（相似症状按同一症状计）"
            out.append(
                _rule(f"outbreak.class_cluster.same_day.{symptom}", "class", symptom, None,
                      same_day.value, 1, condition, (listed.source, same_day.source), hours)
            )  # fmt: skip
        if run_cases is not None and run_days is not None:
            condition = f"同一班级连续{run_days.value}天内{run_cases.value}名及以上婴幼儿出现{name}（相似症状按同一症状计）"
            out.append(
                _rule(f"outbreak.class_cluster.consecutive_days.{symptom}", "class", symptom, None,
                      run_cases.value, run_days.value, condition,
                      (listed.source, run_cases.source, run_days.source), hours)
            )  # fmt: skip
    for diagnosis, name in DIAGNOSES.items():
        for scope in SCOPES:
            key = f"outbreak.disease.{diagnosis}.{scope}"
            cases, days = given[f"{key}.cases"], given[f"{key}.days"]
            if cases is None or days is None:
                continue
            condition = f"{_WHERE[scope]}{days.value}天内发生{name}{cases.value}例及以上"
            out.append(
                _rule(key, scope, None, diagnosis, cases.value, days.value, condition,
                      (cases.source, days.source), hours)
            )  # fmt: skip
    return tuple(out)


def _rule(
    rule_id: str,
    scope: str,
    symptom: str | None,
    diagnosis: str | None,
    cases: int,
    days: int,
    condition: str,
    threshold_sources: tuple[Source, ...],
    hours: Param,
) -> Rule:
    cited, deadline = cite(threshold_sources), cite((hours.source,))
    duty = f"须在{hours.value}小时内报告疾病预防控制机构"
    if cited == deadline:
        text = f"{condition}，{duty}（{cited}）"
    else:
        text = f"{condition}（{cited}），{duty}（{deadline}）"
    sources = tuple(dict.fromkeys((*threshold_sources, hours.source)))
    return Rule(rule_id, scope, symptom, diagnosis, cases, days, hours.value, text, sources)


def cite(sources: tuple[Source, ...]) -> str:
    """Documents by their titles, with a clause when one is known and a note when the wording was not
    read in the official text: ``《托儿所幼儿园卫生保健工作规范》``."""
    parts = []
    for source in sources:
        clause = "" if source.clause.startswith(CLAUSE_UNKNOWN) else source.clause
        parts.append(citation(f"《{source.title}》", clause, source.confidence))
    return "；".join(dict.fromkeys(parts))


def order(rule: Rule) -> tuple[int, int, int]:
    """Where a rule's alerts are listed among others of the same place and dates: the class rule
    first, symptom by symptom, then the diagnoses, each in the vocabulary's order."""
    if rule.symptom is not None:
        return (0, list(SYMPTOMS).index(rule.symptom), 0 if ".same_day." in rule.id else 1)
    return (1, list(DIAGNOSES).index(rule.diagnosis or ""), SCOPES.index(rule.scope))
