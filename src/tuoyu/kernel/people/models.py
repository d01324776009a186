"""An institution's daily life: its classes, the children in them, and its staff."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tuoyu import clock
from tuoyu.engines.identifiers import age_in_months, mask_name
from tuoyu.engines.policy import vocabulary
from tuoyu.kernel.accounts.access import Scope
from tuoyu.kernel.accounts.fields import IdNumberField, MobileField
from tuoyu.kernel.accounts.models import Department, Role
from tuoyu.kernel.choices import text_choices
from tuoyu.text import plain_text

ClassType = text_choices("ClassType", vocabulary.CLASS_TYPES, module=__name__)


class CareClass(models.Model):
    institution = models.ForeignKey("registry.Institution", on_delete=models.CASCADE, related_name="classes")
    name = models.CharField("班级名称", max_length=40, validators=[plain_text])
    class_type = models.CharField("班型", max_length=20, choices=ClassType.choices)
    # A closed class keeps its row (the audit trail and past facts name it) but takes no one.
    closed_on = models.DateField("撤销日期", null=True, blank=True)
    # The institution accounts that keep the class's daily records (its checks, its attendance): a
    # caregiver records the classes they keep and no other (the manager records any).
    keepers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="带班账号", blank=True, related_name="kept_classes"
    )

    access_scope = Scope(
        region=("institution__subdistrict__path",),
        institution="institution",
        view=frozenset(
            {
                Role.REGULATOR,
                Role.DEPARTMENT,
                Role.MANAGER,
                Role.CAREGIVER,
                Role.INSPECTOR,
                Role.EXPERT,
                Role.ADMIN,
            }
        ),
        change=frozenset({Role.MANAGER}),
        departments={Department.HEALTH: Q()},
    )

    class Meta:
        verbose_name = "班级"
        ordering = ["institution_id", "class_type", "name"]
        constraints = [
            # Among the classes open now: next year's 托小1班 may take a closed class's name.
            models.UniqueConstraint(
                fields=["institution", "name"],
                condition=Q(closed_on__isnull=True),
                name="care_class_name_unique_in_institution",
                violation_error_message="本机构已有同名班级。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.name}"


Sex = text_choices("Sex", vocabulary.SEXES, module=__name__)


class Child(models.Model):
    name = models.CharField("姓名", max_length=40, validators=[plain_text])
    id_number = IdNumberField("身份证号", blank=True)
    birth_date = models.DateField("出生日期")
    sex = models.CharField("性别", max_length=6, choices=Sex.choices)
    residence = models.ForeignKey(
        "regions.Region",
        verbose_name="居住街道（镇）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name="在托机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    care_class = models.ForeignKey(
        CareClass,
        verbose_name="班级",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    enrolled_on = models.DateField("入托日期", null=True, blank=True)
    allergies = models.CharField("过敏与特殊照护需要", max_length=200, blank=True, validators=[plain_text])

    access_scope = Scope(
        region=("institution__subdistrict__path", "residence__path"),
        institution="institution",
        guardian="guardianships__user",
        view=frozenset({Role.REGULATOR, Role.MANAGER, Role.CAREGIVER, Role.GUARDIAN, Role.ADMIN}),
        change=frozenset({Role.MANAGER, Role.GUARDIAN}),
    )

    class Meta:
        verbose_name = "婴幼儿"
        verbose_name_plural = "婴幼儿"
        ordering = ["birth_date", "id"]

    def __str__(self) -> str:
        return mask_name(self.name)

    def age_in_months(self, on: dt.date | None = None) -> int:
        return age_in_months(self.birth_date, on or clock.today())


Relation = text_choices("Relation", vocabulary.RELATIONS, module=__name__)


class Guardianship(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField("关系", max_length=12, choices=Relation.choices)

    # Who is whose guardian is as personal as the child: the same people see it.
    access_scope = Scope(
        region=("child__institution__subdistrict__path", "child__residence__path"),
        institution="child__institution",
        guardian="user",
        view=frozenset({Role.REGULATOR, Role.MANAGER, Role.CAREGIVER, Role.GUARDIAN, Role.ADMIN}),
        change=frozenset({Role.MANAGER}),
    )

    class Meta:
        verbose_name = "监护关系"
        constraints = [models.UniqueConstraint(fields=["child", "user"], name="guardianship_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.child}"


class GuardianInvitation(models.Model):
    """An institution's invitation to a child's guardian to link their account to the child: the
    only way a family account comes to see a child in care (no self-declared links). The code is
    shown once when issued and kept only as its SHA-256."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="invitations")
    relation = models.CharField("关系", max_length=12, choices=Relation.choices)
    code_sha256 = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField("发出时间", default=clock.now)
    expires_on = models.DateField("有效期至")
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    redeemed_at = models.DateTimeField("使用时间", null=True, blank=True)

    access_scope = Scope(
        region=("child__institution__subdistrict__path",),
        institution="child__institution",
        view=frozenset({Role.MANAGER}),
        change=frozenset({Role.MANAGER}),
    )

    class Meta:
        verbose_name = "家长关联邀请"
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.child} 家长关联邀请"


