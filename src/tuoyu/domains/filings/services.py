"""Writes of the filing workflow: one transaction each, audited, transitions guarded by version."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.filings import rules
from tuoyu.domains.filings.actions import DECIDE, FILE
from tuoyu.domains.filings.models import (
    OPEN_STATES,
    Event,
    Filing,
    Kind,
    Material,
    MaterialKind,
    Placement,
    ReceiptCounter,
    State,
)
from tuoyu.engines import policy
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, authorize, holders, require_actor
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Department
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import notify, outbox_post
from tuoyu.kernel.people.models import Child, StaffMember
from tuoyu.kernel.people.services import people_release
from tuoyu.kernel.people.standards import assess
from tuoyu.kernel.regions.models import Level, Region
from tuoyu.kernel.regions.selectors import calendar_overrides
from tuoyu.kernel.registry.models import Institution, Status
from tuoyu.kernel.registry.selectors import managers_of
from tuoyu.kernel.registry.services import FilingOutcome, institution_record_filing
from tuoyu.uploads import BadUpload, read_scan


class FilingError(StrEnum):
    CONFLICT = "conflict"
    ILLEGAL_TRANSITION = "illegal_transition"
    NOT_ALLOWED_FOR_STATUS = "not_allowed_for_status"
    ALREADY_OPEN = "already_open"
    INCOMPLETE = "incomplete"
    BAD_UPLOAD = "bad_upload"
    NEEDS_REASON = "needs_reason"
    BAD_DEADLINE = "bad_deadline"
    NOT_EDITABLE = "not_editable"


CONFLICT_MESSAGE = "该备案已由他人处理或状态已变化，本次操作未执行。请刷新页面查看最新状态。"

# --- helpers ----------------------------------------------------------------------------------------


def county_of(institution: Institution) -> Region:
    for region in institution.subdistrict.ancestors():
        if region.level == Level.COUNTY:
            return region
    return institution.subdistrict


def _event(filing: Filing, actor: Actor, from_state: str, to_state: str, note: str = "") -> None:
    Event.objects.create(
        filing=filing, actor_name=actor.name[:120], from_state=from_state, to_state=to_state, note=note
    )


def _transition(
    filing: Filing, *, actor: Actor, action: str, expected_version: int, note: str = "", **fields: Any
) -> Filing:
    """Move the filing along one legal transition, or refuse. Exactly one of two racing calls wins."""
    to_state = rules.next_state(filing.state, action)
    if to_state is None:
        raise DomainError(
            FilingError.ILLEGAL_TRANSITION,
            f"当前状态为“{filing.get_state_display()}”，不能{rules.ACTION_LABELS[action]}。",
        )
    before = snapshot(filing)
    updated = Filing.objects.filter(pk=filing.pk, version=expected_version, state=filing.state).update(
        state=to_state, version=F("version") + 1, **fields
    )
    if updated != 1:
        raise DomainError(FilingError.CONFLICT, CONFLICT_MESSAGE)
    from_state = filing.state
    filing.refresh_from_db()
    _event(filing, actor, from_state, to_state, note)
    record(actor, Verb.TRANSITION, filing, before=before, note=f"{rules.ACTION_LABELS[action]}：{note}"[:200])
    return filing


def _link(filing: Filing) -> str:
    return reverse("filings:detail", args=[filing.pk])


def _deciders(institution: Institution):
    """The county health department's regulators, who decide this institution's filings (P23)."""
    return holders(DECIDE, county_of(institution))


def _tell_institution(
    filing: Filing, *, title: str, body: str, topic: Topic = Topic.FILING_DECIDED, key: str = ""
):
    return notify(
        users=managers_of(filing.institution),
        topic=topic,
        title=title,
        body=body,
        link=_link(filing),
        region_path=filing.institution.subdistrict.path,
        key=key,
    )


def _tell_deciders(filing: Filing, *, title: str, body: str, topic: Topic, key: str = ""):
    return notify(
        users=_deciders(filing.institution),
        topic=topic,
        title=title,
        body=body,
        link=_link(filing),
        region_path=filing.institution.subdistrict.path,
        key=key,
    )


def _for_institution(actor: Actor, obj) -> None:
    """The institution's own steps: only its manager, and only on its own rows."""
    authorize(actor, FILE)
    require_actor(actor, obj, Action.CHANGE)


