"""Writes of an admission round: configure, apply, freeze, commit, draw, respond, re-allocate.

Every step is one transaction, audited, guarded by the round's state (and version for the draw).
The allocation itself is the allocation engine's; this module turns rows into its inputs and its
result back into rows, and keeps every published file byte for byte.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.enrollment.actions import RUN_ROUNDS
from tuoyu.domains.enrollment.models import (
    Application,
    PriorityKind,
    PriorityRule,
    Program,
    Response,
    Round,
    RoundState,
)
from tuoyu.engines import allocation, policy
from tuoyu.engines.allocation import csvio
from tuoyu.engines.calendar import add_working_days
from tuoyu.engines.identifiers import mask_name
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, authorize, require_actor
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import notify
from tuoyu.kernel.people.models import Child, ClassType, Guardianship
from tuoyu.kernel.people.services import child_take_in
from tuoyu.kernel.regions.selectors import calendar_overrides
from tuoyu.kernel.registry.models import Institution, ProvisionModel
from tuoyu.kernel.registry.selectors import managers_of
from tuoyu.uploads import BadUpload, read_scan


class EnrollmentError(StrEnum):
    WRONG_STATE = "wrong_state"
    CONFLICT = "conflict"
    BAD_CHOICES = "bad_choices"
    NOT_GUARDIAN = "not_guardian"
    CLOSED = "closed"
    BAD_DRAW = "bad_draw"
    BAD_UPLOAD = "bad_upload"
    NOT_IN_REGION = "not_in_region"


def _state(round_: Round, *allowed: RoundState) -> None:
    if round_.state not in allowed:
        raise DomainError(
            EnrollmentError.WRONG_STATE, f"批次当前状态为“{round_.get_state_display()}”，不能进行此操作。"
        )


def _locked(round_: Round) -> Round:
    return Round.objects.select_for_update().select_related("region").get(pk=round_.pk)


def _advance(round_: Round, *, actor: Actor, to: RoundState, note: str, **fields) -> Round:
    """Move the round to its next state; of two regulators acting at once only the first succeeds."""
    before = snapshot(round_)
    updated = Round.objects.filter(pk=round_.pk, state=round_.state, version=round_.version).update(
        state=to, version=F("version") + 1, **fields
    )
    if updated != 1:
        raise DomainError(
            EnrollmentError.CONFLICT, "该批次已由他人处理或状态已变化，本次操作未执行。请刷新页面。"
        )
    round_.refresh_from_db()
    record(actor, Verb.TRANSITION, round_, before=before, note=note)
    return round_


# --- configuring a round (the regulator; institutions adjust their own programs) ---------------------


def round_create(
    *,
    actor: Actor,
    region,
    name: str,
    admission_date: dt.date,
    opens_on: dt.date,
    closes_on: dt.date,
    max_choices: int = 3,
    respond_days: int = 5,
    rules: dict[str, int] | None = None,
) -> Round:
    authorize(actor, RUN_ROUNDS)
    with transaction.atomic():
        round_ = Round(
            region=region,
            name=name,
            admission_date=admission_date,
            opens_on=opens_on,
            closes_on=closes_on,
            max_choices=max_choices,
            respond_days=respond_days,
        )
        round_.full_clean()
        if actor.user is not None and not round_.region.path.startswith(actor.user.region.path):
            raise DomainError(EnrollmentError.NOT_IN_REGION, "只能在本辖区内组织入托批次。")
        round_.save()
        created = [
            PriorityRule.objects.create(round=round_, kind=PriorityKind(kind), group=group)
            for kind, group in (rules or {}).items()
        ]
        record(
            actor, Verb.CREATE, round_, note="优先规则：" + ("；".join(str(rule) for rule in created) or "无")
        )
    return round_


def program_add(
    *,
    actor: Actor,
    round_: Round,
    institution: Institution,
    class_type: str,
    classes: int,
    staying_on: int = 0,
    on: dt.date | None = None,
) -> Program:
    """Offer an institution's classes of one type; the class limit and age band come from the policy
    profile of the institution's region (P06/P07, 003 §四(一)), so they are cited, never typed."""
    require_actor(actor, institution, Action.VIEW)
    with transaction.atomic():
        current = _locked(round_)
        require_actor(actor, current, Action.CHANGE)
        _state(current, RoundState.DRAFT, RoundState.OPEN)
        if (on or clock.today()) > current.closes_on:
            raise DomainError(
                EnrollmentError.CLOSED, f"申请已于 {current.closes_on:%Y-%m-%d} 截止，不能再增加招收班型。"
            )
        profile = policy.load_profile(institution.subdistrict.effective_policy_profile())
        limit = profile.lookup(f"class.max_size.{class_type}", current.admission_date)
        ages = profile.lookup(f"class.age_months.{class_type}", current.admission_date)
        if limit is None or ages is None:
            raise DomainError(
                EnrollmentError.BAD_CHOICES, f"本地政策未设定{ClassType(class_type).label}的班额或年龄段。"
            )
        if classes < 1 or staying_on < 0 or staying_on > classes * int(limit.value):
            raise DomainError(
                EnrollmentError.BAD_CHOICES, "班级数至少为1，继续在托人数不能为负或超过班额之和。"
            )
        low, high = ages.value
        if not (int(low) <= institution.max_age_months and int(high) > institution.min_age_months):
            raise DomainError(
                EnrollmentError.BAD_CHOICES,
                f"{institution.name}收托{institution.min_age_months}–{institution.max_age_months}个月的婴幼儿，"
                f"不招收{ClassType(class_type).label}。",
            )
        # The places offered never exceed the institution's filed places (N11: enrolment within capacity).
        seats = min(classes * int(limit.value), institution.places)
        if seats - staying_on < 1:
            raise DomainError(
                EnrollmentError.BAD_CHOICES,
                f"{institution.name}备案托位 {institution.places} 个，扣除继续在托人数后没有可招收的名额。",
            )
        program = Program(
            round=current,
            institution=institution,
            class_type=class_type,
            classes=classes,
            class_limit=int(limit.value),
            staying_on=staying_on,
            capacity=seats - staying_on,
            min_age_months=int(low),
            max_age_months=int(high),
            limit_source=limit.source.citation(),
        )
        program.full_clean()
        program.save()
        record(actor, Verb.CREATE, program)
    return program


