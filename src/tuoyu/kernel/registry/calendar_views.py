from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tuoyu import clock, inputs
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import permits, require_page
from tuoyu.kernel.forms import Form
from tuoyu.kernel.regions.models import CalendarDay
from tuoyu.kernel.registry.actions import MANAGE_CALENDAR
from tuoyu.kernel.registry.calendar_services import calendar_day_remove, calendar_day_set

REASON = "节假日与调休由平台管理员维护。"


class CalendarDayForm(Form):
    date = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date", "data-qa": "calendar-date"}, format="%Y-%m-%d"),
    )
    working = forms.TypedChoiceField(
        label="类型",
        choices=[("0", "法定节假日（不上班）"), ("1", "调休上班的周末")],
        coerce=lambda value: value == "1",
        widget=forms.Select(attrs={"data-qa": "calendar-kind"}),
    )
    name = forms.CharField(
        label="说明",
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "如 国庆节 / 国庆节调休", "data-qa": "calendar-name"}),
    )


@login_required
def days(request: HttpRequest) -> HttpResponse:
    require_page(request.user, permits(request.user, MANAGE_CALENDAR), REASON)
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            calendar_day_set(
                actor=request.actor, day=data["date"], working=data["working"], name=data["name"]
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"已保存 {data['date']:%Y-%m-%d}：{data['name']}。")
            return redirect("registry:calendar")
    today = clock.today()
    context = {
        "form": form,
        "upcoming": CalendarDay.objects.filter(date__gte=today - dt.timedelta(days=31)).order_by("date"),
    }
    return render(request, "registry/calendar.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    require_page(request.user, permits(request.user, MANAGE_CALENDAR), REASON)
    try:
        day = inputs.date(request.POST.get("date", ""))
        calendar_day_remove(actor=request.actor, day=day)
    except ValueError as error:
        messages.error(request, f"日期无效：{error}")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已删除 {day:%Y-%m-%d} 的配置。")
    return redirect("registry:calendar")
