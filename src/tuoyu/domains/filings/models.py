"""Filing (备案) with the county health department: initial filing, change filing and closure.

P23 (000 §三(六)3, 002 §二(二)1) and 备案办法: the institution files online with its 备案书 and
承诺书 and the required materials; the department issues a receipt within 5 working days, or tells
the institution within 15 working days, with reasons, that it does not meet the standards (and
publishes that); change and closure update or cancel the filing, closure with the children and staff
properly placed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tuoyu import clock
from tuoyu.kernel.accounts.access import Scope
from tuoyu.kernel.accounts.models import Department, Role
from tuoyu.text import plain_multiline_text, plain_text


class Kind(models.TextChoices):
    INITIAL = "initial", "备案"
    CHANGE = "change", "变更备案"
    CLOSURE = "closure", "注销备案"


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交，待审核"
    RETURNED = "returned", "退回整改"
    ACCEPTED = "accepted", "已通过"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.RETURNED)


class MaterialKind(models.TextChoices):
    """备案办法 art. 2: the scans that accompany a filing."""

    LICENCE = "licence", "营业执照或法人登记证书"
    PREMISES = "premises", "场地证明（产权证明或租赁合同）"
    STAFF_QUALIFICATIONS = "staff_qualifications", "工作人员资格证明"
    STAFF_HEALTH = "staff_health", "工作人员健康合格证明"
    HYGIENE_EVALUATION = "hygiene_evaluation", "托幼机构卫生评价报告"
    FIRE_SAFETY = "fire_safety", "消防安全证明材料"
    FOOD_LICENCE = "food_licence", "食品经营许可证"
    CHANGE_PROOF = "change_proof", "变更证明材料"
    CLOSURE_STATEMENT = "closure_statement", "停办（注销）说明"
    OTHER = "other", "其他材料"


class Filing(models.Model):
    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="filings")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    # Bumped by every transition: a transition applies only to the version it was decided on, so two
    # regulators acting at once produce exactly one transition.
    version = models.PositiveIntegerField(default=0)

    # 备案书: for a change filing, the registration fields and their new values.
    changes = models.JSONField("变更事项", default=dict, blank=True)
    reason = models.TextField("说明", blank=True, validators=[plain_multiline_text])
    # 承诺书
    commitment_signed_by = models.CharField("承诺人", max_length=40, blank=True, validators=[plain_text])
    commitment_signed_at = models.DateTimeField("承诺时间", null=True, blank=True)

    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    receipt_due = models.DateField("回执期限", null=True, blank=True)
    notice_due = models.DateField("告知期限", null=True, blank=True)
    # What the institution submitted, frozen: its facts and the standards findings at that moment.
    submitted_facts = models.JSONField("提交时信息", default=dict, blank=True)
    findings = models.JSONField("标准核查结果", default=list, blank=True)

    checklist = models.JSONField("审核清单", default=dict, blank=True)
    verified_on = models.DateField("现场核查日期", null=True, blank=True)
    verified_by = models.CharField("现场核查人员", max_length=80, blank=True, validators=[plain_text])
    verification_notes = models.TextField("现场核查情况", blank=True, validators=[plain_multiline_text])

    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reasons = models.TextField("退回理由", blank=True, validators=[plain_multiline_text])
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    override_reason = models.TextField(
        "存在不符合项仍予备案的理由", blank=True, validators=[plain_multiline_text]
    )
    receipt_number = models.CharField("回执编号", max_length=60, blank=True)

    created_at = models.DateTimeField("创建时间", default=clock.now)

    access_scope = Scope(
        region=("institution__subdistrict__path",),
        institution="institution",
        view=frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.MANAGER, Role.INSPECTOR, Role.ADMIN}),
        change=frozenset({Role.REGULATOR, Role.MANAGER, Role.ADMIN}),
        departments={Department.HEALTH: Q(), Department.PUBLIC_SECURITY: Q(state="accepted")},
        # Filings that ended in a receipt are public; refusals are published as events (below).
        public=Q(state="accepted"),
    )

    class Meta:
        verbose_name = "备案"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(state__in=["draft", "submitted", "returned"]),
                name="filing_one_open_per_institution",
                violation_error_message="该机构已有未办结的备案申请。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution}·{self.get_kind_display()}"

    @property
    def failing_findings(self) -> list[dict]:
        return [f for f in self.findings if f.get("status") == "fail"]


class Material(models.Model):
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField("材料类型", max_length=30, choices=MaterialKind.choices)
    file = models.FileField("文件", upload_to="filings/%Y/")
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)

    access_scope = Scope(
        region=("filing__institution__subdistrict__path",),
        institution="filing__institution",
        view=frozenset({Role.REGULATOR, Role.MANAGER, Role.INSPECTOR, Role.ADMIN}),
        change=frozenset({Role.MANAGER}),
    )

    class Meta:
        verbose_name = "备案材料"
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"


class Event(models.Model):
    """The filing's timeline, shown to the institution and the regulator alike."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", default=clock.now)
    actor_name = models.CharField("办理人", max_length=120)
    from_state = models.CharField("原状态", max_length=10, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=10, choices=State.choices)
    note = models.TextField("说明", blank=True)

    access_scope = Scope(
        region=("filing__institution__subdistrict__path",),
        institution="filing__institution",
        view=frozenset({Role.REGULATOR, Role.MANAGER, Role.INSPECTOR, Role.ADMIN}),
        # 备案办法 art. 4: a refusal is made public, and stays public after a later resubmission.
        public=Q(to_state="returned"),
    )

    class Meta:
        verbose_name = "备案办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.filing} {self.from_state}→{self.to_state}"


class Placement(models.Model):
    """On closure, where each child and each staff member goes (备案办法 art. 5)."""

    class Person(models.TextChoices):
        CHILD = "child", "婴幼儿"
        STAFF = "staff", "工作人员"

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="placements")
    person = models.CharField("人员类别", max_length=6, choices=Person.choices)
    child = models.ForeignKey(
        "operations.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    staff = models.ForeignKey(
        "operations.StaffMember", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    destination = models.CharField("安置去向", max_length=200, validators=[plain_text])

    access_scope = Scope(
        region=("filing__institution__subdistrict__path",),
        institution="filing__institution",
        # Names of children and staff: the institution and its health department only.
        view=frozenset({Role.REGULATOR, Role.MANAGER, Role.ADMIN}),
        change=frozenset({Role.MANAGER}),
    )

    class Meta:
        verbose_name = "注销安置"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person="child", child__isnull=False, staff__isnull=True)
                    | Q(person="staff", staff__isnull=False, child__isnull=True)
                ),
                name="placement_names_one_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_person_display()} → {self.destination}"


class ReceiptCounter(models.Model):
    """Receipt numbers run per county and year without gaps; the row is locked while one is taken."""

    county = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="receipt_counter_one_per_county_year")
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}: {self.last}"
