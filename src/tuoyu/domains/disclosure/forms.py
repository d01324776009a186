from __future__ import annotations

from django import forms

from tuoyu.domains.disclosure.models import WEEKDAYS, FeeItem, Meal, MealAccount, Notice, WeeklyMenu
from tuoyu.domains.disclosure.services import DISH_LENGTH
from tuoyu.kernel.forms import Form, ModelForm
from tuoyu.kernel.people.models import CareClass


class FeeItemForm(ModelForm):
    class Meta:
        model = FeeItem
        fields = ("name", "amount", "unit", "prepaid_months", "note")


class MealAccountForm(ModelForm):
    month = forms.DateField(
        label="月份（该月任一天）", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta:
        model = MealAccount
        fields = ("income", "food_cost", "other_cost", "child_days", "note")


class MenuForm(Form):
    """A week's menu: one text box per weekday and meal. A week already published shows its dishes,
    so saving it untouched changes nothing."""

    week = forms.DateField(widget=forms.HiddenInput)

    def __init__(self, *args, menu: WeeklyMenu | None, weekend: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        stored = menu.dishes if menu else {}
        # Monday to Friday, and the weekend when the week already has weekend meals or it is asked for.
        self.days = 7 if weekend or any(int(day) >= 5 for day in stored) else 5
        for weekday in range(self.days):
            for meal, label in Meal.choices:
                self.fields[f"d{weekday}-{meal}"] = forms.CharField(
                    label=f"{WEEKDAYS[weekday]}{label}",
                    required=False,
                    max_length=DISH_LENGTH,
                    initial=stored.get(str(weekday), {}).get(meal, ""),
                )

    def dishes(self) -> dict[int, dict[str, str]]:
        return {
            weekday: {meal: self.cleaned_data.get(f"d{weekday}-{meal}", "") for meal in Meal.values}
            for weekday in range(self.days)
        }

    def grid(self):
        return [(WEEKDAYS[d], [self[f"d{d}-{meal}"] for meal in Meal.values]) for d in range(self.days)]


class NoticeForm(ModelForm):
    class Meta:
        model = Notice
        fields = ("care_class", "title", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["care_class"].queryset = CareClass.objects.filter(
            institution=institution, closed_on__isnull=True
        ).order_by("name", "pk")
        self.fields["care_class"].empty_label = "全园家长"
        self.fields["care_class"].label_from_instance = lambda care_class: care_class.name
