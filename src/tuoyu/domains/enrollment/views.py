from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from tuoyu import clock, inputs
from tuoyu.domains.enrollment import selectors, services
from tuoyu.domains.enrollment.actions import APPLY_FOR_CHILDREN, RUN_ROUNDS
from tuoyu.domains.enrollment.models import Application, PriorityKind, Program, Response, Round, RoundState
from tuoyu.engines.allocation import new_secret
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, authorize, get_for, permits, require_page, scoped
from tuoyu.kernel.forms import Form
from tuoyu.kernel.people.models import ClassType
from tuoyu.kernel.people.selectors import children_for
from tuoyu.kernel.registry.models import Institution, ServiceType
from tuoyu.kernel.registry.selectors import filed_institutions, workplace_institutions

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(Form):
    name = forms.CharField(
        label="批次名称", max_length=80, widget=forms.TextInput(attrs={"data-qa": "round-name"})
    )
    admission_date = forms.DateField(label="入托日期", widget=_DATE)
    opens_on = forms.DateField(label="开始申请", widget=_DATE)
    closes_on = forms.DateField(label="截止申请", widget=_DATE)
    max_choices = forms.IntegerField(label="最多志愿数", min_value=1, max_value=5, initial=3)
    respond_days = forms.IntegerField(label="确认期限（工作日）", min_value=1, max_value=30, initial=5)
    sibling = forms.IntegerField(
        label="兄弟姐妹已在该机构：优先组", required=False, min_value=1, max_value=9, initial=1
    )
    residence = forms.IntegerField(
        label="居住在机构所在街道：优先组", required=False, min_value=1, max_value=9, initial=2
    )
    employee = forms.IntegerField(label="举办单位职工子女：优先组", required=False, min_value=1, max_value=9)

    def clean(self):
        cleaned = super().clean()
        today = clock.today()
        opens, closes, admission = (
            cleaned.get("opens_on"),
            cleaned.get("closes_on"),
            cleaned.get("admission_date"),
        )
        # A round is organised for the coming months: a date years away or long past is a typing mistake.
        earliest, latest = today - dt.timedelta(days=30), today + dt.timedelta(days=730)
        for name in ("opens_on", "closes_on", "admission_date"):
            value = cleaned.get(name)
            if value and not earliest <= value <= latest:
                self.add_error(name, f"应在 {earliest:%Y-%m-%d} 到 {latest:%Y-%m-%d} 之间。")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "截止申请日期不能早于开始日期。")
        if closes and closes < today:
            self.add_error("closes_on", "截止申请日期已过：新批次应给家庭留出申请时间。")
        if closes and admission and admission < closes:
            self.add_error("admission_date", "入托日期不能早于申请截止日期。")
        return cleaned

    def rules(self) -> dict[str, int]:
        return {kind: self.cleaned_data[kind] for kind in PriorityKind.values if self.cleaned_data.get(kind)}


class ProgramForm(Form):
    institution = forms.ModelChoiceField(
        label="托育机构",
        queryset=Institution.objects.none(),
        widget=forms.Select(attrs={"data-qa": "program-institution"}),
    )
    class_type = forms.ChoiceField(
        label="班型", choices=ClassType.choices, widget=forms.Select(attrs={"data-qa": "program-type"})
    )
    classes = forms.IntegerField(
        label="班级数",
        min_value=1,
        max_value=20,
        initial=1,
        widget=forms.NumberInput(attrs={"data-qa": "program-classes"}),
    )
    staying_on = forms.IntegerField(
        label="继续在托人数",
        min_value=0,
        max_value=400,
        initial=0,
        widget=forms.NumberInput(attrs={"data-qa": "program-staying"}),
    )


