"""A child's day in care from the door's side: arrival, absence and departure, who may collect the
child and who did (P19, 000 §三(八)2), and the collections refused."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tuoyu import clock
from tuoyu.engines.identifiers import mask_name
from tuoyu.engines.policy import vocabulary
from tuoyu.kernel.accounts.fields import MobileField
from tuoyu.kernel.accounts.models import Role
from tuoyu.kernel.choices import text_choices
from tuoyu.kernel.people.models import child_record_scope
from tuoyu.text import plain_text

AbsenceReason = text_choices("AbsenceReason", vocabulary.ABSENCE_REASONS, module=__name__)
PickupRelation = text_choices("PickupRelation", vocabulary.PICKUP_RELATIONS, module=__name__)


class PickupPerson(models.Model):
    """An adult a guardian authorised to collect the child. The child's guardians are on the list
    without an entry of their own."""

    child = models.ForeignKey("operations.Child", on_delete=models.CASCADE, related_name="pickup_people")
    name = models.CharField("姓名", max_length=40, validators=[plain_text])
    relation = models.CharField("与孩子关系", max_length=20, choices=PickupRelation.choices)
    phone = MobileField("手机号码")
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="授权人", on_delete=models.PROTECT, related_name="+"
    )
    authorised_at = models.DateTimeField("授权时间", default=clock.now)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    # The list is the guardians' to keep; the institution reads it at the door.
    access_scope = child_record_scope(
        view=frozenset({Role.MANAGER, Role.CAREGIVER, Role.GUARDIAN, Role.ADMIN}),
        change=frozenset({Role.GUARDIAN}),
    )

    class Meta:
        verbose_name = "授权接送人"
        ordering = ["child_id", "authorised_at"]

    def __str__(self) -> str:
        return f"{mask_name(self.name)}（{self.get_relation_display()}）"


class Attendance(models.Model):
    """One child on one day: arrived and left when, or absent and why; who collected the child."""

    child = models.ForeignKey("operations.Child", on_delete=models.PROTECT, related_name="attendance")
    care_class = models.ForeignKey("operations.CareClass", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("日期")
    arrived_at = models.TimeField("入园时间", null=True, blank=True)
    departed_at = models.TimeField("离园时间", null=True, blank=True)
    absence = models.CharField("缺勤原因", max_length=10, choices=AbsenceReason.choices, blank=True)
    absence_note = models.CharField("缺勤说明", max_length=200, blank=True, validators=[plain_text])
    # Every sick absence is followed up the same day (the health-care rules: attendance logged daily,
    # the cause of every absence traced).
    follow_up = models.CharField("病假随访", max_length=200, blank=True, validators=[plain_text])
    collected_by_guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collected_by_person = models.ForeignKey(
        PickupPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    access_scope = child_record_scope()

    class Meta:
        verbose_name = "考勤"
        ordering = ["-date", "child_id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "date"], name="attendance_once_a_day"),
            models.CheckConstraint(
                condition=Q(absence="") | Q(arrived_at__isnull=True, departed_at__isnull=True),
                name="attendance_absent_or_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.date:%Y-%m-%d} 考勤"

    @property
    def collector(self) -> str:
        if self.collected_by_person_id:
            return str(self.collected_by_person)
        if self.collected_by_guardian_id:
            return f"{self.collected_by_guardian}（家长）"
        return ""


class RefusedPickup(models.Model):
    """Someone not on the child's list came to collect them and was refused (P19); the manager and
    the guardians were told at once."""

    child = models.ForeignKey("operations.Child", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", default=clock.now)
    name = models.CharField("来人姓名", max_length=40, validators=[plain_text])
    phone = models.CharField("来人电话", max_length=20, blank=True, validators=[plain_text])
    claimed = models.CharField("自称关系", max_length=40, blank=True, validators=[plain_text])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    access_scope = child_record_scope()

    class Meta:
        verbose_name = "拒绝交接记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.child} 拒绝交接"
