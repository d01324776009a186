"""Writes of the health domain: a class's check recorded, a return certificate received, an outbreak
report recorded. One transaction each, audited; the people a result concerns are told in the same
transaction (the guardians of a child with a finding, the institution and the departments of an alert).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.health.actions import RECORD_ANY_CLASS, RECORD_CHECKS, RECORD_OUTBREAK_REPORT
from tuoyu.domains.health.models import (
    CheckAction,
    ChildCheck,
    ClassCheck,
    OutbreakAlert,
    ReturnCertificate,
    Sitting,
)
from tuoyu.engines import outbreak, policy
from tuoyu.engines.policy import vocabulary
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied, authorize, permits
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Department, User
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import notify, outbox_post
from tuoyu.kernel.people.models import CareClass, Child
from tuoyu.kernel.people.selectors import institution_accounts
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
    """Whether the actor may record this class's checks: the manager any class of the institution,
    a caregiver the classes they keep."""
    if not permits(actor, RECORD_CHECKS, care_class):
        return False
    user = actor.user if isinstance(actor, Actor) else actor
    if user is None or permits(actor, RECORD_ANY_CLASS, care_class):
        return True
    return care_class.keepers.filter(pk=user.pk).exists()


def fever_from(institution: Institution, on: dt.date) -> Decimal:
    """The temperature from which a check records fever, under the institution's profile."""
    profile = policy.load_profile(institution.subdistrict.effective_policy_profile())
    param = profile.lookup("health.check.fever_celsius", on)
    return Decimal(str(param.value)) if param is not None else Decimal("37.3")


def class_check_record(
    *, actor: Actor, care_class: CareClass, date: dt.date, sitting: str, results: Mapping[int, Result]
) -> ClassCheck:
    """Record (or correct) one sitting of a class: every child in the class that day, present and
    正常 unless ``results`` (by child id) says otherwise. All or nothing: one refused entry saves none."""
    if actor.user is None:
        raise AccessDenied  # a check is somebody's observation: the command line records none
    if sitting not in Sitting.values:
        raise DomainError(HealthError.BAD_CODE, "请选择晨检或午检。", field="sitting")
    with transaction.atomic():
        current = CareClass.objects.select_related("institution__subdistrict").get(pk=care_class.pk)
        if not may_record(actor, current):
            raise AccessDenied
        if current.closed_on is not None and current.closed_on <= date:
            raise DomainError(HealthError.CLASS_CLOSED, f"{current.name}已撤销。")
        if date > clock.today():
            raise DomainError(HealthError.FUTURE, "不能记录今天以后的晨午检。", field="date")
        if date < clock.today() - dt.timedelta(days=CORRECTION_DAYS):
            raise DomainError(
                HealthError.TOO_LATE, f"只能记录或更正近{CORRECTION_DAYS}天的晨午检。", field="date"
            )
        children = {
            child.pk: child
            for child in Child.objects.filter(care_class=current)
            .exclude(enrolled_on__gt=date)
            .order_by("birth_date", "pk")
        }
        if stray := [pk for pk in results if pk not in children]:
            raise DomainError(HealthError.NOT_IN_CLASS, f"有{len(stray)}名婴幼儿不在{current.name}。")
        fever = fever_from(current.institution, date)
        cleaned = {pk: _clean(results.get(pk, Result()), children[pk], fever) for pk in children}
        _refuse_without_certificate(cleaned, children, date, sitting)

        check, created = ClassCheck.objects.select_for_update().get_or_create(
            care_class=current,
            date=date,
            sitting=sitting,
            defaults={"recorded_by": actor.user},
        )
        before = None if created else snapshot(check)
        previous = {row.child_id: row for row in check.results.all()}
        if not created and {pk: _stored(result) for pk, result in cleaned.items()} == {
            pk: vars_of_row(row) for pk, row in previous.items()
        }:
            return check  # saved again unchanged: nothing to correct, nobody to tell
        if not created:
            check.recorded_by = actor.user
            check.recorded_at = clock.now()
            check.save(update_fields=["recorded_by", "recorded_at"])
            check.results.all().delete()
        rows = ChildCheck.objects.bulk_create(
            [ChildCheck(class_check=check, child_id=pk, **vars_of(result)) for pk, result in cleaned.items()]
        )
        found = [row for row in rows if row.abnormal]
        note = f"{check}：{_tally(rows)}"
        # A correction is audited even when only the children's results changed, with both tallies.
        related = None if created else {"results": [_tally(previous.values()), _tally(rows)]}
        record(
            actor, Verb.CREATE if created else Verb.UPDATE, check, before=before, note=note, related=related
        )
        for row in found:
            _tell_guardians(row, children[row.child_id], check, previous.get(row.child_id))
            if row.action == CheckAction.SENT_HOME and row.diagnosis:
                _await_certificate(row, children[row.child_id])
        _scan_for_outbreaks(current.institution, date)
    return check


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


