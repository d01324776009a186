from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu import clock, inputs
from tuoyu.domains.health import selectors
from tuoyu.domains.health.actions import RECORD_CHECKS, RECORD_OUTBREAK_REPORT
from tuoyu.domains.health.forms import CertificateForm, ClassCheckForm, ReportForm
from tuoyu.domains.health.models import ClassCheck, OutbreakAlert, ReturnCertificate, Sitting
from tuoyu.domains.health.outbreaks import outbreak_report_record
from tuoyu.domains.health.services import (
    CORRECTION_DAYS,
    HealthError,
    certificate_receive,
    class_check_record,
    may_record,
)
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, can_list, get_for, permits, require_page
from tuoyu.kernel.people.models import Child
from tuoyu.kernel.people.selectors import classes_for
from tuoyu.kernel.registry.models import Institution
from tuoyu.kernel.registry.own_institution import to_own_institution


def _within_window(on: dt.date | None) -> dt.date:
    today = clock.today()
    if on is None or not today - dt.timedelta(days=CORRECTION_DAYS) <= on <= today:
        return today
    return on


def _day(request: HttpRequest) -> dt.date:
    return _within_window(inputs.query_date(request, "date"))


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The menu's way in: this page of the institution the account works at."""
    return to_own_institution(request, RECORD_CHECKS, "health:day", "晨午检由机构工作人员记录。")


