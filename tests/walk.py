"""Walking the whole site as each persona: every URL the platform routes, with real rows behind it.

The walk-every-form, hostile-input, PII-scan, forbidden-page and planted-markup tests all start
here. ``ARGS`` says which rows fill each URL's arguments: a URL added without an entry fails
``test_every_url_can_be_walked``, so a new page is walked the day it is added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver
from django.utils import timezone

from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET = "notary-secret-0123456789abcdef"


# --- the rows ------------------------------------------------------------------------------------------


@dataclass
class Walk:
    world: Any
    users: dict[str, Any]
    rows: dict[str, Any] = field(default_factory=dict)

    def user(self, name: str):
        return self.users[name]


def build(world) -> Walk:
    """The world of tests/conftest.py plus one of everything a page can show: filings in every
    state, materials, an open round with an application, a drawn round with an offer, notices."""
    from tuoyu.domains.enrollment import services as rounds
    from tuoyu.domains.filings import services as filings
    from tuoyu.domains.filings.models import Kind
    from tuoyu.kernel.accounts.actor import Actor
    from tuoyu.kernel.accounts.models import Role
    from tuoyu.kernel.messaging.services import deliver_pending
    from tuoyu.kernel.people.models import Guardianship, Relation
    from tuoyu.kernel.registry.models import Membership, Status

    today = timezone.localdate()
    users = dict(world.users)
    users["admin_city"] = f.UserFactory(
        username="admin_city", role=Role.ADMIN, region=world.city, password="correct-horse-battery"
    )
    walk = Walk(world=world, users=users)

    # An institution not yet filed, with its own manager and a submitted initial filing.
    applicant_inst = f.InstitutionFactory(
        name="甲新托育园",
        subdistrict=world.sub_a,
        status=Status.REGISTERED,
        filing_number="",
        filed_on=None,
        provides_meals=False,
        business_scope="托育服务",
    )
    f.CareClassFactory(institution=applicant_inst, name="托大1班", class_type="older_toddler")
    applicant = f.UserFactory(
        username="applicant_a", role=Role.MANAGER, region=world.sub_a, password="correct-horse-battery"
    )
    Membership.objects.create(user=applicant, institution=applicant_inst)
    users["applicant_a"] = applicant
    actor = Actor(user=applicant, ip="10.0.0.7")
    submitted = filings.filing_start(actor=actor, institution=applicant_inst, kind=Kind.INITIAL)
    filings.filing_update(actor=actor, filing=submitted, signer="许园长")
    for kind in [
        "licence",
        "premises",
        "staff_qualifications",
        "staff_health",
        "hygiene_evaluation",
        "fire_safety",
    ]:
        material = filings.material_add(
            actor=actor, filing=submitted, kind=kind, upload=SimpleUploadedFile(f"{kind}.pdf", PDF)
        )
    submitted.refresh_from_db()
    filings.filing_submit(actor=actor, filing=submitted, expected_version=submitted.version)
    walk.rows["filing_submitted"] = submitted
    walk.rows["material"] = material

    # A change filing in draft for institution A, a closure in draft for institution B.
    manager_a, manager_b = Actor(user=world.user("manager_a")), Actor(user=world.user("manager_b"))
    walk.rows["filing_change"] = filings.filing_start(
        actor=manager_a, institution=world.inst_a, kind=Kind.CHANGE
    )
    closure = filings.filing_start(actor=manager_b, institution=world.inst_b, kind=Kind.CLOSURE)
    filings.filing_update(
        actor=manager_b, filing=closure, placements={("child", world.child_b.pk): "转入乙二园"}
    )
    walk.rows["filing_closure"] = closure

    # An accepted filing with its receipt: a second applicant filed and accepted.
    filed_inst = f.InstitutionFactory(
        name="甲已备园",
        subdistrict=world.sub_a,
        status=Status.REGISTERED,
        filing_number="",
        filed_on=None,
        provides_meals=False,
        business_scope="托育服务",
    )
    filed_manager = f.UserFactory(username="manager_filed", role=Role.MANAGER, region=world.sub_a)
    Membership.objects.create(user=filed_manager, institution=filed_inst)
    filed_actor = Actor(user=filed_manager)
    accepted = filings.filing_start(actor=filed_actor, institution=filed_inst, kind=Kind.INITIAL)
    filings.filing_update(actor=filed_actor, filing=accepted, signer="王园长")
    for kind in [
        "licence",
        "premises",
        "staff_qualifications",
        "staff_health",
        "hygiene_evaluation",
        "fire_safety",
    ]:
        filings.material_add(
            actor=filed_actor, filing=accepted, kind=kind, upload=SimpleUploadedFile(f"{kind}.pdf", PDF)
        )
    accepted.refresh_from_db()
    filings.filing_submit(actor=filed_actor, filing=accepted, expected_version=accepted.version)
    accepted.refresh_from_db()
    filings.filing_accept(
        actor=Actor(user=world.user("regulator_a")),
        filing=accepted,
        expected_version=accepted.version,
        override_reason="已现场核实",
    )
    walk.rows["filing_accepted"] = accepted

    # An open round with guardian A's application, and a drawn round with an offer to guardian A.
    regulator = Actor(user=world.user("regulator_a"))
    toddler = f.ChildFactory(
        name="申请宝宝", birth_date=today - dt.timedelta(days=700), residence=world.sub_a
    )
    Guardianship.objects.create(child=toddler, user=world.user("guardian_a"), relation=Relation.MOTHER)
    open_round = rounds.round_create(
        actor=regulator,
        region=world.county_a,
        name="春季托班",
        admission_date=today + dt.timedelta(days=60),
        opens_on=today,
        closes_on=today + dt.timedelta(days=10),
        rules={"residence": 1},
    )
    rounds.program_add(
        actor=regulator, round_=open_round, institution=world.inst_a, class_type="older_toddler", classes=1
    )
    rounds.round_open(actor=regulator, round_=open_round)
    open_round.refresh_from_db()
    walk.rows["application"] = rounds.application_submit(
        actor=Actor(user=world.user("guardian_a")),
        round_=open_round,
        child=toddler,
        choices=[open_round.programs.get().pk],
    )
    walk.rows["round_open"] = open_round

    sibling = f.ChildFactory(
        name="摇号宝宝", birth_date=today - dt.timedelta(days=720), residence=world.sub_a
    )
    Guardianship.objects.create(child=sibling, user=world.user("guardian_a"), relation=Relation.MOTHER)
    drawn = rounds.round_create(
        actor=regulator,
        region=world.county_a,
        name="秋季托班",
        admission_date=today + dt.timedelta(days=30),
        opens_on=today - dt.timedelta(days=20),
        closes_on=today - dt.timedelta(days=10),
        rules={},
    )
    rounds.program_add(
        actor=regulator,
        round_=drawn,
        institution=world.inst_a,
        class_type="older_toddler",
        classes=1,
        on=today - dt.timedelta(days=20),
    )
    rounds.round_open(actor=regulator, round_=drawn, on=today - dt.timedelta(days=20))
    drawn.refresh_from_db()
    offered = rounds.application_submit(
        actor=Actor(user=world.user("guardian_a")),
        round_=drawn,
        child=sibling,
        choices=[drawn.programs.get().pk],
        on=today - dt.timedelta(days=15),
    )
    rounds.round_freeze(actor=regulator, round_=drawn, on=today)
    drawn.refresh_from_db()
    rounds.round_commit(actor=regulator, round_=drawn, secret=SECRET, public_source="体育彩票第2026001期")
    drawn.refresh_from_db()
    rounds.round_draw(
        actor=regulator,
        round_=drawn,
        expected_version=drawn.version,
        secret=SECRET,
        live_number="12 34",
        public_result="01 02 03",
    )
    drawn.refresh_from_db()
    walk.rows["round_drawn"] = drawn
    walk.rows["offer"] = offered

    # A morning check in class A that sent child A home with a suspected disease (a return
    # certificate awaited), and an open outbreak alert for the class.
    from tuoyu.domains.health.models import OutbreakAlert
    from tuoyu.domains.health.services import Result, class_check_record

    world.class_a.keepers.add(world.user("caregiver_a"))
    class_check_record(
        actor=Actor(user=world.user("caregiver_a")),
        care_class=world.class_a,
        date=today,
        sitting="morning",
        results={
            world.child_a.pk: Result(symptoms=frozenset({"rash"}), diagnosis="hfmd", action="sent_home")
        },
    )
    class_check_record(
        actor=Actor(user=world.user("caregiver_a")),
        care_class=world.class_a,
        date=today,
        sitting="midday",
        results={world.child_a.pk: Result(present=False)},
    )
    for sitting in ("morning", "midday"):  # class B's day is recorded too, all present
        class_check_record(actor=manager_b, care_class=world.class_b, date=today, sitting=sitting, results={})
    walk.rows["certificate"] = world.child_a.return_certificates.get()

    # Guardian A authorised a grandmother to collect child A; child B came in this morning.
    from tuoyu.domains.attendance.services import arrival_record, pickup_person_add

    walk.rows["pickup_person"] = pickup_person_add(
        actor=Actor(user=world.user("guardian_a")),
        child=world.child_a,
        name="王奶奶",
        relation="grandparent",
        phone="13800138000",
    )
    arrival_record(actor=manager_b, child=world.child_b)

    # Class A measured today; staff A with an examination, a certificate and a training on record.
    from decimal import Decimal

    from tuoyu.domains.growth.services import class_measurements_record
    from tuoyu.kernel.people import credentials

    class_measurements_record(
        actor=manager_a,
        care_class=world.class_a,
        measured_on=today,
        rows={world.child_a.pk: (Decimal("11.20"), Decimal("82.5"))},
    )
    credentials.staff_check_record(
        actor=manager_a,
        staff=world.staff_a,
        kind="health_exam",
        checked_on=today,
        passed=True,
        issuer="区医院",
    )
    credentials.staff_certificate_record(
        actor=manager_a,
        staff=world.staff_a,
        certificate="childcare_worker",
        number="BY-01",
        issued_on=today - dt.timedelta(days=400),
        expires_on=today + dt.timedelta(days=20),
    )
    credentials.staff_training_record(
        actor=manager_a,
        staff=world.staff_a,
        stage="continuing",
        course="婴幼儿照护",
        hours=16,
        finished_on=today,
        provider="市托育指导中心",
    )
    # Institution A keeps a camera register: one camera, today's status confirmed, a live view set.
    from tuoyu.domains.cameras import services as cameras

    walk.rows["camera"] = cameras.camera_save(
        actor=manager_a,
        institution=world.inst_a,
        values={
            "name": "托小1班活动室",
            "area": "activity",
            "care_class": world.class_a,
            "armed_24h": True,
            "retention_days": 90,
            "installed_on": today - dt.timedelta(days=3),
        },
    )
    cameras.day_confirm(
        actor=manager_a, institution=world.inst_a, day=today, rows={walk.rows["camera"].pk: ("normal", "")}
    )
    cameras.live_view_set(actor=manager_a, institution=world.inst_a, url="https://video.example.cn/live")
    # Institution A publishes a fee, this week's menu, last month's meal account and a notice.
    from decimal import Decimal as _D

    from tuoyu.domains.disclosure import services as disclosure

    walk.rows["fee"] = disclosure.fee_item_save(
        actor=manager_a,
        institution=world.inst_a,
        values={"name": "保育费", "amount": _D("1800"), "unit": "month", "prepaid_months": 3, "note": ""},
    )
    disclosure.menu_publish(
        actor=manager_a,
        institution=world.inst_a,
        week=disclosure.week_of(today),
        dishes={0: {"lunch": "番茄炒蛋、米饭"}, 1: {"breakfast": "小米粥", "lunch": "清蒸鱼"}},
    )
    disclosure.meal_account_publish(
        actor=manager_a,
        institution=world.inst_a,
        month=(today.replace(day=1) - dt.timedelta(days=1)),
        values={"income": _D("30000"), "food_cost": _D("25000"), "other_cost": _D("0"), "child_days": 1400},
    )
    walk.rows["notice"] = disclosure.notice_send(
        actor=manager_a, institution=world.inst_a, title="周五停水", body="周五上午停水。"
    )
    now = timezone.now()
    walk.rows["alert"] = OutbreakAlert.objects.create(
        institution=world.inst_a,
        care_class=world.class_a,
        rule="outbreak.disease.hfmd.class",
        rule_text="同一班级7天内2名及以上婴幼儿诊断为手足口病",
        first_date=today,
        last_date=today,
        cases=2,
        raised_at=now,
        report_due_at=now + dt.timedelta(hours=24),
    )

    from tuoyu.kernel.regions.models import CalendarDay

    walk.rows["holiday"] = CalendarDay.objects.create(
        date=today + dt.timedelta(days=3), working=False, name="测试假日"
    )
    deliver_pending()
    from tuoyu.kernel.messaging.models import Notification

    walk.rows["notification"] = Notification.objects.filter(user=world.user("regulator_a")).first()
    return walk


# --- URL arguments ------------------------------------------------------------------------------------------

ArgsFor = Callable[[Walk], list[dict[str, Any]]]


def _pk(*names: str) -> ArgsFor:
    def args(walk: Walk) -> list[dict[str, Any]]:
        out = []
        for name in names:
            row = getattr(walk.world, name, None) or walk.rows.get(name)
            if row is not None:
                out.append({"pk": row.pk})
        return out

    return args


ARGS: dict[str, ArgsFor] = {
    "policy:profile": lambda w: [{"name": "national"}, {"name": "sichuan-luzhou-longmatan"}],
    "registry:edit": _pk("inst_a", "inst_b"),
    "registry:account_action": lambda w: [{"pk": w.user("caregiver_a").pk, "action": "disable"}],
    "registry:api_institution": _pk("inst_a", "inst_b"),
    "operations:institution": _pk("inst_a", "inst_b"),
    "operations:findings": _pk("inst_a", "inst_b"),
    "operations:staff_create": lambda w: [{"institution_pk": w.world.inst_a.pk}],
    "operations:staff_edit": _pk("staff_a", "staff_b"),
    "operations:staff_leave": _pk("staff_a"),
    "operations:staff_records": _pk("staff_a", "staff_b"),
    "operations:staff_check_new": _pk("staff_a"),
    "operations:staff_certificate_new": _pk("staff_a"),
    "operations:staff_training_new": _pk("staff_a"),
    "operations:child_edit": _pk("child_a", "child_b"),
    "operations:child_leave": _pk("child_a"),
    "operations:child_invite": _pk("child_a"),
    "operations:child_admission": _pk("child_a", "child_b"),
    "operations:classes": lambda w: [
        {"institution_pk": w.world.inst_a.pk},
        {"institution_pk": w.world.inst_b.pk},
    ],
    "operations:class_edit": _pk("class_a", "class_b"),
    "operations:class_close": _pk("class_a"),
    "operations:child_enrol": lambda w: [{"institution_pk": w.world.inst_a.pk}],
    "growth:institution": lambda w: [
        {"institution_pk": w.world.inst_a.pk},
        {"institution_pk": w.world.inst_b.pk},
    ],
    "growth:class": _pk("class_a", "class_b"),
    "growth:child": _pk("child_a", "child_b"),
    "cameras:institution": _pk("inst_a", "inst_b"),
    "cameras:day": _pk("inst_a"),
    "cameras:new": _pk("inst_a"),
    "cameras:live_view": _pk("inst_a"),
    "cameras:key": _pk("inst_a"),
    "cameras:edit": _pk("camera"),
    "cameras:retire": _pk("camera"),
    "disclosure:institution": _pk("inst_a", "inst_b"),
    "disclosure:fee_new": _pk("inst_a"),
    "disclosure:menu": _pk("inst_a"),
    "disclosure:account_new": _pk("inst_a"),
    "disclosure:notice_new": _pk("inst_a"),
    "disclosure:fee_edit": _pk("fee"),
    "disclosure:fee_withdraw": _pk("fee"),
    "disclosure:notice": _pk("notice"),
    "health:day": lambda w: [{"institution_pk": w.world.inst_a.pk}, {"institution_pk": w.world.inst_b.pk}],
    "health:check": _pk("class_a", "class_b"),
    "health:alert_report": _pk("alert"),
    "health:certificate": _pk("certificate"),
    "attendance:institution": lambda w: [
        {"institution_pk": w.world.inst_a.pk},
        {"institution_pk": w.world.inst_b.pk},
    ],
    "attendance:class_day": _pk("class_a", "class_b"),
    "attendance:arrive": _pk("child_a", "child_b"),
    "attendance:absent": _pk("child_a", "child_b"),
    "attendance:follow_up": _pk("child_a"),
    "attendance:depart": _pk("child_a", "child_b"),
    "attendance:pickup_revoke": _pk("pickup_person"),
    "messaging:read": _pk("notification"),
    "messaging:open": _pk("notification"),
    "filings:start": lambda w: [{"institution_pk": w.world.inst_a.pk}],
    "filings:detail": _pk("filing_submitted", "filing_change", "filing_closure", "filing_accepted"),
    "filings:findings": _pk("filing_submitted", "filing_change"),
    "filings:upload": _pk("filing_change"),
    "filings:commit": _pk("filing_change"),
    "filings:changes": _pk("filing_change"),
    "filings:placements": _pk("filing_closure"),
    "filings:submit": _pk("filing_change"),
    "filings:withdraw": _pk("filing_change"),
    "filings:review": _pk("filing_submitted"),
    "filings:return": _pk("filing_submitted"),
    "filings:accept": _pk("filing_submitted"),
    "filings:receipt": _pk("filing_accepted"),
    "filings:material": _pk("material"),
    "filings:remove_material": _pk("material"),
    "enrollment:respond": _pk("offer"),
    "enrollment:withdraw": _pk("application"),
    "enrollment:confirm_employer": _pk("application"),
    "enrollment:public": _pk("round_open", "round_drawn"),
    "enrollment:apply": _pk("round_open", "round_drawn"),
    "enrollment:manage": _pk("round_open", "round_drawn"),
    "enrollment:add_program": _pk("round_open"),
    "enrollment:act": lambda w: [{"pk": w.rows["round_open"].pk, "action": "freeze"}],
    "enrollment:file": lambda w: [{"pk": w.rows["round_drawn"].pk, "name": "result"}],
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    has_args: bool


def routes() -> list[Route]:
    def walk(patterns, prefix="", namespace=None) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield Route(name, prefix + str(entry.pattern), bool(entry.pattern.converters))

    return list(walk(get_resolver().url_patterns))


def urls(walk: Walk) -> list[tuple[str, str]]:
    """(route name, path) for every route, each argumented route once per row of ARGS."""
    from django.urls import reverse

    out = []
    for route in routes():
        if not route.has_args:
            out.append((route.name, reverse(route.name)))
            continue
        for kwargs in ARGS[route.name](walk):
            out.append((route.name, reverse(route.name, kwargs=kwargs)))
    return out


PERSONAS = (
    "anonymous",
    "regulator_a",
    "city_regulator",
    "police_a",
    "inspector_a",
    "expert_a",
    "manager_a",
    "manager_b",
    "caregiver_a",
    "guardian_a",
    "guardian_b",
    "applicant_a",
    "admin_city",
)


# --- forms as a browser submits them --------------------------------------------------------------------------


@dataclass
class HtmlForm:
    action: str
    method: str
    attrs: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)
    submitter: tuple[str, str] | None = None
    has_file: bool = False
    submittable: bool = False  # a browser can submit only a form that has an enabled submit button
    clicked: bool = False  # the first submit button is the one pressed

    def data(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in [*self.fields, *([self.submitter] if self.submitter else [])]:
            out.setdefault(name, []).append(value)
        return out


class _FormParser(HTMLParser):
    """What a browser would send for each form when submitted untouched by its first button."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = HtmlForm(action=a.get("action", ""), method=a.get("method", "get").lower(), attrs=a)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        is_button = (tag == "input" and a.get("type", "").lower() in ("submit", "image")) or (
            tag == "button" and a.get("type", "submit").lower() == "submit"
        )
        if is_button and "disabled" not in a:
            self._form.submittable = True
        if "disabled" in a:
            return
        name = a.get("name")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                self._form.has_file = True
            elif kind in ("submit", "image"):
                if self._form.submitter is None:
                    self._form.submitter = (name, a.get("value", "")) if name else None
                    self._form.clicked = True
            elif kind in ("checkbox", "radio"):
                if name and "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
            elif kind not in ("button", "reset") and name:
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit" and not self._form.clicked:
                self._form.submitter = (name, a.get("value", "")) if name else None
                self._form.clicked = True
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in a, "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            option = self._option
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self._select["options"].append(value)
            if option["selected"]:
                self._select["selected"].append(value)
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            select = self._select
            chosen = (
                select["selected"]
                if select["multiple"]
                else (select["selected"][-1:] or select["options"][:1])
            )
            self._form.fields.extend((select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = self._textarea["text"]
            self._form.fields.append((self._textarea["name"], text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_in(html: str) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


# --- the database as a whole --------------------------------------------------------------------------------


def database_state() -> dict[str, list[dict]]:
    """Every row of every platform model (the audit trail and sessions apart): two calls compare equal
    exactly when nothing was written in between."""
    from django.apps import apps

    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if not label.startswith(
            (
                "accounts.",
                "regions.",
                "registry.",
                "operations.",
                "filings.",
                "enrollment.",
                "messaging.",
                "planning.",
            )
        ):
            continue
        state[label] = list(model.objects.order_by("pk").values())
    return state


def audit_count() -> int:
    from tuoyu.kernel.audit.models import AuditEvent

    return AuditEvent.objects.count()
