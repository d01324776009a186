"""The people registry's blocks of the home page: an institution's classes and staff, a family's children."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tuoyu import clock
from tuoyu.kernel.accounts.access import can_list, permits
from tuoyu.kernel.people import credentials, selectors
from tuoyu.kernel.people.actions import PLACE_CHILD, REGISTER_STAFF
from tuoyu.kernel.people.models import Child
from tuoyu.kernel.registry.selectors import institutions_for


def institution(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    place = institutions_for(user).first()
    if place is None:
        return None
    registers_staff = permits(user, REGISTER_STAFF)
    staff = list(selectors.staff_for(user, place)) if registers_staff else None
    return {
        "institution": place,
        "classes": selectors.classes_for(user, place),
        "staff": staff,
        "staff_marks": credentials.roster_marks(staff or [], clock.today()),
        "registers_staff": registers_staff,
        "places_children": permits(user, PLACE_CHILD, place),
        # Posts that may not see children are shown no enrolment figure at all, never a 0.
        "enrolled": selectors.children_in(user, place).count() if can_list(user, Child) else None,
    }


def children(request: HttpRequest) -> dict[str, Any]:
    return {"children": selectors.children_for(request.user).order_by("birth_date")}