def round_open(*, actor: Actor, round_: Round, on: dt.date | None = None) -> Round:
    on = on or clock.today()
    with transaction.atomic():
        current = _locked(round_)
        authorize(actor, RUN_ROUNDS)
        require_actor(actor, current, Action.CHANGE)
        _state(current, RoundState.DRAFT)
        if on > current.closes_on:
            raise DomainError(
                EnrollmentError.CLOSED,
                f"申请截止日期（{current.closes_on:%Y-%m-%d}）已过，不能再开始接受申请。",
            )
        if not current.programs.exists():
            raise DomainError(EnrollmentError.WRONG_STATE, "请先添加至少一个招收班型。")
        return _advance(current, actor=actor, to=RoundState.OPEN, note="开始接受申请")


# --- families ----------------------------------------------------------------------------------------


def application_submit(
    *,
    actor: Actor,
    round_: Round,
    child: Child,
    choices: list[int],
    employer: Institution | None = None,
    document: UploadedFile | None = None,
    on: dt.date | None = None,
) -> Application:
    """One application per child per round, up to the round's number of ranked choices.
    A family that withdrew may apply again: its earlier application is renewed, keeping its number."""
    on = on or clock.today()
    user = actor.user
    content = extension = None
    if document:
        try:  # read the scan before taking any lock: other families need not wait for a slow upload
            content, extension, _ = read_scan(document)
        except BadUpload as error:
            raise DomainError(EnrollmentError.BAD_UPLOAD, str(error)) from None
    with transaction.atomic():
        current = _locked(round_)
        _state(current, RoundState.OPEN)
        if not current.opens_on <= on <= current.closes_on:
            raise DomainError(
                EnrollmentError.CLOSED, f"本批次申请时间为 {current.opens_on} 至 {current.closes_on}。"
            )
        if user is None or not Guardianship.objects.filter(child=child, user=user).exists():
            raise DomainError(EnrollmentError.NOT_GUARDIAN, "只能为自己监护的孩子提交申请。")
        programs = _check_choices(current, child, choices)
        if employer is not None and not _runs_a_program(current, employer):
            raise DomainError(EnrollmentError.BAD_CHOICES, "所选工作单位不是本批次中的用人单位办托育机构。")
        application = Application.objects.select_for_update().filter(round=current, child=child).first()
        if application is not None and not application.withdrawn:
            raise DomainError(EnrollmentError.BAD_CHOICES, "这个孩子已在本批次提交过申请。")
        before = snapshot(application) if application else None
        if application is None:
            count = Application.objects.filter(round=current).count()
            application = Application(round=current, child=child, number=f"{current.pk:03d}-{count + 1:04d}")
        application.guardian = user
        application.choices = application.active_choices = [p.pk for p in programs]
        application.employer, application.employer_confirmed, application.withdrawn = employer, False, False
        application.submitted_at = clock.now()
        application.lottery_group = _twin_group(current, child, exclude=application.pk)
        application.full_clean(exclude=["document"])
        if content is not None:
            application.document.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
        application.save()
        if before is None:
            record(actor, Verb.CREATE, application)
        else:
            record(actor, Verb.UPDATE, application, before=before, note="重新提交申请")
        _tell_family(
            application,
            topic=Topic.APPLICATION_RECEIVED,
            title=f"入托申请已受理：{current.name}，申请编号 {application.number}",
            body=f"已为{mask_name(child.name)}填报 {len(programs)} 个志愿。申请截止 {current.closes_on:%Y-%m-%d}，截止后名单冻结并公开摇号。",
        )
    return application