# A record about a child in care (an admission check, a day's checks or attendance) belongs to the
# child's family, their institution and its regulators, reached through the row's ``child``.
CHILD_RECORD_VIEW = frozenset({Role.REGULATOR, Role.MANAGER, Role.CAREGIVER, Role.GUARDIAN, Role.ADMIN})
CHILD_RECORD_KEEPERS = frozenset({Role.MANAGER, Role.CAREGIVER})


def child_record_scope(
    *, view: frozenset[Role] = CHILD_RECORD_VIEW, change: frozenset[Role] = CHILD_RECORD_KEEPERS
) -> Scope:
    return Scope(
        region=("child__institution__subdistrict__path",),
        institution="child__institution",
        guardian="child__guardianships__user",
        view=view,
        change=change,
    )


class AdmissionCheck(models.Model):
    """What a child must pass before their first day (N12): the vaccination certificate checked and
    the admission health check; after a long absence the check is done again (a new row)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="admission_checks")
    vaccination_checked_on = models.DateField("预防接种证查验日期")
    health_check_on = models.DateField("入园健康检查日期")
    hospital = models.CharField("体检机构", max_length=100, validators=[plain_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=clock.now)

    access_scope = child_record_scope()

    class Meta:
        verbose_name = "入园健康检查"
        ordering = ["child_id", "-health_check_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.child} 入园健康检查"


class AttendanceHold(models.Model):
    """Something that keeps a child from being marked present until it is lifted: a return
    certificate awaited after a suspected infectious disease, an admission check not done (N12).
    The domain that knows why places and lifts it (``source`` names the cause, one open hold per
    cause); every page that marks a child present reads the open ones."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="holds")
    reason = models.CharField("原因", max_length=200)
    source = models.CharField(max_length=80)
    since = models.DateField("起始日期")
    lifted_on = models.DateField("解除日期", null=True, blank=True)

    access_scope = child_record_scope()

    class Meta:
        verbose_name = "暂停入园事项"
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=Q(lifted_on__isnull=True), name="attendance_hold_open_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child}：{self.reason}"


StaffRole = text_choices("StaffRole", vocabulary.ROLES, module=__name__)
Education = text_choices("Education", vocabulary.EDUCATION, module=__name__)
Certificate = text_choices("Certificate", vocabulary.CERTIFICATES, module=__name__)
StaffCheckKind = text_choices("StaffCheckKind", vocabulary.STAFF_CHECKS, module=__name__)
TrainingStage = text_choices("TrainingStage", vocabulary.TRAINING_STAGES, module=__name__)


