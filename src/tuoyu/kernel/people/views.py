from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu import clock, inputs
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts import attempts
from tuoyu.kernel.accounts.access import Action, can, can_create, get_for, permits, require_page
from tuoyu.kernel.people import credentials, selectors
from tuoyu.kernel.people.actions import LINK_GUARDIAN, PLACE_CHILD, REGISTER_OWN_CHILD
from tuoyu.kernel.people.admission import admission_check_record
from tuoyu.kernel.people.forms import (
    AdmissionCheckForm,
    CareClassForm,
    ChildEnrolForm,
    ChildForm,
    InvitationForm,
    LinkChildForm,
    StaffForm,
)
from tuoyu.kernel.people.models import CareClass, Child, StaffMember
from tuoyu.kernel.people.services import (
    care_class_close,
    care_class_create,
    care_class_update,
    child_enrol,
    child_fields_for,
    child_leave,
    child_update,
    invitation_issue,
    invitation_redeem,
    limits_of,
    may_keep,
    staff_create,
    staff_leave,
    staff_update,
)
from tuoyu.kernel.people.standards import institution_findings, labelled, profile_name_for, summary
from tuoyu.kernel.regions.models import Level, Region
from tuoyu.kernel.registry.models import Institution


def apply_to_form(form, call) -> bool:
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
    staff = list(selectors.staff_for(user, current))
    context = {
        "institution": current,
        "classes": selectors.classes_for(user, current),
        "staff": staff,
        "staff_marks": credentials.roster_marks(staff, clock.today()),
        "children": selectors.children_in(user, current),
        "can_edit": can(user, current, Action.CHANGE),
        "places_children": permits(user, PLACE_CHILD, current),
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
    require_page(
        request.user, can_create(request.user, StaffMember, institution), "只有本机构负责人可以登记工作人员。"
    )
    form = StaffForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.cleaned_data}
        if apply_to_form(form, lambda: staff_create(actor=request.actor, institution=institution, data=data)):
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
        if apply_to_form(form, lambda: staff_update(actor=request.actor, staff=staff, data=data)):
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
        if apply_to_form(form, lambda: child_update(actor=request.actor, child=child, data=data)):
            messages.success(request, "已保存。")
            return redirect("home")
    return render(
        request,
        "operations/child_form.html",
        {
            "form": form,
            "child": child,
            "places_children": permits(request.user, PLACE_CHILD, child),
            "invitation_form": InvitationForm() if permits(request.user, LINK_GUARDIAN, child) else None,
        },
        status=400 if form.errors else 200,
    )


def _room(classes) -> dict[int, str]:
    """Each open class's limits and how full it is: "12–24 月龄，班额 15 人，现有 9 人"."""
    return {
        c.pk: "，".join(filter(None, [limits_of(c).describe(), f"现有 {c.enrolled} 人"])) for c in classes
    }