def _tell_family(application: Application, *, topic: Topic, title: str, body: str, key: str = ""):
    return notify(
        users=[application.guardian],
        topic=topic,
        title=title,
        body=body,
        link=reverse("enrollment:mine"),
        region_path=application.round.region.path,
        key=key,
    )


def _runs_a_program(round_: Round, institution: Institution) -> bool:
    """Employer priority is for employer-run nurseries offering places in this round."""
    return (
        institution.provision_model == ProvisionModel.EMPLOYER
        and round_.programs.filter(institution=institution).exists()
    )


def _check_choices(round_: Round, child: Child, choices: list[int]) -> list[Program]:
    if not choices:
        raise DomainError(EnrollmentError.BAD_CHOICES, "请至少填报一个志愿。")
    if len(choices) > round_.max_choices:
        raise DomainError(EnrollmentError.BAD_CHOICES, f"本批次最多填报 {round_.max_choices} 个志愿。")
    if len(set(choices)) != len(choices):
        raise DomainError(EnrollmentError.BAD_CHOICES, "志愿不能重复。")
    programs = {
        p.pk: p for p in Program.objects.filter(round=round_, pk__in=choices).select_related("institution")
    }
    if len(programs) != len(choices):
        raise DomainError(EnrollmentError.BAD_CHOICES, "所选托班不属于本批次。")
    age = child.age_in_months(round_.admission_date)
    for pk in choices:
        program = programs[pk]
        if not program.min_age_months <= age < program.max_age_months:
            raise DomainError(
                EnrollmentError.BAD_CHOICES,
                f"孩子在入托日（{round_.admission_date}）为 {age} 个月，不在{program}的招收月龄"
                f"（{program.min_age_months}–{program.max_age_months}个月）内。",
            )
    return [programs[pk] for pk in choices]


def _twin_group(round_: Round, child: Child, *, exclude: int | None) -> str:
    """Children of one family born the same day share a lottery key (docs/allocation.md), whichever
    parent applies for each: a child shares a guardian with the other and has the same birth date."""
    guardians = Guardianship.objects.filter(child=child).values("user_id")
    twin = (
        Application.objects.filter(
            round=round_,
            withdrawn=False,
            child__birth_date=child.birth_date,
            child__guardianships__user_id__in=guardians,
        )
        .exclude(child=child)
        .exclude(pk=exclude)
        .order_by("number")
        .first()
    )
    if twin is None:
        return ""
    return twin.lottery_group or twin.number


