"""The audit trail: every create, update and delete of a regulated record, kept in the same transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tuoyu import clock
from tuoyu.kernel.accounts.access import Scope
from tuoyu.kernel.accounts.models import Role


class Verb(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    TRANSITION = "transition", "状态变更"


class AuditEvent(models.Model):
    at = models.DateTimeField("时间", default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the trail still says who acted after an account is removed.
    actor_name = models.CharField("操作人", max_length=120)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    verb = models.CharField("操作", max_length=12, choices=Verb.choices)
    model = models.CharField("记录类型", max_length=60)
    object_id = models.CharField("记录编号", max_length=40)
    object_repr = models.CharField("记录", max_length=200)
    region_path = models.CharField("所属区划", max_length=80, db_index=True)
    institution_id = models.BigIntegerField("所属机构", null=True, blank=True, db_index=True)
    # {field: [before, after]}; personal numbers are stored masked, never in clear.
    changes = models.JSONField("变更内容", default=dict)
    note = models.CharField("说明", max_length=200, blank=True)

    access_scope = Scope(
        region=("region_path",),
        view=frozenset({Role.REGULATOR, Role.ADMIN}),
    )

    class Meta:
        verbose_name = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_verb_display()} {self.object_repr}"
