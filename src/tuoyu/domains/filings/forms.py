from __future__ import annotations

import datetime as dt

from django import forms

from tuoyu.domains.filings import rules
from tuoyu.domains.filings.models import MaterialKind
from tuoyu.kernel.forms import Form, ModelForm
from tuoyu.kernel.registry.models import Institution


class MaterialForm(Form):
    kind = forms.ChoiceField(
        label="材料类型",
        choices=MaterialKind.choices,
        widget=forms.Select(attrs={"data-qa": "material-kind"}),
    )
    file = forms.FileField(
        label="扫描件（PDF、JPG、PNG）",
        widget=forms.ClearableFileInput(attrs={"data-qa": "material-file", "accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class CommitmentForm(Form):
    agree = forms.BooleanField(
        label="本单位承诺所填信息和所附材料真实有效，并对其真实性负责",
        widget=forms.CheckboxInput(attrs={"data-qa": "commit-agree"}),
    )
    signer = forms.CharField(
        label="承诺人（法定代表人或负责人）",
        max_length=40,
        widget=forms.TextInput(attrs={"data-qa": "commit-signer"}),
    )


class ChangeForm(ModelForm):
    """The registration fields a change filing may alter; only those that differ become changes."""

    class Meta:
        model = Institution
        fields = tuple(rules.CHANGEABLE_FIELDS)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class ReviewForm(Form):
    verified_on = forms.DateField(
        label="现场核查日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    verified_by = forms.CharField(label="核查人员", max_length=80, required=False)
    notes = forms.CharField(label="现场核查情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in rules.CHECKLIST.items():
            self.fields[f"check_{key}"] = forms.BooleanField(label=label, required=False)

    def checklist(self) -> dict[str, bool]:
        return {key: self.cleaned_data.get(f"check_{key}", False) for key in rules.CHECKLIST}


class ReturnForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reasons = forms.CharField(
        label="退回理由（不符合备案条件的具体情形）",
        widget=forms.Textarea(attrs={"rows": 4, "data-qa": "return-reasons"}),
    )
    rectify_by = forms.DateField(
        label="整改期限",
        widget=forms.DateInput(attrs={"type": "date", "data-qa": "return-deadline"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rectify_by"].initial = today + dt.timedelta(days=30)


class AcceptForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label="存在不符合项仍予备案的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-qa": "accept-override"}),
    )
