"""The scan: every outbreak rule of a profile over a set of check rows, as alerts.

``scan(checks, profile, until=None)`` reads the rows dated up to ``until`` (all rows when None) that
carry a symptom or a diagnosis, and judges each rule of ``rules.rules_on`` with ``windows.runs``:

- **Which rule applies.** A window is judged by the rule in force on the day it ends, so a threshold
  a profile changes takes effect from its date. The days with a case are cut into stretches over
  which a rule stays the same; a run of windows never crosses from one stretch to the next.
- **Who counts.** The class rules count within a class; a row whose class is blank counts for the
  institution's rules only (two such children may be in different classes). A child counts once per
  window, whatever its number of rows (morning and midday checks, several days).
- **One alert per run.** Windows that meet a rule and overlap are one alert (``windows`` defines the
  runs): ``first_date`` and ``last_date`` are the first and last day with a counted case in the run,
  ``cases`` the distinct children counted over it, ``triggered`` the day the threshold was first met.
- **report_by** is ``triggered`` plus ``report_hours // 24`` days: the deadline's date had the
  threshold been met at the day's first minute, the earliest it can be — the day after for 24
  hours. Rows carry dates, not times; the platform, knowing the hour of the check, keeps the exact
  clock.

Alerts are sorted by institution, class (institution-wide first), first day, rule (``rules.order``)
and last day, so the same rows give the same list.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from tuoyu.engines.outbreak.model import DIAGNOSIS_CODES, NO_CLASS, SYMPTOM_BITS, Alert, Checks, Rule
from tuoyu.engines.outbreak.rules import order, rules_on
from tuoyu.engines.outbreak.windows import distinct, runs
from tuoyu.engines.policy.profiles import Profile


def stretches(profile: Profile, days: np.ndarray) -> list[tuple[Rule, int, int]]:
    """``(rule, first day, last day)``: each rule over the given days (sorted day numbers), cut where it
    changes or lapses."""
    done: list[tuple[Rule, int, int]] = []
    running: dict[str, tuple[Rule, int, int]] = {}
    for day in map(int, days):
        now = {rule.id: rule for rule in rules_on(profile, dt.date.fromordinal(day))}
        for rule_id, (rule, _, _) in list(running.items()):
            if now.get(rule_id) != rule:
                done.append(running.pop(rule_id))
        for rule_id, rule in now.items():
            running[rule_id] = (rule, running[rule_id][1] if rule_id in running else day, day)
    return done + list(running.values())


def scan(checks: Checks, profile: Profile, *, until: dt.date | None = None) -> list[Alert]:
    """The alerts the rows raise under ``profile``, counting only rows dated up to ``until``.

    Raises ``OutbreakInputError`` when the profile sets a threshold without its window.
    """
    sick = (checks.symptoms != 0) | (checks.diagnosis >= 0)
    if until is not None:
        sick &= checks.day <= until.toordinal()
    rows = np.flatnonzero(sick)
    day = checks.day[rows]
    symptoms = checks.symptoms[rows]
    diagnosis = checks.diagnosis[rows]
    care_class = checks.care_class[rows]
    institution = checks.institution[rows]
    child = checks.child[rows]
    rules = stretches(profile, distinct(day))

    if not rules:
        return []
    parts = []
    for rule, lo, hi in rules:
        counted = (day >= lo - rule.days + 1) & (day <= hi)
        if rule.symptom is not None:
            counted &= (symptoms & SYMPTOM_BITS[rule.symptom]) != 0
        else:
            counted &= diagnosis == DIAGNOSIS_CODES[str(rule.diagnosis)]
        if rule.scope == "class":
            counted &= care_class != NO_CLASS
        parts.append(np.flatnonzero(counted))
    picked = np.concatenate(parts)
    rule_of = np.repeat(np.arange(len(rules)), [part.shape[0] for part in parts])
    in_class = np.array([rule.scope == "class" for rule, _, _ in rules], dtype=bool)
    group = np.where(in_class[rule_of], care_class[picked], institution[picked])
    found = runs(
        rule_of,
        group,
        child[picked],
        day[picked],
        days=np.array([rule.days for rule, _, _ in rules], dtype=np.int64),
        cases=np.array([rule.cases for rule, _, _ in rules], dtype=np.int64),
        lo=np.array([lo for _, lo, _ in rules], dtype=np.int64),
        hi=np.array([hi for _, _, hi in rules], dtype=np.int64),
    )

    alerts = []
    for k, where, first, last, triggered, cases in zip(
        found.rule.tolist(),
        found.group.tolist(),
        found.first.tolist(),
        found.last.tolist(),
        found.triggered.tolist(),
        found.cases.tolist(),
        strict=True,
    ):
        rule = rules[k][0]
        if rule.scope == "class":
            institution_id, class_name = (
                checks.institutions[checks.class_institution[where]],
                checks.classes[where],
            )
        else:
            institution_id, class_name = checks.institutions[where], ""
        alerts.append(
            Alert(
                institution=institution_id,
                care_class=class_name,
                rule=rule,
                first_date=dt.date.fromordinal(first),
                last_date=dt.date.fromordinal(last),
                triggered=dt.date.fromordinal(triggered),
                cases=cases,
                report_by=dt.date.fromordinal(triggered + rule.report_hours // 24),
            )
        )
    alerts.sort(key=lambda a: (a.institution, a.care_class, a.first_date, order(a.rule), a.last_date))
    return alerts
