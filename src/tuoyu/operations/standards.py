"""An institution's standards findings under the policy profile of the region it is in."""

from __future__ import annotations

import datetime as dt

from tuoyu.engines import policy
from tuoyu.operations.facts import institution_facts
from tuoyu.operations.models import StaffRole
from tuoyu.registry.models import Institution

ROLE_LABELS = dict(StaffRole.choices)


def profile_name_for(institution: Institution) -> str:
    return institution.subdistrict.effective_policy_profile()


_ORDER = {"fail": 0, "unknown": 1, "pass": 2, "not_applicable": 3}


def institution_findings(institution: Institution, on: dt.date | None = None) -> list[dict]:
    """Every standards finding for the institution today (or on a date), as plain dicts with citations,
    problems first; ``subject_label`` names the class or staff member a finding is about."""
    profile = policy.load_profile(profile_name_for(institution))
    on = on or dt.date.today()
    facts = institution_facts(institution, on)
    findings = [finding.to_dict() for finding in policy.check(facts, profile, on)]
    for finding in findings:
        finding["subject_label"] = _subject_label(finding["subject"], facts)
    return sorted(findings, key=lambda f: _ORDER.get(f["status"], 9))


def _subject_label(subject: str, facts: dict) -> str:
    """"class[2]" → the class's name, "staff[5]" → the person's name and post; the institution → 机构."""
    kind, _, rest = subject.partition("[")
    if not rest:
        return "机构" if subject == "institution" else subject
    index = int(rest.rstrip("]"))
    if kind == "class" and index < len(facts["classes"]):
        return facts["classes"][index]["name"]
    if kind == "staff" and index < len(facts["staff"]):
        person = facts["staff"][index]
        return f"{person['name']}（{ROLE_LABELS.get(person['role'], person['role'])}）"
    return subject


def summary(findings: list[dict]) -> dict[str, int]:
    counts = {"fail": 0, "unknown": 0, "pass": 0, "not_applicable": 0}
    for finding in findings:
        counts[finding["status"]] = counts.get(finding["status"], 0) + 1
    return counts
