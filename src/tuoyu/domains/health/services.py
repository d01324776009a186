"""Writes of the health domain: a class's check recorded, a return certificate received, an outbreak
report recorded. One transaction each, audited; the people a result concerns are told in the same
transaction (the guardians of a child with a finding, the institution and the departments of an alert).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.db.models import Q

from tuoyu import clock
from tuoyu.domains.health.actions import RECORD_CHECKS
from tuoyu.domains.health.models import (
    CheckAction,
    ChildCheck,
    ClassCheck,
    ReturnCertificate,
    Sitting,
)
from tuoyu.domains.health.outbreaks import outbreaks_rescan
from tuoyu.domains.health.selectors import last_present
from tuoyu.engines import policy
from tuoyu.engines.policy import vocabulary
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied, permits
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import notify
from tuoyu.kernel.people.admission import admission_problems
from tuoyu.kernel.people.models import CareClass, Child
from tuoyu.kernel.people.selectors import open_holds
from tuoyu.kernel.people.services import hold_lift, hold_place, may_keep
from tuoyu.kernel.registry.models import Institution


class HealthError(StrEnum):
    NOT_KEEPER = "not_keeper"
    CLASS_CLOSED = "class_closed"
    FUTURE = "future"
    TOO_LATE = "too_late"
    NOT_IN_CLASS = "not_in_class"
    BAD_TEMPERATURE = "bad_temperature"
    BAD_CODE = "bad_code"
    CERTIFICATE_AWAITED = "certificate_awaited"
    NOT_ADMITTED = "not_admitted"
    STALE = "stale"
    BEFORE_SENT_HOME = "before_sent_home"
    ALREADY_RECEIVED = "already_received"
    ALREADY_REPORTED = "already_reported"


# How far back a check may be recorded or corrected: the week the outbreak windows look at.
CORRECTION_DAYS = 7
# A thermometer reading outside this range is a typing slip, not a child's temperature.
LOWEST_READING = Decimal("34.0")
HIGHEST_READING = Decimal("43.0")


@dataclass(frozen=True)
class Result:
    """What the caregiver entered for one child; a child not given is present with nothing found."""

    present: bool = True
    temperature: Decimal | None = None
    symptoms: frozenset[str] = field(default_factory=frozenset)
    diagnosis: str = ""
    action: str = ""
    note: str = ""


def may_record(actor: Actor | User, care_class: CareClass) -> bool:
    """Whether the actor records this class's checks: the accounts that keep the class."""
    return permits(actor, RECORD_CHECKS, care_class) and may_keep(actor, care_class)


def fever_from(institution: Institution, on: dt.date) -> Decimal:
    """The temperature from which a check records fever, under the institution's profile."""
    profile = policy.load_profile(institution.subdistrict.effective_policy_profile())
    # A required parameter: every profile inherits the national value.
    return Decimal(str(profile.lookup("health.check.fever_celsius", on).value))