def _refuse(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


# --- families ----------------------------------------------------------------------------------------


def find_care(request: HttpRequest) -> HttpResponse:
    """Find filed institutions near home that take a child of a given age, with open places."""

    def number(name: str, low: float, high: float) -> float | None:
        return inputs.query_number(request, name, low=low, high=high)

    home = None
    lon, lat = number("lon", 73, 136), number("lat", 3, 54)
    if lon is not None and lat is not None:
        home = (lon, lat)
    elif request.user.is_authenticated and request.user.region and request.user.region.lon is not None:
        home = (request.user.region.lon, request.user.region.lat)
    age = inputs.query_int(request, "age", low=0, high=36)
    options = selectors.find_care(
        age_months=age,
        affordable=inputs.query_flag(request, "affordable"),
        service_type=inputs.query_choice(request, "service", ServiceType.values),
        home=home,
        within_km=number("within", 0.1, 100),
        on=clock.today(),
    )
    context = {
        "options": options,
        "home": home,
        "rounds": selectors.open_rounds(clock.today()),
        "service_types": ServiceType.choices,
        "map_points": [
            {
                "name": o.institution.name,
                "lat": o.institution.lat,
                "lon": o.institution.lon,
                "places": o.institution.places,
                "affordable": o.institution.affordable,
            }
            for o in options
            if o.institution.lat is not None
        ],
    }
    return render(request, "enrollment/find_care.html", context)


class ApplicationForm(Form):
    child = forms.ModelChoiceField(
        label="孩子", queryset=None, widget=forms.Select(attrs={"data-qa": "apply-child"})
    )
    employer = forms.ModelChoiceField(
        label="父母工作单位举办的托育机构（如有）", queryset=None, required=False
    )
    document = forms.FileField(label="证明材料（户口簿、居住证等，PDF/JPG/PNG，可选）", required=False)

    def __init__(self, *args, user, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children_for(user)
        self.fields["child"].label_from_instance = lambda child: (
            f"{child.name}（{child.birth_date:%Y-%m-%d}出生）"
        )
        programs = selectors.public_programs(round_)
        self.fields["employer"].queryset = workplace_institutions(programs.values("institution_id"))
        for n in range(round_.max_choices):
            self.fields[f"choice_{n + 1}"] = forms.ModelChoiceField(
                label=f"第{n + 1}志愿",
                queryset=programs,
                required=n == 0,
                widget=forms.Select(attrs={"data-qa": f"apply-choice-{n + 1}"}),
            )

    def choices(self) -> list[int]:
        picked = [self.cleaned_data.get(name) for name in self.fields if name.startswith("choice_")]
        return [p.pk for p in picked if p is not None]


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        round_ = selectors.public_round(pk)
    except Round.DoesNotExist:
        raise Http404 from None
    if not round_.accepting_today:
        # Refused before the family fills anything in: the page says why and when.
        return render(
            request, "enrollment/apply.html", {"round": round_, "closed": round_.status_today}, status=200
        )
    form = ApplicationForm(request.POST or None, request.FILES or None, user=request.user, round_=round_)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                actor=request.actor,
                round_=round_,
                child=form.cleaned_data["child"],
                choices=form.choices(),
                employer=form.cleaned_data["employer"],
                document=form.cleaned_data["document"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        except forms.ValidationError as error:
            form.add_error(None, "；".join(error.messages))
        else:
            messages.success(request, f"申请已提交，申请编号 {application.number}。")
            return redirect("enrollment:mine")
    return render(
        request, "enrollment/apply.html", {"round": round_, "form": form}, status=400 if form.errors else 200
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    require_page(request.user, permits(request.user, APPLY_FOR_CHILDREN), "“我的入托申请”是家长账号的页面。")
    applications = (
        selectors.applications_for(request.user).filter(guardian=request.user).order_by("-submitted_at")
    )
    return render(request, "enrollment/mine.html", {"applications": applications, "today": clock.today()})


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_for(request.user, Application.objects.select_related("round"), pk, Action.CHANGE)
    try:
        services.application_withdraw(actor=request.actor, application=application)
        messages.success(request, "已撤回申请；申请截止前可以重新申请。")
    except DomainError as error:
        _refuse(request, error)
    return redirect("enrollment:mine")


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_for(request.user, Application.objects.select_related("round"), pk, Action.CHANGE)
    answer = request.POST.get("answer", "")
    if answer not in ("accept", "decline"):
        # Only the two buttons answer an offer: anything else must not count as declining it.
        raise inputs.BadInput.field("answer", "请选择“确认入托”或“放弃”。")
    try:
        services.offer_respond(actor=request.actor, application=application, accept=answer == "accept")
        messages.success(
            request, "已确认入托。" if answer == "accept" else "已放弃录取，名额将递补给其他申请。"
        )
    except DomainError as error:
        _refuse(request, error)
    return redirect("enrollment:mine")


# --- the public record of a round ---------------------------------------------------------------------


def public(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        round_ = selectors.public_round(pk)
    except Round.DoesNotExist:
        raise Http404 from None
    programs = {p.public_id: p for p in selectors.public_programs(round_)}
    result = [
        {"number": number, "program": programs.get(program), "key": key}
        for number, program, key in selectors.csv_rows(round_.result_csv)
    ]
    context = {
        "round": round_,
        "programs": programs.values(),
        "frozen": selectors.csv_rows(round_.applicants_csv),
        "result": result,
        "cutoffs": selectors.csv_rows(round_.cutoffs_csv),
    }
    return render(request, "enrollment/public.html", context)


FILES = {
    "applicants": "applicants_csv",
    "programs": "programs_csv",
    "priorities": "priorities_csv",
    "lists": "lists_csv",
    "result": "result_csv",
    "cutoffs": "cutoffs_csv",
}


def public_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    try:
        round_ = selectors.public_round(pk)
    except Round.DoesNotExist:
        raise Http404 from None
    content = getattr(round_, FILES[name], "") if name in FILES else ""
    if not content:
        raise Http404("尚未公布。")
    response = HttpResponse(content.encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}-{name}.csv"'
    return response


# --- organising a round (the regulator) ---------------------------------------------------------------


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    authorize(request.user, RUN_ROUNDS)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                actor=request.actor,
                region=request.user.region,
                name=data["name"],
                admission_date=data["admission_date"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                max_choices=data["max_choices"],
                respond_days=data["respond_days"],
                rules=form.rules(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        except forms.ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("enrollment:manage", pk=round_.pk)
    context = {"rounds": selectors.rounds_for(request.user), "form": form}
    return render(request, "enrollment/rounds.html", context, status=400 if form.errors else 200)


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    authorize(request.user, RUN_ROUNDS)
    round_ = selectors.round_for(request.user, pk, Action.CHANGE)
    program_form = ProgramForm()
    program_form.fields["institution"].queryset = filed_institutions(request.user)
    applications = scoped(
        request.user,
        Application.objects.filter(round=round_).select_related("child", "placed__institution", "employer"),
    )
    context = {
        "round": round_,
        "programs": Program.objects.filter(round=round_).select_related("institution"),
        "program_form": program_form,
        "applications": applications.order_by("number"),
        "fresh_secret": new_secret() if round_.state == RoundState.FROZEN else "",
        "declined": applications.filter(response=Response.DECLINED).count(),
    }
    return render(request, "enrollment/manage.html", context)


@login_required
@require_POST
def add_program(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_for(request.user, pk, Action.CHANGE)
    form = ProgramForm(request.POST)
    form.fields["institution"].queryset = filed_institutions(request.user)
    if not form.is_valid():
        messages.error(request, "请选择机构、班型并填写班级数。")
    else:
        data = form.cleaned_data
        try:
            program = services.program_add(
                actor=request.actor,
                round_=round_,
                institution=data["institution"],
                class_type=data["class_type"],
                classes=data["classes"],
                staying_on=data["staying_on"],
            )
            messages.success(
                request, f"已添加 {program}，招收 {program.capacity} 人（{program.limit_source}）。"
            )
        except DomainError as error:
            _refuse(request, error)
        except forms.ValidationError as error:
            messages.error(request, "；".join(error.messages))
    return redirect("enrollment:manage", pk=round_.pk)


@sensitive_post_parameters("secret")
@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The round's steps: open, freeze, commit, draw, reallocate, finish — each a service call."""
    round_ = selectors.round_for(request.user, pk, Action.CHANGE)
    post = request.POST
    steps = {
        "open": (lambda: services.round_open(actor=request.actor, round_=round_), "已开始接受申请。"),
        "freeze": (
            lambda: services.round_freeze(actor=request.actor, round_=round_),
            "申请名单已冻结并公示。",
        ),
        "commit": (
            lambda: services.round_commit(
                actor=request.actor,
                round_=round_,
                secret=post.get("secret", ""),
                public_source=post.get("public_source", ""),
            ),
            "密钥承诺值已公布。请公证人员妥善保管密钥，摇号时当众公开。",
        ),
        "draw": (
            lambda: services.round_draw(
                actor=request.actor,
                round_=round_,
                expected_version=_int(post.get("version")),
                secret=post.get("secret", ""),
                live_number=post.get("live_number", ""),
                public_result=post.get("public_result", ""),
            ),
            "摇号完成，结果与种子已公布。",
        ),
        "reallocate": (
            lambda: services.round_reallocate(actor=request.actor, round_=round_),
            "已按原种子递补空出的名额。",
        ),
        "finish": (lambda: services.round_finish(actor=request.actor, round_=round_), "批次已结束。"),
    }
    if action not in steps:
        raise Http404
    call, done = steps[action]
    try:
        call()
        messages.success(request, done)
    except DomainError as error:
        _refuse(request, error)
    return redirect("enrollment:manage", pk=round_.pk)


@login_required
@require_POST
def confirm_employer(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_for(request.user, Application.objects.select_related("round"), pk, Action.VIEW)
    try:
        confirmed = request.POST.get("confirmed", "")
        if confirmed not in ("0", "1"):
            raise inputs.BadInput.field("confirmed", "请选择“已核实”或“未核实”。")
        services.employer_confirm(actor=request.actor, application=application, confirmed=confirmed == "1")
    except DomainError as error:
        _refuse(request, error)
    return redirect("enrollment:manage", pk=application.round_id)


def _int(value: str | None) -> int:
    """A version number from a form; anything unreadable matches no version, so the step is refused."""
    try:
        return inputs.integer(value or "", low=0, high=2**31)
    except ValueError:
        return -1
