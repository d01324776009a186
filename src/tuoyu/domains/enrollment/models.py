"""Admission rounds: online applications (001 §四12 入托网上约) and public lotteries for toddler
classes (003 §四(三)), allocated by deferred acceptance and verifiable by anyone."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from tuoyu import clock
from tuoyu.engines.policy.vocabulary import CLASS_TYPES
from tuoyu.kernel.accounts.access import Scope
from tuoyu.kernel.accounts.models import Role
from tuoyu.text import plain_text


class RoundState(models.TextChoices):
    DRAFT = "draft", "筹备中"
    OPEN = "open", "接受申请"
    FROZEN = "frozen", "申请名单已冻结并公示"
    COMMITTED = "committed", "已公布密钥承诺值"
    DRAWN = "drawn", "已摇号，结果已公布"
    FINISHED = "finished", "已结束"


PUBLIC_ROUND_STATES = ("open", "frozen", "committed", "drawn", "finished")


class Round(models.Model):
    region = models.ForeignKey(
        "regions.Region", verbose_name="组织单位辖区", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=80, validators=[plain_text])
    admission_date = models.DateField("入托日期", help_text="按此日的足月龄判断是否符合班级年龄段")
    opens_on = models.DateField("开始申请")
    closes_on = models.DateField("截止申请")
    max_choices = models.PositiveSmallIntegerField("最多志愿数", default=3)
    respond_days = models.PositiveSmallIntegerField("确认期限（工作日）", default=5)
    public_source = models.CharField(
        "公开随机数来源",
        max_length=200,
        blank=True,
        help_text="摇号前公布、无人能控制的公开结果，如某期全国性彩票开奖号码",
    )
    state = models.CharField("状态", max_length=10, choices=RoundState.choices, default=RoundState.DRAFT)
    version = models.PositiveIntegerField(default=0)

    # What the draw publishes, so anyone can recompute it (docs/lottery-zh.md).
    applicants_csv = models.TextField("冻结的申请名单", blank=True)
    programs_csv = models.TextField("托班与名额", blank=True)
    priorities_csv = models.TextField("优先级", blank=True)
    applicants_sha256 = models.CharField("名单SHA-256", max_length=64, blank=True)
    # After a re-allocation: the choice lists it used (decliners' lists cut, acceptances fixed).
    lists_csv = models.TextField("递补所用志愿", blank=True)
    commitment = models.CharField("密钥承诺值", max_length=64, blank=True)
    secret = models.CharField("公开后的密钥", max_length=200, blank=True)
    live_number = models.CharField("现场摇出的号码", max_length=100, blank=True)
    public_result = models.CharField("公开随机数", max_length=200, blank=True)
    seed = models.CharField("种子", max_length=64, blank=True)
    result_csv = models.TextField("录取结果", blank=True)
    cutoffs_csv = models.TextField("录取线", blank=True)
    result_sha256 = models.CharField("结果SHA-256", max_length=64, blank=True)
    drawn_at = models.DateTimeField("摇号时间", null=True, blank=True)
    responses_due = models.DateField("确认截止", null=True, blank=True)
    reallocations = models.PositiveSmallIntegerField("递补轮次", default=0)

    created_at = models.DateTimeField(default=clock.now)

    access_scope = Scope(
        region=("region__path",),
        view=frozenset({Role.REGULATOR, Role.ADMIN, Role.INSPECTOR}),
        change=frozenset({Role.REGULATOR, Role.ADMIN}),
        departments={},
        public=Q(state__in=PUBLIC_ROUND_STATES),
    )

    class Meta:
        verbose_name = "入托批次"
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="round_closes_after_it_opens",
                violation_error_message="截止申请日期不能早于开始日期。",
            ),
            models.CheckConstraint(
                condition=Q(max_choices__gte=1, max_choices__lte=5),
                name="round_one_to_five_choices",
                violation_error_message="志愿数应在1到5之间。",
            ),
            models.CheckConstraint(
                condition=Q(admission_date__gte=models.F("closes_on")),
                name="round_admission_after_applications",
                violation_error_message="入托日期不能早于申请截止日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # A round open for applications advertises itself only inside its window: the state says the
    # organiser opened it, the dates and the clock say whether a family can still apply today.
    def accepting(self, on: dt.date) -> bool:
        return self.state == RoundState.OPEN and self.opens_on <= on <= self.closes_on

    def status_label(self, on: dt.date) -> str:
        if self.state == RoundState.OPEN:
            if on < self.opens_on:
                return f"尚未开始，{self.opens_on:%Y-%m-%d}起接受申请"
            if on > self.closes_on:
                return "申请已截止，待冻结名单"
        return self.get_state_display()

    @property
    def accepting_today(self) -> bool:
        return self.accepting(clock.today())

    @property
    def status_today(self) -> str:
        return self.status_label(clock.today())


class Program(models.Model):
    """A class type of one institution offering places in a round (a 托班 in the lottery's words)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="programs")
    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="+")
    class_type = models.CharField("班型", max_length=20)
    classes = models.PositiveSmallIntegerField("班级数")
    class_limit = models.PositiveSmallIntegerField("每班人数上限")
    staying_on = models.PositiveSmallIntegerField(
        "继续在托人数", default=0, help_text="原班升入的幼儿，名额予以保留"
    )
    capacity = models.PositiveSmallIntegerField("招收名额")
    min_age_months = models.PositiveSmallIntegerField("最小月龄")
    max_age_months = models.PositiveSmallIntegerField("最大月龄（不含）")
    limit_source = models.CharField("人数上限依据", max_length=120)

    access_scope = Scope(
        region=("institution__subdistrict__path",),
        institution="institution",
        view=frozenset({Role.REGULATOR, Role.MANAGER, Role.ADMIN, Role.INSPECTOR}),
        change=frozenset({Role.REGULATOR, Role.MANAGER, Role.ADMIN}),
        public=Q(round__state__in=PUBLIC_ROUND_STATES),
    )

    class Meta:
        verbose_name = "招收班型"
        ordering = ["institution__name", "min_age_months"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "institution", "class_type"], name="program_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution.name}·{self.label}"

    @property
    def label(self) -> str:
        return CLASS_TYPES[self.class_type]  # the bare name: the ages are the program's own

    @property
    def public_id(self) -> str:
        """The id the published files use."""
        return f"P{self.pk}"