def class_check_record(
    *,
    actor: Actor,
    care_class: CareClass,
    date: dt.date,
    sitting: str,
    results: Mapping[int, Result],
    seen_at: dt.datetime | None = None,
) -> ClassCheck:
    """Record (or correct) one sitting of a class: every child in the class that day, present and
    正常 unless ``results`` (by child id) says otherwise. All or nothing: one refused entry saves none.

    ``seen_at`` is when the sitting the caregiver corrected was last saved (None for a new one): a
    correction saved meanwhile by someone else is not overwritten. A child who has left the class
    since keeps their row as it was."""
    if actor.user is None:
        raise AccessDenied  # a check is somebody's observation: the command line records none
    if sitting not in Sitting.values:
        raise DomainError(HealthError.BAD_CODE, "请选择晨检或午检。", field="sitting")
    with transaction.atomic():
        current = CareClass.objects.select_related("institution__subdistrict").get(pk=care_class.pk)
        if not may_record(actor, current):
            raise AccessDenied
        # One institution's checks are saved one at a time: its outbreak scan must see them all.
        Institution.objects.select_for_update().filter(pk=current.institution_id).first()
        if current.closed_on is not None and current.closed_on <= date:
            raise DomainError(HealthError.CLASS_CLOSED, f"{current.name}已撤销。")
        if date > clock.today():
            raise DomainError(HealthError.FUTURE, "不能记录今天以后的晨午检。", field="date")
        if date < clock.today() - dt.timedelta(days=CORRECTION_DAYS):
            raise DomainError(
                HealthError.TOO_LATE, f"只能记录或更正近{CORRECTION_DAYS}天的晨午检。", field="date"
            )
        check = (
            ClassCheck.objects.select_for_update()
            .filter(care_class=current, date=date, sitting=sitting)
            .first()
        )
        if check is not None and seen_at is not None and check.recorded_at != seen_at:
            raise DomainError(
                HealthError.STALE,
                f"该次检查已于 {clock.local(check.recorded_at):%H:%M} 由{check.recorded_by}保存过，请刷新页面后再更正。",
            )
        previous = (
            {} if check is None else {row.child_id: row for row in check.results.select_related("child")}
        )
        children = {
            child.pk: child
            for child in Child.objects.filter(care_class=current).exclude(enrolled_on__gt=date)
        }
        children.update({pk: row.child for pk, row in previous.items()})
        if stray := [pk for pk in results if pk not in children]:
            raise DomainError(HealthError.NOT_IN_CLASS, f"有{len(stray)}名婴幼儿不在{current.name}。")
        fever = fever_from(current.institution, date)
        cleaned = {
            pk: _clean(results[pk], children[pk], fever) if pk in results else _kept(previous.get(pk))
            for pk in children
        }
        changed = {
            pk
            for pk, result in cleaned.items()
            if pk not in previous or _stored(result) != vars_of_row(previous[pk])
        }
        if check is not None and not changed:
            return check  # saved again unchanged: nothing to correct, nobody to tell
        _refuse_held(cleaned, children, date, sitting)

        created = check is None
        if created:
            check = ClassCheck.objects.create(
                care_class=current, date=date, sitting=sitting, recorded_by=actor.user
            )
            before = None
        else:
            before = snapshot(check)
            check.recorded_by = actor.user
            check.recorded_at = clock.now()
            check.save(update_fields=["recorded_by", "recorded_at"])
        was = {pk: vars_of_row(previous[pk]) for pk in changed if pk in previous}
        rows, fresh = [], []
        for pk in sorted(changed):
            row = previous.get(pk) or ChildCheck(class_check=check, child_id=pk)
            for name, value in vars_of(cleaned[pk]).items():
                setattr(row, name, value)
            row.full_clean(exclude=["class_check", "child"])
            if pk in previous:
                row.save()
            else:
                fresh.append(row)
            rows.append(row)
        # A class's new rows in one statement: a whole morning is mostly new rows.
        ChildCheck.objects.bulk_create(fresh)
        fresh_ids = {row.child_id for row in fresh}
        every = [*rows, *(row for pk, row in previous.items() if pk not in changed)]
        # A correction names each child whose entry changed, before and after.
        related = (
            None
            if created
            else {
                f"child:{pk}": [_readable(was[pk]), _readable(vars_of_row(row))]
                for row in rows
                for pk in [row.child_id]
                if pk in was
            }
        )
        record(
            actor,
            Verb.CREATE if created else Verb.UPDATE,
            check,
            before=before,
            note=f"{check}：{_tally(every)}",
            related=related,
        )
        for row in rows:
            before_row = was.get(row.child_id)
            _tell_guardians(row, children[row.child_id], check, before_row)
            _keep_certificate(actor, row, children[row.child_id], date, fresh=row.child_id in fresh_ids)
        outbreaks_rescan(current.institution, date)
    return check


def _kept(row: ChildCheck | None) -> Result:
    """A child the caller said nothing of: as stored, or present and 正常 when new."""
    if row is None:
        return Result()
    return Result(
        present=row.present,
        temperature=row.temperature,
        symptoms=frozenset(row.symptoms),
        diagnosis=row.diagnosis,
        action=row.action,
        note=row.note,
    )


def _readable(stored: tuple) -> str:
    present, temperature, symptoms, diagnosis, action, note = stored
    if not present:
        return "缺勤"
    parts = [f"{temperature}℃"] if temperature is not None else []
    parts += [vocabulary.SYMPTOMS[code] for code in symptoms]
    parts += [f"疑似{vocabulary.DIAGNOSES[diagnosis]}"] if diagnosis else []
    parts += [vocabulary.CHECK_ACTIONS[action]] if action else []
    parts += [note] if note else []
    return "、".join(parts) or "正常"


def _tally(rows) -> str:
    rows = list(rows)
    present = sum(row.present for row in rows)
    found = sum(row.abnormal for row in rows)
    return f"到园{present}人，缺勤{len(rows) - present}人，异常{found}人"


