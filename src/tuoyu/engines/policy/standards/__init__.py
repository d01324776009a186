"""The standards: every rule, declared once in the module of its subject, and the engine that runs them.

- ``premises``, ``capacity``: the building and its size;
- ``staffing``, ``staff``: the staff list as a whole, and each person on it;
- ``classes``: each class;
- ``safety``, ``care``, ``governance``, ``registration``: how the institution is run and registered;
- ``home_point``: home childcare points, which other rules do not cover.

``RULES`` lists them in the order findings are reported, which saved findings and reports rely on.
Checking one institution (``check``) is a batch of one (``check_batch``).
"""

from __future__ import annotations

from tuoyu.engines.policy.standards import (  # noqa: F401 — importing a module declares its rules
    capacity,
    care,
    classes,
    governance,
    home_point,
    premises,
    registration,
    safety,
    staff,
    staffing,
)
from tuoyu.engines.policy.standards.columns import FactsBatch
from tuoyu.engines.policy.standards.engine import BatchResult, check, check_batch, check_many
from tuoyu.engines.policy.standards.rule import DECLARED, Rule

REPORT_ORDER = (
    "premises.tenure",
    "premises.indoor_area_per_place",
    "premises.outdoor_area_per_place",
    "premises.centre_area_per_place",
    "premises.child_room_floor",
    "premises.window_area",
    "scale.max_places",
    "enrolment.within_capacity",
    "staff.roles_present",
    "staff.health_staff_count",
    "staff.security_guard_count",
    "video.surveillance",
    "fees.prepaid_months",
    "registration.business_scope",
    "registration.authority",
    "governance.parents_committee",
    "safety.authorised_pickup",
    "health.daily_routines",
    "disclosure.published",
    "safety.duties",
    "care.outdoor_time",
    "home_point.max_children",
    "home_point.ratio",
    "home_point.tenure",
    "home_point.video",
    "class.size",
    "class.ratio",
    "class.age_range",
    "staff.manager_qualification",
    "staff.caregiver_qualification",
    "staff.health_staff_qualification",
    "staff.security_guard_licence",
    "staff.annual_health_exam",
    "staff.criminal_record_check",
)
if sorted(REPORT_ORDER) != sorted(DECLARED):
    raise ImportError(
        f"REPORT_ORDER and the declared rules differ: {sorted(set(REPORT_ORDER) ^ set(DECLARED))}"
    )

RULES: list[Rule] = [DECLARED[rule_id] for rule_id in REPORT_ORDER]
RULES_BY_ID: dict[str, Rule] = dict(DECLARED)

__all__ = ["RULES", "RULES_BY_ID", "BatchResult", "FactsBatch", "Rule", "check", "check_batch", "check_many"]
