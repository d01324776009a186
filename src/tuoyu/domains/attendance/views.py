from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu import clock
from tuoyu.domains.attendance import selectors
from tuoyu.domains.attendance.actions import AUTHORISE_PICKUP, KEEP_ATTENDANCE
from tuoyu.domains.attendance.forms import (
    STRANGER,
    AbsenceForm,
    DepartureForm,
    FollowUpForm,
    PickupPersonForm,
)
from tuoyu.domains.attendance.models import PickupPerson
from tuoyu.domains.attendance.services import (
    absence_record,
    arrival_record,
    collectors,
    departure_record,
    follow_up_record,
    may_keep_attendance,
    pickup_person_add,
    pickup_person_revoke,
    pickup_refuse,
)
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, get_for, permits, require_page
from tuoyu.kernel.people.admission import admission_problems
from tuoyu.kernel.people.models import CareClass, Child
from tuoyu.kernel.people.selectors import children_for, classes_for, open_holds
from tuoyu.kernel.people.services import may_keep
from tuoyu.kernel.registry.models import Institution
from tuoyu.kernel.registry.own_institution import to_own_institution


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The menu's way in: this page of the institution the account works at."""
    return to_own_institution(
        request, KEEP_ATTENDANCE, "attendance:institution", "考勤和接送由机构工作人员记录。"
    )


@login_required
def institution(request: HttpRequest, institution_pk: int) -> HttpResponse:
    """Today at the door, class by class."""
    place = get_for(request.user, Institution.objects.select_related("subdistrict"), institution_pk)
    classes = list(classes_for(request.user, place))
    on = clock.today()
    tallies = selectors.tallies(request.user, classes, on)
    rows = [{"care_class": c, "tally": tallies[c.pk], "keeps": may_keep(request.user, c)} for c in classes]
    return render(request, "attendance/institution.html", {"institution": place, "rows": rows, "on": on})


def _child(request: HttpRequest, pk: int) -> Child:
    child = get_for(request.user, Child.objects.select_related("care_class__institution"), pk)
    if not may_keep_attendance(request.user, child):
        raise PermissionDenied
    return child


@login_required
def class_day(request: HttpRequest, pk: int) -> HttpResponse:
    """One class's door today: who came, who is absent and why, who left with whom."""
    care_class = get_for(request.user, CareClass.objects.select_related("institution"), pk)
    if not may_keep(request.user, care_class) or not permits(request.user, KEEP_ATTENDANCE, care_class):
        raise PermissionDenied
    on = clock.today()
    children = list(
        Child.objects.filter(care_class=care_class).exclude(enrolled_on__gt=on).order_by("birth_date", "pk")
    )
    day = selectors.day_of(request.user, care_class, on)
    holds = open_holds(children)
    problems = admission_problems(children, on, selectors.last_arrivals(children, on))
    rows = [
        {
            "child": child,
            "day": day.get(child.pk),
            "holds": [hold.reason for hold in holds.get(child.pk, [])]
            + ([problems[child.pk]] if child.pk in problems else []),
            "departure": DepartureForm(collectors=collectors(child), prefix=f"d{child.pk}"),
        }
        for child in children
    ]
    context = {
        "care_class": care_class,
        "on": on,
        "rows": rows,
        "absence_form": AbsenceForm(),
        "follow_up_form": FollowUpForm(),
        "refused": selectors.refused_today(request.user, children, on),
    }
    return render(request, "attendance/class_day.html", context)


def _back(child: Child) -> HttpResponse:
    return redirect("attendance:class_day", child.care_class_id)


def _run(request: HttpRequest, child: Child, call, done: str) -> HttpResponse:
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(child)


@login_required
@require_POST
def arrive(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    return _run(
        request, child, lambda: arrival_record(actor=request.actor, child=child), f"{child.name}已入园。"
    )


@login_required
@require_POST
def absent(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择缺勤原因。")
        return _back(child)
    return _run(
        request,
        child,
        lambda: absence_record(actor=request.actor, child=child, **form.cleaned_data),
        f"已记录{child.name}缺勤。"
        + ("病假请当天电话随访并登记。" if form.cleaned_data["reason"] == "sick" else ""),
    )


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写随访情况。")
        return _back(child)
    return _run(
        request,
        child,
        lambda: follow_up_record(actor=request.actor, child=child, note=form.cleaned_data["note"]),
        f"已登记{child.name}的病假随访。",
    )


@login_required
@require_POST
def depart(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    form = DepartureForm(request.POST, collectors=collectors(child), prefix=f"d{child.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return _back(child)
    data = form.cleaned_data
    if data["collector"] == STRANGER:
        try:
            pickup_refuse(
                actor=request.actor,
                child=child,
                name=data["name"],
                phone=data["phone"],
                claimed=data["claimed"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.error(request, f"来人不在{child.name}的接送名单中：已拒绝交接，并已通知家长和园长。")
        return _back(child)
    return _run(
        request,
        child,
        lambda: departure_record(actor=request.actor, child=child, collector=data["collector"]),
        f"{child.name}已离园。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def pickups(request: HttpRequest) -> HttpResponse:
    """A guardian's list of who may collect each of their children in care."""
    require_page(request.user, permits(request.user, AUTHORISE_PICKUP), "接送名单由孩子的家长维护。")
    children = [c for c in children_for(request.user).select_related("institution") if c.institution_id]
    form = PickupPersonForm(request.POST or None)
    chosen = None
    if request.method == "POST":
        chosen = next((c for c in children if str(c.pk) == request.POST.get("child")), None)
        if chosen is None:
            form.add_error(None, "请选择孩子。")
        elif form.is_valid():
            try:
                pickup_person_add(actor=request.actor, child=chosen, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, f"已授权{form.cleaned_data['name']}接送{chosen.name}，园方已收到通知。"
                )
                return redirect("attendance:pickups")
    rows = [{"child": c, "people": selectors.pickup_people(request.user, c)} for c in children]
    context = {"rows": rows, "form": form, "chosen": chosen}
    return render(request, "attendance/pickups.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def pickup_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for(request.user, PickupPerson.objects.select_related("child"), pk, Action.CHANGE)
    pickup_person_revoke(actor=request.actor, person=person)
    messages.success(request, f"已撤销{person.name}的接送授权。")
    return redirect("attendance:pickups")
