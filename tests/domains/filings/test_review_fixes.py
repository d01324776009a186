"""Behaviours pinned after a review: privacy of names in findings and closures, separated duties,
robust acceptance, closures that place everyone, clocks on days off, complete audit."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f
from tests.domains.filings.conftest import scan
from tuoyu import clock
from tuoyu.domains.filings import services
from tuoyu.domains.filings.models import Kind, Placement
from tuoyu.domains.filings.selectors import Clock
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent


def test_findings_name_staff_only_to_those_who_may_see_staff(world, login):
    url = reverse("operations:findings", args=[world.inst_a.pk])
    for persona in ("expert_a", "caregiver_a"):
        page = login(world.user(persona)).get(url).content.decode()
        assert world.staff_a.name not in page
    assert world.staff_a.name in login(world.user("manager_a")).get(url).content.decode()


def test_a_health_officer_reads_a_closure_without_the_childrens_names(world, login):
    manager = Actor(user=world.user("manager_a"))
    filing = services.filing_start(actor=manager, institution=world.inst_a, kind=Kind.CLOSURE)
    officer = f.UserFactory(
        username="health_a", role="department", department="health", region=world.county_a
    )
    page = login(officer).get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert world.child_a.name not in page  # staff names it may see: health supervises the staff register
    assert (
        world.child_a.name
        in login(world.user("manager_a")).get(reverse("filings:detail", args=[filing.pk])).content.decode()
    )


def test_duties_are_separated(world, ready_filing):
    filing, institution_actor = ready_filing
    with pytest.raises(AccessDenied):  # a regulator cannot sign the 承诺书 in the institution's name
        services.filing_update(actor=Actor(user=world.user("regulator_a")), filing=filing, signer="冒名")
    services.filing_submit(actor=institution_actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    with pytest.raises(AccessDenied):  # nor can the institution record its own review
        services.filing_review(
            actor=institution_actor, filing=filing, checklist={}, verified_on=None, verified_by="", notes=""
        )
    with pytest.raises(AccessDenied):  # the city supervises; the county department decides (P23)
        services.filing_accept(
            actor=Actor(user=world.user("city_regulator")),
            filing=filing,
            expected_version=filing.version,
            override_reason="x",
        )


def test_a_change_that_no_longer_fits_is_refused_at_submission_not_crashed_at_acceptance(world):
    from tuoyu.kernel.registry.models import Institution

    manager = Actor(user=world.user("manager_a"))
    filing = services.filing_start(actor=manager, institution=world.inst_a, kind=Kind.CHANGE)
    services.filing_update(actor=manager, filing=filing, changes={"min_age_months": 24}, signer="甲园长")
    services.material_add(actor=manager, filing=filing, kind="change_proof", upload=scan())
    Institution.objects.filter(pk=world.inst_a.pk).update(max_age_months=18)  # changed meanwhile
    filing.refresh_from_db()
    with pytest.raises(DomainError, match="月龄"):
        services.filing_submit(actor=manager, filing=filing, expected_version=filing.version)


def test_a_closure_places_children_who_arrived_after_the_draft_began(world):
    manager = Actor(user=world.user("manager_a"))
    filing = services.filing_start(actor=manager, institution=world.inst_a, kind=Kind.CLOSURE)
    everyone = {("child", world.child_a.pk): "转园", ("staff", world.staff_a.pk): "另聘"}
    services.filing_update(actor=manager, filing=filing, signer="甲园长", placements=everyone)
    services.material_add(actor=manager, filing=filing, kind="closure_statement", upload=scan())
    late = f.ChildFactory(institution=world.inst_a, care_class=world.class_a)
    filing.refresh_from_db()
    with pytest.raises(DomainError, match="1 名婴幼儿或工作人员未填写安置去向"):
        services.filing_submit(actor=manager, filing=filing, expected_version=filing.version)
    services.filing_update(actor=manager, filing=filing, placements={("child", late.pk): "转入乙托育园"})
    assert Placement.objects.get(filing=filing, child=late).destination == "转入乙托育园"
    filing.refresh_from_db()
    services.filing_submit(actor=manager, filing=filing, expected_version=filing.version)


def test_placement_changes_are_audited(world):
    manager = Actor(user=world.user("manager_a"))
    filing = services.filing_start(actor=manager, institution=world.inst_a, kind=Kind.CLOSURE)
    services.filing_update(
        actor=manager, filing=filing, placements={("child", world.child_a.pk): "转入乙托育园"}
    )
    event = AuditEvent.objects.get(model="filings.placement", verb="update")
    assert event.changes["destination"] == ["", "转入乙托育园"]


def test_removing_a_material_is_audited_with_its_id(ready_filing):
    filing, actor = ready_filing
    material = filing.materials.first()
    pk = material.pk
    services.material_remove(actor=actor, material=material)
    assert AuditEvent.objects.get(model="filings.material", verb="delete").object_id == str(pk)


def test_a_filing_due_on_friday_is_overdue_on_saturday():
    friday = dt.date(2026, 11, 27)
    assert Clock.of(friday, friday, {}).label == "今日到期"
    saturday = Clock.of(friday, dt.date(2026, 11, 28), {})
    assert saturday.overdue and saturday.remaining == -1
    assert Clock.of(friday, dt.date(2026, 11, 30), {}).remaining == -1  # Monday: one working day late
    assert Clock.of(friday, dt.date(2026, 11, 25), {}).remaining == 2


def test_receipt_numbers_skip_numbers_already_held_by_imported_filings(world, ready_filing):
    from tuoyu.kernel.registry.models import Institution

    year = clock.today().year
    Institution.objects.filter(pk=world.inst_b.pk).update(filing_number=f"甲区卫健托备〔{year}〕001号")
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    services.filing_accept(
        actor=Actor(user=world.user("regulator_a")),
        filing=filing,
        expected_version=filing.version,
        override_reason="已核实",
    )
    filing.refresh_from_db()
    assert filing.receipt_number == f"甲区卫健托备〔{year}〕002号"
