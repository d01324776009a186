"""Pages of staff records: a staff member's checks, certificates and training, and the list of
what falls due in the user's institution or jurisdiction."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tuoyu import clock
from tuoyu.kernel.accounts.access import Action, can, can_list, get_for, require_page
from tuoyu.kernel.people import credentials
from tuoyu.kernel.people.forms import StaffCertificateForm, StaffCheckForm, StaffTrainingForm
from tuoyu.kernel.people.models import Certificate, StaffMember
from tuoyu.kernel.people.views import apply_to_form

FORMS = {"check": StaffCheckForm, "certificate": StaffCertificateForm, "training": StaffTrainingForm}
SAVED = {"check": "检查记录", "certificate": "证书", "training": "培训记录"}


def _staff(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> StaffMember:
    rows = StaffMember.objects.select_related("institution__subdistrict", "care_class").prefetch_related(
        "checks", "certificate_records", "trainings"
    )
    return get_for(request.user, rows, pk, action)


def _page(request: HttpRequest, staff: StaffMember, bound: dict | None = None) -> HttpResponse:
    keeps = can(request.user, staff, Action.CHANGE) and staff.left_on is None
    forms = {name: (bound or {}).get(name) or form(prefix=name) for name, form in FORMS.items()}
    context = {
        "staff": staff,
        "keeps": keeps,
        "forms": forms if keeps else {},
        "checks": staff.checks.all(),
        "certificates": staff.certificate_records.all(),
        "trainings": staff.trainings.all(),
        "dues": credentials.staff_dues(staff, clock.today()) if staff.left_on is None else [],
        "held": [Certificate(code).label for code in staff.certificates_held(clock.today())],
        "notice_days": credentials.NOTICE_DAYS,
        "pre_service_hours": staff.training_hours(clock.today()),
    }
    return render(request, "operations/staff_records.html", context, status=400 if bound else 200)


@login_required
def staff_records(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _staff(request, pk))


def _record(kind: str, service):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        staff = _staff(request, pk, Action.CHANGE)
        form = FORMS[kind](request.POST, prefix=kind)
        if form.is_valid() and apply_to_form(
            form, lambda: service(actor=request.actor, staff=staff, **form.cleaned_data)
        ):
            messages.success(request, f"已登记{staff.name}的{SAVED[kind]}。")
            return redirect("operations:staff_records", staff.pk)
        return _page(request, _staff(request, pk), {kind: form})

    return view


staff_check_new = _record("check", credentials.staff_check_record)
staff_certificate_new = _record("certificate", credentials.staff_certificate_record)
staff_training_new = _record("training", credentials.staff_training_record)


@login_required
def staff_dues(request: HttpRequest) -> HttpResponse:
    """What lapses within a month or has lapsed, for the staff the user may see."""
    require_page(request.user, can_list(request.user, StaffMember), "本账号无权查看工作人员记录。")
    overdue_only = request.GET.get("show") == "overdue"
    found = credentials.dues(credentials.staff_with_records(request.user), clock.today())
    if overdue_only:
        found = [due for due in found if due.overdue]
    institutions = {}
    for due in found:
        counts = institutions.setdefault(due.staff.institution, {"overdue": 0, "soon": 0})
        counts["overdue" if due.overdue else "soon"] += 1
    context = {
        "dues": found,
        "overdue_only": overdue_only,
        "institutions": sorted(institutions.items(), key=lambda item: -item[1]["overdue"]),
        "notice_days": credentials.NOTICE_DAYS,
    }
    return render(request, "operations/staff_dues.html", context)