def application_withdraw(*, actor: Actor, application: Application) -> Application:
    with transaction.atomic():
        current = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
        if actor.user is None or current.guardian_id != actor.user.pk:
            raise DomainError(EnrollmentError.NOT_GUARDIAN, "只有提交申请的家长可以撤回。")
        _state(current.round, RoundState.OPEN)
        before = snapshot(current)
        current.withdrawn = True
        current.save(update_fields=["withdrawn"])
        record(actor, Verb.UPDATE, current, before=before, note="撤回申请")
    return current


def offer_respond(
    *, actor: Actor, application: Application, accept: bool, on: dt.date | None = None
) -> Application:
    """The family accepts or declines its place before the deadline; a decline frees it for others."""
    on = on or clock.today()
    with transaction.atomic():
        current = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
        if actor.user is None or current.guardian_id != actor.user.pk:
            raise DomainError(EnrollmentError.NOT_GUARDIAN, "只有提交申请的家长可以确认或放弃。")
        _state(current.round, RoundState.DRAWN)
        if current.placed_id is None or current.response != Response.PENDING:
            raise DomainError(EnrollmentError.WRONG_STATE, "没有待确认的录取。")
        if current.respond_by and on > current.respond_by:
            raise DomainError(EnrollmentError.CLOSED, f"确认期限（{current.respond_by}）已过。")
        before = snapshot(current)
        current.response = Response.ACCEPTED if accept else Response.DECLINED
        current.responded_at = clock.now()
        current.save(update_fields=["response", "responded_at"])
        record(actor, Verb.UPDATE, current, before=before, note="确认入托" if accept else "放弃录取")
    return current


# --- the draw (the regulator, with a notary) ---------------------------------------------------------


def employer_confirm(*, actor: Actor, application: Application, confirmed: bool) -> Application:
    """The department confirms that a parent works for the employer running the nursery."""
    authorize(actor, RUN_ROUNDS)
    with transaction.atomic():
        current = (
            Application.objects.select_for_update().select_related("round", "employer").get(pk=application.pk)
        )
        require_actor(actor, current.round, Action.CHANGE)  # the round's organiser, nobody else
        _state(current.round, RoundState.OPEN)
        if confirmed and (current.employer is None or not _runs_a_program(current.round, current.employer)):
            raise DomainError(EnrollmentError.BAD_CHOICES, "该申请未填报本批次中的用人单位办托育机构。")
        before = snapshot(current)
        current.employer_confirmed = confirmed
        current.save(update_fields=["employer_confirmed"])
        record(actor, Verb.UPDATE, current, before=before, note="核实职工身份")
    return current


def priorities_of(round_: Round, applications: list[Application]) -> list[allocation.Priority]:
    """Each applicant's priority group at each program it chose, from the round's rules:
    a sibling already at the institution, residence in its subdistrict, a parent employed by the
    employer that runs it (confirmed). No rule that applies → the lowest group."""
    rules = {r.kind: r.group for r in round_.priority_rules.all()}
    programs = {p.pk: p for p in round_.programs.select_related("institution")}
    # Where each family's other children are in care: one query for the whole round.
    in_care = Guardianship.objects.filter(
        child__institution__isnull=False, user__in={a.guardian_id for a in applications}
    )
    by_guardian: dict[int, set[tuple[int, int]]] = {}
    for user_id, child_id, institution_id in in_care.values_list(
        "user_id", "child_id", "child__institution_id"
    ):
        by_guardian.setdefault(user_id, set()).add((child_id, institution_id))
    siblings = {
        app.pk: {inst for child_id, inst in by_guardian.get(app.guardian_id, ()) if child_id != app.child_id}
        for app in applications
    }
    out = []
    for app in applications:
        for pk in app.choices:
            program = programs[pk]
            groups = []
            if PriorityKind.SIBLING in rules and program.institution_id in siblings[app.pk]:
                groups.append(rules[PriorityKind.SIBLING])
            if (
                PriorityKind.RESIDENCE in rules
                and app.child.residence_id == program.institution.subdistrict_id
            ):
                groups.append(rules[PriorityKind.RESIDENCE])
            if (
                PriorityKind.EMPLOYEE in rules
                and app.employer_confirmed
                and app.employer_id == program.institution_id
                and program.institution.provision_model == ProvisionModel.EMPLOYER
            ):
                groups.append(rules[PriorityKind.EMPLOYEE])
            if groups:
                out.append(
                    allocation.Priority(program=program.public_id, applicant=app.number, priority=min(groups))
                )
    return out


