"""What an institution publishes to its children's guardians (N16, P15): its fee items, the week's
menu, the month's meal account, and notices to a class or to every family."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tuoyu import clock
from tuoyu.kernel.accounts.access import Scope
from tuoyu.kernel.accounts.models import Department, Role
from tuoyu.text import plain_multiline_text, plain_text

_READERS = frozenset(
    {Role.REGULATOR, Role.DEPARTMENT, Role.MANAGER, Role.CAREGIVER, Role.INSPECTOR, Role.ADMIN, Role.GUARDIAN}
)


def _scope(to_institution: str, *, guardian: str | None = None) -> Scope:
    """The manager publishes; regulators and the departments that supervise fees and food read;
    the guardians of the institution's children read what is published to them."""
    return Scope(
        region=(f"{to_institution}__subdistrict__path",),
        institution=to_institution,
        guardian=guardian,
        view=_READERS,
        change=frozenset({Role.MANAGER}),
        departments={Department.HEALTH: Q(), Department.MARKET_REGULATION: Q()},
    )


_GUARDIANS = "institution__children__guardianships__user"
_MONEY = [MinValueValidator(0, "金额不能为负数。"), MaxValueValidator(10_000_000, "金额过大，请核对。")]


class FeeUnit(models.TextChoices):
    MONTH = "month", "每月"
    DAY = "day", "每天"
    TERM = "term", "每学期"
    ONCE = "once", "一次性"


class FeeItem(models.Model):
    institution = models.ForeignKey(
        "registry.Institution", on_delete=models.PROTECT, related_name="fee_items"
    )
    name = models.CharField("收费项目", max_length=40, validators=[plain_text])
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2, validators=_MONEY)
    unit = models.CharField("计费方式", max_length=10, choices=FeeUnit.choices)
    prepaid_months = models.PositiveSmallIntegerField(
        "最多预收月数",
        default=1,
        validators=[MaxValueValidator(36, "预收月数不能超过 36 个月。")],
        help_text="一次最多向家长预收几个月的费用；0 表示不预收。",
    )
    note = models.CharField("说明", max_length=100, blank=True, validators=[plain_text])
    withdrawn_on = models.DateField("停止收取日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", default=clock.now)

    access_scope = _scope("institution", guardian=_GUARDIANS)

    class Meta:
        verbose_name = "收费项目"
        ordering = ["institution_id", "pk"]

    def __str__(self) -> str:
        return self.name


class Meal(models.TextChoices):
    BREAKFAST = "breakfast", "早餐"
    MORNING_SNACK = "morning_snack", "早点"
    LUNCH = "lunch", "午餐"
    AFTERNOON_SNACK = "afternoon_snack", "午点"
    DINNER = "dinner", "晚餐"


WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class WeeklyMenu(models.Model):
    """The week's menu from its Monday: ``dishes`` maps a weekday (0 = Monday) to its meals' dishes."""

    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="menus")
    week_of = models.DateField("周一日期")
    dishes = models.JSONField("菜品", default=dict)
    published_at = models.DateTimeField("公布时间", default=clock.now)

    access_scope = _scope("institution", guardian=_GUARDIANS)

    class Meta:
        verbose_name = "每周食谱"
        ordering = ["institution_id", "-week_of"]
        constraints = [models.UniqueConstraint(fields=["institution", "week_of"], name="menu_once_a_week")]

    def __str__(self) -> str:
        return f"{self.week_of:%Y-%m-%d}起一周食谱"


class MealAccount(models.Model):
    """A month's meal account: what families paid for meals and what was spent on food (N16: meal
    accounts published monthly), so families see that meal fees buy food."""

    institution = models.ForeignKey(
        "registry.Institution", on_delete=models.PROTECT, related_name="meal_accounts"
    )
    month = models.DateField("月份")  # its first day
    income = models.DecimalField("伙食费收入（元）", max_digits=12, decimal_places=2, validators=_MONEY)
    food_cost = models.DecimalField(
        "食品原材料支出（元）", max_digits=12, decimal_places=2, validators=_MONEY
    )
    other_cost = models.DecimalField(
        "其他伙食支出（元）",
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=_MONEY,
        help_text="燃料、炊事用品等；不含人员工资。",
    )
    child_days = models.PositiveIntegerField(
        "就餐人天数", validators=[MaxValueValidator(10_000_000, "就餐人天数过大，请核对。")]
    )
    note = models.CharField("说明", max_length=200, blank=True, validators=[plain_text])
    published_at = models.DateTimeField("公布时间", default=clock.now)

    access_scope = _scope("institution", guardian=_GUARDIANS)

    class Meta:
        verbose_name = "伙食账目"
        ordering = ["institution_id", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "month"], name="meal_account_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}伙食账目"

    @property
    def balance(self):
        return self.income - self.food_cost - self.other_cost

    @property
    def food_share(self):
        """Food's share of the meal income, in per cent (None without income)."""
        return None if not self.income else round(self.food_cost * 100 / self.income, 1)

    @property
    def per_child_day(self):
        return None if not self.child_days else round(self.food_cost / self.child_days, 2)


class Notice(models.Model):
    """A notice from the institution to the guardians of one class, or of every child."""

    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="notices")
    care_class = models.ForeignKey(
        "operations.CareClass",
        verbose_name="发送范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("标题", max_length=60, validators=[plain_text])
    body = models.TextField("内容", max_length=2000, validators=[plain_multiline_text])
    published_at = models.DateTimeField("发布时间", default=clock.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # A class's notice reaches that class's families only; a whole-institution one every family.
    access_scope = Scope(
        region=("institution__subdistrict__path",),
        institution="institution",
        guardian="recipients__user",
        view=_READERS,
        change=frozenset({Role.MANAGER}),
        departments={Department.HEALTH: Q()},
    )

    class Meta:
        verbose_name = "机构通知"
        ordering = ["institution_id", "-published_at"]

    def __str__(self) -> str:
        return self.title


class NoticeRecipient(models.Model):
    """A guardian a notice was sent to, fixed when it was sent (a family that arrives later does not
    read the notices of before; one that leaves keeps what it was sent)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    access_scope = Scope(owner="user", view=frozenset({Role.GUARDIAN}), change=frozenset())

    class Meta:
        verbose_name = "通知接收人"
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_recipient_once")]

    def __str__(self) -> str:
        return f"{self.notice} → {self.user}"