def staff_record_scope(to_staff: str) -> Scope:
    """Who sees and keeps a staff member's record, and the records kept of them (``to_staff`` the
    path from a record to its staff member, with its trailing ``__``): the institution's manager
    keeps them; the health department and regulators see them; public security sees the security
    guards, posted by licensed companies (P13)."""
    return Scope(
        region=(f"{to_staff}institution__subdistrict__path",),
        institution=f"{to_staff}institution",
        view=frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.MANAGER, Role.INSPECTOR, Role.ADMIN}),
        change=frozenset({Role.MANAGER}),
        departments={
            Department.HEALTH: Q(),
            Department.PUBLIC_SECURITY: Q(**{f"{to_staff}role": StaffRole.SECURITY_GUARD}),
        },
    )


class StaffMember(models.Model):
    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="staff")
    name = models.CharField("姓名", max_length=40, validators=[plain_text])
    id_number = IdNumberField("身份证号")
    phone = MobileField("手机号码", blank=True)
    role = models.CharField("岗位", max_length=20, choices=StaffRole.choices)
    care_class = models.ForeignKey(
        CareClass,
        verbose_name="所在班级",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caregivers",
    )
    education = models.CharField("学历", max_length=30, choices=Education.choices, blank=True)
    relevant_background = models.BooleanField("相关专业背景", null=True, blank=True)
    management_years = models.PositiveSmallIntegerField("管理经验（年）", null=True, blank=True)
    training_passed = models.BooleanField("岗位培训合格", null=True, blank=True)
    certificates = models.JSONField("资格证书", default=list, blank=True)
    professional_title = models.CharField("职称", max_length=40, blank=True, validators=[plain_text])
    licensed_company = models.BooleanField("由持证保安公司派驻", null=True, blank=True)
    full_time = models.BooleanField("专职", default=True)
    health_exam_date = models.DateField("最近健康检查日期", null=True, blank=True)
    criminal_record_checked_on = models.DateField("最近违法犯罪记录查询日期", null=True, blank=True)
    criminal_record_clear = models.BooleanField("查询结果无不得从业的记录", null=True, blank=True)
    hired_on = models.DateField("入职日期")
    left_on = models.DateField("离职日期", null=True, blank=True)

    access_scope = staff_record_scope("")

    class Meta:
        verbose_name = "工作人员"
        ordering = ["institution_id", "role", "name"]
        constraints = [
            # One staff member works at one institution at a time (Guangdong practice, NATIONAL.md).
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(left_on__isnull=True),
                name="staff_one_active_post",
                # Says nothing of where the person works: that is another institution's record.
                violation_error_message="该身份证号的人员已在其他机构在岗登记，需原机构办理离职后才能在本机构登记。",
            ),
        ]

    def __str__(self) -> str:
        return f"{mask_name(self.name)}（{self.get_role_display()}）"

    def certificate_labels(self) -> list[str]:
        """The certificates held today (a lapsed one is not), as people read them."""
        return [
            Certificate(c).label for c in self.certificates_held(clock.today()) if c in Certificate.values
        ]

    def last_check(self, kind: str, on: dt.date) -> StaffCheck | None:
        """The newest recorded check of a kind on or before a day (a later entry of the same day wins)."""
        found = [c for c in self.checks.all() if c.kind == kind and c.checked_on <= on]
        return max(found, key=lambda c: (c.checked_on, c.recorded_at, c.pk), default=None)

    def passed_check_on(self, kind: str, on: dt.date) -> dt.date | None:
        """The day of the latest passed check of a kind by ``on``: the records, or the date entered
        on the staff form (a roster imported before the records were kept)."""
        dates = [
            c.checked_on for c in self.checks.all() if c.kind == kind and c.passed and c.checked_on <= on
        ]
        entered = (
            self.health_exam_date
            if kind == StaffCheckKind.HEALTH_EXAM
            else (self.criminal_record_checked_on if self.criminal_record_clear else None)
        )
        if entered is not None and entered <= on:
            dates.append(entered)
        return max(dates, default=None)

    def record_query_on(self, on: dt.date) -> tuple[dt.date | None, bool | None]:
        """The latest criminal-record query by ``on`` and whether it was clear: a query that found
        a record stands, whatever earlier ones said (N15)."""
        latest = self.last_check(StaffCheckKind.CRIMINAL_RECORD, on)
        entered = self.criminal_record_checked_on
        if entered is not None and entered <= on and (latest is None or entered > latest.checked_on):
            return entered, self.criminal_record_clear
        return (latest.checked_on, latest.passed) if latest is not None else (None, None)

    def certificates_held(self, on: dt.date) -> list[str]:
        """The certificates held on a day: those entered on the staff form without a record of
        their own, and those whose records show one valid that day (a lapsed one is not held)."""
        records: dict[str, list[StaffCertificate]] = {}
        for held in self.certificate_records.all():
            records.setdefault(held.certificate, []).append(held)
        valid = {code for code, rows in records.items() if any(r.valid_on(on) for r in rows)}
        entered = [code for code in self.certificates if code not in records or code in valid]
        return entered + sorted(valid - set(entered))

    def training_hours(self, on: dt.date) -> int | None:
        """Hours of pre-service training finished by a day (N04 counts the manager's); None when
        no training is recorded, so the post-training certificate can vouch instead."""
        hours = [
            t.hours
            for t in self.trainings.all()
            if t.stage == TrainingStage.PRE_SERVICE and t.finished_on <= on
        ]
        return sum(hours) if hours else None


