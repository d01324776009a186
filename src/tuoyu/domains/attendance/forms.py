from __future__ import annotations

from django import forms

from tuoyu.domains.attendance.models import AbsenceReason, PickupPerson
from tuoyu.kernel.forms import Form, ModelForm

# The choice that is not a person on the list: the caregiver writes down who came, and the child stays.
STRANGER = "stranger"


class AbsenceForm(Form):
    reason = forms.ChoiceField(label="缺勤原因", choices=AbsenceReason.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)


class FollowUpForm(Form):
    note = forms.CharField(
        label="随访情况", max_length=200, help_text="电话联系家长了解的症状、就诊和诊断情况。"
    )


class DepartureForm(Form):
    collector = forms.ChoiceField(label="接走的人")
    name = forms.CharField(label="来人姓名", max_length=40, required=False)
    phone = forms.CharField(label="来人电话", max_length=20, required=False)
    claimed = forms.CharField(label="自称与孩子关系", max_length=40, required=False)

    def __init__(self, *args, collectors: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collector"].choices = [
            ("", "请选择"),
            *collectors,
            (STRANGER, "名单外人员（拒绝交接并通知）"),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("collector") == STRANGER and not cleaned.get("name"):
            self.add_error("name", "名单外人员来接时，请填写来人姓名。")
        return cleaned


class PickupPersonForm(ModelForm):
    class Meta:
        model = PickupPerson
        fields = ("name", "relation", "phone")