def _frozen_inputs(
    round_: Round,
) -> tuple[list[allocation.Program], list[allocation.Applicant], list[allocation.Priority]]:
    """The live rows as the engine's inputs, at the moment of freezing. No birth dates and no age
    bands: each family's age fit was checked when it applied, and a birth date published beside a
    masked name would identify a child."""
    programs = [
        allocation.Program(id=p.public_id, capacity=p.capacity) for p in round_.programs.order_by("pk")
    ]
    apps = list(round_.applications.filter(withdrawn=False).select_related("child").order_by("number"))
    ids = {p.pk: p.public_id for p in round_.programs.all()}
    applicants = [
        allocation.Applicant(
            id=a.number,
            choices=tuple(ids[pk] for pk in a.active_choices),
            lottery_group=a.lottery_group or None,
        )
        for a in apps
    ]
    return programs, applicants, priorities_of(round_, apps)


def _published(round_: Round):
    """The inputs of the next allocation, read back from the published files: what the draw uses is
    exactly what anyone can download, whatever has changed in the database since."""
    programs, _ = csvio.read_programs(round_.programs_csv.encode())
    applicants, _ = csvio.read_applicants((round_.lists_csv or round_.applicants_csv).encode())
    priorities, _ = csvio.read_priorities(round_.priorities_csv.encode())
    return programs, applicants, priorities


def round_freeze(*, actor: Actor, round_: Round, on: dt.date | None = None) -> Round:
    """After the application window: publish the applicant list (masked), the classes and the
    priority table with the list's SHA-256, before any secret exists. Nothing in them changes later."""
    on = on or clock.today()
    with transaction.atomic():
        current = _locked(round_)
        authorize(actor, RUN_ROUNDS)
        require_actor(actor, current, Action.CHANGE)
        _state(current, RoundState.OPEN)
        if on <= current.closes_on:
            raise DomainError(
                EnrollmentError.WRONG_STATE, f"申请截止日（{current.closes_on}）之后才能冻结名单。"
            )
        programs, applicants, priorities = _frozen_inputs(current)
        if not applicants:
            raise DomainError(EnrollmentError.WRONG_STATE, "本批次没有申请，无需摇号。")
        names = dict(current.applications.filter(withdrawn=False).values_list("number", "child__name"))
        applicants_csv = _with_names(
            csvio.applicants_csv(applicants).decode(), {n: mask_name(v) for n, v in names.items()}
        )
        return _advance(
            current,
            actor=actor,
            to=RoundState.FROZEN,
            note="冻结并公示申请名单",
            applicants_csv=applicants_csv,
            programs_csv=csvio.programs_csv(programs).decode(),
            priorities_csv=csvio.priorities_csv(priorities).decode(),
            applicants_sha256=allocation.digest(applicants_csv.encode()),
        )


def _with_names(applicants_csv: str, names: dict[str, str]) -> str:
    """The engine's applicants file with one more column, the child's masked name, for families."""
    header, *rows = applicants_csv.splitlines()
    return "\n".join([f"{header},name", *(f"{row},{names[row.split(',')[0]]}" for row in rows)]) + "\n"


def _checked_secret(secret: str) -> str:
    secret = secret.strip()
    if len(secret) > 200:
        raise DomainError(EnrollmentError.BAD_DRAW, "密钥过长（不超过200个字符）。")
    try:
        allocation.seed_material(secret, "0", "0")  # the engine's own checks on a secret
    except allocation.AllocationInputError as error:
        raise DomainError(EnrollmentError.BAD_DRAW, error.zh) from None
    return secret


def round_commit(*, actor: Actor, round_: Round, secret: str, public_source: str) -> Round:
    """Publish the SHA-256 of the secret the notary keeps, and name the public result the draw will use.
    The secret itself is not stored until it is revealed at the draw."""
    if not public_source.strip():
        raise DomainError(
            EnrollmentError.BAD_DRAW, "请写明摇号将采用的公开随机数来源（如某期彩票开奖号码）。"
        )
    commitment = allocation.commitment(_checked_secret(secret))
    with transaction.atomic():
        current = _locked(round_)
        authorize(actor, RUN_ROUNDS)
        require_actor(actor, current, Action.CHANGE)
        _state(current, RoundState.FROZEN)
        return _advance(
            current,
            actor=actor,
            to=RoundState.COMMITTED,
            note="公布密钥承诺值",
            commitment=commitment,
            public_source=public_source.strip()[:200],
        )