def _refuse_without_certificate(
    cleaned: Mapping[int, Result], children: Mapping[int, Child], date: dt.date, sitting: str
) -> None:
    """A child sent home before this sitting is present again only once the certificate is in (a
    correction of the sitting that sent them home may still say they came that morning)."""
    present = [pk for pk, result in cleaned.items() if result.present]
    awaited = ReturnCertificate.objects.filter(child_id__in=present, received_on__isnull=True)
    earlier = Q(sent_home__class_check__date__lt=date)
    if sitting == Sitting.MIDDAY:
        earlier |= Q(sent_home__class_check__date=date, sent_home__class_check__sitting=Sitting.MORNING)
    for certificate in awaited.filter(earlier).order_by("child_id"):
        child = children[certificate.child_id]
        raise DomainError(
            HealthError.CERTIFICATE_AWAITED,
            f"{child.name}因疑似{certificate.get_diagnosis_display()}离园就医，须凭医疗机构出具的"
            "复课证明返园：请先登记收到的证明，或将其记为缺勤。",
        )


def _tell_guardians(row: ChildCheck, child: Child, check: ClassCheck, before: ChildCheck | None) -> None:
    """Guardians hear of every finding about their child, once per finding (a correction that
    changes nothing tells nobody again)."""
    if before is not None and vars_of_row(before) == vars_of_row(row):
        return
    what = "、".join(row.symptom_labels() + ([row.get_diagnosis_display()] if row.diagnosis else []))
    temperature = f"体温{row.temperature}℃，" if row.temperature is not None else ""
    if row.action == CheckAction.SENT_HOME:
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
        key=f"check:{check.pk}:{row.child_id}:{_fingerprint(row)}",
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


def _fingerprint(row: ChildCheck) -> str:
    return "|".join(map(str, vars_of_row(row)))[:60]


def _await_certificate(row: ChildCheck, child: Child) -> None:
    if not ReturnCertificate.objects.filter(child=child, received_on__isnull=True).exists():
        ReturnCertificate.objects.create(child=child, sent_home=row, diagnosis=row.diagnosis)


# How far back a scan looks: the longest window a profile sets is a week, and the run an alert
# extends may have begun a window earlier.
LOOK_BACK_DAYS = 14


def _scan_for_outbreaks(institution: Institution, on: dt.date) -> list[OutbreakAlert]:
    """Judge the institution's recent checks by its profile's outbreak thresholds; raise an alert
    for a run that is new, bring an open one up to date when later cases extend its run."""
    rows = (
        ChildCheck.objects.filter(
            class_check__care_class__institution=institution,
            class_check__date__gt=on - dt.timedelta(days=LOOK_BACK_DAYS),
            class_check__date__lte=on,
        )
        .exclude(symptoms=[], diagnosis="")
        .values_list("class_check__care_class_id", "child_id", "class_check__date", "symptoms", "diagnosis")
    )
    checks = [
        outbreak.Check(
            institution=str(institution.pk),
            care_class=str(class_id),
            child=str(child_id),
            date=date,
            symptoms=frozenset(symptoms),
            diagnosis=diagnosis or None,
        )
        for class_id, child_id, date, symptoms, diagnosis in rows
    ]
    if not checks:
        return []
    profile = policy.load_profile(institution.subdistrict.effective_policy_profile())
    raised = []
    for alert in outbreak.scan(outbreak.Checks.from_rows(checks), profile, until=on):
        class_id = int(alert.care_class) if alert.care_class else None
        key = f"{institution.pk}:{class_id or ''}:{alert.rule.id}:{alert.first_date.isoformat()}"
        existing = OutbreakAlert.objects.select_for_update().filter(key=key).first()
        if existing is not None:
            if (existing.last_date, existing.cases) != (alert.last_date, alert.cases):
                existing.last_date, existing.cases = alert.last_date, alert.cases
                existing.save(update_fields=["last_date", "cases"])
            continue
        now = clock.now()
        found = OutbreakAlert.objects.create(
            institution=institution,
            care_class_id=class_id,
            rule=alert.rule.id,
            rule_text=alert.rule.text,
            first_date=alert.first_date,
            last_date=alert.last_date,
            cases=alert.cases,
            raised_at=now,
            report_due_at=now + dt.timedelta(hours=alert.rule.report_hours),
            key=key,
        )
        record(Actor.system("聚集性疫情监测"), Verb.CREATE, found, note=alert.rule.text[:200])
        _announce(found)
        raised.append(found)
    return raised


