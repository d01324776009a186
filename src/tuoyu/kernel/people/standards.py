"""An institution's standards findings under the policy profile of the region it is in."""

from __future__ import annotations

import datetime as dt

from tuoyu import clock
from tuoyu.engines import policy
from tuoyu.kernel.accounts.access import scoped
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.people.facts import institution_facts
from tuoyu.kernel.people.models import CareClass, StaffMember, StaffRole
from tuoyu.kernel.registry.models import Institution

ROLE_LABELS = dict(StaffRole.choices)


def profile_name_for(institution: Institution) -> str:
    return institution.subdistrict.effective_policy_profile()


_ORDER = {"fail": 0, "unknown": 1, "pass": 2, "not_applicable": 3}


def assess(institution: Institution, on: dt.date | None = None) -> tuple[dict, list[dict]]:
    """The institution's facts on a date and every standards finding about them, problems first.

    Each finding is a plain dict with its citations and a ``subject_ref`` ({"model", "id"}) naming
    the class or staff row it is about; names are added per viewer by ``labelled``.
    """
    profile = policy.load_profile(profile_name_for(institution))
    on = on or clock.today()
    refs: dict[str, list[int]] = {}
    facts = institution_facts(institution, on, refs=refs)
    findings = [finding.to_dict() for finding in policy.check(facts, profile, on)]
    for finding in findings:
        finding["subject_ref"] = _subject_ref(finding["subject"], refs)
    return facts, sorted(findings, key=lambda f: _ORDER.get(f["status"], 9))


def institution_findings(institution: Institution, on: dt.date | None = None) -> list[dict]:
    return assess(institution, on)[1]


def _subject_ref(subject: str, refs: dict[str, list[int]]) -> dict | None:
    kind, _, rest = subject.partition("[")
    if not rest or kind not in refs:
        return None
    index = int(rest.rstrip("]"))
    ids = refs[kind]
    return {"model": kind, "id": ids[index], "index": index} if index < len(ids) else None


def labelled(findings: list[dict], viewer: User) -> list[dict]:
    """Findings with a ``subject_label`` for this viewer: the class's or person's name when the viewer
    may see that row, otherwise only its position ("工作人员3")."""
    wanted = {"class": set(), "staff": set()}
    for finding in findings:
        if ref := finding.get("subject_ref"):
            wanted[ref["model"]].add(ref["id"])
    classes = dict(scoped(viewer, CareClass.objects.filter(pk__in=wanted["class"])).values_list("pk", "name"))
    people = {
        pk: f"{name}（{ROLE_LABELS.get(role, role)}）"
        for pk, name, role in scoped(viewer, StaffMember.objects.filter(pk__in=wanted["staff"])).values_list(
            "pk", "name", "role"
        )
    }
    out = []
    for finding in findings:
        ref = finding.get("subject_ref")
        if ref is None:
            label = "机构" if finding["subject"] == "institution" else finding["subject"]
        elif ref["model"] == "class":
            label = classes.get(ref["id"], f"班级{ref['index'] + 1}")
        else:
            label = people.get(ref["id"], f"工作人员{ref['index'] + 1}")
        out.append({**finding, "subject_label": label})
    return out


def summary(findings: list[dict]) -> dict[str, int]:
    counts = {"fail": 0, "unknown": 0, "pass": 0, "not_applicable": 0}
    for finding in findings:
        counts[finding["status"]] = counts.get(finding["status"], 0) + 1
    return counts