class StaffCheck(models.Model):
    """One health examination (P17, N14) or criminal-record query (N15) of a staff member. The
    latest passed one of each kind is what the standards check reads (``StaffMember``'s dates)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField("事项", max_length=20, choices=StaffCheckKind.choices)
    checked_on = models.DateField("检查（查询）日期")
    passed = models.BooleanField("结论")
    issuer = models.CharField("检查机构（查询机关）", max_length=100, validators=[plain_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=clock.now)

    access_scope = staff_record_scope("staff__")

    class Meta:
        verbose_name = "工作人员检查记录"
        ordering = ["staff_id", "kind", "-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_kind_display()} {self.checked_on:%Y-%m-%d}"

    @property
    def verdict(self) -> str:
        if self.kind == StaffCheckKind.CRIMINAL_RECORD:
            return "无不得从业的记录" if self.passed else "有不得从业的记录"
        return "合格" if self.passed else "不合格"


class StaffCertificate(models.Model):
    """A certificate a staff member holds, with its number and validity (P11–P13)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="certificate_records")
    certificate = models.CharField("证书", max_length=30, choices=Certificate.choices)
    number = models.CharField("证书编号", max_length=60, blank=True, validators=[plain_text])
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至", null=True, blank=True, help_text="长期有效的不填")
    recorded_at = models.DateTimeField("登记时间", default=clock.now)

    access_scope = staff_record_scope("staff__")

    class Meta:
        verbose_name = "工作人员证书"
        ordering = ["staff_id", "certificate", "-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_certificate_display()}"

    def valid_on(self, on: dt.date) -> bool:
        return self.issued_on <= on and (self.expires_on is None or on <= self.expires_on)


class StaffTraining(models.Model):
    """Training a staff member completed: hours before taking up the post (N04: the manager's
    post training) and continuing training in post."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="trainings")
    stage = models.CharField("类别", max_length=20, choices=TrainingStage.choices)
    course = models.CharField("培训名称", max_length=100, validators=[plain_text])
    hours = models.PositiveSmallIntegerField(
        "学时",
        validators=[MinValueValidator(1, "学时至少为 1。"), MaxValueValidator(2000, "学时不超过 2000。")],
    )
    finished_on = models.DateField("结业日期")
    provider = models.CharField("培训机构", max_length=100, validators=[plain_text])
    recorded_at = models.DateTimeField("登记时间", default=clock.now)

    access_scope = staff_record_scope("staff__")

    class Meta:
        verbose_name = "工作人员培训记录"
        ordering = ["staff_id", "-finished_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.staff} {self.course}"