def vars_of(result: Result) -> dict:
    return {
        "present": result.present,
        "temperature": result.temperature,
        "symptoms": sorted(result.symptoms, key=list(vocabulary.SYMPTOMS).index),
        "diagnosis": result.diagnosis,
        "action": result.action,
        "note": result.note,
    }


def _clean(result: Result, child: Child, fever: Decimal) -> Result:
    """The entry as it is stored: an absent child carries no finding; a temperature at or above the
    profile's fever line is fever; a finding without an action is being observed."""
    name = child.name
    if not result.present:
        return Result(present=False, note=result.note.strip())
    unknown = [code for code in result.symptoms if code not in vocabulary.SYMPTOMS]
    if unknown or (result.diagnosis and result.diagnosis not in vocabulary.DIAGNOSES):
        raise DomainError(HealthError.BAD_CODE, f"{name}：症状或疾病不在规定的选项中。")
    if result.action and result.action not in vocabulary.CHECK_ACTIONS:
        raise DomainError(HealthError.BAD_CODE, f"{name}：处理方式不在规定的选项中。")
    temperature = result.temperature
    if temperature is not None and not LOWEST_READING <= temperature <= HIGHEST_READING:
        raise DomainError(
            HealthError.BAD_TEMPERATURE,
            f"{name}：体温 {temperature}℃ 不在 {LOWEST_READING}–{HIGHEST_READING}℃ 之间，请核对。",
        )
    symptoms = set(result.symptoms)
    if temperature is not None and temperature >= fever:
        symptoms.add("fever")
    action = result.action
    if (symptoms or result.diagnosis) and not action:
        action = CheckAction.OBSERVE
    return Result(
        present=True,
        temperature=temperature,
        symptoms=frozenset(symptoms),
        diagnosis=result.diagnosis,
        action=action,
        note=result.note.strip(),
    )


def _refuse_held(
    cleaned: Mapping[int, Result], children: Mapping[int, Child], date: dt.date, sitting: str
) -> None:
    """A child sent home before this sitting is present again only from the day the certificate
    came (so a correction of an earlier day cannot mark them present either); the sitting that sent
    them home may still say they came that morning. Holds other packages place apply as well."""
    present = [pk for pk, result in cleaned.items() if result.present]
    earlier = Q(sent_home__class_check__date__lt=date)
    if sitting == Sitting.MIDDAY:
        earlier |= Q(sent_home__class_check__date=date, sent_home__class_check__sitting=Sitting.MORNING)
    not_yet = Q(received_on__isnull=True) | Q(received_on__gt=date)
    for certificate in ReturnCertificate.objects.filter(earlier, not_yet, child_id__in=present).order_by(
        "child_id"
    ):
        child = children[certificate.child_id]
        raise DomainError(
            HealthError.CERTIFICATE_AWAITED,
            f"{child.name}因疑似{certificate.get_diagnosis_display()}离园就医，须凭医疗机构出具的"
            "复课证明返园：请先登记收到的证明，或将其记为缺勤。",
        )
    last_seen = last_present([children[pk] for pk in present], date)
    for child_id, problem in admission_problems([children[pk] for pk in present], date, last_seen).items():
        raise DomainError(HealthError.NOT_ADMITTED, f"{children[child_id].name}暂不能记为到园：{problem}。")
    for child_id, holds in open_holds([children[pk] for pk in present]).items():
        for hold in holds:
            if not hold.source.startswith(CERTIFICATE_HOLD):
                raise DomainError(
                    HealthError.CERTIFICATE_AWAITED,
                    f"{children[child_id].name}暂不能记为到园：{hold.reason}。",
                )


def _tell_guardians(row: ChildCheck, child: Child, check: ClassCheck, before: tuple | None) -> None:
    """Guardians hear of every finding about their child, once per finding, and of a finding
    corrected away (the wrong child tapped)."""
    was_abnormal = before is not None and bool(before[2] or before[3] or before[4])
    if not row.abnormal and not was_abnormal:
        return
    what = "、".join(row.symptom_labels() + ([row.get_diagnosis_display()] if row.diagnosis else []))
    temperature = f"体温{row.temperature}℃，" if row.temperature is not None else ""
    if not row.abnormal:
        title = f"{child.name}{check.get_sitting_display()}情况更正"
        body = f"{check}对{child.name}的记录已更正为：{_readable(vars_of_row(row))}。此前的异常记录作废。"
    elif row.action == CheckAction.SENT_HOME:
        title = f"请尽快接{child.name}离园就医"
        body = f"{check}发现{child.name}{temperature}{what or '身体不适'}，请尽快到园接孩子就医。"
        if row.diagnosis:
            body += "疑似传染病的，返园时须带医疗机构出具的复课证明。"
    else:
        title = f"{child.name}{check.get_sitting_display()}情况"
        body = f"{check}发现{child.name}{temperature}{what or '需要关注'}，处理：{row.get_action_display()}。"
    notify(
        users=[g.user for g in child.guardianships.select_related("user")],
        topic=Topic.CHECK_FINDING,
        title=title,
        body=body + (f"备注：{row.note}" if row.note else ""),
        region_path=check.care_class.institution.subdistrict.path,
        key=f"check:{hashlib.sha256(repr((check.pk, row.child_id, vars_of_row(row))).encode()).hexdigest()}",
    )


