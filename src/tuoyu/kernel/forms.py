"""The base of every form on the platform: input normalised at the door, stored values round-trip.

Every form class in the code base derives from ``Form`` or ``ModelForm`` here (a test checks it), so:
- text is NFC-normalised and stripped; control characters and direction overrides are refused;
- numbers are read from ASCII digits only, dates must lie in a sane window;
- a yes/no/unknown model field renders its stored answer and reads it back unchanged (the choices
  and the rendered value are the same strings: saving an untouched form never changes a record);
- personal numbers (identity card, mobile) never travel back to the browser: the field is empty,
  shows the masked current value, and left empty keeps what is stored.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import FieldDoesNotExist

from tuoyu import text
from tuoyu.inputs import EARLIEST_DATE, LATEST_DATE
from tuoyu.kernel.accounts.fields import PersonalNumberField

_ASCII_NUMBER = re.compile(r"\s*[+-]?[0-9]*(\.[0-9]*)?\s*")

TRI_STATE_CHOICES = [("unknown", "未填报"), ("true", "是"), ("false", "否")]


class TriStateSelect(forms.NullBooleanSelect):
    """Django's own yes/no/unknown select: it renders True as "true", the value of its "是" option."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = TRI_STATE_CHOICES


class TriStateField(forms.NullBooleanField):
    widget = TriStateSelect


class MaskedNumberInput(forms.TextInput):
    """Never renders the stored value: the page source must not carry a full personal number."""

    def format_value(self, value):
        return None


class KeptNumberField(forms.CharField):
    """A personal number on an edit form: empty means "keep the stored one"."""

    widget = MaskedNumberInput

    def __init__(self, *, masked: str, **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)
        self.widget.attrs["placeholder"] = f"{masked}（不修改请留空）"
        self.widget.attrs["autocomplete"] = "off"
        self.help_text = "已脱敏显示；不修改请留空，修改请完整填写。"

    def has_changed(self, initial, data) -> bool:
        value = (data or "").strip()
        return bool(value) and value.upper() != (initial or "").upper()


class RowsField(forms.ModelMultipleChoiceField):
    """Several rows picked by id: an id that is not a number the database can hold is refused as
    an unknown choice, before any query (SQLite cannot even compare one)."""

    def _check_values(self, value):
        for pk in value:
            if not (
                isinstance(pk, str) and pk.strip().isascii() and pk.strip().isdigit() and int(pk) < 2**63
            ):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class NormalisedInput:
    """Checks every bound value after the fields have cleaned it (see the module docstring)."""

    def _clean_fields(self):
        super()._clean_fields()
        for name, bound in self._bound_items():
            if name not in self.cleaned_data:
                continue  # already refused by the field
            field, raw, value = bound.field, bound.data, self.cleaned_data[name]
            if isinstance(field.widget, forms.PasswordInput):
                continue  # a password is exactly what was typed
            message = None
            if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                if isinstance(raw, str) and not _ASCII_NUMBER.fullmatch(raw):
                    message = "请用半角数字填写。"
            elif isinstance(field, forms.CharField) and isinstance(value, str):
                value = text.normalise(value)
                message = text.problem(value, multiline=isinstance(field.widget, forms.Textarea))
                if message is None:
                    self.cleaned_data[name] = value
            elif (
                isinstance(field, forms.DateField)
                and isinstance(value, dt.date)
                and not EARLIEST_DATE <= value <= LATEST_DATE
            ):
                message = f"日期应在 {EARLIEST_DATE:%Y-%m-%d} 到 {LATEST_DATE:%Y-%m-%d} 之间。"
            if message:
                self.add_error(name, message)


class Form(NormalisedInput, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)


class ModelForm(NormalisedInput, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # A nullable model BooleanField comes as a NullBooleanField: give it our labels.
            if isinstance(field, forms.NullBooleanField) and not isinstance(field.widget, TriStateSelect):
                field.widget = TriStateSelect(attrs=field.widget.attrs)
        if self.instance is None or self.instance.pk is None:
            return
        for name, field in list(self.fields.items()):
            try:
                db_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field
                continue
            if isinstance(db_field, PersonalNumberField) and getattr(self.instance, name):
                kept = KeptNumberField(
                    masked=db_field.mask(getattr(self.instance, name)),
                    label=field.label,
                    max_length=db_field.max_length,
                )
                kept.widget.attrs.update({k: v for k, v in field.widget.attrs.items() if k == "data-qa"})
                self.fields[name] = kept

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, KeptNumberField) and not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name)
        return cleaned
