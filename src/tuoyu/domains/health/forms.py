"""The class check as one form: a row of fields per child, every child 正常 until tapped otherwise."""

from __future__ import annotations

import datetime as dt

from django import forms

from tuoyu.domains.health.models import CheckAction, ChildCheck, Diagnosis, Sitting, Symptom
from tuoyu.domains.health.services import Result
from tuoyu.kernel.forms import Form
from tuoyu.kernel.people.models import Child

_PER_CHILD = ("absent", "temperature", "symptoms", "diagnosis", "action", "note")


class ClassCheckForm(Form):
    date = forms.DateField(label="日期", widget=forms.HiddenInput)
    sitting = forms.ChoiceField(label="检查", choices=Sitting.choices, widget=forms.HiddenInput)
    # When the sitting shown was last saved: a correction saved meanwhile is not overwritten.
    seen = forms.CharField(label="版本", required=False, widget=forms.HiddenInput)

    def clean_seen(self):
        seen = self.cleaned_data["seen"]
        if seen:
            try:
                dt.datetime.fromisoformat(seen)
            except ValueError:
                raise forms.ValidationError("页面已过期，请刷新后再保存。") from None
        return seen

    def __init__(
        self, *args, children: list[Child], recorded: dict[int, ChildCheck], held: dict[int, str], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.children = children
        self.held = held
        for child in children:
            row = recorded.get(child.pk)
            prefix = f"c{child.pk}"
            # A child who may not be marked present (a certificate awaited, no admission check) starts absent.
            absent = not row.present if row is not None else child.pk in held
            self.fields[f"{prefix}-absent"] = forms.BooleanField(label="缺勤", required=False, initial=absent)
            self.fields[f"{prefix}-temperature"] = forms.DecimalField(
                label="体温（℃）",
                required=False,
                max_digits=3,
                decimal_places=1,
                initial=row.temperature if row else None,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )
            self.fields[f"{prefix}-symptoms"] = forms.MultipleChoiceField(
                label="症状",
                required=False,
                choices=Symptom.choices,
                widget=forms.CheckboxSelectMultiple,
                initial=row.symptoms if row else [],
            )
            self.fields[f"{prefix}-diagnosis"] = forms.ChoiceField(
                label="疑似传染病",
                required=False,
                choices=[("", "无"), *Diagnosis.choices],
                initial=row.diagnosis if row else "",
            )
            self.fields[f"{prefix}-action"] = forms.ChoiceField(
                label="处理",
                required=False,
                choices=[("", "—"), *CheckAction.choices],
                initial=row.action if row else "",
            )
            self.fields[f"{prefix}-note"] = forms.CharField(
                label="备注", required=False, max_length=200, initial=row.note if row else ""
            )

    def rows(self):
        """Per child: the child, their fields by name, whether they are absent and whether the
        check found anything (so the page opens that child's details)."""
        for child in self.children:
            fields = {name: self[f"c{child.pk}-{name}"] for name in _PER_CHILD}
            value = {name: field.value() for name, field in fields.items()}
            found = any(value[name] for name in ("temperature", "symptoms", "diagnosis", "action", "note"))
            found = found or any(field.errors for field in fields.values())
            chosen = {str(code) for code in value["symptoms"] or ()}
            yield {
                "child": child,
                "fields": fields,
                "value": value,
                # The choices as plain rows: a class of twenty on one page would otherwise render
                # some 450 widget templates, most of the time the page takes.
                "symptoms": [(code, label, code in chosen) for code, label in Symptom.choices],
                "diagnoses": [
                    (code, label, code == (value["diagnosis"] or ""))
                    for code, label in self.fields[f"c{child.pk}-diagnosis"].choices
                ],
                "actions": [
                    (code, label, code == (value["action"] or ""))
                    for code, label in self.fields[f"c{child.pk}-action"].choices
                ],
                "found": found,
                "absent": bool(value["absent"]),
                "held": self.held.get(child.pk, ""),
            }

    def results(self) -> dict[int, Result]:
        data = self.cleaned_data
        out = {}
        for child in self.children:
            prefix = f"c{child.pk}"
            out[child.pk] = Result(
                present=not data[f"{prefix}-absent"],
                temperature=data[f"{prefix}-temperature"],
                symptoms=frozenset(data[f"{prefix}-symptoms"]),
                diagnosis=data[f"{prefix}-diagnosis"],
                action=data[f"{prefix}-action"],
                note=data[f"{prefix}-note"],
            )
        return out


class ReportForm(Form):
    note = forms.CharField(
        label="报告情况",
        max_length=200,
        help_text="报告的疾病预防控制机构、方式和时间，如：已于10时电话报告区疾控中心传染病科。",
    )


class CertificateForm(Form):
    received_on = forms.DateField(
        label="收到证明日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    issued_by = forms.CharField(label="出具证明的医疗机构", max_length=100)
