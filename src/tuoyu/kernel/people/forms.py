from __future__ import annotations

from django import forms

from tuoyu.kernel.forms import ModelForm
from tuoyu.kernel.people.models import CareClass, Certificate, Child, StaffMember
from tuoyu.kernel.people.services import STAFF_FIELDS

_DATE = {"type": "date"}


class StaffForm(ModelForm):
    certificates = forms.MultipleChoiceField(
        label="资格证书", choices=Certificate.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = StaffMember
        fields = STAFF_FIELDS
        widgets = {
            "health_exam_date": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "criminal_record_checked_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "hired_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["care_class"].queryset = CareClass.objects.filter(institution=institution)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-qa", f"field-{name}")


class ChildForm(ModelForm):
    class Meta:
        model = Child
        fields = ("allergies", "care_class")

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        if "care_class" in self.fields:
            self.fields["care_class"].queryset = CareClass.objects.filter(
                institution_id=self.instance.institution_id
            )
