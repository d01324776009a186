from __future__ import annotations

from django import forms

from tuoyu.kernel.forms import Form, ModelForm, RowsField
from tuoyu.kernel.people.models import (
    AdmissionCheck,
    CareClass,
    Certificate,
    Child,
    Relation,
    StaffCertificate,
    StaffCheck,
    StaffMember,
    StaffTraining,
)
from tuoyu.kernel.people.selectors import institution_accounts, open_classes
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
        self.fields["care_class"].queryset = open_classes(institution)
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
            self.fields["care_class"].queryset = open_classes(self.instance.institution)


class CareClassForm(ModelForm):
    """A new class by name and type; an open class also by who keeps its daily records."""

    class Meta:
        model = CareClass
        fields = ("name", "class_type", "keepers")
        widgets = {"keepers": forms.CheckboxSelectMultiple}
        field_classes = {"keepers": RowsField}

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["keepers"]
        else:
            self.fields["keepers"].queryset = institution_accounts(self.instance.institution)
            self.fields[
                "keepers"
            ].help_text = "勾选的保育人员账号可为本班记录晨午检；机构负责人可记录所有班级。"
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-qa", f"field-{name}")


class ChildEnrolForm(ModelForm):
    """One child taken into care: who the child is, where they live, which class, from when."""

    class Meta:
        model = Child
        fields = (
            "name",
            "id_number",
            "birth_date",
            "sex",
            "residence",
            "care_class",
            "enrolled_on",
            "allergies",
        )
        widgets = {
            "birth_date": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "enrolled_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        }

    def __init__(self, *args, institution, subdistricts, limits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["care_class"].queryset = open_classes(institution)
        # Each class says what it takes and how full it is, so the choice is made knowing both.
        self.fields["care_class"].label_from_instance = lambda c: f"{c.name}（{limits[c.pk]}）"
        self.fields["residence"].queryset = subdistricts
        self.fields["residence"].label_from_instance = lambda region: region.name
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-qa", f"field-{name}")


class InvitationForm(Form):
    relation = forms.ChoiceField(label="与孩子的关系", choices=Relation.choices)


class LinkChildForm(Form):
    code = forms.CharField(
        label="邀请码", max_length=20, help_text="托育机构发给您的 8 位邀请码，如 K7QM-3XPA"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "data-qa": "field-code"})


class AdmissionCheckForm(ModelForm):
    class Meta:
        model = AdmissionCheck
        fields = ("vaccination_checked_on", "health_check_on", "hospital")
        widgets = {
            "vaccination_checked_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "health_check_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        }


class StaffCheckForm(ModelForm):
    # A conclusion is stated, never assumed: no default, so a form sent without it is refused.
    passed = forms.TypedChoiceField(
        label="结论",
        choices=[("", "请选择"), ("1", "合格 / 无不得从业的记录"), ("0", "不合格 / 有不得从业的记录")],
        coerce=lambda value: value == "1",
    )

    class Meta:
        model = StaffCheck
        fields = ("kind", "checked_on", "passed", "issuer")
        widgets = {"checked_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d")}


class StaffCertificateForm(ModelForm):
    class Meta:
        model = StaffCertificate
        fields = ("certificate", "number", "issued_on", "expires_on")
        widgets = {
            "issued_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        }


class StaffTrainingForm(ModelForm):
    class Meta:
        model = StaffTraining
        fields = ("stage", "course", "hours", "finished_on", "provider")
        widgets = {"finished_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d")}
