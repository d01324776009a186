from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from tuoyu import clock
from tuoyu.domains.growth.models import Measurement
from tuoyu.kernel.forms import Form
from tuoyu.kernel.people.models import Child


def _range(field) -> list:
    """A model field's range validators (with their Chinese messages), without its digit count."""
    return [v for v in field.validators if isinstance(v, MinValueValidator | MaxValueValidator)]


class ClassMeasurementForm(Form):
    """A class measured on a day: a weight and a length per child, blank for a child not measured.
    A day already measured shows its values, so saving it untouched changes nothing."""

    measured_on = forms.DateField(label="测量日期", widget=forms.HiddenInput)

    def __init__(self, *args, children: list[Child], recorded: dict[int, Measurement], **kwargs):
        super().__init__(*args, **kwargs)
        self.children = children
        weight = Measurement._meta.get_field("weight_kg")
        length = Measurement._meta.get_field("length_cm")
        for child in children:
            row = recorded.get(child.pk)
            # The range as the model states it, so every child's value is judged in one save and
            # the message names kilograms, not digits.
            self.fields[f"c{child.pk}-weight"] = forms.DecimalField(
                label="体重（千克）",
                required=False,
                decimal_places=weight.decimal_places,
                validators=_range(weight),
                initial=row.weight_kg if row else None,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
            self.fields[f"c{child.pk}-length"] = forms.DecimalField(
                label="身长（厘米）" if child.age_in_months(clock.today()) < 24 else "身高（厘米）",
                required=False,
                decimal_places=length.decimal_places,
                validators=_range(length),
                initial=row.length_cm if row else None,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )

    def rows(self) -> dict[int, tuple[Decimal | None, Decimal | None]]:
        return {
            child.pk: (
                self.cleaned_data.get(f"c{child.pk}-weight"),
                self.cleaned_data.get(f"c{child.pk}-length"),
            )
            for child in self.children
        }