def round_draw(
    *,
    actor: Actor,
    round_: Round,
    expected_version: int,
    secret: str,
    live_number: str,
    public_result: str,
    on: dt.date | None = None,
) -> Round:
    """Reveal the secret, combine it with the number drawn live and the public result into the seed,
    allocate the published inputs, and publish the result with every file needed to recompute it."""
    on = on or clock.today()
    secret = _checked_secret(secret)
    with transaction.atomic():
        current = _locked(round_)
        authorize(actor, RUN_ROUNDS)
        require_actor(actor, current, Action.CHANGE)
        _state(current, RoundState.COMMITTED)
        if current.version != expected_version:
            raise DomainError(EnrollmentError.CONFLICT, "该批次已由他人处理，本次操作未执行。请刷新页面。")
        if not allocation.verify_commitment(secret, current.commitment):
            raise DomainError(EnrollmentError.BAD_DRAW, "密钥与摇号前公布的承诺值不符。")
        try:
            live, public = (
                allocation.canonical_numbers(live_number, "现场号码"),
                allocation.canonical_numbers(public_result, "公开随机数"),
            )
            if len(live) > 100 or len(public) > 200:
                raise DomainError(EnrollmentError.BAD_DRAW, "号码过长。")
            seed = allocation.derive_seed(secret, live, public)
            programs, applicants, priorities = _published(current)
            result = allocation.allocate(programs, applicants, priorities, seed=seed)
        except allocation.AllocationInputError as error:
            raise DomainError(EnrollmentError.BAD_DRAW, error.zh) from None
        due = _response_due(current, on)
        _store_result(current, result, actor=actor, offered_to=set(result.applicant_ids), respond_by=due)
        return _advance(
            current,
            actor=actor,
            to=RoundState.DRAWN,
            note=f"摇号，种子 {seed}",
            secret=secret,
            live_number=live,
            public_result=public,
            seed=seed,
            drawn_at=clock.now(),
            responses_due=due,
            **_result_files(result),
        )


def _response_due(round_: Round, on: dt.date) -> dt.date:
    return add_working_days(on, round_.respond_days, calendar_overrides(on, on + dt.timedelta(days=60)))


def _result_files(result: allocation.Result) -> dict[str, str]:
    result_csv = csvio.result_csv(result).decode()
    return {
        "result_csv": result_csv,
        "cutoffs_csv": csvio.cutoffs_csv(result).decode(),
        "result_sha256": allocation.digest(result_csv.encode()),
    }


def _store_result(
    round_: Round,
    result: allocation.Result,
    *,
    actor: Actor,
    offered_to: set[str],
    respond_by: dt.date,
    lists: dict[str, tuple[str, ...]] | None = None,
) -> None:
    """Write a result onto the applications: placement, key, waitlist ranks; a new offer (with its own
    deadline) for those in ``offered_to``; the shortened choice lists after a re-allocation."""
    programs = {p.public_id: p for p in round_.programs.select_related("institution")}
    by_public = {p.public_id: p.pk for p in programs.values()}
    first_draw = lists is None
    for app in round_.applications.filter(withdrawn=False).select_related("guardian", "round__region"):
        before = snapshot(app)
        was_placed, was_waiting = app.placed_id, dict(app.waitlist)
        placed = result.assignment.get(app.number)
        app.placed = programs[placed] if placed else None
        app.lottery_key = result.keys[app.number]
        app.waitlist = {
            o.program: o.waitlist_rank for o in result.outcomes(app.number) if o.waitlist_rank is not None
        }
        if lists is not None:
            app.active_choices = [by_public[p] for p in lists[app.number]]
        if app.number in offered_to:
            app.response = Response.PENDING if placed else ""
            app.responded_at = None
            app.respond_by = respond_by if placed else None
        app.save(
            update_fields=[
                "placed",
                "lottery_key",
                "waitlist",
                "active_choices",
                "response",
                "responded_at",
                "respond_by",
            ]
        )
        record(actor, Verb.UPDATE, app, before=before, note="摇号结果" if lists is None else "递补结果")
        _tell_result(
            app,
            programs,
            first_draw=first_draw,
            offered=app.number in offered_to,
            was_placed=was_placed,
            was_waiting=was_waiting,
        )