@login_required
@require_http_methods(["GET", "POST"])
def classes(request: HttpRequest, institution_pk: int) -> HttpResponse:
    """The institution's classes, what each may take under the profile, and a form to add one."""
    institution = get_for(
        request.user, Institution.objects.select_related("subdistrict"), institution_pk, Action.CHANGE
    )
    may_create = can_create(request.user, CareClass, institution)
    if request.method == "POST":
        require_page(request.user, may_create, "只有本机构负责人可以设置班级。")
    form = CareClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_to_form(
            form,
            lambda: care_class_create(
                actor=request.actor, institution=institution, name=data["name"], class_type=data["class_type"]
            ),
        ):
            messages.success(request, f"已设置班级：{data['name'].strip()}。")
            return redirect("operations:classes", institution.pk)
    rows = list(selectors.classes_for(request.user, institution))
    context = {
        "institution": institution,
        "classes": rows,
        "room": _room(rows),
        "form": form if may_create else None,
        "staff_marks": credentials.roster_marks(
            selectors.staff_for(request.user, institution), clock.today()
        ),
    }
    return render(request, "operations/classes.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    care_class = get_for(request.user, CareClass.objects.select_related("institution"), pk, Action.CHANGE)
    form = CareClassForm(request.POST or None, instance=care_class)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if apply_to_form(
            form, lambda: care_class_update(actor=request.actor, care_class=care_class, data=data)
        ):
            messages.success(request, "班级信息已保存。")
            return redirect("operations:classes", care_class.institution_id)
    context = {"form": form, "care_class": care_class, "institution": care_class.institution}
    return render(request, "operations/class_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def class_close(request: HttpRequest, pk: int) -> HttpResponse:
    care_class = get_for(request.user, CareClass.objects.all(), pk, Action.CHANGE)
    try:
        care_class_close(actor=request.actor, care_class=care_class)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已撤销{care_class.name}。")
    return redirect("operations:classes", care_class.institution_id)


@login_required
@require_http_methods(["GET", "POST"])
def child_new(request: HttpRequest, institution_pk: int) -> HttpResponse:
    institution = get_for(
        request.user, Institution.objects.select_related("subdistrict"), institution_pk, Action.CHANGE
    )
    if not permits(request.user, PLACE_CHILD, institution):
        raise PermissionDenied
    county = next((r for r in institution.subdistrict.ancestors() if r.level == Level.COUNTY), None)
    subdistricts = (
        Region.objects.filter(parent=county, level=Level.SUBDISTRICT) if county else Region.objects.none()
    )
    open_rows = list(selectors.classes_for(request.user, institution))
    form = ChildEnrolForm(
        request.POST or None, institution=institution, subdistricts=subdistricts, limits=_room(open_rows)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if apply_to_form(form, lambda: child_enrol(actor=request.actor, institution=institution, data=data)):
            messages.success(request, f"{data['name']}已登记入托。")
            return redirect("operations:institution", institution.pk)
    return render(
        request,
        "operations/child_enrol.html",
        {"form": form, "institution": institution},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def child_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_for(request.user, Child.objects.select_related("institution"), pk, Action.CHANGE)
    institution_pk = child.institution_id
    try:
        left_on = inputs.date(request.POST.get("left_on", ""))
        child_leave(actor=request.actor, child=child, left_on=left_on, reason=request.POST.get("reason", ""))
    except ValueError:
        messages.error(request, "请填写有效的离园日期。")
        return redirect("operations:child_edit", child.pk)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("operations:child_edit", child.pk)
    messages.success(request, "已办理离园。")
    return redirect("operations:institution", institution_pk) if institution_pk else redirect("home")


@login_required
@require_POST
def child_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue an invitation for one of the child's guardians; the code is shown on this page only."""
    child = get_for(request.user, Child.objects.select_related("institution"), pk, Action.CHANGE)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择家长与孩子的关系。")
        return redirect("operations:child_edit", child.pk)
    try:
        invitation, code = invitation_issue(
            actor=request.actor, child=child, relation=form.cleaned_data["relation"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("operations:child_edit", child.pk)
    return render(
        request, "operations/invitation.html", {"child": child, "invitation": invitation, "code": code}
    )


# Wrong codes a guardian account may enter in an hour: enough for typing errors, too few to guess.
LINK_ATTEMPTS = 10
LINK_PERIOD = dt.timedelta(hours=1)


@login_required
@require_http_methods(["GET", "POST"])
def link_child(request: HttpRequest) -> HttpResponse:
    if not permits(request.user, REGISTER_OWN_CHILD):
        raise PermissionDenied
    form = LinkChildForm(request.POST or None)
    key = f"user:{request.user.pk}"

    if request.method == "POST" and form.is_valid():
        if attempts.refused("link_child", key, LINK_ATTEMPTS, LINK_PERIOD):  # the 11th is refused
            form.add_error("code", "邀请码输错次数过多，请一小时后再试，或向托育机构核对。")
        else:
            try:
                guardianship = invitation_redeem(actor=request.actor, code=form.cleaned_data["code"])
            except DomainError as error:
                attempts.failure_record("link_child", key, LINK_PERIOD)
                form.add_error("code", error.message)
            else:
                messages.success(request, f"已关联孩子：{guardianship.child}。")
                return redirect("home")
    return render(request, "operations/link_child.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def child_admission(request: HttpRequest, pk: int) -> HttpResponse:
    """A child's admission health checks (N12), and a form to record one."""
    child = get_for(request.user, Child.objects.select_related("care_class__institution"), pk)
    if child.care_class is None or not may_keep(request.user, child.care_class):
        raise PermissionDenied
    form = AdmissionCheckForm(request.POST or None)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form, lambda: admission_check_record(actor=request.actor, child=child, **form.cleaned_data)
        )
    )
    if saved:
        messages.success(request, f"已登记{child.name}的入园健康检查。")
        return redirect("operations:child_admission", child.pk)
    context = {
        "child": child,
        "form": form,
        "checks": child.admission_checks.order_by("-health_check_on", "-pk"),
    }
    return render(request, "operations/admission.html", context, status=400 if form.errors else 200)
