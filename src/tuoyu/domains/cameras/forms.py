from __future__ import annotations

from django import forms

from tuoyu.domains.cameras.models import Camera, CameraDay, Status, VideoSystem
from tuoyu.kernel.forms import Form, ModelForm
from tuoyu.kernel.people.models import CareClass

_DATE = {"type": "date"}


class CameraForm(ModelForm):
    """A camera of the register. Its values reach the service as a mapping; the form only reads them."""

    class Meta:
        model = Camera
        fields = ("name", "area", "care_class", "armed_24h", "armed_hours", "retention_days", "installed_on")
        widgets = {"installed_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d")}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        # The institution's own open classes, and the one already chosen even if it has closed since.
        open_or_chosen = CareClass.objects.filter(institution=institution, closed_on__isnull=True)
        if self.instance.care_class_id:
            open_or_chosen = open_or_chosen | CareClass.objects.filter(pk=self.instance.care_class_id)
        self.fields["care_class"].queryset = open_or_chosen.order_by("name", "pk")
        self.fields["care_class"].empty_label = "不属于某个班级"


class DayForm(Form):
    """How each camera in service ran on a day: all 正常 unless marked otherwise. A day already
    recorded shows what was recorded, so saving it untouched changes nothing."""

    day = forms.DateField(label="日期", widget=forms.HiddenInput)

    def __init__(self, *args, cameras: list[Camera], recorded: dict[int, CameraDay], **kwargs):
        super().__init__(*args, **kwargs)
        self.cameras = cameras
        for camera in cameras:
            row = recorded.get(camera.pk)
            self.fields[f"c{camera.pk}-status"] = forms.ChoiceField(
                label=camera.name,
                choices=Status.choices,
                initial=row.status if row else Status.NORMAL,
            )
            self.fields[f"c{camera.pk}-note"] = forms.CharField(
                label="说明",
                required=False,
                max_length=CameraDay._meta.get_field("note").max_length,
                initial=row.note if row else "",
            )

    def rows(self) -> dict[int, tuple[str, str]]:
        return {
            c.pk: (self.cleaned_data[f"c{c.pk}-status"], self.cleaned_data.get(f"c{c.pk}-note", ""))
            for c in self.cameras
        }

    def entries(self):
        return [(c, self[f"c{c.pk}-status"], self[f"c{c.pk}-note"]) for c in self.cameras]


class RetireForm(Form):
    retired_on = forms.DateField(label="停用日期", widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"))


_LIVE_VIEW = VideoSystem._meta.get_field("live_view_url")


class LiveViewForm(ModelForm):
    live_view_url = forms.URLField(
        label=_LIVE_VIEW.verbose_name,
        required=False,
        max_length=_LIVE_VIEW.max_length,
        assume_scheme="https",
        help_text=_LIVE_VIEW.help_text,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = VideoSystem
        fields = ("live_view_url",)