def _tell_result(
    app: Application,
    programs: dict[str, Program],
    *,
    first_draw: bool,
    offered: bool,
    was_placed,
    was_waiting,
) -> None:
    """Each family hears its own outcome: an offer and its deadline, or where it waits."""
    ranks = "；".join(
        f"{programs[p].institution.name}{programs[p].label}第 {rank} 位"
        for p, rank in app.waitlist.items()
        if p in programs
    )
    if offered and app.placed_id:
        title = (
            "录取通知" if first_draw else "递补录取通知"
        ) + f"：{app.placed}，请于{app.respond_by:%Y-%m-%d}前确认"
        body = f"申请编号 {app.number}。逾期未确认视为放弃，名额将递补给其他家庭。" + (
            f"更靠前的志愿候补：{ranks}。" if ranks else ""
        )
        _tell_family(app, topic=Topic.DRAW_RESULT, title=title, body=body)
    elif first_draw:
        _tell_family(
            app,
            topic=Topic.DRAW_RESULT,
            title=f"摇号结果：{app.round.name}未录取",
            body=f"申请编号 {app.number}。"
            + (f"候补名次：{ranks}。有家庭放弃时按名次递补，届时会通知您。" if ranks else ""),
        )
    elif app.waitlist != was_waiting and not app.placed_id and not was_placed:
        _tell_family(
            app,
            topic=Topic.WAITLIST_MOVED,
            title=f"候补名次变动：{app.round.name}",
            body=f"申请编号 {app.number}。当前候补：{ranks or '无'}。",
        )


def round_reallocate(*, actor: Actor, round_: Round, on: dt.date | None = None) -> list[str]:
    """Give the places families declined, or let lapse, to the next applicants: the same seed and the
    published inputs, each decliner's list cut above the declined class, each family that accepted
    fixed at its class (docs/enrolment.md). Nobody who kept a place is moved except to a choice they
    ranked higher. Returns the application numbers whose placement changed."""
    on = on or clock.today()
    with transaction.atomic():
        current = _locked(round_)
        authorize(actor, RUN_ROUNDS)
        require_actor(actor, current, Action.CHANGE)
        _state(current, RoundState.DRAWN)
        apps = list(
            current.applications.filter(withdrawn=False, placed__isnull=False).select_related("placed")
        )
        lapsed = [a for a in apps if a.response == Response.PENDING and a.respond_by and on > a.respond_by]
        declines = {
            a.number: a.placed.public_id for a in apps if a.response == Response.DECLINED or a in lapsed
        }
        accepted = {a.number: a.placed.public_id for a in apps if a.response == Response.ACCEPTED}
        if not declines:
            raise DomainError(EnrollmentError.WRONG_STATE, "没有放弃或逾期未确认的录取，无需递补。")
        programs, applicants, priorities = _published(current)
        try:
            previous = allocation.allocate(programs, applicants, priorities, seed=current.seed)
            if csvio.result_csv(previous).decode() != current.result_csv:
                raise DomainError(EnrollmentError.CONFLICT, "公布的结果与公布的输入不一致，不能递补。")
            outcome = allocation.reallocate(
                programs,
                applicants,
                priorities,
                previous=previous,
                declines=declines,
                accepted_final=accepted,
            )
        except allocation.AllocationInputError as error:
            raise DomainError(EnrollmentError.BAD_DRAW, error.zh) from None
        for app in lapsed:
            before = snapshot(app)
            app.response = Response.DECLINED
            app.save(update_fields=["response"])
            record(actor, Verb.UPDATE, app, before=before, note="逾期未确认，视为放弃")
        lists = {a.id: a.choices for a in outcome.applicants}
        due = _response_due(current, on)
        _store_result(
            current,
            outcome.result,
            actor=actor,
            offered_to=set(outcome.moved) - set(declines),
            respond_by=due,
            lists=lists,
        )
        _advance(
            current,
            actor=actor,
            to=RoundState.DRAWN,
            note=f"第{current.reallocations + 1}轮递补：{len(outcome.moved)} 个申请的录取变化",
            reallocations=F("reallocations") + 1,
            lists_csv=csvio.applicants_csv(outcome.applicants).decode(),
            **_result_files(outcome.result),
        )
        return list(outcome.moved)