class PriorityKind(models.TextChoices):
    SIBLING = "sibling", "兄弟姐妹已在该机构入托"
    RESIDENCE = "residence", "居住在机构所在街道（镇）"
    EMPLOYEE = "employee", "父母为举办单位职工（用人单位办托育）"


class PriorityRule(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="priority_rules")
    kind = models.CharField("优先情形", max_length=12, choices=PriorityKind.choices)
    group = models.PositiveSmallIntegerField("优先组（数字越小越优先）")

    class Meta:
        verbose_name = "优先规则"
        ordering = ["group", "kind"]
        constraints = [models.UniqueConstraint(fields=["round", "kind"], name="priority_rule_once_per_round")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → 第{self.group}组"


class Response(models.TextChoices):
    PENDING = "pending", "待确认"
    ACCEPTED = "accepted", "已确认入托"
    DECLINED = "declined", "已放弃"


class Application(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    child = models.ForeignKey("operations.Child", on_delete=models.PROTECT, related_name="applications")
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    number = models.CharField("申请编号", max_length=20)
    choices = models.JSONField("志愿（按顺序）", default=list)
    # The choice list the allocation now uses: shortened by a decline (docs/allocation.md).
    active_choices = models.JSONField("当前有效志愿", default=list)
    employer = models.ForeignKey(
        "registry.Institution",
        verbose_name="父母工作单位举办的托育机构",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    employer_confirmed = models.BooleanField("职工身份已核实", default=False)
    lottery_group = models.CharField("同批申请（多胞胎）", max_length=20, blank=True)
    document = models.FileField("证明材料", upload_to="applications/%Y/", blank=True)
    submitted_at = models.DateTimeField("提交时间", default=clock.now)
    withdrawn = models.BooleanField("已撤回", default=False)

    placed = models.ForeignKey(
        Program, verbose_name="录取", null=True, blank=True, on_delete=models.SET_NULL, related_name="placed"
    )
    lottery_key = models.CharField("摇号码", max_length=64, blank=True)
    waitlist = models.JSONField("候补名次", default=dict, blank=True)
    response = models.CharField("确认", max_length=10, choices=Response.choices, blank=True)
    respond_by = models.DateField("确认期限", null=True, blank=True)
    responded_at = models.DateTimeField("确认时间", null=True, blank=True)
    # The day the accepted place became an enrolment (set once: a child who later leaves is not re-enrolled).
    enrolled_on = models.DateField("入托日期", null=True, blank=True)

    access_scope = Scope(
        region=("round__region__path",),  # the round's organiser, not the county the child lives in
        institution="placed__institution",  # the institution prepares the children it admits
        guardian="guardian",
        view=frozenset({Role.REGULATOR, Role.MANAGER, Role.GUARDIAN, Role.ADMIN}),
        change=frozenset({Role.GUARDIAN}),  # the organiser acts through the round
    )

    class Meta:
        verbose_name = "入托申请"
        ordering = ["round_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "child"],
                name="application_one_per_child_per_round",
                violation_error_message="这个孩子已在本批次提交过申请。",
            ),
            models.UniqueConstraint(fields=["round", "number"], name="application_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.number}"
