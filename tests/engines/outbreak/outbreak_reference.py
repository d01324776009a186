"""The outbreak scan written again from the definitions in the engine's docstrings, as plainly as
possible: loops over days, groups and children, no arrays. Only for small inputs.

It reads the rules with the engine's ``rules_on`` (what a profile sets is tested elsewhere) and
re-derives everything else: who counts, the windows, the runs, the stretches, the dates.
"""

from __future__ import annotations

import datetime as dt

from tuoyu.engines.outbreak import Check, rules_on


def _counts(rule, row: Check) -> bool:
    hit = rule.symptom in row.symptoms if rule.symptom is not None else row.diagnosis == rule.diagnosis
    return hit and (rule.scope == "institution" or bool(row.care_class))


def _group(rule, row: Check) -> tuple[str, str]:
    return (row.institution, row.care_class if rule.scope == "class" else "")


def scan(rows: list[Check], profile, until: dt.date | None = None) -> list[tuple]:
    """``(institution, class, rule text, first, last, cases, triggered, report_by)`` per alert."""
    sick = [r for r in rows if (r.symptoms or r.diagnosis) and (until is None or r.date <= until)]
    days = sorted({r.date for r in sick})
    in_force = {day: {rule.id: rule for rule in rules_on(profile, day)} for day in days}
    # A stretch: consecutive days with a case over which a rule stays the same.
    stretch: dict[tuple[str, dt.date], int] = {}
    last_seen: dict[str, tuple[object, int]] = {}
    counter = 0
    for day in days:
        for rule_id in list(last_seen):
            if in_force[day].get(rule_id) != last_seen[rule_id][0]:
                del last_seen[rule_id]
        for rule_id, rule in in_force[day].items():
            if rule_id not in last_seen:
                counter += 1
                last_seen[rule_id] = (rule, counter)
            stretch[rule_id, day] = last_seen[rule_id][1]

    out = []
    rule_ids = sorted({rule_id for rules in in_force.values() for rule_id in rules})
    for rule_id in rule_ids:
        scope = next(rules[rule_id].scope for rules in in_force.values() if rule_id in rules)
        groups = sorted({(r.institution, r.care_class if scope == "class" else "") for r in sick})
        for group in groups:
            met = []  # (day, rule, stretch) of every met window
            for t in days:
                rule = in_force[t].get(rule_id)
                if rule is None:
                    continue
                mine = [r for r in sick if _counts(rule, r) and _group(rule, r) == group]
                if not any(r.date == t for r in mine):
                    continue
                since = t - dt.timedelta(days=rule.days - 1)
                children = {r.child for r in mine if since <= r.date <= t}
                if len(children) >= rule.cases:
                    met.append((t, rule, stretch[rule_id, t]))
            runs: list[list] = []
            for item in met:
                t, rule, part = item
                if runs and runs[-1][-1][2] == part and (t - runs[-1][-1][0]).days < rule.days:
                    runs[-1].append(item)
                else:
                    runs.append([item])
            for run in runs:
                rule = run[0][1]
                start = run[0][0] - dt.timedelta(days=rule.days - 1)
                end = run[-1][0]
                counted = [
                    r
                    for r in sick
                    if _counts(rule, r) and _group(rule, r) == group and start <= r.date <= end
                ]
                out.append(
                    (
                        group[0],
                        group[1],
                        rule.text,
                        min(r.date for r in counted),
                        max(r.date for r in counted),
                        len({r.child for r in counted}),
                        run[0][0],
                        run[0][0] + dt.timedelta(days=rule.report_hours // 24),
                    )
                )
    return sorted(out)
