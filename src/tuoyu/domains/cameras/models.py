"""An institution's cameras, the status of each on each day, and how its own video system is reached.

The platform never relays video (P14 asks that parents see it live; N10 that it is armed, covers
the children's areas and is kept 90 days): it keeps the register the regulator checks, the daily
status the institution confirms or its video system posts, and the address of the live view the
institution's own system offers parents.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tuoyu import clock
from tuoyu.kernel.accounts.access import Scope
from tuoyu.kernel.accounts.models import Department, Role
from tuoyu.text import plain_text


class Area(models.TextChoices):
    ACTIVITY = "activity", "活动室"
    SLEEP = "sleep", "睡眠室"
    WASHROOM = "washroom", "盥洗室"
    DINING = "dining", "进餐区"
    OUTDOOR = "outdoor", "户外活动场地"
    ENTRANCE = "entrance", "出入口"
    CORRIDOR = "corridor", "走廊楼梯"
    KITCHEN = "kitchen", "厨房"
    OTHER = "other", "其他区域"


# Where children live and play (N10 "covering every area where children live and play"), and the
# areas that are a class's own rooms: a class is covered when a camera watches one of them.
CHILD_AREAS = frozenset({Area.ACTIVITY, Area.SLEEP, Area.WASHROOM, Area.DINING, Area.OUTDOOR})
CLASS_ROOMS = frozenset({Area.ACTIVITY, Area.SLEEP})


def _scope(to_institution: str) -> Scope:
    """The manager keeps the register; the health department and regulators see it, and public
    security, which guides an institution's technical protection (人防、物防、技防)."""
    return Scope(
        region=(f"{to_institution}__subdistrict__path",),
        institution=to_institution,
        view=frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.MANAGER, Role.INSPECTOR, Role.ADMIN}),
        change=frozenset({Role.MANAGER}),
        departments={Department.HEALTH: Q(), Department.PUBLIC_SECURITY: Q()},
    )


class Camera(models.Model):
    institution = models.ForeignKey("registry.Institution", on_delete=models.PROTECT, related_name="cameras")
    name = models.CharField("名称（安装位置）", max_length=40, validators=[plain_text])
    area = models.CharField("覆盖区域", max_length=20, choices=Area.choices)
    care_class = models.ForeignKey(
        "operations.CareClass",
        verbose_name="所在班级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="覆盖某个班级的活动室或睡眠室时选择该班级。",
    )
    armed_24h = models.BooleanField("24小时设防", default=True)
    armed_hours = models.CharField(
        "设防时段",
        max_length=40,
        blank=True,
        validators=[plain_text],
        help_text="未24小时设防时填写，如 07:00—19:00。",
    )
    retention_days = models.PositiveSmallIntegerField(
        "录像保存天数",
        validators=[
            MinValueValidator(1, "录像保存天数应在 1 至 3650 天之间。"),
            MaxValueValidator(3650, "录像保存天数应在 1 至 3650 天之间。"),
        ],
    )
    installed_on = models.DateField("启用日期")
    retired_on = models.DateField("停用日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", default=clock.now)

    access_scope = _scope("institution")

    class Meta:
        verbose_name = "摄像头"
        ordering = ["institution_id", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def in_service(self, on) -> bool:
        return self.installed_on <= on and (self.retired_on is None or self.retired_on > on)


class Status(models.TextChoices):
    NORMAL = "normal", "正常"
    FAULT = "fault", "故障"
    OFFLINE = "offline", "离线（无画面）"
    MAINTENANCE = "maintenance", "检修"


class Source(models.TextChoices):
    CONFIRMED = "confirmed", "机构确认"
    POSTED = "posted", "视频系统上报"


class CameraDay(models.Model):
    """How one camera ran on one day; a later report of the same day replaces the earlier one."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="days")
    day = models.DateField("日期")
    status = models.CharField("运行状态", max_length=20, choices=Status.choices, default=Status.NORMAL)
    note = models.CharField("说明", max_length=100, blank=True, validators=[plain_text])
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", default=clock.now)

    access_scope = _scope("camera__institution")

    class Meta:
        verbose_name = "摄像头运行状态"
        ordering = ["camera_id", "day"]
        constraints = [models.UniqueConstraint(fields=["camera", "day"], name="camera_day_once")]

    def __str__(self) -> str:
        return f"{self.camera} {self.day:%Y-%m-%d} {self.get_status_display()}"


class VideoSystem(models.Model):
    """How the institution's own video system meets the platform: the live view it offers parents,
    and the key with which it posts the cameras' daily status (only its hash is kept)."""

    institution = models.OneToOneField(
        "registry.Institution", on_delete=models.CASCADE, related_name="video_system"
    )
    live_view_url = models.URLField(
        "家长实时查看地址",
        blank=True,
        max_length=300,
        help_text="机构视频系统为家长提供的实时查看入口（https 地址）；平台不转发视频。",
    )
    key_hash = models.CharField("接入密钥摘要", max_length=64, blank=True, db_index=True)
    key_hint = models.CharField("接入密钥末四位", max_length=4, blank=True)
    key_issued_at = models.DateTimeField("密钥生成时间", null=True, blank=True)

    access_scope = _scope("institution")

    class Meta:
        verbose_name = "机构视频系统"

    def __str__(self) -> str:
        return f"{self.institution}视频系统"
