"""The video facts of an institution as its camera register shows them, laid over the ledger's
self-declaration once a camera is registered (kernel manifest ``facts``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tuoyu.domains.cameras.coverage import coverage
from tuoyu.domains.cameras.models import CHILD_AREAS, VideoSystem
from tuoyu.kernel.registry.models import Institution


def video_facts(institution: Institution, on: dt.date) -> dict[str, Any]:
    cover = coverage(institution, on)
    if not cover.registered:
        return {}  # no register yet: the ledger's declaration stands
    watching = [c for c in cover.cameras if c.area in CHILD_AREAS]
    video: dict[str, Any] = {
        "covers_child_areas": cover.covers_child_areas,
        "armed_24h": all(c.armed_24h for c in watching) if watching else None,
        "retention_days": cover.retention_days,
        "silent_cameras": len(cover.silent),
    }
    if VideoSystem.objects.filter(institution=institution).exclude(live_view_url="").exists():
        video["parent_live_view"] = True
    return {"video": video}
