"""Reads of classes, children and staff. Every one goes through accounts.access."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When

from tuoyu.kernel.accounts.access import Action, permits, scoped
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.people.models import AttendanceHold, CareClass, Child, ClassType, StaffMember, StaffRole
from tuoyu.kernel.registry.models import Institution


def _in_order(field: str, values: list[str]) -> Case:
    """Order rows by the position of a field's value in a list (the choices' own order)."""
    return Case(
        *(When(**{field: v}, then=Value(i)) for i, v in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def classes_for(user: User, institution: Institution) -> QuerySet[CareClass]:
    active_staff = StaffMember.objects.filter(left_on__isnull=True)
    return (
        scoped(user, CareClass.objects.filter(institution=institution, closed_on__isnull=True))
        .annotate(enrolled=Count("children", distinct=True))
        .prefetch_related(Prefetch("caregivers", queryset=active_staff))
        .order_by(_in_order("class_type", ClassType.values), "name")
    )


def staff_for(user: User, institution: Institution, *, include_left: bool = False) -> QuerySet[StaffMember]:
    rows = scoped(
        user,
        StaffMember.objects.filter(institution=institution)
        .select_related("care_class", "institution__subdistrict")
        .prefetch_related("checks", "certificate_records"),
    )
    if not include_left:
        rows = rows.filter(left_on__isnull=True)
    return rows.order_by(_in_order("role", StaffRole.values), "care_class__name", "name")


def children_for(user: User, action: Action = Action.VIEW) -> QuerySet[Child]:
    return scoped(user, Child.objects.select_related("institution", "care_class", "residence"), action)


def children_in(user: User, institution: Institution) -> QuerySet[Child]:
    return children_for(user).filter(institution=institution).order_by("care_class__name", "birth_date")


def open_classes(institution: Institution) -> QuerySet[CareClass]:
    """The classes a child or a caregiver can be placed in (the caller has access to the institution)."""
    return CareClass.objects.filter(institution=institution, closed_on__isnull=True).order_by(
        _in_order("class_type", ClassType.values), "name"
    )


def institution_managers(institution: Institution) -> list[User]:
    """The institution's accounts that keep every class (its managers): told of what concerns it all."""
    from tuoyu.kernel.people.actions import KEEP_ANY_CLASS

    return [user for user in institution_accounts(institution) if permits(user, KEEP_ANY_CLASS, institution)]


def institution_accounts(institution: Institution) -> QuerySet[User]:
    """The active accounts working at the institution (its manager and caregivers)."""
    return User.objects.filter(
        memberships__institution=institution, memberships__active=True, is_active=True
    ).order_by("display_name", "username")


def open_holds(children) -> dict[int, list[AttendanceHold]]:
    """The open holds of these children (already read through access), by child id."""
    found: dict[int, list[AttendanceHold]] = {}
    for hold in AttendanceHold.objects.filter(child__in=children, lifted_on__isnull=True).order_by(
        "since", "pk"
    ):
        found.setdefault(hold.child_id, []).append(hold)
    return found