def _announce(alert: OutbreakAlert) -> None:
    """The institution's manager and the class's keepers, the county health bureau and the CDC
    hear of a new alert at once, with its deadline."""
    where = alert.care_class.name if alert.care_class_id else "全园"
    due = clock.local(alert.report_due_at)
    title = f"聚集性疫情预警：{alert.institution.name}{where}"
    body = (
        f"{alert.institution.name}{where}自 {alert.first_date:%Y-%m-%d} 至 {alert.last_date:%Y-%m-%d} "
        f"出现 {alert.cases} 例，达到判定标准：{alert.rule_text}。"
        f"须于 {due:%Y-%m-%d %H:%M} 前报告疾病预防控制机构，并在平台登记报告情况。"
    )
    link = reverse("health:alerts")
    people = list(institution_accounts(alert.institution))
    notify(
        users=people,
        topic=Topic.OUTBREAK_ALERT,
        title=title,
        body=body,
        link=link,
        region_path=alert.institution.subdistrict.path,
    )
    outbox_post(
        topic=Topic.OUTBREAK_ALERT,
        title=title,
        body=body,
        region_path=alert.institution.subdistrict.path,
        departments=[Department.HEALTH, Department.DISEASE_CONTROL],
        payload={"alert": alert.pk, "institution": alert.institution_id, "rule": alert.rule},
    )


def outbreak_report_record(*, actor: Actor, alert: OutbreakAlert, note: str) -> OutbreakAlert:
    """Record that the CDC was told of the alert (by whom, how): the alert closes."""
    with transaction.atomic():
        current = OutbreakAlert.objects.select_for_update().select_related("institution").get(pk=alert.pk)
        authorize(actor, RECORD_OUTBREAK_REPORT, current)
        if current.reported_at is not None:
            raise DomainError(HealthError.ALREADY_REPORTED, "该预警已登记报告。")
        if not note.strip():
            raise DomainError(HealthError.BAD_CODE, "请填写报告情况（报告对象、方式、时间）。", field="note")
        before = snapshot(current)
        current.reported_at = clock.now()
        current.reported_by = actor.user
        current.report_note = note.strip()[:200]
        current.full_clean(exclude=["institution", "care_class", "reported_by"])
        current.save(update_fields=["reported_at", "reported_by", "report_note"])
        record(actor, Verb.UPDATE, current, before=before, note="登记已报告疾病预防控制机构")
    return current


def certificate_receive(
    *, actor: Actor, certificate: ReturnCertificate, received_on: dt.date, issued_by: str
) -> ReturnCertificate:
    """The doctor's certificate has been seen: the child may be marked present again."""
    with transaction.atomic():
        current = (
            ReturnCertificate.objects.select_for_update()
            .select_related("child__care_class")
            .get(pk=certificate.pk)
        )
        care_class = current.child.care_class
        if care_class is None or not may_record(actor, care_class):
            raise AccessDenied
        if current.received_on is not None:
            raise DomainError(HealthError.ALREADY_RECEIVED, "该复课证明已登记。")
        if received_on > clock.today():
            raise DomainError(HealthError.FUTURE, "收到日期不能晚于今天。", field="received_on")
        if not issued_by.strip():
            raise DomainError(HealthError.BAD_CODE, "请填写出具证明的医疗机构。", field="issued_by")
        before = snapshot(current)
        current.received_on = received_on
        current.issued_by = issued_by.strip()
        current.recorded_by = actor.user
        current.full_clean(exclude=["child", "sent_home", "recorded_by"])
        current.save(update_fields=["received_on", "issued_by", "recorded_by"])
        record(actor, Verb.UPDATE, current, before=before, note="收到复课证明")
    return current
