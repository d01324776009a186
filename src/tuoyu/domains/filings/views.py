from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tuoyu import clock, inputs
from tuoyu.domains.filings import rules, selectors, services
from tuoyu.domains.filings.actions import DECIDE, FILE
from tuoyu.domains.filings.forms import (
    AcceptForm,
    ChangeForm,
    CommitmentForm,
    MaterialForm,
    ReturnForm,
    ReviewForm,
)
from tuoyu.domains.filings.models import Event, Filing, Kind, Material, MaterialKind, State
from tuoyu.domains.filings.receipt import ReceiptUnavailable, receipt_pdf
from tuoyu.engines import policy
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, can, can_list, get_for, permits, require_page, scoped
from tuoyu.kernel.people.models import Child, StaffMember
from tuoyu.kernel.people.standards import institution_findings, labelled, summary
from tuoyu.kernel.regions.models import CalendarDay
from tuoyu.kernel.registry.actions import MANAGE_CALENDAR
from tuoyu.kernel.registry.models import Institution


def _refused(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


def _perform(request: HttpRequest, filing, call, done: str) -> HttpResponse:
    """Run one service call for the filing page: its refusal or success as a message, back to the page."""
    try:
        call()
        messages.success(request, done)
    except DomainError as error:
        _refused(request, error)
    return redirect("filings:detail", pk=filing.pk)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The institution's filings with what it may start; everyone else is sent to the queue."""
    if not permits(request.user, FILE):
        return redirect("filings:queue")
    institutions = scoped(request.user, Institution.objects.all(), Action.CHANGE)
    context = {
        "filings": selectors.filings_for(request.user)[:100],
        "institutions": institutions,
        "kinds": Kind,
    }
    return render(request, "filings/index.html", context)


@login_required
@require_POST
def start(request: HttpRequest, institution_pk: int) -> HttpResponse:
    institution = get_for(request.user, Institution.objects.all(), institution_pk, Action.CHANGE)
    try:
        filing = services.filing_start(
            actor=request.actor, institution=institution, kind=Kind(request.POST.get("kind", ""))
        )
    except ValueError:
        messages.error(request, "未知的备案类型。")
        return redirect("filings:index")
    except DomainError as error:
        _refused(request, error)
        return redirect("filings:index")
    return redirect("filings:detail", pk=filing.pk)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if permits(request.user, FILE):
        return redirect("filings:index")  # an institution files; the queue is the department's
    require_page(
        request.user,
        can_list(request.user, Filing),
        "备案审核仅向卫生健康部门及相关部门开放；托育机构请在“备案办理”中办理。",
    )
    today = clock.today()
    region = request.user.region
    days = rules.clock_days(policy.load_profile(region.effective_policy_profile()), today) if region else None
    context = {
        "clock_days": days,
        "manages_calendar": permits(request.user, MANAGE_CALENDAR),
        "rows": selectors.review_queue(request.user, today),
        "returned": selectors.filings_for(request.user).filter(state=State.RETURNED).order_by("rectify_by"),
        "recent": selectors.filings_for(request.user)
        .filter(state=State.ACCEPTED)
        .order_by("-decided_at")[:20],
        "today": today,
        "calendar": CalendarDay.objects.filter(date__gte=today).order_by("date")[:12],
    }
    return render(request, "filings/queue.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk)
    user = request.user
    editable = (
        filing.state in (State.DRAFT, State.RETURNED)
        and permits(user, FILE)
        and can(user, filing, Action.CHANGE)
    )
    deciding = filing.state == State.SUBMITTED and permits(user, DECIDE) and can(user, filing, Action.CHANGE)
    today = clock.today()
    context = {
        "filing": filing,
        "institution": filing.institution,
        "editable": editable,
        "deciding": deciding,
        "materials": scoped(user, Material.objects.filter(filing=filing)),
        "required": [
            MaterialKind(k)
            for k in rules.required_materials(filing.kind, provides_meals=filing.institution.provides_meals)
        ],
        "missing": services.missing_for_submission(filing) if editable else [],
        "events": scoped(user, Event.objects.filter(filing=filing)).order_by("at", "id"),
        "placements": services.closure_people(
            filing, children=scoped(user, Child.objects.all()), staff=scoped(user, StaffMember.objects.all())
        )
        if filing.kind == Kind.CLOSURE
        else None,
        "material_form": MaterialForm(),
        "commitment_form": CommitmentForm(
            initial={"signer": filing.commitment_signed_by, "agree": bool(filing.commitment_signed_by)}
        ),
        "change_form": ChangeForm(instance=filing.institution, initial=filing.changes)
        if filing.kind == Kind.CHANGE and editable
        else None,
        "review_form": ReviewForm(
            initial={
                "verified_on": filing.verified_on,
                "verified_by": filing.verified_by,
                "notes": filing.verification_notes,
                **{f"check_{k}": v for k, v in filing.checklist.items()},
            }
        )
        if deciding
        else None,
        "return_form": ReturnForm(initial={"version": filing.version}, today=today) if deciding else None,
        "accept_form": AcceptForm(initial={"version": filing.version}) if deciding else None,
        "checklist": rules.CHECKLIST,
        "unchecked": services.unchecked_items(filing) if deciding else [],
        "changes": selectors.readable_changes(filing),
        "filing_summary": summary(filing.findings),
        "findings": labelled(filing.findings, user),
    }
    return render(request, "filings/detail.html", context)


@login_required
@require_GET
def live_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """The standards check as the institution stands now (HTMX partial)."""
    filing = selectors.filing_for(request.user, pk)
    found = labelled(institution_findings(filing.institution, clock.today()), request.user)
    return render(
        request, "filings/_findings.html", {"findings": found, "summary": summary(found), "live": True}
    )


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk, Action.CHANGE)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择材料类型和要上传的文件。")
        return redirect("filings:detail", pk=filing.pk)
    kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
    return _perform(
        request,
        filing,
        lambda: services.material_add(actor=request.actor, filing=filing, kind=kind, upload=upload),
        "材料已上传。",
    )


@login_required
@require_POST
def remove_material(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_for(request.user, Material.objects.select_related("filing"), pk, Action.CHANGE)
    return _perform(
        request,
        material.filing,
        lambda: services.material_remove(actor=request.actor, material=material),
        "材料已删除。",
    )


@login_required
def download_material(request: HttpRequest, pk: int) -> FileResponse:
    material = selectors.material_for(request.user, pk)
    response = FileResponse(material.file.open("rb"), content_type=material.content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(material.original_name)}"
    return response


@login_required
@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk, Action.CHANGE)
    form = CommitmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请勾选承诺并填写承诺人姓名。")
        return redirect("filings:detail", pk=filing.pk)
    signer = form.cleaned_data["signer"]
    return _perform(
        request,
        filing,
        lambda: services.filing_update(actor=request.actor, filing=filing, signer=signer),
        "承诺书已签署。",
    )


@login_required
@require_POST
def save_changes(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk, Action.CHANGE)
    form = ChangeForm(request.POST, instance=Institution.objects.get(pk=filing.institution_id))
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[field].label if field in form.fields else ''}：{'；'.join(errors)}"
            )
        return redirect("filings:detail", pk=filing.pk)
    try:
        reason = inputs.plain(request.POST.get("reason", ""), max_length=1000, multiline=True)
    except ValueError as error:
        raise inputs.BadInput.field("变更原因", str(error)) from None
    return _perform(
        request,
        filing,
        lambda: services.filing_update(
            actor=request.actor, filing=filing, changes=form.changes(), reason=reason
        ),
        "变更事项已保存。",
    )


