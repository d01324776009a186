"""Recording a class's measurements, and telling the institution of a child whose growth is flagged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.growth.models import Measurement
from tuoyu.domains.growth.reading import readings, reference_for
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import notify
from tuoyu.kernel.people.models import CareClass
from tuoyu.kernel.people.selectors import institution_managers
from tuoyu.kernel.people.services import may_keep


class GrowthError(StrEnum):
    FUTURE = "future"
    CLASS_CLOSED = "class_closed"
    NOT_IN_CLASS = "not_in_class"
    HALF_MEASURED = "half_measured"
    BAD_VALUE = "bad_value"
    BEFORE_BIRTH = "before_birth"


def class_measurements_record(
    *,
    actor: Actor,
    care_class: CareClass,
    measured_on: dt.date,
    rows: Mapping[int, tuple[Decimal | None, Decimal | None]],
) -> list[Measurement]:
    """Record the weight and length of the children of a class measured on a day (a child left
    blank was not measured); the same child and day again corrects the row. All or nothing."""
    with transaction.atomic():
        current = (
            CareClass.objects.select_for_update(of=("self",))
            .select_related("institution__subdistrict")
            .get(pk=care_class.pk)
        )
        if actor.user is None or not may_keep(actor, current):
            raise AccessDenied
        if current.closed_on is not None:
            raise DomainError(GrowthError.CLASS_CLOSED, f"{current.name}已撤销。")
        if measured_on > clock.today():
            raise DomainError(GrowthError.FUTURE, "测量日期不能晚于今天。", field="measured_on")
        children = {c.pk: c for c in current.children.all()}
        stray = set(rows) - set(children)
        if stray:
            raise DomainError(GrowthError.NOT_IN_CLASS, f"有{len(stray)}名婴幼儿不在{current.name}。")
        existing = {
            m.child_id: m
            for m in Measurement.objects.filter(child_id__in=list(rows), measured_on=measured_on)
        }
        saved = []
        for child_pk, (weight, length) in rows.items():
            child = children[child_pk]
            if weight is None and length is None:
                continue
            if weight is None or length is None:
                raise DomainError(
                    GrowthError.HALF_MEASURED,
                    f"{child.name}：请同时填写体重和身长。",
                    field=f"child-{child_pk}",
                )
            if measured_on < child.birth_date:
                raise DomainError(
                    GrowthError.BEFORE_BIRTH, f"{child.name}：测量日期早于出生日期。", field="measured_on"
                )
            row = existing.get(child_pk)
            if row is not None and (row.weight_kg, row.length_cm) == (weight, length):
                continue  # saved again unchanged: nothing to record
            before = snapshot(row) if row is not None else None
            row = row or Measurement(child=child, measured_on=measured_on)
            row.weight_kg, row.length_cm, row.recorded_by = weight, length, actor.user
            row.recorded_at = clock.now()
            try:
                row.full_clean(exclude=["child", "recorded_by"], validate_constraints=False)
            except ValidationError as error:
                raise DomainError(
                    GrowthError.BAD_VALUE,
                    f"{child.name}：{'；'.join(error.messages)}",
                    field=f"child-{child_pk}",
                ) from None
            row.save()
            record(actor, Verb.UPDATE if before else Verb.CREATE, row, before=before)
            row.child = child
            saved.append(row)
        _tell_institution(current, saved)
    return saved


def _tell_institution(care_class: CareClass, saved: list[Measurement]) -> None:
    """The class's keepers and the managers hear of every child a measurement flags, once per
    measurement and finding (the health staff follow them up as 体弱儿)."""
    if not saved:
        return
    reference = reference_for(care_class.institution, saved[0].measured_on)
    flagged = [r for r in readings(saved, reference) if r.flags]
    if not flagged:
        return
    institution = care_class.institution
    people = [*care_class.keepers.all(), *institution_managers(institution)]
    for reading in flagged:
        m = reading.measurement
        notify(
            users=people,
            topic=Topic.GROWTH_FLAG,
            title=f"{m.child.name}生长监测提示：{'、'.join(reading.flag_labels)}",
            body=(
                f"{m.measured_on:%Y-%m-%d} 测量：体重 {m.weight_kg:.2f} 千克，身长 {m.length_cm:.1f} 厘米"
                f"（{reading.age_text}）。按{reference.title}评价为{'、'.join(reading.flag_labels)}，"
                f"请卫生保健人员跟进管理。依据：{reference.basis}。"
            ),
            link=reverse("growth:child", args=[m.child_id]),
            region_path=institution.subdistrict.path,
            key=f"growth:{m.pk}:{m.weight_kg:.2f}:{m.length_cm:.1f}:{','.join(reading.flags)}",
        )
