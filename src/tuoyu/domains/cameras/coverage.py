"""What an institution's cameras cover on a day, and what falls short of its profile (P14, N10).

Read for many institutions at once (one query per kind of row), so the county's overview costs the
same few queries as one institution's page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from tuoyu.domains.cameras.models import CHILD_AREAS, CLASS_ROOMS, Area, Camera, CameraDay, Status
from tuoyu.engines import policy
from tuoyu.engines.policy.profiles import Param
from tuoyu.kernel.people.models import CareClass
from tuoyu.kernel.registry.models import Institution


@dataclass
class Coverage:
    institution: Institution
    on: dt.date
    cameras: list[Camera] = field(default_factory=list)  # in service on the day
    uncovered_classes: list[CareClass] = field(default_factory=list)
    outdoor_uncovered: bool = False
    not_armed: list[Camera] = field(default_factory=list)  # children's areas not armed 24 h
    short_retention: list[Camera] = field(default_factory=list)
    silent: list[Camera] = field(default_factory=list)  # no normal status the day before
    statuses: dict[int, CameraDay] = field(default_factory=dict)  # the day's own, by camera
    min_retention: Param | None = None
    armed_required: Param | None = None
    coverage_required: Param | None = None

    @property
    def registered(self) -> bool:
        return bool(self.cameras)

    @property
    def covers_child_areas(self) -> bool:
        return not self.uncovered_classes and not self.outdoor_uncovered

    @property
    def retention_days(self) -> int | None:
        return min((c.retention_days for c in self.cameras), default=None)

    @property
    def problems(self) -> int:
        return (
            len(self.uncovered_classes)
            + int(self.outdoor_uncovered)
            + len(self.not_armed)
            + len(self.short_retention)
            + len(self.silent)
        )


def _in_service(on: dt.date) -> Q:
    return Q(installed_on__lte=on) & (Q(retired_on__isnull=True) | Q(retired_on__gt=on))


def _params(institution: Institution, on: dt.date) -> tuple[Param | None, Param | None, Param | None]:
    profile = policy.load_profile(institution.subdistrict.effective_policy_profile())
    return (
        profile.lookup("video.min_retention_days", on),
        profile.lookup("video.armed_24h_required", on),
        profile.lookup("video.child_area_coverage_required", on),
    )


def coverage_of(institutions: Iterable[Institution], on: dt.date) -> dict[int, Coverage]:
    """Each institution's coverage on ``on`` (its subdistrict already selected)."""
    result = {i.pk: Coverage(institution=i, on=on) for i in institutions}
    if not result:
        return result
    before = on - dt.timedelta(days=1)
    cameras = list(
        Camera.objects.filter(_in_service(on), institution_id__in=list(result)).order_by("name", "pk")
    )
    # Running, or stopped for maintenance the institution reported: an interruption with a cause.
    accounted_before = set(
        CameraDay.objects.filter(
            camera__in=cameras, day=before, status__in=[Status.NORMAL, Status.MAINTENANCE]
        ).values_list("camera_id", flat=True)
    )
    owner = {c.pk: c.institution_id for c in cameras}
    for row in CameraDay.objects.filter(camera__in=cameras, day=on):
        result[owner[row.camera_id]].statuses[row.camera_id] = row
    rooms: dict[int, set[int]] = defaultdict(set)
    outdoor: set[int] = set()
    for camera in cameras:
        cover = result[camera.institution_id]
        cover.cameras.append(camera)
        if camera.care_class_id and camera.area in CLASS_ROOMS:
            rooms[camera.institution_id].add(camera.care_class_id)
        if camera.area == Area.OUTDOOR:
            outdoor.add(camera.institution_id)
        if camera.installed_on <= before and camera.pk not in accounted_before:
            cover.silent.append(camera)
    open_classes = CareClass.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on), institution_id__in=list(result)
    ).order_by("name", "pk")
    for care_class in open_classes:
        if care_class.pk not in rooms[care_class.institution_id]:
            result[care_class.institution_id].uncovered_classes.append(care_class)
    params: dict[int, tuple[Param | None, Param | None, Param | None]] = {}
    for pk, cover in result.items():
        institution = cover.institution
        # One profile look-up per subdistrict: each institution carries its own copy of it.
        if institution.subdistrict_id not in params:
            params[institution.subdistrict_id] = _params(institution, on)
        cover.min_retention, cover.armed_required, cover.coverage_required = params[
            institution.subdistrict_id
        ]
        if cover.armed_required is None or cover.armed_required.value is not True:
            cover.silent = []  # the profile does not ask for round-the-clock arming
        cover.outdoor_uncovered = bool(institution.outdoor_area_m2) and pk not in outdoor
        if cover.armed_required is not None and cover.armed_required.value is True:
            cover.not_armed = [c for c in cover.cameras if c.area in CHILD_AREAS and not c.armed_24h]
        if cover.min_retention is not None:
            cover.short_retention = [
                c for c in cover.cameras if c.retention_days < int(cover.min_retention.value)
            ]
    return result


def coverage(institution: Institution, on: dt.date) -> Coverage:
    return coverage_of([institution], on)[institution.pk]