@login_required
@require_POST
def save_placements(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk, Action.CHANGE)
    placements = {}
    for key, value in request.POST.items():
        person, _, pk_text = key.partition("__")
        if person in ("child", "staff"):
            try:
                placements[(person, inputs.integer(pk_text, low=1, high=2**53))] = inputs.plain(
                    value, max_length=200
                )
            except ValueError as error:
                raise inputs.BadInput.field("安置去向", str(error)) from None
    return _perform(
        request,
        filing,
        lambda: services.filing_update(actor=request.actor, filing=filing, placements=placements),
        "安置方案已保存。",
    )


def _version(request: HttpRequest) -> int:
    """The version the page was showing; anything unreadable matches none, so the step is refused."""
    try:
        return inputs.integer(request.POST.get("version", ""), low=0, high=2**31)
    except ValueError:
        return -1


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk, Action.CHANGE)

    def submit_and_tell() -> None:
        submitted = services.filing_submit(
            actor=request.actor, filing=filing, expected_version=_version(request)
        )
        messages.success(
            request,
            f"已提交。卫生健康部门将于 {submitted.receipt_due:%Y-%m-%d} 前出具备案回执；不符合备案条件的，"
            f"于 {submitted.notice_due:%Y-%m-%d} 前告知理由。办理结果会通知您。",
        )

    try:
        submit_and_tell()
    except DomainError as error:
        _refused(request, error)
    return redirect("filings:detail", pk=filing.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk, Action.CHANGE)
    return _perform(
        request,
        filing,
        lambda: services.filing_withdraw(
            actor=request.actor, filing=filing, expected_version=_version(request)
        ),
        "已撤回。",
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk, Action.CHANGE)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.filing_review(
                actor=request.actor,
                filing=filing,
                checklist=form.checklist(),
                verified_on=form.cleaned_data["verified_on"],
                verified_by=form.cleaned_data["verified_by"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, "审核记录已保存。")
        except DomainError as error:
            _refused(request, error)
    else:
        messages.error(
            request, "审核记录填写有误：" + "；".join(e for errors in form.errors.values() for e in errors)
        )
    return redirect("filings:detail", pk=filing.pk)


@login_required
@require_POST
def return_filing(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk, Action.CHANGE)
    form = ReturnForm(request.POST, today=clock.today())
    if not form.is_valid():
        messages.error(request, "请填写退回理由和整改期限。")
        return redirect("filings:detail", pk=filing.pk)
    return _perform(
        request,
        filing,
        lambda: services.filing_return(
            actor=request.actor,
            filing=filing,
            expected_version=form.cleaned_data["version"],
            reasons=form.cleaned_data["reasons"],
            rectify_by=form.cleaned_data["rectify_by"],
        ),
        "已退回并告知整改意见；该告知将依法公示。",
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk, Action.CHANGE)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求无效，请刷新页面后重试。")
        return redirect("filings:detail", pk=filing.pk)
    return _perform(
        request,
        filing,
        lambda: services.filing_accept(
            actor=request.actor,
            filing=filing,
            expected_version=form.cleaned_data["version"],
            override_reason=form.cleaned_data["override_reason"],
        ),
        "已予以备案并出具回执。",
    )


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_for(request.user, pk)
    try:
        pdf = receipt_pdf(filing, authority=services.authority_name(filing.institution))
    except ReceiptUnavailable as error:
        messages.error(request, str(error))
        return redirect("filings:detail", pk=filing.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{filing.pk}.pdf"'
    return response


def public_notices(request: HttpRequest) -> HttpResponse:
    context = {"receipts": selectors.public_receipts(), "refusals": selectors.public_refusals()}
    return render(request, "filings/public.html", context)
