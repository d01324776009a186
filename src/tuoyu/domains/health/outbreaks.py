"""Outbreak alerts kept in step with the checks: the engine's thresholds run over an institution's
recent checks after every class check, a new run of cases raises an alert (told at once to the
institution, the county health department and the CDC), later cases extend it, a correction that
takes its cases away withdraws it; the report to the CDC, once recorded, closes it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.db import transaction
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.health.actions import RECORD_OUTBREAK_REPORT
from tuoyu.domains.health.models import ChildCheck, OutbreakAlert
from tuoyu.engines import outbreak, policy
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import authorize
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Department
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.messaging.models import Topic
from tuoyu.kernel.messaging.services import notify, outbox_post
from tuoyu.kernel.people.selectors import institution_accounts
from tuoyu.kernel.registry.models import Institution

# The checks a scan reads: three weeks back from the earliest day changed, so every window of a
# week that ends in the days an alert may cover is judged whole.
READ_DAYS = 21
# Alerts a scan may extend or withdraw: those whose first case lies a full window inside what it
# read (an older run is seen cut short, and must not be taken for one that ended).
SETTLED_DAYS = 7
SCANNER = "聚集性疫情监测"


class AlertError(StrEnum):
    ALREADY_REPORTED = "already_reported"
    WITHDRAWN = "withdrawn"
    NO_NOTE = "no_note"


def outbreaks_rescan(institution: Institution, changed: dt.date) -> list[OutbreakAlert]:
    """Bring the institution's alerts in line with its checks after a change dated ``changed``.
    Runs in the caller's transaction, which has locked the institution's row: scans of one
    institution never interleave. Returns the alerts raised."""
    today = clock.today()
    start = min(changed, today) - dt.timedelta(days=READ_DAYS)
    found = outbreak.scan(_checks(institution, start, today), _profile(institution), until=today)
    settled_from = start + dt.timedelta(days=SETTLED_DAYS)
    alerts = list(
        OutbreakAlert.objects.select_for_update()
        .filter(institution=institution, withdrawn_at__isnull=True, last_date__gte=start)
        .order_by("pk")
    )
    # Each run found is matched to a stored alert whose days it shares, else to one it adjoins
    # (a correction that shortened it); only what matches nothing is new.
    pairs: dict[int, OutbreakAlert] = {}
    for touching in (False, True):
        for k, alert in enumerate(found):
            if k in pairs:
                continue
            class_id = int(alert.care_class) if alert.care_class else None
            taken = {a.pk for a in pairs.values()}
            same = next(
                (a for a in alerts if a.pk not in taken and _same_run(a, alert, class_id, touching)), None
            )
            if same is not None:
                pairs[k] = same
    matched = {a.pk for a in pairs.values()}
    raised = []
    for k, alert in enumerate(found):
        class_id = int(alert.care_class) if alert.care_class else None
        same = pairs.get(k)
        if same is None:
            raised.append(_raise(institution, alert, class_id))
            continue
        if (same.first_date, same.last_date, same.cases) != (alert.first_date, alert.last_date, alert.cases):
            before = snapshot(same)
            same.first_date, same.last_date, same.cases = alert.first_date, alert.last_date, alert.cases
            same.save(update_fields=["first_date", "last_date", "cases"])
            record(Actor.system(SCANNER), Verb.UPDATE, same, before=before, note="后续病例更新预警")
    for alert in alerts:
        if alert.pk not in matched and alert.reported_at is None and alert.first_date >= settled_from:
            _withdraw(alert)
    return raised


def _checks(institution: Institution, start: dt.date, end: dt.date) -> outbreak.Checks:
    rows = (
        ChildCheck.objects.filter(
            class_check__care_class__institution=institution,
            class_check__date__gte=start,
            class_check__date__lte=end,
        )
        .exclude(symptoms=[], diagnosis="")
        .values_list("class_check__care_class_id", "child_id", "class_check__date", "symptoms", "diagnosis")
    )
    return outbreak.Checks.from_rows(
        outbreak.Check(
            institution=str(institution.pk),
            care_class=str(class_id),
            child=str(child_id),
            date=date,
            symptoms=frozenset(symptoms),
            diagnosis=diagnosis or None,
        )
        for class_id, child_id, date, symptoms, diagnosis in rows
    )


def _profile(institution: Institution):
    return policy.load_profile(institution.subdistrict.effective_policy_profile())


def _same_run(stored: OutbreakAlert, found: outbreak.Alert, class_id: int | None, touching: bool) -> bool:
    """A found run is a stored alert when it is the same rule in the same place and their days
    overlap (a late entry may move the first day, later cases the last) or, with ``touching``, lie
    within one window of each other."""
    if stored.rule != found.rule.id or stored.care_class_id != class_id:
        return False
    reach = dt.timedelta(days=found.rule.days if touching else 0)
    return stored.first_date <= found.last_date + reach and found.first_date <= stored.last_date + reach


def _raise(institution: Institution, found: outbreak.Alert, class_id: int | None) -> OutbreakAlert:
    now = clock.now()
    alert = OutbreakAlert.objects.create(
        institution=institution,
        care_class_id=class_id,
        rule=found.rule.id,
        rule_text=found.rule.text,
        first_date=found.first_date,
        last_date=found.last_date,
        cases=found.cases,
        raised_at=now,
        report_due_at=now + dt.timedelta(hours=found.rule.report_hours),
    )
    record(Actor.system(SCANNER), Verb.CREATE, alert, note=found.rule.text[:200])
    where = _where(alert)
    due = clock.local(alert.report_due_at)
    _tell(
        alert,
        f"聚集性疫情预警：{institution.name}{where}",
        f"{institution.name}{where}自 {alert.first_date:%Y-%m-%d} 至 {alert.last_date:%Y-%m-%d} "
        f"出现 {alert.cases} 例，达到判定标准：{alert.rule_text}。"
        f"须于 {due:%Y-%m-%d %H:%M} 前报告疾病预防控制机构，并在平台登记报告情况。",
    )
    return alert


def _withdraw(alert: OutbreakAlert) -> None:
    """The checks were corrected and the run no longer meets the threshold: everyone told of the
    alert hears that it is withdrawn."""
    before = snapshot(alert)
    alert.withdrawn_at = clock.now()
    alert.save(update_fields=["withdrawn_at"])
    record(
        Actor.system(SCANNER),
        Verb.UPDATE,
        alert,
        before=before,
        note="晨午检记录更正后不再达到判定标准，预警撤销",
    )
    _tell(
        alert,
        f"预警撤销：{alert.institution.name}{_where(alert)}",
        f"{alert.institution.name}{_where(alert)} {clock.local(alert.raised_at):%m-%d %H:%M} 的聚集性疫情预警，"
        "因晨午检记录更正后不再达到判定标准，已撤销。",
    )


def _where(alert: OutbreakAlert) -> str:
    return alert.care_class.name if alert.care_class_id else "全园"


def _tell(alert: OutbreakAlert, title: str, body: str) -> None:
    """The institution's accounts in their inboxes; the county health department and the CDC of
    the institution's county and above through the outbox."""
    path = alert.institution.subdistrict.path
    notify(
        users=institution_accounts(alert.institution),
        topic=Topic.OUTBREAK_ALERT,
        title=title,
        body=body,
        link=reverse("health:alerts"),
        region_path=path,
    )
    outbox_post(
        topic=Topic.OUTBREAK_ALERT,
        title=title,
        body=body,
        region_path=path,
        departments=[Department.HEALTH, Department.DISEASE_CONTROL],
        payload={"alert": alert.pk, "institution": alert.institution_id, "rule": alert.rule},
    )


def outbreak_report_record(*, actor: Actor, alert: OutbreakAlert, note: str) -> OutbreakAlert:
    """Record that the CDC was told of the alert (to whom, how, when): the alert closes."""
    note = note.strip()
    with transaction.atomic():
        current = (
            OutbreakAlert.objects.select_for_update(of=("self",))
            .select_related("institution")
            .get(pk=alert.pk)
        )
        authorize(actor, RECORD_OUTBREAK_REPORT, current)
        if current.reported_at is not None:
            raise DomainError(AlertError.ALREADY_REPORTED, "该预警已登记报告。")
        if current.withdrawn_at is not None:
            raise DomainError(AlertError.WITHDRAWN, "该预警已撤销，无需报告。")
        if not note:
            raise DomainError(AlertError.NO_NOTE, "请填写报告情况（报告对象、方式、时间）。", field="note")
        before = snapshot(current)
        current.reported_at = clock.now()
        current.reported_by = actor.user
        current.report_note = note
        current.full_clean(exclude=["institution", "care_class", "reported_by"])
        current.save(update_fields=["reported_at", "reported_by", "report_note"])
        record(actor, Verb.UPDATE, current, before=before, note="登记已报告疾病预防控制机构")
    return current
