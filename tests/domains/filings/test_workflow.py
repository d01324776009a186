import datetime as dt

import pytest
from django.urls import reverse

from tests.domains.filings.conftest import PDF, scan
from tuoyu import clock
from tuoyu.domains.filings import services
from tuoyu.domains.filings.models import Event, Filing, Kind, State
from tuoyu.domains.filings.services import FilingError
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.messaging.models import Notification, OutboxMessage, Topic
from tuoyu.kernel.messaging.services import deliver_pending
from tuoyu.kernel.registry.models import Status

MONDAY = dt.date(2026, 11, 23)


def regulator(world, name="regulator_a"):
    return Actor(user=world.user(name), ip="10.0.0.9")


def test_a_filed_institution_cannot_file_again_and_only_one_filing_is_open(world, applicant):
    inst, user = applicant
    actor = Actor(user=user)
    with pytest.raises(DomainError) as error:
        services.filing_start(
            actor=Actor(user=world.user("manager_a")), institution=world.inst_a, kind=Kind.INITIAL
        )
    assert error.value.code == FilingError.NOT_ALLOWED_FOR_STATUS
    services.filing_start(actor=actor, institution=inst, kind=Kind.INITIAL)
    with pytest.raises(DomainError) as error:
        services.filing_start(actor=actor, institution=inst, kind=Kind.INITIAL)
    assert error.value.code == FilingError.ALREADY_OPEN


def test_submission_lists_what_is_missing_and_changes_nothing(applicant):
    inst, user = applicant
    actor = Actor(user=user)
    filing = services.filing_start(actor=actor, institution=inst, kind=Kind.INITIAL)
    with pytest.raises(DomainError) as error:
        services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    assert "尚未签署承诺书" in error.value.message
    assert "托幼机构卫生评价报告" in error.value.message
    filing.refresh_from_db()
    assert filing.state == State.DRAFT and filing.submitted_at is None


def test_uploads_must_be_a_real_pdf_or_image_within_the_limit(applicant, settings):
    inst, user = applicant
    actor = Actor(user=user)
    filing = services.filing_start(actor=actor, institution=inst, kind=Kind.INITIAL)
    with pytest.raises(DomainError, match="只能上传 PDF、JPG 或 PNG"):
        services.material_add(
            actor=actor, filing=filing, kind="licence", upload=scan("licence.pdf", b"MZ\x90\x00not a pdf")
        )
    settings.TUOYU_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(DomainError, match="文件过大"):
        services.material_add(
            actor=actor, filing=filing, kind="licence", upload=scan("big.pdf", PDF + b"0" * 2048)
        )
    assert not filing.materials.exists()
    material = services.material_add(actor=actor, filing=filing, kind="licence", upload=scan())
    assert material.content_type == "application/pdf" and len(material.sha256) == 64


def test_submission_freezes_facts_and_findings_and_starts_both_clocks(ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version, on=MONDAY)
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED
    assert filing.receipt_due == dt.date(2026, 11, 30) and filing.notice_due == dt.date(2026, 12, 14)
    assert filing.submitted_facts["name"] == "甲新托育园"
    assert {f["rule"] for f in filing.findings} >= {"class.size", "premises.tenure"}
    assert AuditEvent.objects.filter(model="filings.filing", verb="transition").count() == 1


def test_return_then_resubmit_then_receipt(world, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    services.filing_return(
        actor=regulator(world),
        filing=filing,
        expected_version=filing.version,
        reasons="保育人员与婴幼儿比例不足",
        rectify_by=clock.today() + dt.timedelta(days=30),
    )
    filing.refresh_from_db()
    assert filing.state == State.RETURNED
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    services.filing_accept(
        actor=regulator(world),
        filing=filing,
        expected_version=filing.version,
        override_reason="现场核查已整改",
    )
    filing.refresh_from_db()
    inst = filing.institution
    inst.refresh_from_db()
    assert filing.state == State.ACCEPTED
    assert inst.status == Status.FILED and inst.filing_number == filing.receipt_number
    assert "卫健托备〔" in filing.receipt_number and filing.receipt_number.endswith("001号")
    assert [e.to_state for e in filing.events.all()] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]