def _for_department(actor: Actor, obj) -> None:
    """Deciding: only the county health department of the institution's jurisdiction (P23)."""
    authorize(actor, DECIDE)
    require_actor(actor, obj, Action.CHANGE)


def _locked(filing: Filing) -> Filing:
    return Filing.objects.select_for_update().select_related("institution__subdistrict").get(pk=filing.pk)


def _require_draft(filing: Filing) -> None:
    if filing.state not in (State.DRAFT, State.RETURNED):
        raise DomainError(FilingError.NOT_EDITABLE, "备案已提交或已办结，不能再修改。")


# --- the institution's side ---------------------------------------------------------------------------


def filing_start(*, actor: Actor, institution: Institution, kind: Kind) -> Filing:
    """Open a draft filing of a kind the institution's status allows."""
    allowed = {
        Kind.INITIAL: (Status.REGISTERED,),
        Kind.CHANGE: (Status.FILED,),
        Kind.CLOSURE: (Status.FILED, Status.SUSPENDED),
    }[kind]
    with transaction.atomic():
        current = Institution.objects.select_for_update().get(pk=institution.pk)
        _for_institution(actor, current)
        if current.status not in allowed:
            raise DomainError(
                FilingError.NOT_ALLOWED_FOR_STATUS,
                f"机构当前状态为“{current.get_status_display()}”，不能办理{Kind(kind).label}。",
            )
        if Filing.objects.filter(institution=current, state__in=OPEN_STATES).exists():
            raise DomainError(FilingError.ALREADY_OPEN, "该机构已有未办结的备案申请，请先办理或撤回。")
        filing = Filing.objects.create(institution=current, kind=kind)
        _event(filing, actor, "", State.DRAFT, "创建")
        record(actor, Verb.CREATE, filing)
        if kind == Kind.CLOSURE:
            sync_placements(actor=actor, filing=filing)
    return filing


def filing_update(
    *,
    actor: Actor,
    filing: Filing,
    signer: str | None = None,
    reason: str | None = None,
    changes: dict[str, Any] | None = None,
    placements: dict[tuple[str, int], str] | None = None,
) -> Filing:
    """Edit a draft: sign the 承诺书, state the changes (change filing) or placements (closure)."""
    with transaction.atomic():
        current = _locked(filing)
        _for_institution(actor, current)
        _require_draft(current)
        before = snapshot(current)
        fields = []
        if signer is not None and signer.strip() != current.commitment_signed_by:
            signer = signer.strip()
            current.commitment_signed_by = signer
            current.commitment_signed_at = clock.now() if signer else None
            fields += ["commitment_signed_by", "commitment_signed_at"]
        if reason is not None and reason.strip() != current.reason:
            current.reason = reason.strip()
            fields.append("reason")
        if changes is not None and changes != current.changes:
            unknown = set(changes) - set(rules.CHANGEABLE_FIELDS)
            if current.kind != Kind.CHANGE or unknown:
                raise DomainError(FilingError.NOT_EDITABLE, "只有变更备案可以填写变更事项。")
            _validate_changes(current.institution, changes)
            current.changes = changes
            fields.append("changes")
        if placements is not None:
            if current.kind != Kind.CLOSURE:
                raise DomainError(FilingError.NOT_EDITABLE, "只有注销备案需要填写人员安置方案。")
            sync_placements(actor=actor, filing=current)
            for placement in Placement.objects.filter(filing=current):
                person = (
                    ("child", placement.child_id) if placement.child_id else ("staff", placement.staff_id)
                )
                if person not in placements:
                    continue
                destination = placements[person].strip()[:200]
                if destination != placement.destination:
                    placement_before = snapshot(placement)
                    placement.destination = destination
                    placement.save(update_fields=["destination"])
                    record(actor, Verb.UPDATE, placement, before=placement_before)
        if fields:
            current.save(update_fields=fields)
            record(actor, Verb.UPDATE, current, before=before)
    return current


