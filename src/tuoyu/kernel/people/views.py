from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu import inputs
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, can, get_for
from tuoyu.kernel.people import selectors
from tuoyu.kernel.people.forms import ChildForm, StaffForm
from tuoyu.kernel.people.models import Child, StaffMember
from tuoyu.kernel.people.services import (
    child_fields_for,
    child_update,
    staff_create,
    staff_leave,
    staff_update,
)
from tuoyu.kernel.people.standards import institution_findings, labelled, profile_name_for, summary
from tuoyu.kernel.registry.models import Institution


def _apply(form, call) -> bool:
    """Run a service; put its refusals on the form. True when it succeeded."""
    try:
        call()
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        return True
    return False


@login_required
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    current = get_for(request.user, Institution.objects.select_related("subdistrict"), pk, Action.VIEW)
    user = request.user
    context = {
        "institution": current,
        "classes": selectors.classes_for(user, current),
        "staff": selectors.staff_for(user, current),
        "children": selectors.children_in(user, current),
        "can_edit": can(user, current, Action.CHANGE),
        "profile_name": profile_name_for(current),
    }
    return render(request, "operations/institution.html", context)


@login_required
def institution_findings_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The institution's live standards findings (HTMX partial), under its region's policy profile."""
    current = get_for(request.user, Institution.objects.select_related("subdistrict"), pk, Action.VIEW)
    found = labelled(institution_findings(current), request.user)
    return render(
        request, "filings/_findings.html", {"findings": found, "summary": summary(found), "live": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest, institution_pk: int) -> HttpResponse:
    institution = get_for(request.user, Institution.objects.all(), institution_pk, Action.CHANGE)
    form = StaffForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.cleaned_data}
        if _apply(form, lambda: staff_create(actor=request.actor, institution=institution, data=data)):
            messages.success(request, "工作人员已登记。")
            return redirect("home")
    status = 400 if form.errors else 200
    return render(
        request,
        "operations/staff_form.html",
        {"form": form, "institution": institution, "staff": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = get_for(request.user, StaffMember.objects.select_related("institution"), pk, Action.CHANGE)
    form = StaffForm(request.POST or None, instance=staff, institution=staff.institution)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if _apply(form, lambda: staff_update(actor=request.actor, staff=staff, data=data)):
            messages.success(request, "工作人员信息已保存。")
            return redirect("home")
    status = 400 if form.errors else 200
    context = {"form": form, "institution": staff.institution, "staff": staff}
    return render(request, "operations/staff_form.html", context, status=status)


@login_required
@require_POST
def staff_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    staff = get_for(request.user, StaffMember.objects.all(), pk, Action.CHANGE)
    try:
        left_on = inputs.date(request.POST.get("left_on", ""))
        staff_leave(actor=request.actor, staff=staff, left_on=left_on)
    except ValueError:
        messages.error(request, "请填写有效的离职日期。")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已办理离职。")
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_for(
        request.user, Child.objects.select_related("institution", "care_class"), pk, Action.CHANGE
    )
    form = ChildForm(request.POST or None, instance=child, fields=child_fields_for(request.actor))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if _apply(form, lambda: child_update(actor=request.actor, child=child, data=data)):
            messages.success(request, "已保存。")
            return redirect("home")
    return render(
        request,
        "operations/child_form.html",
        {"form": form, "child": child},
        status=400 if form.errors else 200,
    )
