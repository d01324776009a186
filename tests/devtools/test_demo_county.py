import datetime as dt
from collections import Counter

import pytest

from tuoyu.devtools.demo_county import DELIBERATE_PROBLEMS, MODEL_MIX, PLATFORM_IN_USE_DAYS
from tuoyu.domains.enrollment.models import Application, Program, Round
from tuoyu.domains.filings.models import Filing
from tuoyu.engines.identifiers import validate_credit_code, validate_id_number
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.people.models import CareClass, Child, StaffMember
from tuoyu.kernel.regions.models import Level, Population, Region
from tuoyu.kernel.registry.models import Institution

ON = dt.date(2026, 11, 23)


@pytest.fixture
def demo(shared_demo_county, db):
    return shared_demo_county


def test_county_has_eight_subdistricts_with_population_for_every_year(demo):
    subdistricts = Region.objects.filter(level=Level.SUBDISTRICT)
    assert subdistricts.count() == 8
    assert Population.objects.filter(region__in=subdistricts).count() == 8 * 4
    assert all(p.under_3 < p.total * 0.05 for p in Population.objects.all())
    assert not Region.objects.filter(synthetic=False).exists()


def test_sixty_institutions_across_all_provision_models(demo):
    assert demo.institutions == Institution.objects.count() == 60
    counts = Counter(Institution.objects.values_list("provision_model", flat=True))
    assert counts == dict(MODEL_MIX)


def test_every_identifier_is_valid(demo):
    for code in Institution.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    for number in [
        *Child.objects.values_list("id_number", flat=True),
        *StaffMember.objects.values_list("id_number", flat=True),
    ]:
        validate_id_number(number, today=ON)


def test_children_are_of_the_age_their_class_takes(demo):
    limits = {"infant": (6, 12), "young_toddler": (12, 24), "older_toddler": (24, 36), "mixed": (18, 36)}
    for child in Child.objects.filter(care_class__isnull=False).select_related("care_class"):
        low, high = limits[child.care_class.class_type]
        assert low <= child.age_in_months(ON) <= high, child.care_class.class_type


def test_some_institutions_are_deliberately_out_of_standard(demo):
    assert len(demo.problems) == len(DELIBERATE_PROBLEMS)
    big_infant_class = Child.objects.filter(care_class__class_type="infant").values("care_class").annotate()
    assert any(
        Child.objects.filter(care_class_id=row["care_class"]).count() > 10 for row in big_infant_class
    ), "an infant class above 10 children (P07)"
    assert Institution.objects.filter(video_retention_days__lt=90).exists(), "short video retention (P14)"
    assert Institution.objects.filter(places__gt=150).exists(), "above 150 places (P05)"


def test_every_row_of_the_county_was_created_through_an_audited_service(demo):
    from tuoyu.kernel.audit.models import AuditEvent

    assert demo.audit_events == AuditEvent.objects.count()
    for model in (Round, Program, Institution, StaffMember, Child, Filing, Application, CareClass, User):
        assert (
            AuditEvent.objects.filter(model=model._meta.label_lower, verb="create").count()
            == model.objects.count()
        ), model
    clear_numbers = set(Child.objects.values_list("id_number", flat=True))
    for changes in AuditEvent.objects.filter(model="operations.child").values_list("changes", flat=True):
        assert changes["id_number"][1] not in clear_numbers and "********" in changes["id_number"][1]


def test_the_filings_went_through_the_workflow_with_their_dates(demo):
    """Filed since the platform went live: submitted, then accepted days later, each step on its date;
    filed before: from the paper ledger, with its number and no platform filing."""
    since = ON - dt.timedelta(days=PLATFORM_IN_USE_DAYS)
    accepted = Filing.objects.filter(state="accepted").select_related("institution")
    assert accepted.count() >= 5
    for filing in accepted:
        assert filing.institution.filed_on >= since
        assert filing.receipt_number == filing.institution.filing_number
        assert filing.submitted_at.date() < filing.decided_at.date() == filing.institution.filed_on
        steps = list(filing.events.order_by("at").values_list("to_state", flat=True))
        assert steps == ["draft", "submitted", "accepted"], steps
        assert filing.materials.count() >= 6
    ledger = Institution.objects.filter(filed_on__lt=since)
    assert ledger.exists() and not Filing.objects.filter(institution__in=ledger).exists()
    assert all(number.endswith("号") for number in ledger.values_list("filing_number", flat=True))
    assert set(Filing.objects.exclude(state="accepted").values_list("state", flat=True)) == {
        "submitted",
        "returned",
    }


def test_the_suspended_institution_was_ordered_to_stop_by_the_county(demo):
    from tuoyu.kernel.audit.models import AuditEvent

    suspended = Institution.objects.get(status="suspended")
    order = AuditEvent.objects.get(
        model="registry.institution", object_id=str(suspended.pk), verb="transition"
    )
    assert order.actor.username == "regulator" and "责令停业整顿" in order.note


def test_the_demo_s_registrations_are_the_ones_its_longmatan_rules_expect(demo):
    from tuoyu.kernel.people.standards import institution_findings

    by_form = dict(Institution.objects.values_list("legal_form", "registered_with").distinct())
    # 003 附件2: #1 编办 事业单位, #16 市场监管 个体工商户, #18 行政审批局 社会服务机构 and companies
    assert by_form == {
        "public_institution": "staffing_office",
        "social_service_org": "administrative_approval",
        "enterprise": "administrative_approval",
        "individual_business": "market_regulation",
    }
    for inst in Institution.objects.all()[:12]:
        found = [f for f in institution_findings(inst, ON) if f["rule"] == "registration.authority"]
        assert [f["status"] for f in found] == ["pass"], inst.name