def sync_placements(*, actor: Actor, filing: Filing) -> None:
    """A closure places everyone there is when it is submitted: add rows for children and staff who
    came since the draft began, drop rows of those who have left (their destinations no longer apply)."""
    if filing.kind != Kind.CLOSURE:
        return  # placements belong to closures only (备案办法 art. 5)
    institution = filing.institution
    children = set(Child.objects.filter(institution=institution).values_list("pk", flat=True))
    staff = set(
        StaffMember.objects.filter(institution=institution, left_on__isnull=True).values_list("pk", flat=True)
    )
    existing = list(Placement.objects.filter(filing=filing))
    for placement in existing:
        if (placement.child_id or placement.staff_id) not in (children if placement.child_id else staff):
            before = snapshot(placement)
            record(actor, Verb.DELETE, placement, before=before, note="人员已不在本机构")
            placement.delete()
    placed_children = {p.child_id for p in existing if p.child_id}
    placed_staff = {p.staff_id for p in existing if p.staff_id}
    added = [
        Placement(filing=filing, person=Placement.Person.CHILD, child_id=pk, destination="")
        for pk in sorted(children - placed_children)
    ]
    added += [
        Placement(filing=filing, person=Placement.Person.STAFF, staff_id=pk, destination="")
        for pk in sorted(staff - placed_staff)
    ]
    if added:
        for placement in Placement.objects.bulk_create(added):
            record(actor, Verb.CREATE, placement)


@dataclass(frozen=True)
class PlacementRow:
    person: str  # "child" | "staff"
    pk: int
    name: str
    destination: str


def closure_people(filing: Filing, *, children, staff) -> list[PlacementRow]:
    """Everyone a closure must place, as it stands now, with the destinations saved so far.

    ``children`` and ``staff`` are the caller's scoped querysets of the institution's people, so a
    viewer who may not see names is given none."""
    saved = {
        (("child", p.child_id) if p.child_id else ("staff", p.staff_id)): p.destination
        for p in Placement.objects.filter(filing=filing)
    }
    rows = [
        PlacementRow("child", c.pk, c.name, saved.get(("child", c.pk), ""))
        for c in children.filter(institution=filing.institution)
    ]
    rows += [
        PlacementRow("staff", s.pk, s.name, saved.get(("staff", s.pk), ""))
        for s in staff.filter(institution=filing.institution, left_on__isnull=True)
    ]
    return rows


def _validate_changes(institution: Institution, changes: dict[str, Any]) -> None:
    """A change filing's new values must make a valid institution; nothing is applied until accepted."""
    trial = Institution.objects.get(pk=institution.pk)
    for name, value in changes.items():
        setattr(trial, name, value)
    try:
        trial.full_clean(validate_unique=False)
    except ValidationError as error:
        messages = [
            m for field in changes for m in error.message_dict.get(field, [])
        ] + error.message_dict.get("__all__", [])
        if messages:
            raise DomainError(FilingError.INCOMPLETE, "；".join(messages)) from None


