"""Each child's weight and length, measured on the schedule the profile sets (2012规范); the
z-scores and flags are worked out from them on reading (engines/growth), under the profile's
reference, so a change of reference re-reads every measurement."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tuoyu import clock
from tuoyu.kernel.people.models import child_record_scope


class Measurement(models.Model):
    """One child measured on one day. Length is taken lying under two years and standing from
    two, as the WHO tables are; a correction of the same day updates the row."""

    child = models.ForeignKey("operations.Child", on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField("测量日期")
    weight_kg = models.DecimalField(
        "体重（千克）",
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(1, "体重应在 1 至 40 千克之间。"),
            MaxValueValidator(40, "体重应在 1 至 40 千克之间。"),
        ],
    )
    length_cm = models.DecimalField(
        "身长（身高，厘米）",
        max_digits=4,
        decimal_places=1,
        validators=[
            MinValueValidator(35, "身长应在 35 至 130 厘米之间。"),
            MaxValueValidator(130, "身长应在 35 至 130 厘米之间。"),
        ],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", default=clock.now)

    access_scope = child_record_scope()

    class Meta:
        verbose_name = "身长体重测量"
        ordering = ["child_id", "measured_on"]
        constraints = [
            models.UniqueConstraint(fields=["child", "measured_on"], name="measurement_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.measured_on:%Y-%m-%d} 身长体重"
