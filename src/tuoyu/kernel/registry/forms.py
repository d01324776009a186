from __future__ import annotations

from django import forms

from tuoyu.kernel.forms import ModelForm, TriStateField
from tuoyu.kernel.registry import declarations
from tuoyu.kernel.registry.models import Institution, ServiceType
from tuoyu.kernel.registry.rules import REGISTRATION_FIELDS
from tuoyu.kernel.registry.services import OPERATIONAL_FIELDS, editable_fields


class InstitutionForm(ModelForm):
    """The institution's own facts. ``only`` narrows it to the fields a partial update names."""

    service_types = forms.MultipleChoiceField(
        label="服务类型", choices=ServiceType.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Institution
        fields = tuple(f for f in (*REGISTRATION_FIELDS, *OPERATIONAL_FIELDS) if f != "declarations")
        widgets = {
            "lease_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "lease_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, only: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(editable_fields(self.instance))
        declared = declarations.normalised(self.instance.declarations if self.instance else {})
        for name, group, key, label in declarations.all_fields():
            self.fields[name] = TriStateField(label=label, required=False, initial=declared[group][key])
        for name in list(self.fields):
            base = "declarations" if name.startswith("decl_") else name
            if base not in allowed or (only is not None and name not in only):
                del self.fields[name]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-qa", f"field-{name}")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_age_months"), cleaned.get("max_age_months")
        if low is not None and high is not None and low > high:
            self.add_error("max_age_months", "最大收托月龄不能小于最小收托月龄。")
        start, end = cleaned.get("lease_start"), cleaned.get("lease_end")
        if start and end and end <= start:
            self.add_error("lease_end", "租期结束日期必须晚于开始日期。")
        return cleaned

    def changes(self) -> dict:
        """The changed model fields, with the declaration fields folded into ``declarations``."""
        changes = {
            name: self.cleaned_data[name] for name in self.changed_data if not name.startswith("decl_")
        }
        changed_declarations = [name for name in self.changed_data if name.startswith("decl_")]
        if changed_declarations:
            declared = declarations.normalised(self.instance.declarations)
            for name, group, key, _ in declarations.all_fields():
                if name in changed_declarations:
                    declared[group][key] = self.cleaned_data.get(name)
            changes["declarations"] = declared
        return changes