def test_a_refusal_stays_published_after_resubmission(world, client, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    services.filing_return(
        actor=regulator(world),
        filing=filing,
        expected_version=filing.version,
        reasons="消防安全证明材料过期",
        rectify_by=clock.today() + dt.timedelta(days=10),
    )
    filing.refresh_from_db()
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    page = client.get(reverse("filings:public")).content.decode()
    assert "甲新托育园" in page and "消防安全证明材料过期" in page


def test_a_return_needs_reasons_and_a_future_deadline(world, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    with pytest.raises(DomainError, match="退回理由"):
        services.filing_return(
            actor=regulator(world),
            filing=filing,
            expected_version=filing.version,
            reasons=" ",
            rectify_by=clock.today() + dt.timedelta(days=5),
        )
    with pytest.raises(DomainError, match="整改期限"):
        services.filing_return(
            actor=regulator(world),
            filing=filing,
            expected_version=filing.version,
            reasons="x",
            rectify_by=clock.today(),
        )
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_failing_findings_need_a_written_reason_to_accept(world, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    assert filing.failing_findings, "the bare test institution misses several standards"
    with pytest.raises(DomainError, match="须写明理由"):
        services.filing_accept(actor=regulator(world), filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED and not filing.receipt_number


def test_the_institution_cannot_decide_its_own_filing_and_another_county_cannot_either(world, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    with pytest.raises(AccessDenied):
        services.filing_accept(
            actor=actor, filing=filing, expected_version=filing.version, override_reason="x"
        )
    with pytest.raises(AccessDenied):
        services.filing_accept(
            actor=regulator(world, "regulator_b"),
            filing=filing,
            expected_version=filing.version,
            override_reason="x",
        )
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_acting_on_a_stale_page_is_refused_as_a_conflict(world, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    stale = Filing.objects.get(pk=filing.pk)
    services.filing_accept(
        actor=regulator(world), filing=stale, expected_version=stale.version, override_reason="已核实"
    )
    with pytest.raises(DomainError) as error:
        services.filing_return(
            actor=regulator(world, "colleague_a"),
            filing=stale,
            expected_version=stale.version,
            reasons="x",
            rectify_by=clock.today() + dt.timedelta(days=3),
        )
    assert error.value.code in (FilingError.CONFLICT, FilingError.ILLEGAL_TRANSITION)
    assert Event.objects.filter(filing=filing, to_state=State.RETURNED).count() == 0


def test_acceptance_pushes_the_registration_to_health_and_police_of_that_county_only(world, ready_filing):
    from tests import factories as f

    police_b = f.UserFactory(
        username="police_b", role="department", department="public_security", region=world.county_b
    )
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    services.filing_accept(
        actor=regulator(world), filing=filing, expected_version=filing.version, override_reason="已核实"
    )
    message = OutboxMessage.objects.get(topic=Topic.INSTITUTION_FILED)
    assert message.delivered_at is None
    assert (
        deliver_pending() == OutboxMessage.objects.count()
    )  # the push, and the notices to the people concerned
    recipients = set(Notification.objects.filter(message=message).values_list("user__username", flat=True))
    assert {"police_a", "regulator_a", "city_regulator"} <= recipients
    assert police_b.username not in recipients and "regulator_b" not in recipients
    assert deliver_pending() == 0


def test_a_change_filing_applies_its_changes_on_acceptance(world):
    actor = Actor(user=world.user("manager_a"))
    filing = services.filing_start(actor=actor, institution=world.inst_a, kind=Kind.CHANGE)
    services.filing_update(
        actor=actor, filing=filing, changes={"places": 55, "address": "甲路新址8号"}, signer="甲园长"
    )
    services.material_add(actor=actor, filing=filing, kind="change_proof", upload=scan())
    filing.refresh_from_db()
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    services.filing_accept(
        actor=regulator(world), filing=filing, expected_version=filing.version, override_reason="变更已核实"
    )
    world.inst_a.refresh_from_db()
    assert world.inst_a.places == 55 and world.inst_a.address == "甲路新址8号"
    assert "卫健托变〔" in Filing.objects.get(pk=filing.pk).receipt_number


def test_an_invalid_change_is_refused_before_it_is_filed(world):
    actor = Actor(user=world.user("manager_a"))
    filing = services.filing_start(actor=actor, institution=world.inst_a, kind=Kind.CHANGE)
    with pytest.raises(DomainError, match="月龄"):
        services.filing_update(
            actor=actor, filing=filing, changes={"min_age_months": 30, "max_age_months": 12}
        )
    filing.refresh_from_db()
    assert filing.changes == {}


def test_closure_needs_every_child_and_staff_member_placed_then_releases_them(world):
    actor = Actor(user=world.user("manager_a"))
    filing = services.filing_start(actor=actor, institution=world.inst_a, kind=Kind.CLOSURE)
    services.filing_update(actor=actor, filing=filing, signer="甲园长")
    services.material_add(actor=actor, filing=filing, kind="closure_statement", upload=scan())
    with pytest.raises(DomainError, match="安置去向"):
        services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    services.filing_update(
        actor=actor,
        filing=filing,
        placements={("child", world.child_a.pk): "转入乙托育园", ("staff", world.staff_a.pk): "转入乙托育园"},
    )
    filing.refresh_from_db()
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    services.filing_accept(
        actor=regulator(world), filing=filing, expected_version=filing.version, override_reason="注销"
    )
    world.inst_a.refresh_from_db()
    world.child_a.refresh_from_db()
    world.staff_a.refresh_from_db()
    assert world.inst_a.status == Status.CLOSED
    assert world.child_a.institution is None
    assert world.staff_a.left_on is not None