def round_finish(*, actor: Actor, round_: Round) -> Round:
    with transaction.atomic():
        current = _locked(round_)
        authorize(actor, RUN_ROUNDS)
        require_actor(actor, current, Action.CHANGE)
        _state(current, RoundState.DRAWN)
        return _advance(current, actor=actor, to=RoundState.FINISHED, note="结束批次")


def remind_offer_deadlines(*, on: dt.date | None = None) -> int:
    """Remind each family with an unanswered offer on the day before its deadline and on the day itself.
    Each reminder is queued once (keyed); returns how many were queued."""
    on = on or clock.today()
    queued = 0
    with transaction.atomic():
        pending = Application.objects.filter(
            response=Response.PENDING,
            placed__isnull=False,
            respond_by__gte=on,
            respond_by__lte=on + dt.timedelta(days=1),
            round__state=RoundState.DRAWN,
        ).select_related("round__region", "placed__institution", "guardian")
        for app in pending:
            if _tell_family(
                app,
                topic=Topic.OFFER_DEADLINE,
                title=f"请于{app.respond_by:%Y-%m-%d}前确认录取：{app.placed}",
                body=f"申请编号 {app.number}。逾期未确认视为放弃。",
                key=f"offer:{app.pk}:{app.respond_by:%Y%m%d}:{on:%Y%m%d}",
            ):
                queued += 1
    return queued


# --- from a place to an enrolment (run by the background worker) ---------------------------------------


def offers_take_up(*, on: dt.date | None = None) -> int:
    """Every accepted place whose admission date has come becomes an enrolment, once: the child
    joins the institution's roster (and a class of the type offered, where one has room), the
    family and the institution are told. Returns how many children were taken in."""
    on = on or clock.today()
    actor = Actor.system("录取入托")
    due = (
        Application.objects.filter(
            response=Response.ACCEPTED,
            placed__isnull=False,
            enrolled_on__isnull=True,
            round__admission_date__lte=on,
        )
        .select_related("round", "child", "placed__institution__subdistrict")
        .order_by("round__admission_date", "pk")
    )
    taken = 0
    for application in due:
        with transaction.atomic():
            current = Application.objects.select_for_update().get(pk=application.pk)
            if current.enrolled_on is not None:
                continue  # another worker took it in meanwhile
            program, start = application.placed, application.round.admission_date
            child = child_take_in(
                actor=actor,
                child=application.child,
                institution=program.institution,
                class_type=program.class_type,
                on=start,
                note=f"{application.round.name}录取（申请编号 {application.number}），{start:%Y-%m-%d} 入托",
            )
            before = snapshot(current)
            current.enrolled_on = start
            current.save(update_fields=["enrolled_on"])
            record(actor, Verb.UPDATE, current, before=before, note="录取转为入托")
            placed_in = f"，编入{child.care_class.name}" if child.care_class else "，班级由机构安排"
            _tell_family(
                current,
                topic=Topic.CHILD_ENROLLED,
                title=f"{mask_name(child.name)}已于 {start:%Y-%m-%d} 入托{program.institution.name}",
                body=f"录取已转为入托{placed_in}。",
                key=f"enrolled:{current.pk}",
            )
            notify(
                users=managers_of(program.institution),
                topic=Topic.CHILD_ENROLLED,
                title=f"录取婴幼儿{mask_name(child.name)}于 {start:%Y-%m-%d} 入托",
                body=f"来自{application.round.name}{placed_in}。请核对花名册。",
                link=reverse("operations:institution", args=[program.institution.pk]),
                region_path=program.institution.subdistrict.path,
                key=f"enrolled-institution:{current.pk}",
            )
            taken += 1
    return taken
