"""The outbox: messages written in the same transaction as the change they report and delivered
afterwards by a background worker — to other departments (P22: registration information is pushed
to the health and public-security departments, 000 §三(六)2) and to the people a change concerns
(an institution told of its filing decision, a family of its draw result), in the platform's inbox
and through the outbound channels configured (messaging/channels.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tuoyu import clock
from tuoyu.kernel.accounts.access import Scope
from tuoyu.kernel.accounts.models import Role


class Topic(models.TextChoices):
    INSTITUTION_REGISTERED = "institution.registered", "机构登记信息"
    INSTITUTION_FILED = "institution.filed", "机构备案"
    INSTITUTION_CHANGED = "institution.changed", "机构备案变更"
    INSTITUTION_CLOSED = "institution.closed", "机构注销备案"
    INSTITUTION_SUSPENDED = "institution.suspended", "机构停业整顿"
    FILING_SUBMITTED = "filing.submitted", "备案待审核"
    FILING_DECIDED = "filing.decided", "备案办理结果"
    FILING_DEADLINE = "filing.deadline", "备案期限提醒"
    APPLICATION_RECEIVED = "application.received", "入托申请已受理"
    DRAW_RESULT = "application.draw_result", "摇号结果"
    OFFER_DEADLINE = "application.offer_deadline", "录取确认期限提醒"
    WAITLIST_MOVED = "application.waitlist_moved", "候补变动"
    CHILD_ENROLLED = "child.enrolled", "婴幼儿入托"
    CHECK_FINDING = "health.check_finding", "晨午检异常"
    OUTBREAK_ALERT = "health.outbreak_alert", "聚集性疫情预警"
    PICKUP_REFUSED = "attendance.pickup_refused", "拒绝名单外人员接送"
    PICKUP_CHANGED = "attendance.pickup_changed", "接送名单变动"
    STAFF_DUE = "operations.staff_due", "工作人员检查与证书到期"
    GROWTH_FLAG = "growth.flag", "生长监测提示"
    CAMERA_SILENT = "cameras.silent", "摄像头运行中断"
    INSTITUTION_NOTICE = "disclosure.notice", "托育机构通知"


class OutboxMessage(models.Model):
    topic = models.CharField("主题", max_length=40, choices=Topic.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    payload = models.JSONField("数据", default=dict)
    # Who receives it: the departments listed, in the region the message concerns and above.
    region_path = models.CharField("所属区划", max_length=80)
    departments = models.JSONField("接收部门", default=list)
    # A notice to named people (account ids) rather than to departments.
    recipients = models.JSONField("接收人", default=list, blank=True)
    # The page the notice concerns, a path on this platform.
    link = models.CharField("相关页面", max_length=200, blank=True)
    # Reminders are queued by a periodic job: one key, one reminder, however often the job runs.
    key = models.CharField("去重键", max_length=120, blank=True)
    created_at = models.DateTimeField("生成时间", default=clock.now)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "待推送消息"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["delivered_at", "created_at"], name="outbox_pending")]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~models.Q(key=""), name="outbox_key_once")
        ]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """A delivered message in one user's inbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="notifications")
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    access_scope = Scope(owner="user", view=frozenset(Role), change=frozenset(Role))

    class Meta:
        verbose_name = "通知"
        ordering = ["-message__created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "message"], name="notification_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ← {self.message}"
