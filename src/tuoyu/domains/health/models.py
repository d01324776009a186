"""A day's health in care: each class's morning and midday checks (晨午检, P18), the children sent
home who need a doctor's certificate to come back, and the outbreak alerts the checks raise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tuoyu import clock
from tuoyu.engines.policy import vocabulary
from tuoyu.kernel.accounts.access import Scope
from tuoyu.kernel.accounts.models import Department, Role
from tuoyu.kernel.choices import text_choices
from tuoyu.kernel.people.models import child_record_scope
from tuoyu.text import plain_text

Sitting = text_choices("Sitting", vocabulary.CHECK_SITTINGS, module=__name__)
CheckAction = text_choices("CheckAction", vocabulary.CHECK_ACTIONS, module=__name__)
Symptom = text_choices("Symptom", vocabulary.SYMPTOMS, module=__name__)
Diagnosis = text_choices("Diagnosis", vocabulary.DIAGNOSES, module=__name__)

# The health bureau and the CDC follow the checks of their jurisdiction's institutions (000 §三(七)2).
_HEALTH_DUTY = {Department.HEALTH: Q(), Department.DISEASE_CONTROL: Q()}


class ClassCheck(models.Model):
    """One sitting of one class on one day: who recorded it and when."""

    care_class = models.ForeignKey("operations.CareClass", on_delete=models.PROTECT, related_name="checks")
    date = models.DateField("日期")
    sitting = models.CharField("检查", max_length=10, choices=Sitting.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", default=clock.now)

    access_scope = Scope(
        region=("care_class__institution__subdistrict__path",),
        institution="care_class__institution",
        view=frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.MANAGER, Role.CAREGIVER, Role.ADMIN}),
        change=frozenset({Role.MANAGER, Role.CAREGIVER}),
        departments=_HEALTH_DUTY,
    )

    class Meta:
        verbose_name = "晨午检"
        ordering = ["-date", "care_class_id", "sitting"]
        constraints = [
            models.UniqueConstraint(
                fields=["care_class", "date", "sitting"], name="class_check_once_a_sitting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.care_class.name} {self.date:%Y-%m-%d} {self.get_sitting_display()}"


class ChildCheck(models.Model):
    """One child at one sitting: present or not, and what the check found. A child with nothing
    found is 正常; only the exceptions carry a temperature, symptoms, a diagnosis or an action."""

    class_check = models.ForeignKey(ClassCheck, on_delete=models.CASCADE, related_name="results")
    child = models.ForeignKey("operations.Child", on_delete=models.PROTECT, related_name="health_checks")
    present = models.BooleanField("到园", default=True)
    temperature = models.DecimalField("体温（℃）", max_digits=3, decimal_places=1, null=True, blank=True)
    symptoms = models.JSONField("症状", default=list, blank=True)
    diagnosis = models.CharField("疑似传染病", max_length=40, choices=Diagnosis.choices, blank=True)
    action = models.CharField("处理", max_length=20, choices=CheckAction.choices, blank=True)
    note = models.CharField("备注", max_length=200, blank=True, validators=[plain_text])

    # A child's health is theirs and their family's: no department officer reads it row by row.
    access_scope = Scope(
        region=("class_check__care_class__institution__subdistrict__path",),
        institution="class_check__care_class__institution",
        guardian="child__guardianships__user",
        view=frozenset({Role.REGULATOR, Role.MANAGER, Role.CAREGIVER, Role.GUARDIAN, Role.ADMIN}),
        change=frozenset({Role.MANAGER, Role.CAREGIVER}),
    )

    class Meta:
        verbose_name = "婴幼儿晨午检结果"
        constraints = [models.UniqueConstraint(fields=["class_check", "child"], name="child_check_once")]

    def __str__(self) -> str:
        return f"{self.child} {self.class_check}"

    @property
    def abnormal(self) -> bool:
        return bool(self.symptoms or self.diagnosis or self.action)

    def symptom_labels(self) -> list[str]:
        return [vocabulary.SYMPTOMS[code] for code in self.symptoms if code in vocabulary.SYMPTOMS]


class ReturnCertificate(models.Model):
    """A child sent home with a suspected infectious disease comes back only with a doctor's
    certificate (NATIONAL.md: returns only with a medical certificate); until it is recorded, a
    check cannot mark the child present."""

    child = models.ForeignKey(
        "operations.Child", on_delete=models.CASCADE, related_name="return_certificates"
    )
    sent_home = models.ForeignKey(ChildCheck, on_delete=models.PROTECT, related_name="+")
    diagnosis = models.CharField("疑似传染病", max_length=40, choices=Diagnosis.choices)
    received_on = models.DateField("收到证明日期", null=True, blank=True)
    issued_by = models.CharField("出具证明的医疗机构", max_length=100, blank=True, validators=[plain_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    access_scope = child_record_scope()

    class Meta:
        verbose_name = "复课证明"
        ordering = ["-sent_home_id"]
        constraints = [
            # One certificate awaited per child at a time.
            models.UniqueConstraint(
                fields=["child"], condition=Q(received_on__isnull=True), name="return_certificate_one_awaited"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} 复课证明"


class OutbreakAlert(models.Model):
    """A threshold of the profile met by the checks (engines/outbreak), with its reporting clock:
    open until someone records that the CDC was told."""

    institution = models.ForeignKey(
        "registry.Institution", on_delete=models.PROTECT, related_name="outbreak_alerts"
    )
    care_class = models.ForeignKey(
        "operations.CareClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbreak_alerts",
    )
    # The engine's rule id: with the institution, the class and the days it covers, what makes a
    # run of cases found again the same alert (outbreaks._same_run).
    rule = models.CharField(max_length=120)
    rule_text = models.TextField("判定标准")
    first_date = models.DateField("首例日期")
    last_date = models.DateField("末例日期")
    cases = models.PositiveIntegerField("病例数")
    raised_at = models.DateTimeField("预警时间", default=clock.now)
    report_due_at = models.DateTimeField("报告时限")
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_note = models.CharField("报告情况", max_length=200, blank=True, validators=[plain_text])
    # Set when corrected checks no longer meet the threshold (an alert already reported stays).
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)

    access_scope = Scope(
        region=("institution__subdistrict__path",),
        institution="institution",
        view=frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.MANAGER, Role.CAREGIVER, Role.ADMIN}),
        change=frozenset({Role.MANAGER, Role.REGULATOR, Role.DEPARTMENT}),
        departments=_HEALTH_DUTY,
    )

    class Meta:
        verbose_name = "聚集性疫情预警"
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        where = self.care_class.name if self.care_class_id else "全园"
        return f"{self.institution.name}{where}聚集性疫情预警"

    @property
    def is_open(self) -> bool:
        return self.reported_at is None and self.withdrawn_at is None
