"""Planning's block of the home page: places by subdistrict against population."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tuoyu import clock
from tuoyu.domains.planning.selectors import supply_by_subdistrict, total_row
from tuoyu.kernel.accounts.access import can_list
from tuoyu.kernel.people.models import Child


def supply(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if user.region is None:
        return None
    rows = supply_by_subdistrict(user, clock.today().year)
    # Posts that may not see children are shown no enrolment figures at all, never a 0.
    return {"rows": rows, "total": total_row(rows, user.region), "shows_enrolled": can_list(user, Child)}
