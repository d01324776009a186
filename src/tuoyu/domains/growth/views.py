from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tuoyu import clock, inputs
from tuoyu.domains.growth import charts, selectors
from tuoyu.domains.growth.actions import MEASURE_GROWTH
from tuoyu.domains.growth.forms import ClassMeasurementForm
from tuoyu.domains.growth.models import Measurement
from tuoyu.domains.growth.reading import INDICATOR_LABELS, next_due, readings, reference_for
from tuoyu.domains.growth.services import class_measurements_record
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied, can_list, get_for, require_page
from tuoyu.kernel.people.models import CareClass, Child
from tuoyu.kernel.people.selectors import classes_for
from tuoyu.kernel.people.services import may_keep
from tuoyu.kernel.registry.models import Institution
from tuoyu.kernel.registry.own_institution import to_own_institution


class _Unavailable(Exception):
    def __init__(self, message: str):
        self.message = message


def _reference(institution: Institution, on):
    """The institution's growth reference; a reference the profile names but nobody has loaded
    is said in Chinese on the page (``_unavailable``), not a server error."""
    try:
        return reference_for(institution, on)
    except DomainError as error:
        raise _Unavailable(error.message) from None


def _unavailable(view):
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _Unavailable as problem:
            return render(request, "growth/unavailable.html", {"message": problem.message}, status=503)

    return wrapped


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The menu's way in: this page of the institution the account works at."""
    return to_own_institution(request, MEASURE_GROWTH, "growth:institution", "生长监测由机构工作人员记录。")


@login_required
@_unavailable
def institution(request: HttpRequest, institution_pk: int) -> HttpResponse:
    """An institution's classes: how many children are due to be measured and how many are flagged."""
    place = get_for(request.user, Institution.objects.select_related("subdistrict"), institution_pk)
    require_page(request.user, can_list(request.user, Measurement), "本账号不查看机构的生长监测。")
    on = clock.today()
    reference = _reference(place, on)
    classes = []
    for care_class in classes_for(request.user, place):
        rows = selectors.class_rows(request.user, care_class, on, reference)
        classes.append(
            {
                "care_class": care_class,
                "children": len(rows),
                "due": sum(row.overdue for row in rows),
                "flagged": [row for row in rows if row.latest and row.latest.flags],
                "may_record": may_keep(request.user, care_class),
            }
        )
    context = {"institution": place, "classes": classes, "reference": reference}
    return render(request, "growth/institution.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_unavailable
def care_class(request: HttpRequest, pk: int) -> HttpResponse:
    """A class measured on a day (today unless another past day is asked for): one row per child."""
    current = get_for(request.user, CareClass.objects.select_related("institution__subdistrict"), pk)
    if not may_keep(request.user, current):
        raise PermissionDenied
    today_ = clock.today()
    on = min(inputs.query_date(request, "date", default=today_), today_)
    reference = _reference(current.institution, on)
    rows = selectors.class_rows(request.user, current, on, reference)
    form = ClassMeasurementForm(
        request.POST or None,
        children=[row.child for row in rows],
        recorded={row.child.pk: row.on_day for row in rows if row.on_day},
        initial={"measured_on": on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = class_measurements_record(
                actor=request.actor,
                care_class=current,
                measured_on=form.cleaned_data["measured_on"],
                rows=form.rows(),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except AccessDenied:
            raise PermissionDenied from None
        else:
            messages.success(request, f"已保存{current.name}{len(saved)}名婴幼儿的测量结果。")
            day = form.cleaned_data["measured_on"]
            return redirect(f"{request.path}?date={day:%Y-%m-%d}")
    context = {
        "care_class": current,
        "on": on,
        "is_today": on == today_,
        "form": form,
        "entries": [(row, form[f"c{row.child.pk}-weight"], form[f"c{row.child.pk}-length"]) for row in rows],
        "reference": reference,
    }
    return render(request, "growth/class.html", context, status=400 if form.errors else 200)


@login_required
@_unavailable
def child(request: HttpRequest, pk: int) -> HttpResponse:
    """A child's measurements, their z-scores and flags, and the growth charts."""
    current = get_for(
        request.user, Child.objects.select_related("institution__subdistrict", "care_class"), pk
    )
    if current.institution is None:
        raise Http404  # a child not in care is not measured by the platform
    measured = selectors.measurements_of(request.user, current)
    reference = _reference(current.institution, clock.today())
    read = readings(measured, reference)
    sex = str(current.sex)
    weight = charts.chart(
        reference.scheme,
        "weight_for_age",
        sex,
        "年龄别体重",
        "千克",
        [
            (
                r.age_days,
                float(r.measurement.weight_kg),
                f"{r.measurement.measured_on:%Y-%m-%d} {r.measurement.weight_kg} 千克",
            )
            for r in read
        ],
    )
    length = charts.chart(
        reference.scheme,
        "length_for_age",
        sex,
        "年龄别身长",
        "厘米",
        [
            (
                r.age_days,
                float(r.measurement.length_cm),
                f"{r.measurement.measured_on:%Y-%m-%d} {r.measurement.length_cm} 厘米",
            )
            for r in read
        ],
    )
    last = measured[-1].measured_on if measured else None
    context = {
        "child": current,
        "readings": list(reversed(read)),
        "charts": [weight, length],
        "labels": INDICATOR_LABELS,
        "reference": reference,
        "due_on": next_due(current.birth_date, last, reference),
    }
    return render(request, "growth/child.html", context)