@login_required
def day(request: HttpRequest, institution_pk: int) -> HttpResponse:
    """An institution's health day: each class's sittings, the children with a finding, the
    certificates awaited and the open alerts."""
    institution = get_for(request.user, Institution.objects.select_related("subdistrict"), institution_pk)
    require_page(request.user, can_list(request.user, ClassCheck), "本账号不查看机构的晨午检。")
    # Any past day can be read; only the last week can be recorded or corrected.
    today = clock.today()
    on = min(inputs.query_date(request, "date", default=today), today)
    editable = on >= today - dt.timedelta(days=CORRECTION_DAYS)
    recorded = selectors.checks_on(request.user, institution, on)
    classes = [
        {
            "care_class": c,
            "sittings": [(code, label, recorded.get((c.pk, code))) for code, label in Sitting.choices],
            "may_record": editable and may_record(request.user, c),
        }
        for c in classes_for(request.user, institution)
    ]
    context = {
        "institution": institution,
        "on": on,
        "is_today": on == today,
        "editable": editable,
        "days": [clock.today() - dt.timedelta(days=n) for n in range(CORRECTION_DAYS + 1)],
        "classes": classes,
        "findings": selectors.findings_on(request.user, institution, on)
        if can_list(request.user, Child)
        else None,
        "certificates": [
            {
                "certificate": c,
                "form": CertificateForm(initial={"received_on": clock.today()}, prefix=f"r{c.pk}")
                if c.child.care_class_id and may_record(request.user, c.child.care_class)
                else None,
            }
            for c in selectors.awaited_certificates(request.user, institution)
        ],
        "alerts": _with_clock(
            selectors.alerts_for(request.user, institution=institution).filter(
                reported_at__isnull=True, withdrawn_at__isnull=True
            )
        ),
    }
    return render(request, "health/day.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """One class's check on a phone: everyone 正常 until tapped otherwise."""
    care_class = selectors.class_for_check(request.user, pk)
    if not may_record(request.user, care_class):
        raise PermissionDenied
    if request.method == "POST":
        try:
            on = _within_window(inputs.date(request.POST.get("date", "")))
        except ValueError:
            on = clock.today()
        chosen = request.POST.get("sitting")
    else:
        on = _day(request)
        chosen = request.GET.get("sitting")
    sitting = (
        chosen if chosen in Sitting.values else Sitting.MORNING if clock.now().hour < 11 else Sitting.MIDDAY
    )
    existing = selectors.checks_on(request.user, care_class.institution, on).get((care_class.pk, sitting))
    recorded = selectors.recorded_results(existing)
    # The children in the class that day, and any the sitting recorded who have moved since.
    children = list(
        Child.objects.filter(care_class=care_class).exclude(enrolled_on__gt=on)
        | Child.objects.filter(pk__in=list(recorded))
    )
    children.sort(key=lambda child: (child.birth_date, child.pk))
    form = ClassCheckForm(
        request.POST if request.method == "POST" else None,
        children=children,
        recorded=recorded,
        # Which children may not be marked present: what a saved form needs is checked again by
        # the service, so a POST reads it only to show the page again.
        held={} if request.method == "POST" else selectors.held(children, on),
        initial={
            "date": on,
            "sitting": sitting,
            "seen": existing.recorded_at.isoformat() if existing else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        seen = form.cleaned_data["seen"]
        try:
            if existing is not None and not seen:
                raise DomainError(
                    HealthError.STALE,
                    f"该次检查已于 {clock.local(existing.recorded_at):%H:%M} 由{existing.recorded_by}保存过，请刷新页面后再更正。",
                )
            saved = class_check_record(
                actor=request.actor,
                care_class=care_class,
                date=form.cleaned_data["date"],
                sitting=form.cleaned_data["sitting"],
                results=form.results(),
                seen_at=dt.datetime.fromisoformat(seen) if seen else None,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            rows = list(saved.results.all())
            found = sum(row.abnormal for row in rows)
            absent = sum(not row.present for row in rows)
            messages.success(
                request, f"已记录{saved}：到园 {len(rows) - absent} 人，缺勤 {absent} 人，异常 {found} 人。"
            )
            return redirect(f"{_day_url(care_class.institution_id)}?date={saved.date:%Y-%m-%d}")
    if request.method == "POST":
        form.held = selectors.held(children, on)
    context = {"care_class": care_class, "form": form, "on": on, "sitting": sitting, "existing": existing}
    return render(request, "health/check.html", context, status=400 if form.errors else 200)


def _day_url(institution_pk: int) -> str:
    return reverse("health:day", args=[institution_pk])


def _with_clock(alerts) -> list[dict]:
    return [{"alert": a, "hours_left": selectors.hours_left(a)} for a in alerts]


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """Outbreak alerts in the post's reach: every open one with its reporting clock, then the
    latest closed ones."""
    require_page(request.user, can_list(request.user, OutbreakAlert), "本账号不接收聚集性疫情预警。")
    rows = selectors.alerts_for(request.user)
    open_rows = list(
        rows.filter(reported_at__isnull=True, withdrawn_at__isnull=True).order_by("report_due_at", "pk")
    )
    closed = rows.exclude(reported_at__isnull=True, withdrawn_at__isnull=True).order_by("-raised_at", "-pk")[
        :100
    ]
    context = {
        "open": _with_clock(open_rows),
        "closed": closed,
        "reports": {a.pk for a in open_rows if permits(request.user, RECORD_OUTBREAK_REPORT, a)},
        "form": ReportForm(),
    }
    return render(request, "health/alerts.html", context)


@login_required
@require_POST
def alert_report(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_for(request.user, OutbreakAlert.objects.all(), pk)
    if not permits(request.user, RECORD_OUTBREAK_REPORT, alert):
        raise PermissionDenied
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(form.errors["note"]))
        return redirect("health:alerts")
    try:
        outbreak_report_record(actor=request.actor, alert=alert, note=form.cleaned_data["note"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已登记：{alert}已报告疾病预防控制机构。")
    return redirect("health:alerts")


@login_required
@require_POST
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    awaited = get_for(request.user, ReturnCertificate.objects.select_related("child"), pk, Action.CHANGE)
    institution_pk = awaited.child.institution_id
    if institution_pk is None:
        raise Http404
    form = CertificateForm(request.POST, prefix=f"r{awaited.pk}")
    if not form.is_valid():
        messages.error(request, "请填写收到证明的日期和出具证明的医疗机构。")
        return redirect("health:day", institution_pk)
    try:
        certificate_receive(actor=request.actor, certificate=awaited, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已登记{awaited.child.name}的复课证明，可以记为到园。")
    return redirect("health:day", institution_pk)
