"""Administrative regions (province → city → county → subdistrict → community) and their population."""

from __future__ import annotations

from django.db import models

from tuoyu.engines.identifiers import DivisionLevel, division_level
from tuoyu.engines.policy import vocabulary
from tuoyu.kernel.choices import text_choices
from tuoyu.text import plain_text


class Level(models.TextChoices):
    PROVINCE = DivisionLevel.PROVINCE, "省"
    CITY = DivisionLevel.CITY, "市"
    COUNTY = DivisionLevel.COUNTY, "县（区）"
    SUBDISTRICT = DivisionLevel.SUBDISTRICT, "街道（镇）"
    COMMUNITY = DivisionLevel.COMMUNITY, "社区（村）"


# Where planning norms differ (P35, P36).
AreaType = text_choices("AreaType", vocabulary.AREA_TYPES, module=__name__)


class Region(models.Model):
    code = models.CharField("行政区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=60)
    level = models.CharField("层级", max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Codes from the root down, each followed by "/": a region's descendants are the rows whose
    # path starts with its own, which is how jurisdiction scoping filters in one indexed query.
    path = models.CharField("层级路径", max_length=80, db_index=True, editable=False)
    area_type = models.CharField("区域类型", max_length=20, choices=AreaType.choices, blank=True)
    # Name of the policy profile that governs this region; empty = the parent's profile.
    policy_profile = models.CharField("政策配置", max_length=60, blank=True)
    lon = models.FloatField("中心经度", null=True, blank=True)
    lat = models.FloatField("中心纬度", null=True, blank=True)
    synthetic = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.level = division_level(self.code)
        self.path = (self.parent.path if self.parent_id else "") + self.code + "/"
        self.__dict__.pop("_effective_profile", None)
        super().save(*args, **kwargs)

    def ancestors(self) -> list[Region]:
        """This region and those above it, nearest first."""
        codes = [c for c in self.path.split("/") if c]
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in reversed(codes) if c in by_code]

    def effective_policy_profile(self) -> str:
        """The profile of the nearest region up the tree that names one. Kept on this instance:
        one request asks several times (the fever line, the outbreak thresholds) of one row."""
        if "_effective_profile" not in self.__dict__:
            found = next((r.policy_profile for r in self.ancestors() if r.policy_profile), "national")
            self.__dict__["_effective_profile"] = found
        return self.__dict__["_effective_profile"]


class Population(models.Model):
    """Resident population of a region in a year: the denominator of places per 1000."""

    region = models.ForeignKey(
        Region, verbose_name="区划", on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField("年份")
    total = models.PositiveIntegerField("常住人口")
    under_3 = models.PositiveIntegerField("3岁以下婴幼儿数")
    source = models.CharField("数据来源", max_length=120, blank=True)

    class Meta:
        verbose_name = "人口"
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="population_one_per_region_year"),
            models.CheckConstraint(
                condition=models.Q(under_3__lte=models.F("total")),
                name="population_under_3_within_total",
                violation_error_message="3岁以下婴幼儿数不能超过常住人口。",
            ),
        ]
        ordering = ["region__code", "year"]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class CalendarDay(models.Model):
    """A day that differs from the Monday-to-Friday week: a public holiday or an adjusted working day (调休)."""

    date = models.DateField("日期", unique=True)
    working = models.BooleanField("是否上班", help_text="法定节假日填“否”；调休上班的周末填“是”")
    name = models.CharField("说明", max_length=40, validators=[plain_text])

    class Meta:
        verbose_name = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class PopulationCell(models.Model):
    """Residents of one grid cell (e.g. 250 m, from a census or population grid): the demand side of
    accessibility. Cells belong to the subdistrict that contains their centre."""

    region = models.ForeignKey(
        Region, verbose_name="所在街道（镇）", on_delete=models.CASCADE, related_name="cells"
    )
    year = models.PositiveSmallIntegerField("年份")
    lon = models.FloatField("中心经度")
    lat = models.FloatField("中心纬度")
    population = models.PositiveIntegerField("常住人口")
    under_3 = models.PositiveIntegerField("3岁以下婴幼儿数")

    class Meta:
        verbose_name = "人口网格"
        indexes = [models.Index(fields=["region", "year"], name="cell_region_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year} ({self.lon:.4f}, {self.lat:.4f})"