def _stored(result: Result) -> tuple:
    row = vars_of(result)
    return (
        row["present"],
        row["temperature"],
        tuple(row["symptoms"]),
        row["diagnosis"],
        row["action"],
        row["note"],
    )


def vars_of_row(row: ChildCheck) -> tuple:
    return (row.present, row.temperature, tuple(row.symptoms), row.diagnosis, row.action, row.note)


# The hold a certificate awaited places on the child, for attendance and every page that marks
# a child present.
CERTIFICATE_HOLD = "health.return_certificate:"


def _keep_certificate(actor: Actor, row: ChildCheck, child: Child, on: dt.date, *, fresh: bool) -> None:
    """A child sent home with a suspected disease awaits a certificate (and is held); a correction
    changes the disease awaited, or withdraws the certificate when the child was not sent home
    with one after all. A ``fresh`` row (just created) has no certificate yet to look for."""
    awaited = (
        None
        if fresh
        else ReturnCertificate.objects.select_for_update()
        .filter(sent_home=row, received_on__isnull=True)
        .first()
    )
    needed = row.action == CheckAction.SENT_HOME and bool(row.diagnosis)
    if awaited is not None and (not needed or awaited.diagnosis != row.diagnosis):
        hold_lift(actor=actor, source=f"{CERTIFICATE_HOLD}{awaited.pk}", on=on)
        record(actor, Verb.DELETE, awaited, before=snapshot(awaited), note="晨午检记录更正，撤销待收复课证明")
        awaited.delete()
        awaited = None
    if not needed or ReturnCertificate.objects.filter(child=child, received_on__isnull=True).exists():
        return
    awaited = ReturnCertificate.objects.create(child=child, sent_home=row, diagnosis=row.diagnosis)
    hold_place(
        actor=actor,
        child=child,
        source=f"{CERTIFICATE_HOLD}{awaited.pk}",
        reason=f"因疑似{awaited.get_diagnosis_display()}离园就医，须凭医疗机构出具的复课证明返园",
        since=on,
    )


def certificate_receive(
    *, actor: Actor, certificate: ReturnCertificate, received_on: dt.date, issued_by: str
) -> ReturnCertificate:
    """The doctor's certificate has been seen: the child may be marked present again."""
    with transaction.atomic():
        current = (
            ReturnCertificate.objects.select_for_update(of=("self",))
            .select_related("child__care_class", "sent_home__class_check")
            .get(pk=certificate.pk)
        )
        care_class = current.child.care_class
        if care_class is None or not may_record(actor, care_class):
            raise AccessDenied
        if current.received_on is not None:
            raise DomainError(HealthError.ALREADY_RECEIVED, "该复课证明已登记。")
        if received_on > clock.today():
            raise DomainError(HealthError.FUTURE, "收到日期不能晚于今天。", field="received_on")
        sent_home_on = current.sent_home.class_check.date
        if received_on < sent_home_on:
            raise DomainError(
                HealthError.BEFORE_SENT_HOME,
                f"收到日期不能早于离园就医的日期（{sent_home_on:%Y-%m-%d}）。",
                field="received_on",
            )
        if not issued_by.strip():
            raise DomainError(HealthError.BAD_CODE, "请填写出具证明的医疗机构。", field="issued_by")
        before = snapshot(current)
        current.received_on = received_on
        current.issued_by = issued_by.strip()
        current.recorded_by = actor.user
        current.full_clean(exclude=["child", "sent_home", "recorded_by"])
        current.save(update_fields=["received_on", "issued_by", "recorded_by"])
        record(actor, Verb.UPDATE, current, before=before, note="收到复课证明")
        hold_lift(actor=actor, source=f"{CERTIFICATE_HOLD}{current.pk}", on=received_on)
    return current
