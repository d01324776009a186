"""An institution's daily life: its classes, the children in them, and its staff."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from tuoyu import clock
from tuoyu.engines.identifiers import age_in_months, mask_name
from tuoyu.kernel.accounts.access import Scope
from tuoyu.kernel.accounts.fields import IdNumberField, MobileField
from tuoyu.kernel.accounts.models import Department, Role
from tuoyu.text import plain_text


class ClassType(models.TextChoices):
    """P06 (003 §四(一)); N01 (设置标准 art. 19)."""

    INFANT = "infant", "乳儿班（6–12个月）"
    YOUNG_TODDLER = "young_toddler", "托小班（12–24个月）"
    OLDER_TODDLER = "older_toddler", "托大班（24–36个月）"
    MIXED = "mixed", "混龄班"


class CareClass(models.Model):
    institution = models.ForeignKey("registry.Institution", on_delete=models.CASCADE, related_name="classes")
    name = models.CharField("班级名称", max_length=40, validators=[plain_text])
    class_type = models.CharField("班型", max_length=20, choices=ClassType.choices)

    access_scope = Scope(
        region=("institution__subdistrict__path",),
        institution="institution",
        view=frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.MANAGER, Role.CAREGIVER, Role.INSPECTOR, Role.EXPERT, Role.ADMIN}),
        change=frozenset({Role.MANAGER}),
        departments={Department.HEALTH: Q()},
    )

    class Meta:
        verbose_name = "班级"
        ordering = ["institution_id", "class_type", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="care_class_name_unique_in_institution")]

    def __str__(self) -> str:
        return f"{self.institution} {self.name}"


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Child(models.Model):
    name = models.CharField("姓名", max_length=40, validators=[plain_text])
    id_number = IdNumberField("身份证号", blank=True)
    birth_date = models.DateField("出生日期")
    sex = models.CharField("性别", max_length=6, choices=Sex.choices)
    residence = models.ForeignKey(
        "regions.Region", verbose_name="居住街道（镇）", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "registry.Institution", verbose_name="在托机构", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    care_class = models.ForeignKey(
        CareClass, verbose_name="班级", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
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


class Relation(models.TextChoices):
    MOTHER = "mother", "母亲"
    FATHER = "father", "父亲"
    GRANDPARENT = "grandparent", "祖父母/外祖父母"
    OTHER = "other", "其他监护人"


class Guardianship(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField("关系", max_length=12, choices=Relation.choices)

    class Meta:
        verbose_name = "监护关系"
        constraints = [models.UniqueConstraint(fields=["child", "user"], name="guardianship_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.child}"


class StaffRole(models.TextChoices):
    """P09 (003 §四(五)一): management, care, health care and security."""

    MANAGER = "manager", "负责人（综合管理）"
    CAREGIVER = "caregiver", "保育人员"
    HEALTH_STAFF = "health_staff", "卫生保健人员"
    SECURITY_GUARD = "security_guard", "保安员"
    COOK = "cook", "炊事人员"
    OTHER = "other", "其他"


class Education(models.TextChoices):
    JUNIOR_HIGH = "junior_high", "初中"
    SENIOR_HIGH = "senior_high", "高中"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中专"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "研究生"


class Certificate(models.TextChoices):
    CHILDCARE_WORKER = "childcare_worker", "保育员（保育师）证"
    INFANT_CARER = "infant_carer", "育婴员证"
    MANAGER_TRAINING = "manager_training", "负责人岗位培训合格"
    HEALTH_CARE_TRAINING = "health_care_training", "卫生保健培训合格"
    SECURITY_GUARD_LICENCE = "security_guard_licence", "保安员证"
    TEACHER = "teacher", "教师资格证"
    NURSE = "nurse", "护士执业证书"
    DOCTOR = "doctor", "医师执业证书"


class StaffMember(models.Model):
    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="staff")
    name = models.CharField("姓名", max_length=40, validators=[plain_text])
    id_number = IdNumberField("身份证号")
    phone = MobileField("手机号码", blank=True)
    role = models.CharField("岗位", max_length=20, choices=StaffRole.choices)
    care_class = models.ForeignKey(
        CareClass, verbose_name="所在班级", null=True, blank=True, on_delete=models.SET_NULL, related_name="caregivers"
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

    access_scope = Scope(
        region=("institution__subdistrict__path",),
        institution="institution",
        view=frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.MANAGER, Role.INSPECTOR, Role.ADMIN}),
        change=frozenset({Role.MANAGER}),
        departments={
            Department.HEALTH: Q(),
            Department.PUBLIC_SECURITY: Q(role=StaffRole.SECURITY_GUARD),  # guards posted by licensed companies (P13)
        },
    )

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
        return [Certificate(c).label for c in self.certificates if c in Certificate.values]
