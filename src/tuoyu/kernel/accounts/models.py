"""Accounts: one account holds one post (role) in one jurisdiction or institution."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from tuoyu.engines.policy import vocabulary
from tuoyu.kernel.accounts.fields import MobileField
from tuoyu.kernel.choices import text_choices
from tuoyu.text import plain_text


class Role(models.TextChoices):
    REGULATOR = "regulator", "卫生健康部门"
    DEPARTMENT = "department", "相关职能部门"
    MANAGER = "manager", "机构负责人"
    CAREGIVER = "caregiver", "机构保育人员"
    GUARDIAN = "guardian", "家长"
    INSPECTOR = "inspector", "检查人员"
    EXPERT = "expert", "指导专家"
    ADMIN = "admin", "平台管理员"


Department = text_choices("Department", vocabulary.DEPARTMENTS, module=__name__)


# Roles whose reach is a region and everything below it.
REGIONAL_ROLES = frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.INSPECTOR, Role.EXPERT, Role.ADMIN})
# Roles whose reach is the institution they work at.
INSTITUTION_ROLES = frozenset({Role.MANAGER, Role.CAREGIVER})


class PlatformUserManager(UserManager):
    def get_by_natural_key(self, username):
        # "REGULATOR" signs in as "regulator": one account per name, whatever the case typed.
        return self.get(username__iexact=username)


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.GUARDIAN)
    display_name = models.CharField("姓名", max_length=40, blank=True, validators=[plain_text])
    phone = MobileField("手机号码", blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所属辖区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="监管、部门、检查和专家账号的辖区；家长账号的居住街道",
    )
    department = models.CharField("部门", max_length=30, choices=Department.choices, blank=True)
    # Set when someone else chose the password (a new account, a reset): the holder must replace it.
    must_change_password = models.BooleanField("须修改临时密码", default=False)

    objects = PlatformUserManager()

    class Meta:
        verbose_name = "账号"
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_any_case",
                violation_error_message="该账号名已被使用（不区分大小写）。",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="department") | ~models.Q(department=""),
                name="user_department_officer_has_department",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        label = Role(self.role).label
        if self.role == Role.DEPARTMENT and self.department:
            return f"{Department(self.department).label}部门"
        return label
