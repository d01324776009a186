"""An institution as the policy engine sees it: the facts format of docs/facts.md, built from the database.

The caller has already been granted access to the institution; this reads its classes and staff
without further scoping because the facts never leave the check they are built for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from tuoyu import clock
from tuoyu.engines import policy
from tuoyu.engines.identifiers import age_in_months
from tuoyu.engines.policy.vocabulary import REGISTRAR_BY_CREDIT_CODE
from tuoyu.kernel.manifest import fact_sources
from tuoyu.kernel.people.models import CareClass, StaffCheckKind, StaffMember
from tuoyu.kernel.registry import declarations
from tuoyu.kernel.registry.models import Institution, ProvisionModel


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# A 行政审批局 (003 附件2 #18) registers under the 民政 and 市场监管 regimes too, so where the locality's
# profile names one, those two characters of the credit code no longer say who registered.
_SHARED_WITH_APPROVAL_OFFICE = {"civil_affairs", "market_regulation"}


def _registered_with(institution: Institution, on: dt.date) -> str | None:
    """The registering office: as recorded; else read off the credit code where that is unambiguous;
    else None (unknown — the check then asks for it rather than guessing)."""
    if institution.registered_with:
        return institution.registered_with
    regime = REGISTRAR_BY_CREDIT_CODE.get(institution.credit_code[:1])
    if regime in _SHARED_WITH_APPROVAL_OFFICE:
        profile = policy.load_profile(institution.subdistrict.effective_policy_profile())
        table = profile.lookup("registration.authority_by_nature", on)
        if table is not None and any(
            "administrative_approval" in offices for offices in table.value.values()
        ):
            return None
    return regime


def institution_facts(
    institution: Institution, on: dt.date | None = None, *, refs: dict | None = None
) -> dict[str, Any]:
    """The facts on a date. ``refs``, when given, receives the primary keys of the classes and staff
    in the order the facts list them ({"class": [...], "staff": [...]}), so findings about
    ``class[i]`` / ``staff[i]`` can be traced back to their rows."""
    on = on or clock.today()
    # As the institution stood on that date: children already enrolled, staff already hired and
    # not yet gone (a filing reviewed later, or a history replayed, must not count later arrivals).
    present = Q(children__birth_date__lte=on) & (
        Q(children__enrolled_on__isnull=True) | Q(children__enrolled_on__lte=on)
    )
    in_post = Q(hired_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))
    caregiving = Q(caregivers__hired_on__lte=on) & (
        Q(caregivers__left_on__isnull=True) | Q(caregivers__left_on__gt=on)
    )
    classes = (
        CareClass.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on), institution=institution)
        .annotate(
            enrolled=Count("children", filter=present, distinct=True),
            staffed=Count("caregivers", filter=caregiving, distinct=True),
        )
        .order_by("pk")
    )
    staff = (
        StaffMember.objects.filter(in_post, institution=institution)
        .prefetch_related("certificate_records", "trainings", "checks")
        .order_by("pk")
    )
    enrolled = sum(c.enrolled for c in classes)
    if refs is not None:
        refs["class"] = [c.pk for c in classes]
        refs["staff"] = [s.pk for s in staff]
    facts = {
        "name": institution.name,
        "nature": str(institution.nature),
        "legal_form": str(institution.legal_form),
        "operator": str(institution.operator),
        "affordable": institution.affordable,
        "service_centre": institution.service_centre,
        "home_childcare_point": institution.provision_model == ProvisionModel.HOME_POINT,
        "registered_with": _registered_with(institution, on),
        "premises": {
            "tenure": institution.tenure or None,
            "lease_start": _date(institution.lease_start),
            "lease_end": _date(institution.lease_end),
            "indoor_area_m2": _number(institution.indoor_area_m2),
            "outdoor_area_m2": _number(institution.outdoor_area_m2),
            "building_area_m2": _number(institution.building_area_m2),
            "floor_of_child_rooms": institution.floor_of_child_rooms,
            "child_rooms_below_ground": institution.child_rooms_below_ground,
            "window_area_ratio": _number(institution.window_area_ratio),
        },
        "outdoor_minutes_per_day": institution.outdoor_minutes_per_day,
        "places": institution.places,
        "enrolled": enrolled,
        "classes": [
            {
                "name": c.name,
                "type": str(c.class_type),
                "children": c.enrolled,
                "caregivers": c.staffed,
                **_age_span(c, on),
            }
            for c in classes
        ],
        "staff": [
            {
                "name": s.name,
                "role": str(s.role),
                "education": s.education or None,
                "relevant_background": s.relevant_background,
                "management_years": s.management_years,
                "training_passed": s.training_passed,
                "certificates": s.certificates_held(on),
                "training_hours": s.training_hours(on),
                # As the records stood on the day: a check recorded later does not count back.
                "health_exam_date": _date(s.passed_check_on(StaffCheckKind.HEALTH_EXAM, on)),
                "criminal_record_checked_on": _date(queried[0]),
                "criminal_record_clear": queried[1],
                "professional_title": s.professional_title or None,
                "licensed_company": s.licensed_company,
                "full_time": s.full_time,
                "hired_on": _date(s.hired_on),
            }
            for s in staff
            for queried in [s.record_query_on(on)]
        ],
        "video": {
            "covers_child_areas": institution.video_covers_child_areas,
            "armed_24h": institution.video_armed_24h,
            "retention_days": institution.video_retention_days,
            "parent_live_view": institution.video_parent_live_view,
            "one_button_alarm": institution.video_one_button_alarm,
        },
        **declarations.normalised(institution.declarations),
        "prepaid_fee_months": institution.prepaid_fee_months,
        "business_scope": institution.business_scope or None,
        "parents_committee": institution.parents_committee,
        "service_types": list(institution.service_types),
    }
    for source in fact_sources():
        for key, value in source(institution, on).items():
            if isinstance(value, dict) and isinstance(facts.get(key), dict):
                facts[key] = {**facts[key], **value}
            else:
                facts[key] = value
    return facts


def _age_span(care_class: CareClass, on: dt.date) -> dict[str, int]:
    births = list(
        care_class.children.filter(birth_date__lte=on)
        .exclude(enrolled_on__gt=on)
        .values_list("birth_date", flat=True)
    )
    if not births:
        return {}
    return {
        "youngest_months": age_in_months(max(births), on),
        "oldest_months": age_in_months(min(births), on),
    }