def material_add(*, actor: Actor, filing: Filing, kind: str, upload: UploadedFile) -> Material:
    """Attach a scan; refused unless it is a PDF, JPEG or PNG within the size limit."""
    try:
        content, extension, content_type = read_scan(upload)
    except BadUpload as error:
        raise DomainError(FilingError.BAD_UPLOAD, str(error)) from None
    with transaction.atomic():
        current = _locked(filing)
        _for_institution(actor, current)
        _require_draft(current)
        material = Material(
            filing=current,
            kind=kind,
            original_name=(upload.name or "upload")[-200:],
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        material.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
        try:
            material.full_clean(exclude=["file"])
            material.save()
            record(actor, Verb.CREATE, material)
        except Exception:
            material.file.delete(save=False)  # the row was not written: do not leave its file behind
            raise
    return material


def material_remove(*, actor: Actor, material: Material) -> None:
    with transaction.atomic():
        filing = _locked(material.filing)
        _for_institution(actor, material)
        _require_draft(filing)
        stored = material.file.name
        record(
            actor, Verb.DELETE, material, before=snapshot(material)
        )  # before delete(): it still has its pk
        material.delete()
        transaction.on_commit(lambda: material.file.storage.delete(stored))


def missing_for_submission(filing: Filing) -> list[str]:
    """What still stands in the way of submitting, in Chinese; empty when it can be submitted."""
    problems = []
    if not filing.commitment_signed_by:
        problems.append("尚未签署承诺书")
    have = set(filing.materials.values_list("kind", flat=True))
    for kind in rules.required_materials(filing.kind, provides_meals=filing.institution.provides_meals):
        if kind not in have:
            problems.append(f"缺少材料：{MaterialKind(kind).label}")
    if filing.kind == Kind.CHANGE and not filing.changes:
        problems.append("尚未填写变更事项")
    if filing.kind == Kind.CLOSURE:
        institution = filing.institution
        people = {
            ("c", pk) for pk in Child.objects.filter(institution=institution).values_list("pk", flat=True)
        }
        people |= {
            ("s", pk)
            for pk in StaffMember.objects.filter(institution=institution, left_on__isnull=True).values_list(
                "pk", flat=True
            )
        }
        placed = {
            ("c", child) if child else ("s", staff)
            for child, staff in filing.placements.exclude(destination="").values_list("child_id", "staff_id")
        }
        if people - placed:
            problems.append(f"尚有 {len(people - placed)} 名婴幼儿或工作人员未填写安置去向")
    return problems


def filing_submit(
    *, actor: Actor, filing: Filing, expected_version: int, on: dt.date | None = None
) -> Filing:
    """Submit (or resubmit after rectification): freezes the facts and findings, starts both clocks."""
    on = on or clock.today()
    with transaction.atomic():
        current = _locked(filing)
        _for_institution(actor, current)
        if current.kind == Kind.CLOSURE:
            sync_placements(actor=actor, filing=current)
        if current.kind == Kind.CHANGE and current.changes:
            _validate_changes(
                current.institution, current.changes
            )  # the institution may have moved on since the draft
        missing = missing_for_submission(current)
        if missing:
            raise DomainError(FilingError.INCOMPLETE, "暂不能提交：" + "；".join(missing) + "。")
        profile = policy.load_profile(current.institution.subdistrict.effective_policy_profile())
        receipt_due, notice_due = rules.deadlines(
            on, **rules.clock_days(profile, on), overrides=calendar_overrides(on, on + dt.timedelta(days=60))
        )
        facts, findings = assess(current.institution, on)
        resubmitted = current.state == State.RETURNED
        submitted = _transition(
            current,
            actor=actor,
            action="submit",
            expected_version=expected_version,
            note="重新提交" if resubmitted else "",
            submitted_at=clock.now(),
            receipt_due=receipt_due,
            notice_due=notice_due,
            submitted_facts=facts,
            findings=findings,
        )
        _tell_deciders(
            submitted,
            topic=Topic.FILING_SUBMITTED,
            title=f"{submitted.institution.name}{'重新提交' if resubmitted else '提交'}{submitted.get_kind_display()}，待审核",
            body=f"回执期限 {receipt_due:%Y-%m-%d}；不符合条件的，告知期限 {notice_due:%Y-%m-%d}。",
        )
        return submitted


def filing_withdraw(*, actor: Actor, filing: Filing, expected_version: int) -> Filing:
    with transaction.atomic():
        current = _locked(filing)
        _for_institution(actor, current)
        return _transition(current, actor=actor, action="withdraw", expected_version=expected_version)


# --- the regulator's side --------------------------------------------------------------------------


def filing_review(
    *,
    actor: Actor,
    filing: Filing,
    checklist: dict[str, bool],
    verified_on: dt.date | None,
    verified_by: str,
    notes: str,
) -> Filing:
    """Record the review checklist and the on-site verification; no state change."""
    with transaction.atomic():
        current = _locked(filing)
        _for_department(actor, current)
        if current.state != State.SUBMITTED:
            raise DomainError(FilingError.NOT_EDITABLE, "只能审核已提交的备案。")
        values = {
            "checklist": {key: bool(checklist.get(key)) for key in rules.CHECKLIST},
            "verified_on": verified_on,
            "verified_by": verified_by.strip()[:80],
            "verification_notes": notes.strip(),
        }
        stored = {
            **{name: getattr(current, name) for name in values},
            "checklist": {key: bool(current.checklist.get(key)) for key in rules.CHECKLIST},
        }
        if values == stored:
            return current
        before = snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        current.save(update_fields=list(values))
        record(actor, Verb.UPDATE, current, before=before, note="审核与现场核查")
    return current


def filing_return(
    *,
    actor: Actor,
    filing: Filing,
    expected_version: int,
    reasons: str,
    rectify_by: dt.date,
    on: dt.date | None = None,
) -> Filing:
    """Tell the institution it does not meet the standards, with reasons and a rectification deadline."""
    on = on or clock.today()
    if not reasons.strip():
        raise DomainError(FilingError.NEEDS_REASON, "请写明退回理由（不符合备案条件的具体情形）。")
    if rectify_by <= on:
        raise DomainError(FilingError.BAD_DEADLINE, "整改期限应晚于今天。")
    with transaction.atomic():
        current = _locked(filing)
        _for_department(actor, current)
        returned = _transition(
            current,
            actor=actor,
            action="return",
            expected_version=expected_version,
            note=f"限期{rectify_by:%Y-%m-%d}前整改：{reasons.strip()}",
            return_reasons=reasons.strip(),
            rectify_by=rectify_by,
            decided_at=clock.now(),
            decided_by=actor.user,
        )
        _tell_institution(
            returned,
            title=f"{returned.get_kind_display()}退回整改，请于{rectify_by:%Y-%m-%d}前整改后重新提交",
            body=f"退回理由：{reasons.strip()}",
        )
        return returned


def unchecked_items(filing: Filing) -> list[str]:
    """The review checklist's items not yet confirmed (P23: the department checks before it files)."""
    return [label for key, label in rules.CHECKLIST.items() if not filing.checklist.get(key)]


def authority_name(institution: Institution) -> str:
    """The issuing department: the health bureau of the institution's county."""
    return f"{county_of(institution).name.split('（')[0]}卫生健康局"


def next_receipt_number(institution: Institution, kind: str, on: dt.date) -> str:
    county = county_of(institution)
    counter, _ = ReceiptCounter.objects.get_or_create(county=county, year=on.year)
    counter = ReceiptCounter.objects.select_for_update().get(pk=counter.pk)
    word = {"initial": "备", "change": "变", "closure": "销"}[kind]
    while True:
        counter.last += 1
        number = f"{county.name.split('（')[0]}卫健托{word}〔{on.year}〕{counter.last:03d}号"
        # Filings recorded before the platform (imported from a paper ledger) may hold a number already.
        taken = (
            Filing.objects.filter(receipt_number=number).exists()
            or Institution.objects.filter(filing_number=number).exists()
        )
        if not taken:
            break
    counter.save(update_fields=["last"])
    return number


def filing_accept(
    *,
    actor: Actor,
    filing: Filing,
    expected_version: int,
    override_reason: str = "",
    on: dt.date | None = None,
) -> Filing:
    """Issue the receipt and apply the filing: file, change or close the institution."""
    on = on or clock.today()
    with transaction.atomic():
        current = _locked(filing)
        _for_department(actor, current)
        unchecked = unchecked_items(current)
        if (current.failing_findings or unchecked) and not override_reason.strip():
            problems = []
            if current.failing_findings:
                problems.append(f"提交时的标准核查有 {len(current.failing_findings)} 项不符合")
            if unchecked:
                problems.append(f"审核清单有 {len(unchecked)} 项尚未确认（{'、'.join(unchecked)}）")
            raise DomainError(
                FilingError.NEEDS_REASON, "；".join(problems) + "。予以备案须写明理由，或退回整改。"
            )
        number = next_receipt_number(current.institution, current.kind, on)
        accepted = _transition(
            current,
            actor=actor,
            action="accept",
            expected_version=expected_version,
            note=f"回执编号 {number}",
            receipt_number=number,
            override_reason=override_reason.strip(),
            decided_at=clock.now(),
            decided_by=actor.user,
        )
        _apply(accepted, actor=actor, on=on)
        _tell_institution(
            accepted,
            title=f"{accepted.get_kind_display()}已办结，回执编号 {number}",
            body=f"{authority_name(accepted.institution)}已予以{accepted.get_kind_display()}，可在平台下载备案回执。",
        )
    return accepted


_OUTCOMES = {
    Kind.INITIAL: (FilingOutcome.FILED, Topic.INSTITUTION_FILED, "予以备案"),
    Kind.CHANGE: (FilingOutcome.CHANGED, Topic.INSTITUTION_CHANGED, "变更备案"),
    Kind.CLOSURE: (FilingOutcome.CLOSED, Topic.INSTITUTION_CLOSED, "注销备案"),
}


def _apply(filing: Filing, *, actor: Actor, on: dt.date) -> None:
    outcome, topic, verb = _OUTCOMES[Kind(filing.kind)]
    if outcome is FilingOutcome.CLOSED:
        people_release(actor=actor, institution_id=filing.institution_id, on=on)
    try:
        institution = institution_record_filing(
            actor=actor,
            institution_id=filing.institution_id,
            outcome=outcome,
            receipt_number=filing.receipt_number,
            on=on,
            changes=filing.changes if outcome is FilingOutcome.CHANGED else None,
            note=f"{verb}（{filing.receipt_number}）",
        )
    except ValidationError as error:
        # The institution changed after the filing was submitted; the filing no longer fits it.
        raise DomainError(
            FilingError.INCOMPLETE, "备案内容与机构现有信息冲突，不能办结：" + "；".join(error.messages)
        ) from None
    outbox_post(
        topic=topic,
        title=f"{institution.name}{verb}",
        body=(
            f"机构：{institution.name}\n统一社会信用代码：{institution.credit_code}\n地址：{institution.address}\n"
            f"托位数：{institution.places}\n回执编号：{filing.receipt_number}\n日期：{on:%Y-%m-%d}"
        ),
        region_path=institution.subdistrict.path,
        departments=[Department.HEALTH, Department.PUBLIC_SECURITY],
        payload={
            "institution_id": institution.pk,
            "filing_id": filing.pk,
            "receipt_number": filing.receipt_number,
        },
    )


# --- reminders (run by the background worker) ---------------------------------------------------------


def remind_filing_deadlines(*, on: dt.date | None = None, days_before: int = 3) -> int:
    """Remind institutions of rectification deadlines and regulators of receipts falling due.
    Each reminder is queued once (keyed), however often this runs; returns how many were queued."""
    on = on or clock.today()
    horizon = on + dt.timedelta(days=days_before)
    queued = 0
    with transaction.atomic():
        returned = Filing.objects.filter(state=State.RETURNED, rectify_by__gte=on, rectify_by__lte=horizon)
        for filing in returned.select_related("institution__subdistrict"):
            days = (filing.rectify_by - on).days
            if _tell_institution(
                filing,
                topic=Topic.FILING_DEADLINE,
                title=f"整改期限提醒：{filing.get_kind_display()}须于{filing.rectify_by:%Y-%m-%d}前整改后重新提交",
                body=f"距整改期限还有 {days} 天。" if days else "今天是整改期限。",
                key=f"filing:{filing.pk}:rectify:{filing.rectify_by:%Y%m%d}",
            ):
                queued += 1
        # Receipts falling due, and once more when overdue.
        for filing in Filing.objects.filter(state=State.SUBMITTED, receipt_due__lte=horizon).select_related(
            "institution__subdistrict"
        ):
            overdue = filing.receipt_due < on
            name, kind, due = (
                filing.institution.name,
                filing.get_kind_display(),
                f"{filing.receipt_due:%Y-%m-%d}",
            )
            if _tell_deciders(
                filing,
                topic=Topic.FILING_DEADLINE,
                title=f"已逾期：{name}的{kind}回执期限为{due}"
                if overdue
                else f"回执期限提醒：{name}的{kind}须于{due}前办结",
                body="请尽快出具备案回执，或告知不符合备案条件的理由。"
                if overdue
                else "请按期出具备案回执，或告知不符合备案条件的理由。",
                key=f"filing:{filing.pk}:{'receipt-overdue' if overdue else 'receipt'}:{filing.receipt_due:%Y%m%d}",
            ):
                queued += 1
    return queued
